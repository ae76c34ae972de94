/*
 * gtfscheck.c — a feed `jintong gtfs export` wrote, read back and checked
 * with the GTFS checks the importer uses (core gtfs.c and geojson.c): every
 * file's header and rows, and every reference between files, in the order
 * references need. A problem here is the exporter's fault.
 */
#include "gtfscheck.h"

#include "cmd.h"
#include "csv.h"
#include "geojson.h"
#include "gtfs.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gtfscheck_set_add(struct strset *s, const char *p, size_t len)
{
	if (s->n == s->cap)
		s->v = xrealloc(s->v, (s->cap = s->cap ? s->cap * 2 : 64) * sizeof *s->v);
	char *c = xmalloc(len + 1);
	memcpy(c, p, len);
	c[len] = '\0';
	s->v[s->n++] = c;
	s->sorted = false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool gtfscheck_set_has(struct strset *s, const char *p, size_t len)
{
	if (s->n == 0)
		return false;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof *s->v, cmp_str);
		s->sorted = true;
	}
	char key[256];
	snprintf(key, sizeof key, "%.*s", (int)(len < 255 ? len : 255), p);
	const char *k = key;
	return bsearch(&k, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

void gtfscheck_set_free(struct strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

struct ids {
	struct strset agencies, stops, routes, services, trips, shapes, rules, groups, zones;
};

/* Reads file name back and checks it; collects the ids others refer to. */
static size_t check_file(const char *dir, const char *name, struct ids *ids, bool optional)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		if (optional)
			return 0;
		cli_error("%s was not written; this is a bug in jintong", path);
		return 1;
	}
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len, fp)) > 0)
		if ((len += got) == cap)
			data = xrealloc(data, cap *= 2);
	fclose(fp);

	size_t problems = 0;
	enum gtfs_file file;
	struct csv_error ce;
	char err[256];
	struct csv *r = gtfs_file_lookup(name, &file) == 0 ? csv_open(data, len, &ce) : NULL;
	if (!r) {
		cli_error("%s: the header cannot be read back", path);
		free(data);
		return 1;
	}
	if (gtfs_check_header(file, r, err, sizeof err) != 0) {
		cli_error("%s:1: %s", path, err);
		problems++;
	}
	struct gtfs_layout l;
	gtfs_layout_init(&l, file, r);
	struct csv_row row;
	int rc;
	while ((rc = csv_next(r, &row)) != 0 && problems < 20) {
		if (rc < 0) {
			cli_error("%s:%lu: %s", path, csv_last_error(r)->line, csv_last_error(r)->msg);
			problems++;
			continue;
		}
		if (gtfs_check_row(&l, &row, err, sizeof err) != 0) {
			cli_error("%s:%lu: %s", path, row.line, err);
			problems++;
			continue;
		}
		size_t vl;
		const char *v;
#define ID(col) (v = gtfs_value(&l, &row, gtfs_column_index(file, col), &vl))
#define NEED(set, col, what) \
	do { \
		if (ID(col) && vl && !gtfscheck_set_has(&ids->set, v, vl)) { \
			cli_error("%s:%lu: %s %.*s is not in %s", path, row.line, col, (int)vl, v, what); \
			problems++; \
		} \
	} while (0)
		switch (file) {
		case GTFS_AGENCY:
			if (ID("agency_id"))
				gtfscheck_set_add(&ids->agencies, v, vl);
			break;
		case GTFS_STOPS:
			if (ID("stop_id"))
				gtfscheck_set_add(&ids->stops, v, vl);
			break;
		case GTFS_ROUTES:
			NEED(agencies, "agency_id", "agency.txt");
			if (ID("route_id"))
				gtfscheck_set_add(&ids->routes, v, vl);
			break;
		case GTFS_CALENDAR_DATES:
			if (ID("service_id") && !gtfscheck_set_has(&ids->services, v, vl))
				gtfscheck_set_add(&ids->services, v, vl);
			break;
		case GTFS_SHAPES:
			if (ID("shape_id") && !gtfscheck_set_has(&ids->shapes, v, vl))
				gtfscheck_set_add(&ids->shapes, v, vl);
			break;
		case GTFS_TRIPS:
			NEED(routes, "route_id", "routes.txt");
			NEED(services, "service_id", "calendar_dates.txt");
			NEED(shapes, "shape_id", "shapes.txt");
			if (ID("trip_id"))
				gtfscheck_set_add(&ids->trips, v, vl);
			break;
		case GTFS_STOP_TIMES:
			NEED(trips, "trip_id", "trips.txt");
			NEED(stops, "stop_id", "stops.txt");
			NEED(groups, "location_group_id", "location_groups.txt");
			NEED(zones, "location_id", "locations.geojson");
			NEED(rules, "pickup_booking_rule_id", "booking_rules.txt");
			NEED(rules, "drop_off_booking_rule_id", "booking_rules.txt");
			break;
		case GTFS_BOOKING_RULES:
			NEED(services, "prior_notice_service_id", "calendar_dates.txt");
			if (ID("booking_rule_id"))
				gtfscheck_set_add(&ids->rules, v, vl);
			break;
		case GTFS_LOCATION_GROUPS:
			if (ID("location_group_id"))
				gtfscheck_set_add(&ids->groups, v, vl);
			break;
		case GTFS_LOCATION_GROUP_STOPS:
			NEED(groups, "location_group_id", "location_groups.txt");
			NEED(stops, "stop_id", "stops.txt");
			break;
		default:
			break;
		}
#undef NEED
#undef ID
	}
	csv_close(r);
	free(data);
	return problems;
}

