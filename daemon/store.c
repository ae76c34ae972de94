/*
 * store.c — the queue of fixes and statements, and how it is spread over the
 * links to PostgreSQL; see store.h.
 *
 * A group is a statement writing the fixes of one or more tickets. Each link
 * carries up to LINK_DEPTH statements at once (pglink.h: each its own
 * transaction, answered after its commit), so the server has the next group
 * at hand when it finishes one, instead of waiting a round trip for it. A
 * further group is started beside those in flight only when enough fixes
 * wait (GROUP_MIN), or when nothing is in flight: each commit has its own
 * fixed cost and its own WAL flush, so under light load one group at a time
 * carries the stream. Groups go to the first link; the others take groups
 * only when a backlog builds (batch_max / PARALLEL_SHARE fixes waiting): on
 * a small machine one backend writing groups back to back does more than two
 * sharing the processors with the daemon, each with smaller groups and so
 * more commits. Jobs go to the link with the fewest statements in flight.
 *
 * Fixes are written with a plain INSERT, which checks the unique key once,
 * as it inserts. A resent fix that was already stored makes that INSERT fail
 * (unique_violation): its group is then written again with ON CONFLICT DO
 * NOTHING, which checks every row before inserting it — the safe way, but
 * dearer — and so are all groups for LENIENT_MS after, as resends come in
 * bursts (a tablet back in coverage, a restart).
 */
#include "store.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pgarray.h"
#include "pglink.h"
#include "util.h"

/* Statements in flight on one link. */
#define LINK_DEPTH 3
/* Fixes waiting before a group is started beside others in flight. */
#define GROUP_MIN 16
/* Links past the first write fixes once batch_max / PARALLEL_SHARE wait. */
#define PARALLEL_SHARE 10
/* How long groups are written the lenient way after a resend was met. */
#define LENIENT_MS 10000

#define INSERT_COLUMNS \
	"INSERT INTO position (device_id, vehicle_id, seq, fix_time, received_at, lat, lon, " \
	"speed, heading, altitude, accuracy, battery, quality) " \
	"SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
#define INSERT_PARAMS 13
static const Oid insert_types[] = {
	PG_INT4_ARRAY,   PG_INT4_ARRAY,   PG_INT8_ARRAY,   PG_TIMESTAMPTZ_ARRAY, PG_TIMESTAMPTZ_ARRAY,
	PG_FLOAT8_ARRAY, PG_FLOAT8_ARRAY, PG_FLOAT4_ARRAY, PG_FLOAT4_ARRAY,      PG_FLOAT4_ARRAY,
	PG_FLOAT4_ARRAY, PG_FLOAT4_ARRAY, PG_INT2_ARRAY,
};
static const uint32_t insert_elems[] = {
	PG_INT4,   PG_INT4,   PG_INT8,   PG_TIMESTAMPTZ, PG_TIMESTAMPTZ, PG_FLOAT8, PG_FLOAT8,
	PG_FLOAT4, PG_FLOAT4, PG_FLOAT4, PG_FLOAT4,      PG_FLOAT4,      PG_INT2,
};
enum { INSERT_PLAIN, INSERT_LENIENT };
static const struct pglink_prepared prepared[] = {
	[INSERT_PLAIN] = { "jt_insert_positions", INSERT_COLUMNS, INSERT_PARAMS, insert_types },
	[INSERT_LENIENT] = { "jt_insert_positions_lenient", INSERT_COLUMNS " ON CONFLICT DO NOTHING",
			     INSERT_PARAMS, insert_types },
};

struct ticket {
	struct ticket *next;
	size_t n;
	store_fixes_cb cb;
	void *arg;
	int64_t deadline;
	bool solo;    /* written on its own, after a group it was in was refused */
	bool lenient; /* written with ON CONFLICT DO NOTHING: it may be a resend */
	struct store_row rows[];
};

struct job {
	struct job *next;
	struct store *s;
	char *sql;
	int nparams;
	char **params;
	store_query_cb cb;
	void *arg;
	int64_t deadline;
};

/* A statement writing the fixes of some tickets, in flight on a link. */
struct group {
	struct group *prev, *next;
	struct store *s;
	struct pglink *link;
	struct ticket *tickets;
	size_t rows;
	int64_t sent_at;
	bool lenient;
};

struct store {
	struct event_base *base;
	struct store_opts o;
	struct pglink **links;
	size_t nlinks;
	struct ticket *head, *tail;
	size_t queued_rows;
	struct job *jhead, *jtail;
	struct group *flying; /* groups in flight, newest first */
	size_t groups_in_flight, jobs_in_flight;
	int64_t lenient_until;
	struct event *kick; /* runs dispatch() from the loop, so callbacks never nest */
	struct store_stats stats;
	void (*on_first_ready)(void *arg);
	void *on_first_ready_arg;
};

