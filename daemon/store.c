/*
 * store.c — PostgreSQL links driven by the event loop; see store.h.
 *
 * Each link is a state machine (link_set_state() performs and logs every
 * transition):
 *
 *   DOWN --timer--> CONNECTING --polled ok--> PREPARING --prepared--> READY
 *   READY --work--> BUSY --result--> READY
 *   any --error--> DOWN (what was in flight is failed; retried after a backoff)
 *
 * libpq is used the way its asynchronous API asks: PQconnectPoll until done,
 * re-arming for read or write as it says (the socket may change while
 * connecting); after sending, PQflush until the whole query is out; then
 * PQconsumeInput on every readable event until PQisBusy says a result is there.
 */
#include "store.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pgarray.h"
#include "util.h"

#define CONNECT_TIMEOUT_S 10
#define BACKOFF_FIRST_MS 100
#define INSERT_NAME "jt_insert_positions"
/* A second link starts writing fixes once batch_max / PARALLEL_SHARE wait. */
#define PARALLEL_SHARE 10

static const char insert_sql[] =
	"INSERT INTO position (device_id, vehicle_id, seq, fix_time, received_at, lat, lon, "
	"speed, heading, altitude, accuracy, battery, quality) "
	"SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
	"ON CONFLICT DO NOTHING";
static const Oid insert_types[] = {
	PG_INT4_ARRAY,   PG_INT4_ARRAY,   PG_INT8_ARRAY,   PG_TIMESTAMPTZ_ARRAY, PG_TIMESTAMPTZ_ARRAY,
	PG_FLOAT8_ARRAY, PG_FLOAT8_ARRAY, PG_FLOAT4_ARRAY, PG_FLOAT4_ARRAY,      PG_FLOAT4_ARRAY,
	PG_FLOAT4_ARRAY, PG_FLOAT4_ARRAY, PG_INT2_ARRAY,
};
static const uint32_t insert_elems[] = {
	PG_INT4,   PG_INT4,   PG_INT8,   PG_TIMESTAMPTZ, PG_TIMESTAMPTZ, PG_FLOAT8, PG_FLOAT8,
	PG_FLOAT4, PG_FLOAT4, PG_FLOAT4, PG_FLOAT4,      PG_FLOAT4,      PG_INT2,
};
#define INSERT_PARAMS 13

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_PREPARING, LINK_READY, LINK_BUSY };
static const char *const link_state_names[] = { "down", "connecting", "preparing", "ready", "busy" };

struct ticket {
	struct ticket *next;
	size_t n;
	store_fixes_cb cb;
	void *arg;
	int64_t deadline;
	bool solo; /* written on its own, after a group it was in was refused */
	struct store_row rows[];
};

struct job {
	struct job *next;
	char *sql;
	int nparams;
	char **params;
	store_query_cb cb;
	void *arg;
	int64_t deadline;
};

struct link {
	struct store *s;
	int index;
	enum link_state state;
	PGconn *conn;
	struct event *ev;
	struct event *retry;
	long backoff_ms;
	/* in flight */
	struct ticket *batch;
	size_t batch_rows;
	struct job *job;
	PGresult *result;
	int64_t sent_at;
};

struct store {
	struct event_base *base;
	char *conninfo;
	struct store_opts o;
	struct link *links;
	size_t nlinks;
	struct ticket *head, *tail;
	size_t queued_rows;
	struct job *jhead, *jtail;
	struct event *kick; /* runs dispatch() from the loop, so callbacks never nest */
	struct store_stats stats;
	void (*on_first_ready)(void *arg);
	void *on_first_ready_arg;
};

static void link_connect(struct link *l);
static void link_arm(struct link *l, short what);
static void dispatch(struct store *s);

static void link_set_state(struct link *l, enum link_state to)
{
	if (l->state == to)
		return;
	log_debug("db.link", "link=%d from=%s to=%s", l->index, link_state_names[l->state],
		  link_state_names[to]);
	l->state = to;
}

static void ticket_free(struct ticket *t)
{
	free(t);
}

static void job_free(struct job *j)
{
	for (int i = 0; i < j->nparams; i++)
		free(j->params[i]);
	free(j->params);
	free(j->sql);
	free(j);
}

static void finish_ticket(struct store *s, struct ticket *t, enum store_outcome out)
{
	if (!t->cb) {
		/* Answered already (too slow); the rows may still have been committed. */
		if (out == STORE_COMMITTED)
			s->stats.fixes_committed += t->n;
		ticket_free(t);
		return;
	}
	if (out == STORE_COMMITTED)
		s->stats.fixes_committed += t->n;
	else
		s->stats.tickets_failed++;
	t->cb(t->arg, out);
	ticket_free(t);
}

