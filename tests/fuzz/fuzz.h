/*
 * fuzz.h — what the libFuzzer harnesses share: the entry point every harness
 * defines (and replay.c calls), and an assertion that stops the run loudly
 * so libFuzzer keeps the input that broke a promise of the parsers.
 */
#ifndef JINTONG_FUZZ_H
#define JINTONG_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* A reply or log detail: terminated inside its buffer, printable ASCII only
 * (never raw request bytes). */
static inline bool fuzz_detail_ok(const char *s, size_t cap)
{
	const char *end = memchr(s, '\0', cap);
	if (!end)
		return false;
	for (const char *p = s; p < end; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return false;
	return true;
}

#endif
