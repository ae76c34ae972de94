/*
 * gen-test — the county generator without a server. The same seed must give
 * byte-identical files and another seed another county; the files must hold
 * the county ../shared/DOMAIN.md describes (33 towns, about 460 villages, 7
 * companies, 13 scheduled lines, about 300 vehicles, 1,740 pupils on
 * rosters), read back from the files themselves; and the feed must hang
 * together: known stops, times that never go backwards, vehicles never on
 * two trips at once, market days on each town's cycle, places inside the
 * county.
 */
#include "check.h"
#include "gen.h"
#include "lunar.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXF 12

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		abort();
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* A CSV file of our own (no quoting) as rows of fields. */
struct table {
	char *data;
	char **cells; /* rows * cols */
	size_t rows, cols;
};

static int col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->cols; i++)
		if (strcmp(t->cells[i], name) == 0)
			return (int)i;
	return -1;
}

static const char *cell(const struct table *t, size_t row, const char *name)
{
	int c = col(t, name);
	return c >= 0 ? t->cells[(row + 1) * t->cols + (size_t)c] : "";
}

static void load(struct table *t, const char *dir, const char *name)
{
	size_t len;
	memset(t, 0, sizeof *t);
	t->data = slurp(dir, name, &len);
	CHECK(t->data != NULL);
	if (!t->data)
		return;
	size_t lines = 0, fields = 0;
	for (size_t i = 0; i < len; i++)
		lines += t->data[i] == '\n', fields += t->data[i] == ',' || t->data[i] == '\n';
	t->cells = calloc(fields + 1, sizeof *t->cells);
	char *p = t->data, *end;
	size_t k = 0;
	while ((end = strchr(p, '\n'))) {
		*end = '\0';
		size_t n = 0;
		for (char *f = p;; n++) {
			char *comma = strchr(f, ',');
			t->cells[k++] = f;
			if (!comma)
				break;
			*comma = '\0';
			f = comma + 1;
		}
		if (!t->cols)
			t->cols = n + 1;
		CHECK_INT("n + 1", n + 1, t->cols);
		p = end + 1;
	}
	t->rows = lines - 1;
}

static void unload(struct table *t)
{
	free(t->data);
	free(t->cells);
}

static int secs(const char *hms)
{
	int h, m, s;
	return sscanf(hms, "%d:%d:%d", &h, &m, &s) == 3 ? h * 3600 + m * 60 + s : -1;
}

static double metres(double lat1, double lon1, double lat2, double lon2)
{
	double k = M_PI / 180, a = sin((lat2 - lat1) * k / 2), b = sin((lon2 - lon1) * k / 2);
	return 2 * 6371000 * asin(sqrt(a * a + cos(lat1 * k) * cos(lat2 * k) * b * b));
}

static void make(const char *dir, uint64_t seed, double scale)
{
	struct gen_params p = { .seed = seed, .scale = scale, .from = date_from_ymd(2026, 11, 23), .days = 120 };
	char err[128];
	CHECK(gen_check_params(&p, err, sizeof err) == 0);
	struct gen_county c;
	gen_county_build(&c, &p);
	CHECK(genfeed_write(&c, dir) == 0);
	gen_county_free(&c);
}

static bool same_files(const char *a, const char *b, bool all)
{
	bool same = true;
	for (int i = 0; genfeed_files[i]; i++) {
		size_t la, lb;
		char *x = slurp(a, genfeed_files[i], &la), *y = slurp(b, genfeed_files[i], &lb);
		bool eq = x && y && la == lb && memcmp(x, y, la) == 0;
		if (all && !eq)
			fprintf(stderr, "%s differs\n", genfeed_files[i]);
		same &= eq;
		free(x);
		free(y);
	}
	return same;
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return v;
}

