/*
 * demandgen.c — the villagers' ride requests of a simulated day; see
 * demandgen.h.
 *
 * Volumes. DOMAIN.md gives a county of 462 villages "a few thousand rides a
 * day", demand on a market morning "several times a normal day" flowing
 * into one town and out around noon, and most bookings made the evening
 * before. Nothing finer is reported, so the rates below are assumptions,
 * chosen to land in that range: per village and day (weekday / weekend),
 *
 *   town errands        0.9 / 0.7    out 08:00-15:00, 80% come back 1.5-4 h later
 *   market (own town)   4.0          out 06:30-09:30 peaking 07:45, 85% back 11:00-13:30
 *   clinic              0.35 / 0.15  arrive by 08:00-10:30, 90% back 1.5-3 h after
 *   county hospital     0.15 / 0.05  arrive by 08:30-10:00, 90% back 13:00-16:30
 *   county seat errands 0.25 / 0.35  out 07:30-10:30, 85% back 13:00-17:30
 *   parcels             0.5 / 0.25   08:00-16:00, 10-120 litres
 *
 * a market day's village thus asks about three times as often as on a
 * normal day. In school holidays town and county-seat errands are 30% more
 * (pupils at home). Boarders: a student line's pupils are spread evenly
 * over its town's villages; those of villages the coach does not pass need
 * the last stretch home from the township centre on Friday after the coach
 * and back on Sunday before it; 60% of them book (the others are fetched),
 * one or two siblings a booking. Each request carries one passenger (68%),
 * two (24%) or three (8%); 1.5% of passengers' requests need a wheelchair
 * place. At scale 1 (seed 1) a weekday with 14 of the 33 towns at market
 * comes to about 3,100 requests and 4,000 passengers, of which some 1,500
 * market trips; a Friday in term to about 3,800 (the boarders going home);
 * a Sunday to about 2,600.
 *
 * Asked: day-ahead (the evening before, 18:00-21:30) for 40% of errands,
 * 50% of market trips and parcels, 70% of clinic and hospital visits, 80%
 * of pupils; otherwise on the day, 15 to 90 minutes ahead, and a quarter of
 * those "now" (within 5 minutes). A return trip is asked with its outbound
 * one when that was day-ahead, else about when the rider is done.
 *
 * Places: the trip starts at the village committee (50%), the village's
 * stop when a line serves it (30%), or a point 100-800 m from the committee
 * (20%); towns, the county seat and schools are reached at their stops.
 */
#include "demandgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROAD_WINDING 1.3      /* road metres over straight metres, off the network */
#define PLAN_SPEED_MPS (30 / 3.6)
#define EVENING_FROM_S (-6 * 3600)
#define EVENING_TO_S (-(2 * 3600 + 1800))

static const char *const purpose_names[DEMANDGEN_PURPOSES] = {
	[DEMANDGEN_TOWN] = "town",         [DEMANDGEN_MARKET] = "market", [DEMANDGEN_CLINIC] = "clinic",
	[DEMANDGEN_HOSPITAL] = "hospital", [DEMANDGEN_SEAT] = "seat",     [DEMANDGEN_PUPIL] = "pupil",
	[DEMANDGEN_PARCEL] = "parcel",
};

const char *demandgen_purpose_name(enum demandgen_purpose p)
{
	return (unsigned)p < DEMANDGEN_PURPOSES ? purpose_names[p] : "?";
}

bool demandgen_market(const struct gen_county *c, int town, jt_day d)
{
	return town >= 0 && (size_t)town < c->n_towns && genplan_runs(c, GEN_SVC_MARKET + town, d);
}

bool demandgen_school_term(const struct gen_county *c, jt_day d)
{
	int wd = date_weekday(d);
	if (wd <= 5)
		return genplan_runs(c, GEN_SVC_SCHOOL, d);
	if (wd == 6)
		return genplan_runs(c, GEN_SVC_SCHOOL_FRI, d - 1);
	return genplan_runs(c, GEN_SVC_SCHOOL_SUN, d);
}

const char *demandgen_place_code(const struct gen_county *c, const struct demandgen_place *p)
{
	if (p->kind == DEMANDGEN_AT_VILLAGE && p->ref >= 0 && (size_t)p->ref < c->n_villages)
		return c->villages[p->ref].code;
	if (p->kind == DEMANDGEN_AT_STOP && p->ref >= 0 && (size_t)p->ref < c->n_stops)
		return c->stops[p->ref].code;
	return "";
}

/* ---- draws ---- */

static int poisson(struct rng *r, double lambda)
{
	if (lambda <= 0)
		return 0;
	double l = exp(-lambda), p = 1.0;
	int k = 0;
	do {
		k++;
		p *= rng_uniform(r);
	} while (p > l && k < 1000);
	return k - 1;
}

