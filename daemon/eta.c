/*
 * eta.c — learnt running and dwell times by hour of day, and predictions
 * walked stop by stop from the bus's position (see eta.h).
 */
#include "eta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "strmap.h"
#include "trace.h"
#include "util.h"

#define HOURS 24
#define PACE_SEGMENTS 3 /* recent segments the pace is read from */
#define PACE_FADE 3.0   /* stops over which the pace fades back to 1 (e-folding) */

struct bucket {
	double mean[HOURS];
	uint32_t n[HOURS];
};

struct eta_model {
	double alpha;
	struct strmap *runs;   /* "from\x1fto" -> bucket */
	struct strmap *dwells; /* stop -> bucket */
};

struct eta_model *eta_model_new(double alpha)
{
	struct eta_model *m = xcalloc(1, sizeof *m);
	m->alpha = alpha > 0 && alpha <= 1 ? alpha : 0.3;
	m->runs = strmap_new();
	m->dwells = strmap_new();
	return m;
}

void eta_model_free(struct eta_model *m)
{
	if (!m)
		return;
	strmap_free_all(m->runs, free);
	strmap_free_all(m->dwells, free);
	free(m);
}

static int hour_of(double day_s)
{
	if (!isfinite(day_s) || day_s < 0)
		return 0;
	return (int)fmod(floor(day_s / 3600.0), HOURS);
}

static void run_key(char *buf, size_t len, const char *from, const char *to)
{
	snprintf(buf, len, "%s\x1f%s", from, to);
}

static void learn(struct eta_model *m, struct strmap *map, const char *key, double day_s, double v)
{
	if (!isfinite(v) || v < 0 || v > 6 * 3600)
		return;
	struct bucket *b = strmap_get(map, key);
	if (!b) {
		b = xcalloc(1, sizeof *b);
		strmap_put(map, key, b);
	}
	int h = hour_of(day_s);
	b->mean[h] = b->n[h] ? (1 - m->alpha) * b->mean[h] + m->alpha * v : v;
	if (b->n[h] < UINT32_MAX)
		b->n[h]++;
}

static double lookup(const struct strmap *map, const char *key, double day_s)
{
	const struct bucket *b = strmap_get(map, key);
	if (!b)
		return NAN;
	int h = hour_of(day_s);
	if (b->n[h])
		return b->mean[h];
	/* The hours either side, averaged when both are known. */
	int lo = (h + HOURS - 1) % HOURS, hi = (h + 1) % HOURS;
	if (b->n[lo] && b->n[hi])
		return (b->mean[lo] + b->mean[hi]) / 2;
	if (b->n[lo])
		return b->mean[lo];
	if (b->n[hi])
		return b->mean[hi];
	return NAN;
}

void eta_learn_run(struct eta_model *m, const char *from, const char *to, double day_s, double run_s)
{
	char key[2 * COURSE_ID_MAX + 4];
	run_key(key, sizeof key, from, to);
	learn(m, m->runs, key, day_s, run_s);
}

void eta_learn_dwell(struct eta_model *m, const char *stop, double day_s, double dwell_s)
{
	learn(m, m->dwells, stop, day_s, dwell_s);
}

double eta_run_time(const struct eta_model *m, const char *from, const char *to, double day_s)
{
	char key[2 * COURSE_ID_MAX + 4];
	run_key(key, sizeof key, from, to);
	return lookup(m->runs, key, day_s);
}

double eta_dwell(const struct eta_model *m, const char *stop, double day_s)
{
	return lookup(m->dwells, stop, day_s);
}

/* When the bus left stop k and reached it, if observed (not interpolated over a gap). */
static bool observed_leave(const struct trace_stop *v, double *t_ms)
{
	if (v->visit == TRACE_STOPPED && v->departure && !v->dep_estimated) {
		*t_ms = (double)v->departure;
		return true;
	}
	if (v->visit == TRACE_PASSED && v->arrival && !v->arr_estimated) {
		*t_ms = (double)v->arrival;
		return true;
	}
	return false;
}

static bool observed_reach(const struct trace_stop *v, double *t_ms)
{
	if ((v->visit == TRACE_STOPPED || v->visit == TRACE_PASSED) && v->arrival && !v->arr_estimated) {
		*t_ms = (double)v->arrival;
		return true;
	}
	return false;
}

