/*
 * tripedit.c — trips and timetables through the admin API:
 *
 *   GET    /v1/admin/trips[?line=L]            trips, by code
 *   GET    /v1/admin/trips/{code}
 *   POST   /v1/admin/trips                     {"code","line","version","calendar","block","times":[…]}
 *   PATCH  /v1/admin/trips/{code}              {"calendar","block","version","times"}, any
 *   DELETE /v1/admin/trips/{code}
 *   POST   /v1/admin/lines/{line}/timetable    {"calendar","first","last","every","version",
 *                                               "block","speed_kmh","dwell_s"}
 *
 * A trip runs a line's route version: one time pair (arrival, departure) per
 * stop of that version. Refused: times that go backwards, and a vehicle block
 * whose trips would overlap on a day both run.
 */
#include "tripedit.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caledit.h"
#include "calendar.h"
#include "date.h"
#include "http.h"
#include "jsonin.h"
#include "log.h"
#include "routeedit.h"
#include "stoptime.h"
#include "store.h"
#include "tripwrite.h"
#include "strmap.h"
#include "timetable.h"
#include "util.h"

#define BODY_MAX 262144
#define OVERLAP_HORIZON 366 /* days ahead in which two trips of a block may not overlap */

void tripedit_init(struct jtd *d)
{
	d->trips = strmap_new();
}

static void free_trip(void *v)
{
	tripwrite_free(v);
}

void tripedit_free(struct jtd *d)
{
	strmap_free_all(d->trips, free_trip);
	d->trips = NULL;
}

int tripedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, "SELECT t.code, l.code, rv.version, c.code, t.block, t.gtfs_id,"
				" (SELECT json_agg(json_build_array(coalesce(s.code, 'group:' || g.code,"
				"   'zone:' || z.code), st.arrival, st.departure, st.window_start, st.window_end,"
				"   st.pickup_type, st.drop_off_type, pr.code, dr.code) ORDER BY st.seq)"
				"   FROM stop_time st"
				"   JOIN route_stop rs ON rs.route_version_id = t.route_version_id AND rs.seq = st.seq"
				"   LEFT JOIN stop s ON s.id = rs.stop_id"
				"   LEFT JOIN location_group g ON g.id = rs.location_group_id"
				"   LEFT JOIN zone z ON z.id = rs.zone_id"
				"   LEFT JOIN booking_rule pr ON pr.id = st.pickup_rule_id"
				"   LEFT JOIN booking_rule dr ON dr.id = st.drop_off_rule_id"
				"   WHERE st.trip_id = t.id)"
				" FROM trip t JOIN route_version rv ON rv.id = t.route_version_id"
				" JOIN line l ON l.id = rv.line_id JOIN calendar c ON c.id = t.calendar_id"
				" ORDER BY t.code");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading trips: %s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct trip *t = xcalloc(1, sizeof *t);
		strlcpy_jt(t->code, PQgetvalue(r, i, 0), sizeof t->code);
		strlcpy_jt(t->line, PQgetvalue(r, i, 1), sizeof t->line);
		t->version = atoi(PQgetvalue(r, i, 2));
		strlcpy_jt(t->calendar, PQgetvalue(r, i, 3), sizeof t->calendar);
		strlcpy_jt(t->block, PQgetvalue(r, i, 4), sizeof t->block);
		strlcpy_jt(t->gtfs_id, PQgetvalue(r, i, 5), sizeof t->gtfs_id);
		struct json_object *rows = json_tokener_parse(PQgetvalue(r, i, 6));
		t->n = rows ? json_object_array_length(rows) : 0;
		t->st = xcalloc(t->n ? t->n : 1, sizeof *t->st);
		struct json_object *stops = json_object_new_array();
		for (size_t k = 0; k < t->n; k++) {
			struct json_object *row = json_object_array_get_idx(rows, k);
			struct stoptime *x = &t->st[k];
#define COL(i) json_object_array_get_idx(row, i)
			json_object_array_add(stops, json_object_get(COL(0)));
			x->window = COL(1) == NULL;
			x->arr = json_object_get_int(COL(x->window ? 3 : 1));
			x->dep = json_object_get_int(COL(x->window ? 4 : 2));
			x->pickup = (int8_t)json_object_get_int(COL(5));
			x->drop_off = (int8_t)json_object_get_int(COL(6));
			strlcpy_jt(x->pickup_rule, COL(7) ? json_object_get_string(COL(7)) : "",
				   sizeof x->pickup_rule);
			strlcpy_jt(x->drop_off_rule, COL(8) ? json_object_get_string(COL(8)) : "",
				   sizeof x->drop_off_rule);
#undef COL
		}
		tripwrite_json(t, stops);
		json_object_put(stops);
		json_object_put(rows);
		strmap_put(d->trips, t->code, t);
	}
	log_info("boot.loaded", "collection=trips count=%d", PQntuples(r));
	PQclear(r);
	return 0;
}

