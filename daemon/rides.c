/*
 * rides.c — the open rides of the booking service (rides.h, ridesheld.h).
 *
 * Open rides live in memory, keyed by id and by the front end's client_ref,
 * and hold their seats in a seats_loads. The timetable snapshot the search
 * runs on (seats_net) is rebuilt whenever the trips, stops, lines or
 * calendars it was built from have changed. At start every open ride is
 * read back and holds its seats, or its place in a vehicle's plan, again.
 * Once a second the tick expires unconfirmed offers and, every
 * IMPROVE_EVERY_S, looks for better plans for the booked vehicles.
 */
#include "rides.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caledit.h"
#include "catalog.h"
#include "demand.h"
#include "fleet.h"
#include "jsonin.h"
#include "log.h"
#include "ridesheld.h"
#include "roster.h"
#include "seats.h"
#include "shifts.h"
#include "strmap.h"
#include "tripedit.h"
#include "util.h"

#define IMPROVE_EVERY_S 30   /* seconds of the county's time between improvements of the booked vehicles' plans */
#define IMPROVE_MOVES 300
#define DEMAND_WINDING 1.35     /* road length over straight line, in the county's hills */
#define CALIBRATION_DAYS 28
#define CALIBRATION_SAMPLES 20  /* observed stretches between stops needed to calibrate */
#define JT_STR_(x) #x
#define JT_STR(x) JT_STR_(x)

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
	struct rides *rs = rides_state(d);
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
	rides_state(d)->stats.open = strmap_count(rides_state(d)->open);
	return &rides_state(d)->stats;
}

/* --- local time -------------------------------------------------------- */

/* The county's service day and seconds of that day at instant t. */
void rides_local_split(jt_ms t, jt_day *day, int32_t *secs)
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	localtime_r(&s, &tm);
	*day = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*secs = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

/* The instant `secs` after local midnight of `day` (secs may pass 24:00). */
jt_ms rides_local_instant(jt_day day, int32_t secs)
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
	return (double)rides_local_instant(day, 0) / 1000.0;
}

/* --- the timetable snapshot ---------------------------------------------- */

struct strmap *rides_collection(struct jtd *d, const char *name)
{
	return d->catalog[catalog_find(name) - catalog_collections];
}

static uint64_t network_stamp(struct jtd *d)
{
	return strmap_changes(d->trips) * 7 + strmap_changes(d->calendars) * 5 +
	       strmap_changes(rides_collection(d, "stops")) * 3 + strmap_changes(rides_collection(d, "lines")) +
	       roster_changes(d) * 11 + strmap_changes(rides_state(d)->trip_seats) * 13 + 1;
}

