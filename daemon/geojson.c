/*
 * geojson.c — reading and checking zones as GeoJSON; see geojson.h.
 *
 * json-c parses the text (with its nesting limit); this file walks what it
 * made, checking each level's type before looking inside, and builds a
 * fresh geometry from the numbers it checked, so nothing unexpected in the
 * input reaches the database or a reply.
 */
#include "geojson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static bool is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
}

static struct json_object *coordinate(double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.15g", v);
	/* the number kept is the number served (and stored, and read back after
	 * a restart): an edit giving the same area again changes nothing */
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

/* A ring: >= 4 positions, first equal to last; NULL with err. *count grows by its positions. */
static struct json_object *ring(struct json_object *in, size_t *count, char *err, size_t errlen)
{
	size_t n = json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
	if (n < 4) {
		snprintf(err, errlen, "a ring needs at least four positions, the last the first again");
		return NULL;
	}
	if ((*count += n) > GEOJSON_POSITIONS_MAX) {
		snprintf(err, errlen, "an area has at most %d positions", GEOJSON_POSITIONS_MAX);
		return NULL;
	}
	struct json_object *out = json_object_new_array_ext((int)n);
	double first[2] = { 0, 0 }, last[2] = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(in, i);
		size_t k = json_object_is_type(p, json_type_array) ? json_object_array_length(p) : 0;
		double lon = NAN, lat = NAN;
		if ((k == 2 || k == 3) && is_number(json_object_array_get_idx(p, 0)) &&
		    is_number(json_object_array_get_idx(p, 1))) {
			lon = json_object_get_double(json_object_array_get_idx(p, 0));
			lat = json_object_get_double(json_object_array_get_idx(p, 1));
		}
		if (k == 3 && !is_number(json_object_array_get_idx(p, 2)))
			lon = NAN;
		if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
			snprintf(err, errlen, "position %zu is not [longitude, latitude] in range", i + 1);
			json_object_put(out);
			return NULL;
		}
		if (i == 0)
			first[0] = lon, first[1] = lat;
		last[0] = lon, last[1] = lat;
		struct json_object *q = json_object_new_array_ext(2);
		json_object_array_add(q, coordinate(lon));
		json_object_array_add(q, coordinate(lat));
		json_object_array_add(out, q);
	}
	if (first[0] != last[0] || first[1] != last[1]) {
		snprintf(err, errlen, "a ring must end where it starts");
		json_object_put(out);
		return NULL;
	}
	return out;
}

/* A polygon: 1..1000 rings, the first the outline, the rest holes. */
static struct json_object *polygon(struct json_object *in, size_t *count, char *err, size_t errlen)
{
	size_t n = json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
	if (n < 1 || n > 1000) {
		snprintf(err, errlen, "a polygon is a list of 1 to 1000 rings");
		return NULL;
	}
	struct json_object *out = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = ring(json_object_array_get_idx(in, i), count, err, errlen);
		if (!r) {
			json_object_put(out);
			return NULL;
		}
		json_object_array_add(out, r);
	}
	return out;
}

struct json_object *geojson_area(struct json_object *g, char *err, size_t errlen)
{
	struct json_object *type, *coords;
	if (!json_object_is_type(g, json_type_object) || !json_object_object_get_ex(g, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    !json_object_object_get_ex(g, "coordinates", &coords)) {
		snprintf(err, errlen, "the geometry must be an object with type and coordinates");
		return NULL;
	}
	const char *t = json_object_get_string(type);
	size_t count = 0;
	struct json_object *c = NULL;
	if (strcmp(t, "Polygon") == 0) {
		c = polygon(coords, &count, err, errlen);
	} else if (strcmp(t, "MultiPolygon") == 0) {
		size_t n = json_object_is_type(coords, json_type_array) ? json_object_array_length(coords) : 0;
		if (n < 1 || n > 10000) {
			snprintf(err, errlen, "a MultiPolygon is a list of 1 to 10000 polygons");
			return NULL;
		}
		c = json_object_new_array_ext((int)n);
		for (size_t i = 0; i < n; i++) {
			struct json_object *p = polygon(json_object_array_get_idx(coords, i), &count, err, errlen);
			if (!p) {
				json_object_put(c);
				return NULL;
			}
			json_object_array_add(c, p);
		}
	} else {
		snprintf(err, errlen, "a zone's geometry is a Polygon or a MultiPolygon");
		return NULL;
	}
	if (!c)
		return NULL;
	struct json_object *out = json_object_new_object();
	json_object_object_add(out, "type", json_object_new_string(t));
	json_object_object_add(out, "coordinates", c);
	return out;
}

/* A text member of o, or NULL; UTF-8 checked. */
static const char *text(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	return strlen(s) == n && n <= CATALOG_MESSAGE_MAX && catalog_utf8_valid(s, n) ? s : NULL;
}

long geojson_features(const char *text_in, size_t len, geojson_feature_fn fn, void *arg, char *err,
		      size_t errlen)
{
	if (len > GEOJSON_BYTES_MAX) {
		snprintf(err, errlen, "more than %u bytes", GEOJSON_BYTES_MAX);
		return -1;
	}
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = json_tokener_parse_ex(tok, text_in, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (doc && used < len && (text_in[used] == ' ' || text_in[used] == '\n' ||
				     text_in[used] == '\r' || text_in[used] == '\t'))
		used++;
	if (!doc || jerr != json_tokener_success || used != len) {
		snprintf(err, errlen, "not JSON%s", doc ? ": text after the document" : "");
		json_object_put(doc);
		return -1;
	}
	struct json_object *type, *features;
	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    strcmp(json_object_get_string(type), "FeatureCollection") != 0 ||
	    !json_object_object_get_ex(doc, "features", &features) ||
	    !json_object_is_type(features, json_type_array)) {
		snprintf(err, errlen, "not a GeoJSON FeatureCollection with a features list");
		json_object_put(doc);
		return -1;
	}
	size_t n = json_object_array_length(features);
	if (n > GEOJSON_FEATURES_MAX) {
		snprintf(err, errlen, "more than %d features", GEOJSON_FEATURES_MAX);
		json_object_put(doc);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(features, i), *props = NULL, *geom = NULL;
		struct geojson_feature out = { .index = i };
		char why[200] = "";
		struct json_object *ft;
		if (!json_object_is_type(f, json_type_object) || !json_object_object_get_ex(f, "type", &ft) ||
		    !json_object_is_type(ft, json_type_string) ||
		    strcmp(json_object_get_string(ft), "Feature") != 0) {
			out.error = "not a Feature";
		} else {
			out.id = text(f, "id");
			if (json_object_object_get_ex(f, "properties", &props) &&
			    json_object_is_type(props, json_type_object)) {
				out.name = text(props, "stop_name");
				out.desc = text(props, "stop_desc");
			}
			if (!out.id)
				out.error = "the feature has no id as text";
			else if (!json_object_object_get_ex(f, "geometry", &geom) ||
				 !(out.area = geojson_area(geom, why, sizeof why)))
				out.error = why[0] ? why : "the feature has no geometry";
		}
		fn(arg, &out);
		json_object_put(out.area);
	}
	json_object_put(doc);
	return (long)n;
}
