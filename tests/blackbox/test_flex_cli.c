/*
 * On-demand service through the operators' CLI against the real daemon:
 * booking rules, location groups and zones added, listed, shown, changed
 * and removed, with what is refused (a rule against the GTFS-Flex
 * conditions, a group of unknown stops, an area that is not one, a code
 * another place has, a place a route goes through, a stop a group holds);
 * an on-demand line drawn through a group and a zone and its trips given
 * windows; and `trip edit` with the checks of adding (times running
 * backwards, a block overlapping itself), an edit that changes nothing not
 * audited, and the change surviving a restart of the daemon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[32768];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

static void setup(void)
{
	char today[16];
	h_county_date(0, today, sizeof today);
	int rc = cli("operator", "add", "OP1", "--name", "石桥客运", NULL);
	CHECK(rc == 0, "operator: %d %s", rc, out);
	rc = cli("line", "add", "L1", "--name", "县城—石桥", "--kind", "scheduled", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0, "line: %d %s", rc, out);
	rc = cli("line", "add", "DRT", "--name", "石桥预约车", "--kind", "on_demand", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0, "on-demand line: %d %s", rc, out);
	static const char *const stops[][3] = {
		{ "S1", "县城车站", "30.000" }, { "S2", "青龙桥", "30.050" }, { "S3", "白云村", "30.100" },
	};
	for (size_t i = 0; i < 3; i++) {
		char at[32];
		snprintf(at, sizeof at, "%s,104.5", stops[i][2]);
		rc = cli("stop", "add", stops[i][0], "--name", stops[i][1], "--kind", "roadside", "--at",
			 at, NULL);
		CHECK(rc == 0, "stop %s: %d %s", stops[i][0], rc, out);
	}
	rc = cli("route", "draw", "L1", "--stops", "S1,S2,S3", NULL);
	CHECK(rc == 0, "route: %d %s", rc, out);
	rc = cli("calendar", "add", "DAILY", "--kind", "weekly", "--name", "每天", "--days", "daily",
		 "--from", today, "--until", "2199-12-31", NULL);
	CHECK(rc == 0, "calendar: %d %s", rc, out);
	rc = cli("calendar", "add", "WEEKEND", "--kind", "weekly", "--name", "周末", "--days", "sat,sun",
		 "--from", today, "--until", "2199-12-31", NULL);
	CHECK(rc == 0, "calendar: %d %s", rc, out);
}

static void booking_rules(void)
{
	int rc = cli("booking-rule", "add", "BR-DAY", "--kind", "same_day", "--notice", "60", "--phone",
		     "+86 838 555 0101", "--message", "提前一小时电话预约", "--booking-url",
		     "https://example.org/book", NULL);
	CHECK(rc == 0 && strstr(out, "Added booking-rule BR-DAY"), "add same_day: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BR-EVE", "--kind", "prior_days", "--last-day", "1",
		 "--last-time", "17:00", "--start-day", "14", "--start-time", "08:00", "--service",
		 "DAILY", NULL);
	CHECK(rc == 0, "add prior_days: %d %s", rc, out);
	/* the GTFS-Flex conditions between the fields */
	rc = cli("booking-rule", "add", "BAD1", "--kind", "same_day", NULL);
	CHECK(rc == 2 && strstr(out, "notice_min"), "same_day without notice: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD2", "--kind", "real_time", "--last-day", "1",
		 "--last-time", "17:00", NULL);
	CHECK(rc == 2 && strstr(out, "prior_days rules only"), "real_time with a day: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD3", "--kind", "prior_days", "--last-day", "1", NULL);
	CHECK(rc == 2 && strstr(out, "last_time"), "a day without a time: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD4", "--kind", "same_day", "--notice", "60", "--notice-max",
		 "30", NULL);
	CHECK(rc == 2 && strstr(out, "below notice_min"), "max below min: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD5", "--kind", "prior_days", "--last-day", "1",
		 "--last-time", "17:00", "--service", "NOPE", NULL);
	CHECK(rc == 2 && strstr(out, "no calendar NOPE"), "unknown calendar: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD6", "--kind", "sometimes", NULL);
	CHECK(rc == 2 && strstr(out, "--kind"), "unknown kind: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD7", "--kind", "same_day", "--notice", "-5", NULL);
	CHECK(rc == 2 && strstr(out, "--notice"), "negative notice: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BAD8", "--kind", "real_time", "--info-url", "ftp://x", NULL);
	CHECK(rc == 2, "ftp url: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BR-DAY", "--kind", "real_time", NULL);
	CHECK(rc == 2 && strstr(out, "already exists"), "twice: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM booking_rule") == 2, "only the good rules stored");

	rc = cli("booking-rule", "list", NULL);
	const char *row = h_line_with(out, "BR-DAY", "same_day", "60 min before", "+86 838 555 0101",
				      NULL);
	CHECK(rc == 0 && row && h_line_with(out, "BR-EVE", "by 17:00, 1 day(s) before", NULL),
	      "list: %d %s", rc, out);
	rc = cli("booking-rule", "show", "BR-EVE", NULL);
	CHECK(rc == 0 && h_line_with(out, "last_time:", "17:00:00", NULL) &&
		      h_line_with(out, "service:", "DAILY", NULL) && !strstr(out, "name:"),
	      "show: %d %s", rc, out);
	rc = cli("--json", "booking-rule", "show", "BR-DAY", NULL);
	CHECK(rc == 0 && strstr(out, "\"notice_min\": 60") && strstr(out, "\"last_day\": null"),
	      "show json: %d %s", rc, out);
	/* a same_day rule becomes real_time: the notice cleared with '' */
	rc = cli("booking-rule", "edit", "BR-DAY", "--kind", "real_time", "--notice", "", NULL);
	CHECK(rc == 0 && h_line_with(out, "kind:", "real_time", NULL), "edit: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM booking_rule WHERE code = 'BR-DAY' AND kind = "
			    "'real_time' AND notice_min IS NULL") == 1,
	      "edit stored");
	rc = cli("booking-rule", "edit", "BR-DAY", "--notice-max", "30", NULL);
	CHECK(rc == 2 && strstr(out, "same_day rules only"), "edit refused: %d %s", rc, out);
	rc = cli("booking-rule", "edit", "BR-DAY", "--kind", "same_day", "--notice", "60", NULL);
	CHECK(rc == 0, "edit back: %d %s", rc, out);
	rc = cli("booking-rule", "show", "NOPE", NULL);
	CHECK(rc == 3, "unknown: %d %s", rc, out);
	rc = cli("booking-rule", "add", "BR-GONE", "--kind", "real_time", NULL);
	CHECK(rc == 0, "add to remove: %d %s", rc, out);
	rc = cli("booking-rule", "remove", "BR-GONE", NULL);
	CHECK(rc == 0 && strstr(out, "Removed"), "remove: %d %s", rc, out);
	/* a calendar a rule counts its days on stays */
	rc = cli("calendar", "remove", "DAILY", NULL);
	CHECK(rc == 2, "calendar of a rule: %d %s", rc, out);
}

