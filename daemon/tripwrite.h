/*
 * tripwrite.h — a trip as the daemon holds it, and writing trips to
 * PostgreSQL: added (one or a timetable's worth, in one statement) or
 * changed, each with its stop times and audit row, then kept in memory and
 * answered. For tripedit.c only.
 */
#ifndef JINTONG_TRIPWRITE_H
#define JINTONG_TRIPWRITE_H

#include <json-c/json.h>

#include "catalog.h"
#include "gtfsid.h"
#include "daemon.h"
#include "stoptime.h"

struct evhttp_request;

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

void tripwrite_free(struct trip *t);
/* Sets t->json from its fields and its version's places. */
void tripwrite_json(struct trip *t, struct json_object *places);
/* Adds trips (of one line version and calendar), taking them and replying 201 with them. */
void tripwrite_add(struct jtd *d, struct evhttp_request *req, struct trip **trips, size_t n,
		   const char *who);
/* Replaces the stored trip of t's code with t, taking it and replying 200 with it. */
void tripwrite_edit(struct jtd *d, struct evhttp_request *req, struct trip *t, const char *who);

#endif
