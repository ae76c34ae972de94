/*
 * test_fix.c — the rules every fix passes before it is stored: physical
 * ranges, NaN and infinity, null island, the time window, device
 * identifiers, and the stable reason names.
 */
#include <string.h>

#include "check.h"
#include "fix.h"

#define NOW INT64_C(1795420800000) /* 2026-11-23T08:00:00Z */
#define MINUTE INT64_C(60000)
#define DAY (INT64_C(86400000))

static const struct fix_limits limits = {.future_ms = 5 * MINUTE, .max_age_ms = 7 * DAY};

/* A fix any tablet on a good day would send. */
static struct fix good_fix(void)
{
	struct fix f;
	fix_init(&f);
	strcpy(f.device, "tab-17");
	f.time = NOW - MINUTE;
	f.lat = 30.6586;
	f.lon = 104.0648;
	f.speed = 8.3;
	f.heading = 90;
	f.altitude = 500;
	f.accuracy = 5;
	f.battery = 0.8;
	return f;
}

enum field { F_LAT, F_LON, F_SPEED, F_HEADING, F_ALT, F_ACC, F_BATT, F_TIME };

struct case_ {
	const char *name;
	enum field field;
	double value; /* for F_TIME: offset from NOW in ms */
	enum fix_reason want;
};

static const struct case_ cases[] = {
	{"latitude 90", F_LAT, 90, FIX_OK},
	{"latitude -90", F_LAT, -90, FIX_OK},
	{"latitude 91", F_LAT, 91, FIX_OUT_OF_RANGE},
	{"latitude -90.0000001", F_LAT, -90.0000001, FIX_OUT_OF_RANGE},
	{"latitude NaN", F_LAT, NAN, FIX_NOT_FINITE},
	{"latitude inf", F_LAT, INFINITY, FIX_NOT_FINITE},
	{"longitude 180", F_LON, 180, FIX_OK},
	{"longitude -180", F_LON, -180, FIX_OK},
	{"longitude 181", F_LON, 181, FIX_OUT_OF_RANGE},
	{"longitude -inf", F_LON, -INFINITY, FIX_NOT_FINITE},
	{"longitude NaN", F_LON, NAN, FIX_NOT_FINITE},
	{"speed 0", F_SPEED, 0, FIX_OK},
	{"speed 150", F_SPEED, 150, FIX_OK},
	{"speed 150.1", F_SPEED, 150.1, FIX_OUT_OF_RANGE},
	{"speed -0.1", F_SPEED, -0.1, FIX_OUT_OF_RANGE},
	{"speed unknown", F_SPEED, NAN, FIX_OK},
	{"speed inf", F_SPEED, INFINITY, FIX_NOT_FINITE},
	{"heading 0", F_HEADING, 0, FIX_OK},
	{"heading 360", F_HEADING, 360, FIX_OK},
	{"heading 360.5", F_HEADING, 360.5, FIX_OUT_OF_RANGE},
	{"heading -1", F_HEADING, -1, FIX_OUT_OF_RANGE},
	{"heading unknown", F_HEADING, NAN, FIX_OK},
	{"altitude -500", F_ALT, -500, FIX_OK},
	{"altitude 9000", F_ALT, 9000, FIX_OK},
	{"altitude -501", F_ALT, -501, FIX_OUT_OF_RANGE},
	{"altitude 9001", F_ALT, 9001, FIX_OUT_OF_RANGE},
	{"altitude -inf", F_ALT, -INFINITY, FIX_NOT_FINITE},
	{"accuracy 0", F_ACC, 0, FIX_OK},
	{"accuracy 100000", F_ACC, 100000, FIX_OK},
	{"accuracy 100001", F_ACC, 100001, FIX_OUT_OF_RANGE},
	{"accuracy -1", F_ACC, -1, FIX_OUT_OF_RANGE},
	{"accuracy unknown", F_ACC, NAN, FIX_OK},
	{"battery 0", F_BATT, 0, FIX_OK},
	{"battery 1", F_BATT, 1, FIX_OK},
	{"battery 1.01", F_BATT, 1.01, FIX_OUT_OF_RANGE},
	{"battery 80 (percent by mistake)", F_BATT, 80, FIX_OUT_OF_RANGE},
	{"battery inf", F_BATT, INFINITY, FIX_NOT_FINITE},
	{"time now", F_TIME, 0, FIX_OK},
	{"time at the future limit", F_TIME, 5 * MINUTE, FIX_OK},
	{"time past the future limit", F_TIME, 5 * MINUTE + 1, FIX_FUTURE},
	{"time next year", F_TIME, 365.0 * DAY, FIX_FUTURE},
	{"time at the age limit", F_TIME, -7.0 * DAY, FIX_OK},
	{"time past the age limit", F_TIME, -7.0 * DAY - 1, FIX_TOO_OLD},
	{"time epoch", F_TIME, -(double)NOW, FIX_TOO_OLD},
};

static void apply(struct fix *f, enum field field, double v)
{
	switch (field) {
	case F_LAT: f->lat = v; break;
	case F_LON: f->lon = v; break;
	case F_SPEED: f->speed = v; break;
	case F_HEADING: f->heading = v; break;
	case F_ALT: f->altitude = v; break;
	case F_ACC: f->accuracy = v; break;
	case F_BATT: f->battery = v; break;
	case F_TIME: f->time = NOW + (jt_ms)v; break;
	}
}

