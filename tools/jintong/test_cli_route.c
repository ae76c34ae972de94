/*
 * test_cli_route.c — routes and service calendars without a daemon: options
 * given more than once, stop lists, dates and terms, days of the week and
 * market digits, shape files as text and as GeoJSON, and each command up to
 * the request it would send: what it refuses, with which message, and what
 * it accepts.
 */
#include "check.h"
#include "cmd.h"
#include "shape.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_repeats(void)
{
	struct cmd_line l;
	CHECK(parse(&l, LINE("calendar", "add", "SCH", "--kind", "school", "--term",
			     "2026-09-01..2027-01-20", "--add", "2026-10-10", "--term=2027-02-20..2027-07-10",
			     "--remove", "2026-10-01", "--add", "2026-10-11")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "term"), "2026-09-01..2027-01-20");
	CHECK_STR(cmd_opt_nth(&l.args, "term", 0), "2026-09-01..2027-01-20");
	CHECK_STR(cmd_opt_nth(&l.args, "term", 1), "2027-02-20..2027-07-10");
	CHECK(cmd_opt_nth(&l.args, "term", 2) == NULL);
	CHECK_STR(cmd_opt_nth(&l.args, "add", 0), "2026-10-10");
	CHECK_STR(cmd_opt_nth(&l.args, "add", 1), "2026-10-11");
	CHECK_STR(cmd_opt_nth(&l.args, "remove", 0), "2026-10-01");
	CHECK(cmd_opt_nth(&l.args, "remove", 1) == NULL);
	/* an option that is not repeatable has one value */
	CHECK_STR(cmd_opt_nth(&l.args, "kind", 0), "school");
	CHECK(cmd_opt_nth(&l.args, "kind", 1) == NULL);
	CHECK(cmd_opt_nth(&l.args, "digits", 0) == NULL);
	CHECK(cmd_opt_nth(&l.args, "nonsense", 0) == NULL);
	CHECK(parse(&l, LINE("calendar", "add", "SCH", "--kind", "school", "--kind", "weekly")) ==
	      CLI_USAGE);
	CHECK(strstr(l.error, "--kind given twice"));
	CHECK(parse(&l, LINE("calendar", "market", "T01", "--days", "1", "--days", "2")) == CLI_USAGE);

	/* more values than a line holds: refused, not dropped */
	const char *words[2 * CMD_MAX_MANY + 8] = { "jintong", "calendar", "edit", "SCH" };
	int n = 4;
	for (int i = 0; i <= CMD_MAX_MANY; i++) {
		words[n++] = "--add";
		words[n++] = "2026-10-10";
	}
	words[n] = NULL;
	CHECK(parse(&l, words) == CLI_USAGE);
	CHECK(strstr(l.error, "more than 100 values"));
	words[n - 2] = NULL;
	CHECK(parse(&l, words) == CLI_OK && l.args.nmany == CMD_MAX_MANY);

	/* the help says which */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("calendar", "add", "--help")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "--term FIRST..LAST  school: a term, its first and last day; may be "
			  "repeated\n"));
	CHECK(strstr(out, "[--term FIRST..LAST]... [--add DATE]..."));
	CHECK(!strstr(out, "--kind KIND         weekly, market, school or dates; may"));
	free(out);
}

static void test_code_list(void)
{
	struct check_codes l;
	CHECK(check_code_list("S1,S2, S3 ,S-4", 10, &l) == CHECK_LIST_OK && l.n == 4);
	CHECK_STR(l.codes[0], "S1");
	CHECK_STR(l.codes[2], "S3");
	CHECK_STR(l.codes[3], "S-4");
	check_list_free(&l);
	CHECK(check_code_list("S1", 10, &l) == CHECK_LIST_OK && l.n == 1);
	check_list_free(&l);
	CHECK(check_code_list("", 10, &l) == CHECK_LIST_EMPTY && l.bad_index == 0);
	check_list_free(&l);
	CHECK(check_code_list("S1,,S2", 10, &l) == CHECK_LIST_EMPTY && l.bad_index == 1);
	check_list_free(&l);
	CHECK(check_code_list("S1,S2,", 10, &l) == CHECK_LIST_EMPTY && l.bad_index == 2);
	check_list_free(&l);
	CHECK(check_code_list("S1,S 2", 10, &l) == CHECK_LIST_CODE && l.bad_index == 1);
	CHECK_STR(l.bad, "S 2");
	check_list_free(&l);
	CHECK(check_code_list("S1;S2", 10, &l) == CHECK_LIST_CODE && l.bad_index == 0);
	check_list_free(&l);
	CHECK(check_code_list("A,B,C", 2, &l) == CHECK_LIST_TOO_MANY && l.bad_index == 2);
	check_list_free(&l);
	CHECK(check_code_list(NULL, 2, &l) == CHECK_LIST_EMPTY);
	check_list_free(&l);
}

