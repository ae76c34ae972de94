/*
 * plan.c — a vehicle's plan: its schedule, the exact feasibility test, the
 * cheapest insertion of a request. Removal and the progress of a vehicle
 * along its plan are in planprogress.c. See plan.h for the promises.
 *
 * The schedule. With B[k] the start of service at stop k, a plan's
 * constraints are all differences of two times or bounds on one:
 *   B[k] >= B[k-1] + service[k-1] + leg[k]     (driving, waiting allowed)
 *   earliest[k] <= B[k] <= latest[k]            (windows)
 *   B[drop] - (B[pick] + service[pick]) <= L    (ride time)
 *   arrival at the end depot - departure <= max_duration, and <= shift end.
 * Reading the ride and duration limits as lower bounds on the earlier time
 * (B[pick] >= B[drop] - L - service[pick]), every constraint but the upper
 * bounds says "not earlier than". The least times meeting those lower bounds
 * are found by sweeping forward and pushing pickups (and the departure) later
 * until nothing moves; each sweep relaxes every constraint once, so without
 * a contradiction this settles within as many sweeps as there are stops
 * (Bellman-Ford). Every schedule meeting the lower bounds is at least this
 * one, stop by stop, so the plan is feasible exactly when this least one
 * meets the upper bounds: the test is exact, and the planned times are as
 * early as the promises allow.
 *
 * The insertion. For each pair of positions (pickup before old stop i,
 * drop-off before old stop j >= i) the added cost comes from a handful of
 * precomputed legs, so pairs that cannot beat the best found so far cost
 * O(1); then seats and cargo (a running maximum over the stops between),
 * then a lower bound on the new stops' arrival from the current schedule
 * (inserting a stop only ever makes the least times later), and only then
 * the exact O(n) schedule of the new plan.
 */
#include "plan.h"
#include "planstops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void request_stops(const struct plan_settings *s, const struct plan_travel *t,
			  const struct plan_request *r, struct plan_stop *p, struct plan_stop *d)
{
	double lim = plan_ride_limit(s, t, r);
	*p = (struct plan_stop){
		.request = r->id, .kind = PLAN_PICKUP, .parcel = r->parcel, .loc = r->pick,
		.service = r->pick_service, .earliest = r->pick_earliest,
		.latest = r->pick_latest, .seats = r->seats, .cargo = r->cargo,
		.max_ride = lim, .picked_at = NAN, .mate = -1, .begin = NAN,
	};
	*d = (struct plan_stop){
		.request = r->id, .kind = PLAN_DROPOFF, .parcel = r->parcel, .loc = r->drop,
		.service = r->drop_service, .earliest = r->drop_earliest,
		.latest = r->drop_latest, .seats = -r->seats, .cargo = -r->cargo,
		.max_ride = lim, .picked_at = NAN, .mate = -1, .begin = NAN,
	};
}

/* Latest start at a stop, with the ride limit of a rider already on board. */
static double stop_latest(const struct plan_stop *s)
{
	if (s->kind == PLAN_DROPOFF && !isnan(s->picked_at))
		return fmin(s->latest, s->picked_at + s->max_ride);
	return s->latest;
}

/* ---- vehicles ----------------------------------------------------------- */

void plan_vehicle_init(struct plan_vehicle *v, int id, struct plan_loc start,
		       double start_time, struct plan_loc end, double shift_end, int seats,
		       double cargo)
{
	memset(v, 0, sizeof *v);
	v->id = id;
	v->start = start;
	v->start_time = start_time;
	v->end = end;
	v->shift_end = shift_end;
	v->max_duration = INFINITY;
	v->seats = seats;
	v->cargo = cargo;
	v->depart = start_time;
	v->arrive = NAN;
	v->cost = NAN;
	v->feasible = true;
}

void plan_vehicle_free(struct plan_vehicle *v)
{
	if (v->grid)
		plan_grid_remove(v->grid, v);
	free(v->stops);
	free(v->cells);
	v->stops = NULL;
	v->cells = NULL;
	v->n = v->cap = v->ncells = v->capcells = 0;
}

static void reserve(struct plan_vehicle *v, int n)
{
	if (n > v->cap) {
		size_t cap = (size_t)v->cap;
		v->stops = xgrow(v->stops, &cap, (size_t)n, sizeof *v->stops);
		v->cap = (int)cap;
	}
}

