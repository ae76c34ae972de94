/*
 * gtfsimport-ids.c — the ids of a feed as Jintong codes, for `jintong gtfs
 * import`.
 *
 * A feed's ids may be any text; a Jintong record's code is 1 to 32 of
 * [A-Za-z0-9._-]. Each kind of id (agencies, stops, routes, services,
 * shapes, trips, booking rules, location groups, zones) is mapped on its
 * own by gtfsid.c: an id that is a code stays as it is, any other gets a
 * derived code and is sent with its record as gtfs_id, which the export
 * writes back. Every id column and every column that refers to one is
 * rewritten to codes here, before anything is sent, so the rest of the
 * importer deals in codes only. A row whose id cannot be kept (invalid
 * UTF-8, a control character, longer than 255 bytes) is refused with its
 * file and line.
 *
 * Real feeds written to the GTFS-Flex v2 draft name a location group's
 * stops in location_groups.txt (a location_id column, one row per stop)
 * and put the group's id in stop_times.txt's stop_id; both are read as the
 * adopted layout (location_group_stops.txt, location_group_id), and said so.
 */
#include "cmd.h"
#include "geojson.h"
#include "gtfsid.h"
#include "gtfsimport.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An id column: the file, the column (index into the row), its kind, and whether it defines the id. */
struct idcol {
	int file, col, kind;
	bool defines;
	const char *name;
};

static const struct idcol idcols[] = {
	{ IMP_AGENCY, 0, IMP_ID_AGENCY, true, "agency_id" },
	{ IMP_STOPS, 0, IMP_ID_STOP, true, "stop_id" },
	{ IMP_ROUTES, 0, IMP_ID_ROUTE, true, "route_id" },
	{ IMP_ROUTES, 1, IMP_ID_AGENCY, false, "agency_id" },
	{ IMP_CAL, 0, IMP_ID_SERVICE, true, "service_id" },
	{ IMP_DATES, 0, IMP_ID_SERVICE, true, "service_id" },
	{ IMP_SHAPES, 0, IMP_ID_SHAPE, true, "shape_id" },
	{ IMP_TRIPS, 2, IMP_ID_TRIP, true, "trip_id" },
	{ IMP_TRIPS, 0, IMP_ID_ROUTE, false, "route_id" },
	{ IMP_TRIPS, 1, IMP_ID_SERVICE, false, "service_id" },
	{ IMP_TRIPS, 3, IMP_ID_SHAPE, false, "shape_id" },
	{ IMP_TIMES, IMP_ST_TRIP, IMP_ID_TRIP, false, "trip_id" },
	{ IMP_TIMES, IMP_ST_STOP, IMP_ID_STOP, false, "stop_id" },
	{ IMP_TIMES, IMP_ST_GROUP, IMP_ID_GROUP, false, "location_group_id" },
	{ IMP_TIMES, IMP_ST_ZONE, IMP_ID_ZONE, false, "location_id" },
	{ IMP_TIMES, IMP_ST_PICKUP_RULE, IMP_ID_RULE, false, "pickup_booking_rule_id" },
	{ IMP_TIMES, IMP_ST_DROP_OFF_RULE, IMP_ID_RULE, false, "drop_off_booking_rule_id" },
	{ IMP_FREQ, 0, IMP_ID_TRIP, false, "trip_id" },
	{ IMP_BOOKING, 0, IMP_ID_RULE, true, "booking_rule_id" },
	{ IMP_BOOKING, 8, IMP_ID_SERVICE, false, "prior_notice_service_id" },
	{ IMP_GROUPS, 0, IMP_ID_GROUP, true, "location_group_id" },
	{ IMP_GROUP_STOPS, 0, IMP_ID_GROUP, false, "location_group_id" },
	{ IMP_GROUP_STOPS, 1, IMP_ID_STOP, false, "stop_id" },
};

/* location_groups.txt's location_id column (the draft layout), as read. */
#define GROUPS_LOCATION 2

static void drop_row(struct imp_file *f, size_t i)
{
	for (int k = 0; k < IMP_COLS; k++)
		free(f->rows[i].v[k]);
	free(f->rows[i].gid);
	memmove(&f->rows[i], &f->rows[i + 1], (f->n - i - 1) * sizeof *f->rows);
	f->n--;
}

static struct imp_row *push_row(struct imp_file *f, unsigned long line)
{
	if (f->n == f->cap)
		f->rows = xrealloc(f->rows, (f->cap = f->cap ? f->cap * 2 : 64) * sizeof *f->rows);
	struct imp_row *w = &f->rows[f->n++];
	memset(w, 0, sizeof *w);
	w->line = line;
	for (int k = 0; k < IMP_COLS; k++)
		w->v[k] = xstrdup("");
	return w;
}

/*
 * The draft layout of location groups: location_groups.txt rows of
 * (group, location_id[, name]) become one location_groups.txt row per
 * group and location_group_stops.txt rows.
 */
