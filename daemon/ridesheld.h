/*
 * ridesheld.h — what the files of the booking service share and nobody else
 * sees: the open rides held in memory and the seats and plan places they
 * occupy. The service is rides.h; its work is spread over
 *
 *   rides.c        the open rides: loaded at start, seats and plan places
 *                  held and given back, the timetable snapshot, the tick
 *   ridesbook.c    POST /v1/rides: an offer, or a refusal with alternatives
 *   rideschange.c  a ride's change of state, committed, then applied
 *   rideshttp.c    the routes below /v1/rides, reading rides, the replies
 *   ridesrow.c     the ride table's columns, read into a struct ride
 */
#ifndef JINTONG_RIDESHELD_H
#define JINTONG_RIDESHELD_H

#include <libpq-fe.h>

#include "daemon.h"
#include "demand.h"
#include "ride.h"
#include "rides.h"
#include "seats.h"
#include "strmap.h"

struct evhttp_request;
struct json_object;

struct rides {
	struct seats_net *net;
	uint64_t net_stamp;
	struct seats_loads *loads;
	struct strmap *open;     /* id text -> struct ride (open rides) */
	struct strmap *by_ref;   /* client_ref -> struct ride (open rides) */
	struct strmap *trip_seats; /* trip code -> seats (uintptr_t), when the trip gives them */
	struct demand *dm;       /* vehicles on booking duty and their plans */
	uint64_t dm_stamp;
	struct strmap *by_plan;  /* plan id -> struct held (rides in vehicle plans) */
	struct rides_stats stats;
};

struct held {
	struct ride r;
	struct demand_place place; /* RIDE_ON_VEHICLE: where the ride is in the plans */
	bool busy;                 /* a change is being committed */
};

static inline struct rides *rides_state(struct jtd *d)
{
	return d->rides;
}

/* --- rides.c ---------------------------------------------------------------- */

/* The county's service day and seconds of that day at instant t. */
void rides_local_split(jt_ms t, jt_day *day, int32_t *secs);
/* The instant `secs` after local midnight of `day` (secs may pass 24:00). */
jt_ms rides_local_instant(jt_day day, int32_t secs);
/* A catalog collection by name ("stops", "villages", "lines"). */
struct strmap *rides_collection(struct jtd *d, const char *name);
/* The timetable snapshot, rebuilt when the network it was built from has changed. */
const struct seats_net *rides_network(struct jtd *d);
/* The demand-responsive fleet, told of the shifts whenever they or what they name changed. */
struct demand *rides_fleet_on_duty(struct jtd *d);
/* The key of a ride in the by_plan map. */
void rides_plan_key(char *buf, size_t len, int plan_id);
/* Records that ride h has a place in a vehicle's plan (h->place). */
void rides_planned(struct jtd *d, struct held *h);
/* Holds (on) or gives back (off) what an open ride occupies: seats on a trip, a place in a plan. */
void rides_hold(struct jtd *d, struct held *h, bool on);
/* A front end's key for a resend is its own: "client id:key". */
void rides_ref_key(int client_id, const char *ref, char *buf, size_t len);
/* Files an open ride under its id and its client's key. */
void rides_keep_open(struct jtd *d, struct held *h);
/* Takes a ride out of the open rides and frees it. */
void rides_forget(struct jtd *d, struct held *h);
/* The planned times of a ride on a booked vehicle, as its plan has them now. */
void rides_refresh(struct jtd *d, struct held *h);

/* --- ridesbook.c ------------------------------------------------------------ */

/* POST /v1/rides: books a ride for `who` (client_id 0: an operator). */
void rides_book(struct jtd *d, struct evhttp_request *req, const char *who, int client_id);

/* --- rideschange.c ---------------------------------------------------------- */

/*
 * Moves ride h to state `to`: saved first, applied in memory once committed,
 * h busy meanwhile. With req, the answer goes to it; without (expiry), only
 * the log hears of a failure.
 */
void rides_change(struct jtd *d, struct evhttp_request *req, struct held *h, enum ride_state to,
		  const char *who, const char *reason);
/* demand_improve()'s report that a ride moved to another vehicle: recorded and saved. */
void rides_moved(void *ctx, int plan_id, const char *shift, const char *vehicle);

/* --- rideshttp.c ------------------------------------------------------------ */

/* Answers with a ride (and alternatives when refused), in JSON or protobuf as the front end speaks. */
void rides_reply(struct evhttp_request *req, int status, const struct ride *r, struct json_object *alts);
/* A store_query() callback answering `arg` (the request) with the one ride read, or 404. */
void rides_looked_up(void *arg, const PGresult *res);

/* --- ridesrow.c ------------------------------------------------------------- */

/* The columns of the ride table that rides_from_row() reads, in its order. */
extern const char rides_columns[];
void rides_from_row(const PGresult *res, int i, struct ride *r);
const char *rides_place_kind_name(enum ride_place_kind k);

#endif
