/*
 * test_calendar.c — service calendars on dates worked out by hand: solar
 * and lunar market cycles (with the 31st, the missing 30th of a short lunar
 * month, and the Spring Festival in between), a school year of two terms
 * with a holiday and a make-up Saturday, a weekday timetable with an extra
 * day; removal winning over addition; yearly counts; the checks that refuse
 * calendars that make no sense; and the text forms operators write.
 */
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "check.h"
#include "date.h"
#include "lunar.h"

static jt_day day_of(const char *text)
{
	jt_day d = 0;
	if (date_parse(text, &d) != 0)
		CHECK_MSG(text, false);
	return d;
}

/* Checks that c runs on exactly the listed dates within [from, to]. */
static void check_dates(const char *what, const struct calendar *c, const char *from,
			const char *to, const char *const *want, size_t nwant)
{
	jt_day got[64];
	size_t n = calendar_dates(c, day_of(from), day_of(to), got, JT_ARRAY_LEN(got));
	CHECK_INT(what, n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++) {
		char buf[DATE_FORMAT_LEN];
		date_format(got[i], buf);
		CHECK_STR(what, buf, want[i]);
		CHECK_INT(what, calendar_runs_on(c, got[i]), true);
	}
}

static struct calendar market(uint16_t digits, bool lunar)
{
	return (struct calendar){.kind = CAL_MARKET,
				 .start = CALENDAR_OPEN_START,
				 .end = CALENDAR_OPEN_END,
				 .market_digits = digits,
				 .lunar = lunar};
}

#define DIGITS(a, b, c) (uint16_t)(1u << (a) | 1u << (b) | 1u << (c))

static void test_solar_market(void)
{
	struct calendar c = market(DIGITS(1, 4, 7), false);
	/* November has no 31st; December's 31st ends in 1 and is a market day */
	static const char *const nov[] = {"2026-11-01", "2026-11-04", "2026-11-07",
					  "2026-11-11", "2026-11-14", "2026-11-17",
					  "2026-11-21", "2026-11-24", "2026-11-27"};
	static const char *const dec[] = {"2026-12-01", "2026-12-04", "2026-12-07",
					  "2026-12-11", "2026-12-14", "2026-12-17",
					  "2026-12-21", "2026-12-24", "2026-12-27", "2026-12-31"};
	check_dates("1/4/7 November", &c, "2026-11-01", "2026-11-30", nov, JT_ARRAY_LEN(nov));
	check_dates("1/4/7 December", &c, "2026-12-01", "2026-12-31", dec, JT_ARRAY_LEN(dec));
	/* 9 a month, and the 31st of the seven long months */
	CHECK_INT("1/4/7 in 2026", calendar_dates(&c, day_of("2026-01-01"), day_of("2026-12-31"), NULL, 0),
		  12 * 9 + 7);
	/* digit 0: the 10th, 20th and 30th; February has no 30th */
	struct calendar zero = market(1u << 0, false);
	static const char *const feb[] = {"2026-02-10", "2026-02-20", "2026-03-10"};
	check_dates("0 in February", &zero, "2026-02-01", "2026-03-10", feb, JT_ARRAY_LEN(feb));
	/* a bounded market stops at its end */
	c.start = day_of("2026-11-05");
	c.end = day_of("2026-11-20");
	static const char *const bounded[] = {"2026-11-07", "2026-11-11", "2026-11-14", "2026-11-17"};
	check_dates("bounded", &c, "2026-11-01", "2026-11-30", bounded, JT_ARRAY_LEN(bounded));
}

/*
 * Lunar 2026 (from the Spring Festival, 2026-02-17): the 7th month runs
 * 08-13..09-10 (29 days), the 8th 09-11..10-09 (29), the 9th 10-10..11-08
 * (30), the 10th 11-09..12-08 (30), the 11th 12-09..2027-01-07 (30), the 12th
 * 2027-01-08..02-05 (29); lunar 2027 begins 2027-02-06.
 */
