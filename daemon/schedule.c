/*
 * schedule.c — the trips of a few service days as courses for tracking; see
 * schedule.h.
 *
 * A day's list is made from the timetable once (which trips the calendars
 * run that day, when each starts and ends, the box its stops and shape lie
 * in) and kept for the few days fixes come from (today, yesterday, a backlog
 * from the day before); the least recently used is dropped first. A trip's
 * course is built the first time a vehicle near it, or a driver, needs it.
 */
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caledit.h"
#include "calendar.h"
#include "catalog.h"
#include "course.h"
#include "geo.h"
#include "log.h"
#include "routeedit.h"
#include "strmap.h"
#include "tripedit.h"
#include "util.h"

#define DAYS_KEPT 4
#define EARLY_MS (15 * 60 * 1000)  /* a trip is a candidate from this long before it leaves */
#define LATE_MS (40 * 60 * 1000)   /* until this long after it should have arrived */
#define NEAR_M 3000.0              /* and for vehicles this close to its stops or shape */
#define WAITING_M 400.0            /* or, standing still, this close to its first stop */
#define M_PER_DEG 111320.0

struct sched_trip {
	char code[CATALOG_CODE_MAX + 1];
	char line[CATALOG_CODE_MAX + 1];
	int version;
	jt_ms t0, t1; /* first departure, last arrival */
	double lat0, lon0; /* the first stop */
	double lat_lo, lat_hi, lon_lo, lon_hi;
	struct course *course;
	bool failed; /* cannot be laid out: never a candidate */
};

struct sched_day {
	bool used;
	jt_day day;
	uint64_t last_use;
	struct sched_trip *trips;
	size_t n;
	struct strmap *by_code; /* code -> sched_trip */
	size_t *by_t0;          /* trips in order of first departure */
	jt_ms max_span;         /* the longest trip's first departure to last arrival */
};

struct schedule {
	uint64_t stamp;
	uint64_t uses;
	struct sched_day days[DAYS_KEPT];
	size_t built, failed;
};

#define SC(d) ((d)->schedule)

static struct strmap *collection(struct jtd *d, const char *name)
{
	return d->catalog[catalog_find(name) - catalog_collections];
}

static uint64_t network_stamp(struct jtd *d)
{
	return strmap_changes(d->trips) * 7 + strmap_changes(d->calendars) * 5 +
	       strmap_changes(collection(d, "stops")) * 3 + strmap_changes(collection(d, "lines")) * 11 +
	       strmap_changes(d->routes) * 13 + 1;
}

void schedule_init(struct jtd *d)
{
	d->schedule = xcalloc(1, sizeof *d->schedule);
}

static void day_clear(struct sched_day *sd)
{
	for (size_t i = 0; i < sd->n; i++)
		course_unref(sd->trips[i].course);
	free(sd->trips);
	free(sd->by_t0);
	strmap_free(sd->by_code);
	memset(sd, 0, sizeof *sd);
}

void schedule_free(struct jtd *d)
{
	if (!SC(d))
		return;
	for (size_t i = 0; i < DAYS_KEPT; i++)
		day_clear(&SC(d)->days[i]);
	free(SC(d));
	d->schedule = NULL;
}

uint64_t schedule_generation(struct jtd *d)
{
	struct schedule *s = SC(d);
	uint64_t stamp = network_stamp(d);
	if (stamp != s->stamp) {
		for (size_t i = 0; i < DAYS_KEPT; i++)
			day_clear(&s->days[i]);
		s->stamp = stamp;
	}
	return s->stamp;
}

