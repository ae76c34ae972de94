/*
 * schedule.c — a day of a feed's trips, driven; see schedule.h.
 *
 * The feed is read with the core's CSV reader. Each stop time is placed on
 * its trip's shape once, at load: the nearest point of the shape from the
 * previous stop's place onwards, so a road that passes a stop twice is
 * followed in order.
 */
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "gtfs.h"

#define M_PER_DEG 111320.0

struct sstop {
	char *id;
	double lat, lon;
};

struct sshape {
	char *id;
	double *lat, *lon, *at; /* at: metres from the start */
	size_t n, cap;
};

struct stime {
	int arr, dep;
	double at; /* along the shape */
	size_t stop;
};

struct strip {
	char *id, *vehicle, *service, *shape_id;
	int shape; /* -1: none, straight between stops */
	struct stime *st;
	size_t n, cap;
};

struct sveh {
	char *code;
	size_t *trips; /* by start */
	size_t n;
};

struct schedule {
	struct sstop *stops;
	size_t nstops;
	struct sshape *shapes;
	size_t nshapes;
	struct strip *trips;
	size_t ntrips;
	struct sveh *veh;
	size_t nveh;
};

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static char *dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- reading ---- */

const char *const schedule_files[SCHEDULE_FILES] = {
	"stops.txt", "shapes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "calendar_dates.txt",
};

struct sheet {
	struct csv *csv;
	int col[12];
};

/* Opens a file of the feed with the given columns (NULL-terminated); required columns must exist. */
static bool open_sheet(struct sheet *sh, const struct schedule_feed *feed, int file, const char *const *cols,
		       int required, char *err, size_t errlen)
{
	const char *name = schedule_files[file];
	memset(sh, 0, sizeof *sh);
	if (!feed->text[file]) {
		snprintf(err, errlen, "the feed has no %s", name);
		return false;
	}
	struct csv_error ce;
	sh->csv = csv_open(feed->text[file], feed->len[file], &ce);
	if (!sh->csv) {
		snprintf(err, errlen, "%s: %s", name, ce.msg);
		return false;
	}
	for (int i = 0; cols[i]; i++) {
		sh->col[i] = csv_column(sh->csv, cols[i]);
		if (sh->col[i] < 0 && i < required) {
			snprintf(err, errlen, "%s has no column %s", name, cols[i]);
			return false;
		}
	}
	return true;
}

static void close_sheet(struct sheet *sh)
{
	if (sh->csv)
		csv_close(sh->csv);
	sh->csv = NULL;
}

static const char *field(const struct csv_row *row, int col, size_t *len)
{
	static const char empty[] = "";
	const char *v = col >= 0 ? csv_field(row, col, len) : NULL;
	if (!v) {
		*len = 0;
		return empty;
	}
	return v;
}

static double num(const struct csv_row *row, int col)
{
	size_t n;
	const char *v = field(row, col, &n);
	double d;
	return csv_parse_double(v, n, &d) == 0 ? d : NAN;
}

static bool eq(const char *s, size_t n, const char *z)
{
	return strlen(z) == n && memcmp(s, z, n) == 0;
}