void eta_learn_trip(struct eta_model *m, const struct course *c, const struct trace_stop *visits)
{
	size_t n = course_nstops(c);
	for (size_t k = 0; k + 1 < n; k++) {
		double t0, t1;
		if (observed_leave(&visits[k], &t0) && observed_reach(&visits[k + 1], &t1) && t1 >= t0)
			eta_learn_run(m, course_stop(c, k)->id, course_stop(c, k + 1)->id,
				      course_day_seconds(c, (jt_ms)t0), (t1 - t0) / 1000.0);
	}
	for (size_t k = 1; k + 1 < n; k++) {
		const struct trace_stop *v = &visits[k];
		double day = course_day_seconds(c, v->arrival);
		if (v->visit == TRACE_PASSED && !v->arr_estimated)
			eta_learn_dwell(m, course_stop(c, k)->id, day, 0);
		else if (v->visit == TRACE_STOPPED && v->arrival && v->departure && !v->arr_estimated &&
			 !v->dep_estimated)
			eta_learn_dwell(m, course_stop(c, k)->id, day,
					(double)(v->departure - v->arrival) / 1000.0);
	}
}

/* Expected running time from stop k-1 to k leaving at day_s: learnt, else the timetable's. */
static double run_time(const struct eta_model *m, const struct course *c, size_t k, double day_s)
{
	double r = m ? eta_run_time(m, course_stop(c, k - 1)->id, course_stop(c, k)->id, day_s) : NAN;
	if (isfinite(r))
		return r;
	return course_stop(c, k)->arr - course_stop(c, k - 1)->dep;
}

double eta_pace(const struct eta_model *m, const struct course *c, const struct trace_stop *visits,
		size_t upto)
{
	double seen = 0, expected = 0;
	int used = 0;
	size_t n = course_nstops(c);
	if (upto > n)
		upto = n;
	for (size_t k = upto; k-- > 1 && used < PACE_SEGMENTS;) {
		double t0, t1;
		if (!observed_leave(&visits[k - 1], &t0) || !observed_reach(&visits[k], &t1) || t1 < t0)
			continue;
		double e = run_time(m, c, k, course_day_seconds(c, (jt_ms)t0));
		if (e <= 0)
			continue;
		seen += (t1 - t0) / 1000.0;
		expected += e;
		used++;
	}
	if (!used || expected <= 0)
		return 1.0;
	double p = seen / expected;
	return p < 0.5 ? 0.5 : p > 2 ? 2 : p;
}

void eta_predict(const struct eta_model *m, const struct course *c, const struct eta_position *p,
		 struct eta_stop *out)
{
	size_t n = course_nstops(c);
	memset(out, 0, n * sizeof *out);
	if (p->next_stop >= n)
		return;
	double pace = isfinite(p->pace) && p->pace > 0 ? p->pace : 1.0;
	size_t k = p->next_stop;
	double t = course_day_seconds(c, p->time);
	double leave; /* when the bus leaves stop k, seconds of the day */
	if (p->at_stop) {
		out[k].arrival = p->time;
		leave = k + 1 < n ? fmax(t, course_stop(c, k)->dep) : t;
	} else {
		double s0 = k > 0 ? course_stop_along(c, k - 1) : 0, s1 = course_stop_along(c, k);
		double frac = s1 > s0 ? (s1 - p->along) / (s1 - s0) : 0;
		frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
		double arr = t + (k > 0 ? frac * run_time(m, c, k, t) * pace : 0);
		out[k].arrival = course_time_of(c, arr);
		leave = arr;
		if (k + 1 < n) {
			double dw = m ? eta_dwell(m, course_stop(c, k)->id, arr) : NAN;
			if (!isfinite(dw))
				dw = course_stop(c, k)->dep - course_stop(c, k)->arr;
			leave = fmax(arr + (k > 0 ? dw : 0), course_stop(c, k)->dep);
		}
	}
	out[k].departure = course_time_of(c, leave);
	for (size_t j = k + 1; j < n; j++) {
		double fade = 1 + (pace - 1) * exp(-(double)(j - k) / PACE_FADE);
		double arr = leave + run_time(m, c, j, leave) * fade;
		out[j].arrival = course_time_of(c, arr);
		leave = arr;
		if (j + 1 < n) {
			double dw = m ? eta_dwell(m, course_stop(c, j)->id, arr) : NAN;
			if (!isfinite(dw))
				dw = course_stop(c, j)->dep - course_stop(c, j)->arr;
			leave = fmax(arr + dw, course_stop(c, j)->dep);
		}
		out[j].departure = course_time_of(c, leave);
	}
}
