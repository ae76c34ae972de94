/*
 * ingest.h — fixes from tablets (OsmAnd and protobuf), and the live view of
 * where each vehicle is.
 */
#ifndef JINTONG_INGEST_H
#define JINTONG_INGEST_H

#include <json-c/json.h>

#include "daemon.h"

struct evhttp_request;

void ingest_osmand(struct jtd *d, struct evhttp_request *req);
void ingest_batch(struct jtd *d, struct evhttp_request *req);
/* GET /v1/vehicles: latest good position of each vehicle. */
void ingest_vehicles(struct jtd *d, struct evhttp_request *req);
/* A fix as the JSON the HTTP interface documents. */
struct json_object *ingest_position_json(const struct fix *f);

#endif
