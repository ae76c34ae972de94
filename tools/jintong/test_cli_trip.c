/*
 * test_cli_trip.c — unit tests of trips and timetables in the operators'
 * tool: times of the service day, timetable sheets (CSV) and the problems
 * reported with their lines, CSV fields quoted for GTFS, and the trip,
 * timetable and gtfs command lines refused before anything is sent.
 */
#include "test.h"
#include "trip.h"

#include <stdlib.h>
#include <string.h>

static void test_hhmm(void)
{
	static const struct {
		const char *s;
		int want; /* -1: refused */
	} cases[] = {
		{ "06:30", 390 }, { "00:00", 0 },   { "23:59", 1439 }, { "24:10", 1450 },
		{ "47:59", 2879 }, { "48:00", -1 }, { "6:30", -1 },   { "06:60", -1 },
		{ "06-30", -1 },  { "06:3a", -1 },  { "", -1 },       { "06:300", -1 },
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		int m = -1;
		bool ok = trip_parse_hhmm(cases[i].s, strlen(cases[i].s), &m);
		CHECK(ok == (cases[i].want >= 0));
		if (ok)
			CHECK(m == cases[i].want);
	}
}

/* sheet_read on text; problems printed go into err. */
static size_t read_sheet(const char *text, struct sheet *s, char *err, size_t size)
{
	FILE *f = tmpfile();
	size_t n = sheet_read("t.csv", text, strlen(text), s, f);
	rewind(f);
	size_t got = fread(err, 1, size - 1, f);
	err[got] = '\0';
	fclose(f);
	return n;
}

static void test_sheet_good(void)
{
	struct sheet s;
	char err[2048];
	size_t n = read_sheet("\xEF\xBB\xBFtrip,S1,S2,S3\r\n"
			      "L1-0630,06:30,06:42/06:43,07:05\r\n"
			      "\r\n"
			      "\"L1-2350\", 23:50 ,24:02,24:20\n",
			      &s, err, sizeof err);
	CHECK(n == 0);
	CHECK_STR(err, "");
	CHECK(s.nstops == 3 && s.ntrips == 2);
	if (s.nstops == 3 && s.ntrips == 2) {
		CHECK_STR(s.stops[0], "S1");
		CHECK_STR(s.stops[2], "S3");
		CHECK_STR(s.trips[0].code, "L1-0630");
		CHECK(s.trips[0].line == 2);
		CHECK(s.trips[0].arr[1] == 402 && s.trips[0].dep[1] == 403);
		CHECK(s.trips[0].arr[0] == 390 && s.trips[0].dep[0] == 390);
		CHECK_STR(s.trips[1].code, "L1-2350");
		CHECK(s.trips[1].line == 4);
		CHECK(s.trips[1].arr[2] == 24 * 60 + 20);
	}
	sheet_free(&s);
}

static void test_sheet_bad(void)
{
	struct sheet s;
	char err[4096];
	size_t n = read_sheet("trip,S1,S2\n"
			      "A,06:30,06:40\n"
			      "B,6:30,06:40\n"          /* 3: not a time */
			      "C,06:30\n"               /* 4: too few */
			      "D,06:30,06:20\n"         /* 5: backwards */
			      "E,06:30,06:40/06:35\n"   /* 6: departs before arriving */
			      "bad code,06:30,06:40\n"  /* 7: trip code */
			      "A,07:30,07:40\n"         /* 8: twice */
			      "F,06:30,\n"              /* 9: no time */
			      "G,\"06:30\"x,06:40\n"    /* 10: malformed CSV */
			      "H,06:30,06:40\n",
			      &s, err, sizeof err);
	CHECK(n == 8);
	CHECK(!strstr(err, "t.csv:2:"));
	CHECK(strstr(err, "t.csv:3: \"6:30\" at stop S1 is not a time") != NULL);
	CHECK(strstr(err, "t.csv:4: 1 times for 2 stops") != NULL);
	CHECK(strstr(err, "t.csv:5: the time at stop S2 (06:20) is before the departure from S1") != NULL);
	CHECK(strstr(err, "t.csv:6: at stop S2 the departure 06:40/06:35 comes before the arrival") != NULL);
	CHECK(strstr(err, "t.csv:7: the trip code") != NULL);
	CHECK(strstr(err, "t.csv:8: trip A is also on line 2") != NULL);
	CHECK(strstr(err, "t.csv:9: no time at stop S2") != NULL);
	CHECK(strstr(err, "t.csv:10:") != NULL);
	CHECK(!strstr(err, "t.csv:11:"));
	sheet_free(&s);

	static const char *const headers[] = {
		"",                      /* empty file */
		"trip,S1\nA,06:30\n",    /* one stop */
		"code,S1,S2\nA,06:30,06:40\n",
		"trip,S1,S 2\nA,06:30,06:40\n",
		"trip,S1,S2\n",          /* no trips */
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(headers); i++) {
		CHECK(read_sheet(headers[i], &s, err, sizeof err) >= 1);
		CHECK(strstr(err, "t.csv") != NULL);
		sheet_free(&s);
	}
}

static void put(char *buf, size_t size, const char *const *fields, size_t n)
{
	FILE *f = tmpfile();
	csv_row(f, n, fields);
	rewind(f);
	size_t got = fread(buf, 1, size - 1, f);
	buf[got] = '\0';
	fclose(f);
}

