/*
 * throttle.h — how much one sender may ask of the daemon: a token bucket of
 * requests per credential (per source address for requests without one),
 * with fix uploads drawing from a bucket of their own so a tablet sending its
 * backlog after a dead spot is not cut short, and a cap on the connections
 * open from one address. Operators' tokens are not limited.
 */
#ifndef JINTONG_THROTTLE_H
#define JINTONG_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "access.h"
#include "daemon.h"

struct evhttp_request;

struct throttle_stats {
	uint64_t limited[2];     /* requests answered 429, by enum access_limit */
	uint64_t connections_refused;
	uint64_t unauthenticated; /* answered 401 */
	uint64_t forbidden;       /* answered 403 */
	uint64_t connections_open;
	uint64_t buckets;         /* senders being counted */
};

struct throttle *throttle_new(void);
void throttle_free(struct throttle *l);

/*
 * Counts the request's connection the first time it is seen; answers 429 and
 * closes it when its address already has max_connections_per_address open.
 */
bool throttle_connection(struct jtd *d, struct evhttp_request *req);
/* Takes one request from the sender's bucket; answers 429 with Retry-After when it is empty. */
bool throttle_admit(struct jtd *d, struct evhttp_request *req, const struct access_route *r,
		  const struct access_cred *c);
void throttle_count_denied(struct jtd *d, bool unauthenticated);
struct throttle_stats throttle_stats(const struct jtd *d);

#endif
