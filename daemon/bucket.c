/*
 * bucket.c — the token bucket of the request rate limits; see bucket.h.
 */
#include "bucket.h"

#include <math.h>

void bucket_init(struct bucket *b, double burst, jt_ms now)
{
	b->tokens = burst;
	b->at = now;
}

static void refill(struct bucket *b, double rate, double burst, jt_ms now)
{
	if (now > b->at) {
		b->tokens += rate * (double)(now - b->at) / 1000.0;
		b->at = now;
	}
	if (b->tokens > burst)
		b->tokens = burst;
}

jt_ms bucket_take(struct bucket *b, double rate, double burst, jt_ms now)
{
	if (!(rate > 0))
		return 0;
	if (burst < 1)
		burst = 1;
	refill(b, rate, burst, now);
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return 0;
	}
	jt_ms wait = (jt_ms)ceil((1 - b->tokens) * 1000.0 / rate);
	return wait < 1 ? 1 : wait;
}

bool bucket_full(const struct bucket *b, double rate, double burst, jt_ms now)
{
	if (!(rate > 0))
		return true;
	if (burst < 1)
		burst = 1;
	double t = b->tokens + (now > b->at ? rate * (double)(now - b->at) / 1000.0 : 0);
	return t >= burst;
}
