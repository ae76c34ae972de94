/*
 * rides.c — the booking service; see rides.h.
 *
 * Open rides live in memory, keyed by id and by the front end's client_ref,
 * and hold their seats in a seats_loads. The timetable snapshot the search
 * runs on (seats_net) is rebuilt whenever the trips, stops, lines or
 * calendars it was built from have changed. A ride is changed in memory
 * only after PostgreSQL has committed the change; while a change is in
 * flight the ride is busy and other changes to it are refused with 409.
 */
#include "rides.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caledit.h"
#include "demand.h"
#include "devices.h"
#include "fleet.h"
#include "catalog.h"
#include "geo.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "ride.h"
#include "ridewire.h"
#include "roster.h"
#include "seats.h"
#include "shifts.h"
#include "store.h"
#include "strmap.h"
#include "timeparse.h"
#include "token.h"
#include "tripedit.h"
#include "util.h"

#define BODY_MAX 16384
#define ALTERNATIVES 3
#define ALTERNATIVE_DAYS 7
#define WALK_SPEED_MPS 1.0   /* an unhurried, often elderly, rider */
#define PICKUP_LATE_S 300    /* the bus may leave the stop this late and still be on time */
#define IMPROVE_EVERY_S 30   /* seconds of the county's time between improvements of the booked vehicles' plans */
#define IMPROVE_MOVES 300
#define DEMAND_WINDING 1.35     /* road length over straight line, in the county's hills */
#define CALIBRATION_DAYS 28
#define CALIBRATION_SAMPLES 20  /* observed stretches between stops needed to calibrate */
#define JT_STR_(x) #x
#define JT_STR(x) JT_STR_(x)

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

/* A monotonic clock in milliseconds with microseconds, for decision times. */
static double mono_precise_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct rides *R(struct jtd *d)
{
	return d->rides;
}

static double midnight(void *ctx, jt_day day);

/* The demand-responsive fleet's settings, as configured. */
static struct demand_opts demand_options(struct jtd *d)
{
	struct demand_opts o = { .speed_kmh = d->cfg.demand_speed_kmh, .winding = DEMAND_WINDING,
				 .window_s = (double)d->cfg.demand_window_min * 60, .service_s = 60,
				 .midnight = midnight, .midnight_ctx = NULL };
	plan_settings_default(&o.plan);
	return o;
}

void rides_init(struct jtd *d)
{
	struct rides *rs = xcalloc(1, sizeof *rs);
	rs->loads = seats_loads_new();
	rs->open = strmap_new();
	rs->by_ref = strmap_new();
	rs->trip_seats = strmap_new();
	rs->by_plan = strmap_new();
	struct demand_opts o = demand_options(d);
	rs->dm = demand_new(&o);
	d->rides = rs;
}

void rides_free(struct jtd *d)
{
	struct rides *rs = R(d);
	if (!rs)
		return;
	seats_net_free(rs->net);
	seats_loads_free(rs->loads);
	strmap_free_all(rs->open, free);
	strmap_free(rs->by_ref);
	strmap_free(rs->trip_seats);
	strmap_free(rs->by_plan);
	demand_free(rs->dm);
	free(rs);
	d->rides = NULL;
}

const struct rides_stats *rides_stats(struct jtd *d)
{
	R(d)->stats.open = strmap_count(R(d)->open);
	return &R(d)->stats;
}

/* --- local time -------------------------------------------------------- */

/* The county's service day and seconds of that day at instant t. */
static void local_split(jt_ms t, jt_day *day, int32_t *secs)
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	localtime_r(&s, &tm);
	*day = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*secs = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

/* The instant `secs` after local midnight of `day` (secs may pass 24:00). */
static jt_ms local_instant(jt_day day, int32_t secs)
{
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_hour = 12,
			 .tm_isdst = -1 };
	time_t noon = mktime(&tm);
	return ((jt_ms)noon - 12 * 3600 + secs) * 1000;
}

