/*
 * trip.c — timetable sheets read from CSV, and CSV written for GTFS.
 */
#include "trip.h"

#include "format.h"
#include "timetable.h"

#include "check.h"
#include "csv.h"
#include "table.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

bool trip_parse_hhmm(const char *s, size_t len, int *min)
{
	if (len != 5 || s[2] != ':')
		return false;
	for (size_t i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 47 || m > 59)
		return false;
	*min = h * 60 + m;
	return true;
}

void sheet_free(struct sheet *s)
{
	for (size_t i = 0; i < s->nstops; i++)
		free(s->stops[i]);
	free(s->trips);
	memset(s, 0, sizeof *s);
}

/* Field col of row, trimmed of blanks, into buf; false when too long for it. */
static bool field(const struct csv_row *row, int col, char *buf, size_t size)
{
	size_t len;
	const char *p = csv_field(row, col, &len);
	if (!p)
		len = 0;
	while (len && (*p == ' ' || *p == '\t'))
		p++, len--;
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len >= size)
		return false;
	memcpy(buf, p ? p : "", len);
	buf[len] = '\0';
	return true;
}

/* One cell of a trip's row: stop i's times. Returns false after printing why. */
static bool read_cell(const char *name, unsigned long line, const struct sheet *s, size_t i,
		      const char *cell, struct sheet_trip *t, FILE *err)
{
	const char *slash = strchr(cell, '/');
	size_t la = slash ? (size_t)(slash - cell) : strlen(cell);
	char *shown = table_clean(cell);
	bool ok = false;
	if (!*cell)
		fprintf(err, "%s:%lu: no time at stop %s; give HH:MM at every stop of the route\n", name,
			line, s->stops[i]);
	else if (!trip_parse_hhmm(cell, la, &t->arr[i]) ||
		 !trip_parse_hhmm(slash ? slash + 1 : cell, slash ? strlen(slash + 1) : la, &t->dep[i]))
		fprintf(err, "%s:%lu: \"%s\" at stop %s is not a time; write HH:MM, or HH:MM/HH:MM "
			"for arrival and departure (hours up to 47 after midnight)\n",
			name, line, shown, s->stops[i]);
	else if (t->dep[i] < t->arr[i])
		fprintf(err, "%s:%lu: at stop %s the departure %s comes before the arrival; write "
			"arrival/departure\n",
			name, line, s->stops[i], shown);
	else if (i > 0 && t->arr[i] < t->dep[i - 1])
		fprintf(err, "%s:%lu: the time at stop %s (%s) is before the departure from %s; times "
			"must not go backwards along the route\n",
			name, line, s->stops[i], shown, s->stops[i - 1]);
	else
		ok = true;
	free(shown);
	return ok;
}

