/*
 * store.h — everything jintongd writes to PostgreSQL goes through here.
 *
 * A few connections ("links", pglink.h), each driven without blocking on the
 * event loop and each carrying a few statements at once. Fixes are queued as
 * tickets (one ticket = the fixes of one HTTP request) and written in groups:
 * whenever a link has room it takes as many waiting tickets as fit in one
 * statement, so the number of round trips does not grow with the number of
 * fixes (group commit). A ticket's callback runs once: after the transaction
 * holding its fixes has committed, or when they cannot be (the tablet is then
 * told 503 and resends; rows are keyed so a resend is never a duplicate).
 *
 * Other statements (admin changes, start-up loads, housekeeping) are queued
 * as jobs and run in order on whichever link has room.
 */
#ifndef JINTONG_STORE_H
#define JINTONG_STORE_H

#include <libpq-fe.h>

#include "core.h"
#include "metrics.h"

struct event_base;
struct store;

struct store_opts {
	long connections;
	long batch_max;        /* fixes per statement */
	long queue_max;        /* fixes waiting, beyond which nothing more is accepted */
	long reconnect_max_ms;
	long ack_timeout_ms;   /* tickets and jobs waiting longer are failed */
};

/* One row of the position table. */
struct store_row {
	int device_id;
	int vehicle_id;
	int64_t seq;
	jt_ms fix_time;
	jt_ms received_at;
	double lat, lon;
	double speed, heading, altitude, accuracy, battery; /* NAN = NULL */
	int quality;
};

enum store_outcome {
	STORE_COMMITTED,   /* durable */
	STORE_UNAVAILABLE, /* database unreachable or too slow: try again later */
	STORE_REFUSED,     /* the database refused these rows: trying again will not help */
};

typedef void (*store_fixes_cb)(void *arg, enum store_outcome outcome);
/* res is NULL when the statement could not be run (database unreachable). The store clears res after the callback. */
typedef void (*store_query_cb)(void *arg, const PGresult *res);

struct store_stats {
	uint64_t fixes_committed;
	uint64_t statements;
	struct histogram write;    /* statements that wrote fixes: sent to committed */
	uint64_t tickets_failed;
	uint64_t reconnects;
	double last_commit_ms;
};

struct store *store_new(struct event_base *base, const char *conninfo, const struct store_opts *o);
/* Fails everything still queued (UNAVAILABLE / NULL result) and closes the links. */
void store_free(struct store *s);
/* cb runs once, when the first link is ready to write. */
void store_on_first_ready(struct store *s, void (*cb)(void *arg), void *arg);
void store_set_opts(struct store *s, const struct store_opts *o);

/* Is at least one link connected, with room in the queue for n more fixes? */
bool store_accepting(const struct store *s, size_t n);
/* Copies the rows; cb is called later, never from inside this call. -1 if not accepting. */
int store_enqueue_fixes(struct store *s, const struct store_row *rows, size_t n,
			store_fixes_cb cb, void *arg) JT_MUST_CHECK;
/* Runs a statement with text parameters; cb is called later, never from inside this call. */
void store_query(struct store *s, const char *sql, int nparams, const char *const *params,
		 store_query_cb cb, void *arg);

size_t store_queued_fixes(const struct store *s);
/* Nothing queued and nothing in flight. */
bool store_idle(const struct store *s);
bool store_connected(const struct store *s);
const struct store_stats *store_stats(const struct store *s);
/* Called once a second by the housekeeping timer: fails tickets and jobs past their deadline. */
void store_tick(struct store *s);

#endif
