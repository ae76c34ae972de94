/*
 * rosterbody.h — the JSON body that replaces a student line's roster,
 * checked: the pupils' rider ids, or why it is refused.
 */
#ifndef JINTONG_ROSTERBODY_H
#define JINTONG_ROSTERBODY_H

#include <json-c/json.h>

#include "core.h"

#define ROSTERBODY_MAX 5000

struct rosterbody {
	char **pupils; /* n rider ids, none twice, in the body's order */
	size_t n;
};

/* The line a rider is on the roster of, or NULL; asked of the caller. */
typedef const char *(*rosterbody_line_fn)(void *arg, const char *rider);

/*
 * Reads {"pupils":[RIDER,…]} for `line`: at most ROSTERBODY_MAX rider ids of
 * 1 to 64 printable characters without commas, quotes, backslashes or
 * braces, none twice, none on another line's roster. 0, or -1 with err and
 * nothing to free.
 */
int rosterbody_parse(struct json_object *in, const char *line, rosterbody_line_fn line_of,
		     void *arg, struct rosterbody *out, char *err, size_t errlen) JT_MUST_CHECK;
void rosterbody_free(struct rosterbody *b);
/* The pupils as a PostgreSQL text[] literal, "{a,b}": ids need no quoting. */
char *rosterbody_array(const struct rosterbody *b);

#endif
