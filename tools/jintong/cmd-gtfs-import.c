/*
 * cmd-gtfs-import.c — `jintong gtfs import DIR [--dry-run]`: a GTFS feed
 * into the admin API, in the order references need: operators, stops,
 * lines, route versions, calendars, trips; with GTFS-Flex, zones and
 * location groups before the lines, booking rules after the calendars
 * (gtfsimport-flex.c). With --update a record that exists is changed to
 * what the feed says and counted changed or unchanged.
 *
 * Every file is read with the core library's CSV reader and every row
 * checked with the GTFS checks the export uses. A row that fails them, or
 * refers to something missing or refused, is reported as FILE:LINE: column:
 * why and skipped; the rest goes on. A route's trips are grouped by their
 * stops and shape: the pattern most of them run becomes the line's route
 * version (from today), and trips on other patterns are reported.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "csv.h"
#include "format.h"
#include "gtfs.h"
#include "gtfsimport.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const file_names[IMP_N] = {
	"agency.txt",	   "stops.txt",		"routes.txt",	       "calendar.txt",
	"calendar_dates.txt", "shapes.txt",	"trips.txt",	       "stop_times.txt",
	"frequencies.txt",    "booking_rules.txt", "location_groups.txt", "location_group_stops.txt",
};

static const char *const file_cols[IMP_N][IMP_COLS] = {
	{ "agency_id", "agency_name" },
	{ "stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "jintong_kind" },
	{ "route_id", "agency_id", "route_short_name", "route_long_name", "route_desc",
	  "jintong_kind" },
	{ "service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	  "start_date", "end_date" },
	{ "service_id", "date", "exception_type" },
	{ "shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence" },
	{ "route_id", "service_id", "trip_id", "shape_id", "block_id" },
	{ "trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
	  "location_group_id", "location_id", "start_pickup_drop_off_window",
	  "end_pickup_drop_off_window", "pickup_type", "drop_off_type", "pickup_booking_rule_id",
	  "drop_off_booking_rule_id" },
	{ "trip_id" },
	{ "booking_rule_id", "booking_type", "prior_notice_duration_min", "prior_notice_duration_max",
	  "prior_notice_last_day", "prior_notice_last_time", "prior_notice_start_day",
	  "prior_notice_start_time", "prior_notice_service_id", "message", "pickup_message",
	  "drop_off_message", "phone_number", "info_url", "booking_url" },
	{ "location_group_id", "location_group_name", "location_id" },
	{ "location_group_id", "stop_id" },
};

/*
 * Column names of the GTFS-Flex v2 draft that real feeds still use, and the
 * adopted names they are read as.
 */
static const char *const draft_names[][2] = {
	{ "start_pickup_dropoff_window", "start_pickup_drop_off_window" },
	{ "end_pickup_dropoff_window", "end_pickup_drop_off_window" },
};

/* The header line with the draft names renamed; data is replaced (and *len with it). */
static char *draft_header(struct imp_file *f, char *data, size_t *len)
{
	for (size_t k = 0; k < JT_ARRAY_LEN(draft_names); k++) {
		size_t head = strcspn(data, "\n");
		const char *old = draft_names[k][0], *now = draft_names[k][1];
		char *at = memmem(data, head < *len ? head : *len, old, strlen(old));
		if (!at)
			continue;
		size_t off = (size_t)(at - data), lo = strlen(old), ln = strlen(now);
		char *out = xmalloc(*len - lo + ln + 1);
		memcpy(out, data, off);
		memcpy(out + off, now, ln);
		memcpy(out + off + ln, at + lo, *len - off - lo);
		*len = *len - lo + ln;
		out[*len] = '\0';
		free(data);
		data = out;
		imp_report(f, 1, "%s: the GTFS-Flex v2 draft name, read as %s", old, now);
	}
	return data;
}