static const char *const square =
	"{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
	"\"coordinates\":[[[104.45,30.0],[104.55,30.0],[104.55,30.1],[104.45,30.1],[104.45,30.0]]]}}";

static void places(void)
{
	int rc = cli("location-group", "add", "LG1", "--name", "东片村组", "--stops", "S2,S3,S1", NULL);
	CHECK(rc == 0 && h_line_with(out, "stops:", "S1, S2, S3", NULL), "group add: %d %s", rc, out);
	rc = cli("location-group", "add", "LG2", "--stops", "S1,S9", NULL);
	CHECK(rc == 2 && strstr(out, "S9"), "unknown stop: %d %s", rc, out);
	rc = cli("location-group", "add", "LG2", "--stops", "S1,S1", NULL);
	CHECK(rc == 2 && strstr(out, "twice"), "stop twice: %d %s", rc, out);
	rc = cli("location-group", "add", "S1", "--stops", "S1", NULL);
	CHECK(rc == 2 && strstr(out, "code of a stop"), "a stop's code: %d %s", rc, out);
	rc = cli("location-group", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "LG1", "东片村组", "3", NULL), "group list: %d %s", rc, out);
	rc = cli("location-group", "edit", "LG1", "--stops", "S2,S3", NULL);
	CHECK(rc == 0 && h_line_with(out, "stops:", "S2, S3", NULL), "group edit: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM location_group_stop") == 2, "members stored");

	char area[512], bad[512], open_ring[512];
	h_write_file(&t, area, sizeof area, "north.geojson", square);
	h_write_file(&t, bad, sizeof bad, "point.geojson",
		     "{\"type\":\"Point\",\"coordinates\":[104.5,30.05]}");
	h_write_file(&t, open_ring, sizeof open_ring, "open.geojson",
		     "{\"type\":\"Polygon\",\"coordinates\":[[[104.45,30.0],[104.55,30.0],"
		     "[104.55,30.1],[104.45,30.1]]]}");
	rc = cli("zone", "add", "Z1", "--name", "石桥北片", "--description", "石桥镇北部各村",
		 "--area", area, NULL);
	CHECK(rc == 0 && h_line_with(out, "area:", "Polygon of 5 positions", NULL), "zone add: %d %s",
	      rc, out);
	CHECK(h_sql_num(&t, "SELECT round(ST_Area(area)::numeric * 10000) FROM zone WHERE code = 'Z1'") ==
		      100,
	      "zone stored as a PostGIS polygon");
	rc = cli("zone", "add", "Z2", "--area", bad, NULL);
	CHECK(rc == 2 && strstr(out, "Polygon or a MultiPolygon"), "a point: %d %s", rc, out);
	rc = cli("zone", "add", "Z2", "--area", open_ring, NULL);
	CHECK(rc == 2 && strstr(out, "end where it starts"), "open ring: %d %s", rc, out);
	struct h_resp r;
	h_admin(&t, "POST", "/v1/admin/zones",
		"{\"code\":\"Z3\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[104.45,30.0],"
		"[204.55,30.0],[104.55,30.1],[104.45,30.0]]]}}",
		&r);
	CHECK(r.status == 400 && strstr(r.body, "position 2"), "out of range: %ld %s", r.status, r.body);
	h_resp_free(&r);
	h_admin(&t, "POST", "/v1/admin/zones", "{\"code\":\"LG1\",\"geometry\":{}}", &r);
	CHECK(r.status == 400, "no area: %ld %s", r.status, r.body);
	h_resp_free(&r);
	rc = cli("zone", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "Z1", "石桥北片", "Polygon", "5", NULL), "zone list: %d %s",
	      rc, out);
	rc = cli("zone", "edit", "Z1", "--name", "北片", NULL);
	CHECK(rc == 0 && h_line_with(out, "name:", "北片", NULL), "zone edit: %d %s", rc, out);
	rc = cli("zone", "add", "Z9", "--area", area, NULL);
	CHECK(rc == 0, "zone to remove: %d %s", rc, out);
	rc = cli("zone", "remove", "Z9", NULL);
	CHECK(rc == 0, "zone remove: %d %s", rc, out);
}

