/*
 * ridesbook.c — booking a ride (POST /v1/rides): a seat on a timetabled
 * trip first, else a place in the plan of a vehicle on booking duty, else a
 * refusal with the next trips that would carry the rider. The seats or the
 * plan place are held the moment they are offered, so two riders are never
 * promised the same seat, and given back if the ride cannot be saved. The
 * ride, its events and its notification are written in one statement; the
 * front end hears of the ride only once it is committed.
 */
#include <event2/http.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "date.h"
#include "demand.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "ride.h"
#include "ridesheld.h"
#include "ridewire.h"
#include "roster.h"
#include "seats.h"
#include "store.h"
#include "timeparse.h"
#include "util.h"

#define BODY_MAX 16384
#define ALTERNATIVES 3
#define ALTERNATIVE_DAYS 7
#define WALK_SPEED_MPS 1.0   /* an unhurried, often elderly, rider */
#define PICKUP_LATE_S 300    /* the bus may leave the stop this late and still be on time */

/* A monotonic clock in milliseconds with microseconds, for decision times. */
static double mono_precise_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A time the front end sent: with a zone as given, without one in the county's time. */
static int request_time(const char *text, jt_ms *out)
{
	jt_ms t;
	if (ts_parse(text, strlen(text), &t) != 0)
		return -1;
	const char *clock = strpbrk(text, "T ");
	if (clock && !strpbrk(clock, "Zz+-")) {
		time_t s = (time_t)(t / 1000);
		struct tm tm;
		gmtime_r(&s, &tm);
		tm.tm_isdst = -1;
		t = (jt_ms)mktime(&tm) * 1000 + t % 1000;
	}
	*out = t;
	return 0;
}

/* --- booking ----------------------------------------------------------- */

/* Fills in where a stop or village is; false (and a 400 sent) when unknown. */
static bool locate(struct jtd *d, struct evhttp_request *req, struct ride_place *p, const char *which)
{
	if (p->kind == RIDE_AT_POINT)
		return true;
	struct json_object *rec =
		strmap_get(rides_collection(d, p->kind == RIDE_AT_STOP ? "stops" : "villages"), p->code);
	if (!rec) {
		http_reply_error(req, 400, "unknown_place", "\"%s\": no %s '%s'", which,
				 p->kind == RIDE_AT_STOP ? "stop" : "village", p->code);
		return false;
	}
	p->lat = catalog_num(rec, "lat");
	p->lon = catalog_num(rec, "lon");
	return true;
}

/* An offer of a seat on trip o, written into r. */
static void take_offer(const struct seats_net *net, const struct seats_offer *o, struct ride *r)
{
	const struct seats_trip *t = seats_net_trip(net, o->trip);
	r->service = RIDE_ON_TRIP;
	strlcpy_jt(r->trip, t->code, sizeof r->trip);
	strlcpy_jt(r->line, t->line, sizeof r->line);
	r->day = o->day;
	r->board = (int)o->board;
	r->alight = (int)o->alight;
	strlcpy_jt(r->pickup_stop, seats_net_stop(net, t->stop[o->board])->code, sizeof r->pickup_stop);
	strlcpy_jt(r->dropoff_stop, seats_net_stop(net, t->stop[o->alight])->code, sizeof r->dropoff_stop);
	r->pickup_from = rides_local_instant(o->day, o->board_time);
	r->pickup_to = r->pickup_from + PICKUP_LATE_S * 1000;
	r->dropoff_at = rides_local_instant(o->day, o->alight_time);
	r->walk_m = o->walk_m;
}

static struct json_object *alternative_json(const struct seats_net *net, const struct seats_offer *o)
{
	struct ride tmp = { 0 };
	take_offer(net, o, &tmp);
	struct json_object *a = json_object_new_object();
	char day[DATE_FORMAT_LEN], at[TS_FORMAT_LEN], arr[TS_FORMAT_LEN];
	date_format(o->day, day);
	ts_format(tmp.pickup_from, at, sizeof at);
	ts_format(tmp.dropoff_at, arr, sizeof arr);
	json_object_object_add(a, "trip", json_object_new_string(tmp.trip));
	json_object_object_add(a, "line", json_object_new_string(tmp.line));
	json_object_object_add(a, "service_day", json_object_new_string(day));
	json_object_object_add(a, "pickup_stop", json_object_new_string(tmp.pickup_stop));
	json_object_object_add(a, "pickup_from", json_object_new_string(at));
	json_object_object_add(a, "dropoff_stop", json_object_new_string(tmp.dropoff_stop));
	json_object_object_add(a, "dropoff_at", json_object_new_string(arr));
	json_object_object_add(a, "free_seats", json_object_new_int(o->free));
	return a;
}