static void test_lunar_market(void)
{
	struct calendar c = market(DIGITS(3, 6, 9), true);
	/* 7th month 23, 26, 29 (no 30th); 8th month 3 .. 19 */
	static const char *const sep[] = {"2026-09-04", "2026-09-07", "2026-09-10",
					  "2026-09-13", "2026-09-16", "2026-09-19",
					  "2026-09-23", "2026-09-26", "2026-09-29"};
	check_dates("lunar 3/6/9 September", &c, "2026-09-01", "2026-09-30", sep, JT_ARRAY_LEN(sep));
	CHECK_INT("lunar 3/6/9 in 2026",
		  calendar_dates(&c, day_of("2026-01-01"), day_of("2026-12-31"), NULL, 0), 112);

	/* digit 0 on the lunar calendar: the 29-day 7th and 8th months have no
	 * 30th, the 30-day 9th month does */
	struct calendar zero = market(1u << 0, true);
	static const char *const tens[] = {"2026-09-01", "2026-09-20", "2026-09-30",
					   "2026-10-19", "2026-10-29", "2026-11-08"};
	check_dates("lunar 0", &zero, "2026-09-01", "2026-11-10", tens, JT_ARRAY_LEN(tens));

	/* across the Spring Festival: 11th month 25, 28; 12th month 2 .. 28;
	 * 1st month of 2027 2 .. 22 */
	struct calendar m258 = market(DIGITS(2, 5, 8), true);
	static const char *const spring[] = {
		"2027-01-02", "2027-01-05", "2027-01-09", "2027-01-12", "2027-01-15", "2027-01-19",
		"2027-01-22", "2027-01-25", "2027-01-29", "2027-02-01", "2027-02-04", "2027-02-07",
		"2027-02-10", "2027-02-13", "2027-02-17", "2027-02-20", "2027-02-23", "2027-02-27"};
	check_dates("lunar 2/5/8 Spring Festival", &m258, "2027-01-01", "2027-02-28", spring,
		    JT_ARRAY_LEN(spring));

	/* an open lunar market simply has no days where the lunar calendar is
	 * not known */
	CHECK_INT("before 1900-01-31", calendar_runs_on(&c, date_from_ymd(1900, 1, 23)), false);
	CHECK_INT("lunar 1900-1-3", calendar_runs_on(&c, date_from_ymd(1900, 2, 2)), true);
	CHECK_INT("all of it", calendar_dates(&c, INT32_MIN, INT32_MAX, NULL, 0),
		  calendar_dates(&c, LUNAR_FIRST_DAY, LUNAR_LAST_DAY, NULL, 0));
	CHECK_INT("after 2100",
		  calendar_dates(&c, date_from_ymd(2101, 1, 1), date_from_ymd(2101, 12, 31), NULL, 0), 0);
}

static void test_school(void)
{
	struct calendar_term terms[] = {
		{day_of("2026-09-01"), day_of("2027-01-22")}, /* autumn term */
		{day_of("2027-02-22"), day_of("2027-07-09")}, /* spring term */
	};
	jt_day removed[] = {
		/* National Day week, then Labour Day */
		day_of("2026-10-01"), day_of("2026-10-02"), day_of("2026-10-03"),
		day_of("2026-10-04"), day_of("2026-10-05"), day_of("2026-10-06"),
		day_of("2026-10-07"), day_of("2027-05-03"), day_of("2027-05-04"),
		day_of("2027-05-05"),
	};
	jt_day added[] = {day_of("2026-10-10")}; /* a make-up Saturday */
	uint8_t weekdays;
	CHECK_INT("mon-fri", calendar_parse_weekdays("mon-fri", &weekdays), 0);
	struct calendar c = {.kind = CAL_SCHOOL,
			     .start = CALENDAR_OPEN_START,
			     .end = CALENDAR_OPEN_END,
			     .weekdays = weekdays,
			     .terms = terms,
			     .nterms = JT_ARRAY_LEN(terms),
			     .added = added,
			     .nadded = JT_ARRAY_LEN(added),
			     .removed = removed,
			     .nremoved = JT_ARRAY_LEN(removed)};
	char err[160];
	CHECK_INT("valid school calendar", calendar_check(&c, err, sizeof err), 0);
	CHECK_STR("no message", err, "");

	static const struct {
		const char *day;
		bool runs;
	} days[] = {
		{"2026-08-31", false}, /* Monday before term */
		{"2026-09-01", true},  /* first day of term */
		{"2026-09-05", false}, /* Saturday */
		{"2026-09-06", false}, /* Sunday */
		{"2026-09-30", true},
		{"2026-10-01", false}, /* National Day */
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true},  /* make-up Saturday */
		{"2026-10-17", false}, /* an ordinary Saturday */
		{"2027-01-22", true},  /* last day of the autumn term */
		{"2027-01-25", false}, /* winter holiday, a Monday */
		{"2027-02-19", false},
		{"2027-02-22", true},
		{"2027-05-03", false}, /* Labour Day */
		{"2027-05-06", true},
		{"2027-07-09", true},
		{"2027-07-12", false}, /* summer holiday */
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(days); i++)
		CHECK_INT(days[i].day, calendar_runs_on(&c, day_of(days[i].day)), days[i].runs);
	/* 104 weekdays in the autumn term less 5 of holiday plus 1 Saturday;
	 * 100 weekdays in the spring term less 3 */
	CHECK_INT("school year",
		  calendar_dates(&c, day_of("2026-08-01"), day_of("2027-08-31"), NULL, 0), 100 + 97);
	CHECK_INT("autumn term",
		  calendar_dates(&c, day_of("2026-09-01"), day_of("2027-01-22"), NULL, 0), 100);
	CHECK_INT("open range", calendar_dates(&c, INT32_MIN, INT32_MAX, NULL, 0), 100 + 97);
	/* the validity range still bounds it */
	c.end = day_of("2026-12-31");
	CHECK_INT("ends in December", calendar_runs_on(&c, day_of("2027-01-04")), false);
}

