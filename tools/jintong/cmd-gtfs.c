/*
 * cmd-gtfs.c — `jintong gtfs export`: the network, its timetables and
 * service dates as a GTFS feed, for journey planners and map apps.
 *
 * Everything comes from the admin API. Every calendar is written out as
 * dates (calendar_dates.txt only): market days and school terms cannot be
 * said as weekdays in calendar.txt. A trip is exported when its route
 * version is the one in effect on at least one of its dates in the horizon.
 * On-demand service goes out as GTFS-Flex: booking_rules.txt, the
 * location groups, the zones in locations.geojson (these three written by
 * gtfsexport-flex.c) and the windows of stop_times.txt. The files written
 * are read back and checked with the same GTFS checks the importer uses
 * (gtfscheck.c); a problem there is this tool's fault. A record imported
 * from a feed under an id that is not a Jintong code goes out under that id
 * (its gtfs_id), and so do the references to it; any other record under
 * its code.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "csv.h"
#include "date.h"
#include "format.h"
#include "gtfs.h"
#include "gtfscheck.h"
#include "gtfsexport.h"
#include "gtfsimport.h"
#include "strmap.h"
#include "table.h"
#include "trip.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define AGENCY_URL "https://example.invalid/"

/* ---- progress ---- */

static bool progress_tty;

static void progress(const char *what, size_t done, size_t total)
{
	if (progress_tty) {
		fprintf(stderr, "\r%s: %zu/%zu\033[K", what, done, total);
		if (done == total)
			fputc('\n', stderr);
	} else if (done == 0) {
		fprintf(stderr, "%s (%zu)\n", what, total);
	}
	fflush(stderr);
}

/* ---- what was fetched ---- */

/* The id a record of list l goes out under: its gtfs_id when it has one, else its code. */
const char *gtfsexport_id(const struct feed *f, int l, const char *code)
{
	const char *id = code && f->ids[l] ? strmap_get(f->ids[l], code) : NULL;
	return id ? id : code ? code : "";
}

static void feed_free(struct feed *f)
{
	size_t nl = f->lines ? json_object_array_length(f->lines) : 0;
	size_t nc = f->calendars ? json_object_array_length(f->calendars) : 0;
	for (size_t i = 0; f->route_replies && i < nl; i++)
		json_object_put(f->route_replies[i]);
	for (size_t i = 0; f->date_replies && i < nc; i++)
		json_object_put(f->date_replies[i]);
	free(f->routes);
	free(f->route_replies);
	free(f->dates);
	free(f->date_replies);
	for (size_t i = 0; i < FEED_LISTS; i++) {
		json_object_put(f->replies[i]);
		strmap_free(f->ids[i]);
	}
}

static json_object *get_list(const struct cmd_ctx *ctx, const char *path, const char *key,
			     json_object **reply, int *rc)
{
	*rc = client_get(ctx->client, path, NULL, reply);
	if (*rc != CLI_OK)
		return NULL;
	json_object *list = cmd_reply_list(*reply, key);
	if (!list)
		*rc = CLI_FAIL;
	return list;
}

