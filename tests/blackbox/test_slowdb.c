/*
 * PostgreSQL slow rather than gone (a lock held by a long maintenance job):
 * a tablet is answered 503 with Retry-After once the acknowledgement
 * timeout passes, live state still moves, and when the database catches up
 * the resent fix is stored once.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"

int main(void)
{
	struct h_test t;
	h_init(&t, "slowdb");
	h_create_operator(&t);
	const char *args[] = { "--ack-timeout-ms", "500", "--retry-after-s", "2", NULL };
	h_start(&t, args);
	h_add_vehicle(&t, "BUS-1");
	char token[128];
	h_add_device(&t, "tab-1", "BUS-1", token);

	PGconn *blocker = PQconnectdb(t.conninfo);
	REQUIRE(PQstatus(blocker) == CONNECTION_OK, "blocker connection");
	PGresult *r = PQexec(blocker, "BEGIN; LOCK TABLE position IN ACCESS EXCLUSIVE MODE");
	REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK, "lock: %s", PQresultErrorMessage(r));
	PQclear(r);

	long long at = (long long)time(NULL) - 60;
	char q[256];
	snprintf(q, sizeof q, "/?id=tab-1&lat=30.25&lon=104.5&timestamp=%lld", at);
	struct h_resp resp;
	h_http(&t, "GET", q, NULL, NULL, NULL, 0, &resp);
	CHECK(resp.status == 503, "slow database answered %ld", resp.status);
	CHECK(strcmp(resp.retry_after, " 2") == 0 || strcmp(resp.retry_after, "2") == 0,
	      "Retry-After '%s'", resp.retry_after);
	h_resp_free(&resp);
	h_http(&t, "GET", "/v1/vehicles", NULL, t.op_token, NULL, 0, &resp);
	CHECK(resp.status == 200 && strstr(resp.body, "\"lat\":30.25"), "live state: %s", resp.body);
	h_resp_free(&resp);

	r = PQexec(blocker, "COMMIT");
	PQclear(r);
	PQfinish(blocker);

	/* The tablet resends; the first attempt may have committed meanwhile. */
	h_http(&t, "GET", q, NULL, NULL, NULL, 0, &resp);
	CHECK(resp.status == 200, "after the lock: %ld %s", resp.status, resp.body);
	h_resp_free(&resp);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)", at) == 1,
	      "resent fix stored %lld times",
	      h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)", at));
	CHECK(h_log_has(&t, "db.ack_timeout"), "timeout not logged");
	return h_finish(&t);
}
