/*
 * osmand.c — reading one fix from a tracking app that speaks OsmAnd.
 *
 * Traccar Client, OsmAnd and a dozen look-alikes send a fix either as
 * parameters (GET query or form body) or, in newer Traccar Client versions,
 * as a JSON document. Both arrive from the open network, so both are read
 * strictly and within fixed bounds: a whole value must be a number, lengths
 * and parameter counts are capped, unknown parameters and members are
 * ignored, and nothing from the request is echoed into the error detail.
 *
 * Units are converted here (speed in knots, battery in percent, hdop) so that
 * every struct fix leaving this file speaks metres, m/s and fractions.
 * Ranges are not checked here; fix_validate() does that for every protocol.
 */
#include "osmand.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "timeparse.h"
#include "util.h"

/* One knot is one nautical mile (1852 m) per hour. */
#define KNOT_MPS (1852.0 / 3600.0)

/*
 * OsmAnd reports hdop, not metres. A receiver's horizontal error is roughly
 * hdop times the user-equivalent range error, about 5 m for consumer GPS, so
 * accuracy ≈ hdop × 5 m when the app gives no accuracy of its own.
 */
#define HDOP_METRES 5.0

/* Longest decoded parameter value and name looked at. */
#define VALUE_MAX 128
#define KEY_MAX 16

static int fail(struct parse_error *err, enum fix_reason reason, const char *fmt, ...)
	JT_PRINTF(3, 4);

static int fail(struct parse_error *err, enum fix_reason reason, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->reason = reason;
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof err->detail, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* s[0..n) equals the lower-case word w, ignoring ASCII case. */
static bool word_equal(const char *s, size_t n, const char *w)
{
	size_t k = 0;
	for (; k < n && w[k]; k++) {
		char ch = s[k];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != w[k])
			return false;
	}
	return k == n && w[k] == '\0';
}

/*
 * The decimal grammar strtod() should see: [sign] digits [. digits] [e [sign]
 * digits], or nan / inf / infinity (those reach fix_validate() as not_finite).
 * Hex floats, leading spaces and "nan(...)" are refused before strtod() could
 * accept them.
 */
static bool number_syntax(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (word_equal(s + i, n - i, "nan") || word_equal(s + i, n - i, "inf") ||
	    word_equal(s + i, n - i, "infinity"))
		return true;
	for (; i < n && is_digit(s[i]); i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit(s[i]); i++)
			digits++;
	if (digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < n && is_digit(s[i]); i++)
			exp_digits++;
		if (exp_digits == 0)
			return false;
	}
	return i == n;
}

static bool parse_number(const char *s, size_t n, double *out)
{
	char buf[VALUE_MAX + 1];
	if (n == 0 || n > VALUE_MAX || !number_syntax(s, n))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	double v = strtod(buf, &end);
	/* The daemon runs in the C locale; any other decimal sign stops strtod
	 * early and the value is refused rather than misread. */
	if (end != buf + n)
		return false;
	*out = v;
	return true;
}

/* ---- query strings and form bodies ---------------------------------- */

enum decode_result { DECODE_OK, DECODE_BAD_ESCAPE, DECODE_TOO_LONG };

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) with '+' as space into buf[cap], terminated. */
static enum decode_result url_decode(const char *s, size_t n, char *buf, size_t cap,
				     size_t *outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			if (n - i < 3)
				return DECODE_BAD_ESCAPE;
			int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return DECODE_BAD_ESCAPE;
			ch = (char)(hi * 16 + lo);
			i += 2;
		}
		if (o + 1 >= cap)
			return DECODE_TOO_LONG;
		buf[o++] = ch;
	}
	buf[o] = '\0';
	*outlen = o;
	return DECODE_OK;
}

enum param {
	P_ID,
	P_LAT,
	P_LON,
	P_LOCATION,
	P_TIMESTAMP,
	P_SPEED,
	P_HEADING,
	P_ALTITUDE,
	P_ACCURACY,
	P_HDOP,
	P_BATT,
	P_COUNT
};

/* Parameter names as apps send them; aliases share one slot, and the first
 * occurrence of a slot wins. */
static const struct {
	const char *name;
	enum param param;
} param_names[] = {
	{"id", P_ID},
	{"deviceid", P_ID},
	{"lat", P_LAT},
	{"lon", P_LON},
	{"location", P_LOCATION},
	{"timestamp", P_TIMESTAMP},
	{"speed", P_SPEED},
	{"bearing", P_HEADING},
	{"heading", P_HEADING},
	{"altitude", P_ALTITUDE},
	{"accuracy", P_ACCURACY},
	{"hdop", P_HDOP},
	{"batt", P_BATT},
};

