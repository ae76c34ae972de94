/*
 * soak.h — the province's tablets and booking front ends, played against
 * jintongd on one event loop (soakload.c), and what they measured.
 *
 * Tablets: each makes a fix every `interval_ms` (spread evenly over the
 * interval, so the load is smooth), keeps what the daemon has not yet
 * acknowledged, and sends it over the connection it shares with other
 * tablets: protobuf tablets their whole backlog as one FixBatch (up to
 * SOAK_OWED fixes), tracking-app tablets one OsmAnd fix a request. A 503 or
 * 429, or no answer, and the tablet tries again a second later. The time to
 * acknowledge a fix runs from when it was made, so a daemon falling behind
 * shows in the latencies (no coordinated omission).
 *
 * Booking front ends: riders' requests arrive as a Poisson stream whose rate
 * follows the day's booking profile (morning peak) on the daemon's clock,
 * asking for a ride between two stops not far apart, leaving 10 minutes to
 * 5 hours later that day, confirmed at once.
 *
 * Everything is dated on the daemon's (simulated) clock, so the soak meets
 * the county's morning whatever the hour it runs.
 *
 * Bursts: for a while every connection sends its next request the moment the
 * previous one is answered — the most the daemon does beside the rest of
 * the load, the headroom.
 */
#ifndef JINTONG_SOAK_H
#define JINTONG_SOAK_H

#include <stdbool.h>
#include <stdint.h>

#include "histogram.h"
#include "province.h"

#define SOAK_OWED 64

struct soak_opts {
	const char *host;
	int port;
	const char *op_token;
	int connections;             /* shared by the tablets */
	int booking_connections;
	long interval_ms;            /* a tablet's fix interval */
	double osmand_share;         /* tablets speaking the tracking apps' protocol */
	double bookings_per_day;
	/* the daemon's clock (as its /healthz tells it): simulated ms at the wall ms anchor, and its rate */
	int64_t clock_start_ms, clock_anchor_ms;
	double speedup;              /* simulated seconds per real second */
	uint64_t seed;
};

struct soak_counts {
	uint64_t made, acked, rejected, dropped;   /* fixes */
	uint64_t requests, ok, unavailable, limited, failed, other;
	uint64_t booked, seat, van, refused, book_failed, book_other;
	uint64_t book_due;                          /* requests arrived, sent or not */
};

struct soak;

struct soak *soak_new(const struct soak_opts *o, const struct province *p);
void soak_free(struct soak *s);
/* Runs the paced load for ms; every window_ms calls report(arg). */
void soak_run(struct soak *s, long ms, long window_ms, void (*report)(struct soak *, void *), void *arg);
/* Every fix connection (fixes = true) or booking connection sending as fast as answered, for ms. */
void soak_burst(struct soak *s, bool fixes, long ms);
/* Stops new fixes and bookings; runs until every fix is acknowledged and every booking answered, or ms pass. */
void soak_drain(struct soak *s, long ms);

const struct soak_counts *soak_counts(const struct soak *s);
/* Latencies since the last soak_window_reset (window) and over the whole run. */
const struct histogram *soak_fix_latency(const struct soak *s, bool window);
const struct histogram *soak_book_latency(const struct soak *s, bool window);
void soak_window_reset(struct soak *s);
/* Starts the whole run's latencies afresh: what came before was the daemon warming up. */
void soak_warmed_up(struct soak *s);
/* The bookings-per-second the profile asks for now (at the soak's speed), and its peak. */
double soak_booking_rate(const struct soak *s);
double soak_booking_peak(const struct soak *s);
/* The daemon's clock now: Unix ms, and the time of day in the county (s). */
int64_t soak_clock_ms(const struct soak *s);
double soak_profile_time(const struct soak *s);

/*
 * Compares the acknowledged fixes with the database: every one stored once.
 * Returns acknowledged fixes missing; *duplicates gets rows stored twice, *stored all rows.
 */
uint64_t soak_fixes_missing(struct soak *s, const char *conninfo, uint64_t *stored, uint64_t *duplicates);
/* Acknowledged rides (any state) missing from the database. */
uint64_t soak_rides_missing(struct soak *s, const char *conninfo, uint64_t *checked);

#endif
