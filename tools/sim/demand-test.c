/*
 * demand-test — a generated county's day without a server: the villagers'
 * requests (demandgen.c), the offline comparison of dispatch policies
 * (compare.c) and the yardsticks (yardstick.c), on a small county.
 *
 * The requests: the same seed gives the same list and another seed another;
 * every place is one of the county's, every time inside the day, asked
 * before it is wanted; a town's market pulls its villagers into town in the
 * morning on its market days and not on the other days. The comparison:
 * served and refused add up to the requests, the naive dispatcher never
 * carries two requests at once in a van nor offers a seat, every offer
 * keeps to the windows the daemon gives, and Jintong's van kilometres per
 * ride served are no more than the naive dispatcher's.
 */
#include "check.h"
#include "compare.h"
#include "demandgen.h"
#include "gen.h"
#include "roads.h"
#include "yardstick.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_list(const struct demandgen_list *a, const struct demandgen_list *b)
{
	return a->n == b->n && memcmp(a->r, b->r, a->n * sizeof *a->r) == 0;
}

static void check_places(const struct gen_county *c, const struct demandgen_list *l)
{
	size_t bad_place = 0, bad_time = 0, bad_load = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		const struct demandgen_place *p[2] = { &q->from, &q->to };
		for (int k = 0; k < 2; k++) {
			bool ok = p[k]->node >= 0 && (size_t)p[k]->node < c->n_nodes && isfinite(p[k]->lat) &&
				  isfinite(p[k]->lon) && fabs(p[k]->lat - 30.0) < 0.5 && fabs(p[k]->lon - 104.6) < 0.5 &&
				  p[k]->access_m >= 0 && p[k]->access_m < 1500;
			if (p[k]->kind == DEMANDGEN_AT_VILLAGE)
				ok = ok && p[k]->ref >= 0 && (size_t)p[k]->ref < c->n_villages &&
				     c->villages[p[k]->ref].node == p[k]->node && p[k]->access_m == 0;
			else if (p[k]->kind == DEMANDGEN_AT_STOP)
				ok = ok && p[k]->ref >= 0 && (size_t)p[k]->ref < c->n_stops &&
				     c->stops[p[k]->ref].node == p[k]->node && p[k]->access_m == 0 &&
				     (c->stops[p[k]->ref].served || c->stops[p[k]->ref].village < 0); /* in the feed */
			else
				ok = ok && p[k]->ref == -1 && *demandgen_place_code(c, p[k]) == '\0';
			bad_place += !ok;
		}
		bad_place += q->from.node == q->to.node && q->from.access_m == q->to.access_m;
		bad_place += q->village < 0 || (size_t)q->village >= c->n_villages;
		bad_time += !(q->time_s >= 0 && q->time_s < 86400 && q->made_s <= q->time_s && q->made_s > -86400);
		bad_time += i > 0 && l->r[i - 1].made_s > q->made_s;
		bad_time += q->id != (int)i;
		bad_load += !(q->passengers >= 0 && q->passengers <= 3 && q->parcels_l >= 0 &&
			      (q->passengers > 0 || q->parcels_l > 0) && (!q->wheelchair || q->passengers > 0) &&
			      (q->purpose == DEMANDGEN_PARCEL) == (q->passengers == 0) && q->rider[0]);
	}
	CHECK_INT("requests with a place not of the county", bad_place, 0);
	CHECK_INT("requests asked after they are wanted, or out of order", bad_time, 0);
	CHECK_INT("requests with impossible riders or parcels", bad_load, 0);
}

/* Requests from town t's villages into its centre leaving 06:30-09:30. */
static size_t morning_into(const struct gen_county *c, const struct demandgen_list *l, int t)
{
	size_t n = 0;
	int centre = c->towns[t].node;
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		n += q->to.node == centre && c->villages[q->village].town == t && !q->arrive_by &&
		     q->time_s >= 6 * 3600 + 1800 && q->time_s <= 9 * 3600 + 1800;
	}
	return n;
}

static size_t purpose_count(const struct demandgen_list *l, enum demandgen_purpose p)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->r[i].purpose == p;
	return n;
}

