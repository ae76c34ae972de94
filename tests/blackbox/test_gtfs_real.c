/*
 * A real rural on-demand feed through the operators' CLI against the real
 * daemon, without loss (tests/fixtures/gtfs/uckermark-rufbus: the RufBus
 * around Angermünde, from bbnavi/gtfs-flex):
 *
 *  - imported with no row refused, though none of its stop, group or
 *    booking rule ids is a Jintong code, and it is written to the draft
 *    GTFS-Flex v2 layout; the columns and files Jintong does not keep are
 *    listed as ignored, by name;
 *  - exported, and every row of every file the importer reads found again
 *    under the same ids with the same values (numbers as numbers, times as
 *    times, service as the dates it runs on): agency, stops, routes,
 *    trips, stop_times, booking rules, location groups and their stops,
 *    calendar and calendar_dates;
 *  - the GTFS id shown by `stop show`;
 *  - imported again with --update: every record found under the same
 *    code, nothing added or changed;
 *  - the export imported into an empty network and exported again: the
 *    same files, byte for byte.
 *
 * The feed ran in 2022; its dates are moved forward by whole weeks (so
 * weekdays stay weekdays) into the export's horizon before it is imported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "date.h"
#include "gtfsfield.h"
#include "fixtures.h"
#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[262144];
static char fixture[600];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

/* ---- a file as a table ---- */

#define COLS_MAX 32

struct tab {
	int ncols;
	char *name[COLS_MAX];
	size_t n;
	char *(*cell)[COLS_MAX];
};

static bool tab_read(struct tab *x, const char *dir, const char *file)
{
	memset(x, 0, sizeof *x);
	size_t len;
	char *data = h_slurp(dir, file, &len);
	struct csv_error ce;
	struct csv *r = data ? csv_open(data, len, &ce) : NULL;
	if (!r) {
		free(data);
		return false;
	}
	x->ncols = csv_columns(r) < COLS_MAX ? csv_columns(r) : COLS_MAX;
	for (int c = 0; c < x->ncols; c++)
		x->name[c] = strdup(csv_column_name(r, c));
	struct csv_row row;
	size_t cap = 0;
	while (csv_next(r, &row) > 0) {
		if (x->n == cap)
			x->cell = realloc(x->cell, (cap = cap ? cap * 2 : 64) * sizeof *x->cell);
		for (int c = 0; c < x->ncols; c++) {
			size_t n = 0;
			const char *v = csv_field(&row, c, &n);
			x->cell[x->n][c] = strndup(v ? v : "", v ? n : 0);
		}
		x->n++;
	}
	csv_close(r);
	free(data);
	return true;
}

static void tab_free(struct tab *x)
{
	for (size_t i = 0; i < x->n; i++)
		for (int c = 0; c < x->ncols; c++)
			free(x->cell[i][c]);
	for (int c = 0; c < x->ncols; c++)
		free(x->name[c]);
	free(x->cell);
}

/* Column col of row i, "" when the file has no such column. */
static const char *get(const struct tab *x, size_t i, const char *col)
{
	for (int c = 0; c < x->ncols; c++)
		if (strcmp(x->name[c], col) == 0)
			return x->cell[i][c];
	return "";
}

/* The row whose col is v (and col2 is v2 when given), or SIZE_MAX. */
static size_t find(const struct tab *x, const char *col, const char *v, const char *col2,
		   const char *v2)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(get(x, i, col), v) == 0 && (!col2 || strcmp(get(x, i, col2), v2) == 0))
			return i;
	return SIZE_MAX;
}

static bool same_time(const char *a, const char *b)
{
	int p, q;
	if (!*a || !*b)
		return !*a && !*b;
	return gtfs_parse_time(a, strlen(a), &p) == 0 && gtfs_parse_time(b, strlen(b), &q) == 0 &&
	       p == q;
}

