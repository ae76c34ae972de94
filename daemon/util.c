/*
 * util.c — allocation wrappers, the monotonic clock, fatal(). now_ms() and
 * today_local() are in clock.c, with the simulated clock they follow.
 */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void fatal(const char *fmt, ...)
{
	va_list ap;
	fputs("jintong: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		fatal("out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		fatal("out of memory reallocating to %zu bytes", n);
	return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			fatal("array of %zu elements too large", need);
		n *= 2;
	}
	*cap = n;
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("bad format %s", fmt);
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t strlcpy_jt(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}


/* Length of the well-formed UTF-8 sequence at p (before end), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = *p, min;
	size_t n;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		n = 1, min = 0x80, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 2, min = 0x800, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		n = 3, min = 0x10000, c &= 0x07;
	else
		return 0;
	if ((size_t)(end - p) <= n)
		return 0;
	for (size_t i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n + 1;
}

bool util_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	for (size_t n; p < end; p += n)
		if (!(n = utf8_seq(p, end)))
			return false;
	return true;
}

void util_utf8_repair(char *s)
{
	unsigned char *p = (unsigned char *)s, *end = p + strlen(s);
	for (size_t n; p < end; p += n)
		if (!(n = utf8_seq(p, end))) {
			*p = '?';
			n = 1;
		}
}
