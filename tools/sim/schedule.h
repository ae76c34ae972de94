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

/*
 * Reads dir's trips.txt, stop_times.txt, stops.txt, shapes.txt, calendar.txt
 * and calendar_dates.txt and keeps the trips running on day. NULL with why
 * in err when the feed cannot be read.
 */
struct schedule *schedule_load(const char *dir, jt_day day, char *err, size_t errlen);
void schedule_free(struct schedule *s);

/* Vehicles with trips that day, busiest first (then by code). */
size_t schedule_vehicles(const struct schedule *s);
const char *schedule_vehicle(const struct schedule *s, size_t v);
size_t schedule_trips(const struct schedule *s, size_t v);

struct schedule_pos {
	double lat, lon;
	double speed;   /* m/s along the road, 0 when standing */
	double heading; /* degrees clockwise from north */
	const char *trip; /* the trip under way, or NULL */
};

/* Where vehicle v is at t seconds after the start of the service day. */
void schedule_position(const struct schedule *s, size_t v, double t, struct schedule_pos *out);

#endif