static void test_csv_quoting(void)
{
	char buf[256];
	const char *plain[] = { "S1", "县城车站", "30.000000", "" };
	put(buf, sizeof buf, plain, 4);
	CHECK_STR(buf, "S1,县城车站,30.000000,\n");
	const char *comma[] = { "S3", "白云村,二组" };
	put(buf, sizeof buf, comma, 2);
	CHECK_STR(buf, "S3,\"白云村,二组\"\n");
	const char *quote[] = { "青龙\"快线\"", "a\nb", "c\rd", NULL };
	put(buf, sizeof buf, quote, 4);
	CHECK_STR(buf, "\"青龙\"\"快线\"\"\",\"a\nb\",\"c\rd\",\n");
}

static void test_short_time(void)
{
	char buf[16];
	CHECK_STR(trip_short_time(buf, sizeof buf, "06:30:00"), "06:30");
	CHECK_STR(trip_short_time(buf, sizeof buf, "25:10:00"), "25:10");
	CHECK_STR(trip_short_time(buf, sizeof buf, "06:30:15"), "06:30:15");
	CHECK(trip_short_time(buf, sizeof buf, NULL) == NULL);
}

static void test_lines(void)
{
	char err[2048];
	struct cmd_line l;
	/* --version of the command is the route version, not the program's */
	CHECK(parse(&l, LINE("timetable", "add", "L1", "--version", "2")) == CLI_OK);
	CHECK(!l.g.version);
	CHECK_STR(cmd_opt(&l.args, "version"), "2");
	CHECK(parse(&l, LINE("trip", "list", "--version")) == CLI_OK && l.g.version);

	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--first", "06:30", "--last", "08:00",
		  "--every", "30m") == CLI_UNAUTHORISED);
	CHECK(RUN("timetable", "add", "L1", "--first", "06:30", "--last", "08:00", "--every", "30m") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--calendar is missing") != NULL);
	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--first", "6:30", "--last", "08:00",
		  "--every", "30m") == CLI_USAGE);
	CHECK(strstr(err, "\"6:30\" is not a time") != NULL);
	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--first", "06:30") == CLI_USAGE);
	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--first", "06:30", "--last", "08:00",
		  "--every", "30m", "--dwell", "601") == CLI_USAGE);
	CHECK(strstr(err, "--dwell") != NULL);
	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--csv", "x.csv", "--first",
		  "06:30") == CLI_USAGE);
	CHECK(strstr(err, "cannot go with --csv") != NULL);
	CHECK(RUN("timetable", "add", "L1", "--calendar", "WK", "--csv", "/nonexistent/x.csv") ==
	      CLI_USAGE);
	CHECK(strstr(err, "cannot read /nonexistent/x.csv") != NULL);
	CHECK(RUN("timetable", "add", "L 1", "--calendar", "WK") == CLI_USAGE);
	CHECK(RUN("timetable", "show", "L1") == CLI_UNAUTHORISED);
	CHECK(RUN("trip", "show", "a b") == CLI_USAGE);
	CHECK(RUN("trip", "remove", "L1-0630") == CLI_UNAUTHORISED);
	CHECK(RUN("trip", "list", "--line", "L/1") == CLI_USAGE);
	CHECK(RUN("gtfs", "export", "/tmp", "--days", "0") == CLI_USAGE);
	CHECK(RUN("gtfs", "export", "/tmp", "--days", "367") == CLI_USAGE);
	CHECK(RUN("gtfs", "export", "/dev/null") == CLI_USAGE);
	CHECK(strstr(err, "not a directory") != NULL);
}

/* `trip edit --times`: each form, and what is refused. */
static void test_times(void)
{
	char err[200];
	json_object *t = trip_parse_times("07:30,07:40/07:42,08:00-17:00", err, sizeof err);
	CHECK(t && json_object_array_length(t) == 3);
	CHECK(t && strcmp(json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN),
			  "[\"07:30\",[\"07:40\",\"07:42\"],{\"window\":[\"08:00\",\"17:00\"]}]") == 0);
	json_object_put(t);
	static const char *const bad[][2] = {
		{ "", "stop 1 in --times is empty" },
		{ "07:30,,08:00", "stop 2 in --times is empty" },
		{ "07:30,7h30", "stop 2 in --times is not" },
		{ "07:30-", "stop 1 in --times is not" },
		{ "25:99", "stop 1" },
		{ "07:30,", "stop 2 in --times is empty" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		t = trip_parse_times(bad[i][0], err, sizeof err);
		CHECK(!t && strstr(err, bad[i][1]));
		json_object_put(t);
	}
	/* the start and end of a stop time, fixed or a window */
	json_object *w = json_tokener_parse("{\"stop\":\"zone:Z\",\"window\":[\"08:00:00\",\"17:00:00\"]}");
	json_object *f = json_tokener_parse("{\"stop\":\"S1\",\"arrival\":\"07:30:00\",\"departure\":\"07:31:00\"}");
	CHECK(strcmp(trip_stop_first(w), "08:00:00") == 0 && strcmp(trip_stop_last(w), "17:00:00") == 0);
	CHECK(strcmp(trip_stop_first(f), "07:31:00") == 0 && strcmp(trip_stop_last(f), "07:30:00") == 0);
	json_object_put(w);
	json_object_put(f);
}

int main(void)
{
	test_times();
	test_hhmm();
	test_sheet_good();
	test_sheet_bad();
	test_csv_quoting();
	test_short_time();
	test_lines();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