void plan_vehicle_copy_plan(struct plan_vehicle *dst, const struct plan_vehicle *src)
{
	reserve(dst, src->n);
	if (src->n)
		memcpy(dst->stops, src->stops, (size_t)src->n * sizeof *src->stops);
	dst->n = src->n;
	dst->started = src->started;
	dst->depart = src->depart;
	dst->arrive = src->arrive;
	dst->cost = src->cost;
	dst->feasible = src->feasible;
	dst->end_leg_time = src->end_leg_time;
	dst->end_leg_cost = src->end_leg_cost;
}

int plan_find(const struct plan_vehicle *v, int request, enum plan_stop_kind kind)
{
	for (int k = 0; k < v->n; k++)
		if (v->stops[k].request == request && v->stops[k].kind == kind)
			return k;
	return -1;
}

/* ---- the schedule ------------------------------------------------------- */

enum sched_fail {
	SCHED_OK = 0,
	SCHED_WINDOW,   /* a stop cannot start by its latest */
	SCHED_SHIFT,    /* not back at the end depot by the shift end */
	SCHED_RIDE,     /* ride limits contradict each other or the path */
};

/* One plan as the schedule sees it: m stops in order, with the leg driven
 * to each, the index of a drop-off's pickup (-1 if not in the plan), and
 * the leg to the end depot. */
struct seq {
	int m;
	const struct plan_stop **stop;
	double *leg;
	int *mate;
	double end_leg;
	double *b; /* out: start of service */
	double depart, arrive;
	int bad;   /* out: the stop that failed */
};

static enum sched_fail sched(const struct plan_vehicle *v, struct seq *q)
{
	int m = q->m;
	double d0 = v->start_time;
	for (int k = 0; k < m; k++)
		q->b[k] = -INFINITY;
	for (int round = 0;; round++) {
		if (round > m + 2) {
			q->bad = -1;
			return SCHED_RIDE;
		}
		double t = d0;
		for (int k = 0; k < m; k++) {
			const struct plan_stop *s = q->stop[k];
			double b = t + q->leg[k];
			if (b < s->earliest)
				b = s->earliest;
			if (b < q->b[k])
				b = q->b[k];
			q->b[k] = b;
			if (b > stop_latest(s) + PLAN_EPS) {
				q->bad = k;
				return SCHED_WINDOW;
			}
			t = b + s->service;
		}
		double arrive = t + q->end_leg;
		if (arrive > v->shift_end + PLAN_EPS) {
			q->bad = m;
			return SCHED_SHIFT;
		}
		bool moved = false;
		for (int k = 0; k < m; k++) {
			int p = q->mate[k];
			if (p < 0)
				continue;
			const struct plan_stop *ps = q->stop[p];
			double lim = q->stop[k]->max_ride;
			if (q->b[k] - (q->b[p] + ps->service) > lim + PLAN_EPS) {
				q->b[p] = q->b[k] - lim - ps->service;
				moved = true;
			}
		}
		if (arrive - d0 > v->max_duration + PLAN_EPS) {
			d0 = arrive - v->max_duration;
			moved = true;
		}
		if (!moved) {
			q->depart = d0;
			q->arrive = arrive;
			return SCHED_OK;
		}
	}
}

/* Scratch arrays for schedules of up to cap stops. */
struct scratch {
	int cap;
	const struct plan_stop **stop;
	double *leg, *b;
	int *mate;
};

static void scratch_need(struct scratch *w, int m)
{
	if (m <= w->cap)
		return;
	int cap = m + 16;
	w->stop = xrealloc(w->stop, (size_t)cap * sizeof *w->stop);
	w->leg = xrealloc(w->leg, (size_t)cap * sizeof *w->leg);
	w->b = xrealloc(w->b, (size_t)cap * sizeof *w->b);
	w->mate = xrealloc(w->mate, (size_t)cap * sizeof *w->mate);
	w->cap = cap;
}

static void scratch_free(struct scratch *w)
{
	free(w->stop);
	free(w->leg);
	free(w->b);
	free(w->mate);
	memset(w, 0, sizeof *w);
}

