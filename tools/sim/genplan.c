/*
 * genplan.c — the generated county's services; see gen.h.
 *
 * Transport companies each take a district: a sector of the county around
 * the county seat. Every line follows the roads (genmap_route) and calls at
 * every town and village it passes, so its shape is the road polyline:
 *
 *   scheduled   from the far towns of each district to the county seat,
 *               every 60 or 90 minutes both ways, 06:00 to 19:00, daily;
 *   student     from towns to the nearest of a few merged boarding schools:
 *               to school before 07:40 and home at 17:00 on school days,
 *               home on Friday at 15:00 and back on Sunday at 16:00; as many
 *               coaches on each run as the line's roster needs;
 *   market-day  from a market town's farthest village into the town on the
 *               mornings of its market days (its 10-day cycle, some counted
 *               on the lunar calendar), back around noon;
 *   logistics   from the county depot out to far towns through the town
 *               stations and villages on the way, once a day each way.
 *
 * Vehicles are given out by blocks: a trip goes to a vehicle already waiting
 * at its first stop (10 minutes' turnaround), else to a new one. Vans on
 * booking duty get a shift each, from a town's station; reserve vehicles
 * bring the fleet up to its size.
 */
#include "gen.h"
#include "lunar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TURNAROUND_S 600
#define SCHOOL_BELL_S (7 * 3600 + 40 * 60)
#define COACH_SEATS 40

static const struct {
	const char *name;
	double speed_kmh;
	int dwell_s;
} kinds[GEN_KINDS] = {
	[GEN_KIND_SCHEDULED] = { "scheduled", 30, 30 },
	[GEN_KIND_STUDENT] = { "student", 32, 45 },
	[GEN_KIND_MARKET] = { "market_day", 28, 40 },
	[GEN_KIND_LOGISTICS] = { "logistics", 35, 120 },
};

static int scaled(double n, double scale, int min)
{
	int v = (int)lround(n * scale);
	return v < min ? min : v;
}

/* The name without its last character (镇, 村): 3 bytes of UTF-8. */
static void stem(const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	snprintf(out, len, "%.*s", (int)(n >= 3 ? n - 3 : n), name);
}

static double road_to(const struct gen_county *c, int a, int b)
{
	int *p;
	size_t n;
	double d = genmap_route(c, a, b, &p, &n);
	free(p);
	return d;
}

/* ---- stops, operators, schools ---- */

static int add_stop(struct gen_county *c, int node, const char *code, const char *name, const char *kind,
		    int village)
{
	struct gen_stop *s = gen_push(c, stops);
	snprintf(s->code, sizeof s->code, "%s", code);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->kind = kind;
	s->node = node;
	s->village = village;
	c->nodes[node].stop = (int)c->n_stops - 1;
	return (int)c->n_stops - 1;
}

static void make_schools(struct gen_county *c)
{
	int k = scaled(GEN_SCHOOLS, c->p.scale, 1);
	for (int s = 0; s < k && s < (int)c->n_towns; s++) {
		int town = 0;
		if (s > 0) { /* the town farthest from every school so far */
			double best = -1;
			for (size_t t = 0; t < c->n_towns; t++) {
				double near = INFINITY;
				for (size_t o = 0; o < c->n_schools; o++) {
					const struct gen_node *a = &c->nodes[c->towns[t].node];
					const struct gen_node *b = &c->nodes[c->towns[c->schools[o].town].node];
					near = fmin(near, hypot(a->x - b->x, a->y - b->y));
				}
				if (near > best)
					best = near, town = (int)t;
			}
		}
		struct gen_school *sc = gen_push(c, schools);
		snprintf(sc->code, sizeof sc->code, "SCH%d", s + 1);
		char st[32];
		stem(c->towns[town].name, st, sizeof st);
		snprintf(sc->name, sizeof sc->name, "%s寄宿制学校", st);
		sc->town = town;
		c->towns[town].school = s;
		sc->node = genmap_school_node(c, town, s);
	}
}