static void on_demand(void)
{
	/* the on-demand line: pickup anywhere in the zone, drop-off at a stop of the group */
	int rc = cli("route", "draw", "DRT", "--stops", "zone:Z1,group:LG1", NULL);
	CHECK(rc == 0, "draw through places: %d %s", rc, out);
	rc = cli("route", "redraw", "DRT", "--stops", "zone:Z8,group:LG1", NULL);
	CHECK(rc == 2 && strstr(out, "zone:Z8"), "unknown zone: %d %s", rc, out);
	struct h_resp r;
	h_admin(&t, "POST", "/v1/admin/trips",
		"{\"code\":\"DRT-AM\",\"line\":\"DRT\",\"calendar\":\"DAILY\",\"block\":\"B1\","
		"\"times\":[{\"window\":[\"08:00\",\"12:00\"],\"drop_off_type\":1,"
		"\"pickup_rule\":\"BR-DAY\"},{\"window\":[\"08:00\",\"12:30\"],\"pickup_type\":1,"
		"\"drop_off_rule\":\"BR-DAY\"}]}",
		&r);
	CHECK(r.status == 201, "on-demand trip: %ld %s", r.status, r.body);
	h_resp_free(&r);
	h_admin(&t, "POST", "/v1/admin/trips",
		"{\"code\":\"DRT-X\",\"line\":\"DRT\",\"calendar\":\"DAILY\","
		"\"times\":[\"08:00\",\"09:00\"]}",
		&r);
	CHECK(r.status == 400 && strstr(r.body, "window"), "fixed times in a zone: %ld %s", r.status,
	      r.body);
	h_resp_free(&r);
	h_admin(&t, "POST", "/v1/admin/trips",
		"{\"code\":\"DRT-X\",\"line\":\"DRT\",\"calendar\":\"DAILY\",\"times\":["
		"{\"window\":[\"08:00\",\"12:00\"],\"pickup_type\":0},{\"window\":[\"08:00\",\"12:00\"]}]}",
		&r);
	CHECK(r.status == 400 && strstr(r.body, "pickup_type"), "regular pickup in a window: %ld %s",
	      r.status, r.body);
	h_resp_free(&r);
	h_admin(&t, "POST", "/v1/admin/trips",
		"{\"code\":\"DRT-X\",\"line\":\"DRT\",\"calendar\":\"DAILY\",\"times\":["
		"{\"window\":[\"08:00\",\"12:00\"],\"pickup_rule\":\"NOPE\"},{\"window\":[\"08:00\",\"12:00\"]}]}",
		&r);
	CHECK(r.status == 400 && strstr(r.body, "NOPE"), "unknown rule: %ld %s", r.status, r.body);
	h_resp_free(&r);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_time st JOIN trip t ON t.id = st.trip_id WHERE "
			    "t.code = 'DRT-AM' AND arrival IS NULL AND window_start = 28800 AND "
			    "pickup_rule_id IS NOT NULL") == 1,
	      "window stored");
	rc = cli("trip", "show", "DRT-AM", NULL);
	CHECK(rc == 0 && h_line_with(out, "zone:Z1", "08:00", "12:00", "window", "pickup by phone (BR-DAY)",
				     "no drop-off", NULL),
	      "show window: %d %s", rc, out);

	/* places in use stay, and so does a stop a group holds */
	rc = cli("zone", "remove", "Z1", NULL);
	CHECK(rc == 2 && strstr(out, "zone Z1 is on 1 route version"), "zone in use: %d %s", rc, out);
	rc = cli("location-group", "remove", "LG1", NULL);
	CHECK(rc == 2 && strstr(out, "location group LG1"), "group in use: %d %s", rc, out);
	rc = cli("stop", "add", "S4", "--name", "石桥场镇", "--kind", "market", "--at", "30.2,104.5",
		 NULL);
	CHECK(rc == 0, "stop: %d %s", rc, out);
	rc = cli("location-group", "add", "LG9", "--stops", "S4", NULL);
	CHECK(rc == 0, "group of one: %d %s", rc, out);
	rc = cli("stop", "remove", "S4", NULL);
	CHECK(rc == 2 && strstr(out, "location group"), "stop in a group: %d %s", rc, out);
	rc = cli("location-group", "remove", "LG9", NULL);
	CHECK(rc == 0, "group removed: %d %s", rc, out);
	rc = cli("stop", "remove", "S4", NULL);
	CHECK(rc == 0, "then the stop: %d %s", rc, out);
	rc = cli("booking-rule", "remove", "BR-DAY", NULL);
	CHECK(rc == 2 && strstr(out, "used by 1 trip (DRT-AM)"), "rule in use: %d %s", rc, out);
}

