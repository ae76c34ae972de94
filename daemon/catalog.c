/*
 * catalog.c — the network's collections as tables of fields; see catalog.h.
 */
#include "catalog.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtfsfield.h"
#include "gtfsid.h"
#include "timetable.h"
#include "util.h"

static const char *const stop_kinds[] = { "roadside", "village", "school",      "market",
					   "clinic",   "depot",   "town_centre", NULL };
static const char *const line_kinds[] = { "scheduled", "student",   "market_day",
					   "logistics", "on_demand", NULL };

static const struct field town_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL, 0, 0 },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL, 0, 0 },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL, 0, 0 },
	{ "county_seat", FIELD_BOOL, false, "county_seat", NULL, NULL, "false", 0, 0 },
};
static const struct field village_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL, 0, 0 },
	{ "town", FIELD_REF, true, "town_id", NULL, "towns", NULL, 0, 0 },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL, 0, 0 },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL, 0, 0 },
};
static const struct field operator_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL, 0, 0 },
	{ "district", FIELD_TEXT, false, "district", NULL, NULL, "", 0, 0 },
	{ "gtfs_id", FIELD_GTFS_ID, false, "gtfs_id", NULL, NULL, "", 0, 0 },
};
static const struct field stop_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL, 0, 0 },
	{ "kind", FIELD_ENUM, true, "kind", stop_kinds, NULL, NULL, 0, 0 },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL, 0, 0 },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL, 0, 0 },
	{ "village", FIELD_REF, false, "village_id", NULL, "villages", NULL, 0, 0 },
	{ "gtfs_id", FIELD_GTFS_ID, false, "gtfs_id", NULL, NULL, "", 0, 0 },
};
static const struct field line_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL, 0, 0 },
	{ "kind", FIELD_ENUM, true, "kind", line_kinds, NULL, NULL, 0, 0 },
	{ "operator", FIELD_REF, true, "operator_id", NULL, "operators", NULL, 0, 0 },
	{ "gtfs_id", FIELD_GTFS_ID, false, "gtfs_id", NULL, NULL, "", 0, 0 },
};

/*
 * How a ride on an on-demand trip is booked (GTFS-Flex booking_rules.txt):
 * in real time, the same day with notice_min minutes' notice (and at most
 * notice_max before), or up to last_day days before at last_time (from
 * start_day days before at start_time, counted on the days of service).
 */
static const char *const booking_kinds[] = { "real_time", "same_day", "prior_days", NULL };
#define MINUTES_MAX 527040 /* a leap year of notice */
#define DAYS_MAX 366
static const struct field booking_rule_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL, 0, 0 },
	{ "kind", FIELD_ENUM, true, "kind", booking_kinds, NULL, NULL, 0, 0 },
	{ "notice_min", FIELD_INT, false, "notice_min", NULL, NULL, NULL, 0, MINUTES_MAX },
	{ "notice_max", FIELD_INT, false, "notice_max", NULL, NULL, NULL, 0, MINUTES_MAX },
	{ "last_day", FIELD_INT, false, "last_day", NULL, NULL, NULL, 0, DAYS_MAX },
	{ "last_time", FIELD_TIME, false, "last_time", NULL, NULL, NULL, 0, 0 },
	{ "start_day", FIELD_INT, false, "start_day", NULL, NULL, NULL, 0, DAYS_MAX },
	{ "start_time", FIELD_TIME, false, "start_time", NULL, NULL, NULL, 0, 0 },
	{ "service", FIELD_REF, false, "service_id", NULL, "calendars", NULL, 0, 0 },
	{ "message", FIELD_MESSAGE, false, "message", NULL, NULL, "", 0, 0 },
	{ "pickup_message", FIELD_MESSAGE, false, "pickup_message", NULL, NULL, "", 0, 0 },
	{ "drop_off_message", FIELD_MESSAGE, false, "drop_off_message", NULL, NULL, "", 0, 0 },
	{ "phone", FIELD_PHONE, false, "phone", NULL, NULL, "", 0, 0 },
	{ "info_url", FIELD_URL, false, "info_url", NULL, NULL, "", 0, 0 },
	{ "booking_url", FIELD_URL, false, "booking_url", NULL, NULL, "", 0, 0 },
	{ "gtfs_id", FIELD_GTFS_ID, false, "gtfs_id", NULL, NULL, "", 0, 0 },
};