/* The county in dir against DOMAIN.md's figures and the feed's own consistency. */
static void check_county(const char *dir, bool full)
{
	struct table agency, stops, routes, cal, dates, shapes, trips, times;
	load(&agency, dir, "agency.txt");
	load(&stops, dir, "stops.txt");
	load(&routes, dir, "routes.txt");
	load(&cal, dir, "calendar.txt");
	load(&dates, dir, "calendar_dates.txt");
	load(&shapes, dir, "shapes.txt");
	load(&trips, dir, "trips.txt");
	load(&times, dir, "stop_times.txt");
	char path[512];
	snprintf(path, sizeof path, "%s/county.json", dir);
	json_object *side = json_object_from_file(path);
	CHECK(side != NULL);
	json_object *towns = get(side, "towns"), *villages = get(side, "villages"), *vehicles = get(side, "vehicles");
	json_object *rosters = get(side, "rosters");

	size_t nkind[4] = { 0 };
	static const char *const kinds[4] = { "scheduled", "student", "market_day", "logistics" };
	for (size_t r = 0; r < routes.rows; r++)
		for (int k = 0; k < 4; k++)
			nkind[k] += strcmp(cell(&routes, r, "jintong_kind"), kinds[k]) == 0;
	size_t seats = 0, pupils = 0;
	for (size_t i = 0; i < json_object_array_length(towns); i++)
		seats += json_object_get_boolean(get(json_object_array_get_idx(towns, i), "county_seat"));
	if (full) {
		CHECK_INT("json_object_array_length(towns)", json_object_array_length(towns), 33);
		CHECK_INT("agency.rows", agency.rows, 7);
		CHECK_INT("nkind[0]", nkind[0], 13);
		size_t nv = json_object_array_length(villages), nveh = json_object_array_length(vehicles);
		CHECK(nv >= 440 && nv <= 480);
		CHECK(nveh >= 280 && nveh <= 320);
	}
	CHECK_INT("seats", seats, 1);
	for (int k = 1; k < 4; k++)
		CHECK(nkind[k] >= 1);
	for (size_t i = 0; i < json_object_array_length(rosters); i++)
		pupils += json_object_array_length(get(json_object_array_get_idx(rosters, i), "pupils"));
	if (full)
		CHECK_INT("pupils", pupils, 1740);
	for (size_t i = 0; i < json_object_array_length(vehicles); i++) {
		json_object *v = json_object_array_get_idx(vehicles, i);
		const char *kind = json_object_get_string(get(v, "kind"));
		int s = json_object_get_int(get(v, "seats"));
		CHECK(strcmp(kind, "minibus") ? strcmp(kind, "coach") ? s == 8 && json_object_get_int(get(v, "cargo_l")) > 0
								      : s == 40
					      : s == 19);
	}

	/* every stop inside the county (60 km × 50 km around 30.0°N 104.6°E) */
	for (size_t r = 0; r < stops.rows; r++) {
		double lat = atof(cell(&stops, r, "stop_lat")), lon = atof(cell(&stops, r, "stop_lon"));
		CHECK(metres(lat, 104.6, 30.0, 104.6) <= 25500 && metres(30.0, lon, 30.0, 104.6) <= 30500);
	}
	/* stop times: known stops, never backwards; blocks never on two trips at once */
	size_t bad_stop = 0, backwards = 0, overlaps = 0;
	int *first = calloc(trips.rows + 1, sizeof *first), *last = calloc(trips.rows + 1, sizeof *last);
	for (size_t r = 0, t = 0; r < times.rows; r++) {
		const char *trip = cell(&times, r, "trip_id");
		while (t < trips.rows && strcmp(cell(&trips, t, "trip_id"), trip) != 0)
			t++;
		CHECK(t < trips.rows);
		if (t >= trips.rows)
			break;
		bool known = false;
		for (size_t s = 0; s < stops.rows && !known; s++)
			known = strcmp(cell(&stops, s, "stop_id"), cell(&times, r, "stop_id")) == 0;
		bad_stop += !known;
		int a = secs(cell(&times, r, "arrival_time")), d = secs(cell(&times, r, "departure_time"));
		bool starts = strcmp(cell(&times, r, "stop_sequence"), "1") == 0;
		backwards += d < a || (!starts && a < last[t]);
		if (starts)
			first[t] = d;
		last[t] = d;
	}
	for (size_t a = 0; a < trips.rows; a++)
		for (size_t b = a + 1; b < trips.rows; b++)
			if (!strcmp(cell(&trips, a, "block_id"), cell(&trips, b, "block_id")) &&
			    !strcmp(cell(&trips, a, "service_id"), cell(&trips, b, "service_id")))
				overlaps += first[a] < last[b] && first[b] < last[a];
	CHECK_INT("bad_stop", bad_stop, 0);
	CHECK_INT("backwards", backwards, 0);
	CHECK_INT("overlaps", overlaps, 0);
	free(first);
	free(last);

	/* roads wind: every shape is longer than the straight line between its ends */
	for (size_t r = 0, start = 0; r < shapes.rows; r++)
		if (r + 1 == shapes.rows || strcmp(cell(&shapes, r + 1, "shape_id"), cell(&shapes, r, "shape_id"))) {
			double len = 0;
			for (size_t k = start + 1; k <= r; k++)
				len += metres(atof(cell(&shapes, k - 1, "shape_pt_lat")), atof(cell(&shapes, k - 1, "shape_pt_lon")),
					      atof(cell(&shapes, k, "shape_pt_lat")), atof(cell(&shapes, k, "shape_pt_lon")));
			double straight = metres(atof(cell(&shapes, start, "shape_pt_lat")),
						 atof(cell(&shapes, start, "shape_pt_lon")), atof(cell(&shapes, r, "shape_pt_lat")),
						 atof(cell(&shapes, r, "shape_pt_lon")));
			CHECK(len > straight);
			start = r + 1;
		}

	/* market days on each town's cycle, solar or lunar */
	size_t market_rows = 0, off_cycle = 0;
	for (size_t r = 0; r < dates.rows; r++) {
		const char *svc = cell(&dates, r, "service_id");
		if (strncmp(svc, "MKT-", 4) != 0)
			continue;
		market_rows++;
		json_object *town = NULL;
		for (size_t i = 0; i < json_object_array_length(towns); i++)
			if (!strcmp(json_object_get_string(get(json_object_array_get_idx(towns, i), "code")), svc + 4))
				town = json_object_array_get_idx(towns, i);
		CHECK(town != NULL);
		if (!town)
			continue;
		int y, m, d;
		CHECK(sscanf(cell(&dates, r, "date"), "%4d%2d%2d", &y, &m, &d) == 3);
		if (json_object_get_boolean(get(town, "lunar"))) {
			struct lunar_date l;
			CHECK(lunar_from_solar(date_from_ymd(y, m, d), &l) == 0);
			d = l.day;
		}
		char digit[2] = { (char)('0' + d % 10), 0 };
		off_cycle += strstr(json_object_get_string(get(town, "market_days")), digit) == NULL;
	}
	CHECK(market_rows > 0);
	CHECK_INT("off_cycle", off_cycle, 0);
	/* boarders: home on Fridays only, back on Sundays only */
	for (size_t r = 0; r < cal.rows; r++) {
		if (!strcmp(cell(&cal, r, "service_id"), "SCHOOL-FRI"))
			CHECK(!strcmp(cell(&cal, r, "friday"), "1") && !strcmp(cell(&cal, r, "monday"), "0"));
		if (!strcmp(cell(&cal, r, "service_id"), "SCHOOL-SUN"))
			CHECK(!strcmp(cell(&cal, r, "sunday"), "1") && !strcmp(cell(&cal, r, "friday"), "0"));
	}
	json_object_put(side);
	unload(&agency), unload(&stops), unload(&routes), unload(&cal), unload(&dates);
	unload(&shapes), unload(&trips), unload(&times);
}

