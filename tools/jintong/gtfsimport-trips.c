/*
 * gtfsimport-trips.c — the trips of `jintong gtfs import`: stop_times.txt
 * grouped by trip and checked, each route's trips grouped by stop pattern
 * (stops and shape), the most common pattern drawn as the line's route
 * version (from today) and its trips sent; the other trips reported.
 */
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "gtfs.h"
#include "gtfsid.h"
#include "gtfsimport.h"
#include "timetable.h"
#include "util.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A trip being imported. */
struct itrip {
	struct imp_row *r;           /* in trips.txt */
	struct imp_row **times;      /* its stop times in order */
	size_t ntimes;
	bool ok;
	char *key;                   /* stops and shape */
};

static int by_trip_seq(const void *a, const void *b)
{
	const struct imp_row *x = *(struct imp_row *const *)a, *y = *(struct imp_row *const *)b;
	int c = strcmp(x->v[0], y->v[0]);
	if (c)
		return c;
	long sx = strtol(x->v[4], NULL, 10), sy = strtol(y->v[4], NULL, 10);
	return sx < sy ? -1 : sx > sy;
}

static int by_shape_seq(const void *a, const void *b)
{
	const struct imp_row *x = *(struct imp_row *const *)a, *y = *(struct imp_row *const *)b;
	long sx = strtol(x->v[3], NULL, 10), sy = strtol(y->v[3], NULL, 10);
	return sx < sy ? -1 : sx > sy;
}

/*
 * GTFS leaves out the times of intermediate stops that are not timepoints;
 * consumers are to fill them in. Each run of stops without times gets times
 * spread evenly between the departure before it and the arrival after it.
 * A run at either end stays empty, and is reported by check_times().
 */
static void interpolate(struct imp_row **rows, size_t n)
{
	size_t prev = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		struct imp_row *r = rows[i];
		if (*r->v[IMP_ST_START]) {
			prev = SIZE_MAX; /* a window: no fixed time to spread from */
			continue;
		}
		if (!*r->v[1] && !*r->v[2])
			continue;
		if (prev != SIZE_MAX && i > prev + 1) {
			const char *d0 = *rows[prev]->v[2] ? rows[prev]->v[2] : rows[prev]->v[1];
			const char *a1 = *r->v[1] ? r->v[1] : r->v[2];
			int t0, t1;
			if (gtfs_parse_time(d0, strlen(d0), &t0) == 0 &&
			    gtfs_parse_time(a1, strlen(a1), &t1) == 0 && t1 >= t0) {
				for (size_t k = prev + 1; k < i; k++) {
					long t = t0 + (long)(t1 - t0) * (long)(k - prev) / (long)(i - prev);
					char buf[64];
					snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60,
						 t % 60);
					free(rows[k]->v[1]);
					free(rows[k]->v[2]);
					rows[k]->v[1] = xstrdup(buf);
					rows[k]->v[2] = xstrdup(buf);
				}
			}
		}
		prev = i;
	}
}

/*
 * The place of a stop time as a route version names it: its stop_id,
 * group:location_group_id or zone:location_id (in buf). NULL, reported,
 * when that was not imported.
 */
static const char *place_of(struct imp *im, struct imp_row *s, char *buf, size_t size)
{
	struct imp_file *st = &im->f[IMP_TIMES];
	const char *why = NULL, *col = "stop_id", *id = s->v[IMP_ST_STOP];
	if (*s->v[IMP_ST_GROUP]) {
		struct imp_row *g = imp_find(&im->f[IMP_GROUPS], 0, s->v[IMP_ST_GROUP]);
		col = "location_group_id", id = s->v[IMP_ST_GROUP];
		why = !g ? "is not in location_groups.txt" : !g->ok ? "was not imported" : NULL;
		snprintf(buf, size, "group:%s", id);
	} else if (*s->v[IMP_ST_ZONE]) {
		col = "location_id", id = s->v[IMP_ST_ZONE];
		why = imp_zone_ok(im, id) ? NULL : "is not a zone imported from locations.geojson";
		snprintf(buf, size, "zone:%s", id);
	} else {
		struct imp_row *stop = imp_find(&im->f[IMP_STOPS], 0, id);
		why = !stop ? "is not in stops.txt" : !stop->ok ? "was not imported" : NULL;
		snprintf(buf, size, "%s", id);
	}
	if (why) {
		imp_report(st, s->line, "%s: %s %s", col, id, why);
		return NULL;
	}
	return buf;
}

