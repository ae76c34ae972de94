/*
 * config.c — the table of settings and their parsing; see config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timeparse.h"
#include "util.h"

enum kind { K_STR, K_LONG, K_DOUBLE };

struct setting {
	const char *name;
	enum kind kind;
	size_t off;
	const char *def;
	double min, max;
	bool reloadable;
	const char *help;
};

#define S(n, k, d, lo, hi, r, h) { #n, k, offsetof(struct config, n), d, lo, hi, r, h }
static const struct setting settings[] = {
	S(listen, K_STR, "127.0.0.1:8470", 0, 0, false, "address:port to serve HTTP on"),
	S(tls_listen, K_STR, "", 0, 0, false,
	  "address:port to serve HTTPS on, e.g. 0.0.0.0:8443; empty serves no HTTPS"),
	S(tls_cert, K_STR, "", 0, 0, true,
	  "PEM file with the HTTPS certificate and its chain; re-read on SIGHUP"),
	S(tls_key, K_STR, "", 0, 0, true, "PEM file with the HTTPS private key; re-read on SIGHUP"),
	S(database, K_STR, "", 0, 0, false,
	  "PostgreSQL connection string; empty uses libpq's PG* environment"),
	S(timezone, K_STR, "Asia/Shanghai", 0, 0, false,
	  "the county's time zone (a tz database name): what today is, when timetables run"),
	S(log_level, K_STR, "info", 0, 0, true, "error, warn, info or debug"),
	S(log_target, K_STR, "stderr", 0, 0, true, "stderr or syslog"),
	S(db_connections, K_LONG, "2", 1, 32, false, "connections writing to PostgreSQL"),
	S(batch_max, K_LONG, "5000", 1, 100000, true, "fixes, most written by one statement"),
	S(queue_max, K_LONG, "200000", 1, 10000000, true,
	  "fixes waiting for the database before tablets are told 503"),
	S(body_max, K_LONG, "1048576", 1024, 67108864, true, "bytes, largest request body"),
	S(batch_fixes_max, K_LONG, "10000", 1, 1000000, true, "fixes, most in one protobuf request"),
	S(fix_future_s, K_LONG, "300", 0, 86400, true,
	  "seconds a fix may be ahead of the server's clock"),
	S(fix_max_age_h, K_LONG, "168", 1, 8760, true,
	  "hours; older fixes are refused as too old"),
	S(retention_days, K_LONG, "90", 0, 36500, true,
	  "days of positions kept; older day partitions are dropped; 0 keeps all"),
	S(max_speed_kmh, K_DOUBLE, "200", 10, 2000, true,
	  "km/h; a fix implying faster travel is stored flagged, not used live"),
	S(osmand_networks, K_STR, "", 0, 0, true,
	  "IP networks tracking apps may send from, e.g. 10.0.0.0/8; empty admits any"),
	S(retry_after_s, K_LONG, "5", 1, 3600, true, "seconds, Retry-After sent with 503"),
	S(ack_timeout_ms, K_LONG, "10000", 100, 600000, true,
	  "ms; a fix not committed by then is answered 503 (the tablet resends)"),
	S(reconnect_max_ms, K_LONG, "5000", 10, 600000, true,
	  "ms, longest wait between attempts to reach PostgreSQL"),
	S(shutdown_grace_s, K_LONG, "10", 0, 600, true,
	  "seconds allowed on SIGTERM to commit what was accepted"),
	S(stats_interval_s, K_LONG, "10", 0, 86400, true,
	  "seconds between ingest statistics log lines; 0 turns them off"),
	S(walk_max_m, K_LONG, "1000", 0, 5000, true,
	  "metres a rider is asked to walk to a stop, and from one"),
	S(trip_seats, K_LONG, "19", 1, 200, true,
	  "seats on a trip whose vehicle is not given (a 19-seat rural minibus)"),
	S(offer_hold_s, K_LONG, "300", 1, 86400, true,
	  "seconds an offered seat is held for the rider to confirm"),
	S(booking_days_max, K_LONG, "14", 1, 90, true, "days ahead a ride may be booked"),
	S(booking_window_min, K_LONG, "180", 10, 1440, true,
	  "minutes after the asked time (before it, for arrive-by) an offer may be"),
	S(demand_speed_kmh, K_DOUBLE, "30", 5, 120, true,
	  "km/h, average speed of booked vehicles on county roads"),
	S(demand_window_min, K_LONG, "20", 5, 240, true,
	  "minutes, width of the pickup window promised for a booked vehicle"),
	S(no_show_wait_s, K_LONG, "180", 0, 3600, true,
	  "seconds a driver waits after the pickup window opens before reporting a no-show"),
	S(notify_approach_min, K_LONG, "5", 1, 60, true,
	  "minutes before its bus is expected at the stop a rider is told it is approaching"),
	S(notify_delay_min, K_LONG, "10", 1, 240, true,
	  "minutes late against the pickup time promised at which a rider is told of the delay"),
	S(notify_url, K_STR, "", 0, 0, true,
	  "http:// or https:// URL riders' notifications are posted to; empty stores them unsent"),
	S(notify_token, K_STR, "", 0, 0, true,
	  "bearer token sent to the notification gateway; empty sends none"),
	S(notify_timeout_ms, K_LONG, "10000", 100, 600000, true,
	  "ms one post to the notification gateway may take before it counts as failed"),
	S(notify_inflight_max, K_LONG, "16", 1, 1000, true,
	  "posts to the notification gateway under way at once"),
	S(notify_retry_max_s, K_LONG, "600", 1, 86400, true,
	  "seconds, longest wait between attempts to deliver a notification"),
	S(notify_attempts_max, K_LONG, "10", 1, 1000, true,
	  "attempts after which an undelivered notification is given up"),
	S(leader_lock, K_LONG, "0", 0, 1, false,
	  "1 lets several jintongd share one database: the one holding the leader lock serves, "
	  "the others stand by"),
	S(leader_lock_key, K_LONG, "1246318164", 1, 2147483647, false,
	  "the leader lock's advisory lock number, within the database"),
	S(leader_timeout_ms, K_LONG, "5000", 500, 600000, false,
	  "ms the active jintongd waits for proof it still holds the leader lock before it exits"),
	S(eta_history_days, K_LONG, "28", 0, 366, false,
	  "days of stop events the ETA model learns running times from at start; 0 starts afresh"),
	S(rate_limit_per_s, K_DOUBLE, "10", 0, 100000, true,
	  "requests a second each booking client, tablet (besides fixes) or unauthenticated address "
	  "may make after its burst; 0 is no limit; operators' tokens are not limited"),
	S(rate_limit_burst, K_LONG, "100", 1, 1000000, true,
	  "requests one booking client, tablet or address may make at once"),
	S(fix_rate_limit_per_s, K_DOUBLE, "20", 0, 100000, true,
	  "fix uploads a second each tablet may make after its burst; 0 is no limit"),
	S(fix_rate_limit_burst, K_LONG, "3600", 1, 10000000, true,
	  "fix uploads one tablet may make at once: an hour's backlog at one fix a second"),
	S(max_connections_per_address, K_LONG, "256", 0, 1000000, true,
	  "open connections from one address (tablets behind a carrier's NAT share one); 0 is no cap"),
	S(clock_start, K_STR, "", 0, 0, false,
	  "simulation only: the county's time (ISO 8601) when jintongd starts; empty keeps the wall clock"),
	S(clock_rate, K_DOUBLE, "1", 0.01, 10000, false,
	  "simulation only: simulated seconds per real second of a clock_start clock"),
};
#undef S

static const struct setting *find(const char *key)
{
	char norm[64];
	size_t n = strlen(key);
	if (n >= sizeof norm)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		norm[i] = key[i] == '-' ? '_' : (char)tolower((unsigned char)key[i]);
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++)
		if (strcmp(settings[i].name, norm) == 0)
			return &settings[i];
	return NULL;
}

bool config_known(const char *key)
{
	return find(key) != NULL;
}

static int set(struct config *c, const struct setting *s, const char *value, char *err, size_t errlen)
{
	void *p = (char *)c + s->off;
	char *end;
	switch (s->kind) {
	case K_STR:
		free(*(char **)p);
		*(char **)p = xstrdup(value);
		return 0;
	case K_LONG: {
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < s->min || v > s->max) {
			snprintf(err, errlen, "%s must be a whole number from %.0f to %.0f, not '%s'",
				 s->name, s->min, s->max, value);
			return -1;
		}
		*(long *)p = v;
		return 0;
	}
	case K_DOUBLE: {
		errno = 0;
		double v = strtod(value, &end);
		if (errno || end == value || *end || !(v >= s->min && v <= s->max)) {
			snprintf(err, errlen, "%s must be a number from %g to %g, not '%s'", s->name,
				 s->min, s->max, value);
			return -1;
		}
		*(double *)p = v;
		return 0;
	}
	}
	fatal("setting %s has kind %d", s->name, (int)s->kind);
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	char err[256];
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++)
		if (set(c, &settings[i], settings[i].def, err, sizeof err) != 0)
			fatal("default of %s: %s", settings[i].name, err);
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++)
		if (settings[i].kind == K_STR) {
			char **p = (char **)((char *)c + settings[i].off);
			free(*p);
			*p = NULL;
		}
}

void config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++)
		if (settings[i].kind == K_STR) {
			char **p = (char **)((char *)dst + settings[i].off);
			*p = xstrdup(*p);
		}
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	const struct setting *s = find(key);
	if (!s) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	return set(c, s, value, err, errlen);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			rc = -1;
			break;
		}
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		size_t vn = strlen(value);
		if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
			value[vn - 1] = '\0';
			value++;
		}
		char why[256];
		if (config_set(c, key, value, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int config_load_env(struct config *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++) {
		char name[80] = "JINTONG_";
		size_t k = strlen(name);
		for (const char *p = settings[i].name; *p && k < sizeof name - 1; p++)
			name[k++] = (char)toupper((unsigned char)*p);
		name[k] = '\0';
		const char *v = getenv(name);
		if (v && set(c, &settings[i], v, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int check_address(const char *name, const char *v, char *err, size_t errlen)
{
	const char *colon = strrchr(v, ':');
	if (!colon || colon == v || !colon[1]) {
		snprintf(err, errlen, "%s must be address:port, not '%s'", name, v);
		return -1;
	}
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535) {
		snprintf(err, errlen, "%s port must be 0..65535, not '%s'", name, colon + 1);
		return -1;
	}
	return 0;
}

/* A tz database name with its zone file present. */
static bool timezone_known(const char *tz)
{
	if (!*tz || strstr(tz, "..") || strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					       "0123456789_+-/") != strlen(tz))
		return false;
	char path[256];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	FILE *f = fopen(path, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

int config_check(const struct config *c, char *err, size_t errlen)
{
	if (check_address("listen", c->listen, err, errlen) != 0)
		return -1;
	if (!timezone_known(c->timezone)) {
		snprintf(err, errlen,
			 "timezone '%s' is not a known time zone (a name such as Asia/Shanghai, from the "
			 "tzdata package)",
			 c->timezone);
		return -1;
	}
	jt_ms start;
	if (c->clock_start[0] && ts_parse(c->clock_start, strlen(c->clock_start), &start) != 0) {
		snprintf(err, errlen,
			 "clock_start must be an instant such as 2026-11-24T06:00:00+08:00, not '%.80s'",
			 c->clock_start);
		return -1;
	}
	if (!c->clock_start[0] && c->clock_rate != 1) {
		snprintf(err, errlen, "clock_rate needs clock_start (a simulated day)");
		return -1;
	}
	if (c->tls_listen[0]) {
		if (check_address("tls_listen", c->tls_listen, err, errlen) != 0)
			return -1;
		if (!c->tls_cert[0] || !c->tls_key[0]) {
			snprintf(err, errlen, "tls_listen needs tls_cert and tls_key");
			return -1;
		}
	}
	if (strcmp(c->log_target, "stderr") != 0 && strcmp(c->log_target, "syslog") != 0) {
		snprintf(err, errlen, "log_target must be stderr or syslog, not '%s'", c->log_target);
		return -1;
	}
	static const char *const levels[] = { "error", "warn", "info", "debug" };
	bool ok = false;
	for (size_t i = 0; i < JT_ARRAY_LEN(levels); i++)
		ok |= strcmp(c->log_level, levels[i]) == 0;
	if (!ok) {
		snprintf(err, errlen, "log_level must be error, warn, info or debug, not '%s'",
			 c->log_level);
		return -1;
	}
	if (c->notify_url[0] && strncasecmp(c->notify_url, "http://", 7) != 0 &&
	    strncasecmp(c->notify_url, "https://", 8) != 0) {
		snprintf(err, errlen, "notify_url must start with http:// or https://");
		return -1;
	}
	for (const char *p = c->notify_url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "notify_url must not hold blanks or control characters");
			return -1;
		}
	/* The token goes into a header line: printable ASCII only. */
	for (const char *p = c->notify_token; *p; p++)
		if (*p < 0x21 || *p > 0x7e) {
			snprintf(err, errlen, "notify_token must be printable ASCII without blanks");
			return -1;
		}
	if (c->retention_days && c->retention_days * 24 < c->fix_max_age_h) {
		snprintf(err, errlen,
			 "retention_days (%ld) must cover fix_max_age_h (%ld h), or accepted fixes "
			 "would land in dropped days",
			 c->retention_days, c->fix_max_age_h);
		return -1;
	}
	return 0;
}