static int fetch(const struct cmd_ctx *ctx, struct feed *f)
{
	static const char *const what[FEED_LISTS] = { "operators", "stops",	    "lines",
						      "calendars", "trips",	    "booking-rules",
						      "location-groups", "zones" };
	json_object **lists[FEED_LISTS] = { &f->operators, &f->stops, &f->lines,  &f->calendars,
					    &f->trips,	   &f->rules, &f->groups, &f->zones };
	int rc;
	for (size_t i = 0; i < FEED_LISTS; i++) {
		progress("reading the network", i, FEED_LISTS);
		char *path = xasprintf("/v1/admin/%s", what[i]);
		*lists[i] = get_list(ctx, path, what[i], &f->replies[i], &rc);
		free(path);
		if (!*lists[i])
			return rc;
	}
	progress("reading the network", FEED_LISTS, FEED_LISTS);
	for (size_t i = 0; i < FEED_LISTS; i++) {
		f->ids[i] = strmap_new();
		for (size_t k = 0; k < json_object_array_length(*lists[i]); k++) {
			json_object *r = json_object_array_get_idx(*lists[i], k);
			const char *code = fmt_str(r, "code"), *id = fmt_str(r, "gtfs_id");
			if (code && id && *id)
				strmap_put(f->ids[i], code, (void *)id);
		}
	}
	size_t nl = json_object_array_length(f->lines), nc = json_object_array_length(f->calendars);
	f->routes = xcalloc(nl + 1, sizeof *f->routes);
	f->route_replies = xcalloc(nl + 1, sizeof *f->route_replies);
	f->dates = xcalloc(nc + 1, sizeof *f->dates);
	f->date_replies = xcalloc(nc + 1, sizeof *f->date_replies);
	for (size_t i = 0; i < nl; i++) {
		progress("reading routes", i, nl);
		char *esc = client_escape(ctx->client, fmt_str(json_object_array_get_idx(f->lines, i), "code"));
		char *path = xasprintf("/v1/admin/lines/%s/routes", esc);
		free(esc);
		f->routes[i] = get_list(ctx, path, "routes", &f->route_replies[i], &rc);
		free(path);
		if (!f->routes[i])
			return rc;
	}
	progress("reading routes", nl, nl);
	for (size_t i = 0; i < nc; i++) {
		progress("reading service dates", i, nc);
		char *esc = client_escape(ctx->client,
					  fmt_str(json_object_array_get_idx(f->calendars, i), "code"));
		char *path = xasprintf("/v1/admin/calendars/%s/dates?from=%s&to=%s", esc, f->first, f->last);
		free(esc);
		f->dates[i] = get_list(ctx, path, "dates", &f->date_replies[i], &rc);
		free(path);
		if (!f->dates[i])
			return rc;
	}
	progress("reading service dates", nc, nc);
	return CLI_OK;
}

/* ---- choosing the trips ---- */

static json_object *lookup(json_object *list, json_object **per, const char *code, json_object **out)
{
	for (size_t i = 0; code && list && i < json_object_array_length(list); i++) {
		json_object *r = json_object_array_get_idx(list, i);
		const char *c = fmt_str(r, "code");
		if (c && strcmp(c, code) == 0) {
			if (out)
				*out = per ? per[i] : NULL;
			return r;
		}
	}
	return NULL;
}

/* The version of a line's versions in effect on day (YYYY-MM-DD): latest from, then highest number. */
static long in_effect(json_object *versions, const char *day)
{
	long best = 0;
	const char *best_from = NULL;
	for (size_t i = 0; versions && i < json_object_array_length(versions); i++) {
		json_object *v = json_object_array_get_idx(versions, i);
		const char *from = fmt_str(v, "from");
		long n = json_object_get_int(fmt_member(v, "version"));
		if (!from || strcmp(from, day) > 0)
			continue;
		int c = best_from ? strcmp(from, best_from) : 1;
		if (c > 0 || (c == 0 && n > best))
			best = n, best_from = from;
	}
	return best;
}

/* Is the trip's version in effect on one of its calendar's dates? */
static bool trip_runs(const struct feed *f, json_object *trip)
{
	json_object *versions = NULL, *dates = NULL;
	if (!lookup(f->lines, f->routes, fmt_str(trip, "line"), &versions) ||
	    !lookup(f->calendars, f->dates, fmt_str(trip, "calendar"), &dates) || !dates)
		return false;
	long v = json_object_get_int(fmt_member(trip, "version"));
	for (size_t i = 0; i < json_object_array_length(dates); i++) {
		const char *d = json_object_get_string(json_object_array_get_idx(dates, i));
		if (d && in_effect(versions, d) == v)
			return true;
	}
	return false;
}

/*
 * The shape_id a route version's shape goes out under, into buf: the feed's
 * shape_id it was drawn from, else LINE-vN. False when it has no shape.
 */
