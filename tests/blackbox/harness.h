/*
 * harness.h — black-box tests of jintongd: each test gets its own database in
 * the throwaway cluster the test runner started (JINTONG_TEST_PG), runs the
 * real daemon binary (JINTONG_BIN), waits for it to say it is ready on the
 * service-manager notification socket, and talks to it over HTTP.
 *
 * Tests that must stop PostgreSQL itself make a private cluster with
 * JINTONG_TEST_PGCTL (tools/pg), so they never disturb the others.
 */
#ifndef JINTONG_HARNESS_H
#define JINTONG_HARNESS_H

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core.h"

extern int h_failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			h_failures++; \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

#define REQUIRE(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: required: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			h_abort(); \
		} \
	} while (0)

struct h_daemon {
	pid_t pid;
	char url[96];
	char tls_url[96];     /* https://..., when the daemon serves HTTPS */
	char log_path[512];
	int notify_fd;
	char notify_name[108];
};

struct h_test {
	char name[64];
	char dbname[96];
	char conninfo[768];   /* the test's own database */
	char admin_conninfo[512];
	char tmpdir[256];
	char op_token[300];   /* operator token */
	struct h_daemon d;
	/* private cluster, when the test made one */
	char pg_dir[320];
	int pg_port;
};

struct h_resp {
	long status;
	char *body;
	size_t len;
	char retry_after[32];
};

/* Sets up the test (own database, temp dir). Exits 77 (skipped) without a cluster. */
void h_init(struct h_test *t, const char *name);
/* Ends the test: stops the daemon, drops the database; returns the exit status. */
int h_finish(struct h_test *t);
JT_NORETURN void h_abort(void);

/* Makes a private cluster for this test (its own port) and points the test at it. */
void h_private_cluster(struct h_test *t);
/* Runs tools/pg with an action (stop, start, kill) on the private cluster; returns its status. */
int h_pgctl(struct h_test *t, const char *action);

/* jintongd with the given extra arguments (NULL-terminated); --migrate etc. run to completion. */
int h_run_daemon_once(struct h_test *t, const char *const *args, char *out, size_t outlen);
/* Creates an operator token into t->op_token. */
void h_create_operator(struct h_test *t);
/* Starts the daemon and waits until it reports ready. */
void h_start(struct h_test *t, const char *const *extra_args);
/* Sends sig and waits for the exit; returns the exit status (or 128+signal). */
int h_stop(struct h_test *t, int sig);

/* Sends SIGHUP and waits until the daemon reports it is ready again. */
void h_reload(struct h_test *t);
/* Waits up to ms for a notification from the daemon containing text. */
bool h_wait_notify(struct h_test *t, const char *text, int ms);
/* Does the daemon's log contain this text? */
bool h_log_has(struct h_test *t, const char *text);
/* Waits for the daemon to exit by itself; returns its exit status. */
int h_wait(struct h_test *t);

/* HTTP to the daemon. body may be NULL. token NULL = no Authorization. */
void h_http(struct h_test *t, const char *method, const char *path, const char *content_type,
	    const char *token, const void *body, size_t len, struct h_resp *r);
void h_resp_free(struct h_resp *r);
/* POST JSON to the admin API with the operator token. */
void h_admin(struct h_test *t, const char *method, const char *path, const char *json,
	     struct h_resp *r);
void h_add_vehicle(struct h_test *t, const char *code);
/* Registers a device; writes its token (>= 64 bytes). */
void h_add_device(struct h_test *t, const char *ext_id, const char *vehicle, char *token);

/* Runs SQL on the test's database and returns the first value as a number (-1 on error). */
long long h_sql_num(struct h_test *t, const char *fmt, ...) JT_PRINTF(2, 3);
/* Runs SQL; returns 0 when it succeeded. */
int h_sql_exec(struct h_test *t, const char *fmt, ...) JT_PRINTF(2, 3);

/* Runs a program; captures stdout and stderr together into out. Returns its exit status. */
int h_exec(const char *const *argv, char *out, size_t outlen);

/*
 * Runs the operators' CLI ($JINTONG_CLI) against url with the operator token
 * in token_file, then the arguments (first, ... up to a NULL); stdout and
 * stderr together into out. Returns its exit status.
 */
int h_vcli(const char *url, const char *token_file, char *out, size_t len, const char *first,
	   va_list ap);

/* The line of text holding all of the given words (up to NULL), within text; NULL if none. */
const char *h_line_with(const char *text, const char *first, ...);
/* Writes text to name in the test's directory; path gets the file's path. */
void h_write_file(struct h_test *t, char *path, size_t size, const char *name, const char *text);
/* The date days from today in the county's time zone (UTC+8, the daemon's default), YYYY-MM-DD. */
void h_county_date(int days, char *buf, size_t len);

/* A free TCP port on 127.0.0.1. */
int h_free_port(void);

#endif