static void test_table(void)
{
	char detail[128];
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		struct fix f = good_fix();
		apply(&f, cases[i].field, cases[i].value);
		enum fix_reason r = fix_validate(&f, NOW, &limits, detail, sizeof detail);
		CHECK_STR(cases[i].name, fix_reason_name(r), fix_reason_name(cases[i].want));
		CHECK_MSG(cases[i].name, (r == FIX_OK) == (detail[0] == '\0'));
	}
}

static void test_details(void)
{
	char detail[128];
	struct fix f = good_fix();
	f.lat = 91.5;
	CHECK_INT("91.5", fix_validate(&f, NOW, &limits, detail, sizeof detail), FIX_OUT_OF_RANGE);
	CHECK_STR("91.5 detail", detail, "latitude 91.5 outside -90..90");

	f = good_fix();
	f.lat = 0;
	f.lon = 0;
	CHECK_INT("0,0", fix_validate(&f, NOW, &limits, detail, sizeof detail), FIX_NULL_ISLAND);
	f.lat = -0.0;
	CHECK_INT("-0,0", fix_validate(&f, NOW, &limits, NULL, 0), FIX_NULL_ISLAND);
	f.lon = 0.000001;
	CHECK_INT("near 0,0", fix_validate(&f, NOW, &limits, NULL, 0), FIX_OK);

	/* the first problem wins: position before readings before time */
	f = good_fix();
	f.lat = 100;
	f.speed = INFINITY;
	f.time = NOW + DAY;
	CHECK_INT("first reason", fix_validate(&f, NOW, &limits, NULL, 0), FIX_OUT_OF_RANGE);

	/* a fresh fix is all unknown: the position is not 0,0 but missing */
	fix_init(&f);
	CHECK_INT("fix_init", fix_validate(&f, NOW, &limits, NULL, 0), FIX_NOT_FINITE);
	CHECK(isnan(f.speed) && isnan(f.heading) && isnan(f.altitude) && isnan(f.accuracy) &&
	      isnan(f.battery) && !f.has_seq && f.device[0] == '\0');

	/* times at the ends of the int64 range do not overflow the window */
	struct fix_limits wide = {.future_ms = INT64_MAX, .max_age_ms = INT64_MAX};
	f = good_fix();
	f.time = INT64_MIN;
	CHECK_INT("INT64_MIN time", fix_validate(&f, NOW, &limits, detail, sizeof detail),
		  FIX_TOO_OLD);
	f.time = INT64_MAX;
	CHECK_INT("INT64_MAX time", fix_validate(&f, NOW, &limits, detail, sizeof detail),
		  FIX_FUTURE);
	CHECK_INT("wide window", fix_validate(&f, NOW, &wide, detail, sizeof detail), FIX_OK);
	f.time = INT64_MIN; /* still older than now minus the widest window */
	CHECK_INT("wide window, old", fix_validate(&f, NOW, &wide, detail, sizeof detail),
		  FIX_TOO_OLD);
	f.time = 0;
	CHECK_INT("wide window, epoch", fix_validate(&f, NOW, &wide, detail, sizeof detail),
		  FIX_OK);

	/* a tiny detail buffer is still terminated */
	char tiny[4];
	f = good_fix();
	f.lon = 181;
	CHECK_INT("tiny", fix_validate(&f, NOW, &limits, tiny, sizeof tiny), FIX_OUT_OF_RANGE);
	CHECK_STR("tiny detail", tiny, "lon");
}

struct id_case {
	const char *id;
	size_t len; /* 0: strlen */
	bool valid;
};

static const struct id_case ids[] = {
	{"tab-17", 0, true},
	{"864895030279986", 0, true},
	{"!", 0, true},
	{"~", 0, true},
	{"a234567890123456789012345678901234567890123456789012345678901234", 0, true},
	{"a2345678901234567890123456789012345678901234567890123456789012345", 0, false},
	{"", 0, false},
	{"tab 17", 0, false},
	{"tab\t17", 0, false},
	{"tab\x7f", 0, false},
	{"tab\0x", 5, false},
	{"t\xc3\xa4" "b", 0, false},
	{"\xff\xfe", 0, false},
};

static void test_device_ids(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(ids); i++) {
		size_t len = ids[i].len ? ids[i].len : strlen(ids[i].id);
		CHECK_INT(ids[i].id, fix_device_id_valid(ids[i].id, len), ids[i].valid);
	}
	CHECK(!fix_device_id_valid(NULL, 0));
}

static void test_names(void)
{
	static const char *const want[FIX_REASON_COUNT] = {
		"ok", "missing_device", "bad_device", "missing_position", "malformed",
		"not_finite", "out_of_range", "null_island", "missing_time", "future",
		"too_old", "unknown_device", "wrong_device", "duplicate_seq",
	};
	for (int r = 0; r < FIX_REASON_COUNT; r++)
		CHECK_STR(want[r], fix_reason_name((enum fix_reason)r), want[r]);
	CHECK_STR("out of range", fix_reason_name(FIX_REASON_COUNT), "invalid_reason");
	CHECK_STR("negative", fix_reason_name((enum fix_reason)-1), "invalid_reason");
}

int main(void)
{
	test_table();
	test_details();
	test_device_ids();
	test_names();
	return check_done("test_fix");
}
