/*
 * daemon.h — the one object a running jintongd is: its settings and the
 * parts that share the event loop. Passed explicitly; there is no global.
 */
#ifndef JINTONG_DAEMON_H
#define JINTONG_DAEMON_H

#include "access.h"
#include "config.h"
#include "core.h"
#include "metrics.h"

struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct tls;
struct strmap;
struct rides;
struct roster;
struct shifts;
struct notify;
struct schedule;
struct runs;
struct tracking;
struct live;
struct leader;

struct ingest_stats {
	uint64_t requests;
	uint64_t received;               /* fixes parsed */
	uint64_t stored;                 /* fixes acknowledged as committed */
	uint64_t rejected[FIX_REASON_COUNT];
	uint64_t unavailable;            /* fixes answered 503 */
	uint64_t jumps;                  /* stored flagged as implausible */
	uint64_t stale;                  /* stored, older than the live position */
	struct histogram ack;            /* receipt to acknowledgement, per request */
	double ack_ms_max;               /* since the last statistics line */
};

struct jtd {
	struct event_base *base;
	struct config cfg;
	const char *config_path;
	char **argv;                     /* for re-reading flags on reload */
	int argc;
	struct store *store;
	struct fleet *fleet;
	struct devices *devices;
	struct netlist *osmand_nets;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct evhttp *https;            /* NULL when tls_listen is empty */
	struct evhttp_bound_socket *tls_bound;
	struct tls *tls;
	struct strmap *catalog[8];       /* per catalog collection: code -> record (JSON) */
	struct strmap *routes;           /* line code -> JSON array of route versions */
	struct strmap *calendars;        /* code -> calendar (caledit.c) */
	struct strmap *trips;            /* code -> trip (tripedit.c) */
	struct rides *rides;             /* open rides and held seats (rides.c) */
	struct roster *roster;           /* pupils on student lines (roster.c) */
	struct shifts *shifts;           /* vehicles on booking duty (shifts.c) */
	struct strmap *groups;           /* code -> location group (JSON, placeedit.c) */
	struct strmap *zones;            /* code -> zone (JSON, placeedit.c) */
	struct notify *notify;           /* riders' notifications on their way (notify.c) */
	struct schedule *schedule;       /* the service days' trips as courses (schedule.c) */
	struct runs *runs;               /* trips as they were run (runs.c) */
	struct tracking *tracking;       /* the vehicles' trackers and ETAs (tracking.c) */
	struct live *live;               /* the live operator page (live.c) */
	struct ingest_stats stats;
	struct access_cred cred;         /* who sent the request being routed (http.c) */
	struct throttle *throttle;         /* rate and connection limits (throttle.c) */
	size_t waiting;                  /* requests waiting for the database */
	bool stopping;
	bool standby;                    /* waiting for the leader lock: answers standby.c's way */
	struct leader *leader;           /* the leader lock, when leader_lock is on (leader.c) */
	bool announced_standby;          /* told the service manager it stands by */
	int64_t taken_mono;              /* when the lock was taken (monotonic ms), for the takeover time */
	jt_ms started_at;
	int64_t started_mono;            /* mono_ms() at start, for rates per real second */
	int64_t watchdog_ticks;          /* housekeeping ticks between WATCHDOG=1, 0 = none */
};

#endif
