/*
 * test_clock.c — the simulated clock: the county's time at a wall instant
 * for whole and fractional rates, before and after the anchor, the inverse
 * mapping, and now_ms() / today_local() following the simulated clock and
 * returning to the wall clock.
 */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "clock.h"
#include "date.h"
#include "timeparse.h"
#include "util.h"

static jt_ms at(const char *iso)
{
	jt_ms t = 0;
	if (ts_parse(iso, strlen(iso), &t) != 0)
		CHECK_MSG(iso, 0);
	return t;
}

static void test_map(void)
{
	/* 06:00 in the county (UTC+8) at a wall instant of 09:00 UTC, sixty times real time */
	struct clock_sim c = { .start = at("2026-11-24T06:00:00+08:00"), .anchor = at("2026-11-23T09:00:00Z"),
			       .rate = 60 };
	CHECK_INT("at the anchor", clock_map(&c, c.anchor), c.start);
	CHECK_INT("one real second is a simulated minute", clock_map(&c, c.anchor + 1000), c.start + 60000);
	CHECK_INT("one real minute is a simulated hour", clock_map(&c, at("2026-11-23T09:01:00Z")),
		  at("2026-11-24T07:00:00+08:00"));
	CHECK_INT("fourteen real minutes are the service day", clock_map(&c, at("2026-11-23T09:14:00Z")),
		  at("2026-11-24T20:00:00+08:00"));
	CHECK_INT("before the anchor the clock reads earlier", clock_map(&c, c.anchor - 500),
		  c.start - 30000);
	CHECK_INT("a millisecond is 60 ms", clock_map(&c, c.anchor + 1) - clock_map(&c, c.anchor), 60);
	CHECK_INT("inverse at 07:00", clock_unmap(&c, at("2026-11-24T07:00:00+08:00")), c.anchor + 60000);

	struct clock_sim slow = { .start = 1000, .anchor = 5000, .rate = 0.5 };
	CHECK_INT("half speed", clock_map(&slow, 7000), 2000);
	CHECK_INT("half speed, odd ms rounds", clock_map(&slow, 5003), 1002);
	CHECK_INT("half speed inverse", clock_unmap(&slow, 2000), 7000);

	struct clock_sim odd = { .start = 0, .anchor = 0, .rate = 7.5 };
	int bad = 0;
	for (jt_ms w = -100000; w <= 100000; w += 997) {
		jt_ms s = clock_map(&odd, w);
		bad += llabs(clock_unmap(&odd, s) - w) > 1; /* within the rounding of one ms */
		bad += clock_map(&odd, w + 997) <= s;       /* strictly increasing */
	}
	CHECK_INT("rate 7.5: inverse and increasing", bad, 0);
}

static void test_now(void)
{
	CHECK_MSG("starts on the wall clock", !clock_simulated(NULL));
	jt_ms wall = clock_wall_ms();
	CHECK_MSG("now_ms is the wall clock", llabs(now_ms() - wall) < 5000);

	/* a day far from today, anchored now, at rate 1000 */
	struct clock_sim c = { .start = at("2031-06-30T23:59:00+08:00"), .anchor = clock_wall_ms(), .rate = 1000 };
	clock_simulate(&c);
	struct clock_sim got;
	CHECK_MSG("simulated", clock_simulated(&got));
	CHECK_DBL("rate kept", got.rate, 1000);
	jt_ms now = now_ms();
	CHECK_MSG("now_ms follows the simulated clock", now >= c.start && now < c.start + 5000 * 1000);
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* 23:59 in the county: today is 30 June, or 1 July once a simulated minute has passed */
	jt_day today = today_local();
	jt_day june30 = date_from_ymd(2031, 6, 30);
	CHECK_MSG("today follows the simulated clock", today == june30 || today == june30 + 1);
	jt_ms later;
	struct timespec pause = { 0, 70 * 1000 * 1000 }; /* 70 ms real = 70 simulated s */
	nanosleep(&pause, NULL);
	later = now_ms();
	CHECK_MSG("70 ms of real time move the clock over a minute", later - now >= 60000);
	CHECK_INT("and the county is into July", today_local(), june30 + 1);

	clock_use_wall();
	CHECK_MSG("back on the wall clock", !clock_simulated(NULL) && llabs(now_ms() - clock_wall_ms()) < 5000);
}

int main(void)
{
	test_map();
	test_now();
	return check_done("test_clock");
}
