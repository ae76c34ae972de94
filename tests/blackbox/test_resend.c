/*
 * Fixes already stored, sent again in the same moment as new ones: tracking
 * apps resend what they were not told about, and the same fix can even come
 * twice at once. While a lock holds the position table, requests pile up in
 * the daemon and are written in groups when it is released; every request
 * must be answered 200, every fix stored exactly once, whichever group it
 * shared with a resent one.
 */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

enum { TABLETS = 6, NEW_FIXES = 24 };

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

static CURL *request(struct h_test *t, const char *device, long long at, double lat)
{
	char url[512];
	snprintf(url, sizeof url, "%s/?id=%s&lat=%.5f&lon=104.5&timestamp=%lld", t->d.url, device,
		 lat, at);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	return c;
}

static long long waiting_requests(struct h_test *t)
{
	struct h_resp r;
	h_http(t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	const char *name = "\njintong_db_waiting_requests ";
	const char *at = r.status == 200 ? strstr(r.body, name) : NULL;
	long long n = at ? strtoll(at + strlen(name), NULL, 10) : -1;
	h_resp_free(&r);
	return n;
}

int main(void)
{
	struct h_test t;
	h_init(&t, "resend");
	h_create_operator(&t);
	h_start(&t, NULL);
	char device[TABLETS][32], vehicle[32], token[128];
	for (int i = 0; i < TABLETS; i++) {
		snprintf(vehicle, sizeof vehicle, "BUS-%d", i);
		snprintf(device[i], sizeof device[i], "tab-%d", i);
		h_add_vehicle(&t, vehicle);
		h_add_device(&t, device[i], vehicle, token);
	}
	long long base = (long long)time(NULL) - 3600;

	/* One fix per tablet, stored and acknowledged: the ones that will come again. */
	for (int i = 0; i < TABLETS; i++) {
		struct h_resp r;
		char q[256];
		snprintf(q, sizeof q, "/?id=%s&lat=30.%d&lon=104.5&timestamp=%lld", device[i], i, base);
		h_http(&t, "GET", q, NULL, NULL, NULL, 0, &r);
		REQUIRE(r.status == 200, "first fix of %s: %ld", device[i], r.status);
		h_resp_free(&r);
	}
	REQUIRE(h_sql_num(&t, "SELECT count(*) FROM position") == TABLETS, "first fixes stored");

	PGconn *blocker = PQconnectdb(t.conninfo);
	REQUIRE(PQstatus(blocker) == CONNECTION_OK, "blocker connection");
	PGresult *res = PQexec(blocker, "BEGIN; LOCK TABLE position IN ACCESS EXCLUSIVE MODE");
	REQUIRE(PQresultStatus(res) == PGRES_COMMAND_OK, "lock: %s", PQresultErrorMessage(res));
	PQclear(res);

	/*
	 * New fixes, each stored fix again, and one new fix twice, interleaved so
	 * the groups written after the lock mix them.
	 */
	CURLM *multi = curl_multi_init();
	int sent = 0;
	for (int k = 0; k < NEW_FIXES; k++) {
		int i = k % TABLETS;
		curl_multi_add_handle(multi, request(&t, device[i], base + 1 + k, 30.5));
		sent++;
		if (k < TABLETS) {
			curl_multi_add_handle(multi, request(&t, device[k], base, 35.0 + 0.1 * k));
			sent++;
		}
	}
	curl_multi_add_handle(multi, request(&t, device[0], base + 1000, 31.0));
	curl_multi_add_handle(multi, request(&t, device[0], base + 1000, 31.0));
	sent += 2;

	/* Until every request waits in the daemon for the lock. */
	int running = 1;
	for (int spins = 0; spins < 1000 && waiting_requests(&t) < sent; spins++) {
		curl_multi_perform(multi, &running);
		curl_multi_poll(multi, NULL, 0, 10, NULL);
	}
	CHECK(waiting_requests(&t) == sent, "%lld of %d requests waiting for the lock",
	      waiting_requests(&t), sent);
	res = PQexec(blocker, "COMMIT");
	PQclear(res);
	PQfinish(blocker);

	int ok = 0, answered = 0;
	while (answered < sent) {
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			long status = 0;
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			if (m->data.result == CURLE_OK && status == 200)
				ok++;
			answered++;
			curl_multi_remove_handle(multi, m->easy_handle);
			curl_easy_cleanup(m->easy_handle);
		}
		if (running == 0 && answered < sent)
			break;
		curl_multi_poll(multi, NULL, 0, 100, NULL);
	}
	curl_multi_cleanup(multi);
	CHECK(answered == sent, "%d of %d requests answered", answered, sent);
	CHECK(ok == sent, "%d of %d requests answered 200", ok, sent);

	long long want = TABLETS + NEW_FIXES + 1;
	long long rows = h_sql_num(&t, "SELECT count(*) FROM position");
	CHECK(rows == want, "%lld rows, want %lld", rows, want);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM (SELECT DISTINCT device_id, fix_time FROM position) d") ==
		      want,
	      "a fix stored twice");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)",
			base + 1000) == 1,
	      "the fix sent twice at once stored %lld times",
	      h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)",
			base + 1000));
	/* The stored fixes kept their first position: a resend changes nothing. */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld) AND lat >= 35",
			base) == 0,
	      "a resend overwrote a stored fix");
	CHECK(h_log_has(&t, "db.resent_fixes"), "the resent fixes were never met as such");
	return h_finish(&t);
}