/* A raw (still encoded) value and the name it came under. */
struct slot {
	const char *p;
	size_t n;
	const char *name; /* NULL: not sent */
};

static enum param param_lookup(const char *s, size_t n, const char **name)
{
	char key[KEY_MAX + 1];
	size_t klen;
	if (url_decode(s, n, key, sizeof key, &klen) != DECODE_OK)
		return P_COUNT;
	for (size_t i = 0; i < JT_ARRAY_LEN(param_names); i++) {
		if (strlen(param_names[i].name) == klen && memcmp(param_names[i].name, key, klen) == 0) {
			*name = param_names[i].name;
			return param_names[i].param;
		}
	}
	return P_COUNT;
}

/* Splits the query into the slots Jintong reads. */
static int split_query(const char *q, size_t len, struct slot slots[P_COUNT],
		       struct parse_error *err)
{
	const char *p = q, *end = q + len;
	size_t count = 0;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *seg_end = amp ? amp : end;
		if (seg_end > p) {
			if (++count > OSMAND_PARAMS_MAX)
				return fail(err, FIX_MALFORMED, "more than %d parameters",
					    OSMAND_PARAMS_MAX);
			const char *eq = memchr(p, '=', (size_t)(seg_end - p));
			const char *key_end = eq ? eq : seg_end;
			const char *name = NULL;
			enum param prm = param_lookup(p, (size_t)(key_end - p), &name);
			if (prm != P_COUNT && !slots[prm].name) {
				slots[prm].name = name;
				slots[prm].p = eq ? eq + 1 : seg_end;
				slots[prm].n = (size_t)(seg_end - slots[prm].p);
			}
		}
		p = amp ? amp + 1 : end;
	}
	return 0;
}

/* Decodes a slot's value into buf[VALUE_MAX + 1]; empty values are malformed. */
static int slot_text(const struct slot *s, char *buf, size_t *n, struct parse_error *err)
{
	switch (url_decode(s->p, s->n, buf, VALUE_MAX + 1, n)) {
	case DECODE_OK:
		break;
	case DECODE_BAD_ESCAPE:
		return fail(err, FIX_MALFORMED, "%s has a bad percent-escape", s->name);
	case DECODE_TOO_LONG:
		return fail(err, FIX_MALFORMED, "%s is longer than %d bytes", s->name, VALUE_MAX);
	}
	if (*n == 0)
		return fail(err, FIX_MALFORMED, "%s is empty", s->name);
	return 0;
}

/* A numeric slot; leaves *out alone when the app did not send it. */
static int slot_number(const struct slot *s, double *out, struct parse_error *err)
{
	char buf[VALUE_MAX + 1];
	size_t n;
	if (!s->name)
		return 0;
	if (slot_text(s, buf, &n, err) < 0)
		return -1;
	if (!parse_number(buf, n, out))
		return fail(err, FIX_MALFORMED, "%s is not a number", s->name);
	return 0;
}

static int query_device(const struct slot *s, struct fix *out, struct parse_error *err)
{
	char buf[VALUE_MAX + 1];
	size_t n;
	if (!s->name || s->n == 0)
		return fail(err, FIX_MISSING_DEVICE, "no id or deviceid");
	switch (url_decode(s->p, s->n, buf, sizeof buf, &n)) {
	case DECODE_OK:
		break;
	case DECODE_BAD_ESCAPE:
		return fail(err, FIX_MALFORMED, "%s has a bad percent-escape", s->name);
	case DECODE_TOO_LONG:
		n = sizeof buf; /* longer than any device identifier */
		break;
	}
	if (!fix_device_id_valid(buf, n))
		return fail(err, FIX_BAD_DEVICE, "%s must be 1..%d printable ASCII characters",
			    s->name, JT_DEVICE_ID_MAX);
	memcpy(out->device, buf, n);
	out->device[n] = '\0';
	return 0;
}

