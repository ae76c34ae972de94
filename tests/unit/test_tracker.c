/*
 * The tracking core: courses (stops placed along a shape, the timetable by
 * distance, snapping), traces and the tracker, first on small hand-made
 * drives, then on many synthetic trips with the truth known (tools/sim/
 * drive.h): GPS noise, outliers, 5–15 s between fixes, valleys whose fixes
 * come later as a shuffled backlog, stops passed without stopping, detours,
 * and drives that must give no arrival at all (the route backwards, a bus
 * standing at a depot, a parallel road).
 *
 * The events the tracker hands out are replayed into a table per stop, so
 * what is measured is what a consumer of the events would see.
 */
#include <string.h>

#include "check.h"
#include "course.h"
#include "drive.h"
#include "geo.h"
#include "log.h"
#include "trace.h"
#include "tracker.h"

#define TOLERANCE_MS 30000

/* What a consumer of the events knows about each stop. */
struct seen {
	jt_ms arr, passed; /* the latest ARRIVAL and PASSED, 0 when withdrawn */
	jt_ms arrival;     /* whichever of them stands */
	jt_ms departure;
	bool skipped;
	int arrivals;      /* ARRIVAL and PASSED events received, withdrawals subtracted */
};

static void collect(struct tracker *tr, const struct course *c, struct seen *seen, size_t n)
{
	struct tracker_event ev[16];
	size_t got;
	do {
		got = tracker_take_events(tr, ev, JT_ARRAY_LEN(ev));
		for (size_t i = 0; i < got; i++) {
			if (ev[i].course != c || ev[i].stop >= n)
				continue;
			struct seen *s = &seen[ev[i].stop];
			switch (ev[i].kind) {
			case TRACKER_ARRIVAL:
			case TRACKER_PASSED: {
				jt_ms *slot = ev[i].kind == TRACKER_ARRIVAL ? &s->arr : &s->passed;
				if (ev[i].withdrawn)
					s->arrivals--;
				else if (!ev[i].revised)
					s->arrivals++;
				*slot = ev[i].withdrawn ? 0 : ev[i].time;
				s->arrival = s->arr ? s->arr : s->passed;
				break;
			}
			case TRACKER_DEPARTURE:
				s->departure = ev[i].withdrawn ? 0 : ev[i].time;
				break;
			case TRACKER_SKIPPED:
				s->skipped = !ev[i].withdrawn;
				break;
			}
		}
	} while (got == JT_ARRAY_LEN(ev));
}

static struct course *straight_course(void)
{
	/* Three stops due north, 1.11 km apart. */
	static const struct course_stop stops[] = {
		{ "A", 30.00, 104.5, 8 * 3600, 8 * 3600 },
		{ "B", 30.01, 104.5, 8 * 3600 + 180, 8 * 3600 + 210 },
		{ "C", 30.02, 104.5, 8 * 3600 + 390, 8 * 3600 + 390 },
	};
	struct course_spec spec = { .trip_id = "T1", .route_id = "L1", .start_date = "20260302",
				    .day_start = DRIVE_DAY_START, .stops = stops, .nstops = 3 };
	char err[200];
	struct course *c = course_new(&spec, err, sizeof err);
	if (!c)
		fprintf(stderr, "course: %s\n", err);
	return c;
}