static bool shape_of(json_object *ver, const char *line, char *buf, size_t size)
{
	json_object *shape = fmt_member(ver, "shape");
	if (!json_object_is_type(shape, json_type_array) || json_object_array_length(shape) < 2)
		return false;
	const char *id = fmt_str(ver, "shape_id");
	if (id && *id)
		snprintf(buf, size, "%s", id);
	else
		snprintf(buf, size, "%s-v%d", line, json_object_get_int(fmt_member(ver, "version")));
	return true;
}

/* ---- writing ---- */

bool gtfsexport_out_open(struct out *o, const char *name, size_t n, const char *const *header)
{
	snprintf(o->path, sizeof o->path, "%s/%s", o->dir, name);
	o->f = fopen(o->path, "w");
	o->rows = 0;
	if (!o->f) {
		cli_error("cannot write %s: %s; check the directory", o->path, strerror(errno));
		return false;
	}
	csv_row(o->f, n, header);
	return true;
}

bool gtfsexport_out_close(struct out *o)
{
	bool ok = !ferror(o->f);
	ok &= fclose(o->f) == 0;
	if (!ok)
		cli_error("writing %s failed: %s; check the disk", o->path, strerror(errno));
	return ok;
}

void gtfsexport_out_row(struct out *o, size_t n, const char *const *fields)
{
	csv_row(o->f, n, fields);
	o->rows++;
}

static void num(char *buf, size_t size, json_object *o, const char *key)
{
	double v = 0;
	if (fmt_num(o, key, &v))
		snprintf(buf, size, "%.6f", v);
	else
		buf[0] = '\0';
}

/* "2026-11-23" as "20261123". */
static void gtfs_date(char *buf, size_t size, const char *d)
{
	snprintf(buf, size, "%.4s%.2s%.2s", d, strlen(d) >= 7 ? d + 5 : "", strlen(d) >= 10 ? d + 8 : "");
}

