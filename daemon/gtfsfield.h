/*
 * gtfsfield.h — the field types of the GTFS reference that need more than
 * a number parser: times, dates, colors, and the syntax of URLs, email
 * addresses, time zone names and language codes.
 *
 * Each reads s[0..len) exactly (no terminator needed, no spaces around the
 * value) and is strict: GTFS feeds come from other systems, and a value
 * read wrongly is worse than a row refused with a reason.
 */
#ifndef JINTONG_GTFSFIELD_H
#define JINTONG_GTFSFIELD_H

#include "core.h"

/* Latest time of a service day accepted, 47:59:59, in seconds. */
#define GTFS_TIME_MAX (48 * 3600 - 1)

/*
 * H:MM:SS or HH:MM:SS in seconds since noon minus 12h of the service day,
 * so 25:10:00 is 90600. Hours 0..47, minutes and seconds 00..59. Returns 0
 * and sets *seconds, or -1 leaving it alone.
 */
int gtfs_parse_time(const char *s, size_t len, int *seconds) JT_MUST_CHECK;

struct gtfs_date {
	int year, month, day;
};

/* YYYYMMDD, a real date of the years 0001..9999. */
int gtfs_parse_date(const char *s, size_t len, struct gtfs_date *d) JT_MUST_CHECK;

/* Six hex digits, either case, no '#': 0xRRGGBB. */
int gtfs_parse_color(const char *s, size_t len, uint32_t *rgb) JT_MUST_CHECK;

/* http:// or https:// (either case), a host, no space or control character. */
bool gtfs_url_valid(const char *s, size_t len);

/* local@domain.tld, no space or control character. */
bool gtfs_email_valid(const char *s, size_t len);

/* The syntax of an IANA zone name: UTC, Asia/Tokyo, America/Port-au-Prince,
 * Etc/GMT+5. Whether the zone exists is not checked. */
bool gtfs_timezone_valid(const char *s, size_t len);

/* The syntax of a BCP 47 tag: subtags of 1..8 letters or digits joined by
 * '-', the first all letters (en, en-US, zh-Hant-TW, es-419). */
bool gtfs_language_valid(const char *s, size_t len);

#endif