static void test_dates(void)
{
	jt_day a, b;
	CHECK(check_date("2026-11-04", &a) && check_date("2026-11-05", &b) && b == a + 1);
	CHECK(check_date("2028-02-29", &a));
	CHECK(!check_date("2026-02-29", &a));
	CHECK(!check_date("2026-13-01", &a));
	CHECK(!check_date("2026-1-01", &a));
	CHECK(!check_date("2026-11-04 ", &a));
	CHECK(!check_date("", &a));
	CHECK(!check_date(NULL, &a));

	CHECK(check_span("2026-09-01..2027-01-20", &a, &b) == CHECK_SPAN_OK && b - a == 141);
	CHECK(check_span("2026-09-01..2026-09-01", &a, &b) == CHECK_SPAN_OK && a == b);
	CHECK(check_span("2027-01-20..2026-09-01", &a, &b) == CHECK_SPAN_ORDER);
	CHECK(check_span("2026-09-01", &a, &b) == CHECK_SPAN_SYNTAX);
	CHECK(check_span("2026-09-01-2027-01-20", &a, &b) == CHECK_SPAN_SYNTAX);
	CHECK(check_span("2026-09-01..2026-10-01..2026-11-01", &a, &b) == CHECK_SPAN_SYNTAX);
	CHECK(check_span("2026-09-31..2027-01-20", &a, &b) == CHECK_SPAN_FIRST);
	CHECK(check_span("..2027-01-20", &a, &b) == CHECK_SPAN_FIRST);
	CHECK(check_span("2026-09-01..", &a, &b) == CHECK_SPAN_LAST);
	CHECK(check_span("2026-09-01...2027-01-20", &a, &b) == CHECK_SPAN_LAST);
	CHECK(check_span("2026-09-01 .. 2027-01-20", &a, &b) == CHECK_SPAN_FIRST);
	CHECK(check_span(NULL, &a, &b) == CHECK_SPAN_SYNTAX);
}

static void test_days_digits(void)
{
	uint8_t d;
	char buf[64];
	static const struct {
		const char *in, *out;
	} days[] = {
		{ "mon-fri", "mon-fri" }, { "weekdays", "mon-fri" }, { "Sat,Sun", "sat,sun" },
		{ "weekend", "sat,sun" }, { "daily", "daily" },      { "mon-sun", "daily" },
		{ "mon,wed-fri", "mon,wed-fri" }, { "fri-mon", "mon,fri-sun" }, { "tue", "tue" },
		{ "mon,tue", "mon,tue" },
	};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		CHECK(check_weekdays(days[i].in, &d));
		check_weekdays_text(buf, sizeof buf, d);
		CHECK_STR(buf, days[i].out);
	}
	static const char *const bad_days[] = { "", "someday", "mon-mon", "mon,mon", "mon,",
						"mon fri", "monday" };
	for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++)
		CHECK(!check_weekdays(bad_days[i], &d));
	CHECK(!check_weekdays(NULL, &d));

	uint16_t g;
	CHECK(check_digits("1,4,7", &g) && g == (1u << 1 | 1u << 4 | 1u << 7));
	CHECK(check_digits("147", &g) && g == (1u << 1 | 1u << 4 | 1u << 7));
	CHECK(check_digits("1/4/7", &g) && g == (1u << 1 | 1u << 4 | 1u << 7));
	CHECK(check_digits("0", &g) && g == 1);
	static const char *const bad_digits[] = { "", "1,,4", "1a", "11", "1,4/7", "1,4,", ",1" };
	for (size_t i = 0; i < sizeof bad_digits / sizeof bad_digits[0]; i++)
		CHECK(!check_digits(bad_digits[i], &g));
}