/* Would trips a and b overlap on some day both run, within the horizon? Writes that day. */
static bool clash(struct jtd *d, const struct trip *a, const struct trip *b, jt_day *day)
{
	int32_t a0, a1, b0, b1;
	stoptime_span(a->st, a->n, &a0, &a1);
	stoptime_span(b->st, b->n, &b0, &b1);
	if (!timetable_overlap(a0, a1, b0, b1))
		return false;
	const struct calendar *ca = caledit_get(d, a->calendar), *cb = caledit_get(d, b->calendar);
	if (!ca || !cb)
		return false;
	jt_day from = today_local();
	for (jt_day x = from; x <= from + OVERLAP_HORIZON; x++)
		if (calendar_runs_on(ca, x) && calendar_runs_on(cb, x)) {
			*day = x;
			return true;
		}
	return false;
}

/* Checks the new trips' blocks against each other and the stored trips; -1 with err. */
static int check_blocks(struct jtd *d, struct trip **news, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const struct trip *a = news[i];
		if (!a->block[0])
			continue;
		size_t pos = 0;
		const char *k;
		void *v;
		const struct trip *other = NULL;
		jt_day day = 0;
		for (size_t j = 0; j < i && !other; j++)
			if (strcmp(news[j]->block, a->block) == 0 && clash(d, a, news[j], &day))
				other = news[j];
		while (!other && strmap_next(d->trips, &pos, &k, &v)) {
			const struct trip *b = v;
			/* a trip being edited does not clash with what it was */
			if (strcmp(b->block, a->block) == 0 && strcmp(b->code, a->code) != 0 &&
			    clash(d, a, b, &day))
				other = b;
		}
		if (other) {
			char a0[16], a1[16], b0[16], b1[16], dd[DATE_FORMAT_LEN];
			int32_t sa0, sa1, sb0, sb1;
			stoptime_span(a->st, a->n, &sa0, &sa1);
			stoptime_span(other->st, other->n, &sb0, &sb1);
			timetable_format_time(sa0, a0, sizeof a0, true);
			timetable_format_time(sa1, a1, sizeof a1, true);
			timetable_format_time(sb0, b0, sizeof b0, true);
			timetable_format_time(sb1, b1, sizeof b1, true);
			date_format(day, dd);
			snprintf(err, errlen,
				 "block %s: trip %s (%s-%s) overlaps trip %s (%s-%s) on %s; one vehicle "
				 "cannot run both: give one another block or other times",
				 a->block, a->code, a0, a1, other->code, b0, b1, dd);
			return -1;
		}
	}
	return 0;
}

/* The place of one of a trip's stop times as its JSON lists it. */
static const char *fmt_place(struct json_object *stop_time)
{
	return json_object_get_string(json_object_object_get(stop_time, "stop"));
}

static bool rule_known(void *arg, const char *code)
{
	struct jtd *d = arg;
	return strmap_get(d->catalog[catalog_find("booking-rules") - catalog_collections], code) != NULL;
}

