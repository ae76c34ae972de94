/*
 * test_csv.c — the CSV reader on what GTFS feeds from other systems contain:
 * byte-order marks, CRLF, quoting and embedded line breaks (with line
 * numbers that stay right after them), every kind of malformed record
 * followed by good ones, invalid UTF-8 and NUL bytes, the limits; then the
 * strict number parsers.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv.h"
#include "util.h"

/* ---- a whole file as one line of text ------------------------------------ */

/*
 * Reads every record of in[0..len) and describes it: "L:f1|f2" for a row
 * read at line L ('~' for a missing field), "L!c" for a malformed record
 * whose error names field c ("L!" for the whole record); records joined by
 * " / ". A header that cannot be read gives "open!L".
 */
static const char *summary(const char *in, size_t len)
{
	static char out[4096];
	size_t n = 0;
	struct csv_error e;
	struct csv *r = csv_open(in, len, &e);
	if (!r) {
		snprintf(out, sizeof out, "open!%lu", e.line);
		return out;
	}
	out[0] = '\0';
	struct csv_row row;
	int rc;
	while ((rc = csv_next(r, &row)) != 0 && n < sizeof out - 200) {
		if (n)
			n += (size_t)snprintf(out + n, sizeof out - n, " / ");
		if (rc < 0) {
			const struct csv_error *err = csv_last_error(r);
			CHECK_INT("error line is the row's", err->line, row.line);
			n += (size_t)snprintf(out + n, sizeof out - n, "%lu!", row.line);
			if (err->column >= 0)
				n += (size_t)snprintf(out + n, sizeof out - n, "%d", err->column);
			continue;
		}
		n += (size_t)snprintf(out + n, sizeof out - n, "%lu:", row.line);
		for (int c = 0; c < csv_columns(r); c++) {
			size_t flen;
			const char *f = csv_field(&row, c, &flen);
			if (c)
				out[n++] = '|';
			if (!f)
				out[n++] = '~';
			else
				n += (size_t)snprintf(out + n, sizeof out - n, "%.*s", (int)flen,
						      f);
		}
		out[n] = '\0';
	}
	csv_close(r);
	return out;
}

struct file_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
};

