/*
 * county.h — the simulated county the demo fleet drives around: a hilly
 * area about 60 km × 50 km centred near 30.0°N 104.6°E with five town
 * centres, a dozen villages, and valleys where the 4G signal does not reach.
 * Buses drive straight between places at 30–60 km/h and dwell at each; a
 * reading adds the few metres of noise a tablet's GPS has. Pure code: no I/O,
 * no clock, randomness only from the caller's generator, so a seed replays
 * the same day.
 */
#ifndef JINTONG_SIM_COUNTY_H
#define JINTONG_SIM_COUNTY_H

#include <stdbool.h>
#include <stdint.h>

#define COUNTY_CENTRE_LAT 30.0
#define COUNTY_CENTRE_LON 104.6

struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
double rng_uniform(struct rng *r);          /* [0, 1) */
double rng_range(struct rng *r, double lo, double hi);
double rng_gauss(struct rng *r);            /* mean 0, standard deviation 1 */

/* A bus, in metres east (x) and north (y) of the county centre. */
struct bus {
	int from, to;       /* places: last visited, heading for */
	double x, y;
	double speed;       /* m/s, 0 while dwelling */
	double cruise;      /* m/s chosen for the current leg */
	double heading;     /* degrees clockwise from north */
	double dwell_s;     /* > 0 while stopped at `from` */
	double battery;     /* tablet battery, 0..1 */
	double odometer_m;
};

/* What the tablet's GPS says. */
struct reading {
	double lat, lon;
	double speed;       /* m/s */
	double heading;     /* degrees */
	double altitude;    /* metres */
	double accuracy;    /* metres */
	double battery;     /* 0..1 */
};

int county_place_count(void);
const char *county_place_name(int i);
bool county_place_is_town(int i);
void county_place_xy(int i, double *x, double *y);
int county_dead_zone_count(void);
/* Name of the valley without coverage at (x, y), or NULL. */
const char *county_dead_zone_at(double x, double y);
double county_altitude(double x, double y);
void county_xy_to_latlon(double x, double y, double *lat, double *lon);

/* Puts the bus at a random place, about to leave within a minute. */
void bus_start(struct bus *b, struct rng *r);
/* Moves the bus on by dt seconds. */
void bus_step(struct bus *b, struct rng *r, double dt);
bool bus_moving(const struct bus *b);
void bus_read(const struct bus *b, struct rng *r, struct reading *out);

#endif
