/*
 * Real-time tracking through the real daemon and PostgreSQL: a line with a
 * winding route and a timetable for today, two buses driven along it by the
 * synthetic driver (tools/sim/drive.c: GPS noise, fixes every 5-12 s, a
 * valley whose fixes arrive late as a backlog), their tablets uploading
 * through POST /v1/fixes as they would.
 *
 *   - BUS-1 runs trip T1, an hour ago, and no one tells the daemon which
 *     trip it is: its trip_run row must say completed and its stop_event
 *     arrivals be within 30 s of when the simulated bus really arrived;
 *   - BUS-2 signs on to T2 and is half-way along it now; a tablet counts
 *     riders; the GTFS Realtime feeds, decoded by protoc (an independent
 *     decoder reading proto/gtfs-realtime.proto), show its trip, its stop
 *     time updates and its vehicle; `jintong vehicle show` and `jintong trip
 *     show` print its delay and next stops;
 *   - a rider with a confirmed seat on T2 at a stop ahead of BUS-2 is told,
 *     once, that the bus is approaching;
 *   - after a restart the runs are still there, BUS-2 is still signed on and,
 *     from its stored fixes, where it was; once it reports again its trip goes
 *     on (the same run) with ETAs for the stops ahead.
 */
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "course.h"
#include "drive.h"
#include "fixbatch.h"
#include "harness.h"

#define NSTOPS 8
#define COUNTY_OFFSET_MS (8 * 3600 * 1000LL) /* the daemon's default zone, Asia/Shanghai */

static struct h_test t;
static char tok1[128], tok2[128], tok1b[128];
static char token_file[400];
static char out[65536];
static struct drive_route route;
static jt_ms day_start; /* 00:00 of the service day the trips run on */
static int32_t now_s;   /* seconds of that service day when the test began */
static jt_ms now;

struct run_truth {
	int32_t start;
	struct drive_truth truth;
	struct drive_fix *fx;
	size_t n;
};
static struct run_truth r1, r2;

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

