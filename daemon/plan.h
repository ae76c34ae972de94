/*
 * plan.h — the plans of demand-responsive vehicles, and how a ride request
 * finds its place in one. Pure: no I/O, no clock, no globals; the booking
 * service in the daemon, the offline solver (jintong-solve) and the
 * benchmark all run this same code.
 *
 * A vehicle's plan is the ordered list of stops it will make: the pickup and
 * the drop-off of each request it carries, each with a place, a service
 * duration, a time window [earliest, latest] for the start of service, and
 * the change in seats and cargo (litres) it makes. The vehicle leaves its
 * start (depot at shift start, or where it is now) no earlier than its start
 * time and must be back at its end depot by its shift end, and within its
 * maximum route duration.
 *
 * Promises. A plan is feasible when there is a schedule (a start of service
 * for every stop) such that: every stop starts inside its window; seats and
 * cargo on board never exceed the vehicle's at any point; every request's
 * ride (from leaving its pickup to starting its drop-off) lasts at most its
 * ride limit; the vehicle is back at the end depot by the shift end; the
 * route lasts at most the maximum duration. Every change made through this
 * API keeps every promise already made: an insertion is only ever made if
 * the whole plan, riders already confirmed included, stays feasible.
 *
 * Schedule. The planned times are the earliest feasible schedule: each stop
 * as early as the windows allow, except that a pickup (or the departure from
 * the start) is delayed exactly as much as needed to keep a ride time or the
 * route duration within its limit. Feasibility is decided exactly (the
 * constraints are differences of times; the least solution is found by
 * pushing times later until nothing moves, see plan.c), not by a heuristic.
 *
 * Started stops. The first `started` stops of a plan are in progress (the
 * vehicle is heading there, or serving them): nothing is ever inserted before
 * them, and neither removal nor improvement moves them. Stops already served
 * leave the plan through plan_stop_done(), which moves the vehicle's start
 * to that stop and remembers when a rider on board was picked up.
 *
 * Parcels. A parcel-only request has no ride limit of its own (unless one is
 * given) and takes no seat. It travels on slack: it may never break a
 * passenger's promise (that is feasibility), and beyond that an insertion
 * for a parcel is preferred when it moves no passenger stop's planned time
 * later by more than `parcel_slack_share` of the slack that stop had (its
 * latest start minus its planned start). Only when no such insertion exists
 * among the candidates is the cheapest feasible one taken, and the result
 * says so (`passenger_neutral` false), so a caller can refuse it.
 *
 * Costs and times are in the travel model's units: seconds and metres for
 * the county model, the instance's units for benchmark instances.
 *
 * A booking, as the booking service runs it:
 *   plan_request_check(&req, err, sizeof err)           refuse bad input
 *   n = plan_candidates(grid, &req, 24, 3, cand, max)    nearby vehicles
 *   plan_best_insertion(&set, &travel, cand, n, &req, &ins)
 *                                    offer ins.pick_begin / ins.drop_begin
 *   plan_apply(&set, &travel, &req, &ins)                on confirmation,
 *                                    if no plan changed meanwhile (else
 *                                    search again)
 * and between bookings, plan_improve() with a time budget.
 */
#ifndef JINTONG_PLAN_H
#define JINTONG_PLAN_H

#include "core.h"

/* Longest plan a vehicle may hold, in stops. */
#define PLAN_STOPS_MAX 2000
/* Largest coordinate magnitude accepted in a request or vehicle. */
#define PLAN_COORD_MAX 1e7
/* Times compare equal within this (absorbs rounding in sums of legs). */
#define PLAN_EPS 1e-7

/* A place: x, y in the travel model's plane, or longitude, latitude degrees
 * for the county model. */
struct plan_loc {
	double x, y;
};

/*
 * Travel between two places. time() gives the driving time, cost() what the
 * operator pays (the objective). Both must be finite, non-negative, and zero
 * from a place to itself; the insertion search assumes neither breaks the
 * triangle inequality by much.
 */
struct plan_travel {
	double (*time)(void *ctx, const struct plan_loc *a, const struct plan_loc *b);
	double (*cost)(void *ctx, const struct plan_loc *a, const struct plan_loc *b);
	void *ctx;
	/* When > 0, cost is always time times this, and the insertion search
	 * saves the calls to cost(). 0: call cost(). */
	double cost_per_time;
};

