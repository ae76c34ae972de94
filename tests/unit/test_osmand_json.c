/*
 * test_osmand_json.c — OsmAnd fixes sent as JSON by newer Traccar Client
 * versions: the full document, -1 as "unknown", numeric and textual
 * timestamps, and the bodies that must be refused (wrong types, missing
 * members, bad JSON, deep nesting, trailing bytes, NUL bytes, bad UTF-8).
 */
#include <string.h>

#include "check.h"
#include "fix.h"
#include "osmand.h"
#include "util.h"

#define NA NAN
#define T0 INT64_C(1795420800000) /* 2026-11-23T08:00:00Z */

struct ok_case {
	const char *name;
	const char *body;
	const char *device;
	double lat, lon;
	jt_ms time;
	double speed, heading, altitude, accuracy, battery;
};

static const struct ok_case ok_cases[] = {
	{"Traccar Client document",
	 "{\"location\":{\"event\":\"motionchange\",\"is_moving\":true,"
	 "\"uuid\":\"5c1e0b3a\",\"timestamp\":\"2026-11-23T08:00:00.123Z\",\"odometer\":1234.5,"
	 "\"coords\":{\"latitude\":30.6586,\"longitude\":104.0648,\"accuracy\":4.8,"
	 "\"speed\":8.3,\"speed_accuracy\":0.5,\"heading\":90,\"heading_accuracy\":10,"
	 "\"altitude\":512.25,\"ellipsoidal_altitude\":540,\"altitude_accuracy\":3},"
	 "\"activity\":{\"type\":\"in_vehicle\",\"confidence\":100},"
	 "\"battery\":{\"is_charging\":false,\"level\":0.8},\"extras\":{}},"
	 "\"device_id\":\"tab-17\"}",
	 "tab-17", 30.6586, 104.0648, T0 + 123, 8.3, 90, 512.25, 4.8, 0.8},
	{"-1 means unknown",
	 "{\"device_id\":\"tab-17\",\"location\":{\"timestamp\":\"2026-11-23T08:00:00Z\","
	 "\"coords\":{\"latitude\":-1,\"longitude\":-1,\"speed\":-1,\"heading\":-1,"
	 "\"altitude\":-1,\"accuracy\":-1.0},\"battery\":{\"level\":-1}}}",
	 "tab-17", -1, -1, T0, NA, NA, NA, NA, NA},
	{"minimal, no zone",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":\"2026-11-23 08:00:00\","
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0, NA, NA, NA, NA, NA},
	{"offset",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":\"2026-11-23T16:00:00+08:00\","
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0, NA, NA, NA, NA, NA},
	{"timestamp in seconds",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0, NA, NA, NA, NA, NA},
	{"timestamp in milliseconds",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800123,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0 + 123, NA, NA, NA, NA, NA},
	{"timestamp with a fraction",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800.25,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0 + 250, NA, NA, NA, NA, NA},
	{"timestamp as digits in a string",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":\"1795420800000\","
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 "x", 1, 2, T0, NA, NA, NA, NA, NA},
	{"nulls are unknown, whitespace around",
	 " \r\n{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,\"battery\":null,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2,\"speed\":null}}}\n\t ",
	 "x", 1, 2, T0, NA, NA, NA, NA, NA},
	{"escaped identifier",
	 "{\"device_id\":\"t\\u0061b\",\"location\":{\"timestamp\":1795420800,"
	 "\"coords\":{\"latitude\":1e1,\"longitude\":2.5E-1}}}",
	 "tab", 10, 0.25, T0, NA, NA, NA, NA, NA},
};

static void test_ok(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(ok_cases); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct fix f;
		struct parse_error err = {0};
		int rc = osmand_parse_json(c->body, strlen(c->body), &f, &err);
		CHECK_INT(c->name, rc, 0);
		if (rc != 0) {
			fprintf(stderr, "  reason %s: %s\n", fix_reason_name(err.reason), err.detail);
			continue;
		}
		CHECK_STR(c->name, f.device, c->device);
		CHECK_DBL(c->name, f.lat, c->lat);
		CHECK_DBL(c->name, f.lon, c->lon);
		CHECK_INT(c->name, f.time, c->time);
		CHECK_DBL(c->name, f.speed, c->speed);
		CHECK_DBL(c->name, f.heading, c->heading);
		CHECK_DBL(c->name, f.altitude, c->altitude);
		CHECK_DBL(c->name, f.accuracy, c->accuracy);
		CHECK_DBL(c->name, f.battery, c->battery);
	}
}

#define LOC(coords) \
	"{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,\"coords\":" coords "}}"

