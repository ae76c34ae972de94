/*
 * bookreply.h — what the booking client reads in the daemon's answer to a
 * booking (POST /v1/rides) or to a confirmation or cancellation: the ride's
 * id and state, what was offered (a seat on a trip or a booked van) with
 * its pickup window and expected arrival, or why it was refused; as JSON,
 * or as a protobuf jintong.Ride to a booking made in protobuf. The answer
 * comes over the network and is read as untrusted: only known members of
 * the expected types count, identifiers are kept within their bounds and
 * printable, times must read as times. Pure (json-c and the core's time
 * parser, protobuf-c).
 */
#ifndef JINTONG_SIM_BOOKREPLY_H
#define JINTONG_SIM_BOOKREPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

enum bookreply_offer { BOOKREPLY_NONE, BOOKREPLY_SEAT, BOOKREPLY_VAN };

struct bookreply {
	char id[24];          /* digits only */
	char state[16];       /* "offered", "confirmed", "refused", ... */
	enum bookreply_offer offer;
	char trip[33], vehicle[33];
	jt_ms pickup_from, pickup_to, dropoff_at; /* 0 when not given */
	char reason[160];     /* printable, cut to fit */
};

/* Reads a ride's JSON: 0, or -1 with why in err (no id, no state, not JSON). */
int bookreply_parse(const char *body, size_t len, struct bookreply *out, char *err, size_t errlen) JT_MUST_CHECK;
/* The same from a protobuf jintong.Ride. */
int bookreply_parse_pb(const uint8_t *data, size_t len, struct bookreply *out, char *err, size_t errlen) JT_MUST_CHECK;

#endif
