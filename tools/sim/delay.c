/*
 * delay.c — late starts and breakdowns; see delay.h.
 */
#include "delay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LATE_MIN_S (3 * 60)
#define LATE_MAX_S (12 * 60)
#define CATCH_UP 2.0 /* extra timetable seconds per second while standing between trips */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

double delay_chance(uint64_t seed, uint64_t salt, const char *name)
{
	uint64_t h = mix(seed ^ mix(salt));
	for (const char *p = name; *p; p++)
		h = mix(h ^ (unsigned char)*p);
	return (double)(h >> 11) / 9007199254740992.0;
}

void delay_init(struct delay *d, const struct delay_opts *o, const char *vehicle, double first_s, double last_s)
{
	memset(d, 0, sizeof *d);
	d->last_s = NAN;
	d->breakdown_at_s = -1;
	if (delay_chance(o->seed, 1, vehicle) < o->breakdown_share && last_s > first_s) {
		d->breakdown_at_s = first_s + (last_s - first_s) * delay_chance(o->seed, 2, vehicle);
		double u = delay_chance(o->seed, 3, vehicle);
		/* half are fixed at the roadside in 20 to 60 minutes, half are towed away */
		d->breakdown_for_s = u < 0.5 ? 1200 + 2 * u * 2400 : INFINITY;
	}
}

double delay_step(struct delay *d, double now_s, bool *standing)
{
	double dt = isnan(d->last_s) ? 0 : now_s - d->last_s;
	if (dt < 0)
		dt = 0;
	d->last_s = now_s;
	d->step_s = dt;
	*standing = false;
	if (d->breakdown_at_s >= 0 && !d->breakdown_seen && now_s >= d->breakdown_at_s) {
		d->broken = now_s < d->breakdown_at_s + d->breakdown_for_s;
		d->breakdown_seen = !d->broken;
	}
	if (d->broken || now_s < d->hold_until_s) {
		d->lag_s += dt;
		*standing = true;
	}
	return now_s - d->lag_s;
}

double delay_trip(struct delay *d, const struct delay_opts *o, const char *trip, double now_s)
{
	if (!trip) {
		/* standing between trips: the layover takes up the delay */
		if (!d->broken && now_s >= d->hold_until_s)
			d->lag_s = fmax(0, d->lag_s - CATCH_UP * d->step_s);
		return 0;
	}
	if (!strncmp(d->trip, trip, sizeof d->trip - 1))
		return 0;
	snprintf(d->trip, sizeof d->trip, "%s", trip);
	if (delay_chance(o->seed, 4, trip) >= o->late_share)
		return 0;
	double late = LATE_MIN_S + (LATE_MAX_S - LATE_MIN_S) * delay_chance(o->seed, 5, trip);
	d->hold_until_s = now_s + late;
	return late / 60.0;
}