static const struct file_case files[] = {
	/* plain, BOM, CRLF, no final line break */
	{"a,b\n1,2\n3,4\n", 0, "2:1|2 / 3:3|4"},
	{"\xef\xbb\xbf" "a,b\n1,2\n", 0, "2:1|2"},
	{"a,b\r\n1,2\r\n3,4\r\n", 0, "2:1|2 / 3:3|4"},
	{"a,b\n1,2", 0, "2:1|2"},
	{"a,b\r\n1,2\r\n", 0, "2:1|2"},
	/* empty fields, quoted fields */
	{"a,b,c\n,,\n", 0, "2:||"},
	{"a,b\n\"\",\"\"\n", 0, "2:|"},
	{"a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", 0, "2:x,y|he said \"hi\""},
	{"a\n\"\"\"\"\n", 0, "2:\""},
	{"a,b\n\"x\"\r\n", 0, "2:x|~"},
	/* line breaks inside quotes count as lines */
	{"a,b\n\"line1\nline2\",x\n3,4\n", 0, "2:line1\nline2|x / 4:3|4"},
	{"a,b\n\"l1\r\nl2\r\nl3\",x\r\n3,4\r\n", 0, "2:l1\r\nl2\r\nl3|x / 5:3|4"},
	{"a\n\"x\ry\"\n", 0, "2:x\ry"},
	{"a,b\n\"p\n\"\"q\"\"\n\",\"\n\"\n5,6\n", 0, "2:p\n\"q\"\n|\n / 6:5|6"},
	/* empty lines are skipped, and still counted */
	{"a\n1\n\n2\n\r\n3", 0, "2:1 / 4:2 / 6:3"},
	{"a\n1\n\n\n", 0, "2:1"},
	{"\n\na\n1\n", 0, "4:1"},
	/* short rows have missing fields; long rows are refused */
	{"a,b,c\n1\n1,2\n", 0, "2:1|~|~ / 3:1|2|~"},
	{"a,b\n1,2,3\n4,5\n", 0, "2! / 3:4|5"},
	{"a,b\n1,2,\n", 0, "2!"},
	/* malformed records, each followed by a good one */
	{"a,b\nx\"y,z\n1,2\n", 0, "2!0 / 3:1|2"},
	{"a,b\n\"x\"y,z\n1,2\n", 0, "2!0 / 3:1|2"},
	{"a,b\n\"x\" ,z\n1,2\n", 0, "2!0 / 3:1|2"},
	{"a,b\nz,\"x\"\"\n1,2\n", 0, "2!1"},
	{"a,b\n1\r2,3\n4,5\n", 0, "2!0 / 3:4|5"},
	{"a,b\n1,2\r", 0, "2!1"},
	{"a,b\nx\"y,\"q\nr\"\n1,2\n", 0, "2!0 / 4:1|2"},
	{"a,b\n\"x\"y\"z,\"w\n\",v\n1,2\n", 0, "2!0 / 4:1|2"},
	{"a,b\nbad\"1,2\nbad\"2,3\n4,5\nbad\"3\n6,7\n", 0, "2!0 / 3!0 / 4:4|5 / 5!0 / 6:6|7"},
	/* a quote never closed takes the rest of the file */
	{"a\n\"abc\n1\n2\n", 0, "2!0"},
	{"a\n1\n\"", 0, "2:1 / 3!0"},
	/* UTF-8 */
	{"a,b\nok,\xff\n1,2\n", 0, "2!1 / 3:1|2"},
	{"a\n\xe2\x82\xac \xf0\x9f\x9a\x8c \xc3\xa9 \xef\xbb\xbf\n", 0,
	 "2:\xe2\x82\xac \xf0\x9f\x9a\x8c \xc3\xa9 \xef\xbb\xbf"},
	{"a\n\xc0\xaf\n", 0, "2!0"},
	{"a\n\xe0\x80\xaf\n", 0, "2!0"},
	{"a\n\xed\xa0\x80\n", 0, "2!0"},
	{"a\n\xf4\x90\x80\x80\n", 0, "2!0"},
	{"a\n\xf8\x88\x80\x80\x80\n", 0, "2!0"},
	{"a\nx\xe2\x82\n2\n", 0, "2!0 / 3:2"},
	{"a\n\xe2\x82", 0, "2!0"},
	{"a\n\x80\n", 0, "2!0"},
	{"a,b\n\"x\",\"\xff\"\"\"\n", 0, "2!1"},
	/* NUL bytes */
	{"a\nx\0y\n2\n", 8, "2!0 / 3:2"},
	{"a\n\"\0\"\n", 6, "2!0"},
	/* headers that cannot be read */
	{"", 0, "open!1"},
	{"\xef\xbb\xbf", 0, "open!1"},
	{"\n\r\n", 0, "open!1"},
	{"a,a\n", 0, "open!1"},
	{"a, b ,b\n", 0, "open!1"},
	{"a,,b\n", 0, "open!1"},
	{"a,b,\n", 0, "open!1"},
	{"a,\"b\n", 0, "open!1"},
	{"a,b\"c\n", 0, "open!1"},
	{"a,\xff\n", 0, "open!1"},
	{"a\0\n", 3, "open!1"},
	{"a,b\r1,2\r", 0, "open!1"},
	{"\n\na,a\n", 0, "open!3"},
	/* header only */
	{"a,b\n", 0, ""},
	{"a,b", 0, ""},
	{"a,b\r\n\r\n", 0, ""},
};

static void test_files(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(files); i++) {
		const struct file_case *c = &files[i];
		size_t len = c->len ? c->len : strlen(c->in);
		CHECK_STR(c->in, summary(c->in, len), c->want);
	}
}

/* ---- the header, errors, row positions -------------------------------------- */

static void test_header(void)
{
	const char *in = "\xef\xbb\xbf stop_id ,\"stop name\",\"a,b\", x\t\n";
	struct csv_error e;
	struct csv *r = csv_open(in, strlen(in), &e);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT("columns", csv_columns(r), 4);
	CHECK_STR("trimmed", csv_column_name(r, 0), "stop_id");
	CHECK_STR("quoted", csv_column_name(r, 1), "stop name");
	CHECK_STR("comma", csv_column_name(r, 2), "a,b");
	CHECK_STR("tab", csv_column_name(r, 3), "x");
	CHECK(csv_column_name(r, 4) == NULL && csv_column_name(r, -1) == NULL);
	CHECK_INT("stop_id", csv_column(r, "stop_id"), 0);
	CHECK_INT("a,b", csv_column(r, "a,b"), 2);
	CHECK_INT("unknown", csv_column(r, "stop_lat"), -1);
	CHECK_INT("case-sensitive", csv_column(r, "STOP_ID"), -1);
	csv_close(r);

	CHECK(csv_open("x,y,x\n", 6, &e) == NULL);
	CHECK_STR("repeated column", e.msg, "field 3 (x): repeats the name of column 1");
	CHECK_INT("repeated column", e.column, 2);
	CHECK(csv_open("", 0, &e) == NULL && strstr(e.msg, "empty file"));
	CHECK(csv_open(NULL, 0, &e) == NULL);
	CHECK(csv_open("a,,b\n", 5, &e) == NULL && strstr(e.msg, "column 2 has an empty name"));
	csv_close(NULL);
}