static void test_course(void)
{
	struct course *c = straight_course();
	CHECK(c != NULL);
	if (!c)
		return;
	double d = geo_distance_m(30.0, 104.5, 30.01, 104.5);
	CHECK(fabs(course_stop_along(c, 1) - d) < 1.0);
	CHECK(fabs(course_length(c) - 2 * d) < 2.0);
	CHECK(fabs(course_sched_at(c, d / 2) - (8 * 3600 + 90)) < 0.5);
	CHECK(fabs(course_sched_at(c, d) - (8 * 3600 + 180)) < 0.5);
	CHECK(fabs(course_sched_along(c, 8 * 3600 + 200) - d) < 0.5); /* dwelling at B */
	CHECK(fabs(course_bearing_at(c, 10)) < 0.5 || fabs(course_bearing_at(c, 10) - 360) < 0.5);
	/* 100 m east of the line halfway: 100 m off, distance half-way. */
	struct course_snap sn = course_snap(c, 30.005, 104.5 + 100 / (111195 * cos(30.005 * M_PI / 180)), 0,
					    1e9, NAN, 0);
	CHECK(fabs(sn.lateral - 100) < 1.0 && fabs(sn.along - d / 2) < 2.0);
	/* A window that excludes the nearest point snaps to the window's end. */
	sn = course_snap(c, 30.005, 104.5, 0, 200, NAN, 0);
	CHECK(fabs(sn.along - 200) < 0.01 && sn.lateral > 300);
	course_unref(c);

	char err[200];
	struct course_stop bad[] = { { "A", 30, 104.5, 100, 100 }, { "B", 91, 104.5, 200, 200 } };
	struct course_spec spec = { .trip_id = "T", .route_id = "L", .day_start = 0, .stops = bad, .nstops = 2 };
	CHECK(course_new(&spec, err, sizeof err) == NULL && strstr(err, "stop 2"));
	bad[1].lat = NAN;
	CHECK(course_new(&spec, err, sizeof err) == NULL);
	bad[1].lat = 30.01;
	bad[1].arr = 50; /* before the departure from A */
	CHECK(course_new(&spec, err, sizeof err) == NULL);
	bad[1].arr = 200;
	double far_shape[] = { 31.0, 105.0, 31.01, 105.0 };
	spec.shape = far_shape;
	spec.nshape = 2;
	CHECK(course_new(&spec, err, sizeof err) == NULL && strstr(err, "from the shape"));
	spec.nshape = 1;
	CHECK(course_new(&spec, err, sizeof err) == NULL);

	/* Out and back on one road: the stops on the way back sit on the second pass. */
	struct rng g;
	rng_seed(&g, 7);
	struct drive_route r;
	drive_route_make(&r, &g, DRIVE_OUT_AND_BACK, 7, 0, 0, 9, "O");
	c = drive_course(&r, "OB1", "OB", 8 * 3600);
	/* (The county's plane and the course's differ in scale by about 0.1%.) */
	for (size_t k = 0; k < r.nstops; k++)
		CHECK_MSG("stop placed on its own pass",
			  fabs(course_stop_along(c, k) - r.stop_along[k]) < 2.0 + 0.003 * r.stop_along[k]);
	course_unref(c);
	drive_route_free(&r);
}

static struct fix at(double lat, double lon, double t_s, double speed)
{
	struct fix f;
	memset(&f, 0, sizeof f);
	fix_init(&f);
	f.time = DRIVE_DAY_START + (jt_ms)(t_s * 1000);
	f.lat = lat;
	f.lon = lon;
	f.speed = speed;
	f.accuracy = 10;
	return f;
}

