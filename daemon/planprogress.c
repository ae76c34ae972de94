/*
 * planprogress.c — a vehicle's plan as the day goes on: a request taken out
 * (cancelled, or moved by an improvement), a rider who was not there, stops
 * started and stops done. A stop done moves the vehicle's start to it, so
 * the plan keeps only what is ahead; a rider picked up keeps the time it
 * was, for its ride limit. Started stops are never removed. Every change
 * ends with the schedule recomputed (plan.c) and the spatial index told.
 */
#include "plan.h"
#include "planstops.h"

#include <math.h>

static void stops_request(const struct plan_stop *p, const struct plan_stop *d,
			  struct plan_request *r)
{
	*r = (struct plan_request){
		.id = p->request, .pick = p->loc, .drop = d->loc,
		.pick_earliest = p->earliest, .pick_latest = p->latest,
		.drop_earliest = d->earliest, .drop_latest = d->latest,
		.pick_service = p->service, .drop_service = d->service,
		.seats = p->seats, .cargo = p->cargo, .max_ride = p->max_ride,
		.parcel = p->parcel,
	};
}

enum plan_remove_result plan_remove(const struct plan_travel *t, struct plan_vehicle *v, int id,
				    struct plan_request *out)
{
	int i = plan_find(v, id, PLAN_PICKUP);
	int j = plan_find(v, id, PLAN_DROPOFF);
	if (i < 0 && j < 0)
		return PLAN_NOT_FOUND;
	if (i < 0 || i < v->started || j < v->started)
		return PLAN_FIXED;
	if (out)
		stops_request(&v->stops[i], &v->stops[j], out);
	plan_stops_delete(v, j);
	plan_stops_delete(v, i);
	plan_stops_changed(v, t);
	return PLAN_REMOVED;
}

int plan_no_show(const struct plan_travel *t, struct plan_vehicle *v, int id)
{
	if (v->n == 0 || v->started < 1 || v->stops[0].request != id ||
	    v->stops[0].kind != PLAN_PICKUP)
		return -1;
	int j = v->stops[0].mate;
	if (j < 0)
		return -1;
	if (j < v->started)
		v->started--;
	plan_stops_delete(v, j);
	plan_stops_delete(v, 0);
	v->started--;
	plan_stops_changed(v, t);
	return 0;
}

void plan_start_next(struct plan_vehicle *v, int count)
{
	v->started += count;
	if (v->started > v->n)
		v->started = v->n;
	if (v->started < 0)
		v->started = 0;
}

int plan_stop_done(const struct plan_travel *t, struct plan_vehicle *v, double left_at)
{
	if (v->n == 0 || !isfinite(left_at))
		return -1;
	struct plan_stop s = v->stops[0];
	if (s.kind == PLAN_PICKUP && s.mate > 0)
		v->stops[s.mate].picked_at = left_at;
	v->load_seats += s.seats;
	v->load_cargo += s.cargo;
	if (fabs(v->load_cargo) < PLAN_EPS)
		v->load_cargo = 0;
	v->start = s.loc;
	v->start_time = left_at;
	plan_stops_delete(v, 0);
	if (v->started > 0)
		v->started--;
	plan_stops_changed(v, t);
	return 0;
}
