/*
 * csv.c — the CSV reader behind GTFS import, and the strict number parsers
 * the GTFS field checks use.
 *
 * One pass over the bytes per record. A field without "" escapes points
 * straight into the caller's buffer; one with escapes is unescaped into the
 * reader's scratch buffer. Cells keep offsets rather than pointers while a
 * record is read, because the scratch buffer may move as it grows.
 *
 * The first problem of a record is remembered and the rest of it is read
 * leniently: quotes at the start of a field still open a quoted section
 * (so a line break inside one is not taken as the end of the record), but
 * nothing else is refused. That finds the next line break outside quotes,
 * where the following record starts.
 */
#include "csv.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Longest text the number parsers look at. */
#define NUMBER_MAX 64

struct csv_cell {
	size_t off;  /* into the input, or into scratch when copied */
	size_t len;
	bool copied;
};

struct csv_name {
	char *s;
	size_t len;
};

struct csv {
	const char *buf;
	size_t len;
	size_t pos;
	unsigned long line;  /* physical line of buf[pos] */
	unsigned long rows;  /* records read after the header */
	bool done;           /* the row limit was hit: nothing more is read */
	int ncols;
	struct csv_name *names;
	struct csv_cell *cells; /* CSV_FIELDS_MAX of them */
	char *scratch;
	size_t scratch_len, scratch_cap;
	struct csv_error err;
};

/* The record being read. */
struct record {
	unsigned long line;
	size_t start, end;
	int nf;   /* fields seen, including any past CSV_FIELDS_MAX */
	bool bad; /* an error was recorded: read the rest leniently */
};

/* ---- errors ------------------------------------------------------------ */

