/*
 * live.c — the live operator page and the two JSON views it draws from;
 * see live.h.
 *
 * Both views are read from memory (the catalog, the routes in effect, the
 * fleet's live positions, the booking and ingestion counters): a page
 * polling every two seconds costs the database nothing. The fix rate is
 * taken over the last minute of the daemon's own counter, sampled whenever
 * the state is asked for, so two pages open at once see the same figure.
 */
#include "live.h"
#include "monitor.h"

#include <event2/http.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fleet.h"
#include "http.h"
#include "rides.h"
#include "routeedit.h"
#include "strmap.h"
#include "util.h"

/* A vehicle is online when its live position is at most this old (as /metrics counts it). */
#define ONLINE_MS (5 * 60 * 1000)
#define RATE_SAMPLES 32
#define RATE_WINDOW_MS (60 * 1000)

/* The page may load only from this server; it is never framed. */
#define CSP                                                                                    \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "      \
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

struct live {
	int64_t at_ms[RATE_SAMPLES];  /* monotonic */
	uint64_t stored[RATE_SAMPLES];
	size_t n, head;               /* samples held; the next slot */
	live_late_fn late;
	void *late_arg;
};

void live_init(struct jtd *d)
{
	d->live = xcalloc(1, sizeof *d->live);
}

void live_free(struct jtd *d)
{
	free(d->live);
	d->live = NULL;
}

void live_set_late(struct jtd *d, live_late_fn fn, void *arg)
{
	d->live->late = fn;
	d->live->late_arg = arg;
}

/* ---- the page ---- */

void live_page(struct jtd *d, struct evhttp_request *req, const char *path)
{
	(void)d;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) {
		http_reply_error(req, 405, "method_not_allowed", "the page is read with GET");
		return;
	}
	for (size_t i = 0; i < live_assets_count; i++) {
		const struct live_asset *a = &live_assets[i];
		if (strcmp(a->path, path) != 0)
			continue;
		struct evkeyvalq *h = evhttp_request_get_output_headers(req);
		evhttp_add_header(h, "Content-Security-Policy", CSP);
		evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
		evhttp_add_header(h, "Referrer-Policy", "no-referrer");
		evhttp_add_header(h, "Cache-Control", "no-cache");
		http_reply_body(req, 200, a->media_type, a->body, (size_t)a->len);
		return;
	}
	http_reply_error(req, 404, "not_found", "nothing at %.100s", path);
}

/* ---- the network ---- */

static struct strmap *coll(struct jtd *d, const char *name)
{
	return d->catalog[catalog_find(name) - catalog_collections];
}