static long call(const char *method, const char *path, const char *token, const char *json, char *res, size_t len)
{
	struct h_resp r;
	h_http(&t, method, path, json ? "application/json" : NULL, token, json, json ? strlen(json) : 0, &r);
	snprintf(res, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static long admin(const char *method, const char *path, const char *json)
{
	static char res[8192];
	long st = call(method, path, t.op_token, json, res, sizeof res);
	CHECK(st == 200 || st == 201, "%s %s: %ld %s", method, path, st, res);
	return st;
}

/* A fix time of the simulation, on the test's service day. */
static jt_ms real_time(jt_ms sim)
{
	return sim - DRIVE_DAY_START + day_start;
}

static void clock_text(int32_t s, char *buf, size_t len)
{
	snprintf(buf, len, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
}

/* The line, its stops where the simulated road has them, its winding shape, a daily calendar and two trips. */
static void network(void)
{
	admin("POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"石桥客运\"}");
	admin("POST", "/v1/admin/lines", "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}");
	char json[4096];
	for (size_t k = 0; k < route.nstops; k++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%s\",\"name\":\"站%zu\",\"kind\":\"roadside\",\"lat\":%.7f,\"lon\":%.7f}",
			 route.stop_id[k], k + 1, route.stops[k].lat, route.stops[k].lon);
		admin("POST", "/v1/admin/stops", json);
	}
	size_t cap = 64 * route.npts + 1024, n = 0;
	char *body = malloc(cap);
	REQUIRE(body, "memory");
	n += (size_t)snprintf(body + n, cap - n, "{\"stops\":[");
	for (size_t k = 0; k < route.nstops; k++)
		n += (size_t)snprintf(body + n, cap - n, "%s\"%s\"", k ? "," : "", route.stop_id[k]);
	n += (size_t)snprintf(body + n, cap - n, "],\"shape\":[");
	for (size_t i = 0; i < route.npts; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s[%.7f,%.7f]", i ? "," : "", route.shape[2 * i],
				      route.shape[2 * i + 1]);
	snprintf(body + n, cap - n, "]}");
	admin("POST", "/v1/admin/lines/L1/routes", body);
	free(body);
	char from[16];
	h_county_date(-1, from, sizeof from);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"name\":\"每天\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\","
		 "\"end\":\"2199-12-31\"}",
		 from);
	admin("POST", "/v1/admin/calendars", json);
	const struct run_truth *runs[] = { &r1, &r2 };
	for (int i = 0; i < 2; i++) {
		int n2 = snprintf(json, sizeof json, "{\"code\":\"T%d\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[",
				  i + 1);
		for (size_t k = 0; k < route.nstops; k++) {
			char a[16], d[16];
			clock_text(runs[i]->start + route.stops[k].arr, a, sizeof a);
			clock_text(runs[i]->start + route.stops[k].dep, d, sizeof d);
			n2 += snprintf(json + n2, sizeof json - (size_t)n2, "%s[\"%s\",\"%s\"]", k ? "," : "", a, d);
		}
		snprintf(json + n2, sizeof json - (size_t)n2, "]}");
		admin("POST", "/v1/admin/trips", json);
	}
}

/* Sends fixes as the tablet uploads them: what got through within each minute, one request. */
static void upload(const char *token, const char *device, struct drive_fix *fx, size_t from, size_t to, uint64_t *seq)
{
	size_t i = from;
	while (i < to) {
		jt_ms window = fx[i].delivered / 60000;
		struct fix batch[256];
		size_t n = 0;
		while (i < to && fx[i].delivered / 60000 == window && n < JT_ARRAY_LEN(batch)) {
			batch[n] = fx[i].fix;
			batch[n].time = real_time(fx[i].fix.time);
			batch[n].seq = ++*seq;
			batch[n].has_seq = true;
			n++;
			i++;
		}
		size_t len;
		uint8_t *body = fixbatch_encode(device, batch, n, &len);
		struct h_resp r;
		h_http(&t, "POST", "/v1/fixes", "application/x-protobuf", token, body, len, &r);
		free(body);
		REQUIRE(r.status == 200, "upload: %ld %s", r.status, r.body ? r.body : "");
		h_resp_free(&r);
	}
}

static void drive(struct run_truth *rt, struct rng *g, double late_s, int dead_zones)
{
	struct drive_opts o;
	drive_opts_default(&o);
	o.start = rt->start;
	o.late_s = late_s;
	o.noise_m = 8;
	o.outlier_rate = 0;
	o.interval_lo = 5;
	o.interval_hi = 12;
	o.dead_zones = dead_zones;
	o.pass_rate = 0;
	rt->fx = drive_run(&route, &o, g, &rt->truth, &rt->n);
}

/* Waits (up to 15 s) for an SQL count to reach want. */
static long long wait_sql(long long want, const char *sql)
{
	long long v = -1;
	for (int i = 0; i < 150; i++) {
		v = h_sql_num(&t, "%s", sql);
		if (v >= want)
			return v;
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	return v;
}

/* T1, run by BUS-1 an hour ago and found by the daemon itself. */
static void matched_trip(void)
{
	uint64_t seq = 0;
	upload(tok1, "tab-1", r1.fx, 0, r1.n, &seq);
	CHECK(wait_sql(1, "SELECT count(*) FROM trip_run r JOIN vehicle v ON v.id = r.vehicle_id"
			  " WHERE r.trip_code = 'T1' AND v.code = 'BUS-1' AND r.ended_how = 'completed'"
			  " AND NOT r.signed_on") == 1,
	      "T1 completed by BUS-1");
	/* Every event written: nothing pending (the writer runs once a second). */
	wait_sql(1, "SELECT count(*) FROM stop_event e JOIN trip_run r ON r.id = e.trip_run_id"
		    " WHERE r.trip_code = 'T1' AND e.stop_seq = " "8" " AND e.kind IN ('arrival', 'passed')");
	size_t visited = 0, within = 0;
	for (size_t k = 1; k < route.nstops; k++) {
		if (r1.truth.visit[k] == DRIVE_NOT_VISITED)
			continue;
		visited++;
		long long at = h_sql_num(&t,
					 "SELECT (extract(epoch FROM e.actual) * 1000)::bigint FROM stop_event e"
					 " JOIN trip_run r ON r.id = e.trip_run_id WHERE r.trip_code = 'T1'"
					 " AND e.stop_seq = %zu AND e.kind IN ('arrival', 'passed')",
					 k + 1);
		jt_ms truth = real_time(r1.truth.arr[k]);
		CHECK(at > 0 && llabs(at - truth) <= 30000, "T1 stop %zu: arrival %lld, truly %lld (%+.0f s)", k + 1, at,
		      (long long)truth, (double)(at - truth) / 1000);
		within += at > 0 && llabs(at - truth) <= 30000;
	}
	fprintf(stderr, "T1: %zu of %zu arrivals within 30 s\n", within, visited);
	/* The planned times are the timetable's, on the service day. */
	long long planned = h_sql_num(&t, "SELECT (extract(epoch FROM e.planned) * 1000)::bigint FROM stop_event e"
					  " JOIN trip_run r ON r.id = e.trip_run_id WHERE r.trip_code = 'T1'"
					  " AND e.stop_seq = 3 AND e.kind IN ('arrival', 'passed')");
	CHECK(planned == day_start + (jt_ms)(r1.start + route.stops[2].arr) * 1000, "planned %lld", planned);
	double length = route.cum[route.npts - 1] / 1000.0;
	long long km10 = h_sql_num(&t, "SELECT (km * 10)::bigint FROM trip_run WHERE trip_code = 'T1'");
	CHECK(km10 >= (long long)(length * 10 * 0.8) && km10 <= (long long)(length * 10 * 1.3),
	      "km driven %.1f, route %.1f km", (double)km10 / 10, length);
	CHECK(h_log_has(&t, "trip.assigned vehicle=BUS-1 trip=T1") && h_log_has(&t, "how=matched") &&
		      h_log_has(&t, "trip.completed vehicle=BUS-1 trip=T1"),
	      "log lines for BUS-1");
}

/* Decodes a feed with protoc; NULL when protoc is not there. */
static char *protoc_decode(const char *path_in_daemon)
{
	const char *protoc = getenv("JINTONG_PROTOC"), *src = getenv("JINTONG_SOURCE_DIR");
	if (!protoc || !*protoc || !src)
		return NULL;
	struct h_resp r;
	h_http(&t, "GET", path_in_daemon, NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200 && r.len > 0, "%s: %ld", path_in_daemon, r.status);
	char in[512];
	snprintf(in, sizeof in, "%s/feed.pb", t.tmpdir);
	FILE *f = fopen(in, "wb");
	REQUIRE(f && fwrite(r.body, 1, r.len, f) == r.len && fclose(f) == 0, "writing %s", in);
	h_resp_free(&r);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' --decode=transit_realtime.FeedMessage -I '%s/proto' '%s/proto/gtfs-realtime.proto' < '%s' 2>&1",
		 protoc, src, src, in);
	FILE *p = popen(cmd, "r");
	REQUIRE(p, "protoc");
	size_t cap = 1 << 20, n = 0;
	char *text = malloc(cap);
	REQUIRE(text, "memory");
	size_t got;
	while ((got = fread(text + n, 1, cap - 1 - n, p)) > 0)
		n += got;
	text[n] = '\0';
	int rc = pclose(p);
	CHECK(rc == 0, "protoc: %d %s", rc, text);
	return text;
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The fixes BUS-2's tablet has made by `until` (sim time). */
static size_t made_by(const struct run_truth *rt, jt_ms until_real)
{
	size_t n = 0;
	while (n < rt->n && real_time(rt->fx[n].fix.time) <= until_real)
		n++;
	return n;
}

static void signed_on_trip(void)
{
	char res[16384];
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", tok1, "{\"trip\":\"T2\"}", res, sizeof res) == 403,
	      "another vehicle's tablet: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", tok2, "{\"trip\":\"NOPE\"}", res, sizeof res) == 404,
	      "unknown trip: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", tok2, "{\"trip\":\"T2\",\"x\":1}", res, sizeof res) == 400,
	      "unknown member: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", NULL, "{\"trip\":\"T2\"}", res, sizeof res) == 401,
	      "no token: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/counts", tok2, "{\"stop\":1,\"boarded\":2}", res, sizeof res) == 409,
	      "counts before a trip: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", tok2, "{\"trip\":\"T2\"}", res, sizeof res) == 200 &&
		      strstr(res, "\"trip\":\"T2\"") && strstr(res, "\"signed_on\":true") &&
		      strstr(res, "\"state\":\"tracking\""),
	      "sign-on: %s", res);

	/* The network changes under way (a later trip added): T2 goes on as it started. */
	char json[2048];
	int n = snprintf(json, sizeof json, "{\"code\":\"T3\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[");
	for (size_t k = 0; k < route.nstops; k++) {
		char a[16];
		clock_text(r2.start + 7200 + route.stops[k].arr, a, sizeof a);
		n += snprintf(json + n, sizeof json - (size_t)n, "%s\"%s\"", k ? "," : "", a);
	}
	snprintf(json + n, sizeof json - (size_t)n, "]}");
	admin("POST", "/v1/admin/trips", json);

	/* Its tablet, up to now: the bus is half-way. */
	uint64_t seq = 1000;
	upload(tok2, "tab-2", r2.fx, 0, made_by(&r2, now), &seq);
	CHECK(call("POST", "/v1/vehicles/BUS-2/counts", tok2, "{\"stop\":\"TS00\",\"boarded\":5}", res, sizeof res) ==
			  200 && strstr(res, "\"onboard\":5") && strstr(res, "\"seq\":1"),
	      "count at the first stop: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/counts", tok2, "{\"stop\":2,\"boarded\":3,\"alighted\":1}", res,
		   sizeof res) == 200 && strstr(res, "\"onboard\":7"),
	      "count at the second stop: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/counts", tok2, "{\"stop\":\"TS99\",\"boarded\":1}", res, sizeof res) ==
			  400 && strstr(res, "unknown_stop"),
	      "unknown stop: %s", res);
	CHECK(call("POST", "/v1/vehicles/BUS-2/counts", tok2, "{\"stop\":3,\"boarded\":-1}", res, sizeof res) == 400,
	      "negative count: %s", res);
	CHECK(h_sql_num(&t, "SELECT sum(boarded - alighted) FROM stop_count") == 7, "counts stored");

	/* The stops it passed so far are written; the vehicle's reply tells where it is. */
	CHECK(wait_sql(1, "SELECT count(*) FROM stop_event e JOIN trip_run r ON r.id = e.trip_run_id"
			  " WHERE r.trip_code = 'T2' AND e.stop_seq = 2") >= 1,
	      "T2's events written");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM trip_run WHERE trip_code = 'T2' AND signed_on"
			    " AND ended_at IS NULL AND ended_how IS NULL") == 1,
	      "T2 under way in trip_run");
	/* A tablet resending its sign-on changes nothing. */
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-on", tok2, "{\"trip\":\"T2\"}", res, sizeof res) == 200 &&
		      strstr(res, "\"trip\":\"T2\"") && !strstr(res, "previous_trip") && strstr(res, "\"next_stops\""),
	      "sign-on again: %s", res);
	CHECK(call("GET", "/v1/admin/vehicles/BUS-2", t.op_token, NULL, res, sizeof res) == 200 &&
		      strstr(res, "\"trip\":\"T2\"") && strstr(res, "\"delay_s\":") && strstr(res, "\"next_stops\":[{") &&
		      strstr(res, "\"eta\":\"") && strstr(res, "\"onboard\":7"),
	      "vehicle: %s", res);

	/* GTFS Realtime, decoded by protoc. */
	char *tu = protoc_decode("/v1/gtfs-rt/trip-updates");
	if (tu) {
		CHECK(strstr(tu, "incrementality: FULL_DATASET") && strstr(tu, "trip_id: \"T2\"") &&
			      strstr(tu, "route_id: \"L1\"") && strstr(tu, "id: \"BUS-2\"") &&
			      occurrences(tu, "stop_time_update {") == NSTOPS && strstr(tu, "stop_id: \"TS07\"") &&
			      strstr(tu, "stop_sequence: 8") && strstr(tu, "delay:") && !strstr(tu, "trip_id: \"T1\""),
		      "trip updates:\n%s", tu);
		free(tu);
	}
	char *vp = protoc_decode("/v1/gtfs-rt/vehicle-positions");
	if (vp) {
		/* BUS-1, last heard of an hour ago, is not shown where it was. */
		CHECK(strstr(vp, "trip_id: \"T2\"") && strstr(vp, "id: \"BUS-2\"") && !strstr(vp, "id: \"BUS-1\"") &&
			      strstr(vp, "latitude:") && strstr(vp, "current_stop_sequence:") &&
			      strstr(vp, "occupancy_status: MANY_SEATS_AVAILABLE"),
		      "vehicle positions:\n%s", vp);
		free(vp);
	}
	CHECK(call("GET", "/v1/gtfs-rt/trip-updates?format=text", NULL, NULL, res, sizeof res) == 200 &&
		      strstr(res, "trip_id: \"T2\""),
	      "text form: %.300s", res);
	/* Records imported from a feed go by their GTFS ids, as in the GTFS export. */
	admin("PATCH", "/v1/admin/trips/T2", "{\"gtfs_id\":\"Fahrt 2 / früh\"}");
	admin("PATCH", "/v1/admin/lines/L1", "{\"gtfs_id\":\"de:12073:L1\"}");
	admin("PATCH", "/v1/admin/stops/TS07", "{\"gtfs_id\":\"de:12073:900340007::1\"}");
	CHECK(call("GET", "/v1/gtfs-rt/trip-updates?format=text", NULL, NULL, res, sizeof res) == 200 &&
		      strstr(res, "trip_id: \"Fahrt 2 / früh\"") &&
		      strstr(res, "route_id: \"de:12073:L1\"") &&
		      strstr(res, "stop_id: \"de:12073:900340007::1\"") && !strstr(res, "\"T2\"") &&
		      !strstr(res, "\"TS07\""),
	      "GTFS ids: %.600s", res);
	admin("PATCH", "/v1/admin/trips/T2", "{\"gtfs_id\":\"\"}");
	admin("PATCH", "/v1/admin/lines/L1", "{\"gtfs_id\":\"\"}");
	admin("PATCH", "/v1/admin/stops/TS07", "{\"gtfs_id\":\"\"}");

	/* The operators' view. */
	int rc = cli("vehicle", "show", "BUS-2", NULL);
	CHECK(rc == 0 && h_line_with(out, "trip:", "T2", "signed on", NULL) && h_line_with(out, "delay:", NULL) &&
		      h_line_with(out, "next stops:", NULL) && h_line_with(out, "#", "STOP", "PLANNED", "ETA", NULL) &&
		      h_line_with(out, "8", "TS07", NULL) && h_line_with(out, "on board:", "7", NULL),
	      "vehicle show: %d %s", rc, out);
	rc = cli("trip", "show", "T2", NULL);
	char planned7[16];
	clock_text(r2.start + route.stops[7].arr, planned7, sizeof planned7);
	planned7[5] = '\0';
	CHECK(rc == 0 && h_line_with(out, "run on", "BUS-2", "under way", NULL) &&
		      h_line_with(out, "#", "STOP", "PLANNED", "ACTUAL", "EXPECTED", NULL) &&
		      h_line_with(out, "8", "TS07", planned7, NULL),
	      "trip show: %d %s", rc, out);
	/* The second stop's actual time, on the timetable's clock, is when the bus really got there. */
	const char *run = strstr(out, "run on");
	const char *row = run ? h_line_with(run, "2", "TS01", NULL) : NULL;
	int h1, m1, h2, m2, s2;
	bool parsed = row && sscanf(row, " 2 TS01 %d:%d %d:%d:%d", &h1, &m1, &h2, &m2, &s2) == 5;
	CHECK(parsed, "row of the second stop: %.80s", row ? row : "(none)");
	if (parsed && r2.truth.visit[1] != DRIVE_NOT_VISITED) {
		long shown = h2 * 3600L + m2 * 60 + s2;
		long truth = (long)((real_time(r2.truth.arr[1]) - day_start) / 1000);
		CHECK(labs(shown - truth) <= 30, "second stop shown at %ld, truly %ld", shown, truth);
	}

	char metrics[65536];
	CHECK(call("GET", "/metrics", NULL, NULL, metrics, sizeof metrics) == 200 &&
		      strstr(metrics, "jintong_vehicles_tracked 1\n") && strstr(metrics, "jintong_trip_runs_total{how=\"completed\"} 1\n") &&
		      !strstr(metrics, "jintong_stop_events_total{kind=\"arrival\"} 0\n") && strstr(metrics, "jintong_etas "),
	      "metrics: %s", metrics);
	/* For people, not asserted: the time a fix spends in its tracker, matching and tracking included. */
	const char *fx = strstr(metrics, "\njintong_tracking_fixes_total "), *sp = strstr(metrics, "\njintong_tracking_update_seconds_total ");
	if (fx && sp)
		fprintf(stderr, "trackers: %.1f us a fix\n",
			1e6 * strtod(sp + 39, NULL) / fmax(1, strtod(fx + 30, NULL)));
}

