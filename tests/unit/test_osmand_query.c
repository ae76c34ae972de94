/*
 * test_osmand_query.c — OsmAnd fixes sent as a GET query or a form body:
 * every parameter form Traccar Client, OsmAnd and their look-alikes use,
 * the unit conversions, and the requests that must be refused (and for
 * which reason), including what fix_validate() then says about the fix.
 */
#include <string.h>

#include "check.h"
#include "fix.h"
#include "osmand.h"
#include "util.h"

#define NA NAN
#define T0 INT64_C(1795420800000) /* 2026-11-23T08:00:00Z */
#define KNOT (1852.0 / 3600.0)

struct ok_case {
	const char *q;
	const char *device;
	double lat, lon;
	jt_ms time;
	double speed, heading, altitude, accuracy, battery;
};

#define POS "&lat=30.6586&lon=104.0648"
#define TS "&timestamp=1795420800"

static const struct ok_case ok_cases[] = {
	/* Traccar Client's GET */
	{"id=tab-17&timestamp=1795420800&lat=30.6586&lon=104.0648&speed=10&bearing=90"
	 "&altitude=500&accuracy=5&batt=80",
	 "tab-17", 30.6586, 104.0648, T0, 10 * KNOT, 90, 500, 5, 0.8},
	/* deviceid and heading; milliseconds */
	{"deviceid=864895030279986&lat=30.6586&lon=104.0648&timestamp=1795420800123"
	 "&heading=270.5",
	 "864895030279986", 30.6586, 104.0648, T0 + 123, NA, 270.5, NA, NA, NA},
	/* location=lat,lon, encoded comma; ISO 8601 with Z, encoded colons */
	{"id=tab-17&location=30.6586%2C104.0648&timestamp=2026-11-23T08%3A00%3A00Z",
	 "tab-17", 30.6586, 104.0648, T0, NA, NA, NA, NA, NA},
	/* location with a plain comma; form body with '+' for the space */
	{"id=tab-17&location=-33.8688,151.2093&timestamp=2026-11-23+08:00:00",
	 "tab-17", -33.8688, 151.2093, T0, NA, NA, NA, NA, NA},
	/* ISO 8601 with an offset and a fraction */
	{"id=tab-17" POS "&timestamp=2026-11-23T16:00:00.250%2B08:00",
	 "tab-17", 30.6586, 104.0648, T0 + 250, NA, NA, NA, NA, NA},
	/* no zone means UTC */
	{"id=tab-17" POS "&timestamp=2026-11-23T08:00:00", "tab-17", 30.6586, 104.0648, T0, NA,
	 NA, NA, NA, NA},
	/* seconds with a fraction */
	{"id=tab-17" POS "&timestamp=1795420800.25", "tab-17", 30.6586, 104.0648, T0 + 250, NA,
	 NA, NA, NA, NA},
	/* hdop alone becomes accuracy of hdop x 5 m */
	{"id=tab-17" POS TS "&hdop=1.2", "tab-17", 30.6586, 104.0648, T0, NA, NA, NA, 6, NA},
	/* accuracy wins over hdop in either order */
	{"id=tab-17" POS TS "&hdop=3&accuracy=4", "tab-17", 30.6586, 104.0648, T0, NA, NA, NA, 4,
	 NA},
	{"id=tab-17" POS TS "&accuracy=4&hdop=3", "tab-17", 30.6586, 104.0648, T0, NA, NA, NA, 4,
	 NA},
	/* first occurrence wins, aliases included */
	{"id=a&id=b&lat=1&lat=2&lon=3&lon=4" TS "&bearing=10&heading=20", "a", 1, 3, T0, NA, 10,
	 NA, NA, NA},
	{"deviceid=b&id=a" POS TS, "b", 30.6586, 104.0648, T0, NA, NA, NA, NA, NA},
	/* lat/lon win over location */
	{"id=x&location=1,2&lat=3&lon=4" TS, "x", 3, 4, T0, NA, NA, NA, NA, NA},
	/* unknown, empty and odd parameters are ignored */
	{"id=tab-17" POS TS "&charge=true&motion=false&event=motionchange&foo=%zz&=x&&&bare"
	 "&%ff%00=1&verylongparameternamethatnobodyuses=1&",
	 "tab-17", 30.6586, 104.0648, T0, NA, NA, NA, NA, NA},
	/* percent-encoded names */
	{"%69d=tab-17&l%61t=1.5&lon=2.5" TS, "tab-17", 1.5, 2.5, T0, NA, NA, NA, NA, NA},
	/* number forms: exponent, leading dot, explicit plus */
	{"id=x&lat=3.06586e1&lon=.5&altitude=%2B12" TS "&speed=0&batt=0", "x", 30.6586, 0.5, T0,
	 0, NA, 12, NA, 0},
	/* NaN and infinity get through, for fix_validate to refuse */
	{"id=x&lat=nan&lon=-Infinity" TS "&speed=inf", "x", NA, -INFINITY, T0, INFINITY, NA, NA,
	 NA, NA},
};