static struct json_object *member(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* A coordinate with 5 decimals (about a metre): the page needs no more. */
static struct json_object *coord(double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.5f", v);
	return json_object_new_double_s(v, buf);
}

static struct json_object *point(double lat, double lon)
{
	struct json_object *p = json_object_new_array_ext(2);
	json_object_array_add(p, coord(lat));
	json_object_array_add(p, coord(lon));
	return p;
}

/* Copies the named members of rec (those that are set). */
static struct json_object *pick(struct json_object *rec, const char *const *keys)
{
	struct json_object *o = json_object_new_object();
	for (; *keys; keys++) {
		struct json_object *v = member(rec, *keys);
		if (!v)
			continue;
		if (json_object_is_type(v, json_type_double))
			json_object_object_add(o, *keys, coord(json_object_get_double(v)));
		else
			json_object_object_add(o, *keys, json_object_get(v));
	}
	return o;
}

static struct json_object *records(struct jtd *d, const char *name, const char *const *keys)
{
	struct json_object *list = json_object_new_array();
	size_t pos = 0;
	const char *code;
	void *rec;
	while (strmap_next(coll(d, name), &pos, &code, &rec))
		json_object_array_add(list, pick(rec, keys));
	return list;
}

/* The line's route in effect as drawn: its shape, or the straight lines between its stops. */
static struct json_object *line_json(struct jtd *d, struct json_object *rec)
{
	static const char *const keys[] = { "code", "name", "kind", "operator", NULL };
	const char *code = json_object_get_string(member(rec, "code"));
	struct json_object *route = routeedit_in_effect(d, code);
	if (!route)
		return NULL;
	struct json_object *o = pick(rec, keys), *shape = json_object_new_array();
	struct json_object *given = member(route, "shape"), *stops = member(route, "stops");
	json_object_object_add(o, "version", json_object_get(member(route, "version")));
	json_object_object_add(o, "stops", json_object_get(stops));
	if (given && json_object_is_type(given, json_type_array) && json_object_array_length(given) >= 2) {
		for (size_t i = 0; i < json_object_array_length(given); i++) {
			struct json_object *p = json_object_array_get_idx(given, i);
			json_object_array_add(shape, point(json_object_get_double(json_object_array_get_idx(p, 0)),
							   json_object_get_double(json_object_array_get_idx(p, 1))));
		}
	} else {
		for (size_t i = 0; stops && i < json_object_array_length(stops); i++) {
			struct json_object *s = strmap_get(coll(d, "stops"),
							   json_object_get_string(json_object_array_get_idx(stops, i)));
			if (s)
				json_object_array_add(shape, point(json_object_get_double(member(s, "lat")),
								   json_object_get_double(member(s, "lon"))));
		}
	}
	json_object_object_add(o, "shape", shape);
	return o;
}

static void reply_network(struct jtd *d, struct evhttp_request *req)
{
	static const char *const stop_keys[] = { "code", "name", "kind", "lat", "lon", "village", NULL };
	static const char *const town_keys[] = { "code", "name", "lat", "lon", "county_seat", NULL };
	struct json_object *o = json_object_new_object(), *lines = json_object_new_array();
	size_t pos = 0;
	const char *code;
	void *rec;
	while (strmap_next(coll(d, "lines"), &pos, &code, &rec)) {
		struct json_object *l = line_json(d, rec);
		if (l)
			json_object_array_add(lines, l);
	}
	json_object_object_add(o, "towns", records(d, "towns", town_keys));
	json_object_object_add(o, "stops", records(d, "stops", stop_keys));
	json_object_object_add(o, "lines", lines);
	http_reply_json(req, 200, o);
}

/* ---- the state ---- */

/* Fixes stored a second over the last minute, or -1 before two samples a second apart. */
static double fix_rate(struct live *lv, uint64_t stored, int64_t now)
{
	size_t last = (lv->head + RATE_SAMPLES - 1) % RATE_SAMPLES;
	if (lv->n == 0 || now - lv->at_ms[last] >= 1000) {
		lv->at_ms[lv->head] = now;
		lv->stored[lv->head] = stored;
		lv->head = (lv->head + 1) % RATE_SAMPLES;
		lv->n += lv->n < RATE_SAMPLES;
	}
	/* the oldest sample within the window */
	size_t best = RATE_SAMPLES;
	for (size_t k = 0; k < lv->n; k++) {
		size_t i = (lv->head + RATE_SAMPLES - 1 - k) % RATE_SAMPLES;
		if (now - lv->at_ms[i] > RATE_WINDOW_MS)
			break;
		best = i;
	}
	if (best == RATE_SAMPLES || now - lv->at_ms[best] < 1000)
		return -1;
	return (double)(stored - lv->stored[best]) * 1000.0 / (double)(now - lv->at_ms[best]);
}

static struct json_object *num_or_null(double v)
{
	return isfinite(v) ? json_object_new_double(round(v * 10) / 10) : NULL;
}

static void reply_state(struct jtd *d, struct evhttp_request *req)
{
	jt_ms now = now_ms();
	struct json_object *o = json_object_new_object(), *vehicles = json_object_new_array();
	size_t online = 0, n = fleet_count(d->fleet);
	for (size_t i = 0; i < n; i++) {
		const struct vehicle *v = fleet_at(d->fleet, i);
		if (!v->has_pos)
			continue;
		bool on = now - v->pos.time <= ONLINE_MS;
		online += on;
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "code", json_object_new_string(v->code));
		json_object_object_add(j, "name", json_object_new_string(v->name));
		json_object_object_add(j, "seats", json_object_new_int(v->seats));
		json_object_object_add(j, "lat", coord(v->pos.lat));
		json_object_object_add(j, "lon", coord(v->pos.lon));
		json_object_object_add(j, "heading", num_or_null(v->pos.heading));
		json_object_object_add(j, "speed_mps", num_or_null(v->pos.speed));
		json_object_object_add(j, "age_s", json_object_new_int64((now - v->pos.time) / 1000));
		json_object_object_add(j, "online", json_object_new_boolean(on));
		json_object_array_add(vehicles, j);
	}
	json_object_object_add(o, "time", json_object_new_int64(now));
	json_object_object_add(o, "clock", monitor_clock_json());
	json_object_object_add(o, "vehicles", vehicles);

	struct json_object *fleet = json_object_new_object();
	json_object_object_add(fleet, "vehicles", json_object_new_int64((int64_t)n));
	json_object_object_add(fleet, "online", json_object_new_int64((int64_t)online));
	json_object_object_add(o, "fleet", fleet);

	uint64_t rejected = 0;
	for (size_t i = 0; i < FIX_REASON_COUNT; i++)
		rejected += d->stats.rejected[i];
	struct json_object *fixes = json_object_new_object();
	json_object_object_add(fixes, "received", json_object_new_uint64(d->stats.received));
	json_object_object_add(fixes, "stored", json_object_new_uint64(d->stats.stored));
	json_object_object_add(fixes, "rejected", json_object_new_uint64(rejected));
	double rate = fix_rate(d->live, d->stats.stored, mono_ms());
	jt_ms up = mono_ms() - d->started_mono; /* real time: fixes per real second */
	if (rate < 0 && up >= 1000) /* the first look: the average since the start */
		rate = (double)d->stats.stored * 1000.0 / (double)up;
	json_object_object_add(fixes, "per_s", rate < 0 ? NULL : num_or_null(rate));
	json_object_object_add(o, "fixes", fixes);

	const struct rides_stats *rs = rides_stats(d);
	struct json_object *rides = json_object_new_object();
	json_object_object_add(rides, "offered", json_object_new_uint64(rs->offered));
	json_object_object_add(rides, "refused", json_object_new_uint64(rs->refused));
	json_object_object_add(rides, "confirmed", json_object_new_uint64(rs->confirmed));
	json_object_object_add(rides, "cancelled", json_object_new_uint64(rs->cancelled));
	json_object_object_add(rides, "expired", json_object_new_uint64(rs->expired));
	json_object_object_add(rides, "open", json_object_new_uint64(rs->open));
	json_object_object_add(o, "rides", rides);

	struct json_object *late = d->live->late ? d->live->late(d, d->live->late_arg) : NULL;
	json_object_object_add(o, "tracking", json_object_new_boolean(late != NULL));
	json_object_object_add(o, "late", late ? late : json_object_new_array());
	http_reply_json(req, 200, o);
}

void live_handle(struct jtd *d, struct evhttp_request *req, const char *rest)
{
	bool network = strcmp(rest, "/network") == 0, state = strcmp(rest, "/state") == 0;
	if (!network && !state) {
		http_reply_error(req, 404, "not_found", "nothing at /v1/live%.100s", rest);
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "/v1/live%s is read with GET", rest);
		return;
	}
	if (!http_operator(d, req))
		return;
	if (network)
		reply_network(d, req);
	else
		reply_state(d, req);
}
