/*
 * runs.c — trip runs in memory and in PostgreSQL; see runs.h.
 *
 * The one writer of trip_run, stop_event and stop_count. Runs are found by
 * (trip, service day, vehicle), which is also the table's unique key, so a
 * group of changes is one statement that upserts the runs it touches and,
 * joined to them, upserts or deletes their stop events: no round trip to
 * learn a run's id first.
 */
#include "runs.h"

#include <event2/http.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "eta.h"
#include "fleet.h"
#include "http.h"
#include "log.h"
#include "schedule.h"
#include "store.h"
#include "strmap.h"
#include "timeparse.h"
#include "util.h"

#define RETIRE_EVERY 60 /* ticks (seconds) between looks for runs to forget */
#define HISTORY_SEQ_MAX 1000

struct runs {
	struct strmap *by_key; /* "trip/day/vehicle_id" -> run */
	bool writing;          /* a group is with the database */
	uint64_t ticks;
	struct runs_stats stats;
};

#define RS(d) ((d)->runs)

static const char *const kind_names[RUN_KINDS] = { "arrival", "departure", "passed", "skipped" };

static void run_free(void *p)
{
	struct run *r = p;
	course_unref(r->course);
	free(r->stops);
	free(r);
}

void runs_init(struct jtd *d)
{
	d->runs = xcalloc(1, sizeof *d->runs);
	RS(d)->by_key = strmap_new();
}

void runs_free(struct jtd *d)
{
	if (!RS(d))
		return;
	strmap_free_all(RS(d)->by_key, run_free);
	free(RS(d));
	d->runs = NULL;
}

const char *runs_end_name(enum run_end e)
{
	switch (e) {
	case RUN_UNDER_WAY: return "under_way";
	case RUN_COMPLETED: return "completed";
	case RUN_DROPPED: return "dropped";
	case RUN_SIGNED_OFF: return "signed_off";
	}
	fatal("runs: end %d has no name", (int)e);
}

static void run_key(char *buf, size_t len, const char *trip, jt_day day, int vehicle_id)
{
	snprintf(buf, len, "%s/%d/%d", trip, (int)day, vehicle_id);
}

static struct run *run_new(struct jtd *d, struct course *c, jt_day day, int vehicle_id, const char *vehicle,
			   const char *line)
{
	struct run *r = xcalloc(1, sizeof *r);
	strlcpy_jt(r->trip, course_trip_id(c), sizeof r->trip);
	strlcpy_jt(r->line, line, sizeof r->line);
	strlcpy_jt(r->vehicle, vehicle, sizeof r->vehicle);
	r->day = day;
	r->vehicle_id = vehicle_id;
	r->course = course_ref(c);
	r->stops = xcalloc(course_nstops(c), sizeof *r->stops);
	char key[96];
	run_key(key, sizeof key, r->trip, day, vehicle_id);
	strmap_put(RS(d)->by_key, key, r);
	return r;
}

struct run *runs_open(struct jtd *d, struct course *c, const struct vehicle *v)
{
	jt_day day = schedule_day_of(course_day_start(c) + 12 * 3600 * 1000LL);
	char key[96];
	run_key(key, sizeof key, course_trip_id(c), day, v->id);
	struct run *r = strmap_get(RS(d)->by_key, key);
	if (!r) {
		r = run_new(d, c, day, v->id, v->code, course_route_id(c));
		r->dirty = true;
		RS(d)->stats.opened++;
		return r;
	}
	if (r->course != c) {
		/* The same trip laid out again (the network changed, or read back at start). */
		if (course_nstops(r->course) != course_nstops(c)) {
			free(r->stops);
			r->stops = xcalloc(course_nstops(c), sizeof *r->stops);
		}
		course_unref(r->course);
		r->course = course_ref(c);
	}
	return r;
}

struct run *runs_find(struct jtd *d, const char *trip, jt_day day, int vehicle_id)
{
	char key[96];
	run_key(key, sizeof key, trip, day, vehicle_id);
	return strmap_get(RS(d)->by_key, key);
}

