/*
 * geo.h — distances on the Earth's surface. Pure arithmetic.
 */
#ifndef JINTONG_GEO_H
#define JINTONG_GEO_H

#define GEO_EARTH_RADIUS_M 6371008.8

/* Great-circle distance in metres between two WGS84 points (haversine). */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);

#endif
