/*
 * stream.c — simulated tablets for fault tests; see stream.h.
 */
#include "stream.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixbatch.h"
#include "jintong.pb-c.h"

#define RETRY_MS 100
#define RESEND_MAX_FACTOR 4

struct rec {
	uint64_t seq;
	jt_ms time;
	bool acked;
	bool in_flight;
};

struct tablet {
	struct h_stream *s;
	int index;
	bool osmand;
	char ext_id[32];
	char token[80];
	struct rec *recs;
	size_t n, cap;
	size_t first_unacked;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	size_t body_len;
	char *reply;
	size_t reply_len;
	long next_at; /* ms on the stream's clock */
	size_t sent[16384];
	size_t nsent;
};

struct h_stream {
	struct h_test *t;
	CURLM *multi;
	struct tablet *tab;
	int ntab;
	int batch;
	jt_ms t0;
	bool draining;
	struct h_stream_counts c;
};

static long clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static jt_ms wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (jt_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void record(struct tablet *tb)
{
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 256;
		tb->recs = realloc(tb->recs, tb->cap * sizeof *tb->recs);
		if (!tb->recs)
			abort();
	}
	struct rec *r = &tb->recs[tb->n];
	r->seq = tb->n + 1;
	/* A fix every 100 ms of tablet time, from an hour ago: distinct and in the window. */
	r->time = tb->s->t0 + (jt_ms)r->seq * 100;
	r->acked = r->in_flight = false;
	tb->n++;
	tb->s->c.made++;
}

static void fill_fix(const struct tablet *tb, const struct rec *r, struct fix *f)
{
	fix_init(f);
	snprintf(f->device, sizeof f->device, "%s", tb->ext_id);
	f->seq = r->seq;
	f->has_seq = true;
	f->time = r->time;
	f->lat = 30.0 + tb->index * 0.01 + (double)r->seq * 1e-6;
	f->lon = 104.5 + (double)r->seq * 1e-6;
	f->speed = 8.0;
}

static size_t on_reply(char *p, size_t size, size_t n, void *arg)
{
	struct tablet *tb = arg;
	size_t k = size * n;
	tb->reply = realloc(tb->reply, tb->reply_len + k + 1);
	if (!tb->reply)
		abort();
	memcpy(tb->reply + tb->reply_len, p, k);
	tb->reply_len += k;
	return k;
}

static void send_next(struct tablet *tb)
{
	struct h_stream *s = tb->s;
	if (!s->draining)
		for (int i = 0; i < (tb->osmand ? 1 : s->batch); i++)
			record(tb);
	while (tb->first_unacked < tb->n && tb->recs[tb->first_unacked].acked)
		tb->first_unacked++;
	tb->nsent = 0;
	size_t limit = tb->osmand ? 1 : (size_t)s->batch * RESEND_MAX_FACTOR;
	for (size_t i = tb->first_unacked; i < tb->n && tb->nsent < limit; i++)
		if (!tb->recs[i].acked)
			tb->sent[tb->nsent++] = i;
	if (tb->nsent == 0)
		return;
	char url[512];
	free(tb->body);
	tb->body = NULL;
	if (tb->osmand) {
		struct fix f;
		fill_fix(tb, &tb->recs[tb->sent[0]], &f);
		snprintf(url, sizeof url, "%s/?id=%s&lat=%.7f&lon=%.7f&timestamp=%lld&speed=15",
			 s->t->d.url, tb->ext_id, f.lat, f.lon, (long long)f.time);
	} else {
		struct fix *fx = calloc(tb->nsent, sizeof *fx);
		for (size_t i = 0; i < tb->nsent; i++)
			fill_fix(tb, &tb->recs[tb->sent[i]], &fx[i]);
		tb->body = (char *)fixbatch_encode(tb->ext_id, fx, tb->nsent, &tb->body_len);
		free(fx);
		snprintf(url, sizeof url, "%s/v1/fixes", s->t->d.url);
	}
	for (size_t i = 0; i < tb->nsent; i++)
		tb->recs[tb->sent[i]].in_flight = true;
	tb->reply_len = 0;
	curl_easy_reset(tb->easy);
	curl_easy_setopt(tb->easy, CURLOPT_URL, url);
	curl_easy_setopt(tb->easy, CURLOPT_WRITEFUNCTION, on_reply);
	curl_easy_setopt(tb->easy, CURLOPT_WRITEDATA, tb);
	curl_easy_setopt(tb->easy, CURLOPT_PRIVATE, tb);
	curl_easy_setopt(tb->easy, CURLOPT_TIMEOUT, 20L);
	if (!tb->osmand) {
		curl_easy_setopt(tb->easy, CURLOPT_HTTPHEADER, tb->headers);
		curl_easy_setopt(tb->easy, CURLOPT_POSTFIELDS, tb->body);
		curl_easy_setopt(tb->easy, CURLOPT_POSTFIELDSIZE, (long)tb->body_len);
	}
	curl_multi_add_handle(s->multi, tb->easy);
	s->c.requests++;
}