static void make_stops(struct gen_county *c)
{
	char code[24], name[64];
	for (size_t t = 0; t < c->n_towns; t++) {
		snprintf(code, sizeof code, "S-%s", c->towns[t].code);
		snprintf(name, sizeof name, "%s客运站", c->towns[t].name);
		add_stop(c, c->towns[t].node, code, name, "town_centre", -1);
	}
	for (size_t v = 0; v < c->n_villages; v++) {
		snprintf(code, sizeof code, "S-%s", c->villages[v].code);
		snprintf(name, sizeof name, "%s口", c->villages[v].name);
		add_stop(c, c->villages[v].node, code, name, "village", (int)v);
	}
	for (size_t s = 0; s < c->n_schools; s++) {
		snprintf(code, sizeof code, "S-%s", c->schools[s].code);
		add_stop(c, c->schools[s].node, code, c->schools[s].name, "school", -1);
	}
	add_stop(c, c->depot, "S-DEPOT", "县物流配送中心", "depot", -1);
}

struct by_angle {
	double a;
	int town;
};

static int cmp_angle(const void *x, const void *y)
{
	const struct by_angle *p = x, *q = y;
	return p->a < q->a ? -1 : p->a > q->a ? 1 : p->town - q->town;
}

static void make_operators(struct gen_county *c)
{
	static const char *const dirs[8] = { "东", "东北", "北", "西北", "西", "西南", "南", "东南" };
	int nt = (int)c->n_towns - 1, nops = scaled(GEN_OPERATORS, c->p.scale, 2);
	nops = nops > nt ? nt : nops;
	const struct gen_node *seat = &c->nodes[c->towns[0].node];
	struct by_angle *order = calloc((size_t)nt, sizeof *order);
	if (!order)
		abort();
	double turn = rng_range(&c->rng, 0, 2 * M_PI);
	for (int i = 0; i < nt; i++) {
		const struct gen_node *n = &c->nodes[c->towns[i + 1].node];
		order[i].a = fmod(atan2(n->y - seat->y, n->x - seat->x) + 4 * M_PI - turn, 2 * M_PI);
		order[i].town = i + 1;
	}
	qsort(order, (size_t)nt, sizeof *order, cmp_angle);
	for (int o = 0; o < nops; o++) {
		int lo = o * nt / nops, hi = (o + 1) * nt / nops, big = order[lo].town;
		double sx = 0, sy = 0;
		for (int i = lo; i < hi; i++) {
			int t = order[i].town;
			c->towns[t].op = o;
			sx += cos(order[i].a + turn), sy += sin(order[i].a + turn);
			if (c->towns[t].nvillages > c->towns[big].nvillages)
				big = t;
		}
		struct gen_operator *op = gen_push(c, ops);
		snprintf(op->code, sizeof op->code, "OP%d", o + 1);
		char st[32];
		stem(c->towns[big].name, st, sizeof st);
		snprintf(op->name, sizeof op->name, "%s客运有限公司", st);
		int dir = (int)lround(fmod(atan2(sy, sx) + 2 * M_PI, 2 * M_PI) / (M_PI / 4)) % 8;
		snprintf(op->district, sizeof op->district, "%s片区", dirs[dir]);
		for (int k = 2; k < 9; k++) { /* two districts on one side: number them */
			bool dup = false;
			for (int p = 0; p < o; p++)
				dup |= strcmp(c->ops[p].district, op->district) == 0;
			if (!dup)
				break;
			snprintf(op->district, sizeof op->district, "%s%s片区", dirs[dir],
				 (const char *const[]){ "", "", "二", "三", "四", "五", "六", "七", "八" }[k]);
		}
	}
	c->towns[0].op = 0; /* the county seat: the first company's */
	free(order);
}

static void market_cycles(struct gen_county *c)
{
	static const uint16_t cycles[3] = { 1u << 1 | 1u << 4 | 1u << 7, 1u << 2 | 1u << 5 | 1u << 8,
					    1u << 3 | 1u << 6 | 1u << 9 };
	for (size_t t = 0; t < c->n_towns; t++) {
		c->towns[t].digits = cycles[rng_next(&c->rng) % 3];
		c->towns[t].lunar = rng_uniform(&c->rng) < 0.3;
	}
}

