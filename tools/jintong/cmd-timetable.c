/*
 * cmd-timetable.c — `jintong timetable ...`: a line's trips added as
 * departures at a regular interval, or from a sheet (CSV) of times typed as
 * they are printed, and shown as the grid posted at a bus stop.
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
#include <sys/ioctl.h>
#include <unistd.h>

static const struct client_hints line_hints = {
	.not_found = "see the lines with `jintong line list`",
};

/* --OPT as a whole number in [min, max] into *out; absent leaves it. */
static int take_whole(const struct cmd_args *args, const char *opt, long min, long max, long *out,
		      const char *what)
{
	const char *v = cmd_opt(args, opt);
	if (!v)
		return CLI_OK;
	if (!check_whole(v, min, max, out)) {
		char *shown = table_clean(v);
		cmd_usage_error(args, "--%s \"%s\" is not %s from %ld to %ld", opt, shown, what, min, max);
		free(shown);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int take_hhmm(const struct cmd_args *args, const char *opt, json_object *body)
{
	const char *v = cmd_opt(args, opt);
	int m;
	if (!trip_parse_hhmm(v, strlen(v), &m)) {
		char *shown = table_clean(v);
		cmd_usage_error(args, "--%s \"%s\" is not a time; write HH:MM (06:30), hours up to 47 "
			       "after midnight",
			       opt, shown);
		free(shown);
		return CLI_USAGE;
	}
	json_object_object_add(body, opt, json_object_new_string(v));
	return CLI_OK;
}

/* What every timetable shares: --calendar, --version, --block, into body. */
static int take_common(const struct cmd_args *args, json_object *body, long *version)
{
	const char *cal = cmd_opt(args, "calendar"), *block = cmd_opt(args, "block");
	if (!cal)
		return cmd_usage_error(args, "--calendar is missing; give the calendar the trips run "
				       "on (`jintong calendar list` shows them)");
	if (!check_code(cal))
		return cmd_usage_error(args, "--calendar is not a calendar code; give one `jintong "
				       "calendar list` shows");
	if (block && !check_code(block))
		return cmd_usage_error(args, "--block is not a code: 1 to 32 letters, digits, '.', '_' "
				       "or '-' (BUS-01-AM)");
	*version = 0;
	int rc = take_whole(args, "version", 1, 1000000, version, "a route version");
	if (rc != CLI_OK)
		return rc;
	json_object_object_add(body, "calendar", json_object_new_string(cal));
	if (*version)
		json_object_object_add(body, "version", json_object_new_int((int32_t)*version));
	if (block)
		json_object_object_add(body, "block", json_object_new_string(block));
	return CLI_OK;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= 16u << 20)
				break;
			buf = xrealloc(buf, cap *= 2);
		}
	}
	bool bad = ferror(f) || n == cap;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The route version a sheet is for: --version, else the latest, as the daemon picks. */