static void test_weekly(void)
{
	jt_day added[] = {day_of("2026-11-28"), day_of("2027-01-02")}; /* Saturdays */
	struct calendar c = {.kind = CAL_WEEKLY,
			     .start = day_of("2026-01-01"),
			     .end = day_of("2026-12-31"),
			     .weekdays = CALENDAR_MON_FRI};
	/* 2026 starts on a Thursday: 52 weeks and one Thursday */
	CHECK_INT("weekdays in 2026",
		  calendar_dates(&c, day_of("2025-01-01"), day_of("2027-12-31"), NULL, 0), 52 * 5 + 1);
	CHECK_INT("Saturday", calendar_runs_on(&c, day_of("2026-11-28")), false);
	c.added = added;
	c.nadded = JT_ARRAY_LEN(added);
	static const char *const week[] = {"2026-11-23", "2026-11-24", "2026-11-25",
					   "2026-11-26", "2026-11-27", "2026-11-28"};
	check_dates("mon-fri and a Saturday", &c, "2026-11-23", "2026-11-29", week,
		    JT_ARRAY_LEN(week));
	/* an added date runs even outside the range */
	CHECK_INT("added after the end", calendar_runs_on(&c, day_of("2027-01-02")), true);
	CHECK_INT("not added after the end", calendar_runs_on(&c, day_of("2027-01-04")), false);
	CHECK_INT("before the start", calendar_runs_on(&c, day_of("2025-12-31")), false);
	CHECK_INT("year with extras",
		  calendar_dates(&c, INT32_MIN, INT32_MAX, NULL, 0), 52 * 5 + 1 + 2);

	/* at most max dates are written; the count is the whole */
	jt_day out[4] = {0, 0, 0, 0};
	jt_day mon = day_of("2026-11-23"), sun = day_of("2026-11-29");
	CHECK_INT("count", calendar_dates(&c, mon, sun, out, 3), 6);
	CHECK_INT("first", out[0], day_of("2026-11-23"));
	CHECK_INT("third", out[2], day_of("2026-11-25"));
	CHECK_INT("untouched", out[3], 0);
	CHECK_INT("empty range", calendar_dates(&c, sun, mon, out, 4), 0);
}

static void test_removal_wins(void)
{
	jt_day both[] = {day_of("2026-11-28")};
	jt_day holiday[] = {day_of("2026-11-26")};
	struct calendar c = {.kind = CAL_WEEKLY,
			     .start = day_of("2026-01-01"),
			     .end = day_of("2026-12-31"),
			     .weekdays = CALENDAR_ALL_DAYS,
			     .added = both,
			     .nadded = 1,
			     .removed = both,
			     .nremoved = 1};
	CHECK_INT("added and removed", calendar_runs_on(&c, both[0]), false);
	char err[160];
	CHECK_INT("check refuses", calendar_check(&c, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "2026-11-28 is both added and removed") != NULL);
	c.removed = holiday;
	CHECK_INT("removed weekday", calendar_runs_on(&c, holiday[0]), false);
	CHECK_INT("added", calendar_runs_on(&c, both[0]), true);
	CHECK_INT("check passes", calendar_check(&c, err, sizeof err), 0);
	/* a removed market day does not run */
	struct calendar m = market(DIGITS(1, 4, 7), false);
	m.removed = holiday;
	m.nremoved = 1;
	CHECK_INT("market holiday", calendar_runs_on(&m, day_of("2026-11-26")), false);
	m.removed = (jt_day[]){day_of("2026-11-24")};
	CHECK_INT("market removed", calendar_runs_on(&m, day_of("2026-11-24")), false);
	CHECK_INT("market kept", calendar_runs_on(&m, day_of("2026-11-21")), true);
}