/* The ids of the services running on day, as a list of strings. */
static char **services_on(const struct schedule_feed *dir, jt_day day, size_t *count, char *err, size_t errlen)
{
	static const char *const cal_cols[] = { "service_id", "monday", "tuesday", "wednesday", "thursday",
						"friday", "saturday", "sunday", "start_date", "end_date", NULL };
	static const char *const date_cols[] = { "service_id", "date", "exception_type", NULL };
	char **ids = NULL, today[DATE_FORMAT_LEN], ymd[9];
	size_t n = 0, cap = 0;
	struct sheet sh;
	struct csv_row row;
	date_format(day, today);
	snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", today, today + 5, today + 8);
	int wd = date_weekday(day);
	if (open_sheet(&sh, dir, SCHEDULE_CALENDAR, cal_cols, 10, err, errlen)) {
		while (csv_next(sh.csv, &row) > 0) {
			size_t l1, l2, lw, li;
			const char *a = field(&row, sh.col[8], &l1), *b = field(&row, sh.col[9], &l2);
			const char *w = field(&row, sh.col[wd], &lw), *id = field(&row, sh.col[0], &li);
			if (l1 == 8 && l2 == 8 && memcmp(a, ymd, 8) <= 0 && memcmp(ymd, b, 8) <= 0 && eq(w, lw, "1")) {
				ids = grow(ids, n, &cap, sizeof *ids);
				ids[n++] = dup(id, li);
			}
		}
	}
	close_sheet(&sh);
	if (open_sheet(&sh, dir, SCHEDULE_CALENDAR_DATES, date_cols, 3, err, errlen)) {
		while (csv_next(sh.csv, &row) > 0) {
			size_t li, ld, lt;
			const char *id = field(&row, sh.col[0], &li), *d = field(&row, sh.col[1], &ld);
			const char *t = field(&row, sh.col[2], &lt);
			if (!eq(d, ld, ymd))
				continue;
			for (size_t i = 0; i < n; i++) /* removed that day */
				if (eq(id, li, ids[i]) && eq(t, lt, "2")) {
					free(ids[i]);
					ids[i] = ids[--n];
					break;
				}
			if (eq(t, lt, "1")) {
				ids = grow(ids, n, &cap, sizeof *ids);
				ids[n++] = dup(id, li);
			}
		}
	}
	close_sheet(&sh);
	err[0] = '\0';
	*count = n;
	return ids;
}

static size_t find_stop(const struct schedule *s, const char *id, size_t n)
{
	for (size_t i = 0; i < s->nstops; i++)
		if (eq(id, n, s->stops[i].id))
			return i;
	return SIZE_MAX;
}

/* Local metres east and north of (lat0, lon0). */
static void local(double lat0, double lon0, double lat, double lon, double *x, double *y)
{
	*x = (lon - lon0) * M_PER_DEG * cos(lat0 * M_PI / 180);
	*y = (lat - lat0) * M_PER_DEG;
}

/* The distance along the shape of the point nearest p, from `from` metres on. */
static double place_on(const struct sshape *sh, double lat, double lon, double from)
{
	double best = INFINITY, at = from;
	for (size_t i = 0; i + 1 < sh->n; i++) {
		if (sh->at[i + 1] < from)
			continue;
		double ax, ay, bx, by;
		local(lat, lon, sh->lat[i], sh->lon[i], &ax, &ay);
		local(lat, lon, sh->lat[i + 1], sh->lon[i + 1], &bx, &by);
		double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
		double f = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		double px = ax + f * dx, py = ay + f * dy, d = px * px + py * py;
		if (d < best - 1e-6) {
			best = d;
			at = sh->at[i] + f * (sh->at[i + 1] - sh->at[i]);
		}
	}
	return at < from ? from : at;
}

