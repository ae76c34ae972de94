/*
 * test_lunar.c — the lunar calendar against dates known independently of its
 * table: the Spring Festival of every year 1900..2100 and the first day of
 * every leap month, both computed from an ephemeris (new moons and principal
 * solar terms, at 120°E from 1929 and on the Beijing meridian before) and
 * agreeing with the almanacs, and the
 * length of every month from the same computation; festivals
 * (Dragon Boat 5/5, Mid-Autumn 8/15) of recent years; the new moons that fall
 * within minutes of midnight; then every day of the range converted both ways,
 * with months of 29 or 30 days and years of 12 or 13 months.
 */
#include <stdint.h>
#include <string.h>

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

/* Lunar 1/1, the Spring Festival, of each year from 1900 on. */
static const char *const new_year[] = {
	"1900-01-31", "1901-02-19", "1902-02-08", "1903-01-29", "1904-02-16", "1905-02-04",
	"1906-01-25", "1907-02-13", "1908-02-02", "1909-01-22", "1910-02-10", "1911-01-30",
	"1912-02-18", "1913-02-06", "1914-01-26", "1915-02-14", "1916-02-03", "1917-01-23",
	"1918-02-11", "1919-02-01", "1920-02-20", "1921-02-08", "1922-01-28", "1923-02-16",
	"1924-02-05", "1925-01-24", "1926-02-13", "1927-02-02", "1928-01-23", "1929-02-10",
	"1930-01-30", "1931-02-17", "1932-02-06", "1933-01-26", "1934-02-14", "1935-02-04",
	"1936-01-24", "1937-02-11", "1938-01-31", "1939-02-19", "1940-02-08", "1941-01-27",
	"1942-02-15", "1943-02-05", "1944-01-25", "1945-02-13", "1946-02-02", "1947-01-22",
	"1948-02-10", "1949-01-29", "1950-02-17", "1951-02-06", "1952-01-27", "1953-02-14",
	"1954-02-03", "1955-01-24", "1956-02-12", "1957-01-31", "1958-02-18", "1959-02-08",
	"1960-01-28", "1961-02-15", "1962-02-05", "1963-01-25", "1964-02-13", "1965-02-02",
	"1966-01-21", "1967-02-09", "1968-01-30", "1969-02-17", "1970-02-06", "1971-01-27",
	"1972-02-15", "1973-02-03", "1974-01-23", "1975-02-11", "1976-01-31", "1977-02-18",
	"1978-02-07", "1979-01-28", "1980-02-16", "1981-02-05", "1982-01-25", "1983-02-13",
	"1984-02-02", "1985-02-20", "1986-02-09", "1987-01-29", "1988-02-17", "1989-02-06",
	"1990-01-27", "1991-02-15", "1992-02-04", "1993-01-23", "1994-02-10", "1995-01-31",
	"1996-02-19", "1997-02-07", "1998-01-28", "1999-02-16", "2000-02-05", "2001-01-24",
	"2002-02-12", "2003-02-01", "2004-01-22", "2005-02-09", "2006-01-29", "2007-02-18",
	"2008-02-07", "2009-01-26", "2010-02-14", "2011-02-03", "2012-01-23", "2013-02-10",
	"2014-01-31", "2015-02-19", "2016-02-08", "2017-01-28", "2018-02-16", "2019-02-05",
	"2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
	"2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23",
	"2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08", "2036-01-28", "2037-02-15",
	"2038-02-04", "2039-01-24", "2040-02-12", "2041-02-01", "2042-01-22", "2043-02-10",
	"2044-01-30", "2045-02-17", "2046-02-06", "2047-01-26", "2048-02-14", "2049-02-02",
	"2050-01-23", "2051-02-11", "2052-02-01", "2053-02-19", "2054-02-08", "2055-01-28",
	"2056-02-15", "2057-02-04", "2058-01-24", "2059-02-12", "2060-02-02", "2061-01-21",
	"2062-02-09", "2063-01-29", "2064-02-17", "2065-02-05", "2066-01-26", "2067-02-14",
	"2068-02-03", "2069-01-23", "2070-02-11", "2071-01-31", "2072-02-19", "2073-02-07",
	"2074-01-27", "2075-02-15", "2076-02-05", "2077-01-24", "2078-02-12", "2079-02-02",
	"2080-01-22", "2081-02-09", "2082-01-29", "2083-02-17", "2084-02-06", "2085-01-26",
	"2086-02-14", "2087-02-03", "2088-01-24", "2089-02-10", "2090-01-30", "2091-02-18",
	"2092-02-07", "2093-01-27", "2094-02-15", "2095-02-05", "2096-01-25", "2097-02-12",
	"2098-02-01", "2099-01-21", "2100-02-09",
};

