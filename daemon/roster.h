/*
 * roster.h — the pupils enrolled on student lines. Seats for enrolled
 * pupils are a guarantee: every run of a student line keeps one seat for
 * each pupil on its roster (seats.h), and a pupil is on one line's roster.
 *
 *   GET  /v1/admin/lines/{line}/roster      the pupils
 *   POST /v1/admin/lines/{line}/roster      {"pupils": [RIDER, ...]} replaces them
 */
#ifndef JINTONG_ROSTER_H
#define JINTONG_ROSTER_H

#include <libpq-fe.h>

#include "daemon.h"

struct evhttp_request;

void roster_init(struct jtd *d);
void roster_free(struct jtd *d);
int roster_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
/* Serves a line's roster (the line exists). */
void roster_handle(struct jtd *d, struct evhttp_request *req, const char *line, const char *who);
/* The student line whose roster holds the rider, or NULL. */
const char *roster_line_of(struct jtd *d, const char *rider);
/* Pupils on the line's roster. */
int roster_size(struct jtd *d, const char *line);
/* Moves on with every change to any roster. */
uint64_t roster_changes(struct jtd *d);

#endif
