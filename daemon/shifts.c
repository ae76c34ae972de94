/*
 * shifts.c — vehicles on booking duty; see shifts.h.
 */
#include "shifts.h"

#include <event2/http.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caledit.h"
#include "catalog.h"
#include "fleet.h"
#include "http.h"
#include "log.h"
#include "rides.h"
#include "shiftbody.h"
#include "store.h"
#include "strmap.h"
#include "timetable.h"
#include "util.h"

#define OVERLAP_DAYS 366

struct shift {
	char code[CATALOG_CODE_MAX + 1];
	char vehicle[CATALOG_CODE_MAX + 1];
	char calendar[CATALOG_CODE_MAX + 1];
	char depot[CATALOG_CODE_MAX + 1];
	int32_t start_s, end_s;
};

struct shifts {
	struct strmap *by_code; /* code -> struct shift */
};

static struct strmap *S(struct jtd *d)
{
	return d->shifts->by_code;
}

void shifts_init(struct jtd *d)
{
	d->shifts = xcalloc(1, sizeof *d->shifts);
	d->shifts->by_code = strmap_new();
}

void shifts_free(struct jtd *d)
{
	if (!d->shifts)
		return;
	strmap_free_all(d->shifts->by_code, free);
	free(d->shifts);
	d->shifts = NULL;
}

uint64_t shifts_changes(struct jtd *d)
{
	return strmap_changes(S(d));
}

int shifts_load(struct jtd *d, PGconn *c, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, "SELECT s.code, v.code, c.code, st.code, s.start_s, s.end_s FROM demand_shift s"
				" JOIN vehicle v ON v.id = s.vehicle_id JOIN calendar c ON c.id = s.calendar_id"
				" JOIN stop st ON st.id = s.depot_stop_id ORDER BY s.code");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "loading shifts: %s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct shift *s = xcalloc(1, sizeof *s);
		strlcpy_jt(s->code, PQgetvalue(r, i, 0), sizeof s->code);
		strlcpy_jt(s->vehicle, PQgetvalue(r, i, 1), sizeof s->vehicle);
		strlcpy_jt(s->calendar, PQgetvalue(r, i, 2), sizeof s->calendar);
		strlcpy_jt(s->depot, PQgetvalue(r, i, 3), sizeof s->depot);
		s->start_s = atoi(PQgetvalue(r, i, 4));
		s->end_s = atoi(PQgetvalue(r, i, 5));
		strmap_put(S(d), s->code, s);
	}
	log_info("boot.loaded", "collection=shifts count=%d", PQntuples(r));
	PQclear(r);
	return 0;
}

static struct json_object *stop_rec(struct jtd *d, const char *code)
{
	return strmap_get(d->catalog[catalog_find("stops") - catalog_collections], code);
}

size_t shifts_resolve(struct jtd *d, struct demand_shift **out)
{
	size_t cap = strmap_count(S(d)), n = 0, pos = 0;
	*out = xcalloc(cap ? cap : 1, sizeof **out);
	const char *code;
	void *v;
	while (strmap_next(S(d), &pos, &code, &v)) {
		const struct shift *s = v;
		const struct vehicle *veh = fleet_by_code(d->fleet, s->vehicle);
		struct json_object *depot = stop_rec(d, s->depot);
		const struct calendar *cal = caledit_get(d, s->calendar);
		if (!veh || !depot || !cal)
			continue;
		struct demand_shift *o = &(*out)[n++];
		strlcpy_jt(o->code, s->code, sizeof o->code);
		strlcpy_jt(o->vehicle, s->vehicle, sizeof o->vehicle);
		strlcpy_jt(o->depot, s->depot, sizeof o->depot);
		o->cal = cal;
		o->depot_lat = catalog_num(depot, "lat");
		o->depot_lon = catalog_num(depot, "lon");
		o->start_s = s->start_s;
		o->end_s = s->end_s;
		o->seats = veh->seats;
		o->cargo_l = veh->cargo_l;
		o->step_free = veh->step_free;
	}
	return n;
}

