/*
 * simdemand.c — the simulated county's villagers booking while its
 * vehicles drive; see simdemand.h.
 */
#include "simdemand.h"

#include "booker.h"
#include "countyfile.h"
#include "demandgen.h"

#include <stdio.h>
#include <stdlib.h>

struct simdemand {
	struct gen_county c;
	struct demandgen_list l;
	struct booker *b;
};

struct simdemand *simdemand_start(struct event_base *base, const char *county_dir, jt_day day, uint64_t seed,
				  const char *host, int port, const char *token, double (*clock)(void *ctx),
				  void *clock_ctx)
{
	struct simdemand *d = calloc(1, sizeof *d);
	char err[512];
	if (!d)
		abort();
	if (countyfile_load(county_dir, &d->c, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-sim: --demand: %s\n", err);
		free(d);
		return NULL;
	}
	if (demandgen_make(&d->c, day, seed, &d->l, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-sim: --demand: %s\n", err);
		gen_county_free(&d->c);
		free(d);
		return NULL;
	}
	struct booker_opts o;
	booker_opts_default(&o);
	o.base = base;
	o.host = host;
	o.port = port;
	o.token = token;
	o.day = day;
	o.seed = seed;
	o.clock = clock;
	o.clock_ctx = clock_ctx;
	d->b = booker_new(&o, &d->c, &d->l);
	printf("jintong-sim: %zu ride requests of the county's villagers to book (demand seed %llu)\n", d->l.n,
	       (unsigned long long)seed);
	return d;
}

void simdemand_pump(struct simdemand *d)
{
	if (d)
		booker_pump(d->b);
}

void simdemand_progress(const struct simdemand *d, char *buf, size_t len)
{
	if (!d) {
		if (len)
			buf[0] = '\0';
		return;
	}
	booker_progress(d->b, buf, len);
}

void simdemand_end(struct simdemand *d)
{
	if (!d)
		return;
	char line[256];
	booker_progress(d->b, line, sizeof line);
	const struct booker_counts *k = booker_counts(d->b);
	printf("jintong-sim: %s; %zu confirmed, %zu declined, %zu left to expire\n", line, k->confirmed, k->declined,
	       k->left_to_expire);
	booker_free(d->b);
	demandgen_free(&d->l);
	gen_county_free(&d->c);
	free(d);
}