/* ---- lines and trips ---- */

static int add_line(struct gen_county *c, enum gen_kind kind, int op, int from, int to, const char *code,
		    const char *name)
{
	struct gen_line *l = gen_push(c, lines);
	snprintf(l->code, sizeof l->code, "%s", code);
	snprintf(l->name, sizeof l->name, "%s", name);
	l->kind = kind;
	l->op = op;
	l->school = -1;
	l->dwell_s = kinds[kind].dwell_s;
	genmap_route(c, from, to, &l->path, &l->npath);
	l->at_m = malloc(l->npath * sizeof *l->at_m);
	l->run_s = malloc(l->npath * sizeof *l->run_s);
	if (!l->at_m || !l->run_s)
		abort();
	double speed = kinds[kind].speed_kmh / 3.6;
	for (size_t i = 0; i < l->npath; i++) {
		l->at_m[i] = i ? l->at_m[i - 1] + c->edges[genmap_edge(c, l->path[i - 1], l->path[i])].len : 0;
		l->run_s[i] = (int)lround(l->at_m[i] / speed) + l->dwell_s * (int)(i ? i - 1 : 0);
		c->stops[c->nodes[l->path[i]].stop].served = true;
	}
	return (int)c->n_lines - 1;
}

/* The whole running time, first departure to last arrival (the same both ways). */
static int run_time(const struct gen_line *l)
{
	return l->run_s[l->npath - 1];
}

static int add_trip(struct gen_county *c, int line, bool back, int service, int dep_s, const char *tag)
{
	struct gen_trip *t = gen_push(c, trips);
	t->line = line;
	t->back = back;
	t->service = service;
	t->dep_s = dep_s;
	t->vehicle = -1;
	snprintf(t->code, sizeof t->code, "%s-%02d%02d%c%s", c->lines[line].code, dep_s / 3600, dep_s / 60 % 60,
		 back ? 'B' : 'A', tag);
	return (int)c->n_trips - 1;
}

static int add_vehicle(struct gen_county *c, enum gen_vehicle_kind kind, int home, bool reserve)
{
	static const struct {
		const char *prefix, *what;
		int seats, cargo_l;
	} vk[3] = { { "MB", "中巴", 19, 300 }, { "CO", "校车", COACH_SEATS, 500 }, { "VN", "厢式车", 8, 1200 } };
	int n = 0;
	for (size_t i = 0; i < c->n_vehicles; i++)
		n += c->vehicles[i].kind == kind;
	struct gen_vehicle *v = gen_push(c, vehicles);
	v->kind = kind;
	snprintf(v->code, sizeof v->code, "%s%03d", vk[kind].prefix, n + 1);
	snprintf(v->name, sizeof v->name, "%s%s %s", c->towns[home].name, vk[kind].what, v->code);
	v->seats = vk[kind].seats;
	v->cargo_l = vk[kind].cargo_l;
	v->home = home;
	v->reserve = reserve;
	return (int)c->n_vehicles - 1;
}

/*
 * Vehicles for trips first .. n-1 (one line, one service): each trip in
 * order of departure goes to the vehicle that has waited longest at its
 * first stop, or to a new one.
 */