static struct json_object *shift_json(const struct shift *s)
{
	char a[16], b[16];
	timetable_format_time(s->start_s, a, sizeof a, true);
	timetable_format_time(s->end_s, b, sizeof b, true);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(s->code));
	json_object_object_add(o, "vehicle", json_object_new_string(s->vehicle));
	json_object_object_add(o, "calendar", json_object_new_string(s->calendar));
	json_object_object_add(o, "depot", json_object_new_string(s->depot));
	json_object_object_add(o, "start", json_object_new_string(a));
	json_object_object_add(o, "end", json_object_new_string(b));
	return o;
}

static int by_code(const void *a, const void *b)
{
	return strcmp((*(const struct shift *const *)a)->code, (*(const struct shift *const *)b)->code);
}

static void list(struct jtd *d, struct evhttp_request *req)
{
	size_t n = strmap_count(S(d)), k = 0, pos = 0;
	const struct shift **all = xcalloc(n ? n : 1, sizeof *all);
	const char *code;
	void *v;
	while (strmap_next(S(d), &pos, &code, &v))
		all[k++] = v;
	qsort(all, k, sizeof *all, by_code);
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < k; i++)
		json_object_array_add(arr, shift_json(all[i]));
	free(all);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "shifts", arr);
	http_reply_json(req, 200, o);
}

struct change {
	struct jtd *d;
	struct evhttp_request *req;
	struct shift *s;
	bool remove;
};

static void saved(void *arg, const PGresult *res)
{
	struct change *ch = arg;
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		if (ch->remove) {
			free(strmap_del(S(ch->d), ch->s->code));
			http_reply_json(ch->req, 200, json_object_new_object());
			log_info("admin.shift_removed", "shift=%s", ch->s->code);
			free(ch->s);
		} else {
			strmap_put(S(ch->d), ch->s->code, ch->s);
			http_reply_json(ch->req, 201, shift_json(ch->s));
			log_info("admin.shift_added", "shift=%s vehicle=%s", ch->s->code, ch->s->vehicle);
		}
	} else {
		const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (!res)
			http_reply_unavailable(ch->d, ch->req, "the database is unreachable; nothing changed");
		else if (st && strcmp(st, "23505") == 0)
			http_reply_error(ch->req, 409, "exists", "a shift %s exists", ch->s->code);
		else
			http_reply_error(ch->req, 500, "database_error", "the shift could not be saved");
		if (!ch->remove)
			free(ch->s);
	}
	free(ch);
}

/* Another shift of the same vehicle on duty at the same time on a common day, or NULL. */
static const struct shift *overlapping(struct jtd *d, const struct shift *s, const struct calendar *cal)
{
	jt_day today = today_local();
	size_t pos = 0;
	const char *code;
	void *v;
	while (strmap_next(S(d), &pos, &code, &v)) {
		const struct shift *o = v;
		const struct calendar *oc = caledit_get(d, o->calendar);
		if (strcmp(o->vehicle, s->vehicle) != 0 || !oc || !timetable_overlap(s->start_s, s->end_s, o->start_s, o->end_s))
			continue;
		for (jt_day x = today; x <= today + OVERLAP_DAYS; x++)
			if (calendar_runs_on(cal, x) && calendar_runs_on(oc, x))
				return o;
	}
	return NULL;
}

