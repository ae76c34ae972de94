/*
 * fixtures.h — the small requests and readers the black-box tests share:
 * an admin call with its reply as text, a booking for a given day, a
 * string member picked out of a JSON reply, a file read whole.
 */
#ifndef JINTONG_TEST_FIXTURES_H
#define JINTONG_TEST_FIXTURES_H

#include "harness.h"

/* An admin API request as the operator; the reply's body into res (when not NULL). Returns the HTTP status. */
long h_call(struct h_test *t, const char *method, const char *path, const char *json, char *res, size_t len);

/*
 * Books, as the operator, a ride for `rider` from and to the given JSON
 * places leaving after `day`T`when`, with `extra` members (or NULL) added to
 * the request. Returns the HTTP status, the reply in res.
 */
long h_book(struct h_test *t, const char *day, const char *rider, const char *from, const char *to,
	    const char *when, const char *extra, char *res, size_t len);

/* The value of "key":"..." in a JSON reply, or "" (into res, which is returned). */
const char *h_member(const char *json, const char *key, char *res, size_t len);

/* File `name` in `dir` read whole and NUL-terminated (free it), its length in *len (when not NULL); NULL if unreadable. */
char *h_slurp(const char *dir, const char *name, size_t *len);

#endif