static int sheet_version(const struct cmd_ctx *ctx, const char *line, long want,
			 json_object **reply, json_object **ver)
{
	char *esc = client_escape(ctx->client, line);
	char *path = xasprintf("/v1/admin/lines/%s/routes", esc);
	free(esc);
	int rc;
	json_object *list = trip_fetch_list(ctx, path, "routes", reply, &rc);
	free(path);
	if (!list)
		return rc;
	*ver = NULL;
	long best = 0;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *v = json_object_array_get_idx(list, i);
		long n = json_object_get_int(fmt_member(v, "version"));
		if (want ? n == want : n > best)
			best = n, *ver = v;
	}
	if (!*ver) {
		if (want)
			cli_error("line %s has no route version %ld; see them with `jintong route list %s`",
				  line, want, line);
		else
			cli_error("line %s has no route yet; draw it first with `jintong route draw %s`",
				  line, line);
		json_object_put(*reply);
		*reply = NULL;
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int add_from_sheet(const struct cmd_ctx *ctx, const struct cmd_args *args, const char *line,
			  json_object *common, long version)
{
	const char *file = cmd_opt(args, "csv");
	size_t len;
	char *data = read_file(file, &len);
	if (!data) {
		cli_error("cannot read %s; check the file's name and that it is under 16 MB", file);
		return CLI_USAGE;
	}
	struct sheet s;
	size_t bad = sheet_read(file, data, len, &s, stderr);
	free(data);
	if (bad) {
		cli_error("%zu problem%s in %s; nothing was sent", bad, bad == 1 ? "" : "s", file);
		sheet_free(&s);
		return CLI_USAGE;
	}
	json_object *routes = NULL, *ver = NULL;
	int rc = sheet_version(ctx, line, version, &routes, &ver);
	if (rc != CLI_OK) {
		sheet_free(&s);
		return rc;
	}
	json_object *vstops = fmt_member(ver, "stops");
	size_t nv = json_object_is_type(vstops, json_type_array) ? json_object_array_length(vstops) : 0;
	bool same = nv == s.nstops;
	for (size_t i = 0; same && i < nv; i++)
		same = strcmp(json_object_get_string(json_object_array_get_idx(vstops, i)), s.stops[i]) == 0;
	if (!same) {
		char want[1024];
		size_t o = 0;
		for (size_t i = 0; i < nv && o < sizeof want; i++)
			o += (size_t)snprintf(want + o, sizeof want - o, "%s%s", i ? "," : "",
					      json_object_get_string(json_object_array_get_idx(vstops, i)));
		cli_error("%s:1: the header's stops are not those of route version %d of line %s; "
			  "write trip,%s or give the --version the sheet is for",
			  file, json_object_get_int(fmt_member(ver, "version")), line, want);
		json_object_put(routes);
		sheet_free(&s);
		return CLI_USAGE;
	}
	json_object **made = xcalloc(s.ntrips ? s.ntrips : 1, sizeof *made);
	size_t n = 0;
	for (; n < s.ntrips; n++) {
		struct sheet_trip *t = &s.trips[n];
		json_object *body = json_object_new_object(), *reply;
		json_object_object_add(body, "code", json_object_new_string(t->code));
		json_object_object_add(body, "line", json_object_new_string(line));
		json_object_object_foreach(common, k, v) json_object_object_add(body, k, json_object_get(v));
		if (!fmt_member(body, "version"))
			json_object_object_add(body, "version",
					       json_object_get(fmt_member(ver, "version")));
		json_object *times = json_object_new_array();
		for (size_t i = 0; i < s.nstops; i++) {
			char a[16], d[16];
			snprintf(a, sizeof a, "%02d:%02d", t->arr[i] / 60, t->arr[i] % 60);
			snprintf(d, sizeof d, "%02d:%02d", t->dep[i] / 60, t->dep[i] % 60);
			if (t->arr[i] == t->dep[i]) {
				json_object_array_add(times, json_object_new_string(a));
			} else {
				json_object *pair = json_object_new_array();
				json_object_array_add(pair, json_object_new_string(a));
				json_object_array_add(pair, json_object_new_string(d));
				json_object_array_add(times, pair);
			}
		}
		json_object_object_add(body, "times", times);
		struct client_hints hints = { .not_found = "", .conflict = "" };
		rc = client_post(ctx->client, "/v1/admin/trips", body, &hints, &reply);
		json_object_put(body);
		if (rc != CLI_OK) {
			if (n == 0)
				cli_error("trip %s (%s line %lu) was not added, nor any other", t->code,
					  file, t->line);
			else
				cli_error("trip %s (%s line %lu) was not added; %zu trip%s before it %s "
					  "added:",
					  t->code, file, t->line, n, n == 1 ? "" : "s",
					  n == 1 ? "was" : "were");
			for (size_t j = 0; j < n; j++)
				fprintf(stderr, "  %s\n", s.trips[j].code);
			fprintf(stderr, "fix the sheet, remove the rows already added, and run again\n");
			break;
		}
		/* the daemon answers {"trips":[trip]} */
		json_object *list = fmt_member(reply, "trips");
		made[n] = json_object_is_type(list, json_type_array) && json_object_array_length(list)
				  ? json_object_get(json_object_array_get_idx(list, 0))
				  : json_object_get(reply);
		json_object_put(reply);
	}
	if (rc == CLI_OK) {
		if (ctx->json) {
			json_object *o = json_object_new_object(), *a = json_object_new_array();
			for (size_t i = 0; i < n; i++)
				json_object_array_add(a, json_object_get(made[i]));
			json_object_object_add(o, "trips", a);
			cmd_print_json(o);
			json_object_put(o);
		} else {
			printf("Added %zu trip%s to line %s from %s:\n", n, n == 1 ? "" : "s", line, file);
			trip_print_made(made, n);
		}
	}
	for (size_t i = 0; i < n; i++)
		json_object_put(made[i]);
	free(made);
	json_object_put(routes);
	sheet_free(&s);
	return rc;
}

static int timetable_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = args->argv[0];
	long version, speed = 0, dwell = -1;
	int rc = trip_check_line(args, line);
	if (rc != CLI_OK)
		return rc;
	json_object *body = json_object_new_object();
	if ((rc = take_common(args, body, &version)) != CLI_OK)
		goto out;
	if (cmd_opt(args, "csv")) {
		static const char *const not_with[] = { "first", "last", "every", "speed", "dwell" };
		for (size_t i = 0; i < JT_ARRAY_LEN(not_with); i++)
			if (cmd_opt(args, not_with[i])) {
				rc = cmd_usage_error(args, "--%s cannot go with --csv: the sheet gives every "
						     "time",
						     not_with[i]);
				goto out;
			}
		rc = add_from_sheet(ctx, args, line, body, version);
		goto out;
	}
	if (!cmd_opt(args, "first") || !cmd_opt(args, "last") || !cmd_opt(args, "every")) {
		rc = cmd_usage_error(args, "give --first, --last and --every (06:30, 18:00, 40m), or a "
				     "sheet of times with --csv FILE");
		goto out;
	}
	if ((rc = take_hhmm(args, "first", body)) != CLI_OK ||
	    (rc = take_hhmm(args, "last", body)) != CLI_OK ||
	    (rc = take_whole(args, "speed", 5, 120, &speed, "a speed in km/h")) != CLI_OK ||
	    (rc = take_whole(args, "dwell", 0, 600, &dwell, "a number of seconds")) != CLI_OK)
		goto out;
	json_object_object_add(body, "every", json_object_new_string(cmd_opt(args, "every")));
	if (speed)
		json_object_object_add(body, "speed_kmh", json_object_new_int((int32_t)speed));
	if (dwell >= 0)
		json_object_object_add(body, "dwell_s", json_object_new_int((int32_t)dwell));
	char *esc = client_escape(ctx->client, line);
	char *path = xasprintf("/v1/admin/lines/%s/timetable", esc);
	free(esc);
	json_object *reply;
	struct client_hints hints = { .not_found = line_hints.not_found, .conflict = "" };
	rc = client_post(ctx->client, path, body, &hints, &reply);
	free(path);
	if (rc != CLI_OK)
		goto out;
	json_object *list = cmd_reply_list(reply, "trips");
	if (!list) {
		rc = CLI_FAIL;
	} else if (ctx->json) {
		cmd_print_json(reply);
	} else {
		size_t n = json_object_array_length(list);
		json_object **v = xcalloc(n ? n : 1, sizeof *v);
		for (size_t i = 0; i < n; i++)
			v[i] = json_object_array_get_idx(list, i);
		printf("Added %zu trip%s to line %s:\n", n, n == 1 ? "" : "s", line);
		trip_print_made(v, n);
		free(v);
	}
	json_object_put(reply);
out:
	json_object_put(body);
	return rc;
}

