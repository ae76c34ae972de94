/*
 * leader.c — the leader lock on a connection of its own; see leader.h.
 *
 * The connection is a pglink (non-blocking, reconnecting with back-off)
 * with the two statements prepared. One statement at most is in flight: the
 * attempt while waiting, the probe while held. A probe is a look at
 * pg_locks for this session's grant, so a session that somehow no longer
 * holds the lock is noticed as surely as a dead connection; a probe not
 * answered within probe_timeout_ms counts as a loss too, because a leader
 * that cannot reach its lock cannot know whether another daemon has it.
 */
#include "leader.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pglink.h"
#include "util.h"

#define LEADER_PERIOD_MS 1000
/* The index the lock's link logs as, apart from the writing links (0, 1, ...). */
#define LEADER_LINK_INDEX 99

static const char try_sql[] = "SELECT pg_try_advisory_lock($1::bigint)";
/* A bigint key shows as classid (high half), objid (low half), objsubid 1. */
static const char probe_sql[] =
	"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
	" AND pid = pg_backend_pid() AND objsubid = 1"
	" AND (classid::bigint << 32 | objid::bigint) = $1::bigint";

static const struct pglink_prepared leader_statements[] = {
	{ "leader_try", try_sql, 1, NULL },
	{ "leader_probe", probe_sql, 1, NULL },
};

struct leader {
	struct event_base *base;
	struct pglink *link;
	struct event *timer;
	enum leader_state state;
	char key[24];
	long probe_timeout_ms;
	bool in_flight;
	jt_ms sent_at;       /* monotonic, of the statement in flight */
	jt_ms last_tick;     /* monotonic, of the timer's last run */
	jt_ms since;
	jt_ms waiting_since; /* monotonic */
	uint64_t attempts;
	bool refused;        /* another session held the lock at an attempt */
	bool fresh;          /* connected anew: try at once, not at the next second */
	leader_cb cb;
	void *arg;
};

const char *leader_state_name(enum leader_state s)
{
	static const char *const names[] = { "waiting", "held", "lost" };
	return (unsigned)s < JT_ARRAY_LEN(names) ? names[s] : "?";
}

static void lose(struct leader *l, const char *why)
{
	if (l->state != LEADER_HELD)
		return;
	l->state = LEADER_LOST;
	log_error("leader.lost", "key=%s reason=\"%s\" held_s=%lld", l->key, why,
		  (long long)((now_ms() - l->since) / 1000));
	l->cb(l->arg, LEADER_LOST, why);
}

static void answered(void *arg, const PGresult *res)
{
	struct leader *l = arg;
	l->in_flight = false;
	bool ok = res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	const char *v = ok ? PQgetvalue(res, 0, 0) : "";
	if (l->state == LEADER_WAITING) {
		if (!ok) {
			if (res)
				log_warn("leader.try_failed", "key=%s error=\"%.200s\"", l->key,
					 PQresultErrorMessage(res));
			return;
		}
		if (strcmp(v, "t") != 0) {
			if (!l->refused) {
				l->refused = true;
				log_info("leader.standby", "key=%s holder=another_session", l->key);
				l->cb(l->arg, LEADER_WAITING, "another session holds the lock");
			}
			return;
		}
		l->state = LEADER_HELD;
		l->since = now_ms();
		log_info("leader.taken", "key=%s waited_ms=%lld attempts=%llu", l->key,
			 (long long)(mono_ms() - l->waiting_since), (unsigned long long)l->attempts);
		l->cb(l->arg, LEADER_HELD, NULL);
		return;
	}
	if (l->state != LEADER_HELD)
		return;
	if (!res)
		lose(l, "the lock's connection was lost");
	else if (!ok)
		lose(l, "the lock could not be checked");
	else if (strcmp(v, "1") != 0)
		lose(l, "the lock is no longer this daemon's");
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct leader *l = arg;
	if (l->state == LEADER_LOST)
		return;
	jt_ms now = mono_ms();
	/* A loop held up (a long load, a stalled machine) had no chance to read
	 * the answer: the wait for it starts again rather than count against it. */
	if (l->in_flight && l->last_tick && now - l->last_tick > 2 * LEADER_PERIOD_MS)
		l->sent_at = now;
	l->last_tick = now;
	if (l->in_flight) {
		if (l->state == LEADER_HELD && now - l->sent_at > l->probe_timeout_ms)
			lose(l, "the lock's database did not answer in time");
		return;
	}
	if (!pglink_ready(l->link))
		return;
	const char *params[] = { l->key };
	bool waiting = l->state == LEADER_WAITING;
	if (pglink_send_prepared(l->link, waiting ? "leader_try" : "leader_probe", 1, params, NULL, NULL,
				 answered, l) != 0)
		return; /* the link breaks from the loop and says so through its hooks */
	l->in_flight = true;
	l->sent_at = now;
	if (waiting)
		l->attempts++;
}

static void link_ready(void *arg, struct pglink *link)
{
	struct leader *l = arg;
	/* Connected: try at once, without waiting for the next second. (The link
	 * says "ready" after every statement too: those wait for the timer.) */
	if (!l->fresh)
		return;
	l->fresh = false;
	if (l->state == LEADER_WAITING && !l->in_flight)
		on_timer(-1, 0, l);
}

static void link_lost(void *arg, struct pglink *link)
{
	struct leader *l = arg;
	l->fresh = true;
	lose(l, "the lock's connection was lost");
}

struct leader *leader_new(struct event_base *base, const char *conninfo, long long key,
			  long reconnect_max_ms, long probe_timeout_ms, leader_cb cb, void *arg)
{
	struct leader *l = xcalloc(1, sizeof *l);
	l->base = base;
	snprintf(l->key, sizeof l->key, "%lld", key);
	l->probe_timeout_ms = probe_timeout_ms;
	l->cb = cb;
	l->arg = arg;
	l->waiting_since = mono_ms();
	l->fresh = true;
	log_info("leader.waiting", "key=%s", l->key);
	struct pglink_hooks hooks = { .ready = link_ready, .lost = link_lost, .arg = l };
	l->timer = event_new(base, -1, EV_PERSIST, on_timer, l);
	struct timeval tv = { LEADER_PERIOD_MS / 1000, (LEADER_PERIOD_MS % 1000) * 1000 };
	event_add(l->timer, &tv);
	l->link = pglink_new(base, LEADER_LINK_INDEX, conninfo, leader_statements,
			     JT_ARRAY_LEN(leader_statements), &hooks, reconnect_max_ms);
	return l;
}

void leader_free(struct leader *l)
{
	if (!l)
		return;
	l->state = LEADER_LOST; /* answers of the closing link change nothing */
	event_free(l->timer);
	pglink_free(l->link);
	free(l);
}

enum leader_state leader_state(const struct leader *l)
{
	return l->state;
}

jt_ms leader_since(const struct leader *l)
{
	return l->since;
}

uint64_t leader_attempts(const struct leader *l)
{
	return l->attempts;
}

bool leader_connected(const struct leader *l)
{
	return pglink_ready(l->link);
}
