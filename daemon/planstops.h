/*
 * planstops.h — changes to a plan's list of stops shared by plan.c and
 * planprogress.c; not part of the plan API (plan.h).
 */
#ifndef JINTONG_PLANSTOPS_H
#define JINTONG_PLANSTOPS_H

#include "plan.h"

/* Takes stop `at` out of v's plan; a mate pointing at it is left without one (-1). */
void plan_stops_delete(struct plan_vehicle *v, int at);
/* After the stops changed: the schedule recomputed and the spatial index told. */
void plan_stops_changed(struct plan_vehicle *v, const struct plan_travel *t);

#endif
