/*
 * genmap.c — the generated county's places and roads; see gen.h.
 *
 * Towns are scattered over the county at least 6.5 km apart, the county
 * seat near the centre. Each town's villages (village committees) lie 1 to
 * 6 km around it, at least 700 m from any other place. Roads: first a
 * minimum spanning tree over every place, so each is reachable, then extra
 * links between near neighbours wherever the roads so far make a detour of
 * more than half again the straight distance — the shape a road network
 * takes when it grows by need. Every road winds (hills): its polyline
 * swings to either side of the straight line, so it is always longer than
 * the straight distance. A spur leads from the county seat to the county
 * depot, and from each school's town to the school.
 */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HALF_W_M 30000.0      /* the county: 60 km east to west */
#define HALF_H_M 25000.0      /* 50 km north to south */
#define TOWN_SPACING_M 6500.0
#define VILLAGE_SPACING_M 700.0
#define VILLAGE_NEAR_M 1000.0
#define VILLAGE_FAR_M 6000.0
#define ROAD_STEP_M 250.0     /* polyline points about this far apart */
#define DETOUR_MAX 1.5        /* a link is built where the roads are longer than this × straight */
#define LINK_NEIGHBOURS 6
#define LINK_REACH_M 7000.0

static const char *const name_first[] = {
	"石", "白", "青", "龙", "金", "凤", "马", "黄", "红", "双", "新", "太", "永", "安", "长",
	"高", "大", "小", "桃", "柳", "竹", "松", "梨", "杨", "李", "王", "张", "刘", "陈", "胡",
	"三", "五", "九", "天", "回", "观", "福", "兴", "清", "水", "云", "花", "玉", "宝", "万",
	"百", "鹤", "鱼", "牛", "星", "东", "西", "南", "北", "中", "上", "下", "望", "古", "来",
};
static const char *const name_second[] = {
	"桥", "山", "河", "坝", "溪", "沟", "湾", "坪", "岭", "岩", "林", "塘", "庙", "场", "口",
	"田", "池", "泉", "洞", "寺", "垭", "滩", "坡", "冲", "园", "家", "井", "堰", "台", "店",
	"铺", "院", "嘴", "梁", "湖", "峰", "寨", "坎", "观", "阁",
};
#define NFIRST (sizeof name_first / sizeof name_first[0])
#define NSECOND (sizeof name_second / sizeof name_second[0])

void *gen_grow(void **p, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *q = realloc(*p, ncap * size);
		if (!q) {
			fputs("jintong-county: out of memory\n", stderr);
			abort();
		}
		*p = q;
		*cap = ncap;
	}
	char *slot = (char *)*p + (*n)++ * size;
	memset(slot, 0, size);
	return slot;
}

void genmap_latlon(double x, double y, double *lat, double *lon)
{
	county_xy_to_latlon(x, y, lat, lon);
}

static double dist(const struct gen_county *c, int a, int b)
{
	return hypot(c->nodes[a].x - c->nodes[b].x, c->nodes[a].y - c->nodes[b].y);
}

static bool inside(double x, double y, double margin)
{
	return fabs(x) <= HALF_W_M - margin && fabs(y) <= HALF_H_M - margin;
}

/* Is (x, y) at least `min` from every node? */
static bool clear_of(const struct gen_county *c, double x, double y, double min)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		if (hypot(c->nodes[i].x - x, c->nodes[i].y - y) < min)
			return false;
	return true;
}

/* A place name from the tables, not yet used by any town or village, with suffix. */
static void place_name(struct gen_county *c, char *out, size_t len, const char *suffix)
{
	for (int attempt = 0;; attempt++) {
		const char *a = name_first[rng_next(&c->rng) % NFIRST];
		const char *b = name_second[rng_next(&c->rng) % NSECOND];
		if (attempt < 200)
			snprintf(out, len, "%s%s%s", a, b, suffix);
		else /* the tables are nearly used up: a third character */
			snprintf(out, len, "%s%s%s%s", a, b, name_second[rng_next(&c->rng) % NSECOND], suffix);
		bool used = false;
		for (size_t i = 0; i < c->n_towns && !used; i++)
			used = c->towns[i].name != out && strcmp(c->towns[i].name, out) == 0;
		for (size_t i = 0; i < c->n_villages && !used; i++)
			used = c->villages[i].name != out && strcmp(c->villages[i].name, out) == 0;
		if (!used)
			return;
	}
}

static int add_node(struct gen_county *c, enum gen_node_kind kind, int ref, double x, double y)
{
	struct gen_node *n = gen_push(c, nodes);
	n->kind = kind;
	n->ref = ref;
	n->x = x;
	n->y = y;
	n->stop = -1;
	return (int)c->n_nodes - 1;
}

