/*
 * plan-bench.c — how fast a booking finds its vehicle, and how good the
 * plans are, measured in one run on this machine.
 *
 *   plan-bench [--decisions N] [--quick] [DARP-DIR...]
 *
 * (1) A county-sized area (about 60 x 50 km of hills: winding roads at an
 *     average 40 km/h) with 2,000 demand-responsive vehicles whose plans
 *     already hold 10,000 open rides, then a province-sized one at the same
 *     density, 20,000 vehicles and 100,000 rides. Each booking decision —
 *     candidate vehicles from the spatial index, then the cheapest feasible
 *     insertion among them — is timed, in CPU time of the thread (what it
 *     costs) and wall time (what a caller waits on this shared machine);
 *     p50 and p99 are printed for both sizes, and the ratio of the two
 *     (close to 1 when the index keeps the work independent of the fleet's
 *     size). The decisions are not applied, so
 *     every one sees the same plans. Then one second of the background
 *     improvement on the county's plans.
 * (2) Small generated instances solved exactly by exhaustive search (every
 *     split of the requests between the vehicles, every order of the stops,
 *     each order's feasibility decided by Bellman-Ford on the time
 *     differences) against insertion + improvement.
 * (3) The darp-b instances with a published optimum, from the first
 *     DARP-DIR that has each (default tests/fixtures/darp), with a fixed
 *     number of improvement moves.
 * Figures are printed, never judged: the machine is shared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "darp.h"
#include "plan.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: what a decision costs, without the time the
 * shared machine gave to other work meanwhile. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 42;
static double unit(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- (1) booking decisions in a county and a province ------------------- */

struct area {
	double lon0, lat0, dlon, dlat; /* south-west corner and size in degrees */
};

/* An area of w x h km around 30 N, 104 E. */
static struct area area_km(double w, double h)
{
	double km_lat = 111.2, km_lon = 111.32 * cos(30.0 * M_PI / 180);
	return (struct area){104.0, 30.0, w / km_lon, h / km_lat};
}

static struct plan_loc somewhere(const struct area *a)
{
	return (struct plan_loc){a->lon0 + unit() * a->dlon, a->lat0 + unit() * a->dlat};
}

/* A villager's ride: from anywhere to somewhere 3-20 km away (the town,
 * the clinic), picked up within 20 minutes of a time between 7:00 and
 * 18:00; drop-off window and ride limit follow from the settings. */
static struct plan_request booking(const struct area *a, int id)
{
	struct plan_request r = {.id = id, .seats = 1 + (unit() < 0.2), .max_ride = NAN};
	r.pick = somewhere(a);
	double dist_km = 3 + 17 * unit(), dir = 2 * M_PI * unit();
	r.drop.x = r.pick.x + dist_km * cos(dir) / (111.32 * cos(r.pick.y * M_PI / 180));
	r.drop.y = r.pick.y + dist_km * sin(dir) / 111.2;
	r.drop.x = fmin(fmax(r.drop.x, a->lon0), a->lon0 + a->dlon);
	r.drop.y = fmin(fmax(r.drop.y, a->lat0), a->lat0 + a->dlat);
	r.pick_earliest = 7 * 3600 + unit() * 11 * 3600;
	r.pick_latest = r.pick_earliest + 20 * 60;
	r.drop_earliest = 0;
	r.drop_latest = r.pick_latest + 3 * 3600;
	r.pick_service = 60;
	r.drop_service = 30;
	if (unit() < 0.15) {
		/* A shop's parcel to the township station. */
		r.parcel = true;
		r.seats = 0;
		r.cargo = 20 + 80 * unit();
	}
	return r;
}

struct county {
	struct area a;
	struct plan_grid *grid;
	struct plan_vehicle *v;
	int nv;
	struct plan_vehicle **cand;
};

#define WANT 24
#define RING 3

