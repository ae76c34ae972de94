/*
 * test_date.c — day numbers of known dates and their weekdays, month
 * lengths over the leap-year rules, strict parsing of "YYYY-MM-DD", and every
 * day of the parsed years written and read back.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "date.h"

struct known_day {
	int y, m, d;
	jt_day day;
	int weekday;
};

static const struct known_day known[] = {
	{1970, 1, 1, 0, 4},
	{1969, 12, 31, -1, 3},
	{1900, 1, 1, -25567, 1},
	{1900, 1, 31, -25537, 3},
	{1900, 3, 1, -25508, 4}, /* 1900 is not a leap year */
	{2000, 2, 29, 11016, 2}, /* 2000 is */
	{2000, 3, 1, 11017, 3},
	{2024, 2, 29, 19782, 4},
	{2026, 10, 1, 20727, 4},
	{2026, 11, 23, 20780, 1},
	{2100, 12, 31, 47846, 5},
	{2199, 12, 31, 84005, 2},
	{1, 1, 1, -719162, 1},
	{9999, 12, 31, 2932896, 5},
};

static void test_known(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(known); i++) {
		const struct known_day *k = &known[i];
		CHECK_INT("date_from_ymd", date_from_ymd(k->y, k->m, k->d), k->day);
		CHECK_INT("date_weekday", date_weekday(k->day), k->weekday);
		int y = 0, m = 0, d = 0;
		date_to_ymd(k->day, &y, &m, &d);
		CHECK_INT("year", y, k->y);
		CHECK_INT("month", m, k->m);
		CHECK_INT("day", d, k->d);
	}
	/* a day past the month's end counts on into the next */
	CHECK_INT("March 0", date_from_ymd(2024, 3, 0), date_from_ymd(2024, 2, 29));
	CHECK_INT("Dec 32", date_from_ymd(2026, 12, 32), date_from_ymd(2027, 1, 1));
}

static void test_days_in_month(void)
{
	static const int len2026[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int m = 1; m <= 12; m++)
		CHECK_INT("2026 month", date_days_in_month(2026, m), len2026[m - 1]);
	CHECK_INT("Feb 1900", date_days_in_month(1900, 2), 28);
	CHECK_INT("Feb 2000", date_days_in_month(2000, 2), 29);
	CHECK_INT("Feb 2024", date_days_in_month(2024, 2), 29);
	CHECK_INT("Feb 2100", date_days_in_month(2100, 2), 28);
	CHECK_INT("month 0", date_days_in_month(2026, 0), 0);
	CHECK_INT("month 13", date_days_in_month(2026, 13), 0);
	CHECK_INT("month -1", date_days_in_month(2026, -1), 0);
}

struct parse_case {
	const char *text;
	jt_day want; /* -99999: refused */
};

#define BAD (-99999)

static const struct parse_case parses[] = {
	{"1970-01-01", 0},
	{"2026-11-23", 20780},
	{"2024-02-29", 19782},
	{"2000-02-29", 11016},
	{"1900-01-01", -25567},
	{"2199-12-31", 84005},
	{"2026-02-29", BAD}, /* not a leap year */
	{"1900-02-29", BAD}, /* nor is 1900 */
	{"2026-04-31", BAD},
	{"2026-00-10", BAD},
	{"2026-13-01", BAD},
	{"2026-01-00", BAD},
	{"2026-01-32", BAD},
	{"1899-12-31", BAD}, /* outside the accepted years */
	{"2200-01-01", BAD},
	{"0000-01-01", BAD},
	{"2026-1-01", BAD},
	{"2026-01-1", BAD},
	{"26-01-01", BAD},
	{"02026-01-01", BAD},
	{"2026/01/01", BAD},
	{"2026.01.01", BAD},
	{"20260101", BAD},
	{" 2026-01-01", BAD},
	{"2026-01-01 ", BAD},
	{"2026-01-01\n", BAD},
	{"2026-01-01T00:00", BAD},
	{"2026-01-0a", BAD},
	{"+026-01-01", BAD},
	{"2026-+1-01", BAD},
	{"2026--1-01", BAD},
	{"2026-01", BAD},
	{"2026", BAD},
	{"", BAD},
	{"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-01-01", BAD}, /* fullwidth digits */
};

