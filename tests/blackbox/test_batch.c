/*
 * The native protobuf protocol: token authentication, per-fix results,
 * idempotent resending, and an hour's backlog uploaded out of order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixbatch.h"
#include "harness.h"
#include "jintong.pb-c.h"

static struct h_test t;
static char tok1[128], tok2[128];
static jt_ms now;

static void mkfix(struct fix *f, uint64_t seq, jt_ms time, double lat, double lon)
{
	fix_init(f);
	f->seq = seq;
	f->has_seq = true;
	f->time = time;
	f->lat = lat;
	f->lon = lon;
	f->speed = 10;
}

/* Sends fixes; returns the status and, on 200, the decoded reply. */
static long send_batch(const char *token, const char *device, const struct fix *fx, size_t n,
		       Jintong__FixBatchReply **reply)
{
	size_t len;
	uint8_t *body = fixbatch_encode(device, fx, n, &len);
	struct h_resp r;
	h_http(&t, "POST", "/v1/fixes", "application/x-protobuf", token, body, len, &r);
	free(body);
	if (reply)
		*reply = r.status == 200 ? jintong__fix_batch_reply__unpack(NULL, r.len, (uint8_t *)r.body)
					 : NULL;
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static bool has_reason(const Jintong__FixBatchReply *rep, uint32_t index, const char *reason)
{
	for (size_t i = 0; i < rep->n_rejected; i++)
		if (rep->rejected[i]->has_index && rep->rejected[i]->index == index &&
		    strcmp(rep->rejected[i]->reason, reason) == 0)
			return true;
	return false;
}

static void auth_and_format(void)
{
	struct fix f;
	mkfix(&f, 1, now, 30.1, 104.1);
	struct h_resp r;
	CHECK(send_batch(NULL, NULL, &f, 1, NULL) == 401, "no token");
	CHECK(send_batch("not-a-token", NULL, &f, 1, NULL) == 401, "bad token");
	h_http(&t, "POST", "/v1/fixes", "application/json", tok1, "{}", 2, &r);
	CHECK(r.status == 415, "wrong content type: %ld", r.status);
	h_resp_free(&r);
	h_http(&t, "POST", "/v1/fixes", "application/x-protobuf", tok1, "\xff\xff\xff\xff", 4, &r);
	CHECK(r.status == 400 && strstr(r.body, "malformed"), "garbage: %ld", r.status);
	h_resp_free(&r);
	CHECK(send_batch(tok1, "tab-2", &f, 1, NULL) == 400, "batch naming another device");
	h_http(&t, "GET", "/v1/fixes", NULL, tok1, NULL, 0, &r);
	CHECK(r.status == 405, "GET /v1/fixes: %ld", r.status);
	h_resp_free(&r);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 0, "refused batches stored rows");
}

static void per_fix_results(void)
{
	struct fix fx[7];
	mkfix(&fx[0], 10, now - 60000, 30.10, 104.10);
	mkfix(&fx[1], 11, now - 59000, 30.1001, 104.10);
	mkfix(&fx[2], 12, now - 58000, INFINITY, 104.10); /* not finite */
	mkfix(&fx[3], 13, now - 57000, 95.0, 104.10);     /* out of range */
	mkfix(&fx[4], 11, now - 56000, 30.1002, 104.10);  /* repeats seq 11 */
	mkfix(&fx[5], 15, now - 55000, 30.1003, 104.10);
	fx[5].has_seq = false;                             /* no seq */
	mkfix(&fx[6], 16, now + 86400000, 30.1, 104.1);   /* a day ahead */
	Jintong__FixBatchReply *rep = NULL;
	long st = send_batch(tok1, "tab-1", fx, 7, &rep);
	REQUIRE(st == 200 && rep, "mixed batch: %ld", st);
	CHECK(rep->n_stored == 2, "stored %zu, want 2", rep->n_stored);
	CHECK(rep->n_rejected == 5, "rejected %zu, want 5", rep->n_rejected);
	CHECK(has_reason(rep, 2, "not_finite"), "index 2 not_finite");
	CHECK(has_reason(rep, 3, "out_of_range"), "index 3 out_of_range");
	CHECK(has_reason(rep, 4, "duplicate_seq"), "index 4 duplicate_seq");
	CHECK(has_reason(rep, 5, "malformed"), "index 5 malformed (no seq)");
	CHECK(has_reason(rep, 6, "future"), "index 6 future");
	for (size_t i = 0; i < rep->n_rejected; i++)
		CHECK(rep->rejected[i]->detail && *rep->rejected[i]->detail, "reason without detail");
	jintong__fix_batch_reply__free_unpacked(rep, NULL);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 2, "two rows stored");

	/* The same batch again: same answer, no new rows. */
	st = send_batch(tok1, "tab-1", fx, 7, &rep);
	CHECK(st == 200 && rep && rep->n_stored == 2, "resend answered differently");
	if (rep)
		jintong__fix_batch_reply__free_unpacked(rep, NULL);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == 2, "resend duplicated rows");
}

