/*
 * demand.h — the demand-responsive fleet: the safety net under the
 * timetable.
 *
 * A shift puts a vehicle on booking duty: on the days of a calendar, from a
 * depot, between two times of the day. For each shift and service day the
 * fleet keeps one vehicle plan (plan.h), made the first time a ride asks
 * for that day, and finds riders' places in those plans through a spatial
 * index, so the cost of a booking does not grow with the fleet.
 *
 * Times in plans are seconds since the Unix epoch (as doubles); places are
 * longitude, latitude. A rider's promise is a pickup window and a latest
 * drop-off: once given, no later booking may break it (plan.h), and a
 * restarted daemon rebuilds the plans from the promises alone
 * (demand_restore()).
 *
 * Pure: no I/O, no clock (the caller says what time it is).
 */
#ifndef JINTONG_DEMAND_H
#define JINTONG_DEMAND_H

#include "calendar.h"
#include "core.h"
#include "plan.h"

#define DEMAND_CODE_MAX 32

struct demand_shift {
	char code[DEMAND_CODE_MAX + 1];
	char vehicle[DEMAND_CODE_MAX + 1];
	char depot[DEMAND_CODE_MAX + 1];
	const struct calendar *cal; /* owned by the caller, valid until the next demand_set_shifts() */
	double depot_lat, depot_lon;
	int32_t start_s, end_s;     /* seconds of the service day */
	int seats;
	double cargo_l;
	bool step_free;             /* a wheelchair can board the vehicle */
};

struct demand_opts {
	double speed_kmh;      /* average driving speed on county roads */
	double winding;        /* road length over straight-line distance */
	double window_s;       /* width of the pickup window offered */
	double service_s;      /* boarding or alighting */
	struct plan_settings plan;
	/* local midnight of a service day, as Unix seconds (the caller knows the time zone) */
	double (*midnight)(void *ctx, jt_day day);
	void *midnight_ctx;
};

struct demand;

struct demand *demand_new(const struct demand_opts *o);
void demand_free(struct demand *dm);
/* The shifts from now on (copied). Plans already made keep their riders. */
void demand_set_shifts(struct demand *dm, const struct demand_shift *s, size_t n);
size_t demand_shift_count(const struct demand *dm);

/* A ride asking for a vehicle. */
struct demand_ask {
	double olat, olon, dlat, dlon;
	jt_day day;           /* service day of `time` */
	double time;          /* Unix seconds: earliest departure, or latest arrival */
	bool arrive_by;
	int riders;
	double cargo_l;
	bool parcel;          /* nobody travels with it */
	bool wheelchair;      /* only a step-free vehicle will do */
};

/* Where a ride was placed, or is to be placed. */
struct demand_place {
	int plan_id;          /* the ride's id inside the plans */
	char shift[DEMAND_CODE_MAX + 1];
	char vehicle[DEMAND_CODE_MAX + 1];
	jt_day day;
	double pick_from, pick_to; /* the promised pickup window (Unix seconds) */
	double drop_by;            /* the promised latest drop-off */
	double pick_at, drop_at;   /* planned */
	double added_cost_m;
};

/*
 * Places the ride in the vehicle plan where it adds least, keeping every
 * promise already made; `now` bounds the pickup from below. Returns 0 with
 * *out filled (the ride now holds its place), or -1 when no vehicle on duty
 * can take it (err says why, for the rider).
 */
int demand_book(struct demand *dm, const struct demand_ask *a, double now, struct demand_place *out,
		char *err, size_t errlen) JT_MUST_CHECK;
/*
 * Puts back a ride promised before a restart, into the same shift's plan
 * with the same promise. Returns 0, or -1 when that plan can no longer hold
 * it (the shift is gone, or the promises conflict).
 */
int demand_restore(struct demand *dm, const struct demand_ask *a, struct demand_place *p) JT_MUST_CHECK;
/* Gives a ride's place back (cancelled, expired, no-show). 0, or -1 when unknown or fixed. */
int demand_release(struct demand *dm, const struct demand_place *p);

/*
 * The vehicle served the ride's pickup (the rider boarded) or its drop-off
 * at `at`. When that stop is the next of the plan it leaves the plan and the
 * vehicle goes on from there; a drop-off served out of the planned order
 * takes the ride out of the plan all the same. Returns 0, or -1 when the
 * plan was left as it was (a pickup out of order, an unknown ride).
 */
int demand_served(struct demand *dm, const struct demand_place *p, bool pickup, double at);
/* The rider was not there: the ride leaves the plan. 0, or -1 when unknown. */
int demand_no_show(struct demand *dm, const struct demand_place *p);

/*
 * Improves the plans of day `day` within `iterations` moves, keeping every
 * promise: riders may move between vehicles and stops be reordered. For
 * each ride whose vehicle changed, calls moved(ctx, plan_id, shift,
 * vehicle) so the caller can record it. Returns the cost saved in metres.
 */
double demand_improve(struct demand *dm, jt_day day, long iterations, uint64_t seed,
		      void (*moved)(void *ctx, int plan_id, const char *shift, const char *vehicle), void *ctx);

/* The plan of a shift on a day (for manifests), or NULL. */
const struct plan_vehicle *demand_plan(const struct demand *dm, const char *shift, jt_day day);
/* Forgets the plans of days before `day`. */
void demand_forget_before(struct demand *dm, jt_day day);

#endif