/* The timetabled feed: agency, stops, routes, trips, stop times, shapes, dates. */
static bool write_feed(const struct feed *f, const char *dir, struct counts *c)
{
	struct out o = { .dir = dir };
	size_t n;

	static const char *const agency_h[] = { "agency_id", "agency_name", "agency_url",
						"agency_timezone" };
	if (!gtfsexport_out_open(&o, "agency.txt", 4, agency_h))
		return false;
	for (size_t i = 0; i < json_object_array_length(f->operators); i++) {
		json_object *r = json_object_array_get_idx(f->operators, i);
		const char *row[] = { gtfsexport_id(f, L_OPERATORS, fmt_str(r, "code")), fmt_str(r, "name"),
				      AGENCY_URL, f->tz };
		gtfsexport_out_row(&o, 4, row);
	}
	c->agencies = o.rows;
	if (!gtfsexport_out_close(&o))
		return false;

	/* jintong_kind: not GTFS (consumers ignore it); `gtfs import` reads it back. */
	static const char *const stops_h[] = { "stop_id", "stop_name", "stop_lat", "stop_lon",
					       "jintong_kind" };
	if (!gtfsexport_out_open(&o, "stops.txt", 5, stops_h))
		return false;
	n = json_object_array_length(f->stops);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(f->stops, i);
		char lat[32], lon[32];
		num(lat, sizeof lat, r, "lat");
		num(lon, sizeof lon, r, "lon");
		const char *row[] = { gtfsexport_id(f, L_STOPS, fmt_str(r, "code")), fmt_str(r, "name"), lat, lon,
				      fmt_str(r, "kind") };
		gtfsexport_out_row(&o, 5, row);
	}
	c->stops = o.rows;
	if (!gtfsexport_out_close(&o))
		return false;

	static const char *const routes_h[] = { "route_id",	   "agency_id",	 "route_short_name",
						"route_long_name", "route_desc", "route_type",
						"jintong_kind" };
	if (!gtfsexport_out_open(&o, "routes.txt", 7, routes_h))
		return false;
	for (size_t i = 0; i < json_object_array_length(f->lines); i++) {
		json_object *r = json_object_array_get_idx(f->lines, i);
		const char *row[] = { gtfsexport_id(f, L_LINES, fmt_str(r, "code")),
				      gtfsexport_id(f, L_OPERATORS, fmt_str(r, "operator")), fmt_str(r, "code"),
				      fmt_str(r, "name"), gtfs_kind_desc(fmt_str(r, "kind")), "3",
				      fmt_str(r, "kind") };
		gtfsexport_out_row(&o, 7, row);
	}
	c->routes = o.rows;
	if (!gtfsexport_out_close(&o))
		return false;

	/* trips.txt and stop_times.txt together; the shapes the trips use remembered. */
	static const char *const trips_h[] = { "route_id", "service_id", "trip_id", "shape_id",
					       "block_id" };
	static const char *const times_h[] = { "trip_id",
					       "arrival_time",
					       "departure_time",
					       "stop_id",
					       "stop_sequence",
					       "location_group_id",
					       "location_id",
					       "start_pickup_drop_off_window",
					       "end_pickup_drop_off_window",
					       "pickup_type",
					       "drop_off_type",
					       "pickup_booking_rule_id",
					       "drop_off_booking_rule_id" };
	size_t ncols = gtfsexport_flex_feed(f) ? 13 : 5;
	struct out ot = { .dir = dir };
	struct strset shapes = { 0 };
	if (!gtfsexport_write_flex(f, dir, c))
		return false;
	if (!gtfsexport_out_open(&o, "trips.txt", 5, trips_h))
		return false;
	if (!gtfsexport_out_open(&ot, "stop_times.txt", ncols, times_h)) {
		fclose(o.f);
		return false;
	}
	n = json_object_array_length(f->trips);
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(f->trips, i);
		progress("writing trips", i, n);
		if (!trip_runs(f, t)) {
			c->left_out++;
			continue;
		}
		const char *line = fmt_str(t, "line");
		json_object *versions = NULL, *ver = NULL;
		long v = json_object_get_int(fmt_member(t, "version"));
		lookup(f->lines, f->routes, line, &versions);
		for (size_t k = 0; versions && k < json_object_array_length(versions); k++)
			if (json_object_get_int(fmt_member(json_object_array_get_idx(versions, k),
							   "version")) == v)
				ver = json_object_array_get_idx(versions, k);
		char shape_id[300] = "";
		if (shape_of(ver, line, shape_id, sizeof shape_id) &&
		    !gtfscheck_set_has(&shapes, shape_id, strlen(shape_id)))
			gtfscheck_set_add(&shapes, shape_id, strlen(shape_id));
		const char *trip_id = gtfsexport_id(f, L_TRIPS, fmt_str(t, "code"));
		const char *row[] = { gtfsexport_id(f, L_LINES, line), gtfsexport_id(f, L_CALENDARS, fmt_str(t, "calendar")),
				      trip_id, shape_id, fmt_str(t, "block") };
		gtfsexport_out_row(&o, 5, row);
		json_object *st = fmt_member(t, "stops");
		for (size_t k = 0; st && k < json_object_array_length(st); k++) {
			json_object *s = json_object_array_get_idx(st, k);
			char seq[24], pick[8] = "", drop[8] = "";
			snprintf(seq, sizeof seq, "%zu", k + 1);
			const char *place = fmt_str(s, "stop") ? fmt_str(s, "stop") : "";
			const char *colon = strchr(place, ':');
			bool group = colon && strncmp(place, "group:", 6) == 0;
			json_object *w = fmt_member(s, "window");
			bool window = json_object_is_type(w, json_type_array) && json_object_array_length(w) == 2;
			/* the daemon leaves out the usual types: 0 at fixed times, 2 (phone) in a window */
			json_object *p = fmt_member(s, "pickup_type"), *d = fmt_member(s, "drop_off_type");
			if (window || p)
				snprintf(pick, sizeof pick, "%d", p ? json_object_get_int(p) : 2);
			if (window || d)
				snprintf(drop, sizeof drop, "%d", d ? json_object_get_int(d) : 2);
			const char *trow[] = {
				trip_id,
				window ? "" : fmt_str(s, "arrival"),
				window ? "" : fmt_str(s, "departure"),
				colon ? "" : gtfsexport_id(f, L_STOPS, place),
				seq,
				group ? gtfsexport_id(f, L_GROUPS, colon + 1) : "",
				colon && !group ? gtfsexport_id(f, L_ZONES, colon + 1) : "",
				window ? json_object_get_string(json_object_array_get_idx(w, 0)) : "",
				window ? json_object_get_string(json_object_array_get_idx(w, 1)) : "",
				pick,
				drop,
				fmt_str(s, "pickup_rule") ? gtfsexport_id(f, L_RULES, fmt_str(s, "pickup_rule")) : "",
				fmt_str(s, "drop_off_rule") ? gtfsexport_id(f, L_RULES, fmt_str(s, "drop_off_rule")) : "",
			};
			gtfsexport_out_row(&ot, ncols, trow);
		}
	}
	progress("writing trips", n, n);
	c->trips = o.rows;
	c->stop_times = ot.rows;
	bool ok = gtfsexport_out_close(&o);
	ok &= gtfsexport_out_close(&ot);
	if (!ok) {
		gtfscheck_set_free(&shapes);
		return false;
	}

	snprintf(o.path, sizeof o.path, "%s/shapes.txt", dir);
	unlink(o.path); /* from an earlier export */
	if (shapes.n) {
		static const char *const shapes_h[] = { "shape_id", "shape_pt_lat", "shape_pt_lon",
							"shape_pt_sequence" };
		struct strset written = { 0 }; /* a feed's shape drawn into several versions: once */
		if (!gtfsexport_out_open(&o, "shapes.txt", 4, shapes_h)) {
			gtfscheck_set_free(&shapes);
			return false;
		}
		for (size_t i = 0; i < json_object_array_length(f->lines); i++) {
			const char *line = fmt_str(json_object_array_get_idx(f->lines, i), "code");
			for (size_t k = 0; f->routes[i] && k < json_object_array_length(f->routes[i]); k++) {
				json_object *ver = json_object_array_get_idx(f->routes[i], k);
				char id[300];
				if (!shape_of(ver, line, id, sizeof id) ||
				    !gtfscheck_set_has(&shapes, id, strlen(id)) ||
				    gtfscheck_set_has(&written, id, strlen(id)))
					continue;
				gtfscheck_set_add(&written, id, strlen(id));
				json_object *pts = fmt_member(ver, "shape");
				for (size_t p = 0; p < json_object_array_length(pts); p++) {
					json_object *pt = json_object_array_get_idx(pts, p);
					char lat[32], lon[32], seq[24];
					snprintf(lat, sizeof lat, "%.6f",
						 json_object_get_double(json_object_array_get_idx(pt, 0)));
					snprintf(lon, sizeof lon, "%.6f",
						 json_object_get_double(json_object_array_get_idx(pt, 1)));
					snprintf(seq, sizeof seq, "%zu", p + 1);
					const char *row[] = { id, lat, lon, seq };
					gtfsexport_out_row(&o, 4, row);
				}
				c->shapes++;
			}
		}
		c->shape_points = o.rows;
		gtfscheck_set_free(&written);
		if (!gtfsexport_out_close(&o)) {
			gtfscheck_set_free(&shapes);
			return false;
		}
	}
	gtfscheck_set_free(&shapes);

	static const char *const dates_h[] = { "service_id", "date", "exception_type" };
	if (!gtfsexport_out_open(&o, "calendar_dates.txt", 3, dates_h))
		return false;
	for (size_t i = 0; i < json_object_array_length(f->calendars); i++) {
		const char *code = fmt_str(json_object_array_get_idx(f->calendars, i), "code");
		for (size_t k = 0; k < json_object_array_length(f->dates[i]); k++) {
			const char *d = json_object_get_string(json_object_array_get_idx(f->dates[i], k));
			char day[16];
			gtfs_date(day, sizeof day, d ? d : "");
			const char *row[] = { gtfsexport_id(f, L_CALENDARS, code), day, "1" };
			gtfsexport_out_row(&o, 3, row);
		}
	}
	c->dates = o.rows;
	snprintf(o.path, sizeof o.path, "%s/calendar.txt", dir);
	unlink(o.path); /* every date is in calendar_dates.txt */
	snprintf(o.path, sizeof o.path, "%s/calendar_dates.txt", dir);
	return gtfsexport_out_close(&o);
}

