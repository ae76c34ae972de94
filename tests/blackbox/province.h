/*
 * province.h — a synthetic province for the soak: stops scattered over a
 * few hundred kilometres of hills, scheduled lines threading nearby stops
 * (each run both ways every 30 minutes, 06:00-20:00, every day), a fleet of
 * vehicles each with its tablet, the first of them vans on booking duty
 * 06:00-22:00 from depots at stops. Written straight into a freshly migrated
 * database (before the daemon starts) in one transaction; the same seed
 * gives the same province.
 */
#ifndef JINTONG_PROVINCE_H
#define JINTONG_PROVINCE_H

#include <stddef.h>
#include <stdint.h>

struct province_opts {
	int stops, lines;          /* lines are run both ways: 2 x lines routes */
	int vehicles, vans;        /* vans are the first `vans` vehicles */
	double width_km, height_km;
	uint64_t seed;
};

struct province_stop {
	double lat, lon;
};

struct province_tablet {
	char ext_id[16];           /* what it sends as its id */
	char token[44];            /* its secret (base64url, 43 characters) */
	int home;                  /* the stop it starts at */
};

struct province {
	struct province_stop *stops;
	size_t nstops;
	struct province_tablet *tablets;
	size_t ntablets;
	size_t trips;              /* trips a day */
	size_t stop_times;
};

/* Writes the province into the database at conninfo; returns 0, or -1 with the reason in err. */
int province_make(const struct province_opts *o, const char *conninfo, struct province *p,
		  char *err, size_t errlen);
void province_free(struct province *p);

#endif
