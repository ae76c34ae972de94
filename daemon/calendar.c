/*
 * calendar.c — deciding whether a trip runs on a date, listing the dates it
 * runs on, and checking and reading the rules operators write.
 *
 * The order of the rules is the one operators expect: a removed date never
 * runs (even when it is also a market day or inside a term), an added date
 * always runs (even outside the calendar's range), and only then do the
 * range and the kind's own rule decide. Removed and added dates and school
 * terms are found by binary search in the caller's sorted arrays, so a
 * calendar with a long holiday list costs no more to consult than one
 * without.
 */
#include "calendar.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lunar.h"

#define WEEKDAY_BITS 0x7fu

/* Whether sorted array a[0..n) holds d. */
static bool day_in(const jt_day *a, size_t n, jt_day d)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < d)
			lo = mid + 1;
		else if (a[mid] > d)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* Whether d lies inside one of the sorted, disjoint terms. */
static bool in_term(const struct calendar_term *t, size_t n, jt_day d)
{
	/* Find the first term starting after d; the one before it is the only
	 * candidate. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].first <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && d <= t[lo - 1].last;
}

static bool weekday_set(uint8_t weekdays, jt_day d)
{
	return weekdays & (1u << (date_weekday(d) - 1));
}

/*
 * A market day is a day of the month ending in one of the digits: digit 0
 * gives the 10th, 20th and 30th. The cycle restarts every month, exactly as
 * markets do: a solar month's 31st ends in 1 and is a market day of a "1, 4,
 * 7" town (which then meets again on the 1st), while a month without a 31st,
 * or a 29-day lunar month without a 30th, simply has one market fewer. A
 * lunar month never has a 31st.
 */
static bool market_day(const struct calendar *c, jt_day d)
{
	int dom;
	if (c->lunar) {
		struct lunar_date l;
		if (lunar_from_solar(d, &l) != 0)
			return false; /* outside the years the lunar calendar is known for */
		dom = l.day;
	} else {
		int y, m;
		date_to_ymd(d, &y, &m, &dom);
	}
	return c->market_digits & (1u << (dom % 10));
}

/* The kind's own rule, for a date inside [start, end]. */
static bool rule_holds(const struct calendar *c, jt_day d)
{
	switch (c->kind) {
	case CAL_WEEKLY:
		return weekday_set(c->weekdays, d);
	case CAL_MARKET:
		return market_day(c, d);
	case CAL_SCHOOL:
		return in_term(c->terms, c->nterms, d) && weekday_set(c->weekdays, d);
	case CAL_DATES:
		return false; /* only the added dates, which calendar_runs_on() has seen */
	}
	return false; /* an unknown kind runs on no date; calendar_check() rejects it */
}

bool calendar_runs_on(const struct calendar *c, jt_day d)
{
	assert(c);
	if (day_in(c->removed, c->nremoved, d))
		return false;
	if (day_in(c->added, c->nadded, d))
		return true;
	if (d < c->start || d > c->end)
		return false;
	return rule_holds(c, d);
}

size_t calendar_dates(const struct calendar *c, jt_day from, jt_day to, jt_day *out, size_t max)
{
	assert(c);
	assert(out || max == 0);
	/*
	 * No date before the first that can run, or after the last, needs a
	 * look: the rule holds only inside [start, end], a lunar market only
	 * where the lunar calendar is known, a school calendar only between its
	 * first and last term; added dates widen that.
	 */
	jt_day lo = c->start, hi = c->end;
	if (c->kind == CAL_MARKET && c->lunar) {
		if (lo < LUNAR_FIRST_DAY)
			lo = LUNAR_FIRST_DAY;
		if (hi > LUNAR_LAST_DAY)
			hi = LUNAR_LAST_DAY;
	}
	if ((c->kind == CAL_SCHOOL && c->nterms == 0) || c->kind == CAL_DATES) {
		lo = INT32_MAX;
		hi = INT32_MIN;
	} else if (c->kind == CAL_SCHOOL) {
		if (c->terms[0].first > lo)
			lo = c->terms[0].first;
		if (c->terms[c->nterms - 1].last < hi)
			hi = c->terms[c->nterms - 1].last;
	}
	if (c->nadded) {
		if (c->added[0] < lo)
			lo = c->added[0];
		if (c->added[c->nadded - 1] > hi)
			hi = c->added[c->nadded - 1];
	}
	if (from < lo)
		from = lo;
	if (to > hi)
		to = hi;
	size_t n = 0;
	for (int64_t d = from; d <= to; d++) {
		if (!calendar_runs_on(c, (jt_day)d))
			continue;
		if (n < max)
			out[n] = (jt_day)d;
		n++;
	}
	return n;
}

/* Writes the message for a failed check and returns -1. */
JT_PRINTF(3, 4)
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A sorted list of dates, strictly ascending; what names it ("added"). */
static int check_dates(const jt_day *a, size_t n, const char *what, char *err, size_t errlen)
{
	char x[DATE_FORMAT_LEN], y[DATE_FORMAT_LEN];
	if (n > 0 && !a)
		return fail(err, errlen, "%zu %s dates are counted but none are given", n, what);
	for (size_t i = 1; i < n; i++) {
		if (a[i] > a[i - 1])
			continue;
		date_format(a[i], x);
		if (a[i] == a[i - 1])
			return fail(err, errlen, "%s is %s twice; list each date once", x, what);
		date_format(a[i - 1], y);
		return fail(err, errlen, "%s dates are out of order: %s comes after %s; sort them",
			    what, x, y);
	}
	return 0;
}

static int check_terms(const struct calendar *c, char *err, size_t errlen)
{
	char a[DATE_FORMAT_LEN], b[DATE_FORMAT_LEN], p[DATE_FORMAT_LEN], q[DATE_FORMAT_LEN];
	if (c->nterms == 0)
		return fail(err, errlen, "a school calendar needs at least one term");
	if (!c->terms)
		return fail(err, errlen, "%zu terms are counted but none are given", c->nterms);
	for (size_t i = 0; i < c->nterms; i++) {
		const struct calendar_term *t = &c->terms[i];
		date_format(t->first, a);
		date_format(t->last, b);
		if (t->last < t->first)
			return fail(err, errlen, "the term %s..%s ends before it starts", a, b);
		if (i == 0)
			continue;
		const struct calendar_term *prev = &c->terms[i - 1];
		date_format(prev->first, p);
		date_format(prev->last, q);
		if (t->first < prev->first)
			return fail(err, errlen,
				    "terms are out of order: %s..%s comes after %s..%s; sort them",
				    a, b, p, q);
		if (t->first <= prev->last)
			return fail(err, errlen, "the terms %s..%s and %s..%s overlap", p, q, a, b);
	}
	return 0;
}

/* No date may be both added and removed: removal would silently win. */
static int check_added_removed(const struct calendar *c, char *err, size_t errlen)
{
	size_t i = 0, j = 0;
	while (i < c->nadded && j < c->nremoved) {
		if (c->added[i] < c->removed[j]) {
			i++;
		} else if (c->added[i] > c->removed[j]) {
			j++;
		} else {
			char x[DATE_FORMAT_LEN];
			date_format(c->added[i], x);
			return fail(err, errlen,
				    "%s is both added and removed; keep it in one list only", x);
		}
	}
	return 0;
}

static int check_lunar_range(const struct calendar *c, char *err, size_t errlen)
{
	char x[DATE_FORMAT_LEN], first[DATE_FORMAT_LEN], last[DATE_FORMAT_LEN];
	date_format(LUNAR_FIRST_DAY, first);
	date_format(LUNAR_LAST_DAY, last);
	if (c->start != CALENDAR_OPEN_START &&
	    (c->start < LUNAR_FIRST_DAY || c->start > LUNAR_LAST_DAY)) {
		date_format(c->start, x);
		return fail(
			err, errlen,
			"the start %s is outside %s..%s, the dates lunar market days are known for",
			x, first, last);
	}
	if (c->end != CALENDAR_OPEN_END && (c->end < LUNAR_FIRST_DAY || c->end > LUNAR_LAST_DAY)) {
		date_format(c->end, x);
		return fail(
			err, errlen,
			"the end %s is outside %s..%s, the dates lunar market days are known for",
			x, first, last);
	}
	return 0;
}

static int check_weekdays(uint8_t weekdays, char *err, size_t errlen)
{
	if (weekdays & ~WEEKDAY_BITS)
		return fail(err, errlen,
			    "weekday bit 7 is set; only bits 0 (Monday) to 6 (Sunday) are days");
	if (!weekdays)
		return fail(err, errlen, "no weekday: name at least one day, e.g. \"mon-fri\"");
	return 0;
}

int calendar_check(const struct calendar *c, char *err, size_t errlen)
{
	assert(c);
	if (err && errlen > 0)
		err[0] = '\0';
	if (c->kind != CAL_WEEKLY && c->kind != CAL_MARKET && c->kind != CAL_SCHOOL &&
	    c->kind != CAL_DATES)
		return fail(err, errlen, "unknown calendar kind %d", (int)c->kind);
	if (c->end < c->start) {
		char s[DATE_FORMAT_LEN], e[DATE_FORMAT_LEN];
		date_format(c->start, s);
		date_format(c->end, e);
		return fail(err, errlen, "the end %s is before the start %s", e, s);
	}
	switch (c->kind) {
	case CAL_WEEKLY:
		if (c->start == CALENDAR_OPEN_START || c->end == CALENDAR_OPEN_END)
			return fail(err, errlen,
				    "a weekly calendar needs both a start and an end date");
		if (check_weekdays(c->weekdays, err, errlen))
			return -1;
		break;
	case CAL_MARKET:
		if (c->market_digits & ~CALENDAR_ALL_DIGITS)
			return fail(err, errlen,
				    "market digit bits above 9 are set; digits are 0 to 9");
		if (!c->market_digits)
			return fail(err, errlen,
				    "no market digit: name at least one, e.g. \"1,4,7\"");
		if (c->lunar && check_lunar_range(c, err, errlen))
			return -1;
		break;
	case CAL_SCHOOL:
		if (check_weekdays(c->weekdays, err, errlen) || check_terms(c, err, errlen))
			return -1;
		break;
	case CAL_DATES:
		if (c->nadded == 0)
			return fail(err, errlen, "a calendar of dates needs at least one added date");
		break;
	}
	if (check_dates(c->added, c->nadded, "added", err, errlen) ||
	    check_dates(c->removed, c->nremoved, "removed", err, errlen) ||
	    check_added_removed(c, err, errlen))
		return -1;
	return 0;
}

int calendar_parse_digits(const char *s, uint16_t *out)
{
	if (!s || !*s)
		return -1;
	size_t n = strlen(s);
	/* "147", or digits at even places with one separator at the odd ones. */
	char sep = n > 1 && (s[1] == ',' || s[1] == '/') ? s[1] : 0;
	if (sep && n % 2 == 0)
		return -1;
	uint16_t bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (sep && i % 2 == 1) {
			if (s[i] != sep)
				return -1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint16_t bit = (uint16_t)(1u << (s[i] - '0'));
		if (bits & bit)
			return -1; /* a digit named twice is a typo, not a cycle */
		bits |= bit;
	}
	*out = bits;
	return 0;
}

static const char weekday_names[7][4] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static char ascii_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* Whether s[0..len) equals the lower-case word w, ignoring case. */
static bool word_is(const char *s, size_t len, const char *w)
{
	if (strlen(w) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower(s[i]) != w[i])
			return false;
	return true;
}

/* 0 = Monday .. 6 = Sunday for a three-letter name, else -1. */
static int weekday_index(const char *s, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (word_is(s, len, weekday_names[i]))
			return i;
	return -1;
}

/* One list item, "mon" or "mon-fri", into *bits; -1 on a repeat or typo. */
static int parse_weekday_item(const char *s, size_t len, uint8_t *bits)
{
	const char *dash = memchr(s, '-', len);
	int a, b;
	if (dash) {
		a = weekday_index(s, (size_t)(dash - s));
		b = weekday_index(dash + 1, len - (size_t)(dash - s) - 1);
		if (a == b)
			return -1; /* "mon-mon": one day or the whole week? */
	} else {
		a = b = weekday_index(s, len);
	}
	if (a < 0 || b < 0)
		return -1;
	for (int i = a;; i = (i + 1) % 7) {
		uint8_t bit = (uint8_t)(1u << i);
		if (*bits & bit)
			return -1;
		*bits |= bit;
		if (i == b)
			break;
	}
	return 0;
}

int calendar_parse_weekdays(const char *s, uint8_t *out)
{
	if (!s || !*s)
		return -1;
	size_t n = strlen(s);
	if (word_is(s, n, "daily")) {
		*out = CALENDAR_ALL_DAYS;
		return 0;
	}
	if (word_is(s, n, "weekdays")) {
		*out = CALENDAR_MON_FRI;
		return 0;
	}
	if (word_is(s, n, "weekend")) {
		*out = 1u << 5 | 1u << 6; /* Saturday, Sunday */
		return 0;
	}
	uint8_t bits = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || parse_weekday_item(p, len, &bits) != 0)
			return -1;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = bits;
	return 0;
}