/* ---- the command ---- */

static int gtfs_export(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *dir = args->argv[0];
	long days = 90;
	const char *d = cmd_opt(args, "days");
	if (d && !check_whole(d, 1, 366, &days)) {
		char *shown = table_clean(d);
		cmd_usage_error(args, "--days \"%s\" is not a number of days from 1 to 366", shown);
		free(shown);
		return CLI_USAGE;
	}
	struct stat sb;
	if (stat(dir, &sb) != 0) {
		if (mkdir(dir, 0777) != 0) {
			cli_error("cannot make the directory %s: %s", dir, strerror(errno));
			return CLI_USAGE;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		cli_error("%s is not a directory; give a directory for the feed's files", dir);
		return CLI_USAGE;
	}
	progress_tty = isatty(STDERR_FILENO);

	/* The horizon: today in the county, as the daemon counts it, and N-1 days after. */
	json_object *info;
	int rc = client_get(ctx->client, "/v1/admin/info", NULL, &info);
	if (rc != CLI_OK)
		return rc;
	jt_day today;
	const char *tz = fmt_str(info, "timezone"), *day = fmt_str(info, "today");
	if (!tz || !day || date_parse(day, &today) != 0) {
		json_object_put(info);
		cli_error("the daemon did not say which day it is in the county; is it older than this "
			  "jintong?");
		return CLI_FAIL;
	}
	struct feed f = { 0 };
	snprintf(f.tz, sizeof f.tz, "%s", tz);
	json_object_put(info);
	date_format(today, f.first);
	date_format(today + (jt_day)days - 1, f.last);

	rc = fetch(ctx, &f);
	struct counts c = { 0 };
	if (rc == CLI_OK && !write_feed(&f, dir, &c))
		rc = CLI_FAIL;
	feed_free(&f);
	if (rc != CLI_OK)
		return rc;
	size_t problems = gtfscheck_feed(dir);
	if (problems) {
		cli_error("the feed in %s fails %zu check%s; this is a bug in jintong: keep the files "
			  "and report it",
			  dir, problems, problems == 1 ? "" : "s");
		return CLI_FAIL;
	}
	if (ctx->json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "directory", json_object_new_string(dir));
		json_object_object_add(o, "from", json_object_new_string(f.first));
		json_object_object_add(o, "to", json_object_new_string(f.last));
		json_object_object_add(o, "agencies", json_object_new_int64((int64_t)c.agencies));
		json_object_object_add(o, "stops", json_object_new_int64((int64_t)c.stops));
		json_object_object_add(o, "routes", json_object_new_int64((int64_t)c.routes));
		json_object_object_add(o, "trips", json_object_new_int64((int64_t)c.trips));
		json_object_object_add(o, "trips_left_out", json_object_new_int64((int64_t)c.left_out));
		json_object_object_add(o, "stop_times", json_object_new_int64((int64_t)c.stop_times));
		json_object_object_add(o, "shapes", json_object_new_int64((int64_t)c.shapes));
		json_object_object_add(o, "service_dates", json_object_new_int64((int64_t)c.dates));
		json_object_object_add(o, "booking_rules", json_object_new_int64((int64_t)c.rules));
		json_object_object_add(o, "location_groups", json_object_new_int64((int64_t)c.groups));
		json_object_object_add(o, "zones", json_object_new_int64((int64_t)c.zones));
		cmd_print_json(o);
		json_object_put(o);
		return CLI_OK;
	}
	printf("Wrote a GTFS feed for %s to %s to %s:\n", f.first, f.last, dir);
	printf("  agency.txt          %zu\n", c.agencies);
	printf("  stops.txt           %zu\n", c.stops);
	printf("  routes.txt          %zu\n", c.routes);
	printf("  trips.txt           %zu", c.trips);
	if (c.left_out)
		printf(" (%zu left out: route version not in effect on any of their dates)",
		       c.left_out);
	printf("\n  stop_times.txt      %zu\n", c.stop_times);
	if (c.shapes)
		printf("  shapes.txt          %zu shape%s, %zu points\n", c.shapes,
		       c.shapes == 1 ? "" : "s", c.shape_points);
	printf("  calendar_dates.txt  %zu\n", c.dates);
	if (c.rules)
		printf("  booking_rules.txt   %zu\n", c.rules);
	if (c.groups)
		printf("  location_groups.txt %zu (and their stops in location_group_stops.txt)\n",
		       c.groups);
	if (c.zones)
		printf("  locations.geojson   %zu zone%s\n", c.zones, c.zones == 1 ? "" : "s");
	printf("Checked: every file and row, and every reference between them.\n");
	return CLI_OK;
}

