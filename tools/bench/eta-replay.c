/*
 * eta-replay — a county's fleet through the tracking core for a few days,
 * measured against the truth the simulation knows.
 *
 * Each vehicle runs a block of trips on one out-and-back line (to a
 * village and back) from 06:00 into the evening; buses crawl in the
 * morning and evening rush, start a few minutes late, skip a stop now and
 * then, lose coverage in valleys and upload the backlog later
 * (tools/sim/drive.h). Every vehicle has a tracker that finds its trip among
 * its block's trips near the time; finished trips teach the ETA model.
 * The model learns from the first days; on the last day it is frozen and,
 * once a minute per bus, predicts the arrival at every stop ahead, scored
 * against the true arrival together with two baselines from the same run:
 * the timetable alone, and the timetable plus the bus's current delay.
 *
 *   eta-replay [--vehicles 300] [--lines 30] [--days 4] [--seed 1]
 *
 * Prints figures; asserts nothing (the machine is shared, timings vary).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "course.h"
#include "drive.h"
#include "eta.h"
#include "log.h"
#include "trace.h"
#include "tracker.h"

struct trip {
	struct course *course;
	struct drive_truth truth;
	int32_t start;
	jt_ms seen[DRIVE_STOPS_MAX]; /* arrival (or pass) as the events tell it; 0 none */
	int arrivals[DRIVE_STOPS_MAX];
};

struct line {
	struct drive_route route;
};

struct score {
	double model, sched, delay;
	size_t n;
	size_t visited, within, phantom, trips, trips_found;
};

