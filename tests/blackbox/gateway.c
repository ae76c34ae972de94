/*
 * gateway.c — the fake rider-notification gateway; see gateway.h.
 *
 * One thread polls the listening socket, a wake-up pipe and the open
 * connections. Everything it shares with the test is under one mutex; it
 * signals a condition variable whenever a request arrives or a connection
 * closes, so tests wait on events, not on the clock.
 */
#include "gateway.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONNS_MAX 64
#define REQUEST_MAX 65536
#define REQUESTS_MAX 4096

struct record {
	char key[32];
	char auth[160];
	char *body;
	int answer;  /* status sent; 0 while held or when closed unanswered */
	bool held;   /* open, unanswered */
};

struct conn {
	int fd;
	char *buf;
	size_t len;
	int record; /* index once the request is complete, else -1 */
};

struct gw {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	int wake[2];
	int listen_fd;
	int port;
	bool want_listening, quit;
	bool release;              /* the test asks held requests to be released */
	int release_status;
	int answer;                /* default answer */
	int script_answer, script_left;
	char script_body[256];
	struct conn conns[CONNS_MAX];
	size_t nconns;
	struct record records[REQUESTS_MAX];
	size_t nrecords;
	char taken[REQUESTS_MAX][32];
	size_t ntaken;
};

static void die(const char *what)
{
	fprintf(stderr, "gateway: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void open_listener(struct gw *g)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)g->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		die("listen");
	g->port = ntohs(sa.sin_port);
	g->listen_fd = fd;
}

static void poke(struct gw *g)
{
	char c = 1;
	if (write(g->wake[1], &c, 1) < 0 && errno != EAGAIN)
		die("wake");
}

static void respond(int fd, int status, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d Answer\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, strlen(body));
	if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0) {
		/* the client is gone: nothing to do */
	}
}

static bool is_taken(const struct gw *g, const char *key)
{
	for (size_t i = 0; i < g->ntaken; i++)
		if (strcmp(g->taken[i], key) == 0)
			return true;
	return false;
}

static void close_conn(struct gw *g, size_t i)
{
	struct conn *c = &g->conns[i];
	if (c->record >= 0)
		g->records[c->record].held = false;
	close(c->fd);
	free(c->buf);
	g->conns[i] = g->conns[--g->nconns];
	pthread_cond_broadcast(&g->changed);
}

static void header(const char *head, const char *name, char *out, size_t len)
{
	out[0] = '\0';
	size_t nl = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			v += strspn(v, " \t");
			size_t n = strcspn(v, "\r\n");
			snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), v);
			return;
		}
	}
}

/* A whole request is in c->buf: record it and answer (or hold it). Returns false to close. */
static bool serve(struct gw *g, struct conn *c, const char *body, size_t body_len)
{
	if (g->nrecords >= REQUESTS_MAX)
		return false;
	struct record *r = &g->records[g->nrecords];
	memset(r, 0, sizeof *r);
	header(c->buf, "Idempotency-Key", r->key, sizeof r->key);
	header(c->buf, "Authorization", r->auth, sizeof r->auth);
	r->body = strndup(body, body_len);
	c->record = (int)g->nrecords++;
	int answer = g->answer;
	const char *text = "{\"status\":\"queued\"}";
	if (g->script_left > 0) {
		answer = g->script_answer;
		if (g->script_body[0])
			text = g->script_body;
		g->script_left--;
	}
	bool takes = answer == GW_HANG || (answer >= 200 && answer <= 299);
	if (takes && r->key[0] && is_taken(g, r->key))
		text = "{\"status\":\"duplicate\"}", answer = answer == GW_HANG ? 200 : answer;
	else if (takes && r->key[0] && g->ntaken < REQUESTS_MAX)
		memcpy(g->taken[g->ntaken++], r->key, sizeof r->key);
	pthread_cond_broadcast(&g->changed);
	if (answer == GW_HANG) {
		r->held = true;
		return true;
	}
	r->answer = answer;
	respond(c->fd, answer, text);
	return false;
}

