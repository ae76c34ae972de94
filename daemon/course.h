/*
 * course.h — one trip laid out for tracking: its route shape measured in
 * metres along, its stops placed on that line in order, and its timetable as
 * a function of distance. Pure and immutable once built, so every vehicle
 * that runs the trip (and the ETA model) shares one course.
 *
 * Distances are metres along the shape from its first point. A stop's place
 * is its projection onto the shape; a route that comes back past an earlier
 * stop (out to a village and back on the same road) still gets each stop in
 * order, because the placement keeps the stops' distances non-decreasing.
 * Without a shape the course is the straight line through the stops.
 *
 * Times are seconds of the service day (timetable.h); `day_start` dates the
 * service day's midnight so fixes (Unix milliseconds) can be compared.
 */
#ifndef JINTONG_COURSE_H
#define JINTONG_COURSE_H

#include "core.h"

#define COURSE_ID_MAX 64 /* longest trip, line or stop code kept */

struct course_stop {
	const char *id; /* stop code, as in the GTFS export */
	double lat, lon;
	int32_t arr, dep; /* scheduled, seconds of the service day */
};

struct course_spec {
	const char *trip_id;  /* trip code: the GTFS trip_id */
	const char *route_id; /* line code: the GTFS route_id */
	const char *start_date; /* service day as YYYYMMDD (GTFS-realtime start_date) */
	jt_ms day_start;      /* the service day's 00:00 in Unix milliseconds */
	const struct course_stop *stops;
	size_t nstops;
	const double *shape;  /* lat, lon pairs; NULL for the line through the stops */
	size_t nshape;
};

struct course;

/*
 * Builds a course, or NULL with a reason in err: fewer than two stops,
 * coordinates out of range or not finite, stop times out of order (see
 * timetable_check), a stop farther than 500 m from the shape, or stops
 * that cannot be placed along the shape in their order.
 */
struct course *course_new(const struct course_spec *spec, char *err, size_t errlen);
/* Reference counting: a course lives while a tracker or a caller holds it. */
struct course *course_ref(struct course *c);
void course_unref(struct course *c);

const char *course_trip_id(const struct course *c);
const char *course_route_id(const struct course *c);
const char *course_start_date(const struct course *c);
jt_ms course_day_start(const struct course *c);
double course_length(const struct course *c);
size_t course_nstops(const struct course *c);
const struct course_stop *course_stop(const struct course *c, size_t k);
/* Metres along the shape of stop k; non-decreasing in k. */
double course_stop_along(const struct course *c, size_t k);

/* Seconds of the service day of a Unix time, and back. */
double course_day_seconds(const struct course *c, jt_ms t);
jt_ms course_time_of(const struct course *c, double day_seconds);

/*
 * The timetable as a function of distance: the scheduled time at `along`
 * (arrival time at a stop itself, linear in distance between a departure
 * and the next arrival), and its inverse, where the bus should be at a
 * time (at a stop while dwelling). Clamped to the course's ends.
 */
double course_sched_at(const struct course *c, double along);
double course_sched_along(const struct course *c, double day_seconds);

/* Direction of travel at `along`, degrees clockwise from north. */
double course_bearing_at(const struct course *c, double along);
/* The point at `along`. */
void course_point_at(const struct course *c, double along, double *lat, double *lon);

struct course_snap {
	double along;   /* metres along the shape of the nearest point */
	double lateral; /* metres from the position to that point */
};

/*
 * The point of the shape nearest to (lat, lon) among distances [lo, hi].
 * When `expect` is finite, candidates pay `weight` metres of offset per
 * metre they lie from it, so that where the road passes the same place
 * twice the pass the vehicle is expected on wins. Always succeeds for a
 * finite position.
 */
struct course_snap course_snap(const struct course *c, double lat, double lon, double lo, double hi,
			       double expect, double weight);

#endif