static void draft_groups(struct imp *im)
{
	struct imp_file *g = &im->f[IMP_GROUPS], *m = &im->f[IMP_GROUP_STOPS];
	bool draft = false;
	for (size_t i = 0; i < g->n && !draft; i++)
		draft = *g->rows[i].v[GROUPS_LOCATION] != '\0';
	if (!draft)
		return;
	if (m->present) {
		imp_report(g, 1, "location_id: ignored, the feed has location_group_stops.txt");
		return;
	}
	imp_report(g, 1, "location_id: the GTFS-Flex v2 draft layout, read as "
			 "location_group_stops.txt");
	m->present = true;
	snprintf(m->path, sizeof m->path, "%s", g->path);
	for (size_t i = 0; i < g->n;) {
		struct imp_row *r = &g->rows[i];
		if (*r->v[GROUPS_LOCATION]) {
			struct imp_row *s = push_row(m, r->line);
			free(s->v[0]);
			free(s->v[1]);
			s->v[0] = xstrdup(r->v[0]);
			s->v[1] = xstrdup(r->v[GROUPS_LOCATION]);
		}
		/* the group's first row stays, named by the first row that names it */
		size_t first = 0;
		while (first < i && strcmp(g->rows[first].v[0], r->v[0]) != 0)
			first++;
		if (first < i) {
			if (!*g->rows[first].v[1] && *r->v[1]) {
				free(g->rows[first].v[1]);
				g->rows[first].v[1] = xstrdup(r->v[1]);
			}
			drop_row(g, i);
			continue;
		}
		i++;
	}
}

/* stop_id naming a location group and no stop (the draft layout): read as location_group_id. */
static void draft_stop_times(struct imp *im)
{
	struct imp_file *st = &im->f[IMP_TIMES];
	struct gtfsid_map *stops = im->ids[IMP_ID_STOP], *groups = im->ids[IMP_ID_GROUP];
	size_t moved = 0;
	unsigned long first = 0;
	for (size_t i = 0; i < st->n; i++) {
		char **v = st->rows[i].v;
		if (!*v[IMP_ST_STOP] || *v[IMP_ST_GROUP] || gtfsid_map_code(stops, v[IMP_ST_STOP]) ||
		    !gtfsid_map_code(groups, v[IMP_ST_STOP]))
			continue;
		free(v[IMP_ST_GROUP]);
		v[IMP_ST_GROUP] = v[IMP_ST_STOP];
		v[IMP_ST_STOP] = xstrdup("");
		if (!moved++)
			first = st->rows[i].line;
	}
	if (moved)
		imp_report(st, first, "stop_id: names a location group in %zu stop times (the GTFS-Flex "
				      "v2 draft), read as location_group_id",
			   moved);
}

static void zone_ids(struct imp *im, const char *dir);

void imp_map_ids(struct imp *im, const char *dir)
{
	for (int k = 0; k < IMP_ID_N; k++)
		if (!im->ids[k])
			im->ids[k] = gtfsid_map_new();
	draft_groups(im);
	zone_ids(im, dir);
	/* the ids each file defines; a row whose id cannot be kept is refused */
	for (size_t c = 0; c < JT_ARRAY_LEN(idcols); c++) {
		const struct idcol *ic = &idcols[c];
		struct imp_file *f = &im->f[ic->file];
		if (!ic->defines)
			continue;
		for (size_t i = 0; i < f->n;) {
			const char *id = f->rows[i].v[ic->col];
			const char *why = *id ? gtfsid_map_add(im->ids[ic->kind], id, strlen(id)) : NULL;
			if (why) {
				imp_reject(f, f->rows[i].line, "%s: %s", ic->name, why);
				drop_row(f, i);
				continue;
			}
			i++;
		}
	}
	for (int k = 0; k < IMP_ID_N; k++)
		gtfsid_map_resolve(im->ids[k]);
	draft_stop_times(im);
	/* every id and reference as its code; the row's own id kept */
	for (size_t c = 0; c < JT_ARRAY_LEN(idcols); c++) {
		const struct idcol *ic = &idcols[c];
		struct imp_file *f = &im->f[ic->file];
		for (size_t i = 0; i < f->n;) {
			struct imp_row *r = &f->rows[i];
			char **v = &r->v[ic->col];
			const char *code = **v ? gtfsid_map_code(im->ids[ic->kind], *v) : NULL;
			if (!code && **v && gtfsid_invalid(*v, strlen(*v))) {
				imp_reject(f, r->line, "%s: %s", ic->name, gtfsid_invalid(*v, strlen(*v)));
				drop_row(f, i);
				continue;
			}
			if (code) {
				if (ic->defines && !r->gid)
					r->gid = xstrdup(*v);
				free(*v);
				*v = xstrdup(code);
			}
			i++;
		}
	}
}

void imp_gtfs_id(json_object *body, const struct imp_row *r)
{
	const char *code = json_object_get_string(json_object_object_get(body, "code"));
	bool differs = r->gid && code && strcmp(r->gid, code) != 0;
	json_object_object_add(body, "gtfs_id", json_object_new_string(differs ? r->gid : ""));
}

/* ---- zones: the ids of locations.geojson's features ---- */

static void zone_id(void *arg, const struct geojson_feature *z)
{
	struct imp *im = arg;
	const char *why = NULL;
	if (!z->error && z->id)
		why = gtfsid_map_add(im->ids[IMP_ID_ZONE], z->id, strlen(z->id));
	(void)why; /* refused when the feature is read for sending */
}

static void zone_ids(struct imp *im, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/locations.geojson", dir);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return;
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len, fp)) > 0 && len <= GEOJSON_BYTES_MAX)
		if ((len += got) == cap)
			data = xrealloc(data, cap *= 2);
	fclose(fp);
	char err[200];
	int rc = geojson_features(data, len, zone_id, im, err, sizeof err);
	(void)rc; /* reported when the zones are read for sending */
	free(data);
}

void imp_ids_free(struct imp *im)
{
	for (int k = 0; k < IMP_ID_N; k++) {
		gtfsid_map_free(im->ids[k]);
		im->ids[k] = NULL;
	}
}