/* Columns the terminal has: the window's, $COLUMNS, else 80. */
static size_t screen_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	long c;
	const char *env = getenv("COLUMNS");
	if (env && check_whole(env, 40, 1000, &c))
		return (size_t)c;
	return 80;
}

/* Index of stop in rows[from..n), or n. */
static size_t find_row(const char *const *rows, size_t n, size_t from, const char *stop)
{
	for (size_t i = from; i < n; i++)
		if (strcmp(rows[i], stop) == 0)
			return i;
	return n;
}

static int timetable_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = args->argv[0], *cal = cmd_opt(args, "calendar");
	int rc = trip_check_line(args, line);
	if (rc != CLI_OK)
		return rc;
	json_object *reply, *stops_reply = NULL;
	json_object *list = trip_fetch_trips(ctx, line, &reply, &rc);
	if (!list)
		return rc;
	size_t n = 0, total = json_object_array_length(list);
	json_object **trips = xcalloc(total ? total : 1, sizeof *trips);
	for (size_t i = 0; i < total; i++) {
		json_object *r = json_object_array_get_idx(list, i);
		const char *c = fmt_str(r, "calendar");
		if (!cal || (c && strcmp(c, cal) == 0))
			trips[n++] = r;
	}
	qsort(trips, n, sizeof *trips, trip_by_departure);
	if (ctx->json) {
		json_object *o = json_object_new_object(), *a = json_object_new_array();
		for (size_t i = 0; i < n; i++)
			json_object_array_add(a, json_object_get(trips[i]));
		json_object_object_add(o, "trips", a);
		cmd_print_json(o);
		json_object_put(o);
		goto out;
	}
	if (n == 0) {
		printf("No trips on line %s%s%s; add them with `jintong timetable add %s ...`.\n", line,
		       cal ? " on calendar " : "", cal ? cal : "", line);
		goto out;
	}
	json_object *stops = trip_fetch_list(ctx, "/v1/admin/stops", "stops", &stops_reply, &rc);
	if (!stops)
		goto out;
	/* Rows: every stop any trip calls at, in the order the trips call. */
	const char **rows = NULL;
	size_t nrows = 0, cap = 0;
	for (size_t k = 0; k < n; k++) {
		json_object *st = trip_stops(trips[k]);
		size_t at = 0;
		for (size_t i = 0; st && i < json_object_array_length(st); i++) {
			const char *stop = fmt_str(json_object_array_get_idx(st, i), "stop");
			if (!stop)
				continue;
			size_t r = find_row(rows, nrows, at, stop);
			if (r == nrows) { /* not below the last stop: it goes right after it */
				if (nrows == cap)
					rows = xrealloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *rows);
				r = at;
				memmove(rows + r + 1, rows + r, (nrows - r) * sizeof *rows);
				rows[r] = stop;
				nrows++;
			}
			at = r + 1;
		}
	}
	/* Labels: "NAME (CODE)". */
	char **labels = xcalloc(nrows ? nrows : 1, sizeof *labels);
	size_t lw = 4;
	for (size_t i = 0; i < nrows; i++) {
		const char *name = fmt_str(trip_find_code(stops, rows[i]), "name");
		labels[i] = name ? xasprintf("%s (%s)", name, rows[i]) : xstrdup(rows[i]);
		size_t w = table_width(labels[i]);
		if (w > lw)
			lw = w;
	}
	/* Cells: departure time (arrival at the last stop), "|" passes by, blank none. */
	size_t width = screen_width(), done = 0;
	printf("Line %s%s%s: %zu trip%s\n", line, cal ? ", calendar " : "", cal ? cal : "", n,
	       n == 1 ? "" : "s");
	while (done < n) {
		size_t used = lw, upto = done;
		while (upto < n) {
			size_t cw = strlen(fmt_str(trips[upto], "code") ? fmt_str(trips[upto], "code") : "");
			cw = cw < 5 ? 5 : cw;
			if (upto > done && used + 2 + cw > width)
				break;
			used += 2 + cw;
			upto++;
		}
		const char **headers = xcalloc(upto - done + 1, sizeof *headers);
		enum table_align *align = xcalloc(upto - done + 1, sizeof *align);
		headers[0] = "STOP";
		for (size_t k = done; k < upto; k++) {
			headers[k - done + 1] = fmt_str(trips[k], "code");
			align[k - done + 1] = TABLE_RIGHT;
		}
		struct table *t = table_new(upto - done + 1, headers, align);
		const char **cells = xcalloc(upto - done + 1, sizeof *cells);
		char (*bufs)[16] = xcalloc(upto - done + 1, sizeof *bufs);
		for (size_t r = 0; r < nrows; r++) {
			cells[0] = labels[r];
			for (size_t k = done; k < upto; k++) {
				json_object *st = trip_stops(trips[k]);
				size_t ns = st ? json_object_array_length(st) : 0;
				const char *cell = "";
				for (size_t i = 0; i < ns; i++) {
					json_object *s = json_object_array_get_idx(st, i);
					const char *stop = fmt_str(s, "stop");
					if (stop && strcmp(stop, rows[r]) == 0) {
						/* whole minutes, as printed at a stop */
						const char *tm = fmt_str(s, i + 1 == ns ? "arrival"
											: "departure");
						snprintf(bufs[k - done + 1], 16, "%.5s", tm ? tm : "");
						cell = bufs[k - done + 1];
						break;
					}
				}
				cells[k - done + 1] = cell ? cell : "";
			}
			table_add(t, cells);
		}
		printf("\n");
		table_print(t, stdout, 0);
		table_free(t);
		free(cells);
		free(bufs);
		free(headers);
		free(align);
		done = upto;
	}
	for (size_t i = 0; i < nrows; i++)
		free(labels[i]);
	free(labels);
	free(rows);
