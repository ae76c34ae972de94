/*
 * shape.c — route shapes from text and GeoJSON files; see shape.h.
 *
 * json-c says nothing about where in the text a value was, so the line of
 * a bad GeoJSON point comes from a second look at the text: the array after
 * a "coordinates" key holds only numbers, brackets and commas, and its
 * inner brackets open one point each.
 */
#include "shape.h"

#include "check.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_HOW "give one point a line as LAT,LON in decimal degrees, latitude first, e.g. " \
		 "30.10250,104.20310"
#define GEOJSON_HOW "give a GeoJSON LineString, a Feature with a LineString geometry, or a " \
		    "text file of LAT,LON lines"

static int fail(char *err, size_t errlen, const char *fmt, ...) JT_PRINTF(3, 4);
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void add_point(struct shape *s, size_t *cap, double lat, double lon)
{
	s->pts = xgrow(s->pts, cap, 2 * (s->n + 1), sizeof *s->pts);
	s->pts[2 * s->n] = lat;
	s->pts[2 * s->n + 1] = lon;
	s->n++;
}

static int check_count(const struct shape *s, const char *name, char *err, size_t errlen)
{
	if (s->n > SHAPE_POINTS_MAX)
		return fail(err, errlen, "%s has more than %d points; simplify the route (a point "
			    "every 10 m or so is plenty)",
			    name, SHAPE_POINTS_MAX);
	if (s->n < 2)
		return fail(err, errlen, "%s has %zu point%s; a shape needs at least 2 (leave out "
			    "--shape for straight lines between the stops)",
			    name, s->n, s->n == 1 ? "" : "s");
	return 0;
}

/* One "LAT,LON" line (without its line break), or nothing but blanks and a comment. */
static int text_line(const char *line, size_t len, unsigned number, const char *name,
		     struct shape *s, size_t *cap, char *err, size_t errlen)
{
	const char *hash = memchr(line, '#', len);
	if (hash)
		len = (size_t)(hash - line);
	while (len > 0 && strchr(" \t\r", line[len - 1]))
		len--;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	if (len == 0)
		return 0;
	char buf[96];
	snprintf(buf, sizeof buf, "%.*s", (int)(len < 80 ? len : 80), line);
	char *shown = table_clean(buf);
	struct check_lat_lon p;
	enum check_at at = len < 80 ? check_lat_lon(buf, &p) : CHECK_AT_SYNTAX;
	int rc = -1;
	switch (at) {
	case CHECK_AT_OK:
		add_point(s, cap, p.lat, p.lon);
		rc = 0;
		break;
	case CHECK_AT_SYNTAX:
		fail(err, errlen, "%s line %u: \"%s%s\" is not LAT,LON; " TEXT_HOW, name, number,
		     shown, len < 80 ? "" : "...");
		break;
	case CHECK_AT_LAT_RANGE:
		fail(err, errlen, "%s line %u: the latitude in %s is outside -90..90; " TEXT_HOW, name,
		     number, shown);
		break;
	case CHECK_AT_LON_RANGE:
		fail(err, errlen, "%s line %u: the longitude in %s is outside -180..180; " TEXT_HOW,
		     name, number, shown);
		break;
	case CHECK_AT_SWAPPED:
		fail(err, errlen, "%s line %u: the latitude in %s is outside -90..90; the latitude "
		     "comes first: did you mean %.*s,%.*s?",
		     name, number, shown, p.lon_len, p.lon_text, p.lat_len, p.lat_text);
		break;
	case CHECK_AT_NULL_ISLAND:
		fail(err, errlen, "%s line %u: 0,0 is what a GPS without a fix reports, not a place "
		     "on the route; remove the line",
		     name, number);
		break;
	}
	free(shown);
	return rc;
}

static int parse_text(const char *text, size_t len, const char *name, struct shape *s,
		      char *err, size_t errlen)
{
	size_t cap = 0;
	unsigned number = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		number++;
		if (text_line(text + pos, end - pos, number, name, s, &cap, err, errlen) != 0)
			return -1;
		if (s->n > SHAPE_POINTS_MAX)
			break;
		pos = end + 1;
	}
	return check_count(s, name, err, errlen);
}

