/*
 * trace.c — a vehicle's fixes on one course: snapping, judging, the fitted
 * progress, and each stop's visit read from it (see trace.h for the rules).
 *
 * Everything after a fix's snap is recomputed from the whole trace on every
 * fix: the fit is linear in the number of fixes (a trip has a few hundred)
 * and each stop costs a binary search, so a backlog needs no special path.
 * Snapping depends on the fixes before, so a fix inserted in the past has
 * the fixes after it snapped again.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "geo.h"
#include "util.h"

enum {
	S_ON = 1,    /* near the course */
	S_WRONG = 2, /* heading against the course while moving */
	S_OUT = 4,   /* far from where its neighbours put the bus */
};

#define ARRIVE_M 25.0    /* arrival: the fitted progress this close before the stop */
#define DEPART_M 25.0    /* departure: this far beyond it */
#define MOVING_MPS 1.5   /* a reported speed above this is moving */
#define STOPPED_MPS 1.0  /* and below this standing */
#define LOOK_BACK 64     /* fixes searched back for the previous one on the course */
#define FIRST_WEIGHT 0.002 /* pull of the timetable on a first fix */
#define NEXT_WEIGHT 0.02   /* pull of the expected progress on later fixes */

struct sample {
	jt_ms t;
	double lat, lon, speed, heading, acc;
	double along, lateral;
	double cp; /* confirmed progress after this fix: the most two fixes in a row agree on */
	uint8_t flags;
};

struct trace {
	struct course *c;
	struct trace_config cfg;
	struct sample *s;
	size_t n, cap;
	size_t *u;   /* indices of the good fixes, in time order */
	double *fit; /* their fitted progress */
	size_t nu, ucap;
	struct trace_stop *stops;
};

void trace_config_default(struct trace_config *cfg)
{
	*cfg = (struct trace_config){
		.fence_m = 60, .off_route_m = 80, .max_speed = 30, .back_m = 150, .outlier_m = 100, .gap_s = 60,
	};
}

const char *trace_visit_name(enum trace_visit v)
{
	switch (v) {
	case TRACE_NONE: return "none";
	case TRACE_STOPPED: return "stopped";
	case TRACE_PASSED: return "passed";
	case TRACE_SKIPPED: return "skipped";
	}
	return "?";
}

struct trace *trace_new(struct course *c, const struct trace_config *cfg)
{
	struct trace *t = xcalloc(1, sizeof *t);
	t->c = course_ref(c);
	t->cfg = *cfg;
	t->stops = xcalloc(course_nstops(c), sizeof *t->stops);
	return t;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	course_unref(t->c);
	free(t->s);
	free(t->u);
	free(t->fit);
	free(t->stops);
	free(t);
}

struct course *trace_course(const struct trace *t)
{
	return t->c;
}

static bool good(const struct sample *s)
{
	return (s->flags & (S_ON | S_WRONG | S_OUT)) == S_ON;
}

static double angle_diff(double a, double b)
{
	double d = fmod(fabs(a - b), 360.0);
	return d > 180 ? 360 - d : d;
}

