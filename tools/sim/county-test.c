/*
 * county-test — checks the demo fleet's movement model without a server:
 * thirty buses drive for eight simulated hours, read every two seconds, and
 * must stay inside the county, keep to 30–60 km/h while moving, never jump
 * (the daemon would flag an implausible speed), carry a few metres of GPS
 * noise, visit towns and villages, and pass through the valleys without
 * coverage now and then — otherwise the demo would never show a backlog.
 */
#include "county.h"

#include <math.h>
#include <stdio.h>

static int passed, failed;

static void check(int ok, const char *what, double value)
{
	printf("%s %s (%.3f)\n", ok ? "ok  " : "FAIL", what, value);
	if (ok)
		passed++;
	else
		failed++;
}

int main(void)
{
	enum { BUSES = 30, STEP_S = 2, HOURS = 8 };
	struct rng r;
	struct bus buses[BUSES];
	struct reading prev[BUSES];
	double max_abs_x = 0, max_abs_y = 0, min_moving = 1e9, max_moving = 0, max_implied = 0;
	double noise_sum = 0, min_alt = 1e9, max_alt = -1e9;
	long readings = 0, moving = 0, in_dead = 0, arrivals = 0;
	int visited[64] = { 0 };

	rng_seed(&r, 20261123);
	for (int b = 0; b < BUSES; b++) {
		bus_start(&buses[b], &r);
		bus_read(&buses[b], &r, &prev[b]);
	}
	for (long t = 0; t < HOURS * 3600L; t += STEP_S) {
		for (int b = 0; b < BUSES; b++) {
			struct bus *bus = &buses[b];
			struct reading now;
			double lat, lon, dist;
			int from = bus->from;

			bus_step(bus, &r, STEP_S);
			if (bus->from != from) {
				arrivals++;
				visited[bus->from] = 1;
			}
			bus_read(bus, &r, &now);
			readings++;
			max_abs_x = fmax(max_abs_x, fabs(bus->x));
			max_abs_y = fmax(max_abs_y, fabs(bus->y));
			min_alt = fmin(min_alt, now.altitude);
			max_alt = fmax(max_alt, now.altitude);
			if (bus_moving(bus)) {
				moving++;
				min_moving = fmin(min_moving, bus->speed * 3.6);
				max_moving = fmax(max_moving, bus->speed * 3.6);
			}
			if (county_dead_zone_at(bus->x, bus->y))
				in_dead++;
			county_xy_to_latlon(bus->x, bus->y, &lat, &lon);
			noise_sum += hypot((now.lat - lat) * 111320.0,
					   (now.lon - lon) * 111320.0 * cos(lat * M_PI / 180.0));
			dist = hypot((now.lat - prev[b].lat) * 111320.0,
				     (now.lon - prev[b].lon) * 111320.0 * cos(lat * M_PI / 180.0));
			max_implied = fmax(max_implied, dist / STEP_S * 3.6);
			prev[b] = now;
		}
	}
	int nvisited = 0;
	for (int i = 0; i < county_place_count(); i++)
		nvisited += visited[i];

	check(max_abs_x <= 30000, "stays within 30 km east-west of the centre (km)", max_abs_x / 1000);
	check(max_abs_y <= 25000, "stays within 25 km north-south of the centre (km)", max_abs_y / 1000);
	check(min_moving >= 30 * 0.93, "slowest moving speed (km/h)", min_moving);
	check(max_moving <= 60 * 1.07, "fastest moving speed (km/h)", max_moving);
	check(max_implied < 120, "no jump between two fixes (km/h implied)", max_implied);
	check((double)moving / (double)readings > 0.5, "share of readings while moving", (double)moving / (double)readings);
	check(noise_sum / (double)readings > 2 && noise_sum / (double)readings < 8, "mean GPS noise (m)", noise_sum / (double)readings);
	check((double)in_dead / (double)readings > 0.01 && (double)in_dead / (double)readings < 0.25,
	      "share of readings in a valley without coverage", (double)in_dead / (double)readings);
	check(nvisited == county_place_count(), "every place visited", nvisited);
	check(arrivals > BUSES * HOURS, "arrivals at places", (double)arrivals);
	check(min_alt > 150 && max_alt < 1200, "altitudes of a hilly county (lowest m)", min_alt);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
