/*
 * test.h — what the operators' tool's unit tests share: checks that count
 * failures and go on, and command lines parsed and run as main() would.
 */
#ifndef JINTONG_CLI_TEST_H
#define JINTONG_CLI_TEST_H

#include "client.h"
#include "cmd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Runs a line's command with a client that has no operator token: a line
 * the command accepts ends at the first request (CLI_UNAUTHORISED), one it
 * refuses before that. What it printed to stderr goes into err.
 */
static inline int run(const char **words, char *err, size_t size)
{
	struct cmd_line l;
	int rc = parse(&l, words);
	if (rc != CLI_OK) {
		snprintf(err, size, "%s", l.error);
		return rc;
	}
	FILE *tmp = tmpfile();
	if (!tmp)
		return -1;
	fflush(stderr);
	int saved = dup(2);
	dup2(fileno(tmp), 2);
	struct client *c = client_new("http://127.0.0.1:9", NULL, "no operator token here", 1);
	struct cmd_ctx ctx = { .client = c };
	rc = l.args.entry->exec(&ctx, &l.args);
	client_free(c);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(err, 1, size - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

/* run() on a line, into a local char err[]. */
#define RUN(...) run(LINE(__VA_ARGS__), err, sizeof err)

#endif
