/*
 * darp.c — reading, converting and generating Cordeau dial-a-ride
 * instances (see darp.h). Every input is hostile: the reader checks counts
 * against the lines present, numbers for NaN, infinity and range, windows,
 * loads (a drop-off gives back exactly what its pickup took, within the
 * capacity), line lengths and stray text, and says which line is wrong.
 */
#include "darp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define DARP_COORD_MAX 1e6
#define DARP_TIME_MAX 1e9

struct reader {
	const char *p, *end;
	unsigned long line;
	char buf[DARP_LINE_MAX + 1];
	char *err;
	size_t errlen;
	unsigned long *errline;
};

static int bad(struct reader *r, unsigned long line, const char *fmt, ...) JT_PRINTF(3, 4);

static int bad(struct reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	*r->errline = line;
	return -1;
}

/* The next line into r->buf without its end of line; 1, 0 at the end, -1. */
static int next_line(struct reader *r)
{
	if (r->p >= r->end)
		return 0;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	const char *stop = nl ? nl : r->end;
	size_t n = (size_t)(stop - r->p);
	r->line++;
	if (n > 0 && r->p[n - 1] == '\r')
		n--;
	if (n > DARP_LINE_MAX)
		return bad(r, r->line, "line longer than %d bytes", DARP_LINE_MAX);
	memcpy(r->buf, r->p, n);
	r->buf[n] = '\0';
	r->p = nl ? nl + 1 : r->end;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)r->buf[i];
		if (c == '\t')
			r->buf[i] = ' ';
		else if (c < 0x20 || c > 0x7e)
			return bad(r, r->line, "byte 0x%02x at column %zu is not printable ASCII", c,
				   i + 1);
	}
	return 1;
}

static bool blank(const char *s)
{
	return s[strspn(s, " ")] == '\0';
}

/* Splits r->buf into at most max fields; returns the count, max+1 if more. */
static int fields(char *s, char **f, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return max + 1;
		f[n++] = tok;
	}
	return n;
}

/* A finite decimal number (no hex, no inf/nan words). */
static int number(struct reader *r, const char *s, const char *what, double lo, double hi,
		  double *out)
{
	if (strspn(s, "+-0123456789.eE") != strlen(s))
		return bad(r, r->line, "%s is not a number", what);
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end != '\0')
		return bad(r, r->line, "%s is not a number", what);
	if (!isfinite(v) || errno == ERANGE)
		return bad(r, r->line, "%s is not finite", what);
	if (v < lo || v > hi)
		return bad(r, r->line, "%s %g is out of range [%g, %g]", what, v, lo, hi);
	*out = v;
	return 0;
}

static int integer(struct reader *r, const char *s, const char *what, long lo, long hi, int *out)
{
	double v;
	if (number(r, s, what, (double)lo, (double)hi, &v) != 0)
		return -1;
	if (v != floor(v))
		return bad(r, r->line, "%s %g is not a whole number", what, v);
	*out = (int)v;
	return 0;
}

void darp_free(struct darp_instance *in)
{
	free(in->node);
	in->node = NULL;
}

