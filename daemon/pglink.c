/*
 * pglink.c — one pipelined PostgreSQL connection on the event loop; see
 * pglink.h.
 *
 * The link is a state machine (link_set_state() performs and logs every
 * transition):
 *
 *   DOWN --timer--> CONNECTING --polled ok--> PREPARING --prepared--> READY
 *   READY: 0..n statements in flight, answered in the order sent
 *   any --error--> DOWN (what was in flight is answered NULL; retried after a back-off)
 *
 * libpq is used the way its asynchronous API asks: PQconnectPoll until done,
 * re-arming for read or write as it says (the socket may change while
 * connecting). Once connected the socket is watched for reading all the
 * time, and for writing only while libpq holds bytes it could not send.
 * Results are read with PQconsumeInput and PQgetResult while PQisBusy says
 * one is complete. In pipeline mode each statement's results end with a
 * NULL, and the PGRES_PIPELINE_SYNC of its synchronisation point follows:
 * that is when its transaction has ended, and when its callback runs.
 *
 * A failure met while sending (inside a caller's call) is not acted on there:
 * the link is broken from its own event, so callbacks never nest.
 */
#include "pglink.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define CONNECT_TIMEOUT_S 10
#define BACKOFF_FIRST_MS 100

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_PREPARING, LINK_READY };
static const char *const link_state_names[] = { "down", "connecting", "preparing", "ready" };

/* A statement sent, waiting for the end of its transaction. */
struct flight {
	struct flight *next;
	pglink_result_cb cb;
	void *arg;
	PGresult *res; /* the first error, else the last result */
};

struct pglink {
	struct event_base *base;
	int index;
	char *conninfo;
	const struct pglink_prepared *prep;
	size_t nprep;
	struct pglink_hooks hooks;
	enum link_state state;
	PGconn *conn;
	struct event *ev;    /* connecting: as PQconnectPoll asks; then reading, persistently */
	struct event *wev;   /* writing, while libpq holds unsent bytes */
	struct event *retry; /* the next connection attempt */
	struct event *brk;   /* breaks the link from the loop after a failed send */
	long backoff_ms, backoff_max_ms;
	struct flight *head, *tail;
	size_t in_flight;
	bool failed;
	char why[320];
};

static void link_connect(struct pglink *l);

static void link_set_state(struct pglink *l, enum link_state to)
{
	if (l->state == to)
		return;
	log_debug("db.link", "link=%d from=%s to=%s", l->index, link_state_names[l->state],
		  link_state_names[to]);
	l->state = to;
}

static void flight_push(struct pglink *l, pglink_result_cb cb, void *arg)
{
	struct flight *f = xcalloc(1, sizeof *f);
	f->cb = cb;
	f->arg = arg;
	if (l->tail)
		l->tail->next = f;
	else
		l->head = f;
	l->tail = f;
	l->in_flight++;
}

static struct flight *flight_pop(struct pglink *l)
{
	struct flight *f = l->head;
	l->head = f->next;
	if (!l->head)
		l->tail = NULL;
	l->in_flight--;
	return f;
}

/* Answers every statement in flight with NULL: nobody knows whether they committed. */
static void fail_in_flight(struct pglink *l)
{
	while (l->head) {
		struct flight *f = flight_pop(l);
		if (f->res)
			PQclear(f->res);
		f->cb(f->arg, NULL);
		free(f);
	}
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	link_connect(arg);
}

/* The connection is lost: answer what it carried, and try again after a back-off. */
static void link_break(struct pglink *l, const char *why)
{
	char msg[256];
	snprintf(msg, sizeof msg, "%s", why && *why ? why : "connection lost");
	msg[strcspn(msg, "\n")] = '\0';
	enum link_state was = l->state;
	if (was != LINK_CONNECTING || l->backoff_ms == BACKOFF_FIRST_MS)
		log_warn("db.down", "link=%d state=%s error=\"%s\" in_flight=%zu retry_ms=%ld", l->index,
			 link_state_names[was], msg, l->in_flight, l->backoff_ms);
	link_set_state(l, LINK_DOWN);
	event_del(l->ev);
	event_del(l->wev);
	event_del(l->brk);
	if (l->conn) {
		PQfinish(l->conn);
		l->conn = NULL;
	}
	l->failed = false;
	struct timeval tv = { l->backoff_ms / 1000, (l->backoff_ms % 1000) * 1000 };
	evtimer_add(l->retry, &tv);
	l->backoff_ms *= 2;
	if (l->backoff_ms > l->backoff_max_ms)
		l->backoff_ms = l->backoff_max_ms;
	fail_in_flight(l);
	if (was == LINK_PREPARING || was == LINK_READY)
		l->hooks.lost(l->hooks.arg, l);
}