/*
 * The months of each lunar year 1900..2100 in order, the leap month after
 * its ordinary namesake: 'L' a long month of 30 days, 's' a short one of 29.
 * Worked out from the same ephemeris as the dates above, except 1906: there
 * the new moon of 1906-04-24 came minutes after midnight at 120°E and minutes
 * before it on the Beijing meridian, and the almanacs begin the 4th month on
 * the 24th (3rd month long, 4th short).
 */
static const char *const month_lengths[] = {
	"sLssLsLLsLLsL", "sLssLsLsLLLs", "LsLssLsLsLLL", "sLsLssLssLLsL", "LLsLssLssLLs", /* 1900 */
	"LLsLLssLsLsL", "sLLsLsLsLsLsL", "sLsLsLLsLsLs", "LssLLsLsLLsL", "sLssLsLsLLLsL", /* 1905 */
	"sLssLsLsLLLs", "LsLssLssLLsLL", "LsLssLssLLsL", "LLsLssLssLsL", "LLsLsLsLssLsL", /* 1910 */
	"LsLLsLsLsLss", "LLsLsLLsLsLs", "LssLsLLsLLsLs", "LssLsLsLLsLL", "sLssLssLLsLLL", /* 1915 */
	"sLssLssLsLLL", "LsLssLssLsLL", "LsLLssLssLsLL", "sLLsLsLssLsL", "sLLsLLsLsLss", /* 1920 */
	"LsLsLLsLLsLsL", "ssLsLsLLsLLs", "LssLsLsLsLLL", "sLssLssLsLLLL", "sLssLssLsLLL", /* 1925 */
	"sLLssLssLsLLs", "LLsLsLssLsLs", "LLLsLsLssLsL", "sLLsLLsLsLssL", "sLsLLsLsLLsL", /* 1930 */
	"ssLsLsLLsLLs", "LssLssLLsLLLs", "LssLssLsLLLs", "LLssLssLsLLsL", "LLssLssLsLsL", /* 1935 */
	"LLsLsLssLsLs", "LLsLLsLssLsLs", "LsLLsLsLsLsL", "sLsLsLLsLsLs", "LsLsLsLsLLsLL", /* 1940 */
	"ssLssLsLLLsL", "LssLssLsLLsL", "LLssLssLsLsLL", "LsLsLssLsLsL", "LsLLsLssLsLsL", /* 1945 */
	"sLLsLLssLsLs", "LsLLsLsLsLsL", "sLsLsLsLLsLsL", "sLssLLsLLsLs", "LsLssLsLLsLL", /* 1950 */
	"sLsLssLsLsLLL", "sLsLssLsLsLL", "LsLsLssLsLsLs", "LLLsLssLsLsL", "sLLsLsLsLsLs", /* 1955 */
	"LsLsLLsLsLsLs", "LsLsLsLLsLsL", "sLssLsLLsLLs", "LsLssLsLsLLLs", "LsLssLsLsLLL", /* 1960 */
	"sLsLssLssLLs", "LLLsLssLssLLs", "LLsLLssLsLsL", "sLsLLsLsLsLsL", "sLsLsLLsLsLs", /* 1965 */
	"LssLsLLsLLsL", "sLssLsLsLLLsL", "sLssLsLsLLsL", "LsLssLssLLsL", "LLsLssLssLLsL", /* 1970 */
	"LLsLssLssLsL", "LLsLsLsLssLsL", "LsLLsLsLsLss", "LsLLsLLsLsLs", "LssLsLLsLLsLs", /* 1975 */
	"LssLsLsLLsLL", "sLssLssLLsLL", "LsLssLssLsLLL", "LsLssLssLsLL", "LsLLssLssLsLL", /* 1980 */
	"sLLsLsLssLsL", "sLLsLLsLsLss", "LsLsLLsLLsLss", "LsLsLsLLsLLs", "LssLsLsLsLLL", /* 1985 */
	"sLssLssLsLLLL", "sLssLssLsLLL", "sLLssLssLsLL", "sLLsLsLssLsLs", "LLLsLsLssLsL", /* 1990 */
	"sLLsLsLLssLsL", "sLsLLsLsLLss", "LsLsLsLLsLLs", "LssLssLLsLLsL", "LssLssLsLLLs", /* 1995 */
	"LLssLssLsLLs", "LLsLsLssLsLsL", "LLsLsLssLsLs", "LLsLLsLssLsL", "sLsLLsLsLsLsL", /* 2000 */
	"sLsLsLLsLsLs", "LsLsLsLsLLsLL", "ssLssLsLLLsL", "LssLssLsLLsL", "LLssLssLsLsLL", /* 2005 */
	"LsLsLssLsLsL", "LsLLsLssLsLs", "LsLLsLsLsLsLs", "LsLsLLsLsLsL", "sLsLsLsLLsLsL", /* 2010 */
	"sLssLsLLLsLs", "LsLssLsLLsLL", "sLsLssLsLsLLL", "sLsLssLsLsLL", "LsLsLssLssLL", /* 2015 */
	"sLLLsLssLsLsL", "sLLsLsLsLsLs", "LsLsLLsLsLsL", "sLssLLsLLsLsL", "sLssLsLLsLLs", /* 2020 */
	"LsLssLsLsLLLs", "LsLssLssLLLs", "LLsLssLssLLs", "LLLsLssLssLLs", "LLsLsLsLssLL", /* 2025 */
	"sLsLLsLsLsLs", "sLLsLsLLsLsLs", "LssLsLLsLLsL", "sLssLsLsLLLsL", "sLssLsLsLLsL", /* 2030 */
	"LsLssLssLLsL", "LLsLssLssLsLL", "LLsLssLssLsL", "LLsLsLsLssLs", "LLsLLsLsLsLss", /* 2035 */
	"LsLLsLsLLsLs", "sLsLsLLsLLsL", "sLssLsLsLLsLL", "sLssLssLLsLL", "LsLssLssLsLLL", /* 2040 */
	"LsLssLssLsLL", "LsLsLsLssLsL", "LsLLsLsLssLsL", "sLLsLLsLssLs", "LsLsLLsLLsLs", /* 2045 */
	"sLsLsLsLLsLLs", "LssLssLLsLLL", "sLssLssLsLLLL", "sLssLssLsLLL", "sLLssLssLsLL", /* 2050 */
	"sLLsLsLssLsLs", "LLLsLsLssLsL", "sLLsLsLsLsLs", "LsLsLsLLsLLss", "LsLsLsLsLLLs", /* 2055 */
	"LssLssLsLLLs", "LLssLssLsLLLs", "LLssLssLsLLs", "LLsLsLssLsLsL", "LLsLsLssLsLs", /* 2060 */
	"LLsLLsLssLsL", "sLsLLsLsLsLsL", "sLsLsLLsLsLs", "LsLssLLsLLsL", "sLsLssLsLLLsL", /* 2065 */
	"sLsLssLsLLsL", "LsLsLssLsLsLL", "LsLsLssLsLsL", "LsLLsLssLsLs", "LsLLsLsLsLsLs", /* 2070 */
	"LsLsLLsLsLsL", "sLsLsLsLLsLs", "LsLssLsLLLsLs", "LsLssLsLLsLL", "sLsLssLsLsLL", /* 2075 */
	"LsLsLssLssLLL", "sLLsLssLssLL", "sLLLssLsLssLL", "sLLsLsLsLsLs", "LsLsLLsLsLsL", /* 2080 */
	"sLssLLsLLsLsL", "sLssLsLLsLLs", "LsLssLsLsLLL", "sLsLssLssLLLs", "LLsLsssLsLLs", /* 2085 */
	"LLLsLssLssLLs", "LLsLsLsLssLs", "LLsLLsLsLsLs", "sLLsLsLLsLsLs", "sLsLsLLsLLsL", /* 2090 */
	"sLssLsLsLLLs", "LsLssLssLLLsL", "LsLsssLsLLsL", "LLsLsssLsLsL", "LLsLLssLssLsL", /* 2095 */
	"LLsLsLsLssLs", /* 2100 */
};

