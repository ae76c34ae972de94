/*
 * compare.c — a day's requests served offline by Jintong's policy and by a
 * naive dispatcher; see compare.h.
 *
 * Both policies see the same requests in the same order, each at the time
 * it is asked ("now" bounds its pickup from below), and the same windows
 * the daemon offers: leaving after t, a pickup in [t, t + window]; arriving
 * by t, an arrival in [t - window, t]. Neither has a step-free vehicle (the
 * generated fleet has none), so both refuse wheelchair requests, as the
 * daemon does.
 *
 * Two simplifications, the same for both: a van's route before a request
 * is asked may still change (the daemon fixes the stops a van has started
 * from the tablet's reports; offline there are none), and Jintong's
 * insertion looks at every van on duty rather than the nearest eight the
 * daemon's spatial index returns.
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "seats.h"

void compare_opts_default(struct compare_opts *o)
{
	memset(o, 0, sizeof *o);
	o->van_speed_mps = 30 / 3.6;
	o->window_s = 20 * 60;
	o->service_s = 60;
	o->walk_max_m = 1000;
	o->walk_speed_mps = 1.0;
	o->horizon_s = 180 * 60;
	o->improve_moves = 300;
	o->improve_every = 100;
	plan_settings_default(&o->plan);
}

const char *compare_policy_name(enum compare_policy p)
{
	return p == COMPARE_JINTONG ? "jintong" : "naive";
}

struct plan_loc compare_loc(const struct demandgen_place *p)
{
	return (struct plan_loc){ (double)p->node, p->access_m };
}

double compare_road_m(const struct roads *rd, const struct plan_loc *a, const struct plan_loc *b)
{
	int na = (int)a->x, nb = (int)b->x;
	if (na == nb)
		return a->y == b->y ? 0 : a->y + b->y;
	return a->y + roads_m(rd, na, nb) + b->y;
}

struct travel_ctx {
	const struct roads *rd;
	double speed;
};

static double travel_cost(void *ctx, const struct plan_loc *a, const struct plan_loc *b)
{
	const struct travel_ctx *t = ctx;
	return compare_road_m(t->rd, a, b);
}

static double travel_time(void *ctx, const struct plan_loc *a, const struct plan_loc *b)
{
	const struct travel_ctx *t = ctx;
	return compare_road_m(t->rd, a, b) / t->speed;
}

/* The windows the daemon gives a request asked at `now` (demand_book()). */
static bool windows(const struct compare_opts *o, const struct plan_travel *t, const struct demandgen_request *q,
		    struct plan_request *r)
{
	memset(r, 0, sizeof *r);
	r->id = q->id;
	r->pick = compare_loc(&q->from);
	r->drop = compare_loc(&q->to);
	r->pick_service = r->drop_service = o->service_s;
	r->parcel = q->passengers == 0;
	r->seats = q->passengers;
	r->cargo = q->parcels_l;
	r->max_ride = NAN;
	double now = q->made_s, time = q->time_s;
	double direct = t->time(t->ctx, &r->pick, &r->drop);
	double limit = plan_ride_limit(&o->plan, t, r);
	if (!q->arrive_by) {
		r->pick_earliest = fmax(time, now);
		r->pick_latest = r->pick_earliest + o->window_s;
		r->drop_earliest = r->pick_earliest;
		r->drop_latest = isfinite(limit) ? r->pick_latest + r->pick_service + limit
						 : r->pick_latest + r->pick_service + direct + 4 * o->window_s;
	} else {
		r->drop_latest = time;
		r->drop_earliest = time - o->window_s;
		r->pick_latest = time - direct - r->pick_service;
		r->pick_earliest =
			fmax(now, r->drop_earliest - (isfinite(limit) ? limit : direct + o->window_s) - r->pick_service);
		if (r->pick_latest < r->pick_earliest)
			return false;
	}
	char err[160];
	return plan_request_check(r, err, sizeof err) == 0;
}

static double wait_of(const struct demandgen_request *q, double pickup, double drop)
{
	return q->arrive_by ? q->time_s - drop : pickup - q->time_s;
}

/* ---- seats on the day's timetabled trips ---- */

static enum seats_kind seat_kind(enum gen_kind k)
{
	switch (k) {
	case GEN_KIND_SCHEDULED: return SEATS_SCHEDULED;
	case GEN_KIND_STUDENT: return SEATS_STUDENT;
	case GEN_KIND_MARKET: return SEATS_MARKET_DAY;
	default: return SEATS_LOGISTICS;
	}
}