static bool chance(struct rng *r, double p)
{
	return rng_uniform(r) < p;
}

static int uniform_s(struct rng *r, int lo, int hi)
{
	return lo + (int)floor(rng_uniform(r) * (double)(hi - lo + 1));
}

/* A peaked time in [lo, hi]: two uniforms averaged, shifted so the mode is `peak`. */
static int peaked_s(struct rng *r, int lo, int peak, int hi)
{
	double u = (rng_uniform(r) + rng_uniform(r)) / 2; /* triangular on [0,1], mode 0.5 */
	double t = u < 0.5 ? lo + (peak - lo) * 2 * u : peak + (hi - peak) * 2 * (u - 0.5);
	return (int)lround(t);
}

static int passengers(struct rng *r)
{
	double u = rng_uniform(r);
	return u < 0.68 ? 1 : u < 0.92 ? 2 : 3;
}

/* ---- places ---- */

static struct demandgen_place at_node(const struct gen_county *c, int node)
{
	struct demandgen_place p = { .kind = DEMANDGEN_AT_POINT, .ref = -1, .node = node };
	genmap_latlon(c->nodes[node].x, c->nodes[node].y, &p.lat, &p.lon);
	return p;
}

static struct demandgen_place stop_of_node(const struct gen_county *c, int node)
{
	struct demandgen_place p = at_node(c, node);
	if (c->nodes[node].stop >= 0) {
		p.kind = DEMANDGEN_AT_STOP;
		p.ref = c->nodes[node].stop;
	}
	return p;
}

/* Where a villager of village v sets out from (or comes home to). */
static struct demandgen_place home_place(const struct gen_county *c, struct rng *r, int v)
{
	int node = c->villages[v].node;
	double u = rng_uniform(r);
	/* a village stop no line serves is not in the timetable: the committee instead */
	bool stop = c->nodes[node].stop >= 0 && c->stops[c->nodes[node].stop].served;
	if (u < 0.5 || (u < 0.8 && !stop)) {
		struct demandgen_place p = at_node(c, node);
		p.kind = DEMANDGEN_AT_VILLAGE;
		p.ref = v;
		return p;
	}
	if (u < 0.8)
		return stop_of_node(c, node);
	double d = rng_range(r, 100, 800), a = rng_range(r, 0, 2 * M_PI);
	struct demandgen_place p = at_node(c, node);
	genmap_latlon(c->nodes[node].x + d * sin(a), c->nodes[node].y + d * cos(a), &p.lat, &p.lon);
	p.access_m = d * ROAD_WINDING;
	return p;
}

/* ---- requests ---- */

struct maker {
	const struct gen_county *c;
	struct demandgen_list *out;
	struct rng r;
	int serial;
};

static double drive_s(const struct demandgen_place *a, const struct demandgen_place *b)
{
	double dx = (a->lon - b->lon) * 111320.0 * cos(a->lat * M_PI / 180.0), dy = (a->lat - b->lat) * 111320.0;
	return hypot(dx, dy) * 1.35 / PLAN_SPEED_MPS;
}

/* When a request for `time_s` is asked. */
static void asked(struct maker *m, struct demandgen_request *q, double day_ahead_share)
{
	q->day_ahead = chance(&m->r, day_ahead_share);
	if (q->day_ahead) {
		q->made_s = uniform_s(&m->r, EVENING_FROM_S, EVENING_TO_S);
		return;
	}
	int lead = q->arrive_by ? (int)drive_s(&q->from, &q->to) : 0;
	q->now = !q->arrive_by && chance(&m->r, 0.25);
	q->made_s = q->time_s - lead - (q->now ? uniform_s(&m->r, 0, 300) : uniform_s(&m->r, 900, 5400));
}

static struct demandgen_request *add(struct maker *m, enum demandgen_purpose p, int village,
				     struct demandgen_place from, struct demandgen_place to, int time_s,
				     bool arrive_by)
{
	struct demandgen_request *q =
		gen_grow((void **)&m->out->r, &m->out->n, &m->out->cap, sizeof *m->out->r);
	q->purpose = p;
	q->village = village;
	q->from = from;
	q->to = to;
	q->time_s = time_s;
	q->arrive_by = arrive_by;
	return q;
}

static void riders(struct maker *m, struct demandgen_request *q)
{
	snprintf(q->rider, sizeof q->rider, "R-%s-%d", m->c->villages[q->village].code, ++m->serial);
	q->passengers = passengers(&m->r);
	q->wheelchair = chance(&m->r, 0.015);
}

