/*
 * lunar.h — the Chinese lunar calendar (农历), for market cycles counted on it.
 *
 * Many townships still hold their market (赶场) on lunar days: "the 3rd, 6th
 * and 9th" means lunar days 3, 6, 9, 13, 16, 19, 23, 26 and 29, which fall on
 * different solar dates every year. This module turns a solar day into its
 * lunar year, month and day and back, for 1900-01-31 (lunar 1900, 1st month,
 * 1st day) to 2100-12-31.
 *
 * A lunar month has 29 or 30 days and begins on the day of the new moon; a
 * year has 12 months, or 13 when one of them is repeated as a leap month
 * (闰月), which follows the ordinary month of the same number. The lunar year
 * here is the one that begins at the Spring Festival, so the 12th month of
 * lunar 2025 ends in February 2026.
 */
#ifndef JINTONG_LUNAR_H
#define JINTONG_LUNAR_H

#include "date.h"

/* First and last solar days covered: 1900-01-31 and 2100-12-31. */
#define LUNAR_FIRST_DAY ((jt_day)-25537)
#define LUNAR_LAST_DAY ((jt_day)47846)

/* First and last lunar years with any day in the covered range. */
#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2100

struct lunar_date {
	int year;  /* the lunar year, named by the solar year it begins in */
	int month; /* 1..12 */
	bool leap; /* a leap (闰) month, following the ordinary month `month` */
	int day;   /* 1..30 */
};

/*
 * The lunar date of solar day d. Returns 0, or -1 (leaving *out alone) when d
 * is outside LUNAR_FIRST_DAY..LUNAR_LAST_DAY.
 */
int lunar_from_solar(jt_day d, struct lunar_date *out) JT_MUST_CHECK;

/*
 * The solar day of a lunar date. Returns -1 (leaving *out alone) for a date
 * that does not exist (a 30th in a 29-day month, a leap month the year does
 * not have, month 13) or that lies outside the covered range.
 */
int lunar_to_solar(const struct lunar_date *l, jt_day *out) JT_MUST_CHECK;

/* The leap month of a lunar year (1..12), 0 when it has none, -1 when the
 * year is outside LUNAR_YEAR_MIN..LUNAR_YEAR_MAX. */
int lunar_leap_month(int year);

/* 29 or 30, the length of a lunar month; 0 when the year has no such month. */
int lunar_month_days(int year, int month, bool leap);

#endif