/* The snapshot, rebuilt when the network it was built from has changed. */
const struct seats_net *rides_network(struct jtd *d)
{
	struct rides *rs = rides_state(d);
	uint64_t stamp = network_stamp(d);
	if (rs->net && rs->net_stamp == stamp)
		return rs->net;
	int64_t t0 = mono_ms();
	seats_net_free(rs->net);
	struct seats_net *net = seats_net_new();
	struct strmap *stops = rides_collection(d, "stops"), *lines = rides_collection(d, "lines");
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
		int kind = line ? seats_kind_parse(jsonin_str(line, "kind", "")) : -1;
		const struct calendar *cal = caledit_get(d, tv.calendar);
		if (kind < 0 || !cal || tv.n < 2)
			continue;
		idx = xgrow(idx, &cap, tv.n, sizeof *idx);
		arr = xgrow(arr, &acap, tv.n, sizeof *arr);
		dep = xgrow(dep, &dcap, tv.n, sizeof *dep);
		/* Seats are offered on trips with fixed times at stops; on-demand windows and zones are not seats. */
		bool ok = true;
		for (size_t k = 0; k < tv.n && ok; k++) {
			long s = seats_net_find_stop(net, jsonin_str(json_object_array_get_idx(tv.stops, k), "stop", ""));
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
struct demand *rides_fleet_on_duty(struct jtd *d)
{
	struct rides *rs = rides_state(d);
	uint64_t stamp = shifts_changes(d) * 3 + strmap_changes(d->calendars) * 5 +
			 strmap_changes(rides_collection(d, "stops")) * 7 + fleet_count(d->fleet) * 11 + 1;
	if (stamp != rs->dm_stamp) {
		struct demand_shift *s;
		size_t n = shifts_resolve(d, &s);
		demand_set_shifts(rs->dm, s, n);
		free(s);
		rs->dm_stamp = stamp;
	}
	return rs->dm;
}

void rides_plan_key(char *buf, size_t len, int plan_id)
{
	snprintf(buf, len, "%d", plan_id);
}

/* --- holding seats ----------------------------------------------------- */

/* Gives a vehicle ride's place in its plan back. */
static void unplan(struct jtd *d, struct held *h)
{
	char key[16];
	rides_plan_key(key, sizeof key, h->place.plan_id);
	if (strmap_get(rides_state(d)->by_plan, key) != h)
		return;
	strmap_del(rides_state(d)->by_plan, key);
	if (demand_release(rides_state(d)->dm, &h->place) != 0)
		log_warn("ride.unplan_failed", "ride=%lld shift=%s", (long long)h->r.id, h->place.shift);
}

void rides_planned(struct jtd *d, struct held *h)
{
	char key[16];
	rides_plan_key(key, sizeof key, h->place.plan_id);
	strmap_put(rides_state(d)->by_plan, key, h);
}

/* Holds (on) or gives back (off) what an open ride occupies: seats on a trip, a place in a plan. */
void rides_hold(struct jtd *d, struct held *h, bool on)
{
	const struct ride *r = &h->r;
	if (r->service == RIDE_ON_VEHICLE && !on)
		unplan(d, h);
	if (r->service != RIDE_ON_TRIP)
		return;
	const struct seats_net *net = rides_network(d);
	long t = seats_net_find_trip(net, r->trip);
	/* A trip removed since keeps its riders' loads under its code, sized by the ride. */
	size_t n = t >= 0 ? seats_net_trip(net, (size_t)t)->n : (size_t)r->alight + 1;
	int riders = r->req.passengers;
	if (on)
		seats_hold(rides_state(d)->loads, r->trip, r->day, n, (size_t)r->board, (size_t)r->alight, riders,
			   r->pupil);
	else
		seats_release(rides_state(d)->loads, r->trip, r->day, (size_t)r->board, (size_t)r->alight, riders,
			      r->pupil);
}

/* A front end's key for a resend is its own: "client id:key". */
void rides_ref_key(int client_id, const char *ref, char *buf, size_t len)
{
	snprintf(buf, len, "%d:%s", client_id, ref);
}

void rides_keep_open(struct jtd *d, struct held *h)
{
	char id[24], ref[RIDE_REF_MAX + 16];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	strmap_put(rides_state(d)->open, id, h);
	rides_ref_key(h->r.client_id, h->r.req.client_ref, ref, sizeof ref);
	if (h->r.req.client_ref[0])
		strmap_put(rides_state(d)->by_ref, ref, h);
}

void rides_forget(struct jtd *d, struct held *h)
{
	char id[24], ref[RIDE_REF_MAX + 16];
	snprintf(id, sizeof id, "%lld", (long long)h->r.id);
	strmap_del(rides_state(d)->open, id);
	rides_ref_key(h->r.client_id, h->r.req.client_ref, ref, sizeof ref);
	if (h->r.req.client_ref[0])
		strmap_del(rides_state(d)->by_ref, ref);
	free(h);
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
	if (demand_restore(rides_fleet_on_duty(d), &a, p) != 0) {
		log_warn("ride.plan_lost", "ride=%lld shift=%s: the shift's plan cannot hold it any more; "
			 "call the rider", (long long)r->id, r->shift);
		p->plan_id = -1;
		return;
	}
	rides_planned(d, h);
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
	demand_free(rides_state(d)->dm);
	rides_state(d)->dm = demand_new(&o);
	rides_state(d)->dm_stamp = 0;
	log_info("rides.travel_model", "speed_kmh=%.1f winding=%.2f calibrated=yes samples=%ld configured_kmh=%.1f", kmh,
		 DEMAND_WINDING, n, configured);
}

int rides_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	struct rides *rs = rides_state(d);
	calibrate(d, c);
	char *sql = xasprintf("SELECT %s FROM ride WHERE state IN ('offered', 'confirmed', 'onboard')"
			      " ORDER BY id", rides_columns);
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
		rides_from_row(r, i, &h->r);
		rides_keep_open(d, h);
		if (h->r.service == RIDE_ON_VEHICLE)
			replan(d, h);
		else
			rides_hold(d, h, true);
	}
	log_info("boot.loaded", "collection=rides open=%d", PQntuples(r));
	PQclear(r);
	PQclear(ts);
	return 0;
}


/* The planned times of a ride on a booked vehicle, as its plan has them now. */
void rides_refresh(struct jtd *d, struct held *h)
{
	if (h->r.service != RIDE_ON_VEHICLE || h->place.plan_id < 0)
		return;
	const struct plan_vehicle *v = demand_plan(rides_state(d)->dm, h->place.shift, h->place.day);
	int pi = v ? plan_find(v, h->place.plan_id, PLAN_PICKUP) : -1;
	int di = v ? plan_find(v, h->place.plan_id, PLAN_DROPOFF) : -1;
	if (pi >= 0)
		h->r.pickup_at = (jt_ms)llround(v->stops[pi].begin * 1000);
	if (di >= 0)
		h->r.dropoff_at = (jt_ms)llround(v->stops[di].begin * 1000);
}


void rides_tick(struct jtd *d)
{
	struct rides *rs = rides_state(d);
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
		rides_change(d, NULL, due[i], RIDE_EXPIRED, "jintongd", "the offer was not confirmed in time");
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
			demand_improve(rides_fleet_on_duty(d), day, IMPROVE_MOVES, ticks, rides_moved, d);
	}
}


size_t rides_on_shift(struct jtd *d, const char *shift)
{
	size_t n = 0, pos = 0;
	const char *key;
	void *v;
	while (strmap_next(rides_state(d)->open, &pos, &key, &v)) {
		const struct held *h = v;
		n += h->r.service == RIDE_ON_VEHICLE && strcmp(h->r.shift, shift) == 0;
	}
	return n;
}

struct demand *rides_demand(struct jtd *d)
{
	return rides_fleet_on_duty(d);
}

const struct ride *rides_by_plan(struct jtd *d, int plan_id)
{
	char key[16];
	rides_plan_key(key, sizeof key, plan_id);
	const struct held *h = strmap_get(rides_state(d)->by_plan, key);
	return h ? &h->r : NULL;
}

bool rides_next_open(struct jtd *d, size_t *pos, const struct ride **r)
{
	const char *key;
	void *v;
	if (!strmap_next(rides_state(d)->open, pos, &key, &v))
		return false;
	*r = &((const struct held *)v)->r;
	return true;
}
