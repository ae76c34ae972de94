/*
 * timeparse.h — the timestamps tracking apps put on their fixes, and the one
 * way Jintong writes a time back out.
 *
 * Tablets send Unix seconds, Unix milliseconds, seconds with a fraction,
 * ISO 8601 with or without a zone, or "yyyy-MM-dd HH:mm:ss" in UTC. All of it
 * is read without the C library's locale or time-zone machinery, so the
 * result never depends on how the host is configured.
 */
#ifndef JINTONG_TIMEPARSE_H
#define JINTONG_TIMEPARSE_H

#include "core.h"

/* Longest text ts_parse() looks at; anything longer is refused. */
#define TS_TEXT_MAX 64

/* Room ts_format() needs, terminator included, for any jt_ms value. */
#define TS_FORMAT_LEN 32

/*
 * Parses s[0..len) (no terminator needed; an embedded NUL is refused) into
 * milliseconds since the epoch. Accepted forms:
 *
 *   1700000000          Unix seconds (values below 2^31)
 *   1700000000.25       Unix seconds with a fraction (kept to the ms)
 *   1700000000123       Unix milliseconds (values of 2^31 and above)
 *   2026-11-23T08:00:00[.fff...][Z | +HH:MM | +HHMM | +HH]  ('-' too;
 *                       a space may replace the T; no zone means UTC)
 *
 * Every field is range-checked; a leap second (:60) reads as :59. Only years
 * 1970..9999 are accepted. Returns 0 and sets *out, or -1 leaving it alone.
 */
int ts_parse(const char *s, size_t len, jt_ms *out) JT_MUST_CHECK;

/*
 * Writes t as "2026-11-23T08:00:00.123Z". With len >= TS_FORMAT_LEN the text
 * is always complete; a shorter buffer gets a truncated, terminated string.
 */
void ts_format(jt_ms t, char *buf, size_t len);

#endif