static void test_errors(void)
{
	const char *in = "stop_id,stop_name\n"
			 "s1,\"Main St\"\n"
			 "s2,\"Kirchplatz\nOst\"\n"
			 "s3,M\xc3\xbchle\xff\n"
			 "s4,\"Ost\"x\n"
			 "s5\"\n"
			 "s6,a,b\n"
			 "s7,\"ok\"\r\n";
	struct csv_error e;
	struct csv *r = csv_open(in, strlen(in), &e);
	CHECK(r != NULL);
	if (!r)
		return;
	struct csv_row row;
	const struct csv_error *err = csv_last_error(r);
	size_t len;

	CHECK_INT("s1", csv_next(r, &row), 1);
	CHECK_INT("s1 line", row.line, 2);
	CHECK_INT("s1 offset", row.offset, 18);
	CHECK_INT("s1 size", row.size, 12);
	CHECK_INT("s1 count", row.count, 2);
	const char *f = csv_field(&row, 1, &len);
	CHECK(f && len == 7 && memcmp(f, "Main St", 7) == 0);
	CHECK(f == in + 22); /* no escape: straight from the input */
	CHECK(csv_field(&row, 2, &len) == NULL && len == 0);
	CHECK(csv_field(&row, -1, NULL) == NULL);

	CHECK_INT("s2", csv_next(r, &row), 1);
	CHECK_INT("s2 line", row.line, 3);
	CHECK_INT("s2 size", row.size, 19);

	CHECK_INT("s3", csv_next(r, &row), -1);
	CHECK_INT("s3 line", err->line, 5);
	CHECK_INT("s3 column", err->column, 1);
	CHECK_STR("s3 message", err->msg, "field 2 (stop_name): invalid UTF-8 at byte 7");
	CHECK_INT("s3 count", row.count, 0);
	CHECK(csv_field(&row, 0, NULL) == NULL);

	CHECK_INT("s4", csv_next(r, &row), -1);
	CHECK_STR("s4 message", err->msg, "field 2 (stop_name): text after the closing quote");
	CHECK_INT("s5", csv_next(r, &row), -1);
	CHECK_STR("s5 message", err->msg, "field 1 (stop_id): quote inside an unquoted field");
	CHECK_INT("s5 line", err->line, 7);
	CHECK_INT("s6", csv_next(r, &row), -1);
	CHECK_STR("s6 message", err->msg, "3 fields, but the header has 2 columns");
	CHECK_INT("s6 column", err->column, -1);

	CHECK_INT("s7", csv_next(r, &row), 1);
	CHECK_INT("s7 line", row.line, 9);
	f = csv_field(&row, 1, &len);
	CHECK(f && len == 2 && memcmp(f, "ok", 2) == 0);
	CHECK_INT("end", csv_next(r, &row), 0);
	CHECK_INT("still the end", csv_next(r, &row), 0);
	csv_close(r);
}

