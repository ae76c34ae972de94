/*
 * test_adminbody.c — the admin API's bodies (calbody.c, placebody.c,
 * routebody.c, shiftbody.c, rosterbody.c, tripbody.c, fleetbody.c, and the route
 * network's records in catalog.c) against hostile input: NaN and infinity
 * (as JSON-C reads NaN, Infinity and 1e999, and as strings), coordinates out
 * of range, wrong types, duplicated members, invalid UTF-8, over-long
 * strings, ids that are not codes, and unknown ids. Each refusal names its
 * reason; the county here has every code but those starting with 'X' (and no
 * trip but those starting with 'T').
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calbody.h"
#include "catalog.h"
#include "fleetbody.h"
#include "check.h"
#include "placebody.h"
#include "rosterbody.h"
#include "routebody.h"
#include "shiftbody.h"
#include "tripbody.h"
#include "util.h"

#define TODAY 20000

static bool known(void *arg, const char *coll, const char *code)
{
	(void)arg;
	if (strcmp(coll, "trips") == 0)
		return code[0] == 'T';
	return code[0] != 'X';
}

static bool place_known(void *arg, const char *place)
{
	enum route_place kind;
	const char *code;
	(void)arg;
	return route_place(place, &kind, &code) == 0 && code[0] != 'X';
}

static const char *line_of(void *arg, const char *rider)
{
	(void)arg;
	return rider[0] == 'X' ? "OTHER" : NULL;
}

static struct json_object *ver1;

static struct json_object *version(void *arg, const char *line, int number)
{
	(void)arg;
	return line[0] != 'X' && (number == 0 || number == 1) ? ver1 : NULL;
}

static const struct tripbody_env env = { .exists = known, .version = version };

enum body { CAL, GROUP, ZONE, ROUTE, SHIFT, ROSTER, TRIP, TIMETABLE, STOP, VEHICLE, DEVICE, TOKEN, CLIENT, SIGN_ON, COUNTS };

/* The body parsed as the daemon parses it, or NULL when it is not one JSON object. */
static struct json_object *parse(const char *text)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (json_tokener_get_error(tok) != json_tokener_success || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* Runs one body: 0 accepted, else the status, with err. */
static int run(enum body b, struct json_object *in, char *err, size_t errlen)
{
	int status = 0;
	switch (b) {
	case CAL: {
		struct calbody *k = calbody_build(in, NULL, known, NULL, err, errlen);
		status = k ? 0 : 400;
		calbody_free(k);
		break;
	}
	case GROUP:
	case ZONE: {
		struct json_object *r = placebody_build(b == GROUP, in, NULL, known, NULL, err, errlen);
		status = r ? 0 : 400;
		json_object_put(r);
		break;
	}
	case ROUTE: {
		struct routebody r;
		status = routebody_parse(in, place_known, NULL, TODAY, &r, err, errlen) ? 400 : 0;
		if (!status)
			routebody_free(&r);
		break;
	}
	case SHIFT: {
		struct shiftbody s;
		if (shiftbody_parse(in, &s, err, errlen) != 0) {
			status = 400;
		} else if (!shiftbody_span_ok(&s)) {
			status = 400;
			snprintf(err, errlen, "span"); /* the shell's message, after its look-ups */
		}
		break;
	}
	case ROSTER: {
		struct rosterbody r;
		status = rosterbody_parse(in, "L1", line_of, NULL, &r, err, errlen) ? 400 : 0;
		if (!status)
			rosterbody_free(&r);
		break;
	}
	case TRIP: {
		struct trip *t = NULL;
		status = tripbody_add(in, &env, &t, err, errlen);
		tripbody_free(t);
		break;
	}
	case TIMETABLE: {
		struct tripbody_timetable tt;
		status = tripbody_timetable(in, "L1", &env, &tt, err, errlen) ? 400 : 0;
		break;
	}
	case STOP: {
		struct json_object *r = catalog_build(catalog_find("stops"), in, NULL, known, NULL, err, errlen);
		status = r ? 0 : 400;
		json_object_put(r);
		break;
	}
	default: {
		const char *why;
		struct fleetbody_vehicle v;
		struct fleetbody_device dv;
		struct fleetbody_credential c;
		struct fleetbody_counts n;
		char trip[33];
		int rc = b == VEHICLE  ? fleetbody_vehicle(in, &v, &why, err, errlen)
			 : b == DEVICE ? fleetbody_device(in, &dv, &why, err, errlen)
			 : b == TOKEN || b == CLIENT ? fleetbody_credential(in, b == CLIENT, &c, &why, err, errlen)
			 : b == SIGN_ON ? fleetbody_sign_on(in, trip, &why, err, errlen)
					: fleetbody_counts(in, &n, &why, err, errlen);
		status = rc ? 400 : 0;
		break;
	}
	}
	return status;
}

struct hostile {
	enum body body;
	const char *text;
	int status;         /* 0: accepted */
	const char *reason; /* a part of the message */
};

#define LONG40 "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ"
#define STOP(lat, lon) "{\"code\":\"S1\",\"name\":\"白云\",\"kind\":\"village\",\"lat\":" lat ",\"lon\":" lon "}"
#define SHIFT_AT(a, b) "{\"code\":\"D1\",\"vehicle\":\"V1\",\"calendar\":\"C1\",\"depot\":\"S1\",\"start\":" a ",\"end\":" b "}"
#define TT(extra) "{\"calendar\":\"C1\",\"first\":\"06:30\",\"last\":\"08:00\",\"every\":\"30m\"" extra "}"

static const struct hostile cases[] = {
	/* the bodies the black-box tests send, accepted */
	{ CAL, "{\"code\":\"MKT\",\"name\":\"石桥赶场\",\"kind\":\"market\",\"digits\":\"147\",\"town\":\"T1\"}", 0, NULL },
	{ GROUP, "{\"code\":\"LG1\",\"stops\":[\"S2\",\"S1\"]}", 0, NULL },
	{ ZONE, "{\"code\":\"Z1\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[104.45,30.0],[104.55,30.0],[104.55,30.1],[104.45,30.0]]]}}", 0, NULL },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[30.0,104.5],[30.01,104.51]]}", 0, NULL },
	{ SHIFT, SHIFT_AT("\"06:00\"", "\"20:00\""), 0, NULL },
	{ ROSTER, "{\"pupils\":[\"p1\",\"p2\"]}", 0, NULL },
	{ TRIP, "{\"code\":\"L1-0630\",\"line\":\"L1\",\"calendar\":\"C1\",\"times\":[\"06:30\",\"06:45\"]}", 0, NULL },
	{ TIMETABLE, TT(""), 0, NULL },
	{ STOP, STOP("30.0", "104.5"), 0, NULL },

	/* NaN and infinity, as numbers JSON-C reads and as strings */
	{ STOP, STOP("NaN", "104.5"), 400, "lat must be a number from -90 to 90" },
	{ STOP, STOP("30.0", "Infinity"), 400, "lon must be a number from -180 to 180" },
	{ STOP, STOP("1e999", "104.5"), 400, "lat must be a number" },
	{ STOP, STOP("\"NaN\"", "104.5"), 400, "lat" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[NaN,104.5],[30.01,104.51]]}", 400, "shape point 1 is not a place" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[30.0,-Infinity],[30.01,104.51]]}", 400, "shape point 1 is not a place" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[30.0,104.5],[1e999,104.51]]}", 400, "shape point 2 is not a place" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[\"30.0\",104.5],[30.01,104.51]]}", 400, "shape must be a list of [lat, lon] pairs" },
	{ TIMETABLE, TT(",\"speed_kmh\":NaN"), 400, "speed_kmh must be from 5 to 120" },
	{ TIMETABLE, TT(",\"speed_kmh\":1e999"), 400, "speed_kmh must be from 5 to 120" },
	{ TIMETABLE, TT(",\"speed_kmh\":\"30\""), 400, "speed_kmh must be from 5 to 120" },
	{ TIMETABLE, TT(",\"dwell_s\":1e999"), 400, "dwell_s must be a whole number" },

	/* coordinates out of range */
	{ STOP, STOP("90.5", "104.5"), 400, "lat must be a number from -90 to 90" },
	{ STOP, STOP("30.0", "-180.01"), 400, "lon must be a number from -180 to 180" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape\":[[30.0,104.5],[30.01,181]]}", 400, "shape point 2 is not a place" },
	{ ZONE, "{\"code\":\"Z1\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[200,30.0],[104.55,30.0],[104.55,30.1],[200,30.0]]]}}", 400, "geometry: " },

	/* wrong types */
	{ CAL, "{\"code\":\"C1\",\"kind\":\"market\",\"digits\":\"1\",\"town\":\"T1\",\"lunar\":\"yes\"}", 400, "lunar must be true or false" },
	{ CAL, "{\"code\":\"C1\",\"kind\":\"dates\",\"added\":\"2026-12-24\"}", 400, "added must be a list" },
	{ CAL, "{\"code\":\"C1\",\"kind\":\"market\",\"digits\":\"1\",\"town\":\"T1\",\"terms\":[[\"2026-01-01\",\"2020-01-20\"]]}", 400, "the term 2026-01-01..2020-01-20 ends before it starts" },
	{ CAL, "{\"code\":7,\"kind\":\"dates\",\"added\":[\"2026-12-24\"]}", 400, "code must be 1 to 32" },
	{ GROUP, "{\"code\":\"LG1\",\"stops\":\"S1\"}", 400, "stops must be a list of 1 to" },
	{ ROUTE, "{\"stops\":{\"0\":\"A\"}}", 400, "stops must be a list of stop codes" },
	{ SHIFT, SHIFT_AT("700", "\"20:00\""), 400, "\"start\" must be a time" },
	{ ROSTER, "{\"pupils\":[1,2]}", 400, "each pupil is a rider id" },
	{ ROSTER, "{\"pupils\":\"p1\"}", 400, "the body is {\"pupils\"" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"version\":\"1\",\"times\":[\"06:30\",\"06:45\"]}", 400, "version must be a route version number" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"times\":[\"06:30\"]}", 400, "times must list one time" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"times\":[\"06:45\",\"06:30\"]}", 400, "stop 2" },
	{ STOP, "{\"code\":\"S1\",\"name\":[\"白云\"],\"kind\":\"village\",\"lat\":30,\"lon\":104.5}", 400, "name" },

	/* duplicated members: the last one counts, as JSON-C keeps it */
	{ CAL, "{\"code\":\"C1\",\"kind\":\"weekly\",\"kind\":\"sometimes\"}", 400, "kind must be weekly, market, school or dates" },
	{ SHIFT, "{\"code\":\"D1\",\"vehicle\":\"V1\",\"calendar\":\"C1\",\"depot\":\"S1\",\"start\":\"06:00\",\"end\":\"20:00\",\"end\":\"05:00\"}", 400, "span" },
	{ ROSTER, "{\"pupils\":[\"p1\"],\"pupils\":[\"p1\",\"p1\"]}", 400, "a pupil is listed twice" },
	{ GROUP, "{\"code\":\"LG1\",\"stops\":[\"S1\",\"S1\"]}", 400, "stop S1 is listed twice" },

	/* invalid UTF-8 and control characters */
	{ CAL, "{\"code\":\"C1\",\"name\":\"\xff\xfe\",\"kind\":\"dates\",\"added\":[\"2026-12-24\"]}", 400, "name must be at most 128 bytes of UTF-8" },
	{ GROUP, "{\"code\":\"LG1\",\"name\":\"\xc3\x28\",\"stops\":[\"S1\"]}", 400, "name must be text" },
	{ ZONE, "{\"code\":\"Z1\",\"description\":\"a\\u0000b\"}", 400, "description must be text" },
	{ STOP, "{\"code\":\"S1\",\"name\":\"\xed\xa0\x80\",\"kind\":\"village\",\"lat\":30,\"lon\":104.5}", 400, "name" },
	{ ROSTER, "{\"pupils\":[\"p\\u00e9\"]}", 400, "each pupil is a rider id" },

	/* over-long strings */
	{ CAL, "{\"code\":\"" LONG40 "\",\"kind\":\"dates\",\"added\":[\"2026-12-24\"]}", 400, "code must be 1 to 32" },
	{ SHIFT, "{\"code\":\"" LONG40 "\",\"vehicle\":\"V1\",\"calendar\":\"C1\",\"depot\":\"S1\",\"start\":\"06:00\",\"end\":\"20:00\"}", 400, "\"code\" must be a code" },
	{ ROSTER, "{\"pupils\":[\"" LONG40 LONG40 "\"]}", 400, "each pupil is a rider id of 1 to 64" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"block\":\"" LONG40 "\",\"times\":[\"06:30\",\"06:45\"]}", 400, "block must be 1 to 32" },

	/* ids that are not codes, and codes nobody has */
	{ ROUTE, "{\"stops\":[\"A\",\"bus stop 1\"]}", 400, "stop 2 is not a stop code" },
	{ ROUTE, "{\"stops\":[\"A\",\"XB\"]}", 400, "does not exist" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"shape_id\":\"s1\"}", 400, "shape_id: the id of a feed's shape goes with the shape" },
	{ ROUTE, "{\"stops\":[\"A\",\"B\"],\"from\":\"2020-01-01\"}", 400, "cannot take effect in the past" },
	{ GROUP, "{\"code\":\"LG1\",\"stops\":[\"XS\"]}", 400, "stop 1, XS, is not a stop" },
	{ GROUP, "{\"code\":\"-LG1\",\"stops\":[\"S1\"]}", 400, "code must be 1 to 32" },
	{ CAL, "{\"code\":\"C1\",\"kind\":\"market\",\"digits\":\"1\",\"town\":\"XT\"}", 400, "there is no town XT" },
	{ SHIFT, "{\"code\":\"D 1\",\"vehicle\":\"V1\",\"calendar\":\"C1\",\"depot\":\"S1\",\"start\":\"06:00\",\"end\":\"20:00\"}", 400, "\"code\" must be a code" },
	{ SHIFT, SHIFT_AT("\"06:00\"", "\"48:00\""), 400, "\"end\" must be a time" },
	{ ROSTER, "{\"pupils\":[\"Xp\"]}", 400, "already on another line's roster" },
	{ ROSTER, "{\"pupils\":[\"a,b\"]}", 400, "each pupil is a rider id" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"XL\",\"calendar\":\"C1\",\"times\":[\"06:30\",\"06:45\"]}", 400, "there is no line XL" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"XC\",\"times\":[\"06:30\",\"06:45\"]}", 400, "there is no calendar XC" },
	{ TRIP, "{\"code\":\"T1\",\"line\":\"L1\",\"calendar\":\"C1\",\"times\":[\"06:30\",\"06:45\"]}", 409, "trip T1 already exists" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"version\":2,\"times\":[\"06:30\",\"06:45\"]}", 400, "line L1 has no route version 2" },
	{ TRIP, "{\"code\":\"L1-1\",\"line\":\"L1\",\"calendar\":\"C1\",\"gtfs_id\":\"a\\u0001\",\"times\":[\"06:30\",\"06:45\"]}", 400, "gtfs_id: " },
	{ TIMETABLE, TT(",\"wait\":1"), 400, "no field 'wait' here" },
	{ TIMETABLE, "{\"calendar\":\"C1\",\"first\":\"08:00\",\"last\":\"06:30\",\"every\":\"30m\"}", 400, "last not before first" },
	{ STOP, "{\"code\":\"S1\",\"name\":\"白云\",\"kind\":\"village\",\"lat\":30,\"lon\":104.5,\"altitude\":1}", 400, "altitude" },
	/* the fleet's, the credentials' and the drivers' bodies */
	{ VEHICLE, "{\"code\":\"BUS-12\",\"name\":\"宇通\",\"seats\":35,\"cargo_l\":400,\"step_free\":true}", 0, NULL },
	{ VEHICLE, "{\"code\":\"-BUS\"}", 400, "code must be 1 to 32" },
	{ VEHICLE, "{\"code\":12}", 400, "code must be a string" },
	{ VEHICLE, "{\"code\":\"B1\",\"seats\":1e999}", 400, "seats must be a whole number" },
	{ VEHICLE, "{\"code\":\"B1\",\"seats\":201}", 400, "seats must be from 0 to 200" },
	{ VEHICLE, "{\"code\":\"B1\",\"cargo_l\":-1}", 400, "cargo_l must be from 0 to 100000" },
	{ VEHICLE, "{\"code\":\"B1\",\"step_free\":\"yes\"}", 400, "step_free must be true or false" },
	{ VEHICLE, "{\"code\":\"" LONG40 "\"}", 400, "code must be 1 to 32" },
	{ DEVICE, "{\"device_id\":\"tablet-0012\",\"vehicle\":\"BUS-12\"}", 0, NULL },
	{ DEVICE, "{\"device_id\":\"a b\",\"vehicle\":\"BUS-12\"}", 400, "printable characters without spaces" },
	{ DEVICE, "{\"device_id\":\"t1\"}", 400, "vehicle is required" },
	{ DEVICE, "{\"device_id\":\"t1\",\"vehicle\":[1]}", 400, "vehicle must be a string" },
	{ TOKEN, "{\"name\":\"desk\",\"role\":\"dispatcher\"}", 0, NULL },
	{ TOKEN, "{\"name\":\"desk\",\"role\":\"root\"}", 400, "role must be read_only, dispatcher or admin" },
	{ TOKEN, "{\"name\":\"bad name\"}", 400, "name must be 1 to 64" },
	{ CLIENT, "{\"name\":\"village-app\",\"role\":\"admin\"}", 400, "a booking client has no role" },
	{ SIGN_ON, "{\"trip\":\"L1-0630\"}", 0, NULL },
	{ SIGN_ON, "{\"trip\":\"L1-0630\",\"driver\":\"x\"}", 400, "sign-on takes only" },
	{ SIGN_ON, "{\"trip\":null}", 400, "must be a trip code" },
	{ COUNTS, "{\"stop\":\"S1\",\"boarded\":4,\"alighted\":1}", 0, NULL },
	{ COUNTS, "{\"stop\":3,\"boarded\":501}", 400, "from 0 to 500" },
	{ COUNTS, "{\"stop\":3,\"alighted\":1.5}", 400, "whole number" },
	{ COUNTS, "{\"stop\":3,\"riders\":2}", 400, "counts take" },
};