static void fail_in_flight(struct link *l, enum store_outcome out)
{
	struct ticket *t = l->batch;
	l->batch = NULL;
	l->batch_rows = 0;
	while (t) {
		struct ticket *next = t->next;
		finish_ticket(l->s, t, out);
		t = next;
	}
	if (l->job) {
		struct job *j = l->job;
		l->job = NULL;
		j->cb(j->arg, NULL);
		job_free(j);
	}
	if (l->result) {
		PQclear(l->result);
		l->result = NULL;
	}
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	link_connect(arg);
}

/* The link is lost: fail what it carried, and try again after a backoff. */
static void link_break(struct link *l, const char *why)
{
	char msg[256];
	snprintf(msg, sizeof msg, "%s", why && *why ? why : "connection lost");
	msg[strcspn(msg, "\n")] = '\0';
	if (l->state != LINK_CONNECTING || l->backoff_ms == BACKOFF_FIRST_MS)
		log_warn("db.down", "link=%d state=%s error=\"%s\" retry_ms=%ld", l->index,
			 link_state_names[l->state], msg, l->backoff_ms);
	fail_in_flight(l, STORE_UNAVAILABLE);
	if (l->state != LINK_DOWN && l->state != LINK_CONNECTING)
		l->s->stats.reconnects++;
	if (l->ev)
		event_del(l->ev);
	if (l->conn) {
		PQfinish(l->conn);
		l->conn = NULL;
	}
	link_set_state(l, LINK_DOWN);
	struct timeval tv = { l->backoff_ms / 1000, (l->backoff_ms % 1000) * 1000 };
	evtimer_add(l->retry, &tv);
	l->backoff_ms *= 2;
	if (l->backoff_ms > l->s->o.reconnect_max_ms)
		l->backoff_ms = l->s->o.reconnect_max_ms;
}

static bool class_is(const PGresult *res, const char *cls)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return st && strncmp(st, cls, 2) == 0;
}

/* Errors after which the same statement may succeed later. */
static bool transient(const PGresult *res)
{
	return class_is(res, "08") || class_is(res, "53") || class_is(res, "57") ||
	       class_is(res, "40") || class_is(res, "55");
}

static void batch_done(struct link *l, PGresult *res)
{
	struct store *s = l->s;
	struct ticket *t = l->batch;
	l->batch = NULL;
	l->batch_rows = 0;
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		s->stats.last_commit_ms = (double)(mono_ms() - l->sent_at);
		histogram_observe(&s->stats.write, s->stats.last_commit_ms);
		while (t) {
			struct ticket *next = t->next;
			finish_ticket(s, t, STORE_COMMITTED);
			t = next;
		}
		return;
	}
	const char *err = PQresultErrorMessage(res);
	if (transient(res)) {
		log_warn("db.write_failed", "link=%d error=\"%.*s\"", l->index,
			 (int)strcspn(err, "\n"), err);
		while (t) {
			struct ticket *next = t->next;
			finish_ticket(s, t, STORE_UNAVAILABLE);
			t = next;
		}
		return;
	}
	if (t && !t->next) {
		log_error("db.rows_refused", "link=%d fixes=%zu error=\"%.*s\"", l->index, t->n,
			  (int)strcspn(err, "\n"), err);
		finish_ticket(s, t, STORE_REFUSED);
		return;
	}
	/* One request's rows spoil the group: write each request on its own. */
	log_warn("db.group_refused", "link=%d error=\"%.*s\" action=retry_each", l->index,
		 (int)strcspn(err, "\n"), err);
	struct ticket *last = t;
	for (struct ticket *x = t; x; x = x->next) {
		x->solo = true;
		last = x;
	}
	last->next = s->head;
	s->head = t;
	if (!s->tail)
		s->tail = last;
	for (struct ticket *x = t; x; x = x->next)
		s->queued_rows += x->n;
}