/* Checks a trip's stop times (sorted) and builds its pattern key. */
static bool check_times(struct imp *im, struct itrip *t)
{
	struct imp_file *st = &im->f[IMP_TIMES];
	bool ok = true;
	int prev = -1;
	size_t klen = 0;
	t->key = xstrdup("");
	interpolate(t->times, t->ntimes);
	for (size_t i = 0; i < t->ntimes; i++) {
		struct imp_row *s = t->times[i];
		char pbuf[80];
		const char *place = place_of(im, s, pbuf, sizeof pbuf);
		int arr, dep;
		const char *a = *s->v[1] ? s->v[1] : s->v[2], *d = *s->v[2] ? s->v[2] : s->v[1];
		if (!place) {
			ok = false;
		} else if (*s->v[IMP_ST_START]) {
			/* a window: the daemon checks it against the stops around it */
		} else if (!*a || gtfs_parse_time(a, strlen(a), &arr) != 0 ||
			   gtfs_parse_time(d, strlen(d), &dep) != 0) {
			imp_report(st, s->line, "arrival_time: Jintong needs a time at every stop");
			ok = false;
		} else if (arr < prev || dep < arr) {
			imp_report(st, s->line, "%s: %s goes back in time", arr < prev ? "arrival_time" : "departure_time",
				   arr < prev ? a : d);
			ok = false;
		} else {
			prev = dep;
		}
		const char *k = place ? place : s->v[IMP_ST_STOP];
		size_t n = strlen(k);
		t->key = xrealloc(t->key, klen + n + 2);
		memcpy(t->key + klen, k, n);
		klen += n;
		t->key[klen++] = '\x1f';
		t->key[klen] = '\0';
	}
	t->key = xrealloc(t->key, klen + strlen(t->r->v[3]) + 2);
	snprintf(t->key + klen, strlen(t->r->v[3]) + 2, "|%s", t->r->v[3]);
	return ok;
}

/* The shape shape_id as [[lat,lon],...] in sequence order, or NULL. */
static json_object *shape_of(struct imp *im, const char *id)
{
	struct imp_file *f = &im->f[IMP_SHAPES];
	struct imp_row **pts = xcalloc(f->n + 1, sizeof *pts);
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->rows[i].v[0], id) == 0)
			pts[n++] = &f->rows[i];
	qsort(pts, n, sizeof *pts, by_shape_seq);
	json_object *a = NULL;
	if (n >= 2) {
		a = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			json_object *p = json_object_new_array();
			json_object_array_add(p, json_object_new_double(strtod(pts[i]->v[1], NULL)));
			json_object_array_add(p, json_object_new_double(strtod(pts[i]->v[2], NULL)));
			json_object_array_add(a, p);
		}
	}
	free(pts);
	return a;
}

/* The points of shape id, drawn into a route version: counted imported, once. */
static void shape_used(struct imp *im, const char *id)
{
	struct imp_file *f = &im->f[IMP_SHAPES];
	for (size_t i = 0; i < f->n; i++)
		if (!f->rows[i].ok && strcmp(f->rows[i].v[0], id) == 0) {
			f->rows[i].ok = true;
			f->imported++;
		}
}

/* The place of a stop time, unchecked: stop_id, group:ID or zone:ID. */
static const char *place_key(struct imp_row *s, char *buf, size_t size)
{
	if (*s->v[IMP_ST_GROUP])
		snprintf(buf, size, "group:%s", s->v[IMP_ST_GROUP]);
	else if (*s->v[IMP_ST_ZONE])
		snprintf(buf, size, "zone:%s", s->v[IMP_ST_ZONE]);
	else
		snprintf(buf, size, "%s", s->v[IMP_ST_STOP]);
	return buf;
}

/* Do two shapes ([[lat, lon], ...]) agree to the 1e-7 degree the daemon keeps? */
static bool same_shape(json_object *a, json_object *b)
{
	if (!a || !b)
		return !a && !b;
	size_t n = json_object_array_length(a);
	if (n != json_object_array_length(b))
		return false;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < 2; k++) {
			double x = json_object_get_double(json_object_array_get_idx(json_object_array_get_idx(a, i), k));
			double y = json_object_get_double(json_object_array_get_idx(json_object_array_get_idx(b, i), k));
			if (x - y > 1e-6 || y - x > 1e-6)
				return false;
		}
	return true;
}

/*
 * With --update: the number of the line's version in effect when it runs
 * these places along this shape already, so its trips stay on it; else 0.
 */
