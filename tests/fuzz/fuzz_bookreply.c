/*
 * fuzz_bookreply.c — what a booking client reads in the daemon's answer
 * about a ride (tools/sim/bookreply.c), in JSON or protobuf, as a broken or
 * hostile server could send it: a reply that is read has a ride id of digits and a state of
 * lower-case letters, identifiers within their bounds, a reason of
 * printable bytes terminated inside its field; a refusal says why.
 */
#include "fuzz.h"

#include "bookreply.h"

static void check(int rc, const struct bookreply *rp, const char *err, size_t errlen)
{
	const struct bookreply r = *rp;
	if (rc != 0) {
		FUZZ_ASSERT(fuzz_detail_ok(err, errlen) && err[0]);
		return;
	}
	FUZZ_ASSERT(r.id[0] && strspn(r.id, "0123456789") == strlen(r.id));
	FUZZ_ASSERT(r.state[0] && strspn(r.state, "abcdefghijklmnopqrstuvwxyz_") == strlen(r.state));
	FUZZ_ASSERT(memchr(r.trip, '\0', sizeof r.trip) && memchr(r.vehicle, '\0', sizeof r.vehicle));
	FUZZ_ASSERT(memchr(r.reason, '\0', sizeof r.reason));
	for (const char *p = r.reason; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
	FUZZ_ASSERT(r.pickup_from >= 0 && r.pickup_to >= 0 && r.dropoff_at >= 0);
	FUZZ_ASSERT(r.offer == BOOKREPLY_NONE || r.offer == BOOKREPLY_SEAT || r.offer == BOOKREPLY_VAN);
}

/* Every input both ways: as JSON and as a protobuf jintong.Ride. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bookreply r;
	char err[160];
	memset(err, 0, sizeof err);
	int rc = bookreply_parse((const char *)data, size, &r, err, sizeof err);
	check(rc, &r, err, sizeof err);
	memset(err, 0, sizeof err);
	rc = bookreply_parse_pb(data, size, &r, err, sizeof err);
	check(rc, &r, err, sizeof err);
	return 0;
}