/* The next trips that would carry the rider, over the following days, earliest first. */
static struct json_object *alternatives(struct jtd *d, const struct seats_net *net, struct seats_query q)
{
	struct json_object *list = json_object_new_array();
	q.when = SEATS_LEAVE_AFTER;
	if (q.time >= 86400) {
		q.day++;
		q.time -= 86400;
	}
	size_t found = 0;
	for (int day = 0; day <= ALTERNATIVE_DAYS && found < ALTERNATIVES; day++) {
		/* One service day at a time, from the asked time to midnight, then whole days. */
		q.horizon_s = 86399 - q.time;
		struct seats_offer o[ALTERNATIVES * 4];
		size_t n = seats_find(net, rides_state(d)->loads, &q, o, JT_ARRAY_LEN(o));
		/* Earliest departure first: what a rider asking "when is the next bus?" wants. */
		for (size_t i = 1; i < n; i++)
			for (size_t k = i; k > 0 && (o[k].day - o[k - 1].day) * 86400 + o[k].board_time -
							    o[k - 1].board_time < 0; k--) {
				struct seats_offer tmp = o[k];
				o[k] = o[k - 1];
				o[k - 1] = tmp;
			}
		for (size_t i = 0; i < n && found < ALTERNATIVES; i++, found++)
			json_object_array_add(list, alternative_json(net, &o[i]));
		q.day++;
		q.time = 0;
	}
	return list;
}



struct booking {
	struct jtd *d;
	struct evhttp_request *req;
	struct held *h;
	struct json_object *alternatives;
	char who[64];
};

static void booking_free(struct booking *b)
{
	json_object_put(b->alternatives);
	free(b);
}


static void booked(void *arg, const PGresult *res)
{
	struct booking *b = arg;
	struct jtd *d = b->d;
	struct held *h = b->h;
	bool open = ride_state_open(h->r.state);
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		h->r.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		log_info("ride.booked", "ride=%lld rider=%s state=%s trip=%s", (long long)h->r.id, h->r.req.rider,
			 ride_state_name(h->r.state), h->r.trip[0] ? h->r.trip : "-");
		rides_reply(b->req, 201, &h->r, b->alternatives);
		notify_wake(d);
		if (open) {
			h->busy = false;
			/* the seats were held when offered; now the ride is known by its id */
			rides_keep_open(d, h);
		} else {
			free(h);
		}
		booking_free(b);
		return;
	}
	if (open)
		rides_hold(d, h, false);
	rides_state(d)->stats.failed++;
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!res)
		http_reply_unavailable(d, b->req, "the database is unreachable; nothing was booked");
	else if (st && strcmp(st, "23505") == 0) {
		/* A resend of a booking already stored: answer with that booking. */
		char *sql = xasprintf("SELECT %s FROM ride WHERE client_ref = $1 AND rider = $2"
				      " AND coalesce(client_id, 0) = $3::int", rides_columns);
		char client[16];
		snprintf(client, sizeof client, "%d", h->r.client_id);
		const char *params[] = { h->r.req.client_ref, h->r.req.rider, client };
		store_query(d->store, sql, 3, params, rides_looked_up, b->req);
		free(sql);
	} else {
		log_warn("ride.not_saved", "error=\"%s\"", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		http_reply_error(b->req, 500, "database_error", "the ride could not be saved");
	}
	free(h);
	booking_free(b);
}

static char *ms_param(jt_ms t, char *buf, size_t len)
{
	if (t <= 0)
		return NULL;
	snprintf(buf, len, "%.3f", (double)t / 1000.0);
	return buf;
}