static void place_towns(struct gen_county *c, int ntowns)
{
	for (int t = 0; t < ntowns; t++) {
		double x = 0, y = 0, spacing = TOWN_SPACING_M * (c->p.scale < 0.5 ? 2.0 : 1.0);
		if (t > 0) {
			for (int attempt = 0;; attempt++) {
				x = rng_range(&c->rng, -HALF_W_M + 3000, HALF_W_M - 3000);
				y = rng_range(&c->rng, -HALF_H_M + 3000, HALF_H_M - 3000);
				if (clear_of(c, x, y, spacing))
					break;
				if (attempt % 2000 == 1999)
					spacing *= 0.95; /* crowded: accept a little closer */
			}
		} else {
			x = rng_range(&c->rng, -1500, 1500);
			y = rng_range(&c->rng, -1500, 1500);
		}
		struct gen_town *tw = gen_push(c, towns);
		snprintf(tw->code, sizeof tw->code, "T%02d", t + 1);
		tw->seat = t == 0;
		tw->school = -1;
		if (tw->seat)
			snprintf(tw->name, sizeof tw->name, "城关镇");
		else
			place_name(c, tw->name, sizeof tw->name, "镇");
		tw->node = add_node(c, GEN_NODE_TOWN, t, x, y);
	}
}

static void place_villages(struct gen_county *c, int nvillages)
{
	size_t nt = c->n_towns;
	/* an even share each, then some moved from town to town: 8 .. 20 apart from the seat */
	for (size_t t = 0; t < nt; t++)
		c->towns[t].nvillages = nvillages / (int)nt + ((int)t < nvillages % (int)nt);
	for (size_t k = 0; k < nt; k++) {
		size_t a = rng_next(&c->rng) % nt, b = rng_next(&c->rng) % nt;
		int give = (int)(rng_next(&c->rng) % 4);
		if (a != b && c->towns[a].nvillages - give >= 6 && c->towns[b].nvillages + give <= 22) {
			c->towns[a].nvillages -= give;
			c->towns[b].nvillages += give;
		}
	}
	int v = 0;
	for (size_t t = 0; t < nt; t++) {
		/* a copy: adding nodes moves the array */
		const struct gen_node tn = c->nodes[c->towns[t].node];
		for (int k = 0; k < c->towns[t].nvillages; k++) {
			double x = tn.x, y = tn.y, min = VILLAGE_SPACING_M;
			for (int attempt = 0;; attempt++) {
				double ang = rng_range(&c->rng, 0, 2 * M_PI);
				double r = rng_range(&c->rng, VILLAGE_NEAR_M, VILLAGE_FAR_M);
				x = tn.x + r * cos(ang);
				y = tn.y + r * sin(ang);
				if (inside(x, y, 500) && clear_of(c, x, y, min))
					break;
				if (attempt % 500 == 499)
					min *= 0.9;
			}
			struct gen_village *vg = gen_push(c, villages);
			snprintf(vg->code, sizeof vg->code, "V%03d", ++v);
			vg->town = (int)t;
			place_name(c, vg->name, sizeof vg->name, "村");
			vg->node = add_node(c, GEN_NODE_VILLAGE, v - 1, x, y);
		}
	}
}

/* ---- roads ---- */

static uint64_t mix(uint64_t a, uint64_t b)
{
	struct rng r;
	rng_seed(&r, a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull));
	return rng_next(&r);
}

/*
 * The road from node a to node b: points every ~250 m, swung to either
 * side by two waves that die out at both ends. Its own randomness comes
 * from the seed and the two places, so it does not depend on the order
 * roads are considered in.
 */
static void lay_road(struct gen_county *c, struct gen_edge *e)
{
	const struct gen_node *A = &c->nodes[e->a], *B = &c->nodes[e->b];
	double dx = B->x - A->x, dy = B->y - A->y, d = hypot(dx, dy);
	struct rng r;
	rng_seed(&r, mix(c->p.seed, (uint64_t)(e->a < e->b ? e->a : e->b) << 32 | (uint64_t)(e->a < e->b ? e->b : e->a)));
	double amp1 = d * rng_range(&r, 0.03, 0.10), amp2 = fmin(d * rng_range(&r, 0.01, 0.04), 300.0);
	double f2 = (double)(2 + rng_next(&r) % 5), ph = rng_range(&r, 0, 2 * M_PI);
	double side = e->a < e->b ? 1.0 : -1.0; /* the same road whichever way it is laid */
	size_t n = (size_t)ceil(d / ROAD_STEP_M) + 1;
	if (n < 3)
		n = 3;
	e->pt = c->n_pts;
	e->npts = n;
	e->len = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / (double)(n - 1);
		double u = e->a < e->b ? t : 1.0 - t;
		double off = side * (amp1 * sin(M_PI * u) + amp2 * sin(f2 * M_PI * u + ph) * sin(M_PI * u));
		struct gen_point *p = gen_push(c, pts);
		p->x = A->x + dx * t - dy / d * off;
		p->y = A->y + dy * t + dx / d * off;
		if (i > 0)
			e->len += hypot(p->x - p[-1].x, p->y - p[-1].y);
	}
	c->pts[e->pt].x = A->x, c->pts[e->pt].y = A->y;
	c->pts[e->pt + n - 1].x = B->x, c->pts[e->pt + n - 1].y = B->y;
}

