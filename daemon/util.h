/*
 * util.h — allocation that never returns NULL, and the one way to stop the
 * program when continuing would be wrong (out of memory, broken invariant).
 * Everything from outside is an expected error and never reaches fatal().
 */
#ifndef JINTONG_UTIL_H
#define JINTONG_UTIL_H

#include "core.h"

JT_NORETURN void fatal(const char *fmt, ...) JT_PRINTF(1, 2);

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` elements of `size` bytes. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) JT_PRINTF(1, 2);

/*
 * Now in the county in ms since the epoch: the wall clock, or the simulated
 * clock when one is set (clock.h); and a monotonic clock in ms for
 * measuring the machine's own durations.
 */
jt_ms now_ms(void);
int64_t mono_ms(void);

/* Today's date at now_ms() in the local time zone (TZ), as days since 1970-01-01. */
int32_t today_local(void);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy_jt(char *dst, const char *src, size_t size);

/* Is s well-formed UTF-8 (no stray or cut sequence, no surrogate)? */
bool util_utf8_ok(const char *s);
/* Makes s well-formed UTF-8 in place: each byte of a bad or cut sequence
 * becomes '?'. A message echoing a request's bytes, or cut short by its
 * buffer, stays valid text in a JSON reply. */
void util_utf8_repair(char *s);

#endif
