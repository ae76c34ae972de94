/*
 * tracking.c — the trackers of the fleet on the event loop; see tracking.h.
 *
 * A fix goes to its vehicle's tracker in microseconds and nothing here
 * waits for the database: what the tracker finds goes into the runs, which
 * write themselves once a second (runs.c).
 *
 * After every call into a tracker, settle() compares the trip it is on with
 * the one last seen: a trip left behind ends its run (completed when the
 * last stop was reached, else dropped or signed off) and teaches the ETA
 * model its running times; a new trip opens (or takes up again) its run;
 * then the stop events are moved into the runs. Candidates are chosen again
 * when the vehicle's newest fix is a minute past the last choice, or the
 * network changed.
 */
#include "tracking.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "course.h"
#include "devices.h"
#include "fleet.h"
#include "fleetbody.h"
#include "geo.h"
#include "http.h"
#include "log.h"
#include "runs.h"
#include "schedule.h"
#include "strmap.h"
#include "timeparse.h"
#include "timetable.h"
#include "token.h"
#include "util.h"

#define CAND_MAX 16
#define CAND_EVERY_MS 60000
#define MOVED_M 150.0          /* farther than this from where it stood, a vehicle is moving */
#define STANDING_MS 90000      /* not that far for this long, it is standing */
#define COUNT_AFTER_MS (30 * 60 * 1000) /* counts still go to a trip ended this recently */
#define BODY_MAX 4096
#define ETA_ALPHA 0.3
#define TRACKING_REPLAY_MIN "30" /* minutes of stored fixes replayed at start */

struct vtrack {
	struct tracker *tr;
	int vehicle_id;
	jt_ms newest;         /* newest fix fed */
	jt_ms cand_time;      /* fix time the candidates were chosen at */
	uint64_t cand_gen;
	bool cand_standing;   /* chosen for a vehicle standing still */
	double at_lat, at_lon; /* where it was when it last moved */
	jt_ms moved_at;
	struct course *cur;   /* held: the trip the tracker was last seen on */
	struct run *run;      /* its run */
	double km_before;     /* driven on that run before the tracker took it up (a restart) */
	char last_trip[CATALOG_CODE_MAX + 1]; /* the run before, for counts at its last stop */
	jt_day last_day;
};

struct tracking {
	struct strmap *by_code; /* vehicle code -> vtrack */
	struct tracker_config cfg;
	struct eta_model *eta;
	uint64_t fixes;
	double update_s;
	uint64_t assigned, sign_ons;
};

#define TK(d) ((d)->tracking)

static void vtrack_free(void *p)
{
	struct vtrack *vt = p;
	tracker_free(vt->tr);
	course_unref(vt->cur);
	free(vt);
}

void tracking_init(struct jtd *d)
{
	d->tracking = xcalloc(1, sizeof *d->tracking);
	TK(d)->by_code = strmap_new();
	tracker_config_default(&TK(d)->cfg);
	TK(d)->eta = eta_model_new(ETA_ALPHA);
	schedule_init(d);
	runs_init(d);
}

void tracking_free(struct jtd *d)
{
	if (!TK(d))
		return;
	strmap_free_all(TK(d)->by_code, vtrack_free);
	runs_free(d);
	schedule_free(d);
	eta_model_free(TK(d)->eta);
	free(TK(d));
	d->tracking = NULL;
}

static struct vtrack *vtrack_of(struct jtd *d, const struct vehicle *v);
static void settle(struct jtd *d, struct vtrack *vt, const struct vehicle *v, bool by_driver);

/* Drivers who signed on to a trip still under way keep it across a restart. */
static void restore_sign_ons(struct jtd *d)
{
	size_t pos = 0, n = 0;
	struct run *r;
	while ((r = runs_next(d, &pos))) {
		const struct vehicle *v = fleet_by_id(d->fleet, r->vehicle_id);
		if (!v || !r->signed_on || r->end != RUN_UNDER_WAY)
			continue;
		struct vtrack *vt = vtrack_of(d, v);
		if (vt->cur)
			continue; /* two runs under way for one vehicle: the first one read back wins */
		tracker_sign_on(vt->tr, r->course);
		settle(d, vt, v, true);
		n++;
	}
	if (n)
		log_info("tracking.restored", "signed_on=%zu", n);
}

/*
 * The last half hour of every vehicle's stored fixes, through its tracker
 * again, in time order: a vehicle under way is back on its trip, with its
 * progress and ETAs, before its tablet reports again.
 */