static bool same_num(const char *a, const char *b, double tol)
{
	if (!*a || !*b)
		return !*a && !*b;
	double x = strtod(a, NULL), y = strtod(b, NULL);
	return x - y <= tol && y - x <= tol;
}

/* ---- the feed, moved into the horizon ---- */

static long shift_days;

/* "20220415" moved forward by shift_days. */
static void shift_date(const char *in, char outd[9])
{
	jt_day d = date_from_ymd(atoi((char[5]){ in[0], in[1], in[2], in[3], 0 }),
				 atoi((char[3]){ in[4], in[5], 0 }), atoi((char[3]){ in[6], in[7], 0 }));
	int y, m, dd;
	date_to_ymd(d + (jt_day)shift_days, &y, &m, &dd);
	snprintf(outd, 9, "%04d%02d%02d", y, m, dd);
}

/* The fixture copied into dir, the dates of its calendars moved forward. */
static void prepare(const char *dir)
{
	static const char *const files[] = { "agency.txt",	   "stops.txt",	 "routes.txt",
					     "trips.txt",	   "stop_times.txt", "booking_rules.txt",
					     "location_groups.txt", "calendar.txt", "calendar_dates.txt",
					     "feed_info.txt" };
	char today_s[16];
	h_county_date(0, today_s, sizeof today_s);
	jt_day today, first = date_from_ymd(2022, 1, 1);
	REQUIRE(date_parse(today_s, &today) == 0, "today %s", today_s);
	shift_days = ((long)(today - first) + 6) / 7 * 7;
	mkdir(dir, 0777);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		size_t len;
		char *data = h_slurp(fixture, files[i], &len), path[700];
		REQUIRE(data, "fixture %s", files[i]);
		if (strncmp(files[i], "calendar", 8) == 0) {
			/* every field of eight digits is a date in these two files */
			for (char *p = data; *p; p++) {
				bool start = p == data || p[-1] == ',';
				if (start && strspn(p, "0123456789") == 8 && strchr(",\r\n", p[8]) && p[8]) {
					char d[9];
					shift_date(p, d);
					memcpy(p, d, 8);
					p += 7;
				}
			}
		}
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		FILE *f = fopen(path, "wb");
		REQUIRE(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "write %s", path);
		free(data);
	}
}

/* ---- every row found again ---- */

static void compare_rows(const char *in, const char *ex, const char *file, const char *key,
			 const char *key2, const char *const *cols, const char *const *times,
			 const char *const *nums)
{
	struct tab a, b;
	REQUIRE(tab_read(&a, in, file), "read %s", file);
	REQUIRE(tab_read(&b, ex, file), "exported %s", file);
	CHECK(a.n > 0 && a.n == b.n, "%s: %zu rows, exported %zu", file, a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		const char *k = get(&a, i, key), *k2 = key2 ? get(&a, i, key2) : NULL;
		size_t j = find(&b, key, k, key2, k2);
		CHECK(j != SIZE_MAX, "%s: %s %s not exported", file, k, k2 ? k2 : "");
		if (j == SIZE_MAX)
			continue;
		for (size_t c = 0; cols && cols[c]; c++)
			CHECK(strcmp(get(&a, i, cols[c]), get(&b, j, cols[c])) == 0,
			      "%s %s: %s \"%s\", exported \"%s\"", file, k, cols[c], get(&a, i, cols[c]),
			      get(&b, j, cols[c]));
		for (size_t c = 0; times && times[c]; c++)
			CHECK(same_time(get(&a, i, times[c]), get(&b, j, times[c])),
			      "%s %s: %s %s, exported %s", file, k, times[c], get(&a, i, times[c]),
			      get(&b, j, times[c]));
		for (size_t c = 0; nums && nums[c]; c++)
			CHECK(same_num(get(&a, i, nums[c]), get(&b, j, nums[c]), 1e-6),
			      "%s %s: %s %s, exported %s", file, k, nums[c], get(&a, i, nums[c]),
			      get(&b, j, nums[c]));
	}
	tab_free(&a);
	tab_free(&b);
}