struct zone_check {
	const char *path;
	struct ids *ids;
	size_t problems;
};

static void zone_checked(void *arg, const struct geojson_feature *f)
{
	struct zone_check *z = arg;
	if (f->error) {
		cli_error("%s: feature %zu: %s", z->path, f->index + 1, f->error);
		z->problems++;
	} else {
		gtfscheck_set_add(&z->ids->zones, f->id, strlen(f->id));
	}
}

/* locations.geojson read back with the importer's reader; its ids collected. */
static size_t check_zones(const char *dir, struct ids *ids)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/locations.geojson", dir);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len, fp)) > 0)
		if ((len += got) == cap)
			data = xrealloc(data, cap *= 2);
	fclose(fp);
	struct zone_check z = { path, ids, 0 };
	char err[200];
	if (geojson_features(data, len, zone_checked, &z, err, sizeof err) < 0) {
		cli_error("%s: %s", path, err);
		z.problems++;
	}
	free(data);
	return z.problems;
}

size_t gtfscheck_feed(const char *dir)
{
	struct ids ids = { 0 };
	size_t problems = 0;
	/* In the order references need: what is referred to first. */
	problems += check_file(dir, "agency.txt", &ids, false);
	problems += check_file(dir, "stops.txt", &ids, false);
	problems += check_file(dir, "routes.txt", &ids, false);
	problems += check_file(dir, "calendar_dates.txt", &ids, false);
	problems += check_file(dir, "shapes.txt", &ids, true);
	problems += check_file(dir, "booking_rules.txt", &ids, true);
	problems += check_file(dir, "location_groups.txt", &ids, true);
	problems += check_file(dir, "location_group_stops.txt", &ids, true);
	problems += check_zones(dir, &ids);
	problems += check_file(dir, "trips.txt", &ids, false);
	problems += check_file(dir, "stop_times.txt", &ids, false);
	gtfscheck_set_free(&ids.agencies);
	gtfscheck_set_free(&ids.stops);
	gtfscheck_set_free(&ids.routes);
	gtfscheck_set_free(&ids.services);
	gtfscheck_set_free(&ids.trips);
	gtfscheck_set_free(&ids.shapes);
	gtfscheck_set_free(&ids.rules);
	gtfscheck_set_free(&ids.groups);
	gtfscheck_set_free(&ids.zones);
	return problems;
}