/* Time = cost = the Euclidean distance (benchmark instances). */
void plan_travel_euclid(struct plan_travel *t);

/* The county: great-circle distance (x = longitude, y = latitude) times a
 * winding factor for the roads; time = that distance / speed (seconds),
 * cost = that distance (metres). */
struct plan_geo {
	double winding;   /* road length / straight line, e.g. 1.35 in the hills */
	double speed_mps; /* average driving speed, e.g. 40 km/h = 11.1 m/s */
};
void plan_travel_geo(struct plan_travel *t, struct plan_geo *g);

struct plan_settings {
	/* A passenger's ride limit: min(alpha * direct + beta, direct +
	 * max_detour), where direct is the travel time from pickup to drop-off,
	 * unless the request gives its own. */
	double ride_alpha;
	double ride_beta;
	double ride_max_detour;
	/* Share of a passenger stop's slack a parcel's insertion may use (see
	 * above), in [0, 1]. */
	double parcel_slack_share;
};
/* alpha 1.5, beta 600 s, max detour 1800 s, parcel share 0.5. */
void plan_settings_default(struct plan_settings *s);
/* Checks settings from a configuration: alpha finite and >= 1, beta and max
 * detour finite and >= 0, the parcel share in [0, 1]. Returns 0, or -1 with
 * the setting at fault in err. */
int plan_settings_check(const struct plan_settings *s, char *err, size_t errlen) JT_MUST_CHECK;

struct plan_request {
	int id; /* unique among the requests planned together, >= 0 */
	struct plan_loc pick, drop;
	double pick_earliest, pick_latest; /* start of service at the pickup */
	double drop_earliest, drop_latest; /* start of service at the drop-off */
	double pick_service, drop_service; /* boarding and alighting durations */
	int seats;      /* passengers, 0 for a parcel */
	double cargo;   /* litres */
	double max_ride; /* NAN: from the settings (parcels: no limit) */
	bool parcel;     /* parcel-only: takes no seat, yields to passengers */
};

enum plan_stop_kind { PLAN_PICKUP = 1, PLAN_DROPOFF = 2 };

struct plan_stop {
	int request;
	enum plan_stop_kind kind;
	bool parcel;
	struct plan_loc loc;
	double service;
	double earliest, latest;
	int seats;       /* change in seats taken: + at a pickup, - at a drop-off */
	double cargo;    /* change in cargo on board, litres */
	double max_ride; /* the request's ride limit (INFINITY: none) */
	double picked_at; /* drop-off of a request on board: when the vehicle left
			   * its pickup; NAN otherwise */
	int mate;        /* index in the plan of the request's other stop, -1 if
			  * that stop was already served */
	double begin;    /* planned start of service (the schedule) */
	double leg_time, leg_cost; /* from the previous stop (or the start) */
};

struct plan_grid;

struct plan_vehicle {
	int id;
	struct plan_loc start; /* where the vehicle is free to start from */
	double start_time;     /* not before then */
	struct plan_loc end;   /* its end depot */
	double shift_end;      /* back at the end depot by then */
	double max_duration;   /* longest route, INFINITY when only the shift counts */
	int seats;
	double cargo;
	int load_seats;    /* taken at the start (riders on board) */
	double load_cargo; /* on board at the start */
	int started;       /* the first `started` stops are fixed */

	struct plan_stop *stops;
	int n, cap;

	/* The schedule, kept up to date by every function here. */
	double depart;  /* leaves the start */
	double arrive;  /* back at the end depot */
	double cost;    /* of the whole route, start to end depot */
	double end_leg_time, end_leg_cost; /* last stop (or start) to end depot */
	bool feasible;  /* false only if built by hand into an infeasible plan */

	/* Owned by the spatial index. */
	struct plan_grid *grid;
	int *cells;
	int ncells, capcells;
	unsigned mark;
};

/* ---- vehicles and their plans ------------------------------------------ */

