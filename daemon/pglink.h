/*
 * pglink.h — one connection to PostgreSQL, driven without blocking on the
 * event loop, with several statements in flight (libpq pipeline mode).
 *
 * Every statement sent is followed by its own synchronisation point, so each
 * is its own transaction: its callback runs once that transaction is over —
 * committed or rolled back — never earlier. A statement's INSERT result alone
 * proves nothing (the commit comes after it); the synchronisation point is
 * what says the commit is durable. Statements on one link run in the order
 * they were sent.
 *
 * When the connection is lost every statement in flight is answered with a
 * NULL result (it may or may not have been committed), and the link tries
 * again after a back-off that doubles up to a ceiling.
 */
#ifndef JINTONG_PGLINK_H
#define JINTONG_PGLINK_H

#include <libpq-fe.h>

#include "core.h"

struct event_base;
struct pglink;

/* A statement prepared on every (re)connection, before the link is ready. */
struct pglink_prepared {
	const char *name;
	const char *sql;
	int nparams;
	const Oid *types;
};

/*
 * res is the statement's result, or its first error, or NULL when the
 * connection was lost before the transaction's end was known. The link
 * clears res after the callback. The callback may send more statements.
 */
typedef void (*pglink_result_cb)(void *arg, const PGresult *res);

struct pglink_hooks {
	/* The link became ready, or finished a statement: it can take more. */
	void (*ready)(void *arg, struct pglink *l);
	/* The link was lost (after its statements in flight were answered). */
	void (*lost)(void *arg, struct pglink *l);
	void *arg;
};

/* Starts connecting at once. prep (and what it points to) must outlive the link. */
struct pglink *pglink_new(struct event_base *base, int index, const char *conninfo,
			  const struct pglink_prepared *prep, size_t nprep,
			  const struct pglink_hooks *hooks, long backoff_max_ms);
/* Answers whatever is in flight with NULL and closes the connection. */
void pglink_free(struct pglink *l);
void pglink_set_backoff_max(struct pglink *l, long ms);

int pglink_index(const struct pglink *l);
/* Connected, statements prepared: may be sent statements. */
bool pglink_ready(const struct pglink *l);
/* Statements sent whose transaction has not ended yet. */
size_t pglink_in_flight(const struct pglink *l);

/*
 * Sends a prepared statement (binary or text parameters, formats as for
 * PQexecPrepared) as a transaction of its own. -1 if the link is not ready
 * or the connection failed: cb will then never be called.
 */
int pglink_send_prepared(struct pglink *l, const char *name, int nparams,
			 const char *const *values, const int *lengths, const int *formats,
			 pglink_result_cb cb, void *arg) JT_MUST_CHECK;
/* The same for a statement with text parameters. */
int pglink_send_query(struct pglink *l, const char *sql, int nparams, const char *const *values,
		      pglink_result_cb cb, void *arg) JT_MUST_CHECK;

/* A libpq notice processor that sends server notices to the debug log. */
void pglink_notice(void *arg, const char *message);

#endif