static void test_ok(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(ok_cases); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct fix f;
		struct parse_error err = {0};
		int rc = osmand_parse_query(c->q, strlen(c->q), &f, &err);
		CHECK_INT(c->q, rc, 0);
		if (rc != 0) {
			fprintf(stderr, "  reason %s: %s\n", fix_reason_name(err.reason), err.detail);
			continue;
		}
		CHECK_STR(c->q, f.device, c->device);
		CHECK_DBL(c->q, f.lat, c->lat);
		CHECK_DBL(c->q, f.lon, c->lon);
		CHECK_INT(c->q, f.time, c->time);
		CHECK_DBL(c->q, f.speed, c->speed);
		CHECK_DBL(c->q, f.heading, c->heading);
		CHECK_DBL(c->q, f.altitude, c->altitude);
		CHECK_DBL(c->q, f.accuracy, c->accuracy);
		CHECK_DBL(c->q, f.battery, c->battery);
		CHECK(!f.has_seq);
	}
}

static void test_knots(void)
{
	struct fix f;
	struct parse_error err;
	const char *q = "id=x&lat=1&lon=1&timestamp=1795420800&speed=1";
	CHECK_INT("1 knot", osmand_parse_query(q, strlen(q), &f, &err), 0);
	CHECK_DBL("1 knot in m/s", f.speed, 0.51444444444444444);
	q = "id=x&lat=1&lon=1&timestamp=1795420800&speed=100";
	CHECK_INT("100 knots", osmand_parse_query(q, strlen(q), &f, &err), 0);
	CHECK_DBL("100 knots in m/s", f.speed, 51.444444444444444);
}

struct bad_case {
	const char *q;
	size_t len; /* 0: strlen */
	enum fix_reason want;
};

static const struct bad_case bad_cases[] = {
	{"", 0, FIX_MISSING_DEVICE},
	{"lat=1&lon=2&timestamp=1795420800", 0, FIX_MISSING_DEVICE},
	{"id=&lat=1&lon=2" TS, 0, FIX_MISSING_DEVICE},
	{"id" POS TS, 0, FIX_MISSING_DEVICE},
	{"ID=tab-17" POS TS, 0, FIX_MISSING_DEVICE},
	{"id=tab%2017" POS TS, 0, FIX_BAD_DEVICE},
	{"id=tab+17" POS TS, 0, FIX_BAD_DEVICE},
	{"id=tab%0017" POS TS, 0, FIX_BAD_DEVICE},
	{"id=t%C3%A4b" POS TS, 0, FIX_BAD_DEVICE},
	{"id=tab%7F" POS TS, 0, FIX_BAD_DEVICE},
	{"id=a2345678901234567890123456789012345678901234567890123456789012345" POS TS, 0,
	 FIX_BAD_DEVICE},
	{"id=%zz" POS TS, 0, FIX_MALFORMED},
	{"id=tab%2" POS TS, 0, FIX_MALFORMED},
	{"id=tab-17" TS, 0, FIX_MISSING_POSITION},
	{"id=tab-17&lat=1" TS, 0, FIX_MISSING_POSITION},
	{"id=tab-17&lon=1" TS, 0, FIX_MISSING_POSITION},
	{"id=tab-17&lat=&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=abc&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=0x1p3&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=1,5&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=%201&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=1%20&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=1e&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=--1&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=.&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=nan(1)&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=1%002&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&lat=%D9%A1&lon=1" TS, 0, FIX_MALFORMED},
	{"id=tab-17&location=1;2" TS, 0, FIX_MALFORMED},
	{"id=tab-17&location=1," TS, 0, FIX_MALFORMED},
	{"id=tab-17&location=1,2,3" TS, 0, FIX_MALFORMED},
	{"id=tab-17&location=" TS, 0, FIX_MALFORMED},
	{"id=tab-17" POS, 0, FIX_MISSING_TIME},
	{"id=tab-17" POS "&timestamp=yesterday", 0, FIX_MALFORMED},
	{"id=tab-17" POS "&timestamp=", 0, FIX_MALFORMED},
	{"id=tab-17" POS "&timestamp=-1", 0, FIX_MALFORMED},
	{"id=tab-17" POS "&timestamp=2026-02-30T00:00:00Z", 0, FIX_MALFORMED},
	{"id=tab-17" POS TS "&speed=fast", 0, FIX_MALFORMED},
	{"id=tab-17" POS TS "&bearing=", 0, FIX_MALFORMED},
	{"id=tab-17" POS TS "&batt=%", 0, FIX_MALFORMED},
	{"id=tab-17" POS TS "&hdop=1e", 0, FIX_MALFORMED},
	{"id=tab-17" POS TS "&accuracy=5m", 0, FIX_MALFORMED},
	{"\xff\xfe\x00\x01\x80", 5, FIX_MISSING_DEVICE},
	{"id=tab-17\0" POS TS, 10 + sizeof(POS TS) - 1, FIX_BAD_DEVICE},
};

