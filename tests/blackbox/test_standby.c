/*
 * Two jintongd on one database with the leader lock: the first becomes the
 * active one, the second stands by (alive, not ready, refusing work with 503
 * and Retry-After). Tablets stream fixes and riders book seats on the active
 * one; it is killed (SIGKILL); the standby takes over on its own and becomes
 * ready, every fix and ride acknowledged is in the database, and the new
 * active daemon serves the rides the old one made. Then fencing: the active
 * daemon's lock session is ended under it; it must exit at once (status 75)
 * and the other, restarted meanwhile as a standby, takes over.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bookings.h"
#include "stream.h"

#define TAKEOVER_MAX_MS 20000

static const char *const args[] = { "--leader-lock", "1", "--reconnect-max-ms", "300",
				    "--retry-after-s", "1", "--trip-seats", "200", NULL };

static long long mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long get(struct h_test *t, const char *path, char *body, size_t len)
{
	struct h_resp r;
	h_http(t, "GET", path, NULL, NULL, NULL, 0, &r);
	if (body)
		snprintf(body, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

struct want {
	struct h_stream *s;
	uint64_t acked;
};

static bool acked_enough(void *arg)
{
	struct want *w = arg;
	return h_stream_counts(w->s)->acked >= w->acked;
}

/* Keeps the tablets sending until t's daemon says it is ready; returns the ms it took, -1 if never. */
static long long await_ready(struct h_test *t, struct h_stream *s, long long since)
{
	while (mono() - since < TAKEOVER_MAX_MS) {
		if (get(t, "/readyz", NULL, 0) == 200)
			return mono() - since;
		h_stream_run(s, 50, NULL, NULL);
	}
	return -1;
}

/* A second daemon on the same database, with a folder (and log) of its own. */
static void second(struct h_test *b, const struct h_test *a)
{
	*b = *a;
	b->d.pid = -1;
	b->d.notify_fd = -1;
	snprintf(b->tmpdir, sizeof b->tmpdir, "/tmp/jt-test-standby-b-XXXXXX");
	REQUIRE(mkdtemp(b->tmpdir), "mkdtemp");
	chmod(b->tmpdir, 0755);
}