/* Writes a new ride with its events (requested, then each move) in one statement. */
static void save_new(struct booking *b, const char *const *moves)
{
	const struct ride *r = &b->h->r;
	char olat[32], olon[32], dlat[32], dlon[32], asked[32], pax[8], parcels[8], day[DATE_FORMAT_LEN],
		board[12], alight[12], pf[32], pt[32], da[32], walk[16], exp[32], now[32], events[128], dby[32],
		client[16];
	snprintf(client, sizeof client, "%d", r->client_id);
	snprintf(olat, sizeof olat, "%.7f", r->req.from.lat);
	snprintf(olon, sizeof olon, "%.7f", r->req.from.lon);
	snprintf(dlat, sizeof dlat, "%.7f", r->req.to.lat);
	snprintf(dlon, sizeof dlon, "%.7f", r->req.to.lon);
	snprintf(pax, sizeof pax, "%d", r->req.passengers);
	snprintf(parcels, sizeof parcels, "%d", r->req.parcels_l);
	snprintf(board, sizeof board, "%d", r->board);
	snprintf(alight, sizeof alight, "%d", r->alight);
	snprintf(walk, sizeof walk, "%ld", lround(r->walk_m));
	date_format(r->day, day);
	size_t k = (size_t)snprintf(events, sizeof events, "{requested");
	for (size_t i = 0; moves[i]; i++)
		k += (size_t)snprintf(events + k, sizeof events - k, ",%s", moves[i]);
	snprintf(events + k, sizeof events - k, "}");
	bool trip = r->service == RIDE_ON_TRIP;
	const char *params[] = {
		r->req.client_ref[0] ? r->req.client_ref : NULL,
		r->req.rider,
		ride_state_name(r->state),
		olat, olon, rides_place_kind_name(r->req.from.kind), r->req.from.code[0] ? r->req.from.code : NULL,
		dlat, dlon, rides_place_kind_name(r->req.to.kind), r->req.to.code[0] ? r->req.to.code : NULL,
		r->req.arrive_by ? "t" : "f",
		ms_param(r->when, asked, sizeof asked),
		pax, parcels, r->req.wheelchair ? "t" : "f",
		trip ? "trip" : r->service == RIDE_ON_VEHICLE ? "vehicle" : "none",
		trip ? r->trip : NULL, trip ? r->line : NULL, r->service != RIDE_NOTHING ? day : NULL,
		trip ? board : NULL, trip ? alight : NULL,
		r->vehicle[0] ? r->vehicle : NULL,
		r->pickup_stop[0] ? r->pickup_stop : NULL, r->dropoff_stop[0] ? r->dropoff_stop : NULL,
		ms_param(r->pickup_from, pf, sizeof pf), ms_param(r->pickup_to, pt, sizeof pt),
		ms_param(r->dropoff_at, da, sizeof da), r->service != RIDE_NOTHING ? walk : NULL,
		r->pupil ? "t" : "f",
		r->state == RIDE_OFFERED ? ms_param(r->offer_expires, exp, sizeof exp) : NULL,
		r->reason,
		b->who,
		ms_param(r->created_at, now, sizeof now),
		events,
		r->service == RIDE_ON_VEHICLE ? r->shift : NULL,
		ms_param(r->dropoff_by, dby, sizeof dby),
		r->client_id ? client : NULL,
	};
	store_query(b->d->store,
		    "WITH r AS (INSERT INTO ride (client_ref, rider, state, origin, origin_kind, origin_code,"
		    "  destination, dest_kind, dest_code, arrive_by, asked_time, passengers, parcels_l, wheelchair,"
		    "  service, trip_code, line_code, service_day, board_seq, alight_seq, vehicle_code, pickup_stop,"
		    "  dropoff_stop, pickup_from, pickup_to, dropoff_at, walk_m, pupil, offer_expires, reason,"
		    "  booked_by, created_at, updated_at, shift_code, dropoff_by, client_id)"
		    " VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($5::float8, $4::float8), 4326), $6, $7,"
		    "  ST_SetSRID(ST_MakePoint($9::float8, $8::float8), 4326), $10, $11, $12::boolean,"
		    "  to_timestamp($13::float8), $14::smallint, $15::int, $16::boolean, $17, $18, $19, $20::date,"
		    "  $21::int, $22::int, $23, $24, $25, to_timestamp($26::float8), to_timestamp($27::float8),"
		    "  to_timestamp($28::float8), $29::int, $30::boolean, to_timestamp($31::float8), $32, $33,"
		    "  to_timestamp($34::float8), to_timestamp($34::float8), $36, to_timestamp($37::float8), $38::int)"
		    " RETURNING *),"
		    " e AS (INSERT INTO ride_event (ride_id, at, from_state, to_state, by_whom)"
		    "  SELECT r.id, to_timestamp($34::float8), lag(s) OVER (ORDER BY o), s, $33"
		    "  FROM r, unnest($35::text[]) WITH ORDINALITY AS x(s, o)),"
		    " n AS (INSERT INTO notification (ride_id, kind, payload)"
		    "  SELECT r.id, r.state, jintong_ride_notification(r, r.state) FROM r"
		    "  WHERE jintong_ride_notifies(r.state))"
		    " SELECT id FROM r",
		    38, params, booked, b);
}