/* Restarted, the daemon still knows the runs; once BUS-2 reports again it has ETAs again. */
static void restart(void)
{
	CHECK(h_stop(&t, SIGTERM) == 0, "clean stop");
	h_start(&t, (const char *const[]){ "--fix-future-s", "86400", NULL });
	char res[65536];
	CHECK(call("GET", "/v1/trips/T1/run", t.op_token, NULL, res, sizeof res) == 200 &&
		      strstr(res, "\"vehicle\":\"BUS-1\"") && strstr(res, "\"state\":\"completed\""),
	      "T1 after the restart: %s", res);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM trip_run") == 2, "two runs");
	/* The driver's sign-on holds, and the last half hour of fixes put BUS-2 back where it was. */
	CHECK(call("GET", "/v1/admin/vehicles/BUS-2", t.op_token, NULL, res, sizeof res) == 200 &&
		      strstr(res, "\"trip\":\"T2\"") && strstr(res, "\"signed_on\":true") && strstr(res, "\"eta\":\"") &&
		      strstr(res, "\"onboard\":7"),
	      "BUS-2 at start: %s", res);
	CHECK(h_log_has(&t, "tracking.restored signed_on=1"), "sign-on restored");

	size_t from = made_by(&r2, now), to = made_by(&r2, now + 240000);
	uint64_t seq = 5000;
	upload(tok2, "tab-2", r2.fx, from, to, &seq);
	CHECK(call("GET", "/v1/admin/vehicles/BUS-2", t.op_token, NULL, res, sizeof res) == 200 &&
		      strstr(res, "\"trip\":\"T2\"") && strstr(res, "\"eta\":\"") && strstr(res, "\"state\":\"tracking\""),
	      "BUS-2 after the restart: %s", res);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM trip_run") == 2, "still two runs: T2 taken up again");
	char *tu = protoc_decode("/v1/gtfs-rt/trip-updates");
	if (tu) {
		CHECK(strstr(tu, "trip_id: \"T2\"") && strstr(tu, "stop_time_update {"), "trip updates after: %s", tu);
		free(tu);
	}
	CHECK(call("POST", "/v1/vehicles/BUS-2/sign-off", tok2, NULL, res, sizeof res) == 200 &&
		      strstr(res, "\"previous_trip\":\"T2\""),
	      "sign-off: %s", res);
	CHECK(wait_sql(1, "SELECT count(*) FROM trip_run WHERE trip_code = 'T2' AND ended_how = 'signed_off'") == 1,
	      "T2 signed off");
}