static int cmp_dep(const void *x, const void *y, void *arg);
static void give_vehicles(struct gen_county *c, size_t first, enum gen_vehicle_kind kind, int home,
			  const char *suffix)
{
	size_t n = c->n_trips - first;
	struct {
		int vehicle, at_end, free_s;
	} *pool = calloc(n + 1, sizeof *pool);
	size_t *order = calloc(n + 1, sizeof *order), np = 0;
	if (!pool || !order)
		abort();
	for (size_t i = 0; i < n; i++)
		order[i] = first + i;
	for (size_t i = 1; i < n; i++) /* insertion sort by departure: few trips, stable */
		for (size_t k = i; k > 0 && cmp_dep(&order[k - 1], &order[k], c) > 0; k--) {
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		struct gen_trip *t = &c->trips[order[i]];
		const struct gen_line *l = &c->lines[t->line];
		int start_end = t->back ? 1 : 0, best = -1;
		for (size_t k = 0; k < np; k++)
			if (pool[k].at_end == start_end && pool[k].free_s + TURNAROUND_S <= t->dep_s &&
			    (best < 0 || pool[k].free_s < pool[best].free_s))
				best = (int)k;
		if (best < 0) {
			best = (int)np++;
			pool[best].vehicle = add_vehicle(c, kind, home, false);
		}
		pool[best].at_end = 1 - start_end;
		pool[best].free_s = t->dep_s + run_time(l);
		t->vehicle = pool[best].vehicle;
		snprintf(t->block, sizeof t->block, "%s%s", c->vehicles[t->vehicle].code, suffix);
	}
	free(pool);
	free(order);
}

static int cmp_dep(const void *x, const void *y, void *arg)
{
	const struct gen_county *c = arg;
	const struct gen_trip *a = &c->trips[*(const size_t *)x], *b = &c->trips[*(const size_t *)y];
	return a->dep_s < b->dep_s ? -1 : a->dep_s > b->dep_s;
}

static void scheduled_lines(struct gen_county *c)
{
	int want = scaled(GEN_SCHEDULED, c->p.scale, 2), made = 0;
	size_t nt = c->n_towns;
	double *far = calloc(nt, sizeof *far);
	bool *taken = calloc(nt, sizeof *taken);
	if (!far || !taken)
		abort();
	for (size_t t = 1; t < nt; t++)
		far[t] = road_to(c, c->towns[t].node, c->towns[0].node);
	want = want > (int)nt - 1 ? (int)nt - 1 : want;
	for (int round = 0; made < want; round++) {
		for (size_t o = 0; o < c->n_ops && made < want; o++) {
			int pick = -1;
			for (size_t t = 1; t < nt; t++)
				if (!taken[t] && c->towns[t].op == (int)o && (pick < 0 || far[t] > far[pick]))
					pick = (int)t;
			if (pick < 0)
				continue;
			taken[pick] = true;
			char code[12], name[128];
			snprintf(code, sizeof code, "L%02d", ++made);
			snprintf(name, sizeof name, "%s—%s", c->towns[pick].name, c->towns[0].name);
			int line = add_line(c, GEN_KIND_SCHEDULED, (int)o, c->towns[pick].node, c->towns[0].node, code, name);
			c->lines[line].town = pick;
			int every = run_time(&c->lines[line]) <= 45 * 60 ? 3600 : 5400;
			size_t first = c->n_trips;
			for (int s = 6 * 3600 + (int)(rng_next(&c->rng) % 4) * 600; s <= 19 * 3600; s += every)
				add_trip(c, line, false, GEN_SVC_DAILY, s, "");
			for (int s = 6 * 3600 + 1800 + (int)(rng_next(&c->rng) % 3) * 600; s <= 19 * 3600; s += every)
				add_trip(c, line, true, GEN_SVC_DAILY, s, "");
			give_vehicles(c, first, GEN_MINIBUS, pick, "");
		}
		if (round > (int)nt)
			break;
	}
	free(far);
	free(taken);
}

