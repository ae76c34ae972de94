/*
 * drive.h — synthetic buses on synthetic routes with the truth known: a
 * route (winding road, stops 0.6–2.5 km apart, a timetable), a bus driven
 * along it second by second (acceleration, braking, dwells, a late start,
 * stops passed without stopping, a detour round a stop), and what its tablet
 * reports: GPS noise, outliers, fixes every 5–15 s, valleys without coverage
 * whose fixes arrive later as a shuffled backlog. Also the drives that must
 * give no arrival: the route backwards, standing at a depot, another road.
 *
 * Pure: randomness only from the caller's generator (county.h), so a seed
 * replays the same trace. Used by the tracker and ETA tests and by the
 * ETA replay benchmark.
 */
#ifndef JINTONG_SIM_DRIVE_H
#define JINTONG_SIM_DRIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "county.h"
#include "course.h"

#define DRIVE_DAY_START ((jt_ms)1772380800000) /* a service day's 00:00 */
#define DRIVE_STOPS_MAX 40

enum drive_road {
	DRIVE_WINDING,     /* a winding road, given to the tracker as a shape */
	DRIVE_STRAIGHT,    /* straight between stops, given without a shape */
	DRIVE_OUT_AND_BACK /* out to a village and back on the same road */
};

struct drive_route {
	size_t npts;
	double *x, *y, *cum;  /* the road in metres east/north of the county centre */
	double *shape;        /* lat, lon pairs for course_spec (NULL for DRIVE_STRAIGHT) */
	size_t nstops;
	double stop_along[DRIVE_STOPS_MAX];
	char stop_id[DRIVE_STOPS_MAX][16];
	struct course_stop stops[DRIVE_STOPS_MAX]; /* timetable for a start at 0 */
	enum drive_road road;
};

/* A route of n stops (2..DRIVE_STOPS_MAX) starting near (x0, y0), scheduled at sched_mps. */
void drive_route_make(struct drive_route *r, struct rng *g, enum drive_road road, size_t n, double x0,
		      double y0, double sched_mps, const char *prefix);
void drive_route_free(struct drive_route *r);
/* A course for one trip of the route leaving its first stop at `start` (seconds of the day). */
struct course *drive_course(const struct drive_route *r, const char *trip_id, const char *route_id,
			    int32_t start);

enum drive_mode {
	DRIVE_FORWARD,   /* runs the trip */
	DRIVE_BACKWARD,  /* drives the route from its last stop to its first */
	DRIVE_DEPOT,     /* stands still near the route */
	DRIVE_OTHER_ROAD /* drives a road like the route, moved 400 m or more aside, never 200 m near it */
};

enum drive_visit { DRIVE_NOT_VISITED, DRIVE_STOPPED, DRIVE_PASSED };

struct drive_truth {
	enum drive_visit visit[DRIVE_STOPS_MAX];
	jt_ms arr[DRIVE_STOPS_MAX], dep[DRIVE_STOPS_MAX]; /* PASSED: both the passing time */
};

struct drive_fix {
	struct fix fix;
	jt_ms delivered; /* when the tablet got it through */
};

struct drive_opts {
	enum drive_mode mode;
	int32_t start;        /* scheduled departure, seconds of the day */
	double late_s;        /* the bus leaves this late */
	double noise_m;       /* GPS noise, standard deviation per axis */
	double outlier_rate;  /* share of fixes 100–300 m off */
	double interval_lo, interval_hi; /* seconds between fixes */
	int dead_zones;       /* valleys without coverage (2–6 min) */
	double pass_rate;     /* share of intermediate stops passed without stopping */
	int detours;          /* stops gone round (not visited) */
	bool speed_known;     /* tablets report speed and heading */
	/* Cruise speed factor at a time of day (1 when NULL), for rush hours. */
	double (*pace)(void *arg, double day_s);
	void *pace_arg;
};

void drive_opts_default(struct drive_opts *o);

/*
 * Drives a trip of route r. Fills the truth and returns the fixes in the
 * order they reach the server (*nfix of them, malloc'd).
 */
struct drive_fix *drive_run(const struct drive_route *r, const struct drive_opts *o, struct rng *g,
			    struct drive_truth *truth, size_t *nfix);

#endif