void runs_event(struct jtd *d, struct run *r, const struct tracker_event *ev)
{
	if (ev->stop >= course_nstops(r->course) || (unsigned)ev->kind >= RUN_KINDS)
		return;
	struct run_stop *s = &r->stops[ev->stop];
	struct runs_stats *st = &RS(d)->stats;
	if (ev->withdrawn) {
		s->t[ev->kind] = 0;
		s->est[ev->kind] = false;
		st->withdrawn++;
	} else {
		s->t[ev->kind] = ev->time;
		s->est[ev->kind] = ev->estimated;
		/* A late backlog for a run begun before the daemon knew of it: it began by then at the latest. */
		if (!r->started || ev->time < r->started)
			r->started = ev->time;
		if (ev->revised)
			st->revised++;
		else
			st->events[ev->kind]++;
	}
	s->dirty |= (uint8_t)(1u << ev->kind);
}

void runs_end(struct jtd *d, struct run *r, enum run_end how, jt_ms at)
{
	struct runs_stats *st = &RS(d)->stats;
	r->end = how;
	r->ended = at > r->started ? at : r->started;
	r->dirty = true;
	r->live = false;
	if (how == RUN_COMPLETED)
		st->completed++;
	else if (how == RUN_DROPPED)
		st->dropped++;
	else if (how == RUN_SIGNED_OFF)
		st->signed_off++;
}

struct run *runs_next(struct jtd *d, size_t *pos)
{
	const char *key;
	void *v;
	return strmap_next(RS(d)->by_key, pos, &key, &v) ? v : NULL;
}

size_t runs_pending(struct jtd *d)
{
	size_t n = 0, pos = 0;
	struct run *r;
	while ((r = runs_next(d, &pos)))
		for (size_t k = 0; k < course_nstops(r->course); k++)
			n += r->stops[k].dirty != 0;
	return n;
}

const struct runs_stats *runs_stats(struct jtd *d)
{
	return &RS(d)->stats;
}

int runs_onboard(const struct run *r)
{
	if (!r->has_counts)
		return -1;
	return r->boarded > r->alighted ? r->boarded - r->alighted : 0;
}

/* Has the run anything not yet written, or a count being stored? */
static bool runs_pending_of(const struct run *r)
{
	if (r->dirty || r->busy)
		return true;
	for (size_t k = 0; k < course_nstops(r->course); k++)
		if (r->stops[k].dirty)
			return true;
	return false;
}

/* ---- writing ------------------------------------------------------------ */

/* A PostgreSQL array literal being written, elements quoted where text. */
struct arr {
	char *p;
	size_t len, cap;
	bool first;
};

static void arr_put(struct arr *a, const char *s, size_t n)
{
	a->p = xgrow(a->p, &a->cap, a->len + n + 2, 1);
	memcpy(a->p + a->len, s, n);
	a->len += n;
	a->p[a->len] = '\0';
}

static void arr_sep(struct arr *a)
{
	if (!a->p)
		arr_put(a, "{", 1);
	else if (!a->first)
		arr_put(a, ",", 1);
	a->first = false;
}

static void arr_fmt(struct arr *a, const char *fmt, ...) JT_PRINTF(2, 3);
static void arr_fmt(struct arr *a, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	arr_sep(a);
	arr_put(a, buf, (size_t)n);
}

static void arr_text(struct arr *a, const char *s)
{
	arr_sep(a);
	if (!s) {
		arr_put(a, "NULL", 4);
		return;
	}
	arr_put(a, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			arr_put(a, "\\", 1);
		arr_put(a, s, 1);
	}
	arr_put(a, "\"", 1);
}

static void arr_init(struct arr *a)
{
	memset(a, 0, sizeof *a);
	a->first = true;
	arr_put(a, "{", 1);
}

static const char *arr_end(struct arr *a)
{
	arr_put(a, "}", 1);
	return a->p;
}

