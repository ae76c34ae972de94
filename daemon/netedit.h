/*
 * netedit.h — the admin API for the route network's named things, kept in
 * memory and in PostgreSQL, every change audited.
 */
#ifndef JINTONG_NETEDIT_H
#define JINTONG_NETEDIT_H

#include <libpq-fe.h>

#include "catalog.h"
#include "daemon.h"

struct evhttp_request;

void netedit_init(struct jtd *d);
void netedit_free(struct jtd *d);
/* Loads every collection at start, on a blocking connection. */
int netedit_load(struct jtd *d, PGconn *conn, char *err, size_t errlen) JT_MUST_CHECK;
/* code is NULL for the collection itself. who is the operator's name. */
void netedit_handle(struct jtd *d, struct evhttp_request *req, const struct collection *c,
		    const char *code, const char *who);
/* GET /v1/admin/audit[?limit=N] */
void netedit_audit(struct jtd *d, struct evhttp_request *req);

#endif
