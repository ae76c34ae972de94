/*
 * A simulated day: jintongd started with clock_start (tomorrow 06:00 in the
 * county) and clock_rate 60 says so in its log and on /healthz, keeps a fix
 * dated in simulated time and refuses one dated at the wall clock as too
 * old, and lets an unconfirmed offer expire after offer_hold_s simulated
 * seconds — ten simulated minutes, which pass in seconds of real time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"

static struct h_test t;
static char tomorrow[16];

/* The number after "key": in a JSON text, or -1. */
static long long number_of(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(json, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

static void network(void)
{
	char b[4096], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(30, later, sizeof later);
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201, "line: %s", b);
	const char *stops[] = { "A", "B", "C" };
	for (int i = 0; i < 3; i++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%s\",\"name\":\"%s\",\"kind\":\"roadside\",\"lat\":%.2f,\"lon\":104.5}",
			 stops[i], stops[i], 30.0 + i * 0.01);
		h_call(&t, "POST", "/v1/admin/stops", json, b, sizeof b);
	}
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", "{\"stops\":[\"A\",\"B\",\"C\"]}", b, sizeof b) == 201,
	      "route: %s", b);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}",
		 today, later);
	CHECK(h_call(&t, "POST", "/v1/admin/calendars", json, b, sizeof b) == 201, "calendar: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"07:00\",\"last\":\"09:00\",\"every\":\"1h\"}", b,
		   sizeof b) == 201, "timetable: %s", b);
}

/* GET /healthz's clock.now_ms, or -1. */
static long long county_now(char *b, size_t len)
{
	struct h_resp r;
	h_http(&t, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
	snprintf(b, len, "%s", r.body ? r.body : "");
	h_resp_free(&r);
	return number_of(b, "now_ms");
}

static long osmand(long long ms)
{
	char path[256];
	snprintf(path, sizeof path, "/?id=tab-1&lat=30.01&lon=104.5&timestamp=%lld", ms / 1000);
	struct h_resp r;
	h_http(&t, "GET", path, NULL, NULL, NULL, 0, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

int main(void)
{
	char start[40], b[8192], token[128];
	h_init(&t, "simclock");
	h_create_operator(&t);
	h_county_date(1, tomorrow, sizeof tomorrow);
	snprintf(start, sizeof start, "%sT06:00:00+08:00", tomorrow);
	const char *args[] = { "--clock-start", start, "--clock-rate", "60", "--offer-hold-s", "600",
			       "--fix-max-age-h", "1", NULL };
	h_start(&t, args);
	CHECK(h_log_has(&t, "clock.simulated"), "the log warns of the simulated clock");

	/* The clock: tomorrow 06:00 in the county (22:00 UTC today), moving 60 times faster. */
	struct tm tm = { 0 };
	int y, m, d;
	REQUIRE(sscanf(tomorrow, "%d-%d-%d", &y, &m, &d) == 3, "date %s", tomorrow);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	long long start_ms = ((long long)timegm(&tm) - 2 * 3600) * 1000; /* 06:00 at UTC+8 */
	long long wall = (long long)time(NULL) * 1000;
	long long now = county_now(b, sizeof b);
	CHECK(strstr(b, "\"simulated\":true") && number_of(b, "start_ms") == start_ms &&
		      number_of(b, "rate") == 60, "healthz: %s", b);
	CHECK(now >= start_ms && now < start_ms + 3600 * 1000, "county now %lld, start %lld: %s", now, start_ms, b);

	/* A tablet's fix at the county's time is kept; one at the wall clock is a day old. */
	h_add_vehicle(&t, "BUS-1");
	h_add_device(&t, "tab-1", "BUS-1", token);
	now = county_now(b, sizeof b);
	CHECK(osmand(now) == 200, "a fix at simulated %lld", now);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)", now / 1000) == 1,
	      "the fix dated in simulated time is stored");
	CHECK(osmand(wall) != 200, "a fix at the wall clock is refused as too old");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)", wall / 1000) == 0,
	      "the fix dated at the wall clock is not stored");

	/* An offer held ten simulated minutes expires on the simulated clock. */
	network();
	char json[512];
	snprintf(json, sizeof json,
		 "{\"rider\":\"r1\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"C\"},\"leave_after\":\"%sT08:30\"}",
		 tomorrow);
	struct h_resp r;
	h_http(&t, "POST", "/v1/rides", "application/json", t.op_token, json, strlen(json), &r);
	snprintf(b, sizeof b, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	REQUIRE(st == 201 && strstr(b, "\"state\":\"offered\""), "booking: %ld %s", st, b);
	const char *idp = strstr(b, "\"id\":\"");
	long long id = idp ? strtoll(idp + 6, NULL, 10) : -1;
	REQUIRE(id > 0, "ride id in %s", b);
	CHECK(h_sql_num(&t, "SELECT round(extract(epoch FROM offer_expires - created_at)) FROM ride WHERE id = %lld",
			id) == 600, "held for offer_hold_s of the county's time");
	char path[64], state[8192] = "";
	snprintf(path, sizeof path, "/v1/rides/%lld", id);
	/* Ten simulated minutes are ten real seconds; on the wall clock they would be ten minutes. */
	time_t give_up = time(NULL) + 45;
	bool expired = false;
	while (!expired && time(NULL) < give_up) {
		h_http(&t, "GET", path, NULL, t.op_token, NULL, 0, &r);
		snprintf(state, sizeof state, "%s", r.body ? r.body : "");
		h_resp_free(&r);
		expired = strstr(state, "\"state\":\"expired\"") != NULL;
		if (!expired) {
			struct timespec poll = { 0, 200 * 1000 * 1000 };
			nanosleep(&poll, NULL); /* between looks at the ride, not a wait for it */
		}
	}
	CHECK(expired, "the offer expired within 45 s of real time: %s", state);
	long long expired_ms = county_now(b, sizeof b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %lld AND to_state = 'expired'"
			    " AND at >= (SELECT offer_expires FROM ride WHERE id = %lld)"
			    " AND at <= to_timestamp(%lld / 1000.0)", id, id, expired_ms) == 1,
	      "the expiry is dated in the county's time, after the hold");
	return h_finish(&t);
}
