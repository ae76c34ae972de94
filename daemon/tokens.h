/*
 * tokens.h — the admin API for credentials: operator tokens with their role
 * (/v1/admin/tokens) and booking clients (/v1/admin/clients).
 */
#ifndef JINTONG_TOKENS_H
#define JINTONG_TOKENS_H

#include <stdbool.h>

#include "daemon.h"

struct evhttp_request;

/* arg: what follows the collection ("NAME/revoke") or NULL. who: the admin, for the log. */
void tokens_handle(struct jtd *d, struct evhttp_request *req, bool clients, const char *arg,
		   const char *who);

#endif
