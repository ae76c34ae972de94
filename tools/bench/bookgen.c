/*
 * bookgen — villagers booking rides as fast as the server answers, end to
 * end through HTTP and PostgreSQL, and how long each answer takes.
 *
 *   bookgen --target 127.0.0.1:8470 --token T --places FILE --day YYYY-MM-DD
 *           [--connections 32] [--seconds 10] [--warmup 1] [--path /v1/rides]
 *
 * Each request books a ride between two places drawn from FILE ("lat lon"
 * per line, the county's stops), each moved up to 300 m, leaving between
 * 06:00 and 19:00 on --day, confirmed at once. With --path /healthz the
 * same connections only ask whether the server is up: the HTTP ceiling the
 * bookings are compared with. Connections are kept alive, one request in
 * flight on each, on one libevent loop. The last line is "RESULT key=value …"
 * for scripts.
 */
#include "histogram.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PLACES_MAX 100000

struct place {
	double lat, lon;
};

struct gen {
	struct event_base *base;
	const char *host;
	int port;
	const char *path;
	char auth[300];
	char day[16];
	struct place *places;
	size_t nplaces;
	uint64_t rng;
	double start, measure_from, end;
	uint64_t sent, answered, failed, seat, vehicle, refused, other;
	struct histogram lat;
	bool stopping;
};

struct conn {
	struct gen *g;
	struct evhttp_connection *ec;
	double sent_at;
	unsigned id;
	uint64_t n;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return (double)(g->rng >> 11) / 9007199254740992.0;
}

static void send_one(struct conn *c);

static void done(struct evhttp_request *req, void *arg)
{
	struct conn *c = arg;
	struct gen *g = c->g;
	double t = now_s();
	int status = req ? evhttp_request_get_response_code(req) : 0;
	bool counted = c->sent_at >= g->measure_from && t <= g->end;
	if (counted) {
		g->answered++;
		histogram_record(&g->lat, (int64_t)((t - c->sent_at) * 1e6));
		if (status < 200 || status >= 300) {
			g->failed++;
		} else if (strcmp(g->path, "/v1/rides") == 0) {
			struct evbuffer *b = evhttp_request_get_input_buffer(req);
			size_t len = evbuffer_get_length(b);
			const char *body = (const char *)evbuffer_pullup(b, (ev_ssize_t)len);
			char *copy = strndup(body ? body : "", len);
			if (strstr(copy, "\"kind\":\"seat\"") || strstr(copy, "\"kind\": \"seat\""))
				g->seat++;
			else if (strstr(copy, "\"kind\":\"vehicle\"") || strstr(copy, "\"kind\": \"vehicle\""))
				g->vehicle++;
			else if (strstr(copy, "refused"))
				g->refused++;
			else
				g->other++;
			free(copy);
		}
	}
	if (!req || status == 0) {
		/* the connection broke: a new one */
		evhttp_connection_free(c->ec);
		c->ec = evhttp_connection_base_new(g->base, NULL, g->host, (ev_uint16_t)g->port);
	}
	if (t < g->end)
		send_one(c);
	else if (!g->stopping) {
		g->stopping = true;
		event_base_loopexit(g->base, NULL);
	}
}