/* Marks the link broken; it is broken from the loop (see on_brk). */
static void link_fail(struct pglink *l, const char *why)
{
	if (l->failed)
		return;
	l->failed = true;
	snprintf(l->why, sizeof l->why, "%s", why && *why ? why : "connection lost");
	event_active(l->brk, 0, 0);
}

static void on_brk(evutil_socket_t fd, short what, void *arg)
{
	struct pglink *l = arg;
	if (l->failed)
		link_break(l, l->why);
}

/* Sends what libpq holds; watches for writability if some is left. */
static void link_flush(struct pglink *l)
{
	int r = PQflush(l->conn);
	if (r < 0)
		link_fail(l, PQerrorMessage(l->conn));
	else if (r == 1)
		event_add(l->wev, NULL);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
	struct pglink *l = arg;
	if (l->failed || !l->conn)
		return;
	int r = PQflush(l->conn);
	if (r < 0)
		link_break(l, PQerrorMessage(l->conn));
	else if (r == 1)
		event_add(l->wev, NULL);
}

static void prepared(void *arg, const PGresult *res)
{
	struct pglink *l = arg;
	if (!res)
		return; /* the link broke meanwhile */
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		/* Most likely the schema is missing: retrying will tell when it is there. */
		char why[300];
		snprintf(why, sizeof why, "preparing statements: %s", PQresultErrorMessage(res));
		link_fail(l, why);
		return;
	}
	l->backoff_ms = BACKOFF_FIRST_MS;
	log_info("db.up", "link=%d", l->index);
	link_set_state(l, LINK_READY);
}

/* Keeps the first error of a statement, else its last result. */
static void flight_keep(struct flight *f, PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	bool err = st == PGRES_FATAL_ERROR || st == PGRES_PIPELINE_ABORTED || st == PGRES_BAD_RESPONSE;
	if (f->res && PQresultStatus(f->res) == PGRES_FATAL_ERROR) {
		PQclear(res);
		return;
	}
	if (f->res)
		PQclear(f->res);
	f->res = res;
	if (err && st != PGRES_FATAL_ERROR) {
		/* Make it an error whatever libpq called it, so callers test one status. */
		PGresult *e = PQmakeEmptyPGresult(NULL, PGRES_FATAL_ERROR);
		if (e) {
			PQclear(f->res);
			f->res = e;
		}
	}
}

/* The synchronisation point of the oldest statement came: its transaction is over. */
static void flight_done(struct pglink *l)
{
	struct flight *f = flight_pop(l);
	PGresult *res = f->res;
	if (!res)
		res = PQmakeEmptyPGresult(l->conn, PGRES_FATAL_ERROR);
	f->cb(f->arg, res);
	PQclear(res);
	free(f);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct pglink *l = arg;
	if (l->failed || !l->conn)
		return;
	if (!PQconsumeInput(l->conn)) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	bool finished = false;
	int nulls = 0;
	while (l->head && !l->failed && !PQisBusy(l->conn)) {
		PGresult *res = PQgetResult(l->conn);
		if (!res) {
			/* The end of one statement's results; its synchronisation point is next. */
			if (++nulls > 1)
				break;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			flight_done(l);
			finished = true;
			continue;
		}
		flight_keep(l->head, res);
	}
	if (l->failed) {
		link_break(l, l->why);
		return;
	}
	if (PQstatus(l->conn) == CONNECTION_BAD) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	if (finished && l->state == LINK_READY)
		l->hooks.ready(l->hooks.arg, l);
}

/* Connected: enter pipeline mode and prepare the statements, all in one go. */
static void link_start(struct pglink *l)
{
	evutil_socket_t sock = PQsocket(l->conn);
	event_del(l->ev);
	event_assign(l->ev, l->base, sock, EV_READ | EV_PERSIST, on_read, l);
	event_assign(l->wev, l->base, sock, EV_WRITE, on_write, l);
	event_add(l->ev, NULL);
	link_set_state(l, LINK_PREPARING);
	if (!PQenterPipelineMode(l->conn)) {
		link_fail(l, PQerrorMessage(l->conn));
		return;
	}
	for (size_t i = 0; i < l->nprep; i++) {
		const struct pglink_prepared *p = &l->prep[i];
		if (!PQsendPrepare(l->conn, p->name, p->sql, p->nparams, p->types)) {
			link_fail(l, PQerrorMessage(l->conn));
			return;
		}
	}
	if (!PQpipelineSync(l->conn)) {
		link_fail(l, PQerrorMessage(l->conn));
		return;
	}
	flight_push(l, prepared, l);
	link_flush(l);
}

