/*
 * test_plan_brute.c — the vehicle-plan core against exhaustive search on
 * tiny instances: every order of every assignment of the requests to the
 * vehicles, with a feasibility test of its own (Bellman-Ford on the time
 * differences), not the core's. The core must never beat the optimum (an
 * infeasible plan accepted) and should reach it nearly always.
 *
 * Travel is Euclidean (time = distance), as in test_plan.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "plan.h"
#include "plan_fixtures.h"
#include "util.h"

/* ---- against exhaustive search ---------------------------------------- */

/* A tiny instance: up to 4 requests, up to 2 vehicles alike at (0,0). */
struct tiny {
	int nreq, nveh, seats;
	double shift_end;
	struct plan_request r[4];
};

/* Stop s of a sequence: request s / 2, pickup when even. */
struct bstop {
	struct plan_loc loc;
	double e, l, service, max_ride;
	int load, req;
	bool pick;
};

static struct bstop bstop(const struct tiny *ti, int code)
{
	const struct plan_request *r = &ti->r[code / 2];
	if (code % 2 == 0)
		return (struct bstop){r->pick, r->pick_earliest, r->pick_latest, r->pick_service,
				      r->max_ride, r->seats, code / 2, true};
	return (struct bstop){r->drop, r->drop_earliest, r->drop_latest, r->drop_service,
			      r->max_ride, -r->seats, code / 2, false};
}

/* Whether some schedule serves seq[0..m) from the depot at time 0 back to
 * the depot by the shift end: the constraints as a graph of differences
 * B[j] - B[i] <= w, feasible iff no negative cycle (Bellman-Ford). */
static bool brute_feasible(const struct tiny *ti, const int *seq, int m)
{
	struct edge {
		int a, b;
		double w;
	} e[64];
	int ne = 0, src = m + 2, nodes = m + 3;
	struct bstop st[8];
	int load = 0;
	for (int k = 0; k < m; k++) {
		st[k] = bstop(ti, seq[k]);
		load += st[k].load;
		if (load > ti->seats)
			return false;
	}
	/* node 0: leaving the depot, 1..m: stops, m+1: back at the depot. */
	e[ne++] = (struct edge){0, src, 0}; /* B0 >= 0 */
	e[ne++] = (struct edge){src, m + 1, ti->shift_end};
	struct plan_loc prev = {0, 0};
	double prev_service = 0;
	for (int k = 0; k <= m; k++) {
		struct plan_loc here = k < m ? st[k].loc : (struct plan_loc){0, 0};
		double leg = hypot(here.x - prev.x, here.y - prev.y);
		e[ne++] = (struct edge){k + 1, k, -(prev_service + leg)};
		if (k < m) {
			e[ne++] = (struct edge){src, k + 1, st[k].l};
			e[ne++] = (struct edge){k + 1, src, -st[k].e};
			prev = st[k].loc;
			prev_service = st[k].service;
		}
	}
	for (int k = 0; k < m; k++)
		for (int j = k + 1; j < m; j++)
			if (st[k].pick && !st[j].pick && st[j].req == st[k].req)
				e[ne++] = (struct edge){k + 1, j + 1, st[k].max_ride + st[k].service};
	double d[16] = {0};
	for (int round = 0; round < nodes; round++) {
		bool changed = false;
		for (int k = 0; k < ne; k++)
			if (d[e[k].a] + e[k].w < d[e[k].b] - 1e-9) {
				d[e[k].b] = d[e[k].a] + e[k].w;
				changed = true;
			}
		if (!changed)
			return true;
	}
	return false;
}

static double seq_cost(const struct tiny *ti, const int *seq, int m)
{
	struct plan_loc prev = {0, 0};
	double c = 0;
	for (int k = 0; k <= m; k++) {
		struct plan_loc here = k < m ? bstop(ti, seq[k]).loc : (struct plan_loc){0, 0};
		c += hypot(here.x - prev.x, here.y - prev.y);
		prev = here;
	}
	return c;
}

/* Cheapest feasible order of the requests in mask, by trying all. */
static void brute_orders(const struct tiny *ti, int mask, int *seq, int m, int placed,
			 int picked, double *best)
{
	int want = 2 * __builtin_popcount((unsigned)mask);
	if (m == want) {
		if (brute_feasible(ti, seq, m)) {
			double c = seq_cost(ti, seq, m);
			if (c < *best)
				*best = c;
		}
		return;
	}
	for (int i = 0; i < ti->nreq; i++) {
		if (!(mask & (1 << i)))
			continue;
		int code = -1;
		if (!(picked & (1 << i)))
			code = 2 * i;
		else if (!(placed & (1 << i)))
			code = 2 * i + 1;
		if (code < 0)
			continue;
		seq[m] = code;
		if (code % 2 == 0)
			brute_orders(ti, mask, seq, m + 1, placed, picked | (1 << i), best);
		else
			brute_orders(ti, mask, seq, m + 1, placed | (1 << i), picked, best);
	}
}

