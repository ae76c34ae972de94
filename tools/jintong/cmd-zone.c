/*
 * cmd-zone.c — `jintong zone ...`: areas an on-demand vehicle serves door
 * to door (GTFS-Flex locations.geojson), drawn in a GIS tool and given as
 * GeoJSON. A route version of an on-demand line goes through one as
 * zone:CODE.
 */
#include "catalog.h"
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"
#include "geojson.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Positions in an area, and its bounds. */
static size_t walk(json_object *a, int depth, double b[4])
{
	if (!json_object_is_type(a, json_type_array))
		return 0;
	if (depth == 0) {
		double lon = json_object_get_double(json_object_array_get_idx(a, 0));
		double lat = json_object_get_double(json_object_array_get_idx(a, 1));
		b[0] = lat < b[0] ? lat : b[0], b[1] = lat > b[1] ? lat : b[1];
		b[2] = lon < b[2] ? lon : b[2], b[3] = lon > b[3] ? lon : b[3];
		return 1;
	}
	size_t n = 0;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		n += walk(json_object_array_get_idx(a, i), depth - 1, b);
	return n;
}

static size_t positions(json_object *rec, double b[4])
{
	json_object *g = fmt_member(rec, "geometry");
	const char *t = fmt_str(g, "type");
	b[0] = b[2] = 1e9, b[1] = b[3] = -1e9;
	return walk(fmt_member(g, "coordinates"), t && strcmp(t, "MultiPolygon") == 0 ? 3 : 2, b);
}

static void zone_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	double b[4];
	snprintf(buf, size, "%zu", positions(rec, b));
	cells[0] = fmt_str(rec, "code");
	cells[1] = coll_str(rec, "name");
	cells[2] = fmt_str(fmt_member(rec, "geometry"), "type");
	cells[3] = buf;
}

static void zone_print(json_object *rec)
{
	double b[4];
	char buf[160];
	size_t n = positions(rec, b);
	coll_field("description", fmt_str(rec, "description"));
	snprintf(buf, sizeof buf, "%s of %zu positions, latitude %.5f to %.5f, longitude %.5f to %.5f",
		 fmt_str(fmt_member(rec, "geometry"), "type"), n, b[0], b[1], b[2], b[3]);
	coll_field("area", buf);
}

static const char *const zone_headers[] = { "CODE", "NAME", "AREA", "POSITIONS" };

const struct coll coll_zones = {
	.path = "zones",
	.entity = "zone",
	.example = "Z-NORTH",
	.first = "jintong zone add CODE --name NAME --area FILE.geojson",
	.ncols = 4,
	.headers = zone_headers,
	.row = zone_row,
	.print = zone_print,
};

struct one {
	size_t n;
	json_object *area;
	char why[200];
};

static void take_feature(void *arg, const struct geojson_feature *f)
{
	struct one *o = arg;
	if (o->n++ == 0 && f->area)
		o->area = json_object_get(f->area);
	else if (o->n == 1)
		snprintf(o->why, sizeof o->why, "%s", f->error ? f->error : "not an area");
}

/* The area in a GeoJSON file: a geometry, a Feature, or a FeatureCollection of one. */
static int read_area(const struct cmd_args *args, const char *path, json_object **out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		cli_error("cannot read %s: %s; give the GeoJSON file of the zone", path, strerror(errno));
		return CLI_USAGE;
	}
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len - 1, fp)) > 0 && len < GEOJSON_BYTES_MAX)
		if ((len += got) == cap - 1)
			data = xrealloc(data, cap *= 2);
	fclose(fp);
	data[len] = '\0';
	char err[200] = "";
	json_object *doc = json_tokener_parse(data), *g = NULL;
	const char *type = fmt_str(doc, "type");
	struct one o = { 0 };
	if (type && strcmp(type, "FeatureCollection") == 0) {
		if (geojson_features(data, len, take_feature, &o, err, sizeof err) >= 0 && o.n != 1)
			snprintf(err, sizeof err, "the collection has %zu features; give one zone's", o.n);
		else if (!o.area && !err[0])
			snprintf(err, sizeof err, "%s", o.why);
		*out = o.area;
	} else {
		g = type && strcmp(type, "Feature") == 0 ? fmt_member(doc, "geometry") : doc;
		*out = g ? geojson_area(g, err, sizeof err) : NULL;
		if (!g)
			snprintf(err, sizeof err, "not GeoJSON");
	}
	json_object_put(doc);
	free(data);
	if (!*out || err[0]) {
		json_object_put(*out);
		*out = NULL;
		return cmd_usage_error(args, "%s: %s; give a Polygon or MultiPolygon in GeoJSON "
				       "(longitude first)", path, err[0] ? err : "not an area");
	}
	return CLI_OK;
}

static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc = coll_take_text(args, "name", "name", body);
	const char *desc = cmd_opt(args, "description"), *area = cmd_opt(args, "area");
	if (rc != CLI_OK)
		return rc;
	if (desc) {
		if (strlen(desc) > CATALOG_MESSAGE_MAX || !catalog_utf8_valid(desc, strlen(desc)))
			return cmd_usage_error(args, "--description must be text of at most %d bytes",
					       CATALOG_MESSAGE_MAX);
		json_object_object_add(body, "description", json_object_new_string(desc));
	}
	if (area) {
		json_object *g;
		if ((rc = read_area(args, area, &g)) != CLI_OK)
			return rc;
		json_object_object_add(body, "geometry", g);
	}
	return CLI_OK;
}

static int zone_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "area", NULL };
	return coll_add_cmd(ctx, args, &coll_zones, needed, take_options);
}

static int zone_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_zones, take_options);
}

static int zone_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_zones, NULL);
}

static int zone_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_zones);
}

static int zone_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_zones);
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what riders call the area, e.g. '石桥北片'" },
	{ "description", "TEXT", "what riders are told about it" },
	{ "area", "FILE", "the area: a GeoJSON Polygon or MultiPolygon (or a Feature of one)" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "description", "TEXT", "a new description; '' for none" },
	{ "area", "FILE", "a new area from a GeoJSON file" },
	{ 0 },
};

static const struct cmd_entry zone_entries[] = {
	{
		.group = "zone",
		.name = "add",
		.usage = "CODE --area FILE [--name NAME] [--description TEXT]",
		.help = "add an area an on-demand line serves door to door",
		.detail = "FILE holds GeoJSON: a Polygon or MultiPolygon geometry, a Feature with\n"
			  "one, or a FeatureCollection of one Feature, positions as [longitude,\n"
			  "latitude]. A route of an on-demand line goes through the zone as\n"
			  "zone:CODE. Codes are shared with stops and location groups.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = zone_add,
	},
	{
		.group = "zone",
		.name = "list",
		.usage = "",
		.help = "list the zones and the size of their areas",
		.exec = zone_list,
	},
	{
		.group = "zone",
		.name = "show",
		.usage = "CODE",
		.help = "show one zone and the bounds of its area",
		.min_args = 1,
		.max_args = 1,
		.exec = zone_show,
	},
	{
		.group = "zone",
		.name = "edit",
		.usage = "CODE [--name NAME] [--description TEXT] [--area FILE]",
		.help = "rename a zone, describe it or redraw its area",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = zone_edit,
	},
	{
		.group = "zone",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a zone no route goes through",
		.min_args = 1,
		.max_args = 1,
		.exec = zone_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_zone_group = {
	.name = "zone",
	.help = "areas served door to door by on-demand lines (GeoJSON)",
	.entries = zone_entries,
};
