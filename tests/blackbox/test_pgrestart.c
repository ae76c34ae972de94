/*
 * PostgreSQL goes away in the middle of a stream of fixes, twice: once shut
 * down cleanly, once killed. The daemon must stay up, answer 503 while it
 * cannot store, keep live positions, reconnect on its own, and afterwards
 * every fix it acknowledged must be in the database exactly once.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"

struct want {
	struct h_stream *s;
	uint64_t acked_at_least;
};

static bool acked_enough(void *arg)
{
	struct want *w = arg;
	return h_stream_counts(w->s)->acked >= w->acked_at_least;
}

static void outage(struct h_test *t, struct h_stream *s, const char *how)
{
	const struct h_stream_counts *c = h_stream_counts(s);
	uint64_t unavailable = c->unavailable + c->failed;
	REQUIRE(h_pgctl(t, how) == 0, "tools/pg %s failed", how);
	/* While the database is away, tablets are told to come back later. */
	h_stream_run(s, 1500, NULL, NULL);
	CHECK(c->unavailable + c->failed > unavailable, "no 503 while PostgreSQL was down (%s)", how);
	struct h_resp r;
	h_http(t, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200, "daemon not alive while the database is down: %ld", r.status);
	h_resp_free(&r);
	h_http(t, "GET", "/readyz", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 503, "readyz says ready without a database: %ld", r.status);
	h_resp_free(&r);
	/* Live state is still served from memory. */
	h_http(t, "GET", "/v1/vehicles", NULL, t->op_token, NULL, 0, &r);
	CHECK(r.status == 200 && strstr(r.body, "BUS-0"), "live positions lost: %ld", r.status);
	h_resp_free(&r);

	REQUIRE(h_pgctl(t, "start") == 0, "PostgreSQL did not restart");
	/* The daemon must resume by itself: acknowledgements start again. */
	struct want w = { s, c->acked + 200 };
	h_stream_run(s, 30000, acked_enough, &w);
	CHECK(c->acked >= w.acked_at_least, "no fixes acknowledged after restart (%s)", how);
}

int main(void)
{
	struct h_test t;
	h_init(&t, "pgrestart");
	h_private_cluster(&t);
	h_create_operator(&t);
	const char *args[] = { "--reconnect-max-ms", "300", "--retry-after-s", "1", NULL };
	h_start(&t, args);
	struct h_stream *s = h_stream_new(&t, 4, 2, 40);
	const struct h_stream_counts *c = h_stream_counts(s);

	struct want w = { s, 500 };
	h_stream_run(s, 20000, acked_enough, &w);
	REQUIRE(c->acked >= 500, "stream did not get going: %llu acked", (unsigned long long)c->acked);

	outage(&t, s, "stop");
	outage(&t, s, "kill");

	h_stream_drain(s, 30000);
	uint64_t dups = 0;
	uint64_t missing = h_stream_missing(s, &dups);
	fprintf(stderr,
		"made=%llu acked=%llu requests=%llu ok=%llu 503=%llu failed=%llu missing=%llu dup=%llu\n",
		(unsigned long long)c->made, (unsigned long long)c->acked,
		(unsigned long long)c->requests, (unsigned long long)c->ok,
		(unsigned long long)c->unavailable, (unsigned long long)c->failed,
		(unsigned long long)missing, (unsigned long long)dups);
	CHECK(missing == 0, "%llu acknowledged fixes are not in the database",
	      (unsigned long long)missing);
	CHECK(dups == 0, "%llu duplicate rows", (unsigned long long)dups);
	CHECK(c->other == 0, "%llu unexpected statuses", (unsigned long long)c->other);
	CHECK(c->acked == c->made, "%llu fixes never acknowledged after the drain",
	      (unsigned long long)(c->made - c->acked));
	h_stream_free(s);
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not exit cleanly");
	return h_finish(&t);
}