struct bad_case {
	const char *what;
	struct calendar c;
	const char *message; /* a part of the message */
};

static void test_check(void)
{
	static struct calendar_term overlap[] = {{100, 200}, {200, 300}};
	static struct calendar_term unsorted[] = {{300, 400}, {100, 200}};
	static struct calendar_term backwards[] = {{200, 100}};
	static struct calendar_term fine[] = {{100, 200}, {201, 300}};
	static jt_day dup[] = {20780, 20780};
	static jt_day order[] = {20781, 20780};
	const struct bad_case bad[] = {
		{"end before start", {.kind = CAL_WEEKLY, .start = 20780, .end = 20779, .weekdays = 1},
		 "the end 2026-11-22 is before the start 2026-11-23"},
		{"weekly open", {.kind = CAL_WEEKLY, .start = 20780, .end = CALENDAR_OPEN_END, .weekdays = 1},
		 "needs both a start and an end"},
		{"weekly no day", {.kind = CAL_WEEKLY, .start = 0, .end = 1}, "no weekday"},
		{"bit 7", {.kind = CAL_WEEKLY, .start = 0, .end = 1, .weekdays = 0x81}, "bit 7"},
		{"no digit", {.kind = CAL_MARKET, .start = 0, .end = 1}, "no market digit"},
		{"digit 10", {.kind = CAL_MARKET, .start = 0, .end = 1, .market_digits = 1u << 10},
		 "above 9"},
		{"lunar too early",
		 {.kind = CAL_MARKET, .start = -30000, .end = 1, .market_digits = 1, .lunar = true},
		 "the start 1887-11-12 is outside 1900-01-31..2100-12-31"},
		{"lunar too late",
		 {.kind = CAL_MARKET, .start = 0, .end = 50000, .market_digits = 1, .lunar = true},
		 "the end 2106-11-24 is outside"},
		{"school no term", {.kind = CAL_SCHOOL, .start = 0, .end = 1, .weekdays = 1},
		 "at least one term"},
		{"school NULL terms",
		 {.kind = CAL_SCHOOL, .start = 0, .end = 1, .weekdays = 1, .nterms = 2},
		 "2 terms are counted"},
		{"school no day",
		 {.kind = CAL_SCHOOL, .start = 0, .end = 1, .terms = fine, .nterms = 2}, "no weekday"},
		{"terms overlap",
		 {.kind = CAL_SCHOOL, .start = 0, .end = 1, .weekdays = 1, .terms = overlap, .nterms = 2},
		 "the terms 1970-04-11..1970-07-20 and 1970-07-20..1970-10-28 overlap"},
		{"terms unsorted",
		 {.kind = CAL_SCHOOL, .start = 0, .end = 1, .weekdays = 1, .terms = unsorted, .nterms = 2},
		 "out of order"},
		{"term backwards",
		 {.kind = CAL_SCHOOL, .start = 0, .end = 1, .weekdays = 1, .terms = backwards, .nterms = 1},
		 "ends before it starts"},
		{"added twice",
		 {.kind = CAL_WEEKLY, .start = 0, .end = 1, .weekdays = 1, .added = dup, .nadded = 2},
		 "2026-11-23 is added twice"},
		{"removed unsorted",
		 {.kind = CAL_WEEKLY, .start = 0, .end = 1, .weekdays = 1, .removed = order, .nremoved = 2},
		 "removed dates are out of order: 2026-11-23 comes after 2026-11-24"},
		{"added NULL", {.kind = CAL_WEEKLY, .start = 0, .end = 1, .weekdays = 1, .nadded = 1},
		 "1 added dates are counted"},
		{"unknown kind", {.kind = (enum calendar_kind)7, .start = 0, .end = 1}, "unknown"},
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(bad); i++) {
		char err[200] = "x";
		CHECK_INT(bad[i].what, calendar_check(&bad[i].c, err, sizeof err), -1);
		if (!strstr(err, bad[i].message))
			CHECK_STR(bad[i].what, err, bad[i].message);
	}
	/* valid ones, and a short or absent message buffer */
	struct calendar ok = {.kind = CAL_SCHOOL, .start = 0, .end = 400, .weekdays = 0x1f,
			      .terms = fine, .nterms = 2};
	char err[8] = "x";
	CHECK_INT("valid school", calendar_check(&ok, err, sizeof err), 0);
	CHECK_STR("empty message", err, "");
	struct calendar lunar = market(DIGITS(3, 6, 9), true);
	CHECK_INT("open lunar market", calendar_check(&lunar, NULL, 0), 0);
	CHECK_INT("no buffer", calendar_check(&bad[0].c, NULL, 0), -1);
	CHECK_INT("short buffer", calendar_check(&bad[0].c, err, sizeof err), -1);
	CHECK_INT("terminated", strlen(err), sizeof err - 1);
}

