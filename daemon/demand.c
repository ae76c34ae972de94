/*
 * demand.c — the demand-responsive fleet; see demand.h.
 *
 * Plans are grouped by service day: a day's vehicles share a spatial index,
 * and a ride is only ever compared with vehicles on duty that day. Which
 * vehicle holds which ride is kept in a map from the ride's plan id, so a
 * cancellation finds its plan at once.
 */
#include "demand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

#define CANDIDATES_WANT 8
#define CANDIDATES_MAX 64
#define CANDIDATE_RINGS 4
#define GRID_CELL_DEG 0.05  /* about 5 km */
#define GRID_MARGIN_DEG 1.0

struct dvehicle {
	struct plan_vehicle v;
	char shift[DEMAND_CODE_MAX + 1];
	char vehicle[DEMAND_CODE_MAX + 1];
	jt_day day;
	bool step_free;
};

struct dayfleet {
	jt_day day;
	uint64_t synced;          /* shift generation the day was built from */
	struct plan_grid *grid;
	struct dvehicle **v;
	size_t n, cap;
};

struct demand {
	struct demand_opts o;
	struct plan_geo geo;
	struct plan_travel travel;
	struct demand_shift *shifts;
	size_t nshifts;
	uint64_t gen;
	bool night;             /* some shift runs past midnight */
	struct strmap *days;    /* "day" -> struct dayfleet */
	struct strmap *holder;  /* "plan id" -> struct dvehicle */
	int next_plan_id, next_vehicle_id;
};

struct demand *demand_new(const struct demand_opts *o)
{
	struct demand *dm = xcalloc(1, sizeof *dm);
	dm->o = *o;
	dm->geo.speed_mps = o->speed_kmh / 3.6;
	dm->geo.winding = o->winding;
	plan_travel_geo(&dm->travel, &dm->geo);
	dm->days = strmap_new();
	dm->holder = strmap_new();
	dm->gen = 1;
	return dm;
}

static void dayfleet_free(void *p)
{
	struct dayfleet *f = p;
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		plan_vehicle_free(&f->v[i]->v);
		free(f->v[i]);
	}
	free(f->v);
	plan_grid_free(f->grid);
	free(f);
}

void demand_free(struct demand *dm)
{
	if (!dm)
		return;
	strmap_free_all(dm->days, dayfleet_free);
	strmap_free(dm->holder);
	free(dm->shifts);
	free(dm);
}

void demand_set_shifts(struct demand *dm, const struct demand_shift *s, size_t n)
{
	free(dm->shifts);
	dm->shifts = xmalloc((n ? n : 1) * sizeof *dm->shifts);
	if (n)
		memcpy(dm->shifts, s, n * sizeof *s);
	dm->nshifts = n;
	dm->night = false;
	for (size_t i = 0; i < n; i++)
		dm->night |= s[i].end_s > 86400;
	dm->gen++;
}

size_t demand_shift_count(const struct demand *dm)
{
	return dm->nshifts;
}

static void day_key(char *buf, size_t len, jt_day day)
{
	snprintf(buf, len, "%d", (int)day);
}

static struct dvehicle *find_vehicle(const struct dayfleet *f, const char *shift)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->shift, shift) == 0)
			return f->v[i];
	return NULL;
}

