/*
 * main.c — jintongd: reads its settings, brings the schema up to date, loads
 * the fleet from PostgreSQL, and serves tablets and operators from one event
 * loop until SIGTERM, when it commits what it accepted and leaves.
 */
#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/util.h>
#include <json-c/json.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "boot.h"
#include "config-build.h"
#include "devices.h"
#include "fleet.h"
#include "http.h"
#include "leader.h"
#include "log.h"
#include "alerts.h"
#include "rides.h"
#include "live.h"
#include "roster.h"
#include "shifts.h"
#include "migrate.h"
#include "monitor.h"
#include "caledit.h"
#include "clock.h"
#include "netedit.h"
#include "placeedit.h"
#include "routeedit.h"
#include "throttle.h"
#include "tripedit.h"
#include "tracking.h"
#include "netlist.h"
#include "notify.h"
#include "pglink.h"
#include "sdnotify.h"
#include "store.h"
#include "timeparse.h"
#include "util.h"

#define PARTITION_CHECK_S 3600
/* The exit status of an active daemon that lost the leader lock (EX_TEMPFAIL). */
#define LEADER_LOST_EXIT 75

static const char usage[] =
	"usage: jintongd [--config FILE] [--SETTING VALUE ...] [ACTION]\n"
	"\n"
	"Serves GPS fixes from drivers' tablets and the operators' admin API,\n"
	"storing everything in PostgreSQL.\n"
	"\n"
	"actions (default: run the daemon):\n"
	"  --migrate               apply pending schema migrations and exit\n"
	"  --create-operator NAME  create an operator token, print it once, exit\n"
	"  --role ROLE             with --create-operator: read_only, dispatcher or admin\n"
	"                          (default admin)\n"
	"  --check-config          check the settings and exit (0 if valid)\n"
	"  --print-config          print every setting with its value and meaning\n"
	"  --sample-config         the same with every setting commented out, to start a file\n"
	"  --help, --version\n"
	"\n"
	"Every setting of the configuration file is also a flag (--listen 0.0.0.0:8470)\n"
	"and an environment variable (JINTONG_LISTEN); flags win, then the\n"
	"environment, then the file. --print-config lists them.\n"
	"\n"
	"signals: SIGTERM/SIGINT commit what was accepted and exit; SIGHUP reloads\n"
	"the configuration file and operator tokens.\n"
	"\n"
	"With leader_lock = 1, several jintongd may run against one database: the one\n"
	"holding the leader lock serves, the others stand by (503) and take over\n"
	"when it dies; one that loses the lock exits at once with status 75.\n";

struct options {
	const char *config_path;
	bool migrate, check, print, sample;
	const char *create_operator;
	const char *role; /* of the operator token created */
};

