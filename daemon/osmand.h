/*
 * osmand.h — the OsmAnd protocol as Traccar Client and similar tracking apps
 * speak it: one fix per request, either as a query string / form body
 * (id=tab-17&lat=30.1&lon=104.2&timestamp=...) or as the JSON body newer
 * Traccar Client versions post.
 *
 * The parsers check syntax and presence only. A fix they return must still
 * pass fix_validate() (ranges, null island, time window) before it is stored.
 */
#ifndef JINTONG_OSMAND_H
#define JINTONG_OSMAND_H

#include "core.h"

/* Longest query string or form body accepted. */
#define OSMAND_QUERY_MAX 8192
/* Most parameters looked at in one query; more is refused as malformed. */
#define OSMAND_PARAMS_MAX 64
/* Longest JSON body accepted, and deepest nesting of objects and arrays. */
#define OSMAND_JSON_MAX 65536
#define OSMAND_JSON_DEPTH 16

/* Why a request did not yield a fix; detail is for people and never echoes
 * the request's bytes. */
struct parse_error {
	enum fix_reason reason;
	char detail[128];
};

/*
 * Query string or x-www-form-urlencoded body (without the leading '?').
 * Returns 0 with *out filled, or -1 with *err filled (err may be NULL).
 * q need not be terminated; embedded NULs are ordinary bytes.
 */
int osmand_parse_query(const char *q, size_t len, struct fix *out,
		       struct parse_error *err) JT_MUST_CHECK;

/* JSON body: {"device_id": ..., "location": {"timestamp", "coords": {...},
 * "battery": {"level"}}}. Same contract as osmand_parse_query(). */
int osmand_parse_json(const char *body, size_t len, struct fix *out,
		      struct parse_error *err) JT_MUST_CHECK;

#endif
