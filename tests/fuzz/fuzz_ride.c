/*
 * fuzz_ride.c — hostile booking requests, as any booking front end (or
 * anyone holding its credentials) can post them: broken JSON, wrong member
 * types, odd numbers and strings. A request that is read must hold
 * printable identifiers, finite coordinates in range and counts in range; a
 * refusal must say why.
 */
#include "fuzz.h"

#include <json-c/json.h>

#include "ride.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new_ex(16);
	struct json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	struct ride_request r;
	char err[200];
	memset(err, 0, sizeof err);
	if (ride_parse_request(o, &r, err, sizeof err) != 0) {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
	} else {
		FUZZ_ASSERT(r.rider[0] && strlen(r.rider) <= RIDE_RIDER_MAX);
		FUZZ_ASSERT(r.passengers >= 0 && r.passengers <= RIDE_PASSENGERS_MAX);
		FUZZ_ASSERT(r.parcels_l >= 0 && r.parcels_l <= RIDE_PARCELS_MAX_L);
		FUZZ_ASSERT(r.passengers > 0 || r.parcels_l > 0);
		const struct ride_place *p[] = { &r.from, &r.to };
		for (int i = 0; i < 2; i++) {
			if (p[i]->kind == RIDE_AT_POINT)
				FUZZ_ASSERT(isfinite(p[i]->lat) && fabs(p[i]->lat) <= 90 &&
					    isfinite(p[i]->lon) && fabs(p[i]->lon) <= 180);
			else
				FUZZ_ASSERT(p[i]->code[0] && strlen(p[i]->code) <= RIDE_CODE_MAX);
		}
		struct ride ride = { .req = r, .state = RIDE_REFUSED };
		json_object_put(ride_json(&ride));
	}
	json_object_put(o);
	return 0;
}
