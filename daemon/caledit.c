/*
 * caledit.c — service calendars through the admin API:
 *
 *   GET    /v1/admin/calendars[/{code}]
 *   GET    /v1/admin/calendars/{code}/dates?from=YYYY-MM-DD&to=YYYY-MM-DD
 *   POST   /v1/admin/calendars                 a calendar (below)
 *   PATCH  /v1/admin/calendars/{code}          some of its fields
 *   DELETE /v1/admin/calendars/{code}
 *
 * A calendar's body is read and checked by calbody.c (its fields are listed
 * there) against the calendar rules (calendar.c), committed with its audit
 * row, then kept in memory where the dates it runs on are computed.
 */
#include "caledit.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calbody.h"
#include "calendar.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "tripedit.h"
#include "strmap.h"
#include "util.h"

#define BODY_MAX 262144
#define DATES_SPAN_MAX 1830 /* five years of dates in one answer */

void caledit_init(struct jtd *d)
{
	d->calendars = strmap_new();
}

/* Towns, as the calendar rules ask about them. */
static bool exists(void *arg, const char *coll, const char *code)
{
	struct jtd *d = arg;
	const struct collection *c = catalog_find(coll);
	return c && strmap_get(d->catalog[c - catalog_collections], code) != NULL;
}

static void free_cal(void *v)
{
	calbody_free(v);
}

void caledit_free(struct jtd *d)
{
	strmap_free_all(d->calendars, free_cal);
	d->calendars = NULL;
}

int caledit_load(struct jtd *d, PGconn *conn, char *err, size_t errlen)
{
	PGresult *r = PQexec(conn, "SELECT json_build_object("
				   " 'code', c.code, 'name', c.name, 'kind', c.kind,"
				   " 'start', c.start_date, 'end', c.end_date,"
				   " 'weekdays', CASE WHEN c.weekdays = 0 THEN NULL ELSE ("
				   "   SELECT string_agg((ARRAY['mon','tue','wed','thu','fri','sat','sun'])[b + 1], ',' ORDER BY b)"
				   "   FROM generate_series(0, 6) b WHERE c.weekdays & (1 << b) <> 0) END,"
				   " 'digits', CASE WHEN c.market_digits = 0 THEN NULL ELSE ("
				   "   SELECT string_agg(b::text, ',' ORDER BY b)"
				   "   FROM generate_series(0, 9) b WHERE c.market_digits & (1 << b) <> 0) END,"
				   " 'lunar', c.lunar,"
				   " 'town', (SELECT t.code FROM town t WHERE t.id = c.town_id),"
				   " 'terms', (SELECT coalesce(json_agg(json_build_array(lower(x), upper(x) - 1)"
				   "   ORDER BY lower(x)), '[]') FROM unnest(c.terms) x),"
				   " 'added', to_json(c.added), 'removed', to_json(c.removed),"
				   " 'gtfs_id', c.gtfs_id)::text"
				   " FROM calendar c ORDER BY c.code");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading calendars: %s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct json_object *in = json_tokener_parse(PQgetvalue(r, i, 0));
		char why[300];
		struct calbody *k = in ? calbody_build(in, NULL, exists, d, why, sizeof why) : NULL;
		json_object_put(in);
		if (!k) {
			snprintf(err, errlen, "calendar %d in the database does not load: %s", i + 1,
				 in ? why : "bad JSON");
			PQclear(r);
			return -1;
		}
		strmap_put(d->calendars, catalog_code(k->json), k);
	}
	log_info("boot.loaded", "collection=calendars count=%d", PQntuples(r));
	PQclear(r);
	return 0;
}

enum action { ACT_ADD, ACT_EDIT, ACT_REMOVE };
static const char *const action_names[] = { "add", "edit", "remove" };

struct change {
	struct jtd *d;
	struct evhttp_request *req;
	enum action action;
	struct calbody *k; /* after the change; for remove, the calendar removed */
	char who[64];
};

static char *date_array(const jt_day *days, size_t n, size_t stride)
{
	char *s = xmalloc(3 + n * DATE_FORMAT_LEN);
	size_t len = 0;
	s[len++] = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			s[len++] = ',';
		date_format(*(const jt_day *)((const char *)days + i * stride), s + len);
		len += DATE_FORMAT_LEN - 1;
	}
	s[len++] = '}';
	s[len] = '\0';
	return s;
}

static void change_done(void *arg, const PGresult *res)
{
	struct change *ch = arg;
	const char *code = catalog_code(ch->k->json);
	if (!res) {
		http_reply_unavailable(ch->d, ch->req, "the database is unreachable; nothing was changed");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(ch->req, 409, "exists", "calendar %s already exists", code);
		else if (st && strcmp(st, "23503") == 0)
			http_reply_error(ch->req, 409, "in_use", "calendar %s is in use", code);
		else
			http_reply_error(ch->req, 500, "database_error", "calendar %s could not be saved", code);
	} else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0) {
		http_reply_error(ch->req, 404, "not_found", "no calendar %s", code);
	} else {
		log_info("admin.network_changed", "operator=%s action=%s calendar=%s", ch->who,
			 action_names[ch->action], code);
		if (ch->action == ACT_REMOVE) {
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "removed", json_object_get(ch->k->json));
			http_reply_json(ch->req, 200, o);
			calbody_free(strmap_del(ch->d->calendars, code));
			calbody_free(ch->k);
		} else {
			http_reply_json(ch->req, ch->action == ACT_ADD ? 201 : 200, json_object_get(ch->k->json));
			calbody_free(strmap_put(ch->d->calendars, code, ch->k));
		}
		free(ch);
		return;
	}
	calbody_free(ch->k);
	free(ch);
}