/* The line (from 1) of offset off in text. */
static unsigned line_at(const char *text, size_t off)
{
	unsigned line = 1;
	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/*
 * The line each of the n points of a "coordinates" array starts on, into
 * lines[n]; false when no such array with n points is found.
 */
static bool coordinate_lines(const char *text, size_t len, size_t n, unsigned *lines)
{
	static const char key[] = "\"coordinates\"";
	const char *end = text + len;
	for (const char *p = text; (p = memmem(p, (size_t)(end - p), key, sizeof key - 1));
	     p += sizeof key - 1) {
		const char *q = p + sizeof key - 1;
		while (q < end && strchr(" \t\r\n", *q))
			q++;
		if (q == end || *q++ != ':')
			continue;
		while (q < end && strchr(" \t\r\n", *q))
			q++;
		if (q == end || *q != '[')
			continue;
		unsigned line = line_at(text, (size_t)(q - text));
		int depth = 0;
		size_t k = 0;
		bool ok = true;
		for (; q < end && ok; q++) {
			char c = *q;
			if (c == '\n') {
				line++;
			} else if (c == '[') {
				if (++depth == 2 && k < n)
					lines[k] = line;
				k += depth == 2;
			} else if (c == ']') {
				if (--depth == 0)
					break;
			} else if (!c || !strchr("0123456789.eE+-, \t\r", c)) {
				ok = false;
			}
		}
		if (ok && depth == 0 && k == n)
			return true;
	}
	return false;
}

/* The LineString in a GeoJSON object, or NULL with err. */
static json_object *find_line_string(json_object *root, const char *name, char *err,
				     size_t errlen)
{
	const char *type = fmt_str(root, "type");
	if (type && strcmp(type, "LineString") == 0)
		return root;
	if (type && strcmp(type, "Feature") == 0) {
		json_object *g = fmt_member(root, "geometry");
		const char *gt = fmt_str(g, "type");
		if (gt && strcmp(gt, "LineString") == 0)
			return g;
		char *shown = table_clean(gt ? gt : "none");
		fail(err, errlen, "%s is a GeoJSON Feature whose geometry is %s, not a LineString; "
		     GEOJSON_HOW, name, shown);
		free(shown);
		return NULL;
	}
	if (type && strcmp(type, "FeatureCollection") == 0) {
		json_object *features = fmt_member(root, "features"), *found = NULL;
		size_t n = json_object_is_type(features, json_type_array)
				   ? json_object_array_length(features)
				   : 0, count = 0;
		for (size_t i = 0; i < n; i++) {
			json_object *g = fmt_member(json_object_array_get_idx(features, i), "geometry");
			const char *gt = fmt_str(g, "type");
			if (gt && strcmp(gt, "LineString") == 0)
				found = g, count++;
		}
		if (count == 1)
			return found;
		if (count == 0)
			fail(err, errlen, "%s is a GeoJSON FeatureCollection without a LineString; "
			     GEOJSON_HOW, name);
		else
			fail(err, errlen, "%s holds %zu LineStrings; keep only the one the route follows",
			     name, count);
		return NULL;
	}
	if (type && strcmp(type, "MultiLineString") == 0) {
		fail(err, errlen, "%s is a GeoJSON MultiLineString; join its parts into one "
		     "LineString, from the first stop to the last",
		     name);
		return NULL;
	}
	char *shown = table_clean(type ? type : "none");
	fail(err, errlen, "%s is JSON but not a GeoJSON line (its type is %s); " GEOJSON_HOW, name,
	     shown);
	free(shown);
	return NULL;
}

/* "route.geojson line 14: point 12" or, when the line is unknown, "route.geojson: point 12". */
static void point_place(char *buf, size_t size, const char *name, const unsigned *lines,
			size_t k)
{
	if (lines)
		snprintf(buf, size, "%s line %u: point %zu", name, lines[k], k + 1);
	else
		snprintf(buf, size, "%s: point %zu", name, k + 1);
}

static int geojson_point(json_object *pos, const char *where, struct shape *s, size_t *cap,
			 char *err, size_t errlen)
{
	size_t m = json_object_is_type(pos, json_type_array) ? json_object_array_length(pos) : 0;
	double v[2];
	bool ok = m >= 2; /* a third number is the altitude */
	for (size_t i = 0; ok && i < 2; i++) {
		json_object *x = json_object_array_get_idx(pos, i);
		ok = json_object_is_type(x, json_type_double) || json_object_is_type(x, json_type_int);
		v[i] = ok ? json_object_get_double(x) : 0;
		ok = ok && isfinite(v[i]);
	}
	if (!ok)
		return fail(err, errlen, "%s is not [longitude, latitude]; GeoJSON gives each point "
			    "as two numbers, e.g. [104.20310, 30.10250]",
			    where);
	double lon = v[0], lat = v[1];
	if (lat < -90 || lat > 90) {
		if (lon >= -90 && lon <= 90 && lat >= -180 && lat <= 180)
			return fail(err, errlen, "%s [%g, %g] has the latitude %g, outside -90..90; "
				    "GeoJSON gives [longitude, latitude]: was the file written "
				    "latitude first?",
				    where, lon, lat, lat);
		return fail(err, errlen, "%s [%g, %g] has the latitude %g, outside -90..90; correct "
			    "the point",
			    where, lon, lat, lat);
	}
	if (lon < -180 || lon > 180)
		return fail(err, errlen, "%s [%g, %g] has the longitude %g, outside -180..180; "
			    "correct the point",
			    where, lon, lat, lon);
	if (lat == 0 && lon == 0)
		return fail(err, errlen, "%s is 0,0, what a GPS without a fix reports, not a place on "
			    "the route; remove it",
			    where);
	add_point(s, cap, lat, lon);
	return 0;
}

static int parse_geojson(const char *text, size_t len, const char *name, struct shape *s,
			 char *err, size_t errlen)
{
	json_tokener *tok = json_tokener_new();
	if (!tok)
		fatal("out of memory reading %s", name);
	json_object *root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		json_object_put(root);
		if (e == json_tokener_continue)
			return fail(err, errlen, "%s ends in the middle of its JSON; " GEOJSON_HOW, name);
		return fail(err, errlen, "%s line %u is not valid JSON (%s); " GEOJSON_HOW, name,
			    line_at(text, end < len ? end : len), json_tokener_error_desc(e));
	}
	for (size_t i = end; i < len; i++) {
		if (!strchr(" \t\r\n", text[i])) {
			json_object_put(root);
			return fail(err, errlen, "%s line %u: more follows the JSON object; " GEOJSON_HOW,
				    name, line_at(text, i));
		}
	}
	int rc = -1;
	json_object *ls = find_line_string(root, name, err, errlen);
	json_object *coords = fmt_member(ls, "coordinates");
	if (ls && !json_object_is_type(coords, json_type_array)) {
		fail(err, errlen, "%s: the LineString has no list of coordinates; " GEOJSON_HOW, name);
	} else if (ls) {
		size_t n = json_object_array_length(coords), cap = 0;
		s->n = n; /* counted first: a file of a million points is refused unread */
		if (check_count(s, name, err, errlen) == 0) {
			s->n = 0;
			unsigned *lines = xcalloc(n, sizeof *lines);
			bool known = coordinate_lines(text, len, n, lines);
			rc = 0;
			for (size_t k = 0; k < n && rc == 0; k++) {
				char where[300];
				point_place(where, sizeof where, name, known ? lines : NULL, k);
				rc = geojson_point(json_object_array_get_idx(coords, k), where, s, &cap,
						   err, errlen);
			}
			free(lines);
		}
	}
	json_object_put(root);
	return rc;
}

