/*
 * solve.c — jintong-solve: the plan core on a static dial-a-ride instance
 * file (Cordeau's format, see daemon/darp.h), as the daemon would run it on
 * a county's bookings, so the same insertion and improvement code can be
 * measured against published optima.
 *
 *   jintong-solve FILE                 insert every request, then improve
 *   jintong-solve --online FILE        requests one by one in time order, insertion only
 *   jintong-solve --generate K N SEED  print a random instance
 *
 * The result is JSON on stdout: each vehicle's nodes with their start of
 * service, the total cost, and a `feasible` flag set only after every
 * constraint of the instance (each request served once, capacity, windows,
 * ride times, route duration) has been checked again on the final routes,
 * node by node, from the instance's own numbers. Progress goes to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "darp.h"
#include "plan.h"
#include "util.h"

#define SOLVE_FILE_MAX (64u << 20)

static const char usage_text[] =
	"usage: jintong-solve [options] FILE\n"
	"       jintong-solve --generate K N SEED\n"
	"\n"
	"Solves a dial-a-ride instance in Cordeau's format with Jintong's plan core\n"
	"and prints the routes as JSON.\n"
	"\n"
	"Options:\n"
	"  --online           requests one at a time in order of their pickup time,\n"
	"                     cheapest insertion only, nothing moved afterwards\n"
	"  --budget-ms MS     improvement time budget (default 2000)\n"
	"  --iterations N     improvement moves instead of a time budget\n"
	"  --temperature T    accept worse plans early in the search (default: 1% of\n"
	"                     the mean cost per request; 0: only improvements)\n"
	"  --seed N           seed of the improvement's random choices (default 1)\n"
	"  --quiet            no progress on stderr\n"
	"  --generate K N SEED  print a random instance with K vehicles, N requests\n"
	"  --help             this text\n"
	"\n"
	"Exit status: 0 feasible plan serving every request, 1 otherwise, 2 bad input.\n";

struct options {
	bool online, quiet;
	long budget_ms;
	long iterations;
	double temperature;
	uint64_t seed;
};

static double mono_s(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 0, n = 0;
	char *buf = NULL;
	for (;;) {
		buf = xgrow(buf, &cap, n + 65536, 1);
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n > SOLVE_FILE_MAX) {
			fprintf(stderr, "%s: larger than %u bytes\n", path, SOLVE_FILE_MAX);
			fclose(fp);
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
	}
	bool err = ferror(fp);
	fclose(fp);
	if (err) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* ---- the independent check of the final routes -------------------------- */

struct verdict {
	bool served, capacity, windows, ride_time, duration, plans;
	char first[256];
};

static void note(struct verdict *vd, bool *flag, const char *fmt, ...) JT_PRINTF(3, 4);

