/*
 * delay-test.c — late starts and breakdowns: the same seed draws the same
 * incidents; about the share asked for; a late start holds the bus for 3 to
 * 12 minutes and the layover after the trip takes the delay up; a breakdown
 * for the rest of the day keeps the vehicle standing; no share, no delay.
 */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "delay.h"

/* Steps a vehicle through a day on trip "T<k>" every hour, 40 min long, each second. */
static double run_day(const struct delay_opts *o, const char *vehicle, double *max_lag, int *late)
{
	struct delay d;
	delay_init(&d, o, vehicle, 6 * 3600, 20 * 3600);
	*max_lag = 0;
	*late = 0;
	for (double t = 6 * 3600; t <= 21 * 3600; t += 10) {
		bool standing;
		double te = delay_step(&d, t, &standing);
		double into = fmod(te, 3600);
		char trip[16];
		snprintf(trip, sizeof trip, "T%d", (int)(te / 3600));
		*late += delay_trip(&d, o, into < 2400 && te >= 6 * 3600 && te < 20 * 3600 ? trip : NULL, t) > 0;
		*max_lag = fmax(*max_lag, d.lag_s);
	}
	return d.lag_s;
}

int main(void)
{
	struct delay_opts none = { 0, 0, 42 }, some = { 0.3, 0, 42 }, broken = { 0, 1, 42 };
	double max_lag, end;
	int late;

	end = run_day(&none, "MB001", &max_lag, &late);
	CHECK_INT("no share: no trip late", late, 0);
	CHECK_DBL("no share: no lag", max_lag, 0);

	int total_late = 0, trips = 0, bad_hold = 0, left_over = 0;
	for (int v = 0; v < 50; v++) {
		char code[16];
		snprintf(code, sizeof code, "MB%03d", v);
		end = run_day(&some, code, &max_lag, &late);
		total_late += late;
		trips += 14;
		bad_hold += late > 0 && (max_lag < 3 * 60 || max_lag > 2 * 12 * 60 + 20);
		left_over += end > 0;
	}
	CHECK_MSG("about 30% of trips leave late", total_late > trips / 5 && total_late < trips * 2 / 5);
	CHECK_INT("held 3 to 12 minutes (two in a row at most)", bad_hold, 0);
	CHECK_INT("layovers take every delay up by the evening", left_over, 0);

	double max2;
	int late2;
	double end1 = run_day(&some, "MB007", &max_lag, &late);
	double end2 = run_day(&some, "MB007", &max2, &late2);
	CHECK_MSG("the same seed, the same day", late == late2 && max_lag == max2 && end1 == end2);
	struct delay_opts other = some;
	other.seed = 43;
	int differ = 0;
	for (int v = 0; v < 20; v++) {
		char code[16];
		snprintf(code, sizeof code, "MB%03d", v);
		run_day(&some, code, &max_lag, &late);
		run_day(&other, code, &max2, &late2);
		differ += late != late2 || max_lag != max2;
	}
	CHECK_MSG("another seed, other incidents", differ > 0);

	int towed = 0, repaired = 0;
	for (int v = 0; v < 40; v++) {
		char code[16];
		snprintf(code, sizeof code, "VN%03d", v);
		struct delay d;
		delay_init(&d, &broken, code, 6 * 3600, 20 * 3600);
		CHECK_MSG("everyone breaks down with share 1", d.breakdown_at_s >= 6 * 3600 && d.breakdown_at_s <= 20 * 3600);
		bool standing = false;
		double te = 0, at_break = -1;
		for (double t = 6 * 3600; t <= 24 * 3600; t += 10) {
			te = delay_step(&d, t, &standing);
			delay_trip(&d, &broken, NULL, t);
			if (standing && at_break < 0)
				at_break = te;
		}
		if (isinf(d.breakdown_for_s)) {
			towed++;
			CHECK_MSG("towed away: stands where it broke down", standing && fabs(te - at_break) < 1e-6);
		} else {
			repaired++;
			CHECK_MSG("repaired in 20 to 60 minutes, then on its way",
				  !standing && d.breakdown_for_s >= 1200 && d.breakdown_for_s <= 3600);
		}
	}
	CHECK_MSG("some towed, some repaired", towed > 0 && repaired > 0);
	return check_done("delay-test");
}
