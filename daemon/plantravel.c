/*
 * plantravel.c — the travel models the plan core ships with: the plane
 * (benchmark instances, time = cost = Euclidean distance) and the county
 * (great-circle distance along winding roads at an average speed). Any
 * other model — a road network's travel-time matrix, say — plugs into the
 * same struct plan_travel.
 */
#include "plan.h"

static double euclid(void *ctx, const struct plan_loc *a, const struct plan_loc *b)
{
	(void)ctx;
	return hypot(a->x - b->x, a->y - b->y);
}

void plan_travel_euclid(struct plan_travel *t)
{
	t->time = euclid;
	t->cost = euclid;
	t->ctx = NULL;
	t->cost_per_time = 1;
}

static double geo_road_m(const struct plan_geo *g, const struct plan_loc *a,
			 const struct plan_loc *b)
{
	/* Haversine, inlined here so the core's travel model needs no other module. */
	const double r = 6371008.8, k = M_PI / 180.0;
	double dlat = (b->y - a->y) * k, dlon = (b->x - a->x) * k;
	double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
	double h = s1 * s1 + cos(a->y * k) * cos(b->y * k) * s2 * s2;
	if (h > 1.0)
		h = 1.0;
	return 2.0 * r * atan2(sqrt(h), sqrt(1.0 - h)) * g->winding;
}

static double geo_time(void *ctx, const struct plan_loc *a, const struct plan_loc *b)
{
	const struct plan_geo *g = ctx;
	return geo_road_m(g, a, b) / g->speed_mps;
}

static double geo_cost(void *ctx, const struct plan_loc *a, const struct plan_loc *b)
{
	return geo_road_m(ctx, a, b);
}

void plan_travel_geo(struct plan_travel *t, struct plan_geo *g)
{
	t->time = geo_time;
	t->cost = geo_cost;
	t->ctx = g;
	t->cost_per_time = g->speed_mps;
}
