/*
 * tracker.c — a vehicle's state machine (idle, matching, tracking), trip
 * matching, the events queue and the odometer. The reading of fixes along a
 * trip is the trace's (trace.c); this file decides which trace a fix goes
 * to and what changed for the outside world.
 *
 * Events are the difference between what was last told for each stop and
 * what the trace says now, so a backlog that moves an arrival gives one
 * revised event, and a stop that turns out not to have been visited gives a
 * withdrawal rather than a silent change.
 */
#include "tracker.h"

#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "geo.h"
#include "log.h"
#include "util.h"

#define RECENT_MAX 16 /* fixes kept for matching and for a sign-on */

struct run {
	struct trace *trace;      /* NULL when there is none */
	struct trace_stop *told;  /* per stop, what the events so far said */
	bool signed_on;
};

struct tracker {
	char vehicle[JT_DEVICE_ID_MAX + 1];
	struct tracker_config cfg;
	enum tracker_state state;
	struct course **cand;
	size_t ncand;
	struct fix recent[RECENT_MAX];
	size_t nrecent;
	struct run cur, last;

	bool has_anchor;
	double alat, alon;
	jt_ms newest;
	double km;

	struct tracker_event *q; /* each holds a course reference */
	size_t nq, qcap, qhead;
	struct course **handed;  /* references of events handed out, dropped on the next call */
	size_t nhanded, hcap;
};

void tracker_config_default(struct tracker_config *cfg)
{
	trace_config_default(&cfg->trace);
	cfg->drop_off_s = 600;
	cfg->drop_wrong_s = 60;
	cfg->match_min_s = 45;
	cfg->match_early_s = 600;
	cfg->match_late_s = 1800;
}

const char *tracker_state_name(enum tracker_state s)
{
	switch (s) {
	case TRACKER_IDLE: return "idle";
	case TRACKER_MATCHING: return "matching";
	case TRACKER_TRACKING: return "tracking";
	}
	fatal("tracker: state %d has no name", (int)s);
}

const char *tracker_kind_name(enum tracker_kind k)
{
	switch (k) {
	case TRACKER_ARRIVAL: return "arrival";
	case TRACKER_DEPARTURE: return "departure";
	case TRACKER_PASSED: return "passed";
	case TRACKER_SKIPPED: return "skipped";
	}
	return "?";
}

/* The one place the state changes; refuses moves the diagram in tracker.h does not have. */
static void set_state(struct tracker *tr, enum tracker_state to, const char *why)
{
	enum tracker_state from = tr->state;
	bool ok;
	switch (from) {
	case TRACKER_IDLE: ok = to == TRACKER_MATCHING || to == TRACKER_TRACKING; break;
	case TRACKER_MATCHING: ok = to == TRACKER_IDLE || to == TRACKER_TRACKING; break;
	case TRACKER_TRACKING: ok = true; break; /* done, dropped, or signed on to another trip */
	default: fatal("tracker: vehicle %s in unknown state %d", tr->vehicle, (int)from);
	}
	if (!ok)
		fatal("tracker: vehicle %s cannot go from %s to %s", tr->vehicle, tracker_state_name(from),
		      tracker_state_name(to));
	log_debug("tracker.state", "vehicle=%s from=%s to=%s why=%s trip=%s", tr->vehicle,
		  tracker_state_name(from), tracker_state_name(to), why,
		  tr->cur.trace ? course_trip_id(trace_course(tr->cur.trace)) : "-");
	tr->state = to;
}

struct tracker *tracker_new(const char *vehicle, const struct tracker_config *cfg)
{
	struct tracker *tr = xcalloc(1, sizeof *tr);
	strlcpy_jt(tr->vehicle, vehicle, sizeof tr->vehicle);
	tr->cfg = *cfg;
	tr->state = TRACKER_IDLE;
	return tr;
}

static void run_free(struct run *r)
{
	trace_free(r->trace);
	free(r->told);
	memset(r, 0, sizeof *r);
}

static void drop_handed(struct tracker *tr)
{
	for (size_t i = 0; i < tr->nhanded; i++)
		course_unref(tr->handed[i]);
	tr->nhanded = 0;
}