/* The header's columns that are not among cols, comma-separated, or NULL. */
static char *ignored_columns(const struct csv *r, const char *const *cols)
{
	char *list = NULL;
	size_t len = 0;
	for (int c = 0; c < csv_columns(r); c++) {
		const char *name = csv_column_name(r, c);
		bool known = false;
		for (int i = 0; i < IMP_COLS && cols[i] && !known; i++)
			known = strcmp(cols[i], name) == 0;
		if (known)
			continue;
		size_t n = strlen(name);
		list = xrealloc(list, len + n + 3);
		len += (size_t)snprintf(list + len, n + 3, "%s%s", len ? ", " : "", name);
	}
	return list;
}

void imp_reject(struct imp_file *f, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%lu: ", f->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	f->rejected++;
}

void imp_report(struct imp_file *f, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%lu: ", f->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool progress_tty;

void imp_progress(const char *what, size_t done, size_t total)
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

/* ---- the pure helpers ---- */

static const char *const kind_map[][2] = {
	{ "scheduled", "scheduled rural line" }, { "student", "student run" },
	{ "market_day", "market-day run" },      { "logistics", "logistics run" },
	{ "on_demand", "on-demand zone" },
};

const char *gtfs_kind_desc(const char *kind)
{
	for (size_t i = 0; kind && i < JT_ARRAY_LEN(kind_map); i++)
		if (strcmp(kind, kind_map[i][0]) == 0)
			return kind_map[i][1];
	return kind;
}

const char *gtfs_line_kind(const char *jintong_kind, const char *desc)
{
	if (jintong_kind && *jintong_kind) {
		for (size_t i = 0; i < JT_ARRAY_LEN(kind_map); i++)
			if (strcmp(jintong_kind, kind_map[i][0]) == 0)
				return kind_map[i][0];
		return NULL;
	}
	for (size_t i = 0; desc && i < JT_ARRAY_LEN(kind_map); i++)
		if (strcmp(desc, kind_map[i][1]) == 0)
			return kind_map[i][0];
	return "scheduled";
}

size_t gtfs_pick_pattern(const char *const *keys, size_t n)
{
	size_t best = 0, best_count = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(keys[k], keys[i]) == 0;
		if (seen)
			continue;
		size_t count = 0;
		for (size_t k = i; k < n; k++)
			count += strcmp(keys[k], keys[i]) == 0;
		if (count > best_count)
			best = i, best_count = count;
	}
	return best;
}

bool gtfs_weekdays(const char *const days[7], char *buf, size_t size)
{
	static const char *const names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < 7; i++)
		if (days[i] && strcmp(days[i], "1") == 0 && used + 5 < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "", names[i]);
	return used > 0;
}

bool gtfs_iso_date(const char *d, char buf[11])
{
	if (!d || strlen(d) != 8 || strspn(d, "0123456789") != 8)
		return false;
	snprintf(buf, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
	return true;
}

/* ---- reading ---- */

static char *dup_n(const char *s, size_t n)
{
	char *c = xmalloc(n + 1);
	memcpy(c, s ? s : "", s ? n : 0);
	c[s ? n : 0] = '\0';
	return c;
}

/* Reads and checks one file; false only when a required file is missing. */
static bool load(struct imp_file *f, const char *dir, const char *name, const char *const *cols,
		 bool required)
{
	f->name = name;
	snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
	FILE *fp = fopen(f->path, "rb");
	if (!fp) {
		if (required)
			cli_error("cannot read %s: %s; a GTFS feed needs it", f->path, strerror(errno));
		return !required;
	}
	f->present = true;
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len, fp)) > 0)
		if ((len += got) == cap)
			data = xrealloc(data, cap *= 2);
	fclose(fp);
	data[len < cap ? len : cap - 1] = '\0';
	data = draft_header(f, data, &len);

	enum gtfs_file gf;
	struct csv_error ce;
	char err[256];
	struct csv *r = gtfs_file_lookup(name, &gf) == 0 ? csv_open(data, len, &ce) : NULL;
	if (!r) {
		imp_reject(f, 1, "the header cannot be read: %s", ce.msg);
		free(data);
		return true;
	}
	if (gtfs_check_header(gf, r, err, sizeof err) != 0) {
		imp_reject(f, 1, "%s", err);
		csv_close(r);
		free(data);
		return true;
	}
	struct gtfs_layout l;
	gtfs_layout_init(&l, gf, r);
	f->ignored = ignored_columns(r, cols);
	int idx[IMP_COLS], extra[IMP_COLS];
	for (int i = 0; i < IMP_COLS; i++) {
		idx[i] = cols[i] ? gtfs_column_index(gf, cols[i]) : -1;
		extra[i] = cols[i] && idx[i] < 0 ? csv_column(r, cols[i]) : -1;
	}
	struct csv_row row;
	int rc;
	while ((rc = csv_next(r, &row)) != 0) {
		if (rc < 0) {
			imp_reject(f, csv_last_error(r)->line, "%s", csv_last_error(r)->msg);
			continue;
		}
		if (gtfs_check_row(&l, &row, err, sizeof err) != 0) {
			imp_reject(f, row.line, "%s", err);
			continue;
		}
		if (f->n == f->cap)
			f->rows = xrealloc(f->rows, (f->cap = f->cap ? f->cap * 2 : 64) * sizeof *f->rows);
		struct imp_row *w = &f->rows[f->n++];
		memset(w, 0, sizeof *w);
		w->line = row.line;
		for (int i = 0; i < IMP_COLS; i++) {
			size_t vl = 0;
			const char *v = NULL;
			if (idx[i] >= 0)
				v = gtfs_value(&l, &row, idx[i], &vl);
			else if (extra[i] >= 0)
				v = csv_field(&row, extra[i], &vl);
			w->v[i] = dup_n(v, vl);
		}
	}
	csv_close(r);
	free(data);
	return true;
}