/* Snaps fix j in the window the fixes before it allow, and judges it. */
static void snap(struct trace *t, size_t j)
{
	struct sample *s = &t->s[j];
	const struct trace_config *cfg = &t->cfg;
	double cp = j > 0 ? t->s[j - 1].cp : -INFINITY;
	const struct sample *p = NULL;
	for (size_t k = j; k-- > 0 && j - k <= LOOK_BACK;)
		if ((t->s[k].flags & (S_ON | S_WRONG)) == S_ON) {
			p = &t->s[k];
			break;
		}
	double acc = isfinite(s->acc) ? fmin(s->acc, 60.0) : 20.0;
	double lo = isfinite(cp) ? cp - cfg->back_m : 0.0;
	double hi = INFINITY, expect, weight;
	if (p) {
		double dt = (double)(s->t - p->t) / 1000.0;
		double base = isfinite(cp) ? fmax(cp, p->along) : p->along;
		hi = base + cfg->max_speed * dt + 100.0 + 2 * acc;
		expect = course_sched_along(t->c, course_sched_at(t->c, p->along) + dt);
		expect = fmin(fmax(expect, p->along), hi);
		weight = NEXT_WEIGHT;
	} else {
		/*
		 * Nothing to go by but the timetable. A bus near its first stop
		 * is at the start of its trip, even where the road comes back
		 * past that stop later.
		 */
		const struct course_stop *o = course_stop(t->c, 0);
		double s0 = course_stop_along(t->c, 0);
		if (geo_distance_m(s->lat, s->lon, o->lat, o->lon) <= cfg->fence_m + 2.5 * acc) {
			hi = fmin(hi, s0 + cfg->fence_m);
			lo = fmin(lo, s0);
		}
		expect = course_sched_along(t->c, course_day_seconds(t->c, s->t));
		weight = FIRST_WEIGHT;
	}
	struct course_snap sn = course_snap(t->c, s->lat, s->lon, lo, hi, expect, weight);
	s->along = sn.along;
	s->lateral = sn.lateral;
	s->flags = 0;
	if (sn.lateral <= fmax(cfg->off_route_m, 2.5 * acc))
		s->flags |= S_ON;
	if ((s->flags & S_ON) && isfinite(s->speed) && s->speed > 3.0 && isfinite(s->heading) &&
	    angle_diff(s->heading, course_bearing_at(t->c, s->along)) > 100.0)
		s->flags |= S_WRONG;
	s->cp = cp;
	if ((s->flags & (S_ON | S_WRONG)) == S_ON && p)
		s->cp = fmax(isfinite(cp) ? cp : -INFINITY, fmin(s->along, p->along));
}

static bool on_course(const struct sample *s)
{
	return (s->flags & (S_ON | S_WRONG)) == S_ON;
}

/*
 * Marks the fixes whose distance is far from the line through their
 * neighbours on the course: between the one before and the one after, or at
 * either end of the trace, on the line through the two nearest.
 */
static void judge_outliers(struct trace *t, size_t from)
{
	for (size_t j = from; j < t->n; j++) {
		struct sample *s = &t->s[j];
		s->flags &= (uint8_t)~S_OUT;
		if (!on_course(s))
			continue;
		const struct sample *nb[4] = { NULL, NULL, NULL, NULL }; /* before, before that, after, after that */
		for (size_t k = j, got = 0; k-- > 0 && j - k <= 8 && got < 2;)
			if (on_course(&t->s[k]))
				nb[got++] = &t->s[k];
		for (size_t k = j + 1, got = 0; k < t->n && k - j <= 8 && got < 2; k++)
			if (on_course(&t->s[k]))
				nb[2 + got++] = &t->s[k];
		const struct sample *a, *b;
		if (nb[0] && nb[2])
			a = nb[0], b = nb[2];
		else if (nb[2] && nb[3])
			a = nb[2], b = nb[3];
		else if (nb[0] && nb[1])
			a = nb[1], b = nb[0];
		else
			continue;
		if (llabs(s->t - a->t) > 60000 || llabs(b->t - s->t) > 60000 || a->t == b->t)
			continue;
		double u = (double)(s->t - a->t) / (double)(b->t - a->t);
		double line = a->along + u * (b->along - a->along);
		double acc = isfinite(s->acc) ? s->acc : 20.0;
		if (fabs(s->along - line) > fmax(t->cfg.outlier_m, 3 * acc))
			s->flags |= S_OUT;
	}
}

/* Isotonic regression (pool adjacent violators) of the good fixes' distances. */
static void fit_progress(struct trace *t)
{
	t->nu = 0;
	for (size_t j = 0; j < t->n; j++)
		if (good(&t->s[j])) {
			t->u = xgrow(t->u, &t->ucap, t->nu + 1, sizeof *t->u);
			t->u[t->nu++] = j;
		}
	if (t->nu == 0)
		return;
	t->fit = xrealloc(t->fit, t->ucap * sizeof *t->fit);
	/* Blocks as (sum, count) on a stack; block b covers fixes start[b]..start[b+1]-1. */
	double *sum = xmalloc(t->nu * sizeof *sum);
	size_t *cnt = xmalloc(t->nu * sizeof *cnt);
	size_t nb = 0;
	for (size_t i = 0; i < t->nu; i++) {
		sum[nb] = t->s[t->u[i]].along;
		cnt[nb] = 1;
		nb++;
		while (nb > 1 && sum[nb - 2] / (double)cnt[nb - 2] > sum[nb - 1] / (double)cnt[nb - 1]) {
			sum[nb - 2] += sum[nb - 1];
			cnt[nb - 2] += cnt[nb - 1];
			nb--;
		}
	}
	size_t i = 0;
	for (size_t b = 0; b < nb; b++)
		for (size_t k = 0; k < cnt[b]; k++)
			t->fit[i++] = sum[b] / (double)cnt[b];
	free(sum);
	free(cnt);
}

