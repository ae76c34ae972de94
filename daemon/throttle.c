/*
 * throttle.c — rate and connection limits; see throttle.h.
 *
 * A bucket is kept per sender and kind of request ("r|c:7" for booking client
 * 7's requests, "f|d:12" for tablet 12's fixes, "r|a:10.1.2.3" for an address
 * without a credential). A full bucket is the same as no bucket, so when there
 * are many they are swept: the map holds only senders that were busy lately.
 *
 * Connections are counted when their first request arrives (libevent 2.1 says
 * nothing earlier about who connected); a connection that never sends a
 * request is closed by the HTTP timeout. The count drops when libevent closes
 * the connection.
 */
#include "throttle.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "devices.h"
#include "http.h"
#include "log.h"
#include "strmap.h"
#include "util.h"

#define SWEEP_MIN 4096

struct conn {
	char addr[64];
};

struct throttle {
	struct strmap *buckets;  /* key -> struct bucket */
	size_t sweep_at;
	struct strmap *conns;    /* "%p" of the connection -> struct conn */
	struct strmap *per_addr; /* address -> open connections (as a pointer-sized number) */
	struct throttle_stats stats;
};

struct throttle *throttle_new(void)
{
	struct throttle *l = xcalloc(1, sizeof *l);
	l->buckets = strmap_new();
	l->conns = strmap_new();
	l->per_addr = strmap_new();
	l->sweep_at = SWEEP_MIN;
	return l;
}

void throttle_free(struct throttle *l)
{
	if (!l)
		return;
	strmap_free_all(l->buckets, free);
	strmap_free_all(l->conns, free);
	strmap_free(l->per_addr);
	free(l);
}

static void conn_key(const struct evhttp_connection *c, char *buf, size_t len)
{
	snprintf(buf, len, "%p", (const void *)c);
}

static void closed(struct evhttp_connection *c, void *arg)
{
	struct throttle *l = arg;
	char key[32];
	conn_key(c, key, sizeof key);
	struct conn *k = strmap_del(l->conns, key);
	if (!k)
		return;
	uintptr_t n = (uintptr_t)strmap_get(l->per_addr, k->addr);
	if (n <= 1)
		strmap_del(l->per_addr, k->addr);
	else
		strmap_put(l->per_addr, k->addr, (void *)(n - 1));
	l->stats.connections_open--;
	free(k);
}

static void retry_after(struct evhttp_request *req, jt_ms wait_ms)
{
	char secs[24];
	snprintf(secs, sizeof secs, "%lld", (long long)((wait_ms + 999) / 1000));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", secs);
}

bool throttle_connection(struct jtd *d, struct evhttp_request *req)
{
	struct throttle *l = d->throttle;
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	char key[32];
	if (!c)
		return true;
	conn_key(c, key, sizeof key);
	if (strmap_get(l->conns, key))
		return true;
	const char *addr = http_peer(req);
	uintptr_t n = (uintptr_t)strmap_get(l->per_addr, addr);
	long cap = d->cfg.max_connections_per_address;
	if (cap > 0 && n >= (uintptr_t)cap) {
		l->stats.connections_refused++;
		log_warn("http.connection_refused", "address=%s open=%lu", addr, (unsigned long)n);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		retry_after(req, d->cfg.retry_after_s * 1000);
		http_reply_error(req, 429, "too_many_connections",
				 "%lu connections are open from this address, the most allowed; close one",
				 (unsigned long)n);
		return false;
	}
	struct conn *k = xcalloc(1, sizeof *k);
	strlcpy_jt(k->addr, addr, sizeof k->addr);
	strmap_put(l->conns, key, k);
	strmap_put(l->per_addr, k->addr, (void *)(n + 1));
	l->stats.connections_open++;
	evhttp_connection_set_closecb(c, closed, l);
	return true;
}

