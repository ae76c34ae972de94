/*
 * van.h — a van on booking duty in the fleet simulator: its driver follows
 * the manifest the daemon plans for it (GET /v1/vehicles/{code}/manifest,
 * with the tablet's token), drives to each stop in order, waits for the
 * window the rider was promised, and reports board, no_show (a seeded share
 * of riders are not there) and dropoff (POST /v1/rides/{id}/...). A ride
 * with parcels and no passengers is a parcel: picked up and delivered.
 *
 * The state machine, per van, stepped at each of its fixes:
 *
 *   IDLE ----(a task in the manifest)----> DRIVING to the task's place
 *   DRIVING --(arrived)--> WAITING for the pickup window to open
 *   WAITING --(window open; rider there)-------> report board
 *   WAITING --(window + no_show_wait_s; not there)--> report no_show
 *   DRIVING --(arrived at a drop-off)--> report dropoff
 *   report --(answered)--> IDLE, the task done; the manifest read again
 *
 * The manifest is read again every MANIFEST_EVERY_S of simulated time and
 * after every report, one request at a time per van; a task that left it
 * on the way (the plan gave the rider to another vehicle) is dropped. The county's road
 * graph is not in the feed, so a van drives the straight line between
 * places at the pace of the daemon's planning model for county roads
 * (30 km/h over 1.3 times the straight distance): it arrives when the
 * daemon expects it.
 */
#ifndef JINTONG_SIM_VAN_H
#define JINTONG_SIM_VAN_H

#include <stdbool.h>
#include <stdint.h>

struct event_base;
struct van;

/* Counters over all vans, for the status line and the summary. */
struct van_stats {
	uint64_t manifests;         /* manifests read */
	uint64_t boarded, no_show, dropped;
	uint64_t parcels_picked, parcels_delivered;
	uint64_t refused;           /* reports the daemon did not take */
	uint64_t reassigned;        /* tasks the plan gave another vehicle on the way */
	char last_refusal[200];     /* the last of them: ride, action, status, reply */
};

struct van_opts {
	struct event_base *base;
	const char *host;
	int port;
	const char *code, *token;   /* the vehicle and its tablet's device token */
	double lat, lon;            /* where it starts: its depot */
	double no_show_share;       /* riders who are not at the stop */
	double no_show_wait_s;      /* the daemon's no_show_wait_s */
	uint64_t seed;
	struct van_stats *stats;
};

struct van *van_new(const struct van_opts *o);
void van_free(struct van *v);

/* Moves the van to simulated time ms; where it is then. */
struct van_pos {
	double lat, lon, speed, heading;
};
void van_step(struct van *v, int64_t ms, struct van_pos *out);
bool van_busy(const struct van *v);

#endif