static struct seats_net *day_network(const struct gen_county *c, jt_day day, struct calendar *cal)
{
	struct seats_net *net = seats_net_new();
	for (size_t s = 0; s < c->n_stops; s++) {
		double lat, lon;
		const struct gen_node *n = &c->nodes[c->stops[s].node];
		genmap_latlon(n->x, n->y, &lat, &lon);
		seats_net_add_stop(net, c->stops[s].code, lat, lon);
	}
	size_t cap = 0;
	for (size_t l = 0; l < c->n_lines; l++)
		cap = c->lines[l].npath > cap ? c->lines[l].npath : cap;
	uint32_t *stop = calloc(cap + 1, sizeof *stop);
	int32_t *arr = calloc(cap + 1, sizeof *arr), *dep = calloc(cap + 1, sizeof *dep);
	if (!stop || !arr || !dep)
		abort();
	for (size_t i = 0; i < c->n_trips; i++) {
		const struct gen_trip *tr = &c->trips[i];
		const struct gen_line *l = &c->lines[tr->line];
		if (!genplan_runs(c, tr->service, day) || l->npath < 2)
			continue;
		for (size_t j = 0; j < l->npath; j++) {
			int node = l->path[tr->back ? l->npath - 1 - j : j], a, d;
			genplan_times(c, tr->line, tr->back, j, &a, &d);
			stop[j] = (uint32_t)c->nodes[node].stop;
			arr[j] = tr->dep_s + a;
			dep[j] = tr->dep_s + d;
		}
		struct seats_trip t = { .kind = seat_kind(l->kind), .cal = cal, .seats = c->vehicles[tr->vehicle].seats,
					.roster = l->kind == GEN_KIND_STUDENT ? l->pupils : 0, .n = l->npath,
					.stop = stop, .arr = arr, .dep = dep };
		snprintf(t.code, sizeof t.code, "%.32s", tr->code);
		snprintf(t.line, sizeof t.line, "%.32s", l->code);
		seats_net_add_trip(net, &t);
	}
	free(stop);
	free(arr);
	free(dep);
	seats_net_index(net);
	return net;
}

static bool seat(const struct compare_opts *o, const struct seats_net *net, struct seats_loads *loads, jt_day day,
		 const struct demandgen_request *q, struct compare_ride *out)
{
	if (q->passengers <= 0 || q->wheelchair)
		return false;
	struct seats_query sq = { .olat = q->from.lat, .olon = q->from.lon, .dlat = q->to.lat, .dlon = q->to.lon,
				  .day = day, .time = q->time_s,
				  .when = q->arrive_by ? SEATS_ARRIVE_BY : SEATS_LEAVE_AFTER,
				  .riders = q->passengers, .walk_max_m = o->walk_max_m,
				  .walk_speed_mps = o->walk_speed_mps, .horizon_s = o->horizon_s };
	/* the daemon's best offer, unless its bus leaves before the rider asks (see compare.h) */
	struct seats_offer offers[4], best;
	size_t n = seats_find(net, loads, &sq, offers, 4), k = 0;
	while (k < n && offers[k].board_time + (double)(offers[k].day - day) * 86400 < q->made_s)
		k++;
	if (k == n)
		return false;
	best = offers[k];
	const struct seats_trip *t = seats_net_trip(net, best.trip);
	seats_hold(loads, t->code, best.day, t->n, best.board, best.alight, q->passengers, false);
	double shift = (double)(best.day - day) * 86400;
	out->outcome = COMPARE_SEAT;
	out->pickup_s = best.board_time + shift;
	out->drop_s = best.alight_time + shift;
	out->wait_s = wait_of(q, out->pickup_s, out->drop_s);
	return true;
}

/* ---- the vans ---- */

struct van {
	struct plan_loc depot;
	double start, end;
	int seats;
	double cargo;
};

static struct van *vans_of(const struct gen_county *c)
{
	struct van *v = calloc(c->n_shifts + 1, sizeof *v);
	if (!v)
		abort();
	for (size_t i = 0; i < c->n_shifts; i++) {
		const struct gen_shift *s = &c->shifts[i];
		v[i].depot = (struct plan_loc){ (double)c->stops[s->stop].node, 0 };
		v[i].start = s->start_s;
		v[i].end = s->end_s;
		v[i].seats = c->vehicles[s->vehicle].seats;
		v[i].cargo = c->vehicles[s->vehicle].cargo_l;
	}
	return v;
}