/* A trip's times from the request, for the places of its version; -1 with err. */
static int read_times(struct jtd *d, struct trip *t, struct json_object *ver,
		      struct json_object *times, char *err, size_t errlen)
{
	struct json_object *places = json_object_object_get(ver, "stops");
	if (!json_object_is_type(times, json_type_array) || json_object_array_length(times) != t->n) {
		snprintf(err, errlen, "times must list one time (or [arrival, departure], or a window) for "
				      "each of the route's %zu stops",
			 t->n);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (stoptime_parse(json_object_array_get_idx(times, i), i,
				   json_object_get_string(json_object_array_get_idx(places, i)), rule_known,
				   d, &t->st[i], err, errlen) != 0)
			return -1;
	if (stoptime_check(t->st, t->n, err, errlen) != 0)
		return -1;
	tripwrite_json(t, places);
	return 0;
}

static const char *str(struct json_object *o, const char *key)
{
	return jsonin_str(o, key, NULL);
}

static bool only_fields(struct json_object *o, const char *const *names, size_t n, char *err,
			size_t errlen)
{
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		bool ok = false;
		for (size_t i = 0; i < n; i++)
			ok |= strcmp(key, names[i]) == 0;
		if (!ok) {
			snprintf(err, errlen, "no field '%.40s' here", key);
			return false;
		}
	}
	return true;
}

/* The route version a request names (or the latest), its line checked; NULL with err. */
static struct json_object *version_for(struct jtd *d, const char *line, struct json_object *body,
				       char *err, size_t errlen)
{
	struct json_object *v;
	int want = 0;
	if (json_object_object_get_ex(body, "version", &v) && v) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 1) {
			snprintf(err, errlen, "version must be a route version number");
			return NULL;
		}
		want = json_object_get_int(v);
	}
	struct json_object *ver = routeedit_version(d, line, want);
	if (!ver)
		snprintf(err, errlen, want ? "line %s has no route version %d"
					   : "line %s has no route yet; draw it first (jintong route draw)",
			 line, want);
	return ver;
}

/* The trip_id a trip was imported under, when the body gives one: "" or a GTFS id. */
static int gtfs_id_take(struct trip *t, struct json_object *body, char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(body, "gtfs_id", &v))
		return 0;
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	size_t n = s ? (size_t)json_object_get_string_len(v) : 0;
	const char *why = !s ? "it must be text" : n ? gtfsid_invalid(s, n) : NULL;
	if (why) {
		snprintf(err, errlen, "gtfs_id: %s, or empty", why);
		return -1;
	}
	strlcpy_jt(t->gtfs_id, s, sizeof t->gtfs_id);
	return 0;
}

static struct trip *trip_new(const char *code, const char *line, struct json_object *ver,
			     const char *calendar, const char *block)
{
	struct trip *t = xcalloc(1, sizeof *t);
	strlcpy_jt(t->code, code, sizeof t->code);
	strlcpy_jt(t->line, line, sizeof t->line);
	t->version = json_object_get_int(json_object_object_get(ver, "version"));
	strlcpy_jt(t->calendar, calendar, sizeof t->calendar);
	strlcpy_jt(t->block, block ? block : "", sizeof t->block);
	t->n = json_object_array_length(json_object_object_get(ver, "stops"));
	t->st = xcalloc(t->n ? t->n : 1, sizeof *t->st);
	return t;
}

/* Checks what every new trip shares: line, calendar, block code. -1 with err. */
static int check_common(struct jtd *d, const char *line, const char *calendar, const char *block,
			char *err, size_t errlen)
{
	if (!line || !strmap_get(d->catalog[catalog_find("lines") - catalog_collections], line)) {
		snprintf(err, errlen, "there is no line %.32s", line ? line : "(none given)");
		return -1;
	}
	if (!calendar || !caledit_get(d, calendar)) {
		snprintf(err, errlen, "there is no calendar %.32s; add it first (jintong calendar add)",
			 calendar ? calendar : "(none given)");
		return -1;
	}
	if (block && !catalog_code_valid(block)) {
		snprintf(err, errlen, "block must be 1 to 32 letters, digits, '.', '_' or '-'");
		return -1;
	}
	return 0;
}