/* Applies flags to cfg; with opts, also records actions. Returns 0, 1 (exit 0), or -1. */
static int parse_flags(int argc, char **argv, struct config *cfg, struct options *opts)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			if (opts)
				fputs(usage, stdout);
			return 1;
		}
		if (strcmp(a, "--version") == 0) {
			if (opts)
				printf("jintongd %s\n", JT_VERSION);
			return 1;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "jintongd: unexpected argument '%s'\n%s", a, usage);
			return -1;
		}
		char key[64];
		const char *eq = strchr(a, '=');
		size_t klen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (klen >= sizeof key) {
			fprintf(stderr, "jintongd: unknown option '%s'; see --help\n", a);
			return -1;
		}
		memcpy(key, a + 2, klen);
		key[klen] = '\0';
		bool action = strcmp(key, "migrate") == 0 || strcmp(key, "check-config") == 0 ||
			      strcmp(key, "print-config") == 0 || strcmp(key, "sample-config") == 0;
		if (action) {
			if (opts) {
				opts->migrate |= strcmp(key, "migrate") == 0;
				opts->check |= strcmp(key, "check-config") == 0;
				opts->print |= strcmp(key, "print-config") == 0;
				opts->sample |= strcmp(key, "sample-config") == 0;
			}
			continue;
		}
		const char *value = eq ? eq + 1 : NULL;
		if (!value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "jintongd: %s needs a value\n", a);
				return -1;
			}
			value = argv[++i];
		}
		if (strcmp(key, "config") == 0) {
			if (opts)
				opts->config_path = value;
			continue;
		}
		if (strcmp(key, "create-operator") == 0) {
			if (opts)
				opts->create_operator = value;
			continue;
		}
		if (strcmp(key, "role") == 0) {
			if (opts)
				opts->role = value;
			continue;
		}
		char err[256];
		if (!config_known(key)) {
			fprintf(stderr, "jintongd: unknown option '--%s'; see --help\n", key);
			return -1;
		}
		if (cfg && config_set(cfg, key, value, err, sizeof err) != 0) {
			fprintf(stderr, "jintongd: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* Defaults, then file, then environment, then flags. */
static int load_config(struct config *cfg, const char *path, int argc, char **argv, char *err,
		       size_t errlen)
{
	config_init(cfg);
	if (path && config_load_file(cfg, path, err, errlen) != 0)
		return -1;
	if (config_load_env(cfg, err, errlen) != 0)
		return -1;
	if (parse_flags(argc, argv, cfg, NULL) != 0) {
		snprintf(err, errlen, "bad command-line settings");
		return -1;
	}
	return config_check(cfg, err, errlen);
}

static void apply_logging(const struct config *cfg)
{
	enum log_level l;
	if (log_level_parse(cfg->log_level, &l) == 0)
		log_set_level(l);
	log_use_syslog(strcmp(cfg->log_target, "syslog") == 0, "jintongd");
}

static volatile sig_atomic_t stop_waiting;
static void on_early_signal(int sig)
{
	stop_waiting = 1;
}

/* A blocking connection for start-up, retried until it works or we are told to stop. */
static PGconn *connect_blocking(const struct config *cfg, bool retry)
{
	const char *keys[] = { "application_name", "connect_timeout", "dbname", NULL };
	const char *vals[] = { "jintongd", "10", cfg->database, NULL };
	long wait_ms = 200;
	for (;;) {
		PGconn *c = PQconnectdbParams(keys, vals, 1);
		if (PQstatus(c) == CONNECTION_OK) {
			PQsetNoticeProcessor(c, pglink_notice, NULL);
			return c;
		}
		char msg[256];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
		msg[strcspn(msg, "\n")] = '\0';
		PQfinish(c);
		if (!retry || stop_waiting) {
			log_error("db.unreachable", "error=\"%s\"", msg);
			return NULL;
		}
		log_warn("db.unreachable", "error=\"%s\" retry_ms=%ld", msg, wait_ms);
		struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		if (stop_waiting)
			return NULL;
		wait_ms = wait_ms * 2 > cfg->reconnect_max_ms ? cfg->reconnect_max_ms : wait_ms * 2;
	}
}

static int exec_simple(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
	}
	PQclear(r);
	return ok ? 0 : -1;
}

static struct store_opts store_opts_of(const struct config *cfg)
{
	struct store_opts o = {
		.connections = cfg->db_connections,
		.batch_max = cfg->batch_max,
		.queue_max = cfg->queue_max,
		.reconnect_max_ms = cfg->reconnect_max_ms,
		.ack_timeout_ms = cfg->ack_timeout_ms,
	};
	return o;
}

static void housekeeping_done(void *arg, const PGresult *res)
{
	const char *what = arg;
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("housekeeping.failed", "what=%s", what);
	else if (strtol(PQgetvalue(res, 0, 0), NULL, 10) > 0)
		log_info("housekeeping.partitions", "what=%s count=%s", what, PQgetvalue(res, 0, 0));
}

static void run_partition_upkeep(struct jtd *d)
{
	char *sql = boot_partitions_sql(&d->cfg);
	store_query(d->store, sql, 0, NULL, housekeeping_done, "created");
	free(sql);
	sql = boot_retention_sql(&d->cfg);
	if (sql) {
		store_query(d->store, sql, 0, NULL, housekeeping_done, "dropped");
		free(sql);
	}
}

/* The one housekeeping timer: deadlines, shutdown progress, statistics, partitions. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct jtd *d = arg;
	static int64_t ticks;
	static int64_t stop_deadline;
	ticks++;
	if (d->watchdog_ticks && ticks % d->watchdog_ticks == 0)
		sdnotify("WATCHDOG=1");
	if (ticks % 10 == 0) {
		store_tick(d->store);
		tracking_tick(d);
		if (!d->stopping) {
			rides_tick(d);
			alerts_tick(d);
		}
	}
	if (d->stopping) {
		if (!stop_deadline)
			stop_deadline = mono_ms() + d->cfg.shutdown_grace_s * 1000;
		bool done = store_idle(d->store) && d->waiting == 0;
		if (done || mono_ms() >= stop_deadline) {
			log_info("shutdown.end", "committed_all=%s queued=%zu", done ? "yes" : "no",
				 store_queued_fixes(d->store));
			/* A moment for the last replies to leave. */
			struct timeval tv = { 0, 200000 };
			event_base_loopexit(d->base, &tv);
			d->stopping = true;
		}
		return;
	}
	if (d->cfg.stats_interval_s && ticks % (d->cfg.stats_interval_s * 10) == 0)
		monitor_log_stats(d);
	if (ticks % (PARTITION_CHECK_S * 10) == 0)
		run_partition_upkeep(d);
}

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct jtd *d = arg;
	if (d->stopping) {
		log_warn("shutdown.forced", "signal=%d", (int)sig);
		event_base_loopexit(d->base, NULL);
		return;
	}
	d->stopping = true;
	sdnotify("STOPPING=1");
	log_info("shutdown.begin", "signal=%d queued=%zu waiting=%zu", (int)sig,
		 store_queued_fixes(d->store), d->waiting);
	http_stop_accepting(d);
	notify_stop(d);
	tracking_stop(d);
}

