/*
 * jsonin.c — string members of JSON objects; see jsonin.h.
 */
#include "jsonin.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

const char *jsonin_str(struct json_object *o, const char *key, const char *dflt)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : dflt;
}

int jsonin_string(struct json_object *o, const char *key, bool required, char *out, size_t len, char *err,
		  size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required) {
			snprintf(err, errlen, "\"%s\" is required", key);
			return -1;
		}
		out[0] = '\0';
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "\"%s\" must be a string", key);
		return -1;
	}
	if ((size_t)json_object_get_string_len(v) >= len) {
		snprintf(err, errlen, "\"%s\" is longer than %zu characters", key, len - 1);
		return -1;
	}
	strlcpy_jt(out, json_object_get_string(v), len);
	if (strlen(out) != (size_t)json_object_get_string_len(v)) {
		snprintf(err, errlen, "\"%s\" holds a NUL character", key);
		return -1;
	}
	return 0;
}