static void test_model(const struct gen_county *c)
{
	struct demandgen_list a, b, other;
	char err[256];
	jt_day day = c->p.from + 1;
	CHECK(demandgen_make(c, day, 7, &a, err, sizeof err) == 0);
	CHECK(demandgen_make(c, day, 7, &b, err, sizeof err) == 0);
	CHECK(demandgen_make(c, day, 8, &other, err, sizeof err) == 0);
	CHECK_MSG("the same seed gives the same requests", same_list(&a, &b));
	CHECK_MSG("another seed gives other requests", !same_list(&a, &other));
	CHECK_MSG("a day has requests", a.n > 50);
	check_places(c, &a);
	demandgen_free(&b);
	demandgen_free(&other);
	demandgen_free(&a);
	CHECK_MSG("a day outside the timetable is refused",
		  demandgen_make(c, c->p.from - 1, 7, &b, err, sizeof err) == -1 && b.n == 0);

	/* a market town: its mornings on market days against its other weekdays */
	int town = -1;
	for (size_t t = 0; t < c->n_towns && town < 0; t++)
		if (c->towns[t].nvillages >= 3)
			for (jt_day d = c->p.from; d < c->p.from + 10; d++)
				if (demandgen_market(c, (int)t, d) && !c->towns[t].seat)
					town = (int)t;
	CHECK_MSG("the county has a market town with villages", town >= 0);
	size_t on = 0, off = 0, on_days = 0, off_days = 0, stray_market = 0;
	for (jt_day d = c->p.from; d < c->p.from + 20 && town >= 0; d++) {
		if (date_weekday(d) >= 6)
			continue;
		struct demandgen_list l;
		CHECK(demandgen_make(c, d, 3, &l, err, sizeof err) == 0);
		check_places(c, &l);
		size_t m = morning_into(c, &l, town);
		if (demandgen_market(c, town, d))
			on += m, on_days++;
		else
			off += m, off_days++;
		for (size_t i = 0; i < l.n; i++)
			stray_market += l.r[i].purpose == DEMANDGEN_MARKET && !demandgen_market(c, c->villages[l.r[i].village].town, d);
		demandgen_free(&l);
	}
	CHECK_MSG("market days and other weekdays both seen", on_days > 0 && off_days > 0);
	CHECK_INT("market trips on a town's other days", stray_market, 0);
	double on_rate = on_days ? (double)on / (double)on_days : 0, off_rate = off_days ? (double)off / (double)off_days : 0;
	printf("town %s: %.1f morning requests into town on market days, %.1f on others\n", c->towns[town].code, on_rate,
	       off_rate);
	CHECK_MSG("the market morning is at least twice a normal one", on_rate >= 2 * off_rate && on_rate > 0);

	/* boarders go home on a Friday in term, not on a Wednesday */
	for (jt_day d = c->p.from; d < c->p.from + 14; d++) {
		struct demandgen_list l;
		int wd = date_weekday(d);
		if ((wd != 3 && wd != 5) || !demandgen_school_term(c, d))
			continue;
		CHECK(demandgen_make(c, d, 3, &l, err, sizeof err) == 0);
		if (wd == 3)
			CHECK_INT("pupils travelling home midweek", purpose_count(&l, DEMANDGEN_PUPIL), 0);
		else
			CHECK_MSG("pupils travelling home on Friday", purpose_count(&l, DEMANDGEN_PUPIL) > 0);
		demandgen_free(&l);
	}
}

static void check_result(const struct demandgen_list *l, const struct compare_result *r, const struct compare_opts *o)
{
	CHECK_INT("served and refused add up", r->served + r->refused, l->n);
	CHECK_INT("seats and vans add up", r->seats + r->vans, r->served);
	size_t outside = 0, wheel = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct compare_ride *x = &r->rides[i];
		const struct demandgen_request *q = &l->r[i];
		if (x->outcome == COMPARE_REFUSED)
			continue;
		wheel += q->wheelchair;
		double limit = x->outcome == COMPARE_SEAT ? o->horizon_s : o->window_s;
		bool ok = x->wait_s >= -1e-6 && x->wait_s <= limit + 1e-6 && x->drop_s > x->pickup_s &&
			  x->pickup_s >= q->made_s - 1e-6;
		if (!ok && outside < 5)
			fprintf(stderr, "request %zu (%s, %s %d, asked %d): %s pickup %.0f drop %.0f wait %.0f\n", i,
				demandgen_purpose_name(q->purpose), q->arrive_by ? "by" : "after", q->time_s, q->made_s,
				x->outcome == COMPARE_SEAT ? "seat" : "van", x->pickup_s, x->drop_s, x->wait_s);
		outside += !ok;
	}
	CHECK_INT("offers outside the windows the daemon gives", outside, 0);
	CHECK_INT("wheelchair requests served without a step-free vehicle", wheel, 0);
}

static int by_van_pickup(const void *a, const void *b)
{
	const struct compare_ride *x = *(const struct compare_ride *const *)a, *y = *(const struct compare_ride *const *)b;
	if (x->van != y->van)
		return x->van < y->van ? -1 : 1;
	return x->pickup_s < y->pickup_s ? -1 : x->pickup_s > y->pickup_s;
}

