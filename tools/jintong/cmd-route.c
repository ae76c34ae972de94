/*
 * cmd-route.c — `jintong route ...`: the way each line runs, as versions
 * that take effect on a date: its stops in order and, when one is drawn,
 * the path vehicles follow between them. The first version is drawn, later
 * ones redrawn; none is ever changed, so trips keep the version they ran on.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"
#include "route.h"
#include "shape.h"
#include "table.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STOPS_EXAMPLE "--stops S101,S102,S103"

/* "/v1/admin/lines/L12/routes", escaped. The caller frees it. */
static char *routes_path(const struct cmd_ctx *ctx, const char *line)
{
	char *esc = client_escape(ctx->client, line);
	char *path = xasprintf("/v1/admin/lines/%s/routes", esc);
	free(esc);
	return path;
}

/* The line's versions, oldest first, into *list (inside *reply, which the caller puts). */
static int fetch_routes(const struct cmd_ctx *ctx, const char *line, json_object **reply,
			json_object **list)
{
	char *path = routes_path(ctx, line);
	struct client_hints hints = { .not_found = "see the lines with `jintong line list`" };
	int rc = client_get(ctx->client, path, &hints, reply);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (!(*list = cmd_reply_list(*reply, "routes"))) {
		json_object_put(*reply);
		*reply = NULL;
		return CLI_FAIL;
	}
	return CLI_OK;
}

static long version_of(json_object *v)
{
	json_object *n = fmt_member(v, "version");
	return n && json_object_is_type(n, json_type_int) ? (long)json_object_get_int64(n) : 0;
}

/* Text member key of v, or "-" when the daemon left it out. */
static const char *text_of(json_object *v, const char *key)
{
	const char *s = fmt_str(v, key);
	return s ? s : "-";
}

/* The version in effect today, 0 for none. */
static long in_effect_of(json_object *reply)
{
	json_object *n = fmt_member(reply, "in_effect");
	return n && json_object_is_type(n, json_type_int) ? (long)json_object_get_int64(n) : 0;
}

static size_t count_of(json_object *v, const char *key)
{
	json_object *a = fmt_member(v, key);
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* "3 points", or "straight" for a version without a shape. */
static const char *shape_text(char *buf, size_t size, json_object *v)
{
	size_t n = count_of(v, "shape");
	if (n == 0)
		return "straight";
	snprintf(buf, size, "%zu points", n);
	return buf;
}

/* --stops A,B,C as member stops. */
static int take_stops(const struct cmd_args *args, json_object *body)
{
	const char *s = cmd_opt(args, "stops");
	struct check_codes l;
	enum check_list r = check_place_list(s, ROUTE_STOPS_MAX, &l);
	char *shown = table_clean(l.bad);
	int rc = CLI_USAGE;
	if (r == CHECK_LIST_EMPTY && l.bad_index == 0 && !*l.bad && !strchr(s, ','))
		cmd_usage_error(args, "--stops is empty; give the stop codes in order, separated by "
			       "commas, e.g. " STOPS_EXAMPLE);
	else if (r == CHECK_LIST_EMPTY)
		cmd_usage_error(args, "place %zu in --stops is empty; separate the stop codes with "
			       "single commas, e.g. " STOPS_EXAMPLE,
			       l.bad_index + 1);
	else if (r == CHECK_LIST_CODE)
		cmd_usage_error(args, "\"%s\" (place %zu in --stops) is not a stop code (nor group:CODE, zone:CODE); give the "
			       "codes `jintong stop list` shows, separated by commas",
			       shown, l.bad_index + 1);
	else if (r == CHECK_LIST_TOO_MANY)
		cmd_usage_error(args, "--stops has more than %d stops; a route has at most %d",
				ROUTE_STOPS_MAX, ROUTE_STOPS_MAX);
	else if (l.n < 2)
		cmd_usage_error(args, "--stops has one stop; a route needs at least two, the first "
			       "and the last, in order: e.g. " STOPS_EXAMPLE);
	else
		rc = CLI_OK;
	for (size_t i = 1; rc == CLI_OK && i < l.n; i++) {
		if (strcmp(l.codes[i], l.codes[i - 1]) == 0)
			rc = cmd_usage_error(args, "stop %s comes twice in a row in --stops (places %zu "
					     "and %zu); list it once",
					     l.codes[i], i, i + 1);
	}
	if (rc == CLI_OK) {
		json_object *a = json_object_new_array_ext((int)l.n);
		for (size_t i = 0; i < l.n; i++)
			json_object_array_add(a, json_object_new_string(l.codes[i]));
		json_object_object_add(body, "stops", a);
	}
	free(shown);
	check_list_free(&l);
	return rc;
}

/* --shape FILE as member shape. */
static int take_shape(const struct cmd_args *args, json_object *body)
{
	const char *path = cmd_opt(args, "shape");
	if (!path)
		return CLI_OK;
	struct shape s;
	char err[512];
	if (shape_read(path, &s, err, sizeof err) != 0) {
		cli_error("%s", err);
		return CLI_USAGE;
	}
	json_object_object_add(body, "shape", shape_json(&s));
	shape_free(&s);
	return CLI_OK;
}

/* "A, B, C" into a string the caller frees. */
static char *stop_list(json_object *v)
{
	json_object *a = fmt_member(v, "stops");
	size_t n = count_of(v, "stops");
	char *s = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		const char *code = json_object_get_string(json_object_array_get_idx(a, i));
		char *t = xasprintf("%s%s%s", s, i ? ", " : "", code ? code : "?");
		free(s);
		s = t;
	}
	return s;
}

