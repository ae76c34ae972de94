/*
 * booking-demand.c — the county's villagers as the fleet simulator's booking
 * client (booking.h): the day's requests of demandgen.c, posted by booker.c
 * when the simulated clock reaches the time each is asked.
 *
 * Only requests for the simulated part of the day are asked (a leave-after
 * or arrive-by time within --from..--to, with the time it takes to be
 * answered): a ride wanted before the simulated morning starts has no
 * vehicle that could have carried it. Requests made the evening before are
 * asked as the day starts.
 */
#include "booking.h"

#include "booker.h"
#include "countyfile.h"
#include "demandgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct demand_client {
	char host[256];
	struct gen_county c;
	struct demandgen_list l;
	struct booker *b;
	double now_s; /* the simulated clock at the last tick, Unix seconds */
};

static double clock_of(void *ctx)
{
	return ((struct demand_client *)ctx)->now_s;
}

/* Parses host and port of "http://host:port" into the booker's options. */
static int host_port(const char *url, char *host, size_t len, int *port)
{
	const char *h = strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	if (!h)
		return -1;
	size_t n = strcspn(h, ":/");
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = 80;
	if (h[n] == ':') {
		char *end;
		long p = strtol(h + n + 1, &end, 10);
		if (p < 1 || p > 65535 || (*end && *end != '/'))
			return -1;
		*port = (int)p;
	}
	return 0;
}

/* Keeps the requests wanted within [from_s, to_s - 30 min], renumbered in order. */
static void keep_simulated(struct demandgen_list *l, double from_s, double to_s)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct demandgen_request *q = &l->r[i];
		if (q->time_s < from_s + 10 * 60 || q->time_s > to_s - 30 * 60)
			continue;
		l->r[k] = *q;
		l->r[k].id = (int)k;
		k++;
	}
	l->n = k;
}

static void *start(const struct booking_start *how)
{
	int port;
	char err[512];
	struct demand_client *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	if (host_port(how->url, d->host, sizeof d->host, &port) != 0) {
		fprintf(stderr, "jintong-sim: riders' bookings need an http:// address, not %s\n", how->url);
		free(d);
		return NULL;
	}
	if (countyfile_load(how->county, &d->c, err, sizeof err) != 0 ||
	    demandgen_make(&d->c, how->day, how->seed, &d->l, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-sim: riders' bookings: %s\n", err);
		gen_county_free(&d->c);
		free(d);
		return NULL;
	}
	size_t all = d->l.n;
	keep_simulated(&d->l, how->from_s, how->to_s);
	struct booker_opts o;
	booker_opts_default(&o);
	o.base = how->base;
	o.host = d->host; /* kept by d while the booker runs */
	o.port = port;
	o.token = how->token;
	o.day = how->day;
	o.seed = how->seed;
	o.clock = clock_of;
	o.clock_ctx = d;
	d->now_s = -INFINITY; /* nothing is due before the first tick */
	d->b = booker_new(&o, &d->c, &d->l);
	printf("jintong-sim: the villagers ask for %zu rides in the simulated hours (%zu in the whole day; demand "
	       "seed %llu)\n",
	       d->l.n, all, (unsigned long long)how->seed);
	return d;
}

static void tick(void *ctx, int64_t sim_ms)
{
	struct demand_client *d = ctx;
	d->now_s = (double)sim_ms / 1000.0;
	booker_pump(d->b);
}

static void counts(void *ctx, struct booking_counts *out)
{
	const struct booker_counts *k = booker_counts(((struct demand_client *)ctx)->b);
	out->requested = k->answered;
	out->booked = k->confirmed;
	out->refused = k->refused;
	out->served = 0; /* carried to the end: the day's report says */
}

static void finish(void *ctx, FILE *summary)
{
	struct demand_client *d = ctx;
	const struct booker_counts *k = booker_counts(d->b);
	char line[256];
	booker_progress(d->b, line, sizeof line);
	printf("jintong-sim: %s; %zu confirmed, %zu declined, %zu left to expire, %zu failed\n", line, k->confirmed,
	       k->declined, k->left_to_expire, k->failed);
	if (summary)
		fprintf(summary,
			"bookings_asked %zu\nbookings_answered %zu\nbookings_seat %zu\nbookings_van %zu\n"
			"bookings_refused %zu\nbookings_failed %zu\nbookings_confirmed %zu\nbookings_declined %zu\n"
			"bookings_let_expire %zu\nbookings_mean_wait_min %.1f\n",
			d->l.n, k->answered, k->seats, k->vans, k->refused, k->failed, k->confirmed, k->declined,
			k->left_to_expire, k->waits ? k->wait_sum_s / (double)k->waits / 60.0 : 0.0);
	booker_free(d->b);
	demandgen_free(&d->l);
	gen_county_free(&d->c);
	free(d);
}

static const struct booking_client demand_client = { start, tick, counts, finish };

const struct booking_client *booking_client(void)
{
	return &demand_client;
}
