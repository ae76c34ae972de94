/*
 * Trips and timetables: a timetable generated from first and last departures
 * and a headway, trips added with their own times, and the refusals that keep
 * a network sane — times that go backwards, a vehicle block whose trips
 * overlap, a calendar still in use. All of it survives a restart.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"

static struct h_test t;

static void setup(void)
{
	char b[4096], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201, "line: %s", b);
	/* Three stops about 1.1 km apart. */
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
}

int main(void)
{
	h_init(&t, "trips");
	h_create_operator(&t);
	h_start(&t, NULL);
	setup();
	static char b[65536];

	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"06:30\",\"last\":\"08:00\",\"every\":\"30m\"}", b,
		   sizeof b) == 201,
	      "timetable: %s", b);
	CHECK(strstr(b, "\"code\":\"L1-0630\"") && strstr(b, "\"code\":\"L1-0800\"") &&
		      !strstr(b, "L1-0830"),
	      "four departures: %s", b);
	/* 1.1 km of winding road at 30 km/h is 3 minutes; 30 s at the middle stop. */
	CHECK(strstr(b, "{\"stop\":\"A\",\"arrival\":\"06:30:00\",\"departure\":\"06:30:00\"},"
			"{\"stop\":\"B\",\"arrival\":\"06:33:00\",\"departure\":\"06:33:30\"},"
			"{\"stop\":\"C\",\"arrival\":\"06:36:30\",\"departure\":\"06:36:30\"}"),
	      "running times: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_time") == 12, "stop times stored");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'trip'") == 4, "trips audited");
	CHECK(h_call(&t, "GET", "/v1/admin/trips?line=L1", NULL, b, sizeof b) == 200 && strstr(b, "L1-0700"),
	      "list: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"06:30\",\"last\":\"06:30\",\"every\":\"1h\"}", b,
		   sizeof b) == 409 && strstr(b, "L1-0630"),
	      "timetable over existing trips: %s", b);

	struct {
		const char *path, *json, *says;
	} bad[] = {
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[\"07:00\",\"06:50\",\"07:10\"]}", "times go backwards" },
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[[\"07:00\",\"06:59\"],\"07:05\",\"07:10\"]}", "before it arrives" },
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[\"07:00\",\"07:05\"]}", "each of the route's 3 stops" },
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[\"07:00\",\"7:5\",\"07:10\"]}", "HH:MM" },
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"NOPE\",\"times\":[\"07:00\",\"07:05\",\"07:10\"]}", "no calendar NOPE" },
		{ "/v1/admin/trips", "{\"code\":\"T1\",\"line\":\"L1\",\"version\":7,\"calendar\":\"DAILY\",\"times\":[\"07:00\",\"07:05\",\"07:10\"]}", "no route version 7" },
		{ "/v1/admin/lines/L1/timetable", "{\"calendar\":\"DAILY\",\"first\":\"09:00\",\"last\":\"08:00\",\"every\":\"30m\"}", "last not before first" },
		{ "/v1/admin/lines/L1/timetable", "{\"calendar\":\"DAILY\",\"first\":\"09:00\",\"last\":\"10:00\",\"every\":\"often\"}", "headway" },
		/* One vehicle cannot run trips five minutes apart that each take six. */
		{ "/v1/admin/lines/L1/timetable", "{\"calendar\":\"DAILY\",\"first\":\"09:00\",\"last\":\"09:10\",\"every\":\"5m\",\"block\":\"B1\"}", "overlaps" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(h_call(&t, "POST", bad[i].path, bad[i].json, b, sizeof b) == 400 && strstr(b, bad[i].says),
		      "%s: %s", bad[i].json, b);

	/* Blocks: two trips of one vehicle that do not overlap are fine; a third that does is not. */
	CHECK(h_call(&t, "POST", "/v1/admin/trips",
		   "{\"code\":\"X1\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"block\":\"B2\",\"times\":[\"10:00\",\"10:10\",\"10:20\"]}",
		   b, sizeof b) == 201, "X1: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/trips",
		   "{\"code\":\"X2\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"block\":\"B2\",\"times\":[\"10:20\",\"10:30\",\"10:40\"]}",
		   b, sizeof b) == 201, "X2 right after X1: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/trips",
		   "{\"code\":\"X3\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"block\":\"B2\",\"times\":[\"10:15\",\"10:25\",\"10:35\"]}",
		   b, sizeof b) == 400 && strstr(b, "block B2") && (strstr(b, "trip X1") || strstr(b, "trip X2")),
	      "overlapping block: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/trips",
		   "{\"code\":\"X3\",\"line\":\"L1\",\"calendar\":\"DAILY\",\"times\":[\"23:50\",\"24:05\",[\"24:20\",\"24:20:00\"]]}",
		   b, sizeof b) == 201 && strstr(b, "24:20:00"),
	      "after midnight: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM trip") == 7, "refused trips stored");

	CHECK(h_call(&t, "DELETE", "/v1/admin/calendars/DAILY", NULL, b, sizeof b) == 409 &&
		      strstr(b, "used by 7 trips"),
	      "calendar in use: %s", b);
	CHECK(h_call(&t, "DELETE", "/v1/admin/trips/X3", NULL, b, sizeof b) == 200 && strstr(b, "\"removed\""),
	      "remove: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/trips/X3", NULL, b, sizeof b) == 404, "removed trip");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_time st JOIN trip t ON t.id = st.trip_id") == 18,
	      "stop times follow their trip");

	static char before[65536], after[65536];
	h_call(&t, "GET", "/v1/admin/trips", NULL, before, sizeof before);
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	h_call(&t, "GET", "/v1/admin/trips", NULL, after, sizeof after);
	CHECK(strcmp(before, after) == 0, "trips differ after restart:\n%s\n%s", before, after);
	return h_finish(&t);
}