static void on_reload(evutil_socket_t sig, short what, void *arg)
{
	struct jtd *d = arg;
	sdnotify("RELOADING=1");
	struct config next;
	char err[512];
	if (load_config(&next, d->config_path, d->argc, d->argv, err, sizeof err) != 0) {
		log_error("config.reload_failed", "error=\"%s\" action=kept_previous", err);
		config_free(&next);
		sdnotify("READY=1");
		return;
	}
	char msg[256];
	struct netlist *nets = netlist_parse(next.osmand_networks, msg, sizeof msg);
	if (!nets) {
		log_error("config.reload_failed", "error=\"osmand_networks: %s\" action=kept_previous", msg);
		config_free(&next);
		sdnotify("READY=1");
		return;
	}
	char *restart = config_restart_needed(&d->cfg, &next);
	if (restart) {
		log_warn("config.needs_restart", "settings=\"%s\" action=kept_running_values", restart);
		config_keep_fixed(&next, &d->cfg);
		free(restart);
	}
	config_free(&d->cfg);
	d->cfg = next;
	netlist_free(d->osmand_nets);
	d->osmand_nets = nets;
	apply_logging(&d->cfg);
	struct store_opts so = store_opts_of(&d->cfg);
	store_set_opts(d->store, &so);
	fleet_set_max_speed(d->fleet, d->cfg.max_speed_kmh / 3.6);
	http_apply_limits(d);
	http_reload_tls(d);
	admin_reload_operators(d);
	notify_wake(d); /* a gateway just set takes what waited for it */
	log_info("config.reloaded", "file=%s", d->config_path ? d->config_path : "(none)");
	sdnotify("READY=1");
}

/*
 * A simulated day: the county's clock starts at clock_start now and runs
 * clock_rate times faster than real time. Never for real service.
 */
static void start_clock(const struct config *cfg)
{
	struct clock_sim c = { .anchor = clock_wall_ms(), .rate = cfg->clock_rate };
	if (!cfg->clock_start[0])
		return;
	if (ts_parse(cfg->clock_start, strlen(cfg->clock_start), &c.start) != 0)
		fatal("clock_start '%s' passed the check but does not parse", cfg->clock_start);
	clock_simulate(&c);
	char at[TS_FORMAT_LEN];
	ts_format(c.start, at, sizeof at);
	log_warn("clock.simulated",
		 "start=%s rate=%g message=\"the county's clock is SIMULATED: riders, trips and "
		 "reports follow it, not the wall clock; never run real service like this\"",
		 at, c.rate);
}

static void libevent_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warn("libevent", "message=\"%s\"", msg);
}

/* A bound address, with the port the kernel chose when 0 was asked for. */
static void bound_address(struct evhttp_bound_socket *b, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	evutil_socket_t fd = evhttp_bound_socket_get_fd(b);
	char host[128] = "?";
	int port = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;
			evutil_inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
			port = ntohs(in->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
			evutil_inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
			port = ntohs(in6->sin6_port);
		}
	}
	snprintf(buf, len, ss.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d", host, port);
}

