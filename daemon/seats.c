/*
 * seats.c — seats on timetabled trips; see seats.h.
 *
 * The search starts from the stops within walking distance of the origin
 * and follows every trip calling there (an index from stop to calls), so
 * its cost grows with the trips near the rider, not with the network.
 */
#include "seats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "strmap.h"
#include "util.h"

static const char *const kind_names[] = { "scheduled", "student", "market_day", "logistics", "on_demand" };

int seats_kind_parse(const char *s)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *seats_kind_name(enum seats_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

/* A call of a trip at a stop. */
struct call {
	uint32_t trip;
	uint32_t seq;
};

struct seats_net {
	struct seats_stop *stops;
	size_t nstops, capstops;
	struct seats_trip *trips;
	size_t ntrips, captrips;
	struct strmap *stop_by_code, *trip_by_code;
	/* calls at stop s: calls[first[s] .. first[s + 1]) */
	struct call *calls;
	size_t *first;
};

struct seats_net *seats_net_new(void)
{
	struct seats_net *net = xcalloc(1, sizeof *net);
	net->stop_by_code = strmap_new();
	net->trip_by_code = strmap_new();
	return net;
}

void seats_net_free(struct seats_net *net)
{
	if (!net)
		return;
	for (size_t i = 0; i < net->ntrips; i++) {
		free(net->trips[i].stop);
		free(net->trips[i].arr);
		free(net->trips[i].dep);
	}
	free(net->trips);
	free(net->stops);
	free(net->calls);
	free(net->first);
	strmap_free(net->stop_by_code);
	strmap_free(net->trip_by_code);
	free(net);
}

uint32_t seats_net_add_stop(struct seats_net *net, const char *code, double lat, double lon)
{
	net->stops = xgrow(net->stops, &net->capstops, net->nstops + 1, sizeof *net->stops);
	struct seats_stop *s = &net->stops[net->nstops];
	strlcpy_jt(s->code, code, sizeof s->code);
	s->lat = lat;
	s->lon = lon;
	strmap_put(net->stop_by_code, s->code, (void *)(uintptr_t)(net->nstops + 1));
	return (uint32_t)net->nstops++;
}

long seats_net_find_stop(const struct seats_net *net, const char *code)
{
	uintptr_t v = (uintptr_t)strmap_get(net->stop_by_code, code);
	return v ? (long)v - 1 : -1;
}

const struct seats_stop *seats_net_stop(const struct seats_net *net, uint32_t i)
{
	return i < net->nstops ? &net->stops[i] : NULL;
}

void seats_net_add_trip(struct seats_net *net, const struct seats_trip *t)
{
	net->trips = xgrow(net->trips, &net->captrips, net->ntrips + 1, sizeof *net->trips);
	struct seats_trip *c = &net->trips[net->ntrips];
	*c = *t;
	c->stop = xmalloc((t->n ? t->n : 1) * sizeof *c->stop);
	c->arr = xmalloc((t->n ? t->n : 1) * sizeof *c->arr);
	c->dep = xmalloc((t->n ? t->n : 1) * sizeof *c->dep);
	if (t->n) {
		memcpy(c->stop, t->stop, t->n * sizeof *c->stop);
		memcpy(c->arr, t->arr, t->n * sizeof *c->arr);
		memcpy(c->dep, t->dep, t->n * sizeof *c->dep);
	}
	strmap_put(net->trip_by_code, c->code, (void *)(uintptr_t)(net->ntrips + 1));
	net->ntrips++;
}

void seats_net_index(struct seats_net *net)
{
	free(net->first);
	free(net->calls);
	net->first = xcalloc(net->nstops + 1, sizeof *net->first);
	size_t total = 0;
	for (size_t t = 0; t < net->ntrips; t++)
		for (size_t k = 0; k < net->trips[t].n; k++)
			if (net->trips[t].stop[k] < net->nstops) {
				net->first[net->trips[t].stop[k] + 1]++;
				total++;
			}
	for (size_t s = 0; s < net->nstops; s++)
		net->first[s + 1] += net->first[s];
	net->calls = xmalloc((total ? total : 1) * sizeof *net->calls);
	size_t *fill = xcalloc(net->nstops ? net->nstops : 1, sizeof *fill);
	for (size_t t = 0; t < net->ntrips; t++)
		for (size_t k = 0; k < net->trips[t].n; k++) {
			uint32_t s = net->trips[t].stop[k];
			if (s >= net->nstops)
				continue;
			net->calls[net->first[s] + fill[s]++] = (struct call){ (uint32_t)t, (uint32_t)k };
		}
	free(fill);
}

size_t seats_net_trips(const struct seats_net *net)
{
	return net->ntrips;
}

size_t seats_net_stops(const struct seats_net *net)
{
	return net->nstops;
}

const struct seats_trip *seats_net_trip(const struct seats_net *net, size_t i)
{
	return i < net->ntrips ? &net->trips[i] : NULL;
}

long seats_net_find_trip(const struct seats_net *net, const char *code)
{
	uintptr_t v = (uintptr_t)strmap_get(net->trip_by_code, code);
	return v ? (long)v - 1 : -1;
}

/* --- loads ------------------------------------------------------------- */

struct load {
	jt_day day;
	size_t nseg;
	int *riders; /* per segment */
	int *pupils;
};

struct seats_loads {
	struct strmap *by_key; /* "code@day" -> struct load */
};

struct seats_loads *seats_loads_new(void)
{
	struct seats_loads *l = xcalloc(1, sizeof *l);
	l->by_key = strmap_new();
	return l;
}

static void load_free(void *v)
{
	struct load *ld = v;
	if (!ld)
		return;
	free(ld->riders);
	free(ld->pupils);
	free(ld);
}

void seats_loads_free(struct seats_loads *l)
{
	if (!l)
		return;
	strmap_free_all(l->by_key, load_free);
	free(l);
}

static void load_key(char *buf, size_t len, const char *code, jt_day day)
{
	snprintf(buf, len, "%s@%d", code, (int)day);
}

static struct load *load_get(const struct seats_loads *l, const char *code, jt_day day)
{
	char key[SEATS_CODE_MAX + 24];
	load_key(key, sizeof key, code, day);
	return strmap_get(l->by_key, key);
}

void seats_hold(struct seats_loads *l, const char *code, jt_day day, size_t nstops, size_t from,
		size_t to, int riders, bool pupil)
{
	if (nstops < 2 || from >= to || to >= nstops)
		return;
	struct load *ld = load_get(l, code, day);
	if (!ld) {
		ld = xcalloc(1, sizeof *ld);
		ld->day = day;
		ld->nseg = nstops - 1;
		ld->riders = xcalloc(ld->nseg, sizeof *ld->riders);
		ld->pupils = xcalloc(ld->nseg, sizeof *ld->pupils);
		char key[SEATS_CODE_MAX + 24];
		load_key(key, sizeof key, code, day);
		strmap_put(l->by_key, key, ld);
	}
	for (size_t s = from; s < to && s < ld->nseg; s++) {
		ld->riders[s] += riders;
		if (pupil)
			ld->pupils[s] += riders;
	}
}

void seats_release(struct seats_loads *l, const char *code, jt_day day, size_t from, size_t to,
		   int riders, bool pupil)
{
	struct load *ld = load_get(l, code, day);
	if (!ld)
		return;
	for (size_t s = from; s < to && s < ld->nseg; s++) {
		ld->riders[s] = ld->riders[s] > riders ? ld->riders[s] - riders : 0;
		if (pupil)
			ld->pupils[s] = ld->pupils[s] > riders ? ld->pupils[s] - riders : 0;
	}
}

int seats_load(const struct seats_loads *l, const char *code, jt_day day, size_t seg)
{
	const struct load *ld = load_get(l, code, day);
	return ld && seg < ld->nseg ? ld->riders[seg] : 0;
}

int seats_pupils(const struct seats_loads *l, const char *code, jt_day day, size_t seg)
{
	const struct load *ld = load_get(l, code, day);
	return ld && seg < ld->nseg ? ld->pupils[seg] : 0;
}

void seats_loads_forget_before(struct seats_loads *l, jt_day day)
{
	size_t pos = 0;
	const char *key;
	void *v;
	char **old = NULL;
	size_t n = 0, cap = 0;
	while (strmap_next(l->by_key, &pos, &key, &v))
		if (((struct load *)v)->day < day) {
			old = xgrow(old, &cap, n + 1, sizeof *old);
			old[n++] = xstrdup(key);
		}
	for (size_t i = 0; i < n; i++) {
		load_free(strmap_del(l->by_key, old[i]));
		free(old[i]);
	}
	free(old);
}

/* --- search ------------------------------------------------------------ */

static bool carries_riders(enum seats_kind k)
{
	return k == SEATS_SCHEDULED || k == SEATS_STUDENT || k == SEATS_MARKET_DAY;
}

/* Seats a rider of q may still take on segment seg of trip t on day. */
static int free_on(const struct seats_trip *t, const struct seats_loads *l, const struct seats_query *q,
		   jt_day day, size_t seg)
{
	int used = seats_load(l, t->code, day, seg);
	int free = t->seats - used;
	bool own_pupil = q->pupil && q->pupil_line && strcmp(q->pupil_line, t->line) == 0;
	if (t->kind == SEATS_STUDENT && !own_pupil) {
		int kept = t->roster - seats_pupils(l, t->code, day, seg);
		if (kept > 0)
			free -= kept;
	}
	return free;
}

/* Keeps the best offer per trip and day, at most max offers in all, sorted later. */
static void consider(struct seats_offer *out, size_t *n, size_t max, const struct seats_offer *o)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].trip == o->trip && out[i].day == o->day) {
			if (o->cost < out[i].cost)
				out[i] = *o;
			return;
		}
	if (*n < max) {
		out[(*n)++] = *o;
		return;
	}
	size_t worst = 0;
	for (size_t i = 1; i < *n; i++)
		if (out[i].cost > out[worst].cost)
			worst = i;
	if (o->cost < out[worst].cost)
		out[worst] = *o;
}

