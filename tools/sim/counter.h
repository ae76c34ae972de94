/*
 * counter.h — a bus driver's passenger counts in the fleet simulator: as
 * the bus leaves a stop of its trip, the tablet reports how many boarded
 * and alighted there (POST /v1/vehicles/{code}/counts, with the device
 * token), so the day's report has the load of each trip. The numbers are
 * drawn from the seed, the trip and the stop: a few riders board at each
 * stop up to the seats, a share of those on board alight.
 */
#ifndef JINTONG_SIM_COUNTER_H
#define JINTONG_SIM_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

struct event_base;

struct counter_stats {
	uint64_t reports, refused;
	uint64_t boarded, alighted;
};

struct counter {
	struct event_base *base;
	char host[128], code[64], token[160];
	int port, seats;
	uint64_t seed;
	struct counter_stats *stats;
	struct evhttp_connection *conn;
	char trip[64];   /* the trip and stop the bus stands at */
	int seq, onboard;
	bool reported;   /* at that stop */
};

void counter_init(struct counter *c, struct event_base *base, const char *host, int port, const char *code,
		  const char *token, int seats, uint64_t seed, struct counter_stats *stats);
void counter_free(struct counter *c);
/* The bus at a step: its trip (or NULL), the stop it stands at (seq from 1, or 0), moving or not. */
void counter_step(struct counter *c, const char *trip, int seq, bool moving);

#endif
