/*
 * Rate and connection limits: a sender's bucket empties and it is answered
 * 429 with Retry-After while another sender is not, operators are not
 * limited, a tablet's fixes draw from a bucket of their own, senders without
 * a token are counted by address, and one address may hold only so many
 * connections open; the metrics count both.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct h_test t;

static long call(const char *method, const char *path, const char *token, const char *ct, const char *body,
		 struct h_resp *r)
{
	h_http(&t, method, path, ct, token, body, body ? strlen(body) : 0, r);
	return r->status;
}

static long status_of(const char *method, const char *path, const char *token)
{
	struct h_resp r;
	long st = call(method, path, token, NULL, NULL, &r);
	h_resp_free(&r);
	return st;
}

static void make_client(const char *name, char *token)
{
	char json[128];
	snprintf(json, sizeof json, "{\"name\":\"%s\"}", name);
	struct h_resp r;
	h_admin(&t, "POST", "/v1/admin/clients", json, &r);
	REQUIRE(r.status == 201, "client %s: %s", name, r.body);
	const char *p = strstr(r.body, "\"token\":\"");
	REQUIRE(p, "token in %s", r.body);
	snprintf(token, 64, "%.43s", p + 9);
	h_resp_free(&r);
}

/* Burst 3, then one request every 100 s: the fourth is refused whatever the machine's speed. */
static void requests(void)
{
	char x[64], y[64];
	make_client("kiosk-x", x);
	make_client("kiosk-y", y);
	for (int i = 0; i < 3; i++)
		CHECK(status_of("GET", "/v1/rides", x) == 200, "request %d of the burst", i + 1);
	struct h_resp r;
	CHECK(call("GET", "/v1/rides", x, NULL, NULL, &r) == 429 && strstr(r.body, "\"error\":\"rate_limited\""),
	      "over the burst: %ld %s", r.status, r.body);
	long secs = atol(r.retry_after);
	CHECK(secs >= 1 && secs <= 100, "Retry-After: '%s'", r.retry_after);
	h_resp_free(&r);
	/* Another client has its own bucket. */
	CHECK(status_of("GET", "/v1/rides", y) == 200, "another client");
	/* Operators are not limited. */
	for (int i = 0; i < 10; i++)
		CHECK(status_of("GET", "/v1/admin/info", t.op_token) == 200, "operator request %d", i + 1);
	/* Without a token: counted by address (the test's own). */
	int ok = 0, limited = 0;
	for (int i = 0; i < 4; i++) {
		long st = status_of("GET", "/healthz", NULL);
		ok += st == 200;
		limited += st == 429;
	}
	CHECK(ok == 3 && limited == 1, "address: %d answered, %d limited", ok, limited);
}

/* Fix uploads have their own bucket (burst 2 here): a tablet out of it may still read its manifest. */
static void fixes(void)
{
	char tok[128];
	h_add_vehicle(&t, "BUS-1");
	h_add_device(&t, "tab-1", "BUS-1", tok);
	for (int i = 0; i < 2; i++) {
		long st = status_of("POST", "/v1/fixes", tok);
		CHECK(st != 429 && st != 401 && st != 403, "upload %d: %ld", i + 1, st);
	}
	CHECK(status_of("POST", "/v1/fixes", tok) == 429, "third upload");
	long st = status_of("GET", "/v1/vehicles/BUS-1/manifest?format=json", tok);
	CHECK(st == 200, "manifest after the fixes' bucket emptied: %ld", st);
}

static int port_of(const char *url)
{
	const char *colon = strrchr(url, ':');
	return colon ? atoi(colon + 1) : 0;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	REQUIRE(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect");
	return fd;
}

/* Sends one keep-alive request and reads the reply's head and body; the status, 0 on EOF. */
static int ask(int fd, char *reply, size_t len)
{
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET /v1/admin/info HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n\r\n", t.op_token);
	if (write(fd, req, (size_t)n) != n)
		return 0;
	size_t got = 0;
	reply[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10000) <= 0)
			return 0;
		ssize_t k = read(fd, reply + got, len - 1 - got);
		if (k <= 0)
			break;
		got += (size_t)k;
		reply[got] = '\0';
		const char *end = strstr(reply, "\r\n\r\n");
		const char *cl = strstr(reply, "Content-Length: ");
		if (end && cl && got >= (size_t)(end + 4 - reply) + (size_t)atol(cl + 16))
			break;
	}
	int status = 0;
	if (sscanf(reply, "HTTP/1.1 %d", &status) != 1)
		return 0;
	return status;
}

static double counter(const char *name)
{
	struct h_resp r;
	/* The address is out of requests by now; an operator's token is counted as the operator's. */
	h_http(&t, "GET", "/metrics", NULL, t.op_token, NULL, 0, &r);
	double v = -1;
	const char *p = r.body;
	while (p && (p = strstr(p, name))) {
		if ((p == r.body || p[-1] == '\n') && p[strlen(name)] == ' ') {
			v = strtod(p + strlen(name), NULL);
			break;
		}
		p += strlen(name);
	}
	h_resp_free(&r);
	return v;
}

/* Three connections at most from one address (this test's). */
static void connections(void)
{
	int port = port_of(t.d.url);
	char reply[8192];
	int fd[3];
	for (int i = 0; i < 3; i++) {
		fd[i] = connect_to(port);
		CHECK(ask(fd[i], reply, sizeof reply) == 200, "connection %d: %s", i + 1, reply);
	}
	/* The three stay open: a second request on the first is answered. */
	CHECK(ask(fd[0], reply, sizeof reply) == 200, "keep-alive: %s", reply);
	int extra = connect_to(port);
	CHECK(ask(extra, reply, sizeof reply) == 429 && strstr(reply, "too_many_connections") &&
		      strstr(reply, "Retry-After: "),
	      "a fourth: %s", reply);
	char byte;
	struct pollfd p = { .fd = extra, .events = POLLIN };
	CHECK(poll(&p, 1, 10000) == 1 && read(extra, &byte, 1) <= 0, "the fourth is closed");
	close(extra);
	/* Closing one makes room; the daemon learns of it when it reads the end of the connection. */
	close(fd[0]);
	int status = 0;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		int again = connect_to(port);
		status = ask(again, reply, sizeof reply);
		close(again);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (status != 200 && now.tv_sec - start.tv_sec < 20);
	CHECK(status == 200, "room again after one closed: %s", reply);
	close(fd[1]);
	close(fd[2]);
	/* The metrics need a connection of their own: wait until the closes are seen. */
	double refused = -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		refused = counter("jintong_http_connections_refused_total");
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (refused < 0 && now.tv_sec - start.tv_sec < 20);
	CHECK(refused >= 1, "refused connections counted: %g", refused);
	/* Client X's fourth request and the address's fourth; the tablet's third upload. */
	double req = counter("jintong_http_rate_limited_total{bucket=\"requests\"}");
	double fix = counter("jintong_http_rate_limited_total{bucket=\"fixes\"}");
	CHECK(req == 2 && fix == 1, "rate-limited requests counted: %g and %g fixes", req, fix);
}

int main(void)
{
	h_init(&t, "throttle");
	h_create_operator(&t);
	const char *args[] = { "--rate-limit-per-s", "0.01", "--rate-limit-burst", "3",
			       "--fix-rate-limit-per-s", "0.01", "--fix-rate-limit-burst", "2",
			       "--max-connections-per-address", "3", NULL };
	h_start(&t, args);
	requests();
	fixes();
	connections();
	return h_finish(&t);
}
