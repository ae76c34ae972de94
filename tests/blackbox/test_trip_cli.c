/*
 * Trips and timetables through the operators' CLI against the real daemon:
 * regular departures added and listed; a timetable sheet (CSV) with bad rows
 * refused before anything is sent, a good one added, one the daemon refuses
 * part-way reported with the trips already added; a trip shown with its
 * stops' names; the grid of a line's timetable, wrapped to the screen; and
 * a trip removed.
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
static char out[32768];

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

static int offline(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = run(dead_url, first, ap);
	va_end(ap);
	return rc;
}

static int count(const char *what)
{
	int n = 0;
	for (const char *p = out; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
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
}

static void regular(void)
{
	int rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last",
		     "08:00", "--every", "30m", "--speed", "40", NULL);
	CHECK(rc == 0 && strstr(out, "Added 4 trips to line L1") &&
		      h_line_with(out, "TRIP", "DEPARTS", "ARRIVES", "STOPS", NULL) &&
		      h_line_with(out, "L1-0630", "06:30", "3", NULL) && h_line_with(out, "L1-0800", "08:00", NULL),
	      "timetable add: %d %s", rc, out);
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last",
		 "06:30", "--every", "30m", NULL);
	CHECK(rc == 2 && strstr(out, "L1-0630"), "twice: %d %s", rc, out);
}

static void sheets(void)
{
	char bad[512], good[512], part[512], wrong[512];
	h_write_file(&t, bad, sizeof bad, "bad.csv",
		   "trip,S1,S2,S3\n"
		   "L1-X0900,09:00,09:10,09:20\n"
		   "L1-X0930,09:30,9:40,09:50\n"
		   "L1-X1000,10:00,10:10/10:05,10:20\n"
		   "L1-X1030,10:30,10:40\n"
		   "L1-X1100,11:00,10:50,11:20\n");
	int rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--csv", bad, NULL);
	CHECK(rc == 2 && strstr(out, "bad.csv:3:") && strstr(out, "\"9:40\"") &&
		      strstr(out, "bad.csv:4:") && strstr(out, "bad.csv:5:") &&
		      strstr(out, "bad.csv:6:") && !strstr(out, "bad.csv:2:") &&
		      strstr(out, "4 problems") && strstr(out, "nothing was sent"),
	      "bad sheet: %d %s", rc, out);
	rc = cli("trip", "list", NULL);
	CHECK(rc == 0 && !strstr(out, "L1-X0900"), "nothing sent: %d %s", rc, out);

	h_write_file(&t, wrong, sizeof wrong, "wrong.csv", "trip,S1,S3\nL1-Y0900,09:00,09:20\n");
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--csv", wrong, NULL);
	CHECK(rc == 2 && strstr(out, "not those of route version 1") && strstr(out, "write trip,S1,S2,S3"),
	      "wrong stops: %d %s", rc, out);

	h_write_file(&t, good, sizeof good, "good.csv",
		   "trip,S1,S2,S3\r\n"
		   "L1-X1000,10:00,10:15/10:16,10:30\r\n"
		   "L1-X1400, 14:00 ,14:15,14:30\r\n");
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--csv", good, NULL);
	CHECK(rc == 0 && strstr(out, "Added 2 trips to line L1") && h_line_with(out, "L1-X1000", "10:00", "10:30", NULL),
	      "good sheet: %d %s", rc, out);

	h_write_file(&t, part, sizeof part, "part.csv",
		   "trip,S1,S2,S3\n"
		   "L1-X1600,16:00,16:15,16:30\n"
		   "L1-0630,17:00,17:15,17:30\n"
		   "L1-X1800,18:00,18:15,18:30\n");
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--csv", part, NULL);
	CHECK(rc == 2 && strstr(out, "L1-0630") && strstr(out, "part.csv line 3") &&
		      strstr(out, "1 trip before it was added") && h_line_with(out, "  L1-X1600", NULL),
	      "refused part-way: %d %s", rc, out);
	rc = cli("trip", "list", "--line", "L1", NULL);
	CHECK(rc == 0 && h_line_with(out, "TRIP", "LINE", "VERSION", "CALENDAR", NULL) &&
		      h_line_with(out, "L1-X1600", "DAILY", "16:00", "16:30", NULL) && !strstr(out, "L1-X1800") &&
		      count("\nL1-") == 7,
	      "trip list: %d %s", rc, out);
}

static void show(void)
{
	int rc = cli("trip", "show", "L1-X1000", NULL);
	CHECK(rc == 0 && h_line_with(out, "line:", "L1", NULL) && h_line_with(out, "calendar:", "DAILY", NULL) &&
		      h_line_with(out, "2", "S2", "青龙桥", "10:15", "10:16", NULL) &&
		      h_line_with(out, "1", "S1", "县城车站", "10:00", NULL),
	      "trip show: %d %s", rc, out);
	rc = cli("trip", "show", "L1-NONE", NULL);
	CHECK(rc == 3 && strstr(out, "jintong trip list"), "unknown trip: %d %s", rc, out);

	setenv("COLUMNS", "200", 1);
	rc = cli("timetable", "show", "L1", NULL);
	CHECK(rc == 0 && count("STOP") == 1 && h_line_with(out, "县城车站 (S1)", "06:30", "07:00", "10:00", "16:00", NULL) &&
		      h_line_with(out, "白云村 (S3)", "10:30", NULL) && h_line_with(out, "Line L1: 7 trips", NULL),
	      "timetable show: %d %s", rc, out);
	const char *s1 = h_line_with(out, "县城车站 (S1)", NULL), *c630 = s1 ? strstr(s1, "06:30") : NULL;
	const char *c1000 = s1 ? strstr(s1, "10:00") : NULL;
	CHECK(c630 && c1000 && c630 < c1000, "columns in departure order: %s", out);
	setenv("COLUMNS", "60", 1);
	rc = cli("timetable", "show", "L1", NULL);
	CHECK(rc == 0 && count("STOP") >= 2 && count("县城车站 (S1)") >= 2 &&
		      h_line_with(out, "青龙桥 (S2)", "06:41", NULL) && !strstr(out, "06:41:30"),
	      "wrapped: %d %s", rc, out);
	for (const char *p = out; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t len = strcspn(p, "\n"), wide = 0;
		for (size_t i = 0; i < len; i++)
			wide += ((unsigned char)p[i] & 0xF0) == 0xE0; /* a CJK character: 3 bytes, 2 columns */
		CHECK(len - wide <= 60, "wider than the screen: %.*s", (int)len, p);
	}
	unsetenv("COLUMNS");
	rc = cli("timetable", "show", "L1", "--calendar", "NONE", NULL);
	CHECK(rc == 0 && strstr(out, "No trips on line L1"), "no trips: %d %s", rc, out);

	rc = cli("trip", "remove", "L1-X1000", NULL);
	CHECK(rc == 0 && strstr(out, "Removed trip L1-X1000"), "remove: %d %s", rc, out);
	rc = cli("trip", "remove", "L1-X1000", NULL);
	CHECK(rc == 3, "remove twice: %d %s", rc, out);
}

