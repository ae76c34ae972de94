/*
 * rosterbody.c — the body that replaces the roster of a student line (the
 * pupils who keep a seat on its school runs), from JSON to the list of rider
 * ids, or the reason it is refused (the 400 the operator reads). A pupil is
 * on one line's roster at most: which line a rider is on is asked of the
 * caller. Pure.
 */
#include "rosterbody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ride.h"
#include "strmap.h"
#include "util.h"

void rosterbody_free(struct rosterbody *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->pupils[i]);
	free(b->pupils);
	*b = (struct rosterbody){ 0 };
}

/* A rider id as a roster keeps it: printable, and safe in an array literal. */
static bool rider_ok(struct json_object *p)
{
	const char *s = json_object_is_type(p, json_type_string) ? json_object_get_string(p) : NULL;
	size_t sl = s ? strlen(s) : 0;
	bool ok = s && sl >= 1 && sl <= RIDE_RIDER_MAX && sl == (size_t)json_object_get_string_len(p);
	for (size_t k = 0; ok && k < sl; k++)
		ok = s[k] >= 0x21 && s[k] <= 0x7e && s[k] != ',' && s[k] != '"' && s[k] != '\\' &&
		     s[k] != '{' && s[k] != '}';
	return ok;
}

int rosterbody_parse(struct json_object *in, const char *line, rosterbody_line_fn line_of,
		     void *arg, struct rosterbody *out, char *err, size_t errlen)
{
	struct json_object *list;
	*out = (struct rosterbody){ 0 };
	if (!json_object_object_get_ex(in, "pupils", &list) || !json_object_is_type(list, json_type_array) ||
	    json_object_object_length(in) != 1) {
		snprintf(err, errlen, "the body is {\"pupils\": [RIDER, ...]}");
		return -1;
	}
	size_t n = json_object_array_length(list);
	if (n > ROSTERBODY_MAX) {
		snprintf(err, errlen, "a roster holds at most %d pupils", ROSTERBODY_MAX);
		return -1;
	}
	out->pupils = xcalloc(n ? n : 1, sizeof *out->pupils);
	struct strmap *seen = strmap_new();
	const char *bad = NULL;
	for (size_t i = 0; i < n && !bad; i++) {
		struct json_object *p = json_object_array_get_idx(list, i);
		bool ok = rider_ok(p);
		const char *s = ok ? json_object_get_string(p) : NULL;
		const char *other = ok ? line_of(arg, s) : NULL;
		if (!ok)
			bad = "each pupil is a rider id of 1 to 64 printable characters (no commas, quotes or braces)";
		else if (strmap_get(seen, s))
			bad = "a pupil is listed twice";
		else if (other && strcmp(other, line) != 0)
			bad = "a pupil is already on another line's roster";
		else {
			strmap_put(seen, s, (void *)1);
			out->pupils[out->n++] = xstrdup(s);
		}
	}
	strmap_free(seen);
	if (bad) {
		snprintf(err, errlen, "%s", bad);
		rosterbody_free(out);
		return -1;
	}
	return 0;
}

char *rosterbody_array(const struct rosterbody *b)
{
	size_t cap = 3;
	for (size_t i = 0; i < b->n; i++)
		cap += strlen(b->pupils[i]) + 1;
	char *arr = xmalloc(cap);
	size_t k = (size_t)snprintf(arr, cap, "{");
	for (size_t i = 0; i < b->n; i++)
		k += (size_t)snprintf(arr + k, cap - k, "%s%s", i ? "," : "", b->pupils[i]);
	snprintf(arr + k, cap - k, "}");
	return arr;
}
