/*
 * calendar.h — service calendars: on which dates a trip runs.
 *
 * Three kinds of rule cover the county's services. A weekly calendar runs on
 * chosen weekdays between two dates (most scheduled lines). A market
 * calendar runs on the market days of a town's 10-day cycle: "1, 4, 7" means
 * every day of the month ending in 1, 4 or 7, counted on the solar calendar
 * or, in towns that keep the old reckoning, on the lunar one. A school
 * calendar runs on chosen weekdays inside school terms (student runs). On
 * top of the rule, added dates always run (an extra market before the Spring
 * Festival, a make-up school Saturday) and removed dates never do (a
 * holiday, a road closed by a landslide); removal wins over everything.
 *
 * A calendar does not own its arrays; the caller keeps terms, added and
 * removed sorted ascending without repeats (calendar_check() says when they
 * are not), and lookups in them are binary searches.
 */
#ifndef JINTONG_CALENDAR_H
#define JINTONG_CALENDAR_H

#include "date.h"

/* CAL_DATES runs on its added dates only: a list, as GTFS calendar_dates gives. */
enum calendar_kind { CAL_WEEKLY, CAL_MARKET, CAL_SCHOOL, CAL_DATES };

/* Bounds for a market or school calendar that has no start or no end. */
#define CALENDAR_OPEN_START INT32_MIN
#define CALENDAR_OPEN_END INT32_MAX

/* Weekday bits: bit 0 = Monday .. bit 6 = Sunday. */
#define CALENDAR_MON_FRI 0x1fu
#define CALENDAR_ALL_DAYS 0x7fu

/* Market digit bits: bit d for days ending in d, d = 0..9. */
#define CALENDAR_ALL_DIGITS 0x3ffu

struct calendar_term {
	jt_day first, last; /* a school term, inclusive */
};

struct calendar {
	enum calendar_kind kind;
	jt_day start, end;      /* inclusive validity; a weekly calendar needs both */
	uint8_t weekdays;       /* bit 0 = Monday .. bit 6 = Sunday (weekly, school) */
	uint16_t market_digits; /* bit d = the market falls on days ending in digit d (market) */
	bool lunar;             /* market days counted on the lunar calendar */
	struct calendar_term *terms; /* school: sorted, not overlapping */
	size_t nterms;
	jt_day *added; /* extra service dates, sorted */
	size_t nadded;
	jt_day *removed; /* holidays, cancelled days, sorted */
	size_t nremoved;
};

/*
 * Whether a trip on calendar c runs on day d: never on a removed date, always
 * on an added one, otherwise when d is within [start, end] and the kind's
 * rule holds. O(log n) in the sizes of the arrays. Like calendar_dates(), it
 * expects a calendar that calendar_check() accepted (sorted arrays, terms
 * present for a school calendar).
 */
bool calendar_runs_on(const struct calendar *c, jt_day d);

/*
 * Every date in [from, to] that c runs on, in order. Returns how many there
 * are and writes the first `max` of them to out (out may be NULL when max is
 * 0, to count). Each day is looked at between the first and the last date
 * the calendar could run on (its range, narrowed to its terms or to the
 * years the lunar calendar is known for, widened to its added dates), so
 * only an open solar market makes a wide [from, to] costly.
 */
size_t calendar_dates(const struct calendar *c, jt_day from, jt_day to, jt_day *out, size_t max);

/*
 * Checks c for sense before it is used: end before start, a weekly calendar
 * without both bounds, no weekday, no market digit, a lunar market outside
 * the years the lunar calendar is known for, a school calendar without terms,
 * a term that ends before it starts, terms or dates out of order or
 * overlapping, a date both added and removed. Returns 0, or -1 and writes
 * into err (when errlen > 0) one sentence saying what to fix.
 */
int calendar_check(const struct calendar *c, char *err, size_t errlen) JT_MUST_CHECK;

/*
 * Parses market digits, "1,4,7", "1/4/7" or "147", into digit bits. Digits
 * are 0..9, each at most once; one kind of separator throughout, no spaces.
 * Returns 0 and sets *out, or -1 leaving it alone.
 */
int calendar_parse_digits(const char *s, uint16_t *out) JT_MUST_CHECK;

/*
 * Parses weekdays into weekday bits: "daily", "weekdays" (mon-fri),
 * "weekend" (sat-sun), or a comma-separated list of days ("mon", ...,
 * "sun", any case) and ranges ("mon-fri", "sat-sun"; "fri-mon" wraps over the
 * weekend). A day may be named only once. Returns 0 and sets *out, or -1
 * leaving it alone.
 */
int calendar_parse_weekdays(const char *s, uint8_t *out) JT_MUST_CHECK;

#endif
