/*
 * placeedit.c — location groups and zones through the admin API:
 *
 *   GET    /v1/admin/location-groups[/{code}]
 *   POST   /v1/admin/location-groups          {"code","name","stops":[stop codes],"gtfs_id"}
 *   PATCH  /v1/admin/location-groups/{code}   {"name"} and/or {"stops"}
 *   DELETE /v1/admin/location-groups/{code}
 *   GET    /v1/admin/zones[/{code}]
 *   POST   /v1/admin/zones                    {"code","name","description","geometry","gtfs_id"}
 *   PATCH  /v1/admin/zones/{code}             some of those
 *   DELETE /v1/admin/zones/{code}
 *
 * A zone's geometry is a GeoJSON Polygon or MultiPolygon (checked by
 * geojson.c), stored with PostGIS. A route version of an on-demand line
 * goes through them as "group:CODE" and "zone:CODE" (routeedit.c); one in
 * use there cannot be removed. As everywhere in the admin API: checked
 * against memory, committed with its audit row in one statement, then
 * applied in memory and answered. gtfs_id is the GTFS id a place was
 * imported under when that is not its code (gtfsid.h), else "".
 */
#include "placeedit.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "geojson.h"
#include "http.h"
#include "log.h"
#include "placebody.h"
#include "routeedit.h"
#include "store.h"
#include "strmap.h"
#include "util.h"

#define BODY_MAX (32u * 1024 * 1024)

/* What differs between the two kinds of place. */
struct kind {
	const char *path;   /* "location-groups" */
	const char *entity; /* "location group": audit and messages */
	const char *prefix; /* in route versions: "group:" */
};

static const struct kind kinds[2] = {
	{ "zones", "zone", "zone:" },
	{ "location-groups", "location group", "group:" },
};

static struct strmap *map(struct jtd *d, bool groups)
{
	return groups ? d->groups : d->zones;
}

void placeedit_init(struct jtd *d)
{
	d->groups = strmap_new();
	d->zones = strmap_new();
}

static void put_json(void *v)
{
	json_object_put(v);
}

void placeedit_free(struct jtd *d)
{
	strmap_free_all(d->groups, put_json);
	strmap_free_all(d->zones, put_json);
	d->groups = d->zones = NULL;
}

bool placeedit_exists(struct jtd *d, bool groups, const char *code)
{
	return strmap_get(map(d, groups), code) != NULL;
}

static int load_error(PGresult *r, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "loading %s: %s", what, PQresultErrorMessage(r));
	err[strcspn(err, "\n")] = '\0';
	PQclear(r);
	return -1;
}

int placeedit_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, "SELECT g.code, g.name, (SELECT coalesce(json_agg(s.code ORDER BY s.code),"
				" '[]') FROM location_group_stop m JOIN stop s ON s.id = m.stop_id"
				" WHERE m.group_id = g.id), g.gtfs_id FROM location_group g ORDER BY g.code");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return load_error(r, "location groups", err, errlen);
	for (int i = 0; i < PQntuples(r); i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(PQgetvalue(r, i, 0)));
		json_object_object_add(o, "name", json_object_new_string(PQgetvalue(r, i, 1)));
		json_object_object_add(o, "stops", json_tokener_parse(PQgetvalue(r, i, 2)));
		json_object_object_add(o, "gtfs_id", json_object_new_string(PQgetvalue(r, i, 3)));
		strmap_put(d->groups, PQgetvalue(r, i, 0), o);
	}
	log_info("boot.loaded", "collection=location-groups count=%d", PQntuples(r));
	PQclear(r);
	r = PQexec(c, "SELECT code, name, description, ST_AsGeoJSON(area, 15), gtfs_id FROM zone"
		   " ORDER BY code");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return load_error(r, "zones", err, errlen);
	for (int i = 0; i < PQntuples(r); i++) {
		char why[200];
		struct json_object *g = json_tokener_parse(PQgetvalue(r, i, 3));
		struct json_object *area = geojson_area(g, why, sizeof why);
		json_object_put(g);
		if (!area) {
			snprintf(err, errlen, "zone %s as stored is not an area: %s", PQgetvalue(r, i, 0), why);
			PQclear(r);
			return -1;
		}
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(PQgetvalue(r, i, 0)));
		json_object_object_add(o, "name", json_object_new_string(PQgetvalue(r, i, 1)));
		json_object_object_add(o, "description", json_object_new_string(PQgetvalue(r, i, 2)));
		json_object_object_add(o, "geometry", area);
		json_object_object_add(o, "gtfs_id", json_object_new_string(PQgetvalue(r, i, 4)));
		strmap_put(d->zones, PQgetvalue(r, i, 0), o);
	}
	log_info("boot.loaded", "collection=zones count=%d", PQntuples(r));
	PQclear(r);
	return 0;
}

