/*
 * netedit.c — the admin API for the route network's named things (towns,
 * villages, operators, stops, lines) and the audit trail of changes.
 *
 * Reads are answered from memory. A change is checked against what is in
 * memory (references exist, nothing in use is removed), then committed to
 * PostgreSQL together with its audit row, and only then applied in memory and
 * answered: an operator never sees a change the database does not have.
 */
#include "netedit.h"

#include <event2/http.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "placeedit.h"
#include "caledit.h"
#include "routeedit.h"
#include "store.h"
#include "strmap.h"
#include "timeparse.h"
#include "tripedit.h"
#include "util.h"

#define BODY_MAX 65536
#define AUDIT_DEFAULT 50
#define AUDIT_MAX 1000
#define IN_USE_NAMED 5

enum action { ACT_ADD, ACT_EDIT, ACT_REMOVE };
static const char *const action_names[] = { "add", "edit", "remove" };

/* A change waiting for its commit. */
struct change {
	struct jtd *d;
	struct evhttp_request *req;
	const struct collection *c;
	enum action action;
	struct json_object *rec; /* the record after the change (before it, for remove) */
	char who[64];
};

static struct strmap *map_of(struct jtd *d, const struct collection *c)
{
	return d->catalog[c - catalog_collections];
}

static bool exists(void *arg, const char *coll, const char *code)
{
	struct jtd *d = arg;
	if (strcmp(coll, "calendars") == 0)
		return caledit_get(d, code) != NULL;
	const struct collection *c = catalog_find(coll);
	return c && strmap_get(map_of(d, c), code) != NULL;
}

void netedit_init(struct jtd *d)
{
	if (catalog_ncollections > JT_ARRAY_LEN(d->catalog))
		fatal("the daemon holds %zu collections, the catalogue has %zu",
		      JT_ARRAY_LEN(d->catalog), catalog_ncollections);
	for (size_t i = 0; i < catalog_ncollections; i++)
		d->catalog[i] = strmap_new();
}

static void put_json(void *v)
{
	json_object_put(v);
}

void netedit_free(struct jtd *d)
{
	for (size_t i = 0; i < catalog_ncollections; i++) {
		strmap_free_all(d->catalog[i], put_json);
		d->catalog[i] = NULL;
	}
}

int netedit_load(struct jtd *d, PGconn *conn, char *err, size_t errlen)
{
	for (size_t i = 0; i < catalog_ncollections; i++) {
		const struct collection *c = &catalog_collections[i];
		char *sql = catalog_sql_select(c);
		PGresult *r = PQexec(conn, sql);
		free(sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			snprintf(err, errlen, "loading %s: %s", c->name, PQresultErrorMessage(r));
			err[strcspn(err, "\n")] = '\0';
			PQclear(r);
			return -1;
		}
		for (int row = 0; row < PQntuples(r); row++) {
			const char *vals[16];
			for (size_t f = 0; f < c->nfields && f < 16; f++)
				vals[f] = PQgetisnull(r, row, (int)f) ? NULL : PQgetvalue(r, row, (int)f);
			struct json_object *rec = catalog_from_row(c, vals);
			strmap_put(d->catalog[i], catalog_code(rec), rec);
		}
		log_info("boot.loaded", "collection=%s count=%d", c->name, PQntuples(r));
		PQclear(r);
	}
	return 0;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(catalog_code(*(struct json_object *const *)a),
		      catalog_code(*(struct json_object *const *)b));
}

static void list(struct jtd *d, struct evhttp_request *req, const struct collection *c)
{
	struct strmap *m = map_of(d, c);
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
	json_object_object_add(top, c->name, arr);
	http_reply_json(req, 200, top);
}