static const struct cmd_option export_options[] = {
	{ "days", "N", "the days of service to export from today, 1 to 366 (default: 90)" },
	{ 0 },
};

static const struct cmd_option import_options[] = {
	{ "dry-run", NULL, "check the feed and report, sending nothing" },
	{ "update", NULL, "change what exists already to what the feed says, instead of refusing it" },
	{ 0 },
};

static const struct cmd_entry gtfs_entries[] = {
	{
		.group = "gtfs",
		.name = "export",
		.usage = "DIR [--days N]",
		.help = "write the network and timetables as a GTFS feed into DIR",
		.detail = "Writes agency.txt, stops.txt, routes.txt, trips.txt, stop_times.txt,\n"
			  "shapes.txt (for routes drawn with a shape) and calendar_dates.txt: every\n"
			  "calendar as the dates it runs on from today for N days. A trip is left\n"
			  "out when its route version is not in effect on any of its dates.\n"
			  "On-demand service as GTFS-Flex: booking_rules.txt, location_groups.txt,\n"
			  "location_group_stops.txt, locations.geojson and the windows of\n"
			  "stop_times.txt. The files are read back and checked before the command\n"
			  "succeeds.",
		.options = export_options,
		.min_args = 1,
		.max_args = 1,
		.exec = gtfs_export,
	},
	{
		.group = "gtfs",
		.name = "import",
		.usage = "DIR [--dry-run] [--update]",
		.help = "add (or with --update change) the network and trips of a GTFS feed",
		.detail = "Reads agency.txt, stops.txt, routes.txt, calendar.txt, calendar_dates.txt,\n"
			  "shapes.txt, trips.txt and stop_times.txt in DIR, checks every row and\n"
			  "reports each one refused as FILE:LINE: column: why, then adds the rest.\n"
			  "A route's trips are grouped by their stops and shape: the pattern most of\n"
			  "them run becomes the line's route version from today, each further pattern\n"
			  "(the way back) a line of its own, ROUTE-2, ROUTE-3, ...; stops without\n"
			  "times get times spread between their timepoints. Trips in frequencies.txt\n"
			  "are reported and left out. GTFS-Flex: booking_rules.txt, location groups,\n"
			  "locations.geojson (zones) and stop times with windows, on on_demand lines.\n"
			  "With --update, what exists is changed to what the feed says and the\n"
			  "summary counts added, changed and unchanged. Exits 2 when any row was\n"
			  "refused.",
		.options = import_options,
		.min_args = 1,
		.max_args = 1,
		.exec = gtfs_import,
	},
	{ 0 },
};

const struct cmd_group cmd_gtfs_group = {
	.name = "gtfs",
	.help = "GTFS: the timetables for journey planners",
	.entries = gtfs_entries,
};