static const char write_sql[] =
	"WITH r AS ("
	" INSERT INTO trip_run AS t (trip_code, line_code, service_day, vehicle_id, signed_on, started_at,"
	"   ended_at, ended_how, km)"
	" SELECT u.trip, u.line, u.day, u.vid, u.so, to_timestamp(u.st / 1000.0), to_timestamp(u.en / 1000.0),"
	"   u.how, u.km"
	" FROM unnest($1::text[], $2::text[], $3::date[], $4::int[], $5::bool[], $6::int8[], $7::int8[],"
	"   $8::text[], $9::float8[]) AS u(trip, line, day, vid, so, st, en, how, km)"
	" ON CONFLICT (trip_code, service_day, vehicle_id) DO UPDATE SET"
	"   signed_on = t.signed_on OR excluded.signed_on,"
	"   started_at = least(t.started_at, excluded.started_at),"
	"   ended_at = CASE WHEN excluded.ended_at IS NOT NULL"
	"     THEN greatest(excluded.ended_at, least(t.started_at, excluded.started_at)) END,"
	"   ended_how = excluded.ended_how,"
	"   km = greatest(t.km, excluded.km), updated_at = now()"
	" RETURNING t.id, t.trip_code, t.service_day, t.vehicle_id),"
	" e AS (SELECT * FROM unnest($10::text[], $11::date[], $12::int[], $13::int[], $14::text[], $15::text[],"
	"   $16::int8[], $17::int8[], $18::bool[], $19::bool[])"
	"   AS e(trip, day, vid, seq, stop, kind, planned, actual, est, gone)),"
	" gone AS (DELETE FROM stop_event s USING e JOIN r ON r.trip_code = e.trip"
	"   AND r.service_day = e.day AND r.vehicle_id = e.vid"
	"   WHERE e.gone AND s.trip_run_id = r.id AND s.stop_seq = e.seq AND s.kind = e.kind RETURNING 1)"
	" INSERT INTO stop_event AS s (trip_run_id, stop_seq, stop_code, kind, planned, actual, estimated)"
	" SELECT r.id, e.seq, e.stop, e.kind, to_timestamp(e.planned / 1000.0), to_timestamp(e.actual / 1000.0),"
	"   e.est"
	" FROM e JOIN r ON r.trip_code = e.trip AND r.service_day = e.day AND r.vehicle_id = e.vid"
	" WHERE NOT e.gone"
	" ON CONFLICT (trip_run_id, stop_seq, kind) DO UPDATE SET actual = excluded.actual,"
	"   estimated = excluded.estimated, recorded_at = now()";

struct write_item {
	struct run *r;
	size_t k;
	uint8_t kinds;
};

struct write {
	struct jtd *d;
	struct run **runs;
	size_t nruns;
	struct write_item *items;
	size_t nitems;
};

/* The database's reason for refusing a statement, for the log. */
static const char *why(const PGresult *res)
{
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	return m ? m : res ? "refused" : "database unreachable";
}

static void written(void *arg, const PGresult *res)
{
	struct write *w = arg;
	struct runs *rs = RS(w->d);
	rs->writing = false;
	bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (ok) {
		rs->stats.written += w->nitems;
	} else {
		/* Nothing of it was committed: everything goes again with the next group. */
		rs->stats.failed++;
		for (size_t i = 0; i < w->nruns; i++)
			w->runs[i]->dirty = true;
		for (size_t i = 0; i < w->nitems; i++)
			w->items[i].r->stops[w->items[i].k].dirty |= w->items[i].kinds;
		log_warn("tracking.write_failed", "runs=%zu events=%zu error=\"%s\"", w->nruns, w->nitems,
			 why(res));
	}
	free(w->runs);
	free(w->items);
	free(w);
}

static void day_text(jt_day day, char *buf)
{
	date_format(day, buf);
}

