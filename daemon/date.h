/*
 * date.h — civil dates as plain day numbers.
 *
 * Service calendars, market cycles and school terms all speak of whole days,
 * never of instants, so a date is one integer: days since 1970-01-01 in the
 * proleptic Gregorian calendar. Day numbers subtract to give a number of
 * days, compare in date order, and index arrays; the year, month and day are
 * worked out only when a rule needs them (the day of the month for a market
 * cycle, the weekday for a weekly timetable).
 *
 * Nothing here depends on the host's locale or time zone.
 */
#ifndef JINTONG_DATE_H
#define JINTONG_DATE_H

#include "core.h"

/* Days since 1970-01-01 (day 0, a Thursday); negative before it. */
typedef int32_t jt_day;

/* Oldest and newest years date_parse() accepts. */
#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2199

/* Room date_format() needs: "YYYY-MM-DD" and its terminator. */
#define DATE_FORMAT_LEN 11

/*
 * The day number of y-m-d. m is 1..12; d is normally 1..days in that month,
 * and a d outside it simply counts on (day 0 of March is the last day of
 * February), which is what date arithmetic sometimes wants. Years are those
 * whose day numbers fit an int32_t (far wider than any timetable needs).
 */
jt_day date_from_ymd(int y, int m, int d);

/* The year, month (1..12) and day (1..31) of a day number. */
void date_to_ymd(jt_day day, int *y, int *m, int *d);

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(jt_day day);

/* 28..31 days for m = 1..12; 0 for a month that does not exist. */
int date_days_in_month(int y, int m);

/*
 * Parses exactly "YYYY-MM-DD" (ten characters, nothing before or after) for
 * a real date with a year in DATE_YEAR_MIN..DATE_YEAR_MAX. Returns 0 and
 * sets *out, or -1 leaving it alone.
 */
int date_parse(const char *s, jt_day *out) JT_MUST_CHECK;

/*
 * Writes "YYYY-MM-DD" and a terminator. A day whose year does not fit four
 * digits (before year 0 or after 9999) is written "????-??-??".
 */
void date_format(jt_day day, char buf[DATE_FORMAT_LEN]);

#endif
