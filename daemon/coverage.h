/*
 * coverage.h — the county's yardstick "the village has a bus": a stop served
 * by a line within a distance (2 km by the national rule of thumb) of the
 * village committee. Pure: points in, nearest served stop out.
 */
#ifndef JINTONG_COVERAGE_H
#define JINTONG_COVERAGE_H

#include "core.h"

#define COVERAGE_LIMIT_M 2000.0

struct coverage_point {
	double lat, lon;
};

/*
 * For each of nv villages, the index of the nearest of ns served stops and
 * its distance in metres (great circle); index -1 and distance INFINITY when
 * there is no served stop at all.
 */
void coverage_nearest(const struct coverage_point *villages, size_t nv,
		      const struct coverage_point *stops, size_t ns, int *nearest, double *distance_m);

#endif