/* Who shares a van: walks each plan, marking requests on board together. */
static void mark_pooled(struct plan_vehicle *v, struct compare_ride *rides, size_t nrides, int van)
{
	int *on = calloc((size_t)v->n + 1, sizeof *on);
	if (!on)
		abort();
	int non = 0;
	for (int i = 0; i < v->n; i++) {
		const struct plan_stop *s = &v->stops[i];
		if (s->request < 0 || (size_t)s->request >= nrides)
			continue;
		struct compare_ride *r = &rides[s->request];
		if (s->kind == PLAN_PICKUP) {
			r->outcome = COMPARE_VAN;
			r->van = van;
			r->pickup_s = s->begin;
			if (non > 0) {
				r->pooled = true;
				for (int k = 0; k < non; k++)
					rides[on[k]].pooled = true;
			}
			on[non++] = s->request;
		} else {
			r->drop_s = s->begin;
			for (int k = 0; k < non; k++)
				if (on[k] == s->request)
					on[k--] = on[--non];
		}
	}
	free(on);
}

static void jintong(const struct gen_county *c, const struct roads *rd, jt_day day, const struct demandgen_list *l,
		    const struct compare_opts *o, struct compare_result *out)
{
	struct travel_ctx tc = { rd, o->van_speed_mps };
	struct plan_travel t = { .time = travel_time, .cost = travel_cost, .ctx = &tc, .cost_per_time = o->van_speed_mps };
	jt_day dayv = day;
	struct calendar cal = { .kind = CAL_DATES, .start = day, .end = day, .added = &dayv, .nadded = 1 };
	struct seats_net *net = day_network(c, day, &cal);
	struct seats_loads *loads = seats_loads_new();
	struct van *vans = vans_of(c);
	size_t nv = c->n_shifts;
	struct plan_vehicle *pv = calloc(nv + 1, sizeof *pv);
	struct plan_vehicle **all = calloc(nv + 1, sizeof *all), **cand = calloc(nv + 1, sizeof *cand);
	bool *in_van = calloc(l->n + 1, sizeof *in_van);
	if (!pv || !all || !cand || !in_van)
		abort();
	for (size_t i = 0; i < nv; i++) {
		plan_vehicle_init(&pv[i], (int)i, vans[i].depot, vans[i].start, vans[i].depot, vans[i].end, vans[i].seats,
				  vans[i].cargo);
		all[i] = &pv[i];
	}
	int booked = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		struct compare_ride *r = &out->rides[i];
		if (seat(o, net, loads, day, q, r))
			continue;
		struct plan_request pr;
		if (q->wheelchair || !windows(o, &t, q, &pr))
			continue;
		size_t n = 0;
		for (size_t k = 0; k < nv; k++)
			if (pv[k].start_time <= pr.pick_latest && pv[k].shift_end >= pr.pick_earliest)
				cand[n++] = &pv[k];
		struct plan_insertion ins;
		if (n == 0 || plan_insert_cheapest(&o->plan, &t, cand, n, &pr, &ins) != 0)
			continue;
		in_van[i] = true;
		if (o->improve_moves > 0 && ++booked % o->improve_every == 0) {
			struct plan_improve_opts io = { .iterations = o->improve_moves, .seed = (uint64_t)booked };
			struct plan_improve_stats st;
			plan_improve(&o->plan, &t, all, nv, &io, &st);
		}
	}
	for (size_t k = 0; k < nv; k++) {
		mark_pooled(&pv[k], out->rides, l->n, (int)k);
		out->van_m += pv[k].cost;
		out->vans_used += pv[k].n > 0;
	}
	for (size_t i = 0; i < l->n; i++) {
		struct compare_ride *r = &out->rides[i];
		if (r->outcome == COMPARE_VAN)
			r->wait_s = wait_of(&l->r[i], r->pickup_s, r->drop_s);
		if (in_van[i] != (r->outcome == COMPARE_VAN)) /* a booked ride lost by the plans: never expected */
			abort();
	}
	for (size_t k = 0; k < nv; k++)
		plan_vehicle_free(&pv[k]);
	free(pv);
	free(all);
	free(cand);
	free(in_van);
	free(vans);
	seats_loads_free(loads);
	seats_net_free(net);
}

/* ---- the naive dispatcher: nearest free van, one ride at a time ---- */

struct job {
	struct plan_loc pick, drop;
	double pick_s, drop_s; /* starts of service */
};

struct timeline {
	struct job *j;
	size_t n, cap;
};