/* What changed from the version before: one line each, for people. */
static void print_diff(json_object *reply, json_object *prev)
{
	json_object *diff = fmt_member(reply, "diff");
	json_object *added = fmt_member(diff, "added"), *removed = fmt_member(diff, "removed");
	json_object *reordered = fmt_member(diff, "reordered");
	size_t na = count_of(diff, "added"), nr = count_of(diff, "removed");
	bool moved = reordered && json_object_get_boolean(reordered);
	printf("Changes from version %ld:\n", version_of(prev));
	for (size_t i = 0; i < na; i++) {
		char *code = table_clean(json_object_get_string(json_object_array_get_idx(added, i)));
		printf("  + %s (added)\n", code);
		free(code);
	}
	for (size_t i = 0; i < nr; i++) {
		char *code = table_clean(json_object_get_string(json_object_array_get_idx(removed, i)));
		printf("  - %s (removed)\n", code);
		free(code);
	}
	if (moved)
		printf("  order changed\n");
	if (na == 0 && nr == 0 && !moved)
		printf("  no change in stops\n");
	/* compared here: the daemon's flag says only whether the version before had a shape */
	if (shape_differs(fmt_member(prev, "shape"), fmt_member(reply, "shape")))
		printf("  shape changed\n");
}

static int draw(const struct cmd_ctx *ctx, const struct cmd_args *args, bool redraw)
{
	static const char *const needed[] = { "stops", NULL };
	const char *line = args->argv[0];
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_lines, line)) != CLI_OK ||
	    (rc = coll_require(args, needed)) != CLI_OK || (rc = take_stops(args, body)) != CLI_OK ||
	    (rc = coll_take_date(args, "from", "from", body, NULL)) != CLI_OK ||
	    (rc = take_shape(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	json_object *have, *list;
	if ((rc = fetch_routes(ctx, line, &have, &list)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	size_t n = json_object_array_length(list);
	json_object *prev = n ? json_object_get(json_object_array_get_idx(list, n - 1)) : NULL;
	json_object_put(have);
	if (!redraw && prev) {
		cli_error("line %s already has a route (%zu version%s, the latest from %s); draw a new "
			  "version with `jintong route redraw %s --stops ...`",
			  line, n, n == 1 ? "" : "s", text_of(prev, "from"), line);
		rc = CLI_USAGE;
	} else if (redraw && !prev) {
		cli_error("line %s has no route yet, nothing to redraw; draw its first with "
			  "`jintong route draw %s --stops ...`",
			  line, line);
		rc = CLI_USAGE;
	}
	if (rc != CLI_OK) {
		json_object_put(prev);
		json_object_put(body);
		return rc;
	}

	char *path = routes_path(ctx, line);
	/* drawn by someone else meanwhile: the daemon says to look again */
	struct client_hints hints = { .not_found = "see the lines with `jintong line list`",
				      .conflict = "" };
	json_object *reply;
	rc = client_post(ctx->client, path, body, &hints, &reply);
	free(path);
	json_object_put(body);
	if (rc != CLI_OK) {
		json_object_put(prev);
		return rc;
	}
	if (ctx->json) {
		cmd_print_json(reply);
	} else {
		char buf[32];
		char *stops = stop_list(reply);
		size_t count = count_of(reply, "stops");
		char *field = xasprintf("%s (%zu stop%s)", stops, count, count == 1 ? "" : "s");
		printf("%s the route of line %s: version %ld, in effect from %s.\n",
		       prev ? "Redrew" : "Drew", line, version_of(reply), text_of(reply, "from"));
		coll_field("stops", field);
		coll_field("shape", shape_text(buf, sizeof buf, reply));
		if (prev)
			print_diff(reply, prev);
		free(field);
		free(stops);
	}
	json_object_put(reply);
	json_object_put(prev);
	return CLI_OK;
}

static int route_draw(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return draw(ctx, args, false);
}

static int route_redraw(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return draw(ctx, args, true);
}

static int route_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = args->argv[0];
	int rc = coll_check_code(args, &coll_lines, line);
	if (rc != CLI_OK)
		return rc;
	json_object *reply, *list;
	if ((rc = fetch_routes(ctx, line, &reply, &list)) != CLI_OK)
		return rc;
	size_t n = json_object_array_length(list);
	long in_effect = in_effect_of(reply);
	if (ctx->json) {
		cmd_print_json(reply);
	} else if (n == 0) {
		printf("Line %s has no route yet; draw one with `jintong route draw %s " STOPS_EXAMPLE
		       "`.\n",
		       line, line);
	} else {
		static const char *const headers[] = { "", "VERSION", "FROM", "STOPS", "SHAPE",
						       "CREATED", "BY" };
		static const enum table_align align[] = { TABLE_LEFT, TABLE_RIGHT, TABLE_LEFT,
							  TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT,
							  TABLE_LEFT };
		struct table *t = table_new(7, headers, align);
		for (size_t i = 0; i < n; i++) {
			json_object *v = json_object_array_get_idx(list, i);
			char num[24], stops[24], shape[32], created[32];
			snprintf(num, sizeof num, "%ld", version_of(v));
			snprintf(stops, sizeof stops, "%zu", count_of(v, "stops"));
			const char *cells[] = {
				version_of(v) == in_effect ? "*" : "",
				num,
				fmt_str(v, "from"),
				stops,
				shape_text(shape, sizeof shape, v),
				fmt_time_member(created, sizeof created, v, "created_at"),
				fmt_str(v, "created_by"),
			};
			table_add(t, cells);
		}
		table_print(t, stdout, 0);
		table_free(t);
		if (in_effect)
			printf("* in effect today\n");
		else
			printf("No version is in effect yet.\n");
	}
	json_object_put(reply);
	return CLI_OK;
}

/* "in effect", "not in effect yet" or "no longer in effect", for version v. */
static const char *status_of(json_object *list, json_object *v, long in_effect)
{
	if (version_of(v) == in_effect)
		return "in effect";
	json_object *ie = NULL;
	for (size_t i = 0; i < json_object_array_length(list); i++)
		if (version_of(json_object_array_get_idx(list, i)) == in_effect)
			ie = json_object_array_get_idx(list, i);
	const char *from = fmt_str(v, "from"), *ie_from = fmt_str(ie, "from");
	if (!ie || !from || !ie_from || strcmp(from, ie_from) > 0)
		return "not in effect yet";
	return "no longer in effect";
}

/* The stop names by code, from /v1/admin/stops, into *names (the caller puts it). */
static int fetch_stop_names(const struct cmd_ctx *ctx, json_object **names)
{
	json_object *reply, *list;
	int rc = client_get(ctx->client, "/v1/admin/stops", NULL, &reply);
	if (rc != CLI_OK)
		return rc;
	if (!(list = cmd_reply_list(reply, "stops"))) {
		json_object_put(reply);
		return CLI_FAIL;
	}
	*names = json_object_new_object();
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *s = json_object_array_get_idx(list, i);
		const char *code = fmt_str(s, "code"), *name = fmt_str(s, "name");
		if (code && name)
			json_object_object_add(*names, code, json_object_new_string(name));
	}
	json_object_put(reply);
	return CLI_OK;
}

static int print_version(const struct cmd_ctx *ctx, json_object *list, json_object *v,
			 long in_effect)
{
	json_object *names;
	int rc = fetch_stop_names(ctx, &names);
	if (rc != CLI_OK)
		return rc;
	char buf[96], when[32];
	coll_field("line", fmt_str(v, "line"));
	snprintf(buf, sizeof buf, "%ld (%s)", version_of(v), status_of(list, v, in_effect));
	coll_field("version", buf);
	coll_field("from", fmt_str(v, "from"));
	coll_field("shape", count_of(v, "shape") ? shape_text(buf, sizeof buf, v)
						  : "none: straight lines between the stops");
	const char *at = fmt_time_member(when, sizeof when, v, "created_at");
	const char *by = fmt_str(v, "created_by");
	snprintf(buf, sizeof buf, "%s by %s", at ? at : "-", by ? by : "-");
	coll_field("created", buf);
	snprintf(buf, sizeof buf, "%zu", count_of(v, "stops"));
	coll_field("stops", buf);
	static const char *const headers[] = { "#", "CODE", "NAME" };
	static const enum table_align align[] = { TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT };
	struct table *t = table_new(3, headers, align);
	json_object *stops = fmt_member(v, "stops");
	for (size_t i = 0; i < count_of(v, "stops"); i++) {
		const char *code = json_object_get_string(json_object_array_get_idx(stops, i));
		char num[24];
		snprintf(num, sizeof num, "%zu", i + 1);
		const char *cells[] = { num, code, fmt_str(names, code ? code : "") };
		table_add(t, cells);
	}
	table_print(t, stdout, 2);
	table_free(t);
	json_object_put(names);
	return CLI_OK;
}

static int route_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = args->argv[0];
	long want = 0;
	int rc = coll_check_code(args, &coll_lines, line);
	if (rc != CLI_OK)
		return rc;
	if (args->argc > 1 && !check_whole(args->argv[1], 1, 1000000000, &want)) {
		char *shown = table_clean(args->argv[1]);
		rc = cmd_usage_error(args, "VERSION must be a whole number from 1, not \"%s\"; see "
				     "the versions with `jintong route list %s`",
				     shown, line);
		free(shown);
		return rc;
	}
	json_object *reply, *list;
	if ((rc = fetch_routes(ctx, line, &reply, &list)) != CLI_OK)
		return rc;
	long in_effect = in_effect_of(reply);
	size_t n = json_object_array_length(list);
	json_object *v = NULL;
	for (size_t i = 0; i < n; i++)
		if (version_of(json_object_array_get_idx(list, i)) == (want ? want : in_effect))
			v = json_object_array_get_idx(list, i);
	if (!v) {
		if (want)
			cli_error("line %s has no route version %ld; see its versions with `jintong route "
				  "list %s`",
				  line, want, line);
		else if (n == 0)
			cli_error("line %s has no route yet; draw one with `jintong route draw %s "
				  STOPS_EXAMPLE "`",
				  line, line);
		else
			cli_error("no route of line %s is in effect yet (version %ld takes effect on %s); "
				  "show it with `jintong route show %s %ld`",
				  line, version_of(json_object_array_get_idx(list, n - 1)),
				  text_of(json_object_array_get_idx(list, n - 1), "from"), line,
				  version_of(json_object_array_get_idx(list, n - 1)));
		json_object_put(reply);
		return CLI_NOT_FOUND;
	}
	if (ctx->json)
		cmd_print_json(v);
	else
		rc = print_version(ctx, list, v, in_effect);
	json_object_put(reply);
	return rc;
}