/* Recomputes legs, schedule and cost of v's own plan. */
static bool refresh(struct plan_vehicle *v, const struct plan_travel *t, struct scratch *w)
{
	int n = v->n;
	scratch_need(w, n + 1);
	struct seq q = {.m = n, .stop = w->stop, .leg = w->leg, .mate = w->mate, .b = w->b};
	const struct plan_loc *prev = &v->start;
	double cost = 0;
	for (int k = 0; k < n; k++) {
		struct plan_stop *s = &v->stops[k];
		s->leg_time = t->time(t->ctx, prev, &s->loc);
		s->leg_cost = t->cost(t->ctx, prev, &s->loc);
		cost += s->leg_cost;
		q.stop[k] = s;
		q.leg[k] = s->leg_time;
		q.mate[k] = s->kind == PLAN_DROPOFF ? s->mate : -1;
		prev = &s->loc;
	}
	v->end_leg_time = t->time(t->ctx, prev, &v->end);
	v->end_leg_cost = t->cost(t->ctx, prev, &v->end);
	q.end_leg = v->end_leg_time;
	v->cost = cost + v->end_leg_cost;
	bool ok = sched(v, &q) == SCHED_OK;
	for (int k = 0; k < n; k++)
		v->stops[k].begin = ok ? q.b[k] : NAN;
	v->depart = ok ? q.depart : NAN;
	v->arrive = ok ? q.arrive : NAN;
	v->feasible = ok;
	return ok;
}

bool plan_refresh(struct plan_vehicle *v, const struct plan_travel *t)
{
	struct scratch w = {0};
	bool ok = refresh(v, t, &w);
	scratch_free(&w);
	if (v->grid)
		plan_grid_update(v->grid, v);
	return ok;
}

/* ---- checking a plan ---------------------------------------------------- */

static int fail(char *msg, size_t len, const struct plan_vehicle *v, int k, const char *fmt,
		...) JT_PRINTF(5, 6);

static int fail(char *msg, size_t len, const struct plan_vehicle *v, int k, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (k >= 0 && k < v->n)
		snprintf(msg, len, "vehicle %d, stop %d (%s of request %d): %s", v->id, k,
			 v->stops[k].kind == PLAN_PICKUP ? "pickup" : "drop-off",
			 v->stops[k].request, what);
	else
		snprintf(msg, len, "vehicle %d: %s", v->id, what);
	return -1;
}