/* shape_parse() on a NUL-terminated text; the error goes into err. */
static int shape_of(const char *text, struct shape *s, char *err, size_t size)
{
	return shape_parse(text, strlen(text), "route.txt", s, err, size);
}

static void test_shape_text(void)
{
	struct shape s;
	char err[512];
	CHECK(shape_of("# county town to Shiqiao\n"
		       "30.1,104.2\n"
		       "\n"
		       "  30.105 , 104.21   # the bridge\r\n"
		       "\t-30.11,104.22\n",
		       &s, err, sizeof err) == 0);
	CHECK(s.n == 3 && s.pts[0] == 30.1 && s.pts[1] == 104.2 && s.pts[2] == 30.105 &&
	      s.pts[5] == 104.22 && s.pts[4] == -30.11);
	json_object *j = shape_json(&s);
	CHECK_STR(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
		  "[[30.1,104.2],[30.105,104.21],[-30.11,104.22]]");
	json_object_put(j);
	shape_free(&s);
	CHECK(shape_of("\xEF\xBB\xBF" "30.1,104.2\n30.2,104.3", &s, err, sizeof err) == 0 && s.n == 2);
	shape_free(&s);

	CHECK(shape_of("30.1,104.2\n30.2 104.3\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt line 2: \"30.2 104.3\" is not LAT,LON; give one point a line"));
	CHECK(s.pts == NULL && s.n == 0);
	CHECK(shape_of("30.1,104.2\n# x\n104.3,30.2\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt line 3:") && strstr(err, "did you mean 30.2,104.3?"));
	CHECK(shape_of("30.1,104.2\n0,0\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "line 2: 0,0 is what a GPS without a fix reports"));
	CHECK(shape_of("30.1,104.2\n30.1,190\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "line 2: the longitude in 30.1,190 is outside -180..180"));
	CHECK(shape_of("30.1,104.2\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt has 1 point; a shape needs at least 2"));
	CHECK(shape_of("  \n# nothing\n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt has 0 points"));
	CHECK(shape_of("\n \n", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt is empty"));
	CHECK(shape_parse("30.1,104.2\n\0", 12, "x.bin", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "x.bin is not a text file"));
	CHECK(shape_parse("30,104\n30,104", 13, "a\x1b[31m.txt", &s, err, sizeof err) == 0);
	shape_free(&s);
	CHECK(shape_parse("30,104\n3", 8, "a\x1b[31m.txt", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "a?[31m.txt line 2")); /* no escape reaches the terminal */

	/* the daemon's limit, and one point more */
	size_t size = (SHAPE_POINTS_MAX + 1) * 14 + 1, o = 0;
	char *big = malloc(size);
	for (int i = 0; i < SHAPE_POINTS_MAX; i++)
		o += (size_t)snprintf(big + o, size - o, "30.%05d,104\n", i);
	CHECK(shape_parse(big, o, "big.txt", &s, err, sizeof err) == 0 && s.n == SHAPE_POINTS_MAX);
	shape_free(&s);
	o += (size_t)snprintf(big + o, size - o, "31.00000,104\n");
	CHECK(shape_parse(big, o, "big.txt", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "big.txt has more than 20000 points"));
	free(big);
}

static void test_shape_geojson(void)
{
	struct shape s;
	char err[512];
	CHECK(shape_of("{\"type\":\"LineString\",\"coordinates\":[[104.2,30.1],[104.21,30.105,512.5]]}",
		       &s, err, sizeof err) == 0);
	CHECK(s.n == 2 && s.pts[0] == 30.1 && s.pts[1] == 104.2 && s.pts[2] == 30.105 &&
	      s.pts[3] == 104.21);
	shape_free(&s);
	CHECK(shape_of("\n {\"type\": \"Feature\", \"properties\": {\"coordinates\": \"x\"},\n"
		       "  \"geometry\": {\"type\": \"LineString\",\n"
		       "   \"coordinates\": [[104, 30], [104.5, 30.5], [105, 31]]}}\n",
		       &s, err, sizeof err) == 0);
	CHECK(s.n == 3 && s.pts[4] == 31 && s.pts[5] == 105);
	shape_free(&s);
	/* a collection with the stops as points and one line */
	CHECK(shape_of("{\"type\":\"FeatureCollection\",\"features\":["
		       "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[104,30]}},"
		       "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\","
		       "\"coordinates\":[[104,30],[104.1,30.1]]}}]}",
		       &s, err, sizeof err) == 0);
	CHECK(s.n == 2 && s.pts[2] == 30.1);
	shape_free(&s);

	/* a bad point: its line, and a hint when the file is latitude first */
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [\n"
		       "  [104.2, 30.1],\n"
		       "  [104.3, 30.2],\n"
		       "  [30.3, 104.4]\n"
		       "]}\n",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt line 4: point 3 [30.3, 104.4] has the latitude 104.4, outside "
			  "-90..90; GeoJSON gives [longitude, latitude]: was the file written "
			  "latitude first?"));
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1],\n"
		       "[190, 30.2]]}",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "line 2: point 2 [190, 30.2] has the longitude 190, outside -180..180"));
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1], [0, 0]]}", &s,
		       err, sizeof err) == -1);
	CHECK(strstr(err, "line 1: point 2 is 0,0"));
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1], [\"104\", 30]]}",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt: point 2 is not [longitude, latitude]")); /* line unknown */
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1], [104]]}", &s,
		       err, sizeof err) == -1);
	CHECK(strstr(err, "line 1: point 2 is not [longitude, latitude]"));

	/* not the right kind of GeoJSON */
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1]]}", &s, err,
		       sizeof err) == -1);
	CHECK(strstr(err, "route.txt has 1 point"));
	CHECK(shape_of("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "a GeoJSON Feature whose geometry is Point, not a LineString"));
	CHECK(shape_of("{\"type\":\"MultiLineString\",\"coordinates\":[]}", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "MultiLineString; join its parts"));
	CHECK(shape_of("{\"type\":\"FeatureCollection\",\"features\":["
		       "{\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}},"
		       "{\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4]]}}]}",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "holds 2 LineStrings; keep only the one the route follows"));
	CHECK(shape_of("{\"type\":\"FeatureCollection\",\"features\":[]}", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "FeatureCollection without a LineString"));
	CHECK(shape_of("{\"stops\": [1, 2]}", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "is JSON but not a GeoJSON line (its type is none)"));
	CHECK(shape_of("{\"type\": \"LineString\",\n\"coordinates\": [[104.2, 30.1],, [1, 2]]}", &s,
		       err, sizeof err) == -1);
	CHECK(strstr(err, "route.txt line 2 is not valid JSON ("));
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1]", &s, err,
		       sizeof err) == -1);
	CHECK(strstr(err, "ends in the middle of its JSON"));
	CHECK(shape_of("{\"type\": \"LineString\", \"coordinates\": [[104.2, 30.1], [104, 30]]}\n"
		       "{}\n",
		       &s, err, sizeof err) == -1);
	CHECK(strstr(err, "line 2: more follows the JSON object"));
}

