/*
 * fuzz_ridewire.c — hostile protobuf booking requests: whatever bytes come,
 * decoding either refuses them with a reason or yields a JSON object that
 * the booking parser then reads or refuses; and a ride's JSON always packs
 * into a jintong.Ride that decodes again.
 */
#include "fuzz.h"

#include <json-c/json.h>

#include "jintong.pb-c.h"
#include "ride.h"
#include "ridewire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[200];
	memset(err, 0, sizeof err);
	struct json_object *o = ridewire_request_json(data, size, err, sizeof err);
	if (!o) {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
		return 0;
	}
	FUZZ_ASSERT(json_object_is_type(o, json_type_object));
	struct ride_request q;
	if (ride_parse_request(o, &q, err, sizeof err) == 0) {
		struct ride r = { .id = 1, .req = q, .state = RIDE_OFFERED, .service = RIDE_ON_TRIP };
		struct json_object *j = ride_json(&r);
		size_t len;
		uint8_t *buf = ridewire_ride_pack(j, &len);
		Jintong__Ride *back = jintong__ride__unpack(NULL, len, buf);
		FUZZ_ASSERT(back && back->rider && strcmp(back->rider, q.rider) == 0);
		jintong__ride__free_unpacked(back, NULL);
		free(buf);
		json_object_put(j);
	} else {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
	}
	json_object_put(o);
	return 0;
}