static int by_cost(const void *a, const void *b)
{
	const struct seats_offer *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	if (x->board_time != y->board_time)
		return x->board_time < y->board_time ? -1 : 1;
	return x->trip < y->trip ? -1 : x->trip > y->trip;
}

size_t seats_find(const struct seats_net *net, const struct seats_loads *l, const struct seats_query *q,
		  struct seats_offer *out, size_t max)
{
	if (!net->first || max == 0 || q->riders < 1 || !(q->walk_max_m >= 0) || !(q->walk_speed_mps > 0))
		return 0;
	double *walk_to = xmalloc((net->nstops ? net->nstops : 1) * sizeof *walk_to);
	double *walk_from = xmalloc((net->nstops ? net->nstops : 1) * sizeof *walk_from);
	bool any_dest = false;
	for (size_t s = 0; s < net->nstops; s++) {
		double a = geo_distance_m(q->olat, q->olon, net->stops[s].lat, net->stops[s].lon);
		double b = geo_distance_m(q->dlat, q->dlon, net->stops[s].lat, net->stops[s].lon);
		walk_to[s] = a <= q->walk_max_m ? a : -1;
		walk_from[s] = b <= q->walk_max_m ? b : -1;
		any_dest |= walk_from[s] >= 0;
	}
	size_t n = 0;
	for (size_t s = 0; any_dest && s < net->nstops; s++) {
		if (walk_to[s] < 0)
			continue;
		int32_t walk_in = (int32_t)ceil(walk_to[s] / q->walk_speed_mps);
		for (size_t c = net->first[s]; c < net->first[s + 1]; c++) {
			const struct seats_trip *t = &net->trips[net->calls[c].trip];
			size_t i = net->calls[c].seq;
			if (!carries_riders(t->kind) || i + 1 >= t->n)
				continue;
			for (int back = 0; back <= 1; back++) {
				jt_day day = q->day - back;
				int32_t shift = back * 86400; /* the trip's times, counted from q->day */
				int32_t leave = t->dep[i] - shift;
				if (q->when == SEATS_LEAVE_AFTER) {
					if (leave < q->time + walk_in || leave > q->time + q->horizon_s)
						continue;
				} else if (leave - walk_in < q->time - q->horizon_s || leave > q->time) {
					continue;
				}
				if (!t->cal || !calendar_runs_on(t->cal, day))
					continue;
				int free = INT32_MAX;
				for (size_t j = i + 1; j < t->n; j++) {
					int f = free_on(t, l, q, day, j - 1);
					if (f < free)
						free = f;
					if (free < q->riders)
						break;
					uint32_t d = t->stop[j];
					if (d == s || walk_from[d] < 0)
						continue;
					int32_t walk_out = (int32_t)ceil(walk_from[d] / q->walk_speed_mps);
					int32_t reach = t->arr[j] - shift + walk_out;
					struct seats_offer o = {
						.trip = net->calls[c].trip,
						.day = day,
						.board = i,
						.alight = j,
						.board_time = t->dep[i],
						.alight_time = t->arr[j],
						.walk_m = walk_to[s] + walk_from[d],
						.free = free,
					};
					if (q->when == SEATS_LEAVE_AFTER) {
						o.cost = (double)(reach - q->time);
					} else {
						if (reach > q->time)
							continue;
						o.cost = (double)(q->time - (leave - walk_in));
					}
					consider(out, &n, max, &o);
				}
			}
		}
	}
	free(walk_to);
	free(walk_from);
	qsort(out, n, sizeof *out, by_cost);
	return n;
}