void runs_flush(struct jtd *d)
{
	struct runs *rs = RS(d);
	if (rs->writing)
		return;
	struct write *w = xcalloc(1, sizeof *w);
	w->d = d;
	size_t rcap = 0, icap = 0, pos = 0;
	struct run *r;
	struct arr a[19];
	for (size_t i = 0; i < JT_ARRAY_LEN(a); i++)
		arr_init(&a[i]);
	while ((r = runs_next(d, &pos))) {
		size_t n = course_nstops(r->course);
		bool any = r->dirty;
		for (size_t k = 0; k < n && !any; k++)
			any = r->stops[k].dirty != 0;
		if (!any)
			continue;
		char day[DATE_FORMAT_LEN];
		day_text(r->day, day);
		/* The run goes with its events even when its row has not changed: they join on it. */
		w->runs = xgrow(w->runs, &rcap, w->nruns + 1, sizeof *w->runs);
		w->runs[w->nruns++] = r;
		r->dirty = false;
		arr_text(&a[0], r->trip);
		arr_text(&a[1], r->line);
		arr_text(&a[2], day);
		arr_fmt(&a[3], "%d", r->vehicle_id);
		arr_text(&a[4], r->signed_on ? "t" : "f");
		arr_fmt(&a[5], "%lld", (long long)r->started);
		if (r->end == RUN_UNDER_WAY) {
			arr_text(&a[6], NULL);
			arr_text(&a[7], NULL);
		} else {
			arr_fmt(&a[6], "%lld", (long long)r->ended);
			arr_text(&a[7], runs_end_name(r->end));
		}
		arr_fmt(&a[8], "%.3f", r->km);
		for (size_t k = 0; k < n; k++) {
			struct run_stop *s = &r->stops[k];
			if (!s->dirty)
				continue;
			const struct course_stop *cs = course_stop(r->course, k);
			for (int kind = 0; kind < RUN_KINDS; kind++) {
				if (!(s->dirty & (1u << kind)))
					continue;
				int32_t planned = kind == TRACKER_DEPARTURE ? cs->dep : cs->arr;
				arr_text(&a[9], r->trip);
				arr_text(&a[10], day);
				arr_fmt(&a[11], "%d", r->vehicle_id);
				arr_fmt(&a[12], "%zu", k + 1);
				arr_text(&a[13], cs->id);
				arr_text(&a[14], kind_names[kind]);
				arr_fmt(&a[15], "%lld", (long long)course_time_of(r->course, planned));
				arr_fmt(&a[16], "%lld", (long long)(s->t[kind] ? s->t[kind] : 0));
				arr_text(&a[17], s->est[kind] ? "t" : "f");
				arr_text(&a[18], s->t[kind] ? "f" : "t");
			}
			w->items = xgrow(w->items, &icap, w->nitems + 1, sizeof *w->items);
			w->items[w->nitems++] = (struct write_item){ r, k, s->dirty };
			s->dirty = 0;
		}
	}
	if (w->nruns == 0) {
		for (size_t i = 0; i < JT_ARRAY_LEN(a); i++)
			free(a[i].p);
		free(w);
		return;
	}
	const char *params[JT_ARRAY_LEN(a)];
	for (size_t i = 0; i < JT_ARRAY_LEN(a); i++)
		params[i] = arr_end(&a[i]);
	rs->writing = true;
	rs->stats.writes++;
	store_query(d->store, write_sql, (int)JT_ARRAY_LEN(a), params, written, w);
	for (size_t i = 0; i < JT_ARRAY_LEN(a); i++)
		free(a[i].p);
}