static void test_bad(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct fix f;
		struct parse_error err = {.reason = FIX_OK};
		size_t len = c->len ? c->len : strlen(c->q);
		CHECK_INT(c->q, osmand_parse_query(c->q, len, &f, &err), -1);
		CHECK_STR(c->q, fix_reason_name(err.reason), fix_reason_name(c->want));
		CHECK_MSG(c->q, err.detail[0] != '\0');
	}
	/* NULL error pointer is allowed */
	struct fix f;
	CHECK_INT("NULL err", osmand_parse_query("", 0, &f, NULL), -1);
	CHECK_INT("NULL query", osmand_parse_query(NULL, 0, &f, NULL), -1);
}

/* Bounds: parameter count, query length, value length. */
static void test_bounds(void)
{
	struct fix f;
	struct parse_error err;
	char *q = xmalloc(OSMAND_QUERY_MAX + 64);

	/* 64 parameters are read; the 65th is refused */
	strcpy(q, "id=x&lat=1&lon=2&timestamp=1795420800");
	for (int i = 4; i < OSMAND_PARAMS_MAX; i++)
		strcat(q, "&k=v");
	CHECK_INT("64 parameters", osmand_parse_query(q, strlen(q), &f, &err), 0);
	strcat(q, "&k=v");
	CHECK_INT("65 parameters", osmand_parse_query(q, strlen(q), &f, &err), -1);
	CHECK_INT("65 parameters reason", err.reason, FIX_MALFORMED);

	/* a query at the length limit is read; one byte more is refused */
	strcpy(q, "id=x&lat=1&lon=2&timestamp=1795420800&pad=");
	size_t n = strlen(q);
	memset(q + n, 'a', OSMAND_QUERY_MAX - n);
	q[OSMAND_QUERY_MAX] = '\0';
	CHECK_INT("8192 bytes", osmand_parse_query(q, OSMAND_QUERY_MAX, &f, &err), 0);
	q[OSMAND_QUERY_MAX] = 'a';
	CHECK_INT("8193 bytes", osmand_parse_query(q, OSMAND_QUERY_MAX + 1, &f, &err), -1);
	CHECK_INT("8193 bytes reason", err.reason, FIX_MALFORMED);

	/* an overlong identifier is a bad device, an overlong number malformed */
	strcpy(q, "lat=1&lon=2&timestamp=1795420800&id=");
	n = strlen(q);
	memset(q + n, 'a', 300);
	CHECK_INT("300-byte id", osmand_parse_query(q, n + 300, &f, &err), -1);
	CHECK_INT("300-byte id reason", err.reason, FIX_BAD_DEVICE);
	strcpy(q, "id=x&lon=2&timestamp=1795420800&lat=1.");
	n = strlen(q);
	memset(q + n, '1', 300);
	CHECK_INT("300-digit lat", osmand_parse_query(q, n + 300, &f, &err), -1);
	CHECK_INT("300-digit lat reason", err.reason, FIX_MALFORMED);
	free(q);
}

/* What fix_validate() says about fixes that parse. */
struct verdict_case {
	const char *q;
	enum fix_reason want;
};

static const struct verdict_case verdicts[] = {
	{"id=tab-17" POS TS "&speed=10&bearing=90&batt=80", FIX_OK},
	{"id=tab-17&lat=91&lon=1" TS, FIX_OUT_OF_RANGE},
	{"id=tab-17&lat=1&lon=181" TS, FIX_OUT_OF_RANGE},
	{"id=tab-17&lat=0&lon=0" TS, FIX_NULL_ISLAND},
	{"id=tab-17&location=0.0,-0.0" TS, FIX_NULL_ISLAND},
	{"id=tab-17&lat=NaN&lon=1" TS, FIX_NOT_FINITE},
	{"id=tab-17&lat=1&lon=inf" TS, FIX_NOT_FINITE},
	{"id=tab-17&lat=1e999&lon=1" TS, FIX_NOT_FINITE},
	{"id=tab-17" POS TS "&speed=infinity", FIX_NOT_FINITE},
	{"id=tab-17" POS TS "&speed=300", FIX_OUT_OF_RANGE},
	{"id=tab-17" POS TS "&batt=101", FIX_OUT_OF_RANGE},
	{"id=tab-17" POS TS "&hdop=-1", FIX_OUT_OF_RANGE},
	{"id=tab-17" POS "&timestamp=2027-01-01T00:00:00Z", FIX_FUTURE},
	{"id=tab-17" POS "&timestamp=2026-01-01+00:00:00", FIX_TOO_OLD},
	{"id=tab-17" POS "&timestamp=0", FIX_TOO_OLD},
};

static void test_verdicts(void)
{
	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = INT64_C(7) * 86400000};
	for (size_t i = 0; i < JT_ARRAY_LEN(verdicts); i++) {
		struct fix f;
		struct parse_error err;
		char detail[128];
		const char *q = verdicts[i].q;
		CHECK_INT(q, osmand_parse_query(q, strlen(q), &f, &err), 0);
		CHECK_STR(q, fix_reason_name(fix_validate(&f, T0, &lim, detail, sizeof detail)),
			  fix_reason_name(verdicts[i].want));
	}
}

int main(void)
{
	test_ok();
	test_knots();
	test_bad();
	test_bounds();
	test_verdicts();
	return check_done("test_osmand_query");
}
