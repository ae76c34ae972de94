/*
 * tracking.h — the fleet's trackers in the daemon: one per vehicle (the
 * state machine in tracker.h), fed every fix ingest accepts, offered the
 * trips running near it (schedule.h), told by drivers which trip they run,
 * and turning what the trackers find into trip runs and stop events
 * (runs.h) and ETAs (eta.h) learnt from the trips run so far.
 *
 *   POST /v1/vehicles/{code}/sign-on   {"trip": CODE}   the driver starts a trip
 *   POST /v1/vehicles/{code}/sign-off                   and ends it
 *   POST /v1/vehicles/{code}/counts    {"stop": CODE or seq, "boarded": n, "alighted": n}
 *   GET  /v1/trips/{code}/run[?date=YYYY-MM-DD]         the trip's runs that day (today and yesterday)
 *
 * The vehicle requests take a device token of that vehicle or an operator
 * token; the trip's runs an operator token.
 */
#ifndef JINTONG_TRACKING_H
#define JINTONG_TRACKING_H

#include <json-c/json.h>
#include <libpq-fe.h>

#include "daemon.h"
#include "eta.h"
#include "trace.h"
#include "tracker.h"

struct evhttp_request;
struct vehicle;
struct run;

void tracking_init(struct jtd *d);
void tracking_free(struct jtd *d);
/* At start, after the network: today's runs and the ETA model's history. */
int tracking_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;

/* A fix ingest accepted for vehicle v (a good one, or a backlog's), in any order. */
void tracking_fix(struct jtd *d, const struct vehicle *v, const struct fix *f);

/* Once a second from the housekeeping timer. */
void tracking_tick(struct jtd *d);
/* Shutdown begins: what changed is written now. */
void tracking_stop(struct jtd *d);

/* /v1/vehicles/{code}/{action} for action sign-on, sign-off, counts. */
void tracking_vehicle_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *action);
/* GET /v1/trips/{code}/run */
void tracking_trip_run(struct jtd *d, struct evhttp_request *req, const char *code);

/* What the daemon knows of a vehicle's trip now. */
struct tracking_view {
	enum tracker_state state;
	struct course *course;     /* NULL when on no trip */
	const struct run *run;
	bool signed_on;
	bool has_progress;         /* a fix on the course so far */
	struct trace_progress progress;
	struct eta_stop *eta;      /* course_nstops entries when has_progress; 0 = none */
	int onboard;               /* riders counted on board, -1 unknown */
};
/* Fills out; free it with tracking_view_free. */
void tracking_view(struct jtd *d, const struct vehicle *v, struct tracking_view *out);
void tracking_view_free(struct tracking_view *out);

/* The "tracking" member of a vehicle's JSON: state, trip, progress, delay, next stops with ETAs. */
struct json_object *tracking_vehicle_json(struct jtd *d, const struct vehicle *v);

struct tracking_stats {
	size_t vehicles, tracking, matching; /* with a tracker; on a trip; choosing one */
	size_t etas;                         /* stops ahead of the vehicles on trips with an ETA */
	uint64_t fixes;                      /* fixes fed to trackers */
	double update_s;                     /* time spent feeding them */
	uint64_t assigned, sign_ons;
};
void tracking_stats(struct jtd *d, struct tracking_stats *out);

#endif