void runs_tick(struct jtd *d)
{
	struct runs *rs = RS(d);
	runs_flush(d);
	if (++rs->ticks % RETIRE_EVERY != 0 || rs->writing)
		return;
	/* Runs older than yesterday, written and no longer tracked, live on only in the database. */
	jt_day yesterday = today_local() - 1;
	char **old = NULL;
	size_t n = 0, cap = 0, pos = 0;
	const char *key;
	void *v;
	while (strmap_next(rs->by_key, &pos, &key, &v)) {
		struct run *r = v;
		if (r->day >= yesterday || r->live || runs_pending_of(r))
			continue;
		old = xgrow(old, &cap, n + 1, sizeof *old);
		old[n++] = xstrdup(key);
	}
	for (size_t i = 0; i < n; i++) {
		run_free(strmap_del(rs->by_key, old[i]));
		free(old[i]);
	}
	free(old);
}

/* ---- riders counted by the tablet ---------------------------------------- */

static const char count_sql[] =
	"WITH r AS ("
	" INSERT INTO trip_run AS t (trip_code, line_code, service_day, vehicle_id, signed_on, started_at)"
	" VALUES ($1, $2, $3::date, $4::int, $5::bool, to_timestamp($6::int8 / 1000.0))"
	" ON CONFLICT (trip_code, service_day, vehicle_id) DO UPDATE SET updated_at = t.updated_at"
	" RETURNING t.id)"
	" INSERT INTO stop_count (trip_run_id, stop_seq, stop_code, boarded, alighted, reported_by)"
	" SELECT r.id, $7::int, $8, $9::int, $10::int, $11 FROM r RETURNING id";

struct count {
	struct jtd *d;
	struct evhttp_request *req;
	struct run *r;
	size_t k;
	int boarded, alighted;
};

static void count_stored(void *arg, const PGresult *res)
{
	struct count *c = arg;
	struct run *r = c->r;
	r->busy--;
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (res)
			log_warn("tracking.count_refused", "vehicle=%s trip=%s error=\"%s\"", r->vehicle, r->trip,
				 why(res));
		http_reply_unavailable(c->d, c->req, "the count could not be stored now");
		free(c);
		return;
	}
	RS(c->d)->stats.counts++;
	r->boarded += c->boarded;
	r->alighted += c->alighted;
	r->has_counts = true;
	char day[DATE_FORMAT_LEN];
	day_text(r->day, day);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "vehicle", json_object_new_string(r->vehicle));
	json_object_object_add(o, "trip", json_object_new_string(r->trip));
	json_object_object_add(o, "service_day", json_object_new_string(day));
	json_object_object_add(o, "seq", json_object_new_int((int)c->k + 1));
	json_object_object_add(o, "stop", json_object_new_string(course_stop(r->course, c->k)->id));
	json_object_object_add(o, "boarded", json_object_new_int(c->boarded));
	json_object_object_add(o, "alighted", json_object_new_int(c->alighted));
	json_object_object_add(o, "onboard", json_object_new_int(runs_onboard(r)));
	http_reply_json(c->req, 200, o);
	free(c);
}

void runs_add_count(struct jtd *d, struct evhttp_request *req, struct run *r, size_t k, int boarded,
		    int alighted, const char *who)
{
	char day[DATE_FORMAT_LEN], vid[16], started[24], seq[16], b[16], a[16];
	day_text(r->day, day);
	snprintf(vid, sizeof vid, "%d", r->vehicle_id);
	snprintf(started, sizeof started, "%lld", (long long)(r->started ? r->started : now_ms()));
	snprintf(seq, sizeof seq, "%zu", k + 1);
	snprintf(b, sizeof b, "%d", boarded);
	snprintf(a, sizeof a, "%d", alighted);
	const char *params[] = { r->trip, r->line, day, vid, r->signed_on ? "t" : "f", started, seq,
				 course_stop(r->course, k)->id, b, a, who };
	struct count *c = xcalloc(1, sizeof *c);
	*c = (struct count){ d, req, r, k, boarded, alighted };
	r->busy++;
	store_query(d->store, count_sql, (int)JT_ARRAY_LEN(params), params, count_stored, c);
}

/* ---- as JSON ------------------------------------------------------------- */