/* The day's fleet, with a plan for every shift on duty that day. */
static struct dayfleet *day_fleet(struct demand *dm, jt_day day)
{
	char key[16];
	day_key(key, sizeof key, day);
	struct dayfleet *f = strmap_get(dm->days, key);
	if (f && f->synced == dm->gen)
		return f;
	if (!f) {
		f = xcalloc(1, sizeof *f);
		f->day = day;
		double lo_x = 180, lo_y = 90, hi_x = -180, hi_y = -90;
		for (size_t i = 0; i < dm->nshifts; i++) {
			lo_x = fmin(lo_x, dm->shifts[i].depot_lon);
			hi_x = fmax(hi_x, dm->shifts[i].depot_lon);
			lo_y = fmin(lo_y, dm->shifts[i].depot_lat);
			hi_y = fmax(hi_y, dm->shifts[i].depot_lat);
		}
		if (lo_x > hi_x)
			lo_x = hi_x = lo_y = hi_y = 0;
		f->grid = plan_grid_new(lo_x - GRID_MARGIN_DEG, lo_y - GRID_MARGIN_DEG, hi_x + GRID_MARGIN_DEG,
					hi_y + GRID_MARGIN_DEG, GRID_CELL_DEG);
		strmap_put(dm->days, key, f);
	}
	double midnight = dm->o.midnight(dm->o.midnight_ctx, day);
	for (size_t i = 0; i < dm->nshifts; i++) {
		const struct demand_shift *s = &dm->shifts[i];
		if (!s->cal || !calendar_runs_on(s->cal, day) || find_vehicle(f, s->code))
			continue;
		struct dvehicle *dv = xcalloc(1, sizeof *dv);
		strlcpy_jt(dv->shift, s->code, sizeof dv->shift);
		strlcpy_jt(dv->vehicle, s->vehicle, sizeof dv->vehicle);
		dv->day = day;
		dv->step_free = s->step_free;
		struct plan_loc depot = { s->depot_lon, s->depot_lat };
		plan_vehicle_init(&dv->v, dm->next_vehicle_id++, depot, midnight + s->start_s, depot,
				  midnight + s->end_s, s->seats, s->cargo_l);
		f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof *f->v);
		f->v[f->n++] = dv;
		plan_grid_update(f->grid, &dv->v);
	}
	f->synced = dm->gen;
	return f;
}

static struct dvehicle *holder_of(const struct demand *dm, int plan_id)
{
	char key[16];
	snprintf(key, sizeof key, "%d", plan_id);
	return strmap_get(dm->holder, key);
}

static void set_holder(struct demand *dm, int plan_id, struct dvehicle *dv)
{
	char key[16];
	snprintf(key, sizeof key, "%d", plan_id);
	if (dv)
		strmap_put(dm->holder, key, dv);
	else
		strmap_del(dm->holder, key);
}

static void fill_place(const struct dvehicle *dv, const struct plan_request *r, struct demand_place *p)
{
	p->plan_id = r->id;
	strlcpy_jt(p->shift, dv->shift, sizeof p->shift);
	strlcpy_jt(p->vehicle, dv->vehicle, sizeof p->vehicle);
	p->day = dv->day;
	p->pick_from = r->pick_earliest;
	p->pick_to = r->pick_latest;
	p->drop_by = r->drop_latest;
	int pi = plan_find(&dv->v, r->id, PLAN_PICKUP), di = plan_find(&dv->v, r->id, PLAN_DROPOFF);
	p->pick_at = pi >= 0 ? dv->v.stops[pi].begin : NAN;
	p->drop_at = di >= 0 ? dv->v.stops[di].begin : NAN;
}

static void base_request(const struct demand *dm, const struct demand_ask *a, struct plan_request *r)
{
	memset(r, 0, sizeof *r);
	r->pick = (struct plan_loc){ a->olon, a->olat };
	r->drop = (struct plan_loc){ a->dlon, a->dlat };
	r->pick_service = r->drop_service = dm->o.service_s;
	r->seats = a->parcel ? 0 : a->riders;
	r->cargo = a->cargo_l;
	r->max_ride = NAN;
	r->parcel = a->parcel;
}

