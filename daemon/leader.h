/*
 * leader.h — the leader lock: which of several jintongd on one database is
 * the active one.
 *
 * The lock is a PostgreSQL session-level advisory lock, taken with
 * pg_try_advisory_lock on a connection of its own that does nothing else.
 * PostgreSQL scopes advisory locks to the database, so the lock is
 * (database, leader_lock_key): daemons of two counties whose databases share
 * one cluster never compete. A session-level lock is held until the session
 * ends: when the active daemon dies (even by SIGKILL) or its connection is
 * cut, PostgreSQL frees the lock and a daemon standing by takes it.
 *
 * States (leader_state() tells; every change is logged and reported):
 *
 *   WAITING --lock granted--> HELD --connection lost / probe unanswered
 *                                     / lock not found--> LOST
 *   WAITING: tries again every second, reconnecting as needed.
 *   HELD: proves every second that its session still holds the lock.
 *   LOST is final: the daemon must stop writing at once (main.c exits).
 */
#ifndef JINTONG_LEADER_H
#define JINTONG_LEADER_H

#include "core.h"

struct event_base;
struct leader;

enum leader_state { LEADER_WAITING, LEADER_HELD, LEADER_LOST };

/*
 * Called when the lock is taken (HELD), when it is lost (LOST, with why), and
 * once while WAITING, when an attempt first finds another session holding it.
 */
typedef void (*leader_cb)(void *arg, enum leader_state to, const char *why);

/* Starts connecting and trying for the lock at once. */
struct leader *leader_new(struct event_base *base, const char *conninfo, long long key,
			  long reconnect_max_ms, long probe_timeout_ms, leader_cb cb, void *arg);
/* Closes the lock's connection, which gives the lock up. */
void leader_free(struct leader *l);

enum leader_state leader_state(const struct leader *l);
const char *leader_state_name(enum leader_state s);
/* When the lock was taken (Unix ms), 0 if never. */
jt_ms leader_since(const struct leader *l);
/* Attempts to take the lock so far. */
uint64_t leader_attempts(const struct leader *l);
/* Is the lock's connection up? */
bool leader_connected(const struct leader *l);

#endif