static struct json_object *time_json(jt_ms t)
{
	if (!t)
		return NULL;
	char buf[TS_FORMAT_LEN];
	ts_format(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

/* The delay at the latest event, for a run no tracker is on. */
static bool last_delay(const struct run *r, int32_t *delay)
{
	jt_ms best = 0;
	for (size_t k = 0; k < course_nstops(r->course); k++) {
		const struct course_stop *cs = course_stop(r->course, k);
		for (int kind = 0; kind < RUN_KINDS; kind++) {
			jt_ms t = r->stops[k].t[kind];
			if (!t || t <= best || kind == TRACKER_SKIPPED)
				continue;
			best = t;
			int32_t planned = kind == TRACKER_DEPARTURE ? cs->dep : cs->arr;
			*delay = (int32_t)((t - course_time_of(r->course, planned)) / 1000);
		}
	}
	return best != 0;
}

struct json_object *runs_json(const struct run *r, const struct eta_stop *eta, bool has_delay, int32_t delay_s)
{
	char day[DATE_FORMAT_LEN];
	day_text(r->day, day);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "trip", json_object_new_string(r->trip));
	json_object_object_add(o, "line", json_object_new_string(r->line));
	json_object_object_add(o, "service_day", json_object_new_string(day));
	json_object_object_add(o, "vehicle", json_object_new_string(r->vehicle));
	json_object_object_add(o, "state", json_object_new_string(runs_end_name(r->end)));
	json_object_object_add(o, "signed_on", json_object_new_boolean(r->signed_on));
	json_object_object_add(o, "started", time_json(r->started));
	json_object_object_add(o, "ended", time_json(r->ended));
	json_object_object_add(o, "km", json_object_new_double(round(r->km * 100) / 100));
	if (!has_delay)
		has_delay = last_delay(r, &delay_s);
	json_object_object_add(o, "delay_s", has_delay ? json_object_new_int(delay_s) : NULL);
	int onboard = runs_onboard(r);
	json_object_object_add(o, "onboard", onboard >= 0 ? json_object_new_int(onboard) : NULL);
	struct json_object *list = json_object_new_array();
	for (size_t k = 0; k < course_nstops(r->course); k++) {
		const struct course_stop *cs = course_stop(r->course, k);
		const struct run_stop *s = &r->stops[k];
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "seq", json_object_new_int((int)k + 1));
		json_object_object_add(j, "stop", json_object_new_string(cs->id));
		json_object_object_add(j, "planned_arrival", time_json(course_time_of(r->course, cs->arr)));
		json_object_object_add(j, "planned_departure", time_json(course_time_of(r->course, cs->dep)));
		json_object_object_add(j, "arrival", time_json(s->t[TRACKER_ARRIVAL]));
		json_object_object_add(j, "departure", time_json(s->t[TRACKER_DEPARTURE]));
		json_object_object_add(j, "passed", time_json(s->t[TRACKER_PASSED]));
		json_object_object_add(j, "skipped", json_object_new_boolean(s->t[TRACKER_SKIPPED] != 0));
		bool est = false;
		for (int kind = 0; kind < RUN_KINDS; kind++)
			est |= s->t[kind] && s->est[kind] && kind != TRACKER_SKIPPED;
		json_object_object_add(j, "estimated", json_object_new_boolean(est));
		json_object_object_add(j, "eta_arrival", eta ? time_json(eta[k].arrival) : NULL);
		json_object_object_add(j, "eta_departure", eta ? time_json(eta[k].departure) : NULL);
		json_object_array_add(list, j);
	}
	json_object_object_add(o, "stops", list);
	return o;
}

/* ---- reading back at start ------------------------------------------------ */

static PGresult *query(PGconn *c, const char *sql, const char *param, char *err, size_t errlen)
{
	const char *params[] = { param };
	PGresult *res = PQexecParams(c, sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading trip runs: %s", PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return NULL;
	}
	return res;
}

static int kind_of(const char *name)
{
	for (int i = 0; i < RUN_KINDS; i++)
		if (strcmp(kind_names[i], name) == 0)
			return i;
	return -1;
}

