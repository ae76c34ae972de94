/*
 * csv.h — reading the comma-separated files of a GTFS feed (RFC 4180 as
 * GTFS uses it), with an error for every malformed record that names the
 * line it starts on.
 *
 * The caller hands over the whole file as bytes; the reader never opens a
 * file. An optional UTF-8 byte-order mark is skipped. Records end in LF or
 * CRLF; fields are separated by commas; a field may be enclosed in double
 * quotes, and then holds commas, line breaks and carriage returns, with a
 * quote written as "". Empty lines are skipped (so a final line break does
 * not make an empty record). The first record is the header: its column
 * names are trimmed of surrounding spaces and must be unique.
 *
 * Refused, each as the error of the record it occurs in: a quote inside an
 * unquoted field, text after a closing quote, a carriage return outside
 * quotes that is not followed by a line feed, a quoted field never closed,
 * invalid UTF-8, a NUL byte, a field longer than CSV_FIELD_MAX bytes, more
 * than CSV_FIELDS_MAX fields, more fields than the header has columns, and
 * more than CSV_ROWS_MAX records. After a malformed record the reader goes
 * on at the next line break outside quotes, so an import can report every
 * bad record and still read every good one.
 *
 * Line numbers are physical lines (1-based, the header is line 1): a record
 * with a line break inside a quoted field covers several, and the next
 * record's number counts them.
 */
#ifndef JINTONG_CSV_H
#define JINTONG_CSV_H

#include "core.h"

#define CSV_FIELD_MAX (64 * 1024) /* bytes in one field, after unquoting */
#define CSV_FIELDS_MAX 1000       /* fields in one record, header included */
#define CSV_ROWS_MAX 10000000UL   /* records after the header */
#define CSV_ERROR_LEN 160

struct csv;
struct csv_cell;

/* What went wrong, and where. msg is printable ASCII, never raw input. */
struct csv_error {
	unsigned long line; /* physical line where the record starts */
	int column;         /* 0-based field, or -1 when about the whole record */
	char msg[CSV_ERROR_LEN];
};

/*
 * One record. Fields are read with csv_field(); they stay valid until the
 * next csv_next() or csv_close() on the same reader.
 */
struct csv_row {
	unsigned long line; /* physical line where the record starts */
	int count;          /* fields in the record (at most the header's) */
	size_t offset;      /* the record's bytes in the input, */
	size_t size;        /* its line break excluded */
	/* private */
	const char *input;
	const char *scratch;
	const struct csv_cell *cells;
};

/*
 * Reads the header of data[0..len). data must outlive the reader. Returns
 * the reader, or NULL with *err set when there is no usable header (empty
 * file, a malformed header record, an empty or repeated column name).
 */
struct csv *csv_open(const void *data, size_t len, struct csv_error *err) JT_MUST_CHECK;
void csv_close(struct csv *r);

/* Number of header columns; the name of one (trimmed, terminated). */
int csv_columns(const struct csv *r);
const char *csv_column_name(const struct csv *r, int col);

/* Index of the column named `name` (exact, case-sensitive), or -1. */
int csv_column(const struct csv *r, const char *name);

/*
 * Reads the next record: 1 with *row filled, 0 at the end, -1 for a
 * malformed record (csv_last_error() says why; row->line, offset and size
 * say where, and row->count is 0). Reading may go on after -1.
 */
int csv_next(struct csv *r, struct csv_row *row);
const struct csv_error *csv_last_error(const struct csv *r);

/*
 * Field `col` of a row: its bytes (not terminated) and *len, or NULL with
 * *len = 0 when the row has fewer fields than that (a missing field). An
 * empty field is a non-NULL pointer with *len = 0. len may be NULL.
 */
const char *csv_field(const struct csv_row *row, int col, size_t *len);

/*
 * Strict numbers. A double is [sign] digits [. digits] [e [sign] digits]
 * (".5" and "5." too), finite; an integer is [sign] digits within
 * min..max. No spaces, no hex, no NaN or infinity, nothing after the
 * number. Return 0 and set *out, or -1 leaving it alone.
 */
int csv_parse_double(const char *s, size_t len, double *out) JT_MUST_CHECK;
int csv_parse_int(const char *s, size_t len, long long min, long long max,
		  long long *out) JT_MUST_CHECK;

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool csv_utf8_valid(const char *s, size_t len);

#endif
