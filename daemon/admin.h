/*
 * admin.h — the operators' API: vehicles and devices (/v1/admin/...).
 */
#ifndef JINTONG_ADMIN_H
#define JINTONG_ADMIN_H

#include "boot.h"
#include "daemon.h"

struct evhttp_request;

/* path is what follows "/v1/admin/". Checks the operator token itself. */
void admin_handle(struct jtd *d, struct evhttp_request *req, const char *path);
/* Re-reads operator tokens from the database (on SIGHUP). */
void admin_reload_operators(struct jtd *d);

#endif
