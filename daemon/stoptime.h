/*
 * stoptime.h — a trip's stop times: fixed times (arrival, departure), or for
 * on-demand service a window in which riders are picked up or set down on
 * request, with how a pickup and a drop-off are arranged (GTFS pickup_type
 * and drop_off_type) and the booking rule that applies. Pure.
 *
 * In the admin API each is one entry of a trip's "times":
 *   "07:30"                       arrival and departure the same
 *   ["07:30", "07:32"]            arrival, departure
 *   {"arrival": "07:30", "departure": "07:32", "pickup_type": 2,
 *    "pickup_rule": "BR1"}        the same with how riders board
 *   {"window": ["08:00", "17:00"], "pickup_type": 2, "drop_off_type": 1,
 *    "pickup_rule": "BR1", "drop_off_rule": "BR1"}
 * A trip's JSON lists them as objects with the stop, in the last two forms.
 */
#ifndef JINTONG_STOPTIME_H
#define JINTONG_STOPTIME_H

#include <json-c/json.h>

#include "catalog.h"
#include "core.h"

enum {
	STOPTIME_REGULAR = 0, /* GTFS pickup_type / drop_off_type values */
	STOPTIME_NONE = 1,
	STOPTIME_PHONE = 2,
	STOPTIME_DRIVER = 3,
};

struct stoptime {
	int32_t arr, dep; /* fixed: arrival and departure; a window: its start and end */
	bool window;
	int8_t pickup, drop_off;
	char pickup_rule[CATALOG_CODE_MAX + 1]; /* "" when none */
	char drop_off_rule[CATALOG_CODE_MAX + 1];
};

/* Is there a booking rule with this code? Supplied by the caller. */
typedef bool (*stoptime_rule_fn)(void *arg, const char *code);

/*
 * Reads entry i (0-based) of a trip's times for the route's place there (a
 * stop code, "group:..." or "zone:..."; a group or zone needs a window). A
 * window's pickup and drop-off types default to 2 (phone to book), fixed
 * times' to 0. Refuses what GTFS refuses: pickup_type 0 or 3 and
 * drop_off_type 0 with a window. -1 with a message naming the stop.
 */
int stoptime_parse(struct json_object *x, size_t i, const char *place, stoptime_rule_fn rule_known,
		   void *arg, struct stoptime *out, char *err, size_t errlen) JT_MUST_CHECK;

/*
 * Checks the times run forward: each departure (window end) not before its
 * arrival (window start); each stop's arrival (window start) not before the
 * departure from the stop before, or that stop's window start. -1 with a
 * message naming the stop (1-based).
 */
int stoptime_check(const struct stoptime *st, size_t n, char *err, size_t errlen) JT_MUST_CHECK;

/* From the first departure (or window start) to the last arrival (or window end). */
void stoptime_span(const struct stoptime *st, size_t n, int32_t *first, int32_t *last);

/* The entry as a trip's JSON lists it, with the place. */
struct json_object *stoptime_json(const struct stoptime *st, const char *place);

#endif
