/*
 * course.c — a trip's shape in metres, its stops placed along it, and the
 * timetable as a function of distance.
 *
 * The shape is projected once onto a local plane (equirectangular around
 * its first point: over the 60 km of a county the error is well under a
 * metre per kilometre, far below GPS noise), so snapping a position is plain
 * vector arithmetic.
 *
 * Stop placement: each stop may lie near several parts of the shape (a road
 * taken out and back, a loop closing on its start). Every part within reach
 * is a candidate, and a small dynamic programme picks one candidate per
 * stop so that distances never decrease and the summed offsets are least.
 */
#include "course.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "timetable.h"
#include "util.h"

#define STOP_REACH_M 500.0  /* a stop farther from the shape is an error */
#define CANDIDATES_MAX 16   /* places considered per stop */

struct course {
	int refs;
	char trip_id[COURSE_ID_MAX + 1];
	char route_id[COURSE_ID_MAX + 1];
	char start_date[9];
	jt_ms day_start;

	size_t nstops;
	struct course_stop *stops; /* ids point into ids[] */
	char (*ids)[COURSE_ID_MAX + 1];
	double *stop_along;

	size_t npts;
	double *x, *y;   /* metres east and north of the origin */
	double *cum;     /* metres along at each point */
	double lat0, lon0, kx, ky; /* the plane: x = kx (lon - lon0), y = ky (lat - lat0) */
};

static void to_plane(const struct course *c, double lat, double lon, double *x, double *y)
{
	*x = c->kx * (lon - c->lon0);
	*y = c->ky * (lat - c->lat0);
}

