/*
 * fuzz_vanplan.c — any bytes as the manifest a van's tablet reads
 * (tools/sim/vanplan.c). Besides not crashing: never more tasks than room,
 * and every task kept has a ride id of digits only (it goes into a request
 * path), a place on the globe, counts not negative, and times that parsed.
 */
#include "fuzz.h"

#include <math.h>

#include "vanplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct van_task t[8];
	int n = vanplan_read((const char *)data, size, t, 8);
	FUZZ_ASSERT(n >= -1 && n <= 8);
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(t[i].ride[0] && strspn(t[i].ride, "0123456789") == strlen(t[i].ride));
		FUZZ_ASSERT(isfinite(t[i].lat) && fabs(t[i].lat) <= 90 && isfinite(t[i].lon) && fabs(t[i].lon) <= 180);
		FUZZ_ASSERT(t[i].passengers >= 0 && t[i].parcels_l >= 0);
		FUZZ_ASSERT(t[i].from_ms >= 0 && t[i].planned_ms >= 0);
		FUZZ_ASSERT(t[i].kind == VAN_PICKUP || t[i].kind == VAN_DROPOFF);
	}
	return 0;
}
