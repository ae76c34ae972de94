/*
 * fix.h — deciding whether a fix read from a tablet may be stored.
 *
 * The parsers only check syntax and presence; everything about physical
 * ranges and the acceptance window lives here, so an OsmAnd query, an OsmAnd
 * JSON body and a protobuf batch are judged by the same rules.
 */
#ifndef JINTONG_FIX_H
#define JINTONG_FIX_H

#include "core.h"

/* The acceptance window around the server's clock. */
struct fix_limits {
	jt_ms future_ms;  /* how far ahead of now a fix may be (clock skew) */
	jt_ms max_age_ms; /* how far behind now a fix may be (backlog upload) */
};

/*
 * Checks a parsed fix against physical ranges and the time window. Returns
 * FIX_OK or the first reason; writes a short human detail into detail[len]
 * (e.g. "latitude 91.5 outside -90..90"; empty for FIX_OK). detail may be
 * NULL when len is 0; lim may not be NULL. Checks run in a fixed order:
 * latitude, longitude, null island, speed, heading, altitude, accuracy,
 * battery, then the time window.
 *
 * The device identifier is not looked at: parsers check its syntax and the
 * ingest path checks it against the registry or the token.
 */
enum fix_reason fix_validate(const struct fix *f, jt_ms now, const struct fix_limits *lim,
			     char *detail, size_t len);

/* Device identifiers: 1..64 bytes of printable ASCII 0x21..0x7e. */
bool fix_device_id_valid(const char *s, size_t len);

#endif