/* Yesterday's and today's runs, their events and counts. */
static int load_runs(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	char since[DATE_FORMAT_LEN];
	day_text(today_local() - 1, since);
	PGresult *res = query(c,
			      "SELECT r.id, r.trip_code, r.line_code, r.service_day::text, r.vehicle_id, r.signed_on,"
			      " (extract(epoch FROM r.started_at) * 1000)::bigint,"
			      " (extract(epoch FROM r.ended_at) * 1000)::bigint, r.ended_how, r.km,"
			      " (SELECT sum(boarded) FROM stop_count k WHERE k.trip_run_id = r.id),"
			      " (SELECT sum(alighted) FROM stop_count k WHERE k.trip_run_id = r.id)"
			      " FROM trip_run r WHERE r.service_day >= $1::date ORDER BY r.id",
			      since, err, errlen);
	if (!res)
		return -1;
	struct strmap *by_id = strmap_new();
	size_t skipped = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		jt_day day;
		const struct vehicle *v = fleet_by_id(d->fleet, atoi(PQgetvalue(res, i, 4)));
		char why[200];
		struct course *co = NULL;
		if (date_parse(PQgetvalue(res, i, 3), &day) == 0 && v)
			co = schedule_course(d, PQgetvalue(res, i, 1), day, why, sizeof why);
		if (!co) {
			skipped++;
			continue;
		}
		struct run *r = run_new(d, co, day, v->id, v->code, PQgetvalue(res, i, 2));
		r->signed_on = strcmp(PQgetvalue(res, i, 5), "t") == 0;
		r->started = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		r->ended = PQgetisnull(res, i, 7) ? 0 : strtoll(PQgetvalue(res, i, 7), NULL, 10);
		const char *how = PQgetisnull(res, i, 8) ? "" : PQgetvalue(res, i, 8);
		r->end = strcmp(how, "completed") == 0	  ? RUN_COMPLETED
			 : strcmp(how, "signed_off") == 0 ? RUN_SIGNED_OFF
							  : RUN_DROPPED;
		if (!r->ended)
			r->end = RUN_UNDER_WAY; /* when the daemon stopped: taken up again if it goes on */
		r->km = strtod(PQgetvalue(res, i, 9), NULL);
		if (!PQgetisnull(res, i, 10)) {
			r->has_counts = true;
			r->boarded = atoi(PQgetvalue(res, i, 10));
			r->alighted = atoi(PQgetvalue(res, i, 11));
		}
		strmap_put(by_id, PQgetvalue(res, i, 0), r);
	}
	int nruns = PQntuples(res);
	PQclear(res);
	res = query(c,
		    "SELECT e.trip_run_id, e.stop_seq, e.kind, (extract(epoch FROM e.actual) * 1000)::bigint,"
		    " e.estimated FROM stop_event e JOIN trip_run r ON r.id = e.trip_run_id"
		    " WHERE r.service_day >= $1::date",
		    since, err, errlen);
	if (!res) {
		strmap_free(by_id);
		return -1;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		struct run *r = strmap_get(by_id, PQgetvalue(res, i, 0));
		long seq = strtol(PQgetvalue(res, i, 1), NULL, 10);
		int kind = kind_of(PQgetvalue(res, i, 2));
		if (!r || kind < 0 || seq < 1 || (size_t)seq > course_nstops(r->course))
			continue;
		r->stops[seq - 1].t[kind] = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		r->stops[seq - 1].est[kind] = strcmp(PQgetvalue(res, i, 4), "t") == 0;
	}
	log_info("boot.loaded", "collection=trip_runs count=%d events=%d not_laid_out=%zu", nruns,
		 PQntuples(res), skipped);
	PQclear(res);
	strmap_free(by_id);
	return 0;
}

struct seen {
	char stop[33];
	jt_ms arr, dep, passed; /* observed only; 0 when not */
};