struct leap_start {
	int year, month;
	const char *first; /* the leap month's first day */
	int days;
};

/* Every leap month of 1900..2100. */
static const struct leap_start leaps[] = {
	{1900, 8, "1900-09-24", 29}, {1903, 5, "1903-06-25", 29}, {1906, 4, "1906-05-23", 30},
	{1909, 2, "1909-03-22", 29}, {1911, 6, "1911-07-26", 29}, {1914, 5, "1914-06-23", 30},
	{1917, 2, "1917-03-23", 29}, {1919, 7, "1919-08-25", 30}, {1922, 5, "1922-06-25", 29},
	{1925, 4, "1925-05-22", 30}, {1928, 2, "1928-03-22", 29}, {1930, 6, "1930-07-26", 29},
	{1933, 5, "1933-06-23", 30}, {1936, 3, "1936-04-21", 30}, {1938, 7, "1938-08-25", 30},
	{1941, 6, "1941-07-24", 30}, {1944, 4, "1944-05-22", 30}, {1947, 2, "1947-03-23", 29},
	{1949, 7, "1949-08-24", 29}, {1952, 5, "1952-06-22", 30}, {1955, 3, "1955-04-22", 30},
	{1957, 8, "1957-09-24", 29}, {1960, 6, "1960-07-24", 29}, {1963, 4, "1963-05-23", 29},
	{1966, 3, "1966-04-21", 29}, {1968, 7, "1968-08-24", 29}, {1971, 5, "1971-06-23", 29},
	{1974, 4, "1974-05-22", 29}, {1976, 8, "1976-09-24", 29}, {1979, 6, "1979-07-24", 30},
	{1982, 4, "1982-05-23", 29}, {1984, 10, "1984-11-23", 29}, {1987, 6, "1987-07-26", 29},
	{1990, 5, "1990-06-23", 29}, {1993, 3, "1993-04-22", 29}, {1995, 8, "1995-09-25", 29},
	{1998, 5, "1998-06-24", 29}, {2001, 4, "2001-05-23", 29}, {2004, 2, "2004-03-21", 29},
	{2006, 7, "2006-08-24", 29}, {2009, 5, "2009-06-23", 29}, {2012, 4, "2012-05-21", 29},
	{2014, 9, "2014-10-24", 29}, {2017, 6, "2017-07-23", 30}, {2020, 4, "2020-05-23", 29},
	{2023, 2, "2023-03-22", 29}, {2025, 6, "2025-07-25", 29}, {2028, 5, "2028-06-23", 29},
	{2031, 3, "2031-04-22", 29}, {2033, 11, "2033-12-22", 29}, {2036, 6, "2036-07-23", 30},
	{2039, 5, "2039-06-22", 29}, {2042, 2, "2042-03-22", 29}, {2044, 7, "2044-08-23", 29},
	{2047, 5, "2047-06-23", 30}, {2050, 3, "2050-04-21", 30}, {2052, 8, "2052-09-23", 29},
	{2055, 6, "2055-07-24", 30}, {2058, 4, "2058-05-22", 30}, {2061, 3, "2061-04-20", 29},
	{2063, 7, "2063-08-24", 29}, {2066, 5, "2066-06-23", 29}, {2069, 4, "2069-05-21", 29},
	{2071, 8, "2071-09-24", 29}, {2074, 6, "2074-07-24", 29}, {2077, 4, "2077-05-22", 29},
	{2080, 3, "2080-04-20", 29}, {2082, 7, "2082-08-24", 29}, {2085, 5, "2085-06-22", 30},
	{2088, 4, "2088-05-21", 29}, {2090, 8, "2090-09-24", 29}, {2093, 6, "2093-07-23", 30},
	{2096, 4, "2096-05-22", 29}, {2099, 2, "2099-03-22", 29},
};

