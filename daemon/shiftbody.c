/*
 * shiftbody.c — the body of a demand shift in the admin API (a vehicle on
 * booking duty from a depot, on the days of a calendar, between two times),
 * from JSON to a struct, or the reason it is refused (the 400 the operator
 * reads). Whether the vehicle, calendar and depot exist, and whether the
 * vehicle is already on duty then, is the shell's question (shifts.c).
 * Pure.
 */
#include "shiftbody.h"

#include <stdio.h>
#include <string.h>

#include "timetable.h"
#include "util.h"

/* A string member that is a catalog-style code, copied to out; -1 with err. */
static int code_member(struct json_object *in, const char *key, char out[CATALOG_CODE_MAX + 1],
		       char *err, size_t errlen)
{
	struct json_object *v;
	const char *s = json_object_object_get_ex(in, key, &v) && json_object_is_type(v, json_type_string)
				? json_object_get_string(v)
				: NULL;
	size_t n = s ? strlen(s) : 0;
	bool ok = s && n >= 1 && n <= CATALOG_CODE_MAX && n == (size_t)json_object_get_string_len(v);
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'));
	}
	if (!ok) {
		snprintf(err, errlen, "\"%s\" must be a code: letters, digits, '.', '_' or '-', at most %d",
			 key, CATALOG_CODE_MAX);
		return -1;
	}
	strlcpy_jt(out, s, CATALOG_CODE_MAX + 1);
	return 0;
}

static int time_member(struct json_object *in, const char *key, int32_t *out, char *err,
		       size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(in, key, &v) || !json_object_is_type(v, json_type_string) ||
	    timetable_parse_time(json_object_get_string(v), out) != 0) {
		snprintf(err, errlen, "\"%s\" must be a time of the service day such as \"07:00\"", key);
		return -1;
	}
	return 0;
}

int shiftbody_parse(struct json_object *in, struct shiftbody *out, char *err, size_t errlen)
{
	*out = (struct shiftbody){ 0 };
	if (code_member(in, "code", out->code, err, errlen) != 0 ||
	    code_member(in, "vehicle", out->vehicle, err, errlen) != 0 ||
	    code_member(in, "calendar", out->calendar, err, errlen) != 0 ||
	    code_member(in, "depot", out->depot, err, errlen) != 0 ||
	    time_member(in, "start", &out->start_s, err, errlen) != 0 ||
	    time_member(in, "end", &out->end_s, err, errlen) != 0)
		return -1;
	return 0;
}

bool shiftbody_span_ok(const struct shiftbody *s)
{
	return s->end_s > s->start_s && s->end_s - s->start_s <= SHIFTBODY_LONGEST_S;
}