/* Reads what is there; false when the connection is to be closed. */
static bool on_readable(struct gw *g, struct conn *c)
{
	char tmp[4096];
	ssize_t n = read(c->fd, tmp, sizeof tmp);
	if (n <= 0)
		return false;
	if (c->record >= 0)
		return true; /* held: whatever more comes is ignored */
	if (c->len + (size_t)n > REQUEST_MAX)
		return false;
	c->buf = realloc(c->buf, c->len + (size_t)n + 1);
	if (!c->buf)
		die("memory");
	memcpy(c->buf + c->len, tmp, (size_t)n);
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	char *end = strstr(c->buf, "\r\n\r\n");
	if (!end)
		return true;
	char cl[32];
	header(c->buf, "Content-Length", cl, sizeof cl);
	size_t want = (size_t)strtoul(cl, NULL, 10), have = c->len - (size_t)(end + 4 - c->buf);
	if (have < want)
		return true;
	return serve(g, c, end + 4, want);
}

/* Answers (or just closes) every held request; only the thread touches connections. */
static void release_held(struct gw *g, int status)
{
	for (size_t i = g->nconns; i-- > 0;) {
		struct conn *c = &g->conns[i];
		if (c->record < 0 || !g->records[c->record].held)
			continue;
		if (status) {
			respond(c->fd, status, "{\"status\":\"queued\"}");
			g->records[c->record].answer = status;
		}
		close_conn(g, i);
	}
}

static void *run(void *arg)
{
	struct gw *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->quit) {
		/* Listening as the test wants it. */
		if (g->want_listening && g->listen_fd < 0)
			open_listener(g);
		if (!g->want_listening && g->listen_fd >= 0) {
			close(g->listen_fd);
			g->listen_fd = -1;
		}
		if (g->release) {
			release_held(g, g->release_status);
			g->release = false;
		}
		pthread_cond_broadcast(&g->changed);
		struct pollfd p[CONNS_MAX + 2];
		size_t n = 0;
		p[n++] = (struct pollfd){ g->wake[0], POLLIN, 0 };
		if (g->listen_fd >= 0 && g->nconns < CONNS_MAX)
			p[n++] = (struct pollfd){ g->listen_fd, POLLIN, 0 };
		size_t first_conn = n, nconns = g->nconns;
		for (size_t i = 0; i < nconns; i++)
			p[n++] = (struct pollfd){ g->conns[i].fd, POLLIN, 0 };
		pthread_mutex_unlock(&g->mu);
		int r = poll(p, (nfds_t)n, -1);
		pthread_mutex_lock(&g->mu);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[0].revents) {
			char buf[64];
			while (read(g->wake[0], buf, sizeof buf) > 0) {
			}
		}
		/* Connections first, from the last: closing one moves the last into its place. */
		for (size_t i = nconns; i-- > 0;) {
			if (p[first_conn + i].revents && !on_readable(g, &g->conns[i]))
				close_conn(g, i);
		}
		if (first_conn == 2 && p[1].revents && g->listen_fd >= 0) {
			int fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				g->conns[g->nconns++] = (struct conn){ .fd = fd, .record = -1 };
		}
	}
	for (size_t i = g->nconns; i-- > 0;)
		close_conn(g, i);
	if (g->listen_fd >= 0)
		close(g->listen_fd);
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct gw *gw_start(void)
{
	struct gw *g = calloc(1, sizeof *g);
	if (!g)
		die("memory");
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->changed, NULL);
	if (pipe2(g->wake, O_CLOEXEC | O_NONBLOCK) != 0)
		die("pipe");
	g->listen_fd = -1;
	g->answer = 200;
	g->want_listening = true;
	open_listener(g);
	if (pthread_create(&g->thread, NULL, run, g) != 0)
		die("thread");
	return g;
}

void gw_stop(struct gw *g)
{
	pthread_mutex_lock(&g->mu);
	g->quit = true;
	poke(g);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	for (size_t i = 0; i < g->nrecords; i++)
		free(g->records[i].body);
	close(g->wake[0]);
	close(g->wake[1]);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->changed);
	free(g);
}

int gw_port(const struct gw *g)
{
	return g->port;
}