static double rush(void *arg, double day_s)
{
	(void)arg;
	double h = day_s / 3600;
	if ((h >= 7 && h < 9) || (h >= 17 && h < 19))
		return 0.6;
	if (h >= 11.5 && h < 13.5)
		return 0.8;
	return 1.0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct trip *find_trip(struct trip *trips, size_t n, const struct course *c)
{
	for (size_t i = 0; i < n; i++)
		if (trips[i].course == c)
			return &trips[i];
	return NULL;
}

static void take_events(struct tracker *tr, struct trip *trips, size_t ntrips)
{
	struct tracker_event ev[32];
	size_t got;
	do {
		got = tracker_take_events(tr, ev, JT_ARRAY_LEN(ev));
		for (size_t i = 0; i < got; i++) {
			if (ev[i].kind != TRACKER_ARRIVAL && ev[i].kind != TRACKER_PASSED)
				continue;
			struct trip *t = find_trip(trips, ntrips, ev[i].course);
			if (!t || ev[i].stop >= DRIVE_STOPS_MAX)
				continue;
			if (ev[i].withdrawn) {
				t->arrivals[ev[i].stop]--;
				if (t->seen[ev[i].stop] == ev[i].time)
					t->seen[ev[i].stop] = 0;
			} else {
				if (!ev[i].revised)
					t->arrivals[ev[i].stop]++;
				t->seen[ev[i].stop] = ev[i].time;
			}
		}
	} while (got == JT_ARRAY_LEN(ev));
}

/* One vehicle's day: its trips driven, its fixes replayed, its finished trips learnt or scored. */
static size_t vehicle_day(size_t v, const struct line *ln, struct rng *g, struct eta_model *m, bool last_day,
			  struct score *sc)
{
	const struct drive_route *r = &ln->route;
	struct trip trips[40];
	size_t ntrips = 0;
	struct drive_fix *all = NULL;
	size_t nall = 0, cap = 0;
	int32_t start = 6 * 3600 + (int32_t)(v % 8) * 450;
	double free_at = 0; /* when the previous trip really ended */
	while (ntrips < JT_ARRAY_LEN(trips) && start < 20 * 3600) {
		struct trip *t = &trips[ntrips];
		memset(t, 0, sizeof *t);
		char id[32];
		snprintf(id, sizeof id, "V%03zu-%02zu", v, ntrips);
		t->course = drive_course(r, id, "LINE", start);
		t->start = start;
		struct drive_opts o;
		drive_opts_default(&o);
		o.start = start;
		o.late_s = fmax(rng_range(g, -30, 360), free_at + 300 - start);
		o.noise_m = rng_range(g, 10, 30);
		o.dead_zones = rng_uniform(g) < 0.3 ? 1 : 0;
		o.pass_rate = 0.1;
		o.speed_known = rng_uniform(g) < 0.8;
		o.pace = rush;
		size_t nfix;
		struct drive_fix *fx = drive_run(r, &o, g, &t->truth, &nfix);
		free_at = (double)(t->truth.arr[r->nstops - 1] - DRIVE_DAY_START) / 1000.0 + 60;
		if (nall + nfix > cap) {
			cap = 2 * (nall + nfix);
			all = realloc(all, cap * sizeof *all);
			if (!all)
				abort();
		}
		memcpy(all + nall, fx, nfix * sizeof *fx);
		nall += nfix;
		free(fx);
		ntrips++;
		start += (int32_t)(r->stops[r->nstops - 1].arr + 900);
	}
	/* The tablet's uploads in the order they reach the server. */
	for (size_t i = 1; i < nall; i++)
		for (size_t j = i; j > 0 && all[j].delivered < all[j - 1].delivered; j--) {
			struct drive_fix x = all[j];
			all[j] = all[j - 1];
			all[j - 1] = x;
		}

	struct tracker_config tc;
	tracker_config_default(&tc);
	char name[16];
	snprintf(name, sizeof name, "bus-%03zu", v);
	struct tracker *tr = tracker_new(name, &tc);
	const struct trace *learnt = NULL;
	jt_ms next_eta = 0, cand_at = -1;
	for (size_t i = 0; i < nall; i++) {
		const struct fix *f = &all[i].fix;
		jt_ms slot = f->time / 300000;
		if (slot != cand_at) {
			/* The block's trips starting from an hour ago to half an hour ahead. */
			cand_at = slot;
			struct course *cand[40];
			size_t nc = 0;
			double day = (double)(f->time - DRIVE_DAY_START) / 1000.0;
			for (size_t k = 0; k < ntrips; k++)
				if (trips[k].start >= day - 3600 && trips[k].start <= day + 1800)
					cand[nc++] = trips[k].course;
			tracker_set_candidates(tr, cand, nc);
		}
		tracker_fix(tr, f);
		take_events(tr, trips, ntrips);
		const struct trace *lt = tracker_last_trace(tr);
		if (lt && lt != learnt) {
			learnt = lt;
			if (!last_day)
				eta_learn_trip(m, trace_course(lt), trace_stops(lt));
		}
		struct tracker_progress p;
		if (!last_day || f->time < next_eta || !tracker_progress(tr, &p))
			continue;
		next_eta = f->time + 60000;
		struct trip *t = find_trip(trips, ntrips, p.course);
		if (!t)
			continue;
		size_t n = course_nstops(p.course);
		struct eta_position pos = {
			.time = p.trace.time, .along = p.trace.along, .next_stop = p.trace.next_stop,
			.at_stop = p.trace.at_stop,
			.pace = eta_pace(m, p.course, trace_stops(tracker_trace(tr)), p.trace.next_stop),
		};
		struct eta_stop out[DRIVE_STOPS_MAX];
		eta_predict(m, p.course, &pos, out);
		for (size_t j = p.trace.next_stop + (p.trace.at_stop ? 1 : 0); j < n; j++) {
			if (t->truth.visit[j] == DRIVE_NOT_VISITED || t->truth.arr[j] <= f->time)
				continue;
			jt_ms sched = course_time_of(p.course, course_stop(p.course, j)->arr);
			sc->model += fabs((double)(out[j].arrival - t->truth.arr[j]));
			sc->sched += fabs((double)(sched - t->truth.arr[j]));
			sc->delay += fabs((double)(sched + 1000LL * p.trace.delay_s - t->truth.arr[j]));
			sc->n++;
		}
	}
	for (size_t k = 0; k < ntrips; k++) {
		struct trip *t = &trips[k];
		bool found = false;
		for (size_t j = 1; j < r->nstops; j++) {
			if (t->truth.visit[j] == DRIVE_NOT_VISITED) {
				sc->phantom += t->arrivals[j] > 0;
				continue;
			}
			sc->visited++;
			found |= t->arrivals[j] > 0;
			if (t->arrivals[j] > 0 && llabs(t->seen[j] - t->truth.arr[j]) <= 30000)
				sc->within++;
		}
		sc->trips++;
		sc->trips_found += found;
		course_unref(t->course);
	}
	tracker_free(tr);
	free(all);
	return nall;
}

int main(int argc, char **argv)
{
	size_t vehicles = 300, lines = 30;
	int days = 4;
	uint64_t seed = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--vehicles"))
			vehicles = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--lines"))
			lines = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--days"))
			days = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else {
			fprintf(stderr, "usage: eta-replay [--vehicles N] [--lines N] [--days N] [--seed N]\n");
			return 2;
		}
	}
	if (vehicles < 1 || lines < 1 || days < 2) {
		fprintf(stderr, "eta-replay: at least one vehicle, one line and two days\n");
		return 2;
	}
	log_set_level(JT_LOG_WARN);
	struct rng g;
	rng_seed(&g, seed);
	struct line *ln = calloc(lines, sizeof *ln);
	for (size_t i = 0; i < lines; i++) {
		char prefix[24];
		snprintf(prefix, sizeof prefix, "L%02zu-", i);
		drive_route_make(&ln[i].route, &g, DRIVE_OUT_AND_BACK, 8 + (size_t)(rng_uniform(&g) * 7),
				 rng_range(&g, -25000, 25000), rng_range(&g, -20000, 20000), 9, prefix);
	}
	struct eta_model *m = eta_model_new(0.3);
	struct score sc = { 0 };
	size_t fixes = 0;
	double t0 = now_s(), t_last = 0;
	for (int day = 0; day < days; day++) {
		bool last = day == days - 1;
		struct score s = { 0 };
		double d0 = now_s();
		size_t nf = 0;
		for (size_t v = 0; v < vehicles; v++)
			nf += vehicle_day(v, &ln[v % lines], &g, m, last, last ? &sc : &s);
		fixes += nf;
		if (last)
			t_last = now_s() - d0;
		printf("day %d: %zu fixes, %s\n", day + 1, nf, last ? "scored with the model frozen" : "learnt");
	}
	double el = now_s() - t0;
	printf("\n%zu vehicles on %zu lines, %d days, %zu fixes in %.1f s (%.0f fixes/s including the simulation)\n",
	       vehicles, lines, days, fixes, el, (double)fixes / el);
	printf("last day: %zu trips, %zu with arrivals found; %zu visited stops, %.2f%% of arrivals within 30 s, "
	       "%zu phantom arrivals (%.1f s)\n",
	       sc.trips, sc.trips_found, sc.visited, sc.visited ? 100.0 * (double)sc.within / (double)sc.visited : 0,
	       sc.phantom, t_last);
	if (sc.n) {
		double a = sc.model / 1000.0 / (double)sc.n, b = sc.sched / 1000.0 / (double)sc.n,
		       c = sc.delay / 1000.0 / (double)sc.n;
		printf("ETA mean absolute error over %zu predictions:\n", sc.n);
		printf("  model (learnt segments, pace, no early departures)   %6.0f s\n", a);
		printf("  timetable alone                                       %6.0f s   model/timetable %.2f\n",
		       b, a / b);
		printf("  timetable + current delay                             %6.0f s   model/that      %.2f\n",
		       c, a / c);
	}
	eta_model_free(m);
	for (size_t i = 0; i < lines; i++)
		drive_route_free(&ln[i].route);
	free(ln);
	return 0;
}