static void test_shape_json(void)
{
	struct shape s = { 0 };
	double pts[] = { 30.123456789, 104.00000004, -0.00000001, 179.99999999 };
	s.pts = pts;
	s.n = 2;
	json_object *j = shape_json(&s);
	CHECK_STR(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
		  "[[30.1234568,104],[0,180]]");
	json_object *same = json_tokener_parse("[[30.1234568,104.0],[0.0,180]]");
	json_object *moved = json_tokener_parse("[[30.1234569,104.0],[0.0,180]]");
	json_object *shorter = json_tokener_parse("[[30.1234568,104.0]]");
	CHECK(!shape_differs(j, same));
	CHECK(shape_differs(j, moved));
	CHECK(shape_differs(j, shorter));
	CHECK(shape_differs(j, NULL) && shape_differs(NULL, j));
	CHECK(!shape_differs(NULL, NULL));
	json_object_put(j);
	json_object_put(same);
	json_object_put(moved);
	json_object_put(shorter);

	char err[512];
	CHECK(shape_read("/nonexistent/route.txt", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "cannot read the shape file /nonexistent/route.txt (No such file"));
}

static void test_route_commands(void)
{
	char err[1024];
	/* accepted: they get as far as needing the token */
	CHECK(RUN("route", "draw", "L1", "--stops", "S1, S2,S1", "--from", "2026-12-01") ==
	      CLI_UNAUTHORISED);
	CHECK(strstr(err, "no operator token here"));
	CHECK(RUN("route", "redraw", "L1", "--stops", "S1,S2") == CLI_UNAUTHORISED);
	CHECK(RUN("route", "list", "L1") == CLI_UNAUTHORISED);
	CHECK(RUN("route", "show", "L1") == CLI_UNAUTHORISED);
	CHECK(RUN("route", "show", "L1", "12") == CLI_UNAUTHORISED);

	/* refused here */
	CHECK(RUN("route", "draw", "L1") == CLI_USAGE);
	CHECK(strstr(err, "needs --stops")); /* no stops: an empty list */
	CHECK(RUN("route", "draw", "L 1", "--stops", "S1,S2") == CLI_USAGE);
	CHECK(strstr(err, "\"L 1\" is not a line code"));
	CHECK(RUN("route", "draw", "L1", "--stops", "") == CLI_USAGE);
	CHECK(strstr(err, "--stops is empty"));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1") == CLI_USAGE);
	CHECK(strstr(err, "--stops has one stop; a route needs at least two"));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1,S2,") == CLI_USAGE);
	CHECK(strstr(err, "place 3 in --stops is empty"));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1,S2,S2") == CLI_USAGE);
	CHECK(strstr(err, "stop S2 comes twice in a row in --stops (places 2 and 3)"));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1,村") == CLI_USAGE);
	CHECK(strstr(err, "\"村\" (place 2 in --stops) is not a stop code"));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1,S2", "--from", "2026-12-32") == CLI_USAGE);
	CHECK(strstr(err, "--from must be a date as YYYY-MM-DD, a real one, not \"2026-12-32\""));
	CHECK(RUN("route", "draw", "L1", "--stops", "S1,S2", "--shape", "/nonexistent") == CLI_USAGE);
	CHECK(strstr(err, "cannot read the shape file /nonexistent"));
	CHECK(RUN("route", "show", "L1", "0") == CLI_USAGE);
	CHECK(strstr(err, "VERSION must be a whole number from 1, not \"0\""));
	CHECK(RUN("route", "show", "L1", "1", "2") == CLI_USAGE);
	CHECK(strstr(err, "takes 2 arguments"));
}

