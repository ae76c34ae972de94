/*
 * The GTFS export of the operators' CLI against the real daemon: a small
 * network (two companies, five stops with Chinese names, one with a comma,
 * two lines, a route with a shape and a later version, a lunar market
 * calendar and a daily one, timetables) written with `jintong gtfs export`,
 * then the files read: headers, row counts, the service dates against the
 * daemon's, quoting, and a trip on a version not yet in effect left out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
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


/* The file's lines, its header first, into lines[]; the count (0 when missing). */
static char file_text[65536];
static int read_lines(const char *dir, const char *name, const char **lines, int max)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(file_text, 1, sizeof file_text - 1, f);
	fclose(f);
	file_text[n] = '\0';
	int k = 0;
	for (char *p = file_text; *p && k < max;) {
		lines[k++] = p;
		char *e = strchr(p, '\n');
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
	}
	return k;
}

/* How many dates the daemon says a calendar runs on in [from, to]. */
static int dates_of(const char *code, const char *from, const char *to)
{
	char path[256];
	snprintf(path, sizeof path, "/v1/admin/calendars/%s/dates?from=%s&to=%s", code, from, to);
	struct h_resp r;
	h_admin(&t, "GET", path, NULL, &r);
	int n = -1;
	if (r.status == 200) {
		n = 0;
		const char *d = strstr(r.body, "\"dates\"");
		for (const char *p = d ? d + 7 : NULL; p && (p = strchr(p, '"'));) {
			if (strlen(p) > 11 && p[5] == '-' && p[8] == '-' && p[11] == '"') {
				n++;
				p += 12;
			} else {
				p++;
			}
		}
	}
	h_resp_free(&r);
	return n;
}

static void setup(void)
{
	char today[16], later[16], shape[512];
	h_county_date(0, today, sizeof today);
	h_county_date(60, later, sizeof later);
	int rc = cli("town", "add", "T-SQ", "--name", "石桥镇", "--at", "30.05,104.62", NULL);
	CHECK(rc == 0, "town: %d %s", rc, out);
	rc = cli("operator", "add", "OP1", "--name", "石桥客运", NULL);
	CHECK(rc == 0, "operator 1: %d %s", rc, out);
	rc = cli("operator", "add", "OP2", "--name", "青龙\"快线\"公司", NULL);
	CHECK(rc == 0, "operator 2: %d %s", rc, out);
	rc = cli("line", "add", "L1", "--name", "县城—石桥", "--kind", "scheduled", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0, "line L1: %d %s", rc, out);
	rc = cli("line", "add", "L2", "--name", "石桥赶场", "--kind", "market_day", "--operator", "OP2",
		 NULL);
	CHECK(rc == 0, "line L2: %d %s", rc, out);
	static const char *const stops[][3] = {
		{ "S1", "县城车站", "30.000" },   { "S2", "青龙桥", "30.010" },
		{ "S3", "白云村,二组", "30.020" }, { "S4", "石桥场镇", "30.030" },
		{ "S5", "石桥小学", "30.040" },
	};
	for (size_t i = 0; i < 5; i++) {
		char at[32];
		snprintf(at, sizeof at, "%s,104.5", stops[i][2]);
		rc = cli("stop", "add", stops[i][0], "--name", stops[i][1], "--kind", "roadside", "--at",
			 at, NULL);
		CHECK(rc == 0, "stop %s: %d %s", stops[i][0], rc, out);
	}
	h_write_file(&t, shape, sizeof shape, "l1.txt",
		   "30.0000,104.5000\n30.0050,104.5050\n30.0100,104.5000\n30.0200,104.5100\n");
	rc = cli("route", "draw", "L1", "--stops", "S1,S2,S3", "--shape", shape, NULL);
	CHECK(rc == 0, "route L1: %d %s", rc, out);
	rc = cli("route", "redraw", "L1", "--stops", "S1,S3", "--from", later, NULL);
	CHECK(rc == 0, "route L1 v2: %d %s", rc, out);
	rc = cli("route", "draw", "L2", "--stops", "S3,S4,S5", NULL);
	CHECK(rc == 0, "route L2: %d %s", rc, out);
	rc = cli("calendar", "market", "T-SQ", "--days", "1,4,7", "--lunar", NULL);
	CHECK(rc == 0, "market calendar: %d %s", rc, out);
	rc = cli("calendar", "add", "DAILY", "--kind", "weekly", "--name", "每天", "--days", "daily",
		 "--from", today, "--until", "2199-12-31", NULL);
	CHECK(rc == 0, "weekly calendar: %d %s", rc, out);
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--version", "1", "--first", "06:30",
		 "--last", "08:00", "--every", "30m", NULL);
	CHECK(rc == 0 && strstr(out, "Added 4 trips"), "timetable L1: %d %s", rc, out);
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--version", "2", "--first", "12:00",
		 "--last", "12:00", "--every", "1h", NULL);
	CHECK(rc == 0 && strstr(out, "Added 1 trip"), "timetable L1 v2: %d %s", rc, out);
	rc = cli("timetable", "add", "L2", "--calendar", "MKT-T-SQ", "--first", "08:00", "--last",
		 "09:00", "--every", "1h", "--block", "BUS-02", NULL);
	CHECK(rc == 0, "timetable L2: %d %s", rc, out);
}