/* A clean drive, fix by fix, and the same fixes in another order give the same visits. */
static void test_clean_and_backlog(void)
{
	struct course *c = straight_course();
	struct trace_config cfg;
	trace_config_default(&cfg);
	double t0 = 8 * 3600;
	/* Stand at A, drive 10 m/s to B (111 s), stand 40 s, drive on to C. */
	struct fix f[200];
	size_t n = 0;
	double dlat = 0.01 / 1111.95; /* degrees per metre northwards */
	for (double t = t0 - 60; t < t0; t += 10)
		f[n++] = at(30.0, 104.5, t, 0);
	for (double t = t0; t < t0 + 111.2; t += 10)
		f[n++] = at(30.0 + (t - t0) * 10 * dlat, 104.5, t, 10);
	double tb = t0 + 111.195, tl = tb + 40;
	for (double t = tb + 5; t < tl; t += 10)
		f[n++] = at(30.01, 104.5, t, 0);
	for (double t = tl + 5; t < tl + 60; t += 10)
		f[n++] = at(30.01 + (t - tl) * 10 * dlat, 104.5, t, 10);

	struct trace *a = trace_new(c, &cfg);
	for (size_t i = 0; i < n; i++)
		CHECK(trace_add(a, &f[i]) == TRACE_ADDED);
	CHECK(trace_add(a, &f[3]) == TRACE_DUPLICATE);
	const struct trace_stop *s = trace_stops(a);
	CHECK_INT("origin", s[0].visit, TRACE_STOPPED);
	CHECK_MSG("left A on time", llabs(s[0].departure - (DRIVE_DAY_START + (jt_ms)(t0 * 1000))) < 5000);
	CHECK_INT("B", s[1].visit, TRACE_STOPPED);
	CHECK_MSG("at B", llabs(s[1].arrival - (DRIVE_DAY_START + (jt_ms)(tb * 1000))) < 10000);
	CHECK_MSG("left B", llabs(s[1].departure - (DRIVE_DAY_START + (jt_ms)(tl * 1000))) < 10000);
	CHECK_INT("C not reached", s[2].visit, TRACE_NONE);
	struct trace_progress p;
	CHECK(trace_progress(a, &p) && p.next_stop == 2 && !p.off_route && !p.at_stop);
	/*
	 * 10 m/s where the timetable plans 6.2: at the last fix (206 s after
	 * leaving A, 550 m past B) the timetable is at 210 + 550/1112 * 180 s.
	 */
	CHECK_MSG("early", p.delay_s > -103 && p.delay_s < -83);
	CHECK_MSG("km", fabs(trace_km(a) - 1.1 - 0.55) < 0.15);

	/* The same fixes, those from 30 s after leaving A to the first after leaving B held back
	 * and sent last in reverse. */
	struct trace *b = trace_new(c, &cfg);
	size_t lo = 6 + 3, hi = 6 + 12 + 4 + 1;
	CHECK_INT("fixes", n, 6 + 12 + 4 + 6);
	for (size_t i = 0; i < n; i++)
		if (i < lo || i >= hi)
			(void)trace_add(b, &f[i]);
	const struct trace_stop *sb = trace_stops(b);
	CHECK_MSG("without the middle, B is passed between two fixes, estimated",
		  sb[1].visit == TRACE_PASSED && sb[1].arr_estimated);
	for (size_t i = hi; i-- > lo;)
		(void)trace_add(b, &f[i]);
	for (size_t k = 0; k < 3; k++) {
		CHECK_INT("same visit", sb[k].visit, s[k].visit);
		CHECK_INT("same arrival", sb[k].arrival, s[k].arrival);
		CHECK_INT("same departure", sb[k].departure, s[k].departure);
	}
	trace_free(a);
	trace_free(b);

	/* A tracker signed on gives the events, and revises them when a backlog arrives. */
	struct tracker_config tc;
	tracker_config_default(&tc);
	struct tracker *tr = tracker_new("bus-1", &tc);
	tracker_sign_on(tr, c);
	CHECK_INT("tracking", tracker_state(tr), TRACKER_TRACKING);
	struct seen seen[3] = { 0 };
	for (size_t i = 0; i < n; i++)
		if (i < lo || i >= hi)
			tracker_fix(tr, &f[i]);
	collect(tr, c, seen, 3);
	CHECK_MSG("passed B", seen[1].arrivals == 1 && seen[1].departure == 0);
	for (size_t i = hi; i-- > lo;)
		tracker_fix(tr, &f[i]);
	collect(tr, c, seen, 3);
	CHECK_MSG("one arrival at B, revised", seen[1].arrivals == 1);
	CHECK_MSG("arrival revised to the observed one",
		  llabs(seen[1].arrival - (DRIVE_DAY_START + (jt_ms)(tb * 1000))) < 10000);
	CHECK_MSG("departure from B learnt from the backlog", seen[1].departure != 0);
	CHECK(tracker_km(tr) > 1.4 && tracker_km(tr) < 1.9);
	struct fix bad = f[0];
	bad.lat = NAN;
	tracker_fix(tr, &bad);
	bad = f[0];
	bad.lon = INFINITY;
	tracker_fix(tr, &bad);
	collect(tr, c, seen, 3);
	CHECK_MSG("fixes without a position change nothing", seen[1].arrivals == 1);
	tracker_free(tr);

	/* Matched from its fixes, then dropped when the bus turns off the route for good. */
	tr = tracker_new("bus-2", &tc);
	tracker_set_candidates(tr, &c, 1);
	CHECK_INT("matching", tracker_state(tr), TRACKER_MATCHING);
	for (size_t i = 0; i < 6 + 8; i++)
		tracker_fix(tr, &f[i]);
	CHECK_INT("matched", tracker_state(tr), TRACKER_TRACKING);
	struct tracker_progress tp;
	CHECK(tracker_progress(tr, &tp) && tp.course == c && !tp.signed_on && tp.trace.next_stop == 1);
	/* The driver then signs on to the trip it was matched to: nothing read so far is lost. */
	struct tracker *tr2 = tracker_new("bus-3", &tc);
	tracker_set_candidates(tr2, &c, 1);
	for (size_t i = 0; i < 6 + 8; i++)
		tracker_fix(tr2, &f[i]);
	size_t before = trace_count(tracker_trace(tr2));
	tracker_sign_on(tr2, c);
	struct tracker_progress tp2;
	CHECK(tracker_progress(tr2, &tp2) && tp2.signed_on && tp2.trace.next_stop == 1 &&
	      trace_count(tracker_trace(tr2)) == before && before >= 8);
	tracker_free(tr2);
	double lat = 30.0 + 80 * dlat, lon = 104.5;
	for (int i = 1; i <= 80; i++) {
		lon += 100.0 / 96000; /* east, 100 m every 10 s */
		struct fix g = at(lat, lon, t0 + 80 + 10 * i, 10);
		tracker_fix(tr, &g);
	}
	CHECK_INT("dropped, matching again", tracker_state(tr), TRACKER_MATCHING);
	CHECK(!tracker_progress(tr, &tp));
	tracker_set_candidates(tr, NULL, 0);
	CHECK_INT("idle", tracker_state(tr), TRACKER_IDLE);
	tracker_free(tr);
	course_unref(c);
}