static bool set(struct json_object *rec, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(rec, key, &v) && v != NULL;
}

/*
 * The GTFS-Flex conditions between a booking rule's fields, so that every
 * rule stored can be written to booking_rules.txt as it is.
 */
static int booking_rules(struct json_object *rec, char *err, size_t errlen)
{
	const char *kind = json_object_get_string(json_object_object_get(rec, "kind"));
	bool same_day = strcmp(kind, "same_day") == 0, prior = strcmp(kind, "prior_days") == 0;
	const char *why = NULL;
	if (same_day && !set(rec, "notice_min"))
		why = "a same_day rule needs notice_min, the minutes of notice a booking needs";
	else if (!same_day && (set(rec, "notice_min") || set(rec, "notice_max")))
		why = "notice_min and notice_max are for same_day rules only";
	else if (prior && (!set(rec, "last_day") || !set(rec, "last_time")))
		why = "a prior_days rule needs last_day and last_time, the last moment to book";
	else if (!prior && (set(rec, "last_day") || set(rec, "last_time")))
		why = "last_day and last_time are for prior_days rules only";
	else if (set(rec, "start_day") != set(rec, "start_time"))
		why = "start_day and start_time go together";
	else if (set(rec, "start_day") && !prior && !same_day)
		why = "a real_time rule has no start_day";
	else if (set(rec, "start_day") && same_day && set(rec, "notice_max"))
		why = "a same_day rule has either notice_max or start_day, not both";
	else if (set(rec, "service") && !prior)
		why = "service (the days notice is counted on) is for prior_days rules only";
	if (!why && set(rec, "notice_max") &&
	    json_object_get_int(json_object_object_get(rec, "notice_max")) <
		    json_object_get_int(json_object_object_get(rec, "notice_min")))
		why = "notice_max is below notice_min";
	if (!why && set(rec, "start_day") && prior &&
	    json_object_get_int(json_object_object_get(rec, "start_day")) <
		    json_object_get_int(json_object_object_get(rec, "last_day")))
		why = "start_day is below last_day: booking would close before it opens";
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}

#define COLL(n, e, t, p, f) { n, e, t, p, f, JT_ARRAY_LEN(f), NULL }
const struct collection catalog_collections[] = {
	COLL("towns", "town", "town", "centre", town_fields),
	COLL("villages", "village", "village", "committee", village_fields),
	COLL("operators", "operator", "operator", NULL, operator_fields),
	COLL("stops", "stop", "stop", "location", stop_fields),
	COLL("lines", "line", "line", NULL, line_fields),
	{ "booking-rules", "booking rule", "booking_rule", NULL, booking_rule_fields,
	  JT_ARRAY_LEN(booking_rule_fields), booking_rules },
};
#undef COLL
const size_t catalog_ncollections = JT_ARRAY_LEN(catalog_collections);

const struct collection *catalog_find(const char *name)
{
	for (size_t i = 0; i < catalog_ncollections; i++)
		if (strcmp(catalog_collections[i].name, name) == 0)
			return &catalog_collections[i];
	return NULL;
}

const struct collection *catalog_find_entity(const char *entity)
{
	for (size_t i = 0; i < catalog_ncollections; i++)
		if (strcmp(catalog_collections[i].entity, entity) == 0)
			return &catalog_collections[i];
	return NULL;
}

/* The table a reference points into: a catalogue collection's, or the calendars'. */
static const char *ref_table(const struct field *f)
{
	const struct collection *c = catalog_find(f->ref);
	if (c)
		return c->table;
	if (strcmp(f->ref, "calendars") == 0)
		return "calendar";
	fatal("field %s refers to an unknown collection %s", f->name, f->ref);
}

