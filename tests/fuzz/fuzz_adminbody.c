/*
 * fuzz_adminbody.c — the bodies operators send to the admin API, any bytes.
 * The first byte says which body the rest is:
 *
 *   c calendar   g location group   z zone   r route drawing   s demand shift
 *   o roster     t trip (add)       e trip (edit)   m timetable
 *   n a route-network record: the second byte picks the collection (towns,
 *     villages, operators, stops, lines, ...), the rest is the body
 *   v vehicle   d tablet   k operator token   l booking client
 *   y a driver's sign-on   u a driver's rider counts
 *
 * parsed as the daemon parses a body (one JSON object, nothing after it), with
 * a county where every code exists except those starting with 'X' (and
 * every trip code but those starting with 'T' is free). Refused
 * bodies get a message; accepted ones keep their promises: codes valid,
 * coordinates finite and in range, times forward, dates in order, lists
 * without repeats, and the canonical record read back as a body gives the
 * same record; a refusal's message, as the reply carries it, is valid
 * UTF-8 whatever bytes the body echoed. Leaks show under ASan.
 */
#include "fuzz.h"

#include <json-c/json.h>
#include <math.h>

#include "calbody.h"
#include "access.h"
#include "catalog.h"
#include "fix.h"
#include "fleetbody.h"
#include "placebody.h"
#include "rosterbody.h"
#include "routebody.h"
#include "shiftbody.h"
#include "tripbody.h"
#include "util.h"

#define TODAY 20000 /* 2024-10-04 as days since the epoch */

static bool known(void *arg, const char *coll, const char *code)
{
	(void)arg;
	if (strcmp(coll, "trips") == 0) /* the trips T... exist already */
		return code[0] == 'T';
	return code[0] != 'X';
}

static bool place_known(void *arg, const char *place)
{
	(void)arg;
	enum route_place kind;
	const char *code;
	return route_place(place, &kind, &code) == 0 && code[0] != 'X';
}

static const char *line_of(void *arg, const char *rider)
{
	(void)arg;
	return rider[0] == 'X' ? "OTHER" : NULL;
}

/* Every line has two route versions: 1 through two stops, 2 through a stop, a group and a zone. */
static struct json_object *versions[2];

static struct json_object *version(void *arg, const char *line, int number)
{
	(void)arg;
	if (line[0] == 'X' || number < 0 || number > 2)
		return NULL;
	return versions[number ? number - 1 : 1];
}

static void make_versions(void)
{
	if (versions[0])
		return;
	versions[0] = json_tokener_parse("{\"version\":1,\"stops\":[\"S1\",\"S2\"]}");
	versions[1] = json_tokener_parse("{\"version\":2,\"stops\":[\"S1\",\"group:G1\",\"zone:Z1\"]}");
}

/* A refusal says why, and what the operator reads of it is valid UTF-8. */
static void check_err(char *err, size_t cap)
{
	FUZZ_ASSERT(memchr(err, '\0', cap) != NULL);
	FUZZ_ASSERT(err[0] != '\0');
	size_t len = strlen(err);
	util_utf8_repair(err);
	FUZZ_ASSERT(strlen(err) == len && util_utf8_ok(err));
}

static struct json_object *reparse(struct json_object *o)
{
	return json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
}

static void calendar(struct json_object *in)
{
	char err[300] = "";
	struct calbody *k = calbody_build(in, NULL, known, NULL, err, sizeof err);
	if (!k) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(catalog_code_valid(catalog_code(k->json)));
	FUZZ_ASSERT(k->c.start <= k->c.end);
	for (size_t i = 0; i < k->c.nterms; i++)
		FUZZ_ASSERT(k->c.terms[i].first <= k->c.terms[i].last);
	/* the canonical JSON is a body that gives itself, and an empty edit changes nothing */
	struct json_object *again = reparse(k->json), *empty = json_object_new_object();
	struct calbody *k2 = calbody_build(again, NULL, known, NULL, err, sizeof err);
	FUZZ_ASSERT(k2 && json_object_equal(k2->json, k->json));
	struct calbody *k3 = calbody_build(empty, k->json, known, NULL, err, sizeof err);
	FUZZ_ASSERT(k3 && json_object_equal(k3->json, k->json));
	calbody_free(k3);
	calbody_free(k2);
	json_object_put(empty);
	json_object_put(again);
	calbody_free(k);
}

