/*
 * ride.c — booking requests, the ride state machine and a ride's JSON; see
 * ride.h.
 */
#include "ride.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "jsonin.h"
#include "log.h"
#include "timeparse.h"
#include "util.h"

static const char *const state_names[RIDE_STATE_COUNT] = {
	[RIDE_REQUESTED] = "requested", [RIDE_OFFERED] = "offered",     [RIDE_CONFIRMED] = "confirmed",
	[RIDE_ONBOARD] = "onboard",     [RIDE_COMPLETED] = "completed", [RIDE_CANCELLED] = "cancelled",
	[RIDE_NO_SHOW] = "no_show",     [RIDE_REFUSED] = "refused",     [RIDE_EXPIRED] = "expired",
};

/* moves[from] has bit `to` set when from -> to is allowed. */
#define BIT(s) (1u << (s))
static const unsigned moves[RIDE_STATE_COUNT] = {
	[RIDE_REQUESTED] = BIT(RIDE_OFFERED) | BIT(RIDE_REFUSED),
	[RIDE_OFFERED] = BIT(RIDE_CONFIRMED) | BIT(RIDE_CANCELLED) | BIT(RIDE_EXPIRED),
	[RIDE_CONFIRMED] = BIT(RIDE_ONBOARD) | BIT(RIDE_CANCELLED) | BIT(RIDE_NO_SHOW),
	[RIDE_ONBOARD] = BIT(RIDE_COMPLETED),
};

const char *ride_state_name(enum ride_state s)
{
	return (unsigned)s < RIDE_STATE_COUNT ? state_names[s] : "?";
}

int ride_state_parse(const char *s)
{
	for (int i = 0; i < RIDE_STATE_COUNT; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

bool ride_state_open(enum ride_state s)
{
	switch (s) {
	case RIDE_OFFERED:
	case RIDE_CONFIRMED:
	case RIDE_ONBOARD:
		return true;
	case RIDE_REQUESTED:
	case RIDE_COMPLETED:
	case RIDE_CANCELLED:
	case RIDE_NO_SHOW:
	case RIDE_REFUSED:
	case RIDE_EXPIRED:
		return false;
	default:
		fatal("ride state %d out of range", (int)s);
	}
}

bool ride_can_move(enum ride_state from, enum ride_state to)
{
	return (unsigned)from < RIDE_STATE_COUNT && (unsigned)to < RIDE_STATE_COUNT &&
	       (moves[from] & BIT(to)) != 0;
}

int ride_move(struct ride *r, enum ride_state to, jt_ms now)
{
	if (!ride_can_move(r->state, to))
		return -1;
	log_debug("ride.state", "ride=%lld from=%s to=%s", (long long)r->id, ride_state_name(r->state),
		  ride_state_name(to));
	r->state = to;
	r->updated_at = now;
	return 0;
}

/* --- the request ------------------------------------------------------- */

/* A name from the request, fit to quote in a message: printable ASCII, at most 40 characters. */
static const char *shown(const char *s, char buf[44])
{
	size_t i = 0;
	for (; s[i] && i < 40; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\' ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* 1..max printable ASCII characters without spaces (identifiers a front end chose). */
static bool ident_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

/* Codes of stops and villages, as the catalog allows them. */
static bool code_ok(const char *s)
{
	return catalog_name_valid(s, RIDE_CODE_MAX);
}

static int get_int(struct json_object *o, const char *key, int dflt, int min, int max, int *out,
		   char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		*out = dflt;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int)) {
		snprintf(err, errlen, "\"%s\" must be a whole number", key);
		return -1;
	}
	int64_t x = json_object_get_int64(v);
	if (x < min || x > max) {
		snprintf(err, errlen, "\"%s\" must be between %d and %d", key, min, max);
		return -1;
	}
	*out = (int)x;
	return 0;
}

static int get_bool(struct json_object *o, const char *key, bool *out, char *err, size_t errlen)
{
	struct json_object *v;
	*out = false;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_boolean)) {
		snprintf(err, errlen, "\"%s\" must be true or false", key);
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

static int get_coord(struct json_object *o, const char *key, double lim, double *out, const char *what,
		     char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))) {
		snprintf(err, errlen, "\"%s\" needs a number \"%s\"", what, key);
		return -1;
	}
	double x = json_object_get_double(v);
	if (!isfinite(x) || x < -lim || x > lim) {
		snprintf(err, errlen, "\"%s\".\"%s\" must be a finite number from -%g to %g", what, key, lim, lim);
		return -1;
	}
	*out = x;
	return 0;
}

