/*
 * caledit.h — service calendars (weekly, market days, school terms) through
 * the admin API, and the dates they run on.
 */
#ifndef JINTONG_CALEDIT_H
#define JINTONG_CALEDIT_H

#include <libpq-fe.h>

#include "catalog.h"
#include "daemon.h"

struct evhttp_request;

void caledit_init(struct jtd *d);
void caledit_free(struct jtd *d);
int caledit_load(struct jtd *d, PGconn *conn, char *err, size_t errlen) JT_MUST_CHECK;
/* path after /v1/admin/calendars/ (NULL for the collection) */
void caledit_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who);
struct calendar;
/* The rules of a calendar, or NULL. */
const struct calendar *caledit_get(struct jtd *d, const char *code);
/* Is a town's market calendar defined? Writes the calendar's code. */
bool caledit_town_used(struct jtd *d, const char *town, char *code, size_t len);

#endif
