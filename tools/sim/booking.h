/*
 * booking.h — where riders' bookings plug into the fleet simulator.
 *
 * A booking client is a module driven by the simulator's event loop and
 * its simulated clock: started once the fleet is on the road with the
 * daemon's address, the operator token, the county's directory, the
 * service day and the seed; stepped on every tick of the simulated clock
 * (it issues the day's requests through POST /v1/rides when their time
 * comes and confirms the offers); asked for its counts for the status line
 * and the summary; and finished when the day ends (it may still print its
 * own lines to the summary file).
 *
 * booking-demand.c is the client linked in: the county's villagers
 * (demandgen.c), asked for with --demand SEED. Without it the vans serve
 * whatever bookings the operators make.
 */
#ifndef JINTONG_SIM_BOOKING_H
#define JINTONG_SIM_BOOKING_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"

struct event_base;

struct booking_counts {
	uint64_t requested; /* asked for, POST /v1/rides answered */
	uint64_t booked;    /* offers confirmed */
	uint64_t refused;
	uint64_t served;    /* rides carried to the end (completed) */
};

struct booking_start {
	struct event_base *base;
	const char *url, *token, *county;
	jt_day day;
	double from_s, to_s; /* the part of the service day simulated, seconds after midnight */
	uint64_t seed;
};

struct booking_client {
	void *(*start)(const struct booking_start *how);
	/* Simulated time now, ms since the epoch. */
	void (*tick)(void *ctx, int64_t sim_ms);
	void (*counts)(void *ctx, struct booking_counts *out);
	/* The day is over: writes "key value" lines of its own to summary (may be NULL), frees ctx. */
	void (*finish)(void *ctx, FILE *summary);
};

/* The client linked into this simulator, or NULL. */
const struct booking_client *booking_client(void);

#endif