static int get_place(struct json_object *in, const char *key, struct ride_place *p, char *err,
		     size_t errlen)
{
	struct json_object *o;
	memset(p, 0, sizeof *p);
	if (!json_object_object_get_ex(in, key, &o) || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "\"%s\" must be an object: {\"stop\": CODE}, {\"village\": CODE} or "
				      "{\"lat\": .., \"lon\": ..}", key);
		return -1;
	}
	bool has_stop = json_object_object_get_ex(o, "stop", NULL);
	bool has_village = json_object_object_get_ex(o, "village", NULL);
	bool has_point = json_object_object_get_ex(o, "lat", NULL) || json_object_object_get_ex(o, "lon", NULL);
	if (has_stop + has_village + has_point != 1) {
		snprintf(err, errlen, "\"%s\" takes exactly one of a stop, a village or a point", key);
		return -1;
	}
	json_object_object_foreach(o, k, v)
	{
		(void)v;
		if (strcmp(k, "stop") && strcmp(k, "village") && strcmp(k, "lat") && strcmp(k, "lon")) {
			char b[44];
			snprintf(err, errlen, "\"%s\" has an unknown member \"%s\"", key, shown(k, b));
			return -1;
		}
	}
	if (has_point) {
		p->kind = RIDE_AT_POINT;
		if (get_coord(o, "lat", 90, &p->lat, key, err, errlen) ||
		    get_coord(o, "lon", 180, &p->lon, key, err, errlen))
			return -1;
		return 0;
	}
	p->kind = has_stop ? RIDE_AT_STOP : RIDE_AT_VILLAGE;
	const char *member = has_stop ? "stop" : "village";
	if (jsonin_string(o, member, true, p->code, sizeof p->code, err, errlen))
		return -1;
	if (!code_ok(p->code)) {
		snprintf(err, errlen, "\"%s\".\"%s\" is not a valid code", key, member);
		return -1;
	}
	return 0;
}

/* "2026-11-24T08:30" (people leave the seconds out) as "2026-11-24T08:30:00", zone kept. */
static void add_seconds(char *t, size_t size)
{
	size_t n = strlen(t);
	if (n >= 16 && (t[10] == 'T' || t[10] == ' ') && t[13] == ':' &&
	    (t[16] == '\0' || t[16] == 'Z' || t[16] == '+' || t[16] == '-') && n + 3 < size) {
		memmove(t + 19, t + 16, n - 16 + 1);
		memcpy(t + 16, ":00", 3);
	}
}

static const char *const request_members[] = { "rider",      "client_ref", "from",     "to",
					       "leave_after", "arrive_by", "passengers", "parcels_l",
					       "wheelchair", "confirm" };

int ride_parse_request(struct json_object *in, struct ride_request *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!in || !json_object_is_type(in, json_type_object)) {
		snprintf(err, errlen, "the body must be a JSON object");
		return -1;
	}
	json_object_object_foreach(in, key, val)
	{
		(void)val;
		bool known = false;
		for (size_t i = 0; i < JT_ARRAY_LEN(request_members); i++)
			known |= strcmp(key, request_members[i]) == 0;
		if (!known) {
			char b[44];
			snprintf(err, errlen, "unknown member \"%s\"", shown(key, b));
			return -1;
		}
	}
	if (jsonin_string(in, "rider", true, out->rider, sizeof out->rider, err, errlen))
		return -1;
	if (!ident_ok(out->rider, RIDE_RIDER_MAX)) {
		snprintf(err, errlen, "\"rider\" must be 1 to %d printable characters without spaces",
			 RIDE_RIDER_MAX);
		return -1;
	}
	if (jsonin_string(in, "client_ref", false, out->client_ref, sizeof out->client_ref, err, errlen))
		return -1;
	if (out->client_ref[0] && !ident_ok(out->client_ref, RIDE_REF_MAX)) {
		snprintf(err, errlen, "\"client_ref\" must be 1 to %d printable characters without spaces",
			 RIDE_REF_MAX);
		return -1;
	}
	if (get_place(in, "from", &out->from, err, errlen) || get_place(in, "to", &out->to, err, errlen))
		return -1;
	if (out->from.kind == out->to.kind &&
	    (out->from.kind == RIDE_AT_POINT ? out->from.lat == out->to.lat && out->from.lon == out->to.lon
					     : strcmp(out->from.code, out->to.code) == 0)) {
		snprintf(err, errlen, "\"from\" and \"to\" are the same place");
		return -1;
	}
	bool after = json_object_object_get_ex(in, "leave_after", NULL);
	bool by = json_object_object_get_ex(in, "arrive_by", NULL);
	if (after && by) {
		snprintf(err, errlen, "give \"leave_after\" or \"arrive_by\", not both");
		return -1;
	}
	if (after || by) {
		const char *member = by ? "arrive_by" : "leave_after";
		if (jsonin_string(in, member, true, out->time_text, sizeof out->time_text, err, errlen))
			return -1;
		add_seconds(out->time_text, sizeof out->time_text);
		jt_ms t;
		if (ts_parse(out->time_text, strlen(out->time_text), &t) != 0) {
			snprintf(err, errlen, "\"%s\" must be a time such as 2026-11-24T08:30:00+08:00", member);
			return -1;
		}
		out->arrive_by = by;
		out->has_time = true;
	}
	if (get_int(in, "passengers", 1, 0, RIDE_PASSENGERS_MAX, &out->passengers, err, errlen) ||
	    get_int(in, "parcels_l", 0, 0, RIDE_PARCELS_MAX_L, &out->parcels_l, err, errlen) ||
	    get_bool(in, "wheelchair", &out->wheelchair, err, errlen) ||
	    get_bool(in, "confirm", &out->confirm, err, errlen))
		return -1;
	if (out->passengers == 0 && out->parcels_l == 0) {
		snprintf(err, errlen, "a ride carries at least one passenger or a parcel");
		return -1;
	}
	return 0;
}