static void test_calendar_commands(void)
{
	char err[1024];
	CHECK(RUN("calendar", "add", "WK", "--kind", "weekly", "--from", "2026-12-01", "--until",
		  "2026-12-31", "--days", "mon-fri", "--add", "2026-12-05") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "add", "M", "--kind", "market", "--town", "T01", "--digits", "147",
		  "--lunar") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "add", "SCH", "--kind", "school", "--term", "2026-09-01..2027-01-20",
		  "--days", "mon-sat") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "edit", "SCH", "--remove", "2026-10-01") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "edit", "M", "--lunar", "no") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "market", "T01", "--days", "2/5/8", "--code", "MKT-X") ==
	      CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "dates", "M", "--from", "2026-01-01") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "dates", "M", "--from", "2026-01-01", "--to", "2031-01-05") ==
	      CLI_UNAUTHORISED); /* 1830 days */
	CHECK(RUN("calendar", "list") == CLI_UNAUTHORISED);
	CHECK(RUN("calendar", "remove", "M") == CLI_UNAUTHORISED);

	CHECK(RUN("calendar", "add", "WK") == CLI_USAGE);
	CHECK(strstr(err, "needs --kind KIND"));
	CHECK(RUN("calendar", "add", "WK", "--kind", "weekly", "--from", "2026-12-01", "--until",
		  "2026-11-30", "--days", "daily") == CLI_USAGE);
	CHECK(strstr(err, "--until 2026-11-30 is before --from 2026-12-01"));
	CHECK(RUN("calendar", "add", "WK", "--kind", "weekly", "--from", "2026-12-01") == CLI_USAGE);
	CHECK(strstr(err, "a weekly calendar needs --from DATE, --until DATE and --days DAYS"));
	CHECK(RUN("calendar", "add", "M", "--kind", "market", "--digits", "1") == CLI_USAGE);
	CHECK(strstr(err, "a market calendar needs --town TOWN and --digits DIGITS"));
	CHECK(RUN("calendar", "add", "M", "--kind", "market", "--town", "T01", "--digits", "1",
		  "--days", "mon") == CLI_USAGE);
	CHECK(strstr(err, "--days is for weekly and school calendars"));
	CHECK(RUN("calendar", "add", "S", "--kind", "school") == CLI_USAGE);
	CHECK(strstr(err, "a school calendar needs at least one --term FIRST..LAST"));
	CHECK(RUN("calendar", "add", "S", "--kind", "weekly", "--term", "2026-09-01..2026-12-01") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--term is for school calendars, not a weekly one"));
	CHECK(RUN("calendar", "add", "S", "--kind", "school", "--lunar", "--term",
		  "2026-09-01..2026-12-01") == CLI_USAGE);
	CHECK(strstr(err, "--lunar is for market calendars"));
	CHECK(RUN("calendar", "add", "S", "--kind", "school", "--term", "2026-09-01..2026-12-01",
		  "--term", "2027-03-01..2027-02-01") == CLI_USAGE);
	CHECK(strstr(err, "--term 2027-03-01..2027-02-01 ends before it starts"));
	CHECK(RUN("calendar", "add", "S", "--kind", "school", "--term", "2026-09-01..2026-02-30") ==
	      CLI_USAGE);
	CHECK(strstr(err, "the last day of --term 2026-09-01..2026-02-30 is not a date"));
	CHECK(RUN("calendar", "add", "S", "--kind", "school", "--term", "2026-09-01..2026-12-01",
		  "--add", "2026-10-10", "--remove", "2026-10-01", "--add", "2026-10-01") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--add 2026-10-01 and --remove 2026-10-01 contradict each other"));
	CHECK(RUN("calendar", "edit", "S", "--remove", "tomorrow") == CLI_USAGE);
	CHECK(strstr(err, "--remove must be a date"));
	CHECK(RUN("calendar", "edit", "M", "--lunar") == CLI_USAGE);
	CHECK(strstr(err, "--lunar needs a value"));
	CHECK(RUN("calendar", "edit", "M", "--lunar", "true") == CLI_USAGE);
	CHECK(strstr(err, "--lunar takes yes or no"));
	CHECK(RUN("calendar", "edit", "M", "--town", "T 1") == CLI_USAGE);
	CHECK(strstr(err, "--town must be a town code"));
	CHECK(RUN("calendar", "market", "T01") == CLI_USAGE);
	CHECK(strstr(err, "needs --days DIGITS"));
	CHECK(RUN("calendar", "market", "T01", "--days", "mon-fri") == CLI_USAGE);
	CHECK(strstr(err, "--days must be the last digits of the market days"));
	CHECK(RUN("calendar", "market", "T01", "--days", "1", "--code", "-X") == CLI_USAGE);
	CHECK(strstr(err, "\"-X\" is not a calendar code"));
	CHECK(RUN("calendar", "market", "T/1", "--days", "1") == CLI_USAGE);
	CHECK(strstr(err, "\"T/1\" is not a town code"));
	CHECK(RUN("calendar", "dates", "M", "--from", "2026-01-01", "--to", "2031-01-06") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--to 2031-01-06 is 1831 days after --from 2026-01-01"));
	CHECK(RUN("calendar", "dates", "M", "--to", "2026-02-30") == CLI_USAGE);
	CHECK(strstr(err, "--to must be a date"));
}

int main(void)
{
	test_repeats();
	test_code_list();
	test_dates();
	test_days_digits();
	test_shape_text();
	test_shape_geojson();
	test_shape_json();
	test_route_commands();
	test_calendar_commands();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