static long same_route(struct imp *im, const char *path, json_object *want)
{
	json_object *reply = NULL;
	const struct client_hints quiet = { "", "", false };
	if (client_get(im->ctx->client, path, &quiet, &reply) != CLI_OK)
		return 0;
	json_object *list = fmt_member(reply, "routes"), *cur = NULL;
	long in_effect = json_object_get_int(fmt_member(reply, "in_effect")), v = 0;
	for (size_t i = 0; list && i < json_object_array_length(list); i++)
		if (json_object_get_int(fmt_member(json_object_array_get_idx(list, i), "version")) ==
		    in_effect)
			cur = json_object_array_get_idx(list, i);
	if (cur && json_object_equal(fmt_member(cur, "stops"), fmt_member(want, "stops")) &&
	    same_shape(fmt_member(cur, "shape"), fmt_member(want, "shape")))
		v = in_effect;
	json_object_put(reply);
	return v;
}

/* Draws line's route version for the pattern of trip t: its number, or 0 (reported). */
static long draw(struct imp *im, struct itrip *t, const char *line)
{
	json_object *stops = json_object_new_array();
	for (size_t i = 0; i < t->ntimes; i++) {
		char buf[80];
		json_object_array_add(stops, json_object_new_string(place_key(t->times[i], buf, sizeof buf)));
	}
	json_object *b = json_object_new_object();
	json_object_object_add(b, "stops", stops);
	if (*t->r->v[3]) {
		json_object *shape = shape_of(im, t->r->v[3]);
		if (!shape) {
			imp_report(&im->f[IMP_TRIPS], t->r->line, "shape_id: %s is not in shapes.txt",
				   t->r->v[3]);
			json_object_put(b);
			return 0;
		}
		json_object_object_add(b, "shape", shape);
		/* the feed's shape_id, for the export to write back */
		const char *id = gtfsid_map_id(im->ids[IMP_ID_SHAPE], t->r->v[3]);
		json_object_object_add(b, "shape_id", json_object_new_string(id ? id : t->r->v[3]));
	}
	if (im->dry) {
		json_object_put(b);
		if (*t->r->v[3])
			shape_used(im, t->r->v[3]);
		return 1;
	}
	char *esc = client_escape(im->ctx->client, line);
	char *path = xasprintf("/v1/admin/lines/%s/routes", esc);
	free(esc);
	json_object *reply = NULL;
	long v = im->update ? same_route(im, path, b) : 0;
	if (v)
		json_object_put(b);
	else if (imp_send(im, path, b, &reply) == CLI_OK)
		v = json_object_get_int(fmt_member(reply, "version"));

	json_object_put(reply);
	free(path);
	if (v && *t->r->v[3])
		shape_used(im, t->r->v[3]);
	return v;
}

/*
 * The line for a route's further stop pattern: ROUTE-N, with the route's line
 * copied (name marked with the number). false, reported, when it cannot be.
 */
static bool variant_line(struct imp *im, const char *route, int pattern, char *line, size_t len)
{
	snprintf(line, len, "%s-%d", route, pattern);
	if (strlen(line) > 32) {
		imp_report(&im->f[IMP_TRIPS], 0, "route_id: %s: no room for a line code for its stop "
			   "pattern %d (codes have at most 32 characters)", route, pattern);
		return false;
	}
	if (im->dry)
		return true;
	char *esc = client_escape(im->ctx->client, route);
	char *path = xasprintf("/v1/admin/lines/%s", esc);
	free(esc);
	json_object *base = NULL;
	int rc = client_get(im->ctx->client, path, NULL, &base);
	free(path);
	if (rc != CLI_OK)
		return false;
	/* The route's name and the number, within 128 bytes, not cutting a character in two. */
	const char *given = fmt_str(base, "name") ? fmt_str(base, "name") : route;
	size_t keep = strlen(given);
	if (keep > 116) {
		keep = 116;
		while (keep > 0 && ((unsigned char)given[keep] & 0xc0) == 0x80)
			keep--;
	}
	char name[160];
	snprintf(name, sizeof name, "%.*s (%d)", (int)keep, given, pattern);
	if (!fmt_str(base, "kind") || !fmt_str(base, "operator")) {
		json_object_put(base);
		return false;
	}
	json_object *b = json_object_new_object();
	json_object_object_add(b, "code", json_object_new_string(line));
	json_object_object_add(b, "name", json_object_new_string(name));
	json_object_object_add(b, "kind", json_object_new_string(fmt_str(base, "kind")));
	json_object_object_add(b, "operator", json_object_new_string(fmt_str(base, "operator")));
	json_object_put(base);
	struct imp_file counted = { 0 };
	return imp_put(im, &counted, "lines", line, b, NULL) == CLI_OK;
}

