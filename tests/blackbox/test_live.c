/*
 * Live state: the latest good position of each vehicle, implausible jumps
 * stored but not shown, backlogs stored but not shown, state rebuilt from the
 * database after a restart, and configuration reloaded on SIGHUP.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_test t;
static long long t0;

static long fix(long long at, double lat, double lon)
{
	char q[256];
	snprintf(q, sizeof q, "/?id=tab-1&lat=%.6f&lon=%.6f&timestamp=%lld", lat, lon, at);
	struct h_resp r;
	h_http(&t, "GET", q, NULL, NULL, NULL, 0, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static bool live_at(const char *lat)
{
	struct h_resp r;
	h_http(&t, "GET", "/v1/vehicles", NULL, t.op_token, NULL, 0, &r);
	char want[64];
	snprintf(want, sizeof want, "\"lat\":%s,", lat);
	bool ok = r.status == 200 && strstr(r.body, want) && strstr(r.body, "\"code\":\"BUS-1\"");
	if (!ok)
		fprintf(stderr, "live: %s\n", r.body);
	h_resp_free(&r);
	return ok;
}

static void jumps(void)
{
	CHECK(fix(t0, 30.0, 104.0) == 200, "A");
	CHECK(fix(t0 + 10, 30.001, 104.0) == 200, "B");
	CHECK(live_at("30.001"), "live is B");
	/* 55 km in 10 s: stored, flagged, not live. */
	CHECK(fix(t0 + 20, 30.5, 104.0) == 200, "C stored");
	CHECK(live_at("30.001"), "jump became live");
	CHECK(fix(t0 + 30, 30.0012, 104.0) == 200, "D");
	CHECK(live_at("30.0012"), "live is D");
	/* The tablet moved to a bus 100 km away: two agreeing fixes move the live position. */
	CHECK(fix(t0 + 40, 31.0, 105.0) == 200, "E");
	CHECK(live_at("30.0012"), "first far fix became live");
	CHECK(fix(t0 + 45, 31.0001, 105.0) == 200, "F");
	CHECK(live_at("31.0001"), "relocation not followed");
	/* A late fix from before: stored, live unchanged. */
	CHECK(fix(t0 + 1, 30.0001, 104.0) == 200, "G");
	CHECK(live_at("31.0001"), "backlog fix became live");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE quality = 1") == 2,
	      "implausible jumps flagged: %lld", h_sql_num(&t, "SELECT count(*) FROM position WHERE quality = 1"));
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE quality = 2") == 1, "stale flagged");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 7, "all seven stored");
}

static void restart(void)
{
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	CHECK(live_at("31.0001"), "live position not rebuilt from the database");
}

static void reload(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/jintongd.conf", t.tmpdir);
	FILE *f = fopen(path, "w");
	fprintf(f, "# tracking apps only from the carrier's network\nosmand_networks = 10.0.0.0/8\n");
	fclose(f);
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	const char *args[] = { "--config", path, NULL };
	h_start(&t, args);
	CHECK(fix(t0 + 60, 31.0002, 105.0) == 403, "network limit from the file");
	f = fopen(path, "w");
	fprintf(f, "osmand_networks = \"127.0.0.0/8\"\ndb_connections = 3\n");
	fclose(f);
	h_reload(&t);
	CHECK(fix(t0 + 61, 31.0003, 105.0) == 200, "reloaded network limit");
	CHECK(h_log_has(&t, "config.needs_restart settings=\"db_connections\""), "restart-only setting not named");
	/* A broken file keeps the running configuration. */
	f = fopen(path, "w");
	fprintf(f, "osmand_networks = 10.0.0.0/8\nmax_speed_kmh = fast\n");
	fclose(f);
	h_reload(&t);
	CHECK(h_log_has(&t, "config.reload_failed"), "bad file not reported");
	CHECK(fix(t0 + 62, 31.0004, 105.0) == 200, "bad file half-applied");

	/* --check-config says what is wrong, with the line. */
	const char *check[] = { "--config", path, "--check-config", NULL };
	char out[512];
	int rc = h_run_daemon_once(&t, check, out, sizeof out);
	CHECK(rc == 2, "check-config of a bad file exited %d", rc);
	CHECK(h_log_has(&t, "jintongd.conf:2: max_speed_kmh"), "message does not name the line");
}

int main(void)
{
	h_init(&t, "live");
	h_create_operator(&t);
	h_start(&t, NULL);
	h_add_vehicle(&t, "BUS-1");
	char token[128];
	h_add_device(&t, "tab-1", "BUS-1", token);
	t0 = (long long)time(NULL) - 3600;
	jumps();
	restart();
	reload();
	return h_finish(&t);
}