int plan_check(const struct plan_vehicle *v, const struct plan_travel *t, char *msg,
	       size_t msglen)
{
	int n = v->n;
	if (n < 0 || n > PLAN_STOPS_MAX || v->started < 0 || v->started > n)
		return fail(msg, msglen, v, -1, "plan of %d stops, %d started", n, v->started);
	/* Structure, and seats and cargo at every point. */
	int seats = v->load_seats;
	double cargo = v->load_cargo;
	if (seats > v->seats || cargo > v->cargo + PLAN_EPS)
		return fail(msg, msglen, v, -1, "load at the start (%d seats, %g litres) over capacity", seats,
			    cargo);
	for (int k = 0; k < n; k++) {
		const struct plan_stop *s = &v->stops[k];
		for (int o = 0; o < n; o++)
			if (o != k && v->stops[o].request == s->request &&
			    v->stops[o].kind == s->kind)
				return fail(msg, msglen, v, k, "request planned twice (stops %d and %d)",
					    k, o);
		int mk = s->mate;
		if (mk >= 0) {
			if (mk >= n || v->stops[mk].request != s->request ||
			    v->stops[mk].kind == s->kind || v->stops[mk].mate != k)
				return fail(msg, msglen, v, k, "mate %d is not this request's other stop",
					    mk);
			if ((s->kind == PLAN_PICKUP) != (mk > k))
				return fail(msg, msglen, v, k, "drop-off before pickup (stops %d, %d)", k,
					    mk);
		} else if (s->kind == PLAN_PICKUP || isnan(s->picked_at)) {
			return fail(msg, msglen, v, k, "its other stop is missing");
		}
		seats += s->seats;
		cargo += s->cargo;
		if (seats > v->seats)
			return fail(msg, msglen, v, k, "%d seats taken, the vehicle has %d", seats,
				    v->seats);
		if (cargo > v->cargo + PLAN_EPS)
			return fail(msg, msglen, v, k, "%g litres of cargo, the vehicle takes %g",
				    cargo, v->cargo);
		if (seats < 0 || cargo < -PLAN_EPS)
			return fail(msg, msglen, v, k, "negative load (%d seats, %g litres)", seats,
				    cargo);
	}
	/* The schedule: recomputed, then checked constraint by constraint. */
	struct scratch w = {0};
	scratch_need(&w, n + 1);
	struct seq q = {.m = n, .stop = w.stop, .leg = w.leg, .mate = w.mate, .b = w.b};
	const struct plan_loc *prev = &v->start;
	double cost = 0;
	for (int k = 0; k < n; k++) {
		q.stop[k] = &v->stops[k];
		q.leg[k] = t->time(t->ctx, prev, &v->stops[k].loc);
		q.mate[k] = v->stops[k].kind == PLAN_DROPOFF ? v->stops[k].mate : -1;
		cost += t->cost(t->ctx, prev, &v->stops[k].loc);
		prev = &v->stops[k].loc;
	}
	q.end_leg = t->time(t->ctx, prev, &v->end);
	cost += t->cost(t->ctx, prev, &v->end);
	enum sched_fail f = sched(v, &q);
	int rc = 0;
	if (f == SCHED_WINDOW)
		rc = fail(msg, msglen, v, q.bad, "cannot start by its latest time %g (window from %g)",
			  stop_latest(&v->stops[q.bad]), v->stops[q.bad].earliest);
	else if (f == SCHED_SHIFT)
		rc = fail(msg, msglen, v, -1, "cannot be back at the end depot by the shift end %g",
			  v->shift_end);
	else if (f == SCHED_RIDE)
		rc = fail(msg, msglen, v, -1, "ride limits cannot all be met");
	double d = q.depart;
	for (int k = 0; rc == 0 && k < n; k++) {
		const struct plan_stop *s = &v->stops[k];
		double b = q.b[k];
		if (b + PLAN_EPS < d + q.leg[k])
			rc = fail(msg, msglen, v, k, "starts at %g, before it can be reached at %g", b,
				  d + q.leg[k]);
		else if (b + PLAN_EPS < s->earliest || b > stop_latest(s) + 1e-6)
			rc = fail(msg, msglen, v, k, "starts at %g outside its window, latest %g", b,
				  stop_latest(s));
		else if (s->kind == PLAN_DROPOFF && s->mate >= 0 &&
			 b - (q.b[s->mate] + v->stops[s->mate].service) > s->max_ride + 1e-6)
			rc = fail(msg, msglen, v, k, "ride of %g over its limit %g",
				  b - (q.b[s->mate] + v->stops[s->mate].service), s->max_ride);
		else if (!(b == v->stops[k].begin) && !(fabs(b - v->stops[k].begin) <= 1e-6))
			rc = fail(msg, msglen, v, k, "planned start %g, the plan gives %g",
				  v->stops[k].begin, b);
		d = b + s->service;
	}
	if (rc == 0) {
		double arrive = d + q.end_leg;
		if (arrive > v->shift_end + 1e-6)
			rc = fail(msg, msglen, v, -1, "back at the end depot at %g, after the shift end %g",
				  arrive, v->shift_end);
		else if (arrive - q.depart > v->max_duration + 1e-6)
			rc = fail(msg, msglen, v, -1, "route of %g over its maximum duration %g",
				  arrive - q.depart, v->max_duration);
		else if (q.depart + 1e-9 < v->start_time)
			rc = fail(msg, msglen, v, -1, "leaves at %g, before its start %g", q.depart,
				  v->start_time);
		else if (fabs(cost - v->cost) > 1e-6 * fmax(1, cost))
			rc = fail(msg, msglen, v, -1, "cost %g, the plan gives %g", v->cost, cost);
	}
	scratch_free(&w);
	if (rc == 0 && msglen)
		msg[0] = '\0';
	return rc;
}

/* ---- insertion ---------------------------------------------------------- */

/* Legs between the request's two stops and every node of one plan: node k
 * is old stop k, node -1 the start, node n the end depot. */
