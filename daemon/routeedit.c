/*
 * routeedit.c — drawing and redrawing lines' routes through the admin API:
 *
 *   GET  /v1/admin/lines/{line}/routes             every version, and which is in effect
 *   GET  /v1/admin/lines/{line}/routes/{version}
 *   POST /v1/admin/lines/{line}/routes             {"stops":[…],"from":"YYYY-MM-DD","shape":[[lat,lon],…],
 *                                                   "shape_id":"the feed's shape_id, with a shape"}
 *
 * A redrawing is a new version taking effect on a date (today at the
 * earliest); earlier versions are never changed, so trips that started on
 * one finish on it. The reply says what changed from the version before.
 */
#include "routeedit.h"

#include <event2/http.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "gtfsid.h"
#include "http.h"
#include "log.h"
#include "placeedit.h"
#include "route.h"
#include "routebody.h"
#include "store.h"
#include "strmap.h"
#include "timeparse.h"
#include "util.h"

#define BODY_MAX (4 * 1024 * 1024)

/* A new version waiting for its commit. */
struct drawing {
	struct jtd *d;
	struct evhttp_request *req;
	char line[CATALOG_CODE_MAX + 1];
	struct json_object *version; /* the version as it will be served */
	struct json_object *diff;
	char who[64];
};

static struct json_object *versions_of(struct jtd *d, const char *line)
{
	return strmap_get(d->routes, line);
}

/* A stop, or a location group or zone ("group:LG1", "zone:Z1"), that exists. */
static bool stop_known(void *arg, const char *place)
{
	struct jtd *d = arg;
	enum route_place kind;
	const char *code;
	if (route_place(place, &kind, &code) != 0)
		return false;
	if (kind != ROUTE_STOP)
		return placeedit_exists(d, kind == ROUTE_GROUP, code);
	return strmap_get(d->catalog[catalog_find("stops") - catalog_collections], code) != NULL;
}

void routeedit_init(struct jtd *d)
{
	d->routes = strmap_new();
}

static void put_json(void *v)
{
	json_object_put(v);
}

void routeedit_free(struct jtd *d)
{
	strmap_free_all(d->routes, put_json);
	d->routes = NULL;
}

static void add_version(struct jtd *d, const char *line, struct json_object *version)
{
	struct json_object *list = versions_of(d, line);
	if (!list) {
		list = json_object_new_array();
		strmap_put(d->routes, line, list);
	}
	json_object_array_add(list, version);
}

/* A shape from PostgreSQL's JSON, with every coordinate a JSON double as when drawn. */
static struct json_object *shape_of_json(const char *text)
{
	struct json_object *in = json_tokener_parse(text), *out = json_object_new_array();
	size_t n = in && json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(in, i), *q = json_object_new_array_ext(2);
		for (size_t k = 0; k < 2; k++)
			json_object_array_add(
				q, json_object_new_double(json_object_get_double(json_object_array_get_idx(p, k))));
		json_object_array_add(out, q);
	}
	json_object_put(in);
	return out;
}

int routeedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	PGresult *r = PQexec(c,
			     "SELECT l.code, r.version, r.effective_from::text,"
			     " (SELECT json_agg(coalesce(s.code, 'group:' || g.code, 'zone:' || z.code)"
			     "   ORDER BY rs.seq) FROM route_stop rs LEFT JOIN stop s ON s.id = rs.stop_id"
			     "   LEFT JOIN location_group g ON g.id = rs.location_group_id"
			     "   LEFT JOIN zone z ON z.id = rs.zone_id WHERE rs.route_version_id = r.id),"
			     " (SELECT json_agg(json_build_array(ST_Y(p.geom), ST_X(p.geom)) ORDER BY p.path)"
			     "   FROM ST_DumpPoints(r.shape) p),"
			     " (extract(epoch FROM r.created_at) * 1000)::bigint, r.created_by, r.shape_gtfs_id"
			     " FROM route_version r JOIN line l ON l.id = r.line_id"
			     " ORDER BY l.code, r.version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading routes: %s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct json_object *v = json_object_new_object();
		char at[TS_FORMAT_LEN];
		ts_format(strtoll(PQgetvalue(r, i, 5), NULL, 10), at, sizeof at);
		json_object_object_add(v, "line", json_object_new_string(PQgetvalue(r, i, 0)));
		json_object_object_add(v, "version", json_object_new_int(atoi(PQgetvalue(r, i, 1))));
		json_object_object_add(v, "from", json_object_new_string(PQgetvalue(r, i, 2)));
		json_object_object_add(v, "stops", json_tokener_parse(PQgetvalue(r, i, 3)));
		json_object_object_add(v, "shape",
				       PQgetisnull(r, i, 4) ? NULL : shape_of_json(PQgetvalue(r, i, 4)));
		json_object_object_add(v, "shape_id", json_object_new_string(PQgetvalue(r, i, 7)));
		json_object_object_add(v, "created_at", json_object_new_string(at));
		json_object_object_add(v, "created_by", json_object_new_string(PQgetvalue(r, i, 6)));
		add_version(d, PQgetvalue(r, i, 0), v);
	}
	log_info("boot.loaded", "collection=routes count=%d", PQntuples(r));
	PQclear(r);
	return 0;
}