static void file_free(struct imp_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		for (int k = 0; k < IMP_COLS; k++)
			free(f->rows[i].v[k]);
	for (size_t i = 0; i < f->n; i++)
		free(f->rows[i].gid);
	free(f->rows);
	free(f->ignored);
}

/* The row whose column col is s, or NULL. */
struct imp_row *imp_find(struct imp_file *f, int col, const char *s)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->rows[i].v[col], s) == 0)
			return &f->rows[i];
	return NULL;
}

/*
 * Sends body (put here) to path unless dry. CLI_OK; CLI_USAGE when the
 * daemon refused the record (it has said why); else a daemon error, kept.
 */
int imp_send(struct imp *im, const char *path, json_object *body, json_object **reply)
{
	if (reply)
		*reply = NULL;
	if (im->dry) {
		json_object_put(body);
		return CLI_OK;
	}
	static const struct client_hints quiet = { "", "", false };
	json_object *got = NULL;
	int rc = client_post(im->ctx->client, path, body, &quiet, &got);
	json_object_put(body);
	if (reply)
		*reply = got;
	else
		json_object_put(got);
	if (rc != CLI_OK && rc != CLI_USAGE && rc != CLI_NOT_FOUND)
		im->fatal = rc;
	return rc == CLI_NOT_FOUND ? CLI_USAGE : rc;
}

static json_object *str(const char *s)
{
	return json_object_new_string(s);
}

int imp_put(struct imp *im, struct imp_file *f, const char *coll, const char *code,
	    json_object *body, const char *const *keep_out)
{
	if (im->dry) {
		json_object_put(body);
		f->imported++;
		return CLI_OK;
	}
	const struct client_hints quiet = { "", "", im->update };
	char *path = xasprintf("/v1/admin/%s", coll);
	json_object *got = NULL, *before = NULL, *after = NULL;
	int rc = client_post(im->ctx->client, path, body, &quiet, &got);
	if (rc == CLI_OK) {
		f->imported++;
	} else if (im->update && client_last_status(im->ctx->client) == 409) {
		char *esc = client_escape(im->ctx->client, code);
		char *one = xasprintf("%s/%s", path, esc);
		free(esc);
		json_object_object_del(body, "code");
		for (size_t i = 0; keep_out && keep_out[i]; i++)
			json_object_object_del(body, keep_out[i]);
		rc = client_get(im->ctx->client, one, &quiet, &before);
		if (rc == CLI_OK)
			rc = client_patch(im->ctx->client, one, body, &quiet, &after);
		if (rc == CLI_OK && json_object_equal(before, after))
			f->unchanged++;
		else if (rc == CLI_OK)
			f->changed++;
		free(one);
	}
	json_object_put(got);
	json_object_put(before);
	json_object_put(after);
	json_object_put(body);
	free(path);
	if (rc != CLI_OK && rc != CLI_USAGE && rc != CLI_NOT_FOUND)
		im->fatal = rc;
	return rc == CLI_NOT_FOUND ? CLI_USAGE : rc;
}

