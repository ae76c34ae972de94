/*
 * GTFS-Flex through the operators' CLI against the real daemon:
 *
 *  - a rural dial-a-ride feed (tests/fixtures/gtfs/heartland-express, from
 *    the GTFS reference's examples) imported without a row refused, and
 *    every booking rule, zone and pickup/drop-off window found again in the
 *    database and in the export, value by value against the fixture's own
 *    files;
 *  - the export imported again with --update: nothing added or changed,
 *    and a second export the same file by file;
 *  - a feed of location groups (stops served on request) with a stop time
 *    giving only its arrival time, imported and exported;
 *  - a feed changed (a rule's message, a window, a new trip) re-imported:
 *    refused without --update, applied with it, and reported as added,
 *    changed and unchanged.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "csv.h"
#include "gtfsfield.h"
#include "fixtures.h"
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

/* Field `col` of row `row` (1-based after the header) of a file, into buf ("" when absent). */
static const char *field(const char *dir, const char *file, size_t row, const char *col, char *buf,
			 size_t size)
{
	size_t len;
	char *data = h_slurp(dir, file, &len);
	buf[0] = '\0';
	struct csv_error ce;
	struct csv *r = data ? csv_open(data, len, &ce) : NULL;
	if (r) {
		int c = csv_column(r, col);
		struct csv_row x;
		for (size_t i = 1; csv_next(r, &x) > 0; i++)
			if (i == row && c >= 0) {
				size_t n;
				const char *v = csv_field(&x, c, &n);
				snprintf(buf, size, "%.*s", v ? (int)n : 0, v ? v : "");
				break;
			}
		csv_close(r);
	}
	free(data);
	return buf;
}

/* Rows after the header in a file, -1 when it is missing. */
static long rows(const char *dir, const char *file)
{
	size_t len;
	char *data = h_slurp(dir, file, &len);
	struct csv_error ce;
	struct csv *r = data ? csv_open(data, len, &ce) : NULL;
	long n = r ? 0 : -1;
	struct csv_row x;
	while (r && csv_next(r, &x) > 0)
		n++;
	if (r)
		csv_close(r);
	free(data);
	return n;
}

/* The row of file whose column key is value (and key2 is value2, when given); 0 if none. */
static size_t find_row(const char *dir, const char *file, const char *key, const char *value,
		       const char *key2, const char *value2)
{
	char a[256], b[256];
	for (long i = 1, n = rows(dir, file); i <= n; i++)
		if (strcmp(field(dir, file, (size_t)i, key, a, sizeof a), value) == 0 &&
		    (!key2 || strcmp(field(dir, file, (size_t)i, key2, b, sizeof b), value2) == 0))
			return (size_t)i;
	return 0;
}

/* Two GTFS times the same ("8:00:00" is "08:00:00"), or both empty. */
static bool same_time(const char *a, const char *b)
{
	int x, y;
	if (!*a || !*b)
		return !*a && !*b;
	return gtfs_parse_time(a, strlen(a), &x) == 0 && gtfs_parse_time(b, strlen(b), &y) == 0 &&
	       x == y;
}

/* Every row of a fixture's file found in the export, column by column (times as times). */
static void same_rows(const char *fixture, const char *exported, const char *file, const char *key,
		      const char *key2, const char *const *cols)
{
	char k1[256], k2[256], a[2048], b[2048];
	long n = rows(fixture, file);
	CHECK(n > 0 && rows(exported, file) == n, "%s: %ld rows, exported %ld", file, n,
	      rows(exported, file));
	for (long i = 1; i <= n; i++) {
		field(fixture, file, (size_t)i, key, k1, sizeof k1);
		if (key2)
			field(fixture, file, (size_t)i, key2, k2, sizeof k2);
		size_t j = find_row(exported, file, key, k1, key2, key2 ? k2 : NULL);
		CHECK(j, "%s: %s %s not exported", file, k1, key2 ? k2 : "");
		for (size_t c = 0; j && cols[c]; c++) {
			field(fixture, file, (size_t)i, cols[c], a, sizeof a);
			field(exported, file, j, cols[c], b, sizeof b);
			bool time = strstr(cols[c], "time") || strstr(cols[c], "window");
			CHECK(time ? same_time(a, b) : strcmp(a, b) == 0, "%s %s: %s \"%s\", exported \"%s\"",
			      file, k1, cols[c], a, b);
		}
	}
}

