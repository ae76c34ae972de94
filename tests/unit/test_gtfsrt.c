/*
 * GTFS Realtime feeds: what goes in (valid vehicles), what is left out
 * (ids that are not UTF-8 or repeat), and what a consumer reads. The feed is
 * decoded twice: by our own text printer, and — when the test is given the
 * path of protoc and of proto/ — by `protoc --decode`, an independent
 * decoder working from proto/gtfs-realtime.proto alone, so a wrong field
 * number or type in our file or our encoder shows up as a wrong field.
 *
 *   test_gtfsrt [PROTOC PROTO_DIR]
 */
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "gtfsrt.h"

#define NOW ((jt_ms)1772424000000) /* 2026-03-02 12:00 +08 */

static char *run_protoc(const char *protoc, const char *dir, const struct gtfsrt_feed *f)
{
	char in[] = "/tmp/jintong-gtfsrt-XXXXXX";
	int fd = mkstemp(in);
	if (fd < 0 || write(fd, f->data, f->len) != (ssize_t)f->len) {
		perror("gtfsrt test: temporary file");
		return NULL;
	}
	close(fd);
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' --proto_path='%s' --decode=transit_realtime.FeedMessage gtfs-realtime.proto < '%s'",
		 protoc, dir, in);
	FILE *p = popen(cmd, "r");
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	if (!p || !out)
		return NULL;
	size_t got;
	while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (len + 1 >= cap) {
			cap *= 2;
			out = realloc(out, cap);
			if (!out)
				return NULL;
		}
	}
	out[len] = '\0';
	int rc = pclose(p);
	unlink(in);
	if (rc != 0) {
		fprintf(stderr, "protoc failed (%d):\n%s\n", rc, out);
		free(out);
		return NULL;
	}
	return out;
}

/* Does text hold the lines of want, in order (each as a substring of a later line)? */
static bool has_in_order(const char *text, const char *const *want, size_t n)
{
	const char *p = text;
	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, want[i]);
		if (!q) {
			fprintf(stderr, "missing after offset %td: %s\n", p - text, want[i]);
			return false;
		}
		p = q + strlen(want[i]);
	}
	return true;
}

/* How full a bus is, from the tablet's counts against its seats: the table of cases. */
static void occupancy(void)
{
	static const struct {
		int onboard, seats;
		enum gtfsrt_occupancy want;
	} cases[] = {
		{ -1, 19, GTFSRT_OCCUPANCY_UNKNOWN }, /* nobody counted */
		{ 5, 0, GTFSRT_OCCUPANCY_UNKNOWN },   /* seats not known */
		{ 0, 19, GTFSRT_EMPTY },
		{ 9, 19, GTFSRT_MANY_SEATS },         /* 18 < 19: under half */
		{ 10, 19, GTFSRT_FEW_SEATS },
		{ 18, 19, GTFSRT_FEW_SEATS },
		{ 19, 19, GTFSRT_STANDING_ONLY },     /* every seat taken */
		{ 25, 20, GTFSRT_STANDING_ONLY },     /* a quarter more than seats */
		{ 26, 20, GTFSRT_FULL },
		{ 2000000000, 200, GTFSRT_FULL },     /* no overflow */
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		char what[64];
		snprintf(what, sizeof what, "%d on board, %d seats", cases[i].onboard, cases[i].seats);
		CHECK_INT(what, gtfsrt_occupancy_of(cases[i].onboard, cases[i].seats), cases[i].want);
	}
}

