/*
 * The GTFS import of the operators' CLI against the real daemon: a network
 * exported, the database emptied, the feed imported and exported again, the
 * two feeds the same file by file; a malformed feed refused row by row with
 * FILE:LINE messages; and the small county feed in tests/fixtures/gtfs
 * imported without a row refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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


/* The whole file into buf; its length, or -1. */
static long slurp(const char *dir, const char *name, char *buf, size_t size)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

static void setup(void)
{
	char shape[512];
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
	rc = cli("route", "draw", "L2", "--stops", "S3,S4,S5", NULL);
	CHECK(rc == 0, "route L2: %d %s", rc, out);
	rc = cli("calendar", "market", "T-SQ", "--days", "1,4,7", "--lunar", NULL);
	CHECK(rc == 0, "market calendar: %d %s", rc, out);
	char today[16];
	h_county_date(0, today, sizeof today);
	rc = cli("calendar", "add", "DAILY", "--kind", "weekly", "--name", "每天", "--days", "daily",
		 "--from", today, "--until", "2199-12-31", NULL);
	CHECK(rc == 0, "weekly calendar: %d %s", rc, out);
	rc = cli("timetable", "add", "L1", "--calendar", "DAILY", "--first", "06:30", "--last", "08:00",
		 "--every", "30m", NULL);
	CHECK(rc == 0, "timetable L1: %d %s", rc, out);
	rc = cli("timetable", "add", "L2", "--calendar", "MKT-T-SQ", "--first", "08:00", "--last",
		 "09:00", "--every", "1h", "--block", "BUS-02", NULL);
	CHECK(rc == 0, "timetable L2: %d %s", rc, out);
}

/* The network gone from the database, and the daemon started again on the empty one. */
static void empty_network(void)
{
	int rc = h_sql_exec(&t, "TRUNCATE stop_time, trip, route_stop, route_version, calendar, line, "
				"stop, operator, village, town, audit CASCADE");
	REQUIRE(rc == 0, "truncate");
	h_stop(&t, 15);
	h_start(&t, NULL);
}

static char a_text[200000], b_text[200000];

static void round_trip(void)
{
	char a[512], b[512];
	snprintf(a, sizeof a, "%s/a", t.tmpdir);
	snprintf(b, sizeof b, "%s/b", t.tmpdir);
	int rc = cli("gtfs", "export", a, NULL);
	REQUIRE(rc == 0, "export A: %d %s", rc, out);
	empty_network();
	rc = cli("gtfs", "import", a, "--dry-run", NULL);
	CHECK(rc == 0 && strstr(out, "nothing sent"), "dry run: %d %s", rc, out);
	rc = cli("operator", "list", NULL);
	CHECK(rc == 0 && !strstr(out, "OP1"), "dry run sent nothing: %d %s", rc, out);
	rc = cli("gtfs", "import", a, NULL);
	CHECK(rc == 0 && strstr(out, "trips.txt           6 imported, 0 rejected"), "import A: %d %s",
	      rc, out);
	/* the points of the shapes the routes were drawn with, counted */
	long points = slurp(a, "shapes.txt", a_text, sizeof a_text);
	long lines = 0;
	for (const char *p = a_text; points > 0 && *p; p++)
		lines += *p == '\n';
	char want[80];
	snprintf(want, sizeof want, "shapes.txt          %ld imported, 0 rejected", lines - 1);
	CHECK(lines > 2 && strstr(out, want), "want \"%s\" in %s", want, out);
	rc = cli("gtfs", "export", b, NULL);
	CHECK(rc == 0, "export B: %d %s", rc, out);
	static const char *const files[] = { "agency.txt", "stops.txt",  "routes.txt",
					     "trips.txt",  "stop_times.txt", "shapes.txt",
					     "calendar_dates.txt" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		long na = slurp(a, files[i], a_text, sizeof a_text);
		long nb = slurp(b, files[i], b_text, sizeof b_text);
		CHECK(na > 0 && na == nb && strcmp(a_text, b_text) == 0, "%s differs:\n%s\n--\n%s",
		      files[i], a_text, b_text);
	}
}

