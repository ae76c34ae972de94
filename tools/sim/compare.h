/*
 * compare.h — one simulated day's requests (demandgen.h) served offline by
 * two dispatch policies with the same vans, the same shifts and the same
 * road travel times, to see what Jintong's way of dispatching is worth:
 *
 *   jintong  as the daemon books: a seat on a timetabled trip first (the
 *            daemon's own seat search, seats.c, on the day's generated
 *            timetable with its vehicles' seats and the pupils' rosters;
 *            a bus that has left before the rider asks is passed over),
 *            else the cheapest insertion into a van's plan (plan.c), riders
 *            pooled under every promise already made, the plans improved
 *            between bookings as the daemon does;
 *   naive    no seats on timetabled trips; each request gets the nearest van
 *            free to fetch it in time, and carries it alone (one ride at a
 *            time, no pooling).
 *
 * Requests are handled in the order they are asked, each knowing only what
 * was asked before it. Times are seconds of the service day; van distances
 * are road metres (roads.h) from where the vans stand to the village, stop or
 * point and back to their depot at the end of the shift. Pure and
 * deterministic.
 */
#ifndef JINTONG_SIM_COMPARE_H
#define JINTONG_SIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "demandgen.h"
#include "gen.h"
#include "plan.h"
#include "roads.h"

enum compare_policy { COMPARE_JINTONG, COMPARE_NAIVE };

struct compare_opts {
	double van_speed_mps;    /* the daemon's demand_speed_kmh default, 30 km/h */
	double window_s;         /* the pickup window offered (demand_window_min, 20 min) */
	double service_s;        /* boarding or alighting, 60 s */
	double walk_max_m;       /* to and from a timetabled trip's stop (walk_max_m, 1000 m) */
	double walk_speed_mps;   /* 1 m/s, an unhurried rider */
	int horizon_s;           /* how far from the asked time a seat may be (booking_window_min, 3 h) */
	long improve_moves;      /* plan improvement between bookings (jintong) */
	int improve_every;       /* bookings between two improvements */
	struct plan_settings plan;
};
void compare_opts_default(struct compare_opts *o);

enum compare_outcome { COMPARE_REFUSED, COMPARE_SEAT, COMPARE_VAN };

struct compare_ride {
	enum compare_outcome outcome;
	int van;          /* shift index for a van ride, else -1 */
	double pickup_s;  /* promised pickup (seat: the trip's departure from the boarding stop) */
	double drop_s;    /* expected arrival */
	double wait_s;    /* leave-after: pickup - asked time; arrive-by: asked time - arrival */
	bool pooled;      /* shared its van with another request on board */
};

struct compare_result {
	enum compare_policy policy;
	size_t requests, served, seats, vans, refused;
	size_t refused_wheelchair;
	size_t pooled;
	double wait_sum_s;   /* over served requests */
	double wait_seat_s, wait_van_s; /* sums over those on seats, in vans */
	double van_m;        /* every van's road metres over the day */
	size_t vans_used;
	struct compare_ride *rides; /* one per request, in the list's order */
};

/*
 * Serves the day's requests l (for day `day` of county c, road table rd) by
 * `policy`; *out is filled (free with compare_result_free). 0, or -1 with
 * err when the inputs do not fit together.
 */
int compare_run(const struct gen_county *c, const struct roads *rd, jt_day day, const struct demandgen_list *l,
		const struct compare_opts *o, enum compare_policy policy, struct compare_result *out, char *err,
		size_t errlen);
void compare_result_free(struct compare_result *r);

const char *compare_policy_name(enum compare_policy p);

/* The place in the plan core's terms: x the node, y the road metres off it. */
struct plan_loc compare_loc(const struct demandgen_place *p);
/* Road metres between two places (the travel model both policies use). */
double compare_road_m(const struct roads *rd, const struct plan_loc *a, const struct plan_loc *b);

#endif
