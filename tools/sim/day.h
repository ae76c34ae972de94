/*
 * day.h — what the fleet simulator needs to know of the simulated day
 * before it starts: the daemon's clock (GET /healthz: the wall clock, or a
 * simulated one whose start, rate and anchor the simulator then shares, so
 * both read the same county time at every instant), and the county's vans
 * on booking duty with their depots and hours (county.json's shifts).
 */
#ifndef JINTONG_SIM_DAY_H
#define JINTONG_SIM_DAY_H

#include <stdbool.h>
#include <stddef.h>

#include "clock.h"

/* 1 with *c set when the daemon's clock is simulated, 0 on the wall clock, -1 with err. */
int day_daemon_clock(const char *url, struct clock_sim *c, char *err, size_t errlen);

struct day_shift {
	char code[40], vehicle[40], depot[40];
	double start_s, end_s; /* seconds of the service day */
};

/* The shifts of county.json in dir; -1 with err when it cannot be read. */
int day_shifts(const char *dir, struct day_shift **out, size_t *n, char *err, size_t errlen);

#endif