int demand_book(struct demand *dm, const struct demand_ask *a, double now, struct demand_place *out,
		char *err, size_t errlen)
{
	if (dm->nshifts == 0) {
		snprintf(err, errlen, "no vehicle is on booking duty");
		return -1;
	}
	struct dayfleet *f = day_fleet(dm, a->day);
	if (f->n == 0 && !dm->night) {
		snprintf(err, errlen, "no vehicle is on booking duty that day");
		return -1;
	}
	struct plan_request r;
	base_request(dm, a, &r);
	r.id = dm->next_plan_id;
	double direct = dm->travel.time(dm->travel.ctx, &r.pick, &r.drop);
	double limit = plan_ride_limit(&dm->o.plan, &dm->travel, &r);
	if (!a->arrive_by) {
		r.pick_earliest = fmax(a->time, now);
		r.pick_latest = r.pick_earliest + dm->o.window_s;
		r.drop_earliest = r.pick_earliest;
		r.drop_latest = isfinite(limit) ? r.pick_latest + r.pick_service + limit
						: r.pick_latest + r.pick_service + direct + 4 * dm->o.window_s;
	} else {
		r.drop_latest = a->time;
		r.drop_earliest = a->time - dm->o.window_s;
		r.pick_latest = a->time - direct - r.pick_service;
		r.pick_earliest = fmax(now, r.drop_earliest - (isfinite(limit) ? limit : direct + dm->o.window_s) -
						    r.pick_service);
		if (r.pick_latest < r.pick_earliest) {
			snprintf(err, errlen, "there is not enough time left to get there by then");
			return -1;
		}
	}
	if (plan_request_check(&r, err, errlen) != 0)
		return -1;
	struct plan_vehicle *cand[2 * CANDIDATES_MAX];
	size_t want = a->wheelchair ? CANDIDATES_MAX : CANDIDATES_WANT;
	int rings = a->wheelchair ? 4 * CANDIDATE_RINGS : CANDIDATE_RINGS;
	size_t n = plan_candidates(f->grid, &r, want, rings, cand, CANDIDATES_MAX);
	/* Night shifts of the day before, still on duty at the asked time. */
	if (dm->night) {
		struct dayfleet *prev = day_fleet(dm, a->day - 1);
		size_t base = n, m = plan_candidates(prev->grid, &r, want, rings, cand + base, CANDIDATES_MAX);
		for (size_t i = 0; i < m; i++)
			if (cand[base + i]->shift_end > r.pick_earliest)
				cand[n++] = cand[base + i];
	}
	if (a->wheelchair) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (((struct dvehicle *)cand[i])->step_free)
				cand[k++] = cand[i];
		if (k == 0) {
			snprintf(err, errlen, "no step-free vehicle on duty is near enough");
			return -1;
		}
		n = k;
	}
	struct plan_insertion ins;
	if (n == 0 || plan_insert_cheapest(&dm->o.plan, &dm->travel, cand, n, &r, &ins) != 0) {
		snprintf(err, errlen, "no vehicle on duty can pick the rider up in time and keep its other riders' "
				      "times");
		return -1;
	}
	struct dvehicle *dv = (struct dvehicle *)ins.vehicle; /* plan_vehicle is the first member */
	dm->next_plan_id++;
	set_holder(dm, r.id, dv);
	fill_place(dv, &r, out);
	out->added_cost_m = ins.added_cost;
	return 0;
}

int demand_restore(struct demand *dm, const struct demand_ask *a, struct demand_place *p)
{
	struct dayfleet *f = day_fleet(dm, p->day);
	struct dvehicle *dv = find_vehicle(f, p->shift);
	if (!dv)
		return -1;
	if (a->wheelchair && !dv->step_free)
		return -1;
	struct plan_request r;
	base_request(dm, a, &r);
	r.id = dm->next_plan_id;
	r.pick_earliest = p->pick_from;
	r.pick_latest = p->pick_to;
	r.drop_earliest = p->pick_from;
	r.drop_latest = p->drop_by;
	char err[160];
	struct plan_vehicle *cand[] = { &dv->v };
	struct plan_insertion ins;
	if (plan_request_check(&r, err, sizeof err) != 0 ||
	    plan_insert_cheapest(&dm->o.plan, &dm->travel, cand, 1, &r, &ins) != 0)
		return -1;
	dm->next_plan_id++;
	set_holder(dm, r.id, dv);
	fill_place(dv, &r, p);
	return 0;
}

int demand_release(struct demand *dm, const struct demand_place *p)
{
	struct dvehicle *dv = holder_of(dm, p->plan_id);
	if (!dv || plan_remove(&dm->travel, &dv->v, p->plan_id, NULL) != PLAN_REMOVED)
		return -1;
	set_holder(dm, p->plan_id, NULL);
	return 0;
}

