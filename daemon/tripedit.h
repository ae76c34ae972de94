/*
 * tripedit.h — trips and generated timetables (admin API).
 */
#ifndef JINTONG_TRIPEDIT_H
#define JINTONG_TRIPEDIT_H

#include <libpq-fe.h>

#include "catalog.h"
#include "daemon.h"

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

#endif