int shape_parse(const char *text, size_t len, const char *name, struct shape *out, char *err,
		size_t errlen)
{
	memset(out, 0, sizeof *out);
	char *shown = table_clean(name);
	int rc;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* a byte-order mark */
		text += 3, len -= 3;
	size_t first = 0;
	while (first < len && strchr(" \t\r\n", text[first]) && text[first])
		first++;
	if (memchr(text, '\0', len))
		rc = fail(err, errlen, "%s is not a text file; " GEOJSON_HOW, shown);
	else if (first == len)
		rc = fail(err, errlen, "%s is empty; " TEXT_HOW ", or leave out --shape", shown);
	else if (text[first] == '{')
		rc = parse_geojson(text, len, shown, out, err, errlen);
	else
		rc = parse_text(text, len, shown, out, err, errlen);
	free(shown);
	if (rc != 0)
		shape_free(out);
	return rc;
}

int shape_read(const char *path, struct shape *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	char *shown = table_clean(path);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fail(err, errlen, "cannot read the shape file %s (%s); check the path given to --shape",
		     shown, strerror(errno));
		free(shown);
		return -1;
	}
	char *text = xmalloc(SHAPE_FILE_MAX + 1);
	size_t len = fread(text, 1, SHAPE_FILE_MAX + 1, f);
	bool bad = ferror(f);
	int saved = errno;
	fclose(f);
	int rc = -1;
	if (bad)
		fail(err, errlen, "cannot read the shape file %s (%s); check the path given to --shape",
		     shown, strerror(saved));
	else if (len > SHAPE_FILE_MAX)
		fail(err, errlen, "the shape file %s is larger than %u MB; simplify the route",
		     shown, SHAPE_FILE_MAX >> 20);
	else
		rc = shape_parse(text, len, path, out, err, errlen);
	free(text);
	free(shown);
	return rc;
}

void shape_free(struct shape *s)
{
	free(s->pts);
	s->pts = NULL;
	s->n = 0;
}

/* A degree to 7 decimals, without trailing zeros: 104.2, not 104.2000000. */
static json_object *degrees7(double v)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.7f", v);
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, sizeof buf, "0");
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

json_object *shape_json(const struct shape *s)
{
	json_object *a = json_object_new_array_ext((int)s->n);
	for (size_t i = 0; i < s->n; i++) {
		json_object *p = json_object_new_array_ext(2);
		json_object_array_add(p, degrees7(s->pts[2 * i]));
		json_object_array_add(p, degrees7(s->pts[2 * i + 1]));
		json_object_array_add(a, p);
	}
	return a;
}

bool shape_differs(json_object *a, json_object *b)
{
	bool ha = json_object_is_type(a, json_type_array), hb = json_object_is_type(b, json_type_array);
	if (!ha || !hb)
		return ha != hb;
	size_t n = json_object_array_length(a);
	if (n != json_object_array_length(b))
		return true;
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(a, i), *q = json_object_array_get_idx(b, i);
		for (size_t k = 0; k < 2; k++) {
			double x = json_object_get_double(json_object_array_get_idx(p, k));
			double y = json_object_get_double(json_object_array_get_idx(q, k));
			/* the daemon keeps 7 decimals: closer than half of one is the same point */
			if (fabs(x - y) > 0.5e-7)
				return true;
		}
	}
	return false;
}