static void dispatch(struct store *s);

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
	if (out == STORE_COMMITTED)
		s->stats.fixes_committed += t->n;
	/* No callback: answered already (too slow); the rows may still have been committed. */
	if (t->cb) {
		if (out != STORE_COMMITTED)
			s->stats.tickets_failed++;
		t->cb(t->arg, out);
	}
	free(t);
}

static void finish_tickets(struct store *s, struct ticket *t, enum store_outcome out)
{
	while (t) {
		struct ticket *next = t->next;
		finish_ticket(s, t, out);
		t = next;
	}
}

/* Puts tickets back at the head of the queue, to be written first. */
static void requeue(struct store *s, struct ticket *first)
{
	struct ticket *last = first;
	s->queued_rows += first->n;
	while (last->next) {
		last = last->next;
		s->queued_rows += last->n;
	}
	last->next = s->head;
	s->head = first;
	if (!s->tail)
		s->tail = last;
}

static bool class_is(const PGresult *res, const char *cls)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return st && strncmp(st, cls, strlen(cls)) == 0;
}

/* Errors after which the same statement may succeed later. */
static bool transient(const PGresult *res)
{
	return class_is(res, "08") || class_is(res, "53") || class_is(res, "57") ||
	       class_is(res, "40") || class_is(res, "55");
}

static void group_done(void *arg, const PGresult *res)
{
	struct group *g = arg;
	struct store *s = g->s;
	struct ticket *t = g->tickets;
	if (g->prev)
		g->prev->next = g->next;
	else
		s->flying = g->next;
	if (g->next)
		g->next->prev = g->prev;
	s->groups_in_flight--;
	s->stats.statements++;
	if (!res) {
		/* The link was lost: committed or not, nobody knows. A resend is harmless. */
		finish_tickets(s, t, STORE_UNAVAILABLE);
	} else if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		s->stats.last_commit_ms = (double)(mono_ms() - g->sent_at);
		histogram_observe(&s->stats.write, s->stats.last_commit_ms);
		finish_tickets(s, t, STORE_COMMITTED);
	} else if (!g->lenient && class_is(res, "23505")) {
		/* A fix already stored came again: write the group the lenient way. */
		log_info("db.resent_fixes", "link=%d fixes=%zu action=skip_stored",
			 pglink_index(g->link), g->rows);
		s->lenient_until = mono_ms() + LENIENT_MS;
		for (struct ticket *x = t; x; x = x->next)
			x->lenient = true;
		requeue(s, t);
	} else {
		const char *err = PQresultErrorMessage(res);
		int errlen = (int)strcspn(err, "\n");
		if (transient(res)) {
			log_warn("db.write_failed", "link=%d error=\"%.*s\"", pglink_index(g->link),
				 errlen, err);
			finish_tickets(s, t, STORE_UNAVAILABLE);
		} else if (!t->next) {
			log_error("db.rows_refused", "link=%d fixes=%zu error=\"%.*s\"",
				  pglink_index(g->link), t->n, errlen, err);
			finish_ticket(s, t, STORE_REFUSED);
		} else {
			/* One request's rows spoil the group: write each request on its own. */
			log_warn("db.group_refused", "link=%d error=\"%.*s\" action=retry_each",
				 pglink_index(g->link), errlen, err);
			for (struct ticket *x = t; x; x = x->next)
				x->solo = true;
			requeue(s, t);
		}
	}
	free(g);
	event_active(s->kick, 0, 0);
}

static void job_done(void *arg, const PGresult *res)
{
	struct job *j = arg;
	j->s->jobs_in_flight--;
	j->s->stats.statements++;
	j->cb(j->arg, res);
	job_free(j);
}

/* Takes tickets off the queue for one statement: as many as fit, a solo one alone. */
static struct group *take_group(struct store *s, struct pglink *l)
{
	struct ticket *first = s->head, *last = first;
	size_t rows = first->n;
	bool lenient = first->lenient || mono_ms() < s->lenient_until;
	if (!first->solo)
		while (last->next && !last->next->solo &&
		       rows + last->next->n <= (size_t)s->o.batch_max) {
			last = last->next;
			rows += last->n;
			lenient |= last->lenient;
		}
	s->head = last->next;
	if (!s->head)
		s->tail = NULL;
	last->next = NULL;
	s->queued_rows -= rows;
	struct group *g = xcalloc(1, sizeof *g);
	g->s = s;
	g->link = l;
	g->tickets = first;
	g->rows = rows;
	g->lenient = lenient;
	return g;
}

