/*
 * shape.h — the path a route follows between its stops, read from a file
 * an operator drew or exported: either plain text, one "LAT,LON" point a
 * line (blank lines and everything after a '#' ignored), or GeoJSON, a
 * LineString, a Feature holding one, or a FeatureCollection holding exactly
 * one ([longitude, latitude] in GeoJSON, turned round here). A point the
 * daemon would refuse is refused here first, with the file and line it is
 * on.
 */
#ifndef JINTONG_CLI_SHAPE_H
#define JINTONG_CLI_SHAPE_H

#include "core.h"
#include "route.h"

#include <json-c/json.h>

/* Points in a shape, at most: the daemon's limit. */
#define SHAPE_POINTS_MAX ROUTE_SHAPE_MAX
/* Largest file read: 20,000 points of GeoJSON with properties fit well. */
#define SHAPE_FILE_MAX (16u * 1024 * 1024)

struct shape {
	double *pts; /* lat, lon, lat, lon, ... */
	size_t n;    /* points */
};

/*
 * Reads the text of a shape file; name is how messages call it (its path).
 * Returns 0 with out filled, or -1 with err saying "<what>; <what to do>",
 * naming the file and, for a bad point, its line.
 */
int shape_parse(const char *text, size_t len, const char *name, struct shape *out, char *err,
		size_t errlen) JT_MUST_CHECK;
/* The same from the file at path. */
int shape_read(const char *path, struct shape *out, char *err, size_t errlen) JT_MUST_CHECK;
void shape_free(struct shape *s);

/*
 * The shape as the daemon takes it, [[lat, lon], ...], each degree to 7
 * decimals (about a centimetre: what the daemon stores).
 */
json_object *shape_json(const struct shape *s);

/*
 * Do two shapes as the daemon serves them ([[lat, lon], ...] or null)
 * differ by more than the daemon's rounding?
 */
bool shape_differs(json_object *a, json_object *b);

#endif