/* Stops, as a group's members. */
static bool exists(void *arg, const char *coll, const char *code)
{
	struct jtd *d = arg;
	const struct collection *c = catalog_find(coll);
	return c && strmap_get(d->catalog[c - catalog_collections], code) != NULL;
}

/* ---- committing ---- */

enum action { ACT_ADD, ACT_EDIT, ACT_REMOVE };
static const char *const action_names[] = { "add", "edit", "remove" };

struct change {
	struct jtd *d;
	struct evhttp_request *req;
	bool groups;
	enum action action;
	struct json_object *rec;
	char who[64];
};

static void done(void *arg, const PGresult *res)
{
	struct change *ch = arg;
	const struct kind *k = &kinds[ch->groups];
	const char *code = json_object_get_string(json_object_object_get(ch->rec, "code"));
	if (!res) {
		http_reply_unavailable(ch->d, ch->req, "the database is unreachable; nothing was changed");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(ch->req, 409, "exists", "%s %s already exists", k->entity, code);
		else if (st && strcmp(st, "23503") == 0)
			http_reply_error(ch->req, 409, "in_use", "%s %s is in use; change what uses it first",
					 k->entity, code);
		else if (st && (strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0 ||
				strcmp(st, "XX000") == 0))
			http_reply_error(ch->req, 400, "invalid", "%s %s: %.200s", k->entity, code,
					 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		else
			http_reply_error(ch->req, 500, "database_error", "%s %s could not be saved",
					 k->entity, code);
	} else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0) {
		http_reply_error(ch->req, 404, "not_found", "no %s %s", k->entity, code);
	} else {
		struct strmap *m = map(ch->d, ch->groups);
		json_object_put(ch->action == ACT_REMOVE ? strmap_del(m, code)
							 : strmap_put(m, code, json_object_get(ch->rec)));
		log_info("admin.place_changed", "operator=%s action=%s %s=%s", ch->who,
			 action_names[ch->action], ch->groups ? "group" : "zone", code);
		if (ch->action == ACT_REMOVE) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "removed", json_object_get(ch->rec));
			http_reply_json(ch->req, 200, o);
		} else {
			http_reply_json(ch->req, ch->action == ACT_ADD ? 201 : 200, json_object_get(ch->rec));
		}
	}
	json_object_put(ch->rec);
	free(ch);
}

static const char *const group_sql[3] = {
	"WITH r AS (INSERT INTO location_group (code, name, gtfs_id) VALUES ($1, $2, $6)"
	"  RETURNING id, code),"
	" m AS (INSERT INTO location_group_stop (group_id, stop_id) SELECT r.id, s.id FROM r,"
	"  unnest($3::text[]) u(code) JOIN stop s ON s.code = u.code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $4, 'add', 'location group', r.code, $5::jsonb FROM r)"
	" SELECT count(*) FROM r",
	"WITH r AS (UPDATE location_group SET name = $2, gtfs_id = $6 WHERE code = $1"
	"  RETURNING id, code),"
	" x AS (DELETE FROM location_group_stop m USING r WHERE m.group_id = r.id AND m.stop_id NOT IN"
	"  (SELECT s.id FROM stop s WHERE s.code = ANY ($3::text[]))),"
	" m AS (INSERT INTO location_group_stop (group_id, stop_id) SELECT r.id, s.id FROM r,"
	"  unnest($3::text[]) u(code) JOIN stop s ON s.code = u.code ON CONFLICT DO NOTHING),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $4, 'edit', 'location group', r.code, $5::jsonb FROM r)"
	" SELECT count(*) FROM r",
	"WITH r AS (DELETE FROM location_group WHERE code = $1 RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $2, 'remove', 'location group', r.code, NULL FROM r)"
	" SELECT count(*) FROM r",
};