static double midnight(void *ctx, jt_day day)
{
	(void)ctx;
	return (double)local_instant(day, 0) / 1000.0;
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

/* --- the timetable snapshot ---------------------------------------------- */

static struct strmap *collection(struct jtd *d, const char *name)
{
	return d->catalog[catalog_find(name) - catalog_collections];
}

static uint64_t network_stamp(struct jtd *d)
{
	return strmap_changes(d->trips) * 7 + strmap_changes(d->calendars) * 5 +
	       strmap_changes(collection(d, "stops")) * 3 + strmap_changes(collection(d, "lines")) +
	       roster_changes(d) * 11 + strmap_changes(R(d)->trip_seats) * 13 + 1;
}

static const char *str(struct json_object *rec, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(rec, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : "";
}

/* The snapshot, rebuilt when the network it was built from has changed. */
static const struct seats_net *network(struct jtd *d)
{
	struct rides *rs = R(d);
	uint64_t stamp = network_stamp(d);
	if (rs->net && rs->net_stamp == stamp)
		return rs->net;
	int64_t t0 = mono_ms();
	seats_net_free(rs->net);
	struct seats_net *net = seats_net_new();
	struct strmap *stops = collection(d, "stops"), *lines = collection(d, "lines");
	size_t pos = 0;
	const char *code;
	void *v;
	while (strmap_next(stops, &pos, &code, &v))
		seats_net_add_stop(net, code, catalog_num(v, "lat"), catalog_num(v, "lon"));
	struct tripedit_view tv;
	pos = 0;
	uint32_t *idx = NULL;
	int32_t *arr = NULL, *dep = NULL;
	size_t cap = 0, acap = 0, dcap = 0;
	while (tripedit_next(d, &pos, &tv)) {
		struct json_object *line = strmap_get(lines, tv.line);
		int kind = line ? seats_kind_parse(str(line, "kind")) : -1;
		const struct calendar *cal = caledit_get(d, tv.calendar);
		if (kind < 0 || !cal || tv.n < 2)
			continue;
		idx = xgrow(idx, &cap, tv.n, sizeof *idx);
		arr = xgrow(arr, &acap, tv.n, sizeof *arr);
		dep = xgrow(dep, &dcap, tv.n, sizeof *dep);
		/* Seats are offered on trips with fixed times at stops; on-demand windows and zones are not seats. */
		bool ok = true;
		for (size_t k = 0; k < tv.n && ok; k++) {
			long s = seats_net_find_stop(net, str(json_object_array_get_idx(tv.stops, k), "stop"));
			ok = s >= 0 && !tv.st[k].window;
			idx[k] = (uint32_t)s;
			arr[k] = tv.st[k].arr;
			dep[k] = tv.st[k].dep;
		}
		if (!ok)
			continue;
		uintptr_t seats = (uintptr_t)strmap_get(rs->trip_seats, tv.code);
		struct seats_trip t = {
			.kind = kind,
			.cal = cal,
			.seats = seats ? (int)seats : (int)d->cfg.trip_seats,
			.roster = roster_size(d, tv.line),
			.n = tv.n,
			.stop = idx,
			.arr = arr,
			.dep = dep,
		};
		strlcpy_jt(t.code, tv.code, sizeof t.code);
		strlcpy_jt(t.line, tv.line, sizeof t.line);
		seats_net_add_trip(net, &t);
	}
	free(idx);
	free(arr);
	free(dep);
	seats_net_index(net);
	rs->net = net;
	rs->net_stamp = stamp;
	log_info("rides.network", "stops=%zu trips=%zu ms=%lld", seats_net_stops(net), seats_net_trips(net),
		 (long long)(mono_ms() - t0));
	return net;
}

/* The demand-responsive fleet, told of the shifts whenever they or what they name changed. */
static struct demand *fleet_on_duty(struct jtd *d)
{
	struct rides *rs = R(d);
	uint64_t stamp = shifts_changes(d) * 3 + strmap_changes(d->calendars) * 5 +
			 strmap_changes(collection(d, "stops")) * 7 + fleet_count(d->fleet) * 11 + 1;
	if (stamp != rs->dm_stamp) {
		struct demand_shift *s;
		size_t n = shifts_resolve(d, &s);
		demand_set_shifts(rs->dm, s, n);
		free(s);
		rs->dm_stamp = stamp;
	}
	return rs->dm;
}

static void plan_key(char *buf, size_t len, int plan_id)
{
	snprintf(buf, len, "%d", plan_id);
}

/* --- holding seats ----------------------------------------------------- */

/* Gives a vehicle ride's place in its plan back. */
static void unplan(struct jtd *d, struct held *h)
{
	char key[16];
	plan_key(key, sizeof key, h->place.plan_id);
	if (strmap_get(R(d)->by_plan, key) != h)
		return;
	strmap_del(R(d)->by_plan, key);
	if (demand_release(R(d)->dm, &h->place) != 0)
		log_warn("ride.unplan_failed", "ride=%lld shift=%s", (long long)h->r.id, h->place.shift);
}

static void planned(struct jtd *d, struct held *h)
{
	char key[16];
	plan_key(key, sizeof key, h->place.plan_id);
	strmap_put(R(d)->by_plan, key, h);
}

/* Holds (on) or gives back (off) what an open ride occupies: seats on a trip, a place in a plan. */
static void hold(struct jtd *d, struct held *h, bool on)
{
	const struct ride *r = &h->r;
	if (r->service == RIDE_ON_VEHICLE && !on)
		unplan(d, h);
	if (r->service != RIDE_ON_TRIP)
		return;
	const struct seats_net *net = network(d);
	long t = seats_net_find_trip(net, r->trip);
	/* A trip removed since keeps its riders' loads under its code, sized by the ride. */
	size_t n = t >= 0 ? seats_net_trip(net, (size_t)t)->n : (size_t)r->alight + 1;
	int riders = r->req.passengers;
	if (on)
		seats_hold(R(d)->loads, r->trip, r->day, n, (size_t)r->board, (size_t)r->alight, riders,
			   r->pupil);
	else
		seats_release(R(d)->loads, r->trip, r->day, (size_t)r->board, (size_t)r->alight, riders,
			      r->pupil);
}

/* A front end's key for a resend is its own: "client id:key". */
static void ref_key(int client_id, const char *ref, char *buf, size_t len)
{
	snprintf(buf, len, "%d:%s", client_id, ref);
}

static void keep_open(struct jtd *d, struct held *h)
{
	char id[24], ref[RIDE_REF_MAX + 16];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	strmap_put(R(d)->open, id, h);
	ref_key(h->r.client_id, h->r.req.client_ref, ref, sizeof ref);
	if (h->r.req.client_ref[0])
		strmap_put(R(d)->by_ref, ref, h);
}

static void forget(struct jtd *d, struct held *h)
{
	char id[24], ref[RIDE_REF_MAX + 16];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	strmap_del(R(d)->open, id);
	ref_key(h->r.client_id, h->r.req.client_ref, ref, sizeof ref);
	if (h->r.req.client_ref[0])
		strmap_del(R(d)->by_ref, ref);
	free(h);
}

/* --- rows -------------------------------------------------------------- */

static const char ride_columns[] =
	"id, coalesce(client_ref, ''), rider, state, ST_Y(origin), ST_X(origin), origin_kind,"
	" coalesce(origin_code, ''), ST_Y(destination), ST_X(destination), dest_kind,"
	" coalesce(dest_code, ''), arrive_by, (extract(epoch FROM asked_time) * 1000)::bigint,"
	" passengers, parcels_l, wheelchair, service, coalesce(trip_code, ''), coalesce(line_code, ''),"
	" coalesce(service_day - DATE '1970-01-01', 0), coalesce(board_seq, 0), coalesce(alight_seq, 0),"
	" coalesce(vehicle_code, ''), coalesce(pickup_stop, ''), coalesce(dropoff_stop, ''),"
	" coalesce((extract(epoch FROM pickup_from) * 1000)::bigint, 0),"
	" coalesce((extract(epoch FROM pickup_to) * 1000)::bigint, 0),"
	" coalesce((extract(epoch FROM dropoff_at) * 1000)::bigint, 0), coalesce(walk_m, 0), pupil,"
	" coalesce((extract(epoch FROM offer_expires) * 1000)::bigint, 0), reason,"
	" (extract(epoch FROM created_at) * 1000)::bigint, (extract(epoch FROM updated_at) * 1000)::bigint,"
	" coalesce(shift_code, ''), coalesce((extract(epoch FROM dropoff_by) * 1000)::bigint, 0),"
	" coalesce(client_id, 0)";

static enum ride_place_kind place_kind(const char *s)
{
	return strcmp(s, "stop") == 0 ? RIDE_AT_STOP : strcmp(s, "village") == 0 ? RIDE_AT_VILLAGE : RIDE_AT_POINT;
}

static const char *place_kind_name(enum ride_place_kind k)
{
	return k == RIDE_AT_STOP ? "stop" : k == RIDE_AT_VILLAGE ? "village" : "point";
}

static void ride_from_row(const PGresult *res, int i, struct ride *r)
{
#define V(c) PQgetvalue(res, i, (c))
#define B(c) (V(c)[0] == 't')
	memset(r, 0, sizeof *r);
	r->id = strtoll(V(0), NULL, 10);
	strlcpy_jt(r->req.client_ref, V(1), sizeof r->req.client_ref);
	strlcpy_jt(r->req.rider, V(2), sizeof r->req.rider);
	int st = ride_state_parse(V(3));
	r->state = st < 0 ? RIDE_REFUSED : (enum ride_state)st;
	r->req.from = (struct ride_place){ .kind = place_kind(V(6)), .lat = strtod(V(4), NULL),
					   .lon = strtod(V(5), NULL) };
	strlcpy_jt(r->req.from.code, V(7), sizeof r->req.from.code);
	r->req.to = (struct ride_place){ .kind = place_kind(V(10)), .lat = strtod(V(8), NULL),
					 .lon = strtod(V(9), NULL) };
	strlcpy_jt(r->req.to.code, V(11), sizeof r->req.to.code);
	r->req.arrive_by = B(12);
	r->req.has_time = true;
	r->when = strtoll(V(13), NULL, 10);
	r->req.passengers = atoi(V(14));
	r->req.parcels_l = atoi(V(15));
	r->req.wheelchair = B(16);
	r->service = strcmp(V(17), "trip") == 0 ? RIDE_ON_TRIP : strcmp(V(17), "vehicle") == 0 ? RIDE_ON_VEHICLE
											   : RIDE_NOTHING;
	strlcpy_jt(r->trip, V(18), sizeof r->trip);
	strlcpy_jt(r->line, V(19), sizeof r->line);
	r->day = atoi(V(20));
	r->board = atoi(V(21));
	r->alight = atoi(V(22));
	strlcpy_jt(r->vehicle, V(23), sizeof r->vehicle);
	strlcpy_jt(r->pickup_stop, V(24), sizeof r->pickup_stop);
	strlcpy_jt(r->dropoff_stop, V(25), sizeof r->dropoff_stop);
	r->pickup_from = strtoll(V(26), NULL, 10);
	r->pickup_to = strtoll(V(27), NULL, 10);
	r->dropoff_at = strtoll(V(28), NULL, 10);
	r->walk_m = strtod(V(29), NULL);
	r->pupil = B(30);
	r->offer_expires = strtoll(V(31), NULL, 10);
	strlcpy_jt(r->reason, V(32), sizeof r->reason);
	r->created_at = strtoll(V(33), NULL, 10);
	r->updated_at = strtoll(V(34), NULL, 10);
	strlcpy_jt(r->shift, V(35), sizeof r->shift);
	r->dropoff_by = strtoll(V(36), NULL, 10);
	r->client_id = atoi(V(37));
#undef V
#undef B
}

/* A ride on a booked vehicle back in its shift's plan after a restart, with the promise it was given. */
static void replan(struct jtd *d, struct held *h)
{
	struct ride *r = &h->r;
	struct demand_ask a = {
		.olat = r->req.from.lat, .olon = r->req.from.lon, .dlat = r->req.to.lat, .dlon = r->req.to.lon,
		.riders = r->req.passengers, .cargo_l = r->req.parcels_l, .parcel = r->req.passengers == 0,
		.wheelchair = r->req.wheelchair, .day = r->day,
	};
	struct demand_place *p = &h->place;
	memset(p, 0, sizeof *p);
	strlcpy_jt(p->shift, r->shift, sizeof p->shift);
	p->day = r->day;
	p->pick_from = (double)r->pickup_from / 1000.0;
	p->pick_to = (double)r->pickup_to / 1000.0;
	p->drop_by = (double)r->dropoff_by / 1000.0;
	if (demand_restore(fleet_on_duty(d), &a, p) != 0) {
		log_warn("ride.plan_lost", "ride=%lld shift=%s: the shift's plan cannot hold it any more; "
			 "call the rider", (long long)r->id, r->shift);
		p->plan_id = -1;
		return;
	}
	planned(d, h);
	r->pickup_at = (jt_ms)llround(p->pick_at * 1000);
	r->dropoff_at = (jt_ms)llround(p->drop_at * 1000);
}

/*
 * The booked vehicles' driving times, calibrated by the fleet's observed
 * running times between stops: the median time per metre of straight line
 * over the last CALIBRATION_DAYS of stop events, turned into the speed the
 * plans assume (their road length is the straight line times the winding
 * factor). Read once at start, so the plans of a day never change their
 * clock under the promises already made.
 */
static void calibrate(struct jtd *d, PGconn *c)
{
	char now[32];
	snprintf(now, sizeof now, "%.3f", (double)now_ms() / 1000.0);
	const char *params[1] = { now };
	PGresult *r = PQexecParams(c,
			     "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY secs / metres) FROM ("
			     " SELECT extract(epoch FROM b.actual - a.actual) AS secs,"
			     "  ST_Distance(sa.location::geography, sb.location::geography) AS metres"
			     " FROM stop_event a"
			     " JOIN stop_event b ON b.trip_run_id = a.trip_run_id AND b.stop_seq = a.stop_seq + 1"
			     "  AND b.kind IN ('arrival', 'passed') AND NOT b.estimated"
			     " JOIN stop sa ON sa.code = a.stop_code JOIN stop sb ON sb.code = b.stop_code"
			     " WHERE a.kind IN ('departure', 'passed') AND NOT a.estimated"
			     "  AND a.actual > to_timestamp($1::float8) - interval '" JT_STR(CALIBRATION_DAYS) " days') x"
			     " WHERE metres >= 300 AND secs > 0",
			     1, NULL, params, NULL, NULL, 0);
	long n = PQresultStatus(r) == PGRES_TUPLES_OK ? atol(PQgetvalue(r, 0, 0)) : 0;
	double s_per_m = n ? strtod(PQgetvalue(r, 0, 1), NULL) : 0;
	PQclear(r);
	double configured = d->cfg.demand_speed_kmh;
	if (n < CALIBRATION_SAMPLES || !(s_per_m > 0)) {
		log_info("rides.travel_model", "speed_kmh=%.1f winding=%.2f calibrated=no samples=%ld", configured,
			 DEMAND_WINDING, n);
		return;
	}
	double kmh = DEMAND_WINDING / s_per_m * 3.6;
	kmh = kmh < 5 ? 5 : kmh > 120 ? 120 : kmh;
	struct demand_opts o = demand_options(d);
	o.speed_kmh = kmh;
	demand_free(R(d)->dm);
	R(d)->dm = demand_new(&o);
	R(d)->dm_stamp = 0;
	log_info("rides.travel_model", "speed_kmh=%.1f winding=%.2f calibrated=yes samples=%ld configured_kmh=%.1f", kmh,
		 DEMAND_WINDING, n, configured);
}

int rides_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	struct rides *rs = R(d);
	calibrate(d, c);
	char *sql = xasprintf("SELECT %s FROM ride WHERE state IN ('offered', 'confirmed', 'onboard')"
			      " ORDER BY id", ride_columns);
	PGresult *r = PQexec(c, sql);
	free(sql);
	PGresult *ts = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		ts = PQexec(c, "SELECT code, seats FROM trip WHERE seats IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQresultStatus(ts) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading rides: %s",
			 PQresultErrorMessage(PQresultStatus(r) != PGRES_TUPLES_OK ? r : ts));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		PQclear(ts);
		return -1;
	}
	for (int i = 0; i < PQntuples(ts); i++)
		strmap_put(rs->trip_seats, PQgetvalue(ts, i, 0), (void *)(uintptr_t)atoi(PQgetvalue(ts, i, 1)));
	for (int i = 0; i < PQntuples(r); i++) {
		struct held *h = xcalloc(1, sizeof *h);
		ride_from_row(r, i, &h->r);
		keep_open(d, h);
		if (h->r.service == RIDE_ON_VEHICLE)
			replan(d, h);
		else
			hold(d, h, true);
	}
	log_info("boot.loaded", "collection=rides open=%d", PQntuples(r));
	PQclear(r);
	PQclear(ts);
	return 0;
}

