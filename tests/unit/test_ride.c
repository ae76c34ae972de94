/*
 * Rides: the state machine allows exactly the moves drawn in ride.h, and
 * booking requests are read or refused member by member.
 */
#include <string.h>

#include <json-c/json.h>

#include "check.h"
#include "ride.h"

static int parse(const char *text, struct ride_request *r, char *err, size_t errlen)
{
	struct json_object *o = json_tokener_parse(text);
	int rc = ride_parse_request(o, r, err, errlen);
	json_object_put(o);
	return rc;
}

int main(void)
{
	/* Exactly these moves, and no other. */
	static const char *const allowed[] = { "requested>offered", "requested>refused",
					       "offered>confirmed", "offered>cancelled",
					       "offered>expired",   "confirmed>onboard",
					       "confirmed>cancelled", "confirmed>no_show",
					       "onboard>completed" };
	unsigned count = 0;
	for (int a = 0; a < RIDE_STATE_COUNT; a++)
		for (int b = 0; b < RIDE_STATE_COUNT; b++) {
			char move[40];
			snprintf(move, sizeof move, "%s>%s", ride_state_name(a), ride_state_name(b));
			bool want = false;
			for (size_t i = 0; i < JT_ARRAY_LEN(allowed); i++)
				want |= strcmp(move, allowed[i]) == 0;
			CHECK_MSG(move, ride_can_move(a, b) == want);
			count += want;
		}
	CHECK_INT("moves", count, JT_ARRAY_LEN(allowed));
	CHECK(ride_state_open(RIDE_CONFIRMED) && ride_state_open(RIDE_OFFERED) && ride_state_open(RIDE_ONBOARD));
	CHECK(!ride_state_open(RIDE_REFUSED) && !ride_state_open(RIDE_CANCELLED) && !ride_state_open(RIDE_EXPIRED));
	CHECK_INT("parse state", ride_state_parse("no_show"), RIDE_NO_SHOW);
	CHECK_INT("unknown state", ride_state_parse("lost"), -1);

	struct ride r = { .id = 7, .state = RIDE_OFFERED };
	CHECK(ride_move(&r, RIDE_CONFIRMED, 1000) == 0 && r.state == RIDE_CONFIRMED && r.updated_at == 1000);
	CHECK(ride_move(&r, RIDE_EXPIRED, 2000) == -1 && r.state == RIDE_CONFIRMED && r.updated_at == 1000);
	CHECK(ride_move(&r, RIDE_ONBOARD, 3000) == 0);
	CHECK(ride_move(&r, RIDE_CANCELLED, 4000) == -1);
	CHECK(ride_move(&r, RIDE_COMPLETED, 5000) == 0);
	CHECK(ride_move(&r, RIDE_ONBOARD, 6000) == -1);

	/* A full request. */
	struct ride_request q;
	char err[200];
	CHECK(parse("{\"rider\":\"138-0000-0001\",\"client_ref\":\"hotline.42\","
		    "\"from\":{\"village\":\"V-shiyan\"},\"to\":{\"stop\":\"MKT1\"},"
		    "\"arrive_by\":\"2026-11-24T09:00:00+08:00\",\"passengers\":2,\"parcels_l\":30,"
		    "\"wheelchair\":true,\"confirm\":true}",
		    &q, err, sizeof err) == 0);
	CHECK_STR("rider", q.rider, "138-0000-0001");
	CHECK_STR("client ref", q.client_ref, "hotline.42");
	CHECK(q.from.kind == RIDE_AT_VILLAGE && strcmp(q.from.code, "V-shiyan") == 0);
	CHECK(q.to.kind == RIDE_AT_STOP && strcmp(q.to.code, "MKT1") == 0);
	CHECK(q.arrive_by && q.has_time && strcmp(q.time_text, "2026-11-24T09:00:00+08:00") == 0);
	CHECK(q.passengers == 2 && q.parcels_l == 30 && q.wheelchair && q.confirm);

	/* Defaults: one passenger, leave now. */
	CHECK(parse("{\"rider\":\"r1\",\"from\":{\"lat\":30.5,\"lon\":104.25},\"to\":{\"lat\":30.6,\"lon\":104}}",
		    &q, err, sizeof err) == 0);
	CHECK(q.passengers == 1 && !q.has_time && !q.confirm && q.from.kind == RIDE_AT_POINT);
	CHECK(q.from.lat == 30.5 && q.from.lon == 104.25 && q.to.lon == 104);
	/* Seconds may be left out. */
	CHECK(parse("{\"rider\":\"r1\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},"
		    "\"leave_after\":\"2026-11-24T08:30+08:00\"}", &q, err, sizeof err) == 0 &&
	      strcmp(q.time_text, "2026-11-24T08:30:00+08:00") == 0);
	CHECK(parse("{\"rider\":\"r1\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},"
		    "\"leave_after\":\"2026-11-24 08:30\"}", &q, err, sizeof err) == 0 &&
	      strcmp(q.time_text, "2026-11-24 08:30:00") == 0);
	/* A parcel alone. */
	CHECK(parse("{\"rider\":\"shop\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"passengers\":0,"
		    "\"parcels_l\":40}", &q, err, sizeof err) == 0 && q.passengers == 0);

	static const struct {
		const char *body, *says;
	} bad[] = {
		{ "[]", "JSON object" },
		{ "{\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"}}", "\"rider\" is required" },
		{ "{\"rider\":\"a b\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"}}", "printable" },
		{ "{\"rider\":\"\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"}}", "printable" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"seat\":3}", "unknown member" },
		{ "{\"rider\":\"r\",\"to\":{\"stop\":\"B\"}}", "\"from\" must be an object" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\",\"lat\":1},\"to\":{\"stop\":\"B\"}}", "exactly one" },
		{ "{\"rider\":\"r\",\"from\":{},\"to\":{\"stop\":\"B\"}}", "exactly one" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"-A\"},\"to\":{\"stop\":\"B\"}}", "valid code" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":7},\"to\":{\"stop\":\"B\"}}", "must be a string" },
		{ "{\"rider\":\"r\",\"from\":{\"lat\":91,\"lon\":1},\"to\":{\"stop\":\"B\"}}", "from -90 to 90" },
		{ "{\"rider\":\"r\",\"from\":{\"lat\":1},\"to\":{\"stop\":\"B\"}}", "needs a number \"lon\"" },
		{ "{\"rider\":\"r\",\"from\":{\"lat\":\"1\",\"lon\":1},\"to\":{\"stop\":\"B\"}}", "needs a number" },
		{ "{\"rider\":\"r\",\"from\":{\"lat\":1e999,\"lon\":1},\"to\":{\"stop\":\"B\"}}", "finite" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\",\"x\":1},\"to\":{\"stop\":\"B\"}}", "unknown member" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"A\"}}", "same place" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"passengers\":21}", "between 0 and 20" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"passengers\":1.5}", "whole number" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"passengers\":0}", "at least one" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"parcels_l\":-1}", "between" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"wheelchair\":1}", "true or false" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"leave_after\":\"tomorrow\"}", "must be a time" },
		{ "{\"rider\":\"r\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"},\"leave_after\":\"2026-11-24T08:00:00Z\","
		  "\"arrive_by\":\"2026-11-24T09:00:00Z\"}", "not both" },
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		bool refused = parse(bad[i].body, &q, err, sizeof err) == -1;
		CHECK_MSG(bad[i].body, refused && strstr(err, bad[i].says) != NULL);
		if (!strstr(err, bad[i].says))
			fprintf(stderr, "  said: %s\n", err);
	}

	/* Alerts: approaching within 5 minutes of the stop, delay 10 minutes past the promise. */
	struct ride seat = { .state = RIDE_CONFIRMED, .service = RIDE_ON_TRIP, .pickup_from = 1000000 };
	const jt_ms min = 60000, now = 1000000 - 20 * min;
	struct ride_alert al = ride_judge(&seat, 1000000, now, 5 * min, 10 * min);
	CHECK(!al.approaching && !al.delay);
	al = ride_judge(&seat, 1000000, 1000000 - 5 * min, 5 * min, 10 * min);
	CHECK(al.approaching && !al.delay);
	al = ride_judge(&seat, 1000000 + 10 * min, now, 5 * min, 10 * min);
	CHECK(!al.approaching && al.delay);
	al = ride_judge(&seat, 1000000 + 9 * min, 1000000 + 5 * min, 5 * min, 10 * min);
	CHECK(al.approaching && !al.delay);
	al = ride_judge(&seat, 0, now, 5 * min, 10 * min);
	CHECK_MSG("the bus has passed the stop", !al.approaching && !al.delay);
	seat.state = RIDE_OFFERED;
	al = ride_judge(&seat, 1000000, 1000000, 5 * min, 10 * min);
	CHECK_MSG("only confirmed rides", !al.approaching && !al.delay);

	/* The JSON of an offered ride. */
	struct ride o = { .id = 12, .state = RIDE_OFFERED, .service = RIDE_ON_TRIP, .day = 0,
			  .when = 1795420800000, .offer_expires = 1795421100000 };
	CHECK(parse("{\"rider\":\"r1\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"B\"}}", &o.req, err,
		    sizeof err) == 0);
	strcpy(o.trip, "T1");
	strcpy(o.pickup_stop, "A");
	o.day = date_from_ymd(2026, 11, 23);
	struct json_object *j = ride_json(&o);
	const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	CHECK_MSG(text, strstr(text, "\"id\":\"12\"") && strstr(text, "\"state\":\"offered\"") &&
				strstr(text, "\"trip\":\"T1\"") && strstr(text, "\"service_day\":\"2026-11-23\"") &&
				strstr(text, "\"offer_expires\""));
	json_object_put(j);
	return check_done("test_ride");
}
