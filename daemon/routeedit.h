/*
 * routeedit.h — drawing lines' routes, version by version (admin API).
 */
#ifndef JINTONG_ROUTEEDIT_H
#define JINTONG_ROUTEEDIT_H

#include <libpq-fe.h>

#include "catalog.h"
#include "daemon.h"

struct evhttp_request;

void routeedit_init(struct jtd *d);
void routeedit_free(struct jtd *d);
int routeedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
/* /v1/admin/lines/{line}/routes[/rest]: rest is "" or a version number. The line exists. */
void routeedit_handle(struct jtd *d, struct evhttp_request *req, const char *line, const char *rest,
		      const char *who);
/* Why a stop cannot be removed because routes use it (xmalloc'd), or NULL. */
char *routeedit_users(struct jtd *d, const char *stop);
/* A line's route version (1-based), or its latest when version is 0; NULL if none. */
struct json_object *routeedit_version(struct jtd *d, const char *line, int version);
/* The version of a line in effect today, or NULL. */
struct json_object *routeedit_in_effect(struct jtd *d, const char *line);
/* How many route versions a line has. */
size_t routeedit_versions(struct jtd *d, const char *line);

#endif