/* Ready once the database can take writes: a fix sent now will be stored. */
static void announce_ready(void *arg)
{
	struct jtd *d = arg;
	char addr[160], tls_addr[160] = "", status[400];
	bound_address(d->bound, addr, sizeof addr);
	if (d->tls_bound)
		bound_address(d->tls_bound, tls_addr, sizeof tls_addr);
	log_info("ready", "listen=%s tls_listen=%s vehicles=%zu devices=%zu version=%s", addr,
		 tls_addr[0] ? tls_addr : "none", fleet_count(d->fleet), devices_count(d->devices),
		 JT_VERSION);
	if (d->leader)
		log_info("leader.ready", "takeover_ms=%lld",
			 (long long)(mono_ms() - d->taken_mono));
	snprintf(status, sizeof status, "READY=1\nSTATUS=listening on %s%s%s", addr,
		 tls_addr[0] ? ", tls on " : "", tls_addr);
	sdnotify(status);
}

static int serve(struct jtd *d)
{
	event_set_log_callback(libevent_log);
	d->started_at = now_ms();
	d->started_mono = mono_ms();
	/* Under a service manager's watchdog, prove the loop turns twice per period. */
	const char *wd = getenv("WATCHDOG_USEC");
	long long usec = wd ? strtoll(wd, NULL, 10) : 0;
	if (usec > 0) {
		d->watchdog_ticks = usec / 2 / 100000;
		if (d->watchdog_ticks < 1)
			d->watchdog_ticks = 1;
	}
	if (!d->base)
		d->base = event_base_new();
	if (!d->base)
		fatal("cannot create the event loop");
	d->fleet = d->fleet ? d->fleet : fleet_new(d->cfg.max_speed_kmh / 3.6);
	struct store_opts so = store_opts_of(&d->cfg);
	d->store = store_new(d->base, d->cfg.database, &so);
	char err[256];
	if (!d->http && http_start(d, err, sizeof err) != 0) {
		log_error("http.start_failed", "error=\"%s\"", err);
		http_free(d);
		store_free(d->store);
		leader_free(d->leader);
		d->leader = NULL;
		event_base_free(d->base);
		d->base = NULL;
		return 1;
	}
	struct event *sigterm = evsignal_new(d->base, SIGTERM, on_stop, d);
	struct event *sigint = evsignal_new(d->base, SIGINT, on_stop, d);
	struct event *sighup = evsignal_new(d->base, SIGHUP, on_reload, d);
	struct event *tick = event_new(d->base, -1, EV_PERSIST, on_tick, d);
	struct timeval tenth = { 0, 100000 };
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evsignal_add(sighup, NULL);
	event_add(tick, &tenth);
	signal(SIGPIPE, SIG_IGN);

	store_on_first_ready(d->store, announce_ready, d);
	notify_start(d);

	event_base_dispatch(d->base);

	notify_stop(d);
	monitor_log_stats(d);
	http_free(d);
	store_free(d->store);
	/* Only now, with everything accepted committed, may a standby take over. */
	leader_free(d->leader);
	d->leader = NULL;
	notify_free(d);
	event_free(sigterm);
	event_free(sigint);
	event_free(sighup);
	event_free(tick);
	event_base_free(d->base);
	d->base = NULL;
	return 0;
}

/*
 * The leader lock changed hands. Taken: the standby loop ends and the daemon
 * boots as a fresh one would. Lost: another daemon may have the lock by now,
 * so this one must not write another row. It exits at once, without the
 * shutdown's last commits: a process that is gone cannot write, whichever
 * code path was about to, and what it had not acknowledged the tablets and
 * riders' phones send again. Its service manager starts it again, and it
 * comes back standing by.
 */
static void on_leader(void *arg, enum leader_state to, const char *why)
{
	struct jtd *d = arg;
	if (to == LEADER_WAITING) {
		if (d->standby && !d->announced_standby) {
			d->announced_standby = true;
			char addr[160], status[300];
			bound_address(d->bound, addr, sizeof addr);
			log_info("standby", "listen=%s role=standby", addr);
			snprintf(status, sizeof status,
				 "READY=1\nSTATUS=listening on %s, standing by (another jintongd holds the "
				 "leader lock)", addr);
			sdnotify(status);
		}
		return;
	}
	if (to == LEADER_HELD) {
		d->taken_mono = mono_ms();
		if (d->standby)
			event_base_loopbreak(d->base);
		return;
	}
	sdnotify("STOPPING=1\nSTATUS=lost the leader lock");
	log_error("leader.step_down", "reason=\"%s\" action=exit status=%d queued=%zu waiting=%zu",
		  why ? why : "", LEADER_LOST_EXIT, d->store ? store_queued_fixes(d->store) : (size_t)0,
		  d->waiting);
	_exit(LEADER_LOST_EXIT);
}

