/*
 * counter.c — riders counted on and off at each stop; see counter.h.
 */
#include "counter.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delay.h"

void counter_init(struct counter *c, struct event_base *base, const char *host, int port, const char *code,
		  const char *token, int seats, uint64_t seed, struct counter_stats *stats)
{
	memset(c, 0, sizeof *c);
	c->base = base;
	snprintf(c->host, sizeof c->host, "%s", host);
	snprintf(c->code, sizeof c->code, "%s", code);
	snprintf(c->token, sizeof c->token, "%s", token);
	c->port = port;
	c->seats = seats;
	c->seed = seed;
	c->stats = stats;
}

void counter_free(struct counter *c)
{
	if (c->conn)
		evhttp_connection_free(c->conn);
	c->conn = NULL;
}

static void on_reply(struct evhttp_request *req, void *arg)
{
	struct counter *c = arg;
	c->stats->reports++;
	if (!req || evhttp_request_get_response_code(req) != 200)
		c->stats->refused++;
}

static void post(struct counter *c, int boarded, int alighted)
{
	if (!c->conn) {
		c->conn = evhttp_connection_base_new(c->base, NULL, c->host, (unsigned short)c->port);
		if (!c->conn)
			return;
		evhttp_connection_set_timeout(c->conn, 10);
	}
	struct evhttp_request *req = evhttp_request_new(on_reply, c);
	if (!req)
		return;
	char auth[200], path[128], body[128];
	snprintf(auth, sizeof auth, "Bearer %s", c->token);
	snprintf(path, sizeof path, "/v1/vehicles/%s/counts", c->code);
	snprintf(body, sizeof body, "{\"stop\":%d,\"boarded\":%d,\"alighted\":%d}", c->seq, boarded, alighted);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", c->host);
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "Content-Type", "application/json");
	evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	if (evhttp_make_request(c->conn, req, EVHTTP_REQ_POST, path) != 0) {
		evhttp_connection_free(c->conn);
		c->conn = NULL;
	}
}

void counter_step(struct counter *c, const char *trip, int seq, bool moving)
{
	if (!trip) {
		c->trip[0] = '\0';
		c->onboard = 0; /* everyone alights at the end of the line */
		return;
	}
	if (strncmp(c->trip, trip, sizeof c->trip - 1) != 0) {
		snprintf(c->trip, sizeof c->trip, "%s", trip);
		c->onboard = 0;
		c->seq = 0;
		c->reported = true;
	}
	if (!moving && seq > 0 && seq != c->seq) {
		c->seq = seq;
		c->reported = false;
	}
	if (moving && !c->reported && c->seq > 0) {
		char name[96];
		snprintf(name, sizeof name, "%s#%d", c->trip, c->seq);
		int alighted = c->seq == 1 ? 0 : (int)(c->onboard * 0.4 * delay_chance(c->seed, 7, name) + 0.5);
		int boarded = (int)(6 * delay_chance(c->seed, 8, name));
		if (c->onboard - alighted + boarded > c->seats)
			boarded = c->seats - (c->onboard - alighted);
		if (boarded < 0)
			boarded = 0;
		c->onboard += boarded - alighted;
		c->stats->boarded += (uint64_t)boarded;
		c->stats->alighted += (uint64_t)alighted;
		c->reported = true;
		post(c, boarded, alighted);
	}
}