static void send_one(struct conn *c)
{
	struct gen *g = c->g;
	struct evhttp_request *req = evhttp_request_new(done, c);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", g->host);
	evhttp_add_header(h, "Authorization", g->auth);
	enum evhttp_cmd_type method = EVHTTP_REQ_GET;
	if (strcmp(g->path, "/v1/rides") == 0) {
		const struct place *a = &g->places[(size_t)(rnd(g) * (double)g->nplaces)];
		const struct place *b = &g->places[(size_t)(rnd(g) * (double)g->nplaces)];
		double j = 300.0 / 111195.0;
		int minute = 6 * 60 + (int)(rnd(g) * 13 * 60);
		char body[512];
		int n = snprintf(body, sizeof body,
				 "{\"rider\":\"b%u-%" PRIu64 "\",\"from\":{\"lat\":%.6f,\"lon\":%.6f},"
				 "\"to\":{\"lat\":%.6f,\"lon\":%.6f},\"leave_after\":\"%sT%02d:%02d:00\",\"confirm\":true}",
				 c->id, c->n++, a->lat + (rnd(g) - 0.5) * j, a->lon + (rnd(g) - 0.5) * j,
				 b->lat + (rnd(g) - 0.5) * j, b->lon + (rnd(g) - 0.5) * j, g->day, minute / 60, minute % 60);
		evhttp_add_header(h, "Content-Type", "application/json");
		evbuffer_add(evhttp_request_get_output_buffer(req), body, (size_t)n);
		method = EVHTTP_REQ_POST;
	}
	c->sent_at = now_s();
	g->sent++;
	if (evhttp_make_request(c->ec, req, method, g->path) != 0) {
		fprintf(stderr, "bookgen: cannot send a request\n");
		exit(1);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: bookgen --target HOST:PORT --token T --places FILE --day YYYY-MM-DD\n"
			"               [--connections N] [--seconds N] [--warmup N] [--path /v1/rides|/healthz]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct gen g = { .path = "/v1/rides", .rng = 0x9e3779b97f4a7c15ULL };
	const char *target = NULL, *token = NULL, *places = NULL;
	int connections = 32;
	double seconds = 10, warmup = 1;
	for (int i = 1; i < argc; i += 2) { /* each option takes a value */
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (strcmp(argv[i], "--target") == 0)
			target = v;
		else if (strcmp(argv[i], "--token") == 0)
			token = v;
		else if (strcmp(argv[i], "--places") == 0)
			places = v;
		else if (strcmp(argv[i], "--day") == 0)
			snprintf(g.day, sizeof g.day, "%s", v);
		else if (strcmp(argv[i], "--path") == 0)
			g.path = v;
		else if (strcmp(argv[i], "--connections") == 0)
			connections = atoi(v);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(v);
		else if (strcmp(argv[i], "--warmup") == 0)
			warmup = atof(v);
		else
			usage();
	}
	if (!target || !token || !places || !g.day[0] || connections < 1 || connections > 4096 || !(seconds > 0))
		usage();
	static char host[256];
	snprintf(host, sizeof host, "%s", target);
	char *colon = strrchr(host, ':');
	if (!colon)
		usage();
	*colon = '\0';
	g.host = host;
	g.port = atoi(colon + 1);
	snprintf(g.auth, sizeof g.auth, "Bearer %s", token);
	FILE *f = fopen(places, "r");
	if (!f) {
		fprintf(stderr, "bookgen: %s: %s\n", places, strerror(errno));
		return 1;
	}
	g.places = calloc(PLACES_MAX, sizeof *g.places);
	while (g.nplaces < PLACES_MAX && fscanf(f, "%lf %lf", &g.places[g.nplaces].lat, &g.places[g.nplaces].lon) == 2)
		g.nplaces++;
	fclose(f);
	if (g.nplaces < 2) {
		fprintf(stderr, "bookgen: %s holds fewer than two places\n", places);
		return 1;
	}
	if (!histogram_init(&g.lat)) {
		fprintf(stderr, "bookgen: out of memory\n");
		return 1;
	}
	g.base = event_base_new();
	g.start = now_s();
	g.measure_from = g.start + warmup;
	g.end = g.measure_from + seconds;
	struct conn *cs = calloc((size_t)connections, sizeof *cs);
	for (int i = 0; i < connections; i++) {
		cs[i].g = &g;
		cs[i].id = (unsigned)i;
		cs[i].ec = evhttp_connection_base_new(g.base, NULL, g.host, (ev_uint16_t)g.port);
		send_one(&cs[i]);
	}
	event_base_dispatch(g.base);
	double rate = (double)g.answered / seconds;
	printf("%s: %" PRIu64 " answered in %.1f s over %d connections: %.0f/s; p50 %.2f ms, p99 %.2f ms;"
	       " seat %" PRIu64 ", vehicle %" PRIu64 ", refused %" PRIu64 ", failed %" PRIu64 "\n",
	       g.path, g.answered, seconds, connections, rate, (double)histogram_percentile(&g.lat, 0.5) / 1000.0,
	       (double)histogram_percentile(&g.lat, 0.99) / 1000.0, g.seat, g.vehicle, g.refused, g.failed);
	printf("RESULT path=%s rate=%.1f p50_ms=%.3f p99_ms=%.3f seat=%" PRIu64 " vehicle=%" PRIu64
	       " refused=%" PRIu64 " failed=%" PRIu64 " other=%" PRIu64 "\n",
	       g.path, rate, (double)histogram_percentile(&g.lat, 0.5) / 1000.0, (double)histogram_percentile(&g.lat, 0.99) / 1000.0, g.seat,
	       g.vehicle, g.refused, g.failed, g.other);
	for (int i = 0; i < connections; i++)
		evhttp_connection_free(cs[i].ec);
	free(cs);
	free(g.places);
	histogram_free(&g.lat);
	event_base_free(g.base);
	return g.failed ? 1 : 0;
}
