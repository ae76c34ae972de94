/*
 * geo.c — great-circle distance. Haversine is accurate to well under a metre
 * at the few-kilometre scale of a county and stable for tiny distances, which
 * is where GPS jitter lives.
 */
#include "geo.h"

#include <math.h>

static double rad(double deg)
{
	return deg * (M_PI / 180.0);
}

double geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = rad(lat2 - lat1);
	double dlon = rad(lon2 - lon1);
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(rad(lat1)) * cos(rad(lat2)) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1.0)
		a = 1.0;
	return 2.0 * GEO_EARTH_RADIUS_M * atan2(sqrt(a), sqrt(1.0 - a));
}
