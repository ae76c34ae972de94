/*
 * catalog.h — the named things operators edit in the route network (towns,
 * villages, transport companies, stops, lines), described as tables of fields
 * so one piece of code validates, stores and serves them all.
 *
 * A record is a JSON object holding every field of its collection, in the
 * collection's order, null where unset. Pure: no I/O; the SQL is text.
 */
#ifndef JINTONG_CATALOG_H
#define JINTONG_CATALOG_H

#include <json-c/json.h>

#include "core.h"

#define CATALOG_CODE_MAX 32
#define CATALOG_NAME_MAX 128
#define CATALOG_MESSAGE_MAX 1024
#define CATALOG_PHONE_MAX 64

enum field_kind {
	FIELD_CODE, /* the record's key: never changes */
	FIELD_NAME, /* 1..128 bytes of UTF-8 without control characters */
	FIELD_TEXT, /* 0..128 bytes, likewise */
	FIELD_ENUM, /* one of values[] */
	FIELD_REF,  /* the code of a record of collection ref */
	FIELD_LAT,  /* with FIELD_LON, the collection's point */
	FIELD_LON,
	FIELD_BOOL,
	FIELD_INT,     /* a whole number in min..max, or null when not required */
	FIELD_TIME,    /* "HH:MM[:SS]" up to 47:59:59 (seconds in SQL), or null */
	FIELD_MESSAGE, /* 0..1024 bytes of UTF-8 without control characters */
	FIELD_URL,     /* "" or an http:// or https:// URL of at most 1024 bytes */
	FIELD_PHONE,   /* "" or up to 64 digits, spaces and + - ( ) . / */
	FIELD_GTFS_ID, /* "" or the GTFS id the record was imported under (gtfsid.h) */
};

struct field {
	const char *name;           /* JSON member */
	enum field_kind kind;
	bool required;              /* when adding */
	const char *column;         /* SQL column (the id column for references) */
	const char *const *values;  /* FIELD_ENUM: NULL-terminated */
	const char *ref;            /* FIELD_REF: collection name */
	const char *text_default;   /* FIELD_TEXT / FIELD_BOOL when absent on add */
	long long min, max;         /* FIELD_INT */
};

struct collection {
	const char *name;     /* "stops": the URL and the reply's list */
	const char *entity;   /* "stop": audit and messages */
	const char *table;
	const char *point;    /* geometry column made from lat/lon, or NULL */
	const struct field *fields;
	size_t nfields;
	/* Rules between the fields of a complete record, or NULL: 0, or -1 with err. */
	int (*rules)(struct json_object *rec, char *err, size_t errlen);
};

extern const struct collection catalog_collections[];
extern const size_t catalog_ncollections;

const struct collection *catalog_find(const char *name);
const struct collection *catalog_find_entity(const char *entity);

/* Does a record of collection `coll` with this code exist? Supplied by the caller. */
typedef bool (*catalog_exists_fn)(void *arg, const char *coll, const char *code);

/*
 * Builds the complete record a request asks for: from `in` alone when adding
 * (base NULL), or `in` merged over `base` when editing. Unknown members,
 * wrong types, bad values and unknown references are refused with a message
 * naming the field. Returns a new record, or NULL with err.
 */
struct json_object *catalog_build(const struct collection *c, struct json_object *in,
				  struct json_object *base, catalog_exists_fn exists, void *arg,
				  char *err, size_t errlen);

/* The code of a record. */
const char *catalog_code(struct json_object *rec);
/* A number field of a record (its lat or lon, say); NAN when the record or the field is absent or null. */
double catalog_num(struct json_object *rec, const char *key);

/*
 * SQL, parameters numbered from $1 in field order (lat and lon as two),
 * followed by the operator's name, the action and the detail for the audit
 * row, all in one statement so the change and its audit row commit together.
 */
char *catalog_sql_insert(const struct collection *c);
char *catalog_sql_update(const struct collection *c);
char *catalog_sql_delete(const struct collection *c);
/* Loads every record: one column per field, in field order, as text. */
char *catalog_sql_select(const struct collection *c);
/* The text parameters of a record for insert/update, in field order; returns the count (<= 16). */
int catalog_params(const struct collection *c, struct json_object *rec, char *buf[16]);
/* A record from one row of catalog_sql_select(). values[i] NULL = SQL NULL. */
struct json_object *catalog_from_row(const struct collection *c, const char *const *values);

bool catalog_code_valid(const char *s);
/* The same pattern up to max characters (credentials' names, ride codes): letters, digits and
 * '.', '_', '-', starting with a letter or digit. */
bool catalog_name_valid(const char *s, size_t max);
bool catalog_utf8_valid(const char *s, size_t len);

#endif