static int by_vehicle_load(const void *a, const void *b)
{
	const struct sveh *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

static int by_start(const void *a, const void *b, void *arg)
{
	const struct schedule *s = arg;
	const struct strip *x = &s->trips[*(const size_t *)a], *y = &s->trips[*(const size_t *)b];
	return x->st[0].dep < y->st[0].dep ? -1 : x->st[0].dep > y->st[0].dep;
}

struct schedule *schedule_parse(const struct schedule_feed *dir, jt_day day, char *err, size_t errlen)
{
	struct schedule *s = calloc(1, sizeof *s);
	size_t nsvc = 0, cap = 0;
	char **svc = services_on(dir, day, &nsvc, err, errlen);
	struct sheet sh;
	struct csv_row row;
	if (!s)
		abort();
	static const char *const stop_cols[] = { "stop_id", "stop_lat", "stop_lon", NULL };
	if (!open_sheet(&sh, dir, SCHEDULE_STOPS, stop_cols, 3, err, errlen))
		goto fail;
	while (csv_next(sh.csv, &row) > 0) {
		size_t n;
		const char *id = field(&row, sh.col[0], &n);
		s->stops = grow(s->stops, s->nstops, &cap, sizeof *s->stops);
		s->stops[s->nstops++] = (struct sstop){ dup(id, n), num(&row, sh.col[1]), num(&row, sh.col[2]) };
	}
	close_sheet(&sh);

	static const char *const shape_cols[] = { "shape_id", "shape_pt_lat", "shape_pt_lon", NULL };
	cap = 0;
	if (open_sheet(&sh, dir, SCHEDULE_SHAPES, shape_cols, 3, err, errlen)) {
		/* points in file order, consecutive per shape (as the generator writes them) */
		while (csv_next(sh.csv, &row) > 0) {
			size_t n;
			const char *id = field(&row, sh.col[0], &n);
			if (!s->nshapes || !eq(id, n, s->shapes[s->nshapes - 1].id)) {
				s->shapes = grow(s->shapes, s->nshapes, &cap, sizeof *s->shapes);
				memset(&s->shapes[s->nshapes], 0, sizeof *s->shapes);
				s->shapes[s->nshapes++].id = dup(id, n);
			}
			struct sshape *p = &s->shapes[s->nshapes - 1];
			size_t c = p->cap;
			p->lat = grow(p->lat, p->n, &c, sizeof *p->lat);
			c = p->cap;
			p->lon = grow(p->lon, p->n, &c, sizeof *p->lon);
			p->at = grow(p->at, p->n, &p->cap, sizeof *p->at);
			p->lat[p->n] = num(&row, sh.col[1]);
			p->lon[p->n] = num(&row, sh.col[2]);
			double x, y;
			if (p->n)
				local(p->lat[p->n - 1], p->lon[p->n - 1], p->lat[p->n], p->lon[p->n], &x, &y);
			p->at[p->n] = p->n ? p->at[p->n - 1] + hypot(x, y) : 0;
			p->n++;
		}
	}
	close_sheet(&sh);

	static const char *const trip_cols[] = { "trip_id", "service_id", "block_id", "shape_id", NULL };
	cap = 0;
	if (!open_sheet(&sh, dir, SCHEDULE_TRIPS, trip_cols, 2, err, errlen))
		goto fail;
	while (csv_next(sh.csv, &row) > 0) {
		size_t li, ls, lb, lh;
		const char *id = field(&row, sh.col[0], &li), *sv = field(&row, sh.col[1], &ls);
		const char *blk = field(&row, sh.col[2], &lb), *shp = field(&row, sh.col[3], &lh);
		bool runs = false;
		for (size_t i = 0; i < nsvc && !runs; i++)
			runs = eq(sv, ls, svc[i]);
		if (!runs || lb == 0)
			continue;
		const char *dot = memchr(blk, '.', lb); /* fields are not NUL-terminated */
		size_t vl = dot ? (size_t)(dot - blk) : lb;
		s->trips = grow(s->trips, s->ntrips, &cap, sizeof *s->trips);
		struct strip *t = &s->trips[s->ntrips++];
		memset(t, 0, sizeof *t);
		t->id = dup(id, li);
		t->vehicle = dup(blk, vl);
		t->shape_id = dup(shp, lh);
		t->shape = -1;
		for (size_t k = 0; k < s->nshapes; k++)
			if (!strcmp(s->shapes[k].id, t->shape_id))
				t->shape = (int)k;
	}
	close_sheet(&sh);

	static const char *const time_cols[] = { "trip_id", "arrival_time", "departure_time", "stop_id", NULL };
	if (!open_sheet(&sh, dir, SCHEDULE_STOP_TIMES, time_cols, 4, err, errlen))
		goto fail;
	size_t last = 0;
	while (csv_next(sh.csv, &row) > 0) {
		size_t li, la, ld, lsp;
		const char *id = field(&row, sh.col[0], &li), *a = field(&row, sh.col[1], &la);
		const char *d = field(&row, sh.col[2], &ld), *sp = field(&row, sh.col[3], &lsp);
		struct strip *t = last < s->ntrips && eq(id, li, s->trips[last].id) ? &s->trips[last] : NULL;
		for (size_t k = 0; !t && k < s->ntrips; k++)
			if (eq(id, li, s->trips[k].id))
				t = &s->trips[last = k];
		int arr, dep;
		size_t stop = t ? find_stop(s, sp, lsp) : SIZE_MAX;
		if (!t || stop == SIZE_MAX || gtfs_parse_time(a, la, &arr) != 0 || gtfs_parse_time(d, ld, &dep) != 0)
			continue; /* stop times are taken in the order given, complete ones only */
		t->st = grow(t->st, t->n, &t->cap, sizeof *t->st);
		t->st[t->n++] = (struct stime){ arr, dep, 0, stop };
	}
	close_sheet(&sh);

	/* stops on the shapes; vehicles and their trips by start */
	for (size_t i = 0; i < s->ntrips; i++) {
		struct strip *t = &s->trips[i];
		double along = 0;
		for (size_t j = 0; j < t->n; j++) {
			const struct sstop *st = &s->stops[t->st[j].stop];
			if (t->shape >= 0) {
				along = place_on(&s->shapes[t->shape], st->lat, st->lon, along);
			} else if (j > 0) {
				double x, y;
				const struct sstop *p = &s->stops[t->st[j - 1].stop];
				local(p->lat, p->lon, st->lat, st->lon, &x, &y);
				along += hypot(x, y);
			}
			t->st[j].at = along;
		}
		if (t->n < 2)
			continue;
		size_t v = 0;
		while (v < s->nveh && strcmp(s->veh[v].code, t->vehicle))
			v++;
		if (v == s->nveh) {
			s->veh = realloc(s->veh, (s->nveh + 1) * sizeof *s->veh);
			if (!s->veh)
				abort();
			s->veh[s->nveh++] = (struct sveh){ t->vehicle, NULL, 0 };
		}
		s->veh[v].trips = realloc(s->veh[v].trips, (s->veh[v].n + 1) * sizeof *s->veh[v].trips);
		if (!s->veh[v].trips)
			abort();
		s->veh[v].trips[s->veh[v].n++] = i;
	}
	for (size_t v = 0; v < s->nveh; v++)
		qsort_r(s->veh[v].trips, s->veh[v].n, sizeof *s->veh[v].trips, by_start, s);
	if (s->nveh > 1)
		qsort(s->veh, s->nveh, sizeof *s->veh, by_vehicle_load);
	for (size_t i = 0; i < nsvc; i++)
		free(svc[i]);
	free(svc);
	err[0] = '\0';
	return s;
fail:
	close_sheet(&sh);
	for (size_t i = 0; i < nsvc; i++)
		free(svc[i]);
	free(svc);
	schedule_free(s);
	return NULL;
}

struct schedule *schedule_load(const char *dir, jt_day day, char *err, size_t errlen)
{
	struct schedule_feed feed = { { 0 }, { 0 } };
	char *text[SCHEDULE_FILES] = { 0 };
	for (int i = 0; i < SCHEDULE_FILES; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, schedule_files[i]);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue; /* the parse says which it needed */
		size_t cap = 1 << 16, len = 0, got;
		char *b = malloc(cap);
		while (b && (got = fread(b + len, 1, cap - len, f)) > 0)
			if ((len += got) == cap)
				b = realloc(b, cap *= 2);
		fclose(f);
		if (!b)
			abort();
		feed.text[i] = text[i] = b;
		feed.len[i] = len;
	}
	struct schedule *s = schedule_parse(&feed, day, err, errlen);
	for (int i = 0; i < SCHEDULE_FILES; i++)
		free(text[i]);
	return s;
}

