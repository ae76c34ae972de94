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
		trip_short_time(dep, size, trip_stop_first(json_object_array_get_idx(st, 0)));
		trip_short_time(arr, size, trip_stop_last(json_object_array_get_idx(st, n - 1)));
	}
}

static const char *first_departure(json_object *trip)
{
	json_object *st = trip_stops(trip);
	const char *s = st && json_object_array_length(st)
				? trip_stop_first(json_object_array_get_idx(st, 0))
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

/* "window, pickup by phone (BR1), no drop-off": how riders are served at a stop time. */
static const char *on_request(json_object *s, char *buf, size_t size)
{
	static const char *const how[2][4] = {
		{ "", "no pickup", "pickup by phone", "pickup by the driver" },
		{ "", "no drop-off", "drop-off by phone", "drop-off by the driver" },
	};
	bool window = fmt_member(s, "window") != NULL;
	json_object *p = fmt_member(s, "pickup_type"), *d = fmt_member(s, "drop_off_type");
	int pick = p ? json_object_get_int(p) : window ? 2 : 0;
	int drop = d ? json_object_get_int(d) : window ? 2 : 0;
	size_t n = (size_t)snprintf(buf, size, "%s", window ? "window" : "");
	const char *rules[2] = { fmt_str(s, "pickup_rule"), fmt_str(s, "drop_off_rule") };
	int types[2] = { pick, drop };
	for (int k = 0; k < 2 && n < size; k++) {
		if (types[k] < 1 || types[k] > 3)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s", n ? ", " : "");
		if (n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s", how[k][types[k]]);
		if (rules[k] && n < size)
			n += (size_t)snprintf(buf + n, size - n, " (%s)", rules[k]);
	}
	return n ? buf : "-";
}

/* Seconds of the service day of "HH:MM:SS" (or "HH:MM"); -1 if not a time. */
static long day_seconds(const char *s)
{
	int h, m, sec = 0;
	if (!s || sscanf(s, "%d:%d:%d", &h, &m, &sec) < 2)
		return -1;
	return h * 3600L + m * 60L + sec;
}

/*
 * A time the daemon sent, on the trip's own clock: the timetable's time plus
 * how far it is from the planned time, so it reads against the timetable
 * whatever the operator's time zone ("24:05:10" after midnight, as there).
 */
static const char *run_clock(char *buf, size_t size, json_object *stop, const char *key, const char *planned_key,
			     long planned_s)
{
	jt_ms t, p;
	const char *s = fmt_str(stop, key), *ps = fmt_str(stop, planned_key);
	if (!s || !ps || planned_s < 0 || !fmt_parse_time(s, &t) || !fmt_parse_time(ps, &p))
		return NULL;
	long c = planned_s + (long)((t - p + (t >= p ? 500 : -500)) / 1000);
	if (c < 0)
		c = 0;
	snprintf(buf, size, "%02ld:%02ld:%02ld", c / 3600, c / 60 % 60, c % 60);
	return buf;
}

/* The trip's runs of today and yesterday: each stop's planned time against what happened and what is expected. */
static void print_runs(const struct cmd_ctx *ctx, json_object *trip, const char *code)
{
	char *esc = client_escape(ctx->client, code);
	char *path = xasprintf("/v1/trips/%s/run", esc);
	free(esc);
	json_object *reply = NULL;
	int rc = client_get(ctx->client, path, NULL, &reply);
	free(path);
	json_object *runs = rc == CLI_OK ? fmt_member(reply, "runs") : NULL;
	size_t nr = runs && json_object_is_type(runs, json_type_array) ? json_object_array_length(runs) : 0;
	if (rc == CLI_OK && nr == 0)
		printf("\nNot run today or yesterday.\n");
	json_object *planned = trip_stops(trip);
	for (size_t i = 0; i < nr; i++) {
		json_object *r = json_object_array_get_idx(runs, i);
		char head[256], num[32];
		double v;
		int n = snprintf(head, sizeof head, "run on %s by %s: %s", fmt_str(r, "service_day") ? fmt_str(r, "service_day") : "?",
				 fmt_str(r, "vehicle") ? fmt_str(r, "vehicle") : "?",
				 fmt_str(r, "state") ? fmt_str(r, "state") : "?");
		for (char *p = head; *p; p++)
			if (*p == '_')
				*p = ' ';
		if (fmt_num(r, "delay_s", &v)) {
			long d = (long)v, a = labs(d);
			if (a < 30)
				n += snprintf(head + n, sizeof head - (size_t)n, ", on time");
			else if (a < 60)
				n += snprintf(head + n, sizeof head - (size_t)n, ", %ld s %s", a, d > 0 ? "late" : "early");
			else
				n += snprintf(head + n, sizeof head - (size_t)n, ", %ld min %ld s %s", a / 60, a % 60,
					      d > 0 ? "late" : "early");
		}
		if (fmt_num(r, "km", &v))
			n += snprintf(head + n, sizeof head - (size_t)n, ", %.1f km", v);
		if (fmt_int_text(num, sizeof num, r, "onboard"))
			snprintf(head + n, sizeof head - (size_t)n, ", %s on board", num);
		char *clean = table_clean(head);
		printf("\n%s\n", clean);
		free(clean);
		static const char *const headers[] = { "#", "STOP", "PLANNED", "ACTUAL", "EXPECTED" };
		static const enum table_align align[] = { TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT, TABLE_LEFT, TABLE_LEFT };
		struct table *t = table_new(5, headers, align);
		json_object *st = fmt_member(r, "stops");
		size_t ns = st && json_object_is_type(st, json_type_array) ? json_object_array_length(st) : 0;
		for (size_t k = 0; k < ns; k++) {
			json_object *s = json_object_array_get_idx(st, k);
			json_object *p = planned && k < json_object_array_length(planned)
						 ? json_object_array_get_idx(planned, k)
						 : NULL;
			bool first = k == 0;
			const char *pkey = first ? "departure" : "arrival";
			long ps = day_seconds(fmt_str(p, pkey));
			char seq[24], pl[16], act[32], exp[24];
			snprintf(seq, sizeof seq, "%zu", k + 1);
			const char *actual = NULL;
			json_object *sk = fmt_member(s, "skipped");
			if (sk && json_object_get_boolean(sk)) {
				actual = "skipped";
			} else if ((actual = run_clock(act, sizeof act, s, first ? "departure" : "arrival",
							 first ? "planned_departure" : "planned_arrival", ps))) {
			} else if ((actual = run_clock(act, sizeof act, s, "passed", "planned_arrival",
							 day_seconds(fmt_str(p, "arrival"))))) {
				snprintf(act + strlen(act), sizeof act - strlen(act), " passed");
			}
			json_object *est = fmt_member(s, "estimated");
			if (actual && actual == act && est && json_object_get_boolean(est))
				snprintf(act + strlen(act), sizeof act - strlen(act), " ~");
			const char *cells[] = { seq, fmt_str(s, "stop"), trip_short_time(pl, sizeof pl, fmt_str(p, pkey)),
						actual,
						run_clock(exp, sizeof exp, s, first ? "eta_departure" : "eta_arrival",
							  first ? "planned_departure" : "planned_arrival", ps) };
			table_add(t, cells);
		}
		table_print(t, stdout, 2);
		table_free(t);
	}
	json_object_put(reply);
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
	if (fmt_str(trip, "gtfs_id") && *fmt_str(trip, "gtfs_id")) {
		char *g = table_clean(fmt_str(trip, "gtfs_id"));
		printf("gtfs id:   %s\n", g); /* the trip_id of the feed it came from */
		free(g);
	}
	static const char *const headers[] = { "#", "STOP", "NAME", "ARRIVES", "DEPARTS", "ON REQUEST" };
	static const enum table_align align[] = { TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT, TABLE_LEFT,
						  TABLE_LEFT, TABLE_LEFT };
	struct table *t = table_new(6, headers, align);
	json_object *st = trip_stops(trip);
	for (size_t i = 0; st && i < json_object_array_length(st); i++) {
		json_object *s = json_object_array_get_idx(st, i);
		char seq[24], a[16], d[16], req[200];
		snprintf(seq, sizeof seq, "%zu", i + 1);
		const char *stop = fmt_str(s, "stop");
		const char *cells[] = { seq, stop, fmt_str(trip_find_code(stops, stop), "name"),
					trip_short_time(a, sizeof a, trip_stop_first(s)),
					trip_short_time(d, sizeof d, trip_stop_last(s)),
					on_request(s, req, sizeof req) };
		table_add(t, cells);
	}
	printf("\n");
	table_print(t, stdout, 0);
	table_free(t);
	print_runs(ctx, trip, code);
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

/* The trip's current stop times as "times" for an edit, the place kept to be checked. */
static json_object *current_times(json_object *trip)
{
	json_object *out = json_object_new_array(), *st = trip_stops(trip);
	for (size_t i = 0; st && i < json_object_array_length(st); i++) {
		json_object *copy = NULL;
		if (json_object_deep_copy(json_object_array_get_idx(st, i), &copy, NULL) != 0)
			copy = json_object_new_object();
		json_object_array_add(out, copy);
	}
	return out;
}

static int trip_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	const char *calendar = cmd_opt(args, "calendar"), *block = cmd_opt(args, "block");
	const char *version = cmd_opt(args, "version"), *times = cmd_opt(args, "times");
	const char *rule = cmd_opt(args, "booking-rule");
	int rc = check_trip_code(args, code);
	if (rc != CLI_OK)
		return rc;
	long v = 0;
	if (version && !check_whole(version, 1, 100000, &v))
		return cmd_usage_error(args, "--version must be a route version number (see `jintong "
				       "route list LINE`)");
	if (calendar && !check_code(calendar))
		return cmd_usage_error(args, "--calendar must be a calendar code");
	if (block && *block && !check_code(block))
		return cmd_usage_error(args, "--block must be a block code, or '' for none");
	if (rule && !check_code(rule))
		return cmd_usage_error(args, "--booking-rule must be a booking rule code");
	if (!calendar && !block && !version && !times && !rule)
		return cmd_usage_error(args, "nothing to change for trip %s; give at least one of "
				       "--calendar, --block, --version, --times, --booking-rule",
				       code);
	json_object *body = json_object_new_object(), *list = NULL;
	char err[200];
	char *path = trip_path(ctx, code);
	if (times && !(list = trip_parse_times(times, err, sizeof err))) {
		json_object_put(body);
		free(path);
		return cmd_usage_error(args, "%s", err);
	}
	if (!list && rule) {
		json_object *cur;
		if ((rc = client_get(ctx->client, path, &trip_hints, &cur)) != CLI_OK) {
			json_object_put(body);
			free(path);
			return rc;
		}
		list = current_times(cur);
		json_object_put(cur);
	}
	for (size_t i = 0; rule && i < json_object_array_length(list); i++) {
		json_object *x = json_object_array_get_idx(list, i);
		if (!fmt_member(x, "window"))
			continue;
		json_object_object_add(x, "pickup_rule", json_object_new_string(rule));
		json_object_object_add(x, "drop_off_rule", json_object_new_string(rule));
	}
	if (calendar)
		json_object_object_add(body, "calendar", json_object_new_string(calendar));
	if (block)
		json_object_object_add(body, "block", *block ? json_object_new_string(block) : NULL);
	if (version)
		json_object_object_add(body, "version", json_object_new_int64(v));
	if (list)
		json_object_object_add(body, "times", list);
	json_object *reply;
	rc = client_patch(ctx->client, path, body, &trip_hints, &reply);
	json_object_put(body);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(reply);
	} else {
		char dep[16], arr[16];
		trip_ends(reply, dep, arr, sizeof dep);
		printf("Changed trip %s: line %s, calendar %s, block %s, %s to %s.\n", code,
		       fmt_str(reply, "line") ? fmt_str(reply, "line") : "-",
		       fmt_str(reply, "calendar") ? fmt_str(reply, "calendar") : "-",
		       fmt_str(reply, "block") ? fmt_str(reply, "block") : "-", dep, arr);
	}
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option edit_options[] = {
	{ "calendar", "CALENDAR", "run on this calendar's dates" },
	{ "block", "BLOCK", "run in this vehicle block; '' for none" },
	{ "version", "N", "run this route version of the line (give --times when its stops differ)" },
	{ "times", "LIST", "one per stop: HH:MM, HH:MM/HH:MM (arrival/departure) or HH:MM-HH:MM (a "
			   "window, on request)" },
	{ "booking-rule", "RULE", "the booking rule of every window's pickups and drop-offs" },
	{ 0 },
};

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
		.help = "show one trip: its stops, their names and times, and how it ran today",
		.min_args = 1,
		.max_args = 1,
		.exec = trip_show,
	},
	{
		.group = "trip",
		.name = "edit",
		.usage = "CODE [--calendar CALENDAR] [--block BLOCK] [--version N] [--times LIST] "
			 "[--booking-rule RULE]",
		.help = "change a trip's calendar, block, route version or stop times",
		.detail = "The daemon checks the trip as when it was added: times that run forward,\n"
			  "and no other trip of its block overlapping it on a day both run. An\n"
			  "on-demand trip serves location groups and zones within windows:\n"
			  "--times 08:00-17:00,08:00-17:00 --booking-rule BR1.",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = trip_edit,
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