void tracker_free(struct tracker *tr)
{
	if (!tr)
		return;
	run_free(&tr->cur);
	run_free(&tr->last);
	for (size_t i = 0; i < tr->ncand; i++)
		course_unref(tr->cand[i]);
	free(tr->cand);
	for (size_t i = tr->qhead; i < tr->nq; i++)
		course_unref(tr->q[i].course);
	free(tr->q);
	drop_handed(tr);
	free(tr->handed);
	free(tr);
}

const char *tracker_vehicle(const struct tracker *tr)
{
	return tr->vehicle;
}

enum tracker_state tracker_state(const struct tracker *tr)
{
	return tr->state;
}

/* ---- events ---- */

static void push(struct tracker *tr, struct course *c, size_t stop, enum tracker_kind kind, jt_ms time,
		 bool est, bool revised, bool withdrawn)
{
	if (tr->qhead > 0 && tr->qhead == tr->nq)
		tr->qhead = tr->nq = 0;
	tr->q = xgrow(tr->q, &tr->qcap, tr->nq + 1, sizeof *tr->q);
	tr->q[tr->nq++] = (struct tracker_event){
		.course = course_ref(c), .stop = stop, .kind = kind, .time = time,
		.estimated = est, .revised = revised, .withdrawn = withdrawn,
	};
}

/* The time and estimate a stop's visit gives for one kind of event (0: none). */
static jt_ms kind_time(const struct trace_stop *st, enum tracker_kind k, bool *est)
{
	*est = false;
	switch (k) {
	case TRACKER_ARRIVAL:
		*est = st->arr_estimated;
		return st->visit == TRACE_STOPPED ? st->arrival : 0;
	case TRACKER_DEPARTURE:
		*est = st->dep_estimated;
		return st->visit == TRACE_STOPPED ? st->departure : 0;
	case TRACKER_PASSED:
		*est = st->arr_estimated;
		return st->visit == TRACE_PASSED ? st->arrival : 0;
	case TRACKER_SKIPPED:
		*est = true;
		return st->visit == TRACE_SKIPPED ? st->arrival : 0;
	}
	return 0;
}

/* Queues what changed in a run's stops since it was last told. */
static void report(struct tracker *tr, struct run *r)
{
	struct course *c = trace_course(r->trace);
	const struct trace_stop *now = trace_stops(r->trace);
	static const enum tracker_kind kinds[] = { TRACKER_ARRIVAL, TRACKER_PASSED, TRACKER_SKIPPED,
						   TRACKER_DEPARTURE };
	for (size_t k = 0; k < course_nstops(c); k++) {
		for (size_t i = 0; i < JT_ARRAY_LEN(kinds); i++) {
			bool e0, e1;
			jt_ms t0 = kind_time(&r->told[k], kinds[i], &e0);
			jt_ms t1 = kind_time(&now[k], kinds[i], &e1);
			if (t1 && !t0)
				push(tr, c, k, kinds[i], t1, e1, false, false);
			else if (t1 && (t1 != t0 || e1 != e0))
				push(tr, c, k, kinds[i], t1, e1, true, false);
			else if (!t1 && t0)
				push(tr, c, k, kinds[i], t0, e0, false, true);
		}
		r->told[k] = now[k];
	}
}

size_t tracker_take_events(struct tracker *tr, struct tracker_event *out, size_t max)
{
	drop_handed(tr);
	size_t n = 0;
	while (n < max && tr->qhead < tr->nq) {
		out[n] = tr->q[tr->qhead++];
		tr->handed = xgrow(tr->handed, &tr->hcap, tr->nhanded + 1, sizeof *tr->handed);
		tr->handed[tr->nhanded++] = out[n].course;
		n++;
	}
	return n;
}

/* ---- runs ---- */

static void run_start(struct run *r, struct trace *t, bool signed_on)
{
	r->trace = t;
	r->told = xcalloc(course_nstops(trace_course(t)), sizeof *r->told);
	r->signed_on = signed_on;
}

/* The current trip ends (done, dropped or signed off); it stays as the last one for backlogs. */
static void finish(struct tracker *tr, const char *why)
{
	run_free(&tr->last);
	tr->last = tr->cur;
	memset(&tr->cur, 0, sizeof tr->cur);
	tr->nrecent = 0;
	set_state(tr, tr->ncand ? TRACKER_MATCHING : TRACKER_IDLE, why);
}

