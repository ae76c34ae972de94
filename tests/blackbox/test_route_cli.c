/*
 * Routes and service calendars through the operators' CLI against the real
 * daemon: a line's route drawn with a shape from a text file and redrawn
 * from a GeoJSON one, with the changes printed; drawing twice refused; the
 * versions listed with the one in effect marked and shown with stop names;
 * a town's market days and the dates they fall on; a school calendar with
 * two terms, a holiday and a make-up day; and bad input refused before
 * anything is sent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char dead_url[64];
static char out[16384];

/* Runs jintong against url with the token file, then the arguments up to NULL. */
static int run(const char *url, const char *first, va_list ap)
{
	return h_vcli(url, token_file, out, sizeof out, first, ap);
}

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = run(t.d.url, first, ap);
	va_end(ap);
	return rc;
}

/* The same against an address nothing listens on: exit 4 if it tried the daemon. */
static int offline(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = run(dead_url, first, ap);
	va_end(ap);
	return rc;
}

/* Lines of out that start with a date ("2026-11-04 Wed"). */
static int date_lines(void)
{
	int n = 0;
	for (const char *p = out; *p;) {
		int y, m, d;
		char wd[4];
		if (sscanf(p, "%4d-%2d-%2d %3s", &y, &m, &d, wd) == 4)
			n++;
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	return n;
}

static void setup(void)
{
	int rc = cli("town", "add", "T-SQ", "--name", "石桥镇", "--at", "30.05,104.62", NULL);
	CHECK(rc == 0, "town: %d %s", rc, out);
	rc = cli("operator", "add", "OP1", "--name", "石桥客运", NULL);
	CHECK(rc == 0, "operator: %d %s", rc, out);
	rc = cli("line", "add", "L1", "--name", "县城—石桥", "--kind", "scheduled", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0, "line L1: %d %s", rc, out);
	rc = cli("line", "add", "L2", "--name", "石桥赶场", "--kind", "market_day", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0, "line L2: %d %s", rc, out);
	static const char *const stops[][3] = {
		{ "S1", "县城车站", "30.000" }, { "S2", "青龙桥", "30.010" }, { "S3", "白云村", "30.020" },
		{ "S4", "石桥场镇", "30.030" },
	};
	for (size_t i = 0; i < 4; i++) {
		char at[32];
		snprintf(at, sizeof at, "%s,104.5", stops[i][2]);
		rc = cli("stop", "add", stops[i][0], "--name", stops[i][1], "--kind", "roadside", "--at",
			 at, NULL);
		CHECK(rc == 0, "stop %s: %d %s", stops[i][0], rc, out);
	}
}

static void routes(void)
{
	char text[512], geojson[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(30, later, sizeof later);
	h_write_file(&t, text, sizeof text, "l1.txt",
		   "# L1, county town to Shiqiao\n"
		   "30.0000,104.5000\n"
		   "\n"
		   "30.0050,104.5050   # the bridge\n"
		   "30.0100,104.5000\r\n"
		   "30.0200,104.5100\n");
	h_write_file(&t, geojson, sizeof geojson, "l1.geojson",
		   "{\"type\": \"Feature\", \"properties\": {\"name\": \"L1\"},\n"
		   " \"geometry\": {\"type\": \"LineString\", \"coordinates\": [\n"
		   "  [104.5, 30.0],\n"
		   "  [104.52, 30.01],\n"
		   "  [104.5, 30.02],\n"
		   "  [104.51, 30.03]\n"
		   "]}}\n");

	int rc = cli("route", "redraw", "L1", "--stops", "S1,S2", NULL);
	CHECK(rc == 2 && strstr(out, "no route yet") && strstr(out, "jintong route draw L1"),
	      "redraw before draw: %d %s", rc, out);
	rc = cli("route", "draw", "L1", "--stops", "S1,S2,S3", "--shape", text, NULL);
	CHECK(rc == 0 && strstr(out, "Drew the route of line L1: version 1") && strstr(out, today) &&
		      h_line_with(out, "shape:", "4 points", NULL) &&
		      h_line_with(out, "stops:", "S1, S2, S3 (3 stops)", NULL),
	      "draw: %d %s", rc, out);
	rc = cli("route", "draw", "L1", "--stops", "S1,S3", NULL);
	CHECK(rc == 2 && strstr(out, "already has a route") && strstr(out, "jintong route redraw L1"),
	      "draw twice: %d %s", rc, out);

	rc = cli("route", "redraw", "L1", "--stops", "S1,S3,S2,S4", "--from", later, "--shape",
		 geojson, NULL);
	CHECK(rc == 0 && strstr(out, "Redrew the route of line L1: version 2") &&
		      strstr(out, later) && h_line_with(out, "Changes from version 1", NULL) &&
		      h_line_with(out, "+ S4 (added)", NULL) && h_line_with(out, "order changed", NULL) &&
		      h_line_with(out, "shape changed", NULL) && !strstr(out, "removed"),
	      "redraw: %d %s", rc, out);
	rc = cli("route", "redraw", "L1", "--stops", "S1,S3,S4", "--from", later, "--shape", geojson,
		 NULL);
	CHECK(rc == 0 && h_line_with(out, "- S2 (removed)", NULL) && !strstr(out, "added") &&
		      !strstr(out, "order changed") && !strstr(out, "shape changed"),
	      "redraw, one stop fewer: %d %s", rc, out);
	rc = cli("route", "redraw", "L1", "--stops", "S1,S3,S4", "--from", later, NULL);
	CHECK(rc == 0 && h_line_with(out, "no change in stops", NULL) && h_line_with(out, "shape changed", NULL) &&
		      h_line_with(out, "shape:", "straight", NULL),
	      "redraw without a shape: %d %s", rc, out);
	rc = cli("--json", "route", "redraw", "L1", "--stops", "S1,S4", "--from", later, NULL);
	const char *removed = strstr(out, "\"removed\"");
	CHECK(rc == 0 && strstr(out, "\"version\": 5") && strstr(out, "\"diff\"") && removed &&
		      strstr(removed, "\"S3\""),
	      "redraw --json: %d %s", rc, out);

	rc = cli("route", "list", "L1", NULL);
	CHECK(rc == 0 && h_line_with(out, "VERSION", "FROM", "STOPS", "SHAPE", "CREATED", "BY", NULL) &&
		      h_line_with(out, "*", "1", today, "3", "4 points", "tests", NULL) &&
		      h_line_with(out, "2", later, "4", "4 points", NULL) &&
		      h_line_with(out, "4", later, "straight", NULL) && h_line_with(out, "in effect", NULL),
	      "route list: %d %s", rc, out);
	const char *v2 = h_line_with(out, "2", later, "4 points", NULL);
	CHECK(v2 && v2[0] != '*', "only version 1 is marked: %s", out);
	rc = cli("route", "list", "L2", NULL);
	CHECK(rc == 0 && strstr(out, "no route yet"), "empty route list: %d %s", rc, out);

	rc = cli("route", "show", "L1", NULL);
	CHECK(rc == 0 && h_line_with(out, "version:", "1 (in effect)", NULL) &&
		      h_line_with(out, "shape:", "4 points", NULL) && h_line_with(out, "1", "S1", "县城车站", NULL) &&
		      h_line_with(out, "2", "S2", "青龙桥", NULL) && h_line_with(out, "3", "S3", "白云村", NULL) &&
		      !strstr(out, "S4"),
	      "route show: %d %s", rc, out);
	rc = cli("route", "show", "L1", "2", NULL);
	CHECK(rc == 0 && h_line_with(out, "version:", "2 (not in effect yet)", NULL) &&
		      h_line_with(out, "from:", later, NULL) && h_line_with(out, "4", "S4", "石桥场镇", NULL),
	      "route show 2: %d %s", rc, out);
	rc = cli("--json", "route", "show", "L1", NULL);
	CHECK(rc == 0 && strstr(out, "\"version\": 1,") && strstr(out, "\"shape\": ["),
	      "route show --json: %d %s", rc, out);
	rc = cli("route", "show", "L1", "9", NULL);
	CHECK(rc == 3 && strstr(out, "no route version 9"), "unknown version: %d %s", rc, out);
	rc = cli("route", "show", "L2", NULL);
	CHECK(rc == 3 && strstr(out, "no route yet"), "show without a route: %d %s", rc, out);
	rc = cli("route", "list", "L9", NULL);
	CHECK(rc == 3 && strstr(out, "jintong line list"), "unknown line: %d %s", rc, out);
	rc = cli("route", "draw", "L2", "--stops", "S1,S404", NULL);
	CHECK(rc == 2 && strstr(out, "S404"), "unknown stop: %d %s", rc, out);
}

static void calendars(void)
{
	int rc = cli("calendar", "market", "T-SQ", "--days", "1,4,7", NULL);
	CHECK(rc == 0 && strstr(out, "Added calendar MKT-T-SQ (石桥镇 market days)") &&
		      h_line_with(out, "rule:", "market 1,4,7", NULL) && h_line_with(out, "town:", "T-SQ", NULL),
	      "market: %d %s", rc, out);
	rc = cli("calendar", "dates", "MKT-T-SQ", "--from", "2026-11-01", "--to", "2026-11-30", NULL);
	static const char *const want[] = { "2026-11-01 Sun", "2026-11-04 Wed", "2026-11-07 Sat",
					    "2026-11-11 Wed", "2026-11-14 Sat", "2026-11-17 Tue",
					    "2026-11-21 Sat", "2026-11-24 Tue", "2026-11-27 Fri" };
	bool all = true;
	for (size_t i = 0; i < 9; i++)
		all &= h_line_with(out, want[i], NULL) != NULL;
	CHECK(rc == 0 && all && date_lines() == 9 &&
		      h_line_with(out, "9 dates from 2026-11-01 to 2026-11-30", NULL),
	      "market dates: %d %s", rc, out);

	rc = cli("calendar", "market", "T-SQ", "--days", "258", "--lunar", NULL);
	CHECK(rc == 0 && strstr(out, "Calendar MKT-T-SQ exists: changing its market days") &&
		      h_line_with(out, "digits:", "2,5,8", NULL) && h_line_with(out, "lunar:", "yes", NULL) &&
		      h_line_with(out, "name:", "石桥镇 market days", NULL),
	      "market again: %d %s", rc, out);
	rc = cli("calendar", "market", "T-NONE", "--days", "1", NULL);
	CHECK(rc == 3 && strstr(out, "jintong town list"), "market of no town: %d %s", rc, out);

	rc = cli("calendar", "add", "SCH", "--kind", "school", "--name", "石桥小学",
		 "--term", "2026-09-01..2027-01-20", "--term", "2027-02-20..2027-07-10",
		 "--remove", "2026-10-01", NULL);
	CHECK(rc == 0 && strstr(out, "Added calendar SCH (石桥小学)") &&
		      h_line_with(out, "rule:", "school, 2 terms", NULL) &&
		      h_line_with(out, "terms:", "2026-09-01..2027-01-20, 2027-02-20..2027-07-10", NULL) &&
		      h_line_with(out, "removed:", "2026-10-01", NULL),
	      "school: %d %s", rc, out);
	rc = cli("calendar", "edit", "SCH", "--add", "2026-10-10", NULL);
	CHECK(rc == 0 && strstr(out, "Changed calendar SCH") &&
		      h_line_with(out, "added:", "2026-10-10", NULL) &&
		      h_line_with(out, "removed:", "2026-10-01", NULL),
	      "edit --add: %d %s", rc, out);
	rc = cli("calendar", "dates", "SCH", "--from", "2026-09-28", "--to", "2026-10-11", NULL);
	CHECK(rc == 0 && h_line_with(out, "2026-10-10 Sat", NULL) && !strstr(out, "2026-10-01") &&
		      h_line_with(out, "2026-10-02 Fri", NULL) && !strstr(out, "2026-10-04") &&
		      h_line_with(out, "10 dates from 2026-09-28 to 2026-10-11", NULL),
	      "school dates: %d %s", rc, out);
	rc = cli("calendar", "edit", "SCH", "--add", "2026-10-01", NULL);
	CHECK(rc == 0 && h_line_with(out, "added:", "2026-10-01, 2026-10-10", NULL) &&
		      h_line_with(out, "removed:", "none", NULL),
	      "a removed date added back: %d %s", rc, out);

	/* A plain list of dates. */
	rc = cli("calendar", "add", "LIST", "--kind", "dates", "--add", "2026-12-24", "--add",
		 "2026-12-03", NULL);
	CHECK(rc == 0 && h_line_with(out, "rule:", "2 listed dates", NULL), "dates: %d %s", rc, out);
	rc = cli("calendar", "dates", "LIST", "--from", "2026-12-01", "--to", "2026-12-31", NULL);
	CHECK(rc == 0 && h_line_with(out, "2026-12-03 Thu", NULL) && h_line_with(out, "2026-12-24 Thu", NULL) &&
		      h_line_with(out, "2 dates from 2026-12-01 to 2026-12-31", NULL),
	      "listed dates: %d %s", rc, out);
	rc = cli("calendar", "add", "LIST2", "--kind", "dates", NULL);
	CHECK(rc == 2 && strstr(out, "at least one --add"), "a list without dates: %d %s", rc, out);
	rc = cli("calendar", "add", "LIST2", "--kind", "dates", "--add", "2026-12-03", "--days",
		 "mon", NULL);
	CHECK(rc == 2 && strstr(out, "--days is for"), "--days on a list: %d %s", rc, out);

	rc = cli("calendar", "add", "WK", "--kind", "weekly", "--from", "2026-12-01", "--until",
		 "2026-12-31", "--days", "mon-fri", NULL);
	CHECK(rc == 0 && h_line_with(out, "days:", "mon-fri", NULL), "weekly: %d %s", rc, out);
	rc = cli("calendar", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "CODE", "KIND", "NAME", "RULE", NULL) &&
		      h_line_with(out, "MKT-T-SQ", "market", "market 2,5,8 (lunar)", NULL) &&
		      h_line_with(out, "SCH", "school", "石桥小学", "school, 2 terms", NULL) &&
		      h_line_with(out, "WK", "weekly", "mon-fri 2026-12-01..2026-12-31", NULL),
	      "calendar list: %d %s", rc, out);
	rc = cli("calendar", "show", "WK", NULL);
	CHECK(rc == 0 && h_line_with(out, "from:", "2026-12-01", NULL) &&
		      h_line_with(out, "until:", "2026-12-31", NULL),
	      "calendar show: %d %s", rc, out);
	rc = cli("calendar", "edit", "WK", "--digits", "1", NULL);
	CHECK(rc == 2 && strstr(out, "--digits is for market calendars"), "digits on weekly: %d %s",
	      rc, out);
	rc = cli("calendar", "add", "WK", "--kind", "weekly", "--from", "2026-12-01", "--until",
		 "2026-12-31", "--days", "sat,sun", NULL);
	CHECK(rc == 2 && strstr(out, "WK"), "code taken: %d %s", rc, out);
	rc = cli("calendar", "remove", "WK", NULL);
	CHECK(rc == 0 && strstr(out, "Removed calendar WK"), "remove: %d %s", rc, out);
	rc = cli("calendar", "show", "WK", NULL);
	CHECK(rc == 3 && strstr(out, "jintong calendar list"), "removed: %d %s", rc, out);
}

/* Refused here, exit 2, before anything is sent (the address is dead: trying it is exit 4). */
static void refusals(void)
{
	char bad_text[512], bad_json[512];
	h_write_file(&t, bad_text, sizeof bad_text, "bad.txt", "30.0,104.5\n30.01,104.51\n# a comment\n30.02 104.5\n");
	h_write_file(&t, bad_json, sizeof bad_json, "bad.geojson",
		   "{\"type\": \"LineString\", \"coordinates\": [\n"
		   "  [104.5, 30.0],\n"
		   "  [30.01, 104.51]\n"
		   "]}\n");
	struct {
		int rc;
		const char *says;
		const char *args[12];
	} cases[] = {
		{ 2, "at least two", { "route", "draw", "L1", "--stops", "S1" } },
		{ 2, "place 2 in --stops is empty", { "route", "draw", "L1", "--stops", "S1,,S2" } },
		{ 2, "twice in a row", { "route", "redraw", "L1", "--stops", "S1,S2,S2" } },
		{ 2, "is not a stop code", { "route", "draw", "L1", "--stops", "S1,S 2" } },
		{ 2, "--from must be a date", { "route", "redraw", "L1", "--stops", "S1,S2", "--from",
						"2026-02-30" } },
		{ 2, "bad.txt line 4", { "route", "draw", "L1", "--stops", "S1,S2", "--shape", bad_text } },
		{ 2, "bad.geojson line 3: point 2", { "route", "draw", "L1", "--stops", "S1,S2", "--shape",
						       bad_json } },
		{ 2, "cannot read the shape file", { "route", "draw", "L1", "--stops", "S1,S2", "--shape",
						     "/nonexistent/route.txt" } },
		{ 2, "VERSION must be a whole number", { "route", "show", "L1", "v2" } },
		{ 2, "ends before it starts", { "calendar", "add", "SCH2", "--kind", "school", "--term",
						 "2026-12-01..2026-09-01" } },
		{ 2, "--term must be FIRST..LAST", { "calendar", "add", "SCH2", "--kind", "school",
						     "--term", "2026-09-01" } },
		{ 2, "--days must be days of the week", { "calendar", "add", "W2", "--kind", "weekly",
							  "--from", "2026-12-01", "--until",
							  "2026-12-31", "--days", "someday" } },
		{ 2, "a weekly calendar needs", { "calendar", "add", "W2", "--kind", "weekly", "--days",
						  "mon-fri" } },
		{ 2, "--digits must be", { "calendar", "add", "M2", "--kind", "market", "--town", "T-SQ",
					   "--digits", "1a" } },
		{ 2, "--days must be the last digits", { "calendar", "market", "T-SQ", "--days", "1,1" } },
		{ 2, "--add must be a date", { "calendar", "edit", "SCH", "--add", "2026-13-01" } },
		{ 2, "contradict", { "calendar", "edit", "SCH", "--add", "2026-10-05", "--remove",
				     "2026-10-05" } },
		{ 2, "nothing to change", { "calendar", "edit", "SCH" } },
		{ 2, "3652 days after --from 2026-01-01; ask for at most 1830", { "calendar", "dates", "SCH", "--from", "2026-01-01", "--to",
				       "2036-01-01" } },
		{ 2, "--to 2026-01-01 is before --from", { "calendar", "dates", "SCH", "--from",
							   "2026-02-01", "--to", "2026-01-01" } },
		{ 2, "--kind must be one of weekly, market, school", { "calendar", "add", "X",
									"--kind", "monthly" } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const *a = cases[i].args;
		int rc = offline(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
				 a[11], NULL);
		CHECK(rc == cases[i].rc && strstr(out, cases[i].says) && strstr(out, "jintong: "),
		      "%s %s %s: %d %s", a[0], a[1], a[2], rc, out);
	}
	/* and the same lines are good apart from their mistake: they get as far as the daemon */
	int rc = offline("route", "draw", "L1", "--stops", "S1,S2", NULL);
	CHECK(rc == 4, "a good line tries the daemon: %d %s", rc, out);
}

int main(void)
{
	if (!getenv("JINTONG_CLI"))
		return 77; /* run by tests/run, which names the CLI */
	h_init(&t, "route_cli");
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	snprintf(dead_url, sizeof dead_url, "http://127.0.0.1:%d", h_free_port());
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	setup();
	routes();
	calendars();
	refusals();
	return h_finish(&t);
}