static void refusals(void)
{
	char any[512];
	h_write_file(&t, any, sizeof any, "any.csv", "trip,S1,S2\nA,06:00,06:10\n");
	int rc = offline("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", NULL);
	CHECK(rc == 2 && strstr(out, "--every"), "no --every: %d %s", rc, out);
	rc = offline("timetable", "add", "L1", "--calendar", "DAILY", "--first", "25:70", "--last",
		     "26:00", "--every", "1h", NULL);
	CHECK(rc == 2 && strstr(out, "25:70"), "bad time: %d %s", rc, out);
	rc = offline("timetable", "add", "L1", "--first", "06:30", "--last", "07:00", "--every", "1h",
		     NULL);
	CHECK(rc == 2 && strstr(out, "--calendar"), "no calendar: %d %s", rc, out);
	rc = offline("timetable", "add", "L1", "--calendar", "DAILY", "--csv", any, "--every", "1h",
		     NULL);
	CHECK(rc == 2 && strstr(out, "cannot go with --csv"), "csv and every: %d %s", rc, out);
	rc = offline("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last",
		     "07:00", "--every", "1h", "--speed", "300", NULL);
	CHECK(rc == 2 && strstr(out, "--speed"), "speed: %d %s", rc, out);
	rc = offline("trip", "show", "bad code", NULL);
	CHECK(rc == 2, "bad trip code: %d %s", rc, out);
	rc = offline("trip", "list", NULL);
	CHECK(rc == 4, "offline list: %d %s", rc, out);
}

int main(void)
{
	h_init(&t, "trip_cli");
	if (!getenv("JINTONG_CLI"))
		return 77;
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	snprintf(dead_url, sizeof dead_url, "http://127.0.0.1:%d", h_free_port());
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	setup();
	regular();
	sheets();
	show();
	refusals();
	return h_finish(&t);
}