/* An empty plan. Free with plan_vehicle_free (which leaves the index). */
void plan_vehicle_init(struct plan_vehicle *v, int id, struct plan_loc start,
		       double start_time, struct plan_loc end, double shift_end, int seats,
		       double cargo);
void plan_vehicle_free(struct plan_vehicle *v);
/* Copies src's plan into dst (dst initialised; its index entry untouched). */
void plan_vehicle_copy_plan(struct plan_vehicle *dst, const struct plan_vehicle *src);

/* Recomputes the schedule and cost of v; returns v->feasible. Needed only
 * after changing a vehicle's fields by hand. */
bool plan_refresh(struct plan_vehicle *v, const struct plan_travel *t);

/*
 * Checks a request from outside: finite coordinates within PLAN_COORD_MAX,
 * finite non-negative service times, windows with earliest <= latest (latest
 * may be INFINITY), seats and cargo non-negative and not both zero, a parcel
 * without seats, a ride limit that is NAN or positive. Returns 0, or -1 with
 * a reason in err.
 */
int plan_request_check(const struct plan_request *r, char *err, size_t errlen) JT_MUST_CHECK;

/* The ride limit the request will have: its own, else from the settings. */
double plan_ride_limit(const struct plan_settings *s, const struct plan_travel *t,
		       const struct plan_request *r);

/* Index of the stop of `request` of the given kind in v's plan, or -1. */
int plan_find(const struct plan_vehicle *v, int request, enum plan_stop_kind kind);

/*
 * Checks every promise of v's plan independently of how it was built and
 * reports the first one broken: structure (each pickup before its drop-off,
 * mates consistent, no stop of a request twice), seats and cargo at every
 * point, windows, ride times, shift end and route duration, and that the
 * stored schedule is the one the plan gives. Returns 0, or -1 with a message
 * naming the stop and the constraint.
 */
int plan_check(const struct plan_vehicle *v, const struct plan_travel *t, char *msg,
	       size_t msglen) JT_MUST_CHECK;

/* ---- insertion ---------------------------------------------------------- */

struct plan_insertion {
	struct plan_vehicle *vehicle; /* NULL: no feasible insertion */
	int pick_at;  /* the pickup goes before the stop now at this index */
	int drop_at;  /* the drop-off before the stop now at this index (>= pick_at) */
	double added_cost;
	double pick_begin, drop_begin; /* planned starts of service, to offer */
	bool passenger_neutral; /* parcels: within the slack share (always true
				 * for passengers) */
};

/*
 * The cheapest feasible insertion of r into one of the n candidate vehicles,
 * by added cost; ties go to the earlier candidate. The request must have
 * passed plan_request_check. Per vehicle it tries every pair of positions
 * after the started prefix (O(n^2) pairs), rejecting most by cost, capacity
 * and window bounds before an exact O(n) feasibility test. Returns 0 and
 * fills *out, or -1 (out->vehicle NULL) when no candidate can take it.
 */
int plan_best_insertion(const struct plan_settings *s, const struct plan_travel *t,
			struct plan_vehicle *const *cand, size_t n, const struct plan_request *r,
			struct plan_insertion *out);

/* Makes an insertion found by plan_best_insertion (for the same request and
 * unchanged plans). Returns 0, or -1 if it is no longer feasible (nothing
 * changed). Updates the spatial index. */
int plan_apply(const struct plan_settings *s, const struct plan_travel *t,
	       const struct plan_request *r, const struct plan_insertion *ins) JT_MUST_CHECK;

/* plan_best_insertion then plan_apply. Returns 0, or -1 if no candidate can
 * take the request. */
int plan_insert_cheapest(const struct plan_settings *s, const struct plan_travel *t,
			 struct plan_vehicle *const *cand, size_t n,
			 const struct plan_request *r, struct plan_insertion *out);

/* ---- removal and progress ----------------------------------------------- */

enum plan_remove_result {
	PLAN_REMOVED = 0,
	PLAN_NOT_FOUND = -1, /* no such request in the plan */
	PLAN_FIXED = -2,     /* a stop of it is started or done: cannot change */
};

/* Takes request `id` out of v's plan (a cancellation); if out is not NULL,
 * it receives the request as the plan held it. Refused for a request with a
 * started stop or a rider on board. */
