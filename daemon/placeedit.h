/*
 * placeedit.h — the places on-demand trips serve besides stops, through the
 * admin API: location groups (riders are picked up or set down at any of
 * some stops, on request) and zones (anywhere in an area).
 */
#ifndef JINTONG_PLACEEDIT_H
#define JINTONG_PLACEEDIT_H

#include <libpq-fe.h>

#include "daemon.h"

struct evhttp_request;

void placeedit_init(struct jtd *d);
void placeedit_free(struct jtd *d);
int placeedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
/* /v1/admin/location-groups[/code]: groups true; /v1/admin/zones[/code]: false. */
void placeedit_handle(struct jtd *d, struct evhttp_request *req, bool groups, const char *code,
		      const char *who);
/* Is there a location group (groups) or zone with this code? */
bool placeedit_exists(struct jtd *d, bool groups, const char *code);
/* Why a stop cannot be removed because location groups hold it (xmalloc'd), or NULL. */
char *placeedit_stop_users(struct jtd *d, const char *stop);

#endif
