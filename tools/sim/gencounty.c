/*
 * gencounty.c — the generated county as a whole: its parameters, building
 * it (map, then plan), freeing it, and its figures; see gen.h.
 */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gen_check_params(const struct gen_params *p, char *err, size_t errlen)
{
	if (!(p->scale > 0 && p->scale <= 1)) {
		snprintf(err, errlen, "the scale is a number above 0 and at most 1");
		return -1;
	}
	if (p->days < 14 || p->days > GEN_DAYS_MAX) {
		snprintf(err, errlen, "a feed covers 14 to %d days", GEN_DAYS_MAX);
		return -1;
	}
	if (p->from < date_from_ymd(2000, 1, 1) || p->from + p->days > date_from_ymd(2099, 12, 31)) {
		snprintf(err, errlen, "the first day must be between 2000 and 2099");
		return -1;
	}
	return 0;
}

void gen_county_build(struct gen_county *c, const struct gen_params *p)
{
	memset(c, 0, sizeof *c);
	c->p = *p;
	rng_seed(&c->rng, p->seed ^ 0x6a696e746f6e67ull); /* "jintong" */
	genmap_build(c);
	genplan_build(c);
}

void gen_county_free(struct gen_county *c)
{
	for (size_t i = 0; i < c->n_lines; i++) {
		free(c->lines[i].path);
		free(c->lines[i].at_m);
		free(c->lines[i].run_s);
	}
	for (size_t i = 0; i < c->adj_cap; i++)
		free(c->adj[i]);
	free(c->adj);
	free(c->adj_n);
	free(c->nodes);
	free(c->edges);
	free(c->pts);
	free(c->towns);
	free(c->villages);
	free(c->schools);
	free(c->ops);
	free(c->stops);
	free(c->lines);
	free(c->trips);
	free(c->vehicles);
	free(c->shifts);
	memset(c, 0, sizeof *c);
}

void gen_figures(const struct gen_county *c, struct gen_figures *f)
{
	memset(f, 0, sizeof *f);
	f->towns = c->n_towns;
	f->villages = c->n_villages;
	f->operators = c->n_ops;
	f->schools = c->n_schools;
	f->pupils = (size_t)c->pupils;
	f->shifts = c->n_shifts;
	for (size_t i = 0; i < c->n_stops; i++) {
		bool written = c->stops[i].served || c->stops[i].village < 0;
		f->stops += written;
		f->served_stops += c->stops[i].served;
	}
	for (size_t i = 0; i < c->n_lines; i++)
		f->lines[c->lines[i].kind]++;
	f->trips_total = c->n_trips;
	for (jt_day d = c->p.from; d < c->p.from + 7; d++) {
		size_t n = 0;
		for (size_t i = 0; i < c->n_trips; i++)
			n += genplan_runs(c, c->trips[i].service, d);
		if (n > f->trips_day) {
			f->trips_day = n;
			date_format(d, f->busiest_day);
		}
	}
	for (size_t i = 0; i < c->n_vehicles; i++) {
		f->vehicles[c->vehicles[i].kind]++;
		f->reserve += c->vehicles[i].reserve;
	}
	for (size_t v = 0; v < c->n_villages; v++) {
		const struct gen_node *vn = &c->nodes[c->villages[v].node];
		for (size_t s = 0; s < c->n_stops; s++) {
			const struct gen_node *sn = &c->nodes[c->stops[s].node];
			if (c->stops[s].served && hypot(vn->x - sn->x, vn->y - sn->y) <= 2000) {
				f->villages_2km++;
				break;
			}
		}
	}
	for (size_t e = 0; e < c->n_edges; e++)
		f->road_km += c->edges[e].len / 1000.0;
}

void gen_print_figures(FILE *out, const struct gen_figures *f)
{
	fprintf(out, "  towns                  %zu (one the county seat)\n", f->towns);
	fprintf(out, "  villages               %zu\n", f->villages);
	fprintf(out, "  roads                  %.0f km\n", f->road_km);
	fprintf(out, "  transport companies    %zu\n", f->operators);
	fprintf(out, "  stops                  %zu (%zu served by lines)\n", f->stops, f->served_stops);
	fprintf(out, "  lines                  %zu scheduled, %zu student, %zu market-day, %zu logistics\n",
		f->lines[GEN_KIND_SCHEDULED], f->lines[GEN_KIND_STUDENT], f->lines[GEN_KIND_MARKET],
		f->lines[GEN_KIND_LOGISTICS]);
	fprintf(out, "  trips                  %zu in the timetable, %zu on %s (the busiest day of the first week)\n",
		f->trips_total, f->trips_day, f->busiest_day);
	fprintf(out, "  vehicles               %zu: %zu minibuses, %zu coaches, %zu vans (%zu in reserve)\n",
		f->vehicles[0] + f->vehicles[1] + f->vehicles[2], f->vehicles[GEN_MINIBUS], f->vehicles[GEN_COACH],
		f->vehicles[GEN_VAN], f->reserve);
	fprintf(out, "  vans on booking duty   %zu shifts\n", f->shifts);
	fprintf(out, "  pupils on rosters      %zu, to %zu boarding schools\n", f->pupils, f->schools);
	fprintf(out, "  villages within 2 km of a served stop: %zu of %zu (%.0f%%)\n", f->villages_2km, f->villages,
		f->villages ? 100.0 * (double)f->villages_2km / (double)f->villages : 0.0);
}