static void remember(struct tracker *tr, const struct fix *f)
{
	size_t i = tr->nrecent;
	while (i > 0 && tr->recent[i - 1].time > f->time)
		i--;
	if (i > 0 && tr->recent[i - 1].time == f->time)
		return;
	if (tr->nrecent == RECENT_MAX) {
		if (i == 0)
			return; /* older than everything kept */
		memmove(&tr->recent[0], &tr->recent[1], (i - 1) * sizeof *tr->recent);
		i--;
	} else {
		memmove(&tr->recent[i + 1], &tr->recent[i], (tr->nrecent - i) * sizeof *tr->recent);
		tr->nrecent++;
	}
	tr->recent[i] = *f;
}

/* How well the recent fixes fit a candidate: a cost, or INFINITY when they do not. */
static double candidate_cost(const struct tracker *tr, struct trace *t)
{
	const struct tracker_config *cfg = &tr->cfg;
	struct trace_fit fit;
	struct trace_progress p;
	trace_fit(t, &fit);
	if (!trace_progress(t, &p) || fit.good * 10 < fit.fixes * 7 || fit.wrong_way > 1)
		return INFINITY;
	struct course *c = trace_course(t);
	double s0 = course_stop_along(c, 0);
	double now = course_day_seconds(c, p.time);
	double dep0 = course_stop(c, 0)->dep;
	bool waiting = p.along <= s0 + cfg->trace.fence_m && now >= dep0 - cfg->match_early_s && now <= dep0;
	if (fit.progress_m < 250 && !waiting)
		return INFINITY;
	/* Off the timetable by: unlike the delay shown to riders, early counts too. */
	double off = waiting ? 0 : now - course_sched_at(c, p.along);
	if (off < -cfg->match_early_s || off > cfg->match_late_s)
		return INFINITY;
	if (p.next_stop >= course_nstops(c))
		return INFINITY;
	return fit.mean_lateral + fabs(off) / 10.0;
}

static void try_match(struct tracker *tr)
{
	if (tr->nrecent < 3 ||
	    (double)(tr->recent[tr->nrecent - 1].time - tr->recent[0].time) < tr->cfg.match_min_s * 1000)
		return;
	struct trace *best = NULL;
	double best_cost = INFINITY;
	for (size_t i = 0; i < tr->ncand; i++) {
		if (tr->last.trace && trace_course(tr->last.trace) == tr->cand[i])
			continue; /* just finished it */
		struct trace *t = trace_new(tr->cand[i], &tr->cfg.trace);
		for (size_t j = 0; j < tr->nrecent; j++)
			(void)trace_add(t, &tr->recent[j]);
		double cost = candidate_cost(tr, t);
		if (cost < best_cost) {
			trace_free(best);
			best = t;
			best_cost = cost;
		} else {
			trace_free(t);
		}
	}
	if (!best)
		return;
	run_start(&tr->cur, best, false);
	set_state(tr, TRACKER_TRACKING, "matched");
	report(tr, &tr->cur);
}

void tracker_set_candidates(struct tracker *tr, struct course *const *courses, size_t n)
{
	for (size_t i = 0; i < n; i++)
		course_ref(courses[i]);
	for (size_t i = 0; i < tr->ncand; i++)
		course_unref(tr->cand[i]);
	free(tr->cand);
	tr->cand = n ? xmalloc(n * sizeof *tr->cand) : NULL;
	if (n)
		memcpy(tr->cand, courses, n * sizeof *tr->cand);
	tr->ncand = n;
	switch (tr->state) {
	case TRACKER_IDLE:
		if (n)
			set_state(tr, TRACKER_MATCHING, "candidates");
		break;
	case TRACKER_MATCHING:
		if (!n)
			set_state(tr, TRACKER_IDLE, "no candidates");
		break;
	case TRACKER_TRACKING:
		break;
	default:
		fatal("tracker: vehicle %s in unknown state %d", tr->vehicle, (int)tr->state);
	}
}

