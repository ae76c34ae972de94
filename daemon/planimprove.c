/*
 * planimprove.c — making a set of vehicles' plans cheaper without breaking
 * any promise: the background improvement the daemon runs between bookings,
 * and the search the offline solver runs on benchmark instances.
 *
 * Two moves, chosen at random with a seeded generator (same seed, same
 * result):
 *   relocate          take one request out and put it back at its cheapest
 *                     place in any vehicle, its own included (which also
 *                     reorders a vehicle's plan);
 *   ruin and recreate take out a few requests related to a random one (near
 *                     in place and time) or a few at random, then put them
 *                     back one by one, cheapest first, in random order, in
 *                     time order, or by regret (the request that would lose
 *                     most by waiting goes first). Requests no vehicle could
 *                     take yet join every recreation.
 * Every change goes through plan_remove and plan_apply, so every plan stays
 * feasible; a move that is not kept is undone by restoring copies of the
 * plans it touched. Started stops and riders on board are never moved
 * (plan_remove refuses them).
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Above this many vehicles, candidates come from the spatial index. */
#define IMPROVE_SCAN_ALL 64
#define IMPROVE_RUIN_MAX 12

struct slot;

struct saved {
	struct plan_vehicle copy;
	unsigned epoch; /* saved during this move when equal to the move's */
};

struct improver {
	const struct plan_settings *s;
	const struct plan_travel *t;
	struct plan_vehicle *const *v;
	size_t n;
	uint64_t rng;
	bool grid; /* candidates from the index */
	struct saved *saved;
	unsigned epoch;
	size_t *touched;
	size_t ntouched;
	struct plan_vehicle **cand;
	size_t cand_cap;
	struct plan_request *pending;
	size_t npending, pending_cap;
	double penalty;
	struct slot *slots; /* the vehicles by address, for index_of */
};

static uint64_t rnd(struct improver *im)
{
	/* splitmix64 */
	uint64_t z = (im->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rnd01(struct improver *im)
{
	return (double)(rnd(im) >> 11) / 9007199254740992.0;
}

static size_t rndn(struct improver *im, size_t n)
{
	return n ? (size_t)(rnd(im) % n) : 0;
}

double plan_total_cost(struct plan_vehicle *const *v, size_t n)
{
	double c = 0;
	for (size_t i = 0; i < n; i++)
		c += v[i]->cost;
	return c;
}

/* Saves vehicle i's plan before the current move first changes it. */
static void touch(struct improver *im, size_t i)
{
	struct saved *sv = &im->saved[i];
	if (sv->epoch == im->epoch)
		return;
	sv->epoch = im->epoch;
	plan_vehicle_copy_plan(&sv->copy, im->v[i]);
	im->touched[im->ntouched++] = i;
}

struct slot {
	const struct plan_vehicle *v;
	size_t i;
};

static int cmp_slot(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct slot *)a)->v;
	uintptr_t y = (uintptr_t)((const struct slot *)b)->v;
	return (x > y) - (x < y);
}

/* Index of v among the vehicles improved, or (size_t)-1 if not one of them. */
static size_t index_of(const struct improver *im, const struct plan_vehicle *v)
{
	struct slot key = {v, 0};
	const struct slot *s = bsearch(&key, im->slots, im->n, sizeof *im->slots, cmp_slot);
	return s ? s->i : (size_t)-1;
}

static void undo(struct improver *im, const struct plan_travel *t)
{
	for (size_t k = 0; k < im->ntouched; k++) {
		struct plan_vehicle *v = im->v[im->touched[k]];
		plan_vehicle_copy_plan(v, &im->saved[im->touched[k]].copy);
		if (v->grid)
			plan_grid_update(v->grid, v);
	}
	(void)t;
}

static double touched_cost(const struct improver *im, bool before)
{
	double c = 0;
	for (size_t k = 0; k < im->ntouched; k++)
		c += before ? im->saved[im->touched[k]].copy.cost : im->v[im->touched[k]]->cost;
	return c;
}

static void begin_move(struct improver *im)
{
	im->ntouched = 0;
	if (++im->epoch == 0) {
		for (size_t i = 0; i < im->n; i++)
			im->saved[i].epoch = 0;
		im->epoch = 1;
	}
}

