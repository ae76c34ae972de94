/*
 * The demand-responsive fleet: a ride goes to a vehicle on duty that day,
 * near it; seats, the shift's end and earlier riders' promises are kept;
 * released places are free again; a restart rebuilds plans from promises.
 */
#include <string.h>

#include "check.h"
#include "demand.h"

#define H(h, m) ((h) * 3600.0 + (m) * 60.0)

static double midnight(void *ctx, jt_day day)
{
	(void)ctx;
	return (double)day * 86400.0;
}

static struct demand *fleet(const struct calendar *cal, int seats)
{
	struct demand_opts o = { .speed_kmh = 36, .winding = 1.3, .window_s = 1200, .service_s = 60,
				 .midnight = midnight };
	plan_settings_default(&o.plan);
	struct demand *dm = demand_new(&o);
	struct demand_shift s[2] = {
		{ .code = "S-EAST", .vehicle = "VAN-1", .depot = "D1", .cal = cal, .depot_lat = 30.0,
		  .depot_lon = 104.5, .start_s = 7 * 3600, .end_s = 18 * 3600, .seats = seats, .cargo_l = 300 },
		{ .code = "S-FAR", .vehicle = "VAN-2", .depot = "D2", .cal = cal, .depot_lat = 31.0,
		  .depot_lon = 105.5, .start_s = 7 * 3600, .end_s = 18 * 3600, .seats = seats, .cargo_l = 300 },
	};
	demand_set_shifts(dm, s, 2);
	return dm;
}

static struct demand_ask ask(jt_day day, double t, double olat, double dlat)
{
	struct demand_ask a = { .olat = olat, .olon = 104.5, .dlat = dlat, .dlon = 104.5, .day = day,
				.time = day * 86400.0 + t, .riders = 1 };
	return a;
}