static void add_trip(struct jtd *d, struct evhttp_request *req, const char *who)
{
	static const char *const names[] = { "code",  "line",  "version",
					     "calendar", "block", "times", "gtfs_id" };
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	const char *code = str(body, "code"), *line = str(body, "line");
	const char *calendar = str(body, "calendar"), *block = str(body, "block");
	struct json_object *ver, *times;
	struct trip *t = NULL;
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, sizeof err) ||
	    check_common(d, line, calendar, block, err, sizeof err) != 0)
		goto bad;
	if (!code || !catalog_code_valid(code)) {
		snprintf(err, sizeof err, "code must be 1 to 32 letters, digits, '.', '_' or '-'");
		goto bad;
	}
	if (strmap_get(d->trips, code)) {
		http_reply_error(req, 409, "exists", "trip %s already exists", code);
		goto out;
	}
	if (!(ver = version_for(d, line, body, err, sizeof err)))
		goto bad;
	t = trip_new(code, line, ver, calendar, block);
	if (gtfs_id_take(t, body, err, sizeof err) != 0)
		goto bad;
	times = NULL;
	json_object_object_get_ex(body, "times", &times);
	if (read_times(d, t, ver, times, err, sizeof err) != 0)
		goto bad;
	struct trip **one = xcalloc(1, sizeof *one);
	one[0] = t;
	if (check_blocks(d, one, 1, err, sizeof err) != 0) {
		free(one);
		goto bad;
	}
	tripwrite_add(d, req, one, 1, who);
	t = NULL;
	goto out;
bad:
	http_reply_error(req, 400, "invalid", "%s", err);
out:
	tripwrite_free(t);
	json_object_put(body);
}

/*
 * PATCH /v1/admin/trips/{code}: {"calendar", "block" (null for none),
 * "version", "times"}, any of them, with the checks of adding: times that
 * run forward and a block whose trips do not overlap. A new version with
 * other places needs new times.
 */
static void edit_trip(struct jtd *d, struct evhttp_request *req, const struct trip *cur,
		      const char *who)
{
	static const char *const names[] = { "calendar", "block", "version", "times", "gtfs_id" };
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	struct json_object *v = NULL, *times = NULL, *ver;
	const char *calendar = str(body, "calendar") ? str(body, "calendar") : cur->calendar;
	const char *block = cur->block[0] ? cur->block : NULL;
	struct trip *t = NULL;
	bool bad_type = json_object_object_get_ex(body, "calendar", &v) && !str(body, "calendar");
	if (json_object_object_get_ex(body, "block", &v)) {
		block = v ? str(body, "block") : NULL; /* null: no block any more */
		bad_type |= v && !block;
	}
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, sizeof err))
		goto bad;
	if (bad_type) {
		snprintf(err, sizeof err, "calendar and block are codes (block null for none)");
		goto bad;
	}
	if (check_common(d, cur->line, calendar, block, err, sizeof err) != 0)
		goto bad;
	if (json_object_object_get_ex(body, "version", &v))
		ver = version_for(d, cur->line, body, err, sizeof err);
	else
		ver = routeedit_version(d, cur->line, cur->version);
	if (!ver)
		goto bad;
	t = trip_new(cur->code, cur->line, ver, calendar, block);
	strlcpy_jt(t->gtfs_id, cur->gtfs_id, sizeof t->gtfs_id);
	if (gtfs_id_take(t, body, err, sizeof err) != 0)
		goto bad;
	struct json_object *places = json_object_object_get(ver, "stops");
	if (json_object_object_get_ex(body, "times", &times)) {
		if (read_times(d, t, ver, times, err, sizeof err) != 0)
			goto bad;
	} else {
		struct json_object *old = json_object_object_get(cur->json, "stops");
		bool same = t->n == cur->n;
		for (size_t i = 0; same && i < t->n; i++)
			same = strcmp(json_object_get_string(json_object_array_get_idx(places, i)),
				      fmt_place(json_object_array_get_idx(old, i))) == 0;
		if (!same) {
			snprintf(err, sizeof err, "route version %d goes through other stops; give the "
						  "times for its %zu stops",
				 t->version, t->n);
			goto bad;
		}
		memcpy(t->st, cur->st, t->n * sizeof *t->st);
		tripwrite_json(t, places);
	}
	if (check_blocks(d, &t, 1, err, sizeof err) != 0)
		goto bad;
	if (json_object_equal(t->json, cur->json)) {
		/* an edit that changes nothing is not a change: nothing written or audited */
		http_reply_json(req, 200, json_object_get(cur->json));
		goto out;
	}
	tripwrite_edit(d, req, t, who);
	t = NULL;
	goto out;
