/*
 * route.c — route version rules; see route.h.
 */
#include "route.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "strmap.h"
#include "util.h"

int route_place(const char *s, enum route_place *kind, const char **code)
{
	size_t g = strlen(ROUTE_GROUP_PREFIX), z = strlen(ROUTE_ZONE_PREFIX);
	if (strncmp(s, ROUTE_GROUP_PREFIX, g) == 0)
		*kind = ROUTE_GROUP, *code = s + g;
	else if (strncmp(s, ROUTE_ZONE_PREFIX, z) == 0)
		*kind = ROUTE_ZONE, *code = s + z;
	else
		*kind = ROUTE_STOP, *code = s;
	return catalog_code_valid(*code) ? 0 : -1;
}

int route_check_stops(const char *const *stops, size_t n, route_known_fn known, void *arg,
		      char *err, size_t errlen)
{
	if (n < 2) {
		snprintf(err, errlen, "a route needs at least two stops");
		return -1;
	}
	if (n > ROUTE_STOPS_MAX) {
		snprintf(err, errlen, "a route has at most %d stops", ROUTE_STOPS_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!known(arg, stops[i])) {
			snprintf(err, errlen, "stop %zu, %.40s, does not exist; add it first (jintong %s add)",
				 i + 1, stops[i],
				 strncmp(stops[i], ROUTE_GROUP_PREFIX, 6) == 0 ? "location-group"
				 : strncmp(stops[i], ROUTE_ZONE_PREFIX, 5) == 0 ? "zone"
										: "stop");
			return -1;
		}
		if (i > 0 && strcmp(stops[i], stops[i - 1]) == 0 && !strchr(stops[i], ':')) {
			snprintf(err, errlen,
				 "stop %.32s comes twice in a row (positions %zu and %zu); list it once",
				 stops[i], i, i + 1);
			return -1;
		}
	}
	return 0;
}

int route_check_shape(const double *latlon, size_t npoints, char *err, size_t errlen)
{
	if (npoints < 2 || npoints > ROUTE_SHAPE_MAX) {
		snprintf(err, errlen, "a shape has 2 to %d points", ROUTE_SHAPE_MAX);
		return -1;
	}
	for (size_t i = 0; i < npoints; i++) {
		double lat = latlon[2 * i], lon = latlon[2 * i + 1];
		if (!isfinite(lat) || !isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 ||
		    (lat == 0 && lon == 0)) {
			snprintf(err, errlen, "shape point %zu is not a place (lat %g, lon %g)", i + 1, lat,
				 lon);
			return -1;
		}
	}
	return 0;
}

static bool contains(const struct strmap *m, const char *s)
{
	return strmap_get(m, s) != NULL;
}

void route_diff(const char *const *old, size_t nold, const char *const *new_, size_t nnew,
		struct route_diff *out)
{
	memset(out, 0, sizeof *out);
	struct strmap *in_old = strmap_new(), *in_new = strmap_new();
	for (size_t i = 0; i < nold; i++)
		strmap_put(in_old, old[i], (void *)1);
	for (size_t i = 0; i < nnew; i++)
		strmap_put(in_new, new_[i], (void *)1);
	out->added = xcalloc(nnew ? nnew : 1, sizeof *out->added);
	out->removed = xcalloc(nold ? nold : 1, sizeof *out->removed);
	for (size_t i = 0; i < nnew; i++)
		if (!contains(in_old, new_[i])) {
			/* once each, even when a loop passes a stop twice */
			bool seen = false;
			for (size_t k = 0; k < out->nadded; k++)
				seen |= strcmp(out->added[k], new_[i]) == 0;
			if (!seen)
				out->added[out->nadded++] = new_[i];
		}
	for (size_t i = 0; i < nold; i++)
		if (!contains(in_new, old[i])) {
			bool seen = false;
			for (size_t k = 0; k < out->nremoved; k++)
				seen |= strcmp(out->removed[k], old[i]) == 0;
			if (!seen)
				out->removed[out->nremoved++] = old[i];
		}
	/* The common stops, in each order: reordered when the two sequences differ. */
	size_t i = 0, k = 0;
	for (;;) {
		while (i < nold && !contains(in_new, old[i]))
			i++;
		while (k < nnew && !contains(in_old, new_[k]))
			k++;
		if (i >= nold || k >= nnew) {
			out->reordered = (i < nold) != (k < nnew);
			break;
		}
		if (strcmp(old[i], new_[k]) != 0) {
			out->reordered = true;
			break;
		}
		i++;
		k++;
	}
	strmap_free(in_old);
	strmap_free(in_new);
}

void route_diff_free(struct route_diff *d)
{
	free(d->added);
	free(d->removed);
	memset(d, 0, sizeof *d);
}

int route_in_effect(const jt_day *from, const int *number, size_t n, jt_day day)
{
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		if (from[i] > day)
			continue;
		if (best < 0 || from[i] > from[best] ||
		    (from[i] == from[best] && number[i] > number[best]))
			best = (int)i;
	}
	return best;
}
