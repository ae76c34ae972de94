/*
 * countybook.c — `jintong-county book`: the villagers of a generated county
 * book a day's rides with jintongd, all asked at once (a short standalone
 * run; the fleet simulator's --demand asks them on its simulated clock).
 *
 *   jintong-county book DIR --day DATE [--seed S] [--limit N] [--url URL]
 *                  [--token T] [--outcomes FILE]
 *
 * --limit takes the first N requests of the day in the order they are
 * asked; --outcomes writes one line per request (booker.h).
 */
#include "countybook.h"

#include "booker.h"
#include "countyfile.h"
#include "demandgen.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void all_done(void *ctx)
{
	event_base_loopexit(ctx, NULL);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	booker_pump(arg);
}

int countybook_main(int argc, char **argv, const char *token)
{
	const char *dir = argv[2], *url = "http://127.0.0.1:8470", *outcomes = NULL;
	jt_day day = 0;
	bool has_day = false;
	uint64_t seed = 1;
	long limit = -1;
	for (int i = 3; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[++i] : NULL;
		char *end;
		if (!v) {
			fprintf(stderr, "jintong-county: %s needs a value\n", o);
			return 2;
		}
		errno = 0;
		if (!strcmp(o, "--day")) {
			if (date_parse(v, &day) != 0) {
				fprintf(stderr, "jintong-county: --day takes a date YYYY-MM-DD, not '%s'\n", v);
				return 2;
			}
			has_day = true;
		} else if (!strcmp(o, "--seed")) {
			unsigned long long s = strtoull(v, &end, 10);
			if (errno || end == v || *end) {
				fprintf(stderr, "jintong-county: --seed takes a whole number, not '%s'\n", v);
				return 2;
			}
			seed = s;
		} else if (!strcmp(o, "--limit")) {
			limit = strtol(v, &end, 10);
			if (errno || end == v || *end || limit < 0) {
				fprintf(stderr, "jintong-county: --limit takes a count, not '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(o, "--url")) {
			url = v;
		} else if (!strcmp(o, "--token")) {
			token = v;
		} else if (!strcmp(o, "--outcomes")) {
			outcomes = v;
		} else {
			fprintf(stderr, "jintong-county: unknown option '%s' for book\n", o);
			return 2;
		}
	}
	if (!token || !*token) {
		fprintf(stderr, "jintong-county: an operator token is needed (--token, JINTONG_TOKEN or JINTONG_TOKEN_FILE)\n");
		return 2;
	}
	struct evhttp_uri *u = evhttp_uri_parse(url);
	const char *host = u ? evhttp_uri_get_host(u) : NULL;
	if (!host || !evhttp_uri_get_scheme(u) || strcmp(evhttp_uri_get_scheme(u), "http") != 0) {
		fprintf(stderr, "jintong-county: --url must be http://HOST:PORT\n");
		if (u)
			evhttp_uri_free(u);
		return 2;
	}
	char err[512];
	struct gen_county c;
	if (countyfile_load(dir, &c, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-county: %s\n", err);
		evhttp_uri_free(u);
		return 2;
	}
	struct demandgen_list l;
	if (demandgen_make(&c, has_day ? day : c.p.from, seed, &l, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-county: %s\n", err);
		gen_county_free(&c);
		evhttp_uri_free(u);
		return 2;
	}
	if (limit >= 0 && (size_t)limit < l.n)
		l.n = (size_t)limit;
	struct event_base *base = event_base_new();
	struct booker_opts o;
	booker_opts_default(&o);
	o.base = base;
	o.host = host;
	o.port = evhttp_uri_get_port(u) > 0 ? evhttp_uri_get_port(u) : 80;
	o.token = token;
	o.day = has_day ? day : c.p.from;
	o.seed = seed;
	o.done = all_done;
	o.done_ctx = base;
	struct booker *b = booker_new(&o, &c, &l);
	struct event *tick = event_new(base, -1, EV_PERSIST, on_tick, b);
	struct timeval tv = { 0, 100 * 1000 };
	event_add(tick, &tv);
	booker_pump(b);
	if (!booker_finished(b))
		event_base_dispatch(base);
	char line[256];
	booker_progress(b, line, sizeof line);
	const struct booker_counts *k = booker_counts(b);
	printf("jintong-county: %s; %zu confirmed, %zu declined, %zu left to expire\n", line, k->confirmed, k->declined,
	       k->left_to_expire);
	int rc = k->failed ? 1 : 0;
	if (outcomes) {
		FILE *f = fopen(outcomes, "w");
		if (!f) {
			fprintf(stderr, "jintong-county: %s: %s\n", outcomes, strerror(errno));
			rc = 1;
		} else {
			booker_write_outcomes(b, f);
			if (fclose(f) != 0)
				rc = 1;
		}
	}
	for (size_t i = 0; i < l.n && k->failed; i++) {
		const struct booker_outcome *x = booker_outcome(b, i);
		if (x->error[0])
			fprintf(stderr, "jintong-county: request %zu: %s\n", i, x->error);
	}
	event_free(tick);
	booker_free(b);
	event_base_free(base);
	demandgen_free(&l);
	gen_county_free(&c);
	evhttp_uri_free(u);
	return rc;
}