/* The zones of two locations.geojson the same: ids, names, every position. */
static void same_zones(const char *fixture, const char *exported)
{
	char *a = h_slurp(fixture, "locations.geojson", NULL), *b = h_slurp(exported, "locations.geojson", NULL);
	json_object *x = a ? json_tokener_parse(a) : NULL, *y = b ? json_tokener_parse(b) : NULL;
	json_object *fx = json_object_object_get(x, "features"), *fy = json_object_object_get(y, "features");
	size_t n = fx ? json_object_array_length(fx) : 0;
	CHECK(n == 2 && fy && json_object_array_length(fy) == n, "zones: %zu, exported %zu", n,
	      fy ? json_object_array_length(fy) : 0);
	for (size_t i = 0; i < n; i++) {
		json_object *zx = json_object_array_get_idx(fx, i), *zy = NULL;
		const char *id = json_object_get_string(json_object_object_get(zx, "id"));
		for (size_t k = 0; fy && k < json_object_array_length(fy); k++)
			if (strcmp(json_object_get_string(json_object_object_get(json_object_array_get_idx(fy, k), "id")),
				   id) == 0)
				zy = json_object_array_get_idx(fy, k);
		CHECK(zy, "zone %s not exported", id);
		if (!zy)
			continue;
		json_object *px = json_object_object_get(zx, "properties"),
			    *py = json_object_object_get(zy, "properties");
		CHECK(json_object_equal(px, py), "zone %s: properties %s, exported %s", id,
		      json_object_to_json_string(px), json_object_to_json_string(py));
		json_object *gx = json_object_object_get(zx, "geometry"), *gy = json_object_object_get(zy, "geometry");
		CHECK(strcmp(json_object_get_string(json_object_object_get(gx, "type")),
			     json_object_get_string(json_object_object_get(gy, "type"))) == 0,
		      "zone %s: type", id);
		json_object *rx = json_object_array_get_idx(json_object_object_get(gx, "coordinates"), 0);
		json_object *ry = json_object_array_get_idx(json_object_object_get(gy, "coordinates"), 0);
		size_t m = rx ? json_object_array_length(rx) : 0;
		CHECK(m >= 4 && ry && json_object_array_length(ry) == m, "zone %s: %zu positions", id, m);
		for (size_t p = 0; ry && p < m && p < json_object_array_length(ry); p++)
			for (size_t c = 0; c < 2; c++) {
				double u = json_object_get_double(json_object_array_get_idx(json_object_array_get_idx(rx, p), c));
				double v = json_object_get_double(json_object_array_get_idx(json_object_array_get_idx(ry, p), c));
				CHECK(u == v, "zone %s position %zu: %.10f exported %.10f", id, p, u, v);
			}
	}
	json_object_put(x);
	json_object_put(y);
	free(a);
	free(b);
}

static char fixture[600];

