/*
 * timetable.h — times of day on a service day, the rules a trip's stop times
 * obey, and timetables generated from a first and last departure and a
 * headway. Pure.
 *
 * A time is seconds after midnight of the service day; trips after midnight
 * go past 24:00:00 (a 23:40 departure arrives at 24:25:00), as in GTFS.
 */
#ifndef JINTONG_TIMETABLE_H
#define JINTONG_TIMETABLE_H

#include "core.h"

#define TIMETABLE_DAY_MAX (48 * 3600) /* latest time of a service day */
#define TIMETABLE_TRIPS_MAX 500       /* trips one generated timetable may hold */

/* Parses "H:MM", "HH:MM" or "HH:MM:SS" (hours up to 47); -1 if malformed. */
int timetable_parse_time(const char *s, int32_t *out) JT_MUST_CHECK;
/* Writes "HH:MM:SS" (buf >= 9), or "HH:MM" when the seconds are 0 and short is set. */
void timetable_format_time(int32_t t, char *buf, size_t len, bool shorter);
/* Parses a headway: "40m", "1h", "1h30m", "90" (minutes); -1 if malformed or 0. */
int timetable_parse_every(const char *s, int32_t *seconds) JT_MUST_CHECK;

/*
 * Checks a trip's stop times (arrival, departure pairs in stop order): each
 * departure not before its arrival, each arrival not before the departure
 * from the stop before. -1 with a message naming the stop (1-based).
 */
int timetable_check(const int32_t *arr, const int32_t *dep, size_t n, char *err, size_t errlen) JT_MUST_CHECK;

/*
 * Stop times for a trip leaving at `start` along stops at the given
 * positions: running time from the distance between stops times a winding
 * factor for rural roads, at `speed_kmh`, rounded up to whole minutes, with
 * `dwell_s` at each intermediate stop.
 */
void timetable_run(int32_t start, const double *lat, const double *lon, size_t n, double speed_kmh,
		   int32_t dwell_s, int32_t *arr, int32_t *dep);

/* Departures first, first+every, ... not after last; returns the count (<= max). */
size_t timetable_departures(int32_t first, int32_t last, int32_t every, int32_t *out, size_t max);

/* Do two time spans [a0, a1] and [b0, b1] overlap? Touching ends do not. */
bool timetable_overlap(int32_t a0, int32_t a1, int32_t b0, int32_t b1);

#endif