struct ride_alert ride_judge(const struct ride *r, jt_ms expected, jt_ms now, jt_ms approach_ms, jt_ms delay_ms)
{
	struct ride_alert a = { false, false };
	if (r->state != RIDE_CONFIRMED || r->service != RIDE_ON_TRIP || expected <= 0)
		return a;
	a.approaching = expected - now <= approach_ms;
	a.delay = r->pickup_from > 0 && expected - r->pickup_from >= delay_ms;
	return a;
}

/* --- JSON -------------------------------------------------------------- */

static struct json_object *time_json(jt_ms t)
{
	if (t <= 0)
		return NULL;
	char buf[TS_FORMAT_LEN];
	ts_format(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

static struct json_object *place_json(const struct ride_place *p)
{
	struct json_object *o = json_object_new_object();
	if (p->kind == RIDE_AT_STOP)
		json_object_object_add(o, "stop", json_object_new_string(p->code));
	else if (p->kind == RIDE_AT_VILLAGE)
		json_object_object_add(o, "village", json_object_new_string(p->code));
	json_object_object_add(o, "lat", json_object_new_double(p->lat));
	json_object_object_add(o, "lon", json_object_new_double(p->lon));
	return o;
}

struct json_object *ride_json(const struct ride *r)
{
	struct json_object *o = json_object_new_object();
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "state", json_object_new_string(ride_state_name(r->state)));
	json_object_object_add(o, "rider", json_object_new_string(r->req.rider));
	if (r->req.client_ref[0])
		json_object_object_add(o, "client_ref", json_object_new_string(r->req.client_ref));
	json_object_object_add(o, "from", place_json(&r->req.from));
	json_object_object_add(o, "to", place_json(&r->req.to));
	json_object_object_add(o, r->req.arrive_by ? "arrive_by" : "leave_after", time_json(r->when));
	json_object_object_add(o, "passengers", json_object_new_int(r->req.passengers));
	json_object_object_add(o, "parcels_l", json_object_new_int(r->req.parcels_l));
	json_object_object_add(o, "wheelchair", json_object_new_boolean(r->req.wheelchair));
	if (r->service != RIDE_NOTHING) {
		struct json_object *f = json_object_new_object();
		if (r->service == RIDE_ON_TRIP) {
			char day[DATE_FORMAT_LEN];
			date_format(r->day, day);
			json_object_object_add(f, "kind", json_object_new_string("seat"));
			json_object_object_add(f, "trip", json_object_new_string(r->trip));
			json_object_object_add(f, "line", json_object_new_string(r->line));
			json_object_object_add(f, "service_day", json_object_new_string(day));
			if (r->pupil)
				json_object_object_add(f, "pupil_seat", json_object_new_boolean(true));
		} else {
			json_object_object_add(f, "kind", json_object_new_string("vehicle"));
			char day[DATE_FORMAT_LEN];
			date_format(r->day, day);
			json_object_object_add(f, "vehicle", json_object_new_string(r->vehicle));
			json_object_object_add(f, "shift", json_object_new_string(r->shift));
			json_object_object_add(f, "service_day", json_object_new_string(day));
			json_object_object_add(f, "pickup_expected", time_json(r->pickup_at));
			json_object_object_add(f, "dropoff_by", time_json(r->dropoff_by));
		}
		json_object_object_add(f, "pickup_stop", r->pickup_stop[0] ? json_object_new_string(r->pickup_stop) : NULL);
		json_object_object_add(f, "pickup_from", time_json(r->pickup_from));
		json_object_object_add(f, "pickup_to", time_json(r->pickup_to));
		json_object_object_add(f, "dropoff_stop", r->dropoff_stop[0] ? json_object_new_string(r->dropoff_stop) : NULL);
		json_object_object_add(f, "dropoff_at", time_json(r->dropoff_at));
		json_object_object_add(f, "walk_m", json_object_new_int((int)lround(r->walk_m)));
		json_object_object_add(o, "offer", f);
	}
	if (r->state == RIDE_OFFERED)
		json_object_object_add(o, "offer_expires", time_json(r->offer_expires));
	if (r->reason[0])
		json_object_object_add(o, "reason", json_object_new_string(r->reason));
	json_object_object_add(o, "created_at", time_json(r->created_at));
	json_object_object_add(o, "updated_at", time_json(r->updated_at));
	return o;
}
