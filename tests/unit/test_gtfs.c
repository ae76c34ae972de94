/*
 * test_gtfs.c — the GTFS field types at their edges (service days past
 * midnight, leap days, colors, URLs, zones, language tags), the header
 * check of each file, and one row at a time against every rule of the
 * reference that a single row can break.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gtfs.h"

/* ---- field types ---------------------------------------------------------- */

struct time_case {
	const char *s;
	int want; /* -1: refused */
};

static const struct time_case times[] = {
	{"00:00:00", 0},
	{"0:00:00", 0},
	{"5:07:09", 5 * 3600 + 7 * 60 + 9},
	{"08:30:00", 8 * 3600 + 30 * 60},
	{"23:59:59", 86399},
	{"24:00:00", 86400},
	{"25:10:00", 90600},
	{"47:59:59", 48 * 3600 - 1},
	{"48:00:00", -1},
	{"99:00:00", -1},
	{"24:60:00", -1},
	{"12:00:60", -1},
	{"123:00:00", -1},
	{"1:2:03", -1},
	{"12:00", -1},
	{"12-00-00", -1},
	{"", -1},
	{" 8:00:00", -1},
	{"08:00:00 ", -1},
	{"-1:00:00", -1},
	{"+1:00:00", -1},
	{"08:00:00Z", -1},
	{"0a:00:00", -1},
};

struct date_case {
	const char *s;
	int y, m, d; /* y = 0: refused */
};

static const struct date_case dates[] = {
	{"20240229", 2024, 2, 29},
	{"20000229", 2000, 2, 29},
	{"20261231", 2026, 12, 31},
	{"20260101", 2026, 1, 1},
	{"00010101", 1, 1, 1},
	{"99991231", 9999, 12, 31},
	{"20260230", 0, 0, 0},
	{"20230229", 0, 0, 0},
	{"21000229", 0, 0, 0},
	{"20260431", 0, 0, 0},
	{"20261301", 0, 0, 0},
	{"20260001", 0, 0, 0},
	{"20261200", 0, 0, 0},
	{"00000101", 0, 0, 0},
	{"2026123", 0, 0, 0},
	{"202612311", 0, 0, 0},
	{"2026-12-3", 0, 0, 0},
	{"2026121a", 0, 0, 0},
	{"", 0, 0, 0},
};

static void test_types(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(times); i++) {
		int got = -42;
		int rc = gtfs_parse_time(times[i].s, strlen(times[i].s), &got);
		CHECK_INT(times[i].s, rc, times[i].want < 0 ? -1 : 0);
		CHECK_INT(times[i].s, got, times[i].want < 0 ? -42 : times[i].want);
	}
	int secs;
	CHECK(gtfs_parse_time(NULL, 0, &secs) == -1);
	CHECK(gtfs_parse_time("8:00:00\0", 8, &secs) == -1);

	for (size_t i = 0; i < JT_ARRAY_LEN(dates); i++) {
		const struct date_case *c = &dates[i];
		struct gtfs_date got = {-1, -1, -1};
		int rc = gtfs_parse_date(c->s, strlen(c->s), &got);
		CHECK_INT(c->s, rc, c->y ? 0 : -1);
		CHECK_INT(c->s, got.year, c->y ? c->y : -1);
		CHECK_INT(c->s, got.month, c->y ? c->m : -1);
		CHECK_INT(c->s, got.day, c->y ? c->d : -1);
	}

	uint32_t rgb = 0;
	CHECK(gtfs_parse_color("FFFFFF", 6, &rgb) == 0 && rgb == 0xffffff);
	CHECK(gtfs_parse_color("0039a6", 6, &rgb) == 0 && rgb == 0x0039a6);
	CHECK(gtfs_parse_color("#FFFFFF", 7, &rgb) == -1);
	CHECK(gtfs_parse_color("FFF", 3, &rgb) == -1);
	CHECK(gtfs_parse_color("FFFFFFF", 7, &rgb) == -1);
	CHECK(gtfs_parse_color("GGGGGG", 6, &rgb) == -1);
	CHECK(gtfs_parse_color("", 0, &rgb) == -1);