static void test_new_years(void)
{
	CHECK_INT("years listed", JT_ARRAY_LEN(new_year), LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1);
	for (size_t i = 0; i < JT_ARRAY_LEN(new_year); i++) {
		int year = LUNAR_YEAR_MIN + (int)i;
		jt_day want = day_of(new_year[i]);
		struct lunar_date l = {0};
		CHECK_INT(new_year[i], lunar_from_solar(want, &l), 0);
		CHECK_INT(new_year[i], l.year, year);
		CHECK_INT(new_year[i], l.month, 1);
		CHECK_INT(new_year[i], l.leap, false);
		CHECK_INT(new_year[i], l.day, 1);
		jt_day got = 0;
		CHECK_INT(new_year[i], lunar_to_solar(&(struct lunar_date){year, 1, false, 1}, &got), 0);
		CHECK_INT(new_year[i], got, want);
		/* the eve is the last day of the previous year's 12th month */
		if (year == LUNAR_YEAR_MIN)
			continue;
		CHECK_INT(new_year[i], lunar_from_solar(want - 1, &l), 0);
		CHECK_INT(new_year[i], l.year, year - 1);
		CHECK_INT(new_year[i], l.month, 12);
		CHECK_INT(new_year[i], l.leap, false);
		CHECK_INT(new_year[i], l.day, lunar_month_days(year - 1, 12, false));
	}
}

