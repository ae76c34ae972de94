/*
 * test.h — what the operators' tool's unit tests share: checks that count
 * failures and go on, and command lines parsed as main() would.
 */
#ifndef JINTONG_CLI_TEST_H
#define JINTONG_CLI_TEST_H

#include "cmd.h"

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++; \
		} \
	} while (0)

#define CHECK_STR(got, want) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		if (!g_ || strcmp(g_, w_) != 0) { \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
				g_ ? g_ : "(null)", w_); \
			failures++; \
		} \
	} while (0)

/* Parses a NULL-terminated line. */
static inline int parse(struct cmd_line *line, const char **words)
{
	int argc = 0;
	while (words[argc])
		argc++;
	return cmd_parse(argc, (char **)words, line);
}

#define LINE(...) ((const char *[]){ "jintong", __VA_ARGS__, NULL })

#endif