#define VALID(fn, s) CHECK_MSG(#fn " " s, fn(s, strlen(s)))
#define INVALID(fn, s) CHECK_MSG(#fn " " s, !fn(s, strlen(s)))
	VALID(gtfs_url_valid, "https://www.example.org");
	VALID(gtfs_url_valid, "http://bus.example.org/fares?zone=2");
	VALID(gtfs_url_valid, "HTTPS://EXAMPLE.ORG");
	INVALID(gtfs_url_valid, "www.example.org");
	INVALID(gtfs_url_valid, "ftp://example.org");
	INVALID(gtfs_url_valid, "https://");
	INVALID(gtfs_url_valid, "https:///path");
	INVALID(gtfs_url_valid, "https://example.org/a b");
	VALID(gtfs_email_valid, "info@bus.example.org");
	INVALID(gtfs_email_valid, "info");
	INVALID(gtfs_email_valid, "@example.org");
	INVALID(gtfs_email_valid, "info@example");
	INVALID(gtfs_email_valid, "info@.org");
	INVALID(gtfs_email_valid, "info@example.");
	INVALID(gtfs_email_valid, "a@b@example.org");
	INVALID(gtfs_email_valid, "in fo@example.org");
	VALID(gtfs_timezone_valid, "Asia/Shanghai");
	VALID(gtfs_timezone_valid, "America/Argentina/Buenos_Aires");
	VALID(gtfs_timezone_valid, "America/Port-au-Prince");
	VALID(gtfs_timezone_valid, "Etc/GMT+8");
	VALID(gtfs_timezone_valid, "UTC");
	INVALID(gtfs_timezone_valid, "Asia Shanghai");
	INVALID(gtfs_timezone_valid, "/Asia/Shanghai");
	INVALID(gtfs_timezone_valid, "Asia//Shanghai");
	INVALID(gtfs_timezone_valid, "Asia/");
	INVALID(gtfs_timezone_valid, "+08:00");
	INVALID(gtfs_timezone_valid, "");
	VALID(gtfs_language_valid, "zh");
	VALID(gtfs_language_valid, "en-US");
	VALID(gtfs_language_valid, "zh-Hant-TW");
	VALID(gtfs_language_valid, "es-419");
	INVALID(gtfs_language_valid, "en_US");
	INVALID(gtfs_language_valid, "en-");
	INVALID(gtfs_language_valid, "-en");
	INVALID(gtfs_language_valid, "e1");
	INVALID(gtfs_language_valid, "en-abcdefghi");
	INVALID(gtfs_language_valid, "");
#undef VALID
#undef INVALID
}

/* ---- files and headers ------------------------------------------------------ */

static void test_tables(void)
{
	enum gtfs_file f;
	CHECK(gtfs_file_lookup("stop_times.txt", &f) == 0 && f == GTFS_STOP_TIMES);
	CHECK(gtfs_file_lookup("location_group_stops.txt", &f) == 0 &&
	      f == GTFS_LOCATION_GROUP_STOPS);
	CHECK(gtfs_file_lookup("fare_rules.txt", &f) == -1);
	CHECK(gtfs_file_lookup("stops", &f) == -1);
	unsigned bad = 0;
	for (int i = 0; i < GTFS_FILE_COUNT; i++) {
		const struct gtfs_table *t = gtfs_table((enum gtfs_file)i);
		bad += t->count < 2 || t->count > GTFS_COLUMNS_MAX;
		for (int k = 0; k < t->count; k++)
			bad += gtfs_column_index((enum gtfs_file)i, t->columns[k].name) != k;
	}
	CHECK_INT("tables out of shape", bad, 0);
	CHECK_INT("stop_lat", gtfs_column_index(GTFS_STOPS, "stop_lat"), 5);
	CHECK_INT("unknown", gtfs_column_index(GTFS_STOPS, "stop_elevation"), -1);
}

struct header_case {
	enum gtfs_file f;
	const char *header;
	const char *want; /* NULL: accepted */
};

