/*
 * tablet.h — a driver's tablet as the daemon sees it: it records a fix every
 * few seconds, keeps every fix until the daemon has acknowledged it, and
 * uploads over one kept-alive HTTP connection when it has coverage. Some
 * tablets run the OsmAnd tracking app (one GET per fix, oldest first), the
 * others the native client (protobuf FixBatch with sequence numbers and the
 * device token; a backlog goes up as one batch). A 503 with Retry-After or a
 * network error keeps the fixes for later; a fix the daemon refuses is
 * counted and let go, since resending it would not help.
 */
#ifndef JINTONG_SIM_TABLET_H
#define JINTONG_SIM_TABLET_H

#include "county.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct evhttp_connection;

/* Counters over the whole fleet, for the status line. */
struct fleet_stats {
	uint64_t recorded;   /* fixes made by the tablets */
	uint64_t sent;       /* fixes put on the wire, resends included */
	uint64_t acked;      /* fixes the daemon stored */
	uint64_t rejected;   /* fixes the daemon refused for good */
	uint64_t failures;   /* requests that ended without an answer or with 5xx/4xx */
	char last_error[256];
};

/* Where the tablets upload to, shared by all of them. */
struct uplink {
	struct event_base *base;
	char host[128];
	int port;
	int max_batch;       /* fixes per native batch */
	struct fleet_stats *stats;
};

struct pending_fix {
	uint64_t seq;
	int64_t time_ms;
	struct reading r;
};

enum tablet_app { TABLET_OSMAND, TABLET_NATIVE };

struct tablet {
	struct uplink *up;
	enum tablet_app app;
	char device[128];
	char vehicle[64];
	char token[160];
	uint64_t next_seq;
	struct rng rng;
	/* fixes not yet acknowledged, oldest first: buf[head .. len) */
	struct pending_fix *buf;
	size_t head, len, cap;
	bool covered;        /* has 4G signal now */
	bool in_flight;
	size_t flight_n;     /* fixes at the front that the request in flight carries */
	bool conn_broken;    /* drop the connection before the next request */
	int batch_limit;     /* lowered after a 413 */
	int failures_in_row;
	double retry_at;     /* monotonic seconds before which nothing is sent */
	int last_error_kind; /* from libevent's error callback, -1 when none */
	struct evhttp_connection *conn;
};

void tablet_init(struct tablet *t, struct uplink *up, enum tablet_app app, const char *device,
		 const char *vehicle, const char *token, uint64_t first_seq, uint64_t seed);
void tablet_free(struct tablet *t);

/* Keeps a new fix (measured at time_ms) until the daemon acknowledges it. */
void tablet_record(struct tablet *t, int64_t time_ms, const struct reading *r);
/* Starts an upload when there is something to send, coverage, nothing in
 * flight and no back-off pending. now is monotonic seconds. */
void tablet_pump(struct tablet *t, double now);
size_t tablet_backlog(const struct tablet *t);

double sim_mono_s(void);

#endif
