/*
 * harness.c — running jintongd against a real PostgreSQL for black-box
 * tests; see harness.h.
 */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READY_TIMEOUT_MS 60000

int h_failures;
static struct h_test *current;

static const char *env_or_die(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		fprintf(stderr, "%s is not set; run the suite with tests/run\n", name);
		exit(77);
	}
	return v;
}

static void quiet(void *arg, const char *message)
{
}

static PGconn *connect_or_die(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect (%s): %s", conninfo, PQerrorMessage(c));
		PQfinish(c);
		h_abort();
	}
	return c;
}

static void admin_exec(const char *conninfo, const char *sql)
{
	PGconn *c = connect_or_die(conninfo);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		h_abort();
	}
	PQclear(r);
	PQfinish(c);
}

static void make_db(struct h_test *t)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->dbname);
	admin_exec(t->admin_conninfo, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->dbname);
	admin_exec(t->admin_conninfo, sql);
	snprintf(t->conninfo, sizeof t->conninfo, "%s dbname=%s", t->admin_conninfo, t->dbname);
}

void h_init(struct h_test *t, const char *name)
{
	memset(t, 0, sizeof *t);
	current = t;
	t->d.pid = -1;
	t->d.notify_fd = -1;
	snprintf(t->name, sizeof t->name, "%s", name);
	snprintf(t->admin_conninfo, sizeof t->admin_conninfo, "%s", env_or_die("JINTONG_TEST_PG"));
	env_or_die("JINTONG_BIN");
	snprintf(t->dbname, sizeof t->dbname, "jt_%s_%d", name, (int)getpid());
	snprintf(t->tmpdir, sizeof t->tmpdir, "/tmp/jt-test-%s-XXXXXX", name);
	if (!mkdtemp(t->tmpdir)) {
		perror("mkdtemp");
		exit(1);
	}
	chmod(t->tmpdir, 0755);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	make_db(t);
}

static void print_log(struct h_test *t)
{
	FILE *f = t->d.log_path[0] ? fopen(t->d.log_path, "r") : NULL;
	if (!f)
		return;
	fprintf(stderr, "---- jintongd log (%s) ----\n", t->d.log_path);
	char line[1024];
	while (fgets(line, sizeof line, f))
		fputs(line, stderr);
	fclose(f);
}

int h_finish(struct h_test *t)
{
	if (t->d.pid > 0)
		h_stop(t, SIGTERM);
	if (h_failures)
		print_log(t);
	if (t->pg_dir[0]) {
		h_pgctl(t, "destroy");
	} else {
		char sql[256];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->dbname);
		admin_exec(t->admin_conninfo, sql);
	}
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t->tmpdir);
	fprintf(stderr, "%s: %d check(s) failed\n", t->name, h_failures);
	return h_failures ? 1 : 0;
}

void h_abort(void)
{
	if (current) {
		if (current->d.pid > 0) {
			kill(current->d.pid, SIGKILL);
			waitpid(current->d.pid, NULL, 0);
			current->d.pid = -1;
		}
		print_log(current);
		if (current->pg_dir[0])
			h_pgctl(current, "destroy");
	}
	exit(1);
}

const char *h_line_with(const char *text, const char *first, ...)
{
	static char line[1024];
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		bool all = true;
		va_list ap;
		va_start(ap, first);
		for (const char *w = first; w && all; w = va_arg(ap, const char *))
			all = strstr(line, w) != NULL;
		va_end(ap);
		if (all)
			return strstr(text, line);
		p += len + (p[len] == '\n');
	}
	return NULL;
}