/* A time HH:MM:SS from GTFS's H:MM:SS too. */
static json_object *hms(const char *v)
{
	int t = 0;
	char buf[16];
	if (gtfs_parse_time(v, strlen(v), &t) != 0)
		return json_object_new_string(v); /* the daemon says why */
	timetable_format_time(t, buf, sizeof buf, false);
	return json_object_new_string(buf);
}

/*
 * A stop time as the daemon takes it: [arrival, departure] (one of them
 * standing for both), or an object with the window, pickup and drop-off
 * types and booking rules when the feed gives any.
 */
static json_object *stop_time_entry(struct imp_row *s)
{
	char *const *v = s->v;
	const char *a = *v[IMP_ST_ARR] ? v[IMP_ST_ARR] : v[IMP_ST_DEP];
	const char *d = *v[IMP_ST_DEP] ? v[IMP_ST_DEP] : v[IMP_ST_ARR];
	bool window = *v[IMP_ST_START];
	if (!window && !*v[IMP_ST_PICKUP] && !*v[IMP_ST_DROP_OFF] && !*v[IMP_ST_PICKUP_RULE] &&
	    !*v[IMP_ST_DROP_OFF_RULE]) {
		json_object *p = json_object_new_array();
		json_object_array_add(p, hms(a));
		json_object_array_add(p, hms(d));
		return p;
	}
	json_object *o = json_object_new_object();
	if (window) {
		json_object *w = json_object_new_array();
		json_object_array_add(w, hms(v[IMP_ST_START]));
		json_object_array_add(w, hms(v[IMP_ST_END]));
		json_object_object_add(o, "window", w);
	} else {
		json_object_object_add(o, "arrival", hms(a));
		json_object_object_add(o, "departure", hms(d));
	}
	/* an empty type is 0, regular: within a window GTFS forbids it, and so does the daemon */
	json_object_object_add(o, "pickup_type",
			       json_object_new_int(*v[IMP_ST_PICKUP] ? atoi(v[IMP_ST_PICKUP]) : 0));
	json_object_object_add(o, "drop_off_type",
			       json_object_new_int(*v[IMP_ST_DROP_OFF] ? atoi(v[IMP_ST_DROP_OFF]) : 0));
	if (*v[IMP_ST_PICKUP_RULE])
		json_object_object_add(o, "pickup_rule", json_object_new_string(v[IMP_ST_PICKUP_RULE]));
	if (*v[IMP_ST_DROP_OFF_RULE])
		json_object_object_add(o, "drop_off_rule",
				       json_object_new_string(v[IMP_ST_DROP_OFF_RULE]));
	return o;
}

static void send_trip(struct imp *im, struct itrip *t, long version, const char *line)
{
	json_object *times = json_object_new_array();
	for (size_t i = 0; i < t->ntimes; i++)
		json_object_array_add(times, stop_time_entry(t->times[i]));
	json_object *b = json_object_new_object();
	json_object_object_add(b, "code", json_object_new_string(t->r->v[2]));
	json_object_object_add(b, "line", json_object_new_string(line));
	json_object_object_add(b, "version", json_object_new_int64(version));
	json_object_object_add(b, "calendar", json_object_new_string(t->r->v[1]));
	if (*t->r->v[4])
		json_object_object_add(b, "block", json_object_new_string(t->r->v[4]));
	json_object_object_add(b, "times", times);
	imp_gtfs_id(b, t->r);
	static const char *const keep_out[] = { "line", NULL };
	struct imp_file *f = &im->f[IMP_TRIPS], *st = &im->f[IMP_TIMES];
	size_t added = f->imported, changed = f->changed;
	if (imp_put(im, f, "trips", t->r->v[2], b, keep_out) == CLI_OK) {
		if (f->imported > added)
			st->imported += t->ntimes;
		else if (f->changed > changed)
			st->changed += t->ntimes;
		else
			st->unchanged += t->ntimes;
	} else if (!im->fatal) {
		imp_reject(&im->f[IMP_TRIPS], t->r->line, "trip_id: %s refused by the daemon", t->r->v[2]);
		im->f[IMP_TIMES].rejected += t->ntimes;
	}
}

/* Reports trip t as not imported; its stop times too. */
static void drop(struct imp *im, struct itrip *t)
{
	t->ok = false;
	im->f[IMP_TIMES].rejected += t->ntimes;
}