static void test_leap_months(void)
{
	int leap_of[LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1] = {0};
	for (size_t i = 0; i < JT_ARRAY_LEN(leaps); i++) {
		const struct leap_start *s = &leaps[i];
		leap_of[s->year - LUNAR_YEAR_MIN] = s->month;
		jt_day first = day_of(s->first);
		struct lunar_date l = {0};
		CHECK_INT(s->first, lunar_from_solar(first, &l), 0);
		CHECK_INT(s->first, l.year, s->year);
		CHECK_INT(s->first, l.month, s->month);
		CHECK_INT(s->first, l.leap, true);
		CHECK_INT(s->first, l.day, 1);
		CHECK_INT(s->first, lunar_month_days(s->year, s->month, true), s->days);
		/* the day before ends the ordinary month of the same number */
		CHECK_INT(s->first, lunar_from_solar(first - 1, &l), 0);
		CHECK_INT(s->first, l.month, s->month);
		CHECK_INT(s->first, l.leap, false);
		CHECK_INT(s->first, l.day, lunar_month_days(s->year, s->month, false));
		jt_day got = 0;
		CHECK_INT(s->first,
			  lunar_to_solar(&(struct lunar_date){s->year, s->month, true, 1}, &got), 0);
		CHECK_INT(s->first, got, first);
	}
	for (int y = LUNAR_YEAR_MIN; y <= LUNAR_YEAR_MAX; y++)
		CHECK_INT("lunar_leap_month", lunar_leap_month(y), leap_of[y - LUNAR_YEAR_MIN]);
	CHECK_INT("leap years 1900..2100", JT_ARRAY_LEN(leaps), 74);
	CHECK_INT("year before", lunar_leap_month(LUNAR_YEAR_MIN - 1), -1);
	CHECK_INT("year after", lunar_leap_month(LUNAR_YEAR_MAX + 1), -1);
}

static void test_month_lengths(void)
{
	CHECK_INT("years listed", JT_ARRAY_LEN(month_lengths), LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1);
	for (size_t i = 0; i < JT_ARRAY_LEN(month_lengths); i++) {
		int year = LUNAR_YEAR_MIN + (int)i, leap = lunar_leap_month(year);
		char got[16];
		size_t n = 0;
		for (int m = 1; m <= 12; m++) {
			got[n++] = lunar_month_days(year, m, false) == 30 ? 'L' : 's';
			if (m == leap)
				got[n++] = lunar_month_days(year, m, true) == 30 ? 'L' : 's';
		}
		got[n] = '\0';
		char what[32];
		snprintf(what, sizeof what, "months of lunar %d", year);
		CHECK_STR(what, got, month_lengths[i]);
	}
}

struct known {
	const char *solar;
	struct lunar_date lunar;
};