static const char insert_sql[] =
	"WITH r AS (INSERT INTO calendar (code, name, kind, start_date, end_date, weekdays,"
	"  market_digits, lunar, town_id, terms, added, removed, gtfs_id)"
	" VALUES ($1, $2, $3, $4::date, $5::date, $6::smallint, $7::smallint, $8::boolean,"
	"  (SELECT id FROM town WHERE code = $9),"
	"  ARRAY(SELECT daterange(f, l, '[]') FROM unnest($10::date[], $11::date[]) AS u(f, l)),"
	"  $12::date[], $13::date[], $16) RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $14, 'add', 'calendar', r.code, $15::jsonb FROM r)"
	" SELECT count(*) FROM r";
static const char update_sql[] =
	"WITH r AS (UPDATE calendar SET name = $2, kind = $3, start_date = $4::date,"
	"  end_date = $5::date, weekdays = $6::smallint, market_digits = $7::smallint,"
	"  lunar = $8::boolean, town_id = (SELECT id FROM town WHERE code = $9),"
	"  terms = ARRAY(SELECT daterange(f, l, '[]') FROM unnest($10::date[], $11::date[]) AS u(f, l)),"
	"  added = $12::date[], removed = $13::date[], gtfs_id = $16 WHERE code = $1 RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $14, 'edit', 'calendar', r.code, $15::jsonb FROM r)"
	" SELECT count(*) FROM r";
static const char delete_sql[] =
	"WITH r AS (DELETE FROM calendar WHERE code = $1 RETURNING code),"
	" a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	"  SELECT $2, 'remove', 'calendar', r.code, $3::jsonb FROM r)"
	" SELECT count(*) FROM r";

static void commit(struct jtd *d, struct evhttp_request *req, enum action action, struct calbody *k,
		   const char *who)
{
	struct change *ch = xcalloc(1, sizeof *ch);
	ch->d = d;
	ch->req = req;
	ch->action = action;
	ch->k = k;
	strlcpy_jt(ch->who, who, sizeof ch->who);
	const char *detail = json_object_to_json_string_ext(k->json, JSON_C_TO_STRING_PLAIN);
	if (action == ACT_REMOVE) {
		const char *params[] = { catalog_code(k->json), who, detail };
		store_query(d->store, delete_sql, 3, params, change_done, ch);
		return;
	}
	const struct calendar *c = &k->c;
	char start[DATE_FORMAT_LEN], end[DATE_FORMAT_LEN], wd[8], dg[8];
	if (c->start != CALENDAR_OPEN_START)
		date_format(c->start, start);
	if (c->end != CALENDAR_OPEN_END)
		date_format(c->end, end);
	snprintf(wd, sizeof wd, "%u", c->weekdays);
	snprintf(dg, sizeof dg, "%u", c->market_digits);
	char *firsts = date_array(c->terms ? &c->terms[0].first : NULL, c->nterms, sizeof *c->terms);
	char *lasts = date_array(c->terms ? &c->terms[0].last : NULL, c->nterms, sizeof *c->terms);
	char *added = date_array(c->added, c->nadded, sizeof *c->added);
	char *removed = date_array(c->removed, c->nremoved, sizeof *c->removed);
	struct json_object *town = json_object_object_get(k->json, "town");
	const char *params[] = {
		catalog_code(k->json),
		json_object_get_string(json_object_object_get(k->json, "name")),
		json_object_get_string(json_object_object_get(k->json, "kind")),
		c->start != CALENDAR_OPEN_START ? start : NULL,
		c->end != CALENDAR_OPEN_END ? end : NULL,
		wd,
		dg,
		c->lunar ? "true" : "false",
		town ? json_object_get_string(town) : NULL,
		firsts,
		lasts,
		added,
		removed,
		who,
		detail,
		json_object_get_string(json_object_object_get(k->json, "gtfs_id")),
	};
	store_query(d->store, action == ACT_ADD ? insert_sql : update_sql, 16, params, change_done, ch);
	free(firsts);
	free(lasts);
	free(added);
	free(removed);
}

static int by_code(const void *a, const void *b)
{
	return strcmp(catalog_code(*(struct json_object *const *)a),
		      catalog_code(*(struct json_object *const *)b));
}

static void list(struct jtd *d, struct evhttp_request *req)
{
	size_t n = strmap_count(d->calendars), pos = 0, k = 0;
	struct json_object **recs = xcalloc(n ? n : 1, sizeof *recs);
	const char *key;
	void *v;
	while (strmap_next(d->calendars, &pos, &key, &v) && k < n)
		recs[k++] = ((struct calbody *)v)->json;
	qsort(recs, k, sizeof *recs, by_code);
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < k; i++)
		json_object_array_add(arr, json_object_get(recs[i]));
	free(recs);
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "calendars", arr);
	http_reply_json(req, 200, top);
}

