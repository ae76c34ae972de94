/*
 * Drawing and redrawing a line's route: versions with their stops, shape and
 * date, a diff of what changed, refusals (unknown or repeated stops, dates in
 * the past, bad shapes), stops and lines that history keeps, and all of it
 * after a restart.
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
	char b[2048];
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"石桥客运\"}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201,
	      "line: %s", b);
	const char *stops[] = { "A", "B", "C", "D", "E" };
	for (int i = 0; i < 5; i++) {
		char json[256];
		snprintf(json, sizeof json,
			 "{\"code\":\"%s\",\"name\":\"站%s\",\"kind\":\"roadside\",\"lat\":%.3f,\"lon\":104.5}",
			 stops[i], stops[i], 30.0 + i * 0.01);
		CHECK(h_call(&t, "POST", "/v1/admin/stops", json, b, sizeof b) == 201, "stop %s: %s", stops[i], b);
	}
}

int main(void)
{
	h_init(&t, "routes");
	h_create_operator(&t);
	h_start(&t, NULL);
	setup();
	char b[8192], today[16], later[16], past[16], json[1024];
	h_county_date(0, today, sizeof today);
	h_county_date(30, later, sizeof later);
	h_county_date(-1, past, sizeof past);

	CHECK(h_call(&t, "GET", "/v1/admin/lines/L1/routes", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"routes\":[]") && strstr(b, "\"in_effect\":null"),
	      "no routes yet: %s", b);
	/* The county's day, as the daemon counts it, is what clients date things by. */
	CHECK(h_call(&t, "GET", "/v1/admin/info", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"timezone\":\"Asia/Shanghai\"") && strstr(b, today),
	      "info: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes",
		   "{\"stops\":[\"A\",\"B\",\"C\"],\"shape\":[[30.0,104.5],[30.01,104.51],[30.02,104.5]]}",
		   b, sizeof b) == 201 &&
		      strstr(b, "\"version\":1") && strstr(b, today) &&
		      strstr(b, "\"previous_version\":null"),
	      "draw: %s", b);
	CHECK(h_sql_num(&t, "SELECT ST_NPoints(shape) FROM route_version WHERE version = 1") == 3,
	      "shape stored as a LineString");

	snprintf(json, sizeof json, "{\"stops\":[\"A\",\"C\",\"B\",\"D\"],\"from\":\"%s\"}", later);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", json, b, sizeof b) == 201 &&
		      strstr(b, "\"version\":2") && strstr(b, "\"added\":[\"D\"]") &&
		      strstr(b, "\"removed\":[]") && strstr(b, "\"reordered\":true") &&
		      strstr(b, "\"previous_version\":1"),
	      "redraw diff: %s", b);
	/* Version 1 stays in effect until version 2's date. */
	CHECK(h_call(&t, "GET", "/v1/admin/lines/L1/routes", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"in_effect\":1"),
	      "in effect: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/lines/L1/routes/2", NULL, b, sizeof b) == 200 &&
		      strstr(b, "[\"A\",\"C\",\"B\",\"D\"]") && strstr(b, "\"shape\":null"),
	      "version 2: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/lines/L1/routes/3", NULL, b, sizeof b) == 404, "no version 3");

	struct {
		const char *json, *says;
	} bad[] = {
		{ "{\"stops\":[\"A\"]}", "at least two stops" },
		{ "{\"stops\":[\"A\",\"Z\"]}", "Z, does not exist" },
		{ "{\"stops\":[\"A\",\"B\",\"B\",\"C\"]}", "twice in a row" },
		{ "{\"stops\":\"A,B\"}", "list of stop codes" },
		{ "{\"stops\":[\"A\",\"B\"],\"from\":\"2026-02-30\"}", "YYYY-MM-DD" },
		{ "{\"stops\":[\"A\",\"B\"],\"shape\":[[30,104]]}", "2 to" },
		{ "{\"stops\":[\"A\",\"B\"],\"shape\":[[30,104],[95,104]]}", "not a place" },
		{ "{\"stops\":[\"A\",\"B\"],\"shape\":[[30,104],\"x\"]}", "[lat, lon] pairs" },
		{ "{\"stops\":[\"A\",\"B\"],\"via\":1}", "no field 'via'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", bad[i].json, b, sizeof b) == 400 &&
			      strstr(b, bad[i].says),
		      "%s: %s", bad[i].json, b);
	snprintf(json, sizeof json, "{\"stops\":[\"A\",\"B\"],\"from\":\"%s\"}", past);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", json, b, sizeof b) == 400 &&
		      strstr(b, "in the past"),
	      "past date: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L9/routes", "{\"stops\":[\"A\",\"B\"]}", b, sizeof b) == 404,
	      "unknown line");
	CHECK(h_call(&t, "PATCH", "/v1/admin/lines/L1/routes/1", "{}", b, sizeof b) == 405,
	      "versions never change: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM route_version") == 2, "refusals stored versions");

	/* History keeps its stops and its line. */
	CHECK(h_call(&t, "DELETE", "/v1/admin/stops/B", NULL, b, sizeof b) == 409 && strstr(b, "L1 v1") &&
		      strstr(b, "redraw"),
	      "stop on a route removed: %s", b);
	CHECK(h_call(&t, "DELETE", "/v1/admin/stops/E", NULL, b, sizeof b) == 200, "unused stop: %s", b);
	CHECK(h_call(&t, "DELETE", "/v1/admin/lines/L1", NULL, b, sizeof b) == 409 && strstr(b, "history"),
	      "line with routes removed: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'route'") == 2, "routes audited");

	/* Only the shape changes, then nothing at all. */
	snprintf(json, sizeof json,
		 "{\"stops\":[\"A\",\"C\",\"B\",\"D\"],\"from\":\"%s\",\"shape\":[[30.0,104.5],[30.03,104.5]]}",
		 later);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", json, b, sizeof b) == 201 &&
		      strstr(b, "\"added\":[]") && strstr(b, "\"removed\":[]") &&
		      strstr(b, "\"reordered\":false") && strstr(b, "\"shape_changed\":true"),
	      "shape drawn: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", json, b, sizeof b) == 201 &&
		      strstr(b, "\"version\":4") && strstr(b, "\"shape_changed\":false"),
	      "same again: %s", b);

	char before[8192], after[8192];
	h_call(&t, "GET", "/v1/admin/lines/L1/routes", NULL, before, sizeof before);
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	h_call(&t, "GET", "/v1/admin/lines/L1/routes", NULL, after, sizeof after);
	CHECK(strcmp(before, after) == 0, "routes differ after restart:\n%s\n%s", before, after);
	return h_finish(&t);
}