void schedule_free(struct schedule *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nstops; i++)
		free(s->stops[i].id);
	for (size_t i = 0; i < s->nshapes; i++) {
		free(s->shapes[i].id);
		free(s->shapes[i].lat);
		free(s->shapes[i].lon);
		free(s->shapes[i].at);
	}
	for (size_t i = 0; i < s->ntrips; i++) {
		free(s->trips[i].id);
		free(s->trips[i].vehicle);
		free(s->trips[i].shape_id);
		free(s->trips[i].st);
	}
	for (size_t i = 0; i < s->nveh; i++)
		free(s->veh[i].trips);
	free(s->stops);
	free(s->shapes);
	free(s->trips);
	free(s->veh);
	free(s);
}

size_t schedule_vehicles(const struct schedule *s)
{
	return s->nveh;
}

const char *schedule_vehicle(const struct schedule *s, size_t v)
{
	return s->veh[v].code;
}

size_t schedule_trips(const struct schedule *s, size_t v)
{
	return s->veh[v].n;
}

void schedule_span(const struct schedule *s, size_t v, double *first, double *last)
{
	const struct sveh *veh = &s->veh[v];
	const struct strip *a = &s->trips[veh->trips[0]], *b = a;
	for (size_t k = 0; k < veh->n; k++) {
		const struct strip *c = &s->trips[veh->trips[k]];
		if (c->st[c->n - 1].arr > b->st[b->n - 1].arr)
			b = c;
	}
	*first = a->st[0].dep;
	*last = b->st[b->n - 1].arr;
}

