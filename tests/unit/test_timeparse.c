/*
 * test_timeparse.c — every timestamp form tracking apps send, the calendar
 * edge cases (leap years, leap seconds, zones that cross midnight or the
 * epoch), and text that must be refused; then the written form.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "timeparse.h"

#define BAD (-1)

struct parse_case {
	const char *text;
	size_t len; /* 0: strlen(text) */
	int rc;
	jt_ms want;
};

static const struct parse_case cases[] = {
	/* Unix seconds and milliseconds */
	{"1700000000", 0, 0, INT64_C(1700000000000)},
	{"0", 0, 0, 0},
	{"0001700000000", 0, 0, INT64_C(1700000000000)},
	{"2147483647", 0, 0, INT64_C(2147483647000)},
	{"2147483648", 0, 0, INT64_C(2147483648)},
	{"1700000000123", 0, 0, INT64_C(1700000000123)},
	{"1795420800000", 0, 0, INT64_C(1795420800000)},
	{"253402300799999", 0, 0, INT64_C(253402300799999)},
	/* seconds with a fraction, kept to the millisecond */
	{"1700000000.25", 0, 0, INT64_C(1700000000250)},
	{"1700000000.2567", 0, 0, INT64_C(1700000000256)},
	{"1700000000.5", 0, 0, INT64_C(1700000000500)},
	{"1700000000.000", 0, 0, INT64_C(1700000000000)},
	/* ISO 8601 */
	{"2026-11-23T08:00:00Z", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23t08:00:00z", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T08:00:00.123Z", 0, 0, INT64_C(1795420800123)},
	{"2026-11-23T08:00:00.1Z", 0, 0, INT64_C(1795420800100)},
	{"2026-11-23T08:00:00.123456789Z", 0, 0, INT64_C(1795420800123)},
	{"2026-11-23T08:00:00", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T08:00:00.5", 0, 0, INT64_C(1795420800500)},
	{"2026-11-23T16:00:00+08:00", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T16:00:00+0800", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T16:00:00+08", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T03:30:00-04:30", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T08:00:00-00:00", 0, 0, INT64_C(1795420800000)},
	{"2026-11-24T00:30:00+16:30", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23T16:00:00.123+08:00", 0, 0, INT64_C(1795420800123)},
	/* yyyy-MM-dd HH:mm:ss, UTC */
	{"2026-11-23 08:00:00", 0, 0, INT64_C(1795420800000)},
	{"2026-11-23 07:30:00", 0, 0, INT64_C(1795419000000)},
	/* calendar */
	{"2024-02-29T00:00:00Z", 0, 0, INT64_C(1709164800000)},
	{"2000-02-29 12:34:56", 0, 0, INT64_C(951827696000)},
	{"2016-12-31T23:59:60Z", 0, 0, INT64_C(1483228799000)},
	{"1970-01-01T00:00:00Z", 0, 0, 0},
	{"9999-12-31T23:59:59.999Z", 0, 0, INT64_C(253402300799999)},
	{"2038-01-19T03:14:08Z", 0, 0, INT64_C(2147483648000)},

	/* refused */
	{"", 0, BAD, 0},
	{"abc", 0, BAD, 0},
	{"-1", 0, BAD, 0},
	{"+1700000000", 0, BAD, 0},
	{" 1700000000", 0, BAD, 0},
	{"1700000000 ", 0, BAD, 0},
	{"1700000000\n", 0, BAD, 0},
	{"17000000001234567", 0, BAD, 0},
	{"253402300800000", 0, BAD, 0},
	{"99999999999999999999999999999999", 0, BAD, 0},
	{"1700000000000.5", 0, BAD, 0},
	{"1700000000.", 0, BAD, 0},
	{".5", 0, BAD, 0},
	{"1.7e9", 0, BAD, 0},
	{"0x6553f100", 0, BAD, 0},
	{"nan", 0, BAD, 0},
	{"inf", 0, BAD, 0},
	{"17000\00000000", 11, BAD, 0},
	{"2026-11-23T08:00:00Z\0", 21, BAD, 0},
	{"2023-02-29T00:00:00Z", 0, BAD, 0},
	{"2100-02-29T00:00:00Z", 0, BAD, 0},
	{"2026-13-01T00:00:00Z", 0, BAD, 0},
	{"2026-00-01T00:00:00Z", 0, BAD, 0},
	{"2026-11-00T00:00:00Z", 0, BAD, 0},
	{"2026-11-31T00:00:00Z", 0, BAD, 0},
	{"2026-11-23T24:00:00Z", 0, BAD, 0},
	{"2026-11-23T23:60:00Z", 0, BAD, 0},
	{"2026-11-23T23:59:61Z", 0, BAD, 0},
	{"1969-12-31T23:59:59Z", 0, BAD, 0},
	{"1970-01-01T00:30:00+01:00", 0, BAD, 0},
	{"0000-01-01T00:00:00Z", 0, BAD, 0},
	{"10000-01-01T00:00:00Z", 0, BAD, 0},
	{"9999-12-31T23:59:59-01:00", 0, BAD, 0},
	{"2026-11-23T08:00Z", 0, BAD, 0},
	{"2026-11-23", 0, BAD, 0},
	{"2026-11-23T8:00:00Z", 0, BAD, 0},
	{"2026-11-23_08:00:00Z", 0, BAD, 0},
	{"2026-11-23T08:00:00ZZ", 0, BAD, 0},
	{"2026-11-23T08:00:00.Z", 0, BAD, 0},
	{"2026-11-23T08:00:00.", 0, BAD, 0},
	{"2026-11-23T08:00:00+24:00", 0, BAD, 0},
	{"2026-11-23T08:00:00+08:60", 0, BAD, 0},
	{"2026-11-23T08:00:00+8", 0, BAD, 0},
	{"2026-11-23T08:00:00+08:", 0, BAD, 0},
	{"2026-11-23T08:00:00+08:0", 0, BAD, 0},
	{"2026-11-23T08:00:00+08:000", 0, BAD, 0},
	{"2026-11-23T08:00:00 Z", 0, BAD, 0},
	{"2026-11-23T08:00:00\xef\xbc\xba", 0, BAD, 0}, /* fullwidth Z */
	{"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6-11-23T08:00:00Z", 0, BAD, 0}, /* Arabic-Indic digits */
	{"2026-11-23T08:00:00.1234567890123456789012345678901234567890123456789Z", 0, BAD, 0},
};

static void test_parse(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(cases); i++) {
		const struct parse_case *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->text);
		jt_ms got = -42;
		int rc = ts_parse(c->text, len, &got);
		CHECK_INT(c->text, rc, c->rc);
		CHECK_INT(c->text, got, c->rc == 0 ? c->want : -42);
	}
	jt_ms t;
	CHECK(ts_parse(NULL, 0, &t) == -1);
}