static void note(struct verdict *vd, bool *flag, const char *fmt, ...)
{
	if (*flag && !vd->first[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(vd->first, sizeof vd->first, fmt, ap);
		va_end(ap);
	}
	*flag = false;
}

static int node_of(const struct darp_instance *in, const struct plan_stop *s)
{
	return s->kind == PLAN_PICKUP ? darp_pickup(in, s->request) : darp_dropoff(in, s->request);
}

static double dist(const struct darp_node *a, const struct darp_node *b)
{
	return hypot(a->x - b->x, a->y - b->y);
}

/* Recomputes every constraint of the instance from the routes' node order
 * and start-of-service times, with the instance's numbers only. */
static void verify(const struct darp_instance *in, struct plan_vehicle *v, struct verdict *vd)
{
	const double tol = 1e-6;
	*vd = (struct verdict){true, true, true, true, true, true, ""};
	int n = in->requests;
	int *seen = xcalloc(2 * (size_t)n + 2, sizeof *seen);
	double *at = xcalloc(2 * (size_t)n + 2, sizeof *at);
	struct plan_travel t;
	plan_travel_euclid(&t);
	for (int k = 0; k < in->vehicles; k++) {
		char msg[256];
		if (plan_check(&v[k], &t, msg, sizeof msg) != 0)
			note(vd, &vd->plans, "%s", msg);
		const struct darp_node *prev = &in->node[0];
		double leave = v[k].depart, load = 0;
		if (leave + tol < prev->earliest || leave > prev->latest + tol)
			note(vd, &vd->windows, "vehicle %d leaves the depot at %g", k, leave);
		for (int s = 0; s < v[k].n; s++) {
			int id = node_of(in, &v[k].stops[s]);
			const struct darp_node *d = &in->node[id];
			double b = v[k].stops[s].begin;
			seen[id]++;
			at[id] = b;
			if (!(b + tol >= leave + dist(prev, d)))
				note(vd, &vd->windows, "node %d starts at %g before it can be reached", id, b);
			if (!(b + tol >= d->earliest && b <= d->latest + tol))
				note(vd, &vd->windows, "node %d starts at %g outside [%g, %g]", id, b,
				     d->earliest, d->latest);
			load += d->load;
			if (load > in->capacity)
				note(vd, &vd->capacity, "vehicle %d carries %g at node %d", k, load, id);
			if (id > n && seen[id - n] == 0)
				note(vd, &vd->served, "node %d before its pickup", id);
			if (id > n && at[id] - (at[id - n] + in->node[id - n].service) > in->max_ride + tol)
				note(vd, &vd->ride_time, "request %d rides %g", id - n,
				     at[id] - (at[id - n] + in->node[id - n].service));
			leave = b + d->service;
			prev = d;
		}
		const struct darp_node *end = &in->node[2 * n + 1];
		double back = leave + dist(prev, end);
		if (!(fabs(back - v[k].arrive) <= tol) && v[k].n > 0)
			note(vd, &vd->duration, "vehicle %d back at %g, reported %g", k, back, v[k].arrive);
		if (back > end->latest + tol)
			note(vd, &vd->windows, "vehicle %d back at the depot at %g", k, back);
		if (back - v[k].depart > in->max_duration + tol)
			note(vd, &vd->duration, "vehicle %d route lasts %g", k, back - v[k].depart);
	}
	for (int id = 1; id <= 2 * n; id++)
		if (seen[id] != 1)
			note(vd, &vd->served, "node %d visited %d times", id, seen[id]);
	free(seen);
	free(at);
}

/* ---- output ------------------------------------------------------------- */

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const char *path, const struct options *o, const struct darp_instance *in,
		       struct plan_vehicle *v, const struct plan_request *pending, size_t npending,
		       const struct verdict *vd, bool feasible, double construction,
		       const struct plan_improve_stats *st, double seconds)
{
	struct plan_vehicle **vp = xcalloc((size_t)in->vehicles, sizeof *vp);
	for (int k = 0; k < in->vehicles; k++)
		vp[k] = &v[k];
	double cost = plan_total_cost(vp, (size_t)in->vehicles);
	free(vp);
	const char *base = strrchr(path, '/');
	printf("{\n  \"instance\": ");
	json_string(base ? base + 1 : path);
	printf(",\n  \"mode\": \"%s\",\n  \"vehicles\": %d,\n  \"requests\": %d,\n",
	       o->online ? "online" : "offline", in->vehicles, in->requests);
	printf("  \"cost\": %.10g,\n  \"feasible\": %s,\n", cost, feasible ? "true" : "false");
	printf("  \"checks\": {\"served\": %s, \"capacity\": %s, \"windows\": %s, "
	       "\"ride_time\": %s, \"duration\": %s, \"plans\": %s},\n",
	       vd->served ? "true" : "false", vd->capacity ? "true" : "false",
	       vd->windows ? "true" : "false", vd->ride_time ? "true" : "false",
	       vd->duration ? "true" : "false", vd->plans ? "true" : "false");
	if (vd->first[0]) {
		printf("  \"first_violation\": ");
		json_string(vd->first);
		printf(",\n");
	}
	printf("  \"unserved\": [");
	for (size_t k = 0; k < npending; k++)
		printf("%s%d", k ? ", " : "", pending[k].id);
	printf("],\n  \"routes\": [\n");
	for (int k = 0; k < in->vehicles; k++) {
		const struct plan_vehicle *r = &v[k];
		printf("    {\"vehicle\": %d, \"cost\": %.10g, \"nodes\": [{\"node\": 0, \"time\": %.12g}",
		       k, r->cost, r->depart);
		for (int s = 0; s < r->n; s++)
			printf(", {\"node\": %d, \"time\": %.12g}", node_of(in, &r->stops[s]),
			       r->stops[s].begin);
		printf(", {\"node\": %d, \"time\": %.12g}]}%s\n", 2 * in->requests + 1, r->arrive,
		       k + 1 < in->vehicles ? "," : "");
	}
	printf("  ],\n  \"search\": {\"construction_cost\": %.10g, \"iterations\": %ld, "
	       "\"accepted\": %ld, \"seed\": %llu, \"seconds\": %.3f}\n}\n",
	       construction, st->iterations, st->accepted, (unsigned long long)o->seed, seconds);
}

/* ---- solving ------------------------------------------------------------ */

struct order {
	double key;
	int id;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->id > y->id) - (x->id < y->id);
}

/* The earliest the pickup of r can really start: its own window, or its
 * drop-off window less the longest ride. */
static double pickup_time(const struct plan_request *r)
{
	return fmax(r->pick_earliest, r->drop_earliest - r->max_ride - r->pick_service);
}

static void progress(void *ctx, long it, double cost, double best, size_t unserved)
{
	(void)ctx;
	fprintf(stderr, "jintong-solve: %ld moves, cost %.2f, best %.2f, %zu unserved\n", it, cost,
		best, unserved);
}