/* Records of other collections that refer to this one; a message naming some, or NULL. */
static char *in_use(struct jtd *d, const struct collection *c, const char *code)
{
	char *msg = NULL;
	for (size_t i = 0; i < catalog_ncollections; i++) {
		const struct collection *o = &catalog_collections[i];
		for (size_t f = 0; f < o->nfields; f++) {
			if (o->fields[f].kind != FIELD_REF || strcmp(o->fields[f].ref, c->name) != 0)
				continue;
			size_t count = 0, pos = 0;
			char names[200] = "";
			const char *key;
			void *v;
			while (strmap_next(map_of(d, o), &pos, &key, &v)) {
				struct json_object *ref;
				if (!json_object_object_get_ex(v, o->fields[f].name, &ref) || !ref ||
				    strcmp(json_object_get_string(ref), code) != 0)
					continue;
				if (count < IN_USE_NAMED)
					snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
						 count ? ", " : "", key);
				count++;
			}
			if (count && !msg)
				msg = xasprintf("%s %s has %zu %s%s (%s%s); move %s elsewhere or remove "
						"%s first",
						c->entity, code, count, o->entity, count > 1 ? "s" : "",
						names, count > IN_USE_NAMED ? ", ..." : "",
						count > 1 ? "them" : "it", count > 1 ? "them" : "it");
		}
	}
	return msg;
}

static void change_done(void *arg, const PGresult *res)
{
	struct change *ch = arg;
	struct jtd *d = ch->d;
	const char *code = catalog_code(ch->rec);
	if (!res) {
		http_reply_unavailable(d, ch->req, "the database is unreachable; nothing was changed");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(ch->req, 409, "exists", "%s %s already exists", ch->c->entity, code);
		else if (st && strcmp(st, "23503") == 0)
			http_reply_error(ch->req, 409, "in_use", "%s %s is in use; change what uses it first",
					 ch->c->entity, code);
		else if (st && (strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0))
			http_reply_error(ch->req, 400, "invalid", "%s %s: %.200s", ch->c->entity, code,
					 primary ? primary : "refused by the database");
		else
			http_reply_error(ch->req, 500, "database_error", "%s %s could not be saved",
					 ch->c->entity, code);
	} else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0) {
		http_reply_error(ch->req, 404, "not_found", "no %s %s", ch->c->entity, code);
	} else {
		struct strmap *m = map_of(d, ch->c);
		struct json_object *old = ch->action == ACT_REMOVE ? strmap_del(m, code)
								   : strmap_put(m, code, json_object_get(ch->rec));
		json_object_put(old);
		/* the table's name as the key: one word (booking_rule) */
		log_info("admin.network_changed", "operator=%s action=%s %s=%s", ch->who,
			 action_names[ch->action], ch->c->table, code);
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

static void commit(struct jtd *d, struct evhttp_request *req, const struct collection *c,
		   enum action action, struct json_object *rec, const char *who)
{
	struct change *ch = xcalloc(1, sizeof *ch);
	ch->d = d;
	ch->req = req;
	ch->c = c;
	ch->action = action;
	ch->rec = rec;
	strlcpy_jt(ch->who, who, sizeof ch->who);
	char *params[18] = { 0 };
	int n;
	char *sql;
	if (action == ACT_REMOVE) {
		params[0] = xstrdup(catalog_code(rec));
		n = 1;
		sql = catalog_sql_delete(c);
	} else {
		n = catalog_params(c, rec, params);
		sql = action == ACT_ADD ? catalog_sql_insert(c) : catalog_sql_update(c);
	}
	params[n++] = xstrdup(who);
	params[n++] = xstrdup(json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN));
	store_query(d->store, sql, n, (const char *const *)params, change_done, ch);
	for (int i = 0; i < n; i++)
		free(params[i]);
	free(sql);
}