static void place(struct json_object *in, bool groups)
{
	char err[300] = "";
	struct json_object *rec = placebody_build(groups, in, NULL, known, NULL, err, sizeof err);
	if (!rec) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(catalog_code_valid(catalog_code(rec)));
	if (groups) {
		struct json_object *s = json_object_object_get(rec, "stops");
		for (size_t i = 1; i < json_object_array_length(s); i++)
			FUZZ_ASSERT(strcmp(json_object_get_string(json_object_array_get_idx(s, i - 1)),
					   json_object_get_string(json_object_array_get_idx(s, i))) < 0);
	}
	struct json_object *again = reparse(rec);
	struct json_object *rec2 = placebody_build(groups, again, NULL, known, NULL, err, sizeof err);
	FUZZ_ASSERT(rec2 && json_object_equal(rec2, rec));
	json_object_put(rec2);
	json_object_put(again);
	json_object_put(rec);
}

static void route(struct json_object *in)
{
	char err[300] = "";
	struct routebody b;
	if (routebody_parse(in, place_known, NULL, TODAY, &b, err, sizeof err) != 0) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(b.from >= TODAY);
	for (size_t i = 0; i < b.n; i++)
		FUZZ_ASSERT(place_known(NULL, b.stops[i]));
	FUZZ_ASSERT((b.shape == NULL) == (b.wkt == NULL));
	FUZZ_ASSERT(!*b.shape_id || b.shape);
	for (size_t i = 0; b.shape && i < json_object_array_length(b.shape); i++) {
		struct json_object *p = json_object_array_get_idx(b.shape, i);
		double lat = json_object_get_double(json_object_array_get_idx(p, 0));
		double lon = json_object_get_double(json_object_array_get_idx(p, 1));
		FUZZ_ASSERT(isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180);
	}
	routebody_free(&b);
}

static void shift(struct json_object *in)
{
	char err[300] = "";
	struct shiftbody s;
	if (shiftbody_parse(in, &s, err, sizeof err) != 0) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(catalog_code_valid(s.code) && catalog_code_valid(s.vehicle) &&
		    catalog_code_valid(s.calendar) && catalog_code_valid(s.depot));
	FUZZ_ASSERT(s.start_s >= 0 && s.end_s >= 0 && s.start_s < 48 * 3600 && s.end_s < 48 * 3600);
	if (shiftbody_span_ok(&s))
		FUZZ_ASSERT(s.end_s > s.start_s && s.end_s - s.start_s <= SHIFTBODY_LONGEST_S);
}

static void roster(struct json_object *in)
{
	char err[300] = "";
	struct rosterbody b;
	if (rosterbody_parse(in, "L1", line_of, NULL, &b, err, sizeof err) != 0) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(b.n <= ROSTERBODY_MAX);
	for (size_t i = 0; i < b.n; i++) {
		FUZZ_ASSERT(b.pupils[i][0] != 'X');
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(b.pupils[i], b.pupils[j]) != 0);
	}
	char *arr = rosterbody_array(&b);
	size_t commas = 0;
	for (const char *p = arr; *p; p++)
		commas += *p == ',';
	FUZZ_ASSERT(commas == (b.n ? b.n - 1 : 0));
	free(arr);
	rosterbody_free(&b);
}

static void trip_ok(const struct trip *t)
{
	char err[300];
	FUZZ_ASSERT(catalog_code_valid(t->code));
	FUZZ_ASSERT(!t->block[0] || catalog_code_valid(t->block));
	FUZZ_ASSERT(stoptime_check(t->st, t->n, err, sizeof err) == 0);
	FUZZ_ASSERT(json_object_array_length(json_object_object_get(t->json, "stops")) == t->n);
}

static void trip(struct json_object *in, bool edit)
{
	static const struct tripbody_env env = { .exists = known, .version = version };
	char err[400] = "";
	struct trip *t = NULL;
	if (!edit) {
		int status = tripbody_add(in, &env, &t, err, sizeof err);
		FUZZ_ASSERT(status == 0 || status == 400 || status == 409);
		FUZZ_ASSERT((status == 0) == (t != NULL));
		if (status)
			check_err(err, sizeof err);
		else
			trip_ok(t);
		tripbody_free(t);
		return;
	}
	/* over a trip A1 of line L1 on version 1, 07:00 and 07:20 */
	struct json_object *base = json_tokener_parse(
		"{\"code\":\"A1\",\"line\":\"L1\",\"calendar\":\"C1\",\"version\":1,"
		"\"times\":[\"07:00\",\"07:20\"]}");
	struct trip *cur = NULL;
	FUZZ_ASSERT(tripbody_add(base, &env, &cur, err, sizeof err) == 0);
	int status = tripbody_edit(in, cur, &env, &t, err, sizeof err);
	FUZZ_ASSERT(status == 0 || status == 400);
	FUZZ_ASSERT((status == 0) == (t != NULL));
	if (status) {
		check_err(err, sizeof err);
	} else {
		trip_ok(t);
		FUZZ_ASSERT(strcmp(t->code, cur->code) == 0 && strcmp(t->line, cur->line) == 0);
	}
	tripbody_free(t);
	tripbody_free(cur);
	json_object_put(base);
}

