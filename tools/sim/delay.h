/*
 * delay.h — how late a simulated bus runs: seeded late starts (a share of
 * trips leave a few minutes after their time) and breakdowns (a share of
 * vehicles stop once during their day, for a while or for the rest of it).
 *
 * A vehicle's lag is the simulated time it is behind its timetable; the
 * simulator drives it where the timetable has it at (now - lag). While it
 * is held (a late start, a breakdown) the lag grows second for second and
 * the vehicle stands. Standing between trips it catches up: its timetable
 * time runs three times faster until the lag is gone, so a layover absorbs
 * a delay and a bus broken down for the rest of the day runs nothing more.
 * Every draw is a hash of the seed and the trip's or vehicle's name, so a
 * seed gives the same incidents on every run however the ticks fall.
 */
#ifndef JINTONG_SIM_DELAY_H
#define JINTONG_SIM_DELAY_H

#include <stdbool.h>
#include <stdint.h>

struct delay_opts {
	double late_share;      /* trips that leave late */
	double breakdown_share; /* vehicles that break down during the day */
	uint64_t seed;
};

struct delay {
	double lag_s;
	double hold_until_s;    /* day seconds until which the vehicle stands */
	double breakdown_at_s;  /* day seconds; negative: no breakdown */
	double breakdown_for_s; /* INFINITY: for the rest of the day */
	bool broken, breakdown_seen;
	char trip[64];          /* the trip last under way */
	double last_s;          /* day seconds of the last step, or NAN */
	double step_s;          /* length of the last step */
};

/* A number in [0, 1) fixed by the seed, a salt and a name. */
double delay_chance(uint64_t seed, uint64_t salt, const char *name);

/* The vehicle's incidents for a day whose trips run from first_s to last_s. */
void delay_init(struct delay *d, const struct delay_opts *o, const char *vehicle, double first_s, double last_s);

/*
 * Steps to day second now_s; returns the timetable second the vehicle is at
 * and sets *standing when it is held. Call delay_trip() with the trip found
 * there (NULL between trips) right after.
 */
double delay_step(struct delay *d, double now_s, bool *standing);

/*
 * The trip under way at the step (NULL: none). A trip seen for the first
 * time may start late: returns the minutes it is held then, 0 otherwise.
 */
double delay_trip(struct delay *d, const struct delay_opts *o, const char *trip, double now_s);

#endif
