/*
 * check.h — the few assertions Jintong's unit tests need. Each check counts,
 * a failing one prints file:line and what was expected, and check_done()
 * turns the tally into the program's exit status, so one run reports every
 * failure rather than stopping at the first.
 *
 * Everything here is static inline or a macro: each test program includes
 * it once and nothing is shared between programs.
 */
#ifndef JINTONG_TEST_CHECK_H
#define JINTONG_TEST_CHECK_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_tally {
	unsigned checks;
	unsigned failures;
};

static inline struct check_tally *check_tally(void)
{
	static struct check_tally t;
	return &t;
}

static inline bool check_record(bool ok, const char *file, int line)
{
	check_tally()->checks++;
	if (!ok) {
		check_tally()->failures++;
		fprintf(stderr, "%s:%d: FAILED ", file, line);
	}
	return ok;
}

static inline void check_bool(const char *file, int line, const char *what, bool ok)
{
	if (!check_record(ok, file, line))
		fprintf(stderr, "%s\n", what);
}

static inline void check_int(const char *file, int line, const char *what, long long got,
			     long long want)
{
	if (!check_record(got == want, file, line))
		fprintf(stderr, "%s: got %lld, want %lld\n", what, got, want);
}

static inline void check_str(const char *file, int line, const char *what, const char *got,
			     const char *want)
{
	bool ok = got && want ? strcmp(got, want) == 0 : got == want;
	if (!check_record(ok, file, line))
		fprintf(stderr, "%s: got \"%s\", want \"%s\"\n", what, got ? got : "(null)",
			want ? want : "(null)");
}

/* Equal within a relative 1e-9 (or absolute 1e-12 near zero); NaN equals NaN,
 * and infinities must match in sign. */
static inline void check_dbl(const char *file, int line, const char *what, double got,
			     double want)
{
	bool ok;
	if (isnan(want) || isnan(got))
		ok = isnan(want) && isnan(got);
	else if (isinf(want) || isinf(got))
		ok = got == want;
	else
		ok = fabs(got - want) <= fmax(1e-12, 1e-9 * fabs(want));
	if (!check_record(ok, file, line))
		fprintf(stderr, "%s: got %.17g, want %.17g\n", what, got, want);
}

#define CHECK(cond) check_bool(__FILE__, __LINE__, #cond, (cond))
#define CHECK_MSG(what, cond) check_bool(__FILE__, __LINE__, (what), (cond))
#define CHECK_INT(what, got, want) \
	check_int(__FILE__, __LINE__, (what), (long long)(got), (long long)(want))
#define CHECK_STR(what, got, want) check_str(__FILE__, __LINE__, (what), (got), (want))
#define CHECK_DBL(what, got, want) check_dbl(__FILE__, __LINE__, (what), (got), (want))

/* Prints the tally; returns the exit status for main(). */
static inline int check_done(const char *program)
{
	const struct check_tally *t = check_tally();
	printf("%s: %u checks, %u failed\n", program, t->checks, t->failures);
	return t->failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