/*
 * A trip from village v to `there` and maybe back: out leaving after (or
 * arriving by) a time drawn in [lo, hi] peaking at `peak`, back leaving
 * after a time in [back_lo, back_hi] (absolute, or after the outbound time
 * when `back_rel`).
 */
struct trip_shape {
	enum demandgen_purpose p;
	bool arrive_by;
	int lo, peak, hi;
	double back_share;
	bool back_rel;
	int back_lo, back_peak, back_hi;
	double day_ahead;
};

static void round_trip(struct maker *m, int v, struct demandgen_place there, const struct trip_shape *s)
{
	struct demandgen_place home = home_place(m->c, &m->r, v);
	int t = peaked_s(&m->r, s->lo, s->peak, s->hi);
	struct demandgen_request *out = add(m, s->p, v, home, there, t, s->arrive_by);
	riders(m, out);
	asked(m, out, s->day_ahead);
	if (!chance(&m->r, s->back_share))
		return;
	int bt = peaked_s(&m->r, s->back_lo, s->back_peak, s->back_hi) + (s->back_rel ? t : 0);
	struct demandgen_request keep = *out;
	struct demandgen_request *back = add(m, s->p, v, there, home, bt, false);
	snprintf(back->rider, sizeof back->rider, "%s", keep.rider);
	back->passengers = keep.passengers;
	back->wheelchair = keep.wheelchair;
	if (keep.day_ahead) {
		back->day_ahead = true;
		back->made_s = keep.made_s;
	} else {
		/* asked when done: a little before leaving */
		back->made_s = bt - uniform_s(&m->r, 0, 1800);
		back->now = bt - back->made_s <= 300;
	}
}

static void parcel(struct maker *m, int v)
{
	const struct gen_county *c = m->c;
	struct demandgen_place from = at_node(c, c->villages[v].node);
	from.kind = DEMANDGEN_AT_VILLAGE;
	from.ref = v;
	struct demandgen_place to = stop_of_node(c, c->towns[c->villages[v].town].node);
	struct demandgen_request *q = add(m, DEMANDGEN_PARCEL, v, from, to, uniform_s(&m->r, 8 * 3600, 16 * 3600), false);
	snprintf(q->rider, sizeof q->rider, "P-%s-%d", c->villages[v].code, ++m->serial);
	q->parcels_l = uniform_s(&m->r, 10, 120);
	asked(m, q, 0.5);
}

/* Boarders of villages their line's coach does not pass (Friday home, Sunday back). */
static void boarders(struct maker *m, jt_day day)
{
	const struct gen_county *c = m->c;
	bool friday = genplan_runs(c, GEN_SVC_SCHOOL_FRI, day), sunday = genplan_runs(c, GEN_SVC_SCHOOL_SUN, day);
	if (!friday && !sunday)
		return;
	for (size_t li = 0; li < c->n_lines; li++) {
		const struct gen_line *l = &c->lines[li];
		if (l->kind != GEN_KIND_STUDENT || l->town < 0)
			continue;
		int nv = 0;
		for (size_t v = 0; v < c->n_villages; v++)
			nv += c->villages[v].town == l->town;
		if (nv == 0)
			continue;
		int arr, dep;
		genplan_times(c, (int)li, true, l->npath - 1, &arr, &dep);
		int home_at = 15 * 3600 + arr; /* the Friday coach back in town */
		int leave_at = 16 * 3600;      /* the Sunday coach leaves town */
		struct demandgen_place centre = stop_of_node(c, c->towns[l->town].node);
		for (size_t v = 0; v < c->n_villages; v++) {
			if (c->villages[v].town != l->town)
				continue;
			bool passed = false;
			for (size_t k = 0; k < l->npath && !passed; k++)
				passed = l->path[k] == c->villages[v].node;
			if (passed)
				continue;
			int n = poisson(&m->r, (double)l->pupils / nv * 0.6 / 1.4);
			for (int i = 0; i < n; i++) {
				int kids = chance(&m->r, 0.6) ? 1 : 2;
				struct demandgen_place home = home_place(c, &m->r, (int)v);
				struct demandgen_request *q =
					friday ? add(m, DEMANDGEN_PUPIL, (int)v, centre, home, home_at + uniform_s(&m->r, 0, 600), false)
					       : add(m, DEMANDGEN_PUPIL, (int)v, home, centre, leave_at - 600, true);
				int pupil = l->pupil0 + (int)(rng_next(&m->r) % (uint64_t)(l->pupils > 0 ? l->pupils : 1));
				genplan_pupil_id(pupil, q->rider, sizeof q->rider);
				q->passengers = kids;
				asked(m, q, 0.8);
			}
		}
	}
}

