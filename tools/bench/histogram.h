/*
 * histogram.h — latencies of acknowledgements, kept exactly enough to quote
 * percentiles: one bucket per microsecond up to 1 s, one per millisecond up
 * to 2 min, and a count of anything slower. About 4.5 MB, no allocation while
 * recording, so measuring costs the load generator next to nothing.
 */
#ifndef JINTONG_BENCH_HISTOGRAM_H
#define JINTONG_BENCH_HISTOGRAM_H

#include <stdbool.h>
#include <stdint.h>

struct histogram {
	uint32_t *fine;     /* [HIST_FINE] 1 µs buckets */
	uint32_t *coarse;   /* [HIST_COARSE] 1 ms buckets */
	uint64_t overflow;  /* slower than the last coarse bucket */
	uint64_t count;
	int64_t max_us;
};

/* Returns false when the buckets cannot be allocated. */
bool histogram_init(struct histogram *h);
void histogram_free(struct histogram *h);
/* Empties it, for the next window. */
void histogram_clear(struct histogram *h);
void histogram_record(struct histogram *h, int64_t us);
/* Smallest latency (µs) at or below which a fraction q of the values lie. */
int64_t histogram_percentile(const struct histogram *h, double q);

#endif