static int solve(const char *path, const struct options *o)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return 2;
	struct darp_instance in;
	unsigned long line;
	char err[256];
	if (darp_parse(text, len, &in, &line, err, sizeof err) != 0) {
		fprintf(stderr, "%s:%lu: %s\n", path, line, err);
		free(text);
		return 2;
	}
	free(text);
	double t0 = mono_s(NULL);
	struct plan_settings s;
	plan_settings_default(&s);
	struct plan_travel t;
	plan_travel_euclid(&t);
	int n = in.requests, K = in.vehicles;
	struct plan_vehicle *v = xcalloc((size_t)K, sizeof *v);
	struct plan_vehicle **vp = xcalloc((size_t)K, sizeof *vp);
	for (int k = 0; k < K; k++) {
		darp_vehicle(&in, k, &v[k]);
		plan_refresh(&v[k], &t);
		vp[k] = &v[k];
	}
	struct order *ord = xcalloc((size_t)n, sizeof *ord);
	for (int i = 1; i <= n; i++) {
		struct plan_request r;
		darp_request(&in, i, &r);
		ord[i - 1] = (struct order){pickup_time(&r), i};
	}
	qsort(ord, (size_t)n, sizeof *ord, cmp_order);
	struct plan_request *pending = xcalloc((size_t)n + 1, sizeof *pending);
	size_t npending = 0;
	for (int k = 0; k < n; k++) {
		struct plan_request r;
		darp_request(&in, ord[k].id, &r);
		struct plan_insertion ins;
		if (plan_insert_cheapest(&s, &t, vp, (size_t)K, &r, &ins) != 0)
			pending[npending++] = r;
	}
	free(ord);
	double construction = plan_total_cost(vp, (size_t)K);
	struct plan_improve_stats st = {.cost_before = construction, .cost_after = construction};
	if (!o->online) {
		double temp = o->temperature;
		if (isnan(temp))
			temp = 0.01 * construction / n;
		struct plan_improve_opts io = {
			.iterations = o->iterations,
			.seed = o->seed,
			.temperature = temp,
			.pending = pending,
			.npending = &npending,
			.unserved_penalty = 1e4 * (1 + construction),
			.progress = o->quiet ? NULL : progress,
			.progress_every = 20000,
		};
		if (o->iterations <= 0) {
			io.clock = mono_s;
			io.deadline = mono_s(NULL) + (double)o->budget_ms / 1000.0;
		}
		plan_improve(&s, &t, vp, (size_t)K, &io, &st);
	}
	double seconds = mono_s(NULL) - t0;
	struct verdict vd;
	verify(&in, v, &vd);
	bool feasible = vd.served && vd.capacity && vd.windows && vd.ride_time && vd.duration &&
			vd.plans && npending == 0;
	print_json(path, o, &in, v, pending, npending, &vd, feasible, construction, &st, seconds);
	if (!o->quiet)
		fprintf(stderr, "jintong-solve: %s: cost %.2f after %.2f construction, %zu unserved, %s, %.2f s\n",
			path, plan_total_cost(vp, (size_t)K), construction, npending,
			feasible ? "feasible" : "NOT feasible", seconds);
	for (int k = 0; k < K; k++)
		plan_vehicle_free(&v[k]);
	free(v);
	free(vp);
	free(pending);
	darp_free(&in);
	return feasible ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"online", no_argument, NULL, 'o'},
		{"budget-ms", required_argument, NULL, 'b'},
		{"iterations", required_argument, NULL, 'i'},
		{"temperature", required_argument, NULL, 't'},
		{"seed", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"generate", no_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct options o = {.budget_ms = 2000, .temperature = NAN, .seed = 1};
	bool generate = false;
	long val;
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.online = true;
			break;
		case 'b':
			if (!parse_long(optarg, 0, 86400000L, &o.budget_ms)) {
				fprintf(stderr, "jintong-solve: --budget-ms takes 0..86400000\n");
				return 2;
			}
			break;
		case 'i':
			if (!parse_long(optarg, 1, 1000000000L, &o.iterations)) {
				fprintf(stderr, "jintong-solve: --iterations takes 1..1000000000\n");
				return 2;
			}
			break;
		case 't': {
			char *end;
			o.temperature = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(o.temperature) || o.temperature < 0) {
				fprintf(stderr, "jintong-solve: --temperature takes a number >= 0\n");
				return 2;
			}
			break;
		}
		case 's':
			if (!parse_long(optarg, 0, 0x7fffffffL, &val)) {
				fprintf(stderr, "jintong-solve: --seed takes 0..2147483647\n");
				return 2;
			}
			o.seed = (uint64_t)val;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'g':
			generate = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (generate) {
		long k, n, seed;
		if (argc - optind != 3 || !parse_long(argv[optind], 1, DARP_VEHICLES_MAX, &k) ||
		    !parse_long(argv[optind + 1], 1, 10000, &n) ||
		    !parse_long(argv[optind + 2], 0, 0x7fffffffL, &seed)) {
			fprintf(stderr, "jintong-solve: --generate K N SEED: K 1..%d, N 1..10000\n",
				DARP_VEHICLES_MAX);
			return 2;
		}
		char *text = darp_generate((int)k, (int)n, (uint64_t)seed);
		fputs(text, stdout);
		free(text);
		return 0;
	}
	if (argc - optind != 1) {
		fputs(usage_text, stderr);
		return 2;
	}
	return solve(argv[optind], &o);
}