struct legs {
	double *tin_p, *cin_p;   /* [k]: from node k-1 to the pickup, k in 0..n */
	double *tout_p, *cout_p; /* [k]: from the pickup to node k */
	double *tin_d, *cin_d, *tout_d, *cout_d;
	double t_pd, c_pd;
	int cap;
};

static void legs_need(struct legs *l, int n)
{
	if (n + 1 <= l->cap)
		return;
	int cap = n + 17;
	double **arr[] = {&l->tin_p, &l->cin_p, &l->tout_p, &l->cout_p,
			  &l->tin_d, &l->cin_d, &l->tout_d, &l->cout_d};
	for (size_t i = 0; i < JT_ARRAY_LEN(arr); i++)
		*arr[i] = xrealloc(*arr[i], (size_t)cap * sizeof(double));
	l->cap = cap;
}

static void legs_free(struct legs *l)
{
	free(l->tin_p);
	free(l->cin_p);
	free(l->tout_p);
	free(l->cout_p);
	free(l->tin_d);
	free(l->cin_d);
	free(l->tout_d);
	free(l->cout_d);
}

static const struct plan_loc *node_loc(const struct plan_vehicle *v, int k)
{
	if (k < 0)
		return &v->start;
	if (k >= v->n)
		return &v->end;
	return &v->stops[k].loc;
}

/* The legs for old positions lo..hi (a slice of 0..n). */
static void legs_fill(struct legs *l, const struct plan_travel *t, const struct plan_vehicle *v,
		      const struct plan_stop *p, const struct plan_stop *d, int lo, int hi)
{
	legs_need(l, v->n);
	double f = t->cost_per_time;
	for (int k = lo; k <= hi; k++) {
		const struct plan_loc *a = node_loc(v, k - 1), *b = node_loc(v, k);
		l->tin_p[k] = t->time(t->ctx, a, &p->loc);
		l->tout_p[k] = t->time(t->ctx, &p->loc, b);
		l->tin_d[k] = t->time(t->ctx, a, &d->loc);
		l->tout_d[k] = t->time(t->ctx, &d->loc, b);
		if (f > 0) {
			l->cin_p[k] = f * l->tin_p[k];
			l->cout_p[k] = f * l->tout_p[k];
			l->cin_d[k] = f * l->tin_d[k];
			l->cout_d[k] = f * l->tout_d[k];
		} else {
			l->cin_p[k] = t->cost(t->ctx, a, &p->loc);
			l->cout_p[k] = t->cost(t->ctx, &p->loc, b);
			l->cin_d[k] = t->cost(t->ctx, a, &d->loc);
			l->cout_d[k] = t->cost(t->ctx, &d->loc, b);
		}
	}
	l->t_pd = t->time(t->ctx, &p->loc, &d->loc);
	l->c_pd = f > 0 ? f * l->t_pd : t->cost(t->ctx, &p->loc, &d->loc);
}

static double old_leg_cost(const struct plan_vehicle *v, int k)
{
	return k < v->n ? v->stops[k].leg_cost : v->end_leg_cost;
}

/* When the vehicle leaves node k-1 in the current schedule. */
static double old_leave(const struct plan_vehicle *v, int k)
{
	if (k == 0)
		return v->depart;
	return v->stops[k - 1].begin + v->stops[k - 1].service;
}

/* The plan with p before old stop i and d before old stop j, as a seq. */
static void build(const struct plan_vehicle *v, const struct legs *l, const struct plan_stop *p,
		  const struct plan_stop *d, int i, int j, struct seq *q)
{
	int n = v->n, m = 0;
	for (int k = 0; k <= n; k++) {
		if (k == i) {
			q->stop[m] = p;
			q->leg[m] = l->tin_p[k];
			q->mate[m] = -1;
			m++;
		}
		if (k == j) {
			q->stop[m] = d;
			q->leg[m] = j == i ? l->t_pd : l->tin_d[k];
			q->mate[m] = i;
			m++;
		}
		if (k == n)
			break;
		const struct plan_stop *s = &v->stops[k];
		q->stop[m] = s;
		q->leg[m] = k == j ? l->tout_d[k] : k == i ? l->tout_p[k] : s->leg_time;
		int mk = s->kind == PLAN_DROPOFF ? s->mate : -1;
		q->mate[m] = mk < 0 ? -1 : mk + (mk >= i) + (mk >= j);
		m++;
	}
	q->m = m;
	q->end_leg = j == n ? l->tout_d[n] : v->end_leg_time;
}

