/*
 * fuzz_osmand_query.c — hostile OsmAnd query strings and form bodies, the
 * bytes any host on the network can send to the tablet endpoint. Besides not
 * crashing, a parsed fix must carry a valid device identifier and a time in
 * range, and a refusal must name a reason with a printable detail. The same
 * bytes also go to ts_parse(), whose results must survive a round trip
 * through ts_format().
 */
#include "fuzz.h"

#include "fix.h"
#include "osmand.h"
#include "timeparse.h"

#define NOW INT64_C(1795420800000)

static void check_time_round_trip(const uint8_t *data, size_t size)
{
	jt_ms t, back;
	char buf[TS_FORMAT_LEN];
	if (ts_parse((const char *)data, size, &t) != 0)
		return;
	FUZZ_ASSERT(t >= 0 && t <= INT64_C(253402300799999));
	ts_format(t, buf, sizeof buf);
	FUZZ_ASSERT(ts_parse(buf, strlen(buf), &back) == 0 && back == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fix f;
	struct parse_error err;
	memset(&err, 0x5a, sizeof err);

	check_time_round_trip(data, size);
	if (osmand_parse_query((const char *)data, size, &f, &err) != 0) {
		FUZZ_ASSERT(err.reason > FIX_OK && err.reason < FIX_REASON_COUNT);
		FUZZ_ASSERT(fuzz_detail_ok(err.detail, sizeof err.detail) && err.detail[0]);
		return 0;
	}
	FUZZ_ASSERT(memchr(f.device, '\0', sizeof f.device) != NULL);
	FUZZ_ASSERT(fix_device_id_valid(f.device, strlen(f.device)));
	FUZZ_ASSERT(f.time >= 0 && f.time <= INT64_C(253402300799999));
	FUZZ_ASSERT(!f.has_seq);

	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = INT64_C(30) * 86400000};
	char detail[128];
	enum fix_reason r = fix_validate(&f, NOW, &lim, detail, sizeof detail);
	FUZZ_ASSERT(r == FIX_OK || r == FIX_NOT_FINITE || r == FIX_OUT_OF_RANGE ||
		    r == FIX_NULL_ISLAND || r == FIX_FUTURE || r == FIX_TOO_OLD);
	FUZZ_ASSERT(fuzz_detail_ok(detail, sizeof detail) && (r == FIX_OK) == (detail[0] == '\0'));
	if (r == FIX_OK)
		FUZZ_ASSERT(isfinite(f.lat) && isfinite(f.lon) && fabs(f.lat) <= 90 &&
			    fabs(f.lon) <= 180);
	return 0;
}