static void on_done(struct h_stream *s, struct tablet *tb, CURLcode rc)
{
	long status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(tb->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(s->multi, tb->easy);
	for (size_t i = 0; i < tb->nsent; i++)
		tb->recs[tb->sent[i]].in_flight = false;
	if (status == 200) {
		s->c.ok++;
		if (tb->osmand) {
			tb->recs[tb->sent[0]].acked = true;
			s->c.acked++;
		} else {
			Jintong__FixBatchReply *rep = jintong__fix_batch_reply__unpack(
				NULL, tb->reply_len, (const uint8_t *)tb->reply);
			if (rep) {
				/* seq n is recs[n - 1] */
				for (size_t i = 0; i < rep->n_stored; i++) {
					uint64_t q = rep->stored[i];
					if (q >= 1 && q <= tb->n && !tb->recs[q - 1].acked) {
						tb->recs[q - 1].acked = true;
						s->c.acked++;
					}
				}
				jintong__fix_batch_reply__free_unpacked(rep, NULL);
			}
		}
		tb->next_at = 0;
	} else {
		if (status == 503)
			s->c.unavailable++;
		else if (status == 0)
			s->c.failed++;
		else
			s->c.other++;
		tb->next_at = clock_ms() + RETRY_MS;
	}
	tb->nsent = 0;
}

struct h_stream *h_stream_new(struct h_test *t, int batch_tablets, int osmand_tablets, int batch)
{
	struct h_stream *s = calloc(1, sizeof *s);
	s->t = t;
	s->multi = curl_multi_init();
	s->ntab = batch_tablets + osmand_tablets;
	s->tab = calloc((size_t)s->ntab, sizeof *s->tab);
	s->batch = batch;
	s->t0 = wall_ms() - 3600 * 1000;
	for (int i = 0; i < s->ntab; i++) {
		struct tablet *tb = &s->tab[i];
		tb->s = s;
		tb->index = i;
		tb->osmand = i >= batch_tablets;
		snprintf(tb->ext_id, sizeof tb->ext_id, "%s-%d", tb->osmand ? "app" : "tab", i);
		char code[32];
		snprintf(code, sizeof code, "BUS-%d", i);
		h_add_vehicle(t, code);
		h_add_device(t, tb->ext_id, code, tb->token);
		tb->easy = curl_easy_init();
		char auth[128];
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", tb->token);
		tb->headers = curl_slist_append(NULL, auth);
		tb->headers = curl_slist_append(tb->headers, "Content-Type: application/x-protobuf");
		tb->headers = curl_slist_append(tb->headers, "Expect:");
	}
	return s;
}

void h_stream_free(struct h_stream *s)
{
	for (int i = 0; i < s->ntab; i++) {
		struct tablet *tb = &s->tab[i];
		curl_multi_remove_handle(s->multi, tb->easy);
		curl_easy_cleanup(tb->easy);
		curl_slist_free_all(tb->headers);
		free(tb->recs);
		free(tb->body);
		free(tb->reply);
	}
	curl_multi_cleanup(s->multi);
	free(s->tab);
	free(s);
}

static bool anything_unacked(struct h_stream *s)
{
	for (int i = 0; i < s->ntab; i++)
		for (size_t k = s->tab[i].first_unacked; k < s->tab[i].n; k++)
			if (!s->tab[i].recs[k].acked)
				return true;
	return false;
}

static void pump(struct h_stream *s, long ms, bool (*stop)(void *), void *arg)
{
	long end = clock_ms() + ms;
	while (clock_ms() < end) {
		if (stop && stop(arg))
			return;
		if (s->draining && !anything_unacked(s))
			return;
		long now = clock_ms();
		for (int i = 0; i < s->ntab; i++) {
			struct tablet *tb = &s->tab[i];
			if (tb->nsent == 0 && tb->next_at <= now)
				send_next(tb);
		}
		int running;
		curl_multi_perform(s->multi, &running);
		int left;
		CURLMsg *m;
		while ((m = curl_multi_info_read(s->multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct tablet *tb;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&tb);
			on_done(s, tb, m->data.result);
		}
		curl_multi_poll(s->multi, NULL, 0, 20, NULL);
	}
}

void h_stream_run(struct h_stream *s, long ms, bool (*stop)(void *), void *arg)
{
	pump(s, ms, stop, arg);
}

void h_stream_drain(struct h_stream *s, long ms)
{
	s->draining = true;
	pump(s, ms, NULL, NULL);
	/* Let requests still in flight finish, so the counts are final. */
	long end = clock_ms() + 20000;
	for (;;) {
		bool busy = false;
		for (int i = 0; i < s->ntab; i++)
			busy |= s->tab[i].nsent > 0;
		if (!busy || clock_ms() > end)
			break;
		int running;
		curl_multi_perform(s->multi, &running);
		int left;
		CURLMsg *m;
		while ((m = curl_multi_info_read(s->multi, &left))) {
			struct tablet *tb;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&tb);
			on_done(s, tb, m->data.result);
		}
		curl_multi_poll(s->multi, NULL, 0, 20, NULL);
	}
}

const struct h_stream_counts *h_stream_counts(const struct h_stream *s)
{
	return &s->c;
}

uint64_t h_stream_missing(struct h_stream *s, uint64_t *duplicates)
{
	PGconn *c = PQconnectdb(s->t->conninfo);
	uint64_t missing = 0;
	*duplicates = 0;
	for (int i = 0; i < s->ntab; i++) {
		struct tablet *tb = &s->tab[i];
		const char *params[] = { tb->ext_id };
		/* Recorded fix k has seq k+1 (protobuf) and a distinct time (both kinds). */
		PGresult *r = PQexecParams(c,
					   "SELECT (extract(epoch FROM fix_time) * 1000)::bigint, count(*)"
					   " FROM position p JOIN device d ON d.id = p.device_id"
					   " WHERE d.ext_id = $1 GROUP BY 1",
					   1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "verify: %s", PQresultErrorMessage(r));
			missing += tb->n;
			PQclear(r);
			continue;
		}
		uint8_t *seen = calloc(tb->n + 1, 1);
		for (int k = 0; k < PQntuples(r); k++) {
			jt_ms t = strtoll(PQgetvalue(r, k, 0), NULL, 10);
			long cnt = strtol(PQgetvalue(r, k, 1), NULL, 10);
			long long idx = (t - s->t0) / 100 - 1;
			if (idx >= 0 && (size_t)idx < tb->n && tb->recs[idx].time == t)
				seen[idx] = 1;
			if (cnt > 1)
				*duplicates += (uint64_t)(cnt - 1);
		}
		for (size_t k = 0; k < tb->n; k++)
			if (tb->recs[k].acked && !seen[k])
				missing++;
		free(seen);
		PQclear(r);
	}
	PQfinish(c);
	return missing;
}
