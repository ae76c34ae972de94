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
#include "tripbody.h"
#include "util.h"

#define BODY_MAX 262144
#define OVERLAP_HORIZON 366 /* days ahead in which two trips of a block may not overlap */

void tripedit_init(struct jtd *d)
{
	d->trips = strmap_new();
}

static void free_trip(void *v)
{
	tripbody_free(v);
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
		tripbody_json(t, stops);
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

static bool exists(void *arg, const char *coll, const char *code)
{
	struct jtd *d = arg;
	if (strcmp(coll, "calendars") == 0)
		return caledit_get(d, code) != NULL;
	if (strcmp(coll, "trips") == 0)
		return strmap_get(d->trips, code) != NULL;
	const struct collection *c = catalog_find(coll);
	return c && strmap_get(d->catalog[c - catalog_collections], code) != NULL;
}

static struct json_object *version(void *arg, const char *line, int number)
{
	return routeedit_version(arg, line, number);
}

/* What the trip bodies refer to: the daemon's lines, calendars, trips, rules and routes. */
static struct tripbody_env env_of(struct jtd *d)
{
	return (struct tripbody_env){ .exists = exists, .version = version, .arg = d };
}

static void add_trip(struct jtd *d, struct evhttp_request *req, const char *who)
{
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	struct tripbody_env env = env_of(d);
	struct trip *t = NULL;
	int status = tripbody_add(body, &env, &t, err, sizeof err);
	json_object_put(body);
	if (status == 409) {
		http_reply_error(req, 409, "exists", "%s", err);
		return;
	}
	struct trip **one = status ? NULL : xcalloc(1, sizeof *one);
	if (one) {
		one[0] = t;
		if (check_blocks(d, one, 1, err, sizeof err) != 0) {
			free(one);
			one = NULL;
		}
	}
	if (!one) {
		http_reply_error(req, 400, "invalid", "%s", err);
		tripbody_free(t);
		return;
	}
	tripwrite_add(d, req, one, 1, who);
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
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	struct tripbody_env env = env_of(d);
	struct trip *t = NULL;
	int status = tripbody_edit(body, cur, &env, &t, err, sizeof err);
	json_object_put(body);
	if (status != 0 || check_blocks(d, &t, 1, err, sizeof err) != 0) {
		http_reply_error(req, 400, "invalid", "%s", err);
	} else if (json_object_equal(t->json, cur->json)) {
		/* an edit that changes nothing is not a change: nothing written or audited */
		http_reply_json(req, 200, json_object_get(cur->json));
	} else {
		tripwrite_edit(d, req, t, who);
		t = NULL;
	}
	tripbody_free(t);
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
	char err[400];
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	struct tripbody_env env = env_of(d);
	struct tripbody_timetable tt;
	struct trip **trips = NULL;
	size_t n = 0;
	if (tripbody_timetable(body, line, &env, &tt, err, sizeof err) != 0)
		goto bad;
	const char *calendar = tt.calendar, *block = tt.block;
	struct json_object *ver = tt.ver;
	int32_t first = tt.first, last = tt.last, every = tt.every, dwell = tt.dwell_s;
	double speed = tt.speed_kmh;
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
		struct trip *t = tripbody_new(code, line, ver, calendar, block);
		trips[n++] = t;
		timetable_run(deps[i], lat, lon, ns, speed, dwell, run_arr, run_dep);
		for (size_t k = 0; k < ns; k++)
			t->st[k].arr = run_arr[k], t->st[k].dep = run_dep[k];
		tripbody_json(t, stops);
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
		tripbody_free(trips[i]);
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
		tripbody_free(t);
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