/* The draft layout's stop times (group in stop_id, draft window names) against the export's. */
static void compare_stop_times(const char *in, const char *ex)
{
	struct tab a, b;
	REQUIRE(tab_read(&a, in, "stop_times.txt") && tab_read(&b, ex, "stop_times.txt"), "stop_times");
	CHECK(a.n == 8 && b.n == a.n, "stop_times.txt: %zu rows, exported %zu", a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		const char *trip = get(&a, i, "trip_id"), *seq = get(&a, i, "stop_sequence");
		size_t j = find(&b, "trip_id", trip, "stop_sequence", seq);
		CHECK(j != SIZE_MAX, "stop time %s %s not exported", trip, seq);
		if (j == SIZE_MAX)
			continue;
		CHECK(strcmp(get(&a, i, "stop_id"), get(&b, j, "location_group_id")) == 0 &&
			      !*get(&b, j, "stop_id"),
		      "stop time %s %s: group %s, exported %s", trip, seq, get(&a, i, "stop_id"),
		      get(&b, j, "location_group_id"));
		CHECK(same_time(get(&a, i, "start_pickup_dropoff_window"),
				get(&b, j, "start_pickup_drop_off_window")) &&
			      same_time(get(&a, i, "end_pickup_dropoff_window"),
					get(&b, j, "end_pickup_drop_off_window")),
		      "stop time %s %s: window", trip, seq);
		static const char *const same[] = { "pickup_type", "drop_off_type",
						    "pickup_booking_rule_id", "drop_off_booking_rule_id" };
		for (size_t c = 0; c < sizeof same / sizeof *same; c++)
			CHECK(strcmp(get(&a, i, same[c]), get(&b, j, same[c])) == 0,
			      "stop time %s %s: %s %s, exported %s", trip, seq, same[c], get(&a, i, same[c]),
			      get(&b, j, same[c]));
	}
	tab_free(&a);
	tab_free(&b);
}

/* location_groups.txt of the draft (group, location_id, name) against the adopted two files. */
static void compare_groups(const char *in, const char *ex)
{
	struct tab a, g, m;
	REQUIRE(tab_read(&a, in, "location_groups.txt") && tab_read(&g, ex, "location_groups.txt") &&
			tab_read(&m, ex, "location_group_stops.txt"),
		"location groups");
	CHECK(a.n == 280 && m.n == a.n, "member stops: %zu, exported %zu", a.n, m.n);
	CHECK(g.n == 2, "groups exported: %zu", g.n);
	for (size_t i = 0; i < a.n; i++) {
		const char *grp = get(&a, i, "location_group_id"), *stop = get(&a, i, "location_id");
		CHECK(find(&m, "location_group_id", grp, "stop_id", stop) != SIZE_MAX,
		      "stop %s of group %s not exported", stop, grp);
		if (*get(&a, i, "location_group_name")) {
			size_t j = find(&g, "location_group_id", grp, NULL, NULL);
			CHECK(j != SIZE_MAX && strcmp(get(&g, j, "location_group_name"),
						      get(&a, i, "location_group_name")) == 0,
			      "group %s: its name", grp);
		}
	}
	tab_free(&a);
	tab_free(&g);
	tab_free(&m);
}

/* Does service run on day (YYYYMMDD) by calendar.txt and calendar_dates.txt? */
static bool runs(const struct tab *cal, const struct tab *dates, const char *service, const char *day)
{
	for (size_t i = 0; i < dates->n; i++)
		if (strcmp(get(dates, i, "service_id"), service) == 0 &&
		    strcmp(get(dates, i, "date"), day) == 0)
			return strcmp(get(dates, i, "exception_type"), "1") == 0;
	size_t c = find(cal, "service_id", service, NULL, NULL);
	if (c == SIZE_MAX || strcmp(day, get(cal, c, "start_date")) < 0 ||
	    strcmp(day, get(cal, c, "end_date")) > 0)
		return false;
	static const char *const wd[] = { "monday", "tuesday",	"wednesday", "thursday",
					  "friday", "saturday", "sunday" };
	jt_day d = date_from_ymd(atoi((char[5]){ day[0], day[1], day[2], day[3], 0 }),
				 atoi((char[3]){ day[4], day[5], 0 }), atoi((char[3]){ day[6], day[7], 0 }));
	return strcmp(get(cal, c, wd[date_weekday(d) - 1]), "1") == 0;
}