/* Whether the new schedule q moves no passenger stop of v later than the
 * parcel share of its slack. */
static bool neutral(const struct plan_settings *s, const struct plan_vehicle *v, int i, int j,
		    const struct seq *q)
{
	for (int k = 0; k < v->n; k++) {
		const struct plan_stop *st = &v->stops[k];
		if (st->parcel)
			continue;
		double slack = stop_latest(st) - st->begin;
		double moved = q->b[k + (k >= i) + (k >= j)] - st->begin;
		if (moved > s->parcel_slack_share * slack + PLAN_EPS)
			return false;
	}
	return true;
}

struct best {
	struct plan_insertion any, neutral;
};

/*
 * Positions worth trying for a stop with window [e, l] and service sv: not
 * before a stop that must start before it can be done (its latest is
 * earlier than e + sv), not after the vehicle already leaves a stop later
 * than l (the current schedule is a lower bound on any new one). Returns
 * the range [*lo, *hi] of old positions, empty when *lo > *hi.
 */
static void positions(const struct plan_vehicle *v, double e, double l, double sv, int *lo,
		      int *hi)
{
	int first = v->started, last = v->n;
	for (int k = v->started; k < v->n; k++)
		if (stop_latest(&v->stops[k]) + PLAN_EPS < e + sv)
			first = k + 1;
	for (int k = first; k <= v->n; k++)
		if (old_leave(v, k) > l + PLAN_EPS) {
			last = k - 1;
			break;
		}
	*lo = first;
	*hi = last;
}

static void consider_vehicle(const struct plan_settings *s, const struct plan_travel *t,
			     struct plan_vehicle *v, const struct plan_stop *p,
			     const struct plan_stop *d, struct legs *l, struct scratch *w,
			     struct best *best)
{
	int n = v->n;
	if (p->seats > v->seats || p->cargo > v->cargo + PLAN_EPS || !v->feasible)
		return;
	int plo, phi, dlo, dhi;
	positions(v, p->earliest, p->latest, p->service, &plo, &phi);
	positions(v, d->earliest, stop_latest(d), d->service, &dlo, &dhi);
	if (dlo < plo)
		dlo = plo;
	if (phi > dhi)
		phi = dhi;
	if (plo > phi || dlo > dhi)
		return;
	scratch_need(w, n + 2);
	legs_fill(l, t, v, p, d, plo, dhi);
	struct seq q = {.stop = w->stop, .leg = w->leg, .mate = w->mate, .b = w->b};
	int seats_before = v->load_seats;
	double cargo_before = v->load_cargo;
	for (int k = 0; k < plo; k++) {
		seats_before += v->stops[k].seats;
		cargo_before += v->stops[k].cargo;
	}
	for (int i = plo; i <= phi; i++) {
		if (i > plo) {
			seats_before += v->stops[i - 1].seats;
			cargo_before += v->stops[i - 1].cargo;
		}
		if (seats_before + p->seats > v->seats ||
		    cargo_before + p->cargo > v->cargo + PLAN_EPS)
			continue;
		/* The pickup cannot be reached earlier than this. */
		if (fmax(old_leave(v, i) + l->tin_p[i], p->earliest) > p->latest + PLAN_EPS)
			continue;
		int seats_run = seats_before + p->seats;
		double cargo_run = cargo_before + p->cargo;
		for (int j = i; j <= dhi; j++) {
			if (j > i) {
				/* Old stop j-1 now has the request on board. */
				seats_run += v->stops[j - 1].seats;
				cargo_run += v->stops[j - 1].cargo;
				if (seats_run > v->seats || cargo_run > v->cargo + PLAN_EPS)
					break;
			}
			if (j < dlo)
				continue;
			double add;
			if (i == j)
				add = l->cin_p[i] + l->c_pd + l->cout_d[i] - old_leg_cost(v, i);
			else
				add = l->cin_p[i] + l->cout_p[i] - old_leg_cost(v, i) + l->cin_d[j] +
				      l->cout_d[j] - old_leg_cost(v, j);
			double bound = best->neutral.vehicle ? best->neutral.added_cost : INFINITY;
			if (add >= bound - 1e-9)
				continue;
			if (j > i && fmax(old_leave(v, j) + l->tin_d[j], d->earliest) >
					     stop_latest(d) + PLAN_EPS)
				continue;
			build(v, l, p, d, i, j, &q);
			if (sched(v, &q) != SCHED_OK)
				continue;
			bool neut = !p->parcel || neutral(s, v, i, j, &q);
			struct plan_insertion ins = {v, i, j, add, q.b[i], q.b[j + 1], neut};
			if (!best->any.vehicle || add < best->any.added_cost - 1e-9)
				best->any = ins;
			if (neut)
				best->neutral = ins;
		}
	}
}