static void send_group(struct store *s, struct pglink *l)
{
	struct group *g = take_group(s, l);
	struct pgarray col[INSERT_PARAMS];
	for (int c = 0; c < INSERT_PARAMS; c++)
		pgarray_init(&col[c], insert_elems[c], g->rows);
	for (struct ticket *t = g->tickets; t; t = t->next) {
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
	g->sent_at = mono_ms();
	const char *name = prepared[g->lenient ? INSERT_LENIENT : INSERT_PLAIN].name;
	int rc = pglink_send_prepared(l, name, INSERT_PARAMS, params, lengths, formats, group_done, g);
	for (int c = 0; c < INSERT_PARAMS; c++)
		pgarray_free(&col[c]);
	if (rc != 0) {
		/* The link is failing; the fixes go back to wait for another. */
		requeue(s, g->tickets);
		free(g);
		return;
	}
	g->next = s->flying;
	if (s->flying)
		s->flying->prev = g;
	s->flying = g;
	s->groups_in_flight++;
}

static void send_job(struct store *s, struct pglink *l)
{
	struct job *j = s->jhead;
	if (pglink_send_query(l, j->sql, j->nparams, (const char *const *)j->params, job_done, j) != 0)
		return; /* the link is failing: the job waits for another */
	s->jhead = j->next;
	if (!s->jhead)
		s->jtail = NULL;
	j->next = NULL;
	s->jobs_in_flight++;
}

/* The ready link with the fewest statements in flight, if it has room for one more. */
static struct pglink *link_for_job(const struct store *s)
{
	struct pglink *best = NULL;
	for (size_t i = 0; i < s->nlinks; i++) {
		struct pglink *l = s->links[i];
		if (pglink_ready(l) && pglink_in_flight(l) < LINK_DEPTH &&
		    (!best || pglink_in_flight(l) < pglink_in_flight(best)))
			best = l;
	}
	return best;
}

/* The first ready link with room; one past the first ready link only with a backlog. */
static struct pglink *link_for_group(const struct store *s)
{
	bool backlog = s->queued_rows >= (size_t)s->o.batch_max / PARALLEL_SHARE;
	bool first = true;
	for (size_t i = 0; i < s->nlinks; i++) {
		struct pglink *l = s->links[i];
		if (!pglink_ready(l))
			continue;
		if (pglink_in_flight(l) < LINK_DEPTH)
			return first || backlog ? l : NULL;
		first = false;
	}
	return NULL;
}

/* Gives waiting work to links with room: jobs first, they are few and people wait on them. */
static void dispatch(struct store *s)
{
	for (;;) {
		if (s->jhead) {
			struct pglink *l = link_for_job(s);
			if (!l)
				return;
			send_job(s, l);
			continue;
		}
		if (!s->head || (s->groups_in_flight > 0 && s->queued_rows < GROUP_MIN))
			return;
		struct pglink *l = link_for_group(s);
		if (!l)
			return;
		send_group(s, l);
	}
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
	dispatch(arg);
}

static void link_ready(void *arg, struct pglink *l)
{
	struct store *s = arg;
	if (s->on_first_ready) {
		void (*cb)(void *) = s->on_first_ready;
		s->on_first_ready = NULL;
		cb(s->on_first_ready_arg);
	}
	dispatch(s);
}

static void link_lost(void *arg, struct pglink *l)
{
	struct store *s = arg;
	s->stats.reconnects++;
}

struct store *store_new(struct event_base *base, const char *conninfo, const struct store_opts *o)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->base = base;
	s->o = *o;
	s->kick = event_new(base, -1, 0, on_kick, s);
	s->nlinks = (size_t)o->connections;
	s->links = xcalloc(s->nlinks, sizeof *s->links);
	struct pglink_hooks hooks = { link_ready, link_lost, s };
	for (size_t i = 0; i < s->nlinks; i++)
		s->links[i] = pglink_new(base, (int)i, conninfo, prepared, JT_ARRAY_LEN(prepared),
					 &hooks, o->reconnect_max_ms);
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
	for (size_t i = 0; i < s->nlinks; i++)
		pglink_set_backoff_max(s->links[i], o->reconnect_max_ms);
}

void store_free(struct store *s)
{
	if (!s)
		return;
	/* Nothing more may be sent while the links are answered. */
	s->nlinks = 0;
	for (size_t i = 0; i < (size_t)s->o.connections; i++)
		pglink_free(s->links[i]);
	finish_tickets(s, s->head, STORE_UNAVAILABLE);
	s->head = s->tail = NULL;
	while (s->jhead) {
		struct job *j = s->jhead;
		s->jhead = j->next;
		j->cb(j->arg, NULL);
		job_free(j);
	}
	event_free(s->kick);
	free(s->links);
	free(s);
}

bool store_connected(const struct store *s)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (pglink_ready(s->links[i]))
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
	j->s = s;
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
	return !s->head && !s->jhead && s->groups_in_flight == 0 && s->jobs_in_flight == 0;
}

const struct store_stats *store_stats(const struct store *s)
{
	return &s->stats;
}

void store_tick(struct store *s)
{
	int64_t now = mono_ms();
	/* Tickets are queued in deadline order, but for those put back after a refusal. */
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
	for (struct group *g = s->flying; g; g = g->next) {
		for (struct ticket *t = g->tickets; t; t = t->next) {
			if (t->cb && t->deadline <= now) {
				log_warn("db.ack_timeout", "link=%d fixes=%zu in_flight=yes",
					 pglink_index(g->link), t->n);
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
