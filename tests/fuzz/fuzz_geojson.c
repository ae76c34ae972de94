/*
 * fuzz_geojson.c — any bytes as a GTFS-Flex locations.geojson, and as the
 * "times" of a trip sent to the admin API. Besides not crashing: a feature
 * is either refused with a printable reason or has an id of valid UTF-8
 * and an area whose every position is finite and in range, whose rings
 * close, and which reads back as itself; a stop time accepted has times
 * within the service day and types 0..3, writes as JSON that reads back as
 * the same stop time, and a trip's accepted times pass the order check or
 * are refused with a printable reason.
 */
#include "fuzz.h"

#include <json-c/json.h>
#include <math.h>

#include "catalog.h"
#include "geojson.h"
#include "stoptime.h"
#include "timetable.h"

static void check_ring(struct json_object *ring)
{
	size_t n = json_object_array_length(ring);
	FUZZ_ASSERT(n >= 4);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(ring, i);
		FUZZ_ASSERT(json_object_array_length(p) == 2);
		double lon = json_object_get_double(json_object_array_get_idx(p, 0));
		double lat = json_object_get_double(json_object_array_get_idx(p, 1));
		FUZZ_ASSERT(isfinite(lon) && isfinite(lat) && fabs(lon) <= 180 && fabs(lat) <= 90);
	}
	FUZZ_ASSERT(json_object_equal(json_object_array_get_idx(ring, 0),
				      json_object_array_get_idx(ring, n - 1)));
}

static void feature(void *arg, const struct geojson_feature *f)
{
	size_t *count = arg;
	FUZZ_ASSERT(f->index == (*count)++);
	if (f->error) {
		FUZZ_ASSERT(fuzz_detail_ok(f->error, strlen(f->error) + 1) && f->error[0]);
		FUZZ_ASSERT(!f->area);
		return;
	}
	FUZZ_ASSERT(f->id && catalog_utf8_valid(f->id, strlen(f->id)) && f->area);
	const char *type = json_object_get_string(json_object_object_get(f->area, "type"));
	struct json_object *c = json_object_object_get(f->area, "coordinates");
	bool multi = strcmp(type, "MultiPolygon") == 0;
	FUZZ_ASSERT(multi || strcmp(type, "Polygon") == 0);
	for (size_t i = 0; i < json_object_array_length(c); i++) {
		struct json_object *poly = json_object_array_get_idx(c, i);
		for (size_t k = 0; multi && k < json_object_array_length(poly); k++)
			check_ring(json_object_array_get_idx(poly, k));
		if (!multi)
			check_ring(poly);
	}
	char err[200];
	struct json_object *again = geojson_area(f->area, err, sizeof err);
	FUZZ_ASSERT(again && json_object_equal(again, f->area));
	json_object_put(again);
}

static bool rule_known(void *arg, const char *code)
{
	(void)arg;
	return strcmp(code, "BR1") == 0;
}

static void times(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *a = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) > 64) {
		json_object_put(a);
		return;
	}
	size_t n = json_object_array_length(a);
	struct stoptime st[64];
	bool all = true;
	for (size_t i = 0; i < n; i++) {
		const char *place = i % 2 ? "zone:Z1" : "S1";
		char err[300];
		memset(err, 0, sizeof err);
		if (stoptime_parse(json_object_array_get_idx(a, i), i, place, rule_known, NULL, &st[i], err,
				   sizeof err) != 0) {
			FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
			all = false;
			continue;
		}
		FUZZ_ASSERT(st[i].arr >= 0 && st[i].arr < TIMETABLE_DAY_MAX);
		FUZZ_ASSERT(st[i].dep >= 0 && st[i].dep < TIMETABLE_DAY_MAX);
		FUZZ_ASSERT(st[i].pickup >= 0 && st[i].pickup <= 3 && st[i].drop_off >= 0 &&
			    st[i].drop_off <= 3);
		FUZZ_ASSERT(!(i % 2) || st[i].window);
		struct json_object *out = stoptime_json(&st[i], place);
		struct stoptime back;
		FUZZ_ASSERT(stoptime_parse(out, i, place, rule_known, NULL, &back, err, sizeof err) == 0);
		FUZZ_ASSERT(memcmp(&back, &st[i], sizeof back) == 0);
		json_object_put(out);
	}
	if (all && n) {
		char err[300] = "";
		if (stoptime_check(st, n, err, sizeof err) != 0)
			FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
	}
	json_object_put(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count = 0;
	char err[200];
	memset(err, 0, sizeof err);
	long n = geojson_features((const char *)data, size, feature, &count, err, sizeof err);
	if (n < 0)
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0] && count == 0);
	else
		FUZZ_ASSERT((size_t)n == count);
	times(data, size);
	return 0;
}