/* Many escaped fields in one record: the scratch buffer grows and moves. */
static void test_escapes(void)
{
	enum { FIELDS = 40, WIDTH = 700 };
	size_t cap = FIELDS * (2 * WIDTH + 8) + 200, n = 0;
	char *in = xmalloc(cap);
	for (int c = 0; c < FIELDS; c++)
		n += (size_t)snprintf(in + n, cap - n, "%sc%d", c ? "," : "", c);
	in[n++] = '\n';
	for (int c = 0; c < FIELDS; c++) {
		if (c)
			in[n++] = ',';
		in[n++] = '"';
		for (int k = 0; k < WIDTH; k++) {
			in[n++] = (char)('a' + c % 26);
			if (k % 100 == 0) {
				in[n++] = '"';
				in[n++] = '"';
			}
		}
		in[n++] = '"';
	}
	struct csv_error e;
	struct csv *r = csv_open(in, n, &e);
	struct csv_row row;
	CHECK(r && csv_next(r, &row) == 1 && row.count == FIELDS);
	unsigned bad = 0;
	for (int c = 0; r && c < FIELDS; c++) {
		size_t len;
		const char *f = csv_field(&row, c, &len);
		if (!f || len != WIDTH + WIDTH / 100)
			bad++;
		else
			for (size_t k = 0; k < len; k++)
				bad += f[k] != (f[k] == '"' ? '"' : 'a' + c % 26);
	}
	CHECK_INT("escaped fields read wrongly", bad, 0);
	csv_close(r);
	free(in);
}

/* ---- limits ------------------------------------------------------------------ */

static char *repeat(const char *head, char ch, size_t count, const char *tail, size_t *len)
{
	size_t h = strlen(head), t = strlen(tail);
	char *s = xmalloc(h + count + t + 1);
	memcpy(s, head, h);
	memset(s + h, ch, count);
	memcpy(s + h + count, tail, t + 1);
	*len = h + count + t;
	return s;
}

/* "c0,c1,...,c<n-1>\n" or "x,x,...,x\n" appended to buf at *n. */
static void put_record(char *buf, size_t *n, int fields, bool names)
{
	for (int c = 0; c < fields; c++) {
		if (names)
			*n += (size_t)sprintf(buf + *n, "%sc%d", c ? "," : "", c);
		else
			*n += (size_t)sprintf(buf + *n, "%sx", c ? "," : "");
	}
	buf[(*n)++] = '\n';
}

static void test_limits(void)
{
	size_t len;
	struct csv_error e;
	struct csv_row row;
	char *s = repeat("a\n", 'x', CSV_FIELD_MAX, "\n1\n", &len);
	struct csv *r = csv_open(s, len, &e);
	size_t flen = 0;
	CHECK(r && csv_next(r, &row) == 1 && csv_field(&row, 0, &flen) && flen == CSV_FIELD_MAX);
	CHECK(r && csv_next(r, &row) == 1 && row.line == 3);
	csv_close(r);
	free(s);

	s = repeat("a\n", 'x', CSV_FIELD_MAX + 1, "\n1\n", &len);
	CHECK_STR("field too long", summary(s, len), "2!0 / 3:1");
	free(s);
	s = repeat("a\n\"", 'x', CSV_FIELD_MAX + 1, "\"\n1\n", &len);
	CHECK_STR("quoted field too long", summary(s, len), "2!0 / 3:1");
	free(s);

	/* 1000 columns and fields are fine, 1001 are not */
	char *t = xmalloc(8 * (CSV_FIELDS_MAX + 1) * 4);
	size_t n = 0;
	put_record(t, &n, CSV_FIELDS_MAX, true);
	put_record(t, &n, CSV_FIELDS_MAX + 1, false);
	put_record(t, &n, CSV_FIELDS_MAX + 5, false);
	put_record(t, &n, CSV_FIELDS_MAX, false);
	r = csv_open(t, n, &e);
	CHECK(r && csv_columns(r) == CSV_FIELDS_MAX);
	CHECK(r && csv_next(r, &row) == -1 && strstr(csv_last_error(r)->msg, "more than 1000"));
	CHECK(r && csv_next(r, &row) == -1 && row.line == 3);
	CHECK(r && csv_next(r, &row) == 1 && row.count == CSV_FIELDS_MAX && row.line == 4);
	csv_close(r);
	n = 0;
	put_record(t, &n, CSV_FIELDS_MAX + 1, true);
	CHECK(csv_open(t, n, &e) == NULL && strstr(e.msg, "more than 1000 fields"));
	free(t);

	/* ten million rows are fine, one more is not */
	n = 2 + 2 * (size_t)CSV_ROWS_MAX + 4;
	s = xmalloc(n);
	memcpy(s, "a\n", 2);
	for (size_t i = 0; i <= CSV_ROWS_MAX; i++)
		memcpy(s + 2 + 2 * i, "1\n", 2);
	memcpy(s + n - 2, "2\n", 2);
	r = csv_open(s, n, &e);
	unsigned long rows = 0;
	int rc = 0;
	while (r && (rc = csv_next(r, &row)) == 1)
		rows++;
	CHECK_INT("rows read", rows, CSV_ROWS_MAX);
	CHECK(r && rc == -1 && strstr(csv_last_error(r)->msg, "more than 10000000 rows"));
	CHECK(r && csv_next(r, &row) == 0);
	csv_close(r);
	free(s);
}