static const struct known knowns[] = {
	/* Dragon Boat Festival, 5/5 */
	{"2020-06-25", {2020, 5, false, 5}}, {"2021-06-14", {2021, 5, false, 5}},
	{"2022-06-03", {2022, 5, false, 5}}, {"2023-06-22", {2023, 5, false, 5}},
	{"2024-06-10", {2024, 5, false, 5}}, {"2025-05-31", {2025, 5, false, 5}},
	{"2026-06-19", {2026, 5, false, 5}},
	/* Mid-Autumn Festival, 8/15 */
	{"2020-10-01", {2020, 8, false, 15}}, {"2021-09-21", {2021, 8, false, 15}},
	{"2022-09-10", {2022, 8, false, 15}}, {"2023-09-29", {2023, 8, false, 15}},
	{"2024-09-17", {2024, 8, false, 15}}, {"2025-10-06", {2025, 8, false, 15}},
	{"2026-09-25", {2026, 8, false, 15}},
	/* Qixi, 7/7 */
	{"2024-08-10", {2024, 7, false, 7}}, {"2025-08-29", {2025, 7, false, 7}},
	/* the leap months the almanacs of recent years show */
	{"2020-05-23", {2020, 4, true, 1}}, {"2020-06-20", {2020, 4, true, 29}},
	{"2023-03-22", {2023, 2, true, 1}}, {"2023-04-19", {2023, 2, true, 29}},
	{"2025-07-25", {2025, 6, true, 1}}, {"2025-08-22", {2025, 6, true, 29}},
	/* 2033: the rare leap 11th month */
	{"2033-12-22", {2033, 11, true, 1}}, {"2034-01-20", {2033, 12, false, 1}},
	/* lunar 2025 ends on its 12th month's 29th: no "30th" eve in 2026 */
	{"2026-02-16", {2025, 12, false, 29}},
	/* new moons within minutes of midnight, Beijing time */
	{"2013-06-08", {2013, 5, false, 1}},  /* folk calendars that print 06-09 are late */
	{"2018-11-08", {2018, 10, false, 1}}, /* 00:02 */
	{"2030-02-03", {2030, 1, false, 1}},  /* 00:07 */
	{"2057-09-28", {2057, 9, false, 1}},  /* 23:59 */
	{"2057-09-27", {2057, 8, false, 29}},
	{"2089-09-04", {2089, 8, false, 1}},  /* 23:57 */
	{"2097-08-07", {2097, 7, false, 1}},  /* 23:59 */
	/* market-cycle dates used by the calendar tests */
	{"2026-11-01", {2026, 9, false, 23}}, {"2026-12-31", {2026, 11, false, 23}},
	/* the ends of the range */
	{"1900-01-31", {1900, 1, false, 1}}, {"2100-12-31", {2100, 12, false, 1}},
};

static void test_known(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(knowns); i++) {
		const struct known *k = &knowns[i];
		jt_day d = day_of(k->solar);
		struct lunar_date l = {0};
		CHECK_INT(k->solar, lunar_from_solar(d, &l), 0);
		CHECK_INT(k->solar, l.year, k->lunar.year);
		CHECK_INT(k->solar, l.month, k->lunar.month);
		CHECK_INT(k->solar, l.leap, k->lunar.leap);
		CHECK_INT(k->solar, l.day, k->lunar.day);
		jt_day got = 0;
		CHECK_INT(k->solar, lunar_to_solar(&k->lunar, &got), 0);
		CHECK_INT(k->solar, got, d);
	}
}

static void test_out_of_range(void)
{
	CHECK_INT("first day", LUNAR_FIRST_DAY, date_from_ymd(1900, 1, 31));
	CHECK_INT("last day", LUNAR_LAST_DAY, date_from_ymd(2100, 12, 31));
	struct lunar_date l = {7, 7, true, 7};
	CHECK_INT("before", lunar_from_solar(LUNAR_FIRST_DAY - 1, &l), -1);
	CHECK_INT("after", lunar_from_solar(LUNAR_LAST_DAY + 1, &l), -1);
	CHECK_INT("INT32_MIN", lunar_from_solar(INT32_MIN, &l), -1);
	CHECK_INT("INT32_MAX", lunar_from_solar(INT32_MAX, &l), -1);
	CHECK_INT("left alone", l.year == 7 && l.month == 7 && l.leap && l.day == 7, 1);

	static const struct lunar_date bad[] = {
		{1899, 12, false, 1},  /* before the table */
		{2101, 1, false, 1},   /* after it */
		{2100, 12, false, 2},  /* lunar 2100, but after 2100-12-31 */
		{2026, 0, false, 1},   {2026, 13, false, 1}, {2026, 1, false, 0},
		{2026, 1, false, 31},  {2025, 12, false, 30}, /* a 29-day month */
		{2026, 4, true, 1},    /* 2026 has no leap month */
		{2025, 5, true, 1},    /* 2025's leap month is the 6th */
		{2025, 6, true, 30},   /* and has 29 days */
		{2025, 6, false, -1},
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(bad); i++) {
		jt_day got = 4242;
		CHECK_INT("invalid lunar date", lunar_to_solar(&bad[i], &got), -1);
		CHECK_INT("left alone", got, 4242);
	}
	jt_day got;
	CHECK_INT("NULL", lunar_to_solar(NULL, &got), -1);
	CHECK_INT("month 0 days", lunar_month_days(2026, 0, false), 0);
	CHECK_INT("no leap days", lunar_month_days(2026, 6, true), 0);
	CHECK_INT("year before days", lunar_month_days(1899, 1, false), 0);
}

