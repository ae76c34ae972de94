/*
 * notice.h — a notification to a rider, as the county's notification gateway
 * receives it, and what the gateway's answer to one attempt means.
 *
 * A notification is stored (sql/010_notifications.sql) with a payload that
 * describes the ride; notice_body() turns it into the JSON that is posted:
 * the payload, the notification's id, and a short message in Chinese and
 * English in the county's time (the TZ the daemon runs in).
 *
 * An attempt ends one of three ways (notice_judge):
 *
 *   2xx                               delivered
 *   no answer, 408, 429, 5xx, other   try again later (notice_wait_ms)
 *   any other 4xx                     the gateway refused the payload: give up
 *
 * and a notification still failing after its last allowed attempt is given
 * up too. Pure: no I/O.
 */
#ifndef JINTONG_NOTICE_H
#define JINTONG_NOTICE_H

#include "core.h"

enum notice_kind {
	NOTICE_OFFERED,     /* a seat is held: confirm it */
	NOTICE_CONFIRMED,
	NOTICE_CANCELLED,
	NOTICE_EXPIRED,     /* the held seat was never confirmed */
	NOTICE_REFUSED,     /* nothing could take the rider */
	NOTICE_APPROACHING, /* the bus is close to the pickup stop */
	NOTICE_DELAY,       /* the bus is running late */
	NOTICE_NO_SHOW,     /* the bus did not find the rider */
	NOTICE_KIND_COUNT
};

const char *notice_kind_name(enum notice_kind k);
/* -1 when unknown. */
int notice_kind_parse(const char *s);

enum notice_verdict {
	NOTICE_DELIVERED,
	NOTICE_RETRY,
	NOTICE_REJECTED, /* the gateway will not take it, however often it is sent */
};

const char *notice_verdict_name(enum notice_verdict v);
/* What an HTTP status means for the notification; 0 = no answer at all. */
enum notice_verdict notice_judge(long status);

/* The first wait after a failed attempt; each later one doubles. */
#define NOTICE_FIRST_WAIT_MS 2000

/*
 * How long to wait after the attempts-th failed attempt (1 for the first):
 * NOTICE_FIRST_WAIT_MS doubled for each attempt before, at most cap_s, and
 * at least what the gateway asked for in Retry-After (retry_after_s, -1 if
 * none), still at most cap_s. A random share of up to half is taken off
 * (jitter from `random`), so riders notified together are not retried
 * together. Always at least 1.
 */
int64_t notice_wait_ms(int attempts, long cap_s, long retry_after_s, uint64_t random);

/* A Retry-After header in seconds (only the delta-seconds form); -1 when absent or unreadable. */
long notice_retry_after_s(const char *value);

/*
 * The start of a gateway's answer made fit to store and log as a reason:
 * one line of printable, valid UTF-8 (anything else becomes a space or
 * '?'), blanks squeezed, cut at a character boundary to fit outlen
 * (outlen >= 1; out is always terminated).
 */
void notice_reason(const char *body, size_t len, char *out, size_t outlen);

/*
 * The JSON posted for notification `id` from its stored payload (len bytes,
 * a JSON object with a known "kind"): the payload with "notification": id
 * and "message": {"zh": ..., "en": ...} added. Returns a malloc'd string,
 * or NULL with err when the payload cannot be read.
 */
char *notice_body(const char *payload, size_t len, int64_t id, char *err, size_t errlen) JT_MUST_CHECK;

#endif