enum plan_remove_result plan_remove(const struct plan_travel *t, struct plan_vehicle *v, int id,
				    struct plan_request *out);

/* A no-show: the first stop, a started pickup, is dropped with its drop-off.
 * Returns 0, or -1 when the first stop is not a started pickup of `id`. */
int plan_no_show(const struct plan_travel *t, struct plan_vehicle *v, int id) JT_MUST_CHECK;

/* The vehicle starts serving the next `count` stops (they become fixed). */
void plan_start_next(struct plan_vehicle *v, int count);

/* The first stop has been served and the vehicle left it at `left_at`: it
 * leaves the plan, the vehicle starts from there, and a rider picked up
 * there carries the pickup time to the drop-off's ride limit. Returns 0, or
 * -1 on an empty plan or a time that is not finite. */
int plan_stop_done(const struct plan_travel *t, struct plan_vehicle *v, double left_at) JT_MUST_CHECK;

/* ---- improvement -------------------------------------------------------- */

struct plan_improve_opts {
	long iterations;      /* at most this many moves tried (<= 0: no limit) */
	/* Optional clock for a time budget: stop once clock(ctx) >= deadline. */
	double (*clock)(void *ctx);
	void *clock_ctx;
	double deadline;
	uint64_t seed;        /* same seed, same plans, same result */
	/*
	 * 0 (the daemon): only changes that lower the total cost are kept. > 0
	 * (offline solving): worse plans are accepted with probability
	 * exp(-delta / T), T falling linearly from this to 0 over the
	 * iterations, and the best plans seen are restored at the end.
	 */
	double temperature;
	/* Requests not yet in any plan: tried again by every ruin-and-recreate
	 * move, each counting `unserved_penalty` in the objective. Served ones
	 * leave the array (it is compacted; *npending updated). */
	struct plan_request *pending;
	size_t *npending;
	double unserved_penalty;
	/* Progress: called every `progress_every` iterations if set. */
	void (*progress)(void *ctx, long iteration, double cost, double best, size_t unserved);
	void *progress_ctx;
	long progress_every;
};

struct plan_improve_stats {
	long iterations;
	long accepted;
	double cost_before, cost_after; /* total route cost */
};

/*
 * Improves the plans of vehicles v[0..n) within the budget: moves a request
 * to its cheapest place in any vehicle (another one, or elsewhere in its
 * own), and ruins and recreates (takes out a few related requests and puts
 * them back in random order, cheapest first). A change is kept only if every
 * plan stays feasible and, with temperature 0, the total cost falls. Started
 * stops never move, riders on board never change vehicle. Vehicles in a
 * spatial index are searched through it when there are many.
 */
void plan_improve(const struct plan_settings *s, const struct plan_travel *t,
		  struct plan_vehicle *const *v, size_t n, const struct plan_improve_opts *o,
		  struct plan_improve_stats *stats);

/* Sum of the route costs of v[0..n). */
double plan_total_cost(struct plan_vehicle *const *v, size_t n);

/* ---- the spatial index -------------------------------------------------- */

/*
 * A uniform grid over the plane (or lon/lat degrees) holding each vehicle in
 * the cells of its start and of every stop of its plan, so that the vehicles
 * near a request are found without scanning the fleet. Places outside the
 * bounds go to the border cells.
 */
struct plan_grid *plan_grid_new(double min_x, double min_y, double max_x, double max_y,
				double cell);
void plan_grid_free(struct plan_grid *g);
/* Puts v in the index (or moves it after its plan changed by hand). Plan
 * changes made through this API keep the index in step by themselves. */
void plan_grid_update(struct plan_grid *g, struct plan_vehicle *v);
void plan_grid_remove(struct plan_grid *g, struct plan_vehicle *v);

/*
 * The vehicles whose plans come near the request's pickup or drop-off:
 * cells in growing rings around the pickup, then the drop-off, until at
 * least `want` vehicles are found or `max_ring` rings are searched. Writes
 * at most `max` distinct vehicles to out, nearest rings first; returns how
 * many.
 */
size_t plan_candidates(struct plan_grid *g, const struct plan_request *r, size_t want,
		       int max_ring, struct plan_vehicle **out, size_t max);

#endif
