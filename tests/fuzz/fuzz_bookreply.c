/*
 * fuzz_bookreply.c — what a booking client reads in the daemon's answer
 * about a ride (tools/sim/bookreply.c), as a broken or hostile server could
 * send it: a reply that is read has a ride id of digits and a state of
 * lower-case letters, identifiers within their bounds, a reason of
 * printable bytes terminated inside its field; a refusal says why.
 */
#include "fuzz.h"

#include "bookreply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bookreply r;
	char err[160];
	memset(err, 0, sizeof err);
	if (bookreply_parse((const char *)data, size, &r, err, sizeof err) != 0) {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
		return 0;
	}
	FUZZ_ASSERT(r.id[0] && strspn(r.id, "0123456789") == strlen(r.id));
	FUZZ_ASSERT(r.state[0] && strspn(r.state, "abcdefghijklmnopqrstuvwxyz_") == strlen(r.state));
	FUZZ_ASSERT(memchr(r.trip, '\0', sizeof r.trip) && memchr(r.vehicle, '\0', sizeof r.vehicle));
	FUZZ_ASSERT(memchr(r.reason, '\0', sizeof r.reason));
	for (const char *p = r.reason; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
	FUZZ_ASSERT(r.pickup_from >= 0 && r.pickup_to >= 0 && r.dropoff_at >= 0);
	FUZZ_ASSERT(r.offer == BOOKREPLY_NONE || r.offer == BOOKREPLY_SEAT || r.offer == BOOKREPLY_VAN);
	return 0;
}