/* Each service runs on the same days of the export's horizon as in the feed. */
static void compare_service(const char *in, const char *ex, int days)
{
	struct tab cal, dates, exd;
	REQUIRE(tab_read(&cal, in, "calendar.txt") && tab_read(&dates, in, "calendar_dates.txt") &&
			tab_read(&exd, ex, "calendar_dates.txt"),
		"calendars");
	static const char *const services[] = { "flex-weekdays", "flex-weekends" };
	char today_s[16];
	h_county_date(0, today_s, sizeof today_s);
	jt_day today;
	REQUIRE(date_parse(today_s, &today) == 0, "today");
	for (size_t s = 0; s < 2; s++) {
		int want = 0, got = 0, wrong = 0;
		for (int k = 0; k < days; k++) {
			int y, m, d;
			char day[16];
			date_to_ymd(today + k, &y, &m, &d);
			snprintf(day, sizeof day, "%04d%02d%02d", y, m, d);
			bool feed = runs(&cal, &dates, services[s], day);
			bool exported = runs(&(struct tab){ 0 }, &exd, services[s], day);
			want += feed;
			got += exported;
			wrong += feed != exported;
		}
		CHECK(want > 0 && wrong == 0, "service %s: %d days in the feed, %d exported, %d differ",
		      services[s], want, got, wrong);
	}
	tab_free(&cal);
	tab_free(&dates);
	tab_free(&exd);
}

static void lossless(const char *in, const char *ex)
{
	static const char *const agency[] = { "agency_name", NULL };
	compare_rows(in, ex, "agency.txt", "agency_id", NULL, agency, NULL, NULL);
	static const char *const stops[] = { "stop_name", NULL }, *const stop_nums[] = { "stop_lat",
											"stop_lon", NULL };
	compare_rows(in, ex, "stops.txt", "stop_id", NULL, stops, NULL, stop_nums);
	static const char *const routes[] = { "agency_id", "route_long_name", NULL };
	compare_rows(in, ex, "routes.txt", "route_id", NULL, routes, NULL, NULL);
	static const char *const trips[] = { "route_id", "service_id", "block_id", "shape_id", NULL };
	compare_rows(in, ex, "trips.txt", "trip_id", NULL, trips, NULL, NULL);
	static const char *const rules[] = { "booking_type", "message", "phone_number", "info_url",
					     NULL },
				 *const rule_nums[] = { "prior_notice_duration_min", NULL };
	compare_rows(in, ex, "booking_rules.txt", "booking_rule_id", NULL, rules, NULL, rule_nums);
	compare_stop_times(in, ex);
	compare_groups(in, ex);
	compare_service(in, ex, 366);
}

static void empty_network(void)
{
	int rc = h_sql_exec(&t, "TRUNCATE stop_time, trip, route_stop, route_version, calendar, line, "
				"stop, operator, booking_rule, location_group, location_group_stop, zone, "
				"audit CASCADE");
	REQUIRE(rc == 0, "truncate");
	h_stop(&t, 15);
	h_start(&t, NULL);
}

