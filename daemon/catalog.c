/*
 * catalog.c — the network's collections as tables of fields; see catalog.h.
 */
#include "catalog.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const stop_kinds[] = { "roadside", "village", "school",      "market",
					   "clinic",   "depot",   "town_centre", NULL };
static const char *const line_kinds[] = { "scheduled", "student",   "market_day",
					   "logistics", "on_demand", NULL };

static const struct field town_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL },
	{ "county_seat", FIELD_BOOL, false, "county_seat", NULL, NULL, "false" },
};
static const struct field village_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL },
	{ "town", FIELD_REF, true, "town_id", NULL, "towns", NULL },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL },
};
static const struct field operator_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL },
	{ "district", FIELD_TEXT, false, "district", NULL, NULL, "" },
};
static const struct field stop_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL },
	{ "kind", FIELD_ENUM, true, "kind", stop_kinds, NULL, NULL },
	{ "lat", FIELD_LAT, true, NULL, NULL, NULL, NULL },
	{ "lon", FIELD_LON, true, NULL, NULL, NULL, NULL },
	{ "village", FIELD_REF, false, "village_id", NULL, "villages", NULL },
};
static const struct field line_fields[] = {
	{ "code", FIELD_CODE, true, "code", NULL, NULL, NULL },
	{ "name", FIELD_NAME, true, "name", NULL, NULL, NULL },
	{ "kind", FIELD_ENUM, true, "kind", line_kinds, NULL, NULL },
	{ "operator", FIELD_REF, true, "operator_id", NULL, "operators", NULL },
};

#define COLL(n, e, t, p, f) { n, e, t, p, f, JT_ARRAY_LEN(f) }
const struct collection catalog_collections[] = {
	COLL("towns", "town", "town", "centre", town_fields),
	COLL("villages", "village", "village", "committee", village_fields),
	COLL("operators", "operator", "operator", NULL, operator_fields),
	COLL("stops", "stop", "stop", "location", stop_fields),
	COLL("lines", "line", "line", NULL, line_fields),
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

bool catalog_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CATALOG_CODE_MAX)
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
		if (f->required || f->kind != FIELD_REF) {
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
					 r ? r->entity : f->ref, s);
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
		json_object_object_add(out, f->name, json_object_get(v));
	}
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
		add(q, "(SELECT id FROM %s WHERE code = $%d)", catalog_find(f->ref)->table, param);
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
			add(&q, "(SELECT x.code FROM %s x WHERE x.id = t.%s)", catalog_find(f->ref)->table,
			    f->column);
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
		else
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
		else if (s)
			v = json_object_new_string(s);
		json_object_object_add(o, f->name, v);
	}
	return o;
}