int main(void)
{
	ver1 = json_tokener_parse("{\"version\":1,\"stops\":[\"S1\",\"S2\"]}");
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		const struct hostile *h = &cases[i];
		char what[80], err[400] = "";
		snprintf(what, sizeof what, "case %zu status", i + 1);
		struct json_object *in = parse(h->text);
		CHECK_MSG(what, in != NULL);
		if (!in)
			continue;
		int status = run(h->body, in, err, sizeof err);
		CHECK_INT(what, status, h->status);
		if (h->reason && !strstr(err, h->reason))
			fprintf(stderr, "case %zu: \"%s\" does not say \"%s\"\n", i + 1, err, h->reason);
		snprintf(what, sizeof what, "case %zu reason", i + 1);
		CHECK_MSG(what, !h->reason || strstr(err, h->reason));
		json_object_put(in);
	}

	/* a roster of one pupil too many */
	struct json_object *big = json_object_new_object(), *list = json_object_new_array();
	for (int i = 0; i <= ROSTERBODY_MAX; i++) {
		char id[16];
		snprintf(id, sizeof id, "p%d", i);
		json_object_array_add(list, json_object_new_string(id));
	}
	json_object_object_add(big, "pupils", list);
	char err[200] = "";
	CHECK_INT("a roster too long", run(ROSTER, big, err, sizeof err), 400);
	CHECK(strstr(err, "at most 5000 pupils") != NULL);
	json_object_put(big);

	/* an edit: the code cannot change, and an empty edit gives the calendar back */
	struct json_object *in = parse("{\"code\":\"C1\",\"kind\":\"dates\",\"added\":[\"2026-12-24\"]}");
	struct calbody *k = calbody_build(in, NULL, known, NULL, err, sizeof err);
	CHECK(k != NULL);
	struct json_object *edit = parse("{\"code\":\"C2\"}");
	CHECK(calbody_build(edit, k->json, known, NULL, err, sizeof err) == NULL);
	CHECK(strstr(err, "code cannot change") != NULL);
	json_object_put(edit);
	calbody_free(k);
	json_object_put(in);
	/* a field name cut inside a character, or not UTF-8 at all, comes out as valid text */
	in = parse("{\"ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHI\xe4\xb8\xad\xe6\x96\x87\":1}");
	CHECK(run(ROUTE, in, err, sizeof err) == 400);
	CHECK(!util_utf8_ok(err));
	util_utf8_repair(err);
	CHECK(util_utf8_ok(err));
	CHECK_STR("the cut character", err, "a route has no field 'ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHI?'");
	json_object_put(in);
	char bad[] = "a \xff b \xed\xa0\x80 c \xe4\xb8\xad";
	util_utf8_repair(bad);
	CHECK_STR("stray bytes and a surrogate", bad, "a ? b ??? c \xe4\xb8\xad");

	json_object_put(ver1);
	return check_done("adminbody");
}
