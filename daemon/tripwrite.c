/*
 * tripwrite.c — trips written to PostgreSQL and kept in memory; see
 * tripwrite.h. Stop times go as text arrays, one per column, joined back
 * to their trips by code in the statement that adds or changes them.
 */
#include "tripwrite.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "store.h"
#include "strmap.h"
#include "util.h"

struct adding {
	struct jtd *d;
	struct evhttp_request *req;
	struct trip **trips;
	size_t n;
	char who[64];
};

static void adding_free(struct adding *ad)
{
	for (size_t i = 0; i < ad->n; i++)
		tripbody_free(ad->trips[i]);
	free(ad->trips);
	free(ad);
}

static void added(void *arg, const PGresult *res)
{
	struct adding *ad = arg;
	if (!res) {
		http_reply_unavailable(ad->d, ad->req, "the database is unreachable; nothing was added");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK ||
		   strtoul(PQgetvalue(res, 0, 0), NULL, 10) != ad->n) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(ad->req, 409, "exists", "a trip with one of these codes exists");
		else
			http_reply_error(ad->req, 500, "database_error", "the trips could not be saved");
		log_warn("admin.trips_failed", "error=\"%s\"",
			 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	} else {
		struct json_object *arr = json_object_new_array();
		for (size_t i = 0; i < ad->n; i++) {
			json_object_array_add(arr, json_object_get(ad->trips[i]->json));
			strmap_put(ad->d->trips, ad->trips[i]->code, ad->trips[i]);
		}
		log_info("admin.trips_added", "operator=%s count=%zu first=%s", ad->who, ad->n,
			 ad->trips[0]->code);
		ad->n = 0; /* the map owns them now */
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "trips", arr);
		http_reply_json(ad->req, 201, o);
	}
	adding_free(ad);
}

/* A PostgreSQL array literal being written: {a,b,NULL,...}. Values are codes or numbers. */
struct pgarr {
	char *p;
	size_t len, cap;
};

static void pgarr_raw(struct pgarr *x, const char *v)
{
	size_t n = strlen(v);
	x->p = xgrow(x->p, &x->cap, x->len + n + 3, 1);
	x->p[x->len] = x->len == 0 ? '{' : ',';
	x->len++;
	memcpy(x->p + x->len, v, n + 1);
	x->len += n;
}

static void pgarr_num(struct pgarr *x, long v, bool null)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", v);
	pgarr_raw(x, null ? "NULL" : buf);
}

/* A code, quoted (so a block called NULL stays a block); "" or NULL is SQL NULL. */
static void pgarr_text(struct pgarr *x, const char *v)
{
	char buf[CATALOG_CODE_MAX + 3];
	snprintf(buf, sizeof buf, "\"%s\"", v ? v : "");
	pgarr_raw(x, v && *v ? buf : "NULL");
}

/* Any text as an element, '"' and '\\' escaped as array literals need. */
static void pgarr_quoted(struct pgarr *x, const char *v)
{
	size_t n = strlen(v), k = 0;
	char *buf = xmalloc(2 * n + 3);
	buf[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\')
			buf[k++] = '\\';
		buf[k++] = v[i];
	}
	buf[k++] = '"';
	buf[k] = '\0';
	pgarr_raw(x, buf);
	free(buf);
}

/* The finished literal ("{}" when empty); the caller frees it. */
static char *pgarr_end(struct pgarr *x)
{
	if (!x->len)
		return xstrdup("{}");
	x->p = xgrow(x->p, &x->cap, x->len + 2, 1);
	x->p[x->len++] = '}';
	x->p[x->len] = '\0';
	return x->p;
}