static void county_fill(struct county *c, const struct plan_settings *s,
			const struct plan_travel *t, int vehicles, int rides)
{
	c->nv = vehicles;
	/* Cells of about 2 km. */
	c->grid = plan_grid_new(c->a.lon0, c->a.lat0, c->a.lon0 + c->a.dlon, c->a.lat0 + c->a.dlat,
				0.02);
	c->v = xcalloc((size_t)vehicles, sizeof *c->v);
	c->cand = xcalloc((size_t)vehicles, sizeof *c->cand);
	for (int k = 0; k < vehicles; k++) {
		struct plan_loc depot = somewhere(&c->a);
		plan_vehicle_init(&c->v[k], k, depot, 6 * 3600, depot, 20 * 3600, 8, 500);
		plan_refresh(&c->v[k], t);
		plan_grid_update(c->grid, &c->v[k]);
	}
	int placed = 0, tried = 0;
	double t0 = now_s();
	while (placed < rides && tried < 3 * rides) {
		struct plan_request r = booking(&c->a, tried++);
		size_t n = plan_candidates(c->grid, &r, WANT, RING, c->cand, (size_t)vehicles);
		struct plan_insertion ins;
		placed += plan_insert_cheapest(s, t, c->cand, n, &r, &ins) == 0;
	}
	fprintf(stderr, "plan-bench: %d vehicles: %d rides placed of %d booked in %.1f s\n",
		vehicles, placed, tried, now_s() - t0);
}

static void county_free(struct county *c)
{
	for (int k = 0; k < c->nv; k++)
		plan_vehicle_free(&c->v[k]);
	free(c->v);
	free(c->cand);
	plan_grid_free(c->grid);
}

struct timing {
	double p50_us, p99_us, cpu50_us, cpu99_us, mean_cand, accepted;
	int rides, stops_max;
};

static struct timing decisions(struct county *c, const struct plan_settings *s,
			       const struct plan_travel *t, int count)
{
	double *us = xcalloc((size_t)count, sizeof *us);
	double *cpu = xcalloc((size_t)count, sizeof *cpu);
	double cand = 0;
	int ok = 0;
	for (int i = 0; i < count; i++) {
		struct plan_request r = booking(&c->a, 10000000 + i);
		double t0 = now_s(), c0 = cpu_s();
		size_t n = plan_candidates(c->grid, &r, WANT, RING, c->cand, (size_t)c->nv);
		struct plan_insertion ins;
		ok += plan_best_insertion(s, t, c->cand, n, &r, &ins) == 0;
		cpu[i] = (cpu_s() - c0) * 1e6;
		us[i] = (now_s() - t0) * 1e6;
		cand += (double)n;
	}
	qsort(us, (size_t)count, sizeof *us, cmp_double);
	qsort(cpu, (size_t)count, sizeof *cpu, cmp_double);
	struct timing tm = {us[count / 2], us[(count * 99) / 100], cpu[count / 2],
			    cpu[(count * 99) / 100], cand / count, (double)ok / count, 0, 0};
	free(cpu);
	for (int k = 0; k < c->nv; k++) {
		tm.rides += c->v[k].n / 2;
		if (c->v[k].n > tm.stops_max)
			tm.stops_max = c->v[k].n;
	}
	free(us);
	return tm;
}

static double clock_s(void *ctx)
{
	(void)ctx;
	return now_s();
}

/* The daemon's background improvement for one second on the whole county. */
static void improve_county(struct county *c, const struct plan_settings *s,
			   const struct plan_travel *t)
{
	struct plan_vehicle **all = xcalloc((size_t)c->nv, sizeof *all);
	for (int k = 0; k < c->nv; k++)
		all[k] = &c->v[k];
	struct plan_improve_opts o = {.clock = clock_s, .deadline = now_s() + 1, .seed = 1};
	struct plan_improve_stats st;
	plan_improve(s, t, all, (size_t)c->nv, &o, &st);
	printf("(1) county improvement for 1 s: %ld moves tried, %ld kept, cost %.0f -> %.0f km "
	       "(%.2f%%)\n",
	       st.iterations, st.accepted, st.cost_before / 1000, st.cost_after / 1000,
	       100 * (st.cost_after - st.cost_before) / st.cost_before);
	free(all);
}

