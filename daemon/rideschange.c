/*
 * rideschange.c — a ride's change of state (confirm, cancel, board, no-show,
 * drop-off, expiry). A ride is changed in memory only after PostgreSQL has
 * committed the change, its event and its notification; while a change is
 * in flight the ride is busy and other changes to it are refused with 409.
 * What the vehicle did is told to its plan; a ride that is no longer open
 * gives its seats back and leaves memory. Also here: a ride moved to
 * another vehicle by an improvement of the plans, saved.
 */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demand.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "ride.h"
#include "ridesheld.h"
#include "store.h"
#include "util.h"

/* --- changes to a ride ----------------------------------------------------- */

struct change {
	struct jtd *d;
	struct evhttp_request *req;
	struct held *h;
	enum ride_state to;
	char who[64];
	char reason[128];
};

/* What the vehicle did, in its plan: the rider boarded, alighted or was not there. */
static void served(struct jtd *d, struct held *h, enum ride_state to)
{
	if (h->r.service != RIDE_ON_VEHICLE || h->place.plan_id < 0)
		return;
	double now = (double)now_ms() / 1000.0;
	int rc = 0;
	switch (to) {
	case RIDE_ONBOARD:
		rc = demand_served(rides_state(d)->dm, &h->place, true, now);
		break;
	case RIDE_COMPLETED:
		rc = demand_served(rides_state(d)->dm, &h->place, false, now);
		break;
	case RIDE_NO_SHOW:
		rc = demand_no_show(rides_state(d)->dm, &h->place);
		break;
	default:
		return;
	}
	if (rc != 0)
		log_info("ride.out_of_plan_order", "ride=%lld shift=%s state=%s: the plan keeps its order",
			 (long long)h->r.id, h->place.shift, ride_state_name(to));
	if (to != RIDE_ONBOARD) {
		char key[16];
		rides_plan_key(key, sizeof key, h->place.plan_id);
		strmap_del(rides_state(d)->by_plan, key); /* nothing left to give back */
	}
}

static void changed(void *arg, const PGresult *res)
{
	struct change *ch = arg;
	struct jtd *d = ch->d;
	struct held *h = ch->h;
	h->busy = false;
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		enum ride_state from = h->r.state;
		if (ride_move(&h->r, ch->to, now_ms()) != 0)
			fatal("ride %lld: %s to %s was checked before it was saved", (long long)h->r.id,
			      ride_state_name(from), ride_state_name(ch->to));
		if (ch->reason[0])
			strlcpy_jt(h->r.reason, ch->reason, sizeof h->r.reason);
		log_info("ride.state", "ride=%lld from=%s to=%s by=%s", (long long)h->r.id, ride_state_name(from),
			 ride_state_name(ch->to), ch->who);
		switch (ch->to) {
		case RIDE_CONFIRMED: rides_state(d)->stats.confirmed++; break;
		case RIDE_CANCELLED: rides_state(d)->stats.cancelled++; break;
		case RIDE_EXPIRED: rides_state(d)->stats.expired++; break;
		default: break;
		}
		if (ch->req)
			rides_reply(ch->req, 200, &h->r, NULL);
		served(d, h, ch->to);
		notify_wake(d);
		if (!ride_state_open(h->r.state)) {
			rides_hold(d, h, false);
			rides_forget(d, h);
		}
	} else if (ch->req) {
		if (!res)
			http_reply_unavailable(d, ch->req, "the database is unreachable; the ride is unchanged");
		else
			http_reply_error(ch->req, 500, "database_error", "the ride could not be changed");
	}
	if (res && PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("ride.change_failed", "ride=%lld error=\"%s\"", (long long)h->r.id,
			 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	free(ch);
}

void rides_change(struct jtd *d, struct evhttp_request *req, struct held *h, enum ride_state to,
		   const char *who, const char *reason)
{
	struct change *ch = xcalloc(1, sizeof *ch);
	ch->d = d;
	ch->req = req;
	ch->h = h;
	ch->to = to;
	strlcpy_jt(ch->who, who, sizeof ch->who);
	strlcpy_jt(ch->reason, reason ? reason : "", sizeof ch->reason);
	h->busy = true;
	char id[24], now[32];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	snprintf(now, sizeof now, "%.3f", (double)now_ms() / 1000.0);
	const char *params[] = { id, ride_state_name(h->r.state), ride_state_name(to), now, who, ch->reason };
	store_query(d->store,
		    "WITH r AS (UPDATE ride SET state = $3, updated_at = to_timestamp($4::float8),"
		    "  reason = CASE WHEN $6 = '' THEN reason ELSE $6 END"
		    "  WHERE id = $1::bigint AND state = $2 RETURNING *),"
		    " e AS (INSERT INTO ride_event (ride_id, at, from_state, to_state, by_whom)"
		    "  SELECT id, to_timestamp($4::float8), $2, $3, $5 FROM r),"
		    " n AS (INSERT INTO notification (ride_id, kind, payload)"
		    "  SELECT r.id, $3, jintong_ride_notification(r, $3) FROM r WHERE jintong_ride_notifies($3))"
		    " SELECT id FROM r",
		    6, params, changed, ch);
}

static void move_saved(void *arg, const PGresult *res)
{
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		log_warn("ride.move_not_saved", "ride=%lld: a restart puts it back on its former vehicle",
			 (long long)(intptr_t)arg);
}


/* After an improvement rides_moved a ride to another vehicle: record it. */
void rides_moved(void *ctx, int plan_id, const char *shift, const char *vehicle)
{
	struct jtd *d = ctx;
	char key[16];
	rides_plan_key(key, sizeof key, plan_id);
	struct held *h = strmap_get(rides_state(d)->by_plan, key);
	if (!h)
		return;
	strlcpy_jt(h->place.shift, shift, sizeof h->place.shift);
	strlcpy_jt(h->place.vehicle, vehicle, sizeof h->place.vehicle);
	strlcpy_jt(h->r.shift, shift, sizeof h->r.shift);
	strlcpy_jt(h->r.vehicle, vehicle, sizeof h->r.vehicle);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	const char *params[] = { id, shift, vehicle };
	log_info("ride.rides_moved", "ride=%lld shift=%s vehicle=%s", (long long)h->r.id, shift, vehicle);
	store_query(d->store, "UPDATE ride SET shift_code = $2, vehicle_code = $3 WHERE id = $1::bigint", 3, params,
		    move_saved, (void *)(intptr_t)h->r.id);
}