int demand_served(struct demand *dm, const struct demand_place *p, bool pickup, double at)
{
	struct dvehicle *dv = holder_of(dm, p->plan_id);
	if (!dv)
		return -1;
	struct plan_vehicle *v = &dv->v;
	int k = plan_find(v, p->plan_id, pickup ? PLAN_PICKUP : PLAN_DROPOFF);
	if (k == 0) {
		if (v->started < 1)
			plan_start_next(v, 1);
		if (plan_stop_done(&dm->travel, v, at) != 0)
			return -1;
	} else if (!pickup) {
		/* served out of order: whatever is left of the ride goes */
		int i;
		while ((i = plan_find(v, p->plan_id, PLAN_PICKUP)) >= 0 ||
		       (i = plan_find(v, p->plan_id, PLAN_DROPOFF)) >= 0) {
			if (i < v->started)
				v->started--;
			if (plan_remove(&dm->travel, v, p->plan_id, NULL) != PLAN_REMOVED)
				break;
		}
	} else {
		return -1;
	}
	if (!pickup)
		set_holder(dm, p->plan_id, NULL);
	return 0;
}

int demand_no_show(struct demand *dm, const struct demand_place *p)
{
	struct dvehicle *dv = holder_of(dm, p->plan_id);
	if (!dv)
		return -1;
	struct plan_vehicle *v = &dv->v;
	int k = plan_find(v, p->plan_id, PLAN_PICKUP);
	int rc;
	if (k == 0) {
		if (v->started < 1)
			plan_start_next(v, 1);
		rc = plan_no_show(&dm->travel, v, p->plan_id);
	} else {
		rc = plan_remove(&dm->travel, v, p->plan_id, NULL) == PLAN_REMOVED ? 0 : -1;
	}
	if (rc == 0) {
		set_holder(dm, p->plan_id, NULL);
	}
	return rc;
}

double demand_improve(struct demand *dm, jt_day day, long iterations, uint64_t seed,
		      void (*moved)(void *ctx, int plan_id, const char *shift, const char *vehicle), void *ctx)
{
	char key[16];
	day_key(key, sizeof key, day);
	struct dayfleet *f = strmap_get(dm->days, key);
	if (!f || f->n < 1)
		return 0;
	struct plan_vehicle **v = xmalloc(f->n * sizeof *v);
	for (size_t i = 0; i < f->n; i++)
		v[i] = &f->v[i]->v;
	struct plan_improve_opts o = { .iterations = iterations, .seed = seed };
	struct plan_improve_stats st;
	plan_improve(&dm->o.plan, &dm->travel, v, f->n, &o, &st);
	free(v);
	/* Who holds what now. */
	for (size_t i = 0; i < f->n; i++) {
		struct dvehicle *dv = f->v[i];
		for (int k = 0; k < dv->v.n; k++) {
			const struct plan_stop *s = &dv->v.stops[k];
			if (s->kind != PLAN_PICKUP && s->mate >= 0)
				continue;
			if (holder_of(dm, s->request) != dv) {
				set_holder(dm, s->request, dv);
				if (moved)
					moved(ctx, s->request, dv->shift, dv->vehicle);
			}
		}
	}
	return st.cost_before - st.cost_after;
}

const struct plan_vehicle *demand_plan(const struct demand *dm, const char *shift, jt_day day)
{
	char key[16];
	day_key(key, sizeof key, day);
	struct dayfleet *f = strmap_get(dm->days, key);
	struct dvehicle *dv = f ? find_vehicle(f, shift) : NULL;
	return dv ? &dv->v : NULL;
}

void demand_forget_before(struct demand *dm, jt_day day)
{
	size_t pos = 0;
	const char *key;
	void *v;
	char **old = NULL;
	size_t n = 0, cap = 0;
	while (strmap_next(dm->days, &pos, &key, &v))
		if (((struct dayfleet *)v)->day < day) {
			old = xgrow(old, &cap, n + 1, sizeof *old);
			old[n++] = xstrdup(key);
		}
	for (size_t i = 0; i < n; i++) {
		struct dayfleet *f = strmap_del(dm->days, old[i]);
		/* the rides of a past day leave the holder map with their plans */
		for (size_t k = 0; k < f->n; k++)
			for (int s = 0; s < f->v[k]->v.n; s++)
				if (holder_of(dm, f->v[k]->v.stops[s].request) == f->v[k])
					set_holder(dm, f->v[k]->v.stops[s].request, NULL);
		dayfleet_free(f);
		free(old[i]);
	}
	free(old);
}