void h_write_file(struct h_test *t, char *path, size_t size, const char *name, const char *text)
{
	snprintf(path, size, "%s/%s", t->tmpdir, name);
	FILE *f = fopen(path, "w");
	REQUIRE(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

void h_county_date(int days, char *buf, size_t len)
{
	time_t now = time(NULL) + 8 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

int h_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		perror("free port");
		exit(1);
	}
	close(fd);
	return ntohs(sa.sin_port);
}

int h_pgctl(struct h_test *t, const char *action)
{
	char cmd[768];
	if (strcmp(action, "start") == 0)
		snprintf(cmd, sizeof cmd, "'%s' start '%s' %d >&2", getenv("JINTONG_TEST_PGCTL"),
			 t->pg_dir, t->pg_port);
	else
		snprintf(cmd, sizeof cmd, "'%s' %s '%s' >&2", getenv("JINTONG_TEST_PGCTL"), action,
			 t->pg_dir);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void h_private_cluster(struct h_test *t)
{
	env_or_die("JINTONG_TEST_PGCTL");
	/* The shared cluster's database is not needed any more. */
	char sql[256];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->dbname);
	admin_exec(t->admin_conninfo, sql);
	snprintf(t->pg_dir, sizeof t->pg_dir, "%s/pg", t->tmpdir);
	t->pg_port = h_free_port();
	REQUIRE(h_pgctl(t, "start") == 0, "private cluster did not start");
	snprintf(t->admin_conninfo, sizeof t->admin_conninfo,
		 "host=127.0.0.1 port=%d user=postgres dbname=postgres", t->pg_port);
	make_db(t);
}

/* fork+exec jintongd with --database and extra args; stdout to out_fd, stderr to log. */
static pid_t spawn(struct h_test *t, const char *const *args, int out_fd, const char *notify)
{
	const char *argv[64];
	int n = 0;
	argv[n++] = getenv("JINTONG_BIN");
	argv[n++] = "--database";
	argv[n++] = t->conninfo;
	for (int i = 0; args && args[i] && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(t->d.log_path, sizeof t->d.log_path, "%s/jintongd.log", t->tmpdir);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		h_abort();
	}
	if (pid == 0) {
		/* a test killed (a timeout, Ctrl-C) takes its daemon with it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int log = open(t->d.log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (log >= 0)
			dup2(log, 2);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		if (notify)
			setenv("NOTIFY_SOCKET", notify, 1);
		else
			unsetenv("NOTIFY_SOCKET");
		execv(argv[0], (char *const *)argv);
		perror("exec jintongd");
		_exit(127);
	}
	return pid;
}

int h_run_daemon_once(struct h_test *t, const char *const *args, char *out, size_t outlen)
{
	int p[2];
	if (pipe(p) != 0) {
		perror("pipe");
		h_abort();
	}
	pid_t pid = spawn(t, args, p[1], NULL);
	close(p[1]);
	size_t k = 0;
	char buf[512];
	ssize_t r;
	while ((r = read(p[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < r && out && k + 1 < outlen; i++)
			out[k++] = buf[i];
	}
	if (out && outlen)
		out[k] = '\0';
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int h_exec(const char *const *argv, char *out, size_t outlen)
{
	int p[2];
	if (pipe(p) != 0) {
		perror("pipe");
		h_abort();
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		execv(argv[0], (char *const *)argv);
		perror("exec");
		_exit(127);
	}
	close(p[1]);
	size_t k = 0;
	char buf[512];
	ssize_t r;
	while ((r = read(p[0], buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < r && k + 1 < outlen; i++)
			out[k++] = buf[i];
	out[k] = '\0';
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int h_vcli(const char *url, const char *token_file, char *out, size_t len, const char *first,
	   va_list ap)
{
	const char *argv[48];
	int n = 0;
	argv[n++] = getenv("JINTONG_CLI");
	argv[n++] = "--url";
	argv[n++] = url;
	argv[n++] = "--token-file";
	argv[n++] = token_file;
	for (const char *a = first; a && n < 47; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	return h_exec(argv, out, len);
}

void h_create_operator(struct h_test *t)
{
	const char *args[] = { "--create-operator", "tests", NULL };
	char out[256];
	int rc = h_run_daemon_once(t, args, out, sizeof out);
	REQUIRE(rc == 0, "--create-operator exited %d", rc);
	out[strcspn(out, "\n")] = '\0';
	REQUIRE(strlen(out) >= 40, "token '%s' too short", out);
	snprintf(t->op_token, sizeof t->op_token, "%s", out);
}

void h_start(struct h_test *t, const char *const *extra_args)
{
	static int seq;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(t->d.notify_name, sizeof t->d.notify_name, "@jt-test-%d-%d", (int)getpid(), ++seq);
	size_t n = strlen(t->d.notify_name);
	memcpy(sa.sun_path, t->d.notify_name, n);
	sa.sun_path[0] = '\0';
	REQUIRE(fd >= 0 && bind(fd, (struct sockaddr *)&sa,
				(socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) == 0,
		"notify socket: %s", strerror(errno));
	const char *args[48];
	int k = 0;
	args[k++] = "--listen";
	args[k++] = "127.0.0.1:0";
	for (int i = 0; extra_args && extra_args[i] && k < 46; i++)
		args[k++] = extra_args[i];
	args[k] = NULL;
	t->d.pid = spawn(t, args, -1, t->d.notify_name);
	t->d.notify_fd = fd;
	/* Wait for READY=1 on the notification socket (or the daemon's death). */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int pr = poll(&pfd, 1, 200);
		if (pr > 0) {
			char msg[512];
			ssize_t r = recv(fd, msg, sizeof msg - 1, 0);
			if (r > 0) {
				msg[r] = '\0';
				const char *st = strstr(msg, "STATUS=listening on ");
				if (strstr(msg, "READY=1") && st) {
					char addr[80];
					snprintf(addr, sizeof addr, "%s", st + 20);
					addr[strcspn(addr, "\n,")] = '\0';
					snprintf(t->d.url, sizeof t->d.url, "http://%s", addr);
					const char *tls = strstr(st, ", tls on ");
					t->d.tls_url[0] = '\0';
					if (tls) {
						snprintf(addr, sizeof addr, "%s", tls + 9);
						addr[strcspn(addr, "\n")] = '\0';
						snprintf(t->d.tls_url, sizeof t->d.tls_url, "https://%s", addr);
					}
					return;
				}
			}
		}
		int status;
		if (waitpid(t->d.pid, &status, WNOHANG) == t->d.pid) {
			t->d.pid = -1;
			REQUIRE(false, "jintongd exited before it was ready");
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		REQUIRE(ms < READY_TIMEOUT_MS, "jintongd not ready after %d ms", READY_TIMEOUT_MS);
	}
}

int h_stop(struct h_test *t, int sig)
{
	if (t->d.pid <= 0)
		return -1;
	kill(t->d.pid, sig);
	int st;
	waitpid(t->d.pid, &st, 0);
	t->d.pid = -1;
	if (t->d.notify_fd >= 0)
		close(t->d.notify_fd);
	t->d.notify_fd = -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void h_reload(struct h_test *t)
{
	/* Drop stale notifications, then wait for RELOADING=1 ... READY=1. */
	char msg[512];
	while (recv(t->d.notify_fd, msg, sizeof msg, MSG_DONTWAIT) > 0)
		;
	kill(t->d.pid, SIGHUP);
	bool reloading = false;
	for (;;) {
		struct pollfd pfd = { t->d.notify_fd, POLLIN, 0 };
		REQUIRE(poll(&pfd, 1, READY_TIMEOUT_MS) == 1, "no notification after SIGHUP");
		ssize_t r = recv(t->d.notify_fd, msg, sizeof msg - 1, 0);
		if (r <= 0)
			continue;
		msg[r] = '\0';
		reloading |= strstr(msg, "RELOADING=1") != NULL;
		if (reloading && strstr(msg, "READY=1"))
			return;
	}
}

bool h_wait_notify(struct h_test *t, const char *text, int ms)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = ms - ((now.tv_sec - start.tv_sec) * 1000 +
				  (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		struct pollfd pfd = { t->d.notify_fd, POLLIN, 0 };
		if (poll(&pfd, 1, (int)left) != 1)
			return false;
		char msg[512];
		ssize_t r = recv(t->d.notify_fd, msg, sizeof msg - 1, 0);
		if (r <= 0)
			continue;
		msg[r] = '\0';
		if (strstr(msg, text))
			return true;
	}
}

bool h_log_has(struct h_test *t, const char *text)
{
	FILE *f = fopen(t->d.log_path, "r");
	char line[2048];
	bool found = false;
	while (f && !found && fgets(line, sizeof line, f))
		found = strstr(line, text) != NULL;
	if (f)
		fclose(f);
	return found;
}

int h_wait(struct h_test *t)
{
	if (t->d.pid <= 0)
		return -1;
	int st;
	waitpid(t->d.pid, &st, 0);
	t->d.pid = -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct h_resp *r = arg;
	size_t k = size * n;
	char *nb = realloc(r->body, r->len + k + 1);
	if (!nb)
		abort();
	r->body = nb;
	memcpy(r->body + r->len, p, k);
	r->len += k;
	r->body[r->len] = '\0';
	return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct h_resp *r = arg;
	size_t k = size * n;
	if (k > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		snprintf(r->retry_after, sizeof r->retry_after, "%.*s", (int)(k - 12), p + 12);
		r->retry_after[strcspn(r->retry_after, "\r\n")] = '\0';
	}
	return k;
}

void h_http(struct h_test *t, const char *method, const char *path, const char *content_type,
	    const char *token, const void *body, size_t len, struct h_resp *r)
{
	memset(r, 0, sizeof *r);
	r->body = calloc(1, 1);
	CURL *c = curl_easy_init();
	char url[2048], auth[300], ct[200];
	snprintf(url, sizeof url, "%s%s", t->d.url, path);
	struct curl_slist *h = NULL;
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "");
	h = curl_slist_append(h, content_type ? ct : "Content-Type:");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body || strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	else
		r->status = 0;
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

void h_resp_free(struct h_resp *r)
{
	free(r->body);
	r->body = NULL;
}

void h_admin(struct h_test *t, const char *method, const char *path, const char *json,
	     struct h_resp *r)
{
	h_http(t, method, path, json ? "application/json" : NULL, t->op_token, json,
	       json ? strlen(json) : 0, r);
}

void h_add_vehicle(struct h_test *t, const char *code)
{
	char json[256];
	snprintf(json, sizeof json, "{\"code\":\"%s\",\"seats\":30}", code);
	struct h_resp r;
	h_admin(t, "POST", "/v1/admin/vehicles", json, &r);
	REQUIRE(r.status == 201, "adding vehicle %s: %ld %s", code, r.status, r.body);
	h_resp_free(&r);
}

void h_add_device(struct h_test *t, const char *ext_id, const char *vehicle, char *token)
{
	char json[256];
	snprintf(json, sizeof json, "{\"device_id\":\"%s\",\"vehicle\":\"%s\"}", ext_id, vehicle);
	struct h_resp r;
	h_admin(t, "POST", "/v1/admin/devices", json, &r);
	REQUIRE(r.status == 201, "adding device %s: %ld %s", ext_id, r.status, r.body);
	const char *p = strstr(r.body, "\"token\":\"");
	REQUIRE(p, "no token in %s", r.body);
	p += 9;
	size_t n = strcspn(p, "\"");
	REQUIRE(n > 0 && n < 64, "bad token");
	memcpy(token, p, n);
	token[n] = '\0';
	h_resp_free(&r);
}

__attribute__((format(printf, 2, 0)))
static PGresult *vsql(struct h_test *t, const char *fmt, va_list ap)
{
	char sql[8192];
	vsnprintf(sql, sizeof sql, fmt, ap);
	PGconn *c = connect_or_die(t->conninfo);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "sql failed: %s: %s", sql, PQresultErrorMessage(r));
	PQfinish(c);
	return r;
}

long long h_sql_num(struct h_test *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = vsql(t, fmt, ap);
	va_end(ap);
	long long v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

int h_sql_exec(struct h_test *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = vsql(t, fmt, ap);
	va_end(ap);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok ? 0 : -1;
}