static void heartland(void)
{
	char exp1[600], exp2[600];
	snprintf(exp1, sizeof exp1, "%s/export1", t.tmpdir);
	snprintf(exp2, sizeof exp2, "%s/export2", t.tmpdir);
	int rc = cli("gtfs", "import", fixture, NULL);
	CHECK(rc == 0, "import: %d %s", rc, out);
	CHECK(h_line_with(out, "booking_rules.txt", "1 imported", "0 rejected", NULL) &&
		      h_line_with(out, "locations.geojson", "2 imported", NULL) &&
		      h_line_with(out, "stop_times.txt", "8 imported", "0 rejected", NULL) &&
		      h_line_with(out, "trips.txt", "4 imported", NULL),
	      "summary: %s", out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM line WHERE code = '74362' AND kind = 'on_demand'") == 1,
	      "the route is an on-demand line");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM booking_rule WHERE code = 'booking_route_74362' AND "
			    "kind = 'prior_days' AND start_day = 14 AND start_time = 28800 AND last_day = 1 "
			    "AND last_time = 54000 AND phone = '(507) 359-2717' AND message LIKE "
			    "'Brown County Heartland Express provides%%business day ahead of your trip.'") == 1,
	      "the booking rule stored");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM zone WHERE GeometryType(area) = 'POLYGON'") == 2,
	      "the zones stored as polygons");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM zone WHERE code = 'area_715' AND ST_Contains(area, "
			    "ST_SetSRID(ST_MakePoint(-94.4625, 44.3125), 4326))") == 1,
	      "New Ulm's centre is in its zone");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_time WHERE arrival IS NULL AND window_start IS NOT "
			    "NULL AND pickup_rule_id IS NOT NULL AND drop_off_rule_id IS NOT NULL") == 8,
	      "eight windows with their rules");

	rc = cli("gtfs", "export", exp1, "--days", "30", NULL);
	CHECK(rc == 0 && h_line_with(out, "locations.geojson", "2 zones", NULL), "export: %d %s", rc, out);
	static const char *const rule_cols[] = {
		"booking_type", "prior_notice_start_day", "prior_notice_start_time",
		"prior_notice_last_day", "prior_notice_last_time", "message", "phone_number", "info_url",
		NULL
	};
	same_rows(fixture, exp1, "booking_rules.txt", "booking_rule_id", NULL, rule_cols);
	static const char *const time_cols[] = { "location_id",
						 "start_pickup_drop_off_window",
						 "end_pickup_drop_off_window",
						 "pickup_type",
						 "drop_off_type",
						 "pickup_booking_rule_id",
						 "drop_off_booking_rule_id",
						 "arrival_time",
						 "departure_time",
						 NULL };
	same_rows(fixture, exp1, "stop_times.txt", "trip_id", "stop_sequence", time_cols);
	static const char *const trip_cols[] = { "service_id", NULL };
	same_rows(fixture, exp1, "trips.txt", "trip_id", NULL, trip_cols);
	/*
	 * A Jintong line runs one sequence of places: the trip in the county
	 * zone (area_708) runs on a line of its own made from route 74362.
	 */
	char r1[64], r2[64];
	size_t ra = find_row(exp1, "trips.txt", "trip_id", "t_5374944_b_77497_tn_0", NULL, NULL);
	size_t rb = find_row(exp1, "trips.txt", "trip_id", "t_5374945_b_77497_tn_0", NULL, NULL);
	CHECK(ra && rb && strcmp(field(exp1, "trips.txt", ra, "route_id", r1, sizeof r1), "74362") == 0 &&
		      strcmp(field(exp1, "trips.txt", rb, "route_id", r2, sizeof r2), "74362-2") == 0,
	      "routes of the trips: %s %s", r1, r2);
	same_zones(fixture, exp1);

	/* the export again: the same network, nothing to add or change */
	long long versions = h_sql_num(&t, "SELECT count(*) FROM route_version");
	rc = cli("gtfs", "import", exp1, "--update", NULL);
	CHECK(rc == 0 && h_line_with(out, "trips.txt", "0 added", "0 changed", "4 unchanged", NULL) &&
		      h_line_with(out, "booking_rules.txt", "0 added", "0 changed", "1 unchanged", NULL) &&
		      h_line_with(out, "locations.geojson", "0 added", "0 changed", "2 unchanged", NULL),
	      "re-import of the export: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM route_version") == versions, "no new route version");
	rc = cli("gtfs", "export", exp2, "--days", "30", NULL);
	CHECK(rc == 0, "second export: %d %s", rc, out);
	static const char *const files[] = { "agency.txt",	  "stops.txt",	       "routes.txt",
					     "trips.txt",	  "stop_times.txt",    "calendar_dates.txt",
					     "booking_rules.txt", "locations.geojson" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *a = h_slurp(exp1, files[i], NULL), *b = h_slurp(exp2, files[i], NULL);
		CHECK(a && b && strcmp(a, b) == 0, "%s differs between the two exports", files[i]);
		free(a);
		free(b);
	}
}

