/*
 * ride.h — a villager's ride: what was asked, what was offered, and where it
 * stands.
 *
 * A ride moves through states written down once, here:
 *
 *   requested ─┬─> offered ─┬─> confirmed ─┬─> onboard ──> completed
 *              │            │              ├─> cancelled
 *              │            │              └─> no_show
 *              │            ├─> cancelled
 *              │            └─> expired      (the offer was never confirmed)
 *              └─> refused                   (nothing fits; alternatives given)
 *
 * ride_move() is the one function that changes a ride's state; it refuses
 * every other move. Offered, confirmed and onboard rides are open: they hold
 * seats. Every state change is committed to PostgreSQL before anyone is told
 * of it (rides.c).
 *
 * Pure: parsing and checking a booking request, the state machine, the JSON
 * a ride is shown as. No I/O.
 */
#ifndef JINTONG_RIDE_H
#define JINTONG_RIDE_H

#include <json-c/json.h>

#include "core.h"
#include "date.h"

#define RIDE_RIDER_MAX 64
#define RIDE_REF_MAX 64
#define RIDE_CODE_MAX 32
#define RIDE_PASSENGERS_MAX 20
#define RIDE_PARCELS_MAX_L 2000

enum ride_state {
	RIDE_REQUESTED,
	RIDE_OFFERED,
	RIDE_CONFIRMED,
	RIDE_ONBOARD,
	RIDE_COMPLETED,
	RIDE_CANCELLED,
	RIDE_NO_SHOW,
	RIDE_REFUSED,
	RIDE_EXPIRED,
	RIDE_STATE_COUNT
};

const char *ride_state_name(enum ride_state s);
/* -1 when unknown. */
int ride_state_parse(const char *s);
/* Does the ride hold seats in this state? */
bool ride_state_open(enum ride_state s);
/* Is from -> to one of the moves drawn above? */
bool ride_can_move(enum ride_state from, enum ride_state to);

/* Where a rider starts or ends: a stop, a village (its committee), or a point. */
enum ride_place_kind { RIDE_AT_POINT, RIDE_AT_STOP, RIDE_AT_VILLAGE };

struct ride_place {
	enum ride_place_kind kind;
	char code[RIDE_CODE_MAX + 1]; /* stop or village code; "" for a point */
	double lat, lon;              /* filled in by the caller for stops and villages */
};

struct ride_request {
	char rider[RIDE_RIDER_MAX + 1];
	char client_ref[RIDE_REF_MAX + 1]; /* the booking front end's key for a resend; "" when none */
	struct ride_place from, to;
	bool arrive_by;                    /* time is the latest arrival, else the earliest departure */
	bool has_time;                     /* false: leave now */
	char time_text[40];                /* as given, for the caller's time-zone rules */
	int passengers;                    /* 0 for a parcel sent alone */
	int parcels_l;                     /* cargo volume in litres */
	bool wheelchair;
	bool confirm;                      /* confirm at once when something is offered */
};

/*
 * Reads a booking request:
 *   {"rider": "...", "client_ref": "...",
 *    "from": {"stop": CODE} | {"village": CODE} | {"lat": .., "lon": ..},
 *    "to": likewise,
 *    "leave_after": TIME | "arrive_by": TIME,       (neither: now)
 *    "passengers": 1, "parcels_l": 0, "wheelchair": false, "confirm": false}
 * Unknown members, wrong types, NaN or out-of-range numbers, non-printable
 * identifiers and a trip to where one already is are refused with a message
 * naming the member. 0 or -1 with err.
 */
int ride_parse_request(struct json_object *in, struct ride_request *out, char *err, size_t errlen)
	JT_MUST_CHECK;

/* What was offered. */
enum ride_service { RIDE_NOTHING, RIDE_ON_TRIP, RIDE_ON_VEHICLE };

struct ride {
	int64_t id;
	int client_id;         /* the booking client that made it; 0 for an operator */
	struct ride_request req;
	enum ride_state state;
	jt_ms when;            /* the asked instant (earliest departure or latest arrival) */
	jt_ms created_at, updated_at;
	/* the offer */
	enum ride_service service;
	char trip[RIDE_CODE_MAX + 1];    /* RIDE_ON_TRIP */
	char line[RIDE_CODE_MAX + 1];
	jt_day day;                      /* the trip's service day */
	int board, alight;               /* 0-based stop indexes in the trip */
	char vehicle[RIDE_CODE_MAX + 1]; /* RIDE_ON_VEHICLE */
	char shift[RIDE_CODE_MAX + 1];   /* the vehicle's shift */
	char pickup_stop[RIDE_CODE_MAX + 1], dropoff_stop[RIDE_CODE_MAX + 1];
	jt_ms pickup_from, pickup_to;    /* the window the rider is picked up in */
	jt_ms pickup_at;                 /* expected pickup (a booked vehicle) */
	jt_ms dropoff_at;                /* expected arrival */
	jt_ms dropoff_by;                /* promised latest arrival (a booked vehicle) */
	double walk_m;
	bool pupil;                      /* a seat kept for a pupil on the line's roster */
	jt_ms offer_expires;             /* RIDE_OFFERED: seats are held until then */
	char reason[160];                /* why refused or ended */
};

/* Moves r to `to` at `now`; -1 (r unchanged) when the move is not allowed. */
int ride_move(struct ride *r, enum ride_state to, jt_ms now) JT_MUST_CHECK;

/*
 * What a rider with a confirmed seat should be told, the bus being expected
 * at the rider's stop at `expected` (0: it has passed it): approaching when
 * that is within approach_ms of now, delay when it is delay_ms or more after
 * the pickup time promised.
 */
struct ride_alert {
	bool approaching, delay;
};
struct ride_alert ride_judge(const struct ride *r, jt_ms expected, jt_ms now, jt_ms approach_ms, jt_ms delay_ms);

/* The ride as its JSON reply (new object). */
struct json_object *ride_json(const struct ride *r);

#endif