static void dates(struct evhttp_request *req, const struct calbody *k)
{
	struct evkeyvalq q;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	jt_day from = today_local(), to = from + 365;
	if (query && evhttp_parse_query_str(query, &q) == 0) {
		const char *f = evhttp_find_header(&q, "from"), *t = evhttp_find_header(&q, "to");
		bool bad = (f && date_parse(f, &from) != 0) || (t && date_parse(t, &to) != 0);
		if (!t)
			to = from + 365; /* a year from wherever it starts */
		evhttp_clear_headers(&q);
		if (bad) {
			http_reply_error(req, 400, "invalid", "from and to must be dates, YYYY-MM-DD");
			return;
		}
	}
	if (to < from || to - from > DATES_SPAN_MAX) {
		http_reply_error(req, 400, "invalid", "to must be from 0 to %d days after from",
				 DATES_SPAN_MAX);
		return;
	}
	size_t cap = (size_t)(to - from) + 1;
	jt_day *out = xcalloc(cap, sizeof *out);
	size_t n = calendar_dates(&k->c, from, to, out, cap);
	struct json_object *arr = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n && i < cap; i++)
		json_object_array_add(arr, calbody_date_json(out[i]));
	free(out);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "calendar", json_object_new_string(catalog_code(k->json)));
	json_object_object_add(o, "from", calbody_date_json(from));
	json_object_object_add(o, "to", calbody_date_json(to));
	json_object_object_add(o, "dates", arr);
	http_reply_json(req, 200, o);
}

void caledit_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	char err[300];
	if (!code) {
		if (m == EVHTTP_REQ_GET) {
			list(d, req);
			return;
		}
		if (m != EVHTTP_REQ_POST) {
			http_reply_error(req, 405, "method_not_allowed", "calendars take GET and POST");
			return;
		}
		struct json_object *in = http_json_object(req, BODY_MAX);
		if (!in)
			return;
		struct calbody *k = calbody_build(in, NULL, exists, d, err, sizeof err);
		json_object_put(in);
		if (!k)
			http_reply_error(req, 400, "invalid", "%s", err);
		else if (strmap_get(d->calendars, catalog_code(k->json))) {
			http_reply_error(req, 409, "exists", "calendar %s already exists; use edit to change it",
					 catalog_code(k->json));
			calbody_free(k);
		} else {
			commit(d, req, ACT_ADD, k, who);
		}
		return;
	}
	char name[CATALOG_CODE_MAX + 8];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(code, "/"), code);
	const char *rest = code + strlen(name);
	struct calbody *cur = strmap_get(d->calendars, name);
	if (!cur) {
		http_reply_error(req, 404, "not_found", "no calendar %.40s", name);
	} else if (strcmp(rest, "/dates") == 0 && m == EVHTTP_REQ_GET) {
		dates(req, cur);
	} else if (*rest) {
		http_reply_error(req, 404, "not_found", "no such calendar request");
	} else if (m == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_object_get(cur->json));
	} else if (m == EVHTTP_REQ_PATCH) {
		struct json_object *in = http_json_object(req, BODY_MAX);
		if (!in)
			return;
		struct calbody *k = calbody_build(in, cur->json, exists, d, err, sizeof err);
		json_object_put(in);
		if (!k) {
			http_reply_error(req, 400, "invalid", "%s", err);
		} else if (json_object_equal(k->json, cur->json)) {
			/* an edit that changes nothing is not a change: nothing written or audited */
			http_reply_json(req, 200, json_object_get(cur->json));
			calbody_free(k);
		} else {
			commit(d, req, ACT_EDIT, k, who);
		}
	} else if (m == EVHTTP_REQ_DELETE) {
		char *why = tripedit_calendar_users(d, name);
		if (why) {
			http_reply_error(req, 409, "in_use", "%s", why);
			free(why);
			return;
		}
		/* The change holds its own reference: an edit may replace cur meanwhile. */
		struct calbody *gone = xcalloc(1, sizeof *gone);
		gone->json = json_object_get(cur->json);
		commit(d, req, ACT_REMOVE, gone, who);
	} else {
		http_reply_error(req, 405, "method_not_allowed", "a calendar takes GET, PATCH or DELETE");
	}
}

bool caledit_town_used(struct jtd *d, const char *town, char *code, size_t len)
{
	size_t pos = 0;
	const char *key;
	void *v;
	while (strmap_next(d->calendars, &pos, &key, &v)) {
		struct json_object *t = json_object_object_get(((struct calbody *)v)->json, "town");
		if (t && strcmp(json_object_get_string(t), town) == 0) {
			snprintf(code, len, "%s", key);
			return true;
		}
	}
	return false;
}

const struct calendar *caledit_get(struct jtd *d, const char *code)
{
	struct calbody *k = strmap_get(d->calendars, code);
	return k ? &k->c : NULL;
}