jt_day schedule_day_of(jt_ms t)
{
	time_t secs = (time_t)(t / 1000);
	struct tm tm;
	localtime_r(&secs, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

jt_ms schedule_day_start(jt_day day)
{
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_hour = 12, .tm_isdst = -1 };
	return ((jt_ms)mktime(&tm) - 12 * 3600) * 1000;
}

void schedule_start_date(jt_day day, char *buf, size_t len)
{
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	snprintf(buf, len, "%04d%02d%02d", y, m, dd);
}

static const char *member_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static void widen(struct sched_trip *t, double lat, double lon)
{
	t->lat_lo = fmin(t->lat_lo, lat);
	t->lat_hi = fmax(t->lat_hi, lat);
	t->lon_lo = fmin(t->lon_lo, lon);
	t->lon_hi = fmax(t->lon_hi, lon);
}

static struct json_object *shape_of(struct jtd *d, const char *line, int version)
{
	struct json_object *ver = routeedit_version(d, line, version), *shape;
	if (!ver || !json_object_object_get_ex(ver, "shape", &shape) ||
	    !json_object_is_type(shape, json_type_array) || json_object_array_length(shape) < 2)
		return NULL;
	return shape;
}

/* The trips the calendars run on `day`, with their times and where they go. */
static const struct sched_trip *by_t0_trips; /* the array being sorted (qsort has no context) */

/* By first departure, then by place in the day's array: the same order every time. */
static int by_t0_order(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	jt_ms x = by_t0_trips[i].t0, y = by_t0_trips[j].t0;
	if (x != y)
		return (x > y) - (x < y);
	return (i > j) - (i < j);
}

static void day_build(struct jtd *d, struct sched_day *sd, jt_day day)
{
	int64_t t0 = mono_ms();
	sd->used = true;
	sd->day = day;
	sd->by_code = strmap_new();
	jt_ms start = schedule_day_start(day);
	struct strmap *stops = collection(d, "stops");
	size_t pos = 0, cap = 0;
	struct tripedit_view tv;
	while (tripedit_next(d, &pos, &tv)) {
		const struct calendar *cal = caledit_get(d, tv.calendar);
		if (!cal || tv.n < 2 || !calendar_runs_on(cal, day))
			continue;
		/* Trips served on request (pickup windows, zones) have no timetable to track against. */
		bool windows = false;
		for (size_t k = 0; k < tv.n; k++)
			windows |= tv.st[k].window;
		if (windows)
			continue;
		sd->trips = xgrow(sd->trips, &cap, sd->n + 1, sizeof *sd->trips);
		struct sched_trip *t = &sd->trips[sd->n++];
		memset(t, 0, sizeof *t);
		strlcpy_jt(t->code, tv.code, sizeof t->code);
		strlcpy_jt(t->line, tv.line, sizeof t->line);
		t->version = tv.version;
		t->t0 = start + (jt_ms)tv.st[0].dep * 1000;
		t->t1 = start + (jt_ms)tv.st[tv.n - 1].arr * 1000;
		t->lat_lo = t->lon_lo = INFINITY;
		t->lat_hi = t->lon_hi = -INFINITY;
		for (size_t k = 0; k < tv.n; k++) {
			const char *code = member_str(json_object_array_get_idx(tv.stops, k), "stop");
			struct json_object *rec = code ? strmap_get(stops, code) : NULL;
			double lat = catalog_num(rec, "lat"), lon = catalog_num(rec, "lon");
			if (!isfinite(lat) || !isfinite(lon)) {
				t->failed = true;
				break;
			}
			if (k == 0) {
				t->lat0 = lat;
				t->lon0 = lon;
			}
			widen(t, lat, lon);
		}
		struct json_object *shape = shape_of(d, tv.line, tv.version);
		for (size_t k = 0; shape && k < json_object_array_length(shape); k++) {
			struct json_object *p = json_object_array_get_idx(shape, k);
			double lat = json_object_get_double(json_object_array_get_idx(p, 0));
			double lon = json_object_get_double(json_object_array_get_idx(p, 1));
			if (isfinite(lat) && isfinite(lon))
				widen(t, lat, lon);
		}
	}
	/* Pointers into the array only once it no longer moves. */
	for (size_t i = 0; i < sd->n; i++)
		strmap_put(sd->by_code, sd->trips[i].code, &sd->trips[i]);
	/* A vehicle's candidates are the trips running about now: found by time, not by a scan of the day. */
	sd->by_t0 = xcalloc(sd->n ? sd->n : 1, sizeof *sd->by_t0);
	for (size_t i = 0; i < sd->n; i++) {
		sd->by_t0[i] = i;
		if (sd->trips[i].t1 - sd->trips[i].t0 > sd->max_span)
			sd->max_span = sd->trips[i].t1 - sd->trips[i].t0;
	}
	by_t0_trips = sd->trips;
	qsort(sd->by_t0, sd->n, sizeof *sd->by_t0, by_t0_order);
	char date[DATE_FORMAT_LEN];
	date_format(day, date);
	log_debug("tracking.day", "service_day=%s trips=%zu ms=%lld", date, sd->n,
		  (long long)(mono_ms() - t0));
}

static struct sched_day *day_get(struct jtd *d, jt_day day)
{
	struct schedule *s = SC(d);
	schedule_generation(d);
	struct sched_day *victim = &s->days[0];
	for (size_t i = 0; i < DAYS_KEPT; i++) {
		struct sched_day *sd = &s->days[i];
		if (sd->used && sd->day == day) {
			sd->last_use = ++s->uses;
			return sd;
		}
		if (!sd->used || (victim->used && sd->last_use < victim->last_use))
			victim = sd;
	}
	day_clear(victim);
	day_build(d, victim, day);
	victim->last_use = ++s->uses;
	return victim;
}

/* The trip's course, built on first use; NULL (once logged) when it cannot be laid out. */
static struct course *course_of(struct jtd *d, struct sched_day *sd, struct sched_trip *t, char *err,
				size_t errlen)
{
	if (t->course)
		return t->course;
	if (t->failed) {
		snprintf(err, errlen, "trip %s cannot be laid out along its route", t->code);
		return NULL;
	}
	struct tripedit_view tv;
	/* The trip's times and stops, as the timetable holds them now. */
	bool found = tripedit_view_of(d, t->code, &tv);
	char why[200] = "it is no longer in the timetable";
	if (found) {
		struct course_stop *cs = xcalloc(tv.n, sizeof *cs);
		struct strmap *stops = collection(d, "stops");
		for (size_t k = 0; k < tv.n; k++) {
			const char *code = member_str(json_object_array_get_idx(tv.stops, k), "stop");
			struct json_object *rec = code ? strmap_get(stops, code) : NULL;
			cs[k] = (struct course_stop){ .id = code ? code : "", .lat = catalog_num(rec, "lat"),
						      .lon = catalog_num(rec, "lon"), .arr = tv.st[k].arr,
						      .dep = tv.st[k].dep };
		}
		struct json_object *shape = shape_of(d, tv.line, tv.version);
		size_t np = shape ? json_object_array_length(shape) : 0;
		double *pts = np ? xcalloc(2 * np, sizeof *pts) : NULL;
		for (size_t k = 0; k < np; k++) {
			struct json_object *p = json_object_array_get_idx(shape, k);
			pts[2 * k] = json_object_get_double(json_object_array_get_idx(p, 0));
			pts[2 * k + 1] = json_object_get_double(json_object_array_get_idx(p, 1));
		}
		char start_date[12];
		schedule_start_date(sd->day, start_date, sizeof start_date);
		struct course_spec spec = {
			.trip_id = t->code, .route_id = t->line, .start_date = start_date,
			.day_start = schedule_day_start(sd->day), .stops = cs, .nstops = tv.n,
			.shape = pts, .nshape = np,
		};
		t->course = course_new(&spec, why, sizeof why);
		free(pts);
		free(cs);
	}
	if (!t->course) {
		t->failed = true;
		SC(d)->failed++;
		char date[DATE_FORMAT_LEN];
		date_format(sd->day, date);
		log_warn("tracking.trip_not_laid_out", "trip=%s service_day=%s reason=\"%s\"", t->code, date,
			 why);
		snprintf(err, errlen, "trip %s cannot be laid out along its route: %s", t->code, why);
		return NULL;
	}
	SC(d)->built++;
	return t->course;
}

struct cand {
	struct course *c;
	jt_ms off;      /* how far the time is outside the trip's run */
	double lateral; /* metres from the position to the trip's shape */
	size_t order;   /* found n-th: equal fits keep it */
};

/*
 * Nearest first, then closest in time: where many lines' areas overlap
 * (near a town every trip running now is "near" by its bounding box), the
 * trip whose road the vehicle is on must not be cut off by the limit.
 */
static int by_fit(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	double dx = x->lateral + (double)x->off / 1000.0, dy = y->lateral + (double)y->off / 1000.0;
	if (dx != dy)
		return (dx > dy) - (dx < dy);
	return (x->order > y->order) - (x->order < y->order);
}

size_t schedule_candidates(struct jtd *d, jt_ms t, double lat, double lon, bool standing,
			   struct course **out, size_t max)
{
	if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180 || max == 0)
		return 0;
	jt_day today = schedule_day_of(t);
	struct cand *c = NULL;
	size_t n = 0, cap = 0;
	double mlat = NEAR_M / M_PER_DEG;
	double mlon = NEAR_M / (M_PER_DEG * fmax(0.05, cos(lat * M_PI / 180.0)));
	for (jt_day day = today - 1; day <= today; day++) {
		struct sched_day *sd = day_get(d, day);
		/* a candidate leaves by t + EARLY_MS and arrives after t - LATE_MS, so it left after
		 * t - LATE_MS - the longest trip */
		jt_ms from = t - LATE_MS - sd->max_span;
		size_t lo = 0, hi = sd->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (sd->trips[sd->by_t0[mid]].t0 < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < sd->n && sd->trips[sd->by_t0[k]].t0 <= t + EARLY_MS; k++) {
			struct sched_trip *tr = &sd->trips[sd->by_t0[k]];
			if (tr->failed || t < tr->t0 - EARLY_MS || t > tr->t1 + LATE_MS)
				continue;
			if (lat < tr->lat_lo - mlat || lat > tr->lat_hi + mlat || lon < tr->lon_lo - mlon ||
			    lon > tr->lon_hi + mlon)
				continue;
			if (standing && geo_distance_m(lat, lon, tr->lat0, tr->lon0) > WAITING_M)
				continue;
			char err[64];
			struct course *co = course_of(d, sd, tr, err, sizeof err);
			if (!co)
				continue;
			struct course_snap sn = course_snap(co, lat, lon, 0, course_length(co), NAN, 0);
			if (!(sn.lateral <= NEAR_M))
				continue;
			c = xgrow(c, &cap, n + 1, sizeof *c);
			c[n].c = co;
			c[n].off = t < tr->t0 ? tr->t0 - t : t > tr->t1 ? t - tr->t1 : 0;
			c[n].lateral = sn.lateral;
			c[n].order = n;
			n++;
		}
	}
	if (n > 1)
		qsort(c, n, sizeof *c, by_fit);
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = c[i].c;
	free(c);
	return n;
}

