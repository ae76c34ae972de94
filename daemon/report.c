/*
 * report.c — the coverage report: for every village, the distance from its
 * committee to the nearest stop that a line serves today (a stop on the route
 * version in effect), whether that is within the limit (2 km by the national
 * rule of thumb for "the village has a bus"), and the sums by town and by
 * transport company.
 */
#include "report.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "coverage.h"
#include "geo.h"
#include "http.h"
#include "routeedit.h"
#include "strmap.h"
#include "util.h"

#define LIMIT_MIN_M 100
#define LIMIT_MAX_M 50000

/* A stop some line serves today, and the lines that do. */
struct served {
	struct json_object *stop;
	struct json_object *lines;     /* array of line codes */
	struct json_object *operators; /* array of operator codes */
};

static struct strmap *coll(struct jtd *d, const char *name)
{
	return d->catalog[catalog_find(name) - catalog_collections];
}

static void add_unique(struct json_object *arr, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0)
			return;
	json_object_array_add(arr, json_object_new_string(s));
}

static int by_code(const void *a, const void *b)
{
	return strcmp(catalog_code(*(struct json_object *const *)a),
		      catalog_code(*(struct json_object *const *)b));
}

/* The records of a collection, sorted by code; *n is set. */
static struct json_object **sorted(struct strmap *m, size_t *n)
{
	size_t cap = strmap_count(m), pos = 0, k = 0;
	struct json_object **out = xcalloc(cap ? cap : 1, sizeof *out);
	const char *key;
	void *v;
	while (strmap_next(m, &pos, &key, &v) && k < cap)
		out[k++] = v;
	qsort(out, k, sizeof *out, by_code);
	*n = k;
	return out;
}

static double num(struct json_object *rec, const char *key)
{
	return json_object_get_double(json_object_object_get(rec, key));
}

static const char *text(struct json_object *rec, const char *key)
{
	struct json_object *v = json_object_object_get(rec, key);
	return v ? json_object_get_string(v) : NULL;
}

/* Counts in a tally object {"<key>": {"villages": n, "within_limit": k}}. */
static void tally(struct json_object *t, const char *key, bool within)
{
	struct json_object *e = json_object_object_get(t, key);
	if (!e) {
		e = json_object_new_object();
		json_object_object_add(e, "villages", json_object_new_int(0));
		json_object_object_add(e, "within_limit", json_object_new_int(0));
		json_object_object_add(t, key, e);
	}
	struct json_object *v = json_object_object_get(e, "villages");
	json_object_set_int(v, json_object_get_int(v) + 1);
	if (within) {
		struct json_object *w = json_object_object_get(e, "within_limit");
		json_object_set_int(w, json_object_get_int(w) + 1);
	}
}