struct tally {
	size_t visited, within, arrivals_found, phantom, skipped_seen, skipped_total;
	double worst_ms;
};

/* A seeded synthetic trip through a signed-on tracker; tallies against the truth. */
static void one_trip(uint64_t seed, enum drive_mode mode, bool match, struct tally *t)
{
	struct rng g;
	rng_seed(&g, seed);
	/* Backwards on a road that goes out and comes back is the right way: not a wrong drive. */
	enum drive_road road = (enum drive_road)(seed % (mode == DRIVE_FORWARD ? 3 : 2));
	struct drive_route r;
	size_t nstops = 6 + (size_t)(rng_uniform(&g) * 12);
	drive_route_make(&r, &g, road, nstops, rng_range(&g, -20000, 20000), rng_range(&g, -20000, 20000), 9,
			 "S");
	int32_t start = 7 * 3600 + (int32_t)(rng_uniform(&g) * 12) * 900;
	struct course *c = drive_course(&r, "TRIP", "LINE", start);
	struct drive_opts o;
	drive_opts_default(&o);
	o.mode = mode;
	o.start = start;
	o.late_s = rng_range(&g, -60, 600);
	o.noise_m = rng_range(&g, 10, 30);
	o.interval_lo = 5;
	o.interval_hi = rng_range(&g, 7, 15);
	o.dead_zones = (int)(rng_uniform(&g) * 3);
	o.pass_rate = 0.15;
	o.detours = nstops >= 8 ? (int)(rng_uniform(&g) * 2) : 0;
	o.speed_known = seed % 5 != 0;
	struct drive_truth truth;
	size_t nfix;
	struct drive_fix *fx = drive_run(&r, &o, &g, &truth, &nfix);

	struct tracker_config tc;
	tracker_config_default(&tc);
	struct tracker *tr = tracker_new("bus", &tc);
	struct course *other[3] = { c, NULL, NULL };
	if (match) {
		/* The same line an hour later, and another line nearby. */
		other[1] = drive_course(&r, "LATER", "LINE", start + 3600);
		struct drive_route r2;
		drive_route_make(&r2, &g, DRIVE_WINDING, 8, r.x[0] + 300, r.y[0] - 200, 9, "X");
		other[2] = drive_course(&r2, "OTHER", "LINE2", start);
		drive_route_free(&r2);
		tracker_set_candidates(tr, other, 3);
	} else {
		tracker_sign_on(tr, c);
	}
	struct seen seen[DRIVE_STOPS_MAX] = { 0 };
	for (size_t i = 0; i < nfix; i++) {
		tracker_fix(tr, &fx[i].fix);
		collect(tr, c, seen, r.nstops);
	}
	for (size_t k = 1; k < r.nstops; k++) {
		bool visited = truth.visit[k] != DRIVE_NOT_VISITED;
		if (visited) {
			t->visited++;
			if (seen[k].arrivals > 0) {
				t->arrivals_found++;
				double err = fabs((double)(seen[k].arrival - truth.arr[k]));
				if (err <= TOLERANCE_MS)
					t->within++;
				else if (getenv("TRACK_VERBOSE"))
					fprintf(stderr, "seed %llu stop %zu: off by %.0f s (%s)\n",
						(unsigned long long)seed, k, err / 1000,
						truth.visit[k] == DRIVE_PASSED ? "passed" : "stopped");
				t->worst_ms = fmax(t->worst_ms, err);
			} else if (getenv("TRACK_VERBOSE")) {
				fprintf(stderr, "seed %llu stop %zu: missed\n", (unsigned long long)seed, k);
			}
		} else if (seen[k].arrivals > 0) {
			t->phantom++;
			if (getenv("TRACK_VERBOSE"))
				fprintf(stderr, "seed %llu mode %d stop %zu: phantom arrival\n",
					(unsigned long long)seed, (int)mode, k);
		}
		if (mode == DRIVE_FORWARD && !visited) {
			t->skipped_total++;
			t->skipped_seen += seen[k].skipped;
		}
		if (seen[k].arrivals > 1)
			t->phantom++; /* two arrivals at one stop */
	}
	tracker_free(tr);
	for (size_t i = 0; i < 3; i++)
		if (other[i] && other[i] != c)
			course_unref(other[i]);
	course_unref(c);
	free(fx);
	drive_route_free(&r);
}