struct course *schedule_course(struct jtd *d, const char *trip, jt_day day, char *err, size_t errlen)
{
	if (!strmap_get(d->trips, trip)) {
		snprintf(err, errlen, "no trip %.40s", trip);
		return NULL;
	}
	struct sched_day *sd = day_get(d, day);
	struct sched_trip *t = strmap_get(sd->by_code, trip);
	if (!t) {
		char date[DATE_FORMAT_LEN];
		date_format(day, date);
		snprintf(err, errlen, "trip %.40s does not run on %s", trip, date);
		return NULL;
	}
	return course_of(d, sd, t, err, errlen);
}

int schedule_sign_on_day(struct jtd *d, const char *trip, jt_ms now, jt_day *day, char *err,
			 size_t errlen)
{
	if (!strmap_get(d->trips, trip)) {
		snprintf(err, errlen, "no trip %.40s", trip);
		return -1;
	}
	jt_day today = schedule_day_of(now);
	struct sched_day *y = day_get(d, today - 1);
	struct sched_trip *t = strmap_get(y->by_code, trip);
	if (t && now <= t->t1 + LATE_MS) {
		*day = today - 1;
		return 0;
	}
	struct sched_day *sd = day_get(d, today);
	if (strmap_get(sd->by_code, trip)) {
		*day = today;
		return 0;
	}
	snprintf(err, errlen, "trip %.40s does not run today (its calendar)", trip);
	return -2;
}

size_t schedule_courses_built(struct jtd *d)
{
	return SC(d)->built;
}

size_t schedule_courses_failed(struct jtd *d)
{
	return SC(d)->failed;
}