static int replay(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	/* The county's now, which a simulated clock sets apart from the server's now(). */
	char now[32];
	snprintf(now, sizeof now, "%.3f", (double)now_ms() / 1000.0);
	const char *params[1] = { now };
	PGresult *res = PQexecParams(c, "SELECT p.vehicle_id, (extract(epoch FROM p.fix_time) * 1000)::bigint, p.lat, p.lon,"
				  " p.speed, p.heading, p.accuracy"
				  " FROM device d CROSS JOIN LATERAL ("
				  "  SELECT * FROM position p WHERE p.device_id = d.id AND p.quality <> 1"
				  "  AND p.fix_time > to_timestamp($1::float8) - interval '" TRACKING_REPLAY_MIN " minutes'"
				  "  AND p.fix_time <= to_timestamp($1::float8) + interval '1 day') p"
				  " ORDER BY p.vehicle_id, p.fix_time",
			       1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "reading recent fixes: %s", PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return -1;
	}
	int n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		const struct vehicle *v = fleet_by_id(d->fleet, atoi(PQgetvalue(res, i, 0)));
		if (!v)
			continue;
		struct fix f;
		fix_init(&f);
		f.time = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		f.lat = strtod(PQgetvalue(res, i, 2), NULL);
		f.lon = strtod(PQgetvalue(res, i, 3), NULL);
		f.speed = PQgetisnull(res, i, 4) ? NAN : strtod(PQgetvalue(res, i, 4), NULL);
		f.heading = PQgetisnull(res, i, 5) ? NAN : strtod(PQgetvalue(res, i, 5), NULL);
		f.accuracy = PQgetisnull(res, i, 6) ? NAN : strtod(PQgetvalue(res, i, 6), NULL);
		tracking_fix(d, v, &f);
	}
	PQclear(res);
	struct tracking_stats st;
	tracking_stats(d, &st);
	log_info("tracking.replayed", "fixes=%d minutes=%s tracking=%zu", n, TRACKING_REPLAY_MIN, st.tracking);
	return 0;
}

int tracking_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	if (runs_load(d, c, TK(d)->eta, d->cfg.eta_history_days, err, errlen) != 0)
		return -1;
	restore_sign_ons(d);
	return replay(d, c, err, errlen);
}

static struct vtrack *vtrack_of(struct jtd *d, const struct vehicle *v)
{
	struct vtrack *vt = strmap_get(TK(d)->by_code, v->code);
	if (!vt) {
		vt = xcalloc(1, sizeof *vt);
		vt->tr = tracker_new(v->code, &TK(d)->cfg);
		vt->vehicle_id = v->id;
		strmap_put(TK(d)->by_code, v->code, vt);
	}
	return vt;
}

static void day_text(const struct run *r, char *buf)
{
	date_format(r->day, buf);
}

/* The trip the tracker was on is over: its run ends, and its times are learnt. */
static void end_trip(struct jtd *d, struct vtrack *vt, bool by_driver)
{
	struct run *r = vt->run;
	const struct trace *lt = tracker_last_trace(vt->tr);
	enum run_end how = by_driver ? RUN_SIGNED_OFF : RUN_DROPPED;
	jt_ms at = vt->newest;
	if (lt && trace_course(lt) == vt->cur) {
		size_t n = course_nstops(vt->cur);
		const struct trace_stop *last = &trace_stops(lt)[n - 1];
		if (last->visit != TRACE_NONE && last->arrival) {
			how = RUN_COMPLETED;
			at = last->arrival;
		} else if (trace_last_time(lt)) {
			at = trace_last_time(lt);
		}
		r->km = vt->km_before + trace_km(lt);
		eta_learn_trip(TK(d)->eta, vt->cur, trace_stops(lt));
	}
	runs_end(d, r, how, at);
	char day[DATE_FORMAT_LEN];
	day_text(r, day);
	log_info(how == RUN_COMPLETED ? "trip.completed" : how == RUN_DROPPED ? "trip.dropped" : "trip.signed_off",
		 "vehicle=%s trip=%s service_day=%s km=%.1f", r->vehicle, r->trip, day, r->km);
	course_unref(vt->cur);
	vt->cur = NULL;
	strlcpy_jt(vt->last_trip, r->trip, sizeof vt->last_trip);
	vt->last_day = r->day;
	vt->run = NULL;
}

