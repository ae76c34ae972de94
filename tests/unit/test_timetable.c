/*
 * Service-day times, headways, the order of stop times, generated running
 * times and departures.
 */
#include <string.h>

#include "check.h"
#include "timetable.h"

int main(void)
{
	int32_t t;
	CHECK(timetable_parse_time("06:30", &t) == 0 && t == 6 * 3600 + 30 * 60);
	CHECK(timetable_parse_time("6:30", &t) == 0 && t == 6 * 3600 + 30 * 60);
	CHECK(timetable_parse_time("24:20:05", &t) == 0 && t == 24 * 3600 + 20 * 60 + 5);
	CHECK(timetable_parse_time("47:59:59", &t) == 0);
	const char *bad[] = { "", "6", "06:3", "06:60", "48:00", "06:30:60", "6:30:", "aa:bb", "06-30",
			      "-1:00", "006:30", "06:30:1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_MSG(bad[i], timetable_parse_time(bad[i], &t) == -1);
	char buf[16];
	timetable_format_time(24 * 3600 + 5 * 60, buf, sizeof buf, true);
	CHECK_STR("after midnight", buf, "24:05");
	timetable_format_time(6 * 3600 + 30 * 60 + 7, buf, sizeof buf, true);
	CHECK_STR("seconds kept", buf, "06:30:07");

	int32_t e;
	CHECK(timetable_parse_every("40m", &e) == 0 && e == 2400);
	CHECK(timetable_parse_every("1h30m", &e) == 0 && e == 5400);
	CHECK(timetable_parse_every("90", &e) == 0 && e == 5400);
	CHECK(timetable_parse_every("0m", &e) == -1);
	CHECK(timetable_parse_every("25h", &e) == -1);
	CHECK(timetable_parse_every("m", &e) == -1);
	CHECK(timetable_parse_every("1h30", &e) == -1);

	char err[200];
	int32_t arr[] = { 100, 200, 300 }, dep[] = { 100, 230, 300 };
	CHECK(timetable_check(arr, dep, 3, err, sizeof err) == 0);
	int32_t back_arr[] = { 100, 90, 300 }, back_dep[] = { 100, 95, 300 };
	CHECK(timetable_check(back_arr, back_dep, 3, err, sizeof err) == -1 && strstr(err, "stop 2"));
	int32_t early_dep[] = { 100, 150, 300 };
	CHECK(timetable_check(arr, early_dep, 3, err, sizeof err) == -1 && strstr(err, "before it arrives"));

	/* 0.01 degrees of latitude is about 1.11 km; by road 1.45 km; at 30 km/h 174 s, so 3 min. */
	double lat[] = { 30.0, 30.01, 30.02 }, lon[] = { 104.5, 104.5, 104.5 };
	int32_t a[3], d[3];
	timetable_run(6 * 3600, lat, lon, 3, 30, 30, a, d);
	CHECK_INT("first departs", d[0], 6 * 3600);
	CHECK_INT("second arrives", a[1], 6 * 3600 + 180);
	CHECK_INT("dwell", d[1] - a[1], 30);
	CHECK_INT("last arrives", a[2], 6 * 3600 + 390);
	CHECK_INT("no dwell at the end", d[2], a[2]);
	CHECK(timetable_check(a, d, 3, err, sizeof err) == 0);

	int32_t out[10];
	CHECK_INT("departures", (long long)timetable_departures(600, 1800, 600, out, 10), 3);
	CHECK_INT("capped", (long long)timetable_departures(0, 100000, 60, out, 10), 10);
	CHECK(timetable_overlap(0, 10, 5, 15));
	CHECK(!timetable_overlap(0, 10, 10, 20)); /* back to back is fine */
	return check_done("test_timetable");
}