static void timetable(struct json_object *in)
{
	static const struct tripbody_env env = { .exists = known, .version = version };
	char err[400] = "";
	struct tripbody_timetable tt;
	if (tripbody_timetable(in, "L1", &env, &tt, err, sizeof err) != 0) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(tt.first <= tt.last && tt.every > 0 && tt.ver);
	FUZZ_ASSERT(isfinite(tt.speed_kmh) && tt.speed_kmh >= 5 && tt.speed_kmh <= 120);
	FUZZ_ASSERT(tt.dwell_s >= 0 && tt.dwell_s <= 600);
}

static void network(struct json_object *in, uint8_t which)
{
	const struct collection *c = &catalog_collections[which % catalog_ncollections];
	char err[300] = "";
	struct json_object *rec = catalog_build(c, in, NULL, known, NULL, err, sizeof err);
	if (!rec) {
		check_err(err, sizeof err);
		return;
	}
	FUZZ_ASSERT(catalog_code_valid(catalog_code(rec)));
	double lat = catalog_num(rec, "lat"), lon = catalog_num(rec, "lon");
	if (c->point) {
		FUZZ_ASSERT(isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180);
	}
	struct json_object *again = reparse(rec);
	struct json_object *rec2 = catalog_build(c, again, NULL, known, NULL, err, sizeof err);
	FUZZ_ASSERT(rec2 && json_object_equal(rec2, rec));
	json_object_put(rec2);
	json_object_put(again);
	json_object_put(rec);
}

/* The fleet's and the credentials' bodies, and a driver's. */
static void fleet(struct json_object *in, uint8_t kind)
{
	char err[300] = "";
	const char *why = NULL;
	int rc;
	if (kind == 'v') {
		struct fleetbody_vehicle v;
		rc = fleetbody_vehicle(in, &v, &why, err, sizeof err);
		if (rc == 0)
			FUZZ_ASSERT(catalog_code_valid(v.code) && strlen(v.name) <= VEHICLE_NAME_MAX && v.seats >= 0 &&
				    v.seats <= 200 && v.cargo_l >= 0 && v.cargo_l <= 100000);
	} else if (kind == 'd') {
		struct fleetbody_device dv;
		rc = fleetbody_device(in, &dv, &why, err, sizeof err);
		if (rc == 0)
			FUZZ_ASSERT(fix_device_id_valid(dv.device_id, strlen(dv.device_id)));
	} else if (kind == 'k' || kind == 'l') {
		struct fleetbody_credential c;
		rc = fleetbody_credential(in, kind == 'l', &c, &why, err, sizeof err);
		if (rc == 0)
			FUZZ_ASSERT(fleetbody_name_valid(c.name) &&
				    access_role_parse(access_role_name((enum access_role)c.role)) == c.role);
	} else if (kind == 'y') {
		char trip_code[33];
		rc = fleetbody_sign_on(in, trip_code, &why, err, sizeof err);
		if (rc == 0)
			FUZZ_ASSERT(catalog_code_valid(trip_code));
	} else {
		struct fleetbody_counts c;
		rc = fleetbody_counts(in, &c, &why, err, sizeof err);
		if (rc == 0)
			FUZZ_ASSERT(c.boarded >= 0 && c.boarded <= 500 && c.alighted >= 0 && c.alighted <= 500);
	}
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc != 0) {
		FUZZ_ASSERT(why && why[0]);
		check_err(err, sizeof err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	make_versions();
	uint8_t kind = data[0], which = size > 1 ? data[1] : 0;
	size_t skip = kind == 'n' ? 2 : 1;
	if (size < skip || memchr(data + skip, '\0', size - skip))
		return 0;
	/* as http_json_object(): one JSON object, nothing after it */
	struct json_tokener *tok = json_tokener_new_ex(16) /* the daemon's depth */;
	struct json_object *in = json_tokener_parse_ex(tok, (const char *)data + skip, (int)(size - skip));
	bool ok = json_tokener_get_error(tok) == json_tokener_success &&
		  json_tokener_get_parse_end(tok) == size - skip && json_object_is_type(in, json_type_object);
	json_tokener_free(tok);
	if (ok) {
		switch (kind) {
		case 'c': calendar(in); break;
		case 'g': place(in, true); break;
		case 'z': place(in, false); break;
		case 'r': route(in); break;
		case 's': shift(in); break;
		case 'o': roster(in); break;
		case 't': trip(in, false); break;
		case 'e': trip(in, true); break;
		case 'm': timetable(in); break;
		case 'n': network(in, which); break;
		case 'v': case 'd': case 'k': case 'l': case 'y': case 'u': fleet(in, kind); break;
		default: break;
		}
	}
	json_object_put(in);
	return 0;
}
