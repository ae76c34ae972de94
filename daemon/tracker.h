/*
 * tracker.h — one vehicle's tracking: which trip it is running, its stop
 * events, where it is on the trip and how late, kilometres driven. Pure: the
 * caller feeds validated fixes, the candidate trips and sign-ons, and
 * collects events; nothing here reads a clock, a socket or a database.
 *
 * The vehicle's state machine (tracker_state_name gives the names):
 *
 *   idle ──candidates──▶ matching ──a trip fits──▶ tracking
 *     ▲                    ▲   │                     │
 *     └──no candidates─────┘   └────────sign-on──────┤
 *     └──────────── completed / dropped / sign-off ◀─┘
 *
 * idle:     no trip and nothing to choose from; fixes count for kilometres.
 * matching: the latest fixes are tried against every candidate trip; a
 *           trip is taken when the vehicle follows its course forward, near
 *           its timetable (the best of several by offset and lateness).
 * tracking: fixes go to the trip's trace (trace.h). A matched trip is dropped
 *           when the vehicle stays off its course (tracker_config.drop_off_s)
 *           or drives it backwards (drop_wrong_s); a signed-on trip is only
 *           left by signing off or completing. A trip completes on arrival at
 *           its last stop. Fixes dated before the end of the previous trip (a
 *           backlog) still go to that trip, so its events are revised.
 */
#ifndef JINTONG_TRACKER_H
#define JINTONG_TRACKER_H

#include "core.h"
#include "trace.h"

struct course;

struct tracker_config {
	struct trace_config trace;
	double drop_off_s;    /* off the course this long drops a matched trip (600) */
	double drop_wrong_s;  /* driving against it this long drops it (60) */
	double match_min_s;   /* fixes spanning this long before a match (45) */
	double match_early_s; /* a candidate may be this far ahead of its timetable (600) */
	double match_late_s;  /* or this far behind (1800) */
};

void tracker_config_default(struct tracker_config *cfg);

enum tracker_state {
	TRACKER_IDLE,
	TRACKER_MATCHING,
	TRACKER_TRACKING,
};

const char *tracker_state_name(enum tracker_state s);

enum tracker_kind {
	TRACKER_ARRIVAL,
	TRACKER_DEPARTURE,
	TRACKER_PASSED,  /* went by without stopping */
	TRACKER_SKIPPED, /* went round the stop */
};

const char *tracker_kind_name(enum tracker_kind k);

/* A stop event, new or changed since the last tracker_take_events. */
struct tracker_event {
	struct course *course; /* the trip (valid until the next call into the tracker) */
	size_t stop;           /* index in the course (stop_sequence - 1 in GTFS terms) */
	enum tracker_kind kind;
	jt_ms time;            /* when it happened (not when it was learnt) */
	bool estimated;        /* interpolated over a gap, not observed */
	bool revised;          /* replaces an event given before for this stop and kind */
	bool withdrawn;        /* an event given before no longer holds (time is the old one) */
};

struct tracker_progress {
	struct course *course;  /* NULL when not tracking */
	bool signed_on;
	struct trace_progress trace;
	double trip_km;
};

struct tracker;

struct tracker *tracker_new(const char *vehicle, const struct tracker_config *cfg);
void tracker_free(struct tracker *tr);
const char *tracker_vehicle(const struct tracker *tr);
enum tracker_state tracker_state(const struct tracker *tr);

/*
 * The trips the vehicle might be running now (its block's, or every trip
 * starting around now). The tracker takes references; the list replaces the
 * previous one and does not disturb a trip being tracked.
 */
void tracker_set_candidates(struct tracker *tr, struct course *const *courses, size_t n);

/*
 * The driver says which trip this is: tracking starts on it at once. Signing
 * on to the trip already tracked keeps what was read so far.
 */
void tracker_sign_on(struct tracker *tr, struct course *c);
/* The driver ends the trip. */
void tracker_sign_off(struct tracker *tr);

/* Feeds one validated fix (any order in time). */
void tracker_fix(struct tracker *tr, const struct fix *f);

/* Moves up to max events out; returns how many. Call until it returns less than max. */
size_t tracker_take_events(struct tracker *tr, struct tracker_event *out, size_t max);

/* The trip being tracked and where the vehicle is on it; false when not tracking. */
bool tracker_progress(const struct tracker *tr, struct tracker_progress *out);

/* Stop visits of the trip being tracked, or of the one just finished; NULL if none. */
const struct trace *tracker_trace(const struct tracker *tr);
const struct trace *tracker_last_trace(const struct tracker *tr);

/* Kilometres driven since the tracker was made, from fixes in time order, GPS noise excluded. */
double tracker_km(const struct tracker *tr);

#endif