void report_coverage(struct jtd *d, struct evhttp_request *req)
{
	double limit = COVERAGE_LIMIT_M;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	if (query && *query) {
		struct evkeyvalq q;
		const char *l = NULL;
		char *end = NULL;
		if (evhttp_parse_query_str(query, &q) == 0) {
			l = evhttp_find_header(&q, "limit_m");
			if (l)
				limit = strtod(l, &end);
			bool ok = l && end && !*end && limit >= LIMIT_MIN_M && limit <= LIMIT_MAX_M;
			evhttp_clear_headers(&q);
			if (!ok)
				l = NULL;
		}
		if (!l) {
			http_reply_error(req, 400, "invalid", "limit_m must be a distance from %d to %d metres",
					 LIMIT_MIN_M, LIMIT_MAX_M);
			return;
		}
	}

	/* Stops served today, and by which lines and companies. */
	struct strmap *stopmap = coll(d, "stops");
	struct strmap *index = strmap_new(); /* stop code -> served index + 1 */
	size_t nlines, ns = 0;
	struct json_object **lines = sorted(coll(d, "lines"), &nlines);
	struct served *served = xcalloc(strmap_count(stopmap) + 1, sizeof *served);
	for (size_t i = 0; i < nlines; i++) {
		struct json_object *ver = routeedit_in_effect(d, catalog_code(lines[i]));
		struct json_object *stops = ver ? json_object_object_get(ver, "stops") : NULL;
		for (size_t k = 0; stops && k < json_object_array_length(stops); k++) {
			const char *code = json_object_get_string(json_object_array_get_idx(stops, k));
			struct json_object *stop = strmap_get(stopmap, code);
			if (!stop)
				continue;
			size_t at = (size_t)(uintptr_t)strmap_get(index, code);
			if (!at) {
				served[ns].stop = stop;
				served[ns].lines = json_object_new_array();
				served[ns].operators = json_object_new_array();
				at = ++ns;
				strmap_put(index, code, (void *)(uintptr_t)at);
			}
			add_unique(served[at - 1].lines, catalog_code(lines[i]));
			add_unique(served[at - 1].operators, text(lines[i], "operator"));
		}
	}
	struct coverage_point *sp = xcalloc(ns ? ns : 1, sizeof *sp);
	for (size_t k = 0; k < ns; k++)
		sp[k] = (struct coverage_point){ num(served[k].stop, "lat"), num(served[k].stop, "lon") };

	size_t nv;
	struct json_object **villages = sorted(coll(d, "villages"), &nv);
	struct coverage_point *vp = xcalloc(nv ? nv : 1, sizeof *vp);
	for (size_t i = 0; i < nv; i++)
		vp[i] = (struct coverage_point){ num(villages[i], "lat"), num(villages[i], "lon") };
	int *nearest = xcalloc(nv ? nv : 1, sizeof *nearest);
	double *dist = xcalloc(nv ? nv : 1, sizeof *dist);
	coverage_nearest(vp, nv, sp, ns, nearest, dist);

	struct json_object *rows = json_object_new_array(), *towns = json_object_new_object();
	struct json_object *operators = json_object_new_object();
	size_t within_total = 0;
	for (size_t i = 0; i < nv; i++) {
		bool within = nearest[i] >= 0 && dist[i] <= limit;
		within_total += within;
		struct json_object *r = json_object_new_object();
		json_object_object_add(r, "village", json_object_new_string(catalog_code(villages[i])));
		json_object_object_add(r, "name", json_object_new_string(text(villages[i], "name")));
		json_object_object_add(r, "town", json_object_new_string(text(villages[i], "town")));
		struct served *s = nearest[i] >= 0 ? &served[nearest[i]] : NULL;
		json_object_object_add(r, "nearest_stop",
				       s ? json_object_new_string(catalog_code(s->stop)) : NULL);
		json_object_object_add(r, "distance_m",
				       s ? json_object_new_int((int)lround(dist[i])) : NULL);
		json_object_object_add(r, "lines", s ? json_object_get(s->lines) : json_object_new_array());
		json_object_object_add(r, "within_limit", json_object_new_boolean(within));
		json_object_array_add(rows, r);
		tally(towns, text(villages[i], "town"), within);
		/* A company covers a village when any stop it serves is within the limit. */
		struct json_object *seen = json_object_new_array();
		for (size_t k = 0; k < ns; k++)
			if (geo_distance_m(vp[i].lat, vp[i].lon, sp[k].lat, sp[k].lon) <= limit)
				for (size_t o = 0; o < json_object_array_length(served[k].operators); o++)
					add_unique(seen, json_object_get_string(
								 json_object_array_get_idx(served[k].operators, o)));
		for (size_t o = 0; o < json_object_array_length(seen); o++) {
			const char *op = json_object_get_string(json_object_array_get_idx(seen, o));
			struct json_object *c = json_object_object_get(operators, op);
			int prev = c ? json_object_get_int(c) : 0;
			json_object_object_add(operators, op, json_object_new_int(prev + 1));
		}
		json_object_put(seen);
	}

	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "limit_m", json_object_new_double(limit));
	json_object_object_add(o, "villages", rows);
	struct json_object *summary = json_object_new_object();
	json_object_object_add(summary, "villages", json_object_new_int((int)nv));
	json_object_object_add(summary, "within_limit", json_object_new_int((int)within_total));
	json_object_object_add(summary, "served_stops", json_object_new_int((int)ns));
	json_object_object_add(o, "summary", summary);
	json_object_object_add(o, "by_town", towns);
	json_object_object_add(o, "by_operator", operators);
	http_reply_json(req, 200, o);

	for (size_t k = 0; k < ns; k++) {
		json_object_put(served[k].lines);
		json_object_put(served[k].operators);
	}
	free(served);
	free(sp);
	free(vp);
	free(nearest);
	free(dist);
	free(villages);
	free(lines);
	strmap_free(index);
}
