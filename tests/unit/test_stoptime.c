/*
 * A trip's stop times: the forms the admin API takes, the GTFS-Flex rules
 * of windows (a group or zone only within one; no regular pickup there),
 * booking rules that must exist, the order check with windows among fixed
 * times, the span a vehicle block is checked with, and the JSON written
 * reading back as the same stop time.
 */
#include <string.h>

#include "check.h"
#include "stoptime.h"

static bool rule_known(void *arg, const char *code)
{
	(void)arg;
	return strcmp(code, "BR1") == 0;
}

static int parse(const char *json, const char *place, struct stoptime *st, char *err)
{
	struct json_object *x = json_tokener_parse(json);
	err[0] = '\0';
	int rc = stoptime_parse(x, 0, place, rule_known, NULL, st, err, 300);
	json_object_put(x);
	return rc;
}

/* Reads the stop times of a trip; the order check's result. */
static int trip(const char *const *entries, const char *const *places, size_t n, struct stoptime *st,
		char *err)
{
	for (size_t i = 0; i < n; i++)
		if (parse(entries[i], places[i], &st[i], err) != 0)
			return -2;
	return stoptime_check(st, n, err, 300);
}

int main(void)
{
	char err[300];
	struct stoptime st;
	CHECK(parse("\"07:30\"", "S1", &st, err) == 0 && st.arr == 27000 && st.dep == 27000 &&
	      !st.window && st.pickup == 0);
	CHECK(parse("[\"07:30\",\"07:32\"]", "S1", &st, err) == 0 && st.dep == 27120);
	CHECK(parse("{\"arrival\":\"07:30\"}", "S1", &st, err) == 0 && st.dep == 27000);
	CHECK(parse("{\"departure\":\"07:31\",\"pickup_type\":3}", "S1", &st, err) == 0 &&
	      st.arr == 27060 && st.pickup == 3);
	CHECK(parse("{\"window\":[\"08:00\",\"17:00\"]}", "zone:Z1", &st, err) == 0 && st.window &&
	      st.arr == 28800 && st.dep == 61200 && st.pickup == 2 && st.drop_off == 2);
	CHECK(parse("{\"stop\":\"group:G\",\"window\":[\"08:00\",\"17:00\"],\"pickup_type\":1,"
		    "\"drop_off_type\":3,\"pickup_rule\":\"BR1\",\"drop_off_rule\":\"BR1\"}",
		    "group:G", &st, err) == 0 &&
	      st.drop_off == 3 && strcmp(st.pickup_rule, "BR1") == 0);

	static const char *const bad[][3] = {
		{ "\"08:00\"", "zone:Z1", "within a window" },
		{ "{\"arrival\":\"08:00\"}", "group:G", "within a window" },
		{ "{\"window\":[\"08:00\",\"17:00\"],\"pickup_type\":0}", "zone:Z1", "pickup_type is 1" },
		{ "{\"window\":[\"08:00\",\"17:00\"],\"pickup_type\":3}", "S1", "pickup_type is 1" },
		{ "{\"window\":[\"08:00\",\"17:00\"],\"drop_off_type\":0}", "S1", "drop_off_type is 1, 2 or 3" },
		{ "{\"window\":[\"08:00\",\"17:00\"],\"arrival\":\"08:00\"}", "S1", "not both" },
		{ "{\"window\":[\"08:00\"]}", "S1", "window is [start, end]" },
		{ "{\"window\":[\"08:00\",\"17:00\"],\"pickup_rule\":\"NOPE\"}", "S1", "NOPE is not a booking rule" },
		{ "{\"arrival\":\"08:00\",\"pickup_type\":4}", "S1", "pickup_type and drop_off_type are" },
		{ "{\"arrival\":\"08:00\",\"seats\":4}", "S1", "no field 'seats'" },
		{ "{\"stop\":\"S2\",\"arrival\":\"08:00\"}", "S1", "the route has S1 there" },
		{ "{}", "S1", "arrival and departure are times" },
		{ "\"48:00\"", "S1", "times are HH:MM" },
		{ "7", "S1", "give a time" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_MSG(bad[i][0], parse(bad[i][0], bad[i][1], &st, err) == -1 &&
					     strstr(err, bad[i][2]) != NULL && strncmp(err, "stop 1:", 7) == 0);

	/* A deviated route: fixed stops, a zone between them within a window. */
	struct stoptime t[4];
	const char *places[] = { "S1", "zone:Z", "S2", "zone:Z" };
	const char *deviated[] = { "\"08:00\"", "{\"window\":[\"08:00\",\"08:02:22\"]}", "\"08:02:22\"",
				   "{\"window\":[\"08:02:22\",\"08:03\"]}" };
	CHECK_MSG(err, trip(deviated, places, 4, t, err) == 0);
	int32_t first, last;
	stoptime_span(t, 4, &first, &last);
	CHECK_INT("span from", first, 8 * 3600);
	CHECK_INT("span to", last, 8 * 3600 + 180);
	/* pickup in one zone until 18:00, drop-off in the next until 14:00: allowed */
	const char *zones[] = { "zone:A", "zone:B" };
	const char *between[] = { "{\"window\":[\"08:00\",\"18:00\"]}", "{\"window\":[\"08:00\",\"14:00\"]}" };
	CHECK_MSG(err, trip(between, zones, 2, t, err) == 0);
	stoptime_span(t, 2, &first, &last);
	CHECK_INT("span of two windows", last, 18 * 3600);
	const char *back[] = { "\"09:00\"", "{\"window\":[\"08:30\",\"10:00\"]}" };
	const char *sz[] = { "S1", "zone:Z" };
	CHECK(trip(back, sz, 2, t, err) == -1 && strstr(err, "stop 2: its window starts at 08:30") &&
	      strstr(err, "backwards"));
	const char *shut[] = { "{\"window\":[\"10:00\",\"09:00\"]}", "\"11:00\"" };
	const char *zs[] = { "zone:Z", "S1" };
	CHECK(trip(shut, zs, 2, t, err) == -1 && strstr(err, "the window ends at 09:00"));
	const char *early[] = { "{\"window\":[\"10:00\",\"12:00\"]}", "\"09:59\"" };
	CHECK(trip(early, zs, 2, t, err) == -1 && strstr(err, "before the window of stop 1"));

	/* Written as the trip's JSON, read back the same. */
	const char *forms[] = { "\"07:30\"", "{\"arrival\":\"07:30\",\"departure\":\"07:31\",\"pickup_type\":2,\"pickup_rule\":\"BR1\"}",
				"{\"window\":[\"08:00\",\"17:00\"],\"pickup_type\":1,\"drop_off_rule\":\"BR1\"}" };
	const char *fplaces[] = { "S1", "S2", "zone:Z" };
	for (size_t i = 0; i < 3; i++) {
		struct stoptime a, b;
		CHECK_MSG(forms[i], parse(forms[i], fplaces[i], &a, err) == 0);
		struct json_object *o = stoptime_json(&a, fplaces[i]);
		CHECK_MSG(forms[i], stoptime_parse(o, 0, fplaces[i], rule_known, NULL, &b, err, sizeof err) == 0 &&
					    memcmp(&a, &b, sizeof a) == 0);
		json_object_put(o);
	}
	parse("{\"window\":[\"08:00\",\"17:00\"]}", "zone:Z", &st, err);
	struct json_object *o = stoptime_json(&st, "zone:Z");
	CHECK_STR("a window's usual types left out", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"stop\":\"zone:Z\",\"window\":[\"08:00:00\",\"17:00:00\"]}");
	json_object_put(o);
	return check_done("test_stoptime");
}
