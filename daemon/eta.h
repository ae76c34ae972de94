/*
 * eta.h — expected arrival times at the stops ahead of a bus. Pure.
 *
 * The model learns running times between consecutive stops (departure from
 * one to arrival at the next) and dwell times at stops, in buckets per hour
 * of the day, each an exponentially weighted mean, so the morning market
 * traffic and the school run are learnt apart and old days fade. A segment
 * or hour with nothing learnt falls back to the nearest hour, then to the
 * timetable.
 *
 * A prediction walks the stops ahead from where the bus is now: running
 * time for the hour it will be driving, scaled by this trip's pace so far
 * (its observed running times against the learnt ones; the pace fades back
 * to 1 over the next few stops), dwell, and no departure before the
 * timetable (rural drivers wait at a stop they reach early). A late bus
 * therefore recovers its delay where the timetable has slack, and the
 * delay it carries decays stop by stop rather than being copied to every
 * stop ahead.
 */
#ifndef JINTONG_ETA_H
#define JINTONG_ETA_H

#include "core.h"

struct course;
struct trace_stop;

struct eta_model;

/* alpha: weight of a new observation in its bucket's mean (0.3 is a few days' memory). */
struct eta_model *eta_model_new(double alpha);
void eta_model_free(struct eta_model *m);

/* One observed running time from stop `from` to stop `to`, leaving at day_s (seconds of the day). */
void eta_learn_run(struct eta_model *m, const char *from, const char *to, double day_s, double run_s);
/* One observed dwell (0 for a stop passed without stopping). */
void eta_learn_dwell(struct eta_model *m, const char *stop, double day_s, double dwell_s);
/* Everything a trip's stop visits tell: each pair of consecutive stops with observed times. */
void eta_learn_trip(struct eta_model *m, const struct course *c, const struct trace_stop *visits);

/* The learnt running time and dwell at a time of day; NAN when nothing is learnt near that hour. */
double eta_run_time(const struct eta_model *m, const char *from, const char *to, double day_s);
double eta_dwell(const struct eta_model *m, const char *stop, double day_s);

/* Where a bus is, as the prediction needs it. */
struct eta_position {
	jt_ms time;       /* when it was there */
	double along;     /* metres along the course */
	size_t next_stop; /* the first stop not yet left behind */
	bool at_stop;     /* standing at next_stop */
	double pace;      /* its running times so far over the expected ones; 1 when unknown */
};

/*
 * This trip's pace from its visits up to (not including) stop `upto`: the
 * last three segments with observed ends, their running times over what the
 * model (or the timetable) expected. Clamped to 0.5..2; 1 with no segment.
 */
double eta_pace(const struct eta_model *m, const struct course *c, const struct trace_stop *visits,
		size_t upto);

struct eta_stop {
	jt_ms arrival, departure; /* 0 for stops already left behind */
};

/* Predicted times at every stop from p->next_stop on; out has course_nstops entries. */
void eta_predict(const struct eta_model *m, const struct course *c, const struct eta_position *p,
		 struct eta_stop *out);

#endif