/* A refused code: reported, false. */
bool imp_code_ok(struct imp_file *f, struct imp_row *r, const char *col, const char *code)
{
	if (check_code(code))
		return true;
	imp_reject(f, r->line,
		   "%s: \"%.32s\" is not a Jintong code (1-32 letters, digits, '.', '_', '-')", col,
		   code);
	return false;
}

/* Adds what to the file's list of columns not kept. */
static void add_ignored(struct imp_file *f, const char *what)
{
	size_t len = f->ignored ? strlen(f->ignored) : 0, n = strlen(what);
	f->ignored = xrealloc(f->ignored, len + n + 3);
	snprintf(f->ignored + len, n + 3, "%s%s", len ? ", " : "", what);
}

/* ---- operators, stops, lines, calendars ---- */

static void import_agencies(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_AGENCY];
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		if (!*r->v[0]) {
			if (f->n > 1) {
				imp_reject(f, r->line, "agency_id: needed when the feed has several agencies");
				continue;
			}
			free(r->v[0]);
			r->v[0] = dup_n("AGENCY", 6);
		}
		if (!imp_code_ok(f, r, "agency_id", r->v[0]))
			continue;
		json_object *b = json_object_new_object();
		json_object_object_add(b, "code", str(r->v[0]));
		json_object_object_add(b, "name", str(r->v[1]));
		imp_gtfs_id(b, r);
		if (imp_put(im, f, "operators", r->v[0], b, NULL) == CLI_OK)
			r->ok = true;
		else if (!im->fatal)
			imp_reject(f, r->line, "agency_id: %s refused by the daemon", r->v[0]);
	}
}