/* Candidate vehicles for r: all, or those the index finds near it. */
static size_t candidates(struct improver *im, const struct plan_request *r)
{
	if (!im->grid) {
		for (size_t i = 0; i < im->n; i++)
			im->cand[i] = im->v[i];
		return im->n;
	}
	size_t n = plan_candidates(im->v[0]->grid, r, 24, 4, im->cand, im->cand_cap), m = 0;
	/* The index may hold vehicles that are not being improved: skip them. */
	for (size_t k = 0; k < n; k++)
		if (index_of(im, im->cand[k]) != (size_t)-1)
			im->cand[m++] = im->cand[k];
	return m;
}

/* A random request that may move: (vehicle, request id), or false. */
static bool pick_request(struct improver *im, size_t *vi, int *id)
{
	for (int tries = 0; tries < 8; tries++) {
		size_t i = rndn(im, im->n);
		const struct plan_vehicle *v = im->v[i];
		int movable = v->n - v->started;
		if (movable < 2)
			continue;
		int k = v->started + (int)rndn(im, (size_t)movable);
		for (int step = 0; step < movable; step++) {
			int at = v->started + (k - v->started + step) % movable;
			const struct plan_stop *s = &v->stops[at];
			if (s->kind == PLAN_PICKUP) {
				*vi = i;
				*id = s->request;
				return true;
			}
		}
	}
	return false;
}

static bool accept(struct improver *im, double delta, double temp)
{
	if (delta < -1e-9)
		return true;
	if (temp <= 0 || delta > 50 * temp)
		return false;
	return rnd01(im) < exp(-delta / temp);
}

/* Inserts r at its cheapest place, saving the vehicle it changes first. */
static bool insert(struct improver *im, const struct plan_request *r)
{
	size_t nc = candidates(im, r);
	struct plan_insertion ins;
	if (plan_best_insertion(im->s, im->t, im->cand, nc, r, &ins) != 0)
		return false;
	touch(im, index_of(im, ins.vehicle));
	return plan_apply(im->s, im->t, r, &ins) == 0;
}

static bool relocate(struct improver *im, double temp, double *cost)
{
	size_t vi;
	int id;
	if (!pick_request(im, &vi, &id))
		return false;
	begin_move(im);
	touch(im, vi);
	struct plan_request r;
	if (plan_remove(im->t, im->v[vi], id, &r) != PLAN_REMOVED) {
		undo(im, im->t);
		return false;
	}
	if (!insert(im, &r)) {
		undo(im, im->t);
		return false;
	}
	double delta = touched_cost(im, false) - touched_cost(im, true);
	if (!accept(im, delta, temp)) {
		undo(im, im->t);
		return false;
	}
	*cost += delta;
	return true;
}

struct related {
	size_t vi;
	int id;
	double score;
};

static int cmp_related(const void *a, const void *b)
{
	double x = ((const struct related *)a)->score, y = ((const struct related *)b)->score;
	return (x > y) - (x < y);
}

/* How far apart two requests are, in place and time (smaller: more related). */
static double relatedness(const struct plan_travel *t, const struct plan_vehicle *a, int ap,
			  const struct plan_vehicle *b, int bp)
{
	const struct plan_stop *p1 = &a->stops[ap], *d1 = &a->stops[p1->mate];
	const struct plan_stop *p2 = &b->stops[bp], *d2 = &b->stops[p2->mate];
	return t->time(t->ctx, &p1->loc, &p2->loc) + t->time(t->ctx, &d1->loc, &d2->loc) +
	       fabs(p1->begin - p2->begin) + fabs(d1->begin - d2->begin);
}

/* Chooses the requests to take out: up to want, the first one random. */
static size_t choose_ruin(struct improver *im, size_t want, struct related *out)
{
	size_t vi;
	int id;
	if (!pick_request(im, &vi, &id))
		return 0;
	const struct plan_vehicle *sv = im->v[vi];
	int sp = plan_find(sv, id, PLAN_PICKUP);
	/* Everything movable among the seed's candidates. */
	struct plan_request probe = {.pick = sv->stops[sp].loc, .drop = sv->stops[sv->stops[sp].mate].loc};
	size_t nc = candidates(im, &probe);
	size_t cap = 0, n = 0;
	for (size_t c = 0; c < nc; c++)
		cap += (size_t)im->cand[c]->n;
	struct related *all = xmalloc((cap + 1) * sizeof *all);
	bool by_relation = rnd01(im) < 0.6;
	for (size_t c = 0; c < nc; c++) {
		const struct plan_vehicle *v = im->cand[c];
		size_t ci = index_of(im, v);
		for (int k = v->started; k < v->n; k++) {
			if (v->stops[k].kind != PLAN_PICKUP || (ci == vi && v->stops[k].request == id))
				continue;
			double sc = by_relation ? relatedness(im->t, sv, sp, v, k) : rnd01(im);
			all[n++] = (struct related){ci, v->stops[k].request, sc};
		}
	}
	qsort(all, n, sizeof *all, cmp_related);
	size_t m = 0;
	out[m++] = (struct related){vi, id, 0};
	/* Biased towards the most related, but not always the same ones. */
	while (m < want && n > 0) {
		double y = rnd01(im);
		size_t k = (size_t)(y * y * y * (double)n);
		out[m++] = all[k];
		memmove(&all[k], &all[k + 1], (n - k - 1) * sizeof *all);
		n--;
	}
	free(all);
	return m;
}