static void result_done(struct link *l)
{
	PGresult *res = l->result;
	l->result = NULL;
	l->s->stats.statements++;
	if (l->state == LINK_PREPARING) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			/* Most likely the schema is missing: retrying will tell when it is there. */
			char why[300];
			snprintf(why, sizeof why, "preparing the insert: %s", PQresultErrorMessage(res));
			PQclear(res);
			link_break(l, why);
			return;
		}
		PQclear(res);
		l->backoff_ms = BACKOFF_FIRST_MS;
		log_info("db.up", "link=%d", l->index);
		link_set_state(l, LINK_READY);
		if (l->s->on_first_ready) {
			void (*cb)(void *) = l->s->on_first_ready;
			l->s->on_first_ready = NULL;
			cb(l->s->on_first_ready_arg);
		}
		link_arm(l, EV_READ);
		dispatch(l->s);
		return;
	}
	if (l->batch) {
		batch_done(l, res);
	} else if (l->job) {
		struct job *j = l->job;
		l->job = NULL;
		j->cb(j->arg, res);
		job_free(j);
	}
	PQclear(res);
	if (PQstatus(l->conn) == CONNECTION_BAD) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	link_set_state(l, LINK_READY);
	link_arm(l, EV_READ);
	dispatch(l->s);
}

/* Reads whatever the server sent; delivers the result when complete. */
static void link_read(struct link *l)
{
	if (!PQconsumeInput(l->conn)) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	if (l->state == LINK_READY) {
		/* Idle: only notices, or the server going away. */
		if (PQstatus(l->conn) == CONNECTION_BAD)
			link_break(l, PQerrorMessage(l->conn));
		return;
	}
	while (!PQisBusy(l->conn)) {
		PGresult *res = PQgetResult(l->conn);
		if (!res) {
			if (!l->result)
				l->result = PQmakeEmptyPGresult(l->conn, PGRES_FATAL_ERROR);
			result_done(l);
			return;
		}
		/* Keep the first error, else the last result. */
		if (l->result && PQresultStatus(l->result) == PGRES_FATAL_ERROR) {
			PQclear(res);
		} else {
			if (l->result)
				PQclear(l->result);
			l->result = res;
		}
	}
	link_arm(l, EV_READ);
}

static void on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct link *l = arg;
	if (l->state == LINK_CONNECTING) {
		if (what & EV_TIMEOUT) {
			link_break(l, "timed out connecting");
			return;
		}
		switch (PQconnectPoll(l->conn)) {
		case PGRES_POLLING_READING:
			link_arm(l, EV_READ);
			return;
		case PGRES_POLLING_WRITING:
			link_arm(l, EV_WRITE);
			return;
		case PGRES_POLLING_OK:
			link_set_state(l, LINK_PREPARING);
			if (!PQsendPrepare(l->conn, INSERT_NAME, insert_sql, INSERT_PARAMS, insert_types)) {
				link_break(l, PQerrorMessage(l->conn));
				return;
			}
			l->sent_at = mono_ms();
			link_arm(l, EV_READ | EV_WRITE);
			return;
		default:
			link_break(l, PQerrorMessage(l->conn));
			return;
		}
	}
	if (what & EV_WRITE) {
		int r = PQflush(l->conn);
		if (r < 0) {
			link_break(l, PQerrorMessage(l->conn));
			return;
		}
		if (r == 1) {
			link_arm(l, EV_READ | EV_WRITE);
			return;
		}
	}
	if (what & EV_READ) {
		link_read(l);
		return;
	}
	link_arm(l, EV_READ);
}

static void link_arm(struct link *l, short what)
{
	event_del(l->ev);
	event_assign(l->ev, l->s->base, PQsocket(l->conn), what, on_socket, l);
	struct timeval tv = { CONNECT_TIMEOUT_S, 0 };
	event_add(l->ev, l->state == LINK_CONNECTING ? &tv : NULL);
}

void store_notice(void *arg, const char *message)
{
	log_debug("db.notice", "message=\"%.*s\"", (int)strcspn(message, "\n"), message);
}

static void link_connect(struct link *l)
{
	/* Defaults first: the operator's connection string overrides them. */
	const char *keys[] = { "application_name", "connect_timeout", "keepalives",
			       "keepalives_idle", "keepalives_interval", "keepalives_count",
			       "options", "dbname", NULL };
	const char *vals[] = { "jintongd", "10", "1", "10", "5", "3",
			       "-c statement_timeout=120000", l->s->conninfo, NULL };
	l->conn = PQconnectStartParams(keys, vals, 1);
	if (!l->conn || PQstatus(l->conn) == CONNECTION_BAD) {
		link_break(l, l->conn ? PQerrorMessage(l->conn) : "out of memory");
		return;
	}
	PQsetNoticeProcessor(l->conn, store_notice, l);
	if (PQsetnonblocking(l->conn, 1) != 0) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	link_set_state(l, LINK_CONNECTING);
	link_arm(l, EV_WRITE);
}