static void on_connecting(evutil_socket_t fd, short what, void *arg)
{
	struct pglink *l = arg;
	if (what & EV_TIMEOUT) {
		link_break(l, "timed out connecting");
		return;
	}
	short next;
	switch (PQconnectPoll(l->conn)) {
	case PGRES_POLLING_READING:
		next = EV_READ;
		break;
	case PGRES_POLLING_WRITING:
		next = EV_WRITE;
		break;
	case PGRES_POLLING_OK:
		link_start(l);
		return;
	default:
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	struct timeval tv = { CONNECT_TIMEOUT_S, 0 };
	event_del(l->ev);
	event_assign(l->ev, l->base, PQsocket(l->conn), next, on_connecting, l);
	event_add(l->ev, &tv);
}

void pglink_notice(void *arg, const char *message)
{
	log_debug("db.notice", "message=\"%.*s\"", (int)strcspn(message, "\n"), message);
}

static void link_connect(struct pglink *l)
{
	/* Defaults first: the operator's connection string overrides them. */
	const char *keys[] = { "application_name", "connect_timeout", "keepalives",
			       "keepalives_idle", "keepalives_interval", "keepalives_count",
			       "options", "dbname", NULL };
	const char *vals[] = { "jintongd", "10", "1", "10", "5", "3",
			       "-c statement_timeout=120000", l->conninfo, NULL };
	l->conn = PQconnectStartParams(keys, vals, 1);
	if (!l->conn || PQstatus(l->conn) == CONNECTION_BAD) {
		link_break(l, l->conn ? PQerrorMessage(l->conn) : "out of memory");
		return;
	}
	PQsetNoticeProcessor(l->conn, pglink_notice, l);
	if (PQsetnonblocking(l->conn, 1) != 0) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	link_set_state(l, LINK_CONNECTING);
	struct timeval tv = { CONNECT_TIMEOUT_S, 0 };
	event_del(l->ev);
	event_assign(l->ev, l->base, PQsocket(l->conn), EV_WRITE, on_connecting, l);
	event_add(l->ev, &tv);
}

struct pglink *pglink_new(struct event_base *base, int index, const char *conninfo,
			  const struct pglink_prepared *prep, size_t nprep,
			  const struct pglink_hooks *hooks, long backoff_max_ms)
{
	struct pglink *l = xcalloc(1, sizeof *l);
	l->base = base;
	l->index = index;
	l->conninfo = xstrdup(conninfo);
	l->prep = prep;
	l->nprep = nprep;
	l->hooks = *hooks;
	l->backoff_ms = BACKOFF_FIRST_MS;
	l->backoff_max_ms = backoff_max_ms;
	l->ev = event_new(base, -1, 0, on_connecting, l);
	l->wev = event_new(base, -1, 0, on_write, l);
	l->retry = evtimer_new(base, on_retry, l);
	l->brk = event_new(base, -1, 0, on_brk, l);
	link_connect(l);
	return l;
}

void pglink_free(struct pglink *l)
{
	if (!l)
		return;
	fail_in_flight(l);
	event_free(l->ev);
	event_free(l->wev);
	event_free(l->retry);
	event_free(l->brk);
	if (l->conn)
		PQfinish(l->conn);
	free(l->conninfo);
	free(l);
}

void pglink_set_backoff_max(struct pglink *l, long ms)
{
	l->backoff_max_ms = ms;
	if (l->backoff_ms > ms)
		l->backoff_ms = ms;
}

int pglink_index(const struct pglink *l)
{
	return l->index;
}

bool pglink_ready(const struct pglink *l)
{
	return l->state == LINK_READY && !l->failed;
}

size_t pglink_in_flight(const struct pglink *l)
{
	return l->in_flight;
}

/* The statement is queued in libpq: add its synchronisation point and send. */
static int link_sent(struct pglink *l, int ok, pglink_result_cb cb, void *arg)
{
	if (!ok || !PQpipelineSync(l->conn)) {
		link_fail(l, PQerrorMessage(l->conn));
		return -1;
	}
	flight_push(l, cb, arg);
	link_flush(l);
	return 0;
}

int pglink_send_prepared(struct pglink *l, const char *name, int nparams,
			 const char *const *values, const int *lengths, const int *formats,
			 pglink_result_cb cb, void *arg)
{
	if (!pglink_ready(l))
		return -1;
	return link_sent(l, PQsendQueryPrepared(l->conn, name, nparams, values, lengths, formats, 0),
			 cb, arg);
}

int pglink_send_query(struct pglink *l, const char *sql, int nparams, const char *const *values,
		      pglink_result_cb cb, void *arg)
{
	if (!pglink_ready(l))
		return -1;
	return link_sent(l, PQsendQueryParams(l->conn, sql, nparams, NULL, values, NULL, NULL, 0),
			 cb, arg);
}