static bool latlon_ok(double lat, double lon)
{
	return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

static bool id_ok(const char *s)
{
	if (!s || !*s)
		return false;
	size_t n = strlen(s);
	return n <= COURSE_ID_MAX;
}

/* Projects (px, py) on segment i: the fraction along it and the squared distance. */
static double seg_project(const struct course *c, size_t i, double px, double py, double *d2)
{
	double ax = c->x[i], ay = c->y[i];
	double dx = c->x[i + 1] - ax, dy = c->y[i + 1] - ay;
	double len2 = dx * dx + dy * dy;
	double u = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
	if (u < 0)
		u = 0;
	if (u > 1)
		u = 1;
	double qx = ax + u * dx - px, qy = ay + u * dy - py;
	*d2 = qx * qx + qy * qy;
	return u;
}

/* The point at distance `along` on segment i, clamped to it. */
static void seg_point(const struct course *c, size_t i, double along, double *x, double *y)
{
	double len = c->cum[i + 1] - c->cum[i];
	double u = len > 0 ? (along - c->cum[i]) / len : 0.0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	*x = c->x[i] + u * (c->x[i + 1] - c->x[i]);
	*y = c->y[i] + u * (c->y[i + 1] - c->y[i]);
}

/* The segment holding `along`: the last i with cum[i] <= along, at most npts - 2. */
static size_t seg_at(const struct course *c, double along)
{
	size_t lo = 0, hi = c->npts - 1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (c->cum[mid] <= along)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct cand {
	double along, dist;
	double cost;
	int from; /* best candidate of the previous stop, -1 for the first */
};

/* Candidate places for a stop: the nearest point of each stretch of shape within reach. */
static size_t stop_candidates(const struct course *c, double px, double py, struct cand *out)
{
	size_t n = 0;
	double best = INFINITY;
	for (size_t i = 0; i + 1 < c->npts; i++) {
		double d2;
		seg_project(c, i, px, py, &d2);
		best = fmin(best, sqrt(d2));
	}
	if (best > STOP_REACH_M)
		return 0;
	double reach = fmin(STOP_REACH_M, best + 150.0);
	bool in_run = false;
	for (size_t i = 0; i + 1 < c->npts; i++) {
		double d2;
		double u = seg_project(c, i, px, py, &d2);
		double d = sqrt(d2);
		if (d > reach) {
			in_run = false;
			continue;
		}
		double along = c->cum[i] + u * (c->cum[i + 1] - c->cum[i]);
		if (in_run && n > 0 && d < out[n - 1].dist) {
			out[n - 1].along = along;
			out[n - 1].dist = d;
			continue;
		}
		if (in_run)
			continue;
		in_run = true;
		if (n < CANDIDATES_MAX) {
			out[n++] = (struct cand){ .along = along, .dist = d, .from = -1 };
		} else {
			size_t worst = 0;
			for (size_t j = 1; j < n; j++)
				if (out[j].dist > out[worst].dist)
					worst = j;
			if (d < out[worst].dist)
				out[worst] = (struct cand){ .along = along, .dist = d, .from = -1 };
		}
	}
	/* Keep them in order along, as the programme below expects. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].along < out[j - 1].along; j--) {
			struct cand t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

static int place_stops(struct course *c, char *err, size_t errlen)
{
	struct cand(*cand)[CANDIDATES_MAX] = xcalloc(c->nstops, sizeof *cand);
	size_t *ncand = xcalloc(c->nstops, sizeof *ncand);
	int rc = -1;
	for (size_t k = 0; k < c->nstops; k++) {
		double px, py;
		to_plane(c, c->stops[k].lat, c->stops[k].lon, &px, &py);
		ncand[k] = stop_candidates(c, px, py, cand[k]);
		if (ncand[k] == 0) {
			snprintf(err, errlen, "stop %zu (%s) lies more than %.0f m from the shape", k + 1,
				 c->stops[k].id, STOP_REACH_M);
			goto out;
		}
		for (size_t j = 0; j < ncand[k]; j++) {
			struct cand *cj = &cand[k][j];
			cj->cost = INFINITY;
			if (k == 0) {
				cj->cost = cj->dist;
				continue;
			}
			for (size_t i = 0; i < ncand[k - 1]; i++) {
				const struct cand *ci = &cand[k - 1][i];
				if (ci->along <= cj->along && ci->cost + cj->dist < cj->cost) {
					cj->cost = ci->cost + cj->dist;
					cj->from = (int)i;
				}
			}
		}
	}
	size_t last = c->nstops - 1;
	int best = -1;
	for (size_t j = 0; j < ncand[last]; j++)
		if (isfinite(cand[last][j].cost) && (best < 0 || cand[last][j].cost < cand[last][best].cost))
			best = (int)j;
	if (best < 0) {
		snprintf(err, errlen, "the stops cannot be placed along the shape in their order");
		goto out;
	}
	for (size_t k = c->nstops; k-- > 0;) {
		c->stop_along[k] = cand[k][best].along;
		best = cand[k][best].from;
	}
	rc = 0;
out:
	free(cand);
	free(ncand);
	return rc;
}

struct course *course_new(const struct course_spec *spec, char *err, size_t errlen)
{
	if (!id_ok(spec->trip_id) || !id_ok(spec->route_id)) {
		snprintf(err, errlen, "trip and line codes must be 1..%d bytes", COURSE_ID_MAX);
		return NULL;
	}
	if (spec->nstops < 2 || spec->nstops > 500 || !spec->stops) {
		snprintf(err, errlen, "a trip needs 2..500 stops, not %zu", spec->nstops);
		return NULL;
	}
	if (spec->shape && (spec->nshape < 2 || spec->nshape > 20000)) {
		snprintf(err, errlen, "a shape needs 2..20000 points, not %zu", spec->nshape);
		return NULL;
	}
	int32_t *arr = xmalloc(spec->nstops * sizeof *arr), *dep = xmalloc(spec->nstops * sizeof *dep);
	for (size_t k = 0; k < spec->nstops; k++) {
		const struct course_stop *s = &spec->stops[k];
		arr[k] = s->arr;
		dep[k] = s->dep;
		const char *why = NULL;
		if (!id_ok(s->id))
			why = "has no code or one too long";
		else if (!latlon_ok(s->lat, s->lon))
			why = "has a position out of range";
		else if (s->arr < 0 || s->dep > TIMETABLE_DAY_MAX)
			why = "has a time outside the service day";
		if (why) {
			snprintf(err, errlen, "stop %zu %s", k + 1, why);
			free(arr);
			free(dep);
			return NULL;
		}
	}
	int ok = timetable_check(arr, dep, spec->nstops, err, errlen);
	free(arr);
	free(dep);
	if (ok != 0)
		return NULL;
	for (size_t i = 0; spec->shape && i < spec->nshape; i++)
		if (!latlon_ok(spec->shape[2 * i], spec->shape[2 * i + 1])) {
			snprintf(err, errlen, "shape point %zu out of range", i + 1);
			return NULL;
		}

	struct course *c = xcalloc(1, sizeof *c);
	c->refs = 1;
	strlcpy_jt(c->trip_id, spec->trip_id, sizeof c->trip_id);
	strlcpy_jt(c->route_id, spec->route_id, sizeof c->route_id);
	if (spec->start_date && strlen(spec->start_date) == 8)
		memcpy(c->start_date, spec->start_date, 9);
	c->day_start = spec->day_start;
	c->nstops = spec->nstops;
	c->stops = xcalloc(c->nstops, sizeof *c->stops);
	c->ids = xcalloc(c->nstops, sizeof *c->ids);
	c->stop_along = xcalloc(c->nstops, sizeof *c->stop_along);
	for (size_t k = 0; k < c->nstops; k++) {
		c->stops[k] = spec->stops[k];
		strlcpy_jt(c->ids[k], spec->stops[k].id, sizeof c->ids[k]);
		c->stops[k].id = c->ids[k];
	}

	size_t npts = spec->shape ? spec->nshape : spec->nstops;
	c->npts = npts;
	c->x = xcalloc(npts, sizeof *c->x);
	c->y = xcalloc(npts, sizeof *c->y);
	c->cum = xcalloc(npts, sizeof *c->cum);
	c->lat0 = spec->shape ? spec->shape[0] : spec->stops[0].lat;
	c->lon0 = spec->shape ? spec->shape[1] : spec->stops[0].lon;
	c->ky = GEO_EARTH_RADIUS_M * M_PI / 180.0;
	c->kx = c->ky * cos(c->lat0 * M_PI / 180.0);
	for (size_t i = 0; i < npts; i++) {
		double lat = spec->shape ? spec->shape[2 * i] : spec->stops[i].lat;
		double lon = spec->shape ? spec->shape[2 * i + 1] : spec->stops[i].lon;
		to_plane(c, lat, lon, &c->x[i], &c->y[i]);
		if (i > 0)
			c->cum[i] = c->cum[i - 1] + hypot(c->x[i] - c->x[i - 1], c->y[i] - c->y[i - 1]);
	}
	if (c->cum[npts - 1] < 1.0) {
		snprintf(err, errlen, "the route has no length");
		course_unref(c);
		return NULL;
	}
	if (place_stops(c, err, errlen) != 0) {
		course_unref(c);
		return NULL;
	}
	return c;
}

struct course *course_ref(struct course *c)
{
	c->refs++;
	return c;
}

void course_unref(struct course *c)
{
	if (!c || --c->refs > 0)
		return;
	free(c->stops);
	free(c->ids);
	free(c->stop_along);
	free(c->x);
	free(c->y);
	free(c->cum);
	free(c);
}

const char *course_trip_id(const struct course *c) { return c->trip_id; }
const char *course_route_id(const struct course *c) { return c->route_id; }
const char *course_start_date(const struct course *c) { return c->start_date; }
jt_ms course_day_start(const struct course *c) { return c->day_start; }
double course_length(const struct course *c) { return c->cum[c->npts - 1]; }
size_t course_nstops(const struct course *c) { return c->nstops; }

const struct course_stop *course_stop(const struct course *c, size_t k)
{
	return k < c->nstops ? &c->stops[k] : NULL;
}

double course_stop_along(const struct course *c, size_t k)
{
	return c->stop_along[k < c->nstops ? k : c->nstops - 1];
}

double course_day_seconds(const struct course *c, jt_ms t)
{
	return (double)(t - c->day_start) / 1000.0;
}

jt_ms course_time_of(const struct course *c, double day_seconds)
{
	return c->day_start + (jt_ms)llround(day_seconds * 1000.0);
}

double course_sched_at(const struct course *c, double along)
{
	const double *s = c->stop_along;
	if (along <= s[0])
		return c->stops[0].dep;
	for (size_t k = 1; k < c->nstops; k++) {
		if (along > s[k])
			continue;
		double span = s[k] - s[k - 1];
		double u = span > 0 ? (along - s[k - 1]) / span : 1.0;
		return c->stops[k - 1].dep + u * (c->stops[k].arr - c->stops[k - 1].dep);
	}
	return c->stops[c->nstops - 1].arr;
}

double course_sched_along(const struct course *c, double t)
{
	const struct course_stop *st = c->stops;
	if (t <= st[0].dep)
		return c->stop_along[0];
	for (size_t k = 1; k < c->nstops; k++) {
		if (t < st[k].arr) {
			double span = st[k].arr - st[k - 1].dep;
			double u = span > 0 ? (t - st[k - 1].dep) / span : 1.0;
			return c->stop_along[k - 1] + u * (c->stop_along[k] - c->stop_along[k - 1]);
		}
		if (t <= st[k].dep)
			return c->stop_along[k];
	}
	return c->stop_along[c->nstops - 1];
}

double course_bearing_at(const struct course *c, double along)
{
	size_t i = seg_at(c, along);
	/* A zero-length segment has no direction: look for the next that has one. */
	while (i + 2 < c->npts && c->cum[i + 1] - c->cum[i] < 0.01)
		i++;
	double dx = c->x[i + 1] - c->x[i], dy = c->y[i + 1] - c->y[i];
	double b = atan2(dx, dy) * 180.0 / M_PI;
	return b < 0 ? b + 360.0 : b;
}

void course_point_at(const struct course *c, double along, double *lat, double *lon)
{
	double x, y;
	seg_point(c, seg_at(c, along), along, &x, &y);
	*lat = c->lat0 + y / c->ky;
	*lon = c->lon0 + x / c->kx;
}

struct course_snap course_snap(const struct course *c, double lat, double lon, double lo, double hi,
			       double expect, double weight)
{
	double len = course_length(c);
	lo = fmax(0.0, fmin(lo, len));
	hi = fmax(lo, fmin(hi, len));
	double px, py;
	to_plane(c, lat, lon, &px, &py);
	struct course_snap best = { .along = lo, .lateral = INFINITY };
	double best_cost = INFINITY;
	for (size_t i = seg_at(c, lo); i + 1 < c->npts && c->cum[i] <= hi; i++) {
		double d2;
		double u = seg_project(c, i, px, py, &d2);
		double along = c->cum[i] + u * (c->cum[i + 1] - c->cum[i]);
		double lat_m;
		if (along < lo || along > hi) {
			/* The nearest point lies outside the window: take the window's end. */
			along = along < lo ? lo : hi;
			double qx, qy;
			seg_point(c, i, along, &qx, &qy);
			lat_m = hypot(qx - px, qy - py);
		} else {
			lat_m = sqrt(d2);
		}
		double cost = lat_m + (isfinite(expect) ? weight * fabs(along - expect) : 0.0);
		if (cost < best_cost) {
			best_cost = cost;
			best.along = along;
			best.lateral = lat_m;
		}
	}
	return best;
}
