/*
 * tripedit.h — trips and generated timetables (admin API).
 */
#ifndef JINTONG_TRIPEDIT_H
#define JINTONG_TRIPEDIT_H

#include <libpq-fe.h>

#include "catalog.h"
#include "daemon.h"
#include "stoptime.h"

struct evhttp_request;

void tripedit_init(struct jtd *d);
void tripedit_free(struct jtd *d);
int tripedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
/* /v1/admin/trips[/code] */
void tripedit_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who);
/* /v1/admin/lines/{line}/timetable; the line exists. */
void tripedit_timetable(struct jtd *d, struct evhttp_request *req, const char *line, const char *who);
/* Why a calendar cannot be removed because trips use it (xmalloc'd), or NULL. */
char *tripedit_calendar_users(struct jtd *d, const char *calendar);
/* Why a booking rule cannot be removed because trips use it (xmalloc'd), or NULL. */
char *tripedit_rule_users(struct jtd *d, const char *rule);

/* A trip as the booking service reads it; valid until the trips change (strmap_changes). */
struct tripedit_view {
	const char *code, *line, *calendar, *block;
	int version;
	size_t n;
	const struct stoptime *st; /* fixed times, or pickup/drop-off windows */
	struct json_object *stops; /* [{"stop": CODE, ...}, …] in order */
};
/* Each trip in turn: start with *pos = 0; false when done. */
bool tripedit_next(struct jtd *d, size_t *pos, struct tripedit_view *v);
/* The trip with this code, if the timetable has it. */
bool tripedit_view_of(struct jtd *d, const char *code, struct tripedit_view *v);

#endif
