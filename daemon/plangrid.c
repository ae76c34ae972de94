/*
 * plangrid.c — the spatial index of vehicles by the places of their plans:
 * a uniform grid, each cell listing the vehicles with their start or a stop
 * in it. Looking for the vehicles near a request then costs the same with
 * 300 vehicles or 30,000 at the same density.
 *
 * Each vehicle keeps the list of its entries (cell, position in the cell),
 * so taking it out of the index is O(its cells): an entry removed from the
 * middle of a cell is replaced by the cell's last one, whose vehicle is told
 * its new position.
 */
#include "plan.h"

#include <stdlib.h>

#include "util.h"

struct grid_entry {
	struct plan_vehicle *v;
	int slot; /* index of this entry in v->cells (pairs) */
};

struct grid_cell {
	struct grid_entry *e;
	size_t n, cap;
};

struct plan_grid {
	double min_x, min_y, cell;
	int nx, ny;
	struct grid_cell *cells;
	unsigned epoch;
};

struct plan_grid *plan_grid_new(double min_x, double min_y, double max_x, double max_y,
				double cell)
{
	if (!(cell > 0) || !(max_x >= min_x) || !(max_y >= min_y) || !isfinite(max_x - min_x) ||
	    !isfinite(max_y - min_y))
		return NULL;
	double nx = floor((max_x - min_x) / cell) + 1, ny = floor((max_y - min_y) / cell) + 1;
	if (nx * ny > 1 << 24)
		return NULL;
	struct plan_grid *g = xcalloc(1, sizeof *g);
	g->min_x = min_x;
	g->min_y = min_y;
	g->cell = cell;
	g->nx = (int)nx;
	g->ny = (int)ny;
	g->cells = xcalloc((size_t)g->nx * (size_t)g->ny, sizeof *g->cells);
	return g;
}

void plan_grid_free(struct plan_grid *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < (size_t)g->nx * (size_t)g->ny; i++) {
		for (size_t k = 0; k < g->cells[i].n; k++)
			g->cells[i].e[k].v->grid = NULL;
		free(g->cells[i].e);
	}
	free(g->cells);
	free(g);
}

static int clampi(double v, int hi)
{
	if (!(v >= 0))
		return 0;
	if (v >= hi)
		return hi - 1;
	return (int)v;
}

static void cell_of(const struct plan_grid *g, const struct plan_loc *l, int *cx, int *cy)
{
	*cx = clampi(floor((l->x - g->min_x) / g->cell), g->nx);
	*cy = clampi(floor((l->y - g->min_y) / g->cell), g->ny);
}

void plan_grid_remove(struct plan_grid *g, struct plan_vehicle *v)
{
	if (v->grid != g)
		return;
	for (int k = 0; k < v->ncells; k++) {
		struct grid_cell *c = &g->cells[v->cells[2 * k]];
		size_t at = (size_t)v->cells[2 * k + 1];
		c->e[at] = c->e[--c->n];
		if (at < c->n)
			c->e[at].v->cells[2 * c->e[at].slot + 1] = (int)at;
	}
	v->ncells = 0;
	v->grid = NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void plan_grid_update(struct plan_grid *g, struct plan_vehicle *v)
{
	if (v->grid && v->grid != g)
		plan_grid_remove(v->grid, v);
	plan_grid_remove(g, v);
	/* The distinct cells of the start and every stop, in place in v->cells. */
	size_t need = 2 * (size_t)(v->n + 1), cap = (size_t)v->capcells;
	v->cells = xgrow(v->cells, &cap, need, sizeof *v->cells);
	v->capcells = (int)cap;
	int cx, cy, m = 0;
	for (int k = -1; k < v->n; k++) {
		cell_of(g, k < 0 ? &v->start : &v->stops[k].loc, &cx, &cy);
		v->cells[m++] = cy * g->nx + cx;
	}
	qsort(v->cells, (size_t)m, sizeof *v->cells, cmp_int);
	int u = 0;
	for (int k = 0; k < m; k++)
		if (u == 0 || v->cells[u - 1] != v->cells[k])
			v->cells[u++] = v->cells[k];
	/* Spread to (cell, position) pairs, from the back so nothing is overwritten. */
	for (int k = u - 1; k >= 0; k--) {
		int ci = v->cells[k];
		struct grid_cell *c = &g->cells[ci];
		c->e = xgrow(c->e, &c->cap, c->n + 1, sizeof *c->e);
		c->e[c->n] = (struct grid_entry){v, k};
		v->cells[2 * k] = ci;
		v->cells[2 * k + 1] = (int)c->n;
		c->n++;
	}
	v->ncells = u;
	v->grid = g;
}

/* Adds the vehicles of cells at Chebyshev distance r from (cx, cy). */
static void ring(struct plan_grid *g, int cx, int cy, int r, struct plan_vehicle **out,
		 size_t max, size_t *n)
{
	for (int y = cy - r; y <= cy + r; y++) {
		if (y < 0 || y >= g->ny)
			continue;
		int step = (y == cy - r || y == cy + r) ? 1 : 2 * r;
		for (int x = cx - r; x <= cx + r; x += step ? step : 1) {
			if (x < 0 || x >= g->nx)
				continue;
			struct grid_cell *c = &g->cells[y * g->nx + x];
			for (size_t k = 0; k < c->n && *n < max; k++) {
				struct plan_vehicle *v = c->e[k].v;
				if (v->mark == g->epoch)
					continue;
				v->mark = g->epoch;
				out[(*n)++] = v;
			}
		}
	}
}

size_t plan_candidates(struct plan_grid *g, const struct plan_request *r, size_t want,
		       int max_ring, struct plan_vehicle **out, size_t max)
{
	if (++g->epoch == 0) {
		/* Marks wrapped: clear them so no vehicle looks already taken. */
		for (size_t i = 0; i < (size_t)g->nx * (size_t)g->ny; i++)
			for (size_t k = 0; k < g->cells[i].n; k++)
				g->cells[i].e[k].v->mark = 0;
		g->epoch = 1;
	}
	int px, py, dx, dy;
	cell_of(g, &r->pick, &px, &py);
	cell_of(g, &r->drop, &dx, &dy);
	size_t n = 0;
	for (int k = 0; k <= max_ring && n < max; k++) {
		ring(g, px, py, k, out, max, &n);
		ring(g, dx, dy, k, out, max, &n);
		if (n >= want)
			break;
	}
	return n;
}