static void test_synthetic(void)
{
	struct tally fwd = { 0 }, matched = { 0 }, neg = { 0 };
	const uint64_t traces = 300;
	for (uint64_t s = 1; s <= traces; s++)
		one_trip(s, DRIVE_FORWARD, false, &fwd);
	for (uint64_t s = 1001; s <= 1000 + traces / 3; s++)
		one_trip(s, DRIVE_FORWARD, true, &matched);
	static const enum drive_mode bad[] = { DRIVE_BACKWARD, DRIVE_DEPOT, DRIVE_OTHER_ROAD };
	for (uint64_t s = 1; s <= 90; s++) {
		one_trip(2000 + s, bad[s % 3], false, &neg);
		one_trip(3000 + s, bad[s % 3], true, &neg);
	}
	double share = fwd.visited ? (double)fwd.within / (double)fwd.visited : 0;
	double mshare = matched.visited ? (double)matched.within / (double)matched.visited : 0;
	printf("signed on: %zu visited stops in %llu trips, %zu arrivals found, %.2f%% within 30 s "
	       "(worst %.0f s), %zu phantom; detoured stops reported skipped %zu/%zu\n",
	       fwd.visited, (unsigned long long)traces, fwd.arrivals_found, 100 * share, fwd.worst_ms / 1000,
	       fwd.phantom, fwd.skipped_seen, fwd.skipped_total);
	printf("matched among 3 candidates: %zu visited, %.2f%% within 30 s, %zu phantom\n", matched.visited,
	       100 * mshare, matched.phantom);
	printf("backwards, depot, parallel road: %zu phantom arrivals in 180 drives\n", neg.phantom);
	CHECK_MSG("at least 98% of arrivals within 30 s (signed on)", share >= 0.98);
	CHECK_MSG("at least 98% of arrivals within 30 s (matched)", mshare >= 0.98);
	CHECK_INT("no phantom arrival (signed on)", fwd.phantom, 0);
	CHECK_INT("no phantom arrival (matched)", matched.phantom, 0);
	CHECK_INT("no phantom arrival (wrong drives)", neg.phantom, 0);
	CHECK_MSG("most detoured stops reported skipped", fwd.skipped_seen * 10 >= fwd.skipped_total * 8);
}

int main(void)
{
	log_set_level(getenv("TRACK_VERBOSE") ? JT_LOG_DEBUG : JT_LOG_WARN);
	test_course();
	test_clean_and_backlog();
	test_synthetic();
	return check_done("test_tracker");
}
