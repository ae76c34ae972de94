/*
 * stream.h — a fleet of tablets for fault tests: each keeps one request in
 * flight at all times (curl multi), remembers which fixes the daemon
 * acknowledged, and resends the others the way a real tablet does after a 503
 * or a lost connection. Afterwards, verify that every acknowledged fix is in
 * the database exactly once.
 */
#ifndef JINTONG_STREAM_H
#define JINTONG_STREAM_H

#include "harness.h"

struct h_stream;

struct h_stream_counts {
	uint64_t made;       /* fixes recorded by the tablets */
	uint64_t acked;      /* fixes the daemon acknowledged as stored */
	uint64_t requests;
	uint64_t ok;         /* 200 replies */
	uint64_t unavailable; /* 503 replies */
	uint64_t failed;     /* no reply: connection refused, reset, timed out */
	uint64_t other;      /* any other status */
};

/*
 * Registers `batch_tablets` protobuf tablets (batches of `batch` new fixes a
 * request) and `osmand_tablets` tracking-app tablets (one fix a request).
 */
struct h_stream *h_stream_new(struct h_test *t, int batch_tablets, int osmand_tablets, int batch);
void h_stream_free(struct h_stream *s);
/* Drives the tablets for ms milliseconds (or until stop() is true, if given). */
void h_stream_run(struct h_stream *s, long ms, bool (*stop)(void *), void *arg);
/* Lets the tablets finish: runs until nothing is left unacknowledged or ms pass. New fixes stop. */
void h_stream_drain(struct h_stream *s, long ms);
const struct h_stream_counts *h_stream_counts(const struct h_stream *s);
/* Checks the database; returns acknowledged fixes that are missing, and counts duplicates. */
uint64_t h_stream_missing(struct h_stream *s, uint64_t *duplicates);

#endif