static void test_compare(const struct gen_county *c)
{
	struct roads rd;
	roads_build(c, &rd);
	CHECK_MSG("the road table is symmetric and zero on the diagonal",
		  roads_m(&rd, 0, 0) == 0 && fabs(roads_m(&rd, 1, 5) - roads_m(&rd, 5, 1)) < 1);
	struct compare_opts o;
	compare_opts_default(&o);
	char err[256];
	/* a market weekday in term */
	jt_day day = c->p.from;
	for (jt_day d = c->p.from; d < c->p.from + 10; d++)
		if (date_weekday(d) <= 4 && demandgen_school_term(c, d)) {
			day = d;
			break;
		}
	struct demandgen_list l;
	CHECK(demandgen_make(c, day, 1, &l, err, sizeof err) == 0);
	struct compare_result j, n, j2;
	CHECK(compare_run(c, &rd, day, &l, &o, COMPARE_JINTONG, &j, err, sizeof err) == 0);
	CHECK(compare_run(c, &rd, day, &l, &o, COMPARE_NAIVE, &n, err, sizeof err) == 0);
	CHECK(compare_run(c, &rd, day, &l, &o, COMPARE_JINTONG, &j2, err, sizeof err) == 0);
	CHECK_MSG("the comparison is deterministic", j.served == j2.served && j.van_m == j2.van_m &&
							     memcmp(j.rides, j2.rides, l.n * sizeof *j.rides) == 0);
	check_result(&l, &j, &o);
	check_result(&l, &n, &o);
	CHECK_INT("the naive dispatcher offers no seat", n.seats, 0);
	CHECK_INT("the naive dispatcher pools nobody", n.pooled, 0);
	/* its vans carry one request at a time: sorted by van and pickup, each ride ends before the next begins */
	const struct compare_ride **v = calloc(l.n + 1, sizeof *v);
	size_t nv = 0, overlap = 0;
	for (size_t i = 0; i < l.n; i++)
		if (n.rides[i].outcome == COMPARE_VAN)
			v[nv++] = &n.rides[i];
	qsort(v, nv, sizeof *v, by_van_pickup);
	for (size_t i = 1; i < nv; i++)
		overlap += v[i]->van == v[i - 1]->van && v[i]->pickup_s < v[i - 1]->drop_s;
	CHECK_INT("naive van rides overlapping in time", overlap, 0);
	free(v);
	CHECK_MSG("Jintong pools riders", j.pooled > 0);
	CHECK_MSG("Jintong puts riders on timetabled seats", j.seats > 0);
	double jr = j.van_m / (double)(j.served ? j.served : 1), nr = n.van_m / (double)(n.served ? n.served : 1);
	printf("%zu requests: jintong serves %zu (%zu on seats), %.2f van km a ride; naive %zu, %.2f van km a ride\n",
	       l.n, j.served, j.seats, jr / 1000, n.served, nr / 1000);
	CHECK_MSG("Jintong's van km per ride served are no more than the naive dispatcher's", jr <= nr);
	CHECK_MSG("Jintong serves at least as many as the naive dispatcher", j.served >= n.served);
	/* seats cost no van km; pooling alone must also save: km per ride carried by van */
	CHECK_MSG("Jintong's van km per van ride are no more than the naive dispatcher's",
		  j.van_m / (double)(j.vans ? j.vans : 1) <= n.van_m / (double)(n.vans ? n.vans : 1));
	compare_result_free(&j);
	compare_result_free(&j2);
	compare_result_free(&n);

	/* the yardsticks: counts within the villages, the 2 km rule as the generator counts it */
	struct yardstick_opts yo;
	yardstick_opts_default(&yo);
	struct yardsticks y, all;
	yardstick_measure(c, &rd, day, &yo, &y);
	struct gen_figures f;
	gen_figures(c, &f);
	CHECK_INT("villages measured", y.villages, c->n_villages);
	CHECK_INT("the 2 km rule as the generator counts it", y.near_stop, f.villages_2km);
	CHECK_MSG("circles within the villages", y.town_ok + y.town_none <= y.villages && y.seat_ok + y.seat_none <= y.villages);
	yo.town_s = yo.seat_s = INFINITY;
	yardstick_measure(c, &rd, day, &yo, &all);
	CHECK_INT("without a time limit every reachable village counts (town)", all.town_ok, y.villages - y.town_none);
	CHECK_INT("without a time limit every reachable village counts (seat)", all.seat_ok, y.villages - y.seat_none);
	CHECK_MSG("some villages reach the county seat within the hour", y.seat_ok > 0);
	demandgen_free(&l);
	roads_free(&rd);
}

int main(void)
{
	struct gen_county c;
	struct gen_params p = { .seed = 5, .scale = 0.15, .from = date_from_ymd(2026, 11, 2), .days = 30 };
	gen_county_build(&c, &p);
	test_model(&c);
	test_compare(&c);
	gen_county_free(&c);
	return check_done("demand-test");
}
