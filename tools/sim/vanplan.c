/*
 * vanplan.c — reading a van's manifest; see vanplan.h.
 */
#include "vanplan.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timeparse.h"

static int64_t time_of(struct json_object *o, const char *key)
{
	struct json_object *x;
	jt_ms t = 0;
	const char *s = json_object_object_get_ex(o, key, &x) && json_object_is_type(x, json_type_string)
				? json_object_get_string(x)
				: NULL;
	if (!s || ts_parse(s, strlen(s), &t) != 0)
		return -1;
	return t;
}

static int count_of(struct json_object *o, const char *key)
{
	struct json_object *x;
	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_int))
		return 0;
	int64_t n = json_object_get_int64(x);
	return n >= 0 && n <= 100000 ? (int)n : 0;
}

static bool coord_of(struct json_object *o, const char *key, double lim, double *out)
{
	struct json_object *x;
	if (!json_object_object_get_ex(o, key, &x) ||
	    !(json_object_is_type(x, json_type_double) || json_object_is_type(x, json_type_int)))
		return false;
	*out = json_object_get_double(x);
	return isfinite(*out) && fabs(*out) <= lim;
}

int vanplan_read(const char *text, size_t len, struct van_task *out, int max)
{
	if (len > 16 * 1024 * 1024 || len > INT32_MAX)
		return -1;
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return -1;
	struct json_object *root = json_tokener_parse_ex(tok, text, (int)len), *stops;
	bool whole = json_tokener_get_error(tok) == json_tokener_success;
	json_tokener_free(tok);
	if (!whole || !root || !json_object_object_get_ex(root, "stops", &stops) ||
	    !json_object_is_type(stops, json_type_array)) {
		json_object_put(root);
		return -1;
	}
	int n = 0;
	size_t k = json_object_array_length(stops);
	for (size_t i = 0; i < k && n < max; i++) {
		struct json_object *s = json_object_array_get_idx(stops, i), *x;
		struct van_task t = { 0 };
		if (!json_object_is_type(s, json_type_object))
			continue;
		const char *kind = json_object_object_get_ex(s, "kind", &x) && json_object_is_type(x, json_type_string)
					   ? json_object_get_string(x)
					   : "";
		if (strcmp(kind, "pickup") && strcmp(kind, "dropoff"))
			continue;
		t.kind = !strcmp(kind, "pickup") ? VAN_PICKUP : VAN_DROPOFF;
		const char *ride = json_object_object_get_ex(s, "ride", &x) && json_object_is_type(x, json_type_string)
					   ? json_object_get_string(x)
					   : NULL;
		/* a ride id is digits: it goes into a request's path */
		if (!ride || !*ride || strlen(ride) >= sizeof t.ride || strspn(ride, "0123456789") != strlen(ride))
			continue;
		snprintf(t.ride, sizeof t.ride, "%s", ride);
		if (!coord_of(s, "lat", 90, &t.lat) || !coord_of(s, "lon", 180, &t.lon))
			continue;
		t.passengers = count_of(s, "passengers");
		t.parcels_l = count_of(s, "parcels_l");
		t.from_ms = time_of(s, "window_from");
		t.planned_ms = time_of(s, "planned");
		if (t.from_ms < 0)
			continue;
		if (t.planned_ms < 0) /* a plan behind its times: go now */
			t.planned_ms = t.from_ms;
		out[n++] = t;
	}
	json_object_put(root);
	return n;
}