static double brute_optimum(const struct tiny *ti)
{
	int full = (1 << ti->nreq) - 1;
	double by_mask[16];
	for (int mask = 0; mask <= full; mask++) {
		int seq[8];
		by_mask[mask] = mask ? INFINITY : 0;
		if (mask)
			brute_orders(ti, mask, seq, 0, 0, 0, &by_mask[mask]);
	}
	if (ti->nveh == 1)
		return by_mask[full];
	double best = INFINITY;
	for (int mask = 0; mask <= full; mask++)
		best = fmin(best, by_mask[mask] + by_mask[full ^ mask]);
	return best;
}

static uint64_t rng_state;
static double unit(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static void tiny_make(struct tiny *ti, uint64_t seed)
{
	rng_state = seed * 2654435761ULL + 1;
	ti->nreq = 2 + (int)(unit() * 3);
	ti->nveh = 1 + (int)(unit() * 2);
	ti->seats = 2 + (int)(unit() * 2);
	ti->shift_end = 60 + unit() * 60;
	for (int i = 0; i < ti->nreq; i++) {
		struct plan_request *r = &ti->r[i];
		*r = ride(i, at(unit() * 20 - 10, unit() * 20 - 10), at(unit() * 20 - 10, unit() * 20 - 10));
		r->seats = 1 + (int)(unit() * 2);
		r->pick_service = r->drop_service = 1;
		double direct = hypot(r->pick.x - r->drop.x, r->pick.y - r->drop.y);
		r->max_ride = direct * (1.1 + unit()) + 1;
		double e = unit() * 40, w = unit() < 0.5 ? 5 + unit() * 10 : 60;
		if (unit() < 0.5) {
			r->pick_earliest = e;
			r->pick_latest = e + w;
		} else {
			r->drop_earliest = e + direct;
			r->drop_latest = e + direct + w;
		}
	}
}

/* Cheapest insertion (in the given order) then improvement. */
static double ours(const struct tiny *ti, size_t *unserved, uint64_t seed)
{
	struct plan_vehicle v[2];
	struct plan_vehicle *vp[2] = {&v[0], &v[1]};
	for (int k = 0; k < ti->nveh; k++)
		vehicle(&v[k], k, ti->seats, 0, ti->shift_end);
	struct plan_request pending[4];
	size_t np = 0;
	for (int i = 0; i < ti->nreq; i++) {
		struct plan_insertion ins;
		if (plan_insert_cheapest(&S, &T, vp, (size_t)ti->nveh, &ti->r[i], &ins) != 0)
			pending[np++] = ti->r[i];
	}
	struct plan_improve_opts o = {.iterations = 400, .seed = seed, .pending = pending,
				      .npending = &np};
	plan_improve(&S, &T, vp, (size_t)ti->nveh, &o, NULL);
	double cost = 0;
	for (int k = 0; k < ti->nveh; k++) {
		char msg[256];
		CHECK_MSG(msg, plan_check(&v[k], &T, msg, sizeof msg) == 0);
		/* The test's own verdict on the order the core chose. */
		int seq[8], m = 0;
		for (int s = 0; s < v[k].n; s++)
			seq[m++] = 2 * v[k].stops[s].request + (v[k].stops[s].kind == PLAN_DROPOFF);
		CHECK_MSG("the core's plan passes the exhaustive test's own check",
			  brute_feasible(ti, seq, m));
		CHECK_DBL("cost", v[k].cost, seq_cost(ti, seq, m));
		cost += v[k].cost;
		plan_vehicle_free(&v[k]);
	}
	*unserved = np;
	return cost;
}

/*
 * 300 random tiny instances (2-4 requests, 1-2 vehicles, tight windows,
 * ride limits 1.1-2.1 times the direct ride, 2-3 seats). The core must
 * never find a plan cheaper than the optimum (that would be an infeasible
 * plan accepted) nor serve everyone where nothing can; with cheapest
 * insertion and 400 improvement moves it is expected to serve every
 * instance that can be served, and to reach the optimum on at least 95% of
 * them and within 10% on all.
 */
static void test_brute_force(void)
{
	int instances = 0, solvable = 0, served = 0, optimal = 0, within10 = 0;
	double worst = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct tiny ti;
		tiny_make(&ti, seed);
		double opt = brute_optimum(&ti);
		size_t unserved;
		double got = ours(&ti, &unserved, seed);
		instances++;
		if (isinf(opt)) {
			CHECK_MSG("nothing serves everyone, neither does the core", unserved > 0);
			continue;
		}
		solvable++;
		if (unserved > 0)
			continue;
		served++;
		CHECK_MSG("never below the optimum", got >= opt - 1e-6);
		double gap = (got - opt) / opt;
		worst = fmax(worst, gap);
		optimal += gap <= 1e-9;
		within10 += gap <= 0.10;
	}
	printf("brute force: %d instances, %d solvable, %d served by the core, %d at the "
	       "optimum, %d within 10%%, worst gap %.2f%%\n",
	       instances, solvable, served, optimal, within10, 100 * worst);
	CHECK_MSG("every solvable instance served", served == solvable);
	CHECK_MSG("at the optimum on 95%", optimal * 100 >= 95 * served);
	CHECK_MSG("within 10% on all", within10 == served);
	CHECK_MSG("enough solvable instances to mean something", solvable >= 150);
}

int main(void)
{
	plan_travel_euclid(&T);
	plan_settings_default(&S);
	test_brute_force();
	return check_done("test_plan_brute");
}
