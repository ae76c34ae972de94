/*
 * metrics.c — Prometheus text format writer; see metrics.h.
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

const double metrics_bucket_ms[METRICS_BUCKETS] = {
	0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
};

void histogram_observe(struct histogram *h, double ms)
{
	size_t i = 0;
	while (i < METRICS_BUCKETS && ms > metrics_bucket_ms[i])
		i++;
	h->count[i]++;
	h->total++;
	h->sum_ms += ms;
}

static void out_printf(struct metrics_out *o, const char *fmt, ...) JT_PRINTF(2, 3);
static void out_printf(struct metrics_out *o, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(o->p ? o->p + o->len : NULL, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (k < 0)
			fatal("formatting metrics");
		if (o->p && (size_t)k < o->cap - o->len) {
			o->len += (size_t)k;
			return;
		}
		o->p = xgrow(o->p, &o->cap, o->len + (size_t)k + 1, 1);
	}
}

void metrics_help(struct metrics_out *o, const char *name, const char *type, const char *help)
{
	out_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_sample(struct metrics_out *o, const char *name, const char *labels, double value)
{
	if (labels && *labels)
		out_printf(o, "%s{%s} %.17g\n", name, labels, value);
	else
		out_printf(o, "%s %.17g\n", name, value);
}

void metrics_histogram(struct metrics_out *o, const char *name, const char *help,
		       const struct histogram *h)
{
	metrics_help(o, name, "histogram", help);
	uint64_t cum = 0;
	for (size_t i = 0; i < METRICS_BUCKETS; i++) {
		cum += h->count[i];
		out_printf(o, "%s_bucket{le=\"%g\"} %llu\n", name, metrics_bucket_ms[i] / 1000.0,
			   (unsigned long long)cum);
	}
	cum += h->count[METRICS_BUCKETS];
	out_printf(o, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
	out_printf(o, "%s_sum %.6f\n%s_count %llu\n", name, h->sum_ms / 1000.0, name,
		   (unsigned long long)h->total);
}

void metrics_out_free(struct metrics_out *o)
{
	free(o->p);
	o->p = NULL;
	o->len = o->cap = 0;
}