static int query_position(const struct slot *slots, struct fix *out, struct parse_error *err)
{
	if (slots[P_LAT].name && slots[P_LON].name) {
		if (slot_number(&slots[P_LAT], &out->lat, err) < 0)
			return -1;
		return slot_number(&slots[P_LON], &out->lon, err);
	}
	if (!slots[P_LOCATION].name) {
		if (slots[P_LAT].name || slots[P_LON].name)
			return fail(err, FIX_MISSING_POSITION, "%s without %s",
				    slots[P_LAT].name ? "lat" : "lon",
				    slots[P_LAT].name ? "lon" : "lat");
		return fail(err, FIX_MISSING_POSITION, "no lat and lon, and no location");
	}
	char buf[VALUE_MAX + 1];
	size_t n;
	if (slot_text(&slots[P_LOCATION], buf, &n, err) < 0)
		return -1;
	const char *comma = memchr(buf, ',', n);
	if (!comma)
		return fail(err, FIX_MALFORMED, "location is not lat,lon");
	size_t k = (size_t)(comma - buf);
	if (!parse_number(buf, k, &out->lat) || !parse_number(comma + 1, n - k - 1, &out->lon))
		return fail(err, FIX_MALFORMED, "location is not lat,lon");
	return 0;
}

static int query_time(const struct slot *s, struct fix *out, struct parse_error *err)
{
	char buf[VALUE_MAX + 1];
	size_t n;
	if (!s->name)
		return fail(err, FIX_MISSING_TIME, "no timestamp");
	if (slot_text(s, buf, &n, err) < 0)
		return -1;
	if (ts_parse(buf, n, &out->time) < 0)
		return fail(err, FIX_MALFORMED,
			    "timestamp is neither Unix seconds/milliseconds nor an ISO 8601 time");
	return 0;
}

int osmand_parse_query(const char *q, size_t len, struct fix *out, struct parse_error *err)
{
	struct slot slots[P_COUNT] = {{0}};
	fix_init(out);
	if (!q) {
		q = "";
		len = 0;
	}
	if (len > OSMAND_QUERY_MAX)
		return fail(err, FIX_MALFORMED, "query longer than %d bytes", OSMAND_QUERY_MAX);
	if (split_query(q, len, slots, err) < 0 || query_device(&slots[P_ID], out, err) < 0 ||
	    query_position(slots, out, err) < 0 || query_time(&slots[P_TIMESTAMP], out, err) < 0)
		return -1;

	double knots = NAN, hdop = NAN, percent = NAN;
	if (slot_number(&slots[P_SPEED], &knots, err) < 0 ||
	    slot_number(&slots[P_HEADING], &out->heading, err) < 0 ||
	    slot_number(&slots[P_ALTITUDE], &out->altitude, err) < 0 ||
	    slot_number(&slots[P_ACCURACY], &out->accuracy, err) < 0 ||
	    slot_number(&slots[P_HDOP], &hdop, err) < 0 ||
	    slot_number(&slots[P_BATT], &percent, err) < 0)
		return -1;
	out->speed = knots * KNOT_MPS;
	if (!slots[P_ACCURACY].name)
		out->accuracy = hdop * HDOP_METRES;
	out->battery = percent / 100.0;
	return 0;
}

/* ---- JSON bodies ------------------------------------------------------ */

