/*
 * roster.c — the pupils enrolled on student lines; see roster.h.
 */
#include "roster.h"

#include <event2/http.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "http.h"
#include "jsonin.h"
#include "log.h"
#include "rosterbody.h"
#include "store.h"
#include "strmap.h"
#include "util.h"


struct roster {
	struct strmap *pupils;   /* rider -> line code (xstrdup) */
	struct strmap *roster_n; /* line code -> count (uintptr_t) */
};

static struct roster *RO(struct jtd *d)
{
	return d->roster;
}

void roster_init(struct jtd *d)
{
	struct roster *r = xcalloc(1, sizeof *r);
	r->pupils = strmap_new();
	r->roster_n = strmap_new();
	d->roster = r;
}

void roster_free(struct jtd *d)
{
	struct roster *r = RO(d);
	if (!r)
		return;
	strmap_free_all(r->pupils, free);
	strmap_free(r->roster_n);
	free(r);
	d->roster = NULL;
}

int roster_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	struct roster *rs = RO(d);
	PGresult *ro = PQexec(c, "SELECT l.code, r.rider FROM roster r JOIN line l ON l.id = r.line_id");
	if (PQresultStatus(ro) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading rosters: %s", PQresultErrorMessage(ro));
		err[strcspn(err, "\n")] = '\0';
		PQclear(ro);
		return -1;
	}
	for (int i = 0; i < PQntuples(ro); i++) {
		const char *line = PQgetvalue(ro, i, 0);
		free(strmap_put(rs->pupils, PQgetvalue(ro, i, 1), xstrdup(line)));
		strmap_put(rs->roster_n, line, (void *)((uintptr_t)strmap_get(rs->roster_n, line) + 1));
	}
	log_info("boot.loaded", "collection=rosters pupils=%d", PQntuples(ro));
	PQclear(ro);
	return 0;
}

const char *roster_line_of(struct jtd *d, const char *rider)
{
	return strmap_get(RO(d)->pupils, rider);
}

int roster_size(struct jtd *d, const char *line)
{
	return (int)(uintptr_t)strmap_get(RO(d)->roster_n, line);
}

uint64_t roster_changes(struct jtd *d)
{
	return strmap_changes(RO(d)->roster_n) + strmap_changes(RO(d)->pupils);
}

static const char *kind_of(struct jtd *d, const char *line)
{
	return jsonin_str(strmap_get(d->catalog[catalog_find("lines") - catalog_collections], line), "kind", "");
}

static const char *line_of(void *arg, const char *rider)
{
	return strmap_get(RO(arg)->pupils, rider);
}

struct roster_change {
	struct jtd *d;
	struct evhttp_request *req;
	char line[CATALOG_CODE_MAX + 1];
	char **pupils;
	size_t n;
};

static int by_text(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(struct json_object *const *)a),
		      json_object_get_string(*(struct json_object *const *)b));
}

static void roster_json_reply(struct jtd *d, struct evhttp_request *req, const char *line, int status)
{
	struct json_object *list = json_object_new_array();
	size_t pos = 0;
	const char *rider;
	void *v;
	while (strmap_next(RO(d)->pupils, &pos, &rider, &v))
		if (strcmp(v, line) == 0)
			json_object_array_add(list, json_object_new_string(rider));
	json_object_array_sort(list, by_text);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "line", json_object_new_string(line));
	json_object_object_add(o, "pupils", list);
	http_reply_json(req, status, o);
}

static void roster_saved(void *arg, const PGresult *res)
{
	struct roster_change *rc = arg;
	struct roster *rs = RO(rc->d);
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
		/* Replace the line's pupils in memory as in the database. */
		char **old = NULL;
		size_t n = 0, cap = 0, pos = 0;
		const char *rider;
		void *v;
		while (strmap_next(rs->pupils, &pos, &rider, &v))
			if (strcmp(v, rc->line) == 0) {
				old = xgrow(old, &cap, n + 1, sizeof *old);
				old[n++] = xstrdup(rider);
			}
		for (size_t i = 0; i < n; i++) {
			free(strmap_del(rs->pupils, old[i]));
			free(old[i]);
		}
		free(old);
		for (size_t i = 0; i < rc->n; i++)
			free(strmap_put(rs->pupils, rc->pupils[i], xstrdup(rc->line)));
		strmap_put(rs->roster_n, rc->line, (void *)(uintptr_t)rc->n);
		log_info("admin.roster", "line=%s pupils=%zu", rc->line, rc->n);
		roster_json_reply(rc->d, rc->req, rc->line, 200);
	} else if (!res) {
		http_reply_unavailable(rc->d, rc->req, "the database is unreachable; the roster is unchanged");
	} else {
		log_warn("admin.roster_failed", "error=\"%s\"", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		http_reply_error(rc->req, 500, "database_error", "the roster could not be saved");
	}
	for (size_t i = 0; i < rc->n; i++)
		free(rc->pupils[i]);
	free(rc->pupils);
	free(rc);
}

void roster_handle(struct jtd *d, struct evhttp_request *req, const char *line, const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (m == EVHTTP_REQ_GET) {
		roster_json_reply(d, req, line, 200);
		return;
	}
	if (m != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "a roster is read with GET, replaced with POST");
		return;
	}
	if (strcmp(kind_of(d, line), "student") != 0) {
		http_reply_error(req, 400, "not_student_line", "line %s is not a student line; only student runs keep seats for pupils", line);
		return;
	}
	struct json_object *in = http_json_object(req, 1 << 20);
	if (!in)
		return;
	struct rosterbody b;
	char err[200];
	int bad = rosterbody_parse(in, line, line_of, d, &b, err, sizeof err);
	json_object_put(in);
	if (bad) {
		http_reply_error(req, 400, "bad_request", "%s", err);
		return;
	}
	struct roster_change *rc = xcalloc(1, sizeof *rc);
	rc->d = d;
	rc->req = req;
	strlcpy_jt(rc->line, line, sizeof rc->line);
	rc->pupils = b.pupils; /* the change takes them */
	rc->n = b.n;
	char *arr = rosterbody_array(&b);
	char count[24];
	snprintf(count, sizeof count, "%zu", rc->n);
	const char *params[] = { line, arr, who, count };
	store_query(d->store,
		    "WITH l AS (SELECT id FROM line WHERE code = $1),"
		    " d AS (DELETE FROM roster WHERE line_id = (SELECT id FROM l) AND rider <> ALL ($2::text[])),"
		    " i AS (INSERT INTO roster (line_id, rider) SELECT (SELECT id FROM l), x FROM unnest($2::text[]) x"
		    "  ON CONFLICT DO NOTHING),"
		    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
		    "  VALUES ($3, 'edit', 'roster', $1, jsonb_build_object('pupils', $4::int)))"
		    " SELECT 1",
		    4, params, roster_saved, rc);
	free(arr);
}