static void groups(void)
{
	char dir[600], exp[600], p[700];
	snprintf(dir, sizeof dir, "%s/groups", t.tmpdir);
	snprintf(exp, sizeof exp, "%s/groups-export", t.tmpdir);
	mkdir(dir, 0777);
	static const char *const feed[][2] = {
		{ "agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
				"UVG,Uckermärkische Verkehrsgesellschaft,https://uvg-online.com/,Europe/Berlin\n" },
		{ "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n"
			       "A1,Angermünde Bahnhof,53.0155,13.9926\nA2,Angermünde Markt,53.0163,13.9989\n"
			       "A3,Greiffenberg,53.0945,13.9422\nA4,Schmargendorf,52.9934,14.0571\n" },
		{ "routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\n"
				"476,UVG,476,RufBus 476,715\nB1,UVG,460,Angermünde - Greiffenberg,3\n" },
		{ "calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
				  "start_date,end_date\nWD,1,1,1,1,1,0,0,20240101,20351231\n"
				  "WE,0,0,0,0,0,1,1,20240101,20351231\n" },
		{ "trips.txt", "route_id,service_id,trip_id\n476,WD,476_weekdays\n476,WE,476_weekends\n"
			       "B1,WD,B1-0700\n" },
		{ "location_groups.txt", "location_group_id,location_group_name\n"
					 "476_stops,durch den RufBus 476 bedientes Gebiet\n" },
		{ "location_group_stops.txt", "location_group_id,stop_id\n476_stops,A1\n476_stops,A2\n"
					      "476_stops,A3\n" },
		{ "booking_rules.txt", "booking_rule_id,booking_type,prior_notice_duration_min,message,"
				       "phone_number,info_url\nrufbus_weekdays,1,60,\"Anmeldung mind. 60min "
				       "vorher erforderlich\",+49 3332 442 755,"
				       "https://uvg-online.com/rufbus-angermuende/\n" },
		/* B1-0700 gives only an arrival at its middle stop: the departure is the same */
		{ "stop_times.txt",
		  "trip_id,stop_sequence,stop_id,location_group_id,arrival_time,departure_time,"
		  "start_pickup_drop_off_window,end_pickup_drop_off_window,pickup_type,drop_off_type,"
		  "pickup_booking_rule_id,drop_off_booking_rule_id\n"
		  "476_weekdays,1,,476_stops,,,17:30:00,22:00:00,2,1,rufbus_weekdays,\n"
		  "476_weekdays,2,,476_stops,,,17:30:00,22:00:00,1,2,,rufbus_weekdays\n"
		  "476_weekends,1,,476_stops,,,08:00:00,22:00:00,2,1,rufbus_weekdays,\n"
		  "476_weekends,2,,476_stops,,,08:00:00,22:00:00,1,2,,rufbus_weekdays\n"
		  "B1-0700,1,A2,,07:00:00,07:00:00,,,,,,\n"
		  "B1-0700,2,A1,,07:10:00,,,,,,,\n"
		  "B1-0700,3,A3,,,07:40:00,,,,,,\n" },
	};
	for (size_t i = 0; i < sizeof feed / sizeof *feed; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, feed[i][0]);
		FILE *f = fopen(p, "w");
		REQUIRE(f, "writing %s", p);
		fputs(feed[i][1], f);
		fclose(f);
	}
	int rc = cli("gtfs", "import", dir, NULL);
	CHECK(rc == 0 && h_line_with(out, "location_group_stops.txt", "3 imported", NULL) &&
		      h_line_with(out, "stop_times.txt", "7 imported", "0 rejected", NULL),
	      "import groups: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT arrival::bigint * 100000 + departure FROM stop_time st JOIN trip t ON "
			    "t.id = st.trip_id WHERE t.code = 'B1-0700' AND seq = 2") ==
		      (7 * 3600 + 600) * 100000LL + 7 * 3600 + 600,
	      "a stop time with only its arrival");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM line WHERE code = '476' AND kind = 'on_demand'") == 1 &&
		      h_sql_num(&t, "SELECT count(*) FROM line WHERE code = 'B1' AND kind = 'scheduled'") == 1,
	      "line kinds");
	rc = cli("gtfs", "export", exp, "--days", "30", NULL);
	CHECK(rc == 0, "export groups: %d %s", rc, out);
	static const char *const group_cols[] = { "location_group_name", NULL };
	same_rows(dir, exp, "location_groups.txt", "location_group_id", NULL, group_cols);
	static const char *const none[] = { NULL };
	same_rows(dir, exp, "location_group_stops.txt", "location_group_id", "stop_id", none);
	static const char *const time_cols[] = { "location_group_id",
						 "start_pickup_drop_off_window",
						 "end_pickup_drop_off_window",
						 "pickup_type",
						 "drop_off_type",
						 "pickup_booking_rule_id",
						 "drop_off_booking_rule_id",
						 NULL };
	for (size_t row = 1; row <= 4; row++) {
		char a[256], b[256], trip[64], seq[16];
		field(dir, "stop_times.txt", row, "trip_id", trip, sizeof trip);
		field(dir, "stop_times.txt", row, "stop_sequence", seq, sizeof seq);
		size_t j = find_row(exp, "stop_times.txt", "trip_id", trip, "stop_sequence", seq);
		CHECK(j, "%s %s not exported", trip, seq);
		for (size_t c = 0; j && time_cols[c]; c++)
			CHECK(strcmp(field(dir, "stop_times.txt", row, time_cols[c], a, sizeof a),
				     field(exp, "stop_times.txt", j, time_cols[c], b, sizeof b)) == 0,
			      "%s %s %s: \"%s\", exported \"%s\"", trip, seq, time_cols[c], a, b);
	}
	char dep[32];
	size_t j = find_row(exp, "stop_times.txt", "trip_id", "B1-0700", "stop_sequence", "3");
	CHECK(j && strcmp(field(exp, "stop_times.txt", j, "arrival_time", dep, sizeof dep), "07:40:00") == 0,
	      "the departure stands for the arrival: %s", dep);
}

