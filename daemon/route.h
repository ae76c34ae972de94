/*
 * route.h — the rules of a line's route versions: which stop sequences are
 * drawable, what changed between two versions, and which version is in
 * effect on a day. Pure.
 */
#ifndef JINTONG_ROUTE_H
#define JINTONG_ROUTE_H

#include "core.h"
#include "date.h"

#define ROUTE_STOPS_MAX 500
#define ROUTE_SHAPE_MAX 20000

typedef bool (*route_known_fn)(void *arg, const char *stop_code);

/*
 * The places a route version goes through: stops, and for on-demand lines
 * location groups (any of some stops, on request) and zones (anywhere in
 * an area), written "S101", "group:LG1", "zone:Z1".
 */
enum route_place { ROUTE_STOP, ROUTE_GROUP, ROUTE_ZONE };
#define ROUTE_GROUP_PREFIX "group:"
#define ROUTE_ZONE_PREFIX "zone:"
/* The kind of place s names and its code (inside s); -1 when the code is not a valid code. */
int route_place(const char *s, enum route_place *kind, const char **code) JT_MUST_CHECK;

/*
 * A drawable sequence: at least two places, every one known, no stop twice
 * in a row (a bus does not stop at the same stop twice running; a group or
 * zone may follow itself: picked up there, set down there). Loops that come
 * back to a stop later are fine. -1 with a message saying which stop and why.
 */
int route_check_stops(const char *const *stops, size_t n, route_known_fn known, void *arg,
		      char *err, size_t errlen) JT_MUST_CHECK;
/* A shape: 2..ROUTE_SHAPE_MAX points, lat/lon pairs in range and finite. */
int route_check_shape(const double *latlon, size_t npoints, char *err, size_t errlen) JT_MUST_CHECK;

struct route_diff {
	const char **added;    /* stops in the new sequence and not the old, in new order */
	size_t nadded;
	const char **removed;  /* stops in the old sequence and not the new, in old order */
	size_t nremoved;
	bool reordered;        /* the stops both have are in another order */
};

/* What changed from old to new; the arrays point into the inputs. Free with route_diff_free. */
void route_diff(const char *const *old, size_t nold, const char *const *new_, size_t nnew,
		struct route_diff *out);
void route_diff_free(struct route_diff *d);

/*
 * Index of the version in effect on `day` among versions given as
 * (from, number) pairs: the latest `from` not after the day, the highest
 * number among equal dates. -1 when none has taken effect yet.
 */
int route_in_effect(const jt_day *from, const int *number, size_t n, jt_day day);

#endif