static void backlog(void)
{
	/* An hour out of coverage at one fix a second, uploaded shuffled in three parts. */
	enum { N = 3600 };
	struct fix *fx = calloc(N, sizeof *fx);
	jt_ms start = now - 2 * 3600 * 1000;
	for (int i = 0; i < N; i++)
		mkfix(&fx[i], 1000 + (uint64_t)i, start + (jt_ms)i * 1000, 31.0 + i * 1e-5, 104.5);
	srand(7);
	for (int i = N - 1; i > 0; i--) {
		int j = rand() % (i + 1);
		struct fix tmp = fx[i];
		fx[i] = fx[j];
		fx[j] = tmp;
	}
	size_t stored = 0;
	for (int part = 0; part < 3; part++) {
		Jintong__FixBatchReply *rep = NULL;
		long st = send_batch(tok2, "tab-2", fx + part * (N / 3), N / 3, &rep);
		CHECK(st == 200 && rep, "backlog part %d: %ld", part, st);
		if (rep) {
			stored += rep->n_stored;
			CHECK(rep->n_rejected == 0, "backlog part %d rejected %zu", part, rep->n_rejected);
			jintong__fix_batch_reply__free_unpacked(rep, NULL);
		}
	}
	CHECK(stored == N, "backlog stored %zu of %d", stored, N);
	/* The tablet missed the replies and sends it all again at once. */
	Jintong__FixBatchReply *rep = NULL;
	CHECK(send_batch(tok2, NULL, fx, N, &rep) == 200 && rep && rep->n_stored == N,
	      "whole backlog resent");
	if (rep)
		jintong__fix_batch_reply__free_unpacked(rep, NULL);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id"
			    " WHERE d.ext_id = 'tab-2'") == N,
	      "backlog rows: %lld", h_sql_num(&t, "SELECT count(*) FROM position WHERE seq >= 1000"));
	CHECK(h_sql_num(&t, "SELECT count(DISTINCT seq) FROM position WHERE seq >= 1000") == N,
	      "backlog seqs distinct");
	/* Dated at the true time, not the upload time. */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE seq >= 1000 AND fix_time > now() - interval '1 hour'") == 0,
	      "backlog fixes dated at upload time");
	/* The live position is the newest fix of the backlog. */
	struct h_resp r;
	h_http(&t, "GET", "/v1/admin/vehicles/BUS-2", NULL, t.op_token, NULL, 0, &r);
	CHECK(r.status == 200 && strstr(r.body, "\"lat\":31.03599"), "live position: %s", r.body);
	h_resp_free(&r);
	free(fx);
}

static void limits_and_revocation(void)
{
	enum { N = 6000 };
	struct fix *fx = calloc(N, sizeof *fx);
	for (int i = 0; i < N; i++)
		mkfix(&fx[i], 50000 + (uint64_t)i, now - 600000 + i, 30.2, 104.2);
	CHECK(send_batch(tok1, NULL, fx, N, NULL) == 400, "batch over batch_fixes_max accepted");
	free(fx);

	struct h_resp r;
	h_admin(&t, "POST", "/v1/admin/devices/tab-1/revoke", NULL, &r);
	CHECK(r.status == 200 && strstr(r.body, "\"revoked_at\":\"20"), "revoke: %ld %s", r.status, r.body);
	h_resp_free(&r);
	struct fix f;
	mkfix(&f, 99, now, 30.1, 104.1);
	CHECK(send_batch(tok1, NULL, &f, 1, NULL) == 401, "revoked token still accepted");
	CHECK(send_batch(tok2, NULL, &f, 1, NULL) == 200, "other tablet affected by revocation");
}

int main(void)
{
	h_init(&t, "batch");
	h_create_operator(&t);
	const char *args[] = { "--batch-fixes-max", "5000", NULL };
	h_start(&t, args);
	h_add_vehicle(&t, "BUS-1");
	h_add_vehicle(&t, "BUS-2");
	h_add_device(&t, "tab-1", "BUS-1", tok1);
	h_add_device(&t, "tab-2", "BUS-2", tok2);
	now = (jt_ms)time(NULL) * 1000;
	auth_and_format();
	per_fix_results();
	backlog();
	limits_and_revocation();
	return h_finish(&t);
}