/* ---- numbers ----------------------------------------------------------------- */

struct double_case {
	const char *s;
	int rc;
	double want;
};

static const struct double_case doubles[] = {
	{"1", 0, 1},
	{"-1.5", 0, -1.5},
	{"+2", 0, 2},
	{".5", 0, 0.5},
	{"5.", 0, 5},
	{"-0", 0, 0},
	{"1e3", 0, 1000},
	{"1E-3", 0, 0.001},
	{"37.7749295", 0, 37.7749295},
	{"-122.4194155", 0, -122.4194155},
	{"1e-999", 0, 0},
	{"", -1, 0},
	{" 1", -1, 0},
	{"1 ", -1, 0},
	{"nan", -1, 0},
	{"NaN", -1, 0},
	{"inf", -1, 0},
	{"-infinity", -1, 0},
	{"0x1p3", -1, 0},
	{"0x10", -1, 0},
	{"1e", -1, 0},
	{"1e+", -1, 0},
	{".", -1, 0},
	{"-", -1, 0},
	{"+-1", -1, 0},
	{"1.2.3", -1, 0},
	{"1,5", -1, 0},
	{"1e999", -1, 0},
	{"-1e999", -1, 0},
	{"12abc", -1, 0},
	{"0000000000000000000000000000000000000000000000000000000000000001", 0, 1},
	{"00000000000000000000000000000000000000000000000000000000000000001", -1, 0},
};

struct int_case {
	const char *s;
	long long min, max;
	int rc;
	long long want;
};

static const struct int_case ints[] = {
	{"0", 0, 10, 0, 0},
	{"10", 0, 10, 0, 10},
	{"11", 0, 10, -1, 0},
	{"-1", 0, 10, -1, 0},
	{"-5", -10, 10, 0, -5},
	{"+7", 0, 10, 0, 7},
	{"007", 0, 10, 0, 7},
	{"9223372036854775807", LLONG_MIN, LLONG_MAX, 0, LLONG_MAX},
	{"-9223372036854775808", LLONG_MIN, LLONG_MAX, 0, LLONG_MIN},
	{"9223372036854775808", LLONG_MIN, LLONG_MAX, -1, 0},
	{"-9223372036854775809", LLONG_MIN, LLONG_MAX, -1, 0},
	{"99999999999999999999999", LLONG_MIN, LLONG_MAX, -1, 0},
	{"", 0, 10, -1, 0},
	{"-", 0, 10, -1, 0},
	{"+", 0, 10, -1, 0},
	{" 1", 0, 10, -1, 0},
	{"1 ", 0, 10, -1, 0},
	{"1.0", 0, 10, -1, 0},
	{"1e1", 0, 100, -1, 0},
	{"0x1", 0, 10, -1, 0},
	{"--1", -10, 10, -1, 0},
};

static void test_numbers(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(doubles); i++) {
		double got = -42;
		int rc = csv_parse_double(doubles[i].s, strlen(doubles[i].s), &got);
		CHECK_INT(doubles[i].s, rc, doubles[i].rc);
		CHECK_DBL(doubles[i].s, got, doubles[i].rc == 0 ? doubles[i].want : -42);
	}
	double d;
	CHECK(csv_parse_double(NULL, 0, &d) == -1);
	CHECK(csv_parse_double("1\0", 2, &d) == -1);
	for (size_t i = 0; i < JT_ARRAY_LEN(ints); i++) {
		const struct int_case *c = &ints[i];
		long long got = -42;
		int rc = csv_parse_int(c->s, strlen(c->s), c->min, c->max, &got);
		CHECK_INT(c->s, rc, c->rc);
		CHECK_INT(c->s, got, c->rc == 0 ? c->want : -42);
	}
	CHECK(csv_utf8_valid("", 0) && csv_utf8_valid("\xc3\xa9", 2));
	CHECK(!csv_utf8_valid("\xc3", 1) && !csv_utf8_valid("\xc3\xa9", 1));
}

int main(void)
{
	test_files();
	test_header();
	test_errors();
	test_escapes();
	test_limits();
	test_numbers();
	return check_done("test_csv");
}
