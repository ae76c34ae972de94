/*
 * tripbody.h — a trip as the daemon holds it, and the JSON bodies that add
 * or change trips and timetables, checked: the trips they ask for, or why
 * they are refused.
 */
#ifndef JINTONG_TRIPBODY_H
#define JINTONG_TRIPBODY_H

#include <json-c/json.h>

#include "catalog.h"
#include "gtfsid.h"
#include "stoptime.h"

struct trip {
	char code[CATALOG_CODE_MAX + 1];
	char line[CATALOG_CODE_MAX + 1];
	int version;
	char calendar[CATALOG_CODE_MAX + 1];
	char block[CATALOG_CODE_MAX + 1]; /* "" when none */
	char gtfs_id[GTFSID_MAX + 1];     /* the trip_id it was imported under, "" when its code */
	size_t n;
	struct stoptime *st;
	struct json_object *json;
};

/* What a trip's body refers to, asked of the caller. */
struct tripbody_env {
	/* Is there a record of "lines", "calendars", "trips" or "booking-rules" with this code? */
	catalog_exists_fn exists;
	/* A line's route version (0: the latest) as routeedit.c keeps it
	 * ({"version":N,"stops":[places],…}), or NULL. */
	struct json_object *(*version)(void *arg, const char *line, int version);
	void *arg;
};

void tripbody_free(struct trip *t);
/* Sets t->json from its fields and its version's places. */
void tripbody_json(struct trip *t, struct json_object *places);
/* A trip of a route version, its stop times zero. */
struct trip *tripbody_new(const char *code, const char *line, struct json_object *ver,
			  const char *calendar, const char *block);

/*
 * POST /v1/admin/trips: {"code","line","version","calendar","block","times":[…],
 * "gtfs_id"}. 0 with *out, or the status refusing it (400, or 409 when a
 * trip of that code exists) with err.
 */
int tripbody_add(struct json_object *body, const struct tripbody_env *env, struct trip **out,
		 char *err, size_t errlen) JT_MUST_CHECK;
/*
 * PATCH /v1/admin/trips/{code}: {"calendar","block" (null for none),
 * "version","times","gtfs_id"}, any of them, over cur. 0 with *out, or 400
 * with err.
 */
int tripbody_edit(struct json_object *body, const struct trip *cur, const struct tripbody_env *env,
		  struct trip **out, char *err, size_t errlen) JT_MUST_CHECK;

/* A timetable's request: departures from first to last every so often. */
struct tripbody_timetable {
	const char *calendar, *block; /* pointing into the body; block NULL for none */
	int32_t first, last, every;   /* seconds */
	double speed_kmh;
	int32_t dwell_s;
	struct json_object *ver;      /* the route version, as env->version gave it */
};

/*
 * POST /v1/admin/lines/{line}/timetable: {"calendar","first","last","every",
 * "version","block","speed_kmh","dwell_s"}. 0 with *out, or 400 with err.
 */
int tripbody_timetable(struct json_object *body, const char *line, const struct tripbody_env *env,
		       struct tripbody_timetable *out, char *err, size_t errlen) JT_MUST_CHECK;

#endif
