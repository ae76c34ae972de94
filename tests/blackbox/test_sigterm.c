/*
 * SIGTERM while tablets are streaming: the daemon stops taking connections,
 * commits what it accepted, answers the requests it holds, and exits 0.
 * Every fix it acknowledged is then in the database.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"

int main(void)
{
	struct h_test t;
	h_init(&t, "sigterm");
	h_create_operator(&t);
	h_start(&t, NULL);
	struct h_stream *s = h_stream_new(&t, 6, 3, 200);
	const struct h_stream_counts *c = h_stream_counts(s);
	h_stream_run(s, 1500, NULL, NULL);
	REQUIRE(c->acked > 0, "nothing acknowledged before SIGTERM");
	uint64_t requests_before = c->requests;

	/* Requests are in flight right now: each tablet always has one. */
	kill(t.d.pid, SIGTERM);
	h_stream_run(s, 3000, NULL, NULL);
	int status = h_wait(&t);
	CHECK(status == 0, "jintongd exited with %d after SIGTERM", status);
	CHECK(c->requests > requests_before, "no request was in flight during shutdown");

	uint64_t dups = 0;
	uint64_t missing = h_stream_missing(s, &dups);
	fprintf(stderr, "made=%llu acked=%llu ok=%llu 503=%llu failed=%llu missing=%llu\n",
		(unsigned long long)c->made, (unsigned long long)c->acked,
		(unsigned long long)c->ok, (unsigned long long)c->unavailable,
		(unsigned long long)c->failed, (unsigned long long)missing);
	CHECK(missing == 0, "%llu acknowledged fixes lost in shutdown", (unsigned long long)missing);
	CHECK(dups == 0, "%llu duplicate rows", (unsigned long long)dups);
	/* The log says shutdown committed everything. */
	FILE *f = fopen(t.d.log_path, "r");
	char line[1024];
	bool committed_all = false;
	while (f && fgets(line, sizeof line, f))
		committed_all |= strstr(line, "shutdown.end committed_all=yes") != NULL;
	if (f)
		fclose(f);
	CHECK(committed_all, "shutdown did not report committing everything");
	h_stream_free(s);
	return h_finish(&t);
}