bool catalog_code_valid(const char *s)
{
	return catalog_name_valid(s, CATALOG_CODE_MAX);
}

bool catalog_name_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (!alnum && (i == 0 || (ch != '.' && ch != '_' && ch != '-')))
			return false;
	}
	return true;
}

bool catalog_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned min;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false; /* control characters have no place in a name */
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			min = 0x80;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			min = 0x800;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (p[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

const char *catalog_code(struct json_object *rec)
{
	struct json_object *v;
	return json_object_object_get_ex(rec, "code", &v) ? json_object_get_string(v) : "";
}

static const struct field *field_named(const struct collection *c, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].name, name) == 0)
			return &c->fields[i];
	return NULL;
}

static bool is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
}

/* Checks one value for its field; NULL value means JSON null. */
static int check_value(const struct collection *c, const struct field *f, struct json_object *v,
		       catalog_exists_fn exists, void *arg, char *err, size_t errlen)
{
	if (!v) {
		if (f->required ||
		    (f->kind != FIELD_REF && f->kind != FIELD_INT && f->kind != FIELD_TIME)) {
			snprintf(err, errlen, "%s %s cannot be empty", c->entity, f->name);
			return -1;
		}
		return 0;
	}
	switch (f->kind) {
	case FIELD_CODE:
	case FIELD_NAME:
	case FIELD_TEXT:
	case FIELD_ENUM:
	case FIELD_REF: {
		if (!json_object_is_type(v, json_type_string)) {
			snprintf(err, errlen, "%s must be text", f->name);
			return -1;
		}
		const char *s = json_object_get_string(v);
		size_t n = (size_t)json_object_get_string_len(v);
		if (strlen(s) != n || !catalog_utf8_valid(s, n)) {
			snprintf(err, errlen, "%s must be valid UTF-8 without control characters", f->name);
			return -1;
		}
		if (f->kind == FIELD_CODE || f->kind == FIELD_REF) {
			if (!catalog_code_valid(s)) {
				snprintf(err, errlen,
					 "%s must be 1 to 32 letters, digits, '.', '_' or '-', starting with "
					 "a letter or digit",
					 f->name);
				return -1;
			}
			if (f->kind == FIELD_REF && !exists(arg, f->ref, s)) {
				const struct collection *r = catalog_find(f->ref);
				snprintf(err, errlen, "there is no %s %.32s; add it first",
					 r ? r->entity : "calendar", s);
				return -1;
			}
		} else if (f->kind == FIELD_ENUM) {
			for (const char *const *e = f->values; *e; e++)
				if (strcmp(*e, s) == 0)
					return 0;
			char list[256] = "";
			for (const char *const *e = f->values; *e; e++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 e == f->values ? "" : ", ", *e);
			snprintf(err, errlen, "%s must be one of %s", f->name, list);
			return -1;
		} else if (n > CATALOG_NAME_MAX || (f->kind == FIELD_NAME && n == 0)) {
			snprintf(err, errlen, "%s must be %s%d bytes", f->name,
				 f->kind == FIELD_NAME ? "1 to " : "at most ", CATALOG_NAME_MAX);
			return -1;
		}
		return 0;
	}
	case FIELD_LAT:
	case FIELD_LON: {
		double lim = f->kind == FIELD_LAT ? 90 : 180;
		double x = is_number(v) ? json_object_get_double(v) : NAN;
		if (!isfinite(x) || x < -lim || x > lim) {
			snprintf(err, errlen, "%s must be a number from %g to %g", f->name, -lim, lim);
			return -1;
		}
		return 0;
	}
	case FIELD_BOOL:
		if (!json_object_is_type(v, json_type_boolean)) {
			snprintf(err, errlen, "%s must be true or false", f->name);
			return -1;
		}
		return 0;
	case FIELD_INT:
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < f->min ||
		    json_object_get_int64(v) > f->max) {
			snprintf(err, errlen, "%s must be a whole number from %lld to %lld", f->name,
				 f->min, f->max);
			return -1;
		}
		return 0;
	case FIELD_TIME: {
		int32_t t;
		if (!json_object_is_type(v, json_type_string) ||
		    timetable_parse_time(json_object_get_string(v), &t) != 0) {
			snprintf(err, errlen, "%s must be a time HH:MM or HH:MM:SS (up to 47:59:59)",
				 f->name);
			return -1;
		}
		return 0;
	}
	case FIELD_MESSAGE:
	case FIELD_URL:
	case FIELD_PHONE: {
		size_t max = f->kind == FIELD_PHONE ? CATALOG_PHONE_MAX : CATALOG_MESSAGE_MAX;
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		size_t n = s ? (size_t)json_object_get_string_len(v) : 0;
		if (!s || strlen(s) != n || n > max || !catalog_utf8_valid(s, n)) {
			snprintf(err, errlen, "%s must be text of at most %zu bytes, valid UTF-8 without "
					      "control characters",
				 f->name, max);
			return -1;
		}
		if (n && f->kind == FIELD_URL && !gtfs_url_valid(s, n)) {
			snprintf(err, errlen, "%s must be an http:// or https:// address, or empty", f->name);
			return -1;
		}
		if (n && f->kind == FIELD_PHONE && !strpbrk(s, "0123456789")) {
			snprintf(err, errlen, "%s must be a telephone number, or empty", f->name);
			return -1;
		}
		return 0;
	}
	case FIELD_GTFS_ID: {
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		size_t n = s ? (size_t)json_object_get_string_len(v) : 0;
		const char *why = !s ? "it must be text" : n ? gtfsid_invalid(s, n) : NULL;
		if (why) {
			snprintf(err, errlen, "%s: %s, or empty", f->name, why);
			return -1;
		}
		return 0;
	}
	}
	fatal("field %s has kind %d", f->name, (int)f->kind);
}

