/*
 * runs.h — trips as they were actually run: one record per vehicle, trip and
 * service day, with what happened at each stop (arrival, departure, passed,
 * skipped, each dated when it happened), kilometres driven and riders
 * counted on and off. Kept in memory for today and yesterday, written to
 * PostgreSQL (trip_run, stop_event, stop_count) without blocking the loop,
 * and read back at start.
 *
 * A run's life: opened when a tracker takes the trip (matched or signed
 * on), under way while it is tracked, then ended as completed (it reached
 * the last stop), dropped (the vehicle left the course) or signed off. A
 * run a vehicle takes up again the same day (after a restart, say) is the
 * same run.
 *
 * Stop events are written in groups: every change since the last write, for
 * every run, in one statement once a second. A stop and kind changed twice
 * meanwhile is written once, as it stands; a withdrawn event deletes its row.
 * When the database cannot take a group, its changes stay pending and go
 * with the next one.
 */
#ifndef JINTONG_RUNS_H
#define JINTONG_RUNS_H

#include <libpq-fe.h>

#include "daemon.h"
#include "date.h"
#include "tracker.h"

struct course;
struct eta_model;
struct evhttp_request;
struct vehicle;

#define RUN_KINDS 4 /* enum tracker_kind */

struct run_stop {
	jt_ms t[RUN_KINDS]; /* per kind: when it happened, 0 when it did not (or is not known) */
	bool est[RUN_KINDS];
	uint8_t dirty;      /* kinds changed since they were last written */
};

enum run_end { RUN_UNDER_WAY, RUN_COMPLETED, RUN_DROPPED, RUN_SIGNED_OFF };

struct run {
	char trip[33], line[33];
	jt_day day;
	int vehicle_id;
	char vehicle[33];
	struct course *course; /* held by the run */
	struct run_stop *stops; /* course_nstops of them */
	bool signed_on;
	jt_ms started, ended;  /* ended 0 while under way */
	enum run_end end;
	double km;
	int boarded, alighted; /* riders counted by the tablet */
	bool has_counts;
	bool dirty;            /* the trip_run row needs writing */
	bool live;             /* a tracker is on this run now */
	int busy;              /* counts with the database */
};

struct runs_stats {
	uint64_t events[RUN_KINDS]; /* new events, by kind */
	uint64_t revised, withdrawn;
	uint64_t written;           /* event rows written or deleted */
	uint64_t writes, failed;    /* statements, and those the database did not take */
	uint64_t opened, completed, dropped, signed_off;
	uint64_t counts;            /* rider counts stored */
};

void runs_init(struct jtd *d);
void runs_free(struct jtd *d);

/*
 * At start, on the blocking connection: the runs of yesterday and today with
 * their stop events and counts, and `history_days` of stop events taught to
 * the ETA model.
 */
int runs_load(struct jtd *d, PGconn *c, struct eta_model *m, long history_days, char *err,
	      size_t errlen) JT_MUST_CHECK;

/* The run of vehicle v on course c's trip and day, made when there is none; its state is left alone. */
struct run *runs_open(struct jtd *d, struct course *c, const struct vehicle *v);
/* The run of a vehicle on a trip and service day, or NULL (never kept, or forgotten). */
struct run *runs_find(struct jtd *d, const char *trip, jt_day day, int vehicle_id);
/* Applies a tracker's stop event to its run. */
void runs_event(struct jtd *d, struct run *r, const struct tracker_event *ev);
/* Marks the run as ended at `at`. */
void runs_end(struct jtd *d, struct run *r, enum run_end how, jt_ms at);
const char *runs_end_name(enum run_end e);

/* Each run in turn: start with *pos = 0; NULL when done. */
struct run *runs_next(struct jtd *d, size_t *pos);

/* Once a second: writes what changed; now and then forgets runs older than yesterday. */
void runs_tick(struct jtd *d);
/* Writes what changed now (shutdown). */
void runs_flush(struct jtd *d);
/* Stop events changed and not yet written. */
size_t runs_pending(struct jtd *d);
const struct runs_stats *runs_stats(struct jtd *d);

/*
 * Stores a tablet's count at stop k of run r and replies to req: 200 with
 * the run's riders on board once committed, 503 when the database cannot
 * take it now.
 */
void runs_add_count(struct jtd *d, struct evhttp_request *req, struct run *r, size_t k, int boarded,
		    int alighted, const char *who);

/* Riders on board by the counts so far; -1 when nothing was counted. */
int runs_onboard(const struct run *r);

/*
 * A run as JSON: its stops with planned and actual times, and, where eta is
 * given (course_nstops entries, 0 = none), the expected ones.
 */
struct eta_stop;
struct json_object *runs_json(const struct run *r, const struct eta_stop *eta, bool has_delay,
			      int32_t delay_s);

#endif