static void bench_bookings(int count, bool quick)
{
	struct plan_settings s;
	plan_settings_default(&s);
	struct plan_geo geo = {.winding = 1.35, .speed_mps = 40 / 3.6};
	struct plan_travel t;
	plan_travel_geo(&t, &geo);
	int scale = quick ? 10 : 1;
	struct {
		const char *name;
		double w, h;
		int vehicles, rides;
	} cases[] = {
		{"county", 60, 50, 2000 / scale, 10000 / scale},
		{"province", 60 * sqrt(10), 50 * sqrt(10), 20000 / scale, 100000 / scale},
	};
	struct timing tm[2];
	for (int k = 0; k < 2; k++) {
		struct county c = {.a = area_km(cases[k].w, cases[k].h)};
		county_fill(&c, &s, &t, cases[k].vehicles, cases[k].rides);
		tm[k] = decisions(&c, &s, &t, count);
		printf("(1) %-8s %3.0f x %3.0f km, %6d vehicles, %6d open rides, longest plan %d stops, "
		       "%.1f candidates, %.0f%% placed\n"
		       "    booking decision: CPU p50 %6.1f us, p99 %6.1f us; wall p50 %6.1f us, p99 %7.1f us\n",
		       cases[k].name, cases[k].w, cases[k].h, cases[k].vehicles, tm[k].rides,
		       tm[k].stops_max, tm[k].mean_cand, 100 * tm[k].accepted, tm[k].cpu50_us,
		       tm[k].cpu99_us, tm[k].p50_us, tm[k].p99_us);
		if (k == 0)
			improve_county(&c, &s, &t);
		county_free(&c);
	}
	printf("(1) ratio %d/%d vehicles: CPU p50 %.2f, p99 %.2f; wall p50 %.2f, p99 %.2f\n",
	       cases[1].vehicles, cases[0].vehicles, tm[1].cpu50_us / tm[0].cpu50_us,
	       tm[1].cpu99_us / tm[0].cpu99_us, tm[1].p50_us / tm[0].p50_us,
	       tm[1].p99_us / tm[0].p99_us);
}

/* ---- (2) against exhaustive search --------------------------------------- */

static const struct darp_instance *X;

/* Feasibility of visiting node ids seq[0..m) (pickups and drop-offs) in
 * one route: Bellman-Ford on B[j] - B[i] <= w; no negative cycle, feasible. */
