/*
 * yardstick.h — the county's own yardsticks (DOMAIN.md) measured on a
 * generated county and one day of its timetable:
 *
 *   the 2 km rule       villages whose committee is within 2 km (straight
 *                       line) of a stop some line serves;
 *   the 30-minute circle villages whose committee reaches its township
 *                       centre within 30 minutes by the network;
 *   the 60-minute circle ... and the county seat within 60 minutes.
 *
 * "By the network" is an approximation, stated: from the committee along the
 * roads to the nearest stop the day's public trips leave from, at 30 km/h
 * (a booked van or a motorbike; 0 when the village is itself one), then the
 * shortest in-vehicle time of the day's scheduled and market-day trips from
 * that stop to the destination's stop, any number of changes counted at 10
 * minutes each. Waiting for a departure is not counted:
 * this is the circle the network draws, not a timetable query. Student and
 * logistics runs do not count (they do not take the public). Pure.
 */
#ifndef JINTONG_SIM_YARDSTICK_H
#define JINTONG_SIM_YARDSTICK_H

#include <stdbool.h>
#include <stddef.h>

#include "gen.h"
#include "roads.h"

struct yardstick_opts {
	double near_m;        /* 2000 */
	double access_mps;    /* 30 km/h */
	double transfer_s;    /* 600 */
	double town_s;        /* 1800 */
	double seat_s;        /* 3600 */
};
void yardstick_opts_default(struct yardstick_opts *o);

struct yardsticks {
	size_t villages;
	size_t near_stop;     /* within near_m of a served stop */
	size_t town_ok;       /* town centre within town_s */
	size_t seat_ok;       /* county seat within seat_s */
	size_t town_none, seat_none; /* not reachable at all by the day's network */
	double town_mean_s, seat_mean_s; /* over the reachable ones */
};

void yardstick_measure(const struct gen_county *c, const struct roads *rd, jt_day day,
		       const struct yardstick_opts *o, struct yardsticks *out);

#endif