static void import_stops(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_STOPS];
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		imp_progress("stops", i, f->n);
		if (*r->v[4] && strcmp(r->v[4], "0") != 0) {
			fprintf(stderr, "%s:%lu: location_type: %s is not a stop; skipped\n", f->path,
				r->line, r->v[4]);
			f->skipped++;
			continue;
		}
		if (!imp_code_ok(f, r, "stop_id", r->v[0]))
			continue;
		double lat, lon;
		if (csv_parse_double(r->v[2], strlen(r->v[2]), &lat) != 0 ||
		    csv_parse_double(r->v[3], strlen(r->v[3]), &lon) != 0) {
			imp_reject(f, r->line, "stop_lat: a stop needs its position");
			continue;
		}
		json_object *b = json_object_new_object();
		json_object_object_add(b, "code", str(r->v[0]));
		json_object_object_add(b, "name", str(r->v[1]));
		json_object_object_add(b, "kind", str(*r->v[5] ? r->v[5] : "roadside"));
		json_object_object_add(b, "lat", json_object_new_double(lat));
		json_object_object_add(b, "lon", json_object_new_double(lon));
		imp_gtfs_id(b, r);
		if (imp_put(im, f, "stops", r->v[0], b, NULL) == CLI_OK)
			r->ok = true;
		else if (!im->fatal)
			imp_reject(f, r->line, "stop_id: %s refused by the daemon", r->v[0]);
	}
	imp_progress("stops", f->n, f->n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Does the route run on-demand trips: any of its trips served within
 * windows or at location groups or zones? flex: the sorted ids of such trips.
 */
static bool route_on_demand(struct imp *im, const char *route, const char **flex, size_t nflex)
{
	struct imp_file *tr = &im->f[IMP_TRIPS];
	for (size_t i = 0; i < tr->n; i++) {
		const char *id = tr->rows[i].v[2];
		if (strcmp(tr->rows[i].v[0], route) == 0 && bsearch(&id, flex, nflex, sizeof *flex, cmp_str))
			return true;
	}
	return false;
}

static void import_routes(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_ROUTES], *ag = &im->f[IMP_AGENCY], *st = &im->f[IMP_TIMES];
	const char **flex = xcalloc(st->n + 1, sizeof *flex);
	size_t nflex = 0;
	for (size_t i = 0; i < st->n; i++) {
		char *const *v = st->rows[i].v;
		if (*v[IMP_ST_START] || *v[IMP_ST_GROUP] || *v[IMP_ST_ZONE])
			flex[nflex++] = v[IMP_ST_TRIP];
	}
	qsort(flex, nflex, sizeof *flex, cmp_str);
	bool short_lost = false, desc_lost = false;
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		if (!imp_code_ok(f, r, "route_id", r->v[0]))
			continue;
		struct imp_row *a = *r->v[1] ? imp_find(ag, 0, r->v[1])
				    : ag->n == 1 ? &ag->rows[0]
						 : NULL;
		if (!a || !a->ok) {
			if (!*r->v[1])
				imp_reject(f, r->line, "agency_id: needed when the feed has several agencies");
			else
				imp_reject(f, r->line, "agency_id: %s %s", r->v[1],
					   a ? "was not imported" : "is not in agency.txt");
			continue;
		}
		/* a line has one name and a kind: what else routes.txt says is not kept */
		short_lost |= *r->v[2] && *r->v[3] && strcmp(r->v[2], r->v[0]) != 0;
		const char *kind = gtfs_line_kind(r->v[5], r->v[4]);
		desc_lost |= *r->v[4] && strcmp(gtfs_kind_desc(kind ? kind : ""), r->v[4]) != 0;
		/* a route of demand-responsive trips is an on-demand line */
		if (kind && !*r->v[5] && strcmp(kind, "scheduled") == 0 &&
		    route_on_demand(im, r->v[0], flex, nflex))
			kind = "on_demand";
		if (!kind) {
			imp_reject(f, r->line, "jintong_kind: not a line kind");
			continue;
		}
		json_object *b = json_object_new_object();
		json_object_object_add(b, "code", str(r->v[0]));
		json_object_object_add(b, "name", str(*r->v[3] ? r->v[3] : r->v[2]));
		json_object_object_add(b, "kind", str(kind));
		json_object_object_add(b, "operator", str(a->v[0]));
		imp_gtfs_id(b, r);
		if (imp_put(im, f, "lines", r->v[0], b, NULL) == CLI_OK)
			r->ok = true;
		else if (!im->fatal)
			imp_reject(f, r->line, "route_id: %s refused by the daemon", r->v[0]);
	}
	free(flex);
	if (short_lost)
		add_ignored(f, "route_short_name (a line is named by route_long_name)");
	if (desc_lost)
		add_ignored(f, "route_desc (kept only when it names a line kind)");
}

/* The dates of service_id in calendar_dates.txt of exception type t, as a JSON array. */
static json_object *exceptions(struct imp_file *d, const char *service, const char *t)
{
	json_object *a = json_object_new_array();
	char day[11];
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->rows[i].v[0], service) == 0 && strcmp(d->rows[i].v[2], t) == 0 &&
		    gtfs_iso_date(d->rows[i].v[1], day))
			json_object_array_add(a, str(day));
	return a;
}

static void calendar_done(struct imp *im, const char *service, bool ok)
{
	struct imp_file *d = &im->f[IMP_DATES];
	for (size_t i = 0; i < d->n; i++) {
		struct imp_row *r = &d->rows[i];
		if (strcmp(r->v[0], service) != 0 || r->ok)
			continue;
		r->ok = true; /* counted */
		if (ok)
			d->imported++;
		else
			imp_reject(d, r->line, "service_id: %s was not imported", service);
	}
	if (ok) {
		im->services = xrealloc(im->services, (im->nservices + 1) * sizeof *im->services);
		im->services[im->nservices++] = dup_n(service, strlen(service));
	}
}

static int by_text(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(json_object *const *)a),
		      json_object_get_string(*(json_object *const *)b));
}

/*
 * --update, a service given only as dates: does the calendar of that code
 * run on exactly those dates between the first and the last? A weekly or
 * market-day calendar exported as its dates is then left as it is.
 */
