/*
 * manifest.h — the driver's list of what to do next; see manifest.c.
 */
#ifndef JINTONG_MANIFEST_H
#define JINTONG_MANIFEST_H

#include "daemon.h"

struct evhttp_request;

/* Serves GET /v1/vehicles/{code}/manifest. */
void manifest_handle(struct jtd *d, struct evhttp_request *req, const char *code);

#endif