/* The rider in a vehicle on booking duty; false with the reason when none can take it. */
static bool dispatch(struct jtd *d, struct held *h, jt_ms now, char *why, size_t len)
{
	struct ride *r = &h->r;
	struct demand_ask a = {
		.olat = r->req.from.lat, .olon = r->req.from.lon, .dlat = r->req.to.lat, .dlon = r->req.to.lon,
		.time = (double)r->when / 1000.0, .arrive_by = r->req.arrive_by, .riders = r->req.passengers,
		.cargo_l = r->req.parcels_l, .parcel = r->req.passengers == 0, .wheelchair = r->req.wheelchair,
	};
	int32_t secs;
	rides_local_split(r->when, &a.day, &secs);
	if (demand_book(rides_fleet_on_duty(d), &a, (double)now / 1000.0, &h->place, why, len) != 0)
		return false;
	rides_planned(d, h);
	r->service = RIDE_ON_VEHICLE;
	strlcpy_jt(r->vehicle, h->place.vehicle, sizeof r->vehicle);
	strlcpy_jt(r->shift, h->place.shift, sizeof r->shift);
	r->day = h->place.day;
	strlcpy_jt(r->pickup_stop, r->req.from.kind == RIDE_AT_STOP ? r->req.from.code : "", sizeof r->pickup_stop);
	strlcpy_jt(r->dropoff_stop, r->req.to.kind == RIDE_AT_STOP ? r->req.to.code : "", sizeof r->dropoff_stop);
	r->pickup_from = (jt_ms)llround(h->place.pick_from * 1000);
	r->pickup_to = (jt_ms)llround(h->place.pick_to * 1000);
	r->pickup_at = (jt_ms)llround(h->place.pick_at * 1000);
	r->dropoff_at = (jt_ms)llround(h->place.drop_at * 1000);
	r->dropoff_by = (jt_ms)llround(h->place.drop_by * 1000);
	r->walk_m = 0;
	return true;
}