static bool runs_on(struct imp *im, const char *code, json_object *dates)
{
	size_t n = json_object_array_length(dates);
	if (n == 0)
		return false;
	json_object *sorted = json_object_new_array_ext((int)n), *reply = NULL;
	for (size_t i = 0; i < n; i++)
		json_object_array_add(sorted, json_object_get(json_object_array_get_idx(dates, i)));
	json_object_array_sort(sorted, by_text);
	char *esc = client_escape(im->ctx->client, code);
	char *path = xasprintf("/v1/admin/calendars/%s/dates?from=%s&to=%s", esc,
			       json_object_get_string(json_object_array_get_idx(sorted, 0)),
			       json_object_get_string(json_object_array_get_idx(sorted, n - 1)));
	free(esc);
	const struct client_hints quiet = { "", "", true };
	bool same = false;
	if (client_get(im->ctx->client, path, &quiet, &reply) == CLI_OK)
		same = json_object_equal(fmt_member(reply, "dates"), sorted);
	json_object_put(reply);
	json_object_put(sorted);
	free(path);
	return same;
}

static void import_calendars(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_CAL], *d = &im->f[IMP_DATES];
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		char days[40], start[11], end[11];
		bool ok = imp_code_ok(f, r, "service_id", r->v[0]);
		if (ok && !gtfs_weekdays((const char *const *)&r->v[1], days, sizeof days)) {
			imp_reject(f, r->line, "monday: the service runs on no day of the week");
			ok = false;
		}
		if (ok && (!gtfs_iso_date(r->v[8], start) || !gtfs_iso_date(r->v[9], end))) {
			imp_reject(f, r->line, "start_date: not a date");
			ok = false;
		}
		if (ok) {
			json_object *b = json_object_new_object();
			json_object_object_add(b, "code", str(r->v[0]));
			json_object_object_add(b, "name", str(r->v[0]));
			json_object_object_add(b, "kind", str("weekly"));
			json_object_object_add(b, "weekdays", str(days));
			json_object_object_add(b, "start", str(start));
			json_object_object_add(b, "end", str(end));
			json_object_object_add(b, "added", exceptions(d, r->v[0], "1"));
			json_object_object_add(b, "removed", exceptions(d, r->v[0], "2"));
			imp_gtfs_id(b, r);
			ok = imp_put(im, f, "calendars", r->v[0], b, NULL) == CLI_OK;
			if (!ok && !im->fatal)
				imp_reject(f, r->line, "service_id: %s refused by the daemon", r->v[0]);
		}
		calendar_done(im, r->v[0], ok);
	}
	/* Services only in calendar_dates.txt: their added dates. */
	for (size_t i = 0; i < d->n && !im->fatal; i++) {
		struct imp_row *r = &d->rows[i];
		if (r->ok)
			continue;
		bool ok = check_code(r->v[0]);
		if (ok) {
			json_object *b = json_object_new_object();
			json_object_object_add(b, "code", str(r->v[0]));
			json_object_object_add(b, "name", str(r->v[0]));
			json_object_object_add(b, "kind", str("dates"));
			json_object *added = exceptions(d, r->v[0], "1");
			json_object_object_add(b, "added", added);
			imp_gtfs_id(b, r);
			struct imp_file counted = { 0 };
			if (im->update && !im->dry && runs_on(im, r->v[0], added)) {
				json_object_put(b); /* a calendar of its own kind already runs on them */
				ok = true;
			} else {
				ok = imp_put(im, &counted, "calendars", r->v[0], b, NULL) == CLI_OK;
			}
		}
		char *service = dup_n(r->v[0], strlen(r->v[0]));
		calendar_done(im, service, ok);
		free(service);
	}
}

/* Was calendar service imported? */
bool imp_service_ok(struct imp *im, const char *service)
{
	for (size_t i = 0; i < im->nservices; i++)
		if (strcmp(im->services[i], service) == 0)
			return true;
	return false;
}

/* ---- the command ---- */