static const char *const zone_sql[3] = {
	"WITH r AS (INSERT INTO zone (code, name, description, area, gtfs_id) VALUES ($1, $2, $3,"
	"  ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), $7) RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $5, 'add', 'zone', r.code, $6::jsonb FROM r)"
	" SELECT count(*) FROM r",
	"WITH r AS (UPDATE zone SET name = $2, description = $3,"
	"  area = ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), gtfs_id = $7 WHERE code = $1"
	"  RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $5, 'edit', 'zone', r.code, $6::jsonb FROM r)"
	" SELECT count(*) FROM r",
	"WITH r AS (DELETE FROM zone WHERE code = $1 RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $2, 'remove', 'zone', r.code, NULL FROM r)"
	" SELECT count(*) FROM r",
};

static const char *member(struct json_object *rec, const char *key)
{
	return json_object_get_string(json_object_object_get(rec, key));
}

static void commit(struct jtd *d, struct evhttp_request *req, bool groups, enum action action,
		   struct json_object *rec, const char *who)
{
	struct change *ch = xcalloc(1, sizeof *ch);
	*ch = (struct change){ .d = d, .req = req, .groups = groups, .action = action, .rec = rec };
	strlcpy_jt(ch->who, who, sizeof ch->who);
	const char *p[7];
	int n = 0;
	char *arr = NULL;
	p[n++] = member(rec, "code");
	if (action != ACT_REMOVE) {
		p[n++] = member(rec, "name");
		if (groups) {
			/* Stop codes are [A-Za-z0-9._-]: safe in an array literal without quoting. */
			struct json_object *s = json_object_object_get(rec, "stops");
			size_t k = json_object_array_length(s), len = 0, cap = 3 + k * (CATALOG_CODE_MAX + 1);
			arr = xmalloc(cap);
			len += (size_t)snprintf(arr, cap, "{");
			for (size_t i = 0; i < k; i++)
				len += (size_t)snprintf(arr + len, cap - len, "%s%s", i ? "," : "",
							json_object_get_string(json_object_array_get_idx(s, i)));
			snprintf(arr + len, cap - len, "}");
			p[n++] = arr;
		} else {
			p[n++] = member(rec, "description");
			p[n++] = json_object_to_json_string_ext(json_object_object_get(rec, "geometry"),
								 JSON_C_TO_STRING_PLAIN);
		}
	}
	p[n++] = who;
	/* the audit's detail: the record, but a zone's area only as its kind */
	struct json_object *detail = NULL;
	if (action != ACT_REMOVE) {
		detail = json_object_new_object();
		json_object_object_foreach(rec, key, val)
		{
			if (strcmp(key, "geometry") == 0)
				json_object_object_add(detail, key, json_object_get(json_object_object_get(val, "type")));
			else
				json_object_object_add(detail, key, json_object_get(val));
		}
		p[n++] = json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN);
		p[n++] = member(rec, "gtfs_id");
	}
	store_query(d->store, (groups ? group_sql : zone_sql)[action], n, p, done, ch);
	json_object_put(detail);
	free(arr);
}

/* ---- requests ---- */

static int by_code(const void *a, const void *b)
{
	return strcmp(member(*(struct json_object *const *)a, "code"),
		      member(*(struct json_object *const *)b, "code"));
}

static void list(struct jtd *d, struct evhttp_request *req, bool groups)
{
	struct strmap *m = map(d, groups);
	size_t n = strmap_count(m), pos = 0, k = 0;
	struct json_object **recs = xcalloc(n ? n : 1, sizeof *recs);
	const char *key;
	void *v;
	while (strmap_next(m, &pos, &key, &v) && k < n)
		recs[k++] = v;
	qsort(recs, k, sizeof *recs, by_code);
	struct json_object *arr = json_object_new_array_ext((int)k);
	for (size_t i = 0; i < k; i++)
		json_object_array_add(arr, json_object_get(recs[i]));
	free(recs);
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, kinds[groups].path, arr);
	http_reply_json(req, 200, top);
}