/* First good fix whose fitted progress is >= x (or > x when strict); nu if none. */
static size_t first_at(const struct trace *t, double x, bool strict)
{
	size_t lo = 0, hi = t->nu;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strict ? t->fit[mid] > x : t->fit[mid] >= x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const struct sample *gs(const struct trace *t, size_t i)
{
	return &t->s[t->u[i]];
}

/*
 * When the fitted progress reached x, between good fixes i-1 and i (i > 0,
 * fit[i-1] < x <= fit[i]). Over a long gap the time is shared out as the
 * timetable shares it (a dwell in the gap takes its scheduled share).
 */
static jt_ms crossing(const struct trace *t, size_t i, double x, bool *estimated)
{
	const struct sample *a = gs(t, i - 1), *b = gs(t, i);
	double f0 = t->fit[i - 1], f1 = t->fit[i];
	double dt = (double)(b->t - a->t);
	*estimated = dt > t->cfg.gap_s * 1000.0;
	double u = f1 > f0 ? (x - f0) / (f1 - f0) : 1.0;
	if (*estimated) {
		double s0 = course_sched_at(t->c, f0), s1 = course_sched_at(t->c, f1);
		if (s1 - s0 > 1.0)
			u = (course_sched_at(t->c, x) - s0) / (s1 - s0);
	}
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	return a->t + (jt_ms)llround(u * dt);
}

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Was the bus moving around good fix i? Its reported speed; without one,
 * whether the median positions of the minute before and the minute after
 * are 100 m apart (single noisy positions would make a standing bus move,
 * and one outlier would move a mean).
 */
static bool moving(const struct trace *t, size_t i)
{
	const struct sample *s = gs(t, i);
	if (isfinite(s->speed))
		return s->speed >= MOVING_MPS;
	enum { MAXN = 32 };
	double lat[2][MAXN], lon[2][MAXN];
	int cnt[2] = { 0, 0 };
	for (size_t j = i; j-- > 0 && s->t - gs(t, j)->t < 60000 && cnt[0] < MAXN;) {
		lat[0][cnt[0]] = gs(t, j)->lat;
		lon[0][cnt[0]++] = gs(t, j)->lon;
	}
	for (size_t j = i; j < t->nu && gs(t, j)->t - s->t <= 60000 && cnt[1] < MAXN; j++) {
		lat[1][cnt[1]] = gs(t, j)->lat;
		lon[1][cnt[1]++] = gs(t, j)->lon;
	}
	if (cnt[0] < 2 || cnt[1] < 2)
		return false;
	double d = geo_distance_m(median(lat[0], cnt[0]), median(lon[0], cnt[0]), median(lat[1], cnt[1]),
				  median(lon[1], cnt[1]));
	return d >= 100;
}

/* Was the bus driving in the minute up to good fix i (so not standing there all along)? */
static bool came_driving(const struct trace *t, size_t i)
{
	jt_ms since = gs(t, i)->t - 60000;
	for (size_t j = i + 1; j-- > 0 && gs(t, j)->t >= since;)
		if (moving(t, j))
			return true;
	return false;
}

static bool standing(const struct sample *s)
{
	return isfinite(s->speed) && s->speed < STOPPED_MPS;
}

/* Fixes off the course (or against it) between two times, exclusive. */
static size_t off_between(const struct trace *t, jt_ms a, jt_ms b)
{
	size_t n = 0;
	for (size_t j = 0; j < t->n; j++)
		if (t->s[j].t > a && t->s[j].t < b && (t->s[j].flags & (S_ON | S_WRONG)) != S_ON)
			n++;
	return n;
}

/* The origin: only a departure, once the bus is seen there and then beyond its fence. */
static void eval_origin(const struct trace *t, double s, struct trace_stop *out)
{
	double R = t->cfg.fence_m;
	if (t->fit[0] > s + R)
		return; /* first seen already gone */
	out->visit = TRACE_STOPPED;
	size_t jr = first_at(t, s + R, true);
	if (jr == t->nu)
		return;
	size_t jd = first_at(t, s + DEPART_M, true);
	if (jd == 0 || !(moving(t, jd) || moving(t, jd - 1) || moving(t, jr)))
		return;
	out->departure = crossing(t, jd, s + DEPART_M, &out->dep_estimated);
}

static void eval_stop(const struct trace *t, size_t k, struct trace_stop *out)
{
	memset(out, 0, sizeof *out);
	if (t->nu == 0)
		return;
	double s = course_stop_along(t->c, k), R = t->cfg.fence_m;
	if (k == 0) {
		eval_origin(t, s, out);
		return;
	}
	size_t e = first_at(t, s - R, false);
	if (e == t->nu || e == 0)
		return; /* not reached, or first seen already at or past it */
	if (t->fit[e] > s + R) {
		/* From before the fence to beyond it without a fix inside. */
		out->arrival = crossing(t, e, s, &out->arr_estimated);
		if (off_between(t, gs(t, e - 1)->t, gs(t, e)->t) >= 2) {
			out->visit = TRACE_SKIPPED;
			out->arr_estimated = true;
		} else {
			out->visit = TRACE_PASSED;
		}
		return;
	}
	/* Inside the fence: the first fix there that shows the bus driving in. */
	size_t jr = first_at(t, s + R, true);
	size_t a = e;
	while (a < jr && !came_driving(t, a))
		a++;
	bool left = jr < t->nu && (moving(t, jr) || moving(t, jr - 1));
	if (a == jr) {
		if (!left)
			return; /* standing near the stop, never seen driving to it */
		/* Drove off through the stop from standing just before it: it passed. */
		out->visit = TRACE_PASSED;
		out->arrival = crossing(t, jr, s, &out->arr_estimated);
		return;
	}
	jt_ms arr = 0;
	bool est = false;
	size_t ja = first_at(t, s - ARRIVE_M, false);
	if (ja < a)
		ja = a;
	if (ja < t->nu)
		arr = crossing(t, ja, s - ARRIVE_M, &est);
	bool stopped = false;
	for (size_t i = a; i < jr; i++)
		if (standing(gs(t, i))) {
			if (!stopped && (arr == 0 || gs(t, i)->t < arr)) {
				arr = gs(t, i)->t;
				est = false;
			}
			stopped = true;
		}
	if (arr == 0)
		return; /* still coming in */
	out->visit = TRACE_STOPPED;
	out->arrival = arr;
	out->arr_estimated = est;
	if (!left)
		return;
	size_t jd = first_at(t, s + DEPART_M, true);
	if (jd < a + 1)
		jd = a + 1;
	out->departure = crossing(t, jd, s + DEPART_M, &out->dep_estimated);
	if (out->departure < out->arrival)
		out->departure = out->arrival;
	bool speed_known = isfinite(gs(t, a)->speed);
	if (!stopped && (speed_known || out->departure - out->arrival < 10000)) {
		out->visit = TRACE_PASSED;
		out->arrival = crossing(t, first_at(t, s, false) > a ? first_at(t, s, false) : a, s,
					&out->arr_estimated);
		out->departure = 0;
		out->dep_estimated = false;
	}
}

static void evaluate(struct trace *t)
{
	fit_progress(t);
	for (size_t k = 0; k < course_nstops(t->c); k++)
		eval_stop(t, k, &t->stops[k]);
}

enum trace_add trace_add(struct trace *t, const struct fix *f)
{
	if (t->n >= TRACE_FIXES_MAX)
		return TRACE_FULL;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->s[mid].t <= f->time)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && t->s[lo - 1].t == f->time)
		return TRACE_DUPLICATE;
	t->s = xgrow(t->s, &t->cap, t->n + 1, sizeof *t->s);
	memmove(&t->s[lo + 1], &t->s[lo], (t->n - lo) * sizeof *t->s);
	t->n++;
	t->s[lo] = (struct sample){
		.t = f->time, .lat = f->lat, .lon = f->lon, .speed = f->speed,
		.heading = f->heading, .acc = f->accuracy,
	};
	for (size_t j = lo; j < t->n; j++)
		snap(t, j);
	judge_outliers(t, lo > 8 ? lo - 8 : 0);
	evaluate(t);
	return TRACE_ADDED;
}