static int cmp_pick_earliest(const void *a, const void *b)
{
	const struct plan_request *x = a, *y = b;
	return (x->pick_earliest > y->pick_earliest) - (x->pick_earliest < y->pick_earliest);
}

/* Index in r[0..n) of the request with the largest regret: the difference
 * between its best place and its best place in another vehicle. */
static size_t most_regret(struct improver *im, const struct plan_request *r, size_t n)
{
	size_t best = 0;
	double best_regret = -1;
	for (size_t k = 0; k < n; k++) {
		size_t nc = candidates(im, &r[k]);
		double c1 = INFINITY, c2 = INFINITY;
		for (size_t c = 0; c < nc; c++) {
			struct plan_insertion ins;
			if (plan_best_insertion(im->s, im->t, &im->cand[c], 1, &r[k], &ins) != 0)
				continue;
			if (ins.added_cost < c1) {
				c2 = c1;
				c1 = ins.added_cost;
			} else if (ins.added_cost < c2) {
				c2 = ins.added_cost;
			}
		}
		double regret = c1 == INFINITY ? 1e300 : c2 == INFINITY ? 1e200 : c2 - c1;
		if (regret > best_regret) {
			best_regret = regret;
			best = k;
		}
	}
	return best;
}

static bool ruin_recreate(struct improver *im, double temp, double *cost)
{
	struct related chosen[IMPROVE_RUIN_MAX];
	size_t want = 2 + rndn(im, IMPROVE_RUIN_MAX - 1);
	size_t nr = choose_ruin(im, want, chosen);
	if (nr == 0 && im->npending == 0)
		return false;
	begin_move(im);
	size_t total = nr + im->npending;
	struct plan_request *r = xmalloc((total + 1) * sizeof *r);
	size_t m = 0;
	for (size_t k = 0; k < nr; k++) {
		touch(im, chosen[k].vi);
		if (plan_remove(im->t, im->v[chosen[k].vi], chosen[k].id, &r[m]) == PLAN_REMOVED)
			m++;
	}
	memcpy(&r[m], im->pending, im->npending * sizeof *r);
	m += im->npending;
	size_t unserved_before = im->npending;

	double how = rnd01(im);
	bool regret = how < 0.3 && !im->grid;
	if (how >= 0.3 && how < 0.5) {
		qsort(r, m, sizeof *r, cmp_pick_earliest);
	} else {
		for (size_t k = m; k > 1; k--) {
			size_t j = rndn(im, k);
			struct plan_request tmp = r[k - 1];
			r[k - 1] = r[j];
			r[j] = tmp;
		}
	}
	/* Recreate; those that fit nowhere go to `out`. */
	struct plan_request *out = xmalloc((m + 1) * sizeof *out);
	size_t left = m, unserved = 0;
	while (left > 0) {
		size_t k = regret ? most_regret(im, r, left) : 0;
		struct plan_request cur = r[k];
		memmove(&r[k], &r[k + 1], (left - k - 1) * sizeof *r);
		left--;
		if (!insert(im, &cur))
			out[unserved++] = cur;
	}
	double delta = touched_cost(im, false) - touched_cost(im, true) +
		       im->penalty * ((double)unserved - (double)unserved_before);
	free(r);
	/* A request in a plan is a promise: it never goes back to waiting. */
	if (unserved > unserved_before || !accept(im, delta, temp)) {
		undo(im, im->t);
		free(out);
		return false;
	}
	*cost += touched_cost(im, false) - touched_cost(im, true);
	im->npending = unserved;
	if (unserved)
		memcpy(im->pending, out, unserved * sizeof *out);
	free(out);
	return true;
}