/* The request body as a JSON object; replies 400 and returns NULL otherwise. */
void netedit_handle(struct jtd *d, struct evhttp_request *req, const struct collection *c,
		    const char *code, const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct json_object *cur = code ? strmap_get(map_of(d, c), code) : NULL;
	char err[300];
	if (!code && m == EVHTTP_REQ_GET) {
		list(d, req, c);
		return;
	}
	if (code && !cur && (m == EVHTTP_REQ_GET || m == EVHTTP_REQ_PATCH || m == EVHTTP_REQ_DELETE)) {
		http_reply_error(req, 404, "not_found", "no %s %.40s", c->entity, code);
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
		struct json_object *rec = catalog_build(c, in, NULL, exists, d, err, sizeof err);
		json_object_put(in);
		if (!rec) {
			http_reply_error(req, 400, "invalid", "%s", err);
		} else if (strmap_get(map_of(d, c), catalog_code(rec))) {
			http_reply_error(req, 409, "exists", "%s %s already exists; use edit to change it",
					 c->entity, catalog_code(rec));
			json_object_put(rec);
		} else {
			commit(d, req, c, ACT_ADD, rec, who);
		}
	} else if (code && m == EVHTTP_REQ_PATCH) {
		struct json_object *in = http_json_object(req, BODY_MAX);
		if (!in)
			return;
		struct json_object *rec = catalog_build(c, in, cur, exists, d, err, sizeof err);
		json_object_put(in);
		if (!rec) {
			http_reply_error(req, 400, "invalid", "%s", err);
		} else if (json_object_equal(rec, cur)) {
			/* an edit that changes nothing is not a change: nothing written or audited */
			http_reply_json(req, 200, rec);
		} else {
			commit(d, req, c, ACT_EDIT, rec, who);
		}
	} else if (code && m == EVHTTP_REQ_DELETE) {
		char *why = in_use(d, c, code);
		if (!why && strcmp(c->name, "stops") == 0)
			why = routeedit_users(d, code);
		if (!why && strcmp(c->name, "stops") == 0)
			why = placeedit_stop_users(d, code);
		if (!why && strcmp(c->name, "booking-rules") == 0)
			why = tripedit_rule_users(d, code);
		char cal[CATALOG_CODE_MAX + 1];
		if (!why && strcmp(c->name, "towns") == 0 && caledit_town_used(d, code, cal, sizeof cal))
			why = xasprintf("town %s has the market calendar %s; remove or change it first",
					code, cal);
		if (!why && strcmp(c->name, "lines") == 0 && routeedit_versions(d, code))
			why = xasprintf("line %s has %zu route version%s, kept as its history; a line "
					"that has run cannot be removed",
					code, routeedit_versions(d, code),
					routeedit_versions(d, code) > 1 ? "s" : "");
		if (why) {
			http_reply_error(req, 409, "in_use", "%s", why);
			free(why);
			return;
		}
		commit(d, req, c, ACT_REMOVE, json_object_get(cur), who);
	} else {
		http_reply_error(req, 405, "method_not_allowed", "%s takes GET, POST, PATCH or DELETE",
				 c->name);
	}
}

static void audit_loaded(void *arg, const PGresult *res)
{
	struct evhttp_request *req = arg;
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		http_reply_error(req, 503, "unavailable", "the audit trail cannot be read now");
		return;
	}
	struct json_object *arr = json_object_new_array();
	for (int i = 0; i < PQntuples(res); i++) {
		struct json_object *o = json_object_new_object();
		char at[TS_FORMAT_LEN];
		ts_format(strtoll(PQgetvalue(res, i, 0), NULL, 10), at, sizeof at);
		json_object_object_add(o, "at", json_object_new_string(at));
		static const char *const cols[] = { NULL, "operator", "action", "entity", "key" };
		for (int k = 1; k <= 4; k++)
			json_object_object_add(o, cols[k], json_object_new_string(PQgetvalue(res, i, k)));
		json_object_object_add(o, "detail",
				       PQgetisnull(res, i, 5) ? NULL
							      : json_tokener_parse(PQgetvalue(res, i, 5)));
		json_object_array_add(arr, o);
	}
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "audit", arr);
	http_reply_json(req, 200, top);
}

void netedit_audit(struct jtd *d, struct evhttp_request *req)
{
	long limit = AUDIT_DEFAULT;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	if (q && strncmp(q, "limit=", 6) == 0) {
		char *end;
		limit = strtol(q + 6, &end, 10);
		if (*end || end == q + 6 || limit < 1 || limit > AUDIT_MAX) {
			http_reply_error(req, 400, "invalid", "limit must be 1 to %d", AUDIT_MAX);
			return;
		}
	} else if (q && *q) {
		http_reply_error(req, 400, "invalid", "the audit trail takes only limit=N");
		return;
	}
	char lim[16];
	snprintf(lim, sizeof lim, "%ld", limit);
	const char *params[] = { lim };
	store_query(d->store,
		    "SELECT (extract(epoch FROM at) * 1000)::bigint, operator, action, entity, key,"
		    " detail::text FROM audit ORDER BY id DESC LIMIT $1",
		    1, params, audit_loaded, req);
}