/* Forgets the buckets that are full again. */
static void sweep(struct throttle *l, const struct config *cfg, jt_ms now)
{
	size_t pos = 0, n = 0;
	const char *key;
	void *v;
	char **gone = xcalloc(strmap_count(l->buckets) + 1, sizeof *gone);
	while (strmap_next(l->buckets, &pos, &key, &v)) {
		bool fixes = key[0] == 'f';
		double rate = fixes ? cfg->fix_rate_limit_per_s : cfg->rate_limit_per_s;
		double burst = (double)(fixes ? cfg->fix_rate_limit_burst : cfg->rate_limit_burst);
		if (bucket_full(v, rate, burst, now))
			gone[n++] = xstrdup(key);
	}
	for (size_t i = 0; i < n; i++) {
		free(strmap_del(l->buckets, gone[i]));
		free(gone[i]);
	}
	free(gone);
	size_t left = strmap_count(l->buckets);
	l->sweep_at = left * 2 > SWEEP_MIN ? left * 2 : SWEEP_MIN;
}

/* The OsmAnd protocol's device identifier in the query, when it names a registered tablet. */
static const struct device *osmand_device(struct jtd *d, struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq qs;
	const struct device *dev = NULL;
	if (q && evhttp_parse_query_str(q, &qs) == 0) {
		const char *id = evhttp_find_header(&qs, "id");
		if (!id)
			id = evhttp_find_header(&qs, "deviceid");
		dev = id ? devices_by_ext(d->devices, id) : NULL;
		evhttp_clear_headers(&qs);
	}
	return dev;
}

bool throttle_admit(struct jtd *d, struct evhttp_request *req, const struct access_route *r,
		  const struct access_cred *c)
{
	if (c->kind == ACCESS_OPERATOR)
		return true;
	struct throttle *l = d->throttle;
	enum access_limit kind = r ? r->limit : ACCESS_LIMIT_REQUESTS;
	bool fixes = kind == ACCESS_LIMIT_FIXES;
	double rate = fixes ? d->cfg.fix_rate_limit_per_s : d->cfg.rate_limit_per_s;
	double burst = (double)(fixes ? d->cfg.fix_rate_limit_burst : d->cfg.rate_limit_burst);
	if (!(rate > 0))
		return true;
	char key[128];
	const struct device *dev = fixes && c->kind == ACCESS_NOBODY ? osmand_device(d, req) : NULL;
	if (c->kind == ACCESS_DEVICE)
		snprintf(key, sizeof key, "%c|d:%d", fixes ? 'f' : 'r', c->id);
	else if (dev)
		snprintf(key, sizeof key, "f|d:%d", dev->id);
	else if (c->kind == ACCESS_CLIENT)
		snprintf(key, sizeof key, "%c|c:%d", fixes ? 'f' : 'r', c->id);
	else
		snprintf(key, sizeof key, "%c|a:%.64s", fixes ? 'f' : 'r', http_peer(req));
	jt_ms now = mono_ms();
	struct bucket *b = strmap_get(l->buckets, key);
	if (!b) {
		if (strmap_count(l->buckets) >= l->sweep_at)
			sweep(l, &d->cfg, now);
		b = xmalloc(sizeof *b);
		bucket_init(b, burst, now);
		strmap_put(l->buckets, key, b);
	}
	jt_ms wait = bucket_take(b, rate, burst, now);
	if (wait == 0)
		return true;
	l->stats.limited[kind]++;
	log_debug("http.rate_limited", "sender=%s wait_ms=%lld", key + 2, (long long)wait);
	retry_after(req, wait);
	http_reply_error(req, 429, "rate_limited", "too many requests (%g a second, %g at once); try again in %lld ms",
			 rate, burst, (long long)wait);
	return false;
}

void throttle_count_denied(struct jtd *d, bool unauthenticated)
{
	if (unauthenticated)
		d->throttle->stats.unauthenticated++;
	else
		d->throttle->stats.forbidden++;
}

struct throttle_stats throttle_stats(const struct jtd *d)
{
	struct throttle_stats s = d->throttle->stats;
	s.buckets = strmap_count(d->throttle->buckets);
	return s;
}