static void begin_trip(struct jtd *d, struct vtrack *vt, const struct vehicle *v, struct course *c, bool signed_on)
{
	vt->cur = course_ref(c);
	struct run *r = vt->run = runs_open(d, c, v);
	vt->km_before = r->km;
	const struct trace *t = tracker_trace(vt->tr);
	jt_ms first = t ? trace_first_time(t) : 0;
	if (!first)
		first = vt->newest ? vt->newest : now_ms();
	if (!r->started || first < r->started)
		r->started = first;
	r->end = RUN_UNDER_WAY;
	r->ended = 0;
	r->live = true;
	r->signed_on |= signed_on;
	r->dirty = true;
	TK(d)->assigned++;
	char day[DATE_FORMAT_LEN];
	day_text(r, day);
	log_info("trip.assigned", "vehicle=%s trip=%s line=%s service_day=%s how=%s", r->vehicle, r->trip,
		 r->line, day, signed_on ? "signed_on" : "matched");
}

/* Brings runs up to date with the tracker after a fix, a sign-on or a sign-off. */
static void settle(struct jtd *d, struct vtrack *vt, const struct vehicle *v, bool by_driver)
{
	struct tracker_progress p;
	(void)tracker_progress(vt->tr, &p);
	struct course *now = tracker_state(vt->tr) == TRACKER_TRACKING ? p.course : NULL;
	if (now != vt->cur) {
		if (vt->cur)
			end_trip(d, vt, by_driver);
		if (now)
			begin_trip(d, vt, v, now, p.signed_on);
	}
	if (vt->run && now)
		vt->run->km = vt->km_before + p.trip_km;
	struct tracker_event ev[32];
	size_t got;
	do {
		got = tracker_take_events(vt->tr, ev, JT_ARRAY_LEN(ev));
		for (size_t i = 0; i < got; i++) {
			struct run *r = vt->run && ev[i].course == vt->cur ? vt->run : runs_open(d, ev[i].course, v);
			runs_event(d, r, &ev[i]);
		}
	} while (got == JT_ARRAY_LEN(ev));
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tracking_fix(struct jtd *d, const struct vehicle *v, const struct fix *f)
{
	struct tracking *tk = TK(d);
	double t0 = mono_s();
	struct vtrack *vt = vtrack_of(d, v);
	if (f->time >= vt->newest) {
		/*
		 * A bus standing still (at the depot, in a town's bus station)
		 * can only be waiting to start a trip: it is offered those from
		 * its stop only, so it is not tried against every trip passing
		 * by with each fix. Once it moves, it is offered them all again.
		 */
		if (!vt->moved_at || geo_distance_m(vt->at_lat, vt->at_lon, f->lat, f->lon) > MOVED_M) {
			vt->at_lat = f->lat;
			vt->at_lon = f->lon;
			vt->moved_at = f->time;
		}
		bool standing = f->time - vt->moved_at >= STANDING_MS;
		uint64_t gen = schedule_generation(d);
		if (gen != vt->cand_gen || standing != vt->cand_standing ||
		    llabs(f->time - vt->cand_time) >= CAND_EVERY_MS) {
			struct course *c[CAND_MAX];
			size_t n = schedule_candidates(d, f->time, f->lat, f->lon, standing, c, CAND_MAX);
			tracker_set_candidates(vt->tr, c, n);
			vt->cand_gen = gen;
			vt->cand_time = f->time;
			vt->cand_standing = standing;
		}
		vt->newest = f->time;
	}
	tracker_fix(vt->tr, f);
	settle(d, vt, v, false);
	tk->fixes++;
	tk->update_s += mono_s() - t0;
}

void tracking_tick(struct jtd *d)
{
	runs_tick(d);
}

void tracking_stop(struct jtd *d)
{
	runs_flush(d);
}

/* ---- what a vehicle is doing ------------------------------------------------ */

void tracking_view(struct jtd *d, const struct vehicle *v, struct tracking_view *out)
{
	memset(out, 0, sizeof *out);
	out->onboard = -1;
	struct vtrack *vt = strmap_get(TK(d)->by_code, v->code);
	if (!vt)
		return;
	out->state = tracker_state(vt->tr);
	if (!vt->cur || !vt->run)
		return;
	struct tracker_progress p;
	out->has_progress = tracker_progress(vt->tr, &p);
	out->course = vt->cur;
	out->run = vt->run;
	out->signed_on = p.signed_on;
	out->onboard = runs_onboard(vt->run);
	if (!out->has_progress)
		return;
	out->progress = p.trace;
	size_t n = course_nstops(vt->cur);
	out->eta = xcalloc(n, sizeof *out->eta);
	struct eta_position pos = {
		.time = p.trace.time, .along = p.trace.along, .next_stop = p.trace.next_stop,
		.at_stop = p.trace.at_stop,
		.pace = eta_pace(TK(d)->eta, vt->cur, trace_stops(tracker_trace(vt->tr)), p.trace.next_stop),
	};
	eta_predict(TK(d)->eta, vt->cur, &pos, out->eta);
}

void tracking_view_free(struct tracking_view *out)
{
	free(out->eta);
	out->eta = NULL;
}

static struct json_object *time_json(jt_ms t)
{
	if (!t)
		return NULL;
	char buf[TS_FORMAT_LEN];
	ts_format(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

struct json_object *tracking_vehicle_json(struct jtd *d, const struct vehicle *v)
{
	struct tracking_view tv;
	tracking_view(d, v, &tv);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(tracker_state_name(tv.state)));
	if (!tv.course) {
		tracking_view_free(&tv);
		return o;
	}
	const struct run *r = tv.run;
	char day[DATE_FORMAT_LEN];
	day_text(r, day);
	json_object_object_add(o, "trip", json_object_new_string(r->trip));
	json_object_object_add(o, "line", json_object_new_string(r->line));
	json_object_object_add(o, "service_day", json_object_new_string(day));
	json_object_object_add(o, "signed_on", json_object_new_boolean(tv.signed_on));
	json_object_object_add(o, "started", time_json(r->started));
	json_object_object_add(o, "km", json_object_new_double(round(r->km * 100) / 100));
	json_object_object_add(o, "length_m", json_object_new_double(round(course_length(tv.course))));
	json_object_object_add(o, "onboard", tv.onboard >= 0 ? json_object_new_int(tv.onboard) : NULL);
	if (!tv.has_progress) {
		tracking_view_free(&tv);
		return o;
	}
	const struct trace_progress *p = &tv.progress;
	size_t n = course_nstops(tv.course);
	json_object_object_add(o, "time", time_json(p->time));
	json_object_object_add(o, "along_m", json_object_new_double(round(p->along)));
	json_object_object_add(o, "delay_s", json_object_new_int(p->delay_s));
	json_object_object_add(o, "at_stop", json_object_new_boolean(p->at_stop));
	json_object_object_add(o, "off_route", json_object_new_boolean(p->off_route));
	struct json_object *next = json_object_new_array();
	for (size_t k = p->next_stop + (p->at_stop ? 1 : 0); k < n; k++) {
		const struct course_stop *cs = course_stop(tv.course, k);
		struct json_object *s = json_object_new_object();
		json_object_object_add(s, "seq", json_object_new_int((int)k + 1));
		json_object_object_add(s, "stop", json_object_new_string(cs->id));
		char clock[16];
		timetable_format_time(cs->arr, clock, sizeof clock, false);
		json_object_object_add(s, "planned", time_json(course_time_of(tv.course, cs->arr)));
		json_object_object_add(s, "planned_time", json_object_new_string(clock));
		json_object_object_add(s, "eta", time_json(tv.eta[k].arrival));
		json_object_array_add(next, s);
	}
	if (p->next_stop < n) {
		struct json_object *s = json_object_new_object();
		json_object_object_add(s, "seq", json_object_new_int((int)p->next_stop + 1));
		json_object_object_add(s, "stop", json_object_new_string(course_stop(tv.course, p->next_stop)->id));
		json_object_object_add(o, "next_stop", s);
	}
	json_object_object_add(o, "next_stops", next);
	tracking_view_free(&tv);
	return o;
}

void tracking_stats(struct jtd *d, struct tracking_stats *out)
{
	struct tracking *tk = TK(d);
	memset(out, 0, sizeof *out);
	out->fixes = tk->fixes;
	out->update_s = tk->update_s;
	out->assigned = tk->assigned;
	out->sign_ons = tk->sign_ons;
	size_t pos = 0;
	const char *code;
	void *val;
	while (strmap_next(tk->by_code, &pos, &code, &val)) {
		struct vtrack *vt = val;
		out->vehicles++;
		enum tracker_state s = tracker_state(vt->tr);
		out->tracking += s == TRACKER_TRACKING;
		out->matching += s == TRACKER_MATCHING;
		struct tracker_progress p;
		if (vt->cur && tracker_progress(vt->tr, &p)) {
			size_t n = course_nstops(vt->cur), k = p.trace.next_stop + (p.trace.at_stop ? 1 : 0);
			out->etas += k < n ? n - k : 0;
		}
	}
}

/* ---- the driver's requests ------------------------------------------------- */

/* Who may act for vehicle v: a tablet of it, or an operator. Replies 401/403 and returns NULL otherwise. */
static const char *allowed(struct jtd *d, struct evhttp_request *req, const struct vehicle *v)
{
	size_t tlen = 0;
	const char *tok = token_from_bearer(
		evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"), &tlen);
	const struct device *dev = tok ? devices_by_token(d->devices, tok, tlen) : NULL;
	if (!dev)
		return http_operator(d, req);
	if (dev->vehicle_id != v->id) {
		http_reply_error(req, 403, "forbidden", "this tablet is in another vehicle");
		return NULL;
	}
	return dev->ext_id;
}

static void reply_vehicle(struct jtd *d, struct evhttp_request *req, const struct vehicle *v,
			  const char *previous)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "vehicle", json_object_new_string(v->code));
	if (previous)
		json_object_object_add(o, "previous_trip", json_object_new_string(previous));
	json_object_object_add(o, "tracking", tracking_vehicle_json(d, v));
	http_reply_json(req, 200, o);
}

static void sign_on(struct jtd *d, struct evhttp_request *req, const struct vehicle *v, const char *who)
{
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	char trip[33];
	const char *why;
	char why_text[200];
	if (fleetbody_sign_on(body, trip, &why, why_text, sizeof why_text) != 0) {
		http_reply_error(req, 400, why, "%s", why_text);
		json_object_put(body);
		return;
	}
	jt_day day;
	char err[200];
	int rc = schedule_sign_on_day(d, trip, now_ms(), &day, err, sizeof err);
	struct course *c = rc == 0 ? schedule_course(d, trip, day, err, sizeof err) : NULL;
	if (!c) {
		http_reply_error(req, rc == -1 ? 404 : 409, rc == -1 ? "not_found" : "not_running", "%s", err);
		json_object_put(body);
		return;
	}
	struct vtrack *vt = vtrack_of(d, v);
	if (vt->cur && strcmp(course_trip_id(vt->cur), course_trip_id(c)) == 0 &&
	    strcmp(course_start_date(vt->cur), course_start_date(c)) == 0) {
		/*
		 * The trip it is on already (matched, or a tablet resending its
		 * sign-on, perhaps after the network was laid out again): kept as
		 * it is, now held until it ends or the driver signs off.
		 */
		tracker_sign_on(vt->tr, vt->cur);
		vt->run->signed_on = true;
		vt->run->dirty = true;
		json_object_put(body);
		reply_vehicle(d, req, v, NULL);
		return;
	}
	char previous[CATALOG_CODE_MAX + 1] = "";
	if (vt->run)
		strlcpy_jt(previous, vt->run->trip, sizeof previous);
	tracker_sign_on(vt->tr, c);
	settle(d, vt, v, true);
	TK(d)->sign_ons++;
	log_info("trip.sign_on", "vehicle=%s trip=%s by=%s", v->code, trip, who);
	json_object_put(body);
	reply_vehicle(d, req, v, previous[0] ? previous : NULL);
}

static void sign_off(struct jtd *d, struct evhttp_request *req, const struct vehicle *v, const char *who)
{
	struct vtrack *vt = vtrack_of(d, v);
	char previous[CATALOG_CODE_MAX + 1] = "";
	if (vt->run)
		strlcpy_jt(previous, vt->run->trip, sizeof previous);
	tracker_sign_off(vt->tr);
	settle(d, vt, v, true);
	log_info("trip.sign_off", "vehicle=%s trip=%s by=%s", v->code, previous[0] ? previous : "-", who);
	reply_vehicle(d, req, v, previous[0] ? previous : NULL);
}

/* Stop k of run r named by a stop code (the occurrence nearest where the vehicle is) or a sequence number. */
static bool count_stop(struct jtd *d, struct evhttp_request *req, struct vtrack *vt, const struct run *r,
		       struct json_object *s, size_t *k)
{
	size_t n = course_nstops(r->course);
	if (json_object_is_type(s, json_type_int)) {
		int64_t seq = json_object_get_int64(s);
		if (seq < 1 || (uint64_t)seq > n) {
			http_reply_error(req, 400, "unknown_stop", "trip %s has stops 1 to %zu", r->trip, n);
			return false;
		}
		*k = (size_t)seq - 1;
		return true;
	}
	const char *code = json_object_is_type(s, json_type_string) ? json_object_get_string(s) : NULL;
	size_t here = n - 1;
	struct tracker_progress p;
	if (r == vt->run && tracker_progress(vt->tr, &p))
		here = p.trace.next_stop < n ? p.trace.next_stop : n - 1;
	bool found = false;
	for (size_t i = 0; code && i < n; i++) {
		if (strcmp(course_stop(r->course, i)->id, code) != 0)
			continue;
		if (!found || (i > here ? i - here : here - i) < (*k > here ? *k - here : here - *k))
			*k = i;
		found = true;
	}
	if (!found)
		http_reply_error(req, 400, "unknown_stop", "\"stop\" must be a stop of trip %s (its code or its sequence number)",
				 r->trip);
	(void)d;
	return found;
}

static void counts(struct jtd *d, struct evhttp_request *req, const struct vehicle *v, const char *who)
{
	struct json_object *body = http_json_object(req, BODY_MAX), *s = NULL;
	if (!body)
		return;
	struct fleetbody_counts b;
	const char *why;
	char err[200];
	if (fleetbody_counts(body, &b, &why, err, sizeof err) != 0) {
		http_reply_error(req, 400, why, "%s", err);
		json_object_put(body);
		return;
	}
	int boarded = b.boarded, alighted = b.alighted;
	struct vtrack *vt = vtrack_of(d, v);
	struct run *r = vt->run;
	if (!r && vt->last_trip[0]) {
		/* Looked up, not kept: runs of past days are forgotten once written. */
		r = runs_find(d, vt->last_trip, vt->last_day, v->id);
		if (r && now_ms() - r->ended > COUNT_AFTER_MS)
			r = NULL;
	}
	size_t k = 0;
	if (!r) {
		http_reply_error(req, 409, "not_on_a_trip", "vehicle %s is on no trip; sign on to one first", v->code);
	} else if (!json_object_object_get_ex(body, "stop", &s)) {
		http_reply_error(req, 400, "missing_stop", "\"stop\" is needed: a stop code or a sequence number");
	} else if (count_stop(d, req, vt, r, s, &k)) {
		runs_add_count(d, req, r, k, boarded, alighted, who);
	}
	json_object_put(body);
}

void tracking_vehicle_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *action)
{
	const struct vehicle *v = fleet_by_code(d->fleet, code);
	if (!v) {
		http_reply_error(req, 404, "not_found", "no vehicle %.40s", code);
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "%.40s takes POST", action);
		return;
	}
	const char *who = allowed(d, req, v);
	if (!who)
		return;
	if (d->stopping) {
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	if (strcmp(action, "sign-on") == 0)
		sign_on(d, req, v, who);
	else if (strcmp(action, "sign-off") == 0)
		sign_off(d, req, v, who);
	else
		counts(d, req, v, who);
}