bad:
	http_reply_error(req, 400, "invalid", "%s", err);
out:
	tripwrite_free(t);
	json_object_put(body);
}

/* Generated trips must still fit the service day and run forward. */
static int t_last_arrival_ok(struct trip **trips, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (stoptime_check(trips[i]->st, trips[i]->n, err, errlen) != 0)
			return -1;
	return 0;
}

static void add_timetable(struct jtd *d, struct evhttp_request *req, const char *line,
			  const char *who)
{
	static const char *const names[] = { "calendar", "first", "last",      "every",
					     "version",  "block", "speed_kmh", "dwell_s" };
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	const char *calendar = str(body, "calendar"), *block = str(body, "block");
	const char *first_s = str(body, "first"), *last_s = str(body, "last"), *every_s = str(body, "every");
	int32_t first, last, every;
	struct json_object *ver, *v;
	struct trip **trips = NULL;
	size_t n = 0;
	double speed = 30;
	int32_t dwell = 30;
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, sizeof err) ||
	    check_common(d, line, calendar, block, err, sizeof err) != 0)
		goto bad;
	if (!first_s || !last_s || timetable_parse_time(first_s, &first) != 0 ||
	    timetable_parse_time(last_s, &last) != 0 || last < first) {
		snprintf(err, sizeof err, "first and last are departure times HH:MM, last not before first");
		goto bad;
	}
	if (!every_s || timetable_parse_every(every_s, &every) != 0) {
		snprintf(err, sizeof err, "every is a headway such as 40m, 1h or 1h30m");
		goto bad;
	}
	if (json_object_object_get_ex(body, "speed_kmh", &v)) {
		speed = json_object_get_double(v);
		if (!(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) ||
		    !(speed >= 5 && speed <= 120)) {
			snprintf(err, sizeof err, "speed_kmh must be from 5 to 120");
			goto bad;
		}
	}
	if (json_object_object_get_ex(body, "dwell_s", &v)) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 0 ||
		    json_object_get_int(v) > 600) {
			snprintf(err, sizeof err, "dwell_s must be a whole number from 0 to 600");
			goto bad;
		}
		dwell = json_object_get_int(v);
	}
	if (!(ver = version_for(d, line, body, err, sizeof err)))
		goto bad;
	struct json_object *stops = json_object_object_get(ver, "stops");
	size_t ns = json_object_array_length(stops);
	double *lat = xcalloc(ns, sizeof *lat), *lon = xcalloc(ns, sizeof *lon);
	struct strmap *stopmap = d->catalog[catalog_find("stops") - catalog_collections];
	for (size_t i = 0; i < ns; i++) {
		struct json_object *s = strmap_get(stopmap, json_object_get_string(json_object_array_get_idx(stops, i)));
		if (!s) {
			free(lat);
			free(lon);
			snprintf(err, sizeof err, "line %s goes through location groups or zones; its "
						  "on-demand trips are added one by one, with windows",
				 line);
			goto bad;
		}
		lat[i] = json_object_get_double(json_object_object_get(s, "lat"));
		lon[i] = json_object_get_double(json_object_object_get(s, "lon"));
	}
	int32_t *run_arr = xcalloc(ns ? ns : 1, sizeof *run_arr), *run_dep = xcalloc(ns ? ns : 1, sizeof *run_dep);
	int32_t deps[TIMETABLE_TRIPS_MAX];
	size_t nd = timetable_departures(first, last, every, deps, TIMETABLE_TRIPS_MAX);
	trips = xcalloc(nd ? nd : 1, sizeof *trips);
	for (size_t i = 0; i < nd; i++) {
		/* LINE-HHMM; a departure time is below 48:00, so HHMM is four digits. */
		char code[CATALOG_CODE_MAX + 16];
		snprintf(code, sizeof code, "%.27s-%02d%02d", line, (deps[i] / 3600) % 48,
			 (deps[i] / 60) % 60);
		if (strmap_get(d->trips, code)) {
			free(run_arr);
			free(run_dep);
			free(lat);
			free(lon);
			http_reply_error(req, 409, "exists",
					 "trip %s already exists; remove it, or add the trips one by one", code);
			goto out;
		}
		struct trip *t = trip_new(code, line, ver, calendar, block);
		trips[n++] = t;
		timetable_run(deps[i], lat, lon, ns, speed, dwell, run_arr, run_dep);
		for (size_t k = 0; k < ns; k++)
			t->st[k].arr = run_arr[k], t->st[k].dep = run_dep[k];
		tripwrite_json(t, stops);
	}
	free(run_arr);
	free(run_dep);
	free(lat);
	free(lon);
	if (n && t_last_arrival_ok(trips, n, err, sizeof err) != 0)
		goto bad;
	if (check_blocks(d, trips, n, err, sizeof err) != 0)
		goto bad;
	tripwrite_add(d, req, trips, n, who);
	trips = NULL;
	n = 0;
	goto out;
