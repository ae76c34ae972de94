/*
 * ridewire.h — booking requests and rides in protobuf (jintong.RideRequest,
 * jintong.Ride in proto/jintong.proto), for front ends that speak it: the
 * same messages as the JSON ones, checked by the same code. Pure.
 */
#ifndef JINTONG_RIDEWIRE_H
#define JINTONG_RIDEWIRE_H

#include <json-c/json.h>

#include "core.h"

/*
 * Decodes a jintong.RideRequest into the JSON object a JSON front end would
 * have sent (to be checked by ride_parse_request()). NULL with err when the
 * bytes are not one, or are too many.
 */
struct json_object *ridewire_request_json(const uint8_t *data, size_t len, char *err, size_t errlen);

/* Encodes a ride's JSON (ride_json(), with its alternatives) as a jintong.Ride. xmalloc'd. */
uint8_t *ridewire_ride_pack(struct json_object *ride, size_t *len);

#endif
