/*
 * rides.h — the booking service: villagers' rides over HTTP, committed to
 * PostgreSQL before anyone hears of them.
 *
 *   POST /v1/rides                   book: an offer, or a refusal with alternatives
 *   GET  /v1/rides[?rider=R]         open rides (offered, confirmed, onboard)
 *   GET  /v1/rides/{id}              one ride, open or not
 *   POST /v1/rides/{id}/confirm      take the offer
 *   POST /v1/rides/{id}/cancel       give the seat back
 *
 * A seat on a timetabled trip is offered first (seats.h). Seats are held in
 * memory the moment they are offered, so two riders can never be promised
 * the same seat, and given back when the ride is cancelled, expires
 * unconfirmed or cannot be saved. At start every open ride is read back and
 * holds its seats again: a restart loses nothing that was answered.
 */
#ifndef JINTONG_RIDES_H
#define JINTONG_RIDES_H

#include <libpq-fe.h>

#include "daemon.h"
#include "ride.h"

struct evhttp_request;

void rides_init(struct jtd *d);
void rides_free(struct jtd *d);
/* Reads open rides and rosters at start, on the start-up connection. */
int rides_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
/* Serves /v1/rides and below; `rest` is the path after "/v1/rides" ("" or "/…"). */
void rides_handle(struct jtd *d, struct evhttp_request *req, const char *rest);
/* The demand-responsive fleet, up to date with the shifts. */
struct demand *rides_demand(struct jtd *d);
/* The open ride holding a place in the plans under this plan id, or NULL. */
const struct ride *rides_by_plan(struct jtd *d, int plan_id);
/* Each open ride in turn: start with *pos = 0; false when done. Do not change rides meanwhile. */
bool rides_next_open(struct jtd *d, size_t *pos, const struct ride **r);
/* Open rides planned on a shift's vehicle. */
size_t rides_on_shift(struct jtd *d, const char *shift);
/* Once a second: offers past their hold expire and give their seats back. */
void rides_tick(struct jtd *d);

struct rides_stats {
	uint64_t requests, offered, refused, confirmed, cancelled, expired, failed;
	size_t open;
	struct histogram decide; /* ms from request to decision, before the write */
};
const struct rides_stats *rides_stats(struct jtd *d);

#endif