int main(void)
{
	struct h_test a, b;
	h_init(&a, "standby");
	h_create_operator(&a);
	h_start(&a, args);
	second(&b, &a);
	h_start(&b, args);
	char body[4096];

	/* The standby: alive, not ready, refusing work so clients keep it. */
	CHECK(get(&b, "/healthz", body, sizeof body) == 200 && strstr(body, "\"role\":\"standby\""),
	      "standby's health: %s", body);
	CHECK(get(&b, "/readyz", body, sizeof body) == 503, "standby says ready: %s", body);
	CHECK(get(&a, "/readyz", body, sizeof body) == 200 && strstr(body, "\"role\":\"active\""),
	      "active one not ready: %s", body);
	struct h_resp r;
	h_http(&b, "POST", "/v1/rides", "application/json", b.op_token, "{}", 2, &r);
	CHECK(r.status == 503 && r.retry_after[0], "a booking sent to the standby: %ld", r.status);
	h_resp_free(&r);
	h_http(&b, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200 && r.body && strstr(r.body, "jintong_leader 0"), "standby's metrics");
	h_resp_free(&r);

	/* A standby re-reads its settings on SIGHUP, and stays a standby. */
	kill(b.d.pid, SIGHUP);
	long long hup = mono();
	while (!h_log_has(&b, "config.reloaded") && mono() - hup < 10000)
		h_wait_notify(&b, "never", 50);
	CHECK(h_log_has(&b, "config.reloaded file=(none) role=standby"),
	      "the standby did not reload its settings");
	CHECK(get(&b, "/readyz", NULL, 0) == 503, "the standby became ready on SIGHUP");

	h_bookings_network(&a);
	struct h_stream *s = h_stream_new(&a, 3, 1, 20);
	const struct h_stream_counts *c = h_stream_counts(s);
	struct h_bookings bk = { 0 };
	struct want w = { s, 300 };
	h_stream_run(s, 20000, acked_enough, &w);
	REQUIRE(c->acked >= 300, "stream did not get going: %llu acked", (unsigned long long)c->acked);
	for (int i = 0; i < 30; i++) {
		h_bookings_step(&bk, &a);
		h_stream_run(s, 20, NULL, NULL);
	}
	CHECK(bk.acked >= 25, "only %zu of 30 rides booked on the active daemon", bk.acked);
	size_t booked_on_a = bk.acked;

	/* The active daemon dies; the tablets turn to the other address, as behind a balancer. */
	CHECK(h_stop(&a, SIGKILL) == 128 + SIGKILL, "active daemon not killed");
	long long killed = mono();
	snprintf(a.d.url, sizeof a.d.url, "%s", b.d.url);
	long long took = await_ready(&b, s, killed);
	REQUIRE(took >= 0, "the standby was not ready %d ms after the active one died", TAKEOVER_MAX_MS);
	fprintf(stderr, "takeover: ready %lld ms after SIGKILL\n", took);
	CHECK(get(&b, "/healthz", body, sizeof body) == 200 && strstr(body, "\"role\":\"active\""),
	      "new active one's health: %s", body);
	CHECK(h_log_has(&b, "leader.taken") && h_log_has(&b, "leader.ready"), "role change not logged");

	/* It serves: fixes acknowledged again, rides booked, the old one's rides known. */
	w.acked = c->acked + 200;
	h_stream_run(s, 20000, acked_enough, &w);
	CHECK(c->acked >= w.acked, "no fixes acknowledged after the takeover");
	while (bk.pending)
		h_bookings_step(&bk, &b);
	for (int i = 0; i < 10; i++)
		h_bookings_step(&bk, &b);
	CHECK(bk.acked >= booked_on_a + 8, "rides not booked after the takeover: %zu", bk.acked);
	h_stream_drain(s, 30000);
	uint64_t dups = 0, missing = h_stream_missing(s, &dups);
	size_t rides_missing = h_bookings_missing(&bk, &b), unserved = h_bookings_unserved(&bk, &b);
	fprintf(stderr, "fixes made=%llu acked=%llu 503=%llu failed=%llu missing=%llu dup=%llu; "
		"rides acked=%zu 503=%llu failed=%llu missing=%zu unserved=%zu\n",
		(unsigned long long)c->made, (unsigned long long)c->acked,
		(unsigned long long)c->unavailable, (unsigned long long)c->failed,
		(unsigned long long)missing, (unsigned long long)dups, bk.acked,
		(unsigned long long)bk.unavailable, (unsigned long long)bk.failed, rides_missing, unserved);
	CHECK(missing == 0, "%llu acknowledged fixes are not in the database", (unsigned long long)missing);
	CHECK(dups == 0, "%llu duplicate positions", (unsigned long long)dups);
	CHECK(c->acked == c->made, "fixes never acknowledged after the drain");
	CHECK(rides_missing == 0, "%zu acknowledged rides are not in the database", rides_missing);
	CHECK(unserved == 0, "%zu rides not served by the new active daemon", unserved);
	h_stream_free(s);

	/* Fencing: the dead one comes back as a standby; the active one's lock session is cut. */
	h_start(&a, args);
	CHECK(get(&a, "/readyz", body, sizeof body) == 503, "restarted daemon did not stand by: %s", body);
	CHECK(h_sql_exec(&b, "SELECT pg_terminate_backend(l.pid) FROM pg_locks l"
			     " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 1246318164"
			     " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0,
	      "could not end the lock's session");
	CHECK(h_wait(&b) == 75, "the daemon that lost its lock did not exit with 75");
	CHECK(h_log_has(&b, "leader.step_down"), "step-down not logged");
	long long lost = mono();
	took = -1;
	while (mono() - lost < TAKEOVER_MAX_MS && took < 0)
		if (get(&a, "/readyz", NULL, 0) == 200)
			took = mono() - lost;
	CHECK(took >= 0, "no takeover after the active one stepped down");
	fprintf(stderr, "takeover after step-down: %lld ms\n", took);
	CHECK(h_bookings_unserved(&bk, &a) == 0, "rides lost across two takeovers");
	h_bookings_free(&bk);

	CHECK(h_stop(&a, SIGTERM) == 0, "daemon did not exit cleanly");
	char path[300];
	snprintf(path, sizeof path, "%s/jintongd.log", b.tmpdir);
	FILE *f = h_failures ? fopen(path, "r") : NULL;
	if (f) {
		fprintf(stderr, "---- the second jintongd's log ----\n");
		char line[1024];
		while (fgets(line, sizeof line, f))
			fputs(line, stderr);
		fclose(f);
	}
	const char *rm[] = { "/bin/rm", "-rf", b.tmpdir, NULL };
	char out[256];
	if (h_exec(rm, out, sizeof out) != 0)
		fprintf(stderr, "could not remove %s: %s\n", b.tmpdir, out);
	return h_finish(&a);
}
