/*
 * gtfs.h — the GTFS files Jintong imports, described column by column as
 * the GTFS reference (with GTFS-Flex) defines them, and the checks of one
 * file's header and of one row's values.
 *
 * A check looks at a single file and a single row: types, ranges, enums
 * and the conditions the reference states between fields of the same row
 * (a station has no parent_station, a stop time with a pickup/drop-off
 * window has no arrival_time, ...). Whether an id refers to a row of
 * another file, or rules spanning rows (first and last stop times of a
 * trip), are the importer's business.
 *
 * Values are read with surrounding spaces removed (the reference asks
 * producers not to write them); an empty value is an absent one.
 */
#ifndef JINTONG_GTFS_H
#define JINTONG_GTFS_H

#include "core.h"
#include "csv.h"
#include "gtfsfield.h"

enum gtfs_file {
	GTFS_AGENCY,
	GTFS_STOPS,
	GTFS_ROUTES,
	GTFS_TRIPS,
	GTFS_STOP_TIMES,
	GTFS_CALENDAR,
	GTFS_CALENDAR_DATES,
	GTFS_SHAPES,
	GTFS_FREQUENCIES,
	GTFS_BOOKING_RULES,
	GTFS_LOCATION_GROUPS,
	GTFS_LOCATION_GROUP_STOPS,
	GTFS_FILE_COUNT
};

enum gtfs_presence {
	GTFS_REQUIRED,    /* the column must exist and every row needs a value */
	GTFS_CONDITIONAL, /* required or forbidden depending on other values */
	GTFS_OPTIONAL,
};

enum gtfs_type {
	GTFS_TEXT,
	GTFS_ID,
	GTFS_URL,        /* http:// or https://, no spaces or control characters */
	GTFS_EMAIL,
	GTFS_PHONE,
	GTFS_TIMEZONE,   /* syntax of an IANA name: Area/Location_Name */
	GTFS_LANGUAGE,   /* syntax of a BCP 47 tag */
	GTFS_LATITUDE,   /* -90..90 */
	GTFS_LONGITUDE,  /* -180..180 */
	GTFS_COLOR,      /* six hex digits */
	GTFS_DATE,       /* YYYYMMDD */
	GTFS_TIME,       /* H:MM:SS or HH:MM:SS, up to 47:59:59 */
	GTFS_INTEGER,    /* min..max */
	GTFS_ENUM,       /* an integer in min..max */
	GTFS_FLOAT,      /* a non-negative float */
	GTFS_ROUTE_TYPE, /* 0..7, 11, 12, or an extended type 100..1702 */
};

struct gtfs_column {
	const char *name;
	enum gtfs_type type;
	enum gtfs_presence presence;
	long long min, max; /* GTFS_INTEGER and GTFS_ENUM */
};

struct gtfs_table {
	const char *file; /* "stops.txt" */
	const struct gtfs_column *columns;
	int count;
};

/* More than any table has. */
#define GTFS_COLUMNS_MAX 20

/* f must be below GTFS_FILE_COUNT. */
const struct gtfs_table *gtfs_table(enum gtfs_file f);

/* The file called `name` ("stops.txt"): 0 and *f, or -1. */
int gtfs_file_lookup(const char *name, enum gtfs_file *f) JT_MUST_CHECK;

/* Index of a column in gtfs_table(f)->columns, or -1. */
int gtfs_column_index(enum gtfs_file f, const char *name);

/*
 * Checks that the header read by r has every required column of file f
 * (and, where the reference requires one of several, at least one of
 * them). Columns the reference does not define are allowed. Returns 0, or
 * -1 with a message naming the missing columns in err[errlen].
 */
int gtfs_check_header(enum gtfs_file f, const struct csv *r, char *err, size_t errlen);

/* Where each column of a file's table sits in a CSV header. */
struct gtfs_layout {
	enum gtfs_file file;
	int header_columns;
	int col[GTFS_COLUMNS_MAX]; /* CSV column of table column i, or -1 */
};

void gtfs_layout_init(struct gtfs_layout *l, enum gtfs_file f, const struct csv *r);

/*
 * The value of table column `column` in a row, spaces trimmed: NULL when
 * the header lacks the column or the row is short, else the bytes and *len
 * (0 for an empty value).
 */
const char *gtfs_value(const struct gtfs_layout *l, const struct csv_row *row, int column,
		       size_t *len);

/*
 * Checks one row of the file: as many fields as the header has columns,
 * no tab, carriage return or line feed in a value, every required value
 * present, every value of its type and range, and the reference's
 * conditions between the row's values. Returns 0, or -1 with a message
 * naming the column in err[errlen] (printable ASCII).
 */
int gtfs_check_row(const struct gtfs_layout *l, const struct csv_row *row, char *err,
		   size_t errlen);

#endif
