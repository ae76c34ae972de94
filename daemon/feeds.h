/*
 * feeds.h — GTFS Realtime VehiclePositions and TripUpdates served over HTTP;
 * see feeds.c.
 */
#ifndef JINTONG_FEEDS_H
#define JINTONG_FEEDS_H

#include "daemon.h"

struct evhttp_request;

/* GET /v1/gtfs-rt/{name}: name is vehicle-positions or trip-updates. */
void feeds_handle(struct jtd *d, struct evhttp_request *req, const char *name);

#endif
