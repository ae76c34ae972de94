/*
 * config.h — every setting of jintongd, its default, its unit and whether a
 * running daemon can take a new value on SIGHUP.
 *
 * Sources, later ones winning: built-in defaults, the configuration file
 * (`key = value`, `#` comments, values may be "quoted"), environment
 * variables JINTONG_<KEY> (e.g. JINTONG_DATABASE), command-line flags
 * --key=value or --key value (dashes and underscores are the same).
 */
#ifndef JINTONG_CONFIG_H
#define JINTONG_CONFIG_H

#include <stdio.h>

#include "core.h"

struct config {
	char *listen;          /* address:port for HTTP */
	char *tls_listen;      /* address:port for HTTPS; empty = none */
	char *tls_cert;        /* PEM certificate chain for HTTPS */
	char *tls_key;         /* PEM private key for HTTPS */
	char *database;        /* libpq connection string */
	char *timezone;        /* the county's time zone, for dates: Asia/Shanghai */
	char *log_level;       /* error, warn, info, debug */
	char *log_target;      /* stderr or syslog */
	long db_connections;   /* connections writing to PostgreSQL */
	long batch_max;        /* most fixes written by one statement */
	long queue_max;        /* fixes waiting for the database before 503 */
	long body_max;         /* bytes, largest request body */
	long batch_fixes_max;  /* most fixes in one protobuf request */
	long fix_future_s;     /* seconds a fix may be ahead of the server clock */
	long fix_max_age_h;    /* hours after which a fix is refused as too old */
	long retention_days;   /* days of positions kept; 0 keeps all */
	double max_speed_kmh;  /* faster implied movement is an implausible jump */
	char *osmand_networks; /* networks tracking apps may send from; empty = any */
	long retry_after_s;    /* Retry-After sent with 503 */
	long ack_timeout_ms;   /* a fix not committed by then is answered 503 */
	long reconnect_max_ms; /* longest wait between reconnection attempts */
	long shutdown_grace_s; /* on SIGTERM, time allowed to commit what was accepted */
	long stats_interval_s; /* seconds between ingest statistics log lines; 0 = off */
	long walk_max_m;       /* metres a rider walks to a stop and from one */
	long trip_seats;       /* seats on a trip whose vehicle is not given */
	long offer_hold_s;     /* seconds an offered seat is held for confirmation */
	long booking_days_max; /* days ahead a ride may be booked */
	long booking_window_min; /* minutes from the asked time an offer may be */
	double demand_speed_kmh; /* average speed of booked vehicles */
	long demand_window_min;  /* width of the promised pickup window */
	long no_show_wait_s;     /* wait before a no-show may be reported */
	long notify_approach_min; /* tell a rider the bus is near this long before it is due */
	long notify_delay_min;   /* tell a rider of a delay this late */
	char *notify_url;        /* the rider-notification gateway's webhook; empty = store only */
	char *notify_token;      /* bearer token for the gateway; empty = none */
	long notify_timeout_ms;  /* longest one post may take */
	long notify_inflight_max; /* posts under way at once */
	long notify_retry_max_s; /* longest wait between attempts */
	long notify_attempts_max; /* attempts before a notification is given up */
	long leader_lock;        /* 1: one of several daemons, the lock holder serves */
	long leader_lock_key;    /* advisory lock number of the leader lock */
	long leader_timeout_ms;  /* unproven leadership for this long makes the daemon exit */
	long eta_history_days;   /* days of stop events the ETA model learns from at start */
	double rate_limit_per_s;  /* requests a second per booking client, tablet or address; 0 = none */
	long rate_limit_burst;    /* requests at once before rate_limit_per_s applies */
	double fix_rate_limit_per_s; /* fix uploads a second per tablet; 0 = none */
	long fix_rate_limit_burst; /* fix uploads at once (a backlog after a dead spot) */
	long max_connections_per_address; /* open connections from one address; 0 = no cap */
	char *clock_start;       /* simulation only: the county's time at start; empty = wall clock */
	double clock_rate;       /* simulation only: simulated seconds per real second */
};

void config_init(struct config *c);
void config_free(struct config *c);
void config_copy(struct config *dst, const struct config *src);

/* Sets one setting from text; -1 with err when the key is unknown or the value bad. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen) JT_MUST_CHECK;
int config_load_file(struct config *c, const char *path, char *err, size_t errlen) JT_MUST_CHECK;
int config_load_env(struct config *c, char *err, size_t errlen) JT_MUST_CHECK;
/* Is key a known setting? */
bool config_known(const char *key);
/* Checks settings against each other; -1 with err. */
int config_check(const struct config *c, char *err, size_t errlen) JT_MUST_CHECK;
/* Names the settings that differ and cannot change without a restart; NULL if none. xmalloc'd. */
char *config_restart_needed(const struct config *old, const struct config *new_);
/* Copies into next the running values of every setting that needs a restart. */
void config_keep_fixed(struct config *next, const struct config *running);
/* Writes every setting with its value, unit and meaning, as a configuration file; a sample has them commented out. */
void config_print(const struct config *c, FILE *out, bool sample);

#endif
