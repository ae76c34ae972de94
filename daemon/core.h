/*
 * core.h — types shared by every part of Jintong, and nothing else.
 *
 * A fix is one GPS reading from a driver's tablet. Parsers (OsmAnd query,
 * OsmAnd JSON, protobuf batch) turn bytes into fixes; fix_validate() decides
 * whether a fix may be stored; the fleet keeps the latest good one per vehicle;
 * the store writes them to PostgreSQL. None of those steps needs more than this
 * header and its own.
 *
 * Unknown optional values are NAN, never a magic number.
 */
#ifndef JINTONG_CORE_H
#define JINTONG_CORE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JT_MUST_CHECK __attribute__((warn_unused_result))
#define JT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define JT_NORETURN __attribute__((noreturn))
#define JT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Longest device identifier accepted from a tablet or tracking app. */
#define JT_DEVICE_ID_MAX 64

/* Milliseconds since the Unix epoch, UTC. */
typedef int64_t jt_ms;

struct fix {
	char device[JT_DEVICE_ID_MAX + 1]; /* identifier the tablet sent */
	uint64_t seq;     /* per-device sequence number; 0 when the protocol has none */
	bool has_seq;
	jt_ms time;       /* when the position was measured */
	double lat, lon;  /* WGS84 degrees */
	double speed;     /* m/s, NAN if unknown */
	double heading;   /* degrees clockwise from north [0, 360), NAN if unknown */
	double altitude;  /* metres above sea level, NAN if unknown */
	double accuracy;  /* metres (horizontal), NAN if unknown */
	double battery;   /* fraction 0..1, NAN if unknown */
};

/* Resets every optional member to "unknown". */
void fix_init(struct fix *f);

/*
 * Why a fix was refused. The names (fix_reason_name) are the stable strings
 * put in replies, logs and metrics; append, never renumber.
 */
enum fix_reason {
	FIX_OK = 0,
	FIX_MISSING_DEVICE,   /* no device identifier */
	FIX_BAD_DEVICE,       /* identifier too long or not printable */
	FIX_MISSING_POSITION, /* no latitude/longitude */
	FIX_MALFORMED,        /* a field that is not a number, a date, ... */
	FIX_NOT_FINITE,       /* NaN or infinity */
	FIX_OUT_OF_RANGE,     /* latitude, longitude, speed, ... outside their domain */
	FIX_NULL_ISLAND,      /* exactly 0,0: an unset receiver, not a place */
	FIX_MISSING_TIME,     /* no timestamp */
	FIX_FUTURE,           /* timestamp too far ahead of the server's clock */
	FIX_TOO_OLD,          /* timestamp older than the acceptance window */
	FIX_UNKNOWN_DEVICE,   /* not registered, or revoked */
	FIX_WRONG_DEVICE,     /* a batch's fix names another device */
	FIX_DUPLICATE_SEQ,    /* the same sequence number twice in one batch */
	FIX_REASON_COUNT
};

const char *fix_reason_name(enum fix_reason r);

/* Quality of a stored fix (positions.quality). */
enum fix_quality {
	FIXQ_GOOD = 0,
	FIXQ_IMPLAUSIBLE_JUMP = 1, /* implied speed above the limit: stored, not used live */
	FIXQ_STALE = 2,            /* older than the vehicle's live position: stored, not used live */
};

#endif