size_t trace_count(const struct trace *t)
{
	return t->n;
}

const struct trace_stop *trace_stops(const struct trace *t)
{
	return t->stops;
}

jt_ms trace_first_time(const struct trace *t)
{
	return t->n ? t->s[0].t : 0;
}

jt_ms trace_last_time(const struct trace *t)
{
	return t->n ? t->s[t->n - 1].t : 0;
}

jt_ms trace_last_on_route(const struct trace *t)
{
	return t->nu ? gs(t, t->nu - 1)->t : 0;
}

double trace_wrong_way_s(const struct trace *t)
{
	size_t j = t->n;
	while (j > 0 && (t->s[j - 1].flags & S_WRONG))
		j--;
	if (j == t->n)
		return 0;
	return (double)(t->s[t->n - 1].t - t->s[j].t) / 1000.0;
}

bool trace_progress(const struct trace *t, struct trace_progress *out)
{
	memset(out, 0, sizeof *out);
	if (t->nu == 0)
		return false;
	const struct course *c = t->c;
	size_t n = course_nstops(c);
	double R = t->cfg.fence_m;
	out->time = t->s[t->n - 1].t;
	out->along = t->fit[t->nu - 1];
	size_t k = 0;
	for (; k < n; k++) {
		const struct trace_stop *st = &t->stops[k];
		if (course_stop_along(c, k) < out->along - R && st->visit == TRACE_NONE)
			continue; /* behind the bus, before tracking began */
		bool done = st->visit == TRACE_PASSED || st->visit == TRACE_SKIPPED ||
			    (st->visit == TRACE_STOPPED && (st->departure || k == n - 1));
		if (!done)
			break;
	}
	out->next_stop = k;
	double now = course_day_seconds(c, out->time);
	if (k < n && t->stops[k].visit == TRACE_STOPPED) {
		const struct course_stop *cs = course_stop(c, k);
		out->at_stop = true;
		double d = now - cs->dep;
		if (t->stops[k].arrival)
			d = fmax(d, course_day_seconds(c, t->stops[k].arrival) - cs->arr);
		else if (k == 0)
			d = fmax(d, 0);
		out->delay_s = (int32_t)lround(d);
	} else {
		out->delay_s = (int32_t)lround(now - course_sched_at(c, out->along));
	}
	size_t off = 0;
	jt_ms off_from = 0;
	for (size_t j = t->n; j > 0 && (t->s[j - 1].flags & (S_ON | S_WRONG)) != S_ON; j--) {
		off++;
		off_from = t->s[j - 1].t;
	}
	out->off_route = off >= 2 && out->time - off_from >= 30000;
	return true;
}

void trace_fit(const struct trace *t, struct trace_fit *out)
{
	memset(out, 0, sizeof *out);
	out->fixes = t->n;
	out->good = t->nu;
	double lat = 0;
	for (size_t i = 0; i < t->nu; i++)
		lat += gs(t, i)->lateral;
	out->mean_lateral = t->nu ? lat / (double)t->nu : INFINITY;
	out->progress_m = t->nu ? t->fit[t->nu - 1] - t->fit[0] : 0;
	for (size_t j = 0; j < t->n; j++)
		if (t->s[j].flags & S_WRONG)
			out->wrong_way++;
}

double trace_km(const struct trace *t)
{
	double m = t->nu ? t->fit[t->nu - 1] - t->fit[0] : 0;
	for (size_t j = 1; j < t->n; j++) {
		const struct sample *a = &t->s[j - 1], *b = &t->s[j];
		if (!(a->flags & S_ON) && !(b->flags & S_ON))
			m += geo_distance_m(a->lat, a->lon, b->lat, b->lon);
	}
	return m / 1000.0;
}