void plan_improve(const struct plan_settings *s, const struct plan_travel *t,
		  struct plan_vehicle *const *v, size_t n, const struct plan_improve_opts *o,
		  struct plan_improve_stats *stats)
{
	struct plan_improve_stats st = {0};
	struct improver im = {
		.s = s, .t = t, .v = v, .n = n, .rng = o->seed ^ 0x6a696e746f6e67ULL,
		.penalty = o->unserved_penalty > 0 ? o->unserved_penalty : 1e6,
	};
	im.grid = n > IMPROVE_SCAN_ALL && v[0]->grid;
	for (size_t i = 0; im.grid && i < n; i++)
		if (v[i]->grid != v[0]->grid)
			im.grid = false;
	im.slots = xcalloc(n ? n : 1, sizeof *im.slots);
	for (size_t i = 0; i < n; i++)
		im.slots[i] = (struct slot){v[i], i};
	qsort(im.slots, n, sizeof *im.slots, cmp_slot);
	im.saved = xcalloc(n ? n : 1, sizeof *im.saved);
	im.touched = xcalloc(n ? n : 1, sizeof *im.touched);
	im.cand_cap = n ? n : 1;
	im.cand = xcalloc(im.cand_cap, sizeof *im.cand);
	size_t npend = o->npending ? *o->npending : 0;
	im.pending_cap = npend + 1;
	im.pending = xmalloc(im.pending_cap * sizeof *im.pending);
	if (npend)
		memcpy(im.pending, o->pending, npend * sizeof *im.pending);
	im.npending = npend;

	/* The best plans seen, when worse ones may be accepted on the way. */
	struct plan_vehicle *best = NULL;
	struct plan_request *best_pending = NULL;
	size_t best_npending = npend;
	if (o->temperature > 0) {
		best = xcalloc(n ? n : 1, sizeof *best);
		for (size_t i = 0; i < n; i++)
			plan_vehicle_copy_plan(&best[i], v[i]);
		best_pending = xmalloc(im.pending_cap * sizeof *best_pending);
		memcpy(best_pending, im.pending, npend * sizeof *best_pending);
	}

	double cost = plan_total_cost(v, n);
	st.cost_before = cost;
	double best_obj = cost + im.penalty * (double)npend;
	double start = o->clock ? o->clock(o->clock_ctx) : 0;
	for (long it = 0; o->iterations <= 0 || it < o->iterations; it++) {
		double frac = 0;
		if (o->clock) {
			double now = o->clock(o->clock_ctx);
			if (now >= o->deadline)
				break;
			if (o->deadline > start)
				frac = (now - start) / (o->deadline - start);
		}
		if (o->iterations > 0)
			frac = fmax(frac, (double)it / (double)o->iterations);
		if (!o->clock && o->iterations <= 0)
			break; /* no budget at all */
		double temp = o->temperature * (1 - frac);
		bool ok = (im.npending == 0 && rnd01(&im) < 0.5) ? relocate(&im, temp, &cost)
								  : ruin_recreate(&im, temp, &cost);
		st.iterations++;
		st.accepted += ok;
		double obj = cost + im.penalty * (double)im.npending;
		if (best && obj < best_obj - 1e-9) {
			for (size_t i = 0; i < n; i++)
				plan_vehicle_copy_plan(&best[i], v[i]);
			memcpy(best_pending, im.pending, im.npending * sizeof *best_pending);
			best_npending = im.npending;
		}
		if (obj < best_obj)
			best_obj = obj;
		if (o->progress && o->progress_every > 0 && (it + 1) % o->progress_every == 0)
			o->progress(o->progress_ctx, it + 1, cost, best_obj, im.npending);
	}
	if (best) {
		double now_obj = cost + im.penalty * (double)im.npending;
		if (best_obj < now_obj - 1e-9) {
			for (size_t i = 0; i < n; i++) {
				plan_vehicle_copy_plan(v[i], &best[i]);
				if (v[i]->grid)
					plan_grid_update(v[i]->grid, v[i]);
			}
			memcpy(im.pending, best_pending, best_npending * sizeof *im.pending);
			im.npending = best_npending;
		}
		for (size_t i = 0; i < n; i++)
			free(best[i].stops);
		free(best);
		free(best_pending);
	}
	if (o->npending) {
		memcpy(o->pending, im.pending, im.npending * sizeof *im.pending);
		*o->npending = im.npending;
	}
	st.cost_after = plan_total_cost(v, n);
	for (size_t i = 0; i < n; i++)
		free(im.saved[i].copy.stops);
	free(im.saved);
	free(im.slots);
	free(im.touched);
	free(im.cand);
	free(im.pending);
	if (stats)
		*stats = st;
}