/* Copies a column name for a message: printable ASCII, others as '?'. */
static void printable(char *dst, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 4 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (n + 4 >= cap && len > n) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

static void set_error(struct csv *r, struct record *rec, int column, const char *fmt, ...)
	JT_PRINTF(4, 5);

/* Records the first error of a record; later ones are dropped. */
static void set_error(struct csv *r, struct record *rec, int column, const char *fmt, ...)
{
	if (rec->bad)
		return;
	rec->bad = true;
	r->err.line = rec->line;
	r->err.column = column;
	char *msg = r->err.msg;
	size_t cap = sizeof r->err.msg;
	int n = 0;
	if (column >= 0) {
		char name[48] = "";
		if (column < r->ncols)
			printable(name, sizeof name, r->names[column].s, r->names[column].len);
		n = name[0] ? snprintf(msg, cap, "field %d (%s): ", column + 1, name)
			    : snprintf(msg, cap, "field %d: ", column + 1);
		if (n < 0)
			n = 0;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* Length of the valid sequence at s[i], or 0. */
static size_t utf8_char(const unsigned char *s, size_t i, size_t n)
{
	unsigned char c = s[i];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n - i <= need)
		return 0;
	if (s[i + 1] < lo || s[i + 1] > hi)
		return 0;
	for (size_t k = 2; k <= need; k++)
		if (s[i + k] < 0x80 || s[i + k] > 0xbf)
			return 0;
	return need + 1;
}

/* Offset of the first invalid byte, or len when all is valid. */
static size_t utf8_check(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_char(s, i, len);
		if (k == 0)
			return i;
		i += k;
	}
	return len;
}

bool csv_utf8_valid(const char *s, size_t len)
{
	return utf8_check(s, len) == len;
}

/* ---- records ----------------------------------------------------------- */

static void scratch_append(struct csv *r, const char *s, size_t n)
{
	r->scratch = xgrow(r->scratch, &r->scratch_cap, r->scratch_len + n, 1);
	memcpy(r->scratch + r->scratch_len, s, n);
	r->scratch_len += n;
}

static bool at_crlf(const struct csv *r, size_t p)
{
	return p + 1 < r->len && r->buf[p] == '\r' && r->buf[p + 1] == '\n';
}

/* Whether a field ends at p: a comma, a line break or the end of input. */
static bool field_ends(const struct csv *r, size_t p)
{
	return p >= r->len || r->buf[p] == ',' || r->buf[p] == '\n' || at_crlf(r, p);
}

/*
 * Reads an unquoted stretch from p up to the end of the field. Strictly,
 * quotes and lone carriage returns are errors; leniently they are data.
 */
static size_t unquoted_end(struct csv *r, struct record *rec, int idx, size_t p)
{
	for (; !field_ends(r, p); p++) {
		if (r->buf[p] == '"')
			set_error(r, rec, idx, "quote inside an unquoted field");
		else if (r->buf[p] == '\r')
			set_error(r, rec, idx, "carriage return not followed by a line feed");
	}
	return p;
}

/* Checks a field's bytes: length, NUL, UTF-8. */
static void check_content(struct csv *r, struct record *rec, int idx, const char *s, size_t n)
{
	if (n > CSV_FIELD_MAX) {
		set_error(r, rec, idx, "longer than %d bytes", CSV_FIELD_MAX);
		return;
	}
	if (memchr(s, '\0', n)) {
		set_error(r, rec, idx, "NUL byte");
		return;
	}
	size_t bad = utf8_check(s, n);
	if (bad < n)
		set_error(r, rec, idx, "invalid UTF-8 at byte %zu", bad + 1);
}

/* Reads one field starting at r->pos; leaves r->pos where it ends. */
static void read_field(struct csv *r, struct record *rec)
{
	const char *b = r->buf;
	size_t p = r->pos, off, flen;
	bool copied = false;
	int idx = rec->nf < CSV_FIELDS_MAX ? rec->nf : CSV_FIELDS_MAX;
	if (rec->nf == CSV_FIELDS_MAX)
		set_error(r, rec, -1, "more than %d fields", CSV_FIELDS_MAX);
	if (rec->nf <= CSV_FIELDS_MAX)
		rec->nf++;

	if (p < r->len && b[p] == '"') {
		size_t seg = ++p;
		off = p;
		for (;;) {
			const char *q = p < r->len ? memchr(b + p, '"', r->len - p) : NULL;
			size_t stop = q ? (size_t)(q - b) : r->len;
			for (const char *nl = b + p; nl < b + stop; nl++) {
				nl = memchr(nl, '\n', (size_t)(b + stop - nl));
				if (!nl)
					break;
				r->line++;
			}
			p = stop;
			if (!q) {
				set_error(r, rec, idx, "quoted field is never closed");
				break;
			}
			if (p + 1 < r->len && b[p + 1] == '"') {
				if (!copied) {
					off = r->scratch_len;
					copied = true;
				}
				scratch_append(r, b + seg, p + 1 - seg); /* one quote kept */
				p += 2;
				seg = p;
				continue;
			}
			break;
		}
		if (copied)
			scratch_append(r, b + seg, p - seg);
		flen = copied ? r->scratch_len - off : p - off;
		if (p < r->len)
			p++; /* the closing quote */
		if (!field_ends(r, p)) {
			set_error(r, rec, idx, "text after the closing quote");
			p = unquoted_end(r, rec, idx, p);
		}
	} else {
		off = p;
		p = unquoted_end(r, rec, idx, p);
		flen = p - off;
	}
	r->pos = p;
	if (idx >= CSV_FIELDS_MAX)
		return;
	r->cells[idx] = (struct csv_cell){.off = off, .len = flen, .copied = copied};
	if (!rec->bad)
		check_content(r, rec, idx, (copied ? r->scratch : b) + off, flen);
}

/* Skips empty lines; false at the end of input. */
static bool skip_empty_lines(struct csv *r)
{
	while (r->pos < r->len) {
		if (r->buf[r->pos] == '\n')
			r->pos++;
		else if (at_crlf(r, r->pos))
			r->pos += 2;
		else
			return true;
		r->line++;
	}
	return false;
}

/* Reads one record at r->pos (not at the end, not on an empty line). */
static void read_record(struct csv *r, struct record *rec)
{
	*rec = (struct record){.line = r->line, .start = r->pos};
	r->scratch_len = 0;
	for (;;) {
		read_field(r, rec);
		if (r->pos < r->len && r->buf[r->pos] == ',') {
			r->pos++;
			continue;
		}
		break;
	}
	rec->end = r->pos;
	if (r->pos < r->len) {
		r->pos += r->buf[r->pos] == '\r' ? 2 : 1;
		r->line++;
	}
}

/* ---- the reader -------------------------------------------------------- */

static void trim_spaces(const char **s, size_t *n)
{
	while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Takes the header's names from the record just read. */
static bool take_names(struct csv *r, struct record *rec)
{
	r->ncols = rec->nf;
	r->names = xcalloc((size_t)r->ncols, sizeof *r->names);
	for (int i = 0; i < r->ncols; i++) {
		const struct csv_cell *c = &r->cells[i];
		const char *s = (c->copied ? r->scratch : r->buf) + c->off;
		size_t n = c->len;
		trim_spaces(&s, &n);
		r->names[i] = (struct csv_name){xstrndup(s, n), n};
	}
	for (int i = 0; i < r->ncols; i++) {
		if (r->names[i].len == 0) {
			set_error(r, rec, -1, "column %d has an empty name", i + 1);
			return false;
		}
		for (int k = 0; k < i; k++) {
			if (strcmp(r->names[k].s, r->names[i].s) == 0) {
				set_error(r, rec, i, "repeats the name of column %d", k + 1);
				return false;
			}
		}
	}
	return true;
}

struct csv *csv_open(const void *data, size_t len, struct csv_error *err)
{
	struct csv *r = xcalloc(1, sizeof *r);
	r->buf = data;
	r->len = data ? len : 0;
	r->line = 1;
	r->cells = xmalloc(CSV_FIELDS_MAX * sizeof *r->cells);
	if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	struct record rec = {.line = 1};
	bool ok = false;
	if (!skip_empty_lines(r)) {
		set_error(r, &rec, -1, "empty file: no header row");
	} else {
		read_record(r, &rec);
		ok = !rec.bad && take_names(r, &rec);
	}
	if (ok)
		return r;
	if (err)
		*err = r->err;
	csv_close(r);
	return NULL;
}

void csv_close(struct csv *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->ncols; i++)
		free(r->names[i].s);
	free(r->names);
	free(r->cells);
	free(r->scratch);
	free(r);
}

int csv_columns(const struct csv *r)
{
	return r->ncols;
}

const char *csv_column_name(const struct csv *r, int col)
{
	return col >= 0 && col < r->ncols ? r->names[col].s : NULL;
}

int csv_column(const struct csv *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i].s, name) == 0)
			return i;
	return -1;
}

