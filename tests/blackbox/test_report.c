/*
 * A day's report: from trips run, stop events, rider counts and rides stored
 * for one day (and decoys on the day before), `jintong report DATE` prints
 * the punctuality by line, the rides by hour, the peak load by trip and the
 * totals, and --svg draws one bar per line, hour and trip.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[65536];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void slurp(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

int main(void)
{
	h_init(&t, "report");
	if (!getenv("JINTONG_CLI"))
		return 77;
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);
	h_add_vehicle(&t, "BUS-1");
	REQUIRE(h_sql_exec(&t, "UPDATE vehicle SET seats = 20 WHERE code = 'BUS-1'") == 0, "seats");
	char day[16], before[16];
	h_county_date(-1, day, sizeof day);
	h_county_date(-2, before, sizeof before);

	/* Line L1: arrivals 0 s, 120 s, 400 s late and 30 s early: 3 of 4 on time, mean 122 s (122.5 rounds to 123?) */
	REQUIRE(h_sql_exec(&t,
			   "WITH r AS (INSERT INTO trip_run (trip_code, line_code, service_day, vehicle_id, started_at,"
			   " ended_at, ended_how, km) VALUES ('T1', 'L1', '%s', (SELECT id FROM vehicle WHERE code = 'BUS-1'),"
			   " '%s 07:00+08', '%s 08:00+08', 'completed', 21.5) RETURNING id)"
			   " INSERT INTO stop_event (trip_run_id, stop_seq, stop_code, kind, planned, actual, estimated)"
			   " SELECT r.id, x.seq, 'S' || x.seq, 'arrival', '%s 07:00+08'::timestamptz + x.seq * interval '10 min',"
			   " '%s 07:00+08'::timestamptz + x.seq * interval '10 min' + x.late * interval '1 second', false"
			   " FROM r, (VALUES (1, 0), (2, 120), (3, 400), (4, -30)) AS x(seq, late)",
			   day, day, day, day, day) == 0,
		"line L1");
	/* Line L2: one arrival 10 min late; its trip counted 5 aboard, then 3 more, then 6 off: peak 8 of 20. */
	REQUIRE(h_sql_exec(&t,
			   "WITH r AS (INSERT INTO trip_run (trip_code, line_code, service_day, vehicle_id, started_at,"
			   " ended_at, ended_how, km) VALUES ('T2', 'L2', '%s', (SELECT id FROM vehicle WHERE code = 'BUS-1'),"
			   " '%s 09:00+08', '%s 10:00+08', 'completed', 10) RETURNING id),"
			   " c AS (INSERT INTO stop_count (trip_run_id, stop_seq, stop_code, boarded, alighted, reported_by)"
			   " SELECT r.id, x.seq, 'S' || x.seq, x.b, x.a, 'test' FROM r, (VALUES (1, 5, 0), (2, 3, 0), (3, 0, 6))"
			   " AS x(seq, b, a))"
			   " INSERT INTO stop_event (trip_run_id, stop_seq, stop_code, kind, planned, actual, estimated)"
			   " SELECT r.id, 2, 'S2', 'arrival', '%s 09:20+08', '%s 09:30+08', false FROM r",
			   day, day, day, day, day) == 0,
		"line L2");
	/* The day before: a decoy run that must not count. */
	REQUIRE(h_sql_exec(&t,
			   "INSERT INTO trip_run (trip_code, line_code, service_day, vehicle_id, started_at, km)"
			   " VALUES ('T9', 'L9', '%s', (SELECT id FROM vehicle WHERE code = 'BUS-1'), '%s 07:00+08', 99)",
			   before, before) == 0,
		"decoy");
	/* Rides: two at 08:xx (one seat, one refused), one van ride at 17:xx with 30 L of parcels, one the day before. */
	const char *rides[][4] = {
		{ "08:10", "confirmed", "trip", "0" },
		{ "08:40", "refused", "none", "0" },
		{ "17:05", "completed", "vehicle", "30" },
	};
	for (size_t i = 0; i < 4; i++) {
		const char *const *r = i < 3 ? rides[i] : (const char *const[]){ "08:00", "confirmed", "trip", "0" };
		const char *when = i < 3 ? day : before;
		REQUIRE(h_sql_exec(&t,
				   "INSERT INTO ride (rider, state, origin, destination, origin_kind, dest_kind, arrive_by,"
				   " asked_time, passengers, parcels_l, service, trip_code, service_day, board_seq, alight_seq,"
				   " shift_code, pickup_from, pickup_to, dropoff_by, booked_by, created_at, updated_at)"
				   " VALUES ('r%zu', '%s', ST_SetSRID(ST_MakePoint(104.5, 30), 4326),"
				   " ST_SetSRID(ST_MakePoint(104.6, 30.1), 4326), 'point', 'point', false, '%s %s+08', 1, %s,"
				   " '%s', CASE WHEN '%s' = 'trip' THEN 'T1' END, '%s', 0, 1,"
				   " CASE WHEN '%s' = 'vehicle' THEN 'DRT-1' END, '%s %s+08', '%s %s+08', '%s 23:00+08',"
				   " 'test', now(), now())",
				   i, r[1], when, r[0], r[3], r[2], r[2], when, r[2], when, r[0], when, r[0], when) == 0,
			"ride %zu", i);
	}

	char dir[512];
	snprintf(dir, sizeof dir, "%s/charts", t.tmpdir);
	CHECK(cli("report", day, "--svg", dir, NULL) == 0, "report: %s", out);
	CHECK(h_line_with(out, "trips run", "2,", "31.5 vehicle-km", NULL), "trips and km: %s", out);
	CHECK(h_line_with(out, "on time", "60.0%", "of 5 arrivals", NULL), "3 of 5 on time: %s", out);
	CHECK(h_line_with(out, "rides", "3 requested", "2 served", "66.7%", "1 refused", "1 completed", NULL),
	      "rides: %s", out);
	CHECK(h_line_with(out, "parcels", "30 L", NULL), "parcels: %s", out);
	CHECK(h_line_with(out, "L1", "4", "75.0%", NULL) && h_line_with(out, "L2", "1", "0.0%", "600 s", NULL),
	      "by line: %s", out);
	CHECK(!strstr(out, "L9") && !strstr(out, "T9"), "the day before stays out: %s", out);
	CHECK(h_line_with(out, "08", "2", "1", "1", NULL) && h_line_with(out, "17", "1", "1", "0", NULL), "by hour: %s",
	      out);
	CHECK(h_line_with(out, "T2", "BUS-1", "8", "20", NULL), "peak load: %s", out);

	static char svg[65536];
	char path[700];
	snprintf(path, sizeof path, "%s/punctuality.svg", dir);
	slurp(path, svg, sizeof svg);
	CHECK(count(svg, "<rect class=\"bar\"") == 2 && strstr(svg, ">L1<") && strstr(svg, "<svg "),
	      "a bar per line: %s", svg);
	snprintf(path, sizeof path, "%s/demand.svg", dir);
	slurp(path, svg, sizeof svg);
	CHECK(count(svg, "<rect class=\"bar\"") == 2 && count(svg, "<rect class=\"bar2\"") == 2 && strstr(svg, ">17<"),
	      "requested and served per hour: %s", svg);
	snprintf(path, sizeof path, "%s/load.svg", dir);
	slurp(path, svg, sizeof svg);
	CHECK(count(svg, "<rect class=\"bar\"") == 1 && strstr(svg, ">T2<"), "a bar per counted trip: %s", svg);

	CHECK(cli("report", "yesterday", NULL) == 2, "a bad date: %s", out);
	CHECK(cli("--json", "report", day, NULL) == 0 && strstr(out, "\"punctuality\""), "json: %s", out);
	return h_finish(&t);
}