bad:
	http_reply_error(req, 400, "invalid", "%s", err);
out:
	for (size_t i = 0; i < n; i++)
		tripwrite_free(trips[i]);
	free(trips);
	json_object_put(body);
}

static int by_code(const void *a, const void *b)
{
	return strcmp((*(struct trip *const *)a)->code, (*(struct trip *const *)b)->code);
}

static void list(struct jtd *d, struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	char line[CATALOG_CODE_MAX + 1] = "";
	if (query && *query) {
		struct evkeyvalq q;
		const char *l = NULL;
		if (evhttp_parse_query_str(query, &q) == 0) {
			l = evhttp_find_header(&q, "line");
			if (l)
				strlcpy_jt(line, l, sizeof line);
			evhttp_clear_headers(&q);
		}
		if (!l) {
			http_reply_error(req, 400, "invalid", "trips can be filtered by line=L only");
			return;
		}
	}
	size_t n = strmap_count(d->trips), pos = 0, k = 0;
	struct trip **all = xcalloc(n ? n : 1, sizeof *all);
	const char *key;
	void *v;
	while (strmap_next(d->trips, &pos, &key, &v) && k < n)
		if (!line[0] || strcmp(((struct trip *)v)->line, line) == 0)
			all[k++] = v;
	qsort(all, k, sizeof *all, by_code);
	struct json_object *arr = json_object_new_array_ext((int)k);
	for (size_t i = 0; i < k; i++)
		json_object_array_add(arr, json_object_get(all[i]->json));
	free(all);
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "trips", arr);
	http_reply_json(req, 200, top);
}

struct removal {
	struct jtd *d;
	struct evhttp_request *req;
	char code[CATALOG_CODE_MAX + 1];
	char who[64];
};

static void removed(void *arg, const PGresult *res)
{
	struct removal *rm = arg;
	if (!res) {
		http_reply_unavailable(rm->d, rm->req, "the database is unreachable; nothing was removed");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		http_reply_error(rm->req, 500, "database_error", "trip %s could not be removed", rm->code);
	} else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0) {
		http_reply_error(rm->req, 404, "not_found", "no trip %s", rm->code);
	} else {
		struct trip *t = strmap_del(rm->d->trips, rm->code);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "removed", t ? json_object_get(t->json) : NULL);
		http_reply_json(rm->req, 200, o);
		tripwrite_free(t);
		log_info("admin.trip_removed", "operator=%s trip=%s", rm->who, rm->code);
	}
	free(rm);
}