struct json_object *catalog_build(const struct collection *c, struct json_object *in,
				  struct json_object *base, catalog_exists_fn exists, void *arg,
				  char *err, size_t errlen)
{
	json_object_object_foreach(in, key, val)
	{
		(void)val;
		if (!field_named(c, key)) {
			snprintf(err, errlen, "a %s has no field '%.40s'", c->entity, key);
			return NULL;
		}
	}
	struct json_object *out = json_object_new_object();
	for (size_t i = 0; i < c->nfields; i++) {
		const struct field *f = &c->fields[i];
		struct json_object *v = NULL;
		bool given = json_object_object_get_ex(in, f->name, &v);
		if (given && base && f->kind == FIELD_CODE &&
		    (!v || strcmp(json_object_get_string(v), catalog_code(base)) != 0)) {
			snprintf(err, errlen, "a %s's code cannot change; add a new %s instead",
				 c->entity, c->entity);
			goto fail;
		}
		if (!given && base) {
			json_object_object_get_ex(base, f->name, &v);
		} else if (!given) {
			if (f->required) {
				snprintf(err, errlen, "a %s needs %s", c->entity, f->name);
				goto fail;
			}
			if (f->text_default && f->kind == FIELD_BOOL)
				v = json_object_new_boolean(strcmp(f->text_default, "true") == 0);
			else if (f->text_default)
				v = json_object_new_string(f->text_default);
			json_object_object_add(out, f->name, v);
			continue;
		}
		if (check_value(c, f, v, exists, arg, err, errlen) != 0)
			goto fail;
		if (v && f->kind == FIELD_TIME) {
			/* as it reads back from the database: HH:MM:SS */
			int32_t t = 0;
			char buf[16];
			if (timetable_parse_time(json_object_get_string(v), &t) != 0)
				fatal("field %s: a checked time does not parse", f->name);
			timetable_format_time(t, buf, sizeof buf, false);
			json_object_object_add(out, f->name, json_object_new_string(buf));
			continue;
		}
		if (v && (f->kind == FIELD_LAT || f->kind == FIELD_LON) &&
		    !json_object_is_type(v, json_type_double)) {
			/* a degree is a double, as it reads back from the database: 30 and
			 * 30.0 are the same place, and an edit giving either changes nothing */
			json_object_object_add(out, f->name, json_object_new_double(json_object_get_double(v)));
			continue;
		}
		json_object_object_add(out, f->name, json_object_get(v));
	}
	if (c->rules && c->rules(out, err, errlen) != 0)
		goto fail;
	/* A point at exactly 0,0 is an unset receiver, not a place in the county. */
	struct json_object *la, *lo;
	if (json_object_object_get_ex(out, "lat", &la) && json_object_object_get_ex(out, "lon", &lo) &&
	    la && lo && json_object_get_double(la) == 0 && json_object_get_double(lo) == 0) {
		snprintf(err, errlen, "lat 0, lon 0 is not a place in the county");
		goto fail;
	}
	return out;
fail:
	json_object_put(out);
	return NULL;
}

