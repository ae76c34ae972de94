/*
 * check.h — what the daemon would refuse, refused here first, so an operator
 * hears about a typo before anything crosses the network. The rules are the
 * database's (sql/) and the admin API's; keep them in step.
 */
#ifndef JINTONG_CLI_CHECK_H
#define JINTONG_CLI_CHECK_H

#include "core.h"
#include "date.h"

/*
 * Codes of vehicles, towns, villages, operators, stops and lines:
 * ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$ ("BUS-01", "S101").
 */
#define CHECK_CODE_MAX 32
bool check_code(const char *s);

/* Device identifiers: 1 to 64 printable ASCII characters, no spaces. */
bool check_device_id(const char *s);

/*
 * Names of vehicles, towns, villages, stops, lines and operators: valid UTF-8
 * without control characters, 1 to 128 bytes (the daemon's limit: about 40
 * Chinese characters).
 */
#define CHECK_NAME_MAX 128
bool check_name(const char *s);
/*
 * What is wrong with a name, as a phrase to follow "--name " ("is not valid
 * UTF-8 ..."), or NULL when check_name() accepts it.
 */
const char *check_name_problem(const char *s);

/*
 * A position typed as "LAT,LON" in decimal degrees, latitude first
 * ("30.10250,104.20310"; blanks around the comma allowed, no exponent).
 * Stores both, and where each number starts and how long it is, so the
 * daemon gets the digits as typed.
 */
enum check_at {
	CHECK_AT_OK,
	CHECK_AT_SYNTAX,      /* not two decimal numbers around a comma */
	CHECK_AT_LAT_RANGE,   /* latitude outside -90..90 */
	CHECK_AT_LON_RANGE,   /* longitude outside -180..180 */
	CHECK_AT_SWAPPED,     /* latitude out of range, but it would do as LON,LAT */
	CHECK_AT_NULL_ISLAND, /* 0,0: a device's default, never a stop in the county */
};
struct check_lat_lon {
	double lat, lon;
	const char *lat_text, *lon_text; /* inside the string checked */
	int lat_len, lon_len;
};
enum check_at check_lat_lon(const char *s, struct check_lat_lon *out) JT_MUST_CHECK;

/* "yes" or "no". Stores the answer and returns true, else false. */
bool check_yes_no(const char *s, bool *out) JT_MUST_CHECK;

/* Is s one of the NULL-terminated list of words? */
bool check_word(const char *s, const char *const *words);

/* The kinds of stop and of line the daemon knows, NULL-terminated. */
extern const char *const check_stop_kinds[];
extern const char *const check_line_kinds[];

/*
 * A whole number written in decimal digits only (no sign, point, exponent or
 * spaces) within [min, max]. Stores it and returns true, else false.
 */
bool check_whole(const char *s, long min, long max, long *out) JT_MUST_CHECK;

/*
 * A comma-separated list of codes ("A,B, C": blanks around the commas
 * allowed), split into a copy of s. On CHECK_LIST_OK out holds the codes;
 * otherwise out->bad is the item at fault ("" for an empty one) and
 * out->bad_index its place from 0. Free out with check_list_free() either
 * way.
 */
enum check_list {
	CHECK_LIST_OK,
	CHECK_LIST_EMPTY,    /* nothing at all, or an empty item ("A,,B", "A,") */
	CHECK_LIST_CODE,     /* an item that is not a code */
	CHECK_LIST_TOO_MANY, /* more than max items */
};
struct check_codes {
	char *copy;
	const char **codes; /* into copy */
	size_t n;
	const char *bad;
	size_t bad_index;
};
enum check_list check_code_list(const char *s, size_t max, struct check_codes *out) JT_MUST_CHECK;
/* The same for a route's places: stop codes, group:CODE and zone:CODE. */
enum check_list check_place_list(const char *s, size_t max, struct check_codes *out) JT_MUST_CHECK;
void check_list_free(struct check_codes *l);

/*
 * A date typed as YYYY-MM-DD, a real one, years 1900 to 2199: the daemon's
 * rule (date.c). Stores its day number.
 */
bool check_date(const char *s, jt_day *out) JT_MUST_CHECK;

/* A span of days typed as FIRST..LAST ("2026-09-01..2027-01-20"). */
enum check_span {
	CHECK_SPAN_OK,
	CHECK_SPAN_SYNTAX, /* no "..", or more than one */
	CHECK_SPAN_FIRST,  /* what comes before ".." is not a date */
	CHECK_SPAN_LAST,   /* what comes after it is not */
	CHECK_SPAN_ORDER,  /* LAST is before FIRST */
};
enum check_span check_span(const char *s, jt_day *first, jt_day *last) JT_MUST_CHECK;

/*
 * Days of the week as the daemon reads them (calendar.c): "mon-fri",
 * "sat,sun", "mon,wed-fri", "weekdays", "weekend", "daily"; any case.
 * Stores bit 0 = Monday .. bit 6 = Sunday.
 */
bool check_weekdays(const char *s, uint8_t *out) JT_MUST_CHECK;
/* The weekdays as few words as say it: "mon-fri", "sat,sun", "mon,wed-fri", "daily". */
void check_weekdays_text(char *buf, size_t size, uint8_t days);

/*
 * Market days as the last digits of the days of the month: "1,4,7", "147"
 * or "1/4/7", each digit once. Stores bit d for digit d.
 */
bool check_digits(const char *s, uint16_t *out) JT_MUST_CHECK;

/* A daemon address: http:// or https:// followed by a host. */
bool check_url(const char *s);

/* An operator token can go into an HTTP header: printable ASCII, no spaces. */
bool check_token(const char *s);

#endif
