/*
 * clock.c — the wall clock or a simulated one; see clock.h.
 *
 * The simulated clock is a straight line through (anchor, start) with slope
 * rate, computed in doubles from the wall-clock difference so that rates
 * like 60 or 120 map whole milliseconds exactly and fractional rates round
 * to the nearest millisecond. now_ms() and today_local() live here so that
 * they cannot miss it.
 */
#include "clock.h"

#include <math.h>
#include <time.h>

#include "util.h"

static struct {
	bool on;
	struct clock_sim c;
} clk;

jt_ms clock_map(const struct clock_sim *c, jt_ms wall)
{
	return c->start + (jt_ms)llround((double)(wall - c->anchor) * c->rate);
}

jt_ms clock_unmap(const struct clock_sim *c, jt_ms sim)
{
	return c->anchor + (jt_ms)llround((double)(sim - c->start) / c->rate);
}

void clock_simulate(const struct clock_sim *c)
{
	if (!(isfinite(c->rate) && c->rate > 0))
		fatal("simulated clock rate %g", c->rate);
	clk.c = *c;
	clk.on = true;
}

void clock_use_wall(void)
{
	clk.on = false;
}

bool clock_simulated(struct clock_sim *out)
{
	if (clk.on && out)
		*out = clk.c;
	return clk.on;
}

jt_ms clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (jt_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

jt_ms now_ms(void)
{
	jt_ms wall = clock_wall_ms();
	return clk.on ? clock_map(&clk.c, wall) : wall;
}

int32_t today_local(void)
{
	jt_ms now = now_ms();
	time_t secs = (time_t)(now >= 0 ? now / 1000 : (now - 999) / 1000);
	struct tm tm;
	localtime_r(&secs, &tm);
	/* days_from_civil (Howard Hinnant), as in date.c, kept here to stay free of it */
	int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
