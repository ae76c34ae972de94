/*
 * date.c — civil dates as day numbers, read and written as "YYYY-MM-DD".
 *
 * The conversions are the usual era-based ones (400-year eras of 146097
 * days, years counted from March so the leap day is the last of the year),
 * computed in 64 bits so no int argument can overflow on the way. Parsing is
 * strict because a date in a timetable that was mistyped must be refused, not
 * silently moved to a neighbouring day: 2026-02-30 is an error, not March 2nd.
 */
#include "date.h"

#include <assert.h>

/* 1970-01-01, day 0, was a Thursday (ISO weekday 4). */
#define DATE_EPOCH_WEEKDAY 4

static bool is_leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

jt_day date_from_ymd(int y, int m, int d)
{
	assert(m >= 1 && m <= 12);
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;                       /* [0, 399] */
	int64_t mp = m > 2 ? m - 3 : m + 9;                 /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;  /* [0, 365] for real dates */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (jt_day)(era * 146097 + doe - 719468);
}

void date_to_ymd(jt_day day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                   /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                 /* [0, 11] */
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int date_weekday(jt_day day)
{
	int64_t r = ((int64_t)day + DATE_EPOCH_WEEKDAY - 1) % 7;
	if (r < 0)
		r += 7;
	return (int)r + 1;
}

int date_days_in_month(int y, int m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap_year(y) ? 29 : len[m - 1];
}

/* Reads exactly n decimal digits from s. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int date_parse(const char *s, jt_day *out)
{
	int y, m, d;
	if (!s)
		return -1;
	/* Each check stops at the first mismatch, so a short string is never
	 * read past its terminator. */
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != '\0')
		return -1;
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || d < 1 || d > date_days_in_month(y, m))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

/* Writes v as exactly n decimal digits. */
static void put_digits(char *buf, int n, int v)
{
	for (int i = n - 1; i >= 0; i--) {
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(jt_day day, char buf[DATE_FORMAT_LEN])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		static const char unknown[DATE_FORMAT_LEN] = "?\?\?\?-?\?-?\?";
		for (int i = 0; i < DATE_FORMAT_LEN; i++)
			buf[i] = unknown[i];
		return;
	}
	put_digits(buf, 4, y);
	buf[4] = '-';
	put_digits(buf + 5, 2, m);
	buf[7] = '-';
	put_digits(buf + 8, 2, d);
	buf[10] = '\0';
}