#define DRAW_DETAIL \
	"--stops lists the stops in the order vehicles serve them, by code, separated\n" \
	"by commas; a loop may come back to a stop, but not twice in a row. --from is\n" \
	"the date it takes effect (today at the earliest, in the county's time zone);\n" \
	"until then the version before stays in effect. Without --shape the map shows\n" \
	"straight lines between the stops. A shape FILE is either text, one point a\n" \
	"line as LAT,LON (blank lines and '#' comments ignored), or GeoJSON: a\n" \
	"LineString or a Feature with one, [longitude, latitude] as GeoJSON has it;\n" \
	"2 to 20000 points."

static const struct cmd_option draw_options[] = {
	{ "stops", "A,B,C,...", "the stop codes in order, e.g. S101,S102,S103 (2 to 500)" },
	{ "shape", "FILE", "the path between the stops: LAT,LON lines or GeoJSON" },
	{ "from", "DATE", "when it takes effect, YYYY-MM-DD (default: today)" },
	{ 0 },
};

static const struct cmd_entry route_entries[] = {
	{
		.group = "route",
		.name = "draw",
		.usage = "LINE --stops A,B,C,... [--shape FILE] [--from DATE]",
		.help = "draw a line's first route: its stops in order, and its shape",
		.detail = "Prints version 1. A line that has a route already is redrawn instead\n"
			  "(`jintong route redraw`).\n\n" DRAW_DETAIL,
		.options = draw_options,
		.min_args = 1,
		.max_args = 1,
		.exec = route_draw,
	},
	{
		.group = "route",
		.name = "redraw",
		.usage = "LINE --stops A,B,C,... [--shape FILE] [--from DATE]",
		.help = "draw a new version of a line's route, in effect from a date",
		.detail = "Prints the new version and what changed from the one before: stops\n"
			  "added (+) and removed (-), whether their order or the shape changed.\n"
			  "Versions are never changed afterwards: trips keep the one they ran on.\n\n"
			  DRAW_DETAIL,
		.options = draw_options,
		.min_args = 1,
		.max_args = 1,
		.exec = route_redraw,
	},
	{
		.group = "route",
		.name = "list",
		.usage = "LINE",
		.help = "list the versions of a line's route, marking the one in effect",
		.min_args = 1,
		.max_args = 1,
		.exec = route_list,
	},
	{
		.group = "route",
		.name = "show",
		.usage = "LINE [VERSION]",
		.help = "show a version of a line's route: its stops in order, with names",
		.detail = "Without VERSION, the version in effect today.",
		.min_args = 1,
		.max_args = 2,
		.exec = route_show,
	},
	{ 0 },
};

const struct cmd_group cmd_route_group = {
	.name = "route",
	.help = "lines' routes: stops in order and shapes, as dated versions",
	.entries = route_entries,
};