static void test_parse(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(parses); i++) {
		const struct parse_case *c = &parses[i];
		jt_day got = 4242;
		int rc = date_parse(c->text, &got);
		CHECK_INT(c->text, rc, c->want == BAD ? -1 : 0);
		CHECK_INT(c->text, got, c->want == BAD ? 4242 : c->want);
	}
	jt_day got = 4242;
	CHECK_INT("NULL", date_parse(NULL, &got), -1);
	CHECK_INT("NULL untouched", got, 4242);
	/* a string cut short is not read past its end */
	char shortbuf[5] = {'2', '0', '2', '6', '\0'};
	CHECK_INT("short", date_parse(shortbuf, &got), -1);
}

static void test_format(void)
{
	char buf[DATE_FORMAT_LEN];
	date_format(0, buf);
	CHECK_STR("epoch", buf, "1970-01-01");
	date_format(20780, buf);
	CHECK_STR("2026-11-23", buf, "2026-11-23");
	date_format(-1, buf);
	CHECK_STR("before epoch", buf, "1969-12-31");
	date_format(date_from_ymd(0, 1, 1), buf);
	CHECK_STR("year 0", buf, "0000-01-01");
	date_format(2932896, buf);
	CHECK_STR("9999", buf, "9999-12-31");
	date_format(2932897, buf);
	CHECK_STR("10000", buf, "?\?\?\?-?\?-?\?");
	date_format(date_from_ymd(0, 1, 1) - 1, buf);
	CHECK_STR("year -1", buf, "?\?\?\?-?\?-?\?");
	date_format(INT32_MAX, buf);
	CHECK_STR("INT32_MAX", buf, "?\?\?\?-?\?-?\?");
	date_format(INT32_MIN, buf);
	CHECK_STR("INT32_MIN", buf, "?\?\?\?-?\?-?\?");
}

/*
 * Every day of 1900..2199: the next day's fields follow from the previous
 * one's, weekdays cycle, and each day writes and parses back as itself.
 */
static void test_every_day(void)
{
	jt_day first = date_from_ymd(DATE_YEAR_MIN, 1, 1);
	jt_day last = date_from_ymd(DATE_YEAR_MAX, 12, 31);
	unsigned bad_next = 0, bad_back = 0, bad_weekday = 0, bad_text = 0;
	int py = DATE_YEAR_MIN - 1, pm = 12, pd = 31;
	int pw = date_weekday(first - 1);
	char buf[DATE_FORMAT_LEN];
	for (jt_day day = first; day <= last; day++) {
		int y, m, d;
		date_to_ymd(day, &y, &m, &d);
		bool next = (y == py && m == pm && d == pd + 1) ||
			    (y == py && m == pm + 1 && d == 1 && pd == date_days_in_month(py, pm)) ||
			    (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
		bad_next += !next;
		bad_back += date_from_ymd(y, m, d) != day;
		int w = date_weekday(day);
		bad_weekday += w != pw % 7 + 1;
		date_format(day, buf);
		jt_day back;
		bad_text += date_parse(buf, &back) != 0 || back != day;
		py = y, pm = m, pd = d, pw = w;
	}
	CHECK_INT("days not following", bad_next, 0);
	CHECK_INT("days not converting back", bad_back, 0);
	CHECK_INT("weekdays out of step", bad_weekday, 0);
	CHECK_INT("days not reading back", bad_text, 0);
	CHECK_INT("days in the parsed years", last - first + 1, 300 * 365 + 73);
}

/* Far from the years anyone schedules, the conversions still invert. */
static void test_extremes(void)
{
	unsigned bad = 0;
	for (int64_t day = INT32_MIN; day <= INT32_MAX; day += 9999991) {
		int y, m, d;
		date_to_ymd((jt_day)day, &y, &m, &d);
		bad += date_from_ymd(y, m, d) != day || m < 1 || m > 12 || d < 1 ||
		       d > date_days_in_month(y, m);
		int w = date_weekday((jt_day)day);
		bad += w < 1 || w > 7;
	}
	CHECK_INT("extreme days not converting back", bad, 0);
	CHECK_INT("INT32_MIN weekday in range", date_weekday(INT32_MIN) >= 1, 1);
	CHECK_INT("INT32_MAX weekday", date_weekday(INT32_MAX), (int)(((int64_t)INT32_MAX + 3) % 7) + 1);
}

int main(void)
{
	test_known();
	test_days_in_month();
	test_parse();
	test_format();
	test_every_day();
	test_extremes();
	return check_done("test_date");
}
