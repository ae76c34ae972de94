/*
 * The villagers of a small generated county book tomorrow's rides with the
 * real daemon (`jintong-county book`, the booking client the fleet
 * simulator runs with --demand): after `jintong-county generate`, `jintong
 * gtfs import` and `jintong-county apply`, the first requests of the day are
 * posted (some in protobuf), offers confirmed, a seeded share declined or
 * left to expire. Every outcome the client recorded must be what the
 * database holds: the ride with that id, that rider and its client
 * reference, in the state the answer leads to (confirmed, cancelled, still
 * offered, refused), a seat on the trip or a van as told, the pickup window
 * told. Nothing may fail, some requests must be offered something (some
 * read from protobuf answers), and there is one ride per request.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define REQUESTS 40

static struct h_test t;
static char out[1 << 18];

struct outcome {
	int id;
	char rider[64], what[16], ride[24], state[16], answer[16], by[40], wire[16];
	long long pickup_from, pickup_to;
	double wait;
};

static size_t read_outcomes(const char *path, struct outcome *o, size_t max)
{
	FILE *f = fopen(path, "r");
	REQUIRE(f, "no outcomes file %s", path);
	size_t n = 0;
	char line[512];
	while (n < max && fgets(line, sizeof line, f)) {
		struct outcome *x = &o[n];
		int k = sscanf(line, "%d %63s %15s %23s %15s %15s %lld %lld %lf %39s %15s", &x->id, x->rider, x->what,
			       x->ride, x->state, x->answer, &x->pickup_from, &x->pickup_to, &x->wait, x->by, x->wire);
		CHECK(k == 11, "an outcome line of %d fields: %s", k, line);
		n += k == 11;
	}
	fclose(f);
	return n;
}

int main(void)
{
	h_init(&t, "booker");
	h_create_operator(&t);
	h_start(&t, NULL);
	char token_file[400];
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *tf = fopen(token_file, "w");
	REQUIRE(tf && fprintf(tf, "%s\n", t.op_token) > 0 && fclose(tf) == 0, "writing the token");

	const char *county = getenv("JINTONG_COUNTY"), *cli = getenv("JINTONG_CLI");
	REQUIRE(county && cli, "JINTONG_COUNTY and JINTONG_CLI must be set");
	char feed[400], from[16], tomorrow[16];
	snprintf(feed, sizeof feed, "%s/county", t.tmpdir);
	h_county_date(0, from, sizeof from);
	h_county_date(1, tomorrow, sizeof tomorrow);
	const char *gen[] = { county, "generate", feed, "--seed", "3", "--scale", "0.1", "--from", from, "--days", "30", NULL };
	int rc = h_exec(gen, out, sizeof out);
	REQUIRE(rc == 0, "jintong-county generate exited %d: %s", rc, out);
	const char *import[] = { cli, "--url", t.d.url, "--token-file", token_file, "gtfs", "import", feed, NULL };
	rc = h_exec(import, out, sizeof out);
	REQUIRE(rc == 0, "gtfs import exited %d: %s", rc, out);
	const char *apply[] = { county, "apply", feed, "--url", t.d.url, "--token", t.op_token, NULL };
	rc = h_exec(apply, out, sizeof out);
	REQUIRE(rc == 0, "apply exited %d: %s", rc, out);

	/* what the client will ask, listed by the same model */
	const char *list[] = { county, "demand", feed, "--day", tomorrow, "--seed", "5", "--list", NULL };
	rc = h_exec(list, out, sizeof out);
	REQUIRE(rc == 0, "jintong-county demand exited %d: %s", rc, out);

	char outcomes[500];
	snprintf(outcomes, sizeof outcomes, "%s/outcomes", t.tmpdir);
	char limit[16];
	snprintf(limit, sizeof limit, "%d", REQUESTS);
	const char *book[] = { county, "book", feed, "--day", tomorrow, "--seed", "5", "--limit", limit, "--url", t.d.url,
			       "--token", t.op_token, "--outcomes", outcomes, NULL };
	rc = h_exec(book, out, sizeof out);
	CHECK(rc == 0, "jintong-county book exited %d: %s", rc, out);
	printf("%s", out);

	static struct outcome o[REQUESTS + 1];
	size_t n = read_outcomes(outcomes, o, REQUESTS + 1);
	CHECK(n == REQUESTS, "%zu outcomes for %d requests", n, REQUESTS);
	size_t offered = 0, declined = 0, refused = 0, expiring = 0, protobuf = 0;
	for (size_t i = 0; i < n; i++) {
		const struct outcome *x = &o[i];
		CHECK(strcmp(x->what, "failed") && strcmp(x->what, "pending"), "request %d %s", x->id, x->what);
		CHECK(strspn(x->ride, "0123456789") == strlen(x->ride) && x->ride[0], "request %d: ride id '%s'", x->id,
		      x->ride);
		const char *want = NULL;
		if (!strcmp(x->what, "refused")) {
			want = "refused";
			refused++;
		} else if (!strcmp(x->answer, "confirm")) {
			want = "confirmed";
		} else if (!strcmp(x->answer, "decline")) {
			want = "cancelled";
			declined++;
		} else {
			want = "offered";
			expiring++;
		}
		offered += strcmp(x->what, "refused") != 0;
		protobuf += strcmp(x->wire, "protobuf") == 0 && strcmp(x->what, "refused") != 0;
		CHECK(!strcmp(x->state, want), "request %d: the client was told '%s', its answer leads to '%s'", x->id,
		      x->state, want);
		long long same = h_sql_num(&t,
			"SELECT count(*) FROM ride WHERE id = %s AND rider = '%s' AND state = '%s' AND client_ref LIKE 'dg-5-%%-%d'",
			x->ride, x->rider, want, x->id);
		CHECK(same == 1, "request %d: ride %s of %s is not %s in the database", x->id, x->ride, x->rider, want);
		if (!strcmp(x->what, "seat")) {
			CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND service = 'trip' AND trip_code = '%s' "
					    "AND round(extract(epoch FROM pickup_from) * 1000) = %lld",
					x->ride, x->by, x->pickup_from) == 1,
			      "request %d: ride %s is not a seat on %s from %lld", x->id, x->ride, x->by, x->pickup_from);
		} else if (!strcmp(x->what, "van")) {
			CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND service = 'vehicle' AND vehicle_code = '%s' "
					    "AND round(extract(epoch FROM pickup_from) * 1000) = %lld "
					    "AND round(extract(epoch FROM pickup_to) * 1000) = %lld",
					x->ride, x->by, x->pickup_from, x->pickup_to) == 1,
			      "request %d: ride %s is not in van %s from %lld to %lld", x->id, x->ride, x->by, x->pickup_from,
			      x->pickup_to);
			CHECK(x->pickup_to > x->pickup_from, "request %d: an empty pickup window", x->id);
		} else {
			CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND service = 'none'", x->ride) == 1,
			      "request %d: refused ride %s holds a service", x->id, x->ride);
		}
		if (strcmp(x->what, "refused"))
			CHECK(x->wait >= 0 && x->wait < 4 * 3600, "request %d: a wait of %.0f s", x->id, x->wait);
	}
	printf("%zu offered (%zu declined, %zu left to expire), %zu refused\n", offered, declined, expiring, refused);
	CHECK(offered > 0, "nothing was offered");
	CHECK(declined > 0 && expiring > 0, "the seed should give declines and offers left to expire");
	CHECK(protobuf > 0, "no offer was read from a protobuf answer");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride") == REQUESTS, "rides in the database: %lld",
	      h_sql_num(&t, "SELECT count(*) FROM ride"));

	return h_finish(&t);
}