/* The files of the feed that Jintong does not read, sorted: reported as ignored. */
static void extra_files(struct imp *im, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		bool known = e->d_name[0] == '.' || strcmp(e->d_name, "locations.geojson") == 0;
		for (int i = 0; i < IMP_N && !known; i++)
			known = strcmp(e->d_name, file_names[i]) == 0;
		size_t n = strlen(e->d_name);
		bool feed_file = (n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0) ||
				 (n > 8 && strcmp(e->d_name + n - 8, ".geojson") == 0);
		if (known || !feed_file)
			continue;
		im->extra_files = xrealloc(im->extra_files, (im->nextra_files + 1) * sizeof *im->extra_files);
		im->extra_files[im->nextra_files++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (im->nextra_files)
		qsort(im->extra_files, im->nextra_files, sizeof *im->extra_files, cmp_str);
}

int gtfs_import(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *dir = args->argv[0];
	struct imp im = { .ctx = ctx,
			  .dry = cmd_opt(args, "dry-run") != NULL,
			  .update = cmd_opt(args, "update") != NULL };
	progress_tty = isatty(STDERR_FILENO);
	/* stops.txt may be left out when every place is a zone of locations.geojson */
	char geo[4096];
	snprintf(geo, sizeof geo, "%s/locations.geojson", dir);
	bool zones = access(geo, F_OK) == 0;
	bool required[IMP_N] = { true, !zones, true, false, false, false, true, true,
				 false, false, false, false };
	bool ok = true;
	for (int i = 0; i < IMP_N; i++) {
		imp_progress("reading the feed", (size_t)i, IMP_N);
		ok &= load(&im.f[i], dir, file_names[i], file_cols[i], required[i]);
	}
	imp_progress("reading the feed", IMP_N, IMP_N);
	extra_files(&im, dir);
	if (ok && !im.f[IMP_CAL].present && !im.f[IMP_DATES].present) {
		cli_error("%s has neither calendar.txt nor calendar_dates.txt; a GTFS feed needs one", dir);
		ok = false;
	}
	int rc = ok ? CLI_OK : CLI_USAGE;
	if (ok) {
		imp_map_ids(&im, dir);
		import_agencies(&im);
		if (!im.fatal)
			import_stops(&im);
		if (!im.fatal)
			imp_zones(&im, dir);
		if (!im.fatal)
			imp_groups(&im);
		if (!im.fatal)
			import_routes(&im);
		if (!im.fatal)
			import_calendars(&im);
		if (!im.fatal)
			imp_booking_rules(&im);
		if (!im.fatal)
			imp_trips(&im);
		size_t rejected = 0;
		printf("%s %s:\n", im.dry ? "Checked (nothing sent)" : "Imported", dir);
		for (int i = 0; i <= IMP_N; i++) {
			struct imp_file *f = i < IMP_N ? &im.f[i] : &im.geo;
			if (!f->present || i == IMP_FREQ)
				continue;
			rejected += f->rejected;
			printf("  %-19s %zu %s, %zu rejected", f->name, f->imported,
			       im.update ? "added" : "imported", f->rejected);
			if (im.update)
				printf(", %zu changed, %zu unchanged", f->changed, f->unchanged);
			if (f->skipped)
				printf(", %zu skipped", f->skipped);
			putchar('\n');
			if (f->ignored)
				printf("  %-19s columns ignored: %s\n", "", f->ignored);
		}
		for (size_t i = 0; i < im.nextra_files; i++)
			printf("  %-19s ignored: Jintong does not read this file\n", im.extra_files[i]);
		if (im.fatal) {
			cli_error("the daemon failed part way; what is listed above was sent");
			rc = im.fatal;
		} else if (rejected) {
			rc = CLI_USAGE;
		}
	}
	for (int i = 0; i < IMP_N; i++)
		file_free(&im.f[i]);
	imp_ids_free(&im);
	for (size_t i = 0; i < im.nextra_files; i++)
		free(im.extra_files[i]);
	free(im.extra_files);
	for (size_t i = 0; i < im.nservices; i++)
		free(im.services[i]);
	free(im.services);
	for (size_t i = 0; i < im.nzones; i++)
		free(im.zones[i]);
	free(im.zones);
	return rc;
}