/* A rider waiting ahead of BUS-2 on T2 is told the bus is approaching, once. */
static void rider_told(void)
{
	char res[16384], id[24] = "";
	CHECK(call("POST", "/v1/rides", t.op_token,
		   "{\"rider\":\"w1\",\"from\":{\"stop\":\"TS05\"},\"to\":{\"stop\":\"TS07\"},\"confirm\":true}", res,
		   sizeof res) == 201 && strstr(res, "\"trip\":\"T2\"") && strstr(res, "\"state\":\"confirmed\""),
	      "a seat on T2 ahead of the bus: %s", res);
	const char *p = strstr(res, "\"id\":\"");
	if (p)
		snprintf(id, sizeof id, "%.*s", (int)strcspn(p + 6, "\""), p + 6);
	/* BUS-2 reports again: the next look at tracking (every 10 s) tells the rider. */
	uint64_t seq = 5000;
	upload(tok2, "tab-2", r2.fx, made_by(&r2, now), made_by(&r2, now + 60000), &seq);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE ride_id = %s AND kind = 'approaching'", id);
	long long got = wait_sql(1, sql);
	if (got < 1)
		got = wait_sql(1, sql);
	CHECK(got == 1, "approaching: %lld", got);
	CHECK(h_log_has(&t, "ride.alert"), "logged");
	/* Said once: the next looks do not say it again. */
	got = wait_sql(2, sql);
	CHECK(got == 1, "approaching once: %lld", got);
}