void tripedit_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (!code && m == EVHTTP_REQ_GET) {
		list(d, req);
	} else if (!code && m == EVHTTP_REQ_POST) {
		add_trip(d, req, who);
	} else if (code && strchr(code, '/')) {
		http_reply_error(req, 404, "not_found", "no such trip request");
	} else if (code && !strmap_get(d->trips, code)) {
		http_reply_error(req, 404, "not_found", "no trip %.40s", code);
	} else if (code && m == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_object_get(((struct trip *)strmap_get(d->trips, code))->json));
	} else if (code && m == EVHTTP_REQ_PATCH) {
		if (d->stopping)
			http_reply_unavailable(d, req, "the server is shutting down");
		else
			edit_trip(d, req, strmap_get(d->trips, code), who);
	} else if (code && m == EVHTTP_REQ_DELETE) {
		struct removal *rm = xcalloc(1, sizeof *rm);
		rm->d = d;
		rm->req = req;
		strlcpy_jt(rm->code, code, sizeof rm->code);
		strlcpy_jt(rm->who, who, sizeof rm->who);
		const char *params[] = { code, who };
		store_query(d->store,
			    "WITH r AS (DELETE FROM trip WHERE code = $1 RETURNING code),"
			    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
			    "  SELECT $2, 'remove', 'trip', r.code, NULL FROM r)"
			    " SELECT count(*) FROM r",
			    2, params, removed, rm);
	} else {
		http_reply_error(req, 405, "method_not_allowed",
				 "trips are added with POST, read with GET, changed with PATCH and removed "
				 "with DELETE");
	}
}

void tripedit_timetable(struct jtd *d, struct evhttp_request *req, const char *line, const char *who)
{
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "a timetable is added with POST");
		return;
	}
	add_timetable(d, req, line, who);
}

char *tripedit_calendar_users(struct jtd *d, const char *calendar)
{
	size_t pos = 0, count = 0;
	const char *k;
	void *v;
	char names[200] = "";
	while (strmap_next(d->trips, &pos, &k, &v)) {
		if (strcmp(((struct trip *)v)->calendar, calendar) != 0)
			continue;
		if (count < 5)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 count ? ", " : "", k);
		count++;
	}
	if (!count)
		return NULL;
	return xasprintf("calendar %s is used by %zu trip%s (%s%s); remove %s or give %s another "
			 "calendar first",
			 calendar, count, count > 1 ? "s" : "", names, count > 5 ? ", ..." : "",
			 count > 1 ? "them" : "it", count > 1 ? "them" : "it");
}

static void view_of(const struct trip *t, struct tripedit_view *v);

bool tripedit_next(struct jtd *d, size_t *pos, struct tripedit_view *v)
{
	const char *key;
	void *value;
	if (!strmap_next(d->trips, pos, &key, &value))
		return false;
	view_of(value, v);
	return true;
}

bool tripedit_view_of(struct jtd *d, const char *code, struct tripedit_view *v)
{
	const struct trip *t = strmap_get(d->trips, code);
	if (t)
		view_of(t, v);
	return t != NULL;
}

static void view_of(const struct trip *t, struct tripedit_view *v)
{
	struct json_object *stops = NULL;
	json_object_object_get_ex(t->json, "stops", &stops);
	*v = (struct tripedit_view){ .code = t->code, .line = t->line, .calendar = t->calendar,
				     .block = t->block, .version = t->version, .n = t->n,
				     .st = t->st, .stops = stops };
}

char *tripedit_rule_users(struct jtd *d, const char *rule)
{
	size_t pos = 0, count = 0;
	const char *k;
	void *v;
	char names[200] = "";
	while (strmap_next(d->trips, &pos, &k, &v)) {
		const struct trip *t = v;
		bool uses = false;
		for (size_t i = 0; i < t->n && !uses; i++)
			uses = strcmp(t->st[i].pickup_rule, rule) == 0 ||
			       strcmp(t->st[i].drop_off_rule, rule) == 0;
		if (!uses)
			continue;
		if (count < 5)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 count ? ", " : "", k);
		count++;
	}
	if (!count)
		return NULL;
	return xasprintf("booking rule %s is used by %zu trip%s (%s%s); give %s another rule or "
			 "remove %s first",
			 rule, count, count > 1 ? "s" : "", names, count > 5 ? ", ..." : "",
			 count > 1 ? "them" : "it", count > 1 ? "them" : "it");
}
