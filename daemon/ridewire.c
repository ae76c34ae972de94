/*
 * ridewire.c — booking requests and rides as protobuf; see ridewire.h.
 *
 * A protobuf request is turned into the JSON object the JSON front ends
 * send, member for member, so both go through the one parser that checks
 * every value (ride_parse_request()). A ride goes out from its JSON form
 * (ride_json()), so both replies say the same.
 */
#include "ridewire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jintong.pb-c.h"
#include "jsonin.h"
#include "timeparse.h"
#include "util.h"

#define RIDEWIRE_MAX_BYTES 16384

static struct json_object *place_json(const Jintong__Place *p)
{
	struct json_object *o = json_object_new_object();
	if (p->stop)
		json_object_object_add(o, "stop", json_object_new_string(p->stop));
	if (p->village)
		json_object_object_add(o, "village", json_object_new_string(p->village));
	if (p->has_lat)
		json_object_object_add(o, "lat", json_object_new_double(p->lat));
	if (p->has_lon)
		json_object_object_add(o, "lon", json_object_new_double(p->lon));
	return o;
}

struct json_object *ridewire_request_json(const uint8_t *data, size_t len, char *err, size_t errlen)
{
	if (len > RIDEWIRE_MAX_BYTES) {
		snprintf(err, errlen, "a ride request is at most %d bytes", RIDEWIRE_MAX_BYTES);
		return NULL;
	}
	Jintong__RideRequest *m = jintong__ride_request__unpack(NULL, len, data);
	if (!m) {
		snprintf(err, errlen, "the body is not a jintong.RideRequest");
		return NULL;
	}
	struct json_object *o = json_object_new_object();
	/* Strings holding a NUL would be cut short; the JSON side refuses them by length. */
	if (m->rider)
		json_object_object_add(o, "rider", json_object_new_string(m->rider));
	if (m->client_ref)
		json_object_object_add(o, "client_ref", json_object_new_string(m->client_ref));
	if (m->from)
		json_object_object_add(o, "from", place_json(m->from));
	if (m->to)
		json_object_object_add(o, "to", place_json(m->to));
	if (m->leave_after)
		json_object_object_add(o, "leave_after", json_object_new_string(m->leave_after));
	if (m->arrive_by)
		json_object_object_add(o, "arrive_by", json_object_new_string(m->arrive_by));
	if (m->has_passengers)
		json_object_object_add(o, "passengers", json_object_new_int64(m->passengers));
	if (m->has_parcels_l)
		json_object_object_add(o, "parcels_l", json_object_new_int64(m->parcels_l));
	if (m->has_wheelchair)
		json_object_object_add(o, "wheelchair", json_object_new_boolean(m->wheelchair));
	if (m->has_confirm)
		json_object_object_add(o, "confirm", json_object_new_boolean(m->confirm));
	jintong__ride_request__free_unpacked(m, NULL);
	return o;
}

/* Members of the ride's JSON, as the message wants them. */
static char *str(struct json_object *o, const char *key)
{
	return (char *)jsonin_str(o, key, NULL);
}

static bool ms(struct json_object *o, const char *key, int64_t *out)
{
	const char *s = str(o, key);
	jt_ms t;
	if (!s || ts_parse(s, strlen(s), &t) != 0)
		return false;
	*out = t;
	return true;
}

static bool num(struct json_object *o, const char *key, uint32_t *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	int64_t x = json_object_get_int64(v);
	*out = x < 0 ? 0 : x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
	return true;
}

uint8_t *ridewire_ride_pack(struct json_object *ride, size_t *len)
{
	Jintong__Ride m;
	Jintong__Offer offer;
	jintong__ride__init(&m);
	jintong__offer__init(&offer);
	m.id = str(ride, "id");
	m.state = str(ride, "state");
	m.rider = str(ride, "rider");
	m.client_ref = str(ride, "client_ref");
	m.has_passengers = num(ride, "passengers", &m.passengers);
	m.has_parcels_l = num(ride, "parcels_l", &m.parcels_l);
	m.has_offer_expires_ms = ms(ride, "offer_expires", &m.offer_expires_ms);
	m.reason = str(ride, "reason");
	m.has_created_ms = ms(ride, "created_at", &m.created_ms);
	m.has_updated_ms = ms(ride, "updated_at", &m.updated_ms);
	struct json_object *f;
	if (json_object_object_get_ex(ride, "offer", &f) && json_object_is_type(f, json_type_object)) {
		offer.kind = str(f, "kind");
		offer.trip = str(f, "trip");
		offer.line = str(f, "line");
		offer.service_day = str(f, "service_day");
		offer.vehicle = str(f, "vehicle");
		offer.shift = str(f, "shift");
		offer.pickup_stop = str(f, "pickup_stop");
		offer.dropoff_stop = str(f, "dropoff_stop");
		offer.has_pickup_from_ms = ms(f, "pickup_from", &offer.pickup_from_ms);
		offer.has_pickup_to_ms = ms(f, "pickup_to", &offer.pickup_to_ms);
		offer.has_pickup_expected_ms = ms(f, "pickup_expected", &offer.pickup_expected_ms);
		offer.has_dropoff_at_ms = ms(f, "dropoff_at", &offer.dropoff_at_ms);
		offer.has_dropoff_by_ms = ms(f, "dropoff_by", &offer.dropoff_by_ms);
		offer.has_walk_m = num(f, "walk_m", &offer.walk_m);
		struct json_object *p;
		offer.has_pupil_seat = json_object_object_get_ex(f, "pupil_seat", &p) && json_object_get_boolean(p);
		offer.pupil_seat = offer.has_pupil_seat;
		m.offer = &offer;
	}
	struct json_object *alts;
	size_t n = json_object_object_get_ex(ride, "alternatives", &alts) && json_object_is_type(alts, json_type_array)
			   ? json_object_array_length(alts)
			   : 0;
	Jintong__Alternative *a = xcalloc(n ? n : 1, sizeof *a);
	Jintong__Alternative **ap = xcalloc(n ? n : 1, sizeof *ap);
	for (size_t i = 0; i < n; i++) {
		struct json_object *x = json_object_array_get_idx(alts, i);
		jintong__alternative__init(&a[i]);
		a[i].trip = str(x, "trip");
		a[i].line = str(x, "line");
		a[i].service_day = str(x, "service_day");
		a[i].pickup_stop = str(x, "pickup_stop");
		a[i].dropoff_stop = str(x, "dropoff_stop");
		a[i].has_pickup_from_ms = ms(x, "pickup_from", &a[i].pickup_from_ms);
		a[i].has_dropoff_at_ms = ms(x, "dropoff_at", &a[i].dropoff_at_ms);
		a[i].has_free_seats = num(x, "free_seats", &a[i].free_seats);
		ap[i] = &a[i];
	}
	m.n_alternatives = n;
	m.alternatives = ap;
	*len = jintong__ride__get_packed_size(&m);
	uint8_t *buf = xmalloc(*len ? *len : 1);
	jintong__ride__pack(&m, buf);
	free(a);
	free(ap);
	return buf;
}
