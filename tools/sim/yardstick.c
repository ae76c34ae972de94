/*
 * yardstick.c — the county's yardsticks; see yardstick.h. The network's
 * in-vehicle times between stops come from every pair of stops a trip calls
 * at in order, closed over changes (Floyd-Warshall: a few hundred stops).
 */
#include "yardstick.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void yardstick_opts_default(struct yardstick_opts *o)
{
	o->near_m = 2000;
	o->access_mps = 30 / 3.6;
	o->transfer_s = 600;
	o->town_s = 1800;
	o->seat_s = 3600;
}

/* best[a * n + b]: shortest ride from stop a to stop b, changes included. */
static double *ride_times(const struct gen_county *c, jt_day day, double transfer_s)
{
	size_t n = c->n_stops;
	double *best = malloc(n * n * sizeof *best + 1);
	if (!best)
		abort();
	for (size_t i = 0; i < n * n; i++)
		best[i] = INFINITY;
	for (size_t s = 0; s < n; s++)
		best[s * n + s] = 0;
	for (size_t i = 0; i < c->n_trips; i++) {
		const struct gen_trip *tr = &c->trips[i];
		const struct gen_line *l = &c->lines[tr->line];
		if ((l->kind != GEN_KIND_SCHEDULED && l->kind != GEN_KIND_MARKET) || !genplan_runs(c, tr->service, day))
			continue;
		for (size_t a = 0; a < l->npath; a++) {
			int sa = c->nodes[l->path[tr->back ? l->npath - 1 - a : a]].stop, arr, dep;
			genplan_times(c, tr->line, tr->back, a, &arr, &dep);
			for (size_t b = a + 1; b < l->npath; b++) {
				int sb = c->nodes[l->path[tr->back ? l->npath - 1 - b : b]].stop, arr2, dep2;
				genplan_times(c, tr->line, tr->back, b, &arr2, &dep2);
				double t = arr2 - dep;
				if (sa >= 0 && sb >= 0 && t < best[(size_t)sa * n + (size_t)sb])
					best[(size_t)sa * n + (size_t)sb] = t;
			}
		}
	}
	for (size_t k = 0; k < n; k++)
		for (size_t a = 0; a < n; a++) {
			double ak = best[a * n + k];
			if (!isfinite(ak) || a == k)
				continue;
			for (size_t b = 0; b < n; b++) {
				double t = ak + transfer_s + best[k * n + b];
				if (b != k && t < best[a * n + b])
					best[a * n + b] = t;
			}
		}
	return best;
}

/* Committee of village v to stop `to`: by road to its nearest stop the public rides from, then the network; INFINITY when it cannot. */
static double reach_s(const struct gen_county *c, const struct roads *rd, const double *best, const bool *public,
		      int v, int to, const struct yardstick_opts *o)
{
	size_t n = c->n_stops;
	int vn = c->villages[v].node;
	double near = INFINITY;
	size_t at = n;
	for (size_t s = 0; s < n; s++) {
		double m = roads_m(rd, vn, c->stops[s].node);
		if (public[s] && m < near) {
			near = m;
			at = s;
		}
	}
	if (at == n)
		return INFINITY;
	return near / o->access_mps + best[at * n + (size_t)to];
}

void yardstick_measure(const struct gen_county *c, const struct roads *rd, jt_day day,
		       const struct yardstick_opts *o, struct yardsticks *out)
{
	memset(out, 0, sizeof *out);
	double *best = ride_times(c, day, o->transfer_s);
	/* stops the public can ride from that day */
	size_t n = c->n_stops;
	bool *public = calloc(n + 1, sizeof *public);
	if (!public)
		abort();
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n && !public[a]; b++)
			public[a] = a != b && isfinite(best[a * n + b]);
	int seat_stop = c->nodes[c->towns[c->seat].node].stop;
	double town_sum = 0, seat_sum = 0;
	size_t town_n = 0, seat_n = 0;
	for (size_t v = 0; v < c->n_villages; v++) {
		const struct gen_node *vn = &c->nodes[c->villages[v].node];
		out->villages++;
		for (size_t s = 0; s < c->n_stops; s++) {
			const struct gen_node *sn = &c->nodes[c->stops[s].node];
			if (c->stops[s].served && hypot(vn->x - sn->x, vn->y - sn->y) <= o->near_m) {
				out->near_stop++;
				break;
			}
		}
		int centre = c->nodes[c->towns[c->villages[v].town].node].stop;
		double tt = centre >= 0 ? reach_s(c, rd, best, public, (int)v, centre, o) : INFINITY;
		double ts = seat_stop >= 0 ? reach_s(c, rd, best, public, (int)v, seat_stop, o) : INFINITY;
		if (isfinite(tt)) {
			town_sum += tt;
			town_n++;
			out->town_ok += tt <= o->town_s;
		} else {
			out->town_none++;
		}
		if (isfinite(ts)) {
			seat_sum += ts;
			seat_n++;
			out->seat_ok += ts <= o->seat_s;
		} else {
			out->seat_none++;
		}
	}
	out->town_mean_s = town_n ? town_sum / (double)town_n : NAN;
	out->seat_mean_s = seat_n ? seat_sum / (double)seat_n : NAN;
	free(best);
	free(public);
}