size_t sheet_read(const char *name, const char *data, size_t len, struct sheet *s, FILE *err)
{
	struct csv_error ce;
	size_t problems = 0;
	memset(s, 0, sizeof *s);
	struct csv *r = csv_open(data, len, &ce);
	if (!r) {
		fprintf(err, "%s:%lu: %s; the first line is the header: trip,STOP,STOP,...\n", name,
			ce.line ? ce.line : 1, ce.msg);
		return 1;
	}
	int ncols = csv_columns(r);
	if (ncols < 3 || strcmp(csv_column_name(r, 0), "trip") != 0) {
		fprintf(err, "%s:1: the header must be trip followed by the codes of the route's stops "
			"in order (trip,S1,S2,...)\n",
			name);
		problems++;
	} else if ((size_t)ncols - 1 > SHEET_STOPS_MAX) {
		fprintf(err, "%s:1: more than %d stops; a route has fewer\n", name, SHEET_STOPS_MAX);
		problems++;
	} else {
		for (int c = 1; c < ncols; c++) {
			const char *code = csv_column_name(r, c);
			if (!check_code(code)) {
				char *shown = table_clean(code);
				fprintf(err, "%s:1: \"%s\" in the header is not a stop code; give the codes "
					"`jintong stop list` shows\n",
					name, shown);
				free(shown);
				problems++;
			}
			s->stops[s->nstops++] = xstrdup(code);
		}
	}
	if (problems) {
		csv_close(r);
		return problems;
	}
	struct csv_row row;
	int got;
	size_t cap = 0;
	while ((got = csv_next(r, &row)) != 0) {
		if (got < 0) {
			const struct csv_error *e = csv_last_error(r);
			fprintf(err, "%s:%lu: %s\n", name, e->line, e->msg);
			problems++;
			continue;
		}
		if (s->ntrips == SHEET_TRIPS_MAX) {
			fprintf(err, "%s:%lu: more than %d trips; split the sheet\n", name, row.line,
				SHEET_TRIPS_MAX);
			problems++;
			break;
		}
		if (s->ntrips == cap) {
			cap = cap ? cap * 2 : 16;
			s->trips = xrealloc(s->trips, cap * sizeof *s->trips);
		}
		struct sheet_trip *t = &s->trips[s->ntrips];
		memset(t, 0, sizeof *t);
		t->line = row.line;
		bool ok = true;
		if (row.count < ncols) {
			fprintf(err, "%s:%lu: %d times for %zu stops; give one time for each stop\n", name,
				row.line, row.count - 1 < 0 ? 0 : row.count - 1, s->nstops);
			problems++;
			continue;
		}
		if (!field(&row, 0, t->code, sizeof t->code) || !check_code(t->code)) {
			fprintf(err, "%s:%lu: the trip code is missing or not a code; 1 to 32 letters, "
				"digits, '.', '_' or '-' (L1-0630)\n",
				name, row.line);
			ok = false;
		}
		for (size_t i = 0; i < s->nstops; i++) {
			char cell[64];
			if (!field(&row, (int)i + 1, cell, sizeof cell)) {
				fprintf(err, "%s:%lu: the time at stop %s is too long; write HH:MM\n", name,
					row.line, s->stops[i]);
				ok = false;
				break;
			}
			if (!read_cell(name, row.line, s, i, cell, t, err)) {
				ok = false;
				break;
			}
		}
		for (size_t k = 0; ok && k < s->ntrips; k++)
			if (strcmp(s->trips[k].code, t->code) == 0) {
				fprintf(err, "%s:%lu: trip %s is also on line %lu; give each trip once\n",
					name, row.line, t->code, s->trips[k].line);
				ok = false;
			}
		if (ok)
			s->ntrips++;
		else
			problems++;
	}
	if (!problems && s->ntrips == 0) {
		fprintf(err, "%s: no trips; write one row per trip under the header\n", name);
		problems++;
	}
	csv_close(r);
	return problems;
}

void csv_put(FILE *f, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_row(FILE *f, size_t n, const char *const *fields)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_put(f, fields[i]);
	}
	fputc('\n', f);
}

const char *trip_short_time(char *buf, size_t size, const char *t)
{
	if (!t)
		return NULL;
	size_t n = strlen(t);
	if (n == 8 && strcmp(t + 5, ":00") == 0)
		snprintf(buf, size, "%.5s", t);
	else
		snprintf(buf, size, "%s", t);
	return buf;
}

json_object *trip_parse_times(const char *s, char *err, size_t errlen)
{
	json_object *out = json_object_new_array();
	size_t i = 0;
	for (const char *p = s; p; i++) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char item[40];
		int32_t a, b;
		if (n == 0 || n >= sizeof item) {
			snprintf(err, errlen, "stop %zu in --times is %s", i + 1, n ? "too long" : "empty");
			json_object_put(out);
			return NULL;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		char *sep = strpbrk(item, "/-");
		char kind = sep ? *sep : 0;
		if (sep)
			*sep = '\0';
		if (timetable_parse_time(item, &a) != 0 || (sep && timetable_parse_time(sep + 1, &b) != 0)) {
			snprintf(err, errlen, "stop %zu in --times is not HH:MM, HH:MM/HH:MM (arrival/"
					      "departure) or HH:MM-HH:MM (a window)",
				 i + 1);
			json_object_put(out);
			return NULL;
		}
		if (kind == '-') {
			json_object *w = json_object_new_array(), *o = json_object_new_object();
			json_object_array_add(w, json_object_new_string(item));
			json_object_array_add(w, json_object_new_string(sep + 1));
			json_object_object_add(o, "window", w);
			json_object_array_add(out, o);
		} else if (kind == '/') {
			json_object *pair = json_object_new_array();
			json_object_array_add(pair, json_object_new_string(item));
			json_object_array_add(pair, json_object_new_string(sep + 1));
			json_object_array_add(out, pair);
		} else {
			json_object_array_add(out, json_object_new_string(item));
		}
		p = end ? end + 1 : NULL;
	}
	return out;
}

static const char *window_end(json_object *st, size_t k)
{
	json_object *w = fmt_member(st, "window");
	return json_object_is_type(w, json_type_array) && json_object_array_length(w) == 2
		       ? json_object_get_string(json_object_array_get_idx(w, k))
		       : NULL;
}

const char *trip_stop_first(json_object *st)
{
	return fmt_str(st, "departure") ? fmt_str(st, "departure") : window_end(st, 0);
}

const char *trip_stop_last(json_object *st)
{
	return fmt_str(st, "arrival") ? fmt_str(st, "arrival") : window_end(st, 1);
}
