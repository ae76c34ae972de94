/*
 * /metrics after a known workload: every counter says what happened, in the
 * Prometheus text format; and the service manager's watchdog is fed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixbatch.h"
#include "harness.h"

static struct h_test t;
static char *metrics;

static void scrape(void)
{
	struct h_resp r;
	h_http(&t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	REQUIRE(r.status == 200, "/metrics: %ld", r.status);
	free(metrics);
	metrics = r.body;
}

/* The value of the sample whose name and labels are exactly `series`; NAN if absent. */
static double value(const char *series)
{
	size_t n = strlen(series);
	for (const char *p = metrics; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return NAN;
}

static long osm(const char *dev, double lat, long long at)
{
	char q[256];
	snprintf(q, sizeof q, "/?id=%s&lat=%.5f&lon=104.5&timestamp=%lld", dev, lat, at);
	struct h_resp r;
	h_http(&t, "GET", q, NULL, NULL, NULL, 0, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static void format_is_prometheus(void)
{
	/* Every sample line is "name[{labels}] number", and every name has HELP and TYPE. */
	char *copy = strdup(metrics);
	int samples = 0;
	for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		samples++;
		char name[128];
		size_t k = strcspn(line, "{ ");
		CHECK(k > 0 && k < sizeof name, "bad line: %s", line);
		memcpy(name, line, k);
		name[k] = '\0';
		char *sp = strrchr(line, ' ');
		char *end;
		strtod(sp + 1, &end);
		CHECK(sp && *end == '\0', "value not a number: %s", line);
		/* histograms' series share the family's HELP */
		char family[128];
		snprintf(family, sizeof family, "%s", name);
		const char *suffixes[] = { "_bucket", "_sum", "_count" };
		for (int i = 0; i < 3; i++) {
			size_t fl = strlen(family), sl = strlen(suffixes[i]);
			if (fl > sl && strcmp(family + fl - sl, suffixes[i]) == 0 &&
			    strstr(metrics, "histogram")) {
				char help[160];
				snprintf(help, sizeof help, "# TYPE %.*s histogram", (int)(fl - sl), family);
				if (strstr(metrics, help))
					family[fl - sl] = '\0';
			}
		}
		char help[160];
		snprintf(help, sizeof help, "# HELP %s ", family);
		CHECK(strstr(metrics, help), "no HELP for %s", family);
	}
	CHECK(samples > 30, "only %d samples", samples);
	free(copy);
}

int main(void)
{
	h_init(&t, "metrics");
	h_create_operator(&t);
	setenv("WATCHDOG_USEC", "400000", 1);
	h_start(&t, NULL);
	unsetenv("WATCHDOG_USEC");
	CHECK(h_wait_notify(&t, "WATCHDOG=1", 5000), "no watchdog ping");

	char tok[3][128];
	h_add_vehicle(&t, "BUS-1");
	h_add_vehicle(&t, "BUS-2");
	h_add_vehicle(&t, "BUS-3");
	h_add_device(&t, "tab-1", "BUS-1", tok[0]);
	h_add_device(&t, "tab-2", "BUS-2", tok[1]);
	h_add_device(&t, "tab-3", "BUS-3", tok[2]);
	scrape();
	CHECK(value("jintong_fixes_stored_total") == 0, "stored before any fix");
	CHECK(value("jintong_vehicles") == 3, "vehicles %g", value("jintong_vehicles"));
	CHECK(value("jintong_devices_active") == 3, "devices");
	CHECK(value("jintong_db_connected") == 1, "db connected");

	long long now = (long long)time(NULL);
	/* 5 good fixes from tab-1, 1 implausible jump, 2 too old, 1 at 0,0, 1 unknown device. */
	for (int i = 0; i < 5; i++)
		CHECK(osm("tab-1", 30.0 + i * 0.0001, now - 100 + i) == 200, "good fix %d", i);
	CHECK(osm("tab-1", 35.0, now - 90) == 200, "jump is stored");
	CHECK(osm("tab-1", 30.0, now - 30 * 86400) == 400, "too old");
	CHECK(osm("tab-1", 30.0, now - 40 * 86400) == 400, "too old");
	char q[256];
	snprintf(q, sizeof q, "/?id=tab-2&lat=0&lon=0&timestamp=%lld", now);
	struct h_resp r;
	h_http(&t, "GET", q, NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 400, "null island");
	h_resp_free(&r);
	CHECK(osm("ghost", 30.0, now) == 400, "unknown device");
	/* One batch of 10 good fixes and one not finite from tab-3. */
	struct fix fx[11];
	for (int i = 0; i < 11; i++) {
		fix_init(&fx[i]);
		fx[i].seq = (uint64_t)i + 1;
		fx[i].has_seq = true;
		fx[i].time = (now - 50 + i) * 1000;
		fx[i].lat = i == 10 ? INFINITY : 30.2 + i * 0.0001;
		fx[i].lon = 104.6;
	}
	size_t len;
	uint8_t *body = fixbatch_encode("tab-3", fx, 11, &len);
	h_http(&t, "POST", "/v1/fixes", "application/x-protobuf", tok[2], body, len, &r);
	CHECK(r.status == 200, "batch: %ld", r.status);
	h_resp_free(&r);
	free(body);

	scrape();
	format_is_prometheus();
	CHECK(value("jintong_fixes_stored_total") == 16, "stored %g, want 16",
	      value("jintong_fixes_stored_total"));
	CHECK(value("jintong_fixes_received_total") == 21, "received %g, want 21",
	      value("jintong_fixes_received_total"));
	CHECK(value("jintong_fixes_rejected_total{reason=\"too_old\"}") == 2, "too_old %g",
	      value("jintong_fixes_rejected_total{reason=\"too_old\"}"));
	CHECK(value("jintong_fixes_rejected_total{reason=\"null_island\"}") == 1, "null_island");
	CHECK(value("jintong_fixes_rejected_total{reason=\"unknown_device\"}") == 1, "unknown");
	CHECK(value("jintong_fixes_rejected_total{reason=\"not_finite\"}") == 1, "not_finite");
	CHECK(value("jintong_fixes_rejected_total{reason=\"future\"}") == 0, "future");
	CHECK(value("jintong_fixes_implausible_total") == 1, "jumps %g",
	      value("jintong_fixes_implausible_total"));
	CHECK(value("jintong_ack_seconds_count") == 7, "acknowledged requests %g, want 7",
	      value("jintong_ack_seconds_count"));
	CHECK(value("jintong_ack_seconds_bucket{le=\"+Inf\"}") == 7, "+Inf bucket");
	CHECK(value("jintong_db_commit_seconds_count") >= 1, "commits");
	CHECK(value("jintong_db_commit_seconds_count") <= 7, "more commits than requests");
	CHECK(value("jintong_vehicles_online") == 2, "online %g, want 2 (BUS-1, BUS-3)",
	      value("jintong_vehicles_online"));
	CHECK(value("jintong_db_queue_fixes") == 0, "queue not empty at rest");
	CHECK(value("jintong_fixes_unavailable_total") == 0, "unavailable");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 16, "rows match stored counter");
	free(metrics);
	return h_finish(&t);
}