/*
 * Every day of the range: converts back to itself, follows the previous day
 * (the next day of the month, or day 1 of the next month: the leap month
 * after its ordinary namesake, month 1 of the next year after month 12),
 * and every finished month had 29 or 30 days and every year 12 or 13 months.
 */
static void test_every_day(void)
{
	unsigned bad_conv = 0, bad_back = 0, bad_next = 0, bad_month = 0, bad_year = 0;
	struct lunar_date prev = {0};
	int months_in_year = 0;
	for (jt_day d = LUNAR_FIRST_DAY; d <= LUNAR_LAST_DAY; d++) {
		struct lunar_date l;
		if (lunar_from_solar(d, &l) != 0) {
			bad_conv++;
			continue;
		}
		jt_day back;
		bad_back += lunar_to_solar(&l, &back) != 0 || back != d;
		if (d == LUNAR_FIRST_DAY) {
			bad_next += l.year != 1900 || l.month != 1 || l.leap || l.day != 1;
			months_in_year = 1;
		} else if (l.day != 1) {
			bad_next += l.year != prev.year || l.month != prev.month ||
				    l.leap != prev.leap || l.day != prev.day + 1;
		} else {
			/* a month ended yesterday */
			bad_month += prev.day != 29 && prev.day != 30;
			bad_month += prev.day != lunar_month_days(prev.year, prev.month, prev.leap);
			if (l.leap)
				bad_next += l.year != prev.year || l.month != prev.month || prev.leap;
			else if (prev.month == 12 && !prev.leap)
				bad_next += l.year != prev.year + 1 || l.month != 1;
			else
				bad_next += l.year != prev.year || l.month != prev.month + 1;
			if (l.year != prev.year) {
				bad_year += months_in_year != (lunar_leap_month(prev.year) ? 13 : 12);
				months_in_year = 0;
			}
			months_in_year++;
		}
		bad_next += l.leap && lunar_leap_month(l.year) != l.month;
		prev = l;
	}
	CHECK_INT("days without a lunar date", bad_conv, 0);
	CHECK_INT("days not converting back", bad_back, 0);
	CHECK_INT("days not following", bad_next, 0);
	CHECK_INT("months not 29 or 30 days", bad_month, 0);
	CHECK_INT("years not 12 or 13 months", bad_year, 0);
	CHECK_INT("last day", prev.year == 2100 && prev.month == 12 && prev.day == 1, 1);
}

/* Every lunar date the table defines converts to a day and back. */
static void test_every_lunar_date(void)
{
	unsigned bad = 0, count = 0;
	for (int y = LUNAR_YEAR_MIN; y <= LUNAR_YEAR_MAX; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int leap = 0; leap <= 1; leap++) {
				int n = lunar_month_days(y, m, leap);
				for (int d = 1; d <= n; d++) {
					struct lunar_date l = {y, m, leap, d}, back;
					jt_day s;
					if (lunar_to_solar(&l, &s) != 0) {
						/* only the end of lunar 2100 lies outside */
						bad += y != LUNAR_YEAR_MAX;
						continue;
					}
					count++;
					bad += lunar_from_solar(s, &back) != 0 || back.year != y ||
					       back.month != m || back.leap != leap || back.day != d;
				}
			}
		}
	}
	CHECK_INT("lunar dates not converting back", bad, 0);
	CHECK_INT("lunar dates in range", count, LUNAR_LAST_DAY - LUNAR_FIRST_DAY + 1);
}

int main(void)
{
	test_new_years();
	test_leap_months();
	test_month_lengths();
	test_known();
	test_out_of_range();
	test_every_day();
	test_every_lunar_date();
	return check_done("test_lunar");
}