/* The stop times of trips as the arrays $1..$9 of stop_time_rows (trip code first). */
enum { ST_CODE, ST_SEQ, ST_ARR, ST_DEP, ST_WS, ST_WE, ST_PICK, ST_DROP, ST_PRULE, ST_DRULE, ST_N };
static void stop_time_arrays(struct trip *const *trips, size_t n, char *out[ST_N])
{
	struct pgarr a[ST_N] = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct trip *t = trips[i];
		for (size_t k = 0; k < t->n; k++) {
			const struct stoptime *x = &t->st[k];
			pgarr_text(&a[ST_CODE], t->code);
			pgarr_num(&a[ST_SEQ], (long)k + 1, false);
			pgarr_num(&a[ST_ARR], x->arr, x->window);
			pgarr_num(&a[ST_DEP], x->dep, x->window);
			pgarr_num(&a[ST_WS], x->arr, !x->window);
			pgarr_num(&a[ST_WE], x->dep, !x->window);
			pgarr_num(&a[ST_PICK], x->pickup, false);
			pgarr_num(&a[ST_DROP], x->drop_off, false);
			pgarr_text(&a[ST_PRULE], x->pickup_rule);
			pgarr_text(&a[ST_DRULE], x->drop_off_rule);
		}
	}
	for (int i = 0; i < ST_N; i++)
		out[i] = pgarr_end(&a[i]);
}

/*
 * The stop_time rows of trips (CTE t holds their ids and codes), from
 * parameters $P.. $P+9 as stop_time_arrays() writes them.
 */
#define STOP_TIME_ROWS(P0, P1, P2, P3, P4, P5, P6, P7, P8, P9)                                     \
	"  SELECT t.id, x.seq, x.arr, x.dep, x.ws, x.we, x.pick, x.drop, pr.id, dr.id FROM t"         \
	"  JOIN unnest($" P0 "::text[], $" P1 "::int[], $" P2 "::int[], $" P3 "::int[], $" P4           \
	"::int[], $" P5 "::int[], $" P6 "::int[], $" P7 "::int[], $" P8 "::text[], $" P9 "::text[])" \
	"   AS x(code, seq, arr, dep, ws, we, pick, drop, prule, drule) ON x.code = t.code"          \
	"  LEFT JOIN booking_rule pr ON pr.code = x.prule"                                           \
	"  LEFT JOIN booking_rule dr ON dr.code = x.drule"

/* Writes trips of one line version and calendar in one statement, with their audit rows. */
void tripwrite_add(struct jtd *d, struct evhttp_request *req, struct trip **trips, size_t n,
		   const char *who)
{
	struct adding *ad = xcalloc(1, sizeof *ad);
	ad->d = d;
	ad->req = req;
	ad->trips = trips;
	ad->n = n;
	strlcpy_jt(ad->who, who, sizeof ad->who);
	struct pgarr codes = { 0 }, blocks = { 0 }, ids = { 0 };
	for (size_t i = 0; i < n; i++) {
		pgarr_text(&codes, trips[i]->code);
		pgarr_text(&blocks, trips[i]->block);
		pgarr_quoted(&ids, trips[i]->gtfs_id);
	}
	char *c = pgarr_end(&codes), *b = pgarr_end(&blocks), *g = pgarr_end(&ids), *st[ST_N];
	stop_time_arrays(trips, n, st);
	char version[16];
	snprintf(version, sizeof version, "%d", trips[0]->version);
	const char *all[17] = { trips[0]->line, version, trips[0]->calendar, who, c, b };
	for (int i = 0; i < ST_N; i++)
		all[6 + i] = st[i];
	all[16] = g;
	store_query(d->store,
		    "WITH t AS (INSERT INTO trip (code, route_version_id, calendar_id, block, created_by,"
		    "  gtfs_id)"
		    "  SELECT u.code, (SELECT rv.id FROM route_version rv JOIN line l ON l.id = rv.line_id"
		    "    WHERE l.code = $1 AND rv.version = $2::int),"
		    "   (SELECT id FROM calendar WHERE code = $3), u.block, $4,"
		    "   u.gtfs_id"
		    "  FROM unnest($5::text[], $6::text[], $17::text[]) AS u(code, block, gtfs_id)"
		    "  RETURNING id, code),"
		    " s AS (INSERT INTO stop_time (trip_id, seq, arrival, departure, window_start, window_end,"
		    "  pickup_type, drop_off_type, pickup_rule_id, drop_off_rule_id)"
		    STOP_TIME_ROWS("7", "8", "9", "10", "11", "12", "13", "14", "15", "16") "),"
		    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
		    "  SELECT $4, 'add', 'trip', t.code,"
		    "   jsonb_build_object('line', $1, 'version', $2::int, 'calendar', $3) FROM t)"
		    " SELECT count(*) FROM t",
		    17, all, added, ad);
	free(c);
	free(b);
	free(g);
	for (int i = 0; i < ST_N; i++)
		free(st[i]);
}