void tracking_trip_run(struct jtd *d, struct evhttp_request *req, const char *code)
{
	if (!http_operator(d, req))
		return;
	jt_day from = today_local() - 1, to = from + 1, day;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq qs;
	bool dated = false;
	if (q && evhttp_parse_query_str(q, &qs) == 0) {
		const char *date = evhttp_find_header(&qs, "date");
		bool bad = date && date_parse(date, &day) != 0;
		if (date && !bad) {
			from = to = day;
			dated = true;
		}
		evhttp_clear_headers(&qs);
		if (bad) {
			http_reply_error(req, 400, "bad_date", "date must be YYYY-MM-DD");
			return;
		}
	}
	struct json_object *list = json_object_new_array();
	size_t pos = 0;
	struct run *r;
	while ((r = runs_next(d, &pos))) {
		if (r->day < from || r->day > to || strcmp(r->trip, code) != 0)
			continue;
		struct tracking_view tv = { 0 };
		const struct vehicle *v = fleet_by_id(d->fleet, r->vehicle_id);
		if (v && r->live)
			tracking_view(d, v, &tv);
		bool mine = tv.run == r && tv.has_progress;
		json_object_array_add(list, runs_json(r, mine ? tv.eta : NULL, mine, mine ? tv.progress.delay_s : 0));
		tracking_view_free(&tv);
	}
	if (json_object_array_length(list) == 0 && !strmap_get(d->trips, code)) {
		json_object_put(list);
		http_reply_error(req, 404, "not_found", "no trip %.40s", code);
		return;
	}
	char date[DATE_FORMAT_LEN];
	date_format(from, date);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "trip", json_object_new_string(code));
	json_object_object_add(o, "service_day", dated ? json_object_new_string(date) : NULL);
	json_object_object_add(o, "runs", list);
	http_reply_json(req, 200, o);
}
