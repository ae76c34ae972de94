/*
 * fuzz_darp.c — any bytes as a dial-a-ride instance file for jintong-solve.
 * Besides not crashing: a refusal names a line that exists and a printable
 * reason; an accepted instance has 2n+2 finite nodes, windows in order,
 * loads that balance within the capacity, and requests the plan core
 * accepts; for small ones every request is inserted where it fits and
 * every resulting plan passes the core's own check.
 */
#include "fuzz.h"

#include <math.h>

#include "darp.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct darp_instance in;
	unsigned long line = 99;
	char err[256];
	memset(err, 0x5a, sizeof err);
	if (darp_parse((const char *)data, size, &in, &line, err, sizeof err) != 0) {
		unsigned long lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
		FUZZ_ASSERT(line <= lines);
		return 0;
	}
	int n = in.requests;
	FUZZ_ASSERT(n >= 1 && n <= DARP_REQUESTS_MAX);
	FUZZ_ASSERT(in.vehicles >= 1 && in.capacity >= 1 && in.max_ride > 0 && in.max_duration > 0);
	for (int k = 0; k <= 2 * n + 1; k++) {
		const struct darp_node *d = &in.node[k];
		FUZZ_ASSERT(isfinite(d->x) && isfinite(d->y) && isfinite(d->service));
		FUZZ_ASSERT(d->earliest >= 0 && d->earliest <= d->latest && isfinite(d->latest));
		if (k >= 1 && k <= n)
			FUZZ_ASSERT(d->load >= 1 && d->load <= in.capacity &&
				    in.node[k + n].load == -d->load);
	}
	FUZZ_ASSERT(in.node[0].load == 0 && in.node[2 * n + 1].load == 0);

	struct plan_settings s;
	plan_settings_default(&s);
	struct plan_travel t;
	plan_travel_euclid(&t);
	for (int i = 1; i <= n; i++) {
		struct plan_request r;
		darp_request(&in, i, &r);
		FUZZ_ASSERT(plan_request_check(&r, err, sizeof err) == 0);
	}
	if (n <= 12 && in.vehicles <= 4) {
		struct plan_vehicle v[4];
		struct plan_vehicle *vp[4];
		for (int k = 0; k < in.vehicles; k++) {
			darp_vehicle(&in, k, &v[k]);
			plan_refresh(&v[k], &t);
			vp[k] = &v[k];
		}
		for (int i = 1; i <= n; i++) {
			struct plan_request r;
			struct plan_insertion ins;
			darp_request(&in, i, &r);
			(void)plan_insert_cheapest(&s, &t, vp, (size_t)in.vehicles, &r, &ins);
		}
		for (int k = 0; k < in.vehicles; k++) {
			if (v[k].feasible)
				FUZZ_ASSERT(plan_check(&v[k], &t, err, sizeof err) == 0);
			plan_vehicle_free(&v[k]);
		}
	}
	darp_free(&in);
	return 0;
}