static void on_standby_signal(evutil_socket_t sig, short what, void *arg)
{
	struct jtd *d = arg;
	if (sig == SIGHUP) {
		/* The settings a takeover will boot with; the rest needs the database. */
		struct config next;
		char err[512];
		if (load_config(&next, d->config_path, d->argc, d->argv, err, sizeof err) != 0) {
			log_error("config.reload_failed", "error=\"%s\" action=kept_previous", err);
			config_free(&next);
			return;
		}
		struct netlist *nets = netlist_parse(next.osmand_networks, err, sizeof err);
		if (!nets) {
			log_error("config.reload_failed", "error=\"osmand_networks: %s\" action=kept_previous",
				  err);
			config_free(&next);
			return;
		}
		config_keep_fixed(&next, &d->cfg);
		config_free(&d->cfg);
		d->cfg = next;
		netlist_free(d->osmand_nets);
		d->osmand_nets = nets;
		apply_logging(&d->cfg);
		http_apply_limits(d);
		http_reload_tls(d);
		log_info("config.reloaded", "file=%s role=standby",
			 d->config_path ? d->config_path : "(none)");
		return;
	}
	log_info("standby.stop", "signal=%d", (int)sig);
	d->stopping = true;
	event_base_loopbreak(d->base);
}

static void on_standby_tick(evutil_socket_t fd, short what, void *arg)
{
	sdnotify("WATCHDOG=1");
}

/*
 * Stands by: serves health and 503s until this daemon takes the leader lock.
 * Returns 0 once it holds it, 1 when told to stop first, -1 on failure.
 */
