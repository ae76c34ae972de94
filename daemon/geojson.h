/*
 * geojson.h — zones of on-demand service as GeoJSON (RFC 7946), the way
 * GTFS-Flex's locations.geojson holds them: a FeatureCollection whose
 * features have an id, optional stop_name and stop_desc properties, and a
 * Polygon or MultiPolygon geometry in WGS84 longitude, latitude order.
 *
 * Every document is hostile until checked: positions must be finite and in
 * range, rings closed with at least four positions, sizes bounded. Pure.
 */
#ifndef JINTONG_GEOJSON_H
#define JINTONG_GEOJSON_H

#include <json-c/json.h>

#include "core.h"

#define GEOJSON_POSITIONS_MAX 200000 /* in one zone's area */
#define GEOJSON_FEATURES_MAX 10000
#define GEOJSON_BYTES_MAX (64u * 1024 * 1024)

/*
 * Checks a geometry object and returns it rebuilt from what was checked:
 * {"type": "Polygon"|"MultiPolygon", "coordinates": [...]} with every
 * position [lon, lat] as doubles (an altitude is dropped). NULL with a
 * message in err when it is not an area Jintong can serve.
 */
struct json_object *geojson_area(struct json_object *geometry, char *err, size_t errlen);

/* One feature of a FeatureCollection, as geojson_features() reports it. */
struct geojson_feature {
	size_t index;                  /* 0-based, in the document */
	const char *id;                /* NULL when missing or not text */
	const char *name, *desc;       /* properties stop_name and stop_desc, or NULL */
	struct json_object *area;      /* geojson_area() of its geometry, or NULL */
	const char *error;             /* why the feature cannot be used, or NULL */
};

typedef void (*geojson_feature_fn)(void *arg, const struct geojson_feature *f);

/*
 * Reads a FeatureCollection from text[0..len) and calls fn for each
 * feature, good or not (f->error says). The area belongs to the callback
 * only while it runs (take a reference to keep it). Returns the number of
 * features, or -1 with err when the document is not a FeatureCollection.
 */
long geojson_features(const char *text, size_t len, geojson_feature_fn fn, void *arg, char *err,
		      size_t errlen);

#endif