struct sql {
	char *p;
	size_t len, cap;
};

static void add(struct sql *q, const char *fmt, ...) JT_PRINTF(2, 3);
static void add(struct sql *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	q->p = xgrow(q->p, &q->cap, q->len + (size_t)k + 1, 1);
	va_start(ap, fmt);
	vsnprintf(q->p + q->len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	q->len += (size_t)k;
}

/* The SQL value of field i given its parameter number; lat/lon become one point. */
static void value_expr(struct sql *q, const struct collection *c, const struct field *f, int param)
{
	if (f->kind == FIELD_REF)
		add(q, "(SELECT id FROM %s WHERE code = $%d)", ref_table(f), param);
	else if (f->kind == FIELD_INT || f->kind == FIELD_TIME)
		add(q, "$%d::integer", param);
	else if (f->kind == FIELD_BOOL)
		add(q, "$%d::boolean", param);
	else
		add(q, "$%d", param);
}

/* Parameter numbers of lat and lon (fields are numbered in order from 1). */
static void point_params(const struct collection *c, int *lat, int *lon)
{
	for (size_t i = 0; i < c->nfields; i++) {
		if (c->fields[i].kind == FIELD_LAT)
			*lat = (int)i + 1;
		if (c->fields[i].kind == FIELD_LON)
			*lon = (int)i + 1;
	}
}

static void audit_tail(struct sql *q, const struct collection *c, const char *action, int first)
{
	add(q,
	    "), a AS (INSERT INTO audit (operator, action, entity, key, detail)"
	    " SELECT $%d, '%s', '%s', r.code, $%d::jsonb FROM r)"
	    " SELECT count(*) FROM r",
	    first, action, c->entity, first + 1);
}

char *catalog_sql_insert(const struct collection *c)
{
	struct sql q = { 0 };
	add(&q, "WITH r AS (INSERT INTO %s (", c->table);
	bool first = true;
	for (size_t i = 0; i < c->nfields; i++) {
		if (!c->fields[i].column)
			continue;
		add(&q, "%s%s", first ? "" : ", ", c->fields[i].column);
		first = false;
	}
	if (c->point)
		add(&q, ", %s", c->point);
	add(&q, ") VALUES (");
	first = true;
	for (size_t i = 0; i < c->nfields; i++) {
		if (!c->fields[i].column)
			continue;
		if (!first)
			add(&q, ", ");
		value_expr(&q, c, &c->fields[i], (int)i + 1);
		first = false;
	}
	if (c->point) {
		int lat = 0, lon = 0;
		point_params(c, &lat, &lon);
		add(&q, ", ST_SetSRID(ST_MakePoint($%d::float8, $%d::float8), 4326)", lon, lat);
	}
	add(&q, ") RETURNING code");
	audit_tail(&q, c, "add", (int)c->nfields + 1);
	return q.p;
}

char *catalog_sql_update(const struct collection *c)
{
	struct sql q = { 0 };
	add(&q, "WITH r AS (UPDATE %s SET ", c->table);
	bool first = true;
	for (size_t i = 0; i < c->nfields; i++) {
		const struct field *f = &c->fields[i];
		if (!f->column || f->kind == FIELD_CODE)
			continue;
		add(&q, "%s%s = ", first ? "" : ", ", f->column);
		value_expr(&q, c, f, (int)i + 1);
		first = false;
	}
	if (c->point) {
		int lat = 0, lon = 0;
		point_params(c, &lat, &lon);
		add(&q, ", %s = ST_SetSRID(ST_MakePoint($%d::float8, $%d::float8), 4326)", c->point, lon,
		    lat);
	}
	add(&q, " WHERE code = $1 RETURNING code");
	audit_tail(&q, c, "edit", (int)c->nfields + 1);
	return q.p;
}

char *catalog_sql_delete(const struct collection *c)
{
	struct sql q = { 0 };
	add(&q, "WITH r AS (DELETE FROM %s WHERE code = $1 RETURNING code", c->table);
	audit_tail(&q, c, "remove", 2);
	return q.p;
}

char *catalog_sql_select(const struct collection *c)
{
	struct sql q = { 0 };
	add(&q, "SELECT ");
	for (size_t i = 0; i < c->nfields; i++) {
		const struct field *f = &c->fields[i];
		if (i)
			add(&q, ", ");
		if (f->kind == FIELD_REF)
			add(&q, "(SELECT x.code FROM %s x WHERE x.id = t.%s)", ref_table(f), f->column);
		else if (f->kind == FIELD_LAT)
			add(&q, "ST_Y(t.%s)", c->point);
		else if (f->kind == FIELD_LON)
			add(&q, "ST_X(t.%s)", c->point);
		else
			add(&q, "t.%s", f->column);
	}
	add(&q, " FROM %s t ORDER BY t.code", c->table);
	return q.p;
}

int catalog_params(const struct collection *c, struct json_object *rec, char *buf[16])
{
	int n = 0;
	for (size_t i = 0; i < c->nfields && n < 16; i++) {
		struct json_object *v = NULL;
		json_object_object_get_ex(rec, c->fields[i].name, &v);
		if (!v)
			buf[n++] = NULL;
		else if (c->fields[i].kind == FIELD_LAT || c->fields[i].kind == FIELD_LON)
			buf[n++] = xasprintf("%.17g", json_object_get_double(v));
		else if (c->fields[i].kind == FIELD_BOOL)
			buf[n++] = xstrdup(json_object_get_boolean(v) ? "true" : "false");
		else if (c->fields[i].kind == FIELD_INT)
			buf[n++] = xasprintf("%lld", (long long)json_object_get_int64(v));
		else if (c->fields[i].kind == FIELD_TIME) {
			int32_t t = 0;
			if (timetable_parse_time(json_object_get_string(v), &t) != 0)
				fatal("field %s holds an unchecked time", c->fields[i].name);
			buf[n++] = xasprintf("%d", (int)t);
		} else
			buf[n++] = xstrdup(json_object_get_string(v));
	}
	return n;
}

struct json_object *catalog_from_row(const struct collection *c, const char *const *values)
{
	struct json_object *o = json_object_new_object();
	for (size_t i = 0; i < c->nfields; i++) {
		const struct field *f = &c->fields[i];
		const char *s = values[i];
		struct json_object *v = NULL;
		if (s && (f->kind == FIELD_LAT || f->kind == FIELD_LON))
			v = json_object_new_double(strtod(s, NULL));
		else if (s && f->kind == FIELD_BOOL)
			v = json_object_new_boolean(s[0] == 't');
		else if (s && f->kind == FIELD_INT)
			v = json_object_new_int64(strtoll(s, NULL, 10));
		else if (s && f->kind == FIELD_TIME) {
			char t[16];
			timetable_format_time((int32_t)strtol(s, NULL, 10), t, sizeof t, false);
			v = json_object_new_string(t);
		}
		else if (s)
			v = json_object_new_string(s);
		json_object_object_add(o, f->name, v);
	}
	return o;
}

double catalog_num(struct json_object *rec, const char *key)
{
	struct json_object *v;
	return rec && json_object_object_get_ex(rec, key, &v) && v ? json_object_get_double(v) : NAN;
}
