/*
 * trace.h — one vehicle's fixes along one course, and what they say about
 * each stop: when the bus arrived and left, passed without stopping, or
 * went round it. Pure.
 *
 * Fixes may come in any order (a tablet leaving a valley without coverage
 * uploads its backlog, each fix dated when it was measured): the trace keeps
 * them in time order and re-evaluates every stop after each one, so a stop
 * first reported as passed between two distant fixes becomes an observed
 * arrival once the backlog fills the gap. A stop's visit is a function of
 * the fixes, not of the order they came in.
 *
 * How a fix becomes progress:
 *   1. snap: the nearest point of the course within the window the previous
 *      fixes allow (not far behind the confirmed progress, not farther ahead
 *      than the top speed could carry the bus), so a road that passes the same
 *      place twice is read on the right pass;
 *   2. judge: off route (too far from the course for the fix's accuracy),
 *      wrong way (heading against the course while moving), or an outlier
 *      (far from where its neighbours in time put the bus);
 *   3. smooth: the good fixes' distances are fitted with the closest
 *      non-decreasing sequence (isotonic regression), since a bus on its
 *      course never goes back: GPS noise averages out at a dwell.
 * A stop is reached when the fitted progress enters its fence (distance
 * along within fence_m). Arrival needs the bus seen before the fence (no
 * arrival is made up for a bus first seen at a stop), departure needs it seen
 * past the fence. A bus that went from before a fence to beyond it without a
 * fix inside passed it (time interpolated along the timetable, estimated),
 * unless fixes off the course in between show it went another way: skipped.
 */
#ifndef JINTONG_TRACE_H
#define JINTONG_TRACE_H

#include "core.h"

struct course;

struct trace_config {
	double fence_m;     /* a stop's reach along the course (60) */
	double off_route_m; /* farther from the course is off route (80; more for poor accuracy) */
	double max_speed;   /* m/s no bus exceeds (30) */
	double back_m;      /* noise tolerated behind the confirmed progress (150) */
	double outlier_m;   /* a fix this far from its neighbours' line is ignored (100) */
	double gap_s;       /* an event interpolated over a longer gap is estimated (60) */
};

/* The defaults above. */
void trace_config_default(struct trace_config *cfg);

enum trace_visit {
	TRACE_NONE,    /* not reached, or not known (tracking began later) */
	TRACE_STOPPED, /* arrival (when seen coming) and departure (once gone) */
	TRACE_PASSED,  /* went by without stopping, or between two fixes */
	TRACE_SKIPPED, /* went round it: fixes off the course while it would have passed */
};

const char *trace_visit_name(enum trace_visit v);

struct trace_stop {
	enum trace_visit visit;
	jt_ms arrival;   /* STOPPED: 0 if unknown; PASSED/SKIPPED: when it passed the stop's place */
	jt_ms departure; /* STOPPED: 0 while still at the stop or unknown */
	bool arr_estimated, dep_estimated;
};

/* Where the bus is on its course after the latest fix. */
struct trace_progress {
	jt_ms time;       /* of the latest fix */
	double along;     /* fitted metres along the course */
	size_t next_stop; /* first stop not yet left behind; nstops when done */
	bool at_stop;     /* standing at next_stop (arrived, not left) */
	bool off_route;   /* the latest fixes (at least two, 30 s) are all off the course */
	int32_t delay_s;  /* against the timetable, positive when late */
};

struct trace;

/* A trace holds a reference to the course. */
struct trace *trace_new(struct course *c, const struct trace_config *cfg);
void trace_free(struct trace *t);
struct course *trace_course(const struct trace *t);

enum trace_add {
	TRACE_ADDED,
	TRACE_DUPLICATE, /* a fix with the same time is already in */
	TRACE_FULL,      /* TRACE_FIXES_MAX reached */
};
#define TRACE_FIXES_MAX 20000

/* Adds a fix (already validated: finite, in range) and re-evaluates the stops. */
enum trace_add trace_add(struct trace *t, const struct fix *f);

size_t trace_count(const struct trace *t);
/* Per stop, course_nstops of them. */
const struct trace_stop *trace_stops(const struct trace *t);
/* False before the first fix on the course. */
bool trace_progress(const struct trace *t, struct trace_progress *out);

/* Times of the first and latest fixes, and of the latest one on the course (0 if none). */
jt_ms trace_first_time(const struct trace *t);
jt_ms trace_last_time(const struct trace *t);
jt_ms trace_last_on_route(const struct trace *t);
/* Seconds the latest fixes have been driving against the course. */
double trace_wrong_way_s(const struct trace *t);

/* Summary of how well the fixes fit, for choosing among trips. */
struct trace_fit {
	size_t fixes, good;   /* all fixes, and those on the course */
	double mean_lateral;  /* metres, over the good ones */
	double progress_m;    /* fitted distance covered */
	size_t wrong_way;     /* fixes heading against the course */
};
void trace_fit(const struct trace *t, struct trace_fit *out);

/* Kilometres driven on this trip: progress along the course plus detours off it. */
double trace_km(const struct trace *t);

#endif