static int stand_by(struct jtd *d)
{
	d->base = event_base_new();
	if (!d->base)
		fatal("cannot create the event loop");
	d->standby = true;
	char err[256];
	if (http_start(d, err, sizeof err) != 0) {
		log_error("http.start_failed", "error=\"%s\"", err);
		return -1;
	}
	d->leader = leader_new(d->base, d->cfg.database, d->cfg.leader_lock_key, d->cfg.reconnect_max_ms,
			       d->cfg.leader_timeout_ms, on_leader, d);
	int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct event *ev[JT_ARRAY_LEN(sigs) + 1];
	for (size_t i = 0; i < JT_ARRAY_LEN(sigs); i++) {
		ev[i] = evsignal_new(d->base, sigs[i], on_standby_signal, d);
		evsignal_add(ev[i], NULL);
	}
	/* Under a service manager's watchdog, a standby proves it is alive too. */
	const char *wd = getenv("WATCHDOG_USEC");
	long long usec = wd ? strtoll(wd, NULL, 10) : 0;
	ev[JT_ARRAY_LEN(sigs)] = event_new(d->base, -1, EV_PERSIST, on_standby_tick, d);
	if (usec > 0) {
		long long half = usec / 2 < 1000000 ? usec / 2 : 1000000;
		struct timeval tv = { (time_t)(half / 1000000), (suseconds_t)(half % 1000000) };
		event_add(ev[JT_ARRAY_LEN(sigs)], &tv);
	}
	event_base_dispatch(d->base);
	for (size_t i = 0; i < JT_ARRAY_LEN(ev); i++)
		event_free(ev[i]);
	d->standby = false;
	return d->stopping ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	int rc = parse_flags(argc, argv, NULL, &opts);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	struct jtd d = { .config_path = opts.config_path, .argc = argc, .argv = argv };
	char err[512];
	if (load_config(&d.cfg, opts.config_path, argc, argv, err, sizeof err) != 0) {
		fprintf(stderr, "jintongd: %s\n", err);
		config_free(&d.cfg);
		return 2;
	}
	d.osmand_nets = netlist_parse(d.cfg.osmand_networks, err, sizeof err);
	if (!d.osmand_nets) {
		fprintf(stderr, "jintongd: osmand_networks: %s\n", err);
		config_free(&d.cfg);
		return 2;
	}
	if (opts.print || opts.sample)
		config_print(&d.cfg, stdout, opts.sample);
	if (opts.check || opts.print || opts.sample) {
		if (opts.check)
			printf("configuration is valid\n");
		netlist_free(d.osmand_nets);
		config_free(&d.cfg);
		return 0;
	}
	apply_logging(&d.cfg);
	json_c_set_serialization_double_format("%.10g", JSON_C_OPTION_GLOBAL);
	/* Dates (today, timetables, calendars) are the county's, not the server's. */
	setenv("TZ", d.cfg.timezone, 1);
	tzset();
	start_clock(&d.cfg);

	signal(SIGTERM, on_early_signal);
	signal(SIGINT, on_early_signal);
	bool once = opts.migrate || opts.create_operator;
	if (d.cfg.leader_lock && !once) {
		rc = stand_by(&d);
		if (rc != 0) {
			rc = rc < 0 ? 1 : 0;
			goto out;
		}
	}
	PGconn *c = connect_blocking(&d.cfg, !once);
	if (!c) {
		/* Told to stop while waiting for the database is a clean stop. */
		rc = stop_waiting ? 0 : 1;
		goto out;
	}
	int applied = migrate_run(c, err, sizeof err);
	if (applied < 0) {
		log_error("db.migrate_failed", "error=\"%s\"", err);
		PQfinish(c);
		rc = 1;
		goto out;
	}
	log_info("db.schema", "version=%ld applied=%d", migrate_latest(), applied);
	rc = 0;
	if (opts.create_operator) {
		if (boot_create_operator(c, opts.create_operator, opts.role ? opts.role : "admin", stdout,
					 err, sizeof err) != 0) {
			fprintf(stderr, "jintongd: %s\n", err);
			rc = 1;
		}
	}
	if (once) {
		PQfinish(c);
		goto out;
	}

	char *sql = boot_partitions_sql(&d.cfg);
	if (exec_simple(c, sql, err, sizeof err) != 0) {
		log_error("db.partitions_failed", "error=\"%s\"", err);
		rc = 1;
	}
	free(sql);
	sql = boot_retention_sql(&d.cfg);
	if (sql && exec_simple(c, sql, err, sizeof err) != 0)
		log_warn("db.retention_failed", "error=\"%s\"", err);
	free(sql);
	d.fleet = fleet_new(d.cfg.max_speed_kmh / 3.6);
	d.devices = devices_new();
	d.throttle = throttle_new();
	netedit_init(&d);
	placeedit_init(&d);
	routeedit_init(&d);
	caledit_init(&d);
	tripedit_init(&d);
	roster_init(&d);
	shifts_init(&d);
	rides_init(&d);
	notify_init(&d);
	tracking_init(&d);
	live_init(&d);
	live_set_late(&d, alerts_late_trips, NULL);
	if (rc == 0 && (boot_load(c, d.fleet, d.devices, err, sizeof err) != 0 ||
			netedit_load(&d, c, err, sizeof err) != 0 ||
			placeedit_load(&d, c, err, sizeof err) != 0 ||
			routeedit_load(&d, c, err, sizeof err) != 0 ||
			caledit_load(&d, c, err, sizeof err) != 0 ||
			tripedit_load(&d, c, err, sizeof err) != 0 ||
			roster_load(&d, c, err, sizeof err) != 0 ||
			shifts_load(&d, c, err, sizeof err) != 0 ||
			rides_load(&d, c, err, sizeof err) != 0 ||
			tracking_load(&d, c, err, sizeof err) != 0)) {
		log_error("boot.load_failed", "error=\"%s\"", err);
		rc = 1;
	}
	PQfinish(c);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (rc == 0 && !stop_waiting)
		rc = serve(&d);
	log_info("exit", "status=%d", rc);
out:
	/* What serve() did not take over (a stop while standing by or booting). */
	http_free(&d);
	leader_free(d.leader);
	if (d.base)
		event_base_free(d.base);
	notify_free(&d);
	tracking_free(&d);
	alerts_free();
	live_free(&d);
	rides_free(&d);
	roster_free(&d);
	shifts_free(&d);
	tripedit_free(&d);
	caledit_free(&d);
	routeedit_free(&d);
	placeedit_free(&d);
	netedit_free(&d);
	fleet_free(d.fleet);
	devices_free(d.devices);
	throttle_free(d.throttle);
	netlist_free(d.osmand_nets);
	config_free(&d.cfg);
	return rc;
}
