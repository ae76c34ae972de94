/*
 * timeparse.c — reading the timestamps tracking apps send, and writing times
 * for replies and logs.
 *
 * A fix's time decides whether it is stored at all (too old, in the future)
 * and in which order a vehicle's positions are read, so it is parsed by hand:
 * every field is range-checked, nothing depends on the host's locale or time
 * zone, and calendar arithmetic uses days_from_civil() instead of timegm().
 * The accepted years (1970..9999) keep every result between 0 and
 * TS_MAX_MS, far from any overflow.
 */
#include "timeparse.h"

#include <stdio.h>

#define MS_PER_DAY INT64_C(86400000)

/* 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
#define TS_MAX_MS INT64_C(253402300799999)

/* Digit strings from 2^31 on are milliseconds, below it seconds. */
#define TS_MS_THRESHOLD INT64_C(2147483648)

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);                   /* [0, 399] */
	unsigned mp = m > 2 ? m - 3 : m + 9;                         /* March = 0 */
	unsigned doy = (153 * mp + 2) / 5 + d - 1;                   /* [0, 365] */
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;        /* [0, 146096] */
	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse of days_from_civil(). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* A read position in the text being parsed. */
struct cursor {
	const char *s;
	size_t len;
	size_t i;
};

static bool at_end(const struct cursor *c)
{
	return c->i >= c->len;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool peek_digit(const struct cursor *c)
{
	return !at_end(c) && is_digit(c->s[c->i]);
}

/* Consumes ch if it is next. */
static bool accept(struct cursor *c, char ch)
{
	if (at_end(c) || c->s[c->i] != ch)
		return false;
	c->i++;
	return true;
}

/* Reads exactly n digits (n <= 4). */
static bool fixed_digits(struct cursor *c, unsigned n, unsigned *out)
{
	unsigned v = 0;
	for (unsigned k = 0; k < n; k++) {
		if (!peek_digit(c))
			return false;
		v = v * 10 + (unsigned)(c->s[c->i++] - '0');
	}
	*out = v;
	return true;
}

/*
 * Reads one or more digits of a fraction of a second, keeping the first three
 * as milliseconds and dropping the rest (truncation, never rounding up into
 * the next second).
 */
static bool fraction_ms(struct cursor *c, unsigned *out)
{
	unsigned ms = 0, k = 0;
	if (!peek_digit(c))
		return false;
	while (peek_digit(c)) {
		if (k < 3) {
			ms = ms * 10 + (unsigned)(c->s[c->i] - '0');
			k++;
		}
		c->i++;
	}
	for (; k < 3; k++)
		ms *= 10;
	*out = ms;
	return true;
}

/* Unix seconds, seconds with a fraction, or milliseconds. */
static int parse_epoch(struct cursor *c, jt_ms *out)
{
	int64_t v = 0;
	if (!peek_digit(c))
		return -1;
	while (peek_digit(c)) {
		v = v * 10 + (c->s[c->i++] - '0');
		if (v > TS_MAX_MS)
			return -1;
	}
	jt_ms t;
	if (accept(c, '.')) {
		/* A fraction only makes sense on seconds. */
		unsigned ms;
		if (v >= TS_MS_THRESHOLD || !fraction_ms(c, &ms))
			return -1;
		t = v * 1000 + ms;
	} else {
		t = v >= TS_MS_THRESHOLD ? v : v * 1000;
	}
	if (!at_end(c) || t > TS_MAX_MS)
		return -1;
	*out = t;
	return 0;
}

/* Z, z, +HH:MM, +HHMM, +HH (or '-'), or nothing; in minutes east of UTC. */
static int parse_zone(struct cursor *c, int *minutes)
{
	*minutes = 0;
	if (at_end(c))
		return 0;
	if (accept(c, 'Z') || accept(c, 'z'))
		return at_end(c) ? 0 : -1;
	int sign;
	if (accept(c, '+'))
		sign = 1;
	else if (accept(c, '-'))
		sign = -1;
	else
		return -1;
	unsigned hh, mm = 0;
	if (!fixed_digits(c, 2, &hh))
		return -1;
	if (!at_end(c)) {
		(void)accept(c, ':'); /* +HH:MM and +HHMM are both ISO 8601 */
		if (!fixed_digits(c, 2, &mm))
			return -1;
	}
	if (!at_end(c) || hh > 23 || mm > 59)
		return -1;
	*minutes = sign * (int)(hh * 60 + mm);
	return 0;
}

/* YYYY-MM-DD[T ]HH:MM:SS[.fff...][zone] */
static int parse_iso(struct cursor *c, jt_ms *out)
{
	unsigned year, mon, day, hh, mi, ss, ms = 0;
	if (!fixed_digits(c, 4, &year) || !accept(c, '-') ||
	    !fixed_digits(c, 2, &mon) || !accept(c, '-') ||
	    !fixed_digits(c, 2, &day))
		return -1;
	if (!accept(c, 'T') && !accept(c, 't') && !accept(c, ' '))
		return -1;
	if (!fixed_digits(c, 2, &hh) || !accept(c, ':') ||
	    !fixed_digits(c, 2, &mi) || !accept(c, ':') ||
	    !fixed_digits(c, 2, &ss))
		return -1;
	if (accept(c, '.') && !fraction_ms(c, &ms))
		return -1;
	int zone;
	if (parse_zone(c, &zone) < 0)
		return -1;

	if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
	    day > days_in_month(year, mon) || hh > 23 || mi > 59 || ss > 60)
		return -1;
	if (ss == 60)
		ss = 59; /* a leap second: keep it within its minute */

	jt_ms t = days_from_civil(year, mon, day) * MS_PER_DAY +
		  (jt_ms)hh * 3600000 + (jt_ms)mi * 60000 + (jt_ms)ss * 1000 + ms -
		  (jt_ms)zone * 60000;
	if (t < 0 || t > TS_MAX_MS)
		return -1;
	*out = t;
	return 0;
}

int ts_parse(const char *s, size_t len, jt_ms *out)
{
	if (!s || len == 0 || len > TS_TEXT_MAX)
		return -1;
	struct cursor c = {s, len, 0};
	bool iso = len > 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
		   is_digit(s[3]) && s[4] == '-';
	return iso ? parse_iso(&c, out) : parse_epoch(&c, out);
}

void ts_format(jt_ms t, char *buf, size_t len)
{
	if (!buf || len == 0)
		return;
	int64_t days = t / MS_PER_DAY;
	int64_t rem = t % MS_PER_DAY;
	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	unsigned r = (unsigned)rem;
	snprintf(buf, len, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
		 r / 3600000, r / 60000 % 60, r / 1000 % 60, r % 1000);
}