int main(void)
{
	char base[] = "/tmp/jintong-gen-test.XXXXXX", a[64], b[64], other[64], small[64];
	CHECK(mkdtemp(base) != NULL);
	snprintf(a, sizeof a, "%s/a", base);
	snprintf(b, sizeof b, "%s/b", base);
	snprintf(other, sizeof other, "%s/other", base);
	snprintf(small, sizeof small, "%s/small", base);
	CHECK(mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0 && mkdir(other, 0700) == 0 && mkdir(small, 0700) == 0);

	make(a, 42, 1.0);
	make(b, 42, 1.0);
	make(other, 43, 1.0);
	make(small, 42, 0.1);
	CHECK(same_files(a, b, true));   /* same seed: the same bytes */
	CHECK(!same_files(a, other, false)); /* another seed: another county */
	check_county(a, true);
	check_county(small, false);

	struct gen_params bad = { .seed = 1, .scale = 0, .from = date_from_ymd(2026, 1, 1), .days = 30 };
	char err[128];
	CHECK(gen_check_params(&bad, err, sizeof err) != 0);
	bad.scale = 1, bad.days = 3;
	CHECK(gen_check_params(&bad, err, sizeof err) != 0);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	CHECK(system(cmd) == 0);
	return check_done("gen-test");
}