static const struct header_case headers[] = {
	{GTFS_STOPS, "stop_id,stop_name,stop_lat,stop_lon", NULL},
	{GTFS_STOPS, "stop_id", NULL},
	{GTFS_STOPS, "stop_name,stop_lat", "missing required column: stop_id"},
	{GTFS_STOPS, "stop_id,vendor_extra", NULL},
	{GTFS_STOP_TIMES, "trip_id,arrival_time,departure_time,stop_id,stop_sequence", NULL},
	{GTFS_STOP_TIMES, "trip_id,location_group_id,stop_sequence,start_pickup_drop_off_window,"
			  "end_pickup_drop_off_window", NULL},
	{GTFS_STOP_TIMES, "trip_id,location_id,stop_sequence", NULL},
	{GTFS_STOP_TIMES, "arrival_time,departure_time,stop_id",
	 "missing required column: trip_id, stop_sequence"},
	{GTFS_STOP_TIMES, "trip_id,stop_sequence,arrival_time",
	 "missing column: stop_id or location_group_id or location_id"},
	{GTFS_STOP_TIMES, "stop_sequence",
	 "missing required column: trip_id; missing column: stop_id or location_group_id or "
	 "location_id"},
	{GTFS_ROUTES, "route_id,route_short_name,route_type", NULL},
	{GTFS_ROUTES, "route_id,route_long_name,route_type", NULL},
	{GTFS_ROUTES, "route_id,route_type", "missing column: route_short_name or route_long_name"},
	{GTFS_CALENDAR, "service_id,monday,tuesday,wednesday,thursday,friday,saturday,start_date,"
			"end_date", "missing required column: sunday"},
	{GTFS_AGENCY, "agency_name,agency_url,agency_timezone", NULL},
	{GTFS_BOOKING_RULES, "booking_rule_id", "missing required column: booking_type"},
	{GTFS_LOCATION_GROUP_STOPS, "stop_id,location_group_id", NULL},
};

static void test_headers(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(headers); i++) {
		const struct header_case *c = &headers[i];
		struct csv_error e;
		struct csv *r = csv_open(c->header, strlen(c->header), &e);
		CHECK(r != NULL);
		if (!r)
			continue;
		char err[200] = "junk";
		int rc = gtfs_check_header(c->f, r, err, sizeof err);
		CHECK_INT(c->header, rc, c->want ? -1 : 0);
		CHECK_STR(c->header, err, c->want ? c->want : "");
		csv_close(r);
	}
}

/* ---- rows ------------------------------------------------------------------- */

struct row_case {
	enum gtfs_file f;
	const char *header;
	const char *row;
	const char *want; /* NULL: accepted; else a part of the message */
};

#define AGENCY "agency_id,agency_name,agency_url,agency_timezone,agency_lang,agency_email"
#define STOPS "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,stop_access"
#define ROUTES "route_id,route_short_name,route_long_name,route_type,route_color,route_sort_order"
#define TRIPS "route_id,service_id,trip_id,direction_id,wheelchair_accessible"
#define TIMES "trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint,pickup_type"
#define FLEX                                                                                   \
	"trip_id,location_group_id,location_id,stop_id,stop_sequence,start_pickup_drop_off_window," \
	"end_pickup_drop_off_window,pickup_type,drop_off_type,continuous_pickup,arrival_time"
#define CAL "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date"
#define BOOK                                                                                   \
	"booking_rule_id,booking_type,prior_notice_duration_min,prior_notice_duration_max,"       \
	"prior_notice_last_day,prior_notice_last_time,prior_notice_start_day,"                    \
	"prior_notice_start_time,prior_notice_service_id"