void tracker_sign_on(struct tracker *tr, struct course *c)
{
	drop_handed(tr);
	if (tr->state == TRACKER_TRACKING && trace_course(tr->cur.trace) == c) {
		/* The trip it was matched to: kept, with its fixes, and held until it ends or the driver signs off. */
		tr->cur.signed_on = true;
		return;
	}
	if (tr->state == TRACKER_TRACKING)
		finish(tr, "signed on to another trip");
	struct trace *t = trace_new(c, &tr->cfg.trace);
	for (size_t j = 0; j < tr->nrecent; j++)
		(void)trace_add(t, &tr->recent[j]);
	run_start(&tr->cur, t, true);
	set_state(tr, TRACKER_TRACKING, "signed on");
	report(tr, &tr->cur);
}

void tracker_sign_off(struct tracker *tr)
{
	drop_handed(tr);
	if (tr->state == TRACKER_TRACKING)
		finish(tr, "signed off");
}

static void odometer(struct tracker *tr, const struct fix *f)
{
	if (f->time <= tr->newest)
		return;
	tr->newest = f->time;
	if (!tr->has_anchor) {
		tr->has_anchor = true;
		tr->alat = f->lat;
		tr->alon = f->lon;
		return;
	}
	double d = geo_distance_m(tr->alat, tr->alon, f->lat, f->lon);
	double acc = isfinite(f->accuracy) ? f->accuracy : 20.0;
	if (d > fmax(40.0, 3.0 * acc)) {
		tr->km += d / 1000.0;
		tr->alat = f->lat;
		tr->alon = f->lon;
	}
}

/* After a fix on the current trip: has it completed, or should it be dropped? */
static void check_run(struct tracker *tr)
{
	struct trace *t = tr->cur.trace;
	struct course *c = trace_course(t);
	size_t n = course_nstops(c);
	const struct trace_stop *last = &trace_stops(t)[n - 1];
	if (last->visit != TRACE_NONE && last->arrival) {
		finish(tr, "completed");
		return;
	}
	if (tr->cur.signed_on)
		return;
	jt_ms end = trace_last_time(t), on = trace_last_on_route(t);
	double off_s = (double)(end - (on ? on : trace_first_time(t))) / 1000.0;
	if (off_s >= tr->cfg.drop_off_s)
		finish(tr, "off the course");
	else if (trace_wrong_way_s(t) >= tr->cfg.drop_wrong_s)
		finish(tr, "driving against the course");
	else if (course_day_seconds(c, end) > course_stop(c, n - 1)->arr + tr->cfg.match_late_s + 3600)
		finish(tr, "long past its timetable");
}

void tracker_fix(struct tracker *tr, const struct fix *f)
{
	drop_handed(tr);
	/* fix_validate has judged it; still, nothing unmeasurable goes further. */
	if (!isfinite(f->lat) || !isfinite(f->lon) || fabs(f->lat) > 90 || fabs(f->lon) > 180 || f->time <= 0)
		return;
	odometer(tr, f);
	if (tr->last.trace && f->time <= trace_last_time(tr->last.trace)) {
		/* A backlog from the trip before. */
		if (trace_add(tr->last.trace, f) == TRACE_ADDED)
			report(tr, &tr->last);
		return;
	}
	switch (tr->state) {
	case TRACKER_IDLE:
		remember(tr, f);
		break;
	case TRACKER_MATCHING:
		remember(tr, f);
		try_match(tr);
		break;
	case TRACKER_TRACKING:
		remember(tr, f);
		if (trace_add(tr->cur.trace, f) == TRACE_ADDED) {
			report(tr, &tr->cur);
			check_run(tr);
		}
		break;
	default:
		fatal("tracker: vehicle %s in unknown state %d", tr->vehicle, (int)tr->state);
	}
}

bool tracker_progress(const struct tracker *tr, struct tracker_progress *out)
{
	memset(out, 0, sizeof *out);
	if (tr->state != TRACKER_TRACKING)
		return false;
	out->course = trace_course(tr->cur.trace);
	out->signed_on = tr->cur.signed_on;
	out->trip_km = trace_km(tr->cur.trace);
	return trace_progress(tr->cur.trace, &out->trace);
}

const struct trace *tracker_trace(const struct tracker *tr)
{
	return tr->cur.trace;
}

const struct trace *tracker_last_trace(const struct tracker *tr)
{
	return tr->last.trace;
}

double tracker_km(const struct tracker *tr)
{
	return tr->km;
}