/* --- booking ----------------------------------------------------------- */

/* Fills in where a stop or village is; false (and a 400 sent) when unknown. */
static bool locate(struct jtd *d, struct evhttp_request *req, struct ride_place *p, const char *which)
{
	if (p->kind == RIDE_AT_POINT)
		return true;
	struct json_object *rec =
		strmap_get(collection(d, p->kind == RIDE_AT_STOP ? "stops" : "villages"), p->code);
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
	r->pickup_from = local_instant(o->day, o->board_time);
	r->pickup_to = r->pickup_from + PICKUP_LATE_S * 1000;
	r->dropoff_at = local_instant(o->day, o->alight_time);
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
		size_t n = seats_find(net, R(d)->loads, &q, o, JT_ARRAY_LEN(o));
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

static void looked_up(void *arg, const PGresult *res);

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

/* Does the front end speak protobuf: did it send it, or ask for it? */
static bool wants_protobuf(struct evhttp_request *req)
{
	char ct[64];
	http_content_type(req, ct, sizeof ct);
	const char *accept = evhttp_find_header(evhttp_request_get_input_headers(req), "Accept");
	return strcmp(ct, "application/x-protobuf") == 0 || (accept && strstr(accept, "application/x-protobuf"));
}

static void reply_ride(struct evhttp_request *req, int status, const struct ride *r, struct json_object *alts)
{
	struct json_object *o = ride_json(r);
	if (alts)
		json_object_object_add(o, "alternatives", json_object_get(alts));
	if (wants_protobuf(req)) {
		size_t len;
		uint8_t *buf = ridewire_ride_pack(o, &len);
		http_reply_body(req, status, "application/x-protobuf", buf, len);
		free(buf);
		json_object_put(o);
		return;
	}
	http_reply_json(req, status, o);
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
		reply_ride(b->req, 201, &h->r, b->alternatives);
		notify_wake(d);
		if (open) {
			h->busy = false;
			/* the seats were held when offered; now the ride is known by its id */
			keep_open(d, h);
		} else {
			free(h);
		}
		booking_free(b);
		return;
	}
	if (open)
		hold(d, h, false);
	R(d)->stats.failed++;
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!res)
		http_reply_unavailable(d, b->req, "the database is unreachable; nothing was booked");
	else if (st && strcmp(st, "23505") == 0) {
		/* A resend of a booking already stored: answer with that booking. */
		char *sql = xasprintf("SELECT %s FROM ride WHERE client_ref = $1 AND rider = $2"
				      " AND coalesce(client_id, 0) = $3::int", ride_columns);
		char client[16];
		snprintf(client, sizeof client, "%d", h->r.client_id);
		const char *params[] = { h->r.req.client_ref, h->r.req.rider, client };
		store_query(d->store, sql, 3, params, looked_up, b->req);
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
		olat, olon, place_kind_name(r->req.from.kind), r->req.from.code[0] ? r->req.from.code : NULL,
		dlat, dlon, place_kind_name(r->req.to.kind), r->req.to.code[0] ? r->req.to.code : NULL,
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
	local_split(r->when, &a.day, &secs);
	if (demand_book(fleet_on_duty(d), &a, (double)now / 1000.0, &h->place, why, len) != 0)
		return false;
	planned(d, h);
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

static void rides_book(struct jtd *d, struct evhttp_request *req, const char *who, int client_id)
{
	struct rides *rs = R(d);
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
		ref_key(client_id, q.client_ref, ref, sizeof ref);
		struct held *seen = strmap_get(rs->by_ref, ref);
		if (seen && !seen->busy && strcmp(seen->r.req.rider, q.rider) == 0) {
			reply_ride(req, 200, &seen->r, NULL);
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

	const struct seats_net *net = network(d);
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
	local_split(when, &sq.day, &sq.time);
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
		hold(d, h, true);
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
		rc = demand_served(R(d)->dm, &h->place, true, now);
		break;
	case RIDE_COMPLETED:
		rc = demand_served(R(d)->dm, &h->place, false, now);
		break;
	case RIDE_NO_SHOW:
		rc = demand_no_show(R(d)->dm, &h->place);
		break;
	default:
		return;
	}
	if (rc != 0)
		log_info("ride.out_of_plan_order", "ride=%lld shift=%s state=%s: the plan keeps its order",
			 (long long)h->r.id, h->place.shift, ride_state_name(to));
	if (to != RIDE_ONBOARD) {
		char key[16];
		plan_key(key, sizeof key, h->place.plan_id);
		strmap_del(R(d)->by_plan, key); /* nothing left to give back */
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
		case RIDE_CONFIRMED: R(d)->stats.confirmed++; break;
		case RIDE_CANCELLED: R(d)->stats.cancelled++; break;
		case RIDE_EXPIRED: R(d)->stats.expired++; break;
		default: break;
		}
		if (ch->req)
			reply_ride(ch->req, 200, &h->r, NULL);
		served(d, h, ch->to);
		notify_wake(d);
		if (!ride_state_open(h->r.state)) {
			hold(d, h, false);
			forget(d, h);
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

static void change(struct jtd *d, struct evhttp_request *req, struct held *h, enum ride_state to,
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

/* The planned times of a ride on a booked vehicle, as its plan has them now. */
static void refresh(struct jtd *d, struct held *h)
{
	if (h->r.service != RIDE_ON_VEHICLE || h->place.plan_id < 0)
		return;
	const struct plan_vehicle *v = demand_plan(R(d)->dm, h->place.shift, h->place.day);
	int pi = v ? plan_find(v, h->place.plan_id, PLAN_PICKUP) : -1;
	int di = v ? plan_find(v, h->place.plan_id, PLAN_DROPOFF) : -1;
	if (pi >= 0)
		h->r.pickup_at = (jt_ms)llround(v->stops[pi].begin * 1000);
	if (di >= 0)
		h->r.dropoff_at = (jt_ms)llround(v->stops[di].begin * 1000);
}

/* After an improvement moved a ride to another vehicle: record it. */
static void moved(void *ctx, int plan_id, const char *shift, const char *vehicle)
{
	struct jtd *d = ctx;
	char key[16];
	plan_key(key, sizeof key, plan_id);
	struct held *h = strmap_get(R(d)->by_plan, key);
	if (!h)
		return;
	strlcpy_jt(h->place.shift, shift, sizeof h->place.shift);
	strlcpy_jt(h->place.vehicle, vehicle, sizeof h->place.vehicle);
	strlcpy_jt(h->r.shift, shift, sizeof h->r.shift);
	strlcpy_jt(h->r.vehicle, vehicle, sizeof h->r.vehicle);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	const char *params[] = { id, shift, vehicle };
	log_info("ride.moved", "ride=%lld shift=%s vehicle=%s", (long long)h->r.id, shift, vehicle);
	store_query(d->store, "UPDATE ride SET shift_code = $2, vehicle_code = $3 WHERE id = $1::bigint", 3, params,
		    move_saved, (void *)(intptr_t)h->r.id);
}

void rides_tick(struct jtd *d)
{
	struct rides *rs = R(d);
	jt_ms now = now_ms();
	size_t pos = 0;
	const char *key;
	void *v;
	/* Changes complete later, so collecting first keeps the iteration valid. */
	struct held **due = NULL;
	size_t n = 0, cap = 0;
	while (strmap_next(rs->open, &pos, &key, &v)) {
		struct held *h = v;
		if (!h->busy && h->r.state == RIDE_OFFERED && h->r.offer_expires <= now) {
			due = xgrow(due, &cap, n + 1, sizeof *due);
			due[n++] = h;
		}
	}
	for (size_t i = 0; i < n; i++)
		change(d, NULL, due[i], RIDE_EXPIRED, "jintongd", "the offer was not confirmed in time");
	free(due);
	static jt_day swept;
	static uint64_t ticks;
	jt_day today = today_local();
	if (swept != today) {
		seats_loads_forget_before(rs->loads, today - 2);
		demand_forget_before(rs->dm, today - 1);
		swept = today;
	}
	/* In the background, better plans for today and tomorrow: riders not yet picked up
	 * may change vehicle or order, never their promise. */
	/* Every IMPROVE_EVERY_S of the county's time (at most once a tick on a fast simulated clock). */
	static jt_ms improved;
	++ticks;
	if (!improved)
		improved = now;
	if (now - improved >= IMPROVE_EVERY_S * 1000 || now < improved) {
		improved = now;
		for (jt_day day = today; day <= today + 1; day++)
			demand_improve(fleet_on_duty(d), day, IMPROVE_MOVES, ticks, moved, d);
	}
}

/* --- reading rides ------------------------------------------------------- */

static void looked_up(void *arg, const PGresult *res)
{
	struct evhttp_request *req = arg;
	if (!res) {
		http_reply_error(req, 503, "unavailable", "the database is unreachable");
		return;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		http_reply_error(req, 500, "database_error", "the ride could not be read");
		return;
	}
	if (PQntuples(res) == 0) {
		http_reply_error(req, 404, "not_found", "no such ride (for this rider)");
		return;
	}
	struct ride r;
	ride_from_row(res, 0, &r);
	reply_ride(req, 200, &r, NULL);
}

/* A ride's id that is not open: whether it is the client's own decides between 409 and 404. */
struct closed_ask {
	struct evhttp_request *req;
	char id[24];
};

static void closed_checked(void *arg, const PGresult *res)
{
	struct closed_ask *a = arg;
	if (!res)
		http_reply_error(a->req, 503, "unavailable", "the database is unreachable");
	else if (PQresultStatus(res) != PGRES_TUPLES_OK)
		http_reply_error(a->req, 500, "database_error", "the ride could not be read");
	else if (PQntuples(res) == 0)
		http_reply_error(a->req, 404, "not_found", "no such ride");
	else
		http_reply_error(a->req, 409, "not_open",
				 "ride %s is not open (it was already completed, cancelled, refused or expired); "
				 "GET it to see its state", a->id);
	free(a);
}

/* Only a booking client's own rides are shown to it (client 0: every ride, to operators). */
static void list_open(struct jtd *d, struct evhttp_request *req, int client_id)
{
	struct evkeyvalq qs;
	const char *rider = NULL;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	bool parsed = query && evhttp_parse_query_str(query, &qs) == 0;
	if (parsed)
		rider = evhttp_find_header(&qs, "rider");
	struct json_object *list = json_object_new_array();
	size_t pos = 0;
	const char *key;
	void *v;
	while (strmap_next(R(d)->open, &pos, &key, &v)) {
		struct held *h = v;
		if (client_id && h->r.client_id != client_id)
			continue;
		if (!rider || strcmp(rider, h->r.req.rider) == 0) {
			refresh(d, h);
			json_object_array_add(list, ride_json(&h->r));
		}
	}
	if (parsed)
		evhttp_clear_headers(&qs);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "rides", list);
	http_reply_json(req, 200, o);
}

/* Reports from the vehicle: the rider boarded, was not there, or alighted. */
static const struct {
	const char *action;
	enum ride_state to;
	bool from_vehicle;
} actions[] = {
	{ "confirm", RIDE_CONFIRMED, false }, { "cancel", RIDE_CANCELLED, false },
	{ "board", RIDE_ONBOARD, true },      { "no_show", RIDE_NO_SHOW, true },
	{ "dropoff", RIDE_COMPLETED, true },
};

/*
 * Who may report on ride h: an operator, or a tablet of the vehicle that
 * carries it (any tablet for a seat on a timetabled trip, whose bus is
 * not bound to a vehicle). NULL when neither; a reply has been sent.
 */
static const char *reporter(struct jtd *d, struct evhttp_request *req, const struct held *h, char *buf, size_t len)
{
	size_t tlen = 0;
	const char *tok = token_from_bearer(evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"),
					    &tlen);
	const struct device *dev = tok ? devices_by_token(d->devices, tok, tlen) : NULL;
	if (!dev)
		return http_operator(d, req);
	const struct vehicle *v = h->r.service == RIDE_ON_VEHICLE ? fleet_by_code(d->fleet, h->r.vehicle) : NULL;
	if (h->r.service == RIDE_ON_VEHICLE && (!v || v->id != dev->vehicle_id)) {
		http_reply_error(req, 403, "forbidden", "this tablet is not in the vehicle that carries the ride");
		return NULL;
	}
	snprintf(buf, len, "device:%s", dev->ext_id);
	return buf;
}

void rides_handle(struct jtd *d, struct evhttp_request *req, const char *rest)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const char *slash = *rest ? strchr(rest + 1, '/') : NULL;
	bool report = false;
	for (size_t i = 0; slash && i < JT_ARRAY_LEN(actions); i++)
		report |= actions[i].from_vehicle && strcmp(slash + 1, actions[i].action) == 0;
	/* The route table let in operators, booking clients and (for reports) tablets. */
	int client = d->cred.kind == ACCESS_CLIENT ? d->cred.id : 0;
	char who_buf[JT_DEVICE_ID_MAX + 80];
	const char *who = "";
	if (client) {
		snprintf(who_buf, sizeof who_buf, "client:%s", d->cred.name);
		who = who_buf;
	} else if (!report && !(who = http_operator(d, req))) {
		return;
	}
	if (d->stopping && m != EVHTTP_REQ_GET) {
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	if (!*rest || strcmp(rest, "/") == 0) {
		if (m == EVHTTP_REQ_POST)
			rides_book(d, req, who, client);
		else if (m == EVHTTP_REQ_GET)
			list_open(d, req, client);
		else
			http_reply_error(req, 405, "method_not_allowed", "/v1/rides takes GET or POST");
		return;
	}
	char id[24];
	const char *p = rest + 1;
	size_t len = strspn(p, "0123456789");
	if (len == 0 || len > 18 || (p[len] && p[len] != '/')) {
		http_reply_error(req, 404, "not_found", "no such ride");
		return;
	}
	snprintf(id, sizeof id, "%.*s", (int)len, p);
	const char *action = p[len] ? p + len + 1 : NULL;
	struct held *h = strmap_get(R(d)->open, id);
	/* Another client's ride is not there at all: its existence is not told. */
	if (h && client && h->r.client_id != client)
		h = NULL;
	char client_text[16];
	snprintf(client_text, sizeof client_text, "%d", client);
	if (!action) {
		if (m != EVHTTP_REQ_GET) {
			http_reply_error(req, 405, "method_not_allowed", "a ride is read with GET");
		} else if (h) {
			refresh(d, h);
			reply_ride(req, 200, &h->r, NULL);
		} else {
			char *sql = xasprintf("SELECT %s FROM ride WHERE id = $1::bigint%s", ride_columns,
					      client ? " AND client_id = $2::int" : "");
			const char *params[] = { id, client_text };
			store_query(d->store, sql, client ? 2 : 1, params, looked_up, req);
			free(sql);
		}
		return;
	}
	enum ride_state to = RIDE_STATE_COUNT;
	for (size_t i = 0; i < JT_ARRAY_LEN(actions); i++)
		if (strcmp(action, actions[i].action) == 0)
			to = actions[i].to;
	if (to == RIDE_STATE_COUNT) {
		http_reply_error(req, 404, "not_found", "rides take confirm, cancel, board, no_show or dropoff");
		return;
	}
	if (m != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "%s is a POST", action);
		return;
	}
	char name[JT_DEVICE_ID_MAX + 16];
	if (report && h && !(who = reporter(d, req, h, name, sizeof name)))
		return;
	if (report && !h && !(who = http_operator(d, req)))
		return;
	if (!h && client) {
		struct closed_ask *a = xcalloc(1, sizeof *a);
		a->req = req;
		strlcpy_jt(a->id, id, sizeof a->id);
		const char *params[] = { id, client_text };
		store_query(d->store, "SELECT 1 FROM ride WHERE id = $1::bigint AND client_id = $2::int", 2,
			    params, closed_checked, a);
		return;
	}
	if (!h) {
		http_reply_error(req, 409, "not_open",
				 "ride %s is not open (it never was, or it was already completed, cancelled, refused "
				 "or expired); GET it to see its state", id);
		return;
	}
	if (h->busy) {
		http_reply_error(req, 409, "busy", "ride %s is being changed; try again", id);
		return;
	}
	if (h->r.state == to) {
		reply_ride(req, 200, &h->r, NULL); /* a resent confirm or cancel */
		return;
	}
	if (!ride_can_move(h->r.state, to)) {
		http_reply_error(req, 409, "not_allowed", "a ride that is %s cannot be %s",
				 ride_state_name(h->r.state), ride_state_name(to));
		return;
	}
	jt_ms wait_until = h->r.pickup_from + d->cfg.no_show_wait_s * 1000;
	if (to == RIDE_NO_SHOW && now_ms() < wait_until) {
		char at[TS_FORMAT_LEN];
		ts_format(wait_until, at, sizeof at);
		http_reply_error(req, 409, "too_early", "wait for the rider until %s before reporting a no-show", at);
		return;
	}
	change(d, req, h, to, who,
	       to == RIDE_CANCELLED ? "cancelled by the rider" : to == RIDE_NO_SHOW ? "the rider was not there" : NULL);
}

size_t rides_on_shift(struct jtd *d, const char *shift)
{
	size_t n = 0, pos = 0;
	const char *key;
	void *v;
	while (strmap_next(R(d)->open, &pos, &key, &v)) {
		const struct held *h = v;
		n += h->r.service == RIDE_ON_VEHICLE && strcmp(h->r.shift, shift) == 0;
	}
	return n;
}

struct demand *rides_demand(struct jtd *d)
{
	return fleet_on_duty(d);
}

const struct ride *rides_by_plan(struct jtd *d, int plan_id)
{
	char key[16];
	plan_key(key, sizeof key, plan_id);
	const struct held *h = strmap_get(R(d)->by_plan, key);
	return h ? &h->r : NULL;
}

bool rides_next_open(struct jtd *d, size_t *pos, const struct ride **r)
{
	const char *key;
	void *v;
	if (!strmap_next(R(d)->open, pos, &key, &v))
		return false;
	*r = &((const struct held *)v)->r;
	return true;
}