void rides_book(struct jtd *d, struct evhttp_request *req, const char *who, int client_id)
{
	struct rides *rs = rides_state(d);
	double t0 = mono_precise_ms();
	rs->stats.requests++;
	char err[256];
	char ct[64];
	struct json_object *in;
	if (strcmp(http_content_type(req, ct, sizeof ct), "application/x-protobuf") == 0) {
		size_t len;
		const char *body = http_body(req, &len);
		if (!(in = ridewire_request_json((const uint8_t *)body, len, err, sizeof err))) {
			http_reply_error(req, 400, "malformed", "%s", err);
			return;
		}
	} else if (!(in = http_json_object(req, BODY_MAX))) {
		return;
	}
	struct ride_request q;
	int rc = ride_parse_request(in, &q, err, sizeof err);
	json_object_put(in);
	if (rc != 0) {
		http_reply_error(req, 400, "bad_request", "%s", err);
		return;
	}
	if (q.client_ref[0]) {
		char ref[RIDE_REF_MAX + 16];
		rides_ref_key(client_id, q.client_ref, ref, sizeof ref);
		struct held *seen = strmap_get(rs->by_ref, ref);
		if (seen && !seen->busy && strcmp(seen->r.req.rider, q.rider) == 0) {
			rides_reply(req, 200, &seen->r, NULL);
			return;
		}
	}
	if (!locate(d, req, &q.from, "from") || !locate(d, req, &q.to, "to"))
		return;
	jt_ms now = now_ms(), when = now;
	if (q.has_time && request_time(q.time_text, &when) != 0) {
		http_reply_error(req, 400, "bad_request", "the time '%s' cannot be read", q.time_text);
		return;
	}
	if (when < now - 10 * 60 * 1000 && !q.arrive_by) {
		http_reply_error(req, 400, "in_the_past", "%s is in the past", q.time_text);
		return;
	}
	if (when > now + d->cfg.booking_days_max * 86400000LL) {
		http_reply_error(req, 400, "too_far_ahead", "rides are booked at most %ld days ahead",
				 d->cfg.booking_days_max);
		return;
	}

	struct held *h = xcalloc(1, sizeof *h);
	struct ride *r = &h->r;
	r->req = q;
	r->client_id = client_id;
	r->state = RIDE_REQUESTED;
	r->when = when;
	r->created_at = r->updated_at = now;
	const char *pupil_line = roster_line_of(d, q.rider);

	const struct seats_net *net = rides_network(d);
	struct seats_query sq = {
		.olat = q.from.lat, .olon = q.from.lon, .dlat = q.to.lat, .dlon = q.to.lon,
		.when = q.arrive_by ? SEATS_ARRIVE_BY : SEATS_LEAVE_AFTER,
		.riders = q.passengers,
		.pupil = pupil_line != NULL,
		.pupil_line = pupil_line,
		.walk_max_m = (double)d->cfg.walk_max_m,
		.walk_speed_mps = WALK_SPEED_MPS,
		.horizon_s = (int32_t)(d->cfg.booking_window_min * 60),
	};
	rides_local_split(when, &sq.day, &sq.time);
	struct seats_offer best;
	size_t found = 0;
	if (q.passengers > 0 && !q.wheelchair)
		found = seats_find(net, rs->loads, &sq, &best, 1);
	struct json_object *alts = NULL;
	const char *moves[4] = { 0 };
	size_t nm = 0;
	char why[200] = "";
	bool placed = false;
	if (found) {
		take_offer(net, &best, r);
		r->pupil = pupil_line && strcmp(pupil_line, r->line) == 0;
		rides_hold(d, h, true);
	} else {
		placed = dispatch(d, h, now, why, sizeof why);
	}
	if (found || placed) {
		r->offer_expires = now + d->cfg.offer_hold_s * 1000;
		if (ride_move(r, RIDE_OFFERED, now) != 0)
			fatal("a requested ride cannot be offered");
		moves[nm++] = "offered";
		if (q.confirm) {
			if (ride_move(r, RIDE_CONFIRMED, now) != 0)
				fatal("an offered ride cannot be confirmed");
			moves[nm++] = "confirmed";
		}
		rs->stats.offered++;
		rs->stats.confirmed += q.confirm;
	} else {
		if (ride_move(r, RIDE_REFUSED, now) != 0)
			fatal("a requested ride cannot be refused");
		moves[nm++] = "refused";
		if (q.wheelchair)
			snprintf(r->reason, sizeof r->reason, "timetabled trips are not known to be step-free; %s",
				 why[0] ? why : "no step-free vehicle is on booking duty");
		else
			snprintf(r->reason, sizeof r->reason, "%s%s%s",
				 q.passengers == 0 ? "" : "no trip within walking distance has a free seat at that time; ",
				 why[0] ? "" : "no vehicle is on booking duty", why);
		if (q.passengers > 0 && !q.wheelchair)
			alts = alternatives(d, net, sq);
		rs->stats.refused++;
	}
	histogram_observe(&rs->stats.decide, mono_precise_ms() - t0);
	h->busy = true;
	struct booking *b = xcalloc(1, sizeof *b);
	b->d = d;
	b->req = req;
	b->h = h;
	b->alternatives = alts;
	strlcpy_jt(b->who, who, sizeof b->who);
	save_new(b, moves);
}