out:
	free(trips);
	json_object_put(stops_reply);
	json_object_put(reply);
	return rc;
}

static const struct cmd_option add_options[] = {
	{ "calendar", "CALENDAR", "the calendar the trips run on" },
	{ "first", "HH:MM", "the first departure from the first stop" },
	{ "last", "HH:MM", "the last departure, no later" },
	{ "every", "HEADWAY", "time between departures: 40m, 1h, 1h30m" },
	{ "csv", "FILE", "a sheet of times instead: header trip,STOP,...; a row per trip" },
	{ "version", "N", "the route version the trips run (default: the latest)" },
	{ "block", "BLOCK", "the vehicle block the trips belong to" },
	{ "speed", "KMH", "average speed for the times between stops, 5 to 120 (default: 30)" },
	{ "dwell", "SECONDS", "time at each stop on the way, 0 to 600 (default: 30)" },
	{ 0 },
};

static const struct cmd_option show_options[] = {
	{ "calendar", "CALENDAR", "only the trips on this calendar" },
	{ 0 },
};

static const struct cmd_entry timetable_entries[] = {
	{
		.group = "timetable",
		.name = "add",
		.usage = "LINE --calendar CALENDAR (--first HH:MM --last HH:MM --every HEADWAY | "
			 "--csv FILE) [--version N] [--block BLOCK] [--speed KMH] [--dwell SECONDS]",
		.help = "add a line's trips: regular departures, or a sheet of times",
		.detail = "With --first, --last and --every the daemon makes one trip per departure,\n"
			  "coded LINE-HHMM, its times from the distances between the stops at\n"
			  "--speed. With --csv FILE each row of the sheet is a trip:\n\n"
			  "  trip,S1,S2,S3\n"
			  "  L1-0630,06:30,06:42/06:43,07:05\n\n"
			  "the header names the route's stops in order; a time is HH:MM, or\n"
			  "HH:MM/HH:MM for arrival and departure. Every bad row is reported before\n"
			  "anything is sent; the trips are then added one by one, stopping at the\n"
			  "first the daemon refuses.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = timetable_add,
	},
	{
		.group = "timetable",
		.name = "show",
		.usage = "LINE [--calendar CALENDAR]",
		.help = "show a line's timetable: stops down, trips across",
		.detail = "Each column is a trip, each row a stop, with the departure time (the\n"
			  "arrival at the last stop); a blank is a stop the trip does not serve.\n"
			  "Columns that do not fit the screen go in further blocks below.",
		.options = show_options,
		.min_args = 1,
		.max_args = 1,
		.exec = timetable_show,
	},
	{ 0 },
};

const struct cmd_group cmd_timetable_group = {
	.name = "timetable",
	.help = "timetables: a line's trips added and shown as a grid",
	.entries = timetable_entries,
};