struct format_case {
	jt_ms t;
	const char *want;
};

static const struct format_case formats[] = {
	{0, "1970-01-01T00:00:00.000Z"},
	{INT64_C(1795420800123), "2026-11-23T08:00:00.123Z"},
	{INT64_C(1709164800000), "2024-02-29T00:00:00.000Z"},
	{INT64_C(253402300799999), "9999-12-31T23:59:59.999Z"},
	{-1, "1969-12-31T23:59:59.999Z"},
	{INT64_C(-86400000), "1969-12-31T00:00:00.000Z"},
};

static void test_format(void)
{
	char buf[TS_FORMAT_LEN];
	for (size_t i = 0; i < JT_ARRAY_LEN(formats); i++) {
		ts_format(formats[i].t, buf, sizeof buf);
		CHECK_STR("ts_format", buf, formats[i].want);
	}
	/* the extremes fit and terminate */
	ts_format(INT64_MAX, buf, sizeof buf);
	CHECK(strlen(buf) < sizeof buf && buf[strlen(buf) - 1] == 'Z');
	ts_format(INT64_MIN, buf, sizeof buf);
	CHECK(strlen(buf) < sizeof buf && buf[strlen(buf) - 1] == 'Z');
	/* a short buffer is truncated, never overrun */
	char small[8];
	memset(small, 'x', sizeof small);
	ts_format(INT64_C(1795420800123), small, 5);
	CHECK_STR("short buffer", small, "2026");
	CHECK(small[5] == 'x');
}

/* Every millisecond written must read back as itself, across a spread of days. */
static void test_round_trip(void)
{
	char buf[TS_FORMAT_LEN];
	unsigned bad = 0;
	for (jt_ms t = 0; t <= INT64_C(253402300799999); t += INT64_C(86400000) * 97 + 12345) {
		jt_ms back;
		ts_format(t, buf, sizeof buf);
		if (ts_parse(buf, strlen(buf), &back) != 0 || back != t)
			bad++;
	}
	CHECK_INT("round trips that failed", bad, 0);
}

int main(void)
{
	test_parse();
	test_format();
	test_round_trip();
	return check_done("test_timeparse");
}