static void link_send_batch(struct link *l)
{
	struct store *s = l->s;
	struct ticket *first = s->head, *last = first;
	size_t rows = first->n;
	if (!first->solo)
		while (last->next && !last->next->solo && rows + last->next->n <= (size_t)s->o.batch_max) {
			last = last->next;
			rows += last->n;
		}
	s->head = last->next;
	if (!s->head)
		s->tail = NULL;
	last->next = NULL;
	s->queued_rows -= rows;
	l->batch = first;
	l->batch_rows = rows;

	struct pgarray col[INSERT_PARAMS];
	for (int c = 0; c < INSERT_PARAMS; c++)
		pgarray_init(&col[c], insert_elems[c], rows);
	for (struct ticket *t = first; t; t = t->next) {
		for (size_t i = 0; i < t->n; i++) {
			const struct store_row *r = &t->rows[i];
			pgarray_int4(&col[0], r->device_id);
			pgarray_int4(&col[1], r->vehicle_id);
			pgarray_int8(&col[2], r->seq);
			pgarray_timestamptz(&col[3], r->fix_time);
			pgarray_timestamptz(&col[4], r->received_at);
			pgarray_float8(&col[5], r->lat);
			pgarray_float8(&col[6], r->lon);
			pgarray_float4_or_null(&col[7], r->speed);
			pgarray_float4_or_null(&col[8], r->heading);
			pgarray_float4_or_null(&col[9], r->altitude);
			pgarray_float4_or_null(&col[10], r->accuracy);
			pgarray_float4_or_null(&col[11], r->battery);
			pgarray_int2(&col[12], (int16_t)r->quality);
		}
	}
	const char *params[INSERT_PARAMS];
	int lengths[INSERT_PARAMS], formats[INSERT_PARAMS];
	for (int c = 0; c < INSERT_PARAMS; c++) {
		pgarray_finish(&col[c]);
		params[c] = (const char *)col[c].p;
		lengths[c] = (int)col[c].len;
		formats[c] = 1;
	}
	int ok = PQsendQueryPrepared(l->conn, INSERT_NAME, INSERT_PARAMS, params, lengths, formats, 0);
	for (int c = 0; c < INSERT_PARAMS; c++)
		pgarray_free(&col[c]);
	link_set_state(l, LINK_BUSY);
	l->sent_at = mono_ms();
	if (!ok) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	link_arm(l, EV_READ | EV_WRITE);
}

static void link_send_job(struct link *l)
{
	struct store *s = l->s;
	struct job *j = s->jhead;
	s->jhead = j->next;
	if (!s->jhead)
		s->jtail = NULL;
	j->next = NULL;
	l->job = j;
	link_set_state(l, LINK_BUSY);
	l->sent_at = mono_ms();
	if (!PQsendQueryParams(l->conn, j->sql, j->nparams, NULL,
			       (const char *const *)j->params, NULL, NULL, 0)) {
		link_break(l, PQerrorMessage(l->conn));
		return;
	}
	link_arm(l, EV_READ | EV_WRITE);
}

/* Gives waiting work to every free link: jobs first, they are few and people wait on them. */
static bool writing_fixes(const struct store *s)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->links[i].batch)
			return true;
	return false;
}

/*
 * Gives waiting work to free links: jobs first, they are few and people wait
 * on them. A second group of fixes is started beside one already being
 * written only when enough fixes wait: small groups on several links cost the
 * server more than one larger group a moment later (each commit has its own
 * fixed cost), so under light load one link carries the stream.
 */
static void dispatch(struct store *s)
{
	for (size_t i = 0; i < s->nlinks; i++) {
		struct link *l = &s->links[i];
		if (l->state != LINK_READY)
			continue;
		if (s->jhead)
			link_send_job(l);
		else if (s->head && (s->queued_rows >= (size_t)s->o.batch_max / PARALLEL_SHARE ||
				     !writing_fixes(s)))
			link_send_batch(l);
		else
			return;
	}
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
	dispatch(arg);
}

struct store *store_new(struct event_base *base, const char *conninfo, const struct store_opts *o)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->base = base;
	s->conninfo = xstrdup(conninfo);
	s->o = *o;
	s->kick = event_new(base, -1, 0, on_kick, s);
	s->nlinks = (size_t)o->connections;
	s->links = xcalloc(s->nlinks, sizeof *s->links);
	for (size_t i = 0; i < s->nlinks; i++) {
		struct link *l = &s->links[i];
		l->s = s;
		l->index = (int)i;
		l->backoff_ms = BACKOFF_FIRST_MS;
		l->ev = event_new(base, -1, 0, on_socket, l);
		l->retry = evtimer_new(base, on_retry, l);
		link_connect(l);
	}
	return s;
}

