/*
 * cmd-trip.c — `jintong trip ...`: the trips a line runs, each on one route
 * version and the dates of one calendar, listed, shown with their stops and
 * removed; and what the timetable commands (cmd-timetable.c) share about
 * trips as the daemon sends them.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "trip.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct client_hints trip_hints = {
	.not_found = "see the trips with `jintong trip list`",
};

int trip_check_line(const struct cmd_args *args, const char *line)
{
	if (check_code(line))
		return CLI_OK;
	char *shown = table_clean(line);
	cmd_usage_error(args, "\"%s\" is not a line code; give one `jintong line list` shows (L12)",
			shown);
	free(shown);
	return CLI_USAGE;
}

json_object *trip_fetch_list(const struct cmd_ctx *ctx, const char *path, const char *key,
			     json_object **reply, int *rc)
{
	*rc = client_get(ctx->client, path, NULL, reply);
	if (*rc != CLI_OK)
		return NULL;
	json_object *list = cmd_reply_list(*reply, key);
	if (!list) {
		json_object_put(*reply);
		*reply = NULL;
		*rc = CLI_FAIL;
	}
	return list;
}

json_object *trip_find_code(json_object *list, const char *code)
{
	size_t n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; code && i < n; i++) {
		json_object *r = json_object_array_get_idx(list, i);
		const char *c = fmt_str(r, "code");
		if (c && strcmp(c, code) == 0)
			return r;
	}
	return NULL;
}

json_object *trip_stops(json_object *trip)
{
	json_object *a = fmt_member(trip, "stops");
	return json_object_is_type(a, json_type_array) ? a : NULL;
}

/* Departure from the first stop and arrival at the last, as HH:MM. */
void trip_ends(json_object *trip, char *dep, char *arr, size_t size)
{
	json_object *st = trip_stops(trip);
	size_t n = st ? json_object_array_length(st) : 0;
	snprintf(dep, size, "-");
	snprintf(arr, size, "-");
	if (n) {
		trip_short_time(dep, size, fmt_str(json_object_array_get_idx(st, 0), "departure"));
		trip_short_time(arr, size, fmt_str(json_object_array_get_idx(st, n - 1), "arrival"));
	}
}

static const char *first_departure(json_object *trip)
{
	json_object *st = trip_stops(trip);
	const char *s = st && json_object_array_length(st)
				? fmt_str(json_object_array_get_idx(st, 0), "departure")
				: NULL;
	return s ? s : "";
}

int trip_by_departure(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
	int c = strcmp(first_departure(x), first_departure(y));
	if (c)
		return c;
	const char *cx = fmt_str(x, "code"), *cy = fmt_str(y, "code");
	return strcmp(cx ? cx : "", cy ? cy : "");
}

/* TRIP DEPARTS ARRIVES STOPS for trips made. */
void trip_print_made(json_object **trips, size_t n)
{
	static const char *const headers[] = { "TRIP", "DEPARTS", "ARRIVES", "STOPS" };
	static const enum table_align align[] = { TABLE_LEFT, TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT };
	struct table *t = table_new(4, headers, align);
	for (size_t i = 0; i < n; i++) {
		char dep[16], arr[16], ns[16];
		json_object *st = trip_stops(trips[i]);
		trip_ends(trips[i], dep, arr, sizeof dep);
		snprintf(ns, sizeof ns, "%zu", st ? json_object_array_length(st) : 0);
		const char *cells[] = { fmt_str(trips[i], "code"), dep, arr, ns };
		table_add(t, cells);
	}
	table_print(t, stdout, 0);
	table_free(t);
}

/* The trips, of one line when line is not NULL (inside *reply). */
json_object *trip_fetch_trips(const struct cmd_ctx *ctx, const char *line, json_object **reply,
			      int *rc)
{
	char *path;
	if (line) {
		char *esc = client_escape(ctx->client, line);
		path = xasprintf("/v1/admin/trips?line=%s", esc);
		free(esc);
	} else {
		path = xstrdup("/v1/admin/trips");
	}
	json_object *list = trip_fetch_list(ctx, path, "trips", reply, rc);
	free(path);
	return list;
}