static void student_lines(struct gen_county *c)
{
	size_t nt = c->n_towns, nsch = c->n_schools;
	int per_school = 5, total = scaled(GEN_PUPILS, c->p.scale, 10);
	int *school_of = calloc(nt, sizeof *school_of);
	double *d = calloc(nt, sizeof *d);
	if (!school_of || !d)
		abort();
	for (size_t t = 0; t < nt; t++) {
		d[t] = INFINITY;
		school_of[t] = -1;
		if (c->towns[t].school >= 0)
			continue;
		for (size_t s = 0; s < nsch; s++) {
			double r = road_to(c, c->towns[t].node, c->schools[s].node);
			if (r < d[t])
				d[t] = r, school_of[t] = (int)s;
		}
	}
	/* each school's nearest towns send their pupils by coach */
	size_t first_line = c->n_lines;
	int weight = 0;
	for (size_t s = 0; s < nsch; s++)
		for (int k = 0; k < per_school; k++) {
			int pick = -1;
			for (size_t t = 0; t < nt; t++)
				if (school_of[t] == (int)s && (pick < 0 || d[t] < d[pick]))
					pick = (int)t;
			if (pick < 0)
				break;
			school_of[pick] = -1;
			char code[12], name[128];
			snprintf(code, sizeof code, "X%02zu", c->n_lines - first_line + 1);
			snprintf(name, sizeof name, "%s—%s学生专线", c->towns[pick].name, c->schools[s].name);
			int line = add_line(c, GEN_KIND_STUDENT, c->towns[pick].op, c->towns[pick].node, c->schools[s].node,
					    code, name);
			c->lines[line].town = pick;
			c->lines[line].school = (int)s;
			weight += c->towns[pick].nvillages;
		}
	/* pupils shared by the villages each line's town has (largest remainders) */
	int given = 0;
	size_t nl = c->n_lines - first_line;
	for (size_t i = 0; i < nl; i++) {
		struct gen_line *l = &c->lines[first_line + i];
		l->pupils = total * c->towns[l->town].nvillages / (weight ? weight : 1);
		given += l->pupils;
	}
	for (size_t i = 0; given < total && nl > 0; i = (i + 1) % nl, given++)
		c->lines[first_line + i].pupils++;
	int pupil = 0;
	for (size_t i = 0; i < nl; i++) {
		int line = (int)(first_line + i);
		struct gen_line *l = &c->lines[line];
		l->pupil0 = pupil;
		pupil += l->pupils;
		int coaches = (l->pupils + COACH_SEATS - 1) / COACH_SEATS;
		int to_school = (SCHOOL_BELL_S - run_time(l)) / 300 * 300;
		static const struct {
			bool back;
			int service;
			int dep_s;
			const char *sfx;
		} runs[4] = { { false, GEN_SVC_SCHOOL, -1, "" },
			      { false, GEN_SVC_SCHOOL_SUN, 16 * 3600, ".SUN" },
			      { true, GEN_SVC_SCHOOL, 17 * 3600, "" },
			      { true, GEN_SVC_SCHOOL_FRI, 15 * 3600, ".FRI" } };
		int first_coach = (int)c->n_vehicles;
		for (int k = 0; k < coaches; k++)
			add_vehicle(c, GEN_COACH, l->town, false);
		for (size_t r = 0; r < 4; r++) /* to school first: that way is the line's own */
			for (int k = 0; k < coaches; k++) {
				char tag[16];
				snprintf(tag, sizeof tag, "%d", (k + 1) % 1000);
				int t = add_trip(c, line, runs[r].back, runs[r].service,
						 runs[r].dep_s < 0 ? to_school : runs[r].dep_s, tag);
				c->trips[t].vehicle = first_coach + k;
				snprintf(c->trips[t].block, sizeof c->trips[t].block, "%s%s",
					 c->vehicles[first_coach + k].code, runs[r].sfx);
			}
	}
	c->pupils = pupil;
	free(school_of);
	free(d);
}

