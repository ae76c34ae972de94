/*
 * coverage.c — nearest served stop of each village; see coverage.h.
 *
 * A county has a few hundred villages and stops: comparing every pair is a
 * few hundred thousand distance computations, well under the time of one
 * HTTP request. A province-wide report would want a spatial grid here.
 */
#include "coverage.h"

#include <math.h>

#include "geo.h"

void coverage_nearest(const struct coverage_point *villages, size_t nv,
		      const struct coverage_point *stops, size_t ns, int *nearest, double *distance_m)
{
	for (size_t i = 0; i < nv; i++) {
		nearest[i] = -1;
		distance_m[i] = INFINITY;
		for (size_t k = 0; k < ns; k++) {
			double d = geo_distance_m(villages[i].lat, villages[i].lon, stops[k].lat, stops[k].lon);
			if (d < distance_m[i]) {
				distance_m[i] = d;
				nearest[i] = (int)k;
			}
		}
	}
}