struct bad_case {
	const char *name;
	const char *body;
	size_t len; /* 0: strlen */
	enum fix_reason want;
	const char *detail; /* a word the detail must contain, or NULL */
};

static const struct bad_case bad_cases[] = {
	{"empty", "", 0, FIX_MALFORMED, NULL},
	{"not JSON", "id=x&lat=1", 0, FIX_MALFORMED, "JSON"},
	{"garbage bytes", "\x80\xff\xfe{", 0, FIX_MALFORMED, NULL},
	{"array", "[1,2]", 0, FIX_MALFORMED, "object"},
	{"number", "42", 0, FIX_MALFORMED, NULL},
	{"null", "null", 0, FIX_MALFORMED, NULL},
	{"string", "\"tab-17\"", 0, FIX_MALFORMED, "object"},
	{"unterminated", "{\"device_id\":\"x\"", 0, FIX_MALFORMED, NULL},
	{"trailing garbage", LOC("{\"latitude\":1,\"longitude\":2}") "x", 0, FIX_MALFORMED,
	 "after"},
	{"second document", LOC("{\"latitude\":1,\"longitude\":2}") "{}", 0, FIX_MALFORMED,
	 "after"},
	{"NUL inside", "{\"device_id\":\"x\"}\0", 18, FIX_MALFORMED, "NUL"},
	{"bad UTF-8 in a string", "{\"device_id\":\"\xc3\x28\"}", 0, FIX_MALFORMED, NULL},
	{"trailing comma", "{\"device_id\":\"x\",}", 0, FIX_MALFORMED, NULL},
	{"no device", "{\"location\":{}}", 0, FIX_MISSING_DEVICE, "device_id"},
	{"empty device", "{\"device_id\":\"\"}", 0, FIX_MISSING_DEVICE, NULL},
	{"numeric device", "{\"device_id\":17}", 0, FIX_MALFORMED, "device_id"},
	{"device with space", "{\"device_id\":\"tab 17\"}", 0, FIX_BAD_DEVICE, NULL},
	{"device with NUL escape", "{\"device_id\":\"tab\\u0000\"}", 0, FIX_BAD_DEVICE, NULL},
	{"device not ASCII", "{\"device_id\":\"t\xc3\xa4\x62\"}", 0, FIX_BAD_DEVICE, NULL},
	{"device too long",
	 "{\"device_id\":\"a2345678901234567890123456789012345678901234567890123456789012345\"}", 0,
	 FIX_BAD_DEVICE, NULL},
	{"no location", "{\"device_id\":\"x\"}", 0, FIX_MISSING_POSITION, "location"},
	{"location array", "{\"device_id\":\"x\",\"location\":[]}", 0, FIX_MALFORMED,
	 "location"},
	{"no coords", "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800}}", 0,
	 FIX_MISSING_POSITION, "coords"},
	{"coords string", "{\"device_id\":\"x\",\"location\":{\"coords\":\"1,2\"}}", 0,
	 FIX_MALFORMED, "coords"},
	{"no latitude", LOC("{\"longitude\":2}"), 0, FIX_MISSING_POSITION, "latitude"},
	{"no longitude", LOC("{\"latitude\":2}"), 0, FIX_MISSING_POSITION, "longitude"},
	{"latitude string", LOC("{\"latitude\":\"1\",\"longitude\":2}"), 0, FIX_MALFORMED,
	 "latitude"},
	{"longitude bool", LOC("{\"latitude\":1,\"longitude\":true}"), 0, FIX_MALFORMED,
	 "longitude"},
	{"speed string", LOC("{\"latitude\":1,\"longitude\":2,\"speed\":\"fast\"}"), 0,
	 FIX_MALFORMED, "speed"},
	{"heading object", LOC("{\"latitude\":1,\"longitude\":2,\"heading\":{}}"), 0,
	 FIX_MALFORMED, "heading"},
	{"altitude array", LOC("{\"latitude\":1,\"longitude\":2,\"altitude\":[1]}"), 0,
	 FIX_MALFORMED, "altitude"},
	{"accuracy string", LOC("{\"latitude\":1,\"longitude\":2,\"accuracy\":\"5\"}"), 0,
	 FIX_MALFORMED, "accuracy"},
	{"battery number",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,\"battery\":0.5,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "battery"},
	{"battery level string",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,\"battery\":{\"level\":"
	 "\"80%\"},\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "level"},
	{"no timestamp",
	 "{\"device_id\":\"x\",\"location\":{\"coords\":{\"latitude\":1,\"longitude\":2}}}", 0,
	 FIX_MISSING_TIME, "timestamp"},
	{"timestamp bool",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":true,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "timestamp"},
	{"timestamp words",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":\"yesterday\","
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "timestamp"},
	{"timestamp negative",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":-5,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "timestamp"},
	{"timestamp huge",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":123456789012345678901234567890,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "timestamp"},
	{"timestamp exponent",
	 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1.7954208e9,"
	 "\"coords\":{\"latitude\":1,\"longitude\":2}}}",
	 0, FIX_MALFORMED, "timestamp"},
};

static void test_bad(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct fix f;
		struct parse_error err = {.reason = FIX_OK};
		size_t len = c->len ? c->len : strlen(c->body);
		CHECK_INT(c->name, osmand_parse_json(c->body, len, &f, &err), -1);
		CHECK_STR(c->name, fix_reason_name(err.reason), fix_reason_name(c->want));
		if (c->detail)
			CHECK_MSG(c->name, strstr(err.detail, c->detail) != NULL);
	}
	struct fix f;
	CHECK_INT("NULL body", osmand_parse_json(NULL, 0, &f, NULL), -1);
}

/* Deep nesting, oversized bodies. */
static void test_bounds(void)
{
	struct fix f;
	struct parse_error err;
	char *body = xmalloc(OSMAND_JSON_MAX + 2);

	/* nesting past the limit, even inside an ignored member */
	size_t n = 0;
	n += (size_t)sprintf(body, "{\"device_id\":\"x\",\"extras\":");
	for (int i = 0; i < 1000; i++)
		body[n++] = '[';
	for (int i = 0; i < 1000; i++)
		body[n++] = ']';
	body[n++] = '}';
	CHECK_INT("deep nesting", osmand_parse_json(body, n, &f, &err), -1);
	CHECK_INT("deep nesting reason", err.reason, FIX_MALFORMED);

	/* the longest body is read; one byte more is refused */
	const char *doc = LOC("{\"latitude\":1,\"longitude\":2}");
	memset(body, ' ', OSMAND_JSON_MAX + 1);
	memcpy(body, doc, strlen(doc));
	CHECK_INT("64 KiB", osmand_parse_json(body, OSMAND_JSON_MAX, &f, &err), 0);
	CHECK_INT("64 KiB + 1", osmand_parse_json(body, OSMAND_JSON_MAX + 1, &f, &err), -1);
	CHECK_INT("64 KiB + 1 reason", err.reason, FIX_MALFORMED);
	free(body);
}

struct verdict_case {
	const char *name;
	const char *coords;
	enum fix_reason want;
};

static const struct verdict_case verdicts[] = {
	{"good", "{\"latitude\":30.6,\"longitude\":104.1,\"speed\":8,\"heading\":-1}", FIX_OK},
	{"latitude 91", "{\"latitude\":91,\"longitude\":2}", FIX_OUT_OF_RANGE},
	{"longitude -181", "{\"latitude\":1,\"longitude\":-181}", FIX_OUT_OF_RANGE},
	{"0,0", "{\"latitude\":0,\"longitude\":0.0}", FIX_NULL_ISLAND},
	{"huge number", "{\"latitude\":1e999,\"longitude\":2}", FIX_NOT_FINITE},
	{"NaN literal", "{\"latitude\":NaN,\"longitude\":2}", FIX_NOT_FINITE},
	{"speed -2", "{\"latitude\":1,\"longitude\":2,\"speed\":-2}", FIX_OUT_OF_RANGE},
	{"accuracy -1.5", "{\"latitude\":1,\"longitude\":2,\"accuracy\":-1.5}", FIX_OUT_OF_RANGE},
};

static void test_verdicts(void)
{
	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = INT64_C(7) * 86400000};
	char body[512];
	for (size_t i = 0; i < JT_ARRAY_LEN(verdicts); i++) {
		struct fix f;
		struct parse_error err;
		snprintf(body, sizeof body,
			 "{\"device_id\":\"x\",\"location\":{\"timestamp\":1795420800,\"coords\":%s}}",
			 verdicts[i].coords);
		int rc = osmand_parse_json(body, strlen(body), &f, &err);
		/* json-c may refuse NaN outright; either way it is not stored */
		if (rc != 0) {
			CHECK_MSG(verdicts[i].name, verdicts[i].want == FIX_NOT_FINITE);
			continue;
		}
		CHECK_STR(verdicts[i].name, fix_reason_name(fix_validate(&f, T0, &lim, NULL, 0)),
			  fix_reason_name(verdicts[i].want));
	}
}

int main(void)
{
	test_ok();
	test_bad();
	test_bounds();
	test_verdicts();
	return check_done("test_osmand_json");
}