static void malformed(void)
{
	char dir[512], p[600];
	snprintf(dir, sizeof dir, "%s/bad", t.tmpdir);
	mkdir(dir, 0777);
	h_write_file(&t, p, sizeof p, "bad/agency.txt",
		   "agency_id,agency_name,agency_url,agency_timezone\n"
		   "B1,坏公司,https://example.invalid/,Asia/Shanghai\n");
	h_write_file(&t, p, sizeof p, "bad/stops.txt",
		   "stop_id,stop_name,stop_lat,stop_lon\n"
		   "B-S1,一,30.1,104.5\n"
		   "B-S2,二,30.2,104.6\n"
		   "B-S3,三,95.0,104.7\n"
		   "B-S4,\"四\"x,30.3,104.8\n"
		   "B S5 / Nord,五,30.4,104.9\n"
		   "caf\xe9,六,30.5,105.0\n"
		   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,七,30.6,105.1\n");
	h_write_file(&t, p, sizeof p, "bad/routes.txt",
		   "route_id,agency_id,route_short_name,route_long_name,route_type\n"
		   "B-L1,B1,B-L1,好线,3\n"
		   "B-L2,NOPE,B-L2,坏线,3\n"
		   "B-L3,B1,B-L3,没有线形,3\n");
	h_write_file(&t, p, sizeof p, "bad/calendar_dates.txt",
		   "service_id,date,exception_type\nB-C,20991201,1\n");
	h_write_file(&t, p, sizeof p, "bad/trips.txt",
		   "route_id,service_id,trip_id,shape_id\n"
		   "B-L1,B-C,B-T1,\n"
		   "B-L1,B-C,B-T2,\n"
		   "B-L1,B-C,B-T3,\n"
		   "B-L3,B-C,B-T4,NOSHAPE\n");
	h_write_file(&t, p, sizeof p, "bad/stop_times.txt",
		   "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
		   "B-T1,07:00:00,07:00:00,B-S1,1\n"
		   "B-T1,07:10:00,07:10:00,B-S2,2\n"
		   "B-T2,08:00:00,08:00:00,B-S1,1\n"
		   "B-T2,08:10:00,08:10:00,B-XX,2\n"
		   "B-T3,09:00:00,09:00:00,B-S1,1\n"
		   "B-T3,08:50:00,08:50:00,B-S2,2\n"
		   "B-T4,10:00:00,10:00:00,B-S1,1\n"
		   "B-T4,10:20:00,10:20:00,B-S2,2\n");
	int rc = cli("gtfs", "import", dir, NULL);
	char want[800];
	static const char *const msgs[] = {
		"stops.txt:4: stop_lat: \"95.0\" is not a latitude in -90..90\n",
		"stops.txt:5: field 2 (stop_name): text after the closing quote\n",
		"routes.txt:3: agency_id: NOPE is not in agency.txt\n",
		"stop_times.txt:5: stop_id: B-XX is not in stops.txt\n",
		"trips.txt:3: trip_id: B-T2 has stop times refused\n",
		"stop_times.txt:7: arrival_time: 08:50:00 goes back in time\n",
		"trips.txt:5: shape_id: NOSHAPE is not in shapes.txt\n",
		("trips.txt:5: trip_id: B-T4 not imported: the route of line B-L3 (the stops of trip "
		 "B-T4) was refused\n"),
		"trips.txt:4: trip_id: B-T3 has stop times refused\n",
		"stops.txt:8: stop_id: an id is at most 255 bytes\n",
	};
	CHECK(rc == 2, "malformed feed: %d %s", rc, out);
	for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++) {
		snprintf(want, sizeof want, "%s/%s", dir, msgs[i]);
		CHECK(strstr(out, want), "want \"%s\" in %s", want, out);
	}
	CHECK(strstr(out, "routes.txt          2 imported, 1 rejected") &&
		      strstr(out, "trips.txt           1 imported, 3 rejected") &&
		      strstr(out, "stop_times.txt      2 imported, 6 rejected"),
	      "summary: %s", out);
	/* an id that is not UTF-8: refused with its file and line, whatever refuses it */
	CHECK(strstr(out, "stops.txt:7: ") && strstr(out, "stops.txt           3 imported, 4 rejected"),
	      "ids: %s", out);
	/* an id with spaces and a slash: imported, and shown */
	rc = cli("stop", "list", NULL);
	const char *five = h_line_with(out, "五", NULL);
	char code[64] = "";
	if (five)
		sscanf(five, "%63s", code);
	CHECK(strncmp(code, "B_S5_Nord-", 10) == 0, "a code for \"B S5 / Nord\": %s", out);
	rc = cli("stop", "show", code, NULL);
	CHECK(rc == 0 && strstr(out, "gtfs id:   B S5 / Nord"), "stop show %s: %d %s", code, rc, out);
	rc = cli("trip", "show", "B-T1", NULL);
	CHECK(rc == 0 && strstr(out, "B-L1"), "the good trip was imported: %d %s", rc, out);
}