static void test_parse_digits(void)
{
	static const struct {
		const char *text;
		int want; /* -1: refused */
	} cases[] = {
		{"1,4,7", 0x092}, {"147", 0x092}, {"1/4/7", 0x092}, {"2,5,8", 0x124},
		{"3,6,9", 0x248}, {"0", 0x001}, {"5,0", 0x021}, {"0123456789", 0x3ff},
		{"", -1}, {"1,", -1}, {",1", -1}, {"1,,4", -1}, {"1,4/7", -1}, {"14,7", -1},
		{"1, 4", -1}, {" 1", -1}, {"1,1", -1}, {"11", -1}, {"a", -1}, {"1;4", -1},
		{"10", 0x003}, {"1,x", -1}, {"-1", -1},
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		uint16_t got = 0xdead;
		int rc = calendar_parse_digits(cases[i].text, &got);
		CHECK_INT(cases[i].text, rc, cases[i].want < 0 ? -1 : 0);
		CHECK_INT(cases[i].text, got, cases[i].want < 0 ? 0xdead : cases[i].want);
	}
	uint16_t got;
	CHECK_INT("NULL", calendar_parse_digits(NULL, &got), -1);
}

static void test_parse_weekdays(void)
{
	static const struct {
		const char *text;
		int want; /* -1: refused */
	} cases[] = {
		{"mon-fri", 0x1f}, {"weekdays", 0x1f}, {"daily", 0x7f}, {"weekend", 0x60},
		{"sat-sun", 0x60}, {"mon,wed,fri", 0x15}, {"sun", 0x40}, {"Mon-Fri", 0x1f},
		{"DAILY", 0x7f}, {"fri-mon", 0x71}, {"fri,sun", 0x50}, {"mon-wed,fri-sat", 0x37},
		{"mon-sun", 0x7f}, {"tue-mon", 0x7f},
		{"", -1}, {"mon-", -1}, {"-fri", -1}, {"mon-mon", -1}, {"mon,", -1}, {",mon", -1},
		{"mon,,tue", -1}, {"mon,mon", -1}, {"mon-fri,wed", -1}, {"monday", -1},
		{"mo", -1}, {"mon fri", -1}, {"mon, tue", -1}, {"daily,mon", -1},
		{"mon-tue-wed", -1}, {"xyz", -1},
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		uint8_t got = 0xee;
		int rc = calendar_parse_weekdays(cases[i].text, &got);
		CHECK_INT(cases[i].text, rc, cases[i].want < 0 ? -1 : 0);
		CHECK_INT(cases[i].text, got, cases[i].want < 0 ? 0xee : cases[i].want);
	}
	uint8_t got;
	CHECK_INT("NULL", calendar_parse_weekdays(NULL, &got), -1);
}

int main(void)
{
	test_solar_market();
	test_lunar_market();
	test_school();
	test_weekly();
	test_removal_wins();
	test_check();
	test_parse_digits();
	test_parse_weekdays();
	/* A calendar of dates runs on its added dates and nothing else. */
	{
		jt_day list[] = { date_from_ymd(2026, 12, 3), date_from_ymd(2026, 12, 24) };
		struct calendar c = { .kind = CAL_DATES, .start = CALENDAR_OPEN_START,
				      .end = CALENDAR_OPEN_END, .added = list, .nadded = 2 };
		char why[200];
		CHECK(calendar_check(&c, why, sizeof why) == 0);
		CHECK(calendar_runs_on(&c, list[0]) && calendar_runs_on(&c, list[1]));
		CHECK(!calendar_runs_on(&c, list[0] + 1));
		jt_day out[10];
		CHECK(calendar_dates(&c, list[0] - 100, list[1] + 100, out, 10) == 2);
		struct calendar empty = { .kind = CAL_DATES, .start = CALENDAR_OPEN_START,
					  .end = CALENDAR_OPEN_END };
		CHECK(calendar_check(&empty, why, sizeof why) == -1);
	}
	return check_done("test_calendar");
}