/* What one run's observed events teach: running times between stops, dwells at them. */
static void learn_run(struct eta_model *m, const struct seen *s, long nseq, jt_ms day_start)
{
	for (long k = 1; k + 1 <= nseq; k++) {
		const struct seen *a = &s[k], *b = &s[k + 1];
		jt_ms leave = a->dep ? a->dep : a->passed, reach = b->arr ? b->arr : b->passed;
		if (leave && reach && reach >= leave && a->stop[0] && b->stop[0])
			eta_learn_run(m, a->stop, b->stop, (double)(leave - day_start) / 1000.0,
				      (double)(reach - leave) / 1000.0);
	}
	for (long k = 2; k < nseq; k++) {
		const struct seen *a = &s[k];
		if (a->passed)
			eta_learn_dwell(m, a->stop, (double)(a->passed - day_start) / 1000.0, 0);
		else if (a->arr && a->dep && a->dep >= a->arr)
			eta_learn_dwell(m, a->stop, (double)(a->arr - day_start) / 1000.0,
					(double)(a->dep - a->arr) / 1000.0);
	}
}

/* The last days' observed stop events, in the order they happened, taught to the ETA model. */
static int load_history(PGconn *c, struct eta_model *m, long days, char *err, size_t errlen)
{
	char since[DATE_FORMAT_LEN];
	day_text(today_local() - (jt_day)days, since);
	PGresult *res = query(c,
			      "SELECT e.trip_run_id, r.service_day::text, e.stop_seq, e.stop_code, e.kind,"
			      " (extract(epoch FROM e.actual) * 1000)::bigint"
			      " FROM stop_event e JOIN trip_run r ON r.id = e.trip_run_id"
			      " WHERE r.service_day >= $1::date AND NOT e.estimated AND e.stop_seq <= 1000"
			      " ORDER BY r.started_at, e.trip_run_id, e.stop_seq",
			      since, err, errlen);
	if (!res)
		return -1;
	struct seen *s = xcalloc(HISTORY_SEQ_MAX + 2, sizeof *s);
	long nseq = 0, runs = 0;
	char cur[32] = "";
	jt_ms day_start = 0;
	int n = PQntuples(res);
	for (int i = 0; i <= n; i++) {
		if (i == n || strcmp(cur, PQgetvalue(res, i, 0)) != 0) {
			if (nseq)
				learn_run(m, s, nseq, day_start);
			if (i == n)
				break;
			memset(s, 0, (HISTORY_SEQ_MAX + 2) * sizeof *s);
			nseq = 0;
			runs++;
			strlcpy_jt(cur, PQgetvalue(res, i, 0), sizeof cur);
			jt_day day;
			day_start = date_parse(PQgetvalue(res, i, 1), &day) == 0 ? schedule_day_start(day) : 0;
		}
		long seq = strtol(PQgetvalue(res, i, 2), NULL, 10);
		int kind = kind_of(PQgetvalue(res, i, 4));
		if (seq < 1 || seq > HISTORY_SEQ_MAX || !day_start)
			continue;
		struct seen *e = &s[seq];
		strlcpy_jt(e->stop, PQgetvalue(res, i, 3), sizeof e->stop);
		jt_ms t = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		if (kind == TRACKER_ARRIVAL)
			e->arr = t;
		else if (kind == TRACKER_DEPARTURE)
			e->dep = t;
		else if (kind == TRACKER_PASSED)
			e->passed = t;
		if (seq > nseq)
			nseq = seq;
	}
	free(s);
	log_info("boot.loaded", "collection=eta_history days=%ld runs=%ld events=%d", days, runs, n);
	PQclear(res);
	return 0;
}

int runs_load(struct jtd *d, PGconn *c, struct eta_model *m, long history_days, char *err, size_t errlen)
{
	if (load_runs(d, c, err, errlen) != 0)
		return -1;
	return history_days > 0 ? load_history(c, m, history_days, err, errlen) : 0;
}