static const struct row_case rows[] = {
	/* agency.txt */
	{GTFS_AGENCY, AGENCY, "jt,Jintong Bus,https://bus.example.cn,Asia/Shanghai,zh-CN,bus@example.cn", NULL},
	{GTFS_AGENCY, AGENCY, ",Jintong Bus,https://bus.example.cn,Asia/Shanghai,,", NULL},
	{GTFS_AGENCY, AGENCY, "jt,,https://bus.example.cn,Asia/Shanghai,,", "agency_name is required"},
	{GTFS_AGENCY, AGENCY, "jt,J,bus.example.cn,Asia/Shanghai,,", "agency_url: \"bus.example.cn\" is not"},
	{GTFS_AGENCY, AGENCY, "jt,J,https://x.cn,China Standard,,", "agency_timezone"},
	{GTFS_AGENCY, AGENCY, "jt,J,https://x.cn,Asia/Shanghai,zh_CN,", "agency_lang"},
	{GTFS_AGENCY, AGENCY, "jt,J,https://x.cn,Asia/Shanghai,,bus", "agency_email"},
	{GTFS_AGENCY, AGENCY, "jt,J,https://x.cn,Asia/Shanghai", "4 fields, but the header has 6"},
	{GTFS_AGENCY, AGENCY, "jt,\"J\tK\",https://x.cn,Asia/Shanghai,,", "agency_name: tab or line break"},
	{GTFS_AGENCY, AGENCY, "jt,\"J\nK\",https://x.cn,Asia/Shanghai,,", "agency_name: tab or line break"},
	/* stops.txt */
	{GTFS_STOPS, STOPS, "s1,Village Gate,27.7119,111.4402,,,", NULL},
	{GTFS_STOPS, STOPS, "s1 , Village Gate , 27.7119 , 111.4402 ,0,,", NULL},
	{GTFS_STOPS, STOPS, "s1,Gate,90,180,0,,", NULL},
	{GTFS_STOPS, STOPS, "s1,Gate,-90,-180,0,,", NULL},
	{GTFS_STOPS, STOPS, "s1,Gate,90.0001,111,0,,", "stop_lat: \"90.0001\" is not a latitude in -90..90"},
	{GTFS_STOPS, STOPS, "s1,Gate,27,-180.5,0,,", "stop_lon: \"-180.5\" is not a longitude in -180..180"},
	{GTFS_STOPS, STOPS, "s1,Gate,nan,111,0,,", "stop_lat"},
	{GTFS_STOPS, STOPS, "s1,Gate,0,0,0,,", "both 0"},
	{GTFS_STOPS, STOPS, "s1,Gate,0.0,-0.0,,,", "both 0"},
	{GTFS_STOPS, STOPS, "s1,Gate,0,111,0,,", NULL},
	{GTFS_STOPS, STOPS, ",Gate,27,111,0,,", "stop_id is required"},
	{GTFS_STOPS, STOPS, "s1,,27,111,0,,", "stop_name is required for location_type 0"},
	{GTFS_STOPS, STOPS, "s1,Gate,,111,,,", "stop_lat is required for location_type 0"},
	{GTFS_STOPS, STOPS, "s1,Gate,27,111,5,,", "location_type: \"5\" is not one of 0..4"},
	{GTFS_STOPS, STOPS, "st,Station,27,111,1,,", NULL},
	{GTFS_STOPS, STOPS, "st,Station,27,111,1,p,", "parent_station is forbidden for location_type 1"},
	{GTFS_STOPS, STOPS, "e1,Entrance,27,111,2,,", "parent_station is required for location_type 2"},
	{GTFS_STOPS, STOPS, "e1,Entrance,27,111,2,st,", NULL},
	{GTFS_STOPS, STOPS, "n1,,,,3,st,", NULL},
	{GTFS_STOPS, STOPS, "b1,,,,4,s1,", NULL},
	{GTFS_STOPS, STOPS, "b1,,27,,4,s1,", "stop_lat and stop_lon go together"},
	{GTFS_STOPS, STOPS, "s1,Gate,27,111,0,st,1", NULL},
	{GTFS_STOPS, STOPS, "s1,Gate,27,111,0,,1", "stop_access is forbidden without parent_station"},
	{GTFS_STOPS, STOPS, "e1,Entrance,27,111,2,st,0", "stop_access is forbidden for location_type 2"},
	{GTFS_STOPS, STOPS, "s1,Gate,27,111,0,st,2", "stop_access: \"2\" is not one of 0..1"},
	{GTFS_STOPS, "stop_id,stop_name,stop_lat,stop_lon,wheelchair_boarding", "s1,G,27,111,3",
	 "wheelchair_boarding"},
	{GTFS_STOPS, "stop_id,stop_name,stop_lat,stop_lon,stop_timezone", "s1,G,27,111,Asia/Shanghai",
	 NULL},
	/* routes.txt */
	{GTFS_ROUTES, ROUTES, "r1,12,,3,,", NULL},
	{GTFS_ROUTES, ROUTES, "r1,,Town - Village,3,00A0E0,1", NULL},
	{GTFS_ROUTES, ROUTES, "r1,,,3,,", "route_short_name or route_long_name is required"},
	{GTFS_ROUTES, ROUTES, "r1,12,,,,", "route_type is required"},
	{GTFS_ROUTES, ROUTES, "r1,12,,12,,", NULL},
	{GTFS_ROUTES, ROUTES, "r1,12,,8,,", "route_type: \"8\" is not a GTFS route type"},
	{GTFS_ROUTES, ROUTES, "r1,12,,99,,", "route_type"},
	{GTFS_ROUTES, ROUTES, "r1,12,,100,,", NULL},
	{GTFS_ROUTES, ROUTES, "r1,12,,715,,", NULL},
	{GTFS_ROUTES, ROUTES, "r1,12,,1702,,", NULL},
	{GTFS_ROUTES, ROUTES, "r1,12,,1703,,", "route_type"},
	{GTFS_ROUTES, ROUTES, "r1,12,,-3,,", "route_type"},
	{GTFS_ROUTES, ROUTES, "r1,12,,bus,,", "route_type"},
	{GTFS_ROUTES, ROUTES, "r1,12,,3,#00A0E0,", "route_color: \"#00A0E0\" is not a color"},
	{GTFS_ROUTES, ROUTES, "r1,12,,3,,-1", "route_sort_order: \"-1\" is not an integer in 0.."},
	/* trips.txt */
	{GTFS_TRIPS, TRIPS, "r1,weekday,t1,1,2", NULL},
	{GTFS_TRIPS, TRIPS, "r1,weekday,t1,2,", "direction_id: \"2\" is not one of 0..1"},
	{GTFS_TRIPS, TRIPS, "r1,weekday,t1,,3", "wheelchair_accessible"},
	{GTFS_TRIPS, TRIPS, "r1,,t1,,", "service_id is required"},
	/* stop_times.txt */
	{GTFS_STOP_TIMES, TIMES, "t1,08:00:00,08:01:00,s1,1,,", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,24:00:00,24:00:00,s1,1,1,0", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,25:10:00,25:12:00,s1,2,,", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,,,s1,3,0,", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,48:00:00,48:00:00,s1,1,,", "arrival_time: \"48:00:00\" is not a time"},
	{GTFS_STOP_TIMES, TIMES, "t1,24:60:00,25:00:00,s1,1,,", "arrival_time"},
	/* one of the two stands for both (the reference: they should be the same) */
	{GTFS_STOP_TIMES, TIMES, "t1,08:00:00,,s1,1,,", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,,08:00:00,s1,1,,", NULL},
	{GTFS_STOP_TIMES, TIMES, "t1,08:00:00,,s1,1,1,", "timepoint 1 needs arrival_time and departure_time"},
	{GTFS_STOP_TIMES, TIMES, "t1,08:05:00,08:00:00,s1,1,,", "departure_time is before arrival_time"},
	{GTFS_STOP_TIMES, TIMES, "t1,,,s1,1,1,", "timepoint 1 needs arrival_time and departure_time"},
	{GTFS_STOP_TIMES, TIMES, "t1,8:00:00,8:00:00,,1,,", "needs one of stop_id"},
	{GTFS_STOP_TIMES, TIMES, "t1,8:00:00,8:00:00,s1,-1,,", "stop_sequence"},
	{GTFS_STOP_TIMES, TIMES, ",8:00:00,8:00:00,s1,1,,", "trip_id is required"},
	{GTFS_STOP_TIMES, TIMES, "t1,8:00:00,8:00:00,s1,,,", "stop_sequence is required"},
	{GTFS_STOP_TIMES, TIMES, "t1,8:00:00,8:00:00,s1,1,,4", "pickup_type: \"4\" is not one of 0..3"},
	{GTFS_STOP_TIMES, "trip_id,stop_id,stop_sequence,shape_dist_traveled", "t1,s1,1,-0.5",
	 "shape_dist_traveled: \"-0.5\" is not a non-negative number"},
	{GTFS_STOP_TIMES, "trip_id,stop_id,stop_sequence,shape_dist_traveled", "t1,s1,1,12.75", NULL},
	/* stop_times.txt with GTFS-Flex */
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,2,1,,", NULL},
	{GTFS_STOP_TIMES, FLEX, "t1,,zone1,,2,08:00:00,18:00:00,1,2,1,", NULL},
	{GTFS_STOP_TIMES, FLEX, "t1,,,s1,1,08:00:00,18:00:00,2,2,,", NULL},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,s1,1,08:00:00,18:00:00,2,1,,", "only one of stop_id"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,z1,,1,08:00:00,18:00:00,2,1,,", "only one of stop_id"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,,,2,1,,",
	 "start_pickup_drop_off_window is required with a location group or location"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,,2,1,,", "end_pickup_drop_off_window is required"},
	{GTFS_STOP_TIMES, FLEX, "t1,,,s1,1,08:00:00,,2,1,,",
	 "end_pickup_drop_off_window is required with start_pickup_drop_off_window"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,18:00:00,08:00:00,2,1,,", "end_pickup_drop_off_window is before"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,,1,,", "pickup_type 0 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,0,1,,", "pickup_type 0 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,3,1,,", "pickup_type 3 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,2,0,,", "drop_off_type 0 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,2,,,", "drop_off_type 0 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,2,1,0,", "continuous_pickup 0 is forbidden"},
	{GTFS_STOP_TIMES, FLEX, "t1,g1,,,1,08:00:00,18:00:00,2,1,,08:00:00",
	 "arrival_time is forbidden with a pickup/drop-off window"},
	/* calendar.txt and calendar_dates.txt */
	{GTFS_CALENDAR, CAL, "weekday,1,1,1,1,1,0,0,20260101,20261231", NULL},
	{GTFS_CALENDAR, CAL, "market,0,0,0,0,0,0,1,20240229,20240229", NULL},
	{GTFS_CALENDAR, CAL, "weekday,1,1,1,1,1,0,2,20260101,20261231", "sunday: \"2\" is not one of 0..1"},
	{GTFS_CALENDAR, CAL, "weekday,1,1,1,1,1,0,,20260101,20261231", "sunday is required"},
	{GTFS_CALENDAR, CAL, "weekday,1,1,1,1,1,0,0,20260230,20261231", "start_date: \"20260230\" is not a date"},
	{GTFS_CALENDAR, CAL, "weekday,1,1,1,1,1,0,0,20261231,20260101", "end_date is before start_date"},
	{GTFS_CALENDAR_DATES, "service_id,date,exception_type", "weekday,20261001,2", NULL},
	{GTFS_CALENDAR_DATES, "service_id,date,exception_type", "weekday,20261001,3",
	 "exception_type: \"3\" is not one of 1..2"},
	{GTFS_CALENDAR_DATES, "service_id,date,exception_type", "weekday,20261001,0", "exception_type"},
	/* shapes.txt and frequencies.txt */
	{GTFS_SHAPES, "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence", "sh1,27.7,111.4,0", NULL},
	{GTFS_SHAPES, "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence", "sh1,0,0,0", "both 0"},
	{GTFS_SHAPES, "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence", "sh1,27.7,111.4,a",
	 "shape_pt_sequence"},
	{GTFS_FREQUENCIES, "trip_id,start_time,end_time,headway_secs", "t1,06:00:00,09:00:00,600", NULL},
	{GTFS_FREQUENCIES, "trip_id,start_time,end_time,headway_secs", "t1,06:00:00,09:00:00,0",
	 "headway_secs: \"0\" is not an integer in 1.."},
	{GTFS_FREQUENCIES, "trip_id,start_time,end_time,headway_secs", "t1,09:00:00,09:00:00,600",
	 "end_time is not after start_time"},
	/* booking_rules.txt */
	{GTFS_BOOKING_RULES, BOOK, "now,0,,,,,,,", NULL},
	{GTFS_BOOKING_RULES, BOOK, "now,0,30,,,,,,", "prior_notice_duration_min is forbidden for booking_type 0"},
	{GTFS_BOOKING_RULES, BOOK, "now,0,,,,,1,08:00:00,", "prior_notice_start_day is forbidden for booking_type 0"},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,,,,,,", NULL},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,1440,,,,,", NULL},
	{GTFS_BOOKING_RULES, BOOK, "same,1,,,,,,,", "prior_notice_duration_min is required for booking_type 1"},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,30,,,,,", "prior_notice_duration_max is below"},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,1440,,,7,00:00:00,",
	 "prior_notice_start_day is forbidden with prior_notice_duration_max"},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,,,,7,00:00:00,", NULL},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,,1,17:00:00,,,", "prior_notice_last_day is forbidden for booking_type 1"},
	{GTFS_BOOKING_RULES, BOOK, "same,1,60,,,,,,workdays", "prior_notice_service_id is forbidden"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,1,17:00:00,7,00:00:00,workdays", NULL},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,1,17:00:00,,,", NULL},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,,,,,", "prior_notice_last_day is required for booking_type 2"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,1,,,,", "prior_notice_last_time is required with prior_notice_last_day"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,1,17:00:00,7,,", "prior_notice_start_time is required"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,1,17:00:00,,08:00:00,", "prior_notice_start_time is forbidden"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,30,1,17:00:00,,,", "prior_notice_duration_max is forbidden"},
	{GTFS_BOOKING_RULES, BOOK, "prior,2,,,3,17:00:00,1,08:00:00,", "prior_notice_start_day is below"},
	{GTFS_BOOKING_RULES, BOOK, "prior,3,,,,,,,", "booking_type: \"3\" is not one of 0..2"},
	{GTFS_BOOKING_RULES, "booking_rule_id,booking_type,phone_number,info_url",
	 "now,0,+86 731 5555 0100,https://bus.example.cn/book", NULL},
	{GTFS_BOOKING_RULES, "booking_rule_id,booking_type,info_url", "now,0,bus.example.cn", "info_url"},
	/* location_groups.txt and location_group_stops.txt */
	{GTFS_LOCATION_GROUPS, "location_group_id,location_group_name", "g1,Upper villages", NULL},
	{GTFS_LOCATION_GROUPS, "location_group_id,location_group_name", ",Upper villages",
	 "location_group_id is required"},
	{GTFS_LOCATION_GROUP_STOPS, "location_group_id,stop_id", "g1,s1", NULL},
	{GTFS_LOCATION_GROUP_STOPS, "location_group_id,stop_id", "g1,", "stop_id is required"},
};