/* A stop without times between two timepoints gets times spread evenly between them. */
static void interpolated(void)
{
	char dir[512], p[600];
	snprintf(dir, sizeof dir, "%s/interp", t.tmpdir);
	mkdir(dir, 0777);
	h_write_file(&t, p, sizeof p, "interp/agency.txt",
		   "agency_id,agency_name,agency_url,agency_timezone\n"
		   "I1,山区客运,https://example.invalid/,Asia/Shanghai\n");
	h_write_file(&t, p, sizeof p, "interp/stops.txt",
		   "stop_id,stop_name,stop_lat,stop_lon\n"
		   "I-S1,甲,30.40,104.5\nI-S2,乙,30.41,104.5\nI-S3,丙,30.42,104.5\nI-S4,丁,30.43,104.5\n");
	h_write_file(&t, p, sizeof p, "interp/routes.txt",
		   "route_id,agency_id,route_short_name,route_long_name,route_type\n"
		   "I-L1,I1,I-L1,山区线,3\n");
	h_write_file(&t, p, sizeof p, "interp/calendar_dates.txt",
		   "service_id,date,exception_type\nI-C,20991201,1\n");
	/* Two trips out, one back: the way back is a second stop pattern. */
	h_write_file(&t, p, sizeof p, "interp/trips.txt",
		   "route_id,service_id,trip_id\nI-L1,I-C,I-T1\nI-L1,I-C,I-T2\nI-L1,I-C,I-T3\n");
	h_write_file(&t, p, sizeof p, "interp/stop_times.txt",
		   "trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint\n"
		   "I-T1,07:00:00,07:00:00,I-S1,1,1\n"
		   "I-T1,,,I-S2,2,0\n"
		   "I-T1,,,I-S3,3,0\n"
		   "I-T1,07:30:00,07:30:00,I-S4,4,1\n"
		   "I-T2,09:00:00,09:00:00,I-S1,1,1\n"
		   "I-T2,09:10:00,09:10:00,I-S2,2,1\n"
		   "I-T2,09:20:00,09:20:00,I-S3,3,1\n"
		   "I-T2,09:30:00,09:30:00,I-S4,4,1\n"
		   "I-T3,08:00:00,08:00:00,I-S4,1,1\n"
		   "I-T3,08:30:00,08:30:00,I-S1,2,1\n");
	int rc = cli("gtfs", "import", dir, NULL);
	CHECK(rc == 0, "feed with untimed stops and a way back: %d %s", rc, out);
	rc = cli("--json", "trip", "show", "I-T1", NULL);
	CHECK(rc == 0 && strstr(out, "07:10:00") && strstr(out, "07:20:00"),
	      "times filled in evenly: %d %s", rc, out);
	rc = cli("--json", "trip", "show", "I-T3", NULL);
	CHECK(rc == 0 && strstr(out, "\"line\": \"I-L1-2\""), "the way back on its own line: %d %s",
	      rc, out);
	rc = cli("--json", "line", "show", "I-L1-2", NULL);
	CHECK(rc == 0 && strstr(out, "山区线 (2)") && strstr(out, "\"operator\": \"I1\""),
	      "the second line copies the route: %d %s", rc, out);
}