static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "";
}

/* Index of the version in effect today, or -1. */
static int in_effect(struct json_object *list)
{
	size_t n = list ? json_object_array_length(list) : 0;
	jt_day *from = xcalloc(n ? n : 1, sizeof *from);
	int *num = xcalloc(n ? n : 1, sizeof *num);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		if (date_parse(str_member(v, "from"), &from[i]) != 0)
			from[i] = INT32_MAX;
		struct json_object *nv;
		json_object_object_get_ex(v, "version", &nv);
		num[i] = json_object_get_int(nv);
	}
	int k = route_in_effect(from, num, n, today_local());
	free(from);
	free(num);
	return k;
}

static void reply_list(struct jtd *d, struct evhttp_request *req, const char *line)
{
	struct json_object *list = versions_of(d, line);
	int k = in_effect(list);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_string(line));
	json_object_object_add(o, "routes", list ? json_object_get(list) : json_object_new_array());
	struct json_object *nv = NULL;
	if (k >= 0)
		json_object_object_get_ex(json_object_array_get_idx(list, (size_t)k), "version", &nv);
	json_object_object_add(o, "in_effect", nv ? json_object_get(nv) : NULL);
	http_reply_json(req, 200, o);
}

static void drawn(void *arg, const PGresult *res)
{
	struct drawing *dr = arg;
	struct jtd *d = dr->d;
	if (!res) {
		http_reply_unavailable(d, dr->req, "the database is unreachable; nothing was drawn");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(dr->req, 409, "conflict",
					 "line %s was redrawn meanwhile; look at its routes and try again",
					 dr->line);
		else
			http_reply_error(dr->req, 500, "database_error", "the route of %s could not be saved",
					 dr->line);
		log_warn("admin.route_failed", "line=%s error=\"%s\"", dr->line,
			 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	} else {
		char at[TS_FORMAT_LEN];
		ts_format(strtoll(PQgetvalue(res, 0, 0), NULL, 10), at, sizeof at);
		json_object_object_add(dr->version, "created_at", json_object_new_string(at));
		json_object_object_add(dr->version, "created_by", json_object_new_string(dr->who));
		add_version(d, dr->line, json_object_get(dr->version));
		log_info("admin.route_drawn", "operator=%s line=%s version=%d from=%s", dr->who, dr->line,
			 json_object_get_int(json_object_object_get(dr->version, "version")),
			 str_member(dr->version, "from"));
		struct json_object *o = NULL;
		if (json_object_deep_copy(dr->version, &o, NULL) != 0)
			fatal("out of memory copying a route");
		json_object_object_add(o, "diff", json_object_get(dr->diff));
		http_reply_json(dr->req, 201, o);
	}
	json_object_put(dr->version);
	json_object_put(dr->diff);
	free(dr);
}

static struct json_object *diff_json(struct json_object *prev, const char *const *stops, size_t n,
				     struct json_object *shape)
{
	struct json_object *o = json_object_new_object();
	if (!prev) {
		json_object_object_add(o, "previous_version", NULL);
		return o;
	}
	struct json_object *pst = json_object_object_get(prev, "stops");
	size_t np = json_object_array_length(pst);
	const char **old = xcalloc(np ? np : 1, sizeof *old);
	for (size_t i = 0; i < np; i++)
		old[i] = json_object_get_string(json_object_array_get_idx(pst, i));
	struct route_diff df;
	route_diff(old, np, stops, n, &df);
	struct json_object *added = json_object_new_array(), *removed = json_object_new_array();
	for (size_t i = 0; i < df.nadded; i++)
		json_object_array_add(added, json_object_new_string(df.added[i]));
	for (size_t i = 0; i < df.nremoved; i++)
		json_object_array_add(removed, json_object_new_string(df.removed[i]));
	json_object_object_add(o, "previous_version",
			       json_object_get(json_object_object_get(prev, "version")));
	json_object_object_add(o, "added", added);
	json_object_object_add(o, "removed", removed);
	json_object_object_add(o, "reordered", json_object_new_boolean(df.reordered));
	struct json_object *ps = json_object_object_get(prev, "shape");
	bool changed = (ps == NULL) != (shape == NULL) ||
		       (ps && strcmp(json_object_to_json_string_ext(ps, JSON_C_TO_STRING_PLAIN),
				     json_object_to_json_string_ext(shape, JSON_C_TO_STRING_PLAIN)) != 0);
	json_object_object_add(o, "shape_changed", json_object_new_boolean(changed));
	route_diff_free(&df);
	free(old);
	return o;
}

static void draw(struct jtd *d, struct evhttp_request *req, const char *line, const char *who)
{
	struct json_object *body = http_json_object(req, BODY_MAX);
	if (!body)
		return;
	struct routebody b;
	char err[300];
	if (routebody_parse(body, stop_known, d, today_local(), &b, err, sizeof err) != 0) {
		http_reply_error(req, 400, "invalid", "%s", err);
		json_object_put(body);
		return;
	}
	const char **stops = b.stops;
	size_t n = b.n;
	struct json_object *shape = b.shape;
	const char *shape_id = b.shape_id;
	jt_day from = b.from;
	char *wkt = b.wkt;
	b.shape = NULL; /* the new version takes it */
	struct json_object *list = versions_of(d, line);
	size_t nv = list ? json_object_array_length(list) : 0;
	struct json_object *prev = nv ? json_object_array_get_idx(list, nv - 1) : NULL;
	int number = prev ? json_object_get_int(json_object_object_get(prev, "version")) + 1 : 1;

	struct drawing *dr = xcalloc(1, sizeof *dr);
	dr->d = d;
	dr->req = req;
	strlcpy_jt(dr->line, line, sizeof dr->line);
	strlcpy_jt(dr->who, who, sizeof dr->who);
	char from_s[DATE_FORMAT_LEN];
	date_format(from, from_s);
	struct json_object *v = json_object_new_object();
	json_object_object_add(v, "line", json_object_new_string(line));
	json_object_object_add(v, "version", json_object_new_int(number));
	json_object_object_add(v, "from", json_object_new_string(from_s));
	struct json_object *sa = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(sa, json_object_new_string(stops[i]));
	json_object_object_add(v, "stops", sa);
	json_object_object_add(v, "shape", shape);
	json_object_object_add(v, "shape_id", json_object_new_string(shape_id));
	dr->version = v;
	dr->diff = diff_json(prev, stops, n, shape);

	/* Stop codes are [A-Za-z0-9._-]: safe in an array literal without quoting. */
	size_t cap = 3 + n * (CATALOG_CODE_MAX + 1);
	char *arr = xmalloc(cap), num[16];
	size_t k = (size_t)snprintf(arr, cap, "{");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(arr + k, cap - k, "%s%s", i ? "," : "", stops[i]);
	snprintf(arr + k, cap - k, "}");
	snprintf(num, sizeof num, "%d", number);
	const char *detail = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	const char *params[] = { line, num, from_s, wkt, who, arr, detail, shape_id };
	store_query(d->store,
		    "WITH v AS (INSERT INTO route_version (line_id, version, effective_from, shape, created_by,"
		    "  shape_gtfs_id)"
		    "  SELECT l.id, $2::int, $3::date, ST_GeomFromText($4, 4326), $5, $8 FROM line l"
		    "  WHERE l.code = $1"
		    "  RETURNING id, created_at),"
		    " s AS (INSERT INTO route_stop (route_version_id, seq, stop_id, location_group_id, zone_id)"
		    "  SELECT v.id, u.ord, st.id, g.id, z.id FROM v,"
		    "  unnest($6::text[]) WITH ORDINALITY AS u(code, ord)"
		    "  LEFT JOIN stop st ON st.code = u.code"
		    "  LEFT JOIN location_group g ON 'group:' || g.code = u.code"
		    "  LEFT JOIN zone z ON 'zone:' || z.code = u.code),"
		    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
		    "  SELECT $5, 'add', 'route', $1 || ' v' || $2, $7::jsonb FROM v)"
		    " SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM v",
		    8, params, drawn, dr);
	free(arr);
	routebody_free(&b);
	json_object_put(body);
}

void routeedit_handle(struct jtd *d, struct evhttp_request *req, const char *line, const char *rest,
		      const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (!*rest && m == EVHTTP_REQ_GET) {
		reply_list(d, req, line);
	} else if (!*rest && m == EVHTTP_REQ_POST) {
		if (d->stopping)
			http_reply_unavailable(d, req, "the server is shutting down");
		else
			draw(d, req, line, who);
	} else if (*rest && m == EVHTTP_REQ_GET) {
		char *end;
		long v = strtol(rest, &end, 10);
		struct json_object *list = versions_of(d, line);
		if (*end || v < 1 || !list || (size_t)v > json_object_array_length(list))
			http_reply_error(req, 404, "not_found", "line %s has no route version %.12s", line,
					 rest);
		else
			http_reply_json(req, 200,
					json_object_get(json_object_array_get_idx(list, (size_t)v - 1)));
	} else {
		http_reply_error(req, 405, "method_not_allowed",
				 "routes are drawn with POST and read with GET; versions never change");
	}
}

char *routeedit_users(struct jtd *d, const char *stop)
{
	size_t pos = 0;
	const char *line;
	void *list;
	char names[200] = "";
	size_t count = 0;
	while (strmap_next(d->routes, &pos, &line, &list)) {
		size_t n = json_object_array_length(list);
		for (size_t i = 0; i < n; i++) {
			struct json_object *v = json_object_array_get_idx(list, i);
			struct json_object *st = json_object_object_get(v, "stops");
			bool uses = false;
			for (size_t k = 0; k < json_object_array_length(st) && !uses; k++)
				uses = strcmp(json_object_get_string(json_object_array_get_idx(st, k)), stop) == 0;
			if (!uses)
				continue;
			if (count < 5)
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s v%d",
					 count ? ", " : "", line,
					 json_object_get_int(json_object_object_get(v, "version")));
			count++;
		}
	}
	if (!count)
		return NULL;
	enum route_place kind = ROUTE_STOP;
	const char *code = stop;
	if (route_place(stop, &kind, &code) != 0)
		kind = ROUTE_STOP, code = stop;
	static const char *const what[] = { "stop", "location group", "zone" };
	return xasprintf("%s %s is on %zu route version%s (%s%s); redraw those lines without it "
			 "first (route versions are kept as history, so a place that ever served a "
			 "line stays)",
			 what[kind], code, count, count > 1 ? "s" : "", names, count > 5 ? ", ..." : "");
}

size_t routeedit_versions(struct jtd *d, const char *line)
{
	struct json_object *list = versions_of(d, line);
	return list ? json_object_array_length(list) : 0;
}

struct json_object *routeedit_version(struct jtd *d, const char *line, int version)
{
	struct json_object *list = versions_of(d, line);
	size_t n = list ? json_object_array_length(list) : 0;
	if (n == 0 || version < 0 || (size_t)version > n)
		return NULL;
	return json_object_array_get_idx(list, version ? (size_t)version - 1 : n - 1);
}

struct json_object *routeedit_in_effect(struct jtd *d, const char *line)
{
	struct json_object *list = versions_of(d, line);
	int k = in_effect(list);
	return k >= 0 ? json_object_array_get_idx(list, (size_t)k) : NULL;
}