static void market_lines(struct gen_county *c)
{
	int want = scaled(GEN_MARKET_LINES, c->p.scale, 1);
	size_t nt = c->n_towns;
	bool *taken = calloc(nt, sizeof *taken);
	if (!taken)
		abort();
	taken[0] = true;
	for (int m = 0; m < want; m++) {
		int town = -1;
		for (size_t t = 1; t < nt; t++)
			if (!taken[t] && (town < 0 || c->towns[t].nvillages > c->towns[town].nvillages))
				town = (int)t;
		if (town < 0)
			break;
		taken[town] = true;
		int from = -1;
		double best = 0;
		for (size_t v = 0; v < c->n_villages; v++) {
			if (c->villages[v].town != town)
				continue;
			double r = road_to(c, c->villages[v].node, c->towns[town].node);
			if (r <= 12000 && r > best)
				best = r, from = (int)v;
		}
		if (from < 0)
			continue;
		char code[12], name[128];
		snprintf(code, sizeof code, "M%02d", m + 1);
		snprintf(name, sizeof name, "%s—%s赶集班", c->villages[from].name, c->towns[town].name);
		int line = add_line(c, GEN_KIND_MARKET, c->towns[town].op, c->villages[from].node, c->towns[town].node,
				    code, name);
		c->lines[line].town = town;
		size_t first = c->n_trips;
		for (int h = 0; h < 3; h++)
			add_trip(c, line, false, GEN_SVC_MARKET + town, 6 * 3600 + 1800 + h * 3600, "");
		for (int h = 0; h < 3; h++)
			add_trip(c, line, true, GEN_SVC_MARKET + town, 11 * 3600 + 1800 + h * 3600, "");
		give_vehicles(c, first, GEN_MINIBUS, town, ".MKT");
	}
	free(taken);
}

static void logistics_lines(struct gen_county *c)
{
	int want = scaled(GEN_LOGISTICS, c->p.scale, 1);
	size_t nt = c->n_towns;
	double *far = calloc(nt, sizeof *far);
	int *picked = calloc((size_t)want + 1, sizeof *picked), np = 0;
	if (!far || !picked)
		abort();
	for (size_t t = 1; t < nt; t++)
		far[t] = road_to(c, c->depot, c->towns[t].node);
	const struct gen_node *seat = &c->nodes[c->towns[0].node];
	for (double spread = M_PI / 4; np < want && spread > 0.01; spread /= 2)
		for (size_t t = 1; t < nt && np < want; t++) {
			int best = -1;
			for (size_t u = 1; u < nt; u++) {
				bool ok = far[u] > 0;
				const struct gen_node *a = &c->nodes[c->towns[u].node];
				for (int k = 0; k < np && ok; k++) {
					const struct gen_node *b = &c->nodes[c->towns[picked[k]].node];
					double da = fabs(remainder(atan2(a->y - seat->y, a->x - seat->x) -
									   atan2(b->y - seat->y, b->x - seat->x),
								   2 * M_PI));
					ok = (int)u != picked[k] && da >= spread;
				}
				if (ok && (best < 0 || far[u] > far[best]))
					best = (int)u;
			}
			if (best < 0)
				break;
			picked[np++] = best;
		}
	for (int k = 0; k < np; k++) {
		int town = picked[k];
		char code[12], name[128];
		snprintf(code, sizeof code, "W%02d", k + 1);
		snprintf(name, sizeof name, "县物流配送中心—%s物流班", c->towns[town].name);
		int line = add_line(c, GEN_KIND_LOGISTICS, c->towns[town].op, c->depot, c->towns[town].node, code, name);
		c->lines[line].town = town;
		size_t first = c->n_trips;
		add_trip(c, line, false, GEN_SVC_DAILY, 5 * 3600 + 1800, "");
		int back = 5 * 3600 + 1800 + run_time(&c->lines[line]) + 3600;
		add_trip(c, line, true, GEN_SVC_DAILY, back < 13 * 3600 + 1800 ? 13 * 3600 + 1800 : (back + 599) / 600 * 600, "");
		give_vehicles(c, first, GEN_VAN, 0, "");
	}
	free(far);
	free(picked);
}

