/*
 * jsonin.h — string members of JSON objects, read the one way every module
 * reads them: from a record the daemon keeps (lenient: a default when the
 * member is absent or not a string), or from a request body (strict: a
 * reason for the front end when it is missing, not a string, too long or
 * holds a NUL). Pure: json-c only.
 */
#ifndef JINTONG_JSONIN_H
#define JINTONG_JSONIN_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "core.h"

/* Member `key` of o when it is a string, else `dflt` (o may be NULL). */
const char *jsonin_str(struct json_object *o, const char *key, const char *dflt);

/*
 * Member `key` of a request copied into out[len]: -1 with the reason in err
 * when it is not a string, does not fit (len - 1 bytes at most) or holds a
 * NUL character, or when it is required and absent or null. An optional
 * member absent or null leaves out empty.
 */
int jsonin_string(struct json_object *o, const char *key, bool required, char *out, size_t len, char *err,
		  size_t errlen) JT_MUST_CHECK;

#endif
