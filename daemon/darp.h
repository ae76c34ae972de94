/*
 * darp.h — static dial-a-ride instances in Cordeau's text format, the
 * standard benchmark of the field, read with every line checked, turned
 * into vehicles and requests for the plan core, and generated at random for
 * tests and benchmarks. Pure: text in, structures or text out.
 *
 * Format: a header "K N T Q L" (vehicles, requests, maximum route duration,
 * vehicle capacity, maximum ride time), then one line per node "id x y d q e
 * l": coordinates, service duration, load (+ at a pickup, - at its
 * drop-off), time window. Node 0 is the start depot, 1..n the pickups, n+i
 * the drop-off of pickup i, 2n+1 the end depot. Some copies count request
 * nodes (2n) rather than requests in N: the number of node lines decides.
 * Travel time and cost are the unrounded Euclidean distance.
 */
#ifndef JINTONG_DARP_H
#define JINTONG_DARP_H

#include "core.h"
#include "plan.h"

/* Limits on what an instance file may ask for. */
#define DARP_VEHICLES_MAX 10000
#define DARP_REQUESTS_MAX 100000
#define DARP_CAPACITY_MAX 10000
#define DARP_LINE_MAX 1024

struct darp_node {
	double x, y;
	double service;
	int load;
	double earliest, latest;
};

struct darp_instance {
	int vehicles;
	int requests;        /* n: nodes are 0..2n+1 */
	double max_duration; /* T */
	int capacity;        /* Q */
	double max_ride;     /* L */
	struct darp_node *node; /* 2n + 2 of them */
};

/*
 * Parses an instance from text[0..len) (need not be terminated). Returns 0,
 * or -1 with *line (1-based; 0 for the whole file) and a reason in err.
 * On success free with darp_free.
 */
int darp_parse(const char *text, size_t len, struct darp_instance *out, unsigned long *line,
	       char *err, size_t errlen) JT_MUST_CHECK;
void darp_free(struct darp_instance *in);

/* Node ids of request i (1..n). */
static inline int darp_pickup(const struct darp_instance *in, int i)
{
	(void)in;
	return i;
}
static inline int darp_dropoff(const struct darp_instance *in, int i)
{
	return in->requests + i;
}

/* Request i (1..n) as the plan core sees it: ride limit L, its id i. */
void darp_request(const struct darp_instance *in, int i, struct plan_request *r);
/* Vehicle k (0..K-1): from node 0 to node 2n+1, capacity Q, duration T. */
void darp_vehicle(const struct darp_instance *in, int k, struct plan_vehicle *v);

/*
 * A random instance in the same format, with K vehicles and n requests, in
 * the spirit of Cordeau's: a 20 x 20 square, depot in the middle, a day of
 * 480, half the requests with a 15-minute window on the pickup and half on
 * the drop-off, service 3, loads 1..3, Q = 6, L = 45. Same seed, same text.
 * Returns a malloc'd string.
 */
char *darp_generate(int vehicles, int requests, uint64_t seed);

#endif