const struct csv_error *csv_last_error(const struct csv *r)
{
	return &r->err;
}

int csv_next(struct csv *r, struct csv_row *row)
{
	*row = (struct csv_row){.input = r->buf, .cells = r->cells};
	if (r->done || !skip_empty_lines(r))
		return 0;
	struct record rec = {.line = r->line, .start = r->pos, .end = r->pos};
	row->line = r->line;
	row->offset = r->pos;
	if (r->rows >= CSV_ROWS_MAX) {
		r->done = true;
		set_error(r, &rec, -1, "more than %lu rows", CSV_ROWS_MAX);
		return -1;
	}
	r->rows++;
	read_record(r, &rec);
	row->size = rec.end - rec.start;
	if (!rec.bad && rec.nf > r->ncols)
		set_error(r, &rec, -1, "%d fields, but the header has %d column%s", rec.nf,
			  r->ncols, r->ncols == 1 ? "" : "s");
	if (rec.bad)
		return -1;
	row->count = rec.nf;
	row->scratch = r->scratch;
	return 1;
}

const char *csv_field(const struct csv_row *row, int col, size_t *len)
{
	if (col < 0 || col >= row->count) {
		if (len)
			*len = 0;
		return NULL;
	}
	const struct csv_cell *c = &row->cells[col];
	if (len)
		*len = c->len;
	return (c->copied ? row->scratch : row->input) + c->off;
}

/* ---- numbers ----------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int csv_parse_double(const char *s, size_t len, double *out)
{
	size_t i = 0, digits = 0;
	if (!s || len == 0 || len > NUMBER_MAX)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && is_digit(s[i]); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit(s[i]); i++)
			digits++;
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;
		if (++i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && is_digit(s[i]); i++)
			exp_digits++;
		if (exp_digits == 0)
			return -1;
	}
	if (i != len)
		return -1;
	char buf[NUMBER_MAX + 1];
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	double v = strtod(buf, &end);
	/* The C locale: any other decimal sign stops strtod early and the value
	 * is refused rather than misread. Underflow to zero is accepted. */
	if (end != buf + len || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int csv_parse_int(const char *s, size_t len, long long min, long long max, long long *out)
{
	size_t i = 0;
	bool neg = false;
	if (!s || len == 0)
		return -1;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	/* Accumulated as a negative number, which reaches LLONG_MIN. */
	long long v = 0;
	for (; i < len; i++) {
		if (!is_digit(s[i]))
			return -1;
		int d = s[i] - '0';
		if (v < (LLONG_MIN + d) / 10)
			return -1;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == LLONG_MIN)
			return -1;
		v = -v;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
