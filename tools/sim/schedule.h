/*
 * schedule.h — a county's timetable as its vehicles drive it, for the fleet
 * simulator: the trips of one service day from a GTFS feed (the one
 * jintong-county writes, or any feed with shapes and block ids), grouped by
 * vehicle, and where each vehicle is at any second of that day.
 *
 * A block id names its vehicle up to the first '.' ("MB004.MKT" is MB004's
 * market-day work). Between stops a vehicle moves along the trip's shape at
 * the pace its stop times set; at a stop it waits until its departure;
 * between trips it stands where the last one ended; before its first trip it
 * waits at that trip's first stop.
 */
#ifndef JINTONG_SIM_SCHEDULE_H
#define JINTONG_SIM_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

struct schedule;

/* The files read, in this order; shapes.txt and the calendars may be absent. */
enum {
	SCHEDULE_STOPS,
	SCHEDULE_SHAPES,
	SCHEDULE_TRIPS,
	SCHEDULE_STOP_TIMES,
	SCHEDULE_CALENDAR,
	SCHEDULE_CALENDAR_DATES,
	SCHEDULE_FILES
};
extern const char *const schedule_files[SCHEDULE_FILES];

/* A feed's files as text (NULL: absent). */
struct schedule_feed {
	const char *text[SCHEDULE_FILES];
	size_t len[SCHEDULE_FILES];
};

/*
 * Keeps the feed's trips running on day. NULL with why in err when stops,
 * trips or stop times cannot be read; rows that make no sense (unknown
 * stops, unreadable times) are left out.
 */
struct schedule *schedule_parse(const struct schedule_feed *feed, jt_day day, char *err, size_t errlen);
/* The same from dir's files. */
struct schedule *schedule_load(const char *dir, jt_day day, char *err, size_t errlen);
void schedule_free(struct schedule *s);

/* Vehicles with trips that day, busiest first (then by code). */
size_t schedule_vehicles(const struct schedule *s);
const char *schedule_vehicle(const struct schedule *s, size_t v);
size_t schedule_trips(const struct schedule *s, size_t v);
/* Seconds into the service day when vehicle v's first trip leaves and its last arrives. */
void schedule_span(const struct schedule *s, size_t v, double *first, double *last);
/* Where the stop with this id is; false when the feed has none. */
bool schedule_stop(const struct schedule *s, const char *id, double *lat, double *lon);

struct schedule_pos {
	double lat, lon;
	double speed;   /* m/s along the road, 0 when standing */
	double heading; /* degrees clockwise from north */
	const char *trip; /* the trip under way, or NULL */
	const char *stop; /* the stop the vehicle stands at (of its trip, or where one ended), or NULL */
	int seq;          /* that stop's place in the trip, from 1 */
};

/* Where vehicle v is at t seconds after the start of the service day. */
void schedule_position(const struct schedule *s, size_t v, double t, struct schedule_pos *out);

#endif
