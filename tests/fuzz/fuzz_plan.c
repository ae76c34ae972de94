/*
 * fuzz_plan.c — any bytes as a day of bookings for three vehicles: each
 * group of bytes is one operation (book a ride or a parcel, cancel, start
 * the next stop, serve it, a no-show, improve), with places, windows, seats,
 * cargo and limits taken from the bytes, hostile values included (NaN,
 * infinities, windows backwards). After every operation:
 *   - every vehicle's plan passes plan_check (every promise holds);
 *   - every request booked and not cancelled, served or dropped is in
 *     exactly one plan, and nothing else is;
 *   - a refused request changed no plan; improvement never raises the total
 *     cost and never moves a started stop;
 *   - requests that fail plan_request_check are never planned.
 */
#include "fuzz.h"

#include <math.h>

#include "plan.h"

#define NV 3
#define NREQ 64

struct bytes {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct bytes *b)
{
	if (b->n == 0)
		return 0;
	b->n--;
	return *b->p++;
}

/* A number from a byte: mostly small values on a 0..40 grid, sometimes a
 * hostile one. */
static double num(struct bytes *b)
{
	unsigned v = take(b);
	switch (v) {
	case 250: return NAN;
	case 251: return INFINITY;
	case 252: return -INFINITY;
	case 253: return -5;
	case 254: return 1e300;
	default: return (double)(v % 41);
	}
}

static int planned_count(struct plan_vehicle *v, int id)
{
	int c = 0;
	for (int k = 0; k < NV; k++)
		for (int s = 0; s < v[k].n; s++)
			c += v[k].stops[s].request == id;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = {data, size};
	struct plan_settings set;
	plan_settings_default(&set);
	set.ride_beta = 10;
	set.ride_max_detour = 20;
	struct plan_travel t;
	plan_travel_euclid(&t);
	struct plan_vehicle v[NV], *vp[NV];
	for (int k = 0; k < NV; k++) {
		plan_vehicle_init(&v[k], k, (struct plan_loc){10.0 * k, 0}, 0,
				  (struct plan_loc){10.0 * k, 0}, 300, 2 + k, 40);
		plan_refresh(&v[k], &t);
		vp[k] = &v[k];
	}
	/* What each request should be: 0 never booked or gone, 1 planned. */
	char state[NREQ] = {0};
	int next_id = 0;
	char err[256];
	for (int op = 0; b.n > 0 && op < 64; op++) {
		unsigned code = take(&b) % 7;
		if (code <= 1 && next_id < NREQ) {
			struct plan_request r = {.id = next_id++};
			r.pick = (struct plan_loc){num(&b), num(&b)};
			r.drop = (struct plan_loc){num(&b), num(&b)};
			r.pick_earliest = num(&b) * 3;
			r.pick_latest = r.pick_earliest + num(&b) * 2;
			r.drop_earliest = 0;
			r.drop_latest = r.pick_latest + num(&b) * 3;
			r.pick_service = num(&b) / 10;
			r.drop_service = num(&b) / 10;
			r.parcel = code == 1;
			r.seats = r.parcel ? 0 : 1 + (int)(take(&b) % 3);
			r.cargo = r.parcel ? num(&b) : 0;
			r.max_ride = take(&b) % 2 ? NAN : num(&b);
			if (take(&b) == 255)
				r.pick_earliest = num(&b); /* maybe after latest now */
			double before = plan_total_cost(vp, NV);
			struct plan_insertion ins;
			bool valid = plan_request_check(&r, err, sizeof err) == 0;
			FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err));
			if (!valid)
				continue;
			if (plan_insert_cheapest(&set, &t, vp, NV, &r, &ins) == 0) {
				state[r.id] = 1;
				FUZZ_ASSERT(ins.added_cost > -1e-6 || isnan(before));
			} else {
				FUZZ_ASSERT(fabs(plan_total_cost(vp, NV) - before) < 1e-9);
			}
		} else if (code == 2 && next_id > 0) {
			int id = (int)(take(&b) % (unsigned)next_id);
			for (int k = 0; k < NV; k++) {
				enum plan_remove_result rr = plan_remove(&t, &v[k], id, NULL);
				if (rr == PLAN_REMOVED)
					state[id] = 0;
			}
		} else if (code == 3) {
			struct plan_vehicle *x = &v[take(&b) % NV];
			plan_start_next(x, 1);
		} else if (code == 4) {
			struct plan_vehicle *x = &v[take(&b) % NV];
			if (x->n > 0 && x->started > 0) {
				int id = x->stops[0].request;
				bool last = x->stops[0].kind == PLAN_DROPOFF;
				double left = x->stops[0].begin + x->stops[0].service;
				FUZZ_ASSERT(plan_stop_done(&t, x, left) == 0);
				if (last)
					state[id] = 0;
			}
		} else if (code == 5) {
			struct plan_vehicle *x = &v[take(&b) % NV];
			if (x->n > 0 && x->started > 0 && x->stops[0].kind == PLAN_PICKUP) {
				int id = x->stops[0].request;
				FUZZ_ASSERT(plan_no_show(&t, x, id) == 0);
				state[id] = 0;
			}
		} else if (code == 6) {
			int started_req[NV][8], started_n[NV];
			for (int k = 0; k < NV; k++) {
				started_n[k] = v[k].started < 8 ? v[k].started : 8;
				for (int s = 0; s < started_n[k]; s++)
					started_req[k][s] = v[k].stops[s].request;
			}
			struct plan_improve_opts o = {.iterations = 1 + take(&b) % 8, .seed = take(&b)};
			struct plan_improve_stats st;
			plan_improve(&set, &t, vp, NV, &o, &st);
			FUZZ_ASSERT(st.cost_after <= st.cost_before + 1e-6);
			for (int k = 0; k < NV; k++)
				for (int s = 0; s < started_n[k]; s++)
					FUZZ_ASSERT(v[k].stops[s].request == started_req[k][s]);
		}
		for (int k = 0; k < NV; k++) {
			if (v[k].feasible && plan_check(&v[k], &t, err, sizeof err) != 0) {
				fprintf(stderr, "operation %d: %s\n", op, err);
				FUZZ_ASSERT(0);
			}
			FUZZ_ASSERT(v[k].feasible);
		}
		for (int id = 0; id < next_id; id++) {
			int c = planned_count(v, id);
			/* A rider on board has only the drop-off left. */
			FUZZ_ASSERT(state[id] ? (c == 1 || c == 2) : c == 0);
		}
	}
	for (int k = 0; k < NV; k++)
		plan_vehicle_free(&v[k]);
	return 0;
}
