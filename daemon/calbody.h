/*
 * calbody.h — a calendar request's JSON body, checked: the calendar's rules
 * and its canonical JSON, or why it is refused.
 */
#ifndef JINTONG_CALBODY_H
#define JINTONG_CALBODY_H

#include <json-c/json.h>

#include "calendar.h"
#include "catalog.h"
#include "date.h"

/* A calendar as the daemon keeps it: its rules and its JSON. */
struct calbody {
	struct calendar c;
	struct json_object *json;
};

/*
 * The calendar a request asks for: `in` alone, or merged over `base` (a
 * calendar's canonical JSON) when editing. Asks exists(arg, "towns", code)
 * about the market's town. Returns it with its canonical JSON (every field,
 * in order, spelled one way), or NULL with err.
 */
struct calbody *calbody_build(struct json_object *in, struct json_object *base,
			      catalog_exists_fn exists, void *arg, char *err, size_t errlen);
void calbody_free(struct calbody *k);
/* A date as the calendars spell it, "YYYY-MM-DD". */
struct json_object *calbody_date_json(jt_day d);

#endif