/* Room in the adjacency lists for every node. */
static void adj_fit(struct gen_county *c)
{
	if (c->adj_cap >= c->n_nodes)
		return;
	size_t ncap = c->n_nodes + 64;
	c->adj = realloc(c->adj, ncap * sizeof *c->adj);
	c->adj_n = realloc(c->adj_n, ncap * sizeof *c->adj_n);
	if (!c->adj || !c->adj_n)
		abort();
	for (size_t i = c->adj_cap; i < ncap; i++)
		c->adj[i] = NULL, c->adj_n[i] = 0;
	c->adj_cap = ncap;
}

static void link(struct gen_county *c, int a, int b)
{
	adj_fit(c);
	size_t *adj_n = c->adj_n;
	struct gen_edge *e = gen_push(c, edges);
	e->a = a;
	e->b = b;
	lay_road(c, e);
	int idx = (int)c->n_edges - 1;
	for (int k = 0; k < 2; k++) {
		int n = k ? b : a;
		c->adj[n] = realloc(c->adj[n], (adj_n[n] + 2) * sizeof **c->adj);
		if (!c->adj[n])
			abort();
		c->adj[n][adj_n[n]++] = idx;
		c->adj[n][adj_n[n]] = -1;
	}
}

int genmap_edge(const struct gen_county *c, int a, int b)
{
	for (const int *e = c->adj[a]; e && *e >= 0; e++)
		if ((c->edges[*e].a == a && c->edges[*e].b == b) || (c->edges[*e].a == b && c->edges[*e].b == a))
			return *e;
	return -1;
}

/* Dijkstra with a binary heap; stops once `to` is settled or beyond `limit`. */
struct heap_item {
	double d;
	int n;
};

static void heap_push(struct heap_item *h, size_t *n, double d, int node)
{
	size_t i = (*n)++;
	h[i].d = d, h[i].n = node;
	while (i > 0 && h[(i - 1) / 2].d > h[i].d) {
		struct heap_item t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
	struct heap_item top = h[0];
	h[0] = h[--*n];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < *n && h[l].d < h[m].d)
			m = l;
		if (r < *n && h[r].d < h[m].d)
			m = r;
		if (m == i)
			break;
		struct heap_item t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
	return top;
}

static double shortest(const struct gen_county *c, int from, int to, double limit, int *prev)
{
	size_t nn = c->n_nodes, hn = 0;
	double *d = malloc(nn * sizeof *d);
	struct heap_item *h = malloc((c->n_edges * 2 + 2) * sizeof *h);
	if (!d || !h)
		abort();
	for (size_t i = 0; i < nn; i++) {
		d[i] = INFINITY;
		if (prev)
			prev[i] = -1;
	}
	d[from] = 0;
	heap_push(h, &hn, 0, from);
	double found = INFINITY;
	while (hn > 0) {
		struct heap_item it = heap_pop(h, &hn);
		if (it.d > d[it.n])
			continue;
		if (it.n == to) {
			found = it.d;
			break;
		}
		if (it.d > limit)
			break;
		for (const int *e = c->adj[it.n]; e && *e >= 0; e++) {
			const struct gen_edge *E = &c->edges[*e];
			int o = E->a == it.n ? E->b : E->a;
			double nd = it.d + E->len;
			if (nd < d[o]) {
				d[o] = nd;
				if (prev)
					prev[o] = it.n;
				heap_push(h, &hn, nd, o);
			}
		}
	}
	free(d);
	free(h);
	return found;
}

double genmap_route(const struct gen_county *c, int a, int b, int **path, size_t *npath)
{
	int *prev = malloc(c->n_nodes * sizeof *prev);
	if (!prev)
		abort();
	double d = shortest(c, a, b, INFINITY, prev);
	size_t n = 0;
	for (int v = b; v >= 0; v = v == a ? -1 : prev[v])
		n++;
	int *p = malloc(n * sizeof *p);
	if (!p)
		abort();
	size_t i = n;
	for (int v = b; v >= 0; v = v == a ? -1 : prev[v])
		p[--i] = v;
	free(prev);
	*path = p;
	*npath = n;
	return d;
}

