/*
 * metrics.h — the Prometheus text exposition format, and the histograms the
 * daemon keeps for it. Pure: the caller passes the buffer; no I/O.
 */
#ifndef JINTONG_METRICS_H
#define JINTONG_METRICS_H

#include "core.h"

/* Latency buckets in milliseconds (upper bounds), shared by every histogram. */
#define METRICS_BUCKETS 14
extern const double metrics_bucket_ms[METRICS_BUCKETS];

struct histogram {
	uint64_t count[METRICS_BUCKETS + 1]; /* the last one is +Inf */
	uint64_t total;
	double sum_ms;
};

void histogram_observe(struct histogram *h, double ms);

/* A growing text buffer the exposition is written into. */
struct metrics_out {
	char *p;
	size_t len, cap;
};

void metrics_help(struct metrics_out *o, const char *name, const char *type, const char *help);
/* One sample; labels is "" or e.g. "reason=\"too_old\"". */
void metrics_sample(struct metrics_out *o, const char *name, const char *labels, double value);
/* A whole histogram in seconds, as Prometheus expects (name_bucket, name_sum, name_count). */
void metrics_histogram(struct metrics_out *o, const char *name, const char *help,
		       const struct histogram *h);
void metrics_out_free(struct metrics_out *o);

#endif