int main(void)
{
	jt_day monday = date_from_ymd(2026, 11, 23);
	struct calendar weekdays = { .kind = CAL_WEEKLY, .start = monday - 7, .end = monday + 60,
				     .weekdays = CALENDAR_MON_FRI };
	struct demand *dm = fleet(&weekdays, 4);
	CHECK_INT("shifts", (long long)demand_shift_count(dm), 2);
	char err[200];
	struct demand_place p, q;
	double now = monday * 86400.0 + H(6, 0);

	/* 08:00 from 1 km north of the depot to 5 km north: the east van, within its window. */
	struct demand_ask a = ask(monday, H(8, 0), 30.01, 30.05);
	CHECK(demand_book(dm, &a, now, &p, err, sizeof err) == 0);
	CHECK_STR("near vehicle", p.vehicle, "VAN-1");
	CHECK_STR("shift", p.shift, "S-EAST");
	CHECK(p.pick_from == a.time && p.pick_to == a.time + 1200);
	CHECK(p.pick_at >= p.pick_from - 1e-6 && p.pick_at <= p.pick_to + 1e-6);
	CHECK(p.drop_at > p.pick_at && p.drop_at <= p.drop_by + 1e-6);
	const struct plan_vehicle *v = demand_plan(dm, "S-EAST", monday);
	CHECK(v && v->n == 2);

	/* Three more riders fit in the 4 seats; a group of two at the same time does not. */
	struct demand_ask g = a;
	g.riders = 3;
	CHECK(demand_book(dm, &g, now, &q, err, sizeof err) == 0 && strcmp(q.vehicle, "VAN-1") == 0);
	g.riders = 2;
	CHECK_MSG("full van", demand_book(dm, &g, now, &q, err, sizeof err) == -1);
	CHECK(strstr(err, "in time") != NULL);

	/* The shift ends at 18:00 back at the depot: a ride at 17:50 going 30 km out cannot be taken. */
	struct demand_ask late = ask(monday, H(17, 50), 30.01, 30.3);
	CHECK_MSG("shift end", demand_book(dm, &late, now, &q, err, sizeof err) == -1);
	/* No duty on Saturday. */
	struct demand_ask sat = ask(monday + 5, H(9, 0), 30.01, 30.05);
	CHECK_MSG("weekend", demand_book(dm, &sat, now, &q, err, sizeof err) == -1 && strstr(err, "that day"));
	/* Far away, the far van. */
	struct demand_ask far = ask(monday, H(10, 0), 31.01, 31.03);
	far.olon = far.dlon = 105.5;
	CHECK(demand_book(dm, &far, now, &q, err, sizeof err) == 0 && strcmp(q.vehicle, "VAN-2") == 0);
	/* Before the shift starts, nobody is picked up. */
	struct demand_ask past = ask(monday, H(5, 0), 30.01, 30.02);
	CHECK_MSG("before the shift", demand_book(dm, &past, now, &q, err, sizeof err) == -1);
	/* A time already past is moved to now. */
	double later = monday * 86400.0 + H(7, 30);
	CHECK(demand_book(dm, &past, later, &q, err, sizeof err) == 0 && q.pick_from == later);
	CHECK(demand_release(dm, &q) == 0);
	CHECK_MSG("released twice", demand_release(dm, &q) == -1);

	/* Arrive by 12:00 at the clinic 5 km away: picked up in time to make it. */
	struct demand_ask by = ask(monday, H(12, 0), 30.02, 30.06);
	by.arrive_by = true;
	CHECK(demand_book(dm, &by, now, &q, err, sizeof err) == 0 && q.drop_at <= by.time + 1e-6 &&
	      q.pick_at < q.drop_at);

	/* Many riders later in the day: every promise given is still kept at the end. */
	struct demand_place many[40];
	struct demand_ask asks[40];
	int booked = 0;
	for (int i = 0; i < 40; i++) {
		asks[i] = ask(monday, H(9, 0) + i * 300, 30.0 + (i % 7) * 0.01, 30.0 + ((i * 3) % 11) * 0.01 + 0.005);
		if (demand_book(dm, &asks[i], now, &many[booked], err, sizeof err) == 0)
			booked++;
	}
	CHECK(booked >= 10);
	v = demand_plan(dm, "S-EAST", monday);
	for (int i = 0; i < booked; i++) {
		int pi = plan_find(v, many[i].plan_id, PLAN_PICKUP), di = plan_find(v, many[i].plan_id, PLAN_DROPOFF);
		CHECK(pi >= 0 && di > pi);
		if (pi >= 0 && di > pi) {
			CHECK(v->stops[pi].begin >= many[i].pick_from - 1e-6 && v->stops[pi].begin <= many[i].pick_to + 1e-6);
			CHECK(v->stops[di].begin <= many[i].drop_by + 1e-6);
		}
	}
	double saved = demand_improve(dm, monday, 200, 7, NULL, NULL);
	CHECK(saved >= 0);
	v = demand_plan(dm, "S-EAST", monday);
	for (int i = 0; i < booked; i++) {
		int pi = plan_find(v, many[i].plan_id, PLAN_PICKUP);
		int di = plan_find(v, many[i].plan_id, PLAN_DROPOFF);
		/* the far van is too far to take any of them */
		CHECK(pi >= 0 && di > pi && v->stops[pi].begin <= many[i].pick_to + 1e-6 &&
		      v->stops[di].begin <= many[i].drop_by + 1e-6);
	}

	/* Served in order: the pickup, then the drop-off, leave the plan. */
	struct demand *one = fleet(&weekdays, 4);
	struct demand_place x, y;
	struct demand_ask ax = ask(monday + 1, H(8, 0), 30.01, 30.05);
	CHECK(demand_book(one, &ax, now, &x, err, sizeof err) == 0);
	struct demand_ask ay = ask(monday + 1, H(9, 30), 30.02, 30.04);
	CHECK(demand_book(one, &ay, now, &y, err, sizeof err) == 0);
	v = demand_plan(one, x.shift, monday + 1);
	CHECK(v->n == 4 && plan_find(v, x.plan_id, PLAN_PICKUP) == 0);
	CHECK_MSG("y's drop-off is not next", demand_served(one, &y, false, x.pick_at + 10) == 0);
	CHECK(v->n == 2 && plan_find(v, y.plan_id, PLAN_PICKUP) < 0);
	CHECK_MSG("pickup served", demand_served(one, &x, true, x.pick_at + 30) == 0);
	CHECK(v->n == 1 && v->load_seats == 1 && v->stops[0].kind == PLAN_DROPOFF);
	CHECK_MSG("drop-off served", demand_served(one, &x, false, x.drop_at + 30) == 0);
	CHECK(v->n == 0 && v->load_seats == 0);
	CHECK_MSG("gone from the plans", demand_release(one, &x) == -1);
	/* A no-show frees the place (the van has moved on: a later ride). */
	ax.time += H(3, 0);
	CHECK(demand_book(one, &ax, now, &x, err, sizeof err) == 0 && v->n == 2);
	CHECK(demand_no_show(one, &x) == 0 && v->n == 0);
	CHECK_MSG("no-show twice", demand_no_show(one, &x) == -1);
	demand_free(one);

	/* A wheelchair: only a step-free van will do. */
	struct demand_ask wc = ask(monday + 2, H(9, 0), 30.01, 30.05);
	wc.wheelchair = true;
	CHECK_MSG("no step-free van", demand_book(dm, &wc, now, &q, err, sizeof err) == -1 && strstr(err, "step-free"));
	struct demand_opts no = { .speed_kmh = 36, .winding = 1.3, .window_s = 1200, .service_s = 60, .midnight = midnight };
	plan_settings_default(&no.plan);
	struct demand *ramp = demand_new(&no);
	struct demand_shift rs[2] = {
		{ .code = "S-PLAIN", .vehicle = "VAN-P", .cal = &weekdays, .depot_lat = 30.0, .depot_lon = 104.5,
		  .start_s = 7 * 3600, .end_s = 18 * 3600, .seats = 8 },
		{ .code = "S-RAMP", .vehicle = "VAN-R", .cal = &weekdays, .depot_lat = 30.3, .depot_lon = 104.5,
		  .start_s = 7 * 3600, .end_s = 18 * 3600, .seats = 4, .step_free = true },
	};
	demand_set_shifts(ramp, rs, 2);
	CHECK(demand_book(ramp, &wc, now, &q, err, sizeof err) == 0 && strcmp(q.vehicle, "VAN-R") == 0);
	/* Without a wheelchair, south of the plain van's depot: the plain van. */
	struct demand_ask south = ask(monday + 2, H(15, 0), 29.99, 29.97);
	CHECK(demand_book(ramp, &south, now, &q, err, sizeof err) == 0 && strcmp(q.vehicle, "VAN-P") == 0);
	/* The same with a wheelchair: the ramp van, however far. */
	south.wheelchair = true;
	south.time += 600;
	CHECK(demand_book(ramp, &south, now, &q, err, sizeof err) == 0 && strcmp(q.vehicle, "VAN-R") == 0);
	/* A night shift from 20:00 to 04:00 carries a ride at 02:00 of the next day. */
	struct demand_shift night = { .code = "S-NIGHT", .vehicle = "VAN-N", .cal = &weekdays, .depot_lat = 30.0,
				      .depot_lon = 104.5, .start_s = 20 * 3600, .end_s = 28 * 3600, .seats = 4 };
	demand_set_shifts(ramp, &night, 1);
	struct demand_ask late_night = ask(monday + 2, H(2, 0), 30.01, 30.03);
	CHECK(demand_book(ramp, &late_night, now, &q, err, sizeof err) == 0 && strcmp(q.shift, "S-NIGHT") == 0 &&
	      q.day == monday + 1);
	demand_free(ramp);

	/* A restarted daemon rebuilds the same plan from the promises. */
	struct demand *again = fleet(&weekdays, 4);
	struct demand_place r = p;
	CHECK(demand_restore(again, &a, &r) == 0 && strcmp(r.vehicle, "VAN-1") == 0);
	CHECK(r.pick_at >= p.pick_from - 1e-6 && r.pick_at <= p.pick_to + 1e-6);
	struct demand_place gone = p;
	strcpy(gone.shift, "S-GONE");
	CHECK_MSG("shift gone", demand_restore(again, &a, &gone) == -1);
	demand_forget_before(again, monday + 1);
	CHECK(demand_plan(again, "S-EAST", monday) == NULL);
	demand_free(again);
	demand_free(dm);
	return check_done("test_demand");
}