int plan_best_insertion(const struct plan_settings *s, const struct plan_travel *t,
			struct plan_vehicle *const *cand, size_t n, const struct plan_request *r,
			struct plan_insertion *out)
{
	struct plan_stop p, d;
	request_stops(s, t, r, &p, &d);
	struct best best = {0};
	struct legs l = {0};
	struct scratch w = {0};
	for (size_t c = 0; c < n; c++)
		consider_vehicle(s, t, cand[c], &p, &d, &l, &w, &best);
	legs_free(&l);
	scratch_free(&w);
	*out = best.neutral.vehicle ? best.neutral : best.any;
	return out->vehicle ? 0 : -1;
}

/* Maps old indices of mates after inserting a stop before index at. */
static void shift_mates(struct plan_vehicle *v, int at, int by)
{
	for (int k = 0; k < v->n; k++)
		if (v->stops[k].mate >= at)
			v->stops[k].mate += by;
}

static void insert_stop(struct plan_vehicle *v, int at, const struct plan_stop *s)
{
	reserve(v, v->n + 1);
	shift_mates(v, at, 1);
	memmove(&v->stops[at + 1], &v->stops[at], (size_t)(v->n - at) * sizeof *v->stops);
	v->stops[at] = *s;
	v->n++;
}

void plan_stops_delete(struct plan_vehicle *v, int at)
{
	memmove(&v->stops[at], &v->stops[at + 1], (size_t)(v->n - at - 1) * sizeof *v->stops);
	v->n--;
	for (int k = 0; k < v->n; k++) {
		if (v->stops[k].mate == at)
			v->stops[k].mate = -1;
		else if (v->stops[k].mate > at)
			v->stops[k].mate--;
	}
}

void plan_stops_changed(struct plan_vehicle *v, const struct plan_travel *t)
{
	struct scratch w = {0};
	refresh(v, t, &w);
	scratch_free(&w);
	if (v->grid)
		plan_grid_update(v->grid, v);
}

int plan_apply(const struct plan_settings *s, const struct plan_travel *t,
	       const struct plan_request *r, const struct plan_insertion *ins)
{
	struct plan_vehicle *v = ins->vehicle;
	if (!v || ins->pick_at < v->started || ins->pick_at > ins->drop_at || ins->drop_at > v->n ||
	    v->n + 2 > PLAN_STOPS_MAX)
		return -1;
	struct plan_stop p, d;
	request_stops(s, t, r, &p, &d);
	int i = ins->pick_at, j = ins->drop_at + 1;
	insert_stop(v, i, &p);
	insert_stop(v, j, &d);
	v->stops[i].mate = j;
	v->stops[j].mate = i;
	struct scratch w = {0};
	bool ok = refresh(v, t, &w);
	scratch_free(&w);
	if (!ok) {
		plan_stops_delete(v, j);
		plan_stops_delete(v, i);
		plan_stops_changed(v, t);
		return -1;
	}
	if (v->grid)
		plan_grid_update(v->grid, v);
	return 0;
}

int plan_insert_cheapest(const struct plan_settings *s, const struct plan_travel *t,
			 struct plan_vehicle *const *cand, size_t n,
			 const struct plan_request *r, struct plan_insertion *out)
{
	if (plan_best_insertion(s, t, cand, n, r, out) != 0)
		return -1;
	if (plan_apply(s, t, r, out) != 0) {
		out->vehicle = NULL;
		return -1;
	}
	return 0;
}