/* Prim's minimum spanning tree over the places, by straight distance. */
static void spanning_roads(struct gen_county *c)
{
	size_t n = c->n_nodes;
	double *best = malloc(n * sizeof *best);
	int *from = malloc(n * sizeof *from);
	bool *in = calloc(n, sizeof *in);
	if (!best || !from || !in)
		abort();
	for (size_t i = 0; i < n; i++)
		best[i] = INFINITY, from[i] = -1;
	best[0] = 0;
	for (size_t k = 0; k < n; k++) {
		int u = -1;
		for (size_t i = 0; i < n; i++)
			if (!in[i] && (u < 0 || best[i] < best[u]))
				u = (int)i;
		in[u] = true;
		if (from[u] >= 0)
			link(c, from[u], u);
		for (size_t i = 0; i < n; i++) {
			double d = dist(c, u, (int)i);
			if (!in[i] && d < best[i])
				best[i] = d, from[i] = u;
		}
	}
	free(best);
	free(from);
	free(in);
}

struct pair {
	double d;
	int a, b;
};

static int by_distance(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	if (p->d != q->d)
		return p->d < q->d ? -1 : 1;
	if (p->a != q->a)
		return p->a - q->a;
	return p->b - q->b;
}

/* Links between near neighbours where the roads so far make a long detour. */
static void extra_roads(struct gen_county *c)
{
	size_t n = c->n_nodes, np = 0;
	struct pair *pairs = malloc(n * LINK_NEIGHBOURS * sizeof *pairs);
	if (!pairs)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct pair near[LINK_NEIGHBOURS];
		size_t k = 0;
		for (size_t j = 0; j < n; j++) {
			double d = dist(c, (int)i, (int)j);
			if (j == i || d > LINK_REACH_M)
				continue;
			size_t at = k < LINK_NEIGHBOURS ? k++ : LINK_NEIGHBOURS;
			if (at == LINK_NEIGHBOURS && d >= near[LINK_NEIGHBOURS - 1].d)
				continue;
			if (at == LINK_NEIGHBOURS)
				at = LINK_NEIGHBOURS - 1;
			while (at > 0 && near[at - 1].d > d) {
				near[at] = near[at - 1];
				at--;
			}
			near[at] = (struct pair){ d, (int)i, (int)j };
		}
		for (size_t m = 0; m < k; m++)
			if (near[m].a < near[m].b)
				pairs[np++] = near[m];
			else
				pairs[np++] = (struct pair){ near[m].d, near[m].b, near[m].a };
	}
	qsort(pairs, np, sizeof *pairs, by_distance);
	for (size_t i = 0; i < np; i++) {
		if (i > 0 && pairs[i].a == pairs[i - 1].a && pairs[i].b == pairs[i - 1].b)
			continue;
		if (genmap_edge(c, pairs[i].a, pairs[i].b) >= 0)
			continue;
		double straight = pairs[i].d * 1.15; /* about what a new winding road would be */
		if (shortest(c, pairs[i].a, pairs[i].b, straight * DETOUR_MAX, NULL) > straight * DETOUR_MAX)
			link(c, pairs[i].a, pairs[i].b);
	}
	free(pairs);
}

void genmap_build(struct gen_county *c)
{
	double s = c->p.scale;
	int ntowns = (int)lround(GEN_TOWNS * s), nvillages = (int)lround(GEN_VILLAGES * s);
	ntowns = ntowns < 3 ? 3 : ntowns;
	nvillages = nvillages < 2 * ntowns ? 2 * ntowns : nvillages;
	place_towns(c, ntowns);
	place_villages(c, nvillages);
	c->seat = 0;

	/* the county depot: a logistics yard on the edge of the county seat */
	const struct gen_node *seat = &c->nodes[c->towns[0].node];
	double ang = rng_range(&c->rng, 0, 2 * M_PI);
	c->depot = add_node(c, GEN_NODE_DEPOT, 0, seat->x + 900 * cos(ang), seat->y + 900 * sin(ang));

	/* the spanning roads leave the depot out: it is a spur off the seat */
	size_t places = c->n_nodes;
	c->n_nodes = places - 1;
	spanning_roads(c);
	extra_roads(c);
	c->n_nodes = places;
	link(c, c->towns[0].node, c->depot);
}

int genmap_school_node(struct gen_county *c, int town, int school)
{
	const struct gen_node *t = &c->nodes[c->towns[town].node];
	double ang = rng_range(&c->rng, 0, 2 * M_PI);
	int n = add_node(c, GEN_NODE_SCHOOL, school, t->x + 450 * cos(ang), t->y + 450 * sin(ang));
	link(c, c->towns[town].node, n);
	return n;
}