static void trip_edit(void)
{
	int rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last",
		     "08:30", "--every", "2h", "--block", "B1", NULL);
	CHECK(rc == 2 && strstr(out, "overlaps trip DRT-AM"), "block overlap on add: %d %s", rc, out);
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last",
		 "06:30", "--every", "1h", NULL);
	CHECK(rc == 0, "one trip: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--times", "07:00,07:20/07:22,07:40", NULL);
	CHECK(rc == 0 && strstr(out, "07:00 to 07:40"), "times: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT departure FROM stop_time st JOIN trip t ON t.id = st.trip_id "
			    "WHERE t.code = 'L1-0630' AND seq = 2") == 7 * 3600 + 22 * 60,
	      "times stored");
	rc = cli("trip", "edit", "L1-0630", "--times", "07:00,06:50,07:40", NULL);
	CHECK(rc == 2 && strstr(out, "backwards"), "backwards: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--times", "07:00,07:40", NULL);
	CHECK(rc == 2 && strstr(out, "3 stops"), "too few: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--times", "11:00,11:20,11:40", "--block", "B1", NULL);
	CHECK(rc == 2 && strstr(out, "overlaps trip DRT-AM"), "block overlap on edit: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--times", "12:40,12:50,13:00", "--block", "B1", NULL);
	CHECK(rc == 0, "after the on-demand trip, in its block: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--calendar", "NOPE", NULL);
	CHECK(rc == 2 && strstr(out, "no calendar NOPE"), "unknown calendar: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", "--calendar", "WEEKEND", "--block", "", NULL);
	CHECK(rc == 0 && strstr(out, "calendar WEEKEND, block -"), "calendar, no block: %d %s", rc, out);
	rc = cli("trip", "edit", "L1-0630", NULL);
	CHECK(rc == 2 && strstr(out, "nothing to change"), "nothing: %d %s", rc, out);
	rc = cli("trip", "edit", "NOPE", "--block", "B2", NULL);
	CHECK(rc == 3, "unknown trip: %d %s", rc, out);
	long long audits = h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'trip'");
	rc = cli("trip", "edit", "L1-0630", "--calendar", "WEEKEND", NULL);
	CHECK(rc == 0, "the same again: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'trip'") == audits,
	      "an edit that changes nothing is not audited");
	rc = cli("trip", "edit", "DRT-AM", "--times", "13:00-18:00,13:00-18:30", "--booking-rule",
		 "BR-EVE", NULL);
	CHECK(rc == 0, "windows and rule: %d %s", rc, out);

	/* what was changed is what the daemon reads back after a restart */
	h_stop(&t, 15);
	h_start(&t, NULL);
	rc = cli("--json", "trip", "show", "DRT-AM", NULL);
	CHECK(rc == 0 && strstr(out, "\"13:00:00\"") && strstr(out, "\"pickup_rule\": \"BR-EVE\"") &&
		      strstr(out, "\"stop\": \"group:LG1\""),
	      "windows after restart: %d %s", rc, out);
	rc = cli("trip", "show", "L1-0630", NULL);
	CHECK(rc == 0 && h_line_with(out, "calendar:", "WEEKEND", NULL) &&
		      h_line_with(out, "2", "S2", "12:50", NULL),
	      "edit after restart: %d %s", rc, out);
	/* another rule for the windows, the times kept */
	rc = cli("trip", "edit", "DRT-AM", "--booking-rule", "BR-DAY", NULL);
	CHECK(rc == 0 && strstr(out, "13:00 to 18:30"), "rule only: %d %s", rc, out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_time st JOIN trip t ON t.id = st.trip_id "
			    "JOIN booking_rule r ON r.id = st.pickup_rule_id WHERE t.code = 'DRT-AM' "
			    "AND r.code = 'BR-DAY' AND st.window_start = 13 * 3600") == 2,
	      "the rule of both windows");
	rc = cli("zone", "show", "Z1", NULL);
	CHECK(rc == 0 && h_line_with(out, "area:", "Polygon of 5 positions", "30.00000 to 30.10000",
				     NULL),
	      "zone after restart: %d %s", rc, out);
}

int main(void)
{
	h_init(&t, "flex_cli");
	if (!getenv("JINTONG_CLI"))
		return 77;
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	setup();
	booking_rules();
	places();
	on_demand();
	trip_edit();
	return h_finish(&t);
}
