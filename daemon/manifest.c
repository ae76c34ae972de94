/*
 * manifest.c — what a vehicle on booking duty is to do next, for the
 * driver's tablet: GET /v1/vehicles/{code}/manifest.
 *
 * The stops of the vehicle's plans for yesterday's (a night shift still
 * running), today's and tomorrow's shifts, in the planned order: who boards
 * and alights where, the window each rider was promised, the parcels to take
 * or hand over (when the vehicle has fallen so far behind that its plan can
 * no longer keep every promise, the stops come without a planned time, in
 * the same order). Protobuf (jintong.Manifest) for the tablet; JSON when asked
 * with ?format=json, for people and scripts.
 *
 * A tablet of the vehicle, or an operator, may read it.
 */
#include "manifest.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demand.h"
#include "devices.h"
#include "fleet.h"
#include "http.h"
#include "jintong.pb-c.h"
#include "rides.h"
#include "shifts.h"
#include "timeparse.h"
#include "token.h"
#include "util.h"

/* May this request read vehicle v's manifest? Replies 401/403 when not. */
static bool allowed(struct jtd *d, struct evhttp_request *req, const struct vehicle *v)
{
	size_t tlen = 0;
	const char *tok = token_from_bearer(evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"),
					    &tlen);
	const struct device *dev = tok ? devices_by_token(d->devices, tok, tlen) : NULL;
	if (!dev)
		return http_operator(d, req) != NULL;
	if (dev->vehicle_id != v->id) {
		http_reply_error(req, 403, "forbidden", "this tablet is in another vehicle");
		return false;
	}
	return true;
}

static bool wants_json(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq qs;
	bool json = false;
	if (q && evhttp_parse_query_str(q, &qs) == 0) {
		const char *f = evhttp_find_header(&qs, "format");
		json = f && strcmp(f, "json") == 0;
		evhttp_clear_headers(&qs);
	}
	return json;
}

static int64_t ms(double s)
{
	return (int64_t)llround(s * 1000.0);
}

static struct json_object *time_json(int64_t t)
{
	char buf[TS_FORMAT_LEN];
	ts_format(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

void manifest_handle(struct jtd *d, struct evhttp_request *req, const char *code)
{
	const struct vehicle *v = fleet_by_code(d->fleet, code);
	if (!v) {
		http_reply_error(req, 404, "not_found", "no vehicle %.40s", code);
		return;
	}
	if (!allowed(d, req, v))
		return;
	struct demand *dm = rides_demand(d);
	struct demand_shift *shifts;
	size_t nshifts = shifts_resolve(d, &shifts);
	jt_day today = today_local();
	size_t cap = 0, n = 0;
	struct entry {
		Jintong__ManifestStop m;
		char id[24];
	} *stops = NULL;
	for (jt_day day = today - 1; day <= today + 1; day++)
		for (size_t i = 0; i < nshifts; i++) {
			if (strcmp(shifts[i].vehicle, v->code) != 0)
				continue;
			const struct plan_vehicle *p = demand_plan(dm, shifts[i].code, day);
			for (int k = 0; p && k < p->n; k++) {
				const struct plan_stop *s = &p->stops[k];
				const struct ride *r = rides_by_plan(d, s->request);
				if (!r)
					continue;
				stops = xgrow(stops, &cap, n + 1, sizeof *stops);
				Jintong__ManifestStop *m = &stops[n].m;
				jintong__manifest_stop__init(m);
				bool pick = s->kind == PLAN_PICKUP;
				snprintf(stops[n].id, sizeof stops[n].id, "%lld", (long long)r->id);
				m->has_kind = true;
				m->kind = pick ? JINTONG__MANIFEST_STOP__KIND__PICKUP : JINTONG__MANIFEST_STOP__KIND__DROPOFF;
				m->ride_id = stops[n].id;
				m->rider = (char *)r->req.rider;
				m->has_passengers = m->has_parcels_l = true;
				m->passengers = (uint32_t)r->req.passengers;
				m->parcels_l = (uint32_t)r->req.parcels_l;
				m->has_lat = m->has_lon = true;
				m->lat = s->loc.y;
				m->lon = s->loc.x;
				const char *stop = pick ? r->pickup_stop : r->dropoff_stop;
				m->stop = stop[0] ? (char *)stop : NULL;
				m->has_window_from_ms = m->has_window_to_ms = true;
				/* a plan its vehicle can no longer keep has no times: the order stands */
				m->has_planned_ms = isfinite(s->begin);
				m->window_from_ms = r->pickup_from; /* a drop-off: not before the pickup */
				m->window_to_ms = pick ? r->pickup_to : r->dropoff_by;
				m->planned_ms = ms(s->begin);
				m->shift = shifts[i].code;
				n++;
			}
		}
	if (wants_json(req)) {
		struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
		json_object_object_add(o, "vehicle", json_object_new_string(v->code));
		for (size_t i = 0; i < n; i++) {
			const Jintong__ManifestStop *m = &stops[i].m;
			struct json_object *s = json_object_new_object();
			json_object_object_add(s, "kind", json_object_new_string(
								  m->kind == JINTONG__MANIFEST_STOP__KIND__PICKUP ? "pickup"
														 : "dropoff"));
			json_object_object_add(s, "ride", json_object_new_string(m->ride_id));
			json_object_object_add(s, "rider", json_object_new_string(m->rider));
			json_object_object_add(s, "passengers", json_object_new_int((int)m->passengers));
			json_object_object_add(s, "parcels_l", json_object_new_int((int)m->parcels_l));
			json_object_object_add(s, "lat", json_object_new_double(m->lat));
			json_object_object_add(s, "lon", json_object_new_double(m->lon));
			json_object_object_add(s, "stop", m->stop ? json_object_new_string(m->stop) : NULL);
			json_object_object_add(s, "window_from", time_json(m->window_from_ms));
			json_object_object_add(s, "window_to", time_json(m->window_to_ms));
			json_object_object_add(s, "planned", m->has_planned_ms ? time_json(m->planned_ms) : NULL);
			json_object_object_add(s, "shift", json_object_new_string(m->shift));
			json_object_array_add(arr, s);
		}
		json_object_object_add(o, "stops", arr);
		http_reply_json(req, 200, o);
	} else {
		Jintong__Manifest msg;
		jintong__manifest__init(&msg);
		msg.vehicle = (char *)v->code;
		msg.has_generated_ms = true;
		msg.generated_ms = now_ms();
		Jintong__ManifestStop **ptrs = xcalloc(n ? n : 1, sizeof *ptrs);
		for (size_t i = 0; i < n; i++)
			ptrs[i] = &stops[i].m;
		msg.n_stops = n;
		msg.stops = ptrs;
		size_t len = jintong__manifest__get_packed_size(&msg);
		uint8_t *buf = xmalloc(len ? len : 1);
		jintong__manifest__pack(&msg, buf);
		http_reply_body(req, 200, "application/x-protobuf", buf, len);
		free(buf);
		free(ptrs);
	}
	free(stops);
	free(shifts);
}
