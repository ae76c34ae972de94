/*
 * ETAs: the learner's buckets, and on synthetic days (tools/sim/drive.h)
 * where buses crawl in the morning and evening rush, start late, and wait
 * at stops they reach early, the model's predictions after learning from
 * five earlier days must be closer to what happened than the timetable is.
 * Also printed: the timetable plus the current delay carried unchanged to
 * every stop ahead, the usual simple alternative.
 */
#include <string.h>

#include "check.h"
#include "course.h"
#include "drive.h"
#include "eta.h"
#include "trace.h"

static void test_buckets(void)
{
	struct eta_model *m = eta_model_new(0.5);
	CHECK(isnan(eta_run_time(m, "A", "B", 8 * 3600)));
	eta_learn_run(m, "A", "B", 8 * 3600 + 10, 100);
	CHECK_DBL("first observation", eta_run_time(m, "A", "B", 8 * 3600 + 1000), 100);
	eta_learn_run(m, "A", "B", 8 * 3600 + 20, 200);
	CHECK_DBL("weighted mean", eta_run_time(m, "A", "B", 8 * 3600), 150);
	CHECK_DBL("the next hour borrows", eta_run_time(m, "A", "B", 9 * 3600 + 5), 150);
	CHECK(isnan(eta_run_time(m, "A", "B", 11 * 3600)));
	CHECK(isnan(eta_run_time(m, "B", "A", 8 * 3600)));
	eta_learn_run(m, "A", "B", 10 * 3600, 300);
	CHECK_DBL("between two hours", eta_run_time(m, "A", "B", 9 * 3600), 225);
	eta_learn_run(m, "A", "B", 8 * 3600, NAN);
	eta_learn_run(m, "A", "B", 8 * 3600, -5);
	CHECK_DBL("nonsense ignored", eta_run_time(m, "A", "B", 8 * 3600), 150);
	CHECK_DBL("after midnight (25h) is 1h", eta_run_time(m, "A", "B", 32 * 3600), 150);
	eta_model_free(m);

	/* No model: the timetable, with no departure before it. */
	static const struct course_stop stops[] = {
		{ "A", 30.00, 104.5, 8 * 3600, 8 * 3600 },
		{ "B", 30.01, 104.5, 8 * 3600 + 180, 8 * 3600 + 240 },
		{ "C", 30.02, 104.5, 8 * 3600 + 420, 8 * 3600 + 420 },
	};
	struct course_spec spec = { .trip_id = "T", .route_id = "L", .day_start = DRIVE_DAY_START,
				    .stops = stops, .nstops = 3 };
	char err[100];
	struct course *c = course_new(&spec, err, sizeof err);
	struct eta_stop out[3];
	struct eta_position p = { .time = DRIVE_DAY_START + (8 * 3600 + 60) * 1000LL,
				  .along = course_stop_along(c, 1) / 2, .next_stop = 1, .pace = 1 };
	eta_predict(NULL, c, &p, out);
	CHECK_INT("nothing for the stop left", out[0].arrival, 0);
	CHECK_INT("half the run left", out[1].arrival, DRIVE_DAY_START + (8 * 3600 + 150) * 1000LL);
	CHECK_INT("waits for the timetable", out[1].departure, DRIVE_DAY_START + (8 * 3600 + 240) * 1000LL);
	CHECK_INT("then the run", out[2].arrival, DRIVE_DAY_START + (8 * 3600 + 420) * 1000LL);
	/* Five minutes late: the dwell of 60 s is kept, the slack is gone. */
	p.time += 300 * 1000;
	eta_predict(NULL, c, &p, out);
	CHECK_INT("late", out[2].arrival, DRIVE_DAY_START + (8 * 3600 + 450 + 60 + 180) * 1000LL);
	course_unref(c);
}

/* Rush hours: a third slower from 7 to 9 and from 17 to 19, a little slower at noon. */
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

static void truth_visits(const struct drive_truth *t, size_t n, struct trace_stop *v)
{
	memset(v, 0, n * sizeof *v);
	for (size_t k = 0; k < n; k++) {
		if (t->visit[k] == DRIVE_STOPPED) {
			v[k].visit = TRACE_STOPPED;
			v[k].arrival = k ? t->arr[k] : 0;
			v[k].departure = t->dep[k];
		} else if (t->visit[k] == DRIVE_PASSED) {
			v[k].visit = TRACE_PASSED;
			v[k].arrival = t->arr[k];
		}
	}
}

static void test_days(void)
{
	struct rng g;
	rng_seed(&g, 42);
	struct drive_route r;
	drive_route_make(&r, &g, DRIVE_WINDING, 12, 0, 0, 9, "E");
	size_t n = r.nstops;
	struct eta_model *m = eta_model_new(0.3);
	double err_model = 0, err_sched = 0, err_delay = 0;
	size_t count = 0;
	for (int day = 0; day < 6; day++) {
		for (int32_t start = 6 * 3600; start <= 20 * 3600; start += 1200) {
			struct course *c = drive_course(&r, "T", "L", start);
			struct drive_opts o;
			drive_opts_default(&o);
			o.start = start;
			o.late_s = rng_range(&g, 0, 480);
			o.pass_rate = 0.1;
			o.pace = rush;
			struct drive_truth truth;
			size_t nfix;
			free(drive_run(&r, &o, &g, &truth, &nfix));
			struct trace_stop v[DRIVE_STOPS_MAX];
			truth_visits(&truth, n, v);
			if (day < 5) {
				eta_learn_trip(m, c, v);
				course_unref(c);
				continue;
			}
			/* Day six: a prediction as the bus leaves each stop, for every stop ahead. */
			for (size_t k = 0; k + 1 < n; k++) {
				struct eta_position p = {
					.time = truth.dep[k], .along = course_stop_along(c, k), .next_stop = k + 1,
					.pace = eta_pace(m, c, v, k + 1),
				};
				struct eta_stop out[DRIVE_STOPS_MAX];
				eta_predict(m, c, &p, out);
				double delay = (double)(truth.dep[k] - course_time_of(c, course_stop(c, k)->dep));
				for (size_t j = k + 1; j < n; j++) {
					jt_ms sched = course_time_of(c, course_stop(c, j)->arr);
					err_model += fabs((double)(out[j].arrival - truth.arr[j]));
					err_sched += fabs((double)(sched - truth.arr[j]));
					err_delay += fabs((double)sched + delay - (double)truth.arr[j]);
					count++;
				}
			}
			course_unref(c);
		}
	}
	err_model /= 1000.0 * (double)count;
	err_sched /= 1000.0 * (double)count;
	err_delay /= 1000.0 * (double)count;
	printf("mean absolute ETA error over %zu predictions: model %.0f s, timetable %.0f s, "
	       "timetable + current delay %.0f s (model/timetable %.2f)\n",
	       count, err_model, err_sched, err_delay, err_model / err_sched);
	CHECK_MSG("the model beats the timetable", err_model < err_sched);
	CHECK_MSG("and the timetable plus the current delay", err_model < err_delay);
	eta_model_free(m);
	drive_route_free(&r);
}

int main(void)
{
	test_buckets();
	test_days();
	return check_done("test_eta");
}