char *config_restart_needed(const struct config *old, const struct config *new_)
{
	char *out = NULL;
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++) {
		const struct setting *s = &settings[i];
		if (s->reloadable)
			continue;
		const void *a = (const char *)old + s->off, *b = (const char *)new_ + s->off;
		bool same = s->kind == K_STR	 ? strcmp(*(char *const *)a, *(char *const *)b) == 0
			    : s->kind == K_LONG ? *(const long *)a == *(const long *)b
						 : *(const double *)a == *(const double *)b;
		if (same)
			continue;
		char *next = xasprintf("%s%s%s", out ? out : "", out ? ", " : "", s->name);
		free(out);
		out = next;
	}
	return out;
}

void config_keep_fixed(struct config *next, const struct config *running)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++) {
		const struct setting *s = &settings[i];
		if (s->reloadable)
			continue;
		void *dst = (char *)next + s->off;
		const void *src = (const char *)running + s->off;
		switch (s->kind) {
		case K_STR:
			free(*(char **)dst);
			*(char **)dst = xstrdup(*(char *const *)src);
			break;
		case K_LONG:
			*(long *)dst = *(const long *)src;
			break;
		case K_DOUBLE:
			*(double *)dst = *(const double *)src;
			break;
		}
	}
}

void config_print(const struct config *c, FILE *out, bool sample)
{
	/* A sample leaves every setting commented out, so later defaults still apply. */
	const char *lead = sample ? "#" : "";
	for (size_t i = 0; i < JT_ARRAY_LEN(settings); i++) {
		const struct setting *s = &settings[i];
		const void *p = (const char *)c + s->off;
		fprintf(out, "# %s (default: %s%s)\n", s->help, s->def[0] ? s->def : "empty",
			s->reloadable ? "" : "; needs a restart to change");
		switch (s->kind) {
		case K_STR:
			fprintf(out, "%s%s = \"%s\"\n\n", lead, s->name, *(char *const *)p);
			break;
		case K_LONG:
			fprintf(out, "%s%s = %ld\n\n", lead, s->name, *(const long *)p);
			break;
		case K_DOUBLE:
			fprintf(out, "%s%s = %g\n\n", lead, s->name, *(const double *)p);
			break;
		}
	}
}
