/*
 * tripwrite.h — writing trips (tripbody.h) to PostgreSQL: added (one or a
 * timetable's worth, in one statement) or changed, each with its stop times
 * and audit row, then kept in memory and answered. For tripedit.c only.
 */
#ifndef JINTONG_TRIPWRITE_H
#define JINTONG_TRIPWRITE_H

#include <json-c/json.h>

#include "daemon.h"
#include "tripbody.h"

struct evhttp_request;

/* Adds trips (of one line version and calendar), taking them and replying 201 with them. */
void tripwrite_add(struct jtd *d, struct evhttp_request *req, struct trip **trips, size_t n,
		   const char *who);
/* Replaces the stored trip of t's code with t, taking it and replying 200 with it. */
void tripwrite_edit(struct jtd *d, struct evhttp_request *req, struct trip *t, const char *who);

#endif