static void export(void)
{
	char dir[512], today[16], last[16];
	const char *l[200];
	int n;
	snprintf(dir, sizeof dir, "%s/feed", t.tmpdir);
	h_county_date(0, today, sizeof today);
	h_county_date(29, last, sizeof last);

	int rc = cli("gtfs", "export", dir, "--days", "30", NULL);
	CHECK(rc == 0 && strstr(out, "Checked") && strstr(out, "1 left out"), "export: %d %s", rc, out);

	n = read_lines(dir, "agency.txt", l, 200);
	CHECK(n == 3 && strcmp(l[0], "agency_id,agency_name,agency_url,agency_timezone") == 0,
	      "agency.txt: %d lines", n);
	CHECK(n == 3 && strcmp(l[2], "OP2,\"青龙\"\"快线\"\"公司\",https://example.invalid/,Asia/Shanghai") == 0,
	      "agency with quotes: %s", n == 3 ? l[2] : "");

	n = read_lines(dir, "stops.txt", l, 200);
	CHECK(n == 6 && strcmp(l[0], "stop_id,stop_name,stop_lat,stop_lon,jintong_kind") == 0, "stops.txt: %d", n);
	bool quoted = false;
	for (int i = 1; i < n; i++)
		quoted |= strncmp(l[i], "S3,\"白云村,二组\",30.02", 26) == 0;
	CHECK(quoted, "a name with a comma is quoted: %s", file_text);

	n = read_lines(dir, "routes.txt", l, 200);
	CHECK(n == 3 &&
		      strcmp(l[0], "route_id,agency_id,route_short_name,route_long_name,route_desc,"
				   "route_type,jintong_kind") == 0,
	      "routes.txt: %d", n);
	CHECK(n == 3 && strstr(l[2], "L2,OP2,L2,石桥赶场,market-day run,3,market_day"), "L2: %s", n == 3 ? l[2] : "");

	n = read_lines(dir, "trips.txt", l, 200);
	CHECK(n == 7 && strcmp(l[0], "route_id,service_id,trip_id,shape_id,block_id") == 0,
	      "trips.txt: %d lines", n);
	bool shaped = false, blocked = false, v2 = false;
	for (int i = 1; i < n; i++) {
		shaped |= strcmp(l[i], "L1,DAILY,L1-0630,L1-v1,") == 0;
		blocked |= strcmp(l[i], "L2,MKT-T-SQ,L2-0800,,BUS-02") == 0;
		v2 |= strstr(l[i], "L1-1200") != NULL;
	}
	CHECK(shaped && blocked && !v2, "trips: shape, block, version 2 left out: %s", file_text);

	n = read_lines(dir, "stop_times.txt", l, 200);
	CHECK(n == 19 &&
		      strcmp(l[0], "trip_id,arrival_time,departure_time,stop_id,stop_sequence") == 0 &&
		      strcmp(l[1], "L1-0630,06:30:00,06:30:00,S1,1") == 0,
	      "stop_times.txt: %d %s", n, n > 1 ? l[1] : "");

	n = read_lines(dir, "shapes.txt", l, 200);
	CHECK(n == 5 && strcmp(l[0], "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence") == 0 &&
		      strcmp(l[1], "L1-v1,30.000000,104.500000,1") == 0,
	      "shapes.txt: %d", n);

	int want = dates_of("DAILY", today, last) + dates_of("MKT-T-SQ", today, last);
	n = read_lines(dir, "calendar_dates.txt", l, 200);
	CHECK(want > 30 && n == want + 1 && strcmp(l[0], "service_id,date,exception_type") == 0,
	      "calendar_dates.txt: %d lines, want %d dates", n, want);
	CHECK(read_lines(dir, "calendar.txt", l, 200) == 0, "no calendar.txt");

	rc = cli("gtfs", "export", dir, "--days", "0", NULL);
	CHECK(rc == 2 && strstr(out, "--days"), "days 0: %d %s", rc, out);
	rc = cli("gtfs", "export", dir, "--days", "367", NULL);
	CHECK(rc == 2, "days 367: %d %s", rc, out);
	char file[600];
	snprintf(file, sizeof file, "%s/agency.txt", dir);
	rc = cli("gtfs", "export", file, NULL);
	CHECK(rc == 2 && strstr(out, "not a directory"), "a file: %d %s", rc, out);
}

int main(void)
{
	h_init(&t, "gtfs_export");
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
	export();
	return h_finish(&t);
}