static int by_made(const void *a, const void *b)
{
	const struct demandgen_request *x = a, *y = b;
	if (x->made_s != y->made_s)
		return x->made_s < y->made_s ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int demandgen_make(const struct gen_county *c, jt_day day, uint64_t seed, struct demandgen_list *out,
		   char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (day < c->p.from || day >= c->p.from + c->p.days) {
		char a[DATE_FORMAT_LEN], b[DATE_FORMAT_LEN];
		date_format(c->p.from, a);
		date_format(c->p.from + c->p.days - 1, b);
		snprintf(err, errlen, "the county's timetable runs from %s to %s", a, b);
		return -1;
	}
	struct maker m = { .c = c, .out = out };
	rng_seed(&m.r, seed * 0x9E3779B97F4A7C15ull ^ (uint64_t)(day + 100000) * 0xD1B54A32D192ED03ull);
	bool weekend = date_weekday(day) >= 6, term = demandgen_school_term(c, day);
	out->kind.weekend = weekend;
	out->kind.school_term = term;
	for (size_t t = 0; t < c->n_towns; t++)
		out->kind.market_towns += demandgen_market(c, (int)t, day);
	double errands = term ? 1.0 : 1.3;
	const struct trip_shape town = { DEMANDGEN_TOWN, false, 8 * 3600, 10 * 3600, 15 * 3600, 0.8, true,
					 5400, 9000, 14400, 0.4 };
	const struct trip_shape market = { DEMANDGEN_MARKET, false, 6 * 3600 + 1800, 7 * 3600 + 2700, 9 * 3600 + 1800,
					   0.85, false, 11 * 3600, 12 * 3600, 13 * 3600 + 1800, 0.5 };
	const struct trip_shape clinic = { DEMANDGEN_CLINIC, true, 8 * 3600, 9 * 3600, 10 * 3600 + 1800, 0.9, true,
					   5400, 7200, 10800, 0.7 };
	const struct trip_shape hospital = { DEMANDGEN_HOSPITAL, true, 8 * 3600 + 1800, 9 * 3600, 10 * 3600, 0.9, false,
					     13 * 3600, 14 * 3600, 16 * 3600 + 1800, 0.7 };
	const struct trip_shape seat = { DEMANDGEN_SEAT, false, 7 * 3600 + 1800, 8 * 3600 + 1800, 10 * 3600 + 1800,
					 0.85, false, 13 * 3600, 15 * 3600, 17 * 3600 + 1800, 0.4 };
	struct demandgen_place seat_stop = stop_of_node(c, c->towns[c->seat].node);
	for (size_t v = 0; v < c->n_villages; v++) {
		int t = c->villages[v].town;
		struct demandgen_place centre = stop_of_node(c, c->towns[t].node);
		int n = poisson(&m.r, (weekend ? 0.7 : 0.9) * errands);
		for (int i = 0; i < n; i++)
			round_trip(&m, (int)v, centre, &town);
		n = demandgen_market(c, t, day) ? poisson(&m.r, 4.0) : 0;
		for (int i = 0; i < n; i++)
			round_trip(&m, (int)v, centre, &market);
		n = poisson(&m.r, weekend ? 0.15 : 0.35);
		for (int i = 0; i < n; i++)
			round_trip(&m, (int)v, centre, &clinic);
		n = poisson(&m.r, weekend ? 0.05 : 0.15);
		for (int i = 0; i < n; i++)
			round_trip(&m, (int)v, seat_stop, &hospital);
		n = poisson(&m.r, (weekend ? 0.35 : 0.25) * errands);
		for (int i = 0; i < n; i++)
			round_trip(&m, (int)v, seat_stop, &seat);
		n = poisson(&m.r, weekend ? 0.25 : 0.5);
		for (int i = 0; i < n; i++)
			parcel(&m, (int)v);
	}
	if (term)
		boarders(&m, day);
	/* a villager of the county seat's own villages going to the seat goes to town: drop trips to where one is */
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++) {
		struct demandgen_request *q = &out->r[i];
		bool same = q->from.node == q->to.node && q->from.access_m == q->to.access_m;
		if (!same)
			out->r[k++] = *q;
	}
	out->n = k;
	for (size_t i = 0; i < out->n; i++) {
		out->r[i].id = (int)i;
		if (out->r[i].wheelchair && out->r[i].passengers == 0)
			out->r[i].wheelchair = false;
	}
	qsort(out->r, out->n, sizeof *out->r, by_made);
	for (size_t i = 0; i < out->n; i++)
		out->r[i].id = (int)i;
	return 0;
}

void demandgen_free(struct demandgen_list *l)
{
	free(l->r);
	memset(l, 0, sizeof *l);
}