void placeedit_handle(struct jtd *d, struct evhttp_request *req, bool groups, const char *code,
		      const char *who)
{
	const struct kind *k = &kinds[groups];
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct json_object *cur = code ? strmap_get(map(d, groups), code) : NULL;
	char err[300];
	if (code && strchr(code, '/')) {
		http_reply_error(req, 404, "not_found", "no such %s request", k->entity);
		return;
	}
	if (!code && m == EVHTTP_REQ_GET) {
		list(d, req, groups);
		return;
	}
	if (code && !cur && m != EVHTTP_REQ_POST) {
		http_reply_error(req, 404, "not_found", "no %s %.40s", k->entity, code);
		return;
	}
	if (code && m == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_object_get(cur));
		return;
	}
	if (d->stopping) {
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	if (!code && m == EVHTTP_REQ_POST) {
		struct json_object *in = http_json_object(req, BODY_MAX);
		if (!in)
			return;
		struct json_object *rec = placebody_build(groups, in, NULL, exists, d, err, sizeof err);
		json_object_put(in);
		const char *c = rec ? member(rec, "code") : NULL;
		if (!rec) {
			http_reply_error(req, 400, "invalid", "%s", err);
		} else if (strmap_get(map(d, groups), c)) {
			http_reply_error(req, 409, "exists", "%s %s already exists; use edit to change it",
					 k->entity, c);
			json_object_put(rec);
		} else if (strmap_get(map(d, !groups), c) ||
			   strmap_get(d->catalog[catalog_find("stops") - catalog_collections], c)) {
			/* GTFS gives stops, groups and zones one name space */
			http_reply_error(req, 409, "exists", "%s is the code of a %s already; give the %s "
							     "another code",
					 c, strmap_get(map(d, !groups), c) ? kinds[!groups].entity : "stop",
					 k->entity);
			json_object_put(rec);
		} else {
			commit(d, req, groups, ACT_ADD, rec, who);
		}
	} else if (code && m == EVHTTP_REQ_PATCH) {
		struct json_object *in = http_json_object(req, BODY_MAX);
		if (!in)
			return;
		struct json_object *rec = placebody_build(groups, in, cur, exists, d, err, sizeof err);
		json_object_put(in);
		if (!rec)
			http_reply_error(req, 400, "invalid", "%s", err);
		else if (json_object_equal(rec, cur))
			http_reply_json(req, 200, rec); /* nothing changes: nothing written */
		else
			commit(d, req, groups, ACT_EDIT, rec, who);
	} else if (code && m == EVHTTP_REQ_DELETE) {
		char *place = xasprintf("%s%s", k->prefix, code);
		char *why = routeedit_users(d, place);
		free(place);
		if (why) {
			http_reply_error(req, 409, "in_use", "%s", why);
			free(why);
			return;
		}
		commit(d, req, groups, ACT_REMOVE, json_object_get(cur), who);
	} else {
		http_reply_error(req, 405, "method_not_allowed", "%s take GET, POST, PATCH or DELETE",
				 k->path);
	}
}

char *placeedit_stop_users(struct jtd *d, const char *stop)
{
	size_t pos = 0, count = 0;
	const char *key;
	void *v;
	char names[200] = "";
	while (strmap_next(d->groups, &pos, &key, &v)) {
		struct json_object *s = json_object_object_get(v, "stops");
		bool in = false;
		for (size_t i = 0; i < json_object_array_length(s) && !in; i++)
			in = strcmp(json_object_get_string(json_object_array_get_idx(s, i)), stop) == 0;
		if (!in)
			continue;
		if (count < 5)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", count ? ", " : "",
				 key);
		count++;
	}
	if (!count)
		return NULL;
	return xasprintf("stop %s is in %zu location group%s (%s%s); take it out of %s first "
			 "(jintong location-group edit)",
			 stop, count, count > 1 ? "s" : "", names, count > 5 ? ", ..." : "",
			 count > 1 ? "them" : "it");
}