/* A copy of the fixture with the given file replaced. */
static void changed_copy(const char *dir, const char *name, const char *text)
{
	static const char *const files[] = { "agency.txt", "routes.txt",	  "calendar.txt",
					     "trips.txt",  "booking_rules.txt", "stop_times.txt",
					     "locations.geojson" };
	char p[700];
	mkdir(dir, 0777);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *data = h_slurp(fixture, files[i], NULL);
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		FILE *f = fopen(p, "w");
		REQUIRE(f && data, "copying %s", files[i]);
		fputs(strcmp(files[i], name) == 0 ? text : data, f);
		fclose(f);
		free(data);
	}
}

static void update(void)
{
	char dir[600], p[700];
	snprintf(dir, sizeof dir, "%s/changed", t.tmpdir);
	changed_copy(dir, "booking_rules.txt",
		     "booking_rule_id,booking_type,prior_notice_start_day,prior_notice_start_time,"
		     "prior_notice_last_day,prior_notice_last_time,message,phone_number,info_url\n"
		     "booking_route_74362,2,14,8:00:00,1,16:00:00,Call by 4pm the day before.,"
		     "(507) 359-2717,https://www.co.brown.mn.us/heartland-express-transit\n");
	/* one window later, and a new Saturday trip */
	char *times = h_slurp(fixture, "stop_times.txt", NULL), *trips = h_slurp(fixture, "trips.txt", NULL);
	REQUIRE(times && trips, "fixture");
	char *w = strstr(times, "t_5374947_b_77497_tn_0,area_715,2,08:00:00,12:45:00");
	REQUIRE(w, "the window to change");
	memcpy(strstr(w, "12:45:00"), "13:15:00", 8);
	snprintf(p, sizeof p, "%s/stop_times.txt", dir);
	FILE *f = fopen(p, "w");
	REQUIRE(f, "stop_times");
	fprintf(f, "%st_sat,area_715,1,09:00:00,12:00:00,2,1,booking_route_74362,\n"
		   "t_sat,area_715,2,09:00:00,12:00:00,1,2,,booking_route_74362\n",
		times);
	fclose(f);
	snprintf(p, sizeof p, "%s/trips.txt", dir);
	f = fopen(p, "w");
	REQUIRE(f, "trips");
	fprintf(f, "%s74362,c_67295_b_77497_d_64,t_sat\n", trips);
	fclose(f);
	free(times);
	free(trips);

	long long audits = h_sql_num(&t, "SELECT count(*) FROM audit");
	int rc = cli("gtfs", "import", dir, NULL);
	CHECK(rc == 2 && strstr(out, "refused by the daemon"), "without --update: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT last_time FROM booking_rule WHERE code = 'booking_route_74362'") ==
		      54000,
	      "nothing changed");
	rc = cli("gtfs", "import", dir, "--update", NULL);
	CHECK(rc == 0 && h_line_with(out, "booking_rules.txt", "0 added", "1 changed", "0 unchanged", NULL) &&
		      h_line_with(out, "trips.txt", "1 added", "1 changed", "3 unchanged", NULL) &&
		      h_line_with(out, "locations.geojson", "0 added", "0 changed", "2 unchanged", NULL),
	      "with --update: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT last_time FROM booking_rule WHERE code = 'booking_route_74362'") ==
			      16 * 3600 &&
		      h_sql_num(&t, "SELECT count(*) FROM booking_rule WHERE message = 'Call by 4pm the "
				    "day before.'") == 1,
	      "the rule changed");
	CHECK(h_sql_num(&t, "SELECT window_end FROM stop_time st JOIN trip t ON t.id = st.trip_id "
			    "WHERE t.code = 't_5374947_b_77497_tn_0' AND seq = 2") == 13 * 3600 + 900,
	      "the window changed");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM trip WHERE code = 't_sat'") == 1, "the trip added");
	/* the rule and the trip changed, the trip added: nothing else written */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit") - audits == 3,
	      "only the changes audited: %lld new rows",
	      h_sql_num(&t, "SELECT count(*) FROM audit") - audits);
}

int main(void)
{
	h_init(&t, "gtfs_flex");
	if (!getenv("JINTONG_CLI") || !getenv("JINTONG_SOURCE_DIR"))
		return 77;
	snprintf(fixture, sizeof fixture, "%s/tests/fixtures/gtfs/heartland-express",
		 getenv("JINTONG_SOURCE_DIR"));
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	heartland();
	groups();
	update();
	return h_finish(&t);
}