static void add(struct jtd *d, struct evhttp_request *req, const char *who)
{
	struct json_object *in = http_json_object(req, 4096);
	if (!in)
		return;
	struct shiftbody body;
	char err[200];
	if (shiftbody_parse(in, &body, err, sizeof err) != 0) {
		json_object_put(in);
		http_reply_error(req, 400, "bad_request", "%s", err);
		return;
	}
	json_object_put(in);
	struct shift s = { .start_s = body.start_s, .end_s = body.end_s };
	strlcpy_jt(s.code, body.code, sizeof s.code);
	strlcpy_jt(s.vehicle, body.vehicle, sizeof s.vehicle);
	strlcpy_jt(s.calendar, body.calendar, sizeof s.calendar);
	strlcpy_jt(s.depot, body.depot, sizeof s.depot);
	const struct calendar *cal = caledit_get(d, s.calendar);
	const struct vehicle *veh = fleet_by_code(d->fleet, s.vehicle);
	const struct shift *o;
	if (!veh)
		http_reply_error(req, 400, "unknown_vehicle", "no vehicle %s; add it first", s.vehicle);
	else if (veh->seats < 1 && veh->cargo_l < 1)
		http_reply_error(req, 400, "no_room", "vehicle %s has neither seats nor cargo room", s.vehicle);
	else if (!cal)
		http_reply_error(req, 400, "unknown_calendar", "no calendar %s", s.calendar);
	else if (!stop_rec(d, s.depot))
		http_reply_error(req, 400, "unknown_stop", "no stop %s for the depot", s.depot);
	else if (!shiftbody_span_ok(&body))
		http_reply_error(req, 400, "bad_request", "a shift ends after it starts and lasts at most 24 hours");
	else if (strmap_get(S(d), s.code))
		http_reply_error(req, 409, "exists", "a shift %s exists", s.code);
	else if ((o = overlapping(d, &s, cal)))
		http_reply_error(req, 409, "overlap", "vehicle %s is already on shift %s at that time on days of both "
				 "calendars; change the times or the calendar", s.vehicle, o->code);
	else {
		struct change *ch = xcalloc(1, sizeof *ch);
		ch->d = d;
		ch->req = req;
		ch->s = xmalloc(sizeof *ch->s);
		*ch->s = s;
		char a[16], b[16];
		snprintf(a, sizeof a, "%d", s.start_s);
		snprintf(b, sizeof b, "%d", s.end_s);
		const char *params[] = { s.code, s.vehicle, s.calendar, s.depot, a, b, who };
		store_query(d->store,
			    "WITH s AS (INSERT INTO demand_shift (code, vehicle_id, calendar_id, depot_stop_id, start_s,"
			    "  end_s, created_by) SELECT $1, v.id, c.id, st.id, $5::int, $6::int, $7"
			    "  FROM vehicle v, calendar c, stop st WHERE v.code = $2 AND c.code = $3 AND st.code = $4"
			    "  RETURNING code),"
			    " a AS (INSERT INTO audit (operator, action, entity, key, detail)"
			    "  SELECT $7, 'add', 'shift', code, jsonb_build_object('vehicle', $2, 'calendar', $3,"
			    "   'depot', $4, 'start', $5::int, 'end', $6::int) FROM s)"
			    " SELECT code FROM s",
			    7, params, saved, ch);
	}
}

static void drop(struct jtd *d, struct evhttp_request *req, struct shift *s, const char *who)
{
	size_t planned = rides_on_shift(d, s->code);
	if (planned) {
		http_reply_error(req, 409, "in_use", "%zu open ride%s planned on shift %s; cancel or serve them first",
				 planned, planned == 1 ? " is" : "s are", s->code);
		return;
	}
	struct change *ch = xcalloc(1, sizeof *ch);
	ch->d = d;
	ch->req = req;
	ch->s = s;
	ch->remove = true;
	const char *params[] = { s->code, who };
	store_query(d->store,
		    "WITH s AS (DELETE FROM demand_shift WHERE code = $1 RETURNING code),"
		    " a AS (INSERT INTO audit (operator, action, entity, key) SELECT $2, 'remove', 'shift', code FROM s)"
		    " SELECT code FROM s",
		    2, params, saved, ch);
}

void shifts_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct shift *s = code ? strmap_get(S(d), code) : NULL;
	if (!code && m == EVHTTP_REQ_GET)
		list(d, req);
	else if (!code && m == EVHTTP_REQ_POST)
		add(d, req, who);
	else if (code && !s)
		http_reply_error(req, 404, "not_found", "no shift %.40s", code);
	else if (code && m == EVHTTP_REQ_GET)
		http_reply_json(req, 200, shift_json(s));
	else if (code && m == EVHTTP_REQ_DELETE)
		drop(d, req, s, who);
	else
		http_reply_error(req, 405, "method_not_allowed", "shifts are listed, added, read and removed");
}