void imp_trips(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_TRIPS], *st = &im->f[IMP_TIMES];
	struct imp_row **sorted = xcalloc(st->n + 1, sizeof *sorted);
	for (size_t i = 0; i < st->n; i++)
		sorted[i] = &st->rows[i];
	qsort(sorted, st->n, sizeof *sorted, by_trip_seq);
	struct itrip *trips = xcalloc(f->n + 1, sizeof *trips);
	for (size_t i = 0; i < f->n; i++) {
		struct itrip *t = &trips[i];
		struct imp_row *r = t->r = &f->rows[i];
		size_t lo = 0, hi = st->n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(sorted[mid]->v[0], r->v[2]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		t->times = sorted + lo;
		while (lo + t->ntimes < st->n && strcmp(sorted[lo + t->ntimes]->v[0], r->v[2]) == 0)
			sorted[lo + t->ntimes++]->ok = true; /* belongs to a trip */
		struct imp_row *route = imp_find(&im->f[IMP_ROUTES], 0, r->v[0]);
		t->ok = imp_code_ok(f, r, "trip_id", r->v[2]);
		if (!t->ok)
			;
		else if (im->f[IMP_FREQ].present && imp_find(&im->f[IMP_FREQ], 0, r->v[2]))
			imp_reject(f, r->line, "trip_id: %s runs by frequencies.txt; Jintong imports "
				   "trips with their own times only", r->v[2]);
		else if (!route || !route->ok)
			imp_reject(f, r->line, "route_id: %s %s", r->v[0],
				   route ? "was not imported" : "is not in routes.txt");
		else if (!imp_service_ok(im, r->v[1]))
			imp_reject(f, r->line, "service_id: %s was not imported or is not in the calendars",
				   r->v[1]);
		else if (t->ntimes < 2)
			imp_reject(f, r->line, "trip_id: %s needs at least two stop times", r->v[2]);
		else if (!check_times(im, t))
			imp_reject(f, r->line, "trip_id: %s has stop times refused", r->v[2]);
		else
			continue;
		drop(im, t);
	}
	for (size_t i = 0; i < st->n; i++)
		if (!st->rows[i].ok)
			imp_reject(st, st->rows[i].line, "trip_id: %s is not in trips.txt",
				   st->rows[i].v[0]);
	/*
	 * Each route: its stop patterns, most common first. The first is drawn on
	 * the route's own line; each further one (the way back, a short turn) on
	 * a line of its own, ROUTE-2, ROUTE-3, ..., with the route's name, kind
	 * and company, since a Jintong line has one stop sequence at a time.
	 */
	const char **keys = xcalloc(f->n + 1, sizeof *keys);
	size_t *which = xcalloc(f->n + 1, sizeof *which);
	size_t *open = xcalloc(f->n + 1, sizeof *open);
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		imp_progress("trips", i, f->n);
		if (!trips[i].ok || trips[i].r->ok)
			continue;
		size_t n = 0;
		for (size_t k = i; k < f->n; k++)
			if (trips[k].ok && !trips[k].r->ok && strcmp(trips[k].r->v[0], trips[i].r->v[0]) == 0)
				which[n++] = k;
		for (int pattern = 1; n > 0 && !im->fatal; pattern++) {
			for (size_t k = 0; k < n; k++)
				keys[k] = trips[which[k]].key;
			struct itrip *pick = &trips[which[gtfs_pick_pattern(keys, n)]];
			char line[64];
			bool made = true;
			if (pattern == 1)
				snprintf(line, sizeof line, "%s", pick->r->v[0]);
			else
				made = variant_line(im, pick->r->v[0], pattern, line, sizeof line);
			long version = made ? draw(im, pick, line) : 0;
			size_t left = 0;
			for (size_t k = 0; k < n; k++) {
				struct itrip *t = &trips[which[k]];
				if (strcmp(t->key, pick->key) != 0) {
					open[left++] = which[k];
					continue;
				}
				t->r->ok = true; /* handled */
				if (!version) {
					imp_reject(f, t->r->line, "trip_id: %s not imported: the route of line %s "
						   "(the stops of trip %s) was refused",
						   t->r->v[2], line, pick->r->v[2]);
					drop(im, t);
				} else if (im->dry) {
					f->imported++;
					st->imported += t->ntimes;
				} else {
					send_trip(im, t, version, line);
				}
			}
			memcpy(which, open, left * sizeof *which);
			n = left;
		}
	}
	imp_progress("trips", f->n, f->n);
	for (size_t i = 0; i < f->n; i++)
		free(trips[i].key);
	free(keys);
	free(which);
	free(open);
	free(trips);
	free(sorted);
}
