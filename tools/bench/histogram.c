/*
 * histogram.c — see histogram.h. Percentiles walk the buckets once; the
 * coarse buckets answer with their upper edge, so a figure is never lower
 * than the truth.
 */
#include "histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HIST_FINE 1000000   /* 1 µs each, up to 1 s */
#define HIST_COARSE 120000  /* 1 ms each, up to 2 min */

bool histogram_init(struct histogram *h)
{
	h->fine = calloc(HIST_FINE, sizeof *h->fine);
	h->coarse = calloc(HIST_COARSE, sizeof *h->coarse);
	h->overflow = h->count = 0;
	h->max_us = 0;
	if (!h->fine || !h->coarse) {
		histogram_free(h);
		return false;
	}
	return true;
}

void histogram_clear(struct histogram *h)
{
	memset(h->fine, 0, HIST_FINE * sizeof *h->fine);
	memset(h->coarse, 0, HIST_COARSE * sizeof *h->coarse);
	h->overflow = h->count = 0;
	h->max_us = 0;
}

void histogram_free(struct histogram *h)
{
	free(h->fine);
	free(h->coarse);
	h->fine = NULL;
	h->coarse = NULL;
}

void histogram_record(struct histogram *h, int64_t us)
{
	if (us < 0)
		us = 0;
	if (us > h->max_us)
		h->max_us = us;
	if (us < HIST_FINE)
		h->fine[us]++;
	else if (us / 1000 < HIST_COARSE)
		h->coarse[us / 1000]++;
	else
		h->overflow++;
	h->count++;
}

int64_t histogram_percentile(const struct histogram *h, double q)
{
	uint64_t seen = 0, want;

	if (h->count == 0)
		return 0;
	want = (uint64_t)ceil(q * (double)h->count);
	if (want == 0)
		want = 1;
	for (int64_t i = 0; i < HIST_FINE; i++)
		if ((seen += h->fine[i]) >= want)
			return i;
	for (int64_t i = 0; i < HIST_COARSE; i++)
		if ((seen += h->coarse[i]) >= want)
			return i * 1000 + 999;
	return h->max_us;
}
