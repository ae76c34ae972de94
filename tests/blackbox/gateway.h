/*
 * gateway.h — a fake rider-notification gateway for black-box tests: an
 * HTTP server on 127.0.0.1 run by a thread of the test, which records every
 * request it is sent and answers as the test tells it to.
 *
 * Like a real gateway it takes each Idempotency-Key once: a request that
 * is answered 2xx or held (GW_HANG) "takes" its key, and a later request
 * with a key already taken is a duplicate, answered 200 and not taken again.
 * 4xx and 5xx answers take nothing.
 */
#ifndef JINTONG_GATEWAY_H
#define JINTONG_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>

struct gw;

/* How requests are answered: a status (200, 400, 429, 500, ...) or GW_HANG (held open, never answered). */
#define GW_HANG (-1)

struct gw *gw_start(void);
void gw_stop(struct gw *g);
int gw_port(const struct gw *g);

/* Every request from now on is answered with `answer`. */
void gw_answer(struct gw *g, int answer);
/* The next n requests are answered with `answer` (and `body`, may be NULL), then gw_answer's again. */
void gw_script(struct gw *g, int answer, int n, const char *body);
/* Stops listening (connections are refused), or listens again on the same port. Effective on return. */
void gw_down(struct gw *g);
void gw_up(struct gw *g);
/* Answers every held request with status, or closes it without an answer when status is 0. */
void gw_release(struct gw *g, int status);

/* Requests with this key so far; those held open now; keys taken (0 or 1 per key, by construction). */
size_t gw_count(struct gw *g, const char *key);
size_t gw_held(struct gw *g, const char *key);
bool gw_taken(struct gw *g, const char *key);
size_t gw_taken_total(struct gw *g);
/* Waits up to ms until there are at least n requests with key (held ones count); false on time-out. */
bool gw_wait(struct gw *g, const char *key, size_t n, int ms);
/* Waits up to ms until no request with key is held open (the client hung up or it was answered). */
bool gw_wait_unheld(struct gw *g, const char *key, int ms);

/* The i-th request with key (from 0): its body, Authorization header and answer (0 while held). */
bool gw_request(struct gw *g, const char *key, size_t i, char *body, size_t len, char *auth, size_t alen,
		int *answer);

#endif