void store_on_first_ready(struct store *s, void (*cb)(void *arg), void *arg)
{
	s->on_first_ready = cb;
	s->on_first_ready_arg = arg;
}

void store_set_opts(struct store *s, const struct store_opts *o)
{
	long connections = s->o.connections;
	s->o = *o;
	s->o.connections = connections; /* fixed at start */
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlinks; i++) {
		struct link *l = &s->links[i];
		fail_in_flight(l, STORE_UNAVAILABLE);
		event_free(l->ev);
		event_free(l->retry);
		if (l->conn)
			PQfinish(l->conn);
	}
	while (s->head) {
		struct ticket *t = s->head;
		s->head = t->next;
		finish_ticket(s, t, STORE_UNAVAILABLE);
	}
	while (s->jhead) {
		struct job *j = s->jhead;
		s->jhead = j->next;
		j->cb(j->arg, NULL);
		job_free(j);
	}
	event_free(s->kick);
	free(s->links);
	free(s->conninfo);
	free(s);
}

bool store_connected(const struct store *s)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->links[i].state == LINK_READY || s->links[i].state == LINK_BUSY)
			return true;
	return false;
}

bool store_accepting(const struct store *s, size_t n)
{
	return store_connected(s) && s->queued_rows + n <= (size_t)s->o.queue_max;
}

int store_enqueue_fixes(struct store *s, const struct store_row *rows, size_t n,
			store_fixes_cb cb, void *arg)
{
	if (!store_accepting(s, n))
		return -1;
	struct ticket *t = xmalloc(sizeof *t + n * sizeof *rows);
	memset(t, 0, sizeof *t);
	memcpy(t->rows, rows, n * sizeof *rows);
	t->n = n;
	t->cb = cb;
	t->arg = arg;
	t->deadline = mono_ms() + s->o.ack_timeout_ms;
	if (s->tail)
		s->tail->next = t;
	else
		s->head = t;
	s->tail = t;
	s->queued_rows += n;
	event_active(s->kick, 0, 0);
	return 0;
}

void store_query(struct store *s, const char *sql, int nparams, const char *const *params,
		 store_query_cb cb, void *arg)
{
	struct job *j = xcalloc(1, sizeof *j);
	j->sql = xstrdup(sql);
	j->nparams = nparams;
	j->params = xcalloc((size_t)nparams + 1, sizeof *j->params);
	for (int i = 0; i < nparams; i++)
		j->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	j->cb = cb;
	j->arg = arg;
	j->deadline = mono_ms() + s->o.ack_timeout_ms;
	if (s->jtail)
		s->jtail->next = j;
	else
		s->jhead = j;
	s->jtail = j;
	event_active(s->kick, 0, 0);
}

size_t store_queued_fixes(const struct store *s)
{
	return s->queued_rows;
}

bool store_idle(const struct store *s)
{
	if (s->head || s->jhead)
		return false;
	for (size_t i = 0; i < s->nlinks; i++)
		if (s->links[i].batch || s->links[i].job)
			return false;
	return true;
}

const struct store_stats *store_stats(const struct store *s)
{
	return &s->stats;
}

void store_tick(struct store *s)
{
	int64_t now = mono_ms();
	/* Tickets are queued in deadline order. */
	while (s->head && s->head->deadline <= now) {
		struct ticket *t = s->head;
		s->head = t->next;
		if (!s->head)
			s->tail = NULL;
		s->queued_rows -= t->n;
		log_warn("db.ack_timeout", "fixes=%zu waited_ms=%ld", t->n, s->o.ack_timeout_ms);
		finish_ticket(s, t, STORE_UNAVAILABLE);
	}
	/*
	 * Statements the database is slow to finish: tell the tablets now (they
	 * resend; a resend of a row that did commit is a no-op) and let the
	 * statement run on.
	 */
	for (size_t i = 0; i < s->nlinks; i++) {
		for (struct ticket *t = s->links[i].batch; t; t = t->next) {
			if (t->cb && t->deadline <= now) {
				log_warn("db.ack_timeout", "link=%zu fixes=%zu in_flight=yes", i, t->n);
				s->stats.tickets_failed++;
				t->cb(t->arg, STORE_UNAVAILABLE);
				t->cb = NULL;
			}
		}
	}
	while (s->jhead && s->jhead->deadline <= now) {
		struct job *j = s->jhead;
		s->jhead = j->next;
		if (!s->jhead)
			s->jtail = NULL;
		j->cb(j->arg, NULL);
		job_free(j);
	}
}
