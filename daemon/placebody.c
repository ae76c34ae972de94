/*
 * placebody.c — the body of a location group or zone request in the admin
 * API, from JSON to the record as the daemon keeps and serves it, or the
 * reason it is refused (the 400 the operator reads).
 *
 *   a location group  {"code","name","stops":[stop codes],"gtfs_id"}
 *   a zone            {"code","name","description","geometry","gtfs_id"}
 *
 * An edit gives some of the fields, merged over the record as it is; the
 * code never changes. A group's stops are known stops, none twice, kept
 * sorted; a zone's geometry is a GeoJSON Polygon or MultiPolygon (geojson.c).
 * Pure: whether a stop exists is asked of the caller.
 */
#include "placebody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geojson.h"
#include "gtfsid.h"
#include "util.h"

#define GROUP_STOPS_MAX 5000

struct kind {
	const char *entity; /* "location group": messages */
	const char *const *fields;
	size_t nfields;
};

static const char *const group_fields[] = { "code", "name", "stops", "gtfs_id" };
static const char *const zone_fields[] = { "code", "name", "description", "geometry", "gtfs_id" };
static const struct kind kinds[2] = {
	{ "zone", zone_fields, JT_ARRAY_LEN(zone_fields) },
	{ "location group", group_fields, JT_ARRAY_LEN(group_fields) },
};

/* Text member key of in (or of base when absent): "" when neither has it. -1 with err. */
static int take_text(struct json_object *out, struct json_object *in, struct json_object *base,
		     const char *key, size_t max, char *err, size_t errlen)
{
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(in, key, &v) && base)
		json_object_object_get_ex(base, key, &v);
	if (!v) {
		json_object_object_add(out, key, json_object_new_string(""));
		return 0;
	}
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	size_t n = s ? (size_t)json_object_get_string_len(v) : 0;
	if (!s || strlen(s) != n || n > max || !catalog_utf8_valid(s, n)) {
		snprintf(err, errlen, "%s must be text of at most %zu bytes, valid UTF-8 without control "
				      "characters",
			 key, max);
		return -1;
	}
	json_object_object_add(out, key, json_object_get(v));
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A group's stops: known, none twice; kept sorted so equal groups compare equal. */
static struct json_object *group_stops(struct json_object *a, catalog_exists_fn exists, void *arg,
				       char *err, size_t errlen)
{
	size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	if (n < 1 || n > GROUP_STOPS_MAX) {
		snprintf(err, errlen, "stops must be a list of 1 to %d stop codes", GROUP_STOPS_MAX);
		return NULL;
	}
	const char **codes = xcalloc(n, sizeof *codes);
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(a, i);
		codes[i] = json_object_is_type(s, json_type_string) ? json_object_get_string(s) : NULL;
		if (!codes[i] || !catalog_code_valid(codes[i]) || !exists(arg, "stops", codes[i])) {
			snprintf(err, errlen, "stop %zu%s%.32s%s is not a stop; add it first (jintong stop add)",
				 i + 1, codes[i] ? ", " : "", codes[i] ? codes[i] : "", codes[i] ? "," : "");
			free(codes);
			return NULL;
		}
	}
	qsort(codes, n, sizeof *codes, by_str);
	struct json_object *out = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(codes[i], codes[i - 1]) == 0) {
			snprintf(err, errlen, "stop %.32s is listed twice", codes[i]);
			free(codes);
			json_object_put(out);
			return NULL;
		}
		json_object_array_add(out, json_object_new_string(codes[i]));
	}
	free(codes);
	return out;
}

struct json_object *placebody_build(bool groups, struct json_object *in, struct json_object *base,
				    catalog_exists_fn exists, void *arg, char *err, size_t errlen)
{
	const struct kind *k = &kinds[groups];
	json_object_object_foreach(in, key, val)
	{
		(void)val;
		bool known = false;
		for (size_t i = 0; i < k->nfields; i++)
			known |= strcmp(key, k->fields[i]) == 0;
		if (!known) {
			snprintf(err, errlen, "a %s has no field '%.40s'", k->entity, key);
			return NULL;
		}
	}
	struct json_object *out = json_object_new_object(), *v = NULL;
	const char *code = NULL;
	if (json_object_object_get_ex(in, "code", &v))
		code = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	if (base && code && strcmp(code, json_object_get_string(json_object_object_get(base, "code")))) {
		snprintf(err, errlen, "a %s's code cannot change; add a new one instead", k->entity);
		goto fail;
	}
	if (base)
		code = json_object_get_string(json_object_object_get(base, "code"));
	if (!code || !catalog_code_valid(code)) {
		snprintf(err, errlen, "code must be 1 to 32 letters, digits, '.', '_' or '-', starting "
				      "with a letter or digit");
		goto fail;
	}
	json_object_object_add(out, "code", json_object_new_string(code));
	if (take_text(out, in, base, "name", CATALOG_NAME_MAX, err, errlen) != 0)
		goto fail;
	if (take_text(out, in, base, "gtfs_id", GTFSID_MAX, err, errlen) != 0)
		goto fail;
	if (groups) {
		struct json_object *stops = NULL;
		if (!json_object_object_get_ex(in, "stops", &stops) && base) {
			json_object_object_add(out, "stops",
					       json_object_get(json_object_object_get(base, "stops")));
		} else {
			struct json_object *s = group_stops(stops, exists, arg, err, errlen);
			if (!s)
				goto fail;
			json_object_object_add(out, "stops", s);
		}
		return out;
	}
	if (take_text(out, in, base, "description", CATALOG_MESSAGE_MAX, err, errlen) != 0)
		goto fail;
	struct json_object *g = NULL;
	if (!json_object_object_get_ex(in, "geometry", &g) && base) {
		json_object_object_add(out, "geometry",
				       json_object_get(json_object_object_get(base, "geometry")));
	} else {
		char why[200];
		struct json_object *area = g ? geojson_area(g, why, sizeof why) : NULL;
		if (!area) {
			snprintf(err, errlen, "geometry: %s", g ? why : "a zone needs its area");
			goto fail;
		}
		json_object_object_add(out, "geometry", area);
	}
	return out;
fail:
	json_object_put(out);
	return NULL;
}
