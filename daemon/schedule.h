/*
 * schedule.h — the trips that run on a service day, laid out as courses
 * (course.h) for the trackers: which of them are running around a time near
 * a place (a vehicle's candidates), and one trip's course for a driver who
 * signs on to it.
 *
 * A service day is the county's date the trip's times count from; a trip
 * after midnight (25:10:00) still belongs to the day before, so a fix is
 * matched against its own date's trips and the previous date's.
 *
 * Courses are built on first use and shared; everything is dropped and
 * rebuilt when the network changes (trips, calendars, stops, lines, routes).
 * Trackers keep the courses they hold, so a trip under way finishes on the
 * route and times it started with.
 */
#ifndef JINTONG_SCHEDULE_H
#define JINTONG_SCHEDULE_H

#include "daemon.h"
#include "date.h"

struct course;

void schedule_init(struct jtd *d);
void schedule_free(struct jtd *d);

/* Changes whenever the network the courses were built from changed. */
uint64_t schedule_generation(struct jtd *d);

/*
 * The trips that may be running at `t` near (lat, lon): on the service day
 * of t or the one before, from ten minutes before their first departure to
 * half an hour after their last arrival, with a stop or the shape within a
 * few kilometres. Up to max courses, those nearest their timetable first;
 * the caller does not own them (course_ref to keep one). A vehicle standing
 * still can only be waiting to start a trip: then only the trips whose first
 * stop is within a few hundred metres.
 */
size_t schedule_candidates(struct jtd *d, jt_ms t, double lat, double lon, bool standing,
			   struct course **out, size_t max);

/*
 * A trip's course on a service day, or NULL with a reason (no such trip,
 * it does not run that day, its stops or shape do not make a course). The
 * caller does not own it.
 */
struct course *schedule_course(struct jtd *d, const char *trip, jt_day day, char *err, size_t errlen);

/*
 * The service day a trip signed on to at `now` belongs to: today's run, or
 * yesterday's when that one is still under way (after midnight). -1 with a
 * reason when there is no such trip, -2 when it runs on neither day.
 */
int schedule_sign_on_day(struct jtd *d, const char *trip, jt_ms now, jt_day *day, char *err,
			 size_t errlen) JT_MUST_CHECK;

/* The county's date of an instant, and the Unix time of a service day's 00:00 (noon less 12 h). */
jt_day schedule_day_of(jt_ms t);
jt_ms schedule_day_start(jt_day day);
/* "YYYYMMDD", as GTFS-realtime writes a start date (buf >= 9). */
void schedule_start_date(jt_day day, char *buf, size_t len);

/* Courses built and trips that could not be laid out, since start. */
size_t schedule_courses_built(struct jtd *d);
size_t schedule_courses_failed(struct jtd *d);

#endif