static void naive(const struct gen_county *c, const struct roads *rd, const struct demandgen_list *l,
		  const struct compare_opts *o, struct compare_result *out)
{
	struct travel_ctx tc = { rd, o->van_speed_mps };
	struct plan_travel t = { .time = travel_time, .cost = travel_cost, .ctx = &tc, .cost_per_time = o->van_speed_mps };
	struct van *vans = vans_of(c);
	size_t nv = c->n_shifts;
	struct timeline *tl = calloc(nv + 1, sizeof *tl);
	if (!tl)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		struct plan_request pr;
		if (q->wheelchair || !windows(o, &t, q, &pr))
			continue;
		double direct = travel_time(&tc, &pr.pick, &pr.drop);
		int best_v = -1;
		size_t best_g = 0;
		double best_d = INFINITY, best_pick = 0;
		for (size_t v = 0; v < nv; v++) {
			const struct van *vn = &vans[v];
			if (q->passengers > vn->seats || q->parcels_l > vn->cargo)
				continue;
			for (size_t g = 0; g <= tl[v].n; g++) {
				const struct plan_loc *from = g == 0 ? &vn->depot : &tl[v].j[g - 1].drop;
				double free_at = g == 0 ? vn->start : tl[v].j[g - 1].drop_s + o->service_s;
				double approach = travel_time(&tc, from, &pr.pick);
				double pick = fmax(pr.pick_earliest, fmax(free_at, q->made_s) + approach);
				pick = fmax(pick, pr.drop_earliest - o->service_s - direct); /* not there too early */
				double drop = pick + o->service_s + direct;
				if (pick > pr.pick_latest + PLAN_EPS || drop > pr.drop_latest + PLAN_EPS)
					continue;
				const struct plan_loc *next = g == tl[v].n ? &vn->depot : &tl[v].j[g].pick;
				double next_at = g == tl[v].n ? vn->end : tl[v].j[g].pick_s;
				if (drop + o->service_s + travel_time(&tc, &pr.drop, next) > next_at + PLAN_EPS)
					continue;
				if (approach < best_d) {
					best_d = approach;
					best_v = (int)v;
					best_g = g;
					best_pick = pick;
				}
				break; /* a van's first free gap is where it would be sent */
			}
		}
		if (best_v < 0)
			continue;
		struct timeline *w = &tl[best_v];
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->j = realloc(w->j, w->cap * sizeof *w->j);
			if (!w->j)
				abort();
		}
		memmove(&w->j[best_g + 1], &w->j[best_g], (w->n - best_g) * sizeof *w->j);
		w->j[best_g] = (struct job){ pr.pick, pr.drop, best_pick, best_pick + o->service_s + direct };
		w->n++;
		struct compare_ride *r = &out->rides[i];
		r->outcome = COMPARE_VAN;
		r->van = best_v;
		r->pickup_s = best_pick;
		r->drop_s = best_pick + o->service_s + direct;
		r->wait_s = wait_of(q, r->pickup_s, r->drop_s);
	}
	for (size_t v = 0; v < nv; v++) {
		struct plan_loc at = vans[v].depot;
		for (size_t k = 0; k < tl[v].n; k++) {
			out->van_m += compare_road_m(rd, &at, &tl[v].j[k].pick) +
				      compare_road_m(rd, &tl[v].j[k].pick, &tl[v].j[k].drop);
			at = tl[v].j[k].drop;
		}
		out->van_m += compare_road_m(rd, &at, &vans[v].depot);
		out->vans_used += tl[v].n > 0;
		free(tl[v].j);
	}
	free(tl);
	free(vans);
}

int compare_run(const struct gen_county *c, const struct roads *rd, jt_day day, const struct demandgen_list *l,
		const struct compare_opts *o, enum compare_policy policy, struct compare_result *out, char *err,
		size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (rd->n != c->n_nodes || !(o->van_speed_mps > 0) || !(o->window_s >= 0) || o->improve_every <= 0) {
		snprintf(err, errlen, "the road table or the options do not fit the county");
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		if (q->from.node < 0 || (size_t)q->from.node >= c->n_nodes || q->to.node < 0 ||
		    (size_t)q->to.node >= c->n_nodes || q->id != (int)i) {
			snprintf(err, errlen, "request %zu is not of this county's list", i);
			return -1;
		}
	}
	out->policy = policy;
	out->requests = l->n;
	out->rides = calloc(l->n + 1, sizeof *out->rides);
	if (!out->rides)
		abort();
	for (size_t i = 0; i < l->n; i++)
		out->rides[i].van = -1;
	if (policy == COMPARE_JINTONG)
		jintong(c, rd, day, l, o, out);
	else
		naive(c, rd, l, o, out);
	for (size_t i = 0; i < l->n; i++) {
		const struct compare_ride *r = &out->rides[i];
		if (r->outcome == COMPARE_REFUSED) {
			out->refused++;
			out->refused_wheelchair += l->r[i].wheelchair;
			continue;
		}
		out->served++;
		out->seats += r->outcome == COMPARE_SEAT;
		out->vans += r->outcome == COMPARE_VAN;
		out->pooled += r->pooled;
		out->wait_sum_s += r->wait_s;
		if (r->outcome == COMPARE_SEAT)
			out->wait_seat_s += r->wait_s;
		else
			out->wait_van_s += r->wait_s;
	}
	return 0;
}

void compare_result_free(struct compare_result *r)
{
	free(r->rides);
	r->rides = NULL;
}