struct editing {
	struct jtd *d;
	struct evhttp_request *req;
	struct trip *t;
	char who[64];
};

static void edited(void *arg, const PGresult *res)
{
	struct editing *ed = arg;
	if (!res) {
		http_reply_unavailable(ed->d, ed->req, "the database is unreachable; nothing was changed");
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		http_reply_error(ed->req, 500, "database_error", "trip %s could not be changed", ed->t->code);
		log_warn("admin.trip_edit_failed", "trip=%s error=\"%s\"", ed->t->code,
			 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	} else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) == 0) {
		http_reply_error(ed->req, 404, "not_found", "no trip %s", ed->t->code);
	} else {
		http_reply_json(ed->req, 200, json_object_get(ed->t->json));
		tripbody_free(strmap_put(ed->d->trips, ed->t->code, ed->t));
		log_info("admin.trip_changed", "operator=%s trip=%s", ed->who, ed->t->code);
		ed->t = NULL; /* the map owns it now */
	}
	tripbody_free(ed->t);
	free(ed);
}

/* Writes an edited trip: its line version, calendar, block and stop times, audited. */
void tripwrite_edit(struct jtd *d, struct evhttp_request *req, struct trip *t, const char *who)
{
	struct editing *ed = xcalloc(1, sizeof *ed);
	*ed = (struct editing){ .d = d, .req = req, .t = t };
	strlcpy_jt(ed->who, who, sizeof ed->who);
	char version[16], count[24], *st[ST_N];
	snprintf(version, sizeof version, "%d", t->version);
	snprintf(count, sizeof count, "%zu", t->n);
	stop_time_arrays(&t, 1, st);
	const char *all[18] = { t->line, version, t->calendar, who, t->block[0] ? t->block : NULL,
				t->code };
	for (int i = 0; i < ST_N; i++)
		all[6 + i] = st[i];
	all[16] = count;
	all[17] = t->gtfs_id;
	store_query(d->store,
		    "WITH t AS (UPDATE trip SET route_version_id = (SELECT rv.id FROM route_version rv"
		    "   JOIN line l ON l.id = rv.line_id WHERE l.code = $1 AND rv.version = $2::int),"
		    "  calendar_id = (SELECT id FROM calendar WHERE code = $3), block = $5,"
		    "  gtfs_id = $18 WHERE code = $6 RETURNING id, code),"
		    " x AS (DELETE FROM stop_time st USING t WHERE st.trip_id = t.id AND st.seq > $17::int),"
		    " s AS (INSERT INTO stop_time (trip_id, seq, arrival, departure, window_start, window_end,"
		    "  pickup_type, drop_off_type, pickup_rule_id, drop_off_rule_id)"
		    STOP_TIME_ROWS("7", "8", "9", "10", "11", "12", "13", "14", "15", "16")
		    "  ON CONFLICT (trip_id, seq) DO UPDATE SET arrival = EXCLUDED.arrival,"
		    "  departure = EXCLUDED.departure, window_start = EXCLUDED.window_start,"
		    "  window_end = EXCLUDED.window_end, pickup_type = EXCLUDED.pickup_type,"
		    "  drop_off_type = EXCLUDED.drop_off_type, pickup_rule_id = EXCLUDED.pickup_rule_id,"
		    "  drop_off_rule_id = EXCLUDED.drop_off_rule_id),"
		    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
		    "  SELECT $4, 'edit', 'trip', t.code, jsonb_build_object('line', $1, 'version', $2::int,"
		    "   'calendar', $3, 'block', $5::text) FROM t)"
		    " SELECT count(*) FROM t",
		    18, all, edited, ed);
	for (int i = 0; i < ST_N; i++)
		free(st[i]);
}
