/*
 * bare-http — the ceiling for the position-ingest benchmark: a libevent evhttp
 * server on one thread, like jintongd, that answers 200 "OK" to every request
 * and does nothing else. Whatever jintongd achieves on the same OsmAnd
 * requests is compared with this, so the figure shows the cost of parsing,
 * validating and storing a fix rather than the cost of HTTP on this machine.
 *
 * usage: bare-http [--listen 127.0.0.1:PORT]
 * Runs until SIGINT or SIGTERM.
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_ok(struct evhttp_request *req, void *arg)
{
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	(void)arg;
	evbuffer_add(out, "OK", 2);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

static int split_listen(const char *spec, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(spec, ':');
	char *end;
	unsigned long p;

	if (!colon || (size_t)(colon - spec) >= hostlen)
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	p = strtoul(colon + 1, &end, 10);
	if (*end || p == 0 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

int main(int argc, char **argv)
{
	const char *listen_on = "127.0.0.1:8471";
	char host[256];
	unsigned port;
	struct event_base *base;
	struct evhttp *http;
	struct event *sigint, *sigterm;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			listen_on = argv[++i];
		} else {
			fprintf(stderr, "usage: bare-http [--listen HOST:PORT]\n");
			return 2;
		}
	}
	if (split_listen(listen_on, host, sizeof host, &port) != 0) {
		fprintf(stderr, "bare-http: bad --listen %s\n", listen_on);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = base ? evhttp_new(base) : NULL;
	if (!http) {
		fprintf(stderr, "bare-http: cannot set up the event loop\n");
		return 1;
	}
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(http, reply_ok, NULL);
	if (evhttp_bind_socket(http, host, (ev_uint16_t)port) != 0) {
		fprintf(stderr, "bare-http: cannot listen on %s\n", listen_on);
		return 1;
	}
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_base_dispatch(base);
	event_free(sigint);
	event_free(sigterm);
	evhttp_free(http);
	event_base_free(base);
	return 0;
}