static void test_rows(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(rows); i++) {
		const struct row_case *c = &rows[i];
		char text[1024];
		snprintf(text, sizeof text, "%s\n%s\n", c->header, c->row);
		struct csv_error e;
		struct csv *r = csv_open(text, strlen(text), &e);
		struct csv_row row;
		CHECK_MSG(c->row, r && gtfs_check_header(c->f, r, NULL, 0) == 0);
		CHECK_MSG(c->row, r && csv_next(r, &row) == 1);
		if (!r)
			continue;
		struct gtfs_layout l;
		gtfs_layout_init(&l, c->f, r);
		char err[200] = "junk";
		int rc = gtfs_check_row(&l, &row, err, sizeof err);
		CHECK_INT(c->row, rc, c->want ? -1 : 0);
		if (c->want && !strstr(err, c->want))
			CHECK_STR(c->row, err, c->want);
		if (!c->want)
			CHECK_STR(c->row, err, "");
		csv_close(r);
	}
}

/* gtfs_value() trims spaces and tells a missing column from an empty value. */
static void test_values(void)
{
	const char *text = "stop_id,stop_name,stop_desc\n  s1 ,, \n";
	struct csv_error e;
	struct csv *r = csv_open(text, strlen(text), &e);
	struct csv_row row;
	CHECK(r && csv_next(r, &row) == 1);
	if (!r)
		return;
	struct gtfs_layout l;
	gtfs_layout_init(&l, GTFS_STOPS, r);
	size_t len = 99;
	const char *v = gtfs_value(&l, &row, gtfs_column_index(GTFS_STOPS, "stop_id"), &len);
	CHECK(v && len == 2 && memcmp(v, "s1", 2) == 0);
	v = gtfs_value(&l, &row, gtfs_column_index(GTFS_STOPS, "stop_desc"), &len);
	CHECK(v && len == 0);
	v = gtfs_value(&l, &row, gtfs_column_index(GTFS_STOPS, "stop_lat"), &len);
	CHECK(v == NULL && len == 0);
	CHECK(gtfs_value(&l, &row, -1, &len) == NULL);
	CHECK(gtfs_value(&l, &row, 99, &len) == NULL);
	csv_close(r);
}

int main(void)
{
	test_types();
	test_tables();
	test_headers();
	test_rows();
	test_values();
	return check_done("test_gtfs");
}
