/*
 * routebody.h — the JSON body of a line's redrawing, checked: its places,
 * the day it takes effect and its shape, or why it is refused.
 */
#ifndef JINTONG_ROUTEBODY_H
#define JINTONG_ROUTEBODY_H

#include <json-c/json.h>

#include "date.h"
#include "route.h"

struct routebody {
	const char **stops;        /* n places, pointing into the body */
	size_t n;
	jt_day from;               /* today or later */
	char *wkt;                 /* "LINESTRING(lon lat, ...)", or NULL without a shape */
	struct json_object *shape; /* [[lat, lon], ...] to 7 decimals, or NULL */
	const char *shape_id;      /* "" or a GTFS id, pointing into the body */
};

/*
 * Reads {"stops":[…],"from":"YYYY-MM-DD","shape":[[lat,lon],…],"shape_id"}:
 * every place known (known(arg, place) for "S01", "group:G1", "zone:Z1"),
 * from not before today (today when absent), the shape's points in range and
 * finite. 0, or -1 with err and nothing to free.
 */
int routebody_parse(struct json_object *body, route_known_fn known, void *arg, jt_day today,
		    struct routebody *out, char *err, size_t errlen) JT_MUST_CHECK;
void routebody_free(struct routebody *b);

#endif
