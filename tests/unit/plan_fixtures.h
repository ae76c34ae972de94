/*
 * plan_fixtures.h — what the plan tests (test_plan.c, test_plan_brute.c)
 * build their cases from: Euclidean travel (time = distance, so expected
 * times can be worked out by hand), the default settings, a vehicle at the
 * origin, a passenger request with wide windows.
 */
#ifndef JINTONG_TEST_PLAN_FIXTURES_H
#define JINTONG_TEST_PLAN_FIXTURES_H

#include "plan.h"

static struct plan_travel T;
static struct plan_settings S;

static inline struct plan_loc at(double x, double y)
{
	return (struct plan_loc){x, y};
}

/* A vehicle at (0,0) from time 0, back at (0,0) by shift_end. */
static inline void vehicle(struct plan_vehicle *v, int id, int seats, double cargo, double shift_end)
{
	plan_vehicle_init(v, id, at(0, 0), 0, at(0, 0), shift_end, seats, cargo);
	plan_refresh(v, &T);
}

/* A passenger request with wide windows and no service time. */
static inline struct plan_request ride(int id, struct plan_loc p, struct plan_loc d)
{
	return (struct plan_request){
		.id = id, .pick = p, .drop = d, .pick_earliest = 0, .pick_latest = 1e4,
		.drop_earliest = 0, .drop_latest = 1e4, .seats = 1, .max_ride = 1e4,
	};
}

#endif
