/*
 * routebody.c — the body of a line's redrawing in the admin API, from JSON
 * to the places, the day and the shape of the new route version, or the
 * reason it is refused (the 400 the operator reads):
 *
 *   {"stops":["S01","group:G1","zone:Z1",…],"from":"YYYY-MM-DD",
 *    "shape":[[lat,lon],…],"shape_id":"the feed's shape_id, with a shape"}
 *
 * Pure: whether a place exists is asked of the caller, and today is given.
 */
#include "routebody.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtfsid.h"
#include "util.h"

static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "";
}

/* The body's stops as codes (pointing into body); -1 with err. */
static int read_stops(struct json_object *body, const char ***out, size_t *n, char *err,
		      size_t errlen)
{
	struct json_object *a;
	if (!json_object_object_get_ex(body, "stops", &a) || !json_object_is_type(a, json_type_array)) {
		snprintf(err, errlen, "stops must be a list of stop codes");
		return -1;
	}
	*n = json_object_array_length(a);
	*out = xcalloc(*n ? *n : 1, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		struct json_object *s = json_object_array_get_idx(a, i);
		enum route_place kind;
		const char *code;
		if (!json_object_is_type(s, json_type_string) ||
		    route_place(json_object_get_string(s), &kind, &code) != 0) {
			snprintf(err, errlen, "stop %zu is not a stop code (or group:CODE, zone:CODE)",
				 i + 1);
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[i] = json_object_get_string(s);
	}
	return 0;
}

/* The body's shape as "LINESTRING(lon lat, ...)" in *wkt (NULL when absent); -1 with err. */
static int read_shape(struct json_object *body, char **wkt, struct json_object **shape, char *err,
		      size_t errlen)
{
	struct json_object *a;
	*wkt = NULL;
	*shape = NULL;
	if (!json_object_object_get_ex(body, "shape", &a) || !a)
		return 0;
	size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	double *pts = xcalloc(n ? 2 * n : 2, sizeof *pts);
	bool ok = json_object_is_type(a, json_type_array);
	for (size_t i = 0; ok && i < n; i++) {
		struct json_object *p = json_object_array_get_idx(a, i);
		ok = json_object_is_type(p, json_type_array) && json_object_array_length(p) == 2;
		for (size_t k = 0; ok && k < 2; k++) {
			struct json_object *x = json_object_array_get_idx(p, k);
			ok = json_object_is_type(x, json_type_double) || json_object_is_type(x, json_type_int);
			pts[2 * i + k] = ok ? json_object_get_double(x) : 0;
		}
	}
	snprintf(err, errlen, "shape must be a list of [lat, lon] pairs");
	if (!ok || route_check_shape(pts, n, err, errlen) != 0) {
		free(pts);
		return -1;
	}
	size_t cap = 16 + n * 28;
	char *w = xmalloc(cap);
	size_t len = (size_t)snprintf(w, cap, "LINESTRING(");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(w + len, cap - len, "%s%.7f %.7f", i ? "," : "", pts[2 * i + 1],
					pts[2 * i]);
	snprintf(w + len, cap - len, ")");
	/* Served as stored: numbers, not the request's spelling of them. */
	struct json_object *canon = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		/* To 7 decimals (1 cm), as stored: the same numbers before and after a restart. */
		struct json_object *p = json_object_new_array_ext(2);
		json_object_array_add(p, json_object_new_double(round(pts[2 * i] * 1e7) / 1e7));
		json_object_array_add(p, json_object_new_double(round(pts[2 * i + 1] * 1e7) / 1e7));
		json_object_array_add(canon, p);
	}
	free(pts);
	*wkt = w;
	*shape = canon;
	return 0;
}

void routebody_free(struct routebody *b)
{
	free(b->stops);
	free(b->wkt);
	json_object_put(b->shape);
	*b = (struct routebody){ 0 };
}

int routebody_parse(struct json_object *body, route_known_fn known, void *arg, jt_day today,
		    struct routebody *out, char *err, size_t errlen)
{
	*out = (struct routebody){ .from = today, .shape_id = "" };
	const char *from_text = str_member(body, "from");
	json_object_object_foreach(body, key, val)
	{
		(void)val;
		if (strcmp(key, "stops") && strcmp(key, "from") && strcmp(key, "shape") &&
		    strcmp(key, "shape_id")) {
			snprintf(err, errlen, "a route has no field '%.40s'", key);
			return -1;
		}
	}
	if (read_stops(body, &out->stops, &out->n, err, errlen) != 0)
		goto fail;
	if (route_check_stops(out->stops, out->n, known, arg, err, errlen) != 0)
		goto fail;
	if (*from_text && date_parse(from_text, &out->from) != 0) {
		snprintf(err, errlen, "from must be a date, YYYY-MM-DD");
		goto fail;
	}
	if (out->from < today) {
		char t[DATE_FORMAT_LEN];
		date_format(today, t);
		snprintf(err, errlen,
			 "a new version cannot take effect in the past (today is %s); trips "
			 "already run keep the version they ran on",
			 t);
		goto fail;
	}
	if (read_shape(body, &out->wkt, &out->shape, err, errlen) != 0)
		goto fail;
	const char *shape_id = str_member(body, "shape_id");
	if (*shape_id && (!out->shape || gtfsid_invalid(shape_id, strlen(shape_id)))) {
		snprintf(err, errlen, "shape_id: %s",
			 out->shape ? gtfsid_invalid(shape_id, strlen(shape_id))
				    : "the id of a feed's shape goes with the shape");
		goto fail;
	}
	out->shape_id = shape_id;
	return 0;
fail:
	routebody_free(out);
	return -1;
}