int main(void)
{
	h_init(&t, "gtfs_real");
	if (!getenv("JINTONG_CLI") || !getenv("JINTONG_SOURCE_DIR"))
		return 77;
	snprintf(fixture, sizeof fixture, "%s/tests/fixtures/gtfs/uckermark-rufbus",
		 getenv("JINTONG_SOURCE_DIR"));
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	char in[512], a[512], b[512];
	snprintf(in, sizeof in, "%s/feed", t.tmpdir);
	snprintf(a, sizeof a, "%s/a", t.tmpdir);
	snprintf(b, sizeof b, "%s/b", t.tmpdir);
	prepare(in);

	int rc = cli("gtfs", "import", in, NULL);
	CHECK(rc == 0 && strstr(out, "stops.txt           380 imported, 0 rejected") &&
		      strstr(out, "location_group_stops.txt 280 imported, 0 rejected") &&
		      strstr(out, "trips.txt           4 imported, 0 rejected") &&
		      strstr(out, "stop_times.txt      8 imported, 0 rejected") &&
		      strstr(out, "booking_rules.txt   3 imported, 0 rejected"),
	      "import: %d %s", rc, out);
	/* what is not kept is said, by name */
	CHECK(h_line_with(out, "feed_info.txt", "ignored", NULL) &&
		      h_line_with(out, "columns ignored", "parent_station", "stop_desc",
				  "platform_code", NULL) &&
		      h_line_with(out, "columns ignored", "route_type", "route_short_name", "route_desc",
				  NULL) &&
		      h_line_with(out, "columns ignored", "trip_headsign", NULL) &&
		      h_line_with(out, "columns ignored", "stop_headsign", NULL) &&
		      h_line_with(out, "columns ignored", "agency_url", "agency_timezone", NULL),
	      "ignored columns and files: %s", out);
	CHECK(strstr(out, "start_pickup_dropoff_window: the GTFS-Flex v2 draft name") &&
		      strstr(out, "location_id: the GTFS-Flex v2 draft layout"),
	      "draft layout said: %s", out);

	rc = cli("gtfs", "export", a, "--days", "366", NULL);
	REQUIRE(rc == 0, "export: %d %s", rc, out);
	lossless(in, a);

	/* a stop whose id is not a code: shown with its GTFS id */
	rc = cli("stop", "list", NULL);
	const char *row = h_line_with(out, "Angermünde, Bahnhof", NULL);
	char code[64] = "";
	if (row)
		sscanf(row, "%63s", code);
	CHECK(*code && !strchr(code, ':'), "a derived code for the station: %s", out);
	rc = cli("stop", "show", code, NULL);
	CHECK(rc == 0 && strstr(out, "de:12073:900340004:"), "stop show %s: %d %s", code, rc, out);

	/* the same feed again: every record found under the code it got before */
	rc = cli("gtfs", "import", in, "--update", NULL);
	CHECK(rc == 0 && strstr(out, "stops.txt           0 added, 0 rejected, 0 changed, 380 unchanged") &&
		      strstr(out, "trips.txt           0 added, 0 rejected, 0 changed, 4 unchanged") &&
		      strstr(out, "booking_rules.txt   0 added, 0 rejected, 0 changed, 3 unchanged"),
	      "re-import: %d %s", rc, out);

	/* import -> export -> import -> export: the same files */
	empty_network();
	rc = cli("gtfs", "import", a, NULL);
	CHECK(rc == 0, "import of the export: %d %s", rc, out);
	rc = cli("gtfs", "export", b, "--days", "366", NULL);
	REQUIRE(rc == 0, "second export: %d %s", rc, out);
	static const char *const files[] = { "agency.txt",	     "stops.txt",
					     "routes.txt",	     "trips.txt",
					     "stop_times.txt",	     "calendar_dates.txt",
					     "booking_rules.txt",    "location_groups.txt",
					     "location_group_stops.txt" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		size_t na = 0, nb = 0;
		char *x = h_slurp(a, files[i], &na), *y = h_slurp(b, files[i], &nb);
		CHECK(x && y && na > 0 && na == nb && memcmp(x, y, na) == 0, "%s differs", files[i]);
		free(x);
		free(y);
	}
	lossless(in, b);
	return h_finish(&t);
}
