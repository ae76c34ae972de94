/*
 * fuzz_osmand_json.c — hostile OsmAnd JSON bodies, as any host on the network
 * can post them to the tablet endpoint: broken and deeply nested JSON, wrong
 * member types, odd numbers and strings. Besides not crashing or leaking, a
 * parsed fix must carry a valid device identifier and a time in range, and a
 * refusal must name a reason with a printable detail.
 */
#include "fuzz.h"

#include "fix.h"
#include "osmand.h"

#define NOW INT64_C(1795420800000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fix f;
	struct parse_error err;
	memset(&err, 0x5a, sizeof err);

	if (osmand_parse_json((const char *)data, size, &f, &err) != 0) {
		FUZZ_ASSERT(err.reason > FIX_OK && err.reason < FIX_REASON_COUNT);
		FUZZ_ASSERT(fuzz_detail_ok(err.detail, sizeof err.detail) && err.detail[0]);
		return 0;
	}
	FUZZ_ASSERT(memchr(f.device, '\0', sizeof f.device) != NULL);
	FUZZ_ASSERT(fix_device_id_valid(f.device, strlen(f.device)));
	FUZZ_ASSERT(f.time >= 0 && f.time <= INT64_C(253402300799999));
	FUZZ_ASSERT(!f.has_seq);
	/* -1 is "unknown" for every optional reading */
	FUZZ_ASSERT(f.speed != -1 && f.heading != -1 && f.altitude != -1 && f.accuracy != -1 &&
		    f.battery != -1);

	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = INT64_C(30) * 86400000};
	char detail[128];
	enum fix_reason r = fix_validate(&f, NOW, &lim, detail, sizeof detail);
	FUZZ_ASSERT(r == FIX_OK || r == FIX_NOT_FINITE || r == FIX_OUT_OF_RANGE ||
		    r == FIX_NULL_ISLAND || r == FIX_FUTURE || r == FIX_TOO_OLD);
	FUZZ_ASSERT(fuzz_detail_ok(detail, sizeof detail) && (r == FIX_OK) == (detail[0] == '\0'));
	return 0;
}
