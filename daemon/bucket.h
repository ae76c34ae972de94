/*
 * bucket.h — a token bucket: a credential may send `burst` requests at once
 * and `rate` a second after that. Pure arithmetic on times the caller gives.
 */
#ifndef JINTONG_BUCKET_H
#define JINTONG_BUCKET_H

#include <stdbool.h>

#include "core.h"

struct bucket {
	double tokens; /* requests that may be sent now */
	jt_ms at;      /* when tokens was last brought up to date */
};

/* A full bucket at time now. */
void bucket_init(struct bucket *b, double burst, jt_ms now);
/*
 * Takes one token at time now: 0 when there was one, else the milliseconds
 * until there will be (at least 1). rate <= 0 means no limit. A clock that
 * went back adds nothing and takes nothing away.
 */
jt_ms bucket_take(struct bucket *b, double rate, double burst, jt_ms now);
/* Would the bucket be full at now (so forgetting it changes nothing)? */
bool bucket_full(const struct bucket *b, double rate, double burst, jt_ms now);

#endif
