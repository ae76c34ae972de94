/*
 * booker.h — villagers booking their rides with jintongd: the day's
 * requests (demandgen.h) posted to POST /v1/rides each at the time it is
 * asked, and the offers answered as riders would.
 *
 * A clock function says what time it is (simulated Unix seconds, so the
 * fleet simulator's accelerated day and a standalone run that asks
 * everything at once both fit); on every pump the requests whose time to
 * be asked has come are posted, as JSON, over a few kept-alive connections
 * on the caller's event loop (a seeded share as protobuf jintong.RideRequest,
 * the rest as JSON). An offer is confirmed, or — a share drawn
 * from the seed for each request, the same whatever the timing — declined
 * (cancelled) or left to expire. Each request's outcome is kept: a seat on
 * a trip, a van, or refused with the daemon's reason; the promised pickup
 * window; the wait (pickup window start minus the time asked for when
 * leaving after it; the time asked for minus the expected arrival when
 * arriving by it).
 *
 * State of one request:
 *
 *   due ──> posted ─┬─> offered ─┬─> confirming ──> confirmed
 *                   │            ├─> declining ───> cancelled
 *                   │            └─> left to expire (nothing sent)
 *                   ├─> refused
 *                   └─> failed      (no answer, or an error status)
 */
#ifndef JINTONG_SIM_BOOKER_H
#define JINTONG_SIM_BOOKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bookreply.h"
#include "demandgen.h"
#include "gen.h"

struct event_base;

struct booker_opts {
	struct event_base *base;
	const char *host;
	int port;
	const char *token;        /* operator token: the booking front end's */
	jt_day day;               /* the service day of the requests */
	uint64_t seed;            /* riders' answers */
	double decline_share;     /* offers cancelled, default 0.08 */
	double expire_share;      /* offers never answered, default 0.04 */
	double protobuf_share;    /* bookings sent as protobuf jintong.RideRequest, default 0.2 */
	int connections;          /* kept-alive connections, default 4 */
	double (*clock)(void *ctx); /* simulated Unix seconds now */
	void *clock_ctx;
	void (*done)(void *ctx);  /* called once every request has its outcome */
	void *done_ctx;
};
void booker_opts_default(struct booker_opts *o);

enum booker_step { BOOKER_DUE, BOOKER_POSTED, BOOKER_OFFERED, BOOKER_CONFIRMING, BOOKER_DECLINING, BOOKER_DONE };
enum booker_answer { BOOKER_CONFIRM, BOOKER_DECLINE, BOOKER_LET_EXPIRE };

struct booker_outcome {
	enum booker_step step;
	enum booker_answer answer;   /* drawn for every request, used on an offer */
	bool protobuf;               /* booked in protobuf (drawn too) */
	int status;                  /* HTTP status of the booking, 0 without one */
	struct bookreply ride;       /* the daemon's last word on the ride */
	double wait_s;               /* see above; NAN unless offered */
	char error[160];             /* failed: why */
};

struct booker_counts {
	size_t requests, posted, answered;
	size_t seats, vans, refused, failed;
	size_t confirmed, declined, left_to_expire;
	double wait_sum_s;           /* over offers with a wait */
	size_t waits;
};

struct booker;

/* The client for list l of county c (both kept by the caller while it runs). */
struct booker *booker_new(const struct booker_opts *o, const struct gen_county *c, const struct demandgen_list *l);
void booker_free(struct booker *b);
/* Posts what is due by the clock (call it on a timer). */
void booker_pump(struct booker *b);
/* Every request has its outcome. */
bool booker_finished(const struct booker *b);
const struct booker_counts *booker_counts(const struct booker *b);
const struct booker_outcome *booker_outcome(const struct booker *b, size_t i);
/* "bookings 120/300 asked: 80 seats, 30 vans, 10 refused, mean wait 12 min" */
void booker_progress(const struct booker *b, char *buf, size_t len);
/* One line per request: id, rider, outcome, ride id, state, answer, pickup window, wait, trip or van, wire. */
void booker_write_outcomes(const struct booker *b, FILE *out);

/* A request as the JSON body of POST /v1/rides (new string, the caller frees it). */
char *booker_request_json(const struct gen_county *c, const struct demandgen_request *q, jt_day day,
			  const char *client_ref);
/* The same as a protobuf jintong.RideRequest (malloc'd, *len bytes). */
uint8_t *booker_request_pb(const struct gen_county *c, const struct demandgen_request *q, jt_day day,
			   const char *client_ref, size_t *len);

#endif