bool schedule_stop(const struct schedule *s, const char *id, double *lat, double *lon)
{
	for (size_t i = 0; i < s->nstops; i++)
		if (!strcmp(s->stops[i].id, id)) {
			*lat = s->stops[i].lat;
			*lon = s->stops[i].lon;
			return true;
		}
	return false;
}

/* ---- driving ---- */

/* The point `at` metres along trip t (its shape, or straight between its stops). */
static void point_at(const struct schedule *s, const struct strip *t, double at, struct schedule_pos *o)
{
	if (t->shape >= 0) {
		const struct sshape *sh = &s->shapes[t->shape];
		size_t lo = 0, hi = sh->n - 1;
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (sh->at[mid] <= at)
				lo = mid;
			else
				hi = mid;
		}
		double span = sh->at[hi] - sh->at[lo], f = span > 0 ? (at - sh->at[lo]) / span : 0;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		o->lat = sh->lat[lo] + f * (sh->lat[hi] - sh->lat[lo]);
		o->lon = sh->lon[lo] + f * (sh->lon[hi] - sh->lon[lo]);
		double x, y;
		local(sh->lat[lo], sh->lon[lo], sh->lat[hi], sh->lon[hi], &x, &y);
		if (x != 0 || y != 0)
			o->heading = fmod(atan2(x, y) * 180 / M_PI + 360, 360);
		return;
	}
	size_t j = 0;
	while (j + 2 < t->n && t->st[j + 1].at <= at)
		j++;
	const struct sstop *a = &s->stops[t->st[j].stop], *b = &s->stops[t->st[j + 1].stop];
	double span = t->st[j + 1].at - t->st[j].at, f = span > 0 ? (at - t->st[j].at) / span : 0;
	o->lat = a->lat + f * (b->lat - a->lat);
	o->lon = a->lon + f * (b->lon - a->lon);
}

static void at_stop(const struct schedule *s, const struct strip *t, size_t j, struct schedule_pos *o)
{
	point_at(s, t, t->st[j].at, o);
	o->speed = 0;
	o->stop = s->stops[t->st[j].stop].id;
	o->seq = (int)j + 1;
}

void schedule_position(const struct schedule *s, size_t v, double now, struct schedule_pos *o)
{
	const struct sveh *veh = &s->veh[v];
	memset(o, 0, sizeof *o);
	const struct strip *t = &s->trips[veh->trips[0]];
	for (size_t k = 0; k < veh->n; k++) {
		const struct strip *c = &s->trips[veh->trips[k]];
		if (c->st[0].dep > now)
			break;
		t = c;
	}
	if (now <= t->st[0].dep) { /* waiting for the day's first trip */
		at_stop(s, t, 0, o);
		return;
	}
	if (now >= t->st[t->n - 1].arr) { /* between trips, or done for the day */
		at_stop(s, t, t->n - 1, o);
		return;
	}
	o->trip = t->id;
	for (size_t j = 0; j + 1 < t->n; j++) {
		const struct stime *a = &t->st[j], *b = &t->st[j + 1];
		if (now < a->dep) {
			at_stop(s, t, j, o);
			return;
		}
		if (now < b->arr) {
			double f = (now - a->dep) / (double)(b->arr - a->dep);
			point_at(s, t, a->at + f * (b->at - a->at), o);
			o->speed = (b->at - a->at) / (double)(b->arr - a->dep);
			return;
		}
	}
	at_stop(s, t, t->n - 1, o);
}