static int trip_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = cmd_opt(args, "line");
	int rc;
	if (line && (rc = trip_check_line(args, line)) != CLI_OK)
		return rc;
	json_object *reply;
	json_object *list = trip_fetch_trips(ctx, line, &reply, &rc);
	if (!list)
		return rc;
	size_t n = json_object_array_length(list);
	if (ctx->json) {
		cmd_print_json(reply);
	} else if (n == 0) {
		printf("No trips%s%s yet; add them with `jintong timetable add LINE ...`.\n",
		       line ? " on line " : "", line ? line : "");
	} else {
		static const char *const headers[] = { "TRIP",  "LINE",    "VERSION", "CALENDAR",
						       "BLOCK", "DEPARTS", "ARRIVES" };
		struct table *t = table_new(7, headers, NULL);
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(list, i);
			char ver[16], dep[16], arr[16];
			trip_ends(r, dep, arr, sizeof dep);
			const char *cells[] = { fmt_str(r, "code"), fmt_str(r, "line"),
						fmt_int_text(ver, sizeof ver, r, "version"),
						fmt_str(r, "calendar"), fmt_str(r, "block"), dep, arr };
			table_add(t, cells);
		}
		table_print(t, stdout, 0);
		table_free(t);
	}
	json_object_put(reply);
	return CLI_OK;
}

static int check_trip_code(const struct cmd_args *args, const char *code)
{
	if (check_code(code))
		return CLI_OK;
	char *shown = table_clean(code);
	cmd_usage_error(args, "\"%s\" is not a trip code; give one `jintong trip list` shows (L1-0630)",
			shown);
	free(shown);
	return CLI_USAGE;
}

static char *trip_path(const struct cmd_ctx *ctx, const char *code)
{
	char *esc = client_escape(ctx->client, code);
	char *path = xasprintf("/v1/admin/trips/%s", esc);
	free(esc);
	return path;
}

static int trip_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	int rc = check_trip_code(args, code);
	if (rc != CLI_OK)
		return rc;
	char *path = trip_path(ctx, code);
	json_object *trip, *stops_reply;
	rc = client_get(ctx->client, path, &trip_hints, &trip);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(trip);
		json_object_put(trip);
		return CLI_OK;
	}
	json_object *stops = trip_fetch_list(ctx, "/v1/admin/stops", "stops", &stops_reply, &rc);
	if (!stops) {
		json_object_put(trip);
		return rc;
	}
	char buf[32];
	char *c = table_clean(fmt_str(trip, "code"));
	printf("trip %s\n", c);
	free(c);
	printf("line:      %s\n", fmt_str(trip, "line") ? fmt_str(trip, "line") : "-");
	printf("version:   %s\n", fmt_int_text(buf, sizeof buf, trip, "version") ? buf : "-");
	printf("calendar:  %s\n", fmt_str(trip, "calendar") ? fmt_str(trip, "calendar") : "-");
	printf("block:     %s\n", fmt_str(trip, "block") ? fmt_str(trip, "block") : "-");
	static const char *const headers[] = { "#", "STOP", "NAME", "ARRIVES", "DEPARTS" };
	static const enum table_align align[] = { TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT, TABLE_LEFT,
						  TABLE_LEFT };
	struct table *t = table_new(5, headers, align);
	json_object *st = trip_stops(trip);
	for (size_t i = 0; st && i < json_object_array_length(st); i++) {
		json_object *s = json_object_array_get_idx(st, i);
		char seq[24], a[16], d[16];
		snprintf(seq, sizeof seq, "%zu", i + 1);
		const char *stop = fmt_str(s, "stop");
		const char *cells[] = { seq, stop, fmt_str(trip_find_code(stops, stop), "name"),
					trip_short_time(a, sizeof a, fmt_str(s, "arrival")),
					trip_short_time(d, sizeof d, fmt_str(s, "departure")) };
		table_add(t, cells);
	}
	printf("\n");
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(stops_reply);
	json_object_put(trip);
	return CLI_OK;
}

static int trip_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	int rc = check_trip_code(args, code);
	if (rc != CLI_OK)
		return rc;
	char *path = trip_path(ctx, code);
	json_object *reply;
	rc = client_delete(ctx->client, path, &trip_hints, &reply);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json)
		cmd_print_json(reply);
	else
		printf("Removed trip %s.\n", code);
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option list_options[] = {
	{ "line", "LINE", "only the trips of this line" },
	{ 0 },
};

static const struct cmd_entry trip_entries[] = {
	{
		.group = "trip",
		.name = "list",
		.usage = "[--line LINE]",
		.help = "list the trips, their calendars, departures and arrivals",
		.options = list_options,
		.exec = trip_list,
	},
	{
		.group = "trip",
		.name = "show",
		.usage = "CODE",
		.help = "show one trip: its stops, their names and times",
		.min_args = 1,
		.max_args = 1,
		.exec = trip_show,
	},
	{
		.group = "trip",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a trip",
		.min_args = 1,
		.max_args = 1,
		.exec = trip_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_trip_group = {
	.name = "trip",
	.help = "trips: one run of a line's route, on the dates of a calendar",
	.entries = trip_entries,
};