int main(int argc, char **argv)
{
	occupancy();
	struct gtfsrt_stop_time st[] = {
		{ .sequence = 3, .stop_id = "S03", .arrival = NOW - 20000, .departure = NOW + 40000,
		  .arrival_delay = 125, .departure_delay = 130, .has_delay = true },
		{ .sequence = 4, .stop_id = "S04", .skipped = true },
		{ .sequence = 5, .stop_id = "S05", .arrival = NOW + 600000, .departure = NOW + 630000 },
		{ .sequence = 5, .stop_id = "S05-again", .arrival = NOW + 700000 }, /* out of order: dropped */
	};
	struct gtfsrt_vehicle v[] = {
		{ .vehicle_id = "bus-17", .label = "川A·0017 乡村公交", .trip_id = "L1-0730", .route_id = "L1",
		  .start_date = "20260302", .lat = 30.0521, .lon = 104.6133, .bearing = 271.5, .speed = 8.25,
		  .timestamp = NOW - 3000, .occupancy = GTFSRT_FEW_SEATS, .stop_sequence = 3, .stop_id = "S03",
		  .status = GTFSRT_STOPPED_AT, .has_delay = true, .delay = 125, .stop_times = st, .nstop_times = 4 },
		{ .vehicle_id = "bus-18", .lat = 29.98, .lon = 104.55, .bearing = NAN, .speed = NAN,
		  .timestamp = NOW - 9000, .occupancy = GTFSRT_OCCUPANCY_UNKNOWN },
		{ .vehicle_id = "bus-\xff", .lat = 30, .lon = 104, .occupancy = GTFSRT_OCCUPANCY_UNKNOWN },
		{ .vehicle_id = "bus-17", .lat = 30, .lon = 104, .occupancy = GTFSRT_OCCUPANCY_UNKNOWN },
		{ .vehicle_id = "bus-19", .trip_id = "L2-0800", .route_id = "L2", .start_date = "20260302",
		  .lat = NAN, .lon = 104.6, .bearing = 10, .speed = 3, .timestamp = NOW - 1000,
		  .occupancy = GTFSRT_OCCUPANCY_UNKNOWN },
	};
	size_t n = JT_ARRAY_LEN(v);

	CHECK(gtfsrt_utf8_valid("川A·0017"));
	CHECK(!gtfsrt_utf8_valid("\xc0\xaf"));      /* overlong '/' */
	CHECK(!gtfsrt_utf8_valid("\xed\xa0\x80")); /* a surrogate */
	CHECK(!gtfsrt_utf8_valid("abc\xe4\xb8"));  /* cut short */

	struct gtfsrt_feed vp, tu;
	gtfsrt_vehicle_positions(v, n, NOW, &vp);
	CHECK_INT("positions", vp.entities, 3);
	CHECK_INT("left out: not UTF-8, and bus-17 again", vp.left_out, 2);
	gtfsrt_trip_updates(v, n, NOW, &tu);
	CHECK_INT("trip updates: the vehicles on a trip", tu.entities, 2);
	CHECK_INT("none left out", tu.left_out, 0);

	char ts[64];
	snprintf(ts, sizeof ts, "timestamp: %lld", (long long)(NOW / 1000));
	char ts_pos[64];
	snprintf(ts_pos, sizeof ts_pos, "timestamp: %lld", (long long)((NOW - 3000) / 1000));
	char arr3[64], dep5[64];
	snprintf(arr3, sizeof arr3, "time: %lld", (long long)((NOW - 20000) / 1000));
	snprintf(dep5, sizeof dep5, "time: %lld", (long long)((NOW + 630000) / 1000));
	const char *vp_lines[] = {
		"header {", "gtfs_realtime_version: \"2.0\"", "incrementality: FULL_DATASET", ts,
		"entity {", "id: \"v-bus-17\"", "vehicle {", "trip {", "trip_id: \"L1-0730\"",
		"start_date: \"20260302\"", "schedule_relationship: SCHEDULED", "route_id: \"L1\"",
		"position {", "latitude: 30.05", "longitude: 104.61", "bearing: 271.5", "speed: 8.25",
		"current_stop_sequence: 3", "current_status: STOPPED_AT", ts_pos, "stop_id: \"S03\"",
		"vehicle {", "id: \"bus-17\"", "label: \"", "occupancy_status: FEW_SEATS_AVAILABLE",
		"id: \"v-bus-18\"", "latitude: 29.98", "id: \"v-bus-19\"", "trip_id: \"L2-0800\"",
	};
	const char *tu_lines[] = {
		"incrementality: FULL_DATASET", "id: \"t-L1-0730-20260302\"", "trip_update {", "trip {",
		"trip_id: \"L1-0730\"", "stop_time_update {", "stop_sequence: 3", "arrival {", "delay: 125", arr3,
		"departure {", "delay: 130", "stop_id: \"S03\"", "schedule_relationship: SCHEDULED",
		"stop_time_update {", "stop_sequence: 4", "stop_id: \"S04\"", "schedule_relationship: SKIPPED",
		"stop_time_update {", "stop_sequence: 5", dep5, "stop_id: \"S05\"", "vehicle {",
		"id: \"bus-17\"", "timestamp:", "delay: 125", "id: \"t-L2-0800-20260302\"",
	};

	/* Our printer. Field order is the .proto's declaration order, as protoc's is by number. */
	char *text = gtfsrt_text(vp.data, vp.len);
	CHECK(text != NULL);
	if (text) {
		CHECK(strstr(text, "gtfs_realtime_version: \"2.0\"") && strstr(text, "current_status: STOPPED_AT"));
		CHECK_MSG("no position for bus-19 (latitude unknown)",
			  !strstr(strstr(text, "v-bus-19"), "position {"));
		CHECK_MSG("no bearing for bus-18", !strstr(strstr(text, "v-bus-18"), "bearing"));
		free(text);
	}
	text = gtfsrt_text(tu.data, tu.len);
	CHECK(text && strstr(text, "schedule_relationship: SKIPPED") && !strstr(text, "S05-again"));
	free(text);
	static const uint8_t junk[] = { 0x0a, 0xff, 0x01 };
	CHECK_MSG("not a feed", gtfsrt_text(junk, sizeof junk) == NULL);

	/* The independent decoder. */
	if (argc == 3) {
		char *d = run_protoc(argv[1], argv[2], &vp);
		CHECK_MSG("protoc decodes the positions", d != NULL);
		if (d) {
			CHECK_MSG("positions as protoc reads them", has_in_order(d, vp_lines, JT_ARRAY_LEN(vp_lines)));
			CHECK_MSG("the left-out vehicle is not there", !strstr(d, "bus-\\377") && !strstr(d, "bus-\xff"));
			if (getenv("GTFSRT_SHOW"))
				fputs(d, stdout);
		}
		free(d);
		d = run_protoc(argv[1], argv[2], &tu);
		CHECK_MSG("protoc decodes the trip updates", d != NULL);
		if (d) {
			CHECK_MSG("trip updates as protoc reads them", has_in_order(d, tu_lines, JT_ARRAY_LEN(tu_lines)));
			CHECK_MSG("out-of-order stop time left out", !strstr(d, "S05-again"));
			if (getenv("GTFSRT_SHOW"))
				fputs(d, stdout);
		}
		free(d);
	} else {
		printf("protoc not given: the feed was not checked by an independent decoder\n");
	}
	free(vp.data);
	free(tu.data);
	return check_done("test_gtfsrt");
}