static void fixture(void)
{
	const char *src = getenv("JINTONG_SOURCE_DIR");
	CHECK(src, "JINTONG_SOURCE_DIR is not set (tests/blackbox/meson.build sets it)");
	if (!src)
		return;
	char dir[600];
	snprintf(dir, sizeof dir, "%s/tests/fixtures/gtfs/small-county", src);
	empty_network();
	int rc = cli("gtfs", "import", dir, NULL);
	/* Exit 0: every row imported, none rejected. */
	CHECK(rc == 0 && strstr(out, "Imported ") && !strstr(out, ".txt:") &&
		      strstr(out, "trips.txt           10 imported, 0 rejected"),
	      "small county: %d %s", rc, out);
	rc = cli("stop", "show", "QL-XX", NULL);
	CHECK(rc == 0 && strstr(out, "school"), "stop kind from jintong_kind: %d %s", rc, out);
	rc = cli("line", "show", "BS-GC", NULL);
	CHECK(rc == 0 && strstr(out, "market_day"), "line kind from route_desc: %d %s", rc, out);
	rc = cli("calendar", "show", "MKT-T-BS", NULL);
	CHECK(rc == 0 && strstr(out, "dates"), "calendar of dates: %d %s", rc, out);
}


/* A feed's shape_id that is not a code: the route version keeps it, the export writes it back. */
static void shape_ids(void)
{
	char dir[512], ex[512], p[600];
	snprintf(dir, sizeof dir, "%s/shaped", t.tmpdir);
	snprintf(ex, sizeof ex, "%s/shaped-out", t.tmpdir);
	mkdir(dir, 0777);
	h_write_file(&t, p, sizeof p, "shaped/agency.txt",
		     "agency_id,agency_name,agency_url,agency_timezone\n"
		     "Kreis Verkehr,Kreisverkehr,https://example.invalid/,Asia/Shanghai\n");
	h_write_file(&t, p, sizeof p, "shaped/stops.txt",
		     "stop_id,stop_name,stop_lat,stop_lon\n"
		     "Halt 1,Nord,30.10,104.50\nHalt 2,Süd,30.12,104.52\n");
	h_write_file(&t, p, sizeof p, "shaped/routes.txt",
		     "route_id,agency_id,route_short_name,route_long_name,route_type\n"
		     "Linie 3,Kreis Verkehr,3,Nord–Süd,3\n");
	char day[16], dates[80];
	h_county_date(10, day, sizeof day); /* within the export's days */
	snprintf(dates, sizeof dates, "service_id,date,exception_type\nAlle Tage,%.4s%.2s%.2s,1\n",
		 day, day + 5, day + 8);
	h_write_file(&t, p, sizeof p, "shaped/calendar_dates.txt", dates);
	h_write_file(&t, p, sizeof p, "shaped/shapes.txt",
		     "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
		     "Kreis 3 / Süd,30.10,104.50,1\nKreis 3 / Süd,30.11,104.51,2\n"
		     "Kreis 3 / Süd,30.12,104.52,3\n");
	h_write_file(&t, p, sizeof p, "shaped/trips.txt",
		     "route_id,service_id,trip_id,shape_id\nLinie 3,Alle Tage,Fahrt 1,Kreis 3 / Süd\n");
	h_write_file(&t, p, sizeof p, "shaped/stop_times.txt",
		     "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
		     "Fahrt 1,07:00:00,07:00:00,Halt 1,1\nFahrt 1,07:10:00,07:10:00,Halt 2,2\n");
	int rc = cli("gtfs", "import", dir, NULL);
	CHECK(rc == 0 && strstr(out, "shapes.txt          3 imported, 0 rejected"), "shaped: %d %s", rc,
	      out);
	rc = cli("gtfs", "export", ex, "--days", "366", NULL);
	CHECK(rc == 0, "export: %d %s", rc, out);
	slurp(ex, "shapes.txt", a_text, sizeof a_text);
	CHECK(strstr(a_text, "Kreis 3 / Süd,30.100000,104.500000,1") &&
		      strstr(a_text, "Kreis 3 / Süd,30.120000,104.520000,3"),
	      "shapes.txt: %s", a_text);
	slurp(ex, "trips.txt", a_text, sizeof a_text);
	CHECK(strstr(a_text, "Linie 3,Alle Tage,Fahrt 1,Kreis 3 / Süd"), "trips.txt: %s", a_text);
	slurp(ex, "stop_times.txt", a_text, sizeof a_text);
	CHECK(strstr(a_text, "Fahrt 1,07:00:00,07:00:00,Halt 1,1"), "stop_times.txt: %s", a_text);
}

int main(void)
{
	h_init(&t, "gtfs_import");
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
	round_trip();
	malformed();
	interpolated();
	shape_ids();
	fixture();
	return h_finish(&t);
}