static void shifts_and_reserve(struct gen_county *c)
{
	int vans = scaled(GEN_DRT_VANS, c->p.scale, 2);
	size_t nt = c->n_towns;
	for (int k = 0; k < vans; k++) {
		int town = (int)((size_t)k % nt);
		int v = add_vehicle(c, GEN_VAN, town, false);
		struct gen_shift *s = gen_push(c, shifts);
		snprintf(s->code, sizeof s->code, "DRT%02d", k + 1);
		s->vehicle = v;
		s->stop = c->nodes[c->towns[town].node].stop;
		/* two shifts a day at the busiest towns, one elsewhere */
		s->start_s = k < (int)nt ? 7 * 3600 : 12 * 3600;
		s->end_s = k < (int)nt ? 19 * 3600 : 20 * 3600;
		if ((size_t)k >= nt && (size_t)k < 2 * nt) {
			s->start_s = 6 * 3600;
			s->end_s = 14 * 3600;
		}
	}
	int total = scaled(GEN_VEHICLES, c->p.scale, 3);
	static const enum gen_vehicle_kind mix[5] = { GEN_MINIBUS, GEN_VAN, GEN_MINIBUS, GEN_COACH, GEN_VAN };
	for (int k = 0; (int)c->n_vehicles < total; k++)
		add_vehicle(c, mix[k % 5], (int)((size_t)k % nt), true);
}

/* ---- calendars ---- */

int genplan_services(const struct gen_county *c)
{
	return GEN_SVC_MARKET + (int)c->n_towns;
}

void genplan_service_id(const struct gen_county *c, int service, char *buf, size_t len)
{
	static const char *const fixed[] = { "DAILY", "SCHOOL", "SCHOOL-FRI", "SCHOOL-SUN" };
	if (service < GEN_SVC_MARKET)
		snprintf(buf, len, "%s", fixed[service]);
	else
		snprintf(buf, len, "MKT-%s", c->towns[service - GEN_SVC_MARKET].code);
}

/* School holidays: winter, May Day, summer, National Day. */
static bool holiday(jt_day d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int md = m * 100 + dd;
	return (md >= 120 && md <= 225) || (md >= 501 && md <= 505) || (md >= 705 && md <= 831) ||
	       (md >= 1001 && md <= 1007);
}

bool genplan_runs(const struct gen_county *c, int service, jt_day d)
{
	if (d < c->p.from || d >= c->p.from + c->p.days)
		return false;
	int wd = date_weekday(d);
	switch (service) {
	case GEN_SVC_DAILY:
		return true;
	case GEN_SVC_SCHOOL:
		return wd <= 5 && !holiday(d);
	case GEN_SVC_SCHOOL_FRI:
		return wd == 5 && !holiday(d);
	case GEN_SVC_SCHOOL_SUN:
		return wd == 7 && !holiday(d) && !holiday(d + 1);
	default: {
		const struct gen_town *t = &c->towns[service - GEN_SVC_MARKET];
		int day;
		if (t->lunar) {
			struct lunar_date l;
			if (lunar_from_solar(d, &l) != 0)
				return false;
			day = l.day;
		} else {
			int y, m;
			date_to_ymd(d, &y, &m, &day);
		}
		return (t->digits >> (day % 10)) & 1;
	}
	}
}

void genplan_times(const struct gen_county *c, int line, bool back, size_t j, int *arr_s, int *dep_s)
{
	const struct gen_line *l = &c->lines[line];
	size_t n = l->npath;
	if (!back) {
		*arr_s = l->run_s[j];
	} else {
		double speed = kinds[l->kind].speed_kmh / 3.6;
		*arr_s = (int)lround((l->at_m[n - 1] - l->at_m[n - 1 - j]) / speed) + l->dwell_s * (int)(j ? j - 1 : 0);
	}
	*dep_s = *arr_s + (j > 0 && j + 1 < n ? l->dwell_s : 0);
}

const char *genplan_kind_name(enum gen_kind k)
{
	return kinds[k].name;
}

void genplan_pupil_id(int pupil, char *buf, size_t len)
{
	snprintf(buf, len, "STU-%05d", pupil + 1);
}

void genplan_build(struct gen_county *c)
{
	make_schools(c);
	make_stops(c);
	make_operators(c);
	market_cycles(c);
	scheduled_lines(c);
	student_lines(c);
	market_lines(c);
	logistics_lines(c);
	shifts_and_reserve(c);
}
