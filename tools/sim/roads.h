/*
 * roads.h — road distances between every pair of places of a generated
 * county (gen.h), for the studies of a day that ask them by the thousand:
 * the offline dispatch comparison and the county's yardsticks. One shortest
 * path search from every node, kept as a table (about a megabyte at full
 * scale). Pure.
 */
#ifndef JINTONG_SIM_ROADS_H
#define JINTONG_SIM_ROADS_H

#include <stddef.h>

#include "gen.h"

struct roads {
	size_t n;     /* nodes */
	float *m;     /* m[a * n + b]: metres by road from node a to node b (INFINITY: unreachable) */
};

void roads_build(const struct gen_county *c, struct roads *r);
void roads_free(struct roads *r);

static inline double roads_m(const struct roads *r, int a, int b)
{
	return (double)r->m[(size_t)a * r->n + (size_t)b];
}

#endif