/* A member of obj, or NULL when absent or JSON null (json-c's NULL object). */
static json_object *member(json_object *obj, const char *key)
{
	json_object *v = NULL;
	if (!obj || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

static bool is_number(json_object *v)
{
	return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
}

/* A member that must be an object when present. */
static int json_child(json_object *obj, const char *key, const char *path, json_object **out,
		      struct parse_error *err)
{
	json_object *v = member(obj, key);
	if (v && !json_object_is_type(v, json_type_object))
		return fail(err, FIX_MALFORMED, "%s is not an object", path);
	*out = v;
	return 0;
}

/* An optional reading: absent, null or -1 (how the apps say "unknown") → NAN. */
static int json_optional(json_object *obj, const char *key, const char *path, double *out,
			 struct parse_error *err)
{
	json_object *v = member(obj, key);
	if (!v)
		return 0;
	if (!is_number(v))
		return fail(err, FIX_MALFORMED, "%s is not a number", path);
	double d = json_object_get_double(v);
	*out = d == -1 ? NAN : d;
	return 0;
}

static int json_required(json_object *obj, const char *key, const char *path, double *out,
			 struct parse_error *err)
{
	json_object *v = member(obj, key);
	if (!v)
		return fail(err, FIX_MISSING_POSITION, "no %s", path);
	if (!is_number(v))
		return fail(err, FIX_MALFORMED, "%s is not a number", path);
	*out = json_object_get_double(v);
	return 0;
}

static int json_device(json_object *root, struct fix *out, struct parse_error *err)
{
	json_object *v = member(root, "device_id");
	if (!v)
		return fail(err, FIX_MISSING_DEVICE, "no device_id");
	if (!json_object_is_type(v, json_type_string))
		return fail(err, FIX_MALFORMED, "device_id is not a string");
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	if (n == 0)
		return fail(err, FIX_MISSING_DEVICE, "device_id is empty");
	if (!fix_device_id_valid(s, n))
		return fail(err, FIX_BAD_DEVICE,
			    "device_id must be 1..%d printable ASCII characters", JT_DEVICE_ID_MAX);
	memcpy(out->device, s, n);
	out->device[n] = '\0';
	return 0;
}

/* location.timestamp: ISO 8601 text, or a number read like the query's. */
static int json_time(json_object *loc, struct fix *out, struct parse_error *err)
{
	json_object *v = member(loc, "timestamp");
	if (!v)
		return fail(err, FIX_MISSING_TIME, "no location.timestamp");
	if (!json_object_is_type(v, json_type_string) && !is_number(v))
		return fail(err, FIX_MALFORMED, "location.timestamp is not a string or number");
	/* json-c keeps a number's original text, so 1700000000.25 reads as sent. */
	const char *s = json_object_get_string(v);
	size_t n = json_object_is_type(v, json_type_string)
			   ? (size_t)json_object_get_string_len(v)
			   : strlen(s);
	if (ts_parse(s, n, &out->time) < 0)
		return fail(err, FIX_MALFORMED,
			    "location.timestamp is neither Unix seconds/milliseconds nor ISO 8601");
	return 0;
}

static int json_fix(json_object *root, struct fix *out, struct parse_error *err)
{
	json_object *loc = NULL, *coords = NULL, *battery = NULL;
	if (!json_object_is_type(root, json_type_object))
		return fail(err, FIX_MALFORMED, "body is not a JSON object");
	if (json_device(root, out, err) < 0 ||
	    json_child(root, "location", "location", &loc, err) < 0)
		return -1;
	if (!loc)
		return fail(err, FIX_MISSING_POSITION, "no location");
	if (json_child(loc, "coords", "location.coords", &coords, err) < 0)
		return -1;
	if (!coords)
		return fail(err, FIX_MISSING_POSITION, "no location.coords");
	if (json_required(coords, "latitude", "location.coords.latitude", &out->lat, err) < 0 ||
	    json_required(coords, "longitude", "location.coords.longitude", &out->lon, err) < 0 ||
	    json_time(loc, out, err) < 0 ||
	    json_optional(coords, "speed", "location.coords.speed", &out->speed, err) < 0 ||
	    json_optional(coords, "heading", "location.coords.heading", &out->heading, err) < 0 ||
	    json_optional(coords, "altitude", "location.coords.altitude", &out->altitude, err) < 0 ||
	    json_optional(coords, "accuracy", "location.coords.accuracy", &out->accuracy, err) < 0 ||
	    json_child(loc, "battery", "location.battery", &battery, err) < 0 ||
	    json_optional(battery, "level", "location.battery.level", &out->battery, err) < 0)
		return -1;
	return 0;
}

int osmand_parse_json(const char *body, size_t len, struct fix *out, struct parse_error *err)
{
	fix_init(out);
	if (!body || len == 0)
		return fail(err, FIX_MALFORMED, "empty body");
	if (len > OSMAND_JSON_MAX)
		return fail(err, FIX_MALFORMED, "body longer than %d bytes", OSMAND_JSON_MAX);
	if (memchr(body, '\0', len))
		return fail(err, FIX_MALFORMED, "body contains a NUL byte");

	json_tokener *tok = json_tokener_new_ex(OSMAND_JSON_DEPTH);
	if (!tok)
		fatal("out of memory creating a JSON parser");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
					    JSON_TOKENER_VALIDATE_UTF8);
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	int rc;
	if (jerr != json_tokener_success) {
		rc = fail(err, FIX_MALFORMED, "not JSON: %s",
			  jerr == json_tokener_continue ? "unexpected end"
							: json_tokener_error_desc(jerr));
	} else {
		rc = 0;
		for (size_t i = end; i < len && rc == 0; i++)
			if (!strchr(" \t\r\n", body[i]))
				rc = fail(err, FIX_MALFORMED, "bytes after the JSON object");
		if (rc == 0)
			rc = json_fix(root, out, err);
	}
	json_object_put(root);
	return rc;
}