static bool exact_feasible(const int *seq, int m)
{
	struct edge {
		int a, b;
		double w;
	} e[128];
	int ne = 0, n = X->requests, src = m + 2, load = 0;
	const struct darp_node *nd[12];
	for (int k = 0; k < m; k++) {
		nd[k] = &X->node[seq[k]];
		load += nd[k]->load;
		if (load > X->capacity)
			return false;
	}
	const struct darp_node *depot = &X->node[0], *end = &X->node[2 * n + 1];
	/* 0: leaving the depot, 1..m the stops, m+1 back at the end depot. */
	e[ne++] = (struct edge){src, 0, depot->latest};
	e[ne++] = (struct edge){0, src, -depot->earliest};
	e[ne++] = (struct edge){src, m + 1, end->latest};
	e[ne++] = (struct edge){0, m + 1, X->max_duration};
	const struct darp_node *prev = depot;
	for (int k = 0; k <= m; k++) {
		const struct darp_node *here = k < m ? nd[k] : end;
		double leg = hypot(here->x - prev->x, here->y - prev->y);
		e[ne++] = (struct edge){k + 1, k, -((k ? prev->service : 0) + leg)};
		if (k < m) {
			e[ne++] = (struct edge){src, k + 1, here->latest};
			e[ne++] = (struct edge){k + 1, src, -here->earliest};
		}
		prev = here;
	}
	for (int k = 0; k < m; k++)
		for (int j = k + 1; j < m; j++)
			if (seq[k] <= n && seq[j] == seq[k] + n)
				e[ne++] = (struct edge){k + 1, j + 1, X->max_ride + nd[k]->service};
	double d[16] = {0};
	for (int round = 0; round <= m + 3; round++) {
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

static double route_cost(const int *seq, int m)
{
	const struct darp_node *prev = &X->node[0];
	double c = 0;
	for (int k = 0; k <= m; k++) {
		const struct darp_node *here = k < m ? &X->node[seq[k]] : &X->node[2 * X->requests + 1];
		c += hypot(here->x - prev->x, here->y - prev->y);
		prev = here;
	}
	return c;
}

static void orders(int mask, int *seq, int m, int picked, int dropped, double *best)
{
	int n = X->requests;
	if (m == 2 * __builtin_popcount((unsigned)mask)) {
		if (exact_feasible(seq, m))
			*best = fmin(*best, route_cost(seq, m));
		return;
	}
	for (int i = 0; i < n; i++) {
		if (!(mask >> i & 1) || (dropped >> i & 1))
			continue;
		bool pick = !(picked >> i & 1);
		seq[m] = pick ? i + 1 : i + 1 + n;
		if (pick)
			orders(mask, seq, m + 1, picked | 1 << i, dropped, best);
		else
			orders(mask, seq, m + 1, picked, dropped | 1 << i, best);
	}
}

/* The optimum of an instance with at most 2 vehicles and 5 requests. */
static double exact(const struct darp_instance *in)
{
	X = in;
	int n = in->requests, full = (1 << n) - 1;
	double by[32];
	for (int mask = 0; mask <= full; mask++) {
		int seq[12];
		by[mask] = mask ? INFINITY : 0;
		if (mask)
			orders(mask, seq, 0, 0, 0, &by[mask]);
	}
	if (in->vehicles == 1)
		return by[full];
	double best = INFINITY;
	for (int mask = 0; mask <= full; mask++)
		best = fmin(best, by[mask] + by[full ^ mask]);
	return best;
}

/* Insertion in pickup-time order then improvement, as jintong-solve does. */
static double heuristic(const struct darp_instance *in, long moves, size_t *unserved)
{
	struct plan_settings s;
	plan_settings_default(&s);
	struct plan_travel t;
	plan_travel_euclid(&t);
	int K = in->vehicles, n = in->requests;
	struct plan_vehicle *v = xcalloc((size_t)K, sizeof *v);
	struct plan_vehicle **vp = xcalloc((size_t)K, sizeof *vp);
	for (int k = 0; k < K; k++) {
		darp_vehicle(in, k, &v[k]);
		plan_refresh(&v[k], &t);
		vp[k] = &v[k];
	}
	struct plan_request *pending = xcalloc((size_t)n + 1, sizeof *pending);
	size_t np = 0;
	for (int i = 1; i <= n; i++) {
		struct plan_request r;
		struct plan_insertion ins;
		darp_request(in, i, &r);
		if (plan_insert_cheapest(&s, &t, vp, (size_t)K, &r, &ins) != 0)
			pending[np++] = r;
	}
	double c0 = plan_total_cost(vp, (size_t)K);
	struct plan_improve_opts o = {.iterations = moves, .seed = 1, .pending = pending,
				      .npending = &np, .temperature = 0.01 * c0 / n};
	plan_improve(&s, &t, vp, (size_t)K, &o, NULL);
	double c = plan_total_cost(vp, (size_t)K);
	for (int k = 0; k < K; k++)
		plan_vehicle_free(&v[k]);
	free(v);
	free(vp);
	free(pending);
	*unserved = np;
	return c;
}

static void bench_exact(bool quick)
{
	int count = 0, solvable = 0, optimal = 0;
	double worst = 0, sum = 0;
	double t_exact = 0, t_heur = 0;
	int runs = quick ? 10 : 40;
	for (int seed = 1; seed <= runs; seed++) {
		int K = 1 + seed % 2, n = K == 1 ? 4 + seed % 2 : 4;
		char *text = darp_generate(K, n, (uint64_t)seed);
		struct darp_instance in;
		unsigned long line;
		char err[128];
		if (darp_parse(text, strlen(text), &in, &line, err, sizeof err) != 0)
			fatal("generated instance refused: %lu: %s", line, err);
		free(text);
		double t0 = now_s();
		double opt = exact(&in);
		double t1 = now_s();
		size_t unserved;
		double got = heuristic(&in, 500, &unserved);
		t_heur += now_s() - t1;
		t_exact += t1 - t0;
		count++;
		if (isfinite(opt) && unserved == 0) {
			solvable++;
			double gap = (got - opt) / opt;
			optimal += gap < 1e-9;
			worst = fmax(worst, gap);
			sum += gap;
		}
		darp_free(&in);
	}
	printf("(2) exhaustive search on %d small generated instances (1-2 vehicles, 4-5 requests): "
	       "%d solved; insertion + 500 moves at the optimum on %d, mean gap %.2f%%, worst %.2f%% "
	       "(%.1f ms exact vs %.1f ms heuristic per instance)\n",
	       count, solvable, optimal, solvable ? 100 * sum / solvable : 0, 100 * worst,
	       1e3 * t_exact / count, 1e3 * t_heur / count);
}

/* ---- (3) darp-b against the published optima ----------------------------- */

static void bench_darp(char **dirs, int ndirs, bool quick)
{
	static const struct {
		const char *name;
		double optimum;
	} b[] = {
		{"b2-16", 309.41}, {"b2-20", 332.64}, {"b2-24", 444.71}, {"b3-18", 301.64},
		{"b6-60", 860.07}, {"b6-72", 978.47},
	};
	long moves = quick ? 5000 : 50000;
	for (size_t k = 0; k < JT_ARRAY_LEN(b); k++) {
		char path[4096];
		FILE *fp = NULL;
		for (int d = 0; d < ndirs && !fp; d++) {
			snprintf(path, sizeof path, "%s/%s.txt", dirs[d], b[k].name);
			fp = fopen(path, "rb");
		}
		if (!fp) {
			printf("(3) %-6s not found\n", b[k].name);
			continue;
		}
		static char text[1 << 20];
		size_t len = fread(text, 1, sizeof text, fp);
		fclose(fp);
		struct darp_instance in;
		unsigned long line;
		char err[128];
		if (darp_parse(text, len, &in, &line, err, sizeof err) != 0) {
			printf("(3) %s:%lu: %s\n", path, line, err);
			continue;
		}
		double t0 = now_s();
		size_t unserved;
		double got = heuristic(&in, moves, &unserved);
		/* The optima are published to two decimals. */
		double gap = 100 * (got - b[k].optimum) / b[k].optimum;
		if (fabs(got - b[k].optimum) < 0.005)
			gap = 0;
		printf("(3) %-6s cost %8.2f, optimum %8.2f, gap %5.2f%%%s, %ld moves in %.1f s\n",
		       b[k].name, got, b[k].optimum, gap,
		       unserved ? " (requests unserved!)" : "", moves, now_s() - t0);
		darp_free(&in);
	}
}

int main(int argc, char **argv)
{
	int count = 2000;
	bool quick = false;
	char *dirs[8] = {0};
	int ndirs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--decisions") == 0 && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (argv[i][0] != '-' && ndirs < 7)
			dirs[ndirs++] = argv[i];
		else {
			fprintf(stderr, "usage: plan-bench [--decisions N] [--quick] [DARP-DIR...]\n");
			return 2;
		}
	}
	if (count < 100)
		count = 100;
	bench_bookings(count, quick);
	bench_exact(quick);
	if (ndirs == 0)
		dirs[ndirs++] = "tests/fixtures/darp";
	bench_darp(dirs, ndirs, quick);
	return 0;
}