int darp_parse(const char *text, size_t len, struct darp_instance *out, unsigned long *line,
	       char *err, size_t errlen)
{
	struct reader r = {.p = text, .end = text + len, .err = err, .errlen = errlen,
			   .errline = line};
	memset(out, 0, sizeof *out);
	*line = 0;
	char *f[8];
	int rc;
	/* The header. */
	while ((rc = next_line(&r)) == 1 && blank(r.buf))
		;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return bad(&r, 0, "empty file: no header line \"K N T Q L\"");
	unsigned long header_line = r.line;
	if (fields(r.buf, f, 5) != 5)
		return bad(&r, r.line, "header needs 5 fields: vehicles requests max-duration capacity max-ride");
	int n_field;
	if (integer(&r, f[0], "vehicle count", 1, DARP_VEHICLES_MAX, &out->vehicles) ||
	    integer(&r, f[1], "request count", 1, 2 * DARP_REQUESTS_MAX, &n_field) ||
	    number(&r, f[2], "maximum route duration", 1e-9, DARP_TIME_MAX, &out->max_duration) ||
	    integer(&r, f[3], "capacity", 1, DARP_CAPACITY_MAX, &out->capacity) ||
	    number(&r, f[4], "maximum ride time", 1e-9, DARP_TIME_MAX, &out->max_ride))
		return -1;

	/* The node lines: read them all first, as N may count requests or nodes. */
	size_t cap = 0, count = 0;
	struct darp_node *node = NULL;
	unsigned long *at = NULL;
	size_t at_cap = 0;
	unsigned long last_line = 0;
	while ((rc = next_line(&r)) == 1) {
		if (blank(r.buf))
			continue;
		if (count >= 2 * (size_t)DARP_REQUESTS_MAX + 2 ||
		    count >= 2 * (size_t)n_field + 2) {
			bad(&r, r.line, "more node lines than the header's N = %d allows", n_field);
			goto fail;
		}
		node = xgrow(node, &cap, count + 1, sizeof *node);
		at = xgrow(at, &at_cap, count + 1, sizeof *at);
		struct darp_node *d = &node[count];
		int id, nf = fields(r.buf, f, 7);
		if (nf != 7) {
			bad(&r, r.line, "node line needs 7 fields (id x y service load earliest latest), has %s%d",
			    nf > 7 ? "more than " : "", nf > 7 ? 7 : nf);
			goto fail;
		}
		if (integer(&r, f[0], "node id", 0, 2 * DARP_REQUESTS_MAX + 1, &id) ||
		    number(&r, f[1], "x", -DARP_COORD_MAX, DARP_COORD_MAX, &d->x) ||
		    number(&r, f[2], "y", -DARP_COORD_MAX, DARP_COORD_MAX, &d->y) ||
		    number(&r, f[3], "service duration", 0, DARP_TIME_MAX, &d->service) ||
		    integer(&r, f[4], "load", -DARP_CAPACITY_MAX, DARP_CAPACITY_MAX, &d->load) ||
		    number(&r, f[5], "window start", 0, DARP_TIME_MAX, &d->earliest) ||
		    number(&r, f[6], "window end", 0, DARP_TIME_MAX, &d->latest))
			goto fail;
		if ((size_t)id != count) {
			bad(&r, r.line, "node id %d where %zu was expected", id, count);
			goto fail;
		}
		if (d->earliest > d->latest) {
			bad(&r, r.line, "window start %g after its end %g", d->earliest, d->latest);
			goto fail;
		}
		at[count] = r.line;
		last_line = r.line;
		count++;
	}
	if (rc < 0)
		goto fail;
	/* How many requests: 2N+2 lines (N requests) or N+2 (N request nodes). */
	int n;
	if (count == 2 * (size_t)n_field + 2 && n_field <= DARP_REQUESTS_MAX) {
		n = n_field;
	} else if (n_field % 2 == 0 && count == (size_t)n_field + 2) {
		n = n_field / 2;
	} else {
		bad(&r, count ? last_line : header_line,
		    "%zu node lines: N = %d in the header needs %d (N requests)%s", count, n_field,
		    2 * n_field + 2, n_field % 2 == 0 ? " or N + 2 (N request nodes)" : "");
		goto fail;
	}
	out->requests = n;
	out->node = node;
	/* Depots and loads. */
	int end = 2 * n + 1;
	for (int k = 0; k <= end; k++) {
		const struct darp_node *d = &node[k];
		r.line = at[k];
		if ((k == 0 || k == end) && d->load != 0) {
			bad(&r, r.line, "depot with load %d (must be 0)", d->load);
			goto fail;
		}
		if (k >= 1 && k <= n && (d->load <= 0 || d->load > out->capacity)) {
			bad(&r, r.line, "pickup %d with load %d: must be 1..%d (the capacity)", k,
			    d->load, out->capacity);
			goto fail;
		}
		if (k > n && k < end && d->load != -node[k - n].load) {
			bad(&r, r.line, "drop-off %d with load %d, its pickup %d takes %d", k, d->load,
			    k - n, node[k - n].load);
			goto fail;
		}
	}
	free(at);
	return 0;
fail:
	free(node);
	free(at);
	out->node = NULL;
	return -1;
}

