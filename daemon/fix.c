/*
 * fix.c — the rules a fix must pass before it is stored, and the stable names
 * of the reasons a fix is refused.
 *
 * A receiver that has no position yet reports 0,0; a tablet with a wrong clock
 * reports next year; a broken app reports infinity. Each of those is refused
 * here with a reason the tablet's operator can act on. The checks run in a
 * fixed order (position, optional readings, time) so the same fix always
 * earns the same reason.
 */
#include "fix.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "timeparse.h"

static const char *const reason_names[FIX_REASON_COUNT] = {
	[FIX_OK] = "ok",
	[FIX_MISSING_DEVICE] = "missing_device",
	[FIX_BAD_DEVICE] = "bad_device",
	[FIX_MISSING_POSITION] = "missing_position",
	[FIX_MALFORMED] = "malformed",
	[FIX_NOT_FINITE] = "not_finite",
	[FIX_OUT_OF_RANGE] = "out_of_range",
	[FIX_NULL_ISLAND] = "null_island",
	[FIX_MISSING_TIME] = "missing_time",
	[FIX_FUTURE] = "future",
	[FIX_TOO_OLD] = "too_old",
	[FIX_UNKNOWN_DEVICE] = "unknown_device",
	[FIX_WRONG_DEVICE] = "wrong_device",
	[FIX_DUPLICATE_SEQ] = "duplicate_seq",
};

const char *fix_reason_name(enum fix_reason r)
{
	if ((unsigned)r >= FIX_REASON_COUNT || !reason_names[r])
		return "invalid_reason";
	return reason_names[r];
}

void fix_init(struct fix *f)
{
	*f = (struct fix){0};
	/* A position never set must not read as 0,0. */
	f->lat = NAN;
	f->lon = NAN;
	f->speed = NAN;
	f->heading = NAN;
	f->altitude = NAN;
	f->accuracy = NAN;
	f->battery = NAN;
}

bool fix_device_id_valid(const char *s, size_t len)
{
	if (!s || len == 0 || len > JT_DEVICE_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x21 || ch > 0x7e)
			return false;
	}
	return true;
}

/* One physical quantity of a fix and the values it may take. */
struct range {
	const char *name;
	size_t offset; /* of the double inside struct fix */
	double lo, hi;
	bool optional; /* NAN means "the tablet did not say" */
};

static const struct range ranges[] = {
	{"latitude", offsetof(struct fix, lat), -90, 90, false},
	{"longitude", offsetof(struct fix, lon), -180, 180, false},
	{"speed", offsetof(struct fix, speed), 0, 150, true},
	{"heading", offsetof(struct fix, heading), 0, 360, true},
	{"altitude", offsetof(struct fix, altitude), -500, 9000, true},
	{"accuracy", offsetof(struct fix, accuracy), 0, 100000, true},
	{"battery", offsetof(struct fix, battery), 0, 1, true},
};

static double range_value(const struct fix *f, const struct range *r)
{
	return *(const double *)(const void *)((const char *)f + r->offset);
}

static enum fix_reason say(enum fix_reason reason, char *detail, size_t len, const char *fmt, ...)
	JT_PRINTF(4, 5);

static enum fix_reason say(enum fix_reason reason, char *detail, size_t len, const char *fmt, ...)
{
	if (detail && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(detail, len, fmt, ap);
		va_end(ap);
	}
	return reason;
}

static enum fix_reason check_range(const struct fix *f, const struct range *r, char *detail,
				   size_t len)
{
	double v = range_value(f, r);
	if (isnan(v)) {
		if (r->optional)
			return FIX_OK;
		return say(FIX_NOT_FINITE, detail, len, "%s is not a number", r->name);
	}
	if (isinf(v))
		return say(FIX_NOT_FINITE, detail, len, "%s is %sinfinite", r->name,
			   v < 0 ? "negative " : "");
	if (v < r->lo || v > r->hi)
		return say(FIX_OUT_OF_RANGE, detail, len, "%s %.10g outside %g..%g", r->name, v,
			   r->lo, r->hi);
	return FIX_OK;
}

/* a + b and a - b, held at the ends of the int64 range instead of overflowing. */
static jt_ms add_saturated(jt_ms a, jt_ms b)
{
	jt_ms s;
	if (__builtin_add_overflow(a, b, &s))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return s;
}

static jt_ms sub_saturated(jt_ms a, jt_ms b)
{
	jt_ms s;
	if (__builtin_sub_overflow(a, b, &s))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return s;
}

enum fix_reason fix_validate(const struct fix *f, jt_ms now, const struct fix_limits *lim,
			     char *detail, size_t len)
{
	if (detail && len)
		detail[0] = '\0';

	/* Latitude and longitude first: they are the fix. */
	for (size_t i = 0; i < 2; i++) {
		enum fix_reason r = check_range(f, &ranges[i], detail, len);
		if (r != FIX_OK)
			return r;
	}
	if (f->lat == 0 && f->lon == 0)
		return say(FIX_NULL_ISLAND, detail, len,
			   "position 0,0 is an unset receiver, not a place");
	for (size_t i = 2; i < JT_ARRAY_LEN(ranges); i++) {
		enum fix_reason r = check_range(f, &ranges[i], detail, len);
		if (r != FIX_OK)
			return r;
	}

	char when[TS_FORMAT_LEN];
	if (f->time > add_saturated(now, lim->future_ms)) {
		ts_format(f->time, when, sizeof when);
		return say(FIX_FUTURE, detail, len, "time %s is more than %lld s ahead of the server",
			   when, (long long)(lim->future_ms / 1000));
	}
	if (f->time < sub_saturated(now, lim->max_age_ms)) {
		ts_format(f->time, when, sizeof when);
		return say(FIX_TOO_OLD, detail, len, "time %s is more than %lld s old", when,
			   (long long)(lim->max_age_ms / 1000));
	}
	return FIX_OK;
}