int main(void)
{
	h_init(&t, "tracking");
	if (!getenv("JINTONG_CLI"))
		return 77;
	now = (jt_ms)time(NULL) * 1000;
	/* The county's service day: today's, or yesterday's in the small hours (times past 24:00). */
	jt_ms local = now + COUNTY_OFFSET_MS;
	day_start = local / 86400000 * 86400000 - COUNTY_OFFSET_MS;
	now_s = (int32_t)((now - day_start) / 1000);
	if (now_s < 4 * 3600) {
		day_start -= 86400000;
		now_s += 86400;
	}
	struct rng g;
	rng_seed(&g, 20261123);
	drive_route_make(&route, &g, DRIVE_WINDING, NSTOPS, 2000, -3000, 9, "TS");
	int32_t dur = route.stops[NSTOPS - 1].arr;
	r1.start = (now_s - dur - 3600) / 60 * 60;
	r2.start = (now_s - dur / 2) / 60 * 60;
	drive(&r1, &g, 120, 1);
	drive(&r2, &g, 150, 0);

	h_create_operator(&t);
	h_start(&t, (const char *const[]){ "--fix-future-s", "86400", "--notify-approach-min", "60", "--notify-delay-min",
					    "1", NULL });
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);
	network();
	h_add_vehicle(&t, "BUS-1");
	h_add_vehicle(&t, "BUS-2");
	h_add_device(&t, "tab-1", "BUS-1", tok1);
	h_add_device(&t, "tab-1b", "BUS-1", tok1b);
	h_add_device(&t, "tab-2", "BUS-2", tok2);

	matched_trip();
	signed_on_trip();
	rider_told();
	restart();

	free(r1.fx);
	free(r2.fx);
	drive_route_free(&route);
	return h_finish(&t);
}
