/*
 * clock.h — the daemon's one notion of "now" for the county's day.
 *
 * In production "now" is the wall clock. For a simulated day (a
 * demonstration, a test of a whole service day in minutes) the daemon may
 * run on a simulated clock instead: it reads start at the wall instant
 * anchor and runs rate times faster than real time from there. Every time
 * the daemon compares with domain times (fix validation, tracking, ETAs,
 * ride windows, offer expiry, no-show waits, notifications, today's date)
 * goes through now_ms() / today_local() (util.h), which follow this clock.
 * Timers about the machine (batching, reconnection, retries) stay on real
 * time.
 *
 * The mapping is a pure function of the wall time, so another process given
 * the same start, rate and anchor (the fleet simulator reads them from
 * /healthz) keeps exactly the same clock.
 */
#ifndef JINTONG_CLOCK_H
#define JINTONG_CLOCK_H

#include <stdbool.h>

#include "core.h"

struct clock_sim {
	jt_ms start;  /* simulated time at the anchor */
	jt_ms anchor; /* wall time (ms since the epoch) when the simulated clock read start */
	double rate;  /* simulated seconds per real second */
};

/* Simulated time at wall time `wall` (may be before the anchor). */
jt_ms clock_map(const struct clock_sim *c, jt_ms wall);
/* Wall time at which the simulated clock reads `sim`; the inverse of clock_map. */
jt_ms clock_unmap(const struct clock_sim *c, jt_ms sim);

/* Switches the process to a simulated clock; rate must be finite and > 0. */
void clock_simulate(const struct clock_sim *c);
/* Back to the wall clock (tests). */
void clock_use_wall(void);
/* True, with the mapping in *out when not NULL, if the clock is simulated. */
bool clock_simulated(struct clock_sim *out);
/* The real wall clock, whatever the simulated one says. */
jt_ms clock_wall_ms(void);

#endif