void darp_request(const struct darp_instance *in, int i, struct plan_request *r)
{
	const struct darp_node *p = &in->node[darp_pickup(in, i)];
	const struct darp_node *d = &in->node[darp_dropoff(in, i)];
	*r = (struct plan_request){
		.id = i, .pick = {p->x, p->y}, .drop = {d->x, d->y},
		.pick_earliest = p->earliest, .pick_latest = p->latest,
		.drop_earliest = d->earliest, .drop_latest = d->latest,
		.pick_service = p->service, .drop_service = d->service,
		.seats = p->load, .cargo = 0, .max_ride = in->max_ride, .parcel = false,
	};
}

void darp_vehicle(const struct darp_instance *in, int k, struct plan_vehicle *v)
{
	const struct darp_node *s = &in->node[0], *e = &in->node[2 * in->requests + 1];
	plan_vehicle_init(v, k, (struct plan_loc){s->x, s->y}, s->earliest,
			  (struct plan_loc){e->x, e->y}, e->latest, in->capacity, 0);
	v->max_duration = in->max_duration;
}

/* ---- generating ------------------------------------------------------- */

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uni(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * ((double)(mix(s) >> 11) / 9007199254740992.0);
}

char *darp_generate(int vehicles, int requests, uint64_t seed)
{
	const double day = 480, ride = 45, width = 15, service = 3;
	uint64_t s = seed;
	int n = requests;
	struct darp_node *node = xcalloc(2 * (size_t)n + 2, sizeof *node);
	node[0] = (struct darp_node){0, 0, 0, 0, 0, day};
	node[2 * n + 1] = node[0];
	for (int i = 1; i <= n; i++) {
		struct darp_node *p = &node[i], *d = &node[n + i];
		p->x = uni(&s, -10, 10);
		p->y = uni(&s, -10, 10);
		d->x = uni(&s, -10, 10);
		d->y = uni(&s, -10, 10);
		p->load = 1 + (int)(mix(&s) % 3);
		d->load = -p->load;
		p->service = d->service = service;
		double direct = hypot(p->x - d->x, p->y - d->y);
		double to = hypot(p->x, p->y), back = hypot(d->x, d->y);
		p->earliest = d->earliest = 0;
		p->latest = d->latest = 1440;
		if (i <= n / 2) {
			/* Outbound: the rider says when to be picked up. */
			double lo = to, hi = day - width - service - direct - service - back;
			p->earliest = floor(uni(&s, lo, hi));
			p->latest = p->earliest + width;
		} else {
			/* Inbound: the rider says when to arrive. */
			double lo = to + service + direct, hi = day - width - service - back;
			d->earliest = floor(uni(&s, lo, hi));
			d->latest = d->earliest + width;
		}
	}
	size_t cap = 64 + (2 * (size_t)n + 2) * 64, len = 0;
	char *out = xmalloc(cap);
	len += (size_t)snprintf(out + len, cap - len, "%d %d %g %d %g\n", vehicles, n, day, 6, ride);
	for (int k = 0; k <= 2 * n + 1; k++) {
		const struct darp_node *d = &node[k];
		len += (size_t)snprintf(out + len, cap - len, "%3d %8.3f %8.3f %2g %3d %5g %5g\n", k,
					d->x, d->y, d->service, d->load, d->earliest, d->latest);
	}
	free(node);
	return out;
}
