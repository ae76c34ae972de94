/*
 * shiftbody.h — the JSON body that puts a vehicle on booking duty, checked:
 * the shift's codes and times, or why it is refused.
 */
#ifndef JINTONG_SHIFTBODY_H
#define JINTONG_SHIFTBODY_H

#include <json-c/json.h>

#include "catalog.h"

#define SHIFTBODY_LONGEST_S (24 * 3600)

struct shiftbody {
	char code[CATALOG_CODE_MAX + 1];
	char vehicle[CATALOG_CODE_MAX + 1];
	char calendar[CATALOG_CODE_MAX + 1];
	char depot[CATALOG_CODE_MAX + 1];
	int32_t start_s, end_s; /* seconds of the service day */
};

/*
 * Reads {"code","vehicle","calendar","depot","start":"HH:MM","end":"HH:MM"}:
 * four codes and two times of the service day. 0, or -1 with err (the
 * first member found wrong, in that order).
 */
int shiftbody_parse(struct json_object *in, struct shiftbody *out, char *err, size_t errlen)
	JT_MUST_CHECK;
/* Does the shift end after it starts, and last at most 24 hours? */
bool shiftbody_span_ok(const struct shiftbody *s);

#endif
