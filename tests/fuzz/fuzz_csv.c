/*
 * fuzz_csv.c — any bytes as the stop_times.txt of a GTFS feed: the header
 * check, then every record and its row check, as an import would run them.
 * Besides not crashing: records come in file order with increasing line
 * numbers, every field lies inside its record's bytes (or, unescaped, in
 * the reader's copy, and then shorter than the record), fields are valid
 * UTF-8 without NUL, errors are printable and say where they are, and a
 * row the check accepts really has the values the reference requires.
 * The same bytes also go to the number and time parsers, whose results
 * must be in range and survive a round trip.
 */
#include "fuzz.h"

#include "csv.h"
#include "gtfs.h"

static void check_fields(const uint8_t *data, const struct csv *r, const struct csv_row *row)
{
	uintptr_t rec = (uintptr_t)data + row->offset;
	FUZZ_ASSERT(row->count >= 1 && row->count <= csv_columns(r));
	for (int c = -1; c <= csv_columns(r); c++) {
		size_t len = 99;
		const char *f = csv_field(row, c, &len);
		if (c < 0 || c >= row->count) {
			FUZZ_ASSERT(f == NULL && len == 0);
			continue;
		}
		FUZZ_ASSERT(f != NULL && len <= CSV_FIELD_MAX);
		uintptr_t at = (uintptr_t)f;
		if (at >= rec && at <= rec + row->size)
			FUZZ_ASSERT(len <= row->size - (size_t)(at - rec));
		else
			FUZZ_ASSERT(len < row->size); /* unescaped: "" became " */
		FUZZ_ASSERT(memchr(f, '\0', len) == NULL && csv_utf8_valid(f, len));
	}
}

/* A row the check accepted has what stop_times.txt requires. */
static void check_accepted(const struct gtfs_layout *l, const struct csv_row *row)
{
	size_t len;
	long long seq;
	const char *v = gtfs_value(l, row, gtfs_column_index(GTFS_STOP_TIMES, "trip_id"), &len);
	FUZZ_ASSERT(v && len > 0);
	v = gtfs_value(l, row, gtfs_column_index(GTFS_STOP_TIMES, "stop_sequence"), &len);
	FUZZ_ASSERT(v && csv_parse_int(v, len, 0, 2147483647, &seq) == 0);
	int places = 0, secs = 0;
	static const char *const place[] = {"stop_id", "location_group_id", "location_id"};
	for (size_t i = 0; i < JT_ARRAY_LEN(place); i++) {
		v = gtfs_value(l, row, gtfs_column_index(GTFS_STOP_TIMES, place[i]), &len);
		places += v && len > 0;
	}
	FUZZ_ASSERT(places == 1);
	v = gtfs_value(l, row, gtfs_column_index(GTFS_STOP_TIMES, "arrival_time"), &len);
	if (v && len > 0)
		FUZZ_ASSERT(gtfs_parse_time(v, len, &secs) == 0);
}

static void check_parsers(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	double d;
	long long n;
	int secs, back;
	struct gtfs_date date;
	uint32_t rgb;
	if (csv_parse_double(s, size, &d) == 0)
		FUZZ_ASSERT(isfinite(d));
	if (csv_parse_int(s, size, -1000, 1000, &n) == 0)
		FUZZ_ASSERT(n >= -1000 && n <= 1000);
	if (gtfs_parse_time(s, size, &secs) == 0) {
		char buf[16];
		FUZZ_ASSERT(secs >= 0 && secs <= GTFS_TIME_MAX);
		snprintf(buf, sizeof buf, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
		FUZZ_ASSERT(gtfs_parse_time(buf, strlen(buf), &back) == 0 && back == secs);
	}
	if (gtfs_parse_date(s, size, &date) == 0)
		FUZZ_ASSERT(date.year >= 1 && date.year <= 9999 && date.month >= 1 &&
			    date.month <= 12 && date.day >= 1 && date.day <= 31);
	if (gtfs_parse_color(s, size, &rgb) == 0)
		FUZZ_ASSERT(rgb <= 0xffffff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_error e;
	memset(&e, 0x5a, sizeof e);
	check_parsers(data, size);
	struct csv *r = csv_open(data, size, &e);
	if (!r) {
		FUZZ_ASSERT(fuzz_detail_ok(e.msg, sizeof e.msg) && e.msg[0] && e.line >= 1);
		return 0;
	}
	FUZZ_ASSERT(csv_columns(r) >= 1 && csv_columns(r) <= CSV_FIELDS_MAX);
	for (int c = 0; c < csv_columns(r); c++)
		FUZZ_ASSERT(csv_column(r, csv_column_name(r, c)) == c);

	char err[256];
	int hdr = gtfs_check_header(GTFS_STOP_TIMES, r, err, sizeof err);
	FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && (hdr == 0) == (err[0] == '\0'));
	struct gtfs_layout l;
	gtfs_layout_init(&l, GTFS_STOP_TIMES, r);

	unsigned long last_line = 0;
	size_t last_end = 0;
	struct csv_row row;
	int rc;
	while ((rc = csv_next(r, &row)) != 0) {
		FUZZ_ASSERT(row.line > last_line && row.line >= 2);
		FUZZ_ASSERT(row.offset >= last_end && row.offset <= size &&
			    row.size <= size - row.offset);
		last_line = row.line;
		last_end = row.offset + row.size;
		if (rc < 0) {
			const struct csv_error *ce = csv_last_error(r);
			FUZZ_ASSERT(rc == -1 && ce->line == row.line && row.count == 0);
			FUZZ_ASSERT(fuzz_detail_ok(ce->msg, sizeof ce->msg) && ce->msg[0]);
			FUZZ_ASSERT(ce->column >= -1 && ce->column < CSV_FIELDS_MAX);
			continue;
		}
		FUZZ_ASSERT(rc == 1);
		check_fields(data, r, &row);
		memset(err, 0x5a, sizeof err);
		int ok = gtfs_check_row(&l, &row, err, sizeof err);
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && (ok == 0) == (err[0] == '\0'));
		if (ok == 0) {
			FUZZ_ASSERT(hdr == 0);
			check_accepted(&l, &row);
		}
	}
	FUZZ_ASSERT(csv_next(r, &row) == 0);
	csv_close(r);
	return 0;
}
