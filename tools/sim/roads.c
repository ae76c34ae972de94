/*
 * roads.c — road distances between every pair of places; see roads.h.
 * Dijkstra from each node over the county's roads, the frontier kept in a
 * binary heap.
 */
#include "roads.h"

#include <math.h>
#include <stdlib.h>

struct item {
	double d;
	int n;
};

static void push(struct item *h, size_t *n, double d, int node)
{
	size_t i = (*n)++;
	while (i > 0 && h[(i - 1) / 2].d > d) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = (struct item){ d, node };
}

static struct item pop(struct item *h, size_t *n)
{
	struct item top = h[0], last = h[--*n];
	size_t i = 0;
	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= *n)
			break;
		if (k + 1 < *n && h[k + 1].d < h[k].d)
			k++;
		if (h[k].d >= last.d)
			break;
		h[i] = h[k];
		i = k;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

void roads_build(const struct gen_county *c, struct roads *r)
{
	size_t nn = c->n_nodes;
	r->n = nn;
	r->m = malloc(nn * nn * sizeof *r->m + 1);
	double *d = malloc(nn * sizeof *d + 1);
	struct item *h = malloc((c->n_edges * 2 + 2) * sizeof *h);
	if (!r->m || !d || !h)
		abort();
	for (size_t s = 0; s < nn; s++) {
		for (size_t i = 0; i < nn; i++)
			d[i] = INFINITY;
		size_t hn = 0;
		d[s] = 0;
		push(h, &hn, 0, (int)s);
		while (hn > 0) {
			struct item it = pop(h, &hn);
			if (it.d > d[it.n])
				continue;
			for (const int *e = it.n < (int)c->adj_cap ? c->adj[it.n] : NULL; e && *e >= 0; e++) {
				const struct gen_edge *E = &c->edges[*e];
				int o = E->a == it.n ? E->b : E->a;
				double nd = it.d + E->len;
				if (nd < d[o]) {
					d[o] = nd;
					push(h, &hn, nd, o);
				}
			}
		}
		for (size_t i = 0; i < nn; i++)
			r->m[s * nn + i] = (float)d[i];
	}
	free(d);
	free(h);
}

void roads_free(struct roads *r)
{
	free(r->m);
	r->m = NULL;
	r->n = 0;
}