void gw_answer(struct gw *g, int answer)
{
	pthread_mutex_lock(&g->mu);
	g->answer = answer;
	pthread_mutex_unlock(&g->mu);
}

void gw_script(struct gw *g, int answer, int n, const char *body)
{
	pthread_mutex_lock(&g->mu);
	g->script_answer = answer;
	g->script_left = n;
	snprintf(g->script_body, sizeof g->script_body, "%s", body ? body : "");
	pthread_mutex_unlock(&g->mu);
}

static void set_listening(struct gw *g, bool on)
{
	pthread_mutex_lock(&g->mu);
	g->want_listening = on;
	poke(g);
	while ((g->listen_fd >= 0) != on)
		pthread_cond_wait(&g->changed, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

void gw_down(struct gw *g)
{
	set_listening(g, false);
}

void gw_up(struct gw *g)
{
	set_listening(g, true);
}

void gw_release(struct gw *g, int status)
{
	pthread_mutex_lock(&g->mu);
	g->release = true;
	g->release_status = status;
	poke(g);
	while (g->release)
		pthread_cond_wait(&g->changed, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

size_t gw_count(struct gw *g, const char *key)
{
	pthread_mutex_lock(&g->mu);
	size_t n = 0;
	for (size_t i = 0; i < g->nrecords; i++)
		n += strcmp(g->records[i].key, key) == 0;
	pthread_mutex_unlock(&g->mu);
	return n;
}

size_t gw_held(struct gw *g, const char *key)
{
	pthread_mutex_lock(&g->mu);
	size_t n = 0;
	for (size_t i = 0; i < g->nrecords; i++)
		n += g->records[i].held && strcmp(g->records[i].key, key) == 0;
	pthread_mutex_unlock(&g->mu);
	return n;
}

bool gw_taken(struct gw *g, const char *key)
{
	pthread_mutex_lock(&g->mu);
	bool t = is_taken(g, key);
	pthread_mutex_unlock(&g->mu);
	return t;
}

size_t gw_taken_total(struct gw *g)
{
	pthread_mutex_lock(&g->mu);
	size_t n = g->ntaken;
	pthread_mutex_unlock(&g->mu);
	return n;
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static size_t count_locked(const struct gw *g, const char *key, bool held_only)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nrecords; i++)
		n += strcmp(g->records[i].key, key) == 0 && (!held_only || g->records[i].held);
	return n;
}

bool gw_wait(struct gw *g, const char *key, size_t n, int ms)
{
	struct timespec until;
	deadline_in(&until, ms);
	pthread_mutex_lock(&g->mu);
	bool ok;
	while (!(ok = count_locked(g, key, false) >= n))
		if (pthread_cond_timedwait(&g->changed, &g->mu, &until) == ETIMEDOUT) {
			ok = count_locked(g, key, false) >= n;
			break;
		}
	pthread_mutex_unlock(&g->mu);
	return ok;
}

bool gw_wait_unheld(struct gw *g, const char *key, int ms)
{
	struct timespec until;
	deadline_in(&until, ms);
	pthread_mutex_lock(&g->mu);
	bool ok;
	while (!(ok = count_locked(g, key, true) == 0))
		if (pthread_cond_timedwait(&g->changed, &g->mu, &until) == ETIMEDOUT) {
			ok = count_locked(g, key, true) == 0;
			break;
		}
	pthread_mutex_unlock(&g->mu);
	return ok;
}

bool gw_request(struct gw *g, const char *key, size_t i, char *body, size_t len, char *auth, size_t alen,
		int *answer)
{
	pthread_mutex_lock(&g->mu);
	bool found = false;
	for (size_t k = 0; k < g->nrecords && !found; k++) {
		const struct record *r = &g->records[k];
		if (strcmp(r->key, key) != 0 || i-- > 0)
			continue;
		found = true;
		if (body)
			snprintf(body, len, "%s", r->body ? r->body : "");
		if (auth)
			snprintf(auth, alen, "%s", r->auth);
		if (answer)
			*answer = r->answer;
	}
	pthread_mutex_unlock(&g->mu);
	return found;
}
