/*
 * Seats on timetabled trips: which trip a rider is offered, walking limits,
 * direction, calendars, free seats per segment, seats kept for pupils, trips
 * past midnight and "arrive by" requests.
 */
#include <string.h>

#include "calendar.h"
#include "check.h"
#include "seats.h"

#define H(h, m) ((h) * 3600 + (m) * 60)

/* Stops A..E along a road running north, 1.5 km apart; X far away. */
static const double base_lat = 30.0, base_lon = 104.0, step = 1500.0 / 111195.0;

static void add_trip(struct seats_net *net, const char *code, const char *line, enum seats_kind kind,
		     const struct calendar *cal, int seats, int roster, int32_t first_dep)
{
	uint32_t stop[] = { 0, 1, 2, 3, 4 };
	int32_t arr[5], dep[5];
	for (int i = 0; i < 5; i++) {
		arr[i] = first_dep + i * 300;
		dep[i] = arr[i] + (i ? 30 : 0);
	}
	struct seats_trip t = { .kind = kind, .cal = cal, .seats = seats, .roster = roster, .n = 5,
				.stop = stop, .arr = arr, .dep = dep };
	strcpy(t.code, code);
	strcpy(t.line, line);
	seats_net_add_trip(net, &t);
}

static struct seats_query query(int from, int to, jt_day day, int32_t time)
{
	struct seats_query q = {
		.olat = base_lat + from * step + 0.0005, /* ~55 m beside the stop */
		.olon = base_lon,
		.dlat = base_lat + to * step - 0.0005,
		.dlon = base_lon,
		.day = day,
		.time = time,
		.when = SEATS_LEAVE_AFTER,
		.riders = 1,
		.walk_max_m = 800,
		.walk_speed_mps = 1.0,
		.horizon_s = 4 * 3600,
	};
	return q;
}

static const char *trip_of(const struct seats_net *net, const struct seats_offer *o)
{
	return seats_net_trip(net, o->trip)->code;
}

int main(void)
{
	jt_day monday = date_from_ymd(2026, 11, 23);
	CHECK_INT("2026-11-23 is a Monday", date_weekday(monday), 1);
	struct calendar daily = { .kind = CAL_WEEKLY, .start = monday - 30, .end = monday + 300,
				  .weekdays = CALENDAR_ALL_DAYS };
	struct calendar weekdays = daily;
	weekdays.weekdays = CALENDAR_MON_FRI;

	struct seats_net *net = seats_net_new();
	const char *codes[] = { "A", "B", "C", "D", "E" };
	for (int i = 0; i < 5; i++)
		seats_net_add_stop(net, codes[i], base_lat + i * step, base_lon);
	seats_net_add_stop(net, "X", base_lat + 0.5, base_lon + 0.5);
	add_trip(net, "T0800", "L1", SEATS_SCHEDULED, &daily, 3, 0, H(8, 0));
	add_trip(net, "T0900", "L1", SEATS_SCHEDULED, &daily, 3, 0, H(9, 0));
	add_trip(net, "W1000", "L2", SEATS_SCHEDULED, &weekdays, 3, 0, H(10, 0));
	add_trip(net, "S0700", "SCH", SEATS_STUDENT, &daily, 10, 8, H(7, 0));
	add_trip(net, "P0600", "PARCEL", SEATS_LOGISTICS, &daily, 20, 0, H(6, 0));
	add_trip(net, "N2350", "L1", SEATS_SCHEDULED, &daily, 3, 0, H(23, 50));
	seats_net_index(net);
	CHECK_INT("stops", (long long)seats_net_stops(net), 6);
	CHECK_INT("trips", (long long)seats_net_trips(net), 6);
	CHECK_INT("find stop", seats_net_find_stop(net, "C"), 2);
	CHECK_INT("unknown stop", seats_net_find_stop(net, "Q"), -1);
	CHECK_INT("find trip", seats_net_find_trip(net, "W1000"), 2);

	struct seats_loads *l = seats_loads_new();
	struct seats_offer o[8];

	/* Leaving after 07:50 from A to C: the 08:00 trip, boarding at A, alighting at C. */
	struct seats_query q = query(0, 2, monday, H(7, 50));
	size_t n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1);
	CHECK_STR("first trip", trip_of(net, &o[0]), "T0800");
	CHECK_INT("board", (long long)o[0].board, 0);
	CHECK_INT("alight", (long long)o[0].alight, 2);
	CHECK_INT("board time", o[0].board_time, H(8, 0));
	CHECK_INT("alight time", o[0].alight_time, H(8, 10));
	CHECK(o[0].walk_m > 80 && o[0].walk_m < 130);
	CHECK_INT("free seats", o[0].free, 3);
	for (size_t i = 1; i < n; i++)
		CHECK(o[i].cost >= o[i - 1].cost);
	/* The logistics run never carries riders, the student run keeps its seats but has 2 spare. */
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(trip_of(net, &o[i]), "P0600") != 0);

	/* The walk to the stop counts: at 07:59:30 the 08:00 bus cannot be reached. */
	q = query(0, 2, monday, H(8, 0) - 30);
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0900") == 0);

	/* Wrong way: no trip runs from C to A. */
	q = query(2, 0, monday, H(7, 0));
	CHECK_INT("wrong way", (long long)seats_find(net, l, &q, o, 8), 0);

	/* Too far to walk: from X nothing. */
	q = query(0, 2, monday, H(7, 50));
	q.olat = base_lat + 0.5;
	q.olon = base_lon + 0.5 + 0.02; /* ~2 km from X */
	CHECK_INT("beyond walking", (long long)seats_find(net, l, &q, o, 8), 0);
	q.walk_max_m = 2500;
	CHECK_INT("X is on no trip", (long long)seats_find(net, l, &q, o, 8), 0);

	/* Full on one segment: three riders A→C fill the 08:00 between A and C... */
	q = query(0, 2, monday, H(7, 50));
	seats_hold(l, "T0800", monday, 5, 0, 2, 3, false);
	CHECK_INT("load", seats_load(l, "T0800", monday, 1), 3);
	CHECK_INT("load after", seats_load(l, "T0800", monday, 2), 0);
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0900") == 0);
	/* ... but C→E on the same bus is free. */
	q = query(2, 4, monday, H(7, 50));
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0800") == 0);
	/* B→D crosses the full segment B–C. */
	q = query(1, 3, monday, H(7, 50));
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0800") != 0);
	/* Two riders do not fit where one seat is left. */
	seats_release(l, "T0800", monday, 0, 2, 1, false);
	q = query(0, 2, monday, H(7, 50));
	q.riders = 2;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0800") != 0);
	q.riders = 1;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0800") == 0 && o[0].free == 1);
	/* Another day's load is another load. */
	CHECK_INT("other day", seats_load(l, "T0800", monday + 1, 0), 0);

	/* Calendars: the weekday trip at 10:00 on Monday, not on Saturday. */
	q = query(0, 2, monday, H(9, 55));
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "W1000") == 0);
	q.day = monday + 5;
	n = seats_find(net, l, &q, o, 8);
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(trip_of(net, &o[i]), "W1000") != 0);

	/* Student run: 10 seats, 8 kept for the roster, so two for anyone else. */
	q = query(0, 2, monday, H(6, 50));
	q.horizon_s = 30 * 60;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n == 1 && strcmp(trip_of(net, &o[0]), "S0700") == 0 && o[0].free == 2);
	seats_hold(l, "S0700", monday, 5, 0, 2, 2, false);
	CHECK_INT("no seat left for a non-pupil", (long long)seats_find(net, l, &q, o, 8), 0);
	q.pupil = true;
	q.pupil_line = "OTHER";
	CHECK_INT("a pupil of another school is no pupil here", (long long)seats_find(net, l, &q, o, 8), 0);
	q.pupil_line = "SCH";
	n = seats_find(net, l, &q, o, 8);
	CHECK(n == 1 && o[0].free == 8);
	/* Pupils taking their seats leave the two spare seats as they were. */
	seats_release(l, "S0700", monday, 0, 2, 2, false);
	seats_hold(l, "S0700", monday, 5, 0, 2, 8, true);
	CHECK_INT("pupils counted", seats_pupils(l, "S0700", monday, 0), 8);
	q.pupil = false;
	q.pupil_line = NULL;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n == 1 && o[0].free == 2);

	/* Past midnight: the 23:50 of Monday leaves D at 24:05:30, i.e. Tuesday 00:05:30. */
	q = query(3, 4, monday + 1, 60);
	q.horizon_s = 3600;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n == 1 && strcmp(trip_of(net, &o[0]), "N2350") == 0 && o[0].day == monday);
	CHECK_INT("board at D", (long long)o[0].board, 3);
	CHECK_INT("times of its own service day", o[0].board_time, H(24, 5) + 30);

	/* Arrive by 09:15 at C: the 09:00 (at C 09:10) rather than the 08:00. */
	q = query(0, 2, monday, H(9, 15));
	q.when = SEATS_ARRIVE_BY;
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 2 && strcmp(trip_of(net, &o[0]), "T0900") == 0);
	/* By 09:10 the walk from C makes the 09:00 too late. */
	q.time = H(9, 10);
	n = seats_find(net, l, &q, o, 8);
	CHECK(n >= 1 && strcmp(trip_of(net, &o[0]), "T0900") != 0);

	/* Hostile queries. */
	q = query(0, 2, monday, H(7, 50));
	q.riders = 0;
	CHECK_INT("no riders", (long long)seats_find(net, l, &q, o, 8), 0);
	q.riders = 1;
	q.walk_max_m = 0.0 / 0.0;
	CHECK_INT("NaN walk", (long long)seats_find(net, l, &q, o, 8), 0);

	/* Housekeeping forgets past days. */
	seats_loads_forget_before(l, monday + 1);
	CHECK_INT("forgotten", seats_load(l, "T0800", monday, 0), 0);
	CHECK_INT("kind", seats_kind_parse("market_day"), SEATS_MARKET_DAY);
	CHECK_INT("bad kind", seats_kind_parse("ferry"), -1);

	seats_loads_free(l);
	seats_net_free(net);
	return check_done("test_seats");
}
