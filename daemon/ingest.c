/*
 * ingest.c — fixes arriving from tablets: OsmAnd requests from tracking
 * apps, and protobuf batches from Jintong's own tablet app.
 *
 * fix: parse -> validate -> who sent it -> fleet (live state, quality) ->
 * store (queued, group-committed) -> reply. A tablet is told 200 only after
 * its fixes are committed; anything that cannot be stored now is answered 503
 * with Retry-After, so the tablet keeps it and sends it again.
 */
#include "ingest.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "fix.h"
#include "fixbatch.h"
#include "fleet.h"
#include "http.h"
#include "log.h"
#include "netlist.h"
#include "osmand.h"
#include "store.h"
#include "timeparse.h"
#include "tracking.h"
#include "util.h"

/* A request waiting for its fixes to be committed. */
struct pending {
	struct jtd *d;
	struct evhttp_request *req;
	int64_t started;
	size_t nfixes;
	char device[JT_DEVICE_ID_MAX + 1];
	struct fixbatch_reply *reply; /* batches only */
};

static void count_ack(struct jtd *d, int64_t started)
{
	double ms = (double)(mono_ms() - started);
	histogram_observe(&d->stats.ack, ms);
	if (ms > d->stats.ack_ms_max)
		d->stats.ack_ms_max = ms;
}

static void reject(struct jtd *d, enum fix_reason r)
{
	d->stats.rejected[r < FIX_REASON_COUNT ? r : FIX_MALFORMED]++;
}

static struct fix_limits limits(const struct jtd *d)
{
	struct fix_limits lim = {
		.future_ms = (jt_ms)d->cfg.fix_future_s * 1000,
		.max_age_ms = (jt_ms)d->cfg.fix_max_age_h * 3600 * 1000,
	};
	return lim;
}

static void fill_row(struct store_row *row, const struct device *dev, const struct fix *f,
		     jt_ms received, enum fix_quality q)
{
	row->device_id = dev->id;
	row->vehicle_id = dev->vehicle_id;
	row->seq = (int64_t)f->seq;
	row->fix_time = f->time;
	row->received_at = received;
	row->lat = f->lat;
	row->lon = f->lon;
	row->speed = f->speed;
	row->heading = f->heading;
	row->altitude = f->altitude;
	row->accuracy = f->accuracy;
	row->battery = f->battery;
	row->quality = (int)q;
}

/* Live state first: it is kept even when the database cannot take the fix now. */
static enum fix_quality observe(struct jtd *d, const struct device *dev, const struct fix *f)
{
	struct vehicle *v = fleet_by_id(d->fleet, dev->vehicle_id);
	if (!v)
		return FIXQ_GOOD;
	enum fix_quality q = fleet_observe(d->fleet, v, f);
	if (q == FIXQ_IMPLAUSIBLE_JUMP) {
		d->stats.jumps++;
		log_info("fix.jump", "device=%s vehicle=%s lat=%.5f lon=%.5f", dev->ext_id, v->code,
			 f->lat, f->lon);
	} else if (q == FIXQ_STALE) {
		d->stats.stale++;
	}
	/* Trackers take the good fixes and the backlogs, dated when they were measured. */
	if (q != FIXQ_IMPLAUSIBLE_JUMP)
		tracking_fix(d, v, f);
	return q;
}

static void osmand_done(void *arg, enum store_outcome out)
{
	struct pending *p = arg;
	struct jtd *d = p->d;
	d->waiting--;
	if (out == STORE_COMMITTED) {
		d->stats.stored++;
		count_ack(d, p->started);
		http_reply_body(p->req, 200, "text/plain", "OK\n", 3);
	} else if (out == STORE_UNAVAILABLE) {
		d->stats.unavailable++;
		http_reply_unavailable(d, p->req, "the fix could not be stored now");
	} else {
		http_reply_error(p->req, 500, "not_stored", "the database refused this fix");
	}
	free(p);
}

void ingest_osmand(struct jtd *d, struct evhttp_request *req)
{
	if (!netlist_empty(d->osmand_nets) && !netlist_contains(d->osmand_nets, http_peer(req))) {
		log_info("fix.refused", "reason=network peer=%s", http_peer(req));
		http_reply_error(req, 403, "network_not_allowed",
				 "tracking apps are admitted only from the configured networks");
		return;
	}
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	size_t blen = 0;
	const char *body = http_body(req, &blen);
	char ct[64];
	http_content_type(req, ct, sizeof ct);

	struct fix f;
	struct parse_error pe = { FIX_OK, "" };
	int rc;
	if (blen > 0 && (strcmp(ct, "application/json") == 0 || body[0] == '{'))
		rc = osmand_parse_json(body, blen, &f, &pe);
	else if (blen > 0)
		rc = osmand_parse_query(body, blen, &f, &pe);
	else
		rc = osmand_parse_query(query ? query : "", query ? strlen(query) : 0, &f, &pe);
	if (rc != 0) {
		reject(d, pe.reason);
		http_reply_error(req, 400, fix_reason_name(pe.reason), "%s", pe.detail);
		return;
	}
	d->stats.received++;
	jt_ms now = now_ms();
	struct fix_limits lim = limits(d);
	char detail[128] = "";
	enum fix_reason r = fix_validate(&f, now, &lim, detail, sizeof detail);
	if (r != FIX_OK) {
		reject(d, r);
		log_debug("fix.rejected", "device=%s reason=%s", f.device, fix_reason_name(r));
		http_reply_error(req, 400, fix_reason_name(r), "%s", detail);
		return;
	}
	const struct device *dev = devices_by_ext(d->devices, f.device);
	if (!dev || dev->revoked_at) {
		reject(d, FIX_UNKNOWN_DEVICE);
		log_info("fix.rejected", "device=%s reason=%s peer=%s", f.device,
			 dev ? "revoked" : "unknown_device", http_peer(req));
		http_reply_error(req, 400, "unknown_device",
				 dev ? "device '%s' was revoked" : "device '%s' is not registered",
				 f.device);
		return;
	}
	enum fix_quality q = observe(d, dev, &f);
	if (d->stopping) {
		d->stats.unavailable++;
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	/* Tracking apps have no sequence numbers: 0, so a resent fix (same time) is kept once. */
	f.seq = 0;
	struct store_row row;
	fill_row(&row, dev, &f, now, q);
	struct pending *p = xcalloc(1, sizeof *p);
	p->d = d;
	p->req = req;
	p->started = mono_ms();
	p->nfixes = 1;
	if (store_enqueue_fixes(d->store, &row, 1, osmand_done, p) != 0) {
		free(p);
		d->stats.unavailable++;
		http_reply_unavailable(d, req, "the database is unreachable or behind");
		return;
	}
	d->waiting++;
}

static void batch_done(void *arg, enum store_outcome out)
{
	struct pending *p = arg;
	struct jtd *d = p->d;
	d->waiting--;
	if (out == STORE_COMMITTED) {
		d->stats.stored += p->nfixes;
		count_ack(d, p->started);
		size_t len;
		uint8_t *bytes = fixbatch_reply_pack(p->reply, &len);
		http_reply_body(p->req, 200, "application/x-protobuf", bytes, len);
		free(bytes);
	} else if (out == STORE_UNAVAILABLE) {
		d->stats.unavailable += p->nfixes;
		http_reply_unavailable(d, p->req, "the fixes could not be stored now");
	} else {
		log_error("fix.batch_refused", "device=%s fixes=%zu", p->device, p->nfixes);
		http_reply_error(p->req, 500, "not_stored", "the database refused this batch");
	}
	fixbatch_reply_free(p->reply);
	free(p);
}

static int by_time(const void *a, const void *b)
{
	const struct fixbatch_item *x = *(struct fixbatch_item *const *)a;
	const struct fixbatch_item *y = *(struct fixbatch_item *const *)b;
	return (x->fix.time > y->fix.time) - (x->fix.time < y->fix.time);
}

void ingest_batch(struct jtd *d, struct evhttp_request *req)
{
	size_t tlen = 0;
	const char *tok = token_from_bearer(
		evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"), &tlen);
	const struct device *dev = tok ? devices_by_token(d->devices, tok, tlen) : NULL;
	if (!dev) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
				  "Bearer realm=\"jintong\"");
		http_reply_error(req, 401, "unauthorized",
				 tok ? "the device token was not accepted (revoked or unknown)"
				     : "a device token is needed (Authorization: Bearer ...)");
		return;
	}
	char ct[64];
	http_content_type(req, ct, sizeof ct);
	if (strcmp(ct, "application/x-protobuf") != 0 && strcmp(ct, "application/protobuf") != 0) {
		http_reply_error(req, 415, "unsupported_media_type",
				 "send a jintong.FixBatch as application/x-protobuf");
		return;
	}
	size_t blen;
	const char *body = http_body(req, &blen);
	struct fixbatch b;
	char err[160];
	if (fixbatch_decode((const uint8_t *)body, blen, (size_t)d->cfg.batch_fixes_max, &b, err,
			    sizeof err) != 0) {
		reject(d, FIX_MALFORMED);
		http_reply_error(req, 400, "malformed", "not a jintong.FixBatch: %s", err);
		return;
	}
	if (b.has_device && strcmp(b.device, dev->ext_id) != 0) {
		fixbatch_free(&b);
		reject(d, FIX_WRONG_DEVICE);
		http_reply_error(req, 400, "wrong_device",
				 "the batch names another device than the token's");
		return;
	}
	d->stats.received += b.n;
	jt_ms now = now_ms();
	struct fix_limits lim = limits(d);
	struct fixbatch_reply *reply = fixbatch_reply_new();
	struct fixbatch_item **good = xcalloc(b.n ? b.n : 1, sizeof *good);
	size_t ngood = 0;
	for (size_t i = 0; i < b.n; i++) {
		struct fixbatch_item *it = &b.items[i];
		strlcpy_jt(it->fix.device, dev->ext_id, sizeof it->fix.device);
		if (it->reason == FIX_OK && it->fix.seq > (uint64_t)INT64_MAX) {
			it->reason = FIX_OUT_OF_RANGE;
			snprintf(it->detail, sizeof it->detail, "seq above 2^63-1");
		}
		if (it->reason == FIX_OK)
			it->reason = fix_validate(&it->fix, now, &lim, it->detail, sizeof it->detail);
		if (it->reason != FIX_OK) {
			reject(d, it->reason);
			fixbatch_reply_reject(reply, it->index, it->fix.has_seq, it->fix.seq,
					      it->reason, it->detail);
			continue;
		}
		good[ngood++] = it;
	}
	/* A backlog may come in any order; live state is judged in time order. */
	qsort(good, ngood, sizeof *good, by_time);
	struct store_row *rows = xcalloc(ngood ? ngood : 1, sizeof *rows);
	for (size_t i = 0; i < ngood; i++) {
		enum fix_quality q = observe(d, dev, &good[i]->fix);
		fill_row(&rows[i], dev, &good[i]->fix, now, q);
	}
	if (ngood == 0 || d->stopping) {
		if (ngood) {
			d->stats.unavailable += ngood;
			http_reply_unavailable(d, req, "the server is shutting down");
		} else {
			size_t len;
			uint8_t *bytes = fixbatch_reply_pack(reply, &len);
			http_reply_body(req, 200, "application/x-protobuf", bytes, len);
			free(bytes);
		}
		fixbatch_reply_free(reply);
		goto out;
	}
	for (size_t i = 0; i < ngood; i++)
		fixbatch_reply_stored(reply, good[i]->fix.seq);
	struct pending *p = xcalloc(1, sizeof *p);
	p->d = d;
	p->req = req;
	p->started = mono_ms();
	p->nfixes = ngood;
	p->reply = reply;
	strlcpy_jt(p->device, dev->ext_id, sizeof p->device);
	if (store_enqueue_fixes(d->store, rows, ngood, batch_done, p) != 0) {
		fixbatch_reply_free(reply);
		free(p);
		d->stats.unavailable += ngood;
		http_reply_unavailable(d, req, "the database is unreachable or behind");
		goto out;
	}
	d->waiting++;
out:
	free(rows);
	free(good);
	fixbatch_free(&b);
}

struct json_object *ingest_position_json(const struct fix *f)
{
	struct json_object *o = json_object_new_object();
	char t[40];
	ts_format(f->time, t, sizeof t);
	json_object_object_add(o, "time", json_object_new_string(t));
	json_object_object_add(o, "lat", json_object_new_double(f->lat));
	json_object_object_add(o, "lon", json_object_new_double(f->lon));
	const struct {
		const char *name;
		double v;
	} opt[] = { { "speed_mps", f->speed }, { "heading", f->heading }, { "altitude", f->altitude },
		    { "accuracy", f->accuracy }, { "battery", f->battery } };
	for (size_t i = 0; i < JT_ARRAY_LEN(opt); i++)
		json_object_object_add(o, opt[i].name,
				       isnan(opt[i].v) ? NULL : json_object_new_double(opt[i].v));
	json_object_object_add(o, "device", json_object_new_string(f->device));
	return o;
}

void ingest_vehicles(struct jtd *d, struct evhttp_request *req)
{
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < fleet_count(d->fleet); i++) {
		const struct vehicle *v = fleet_at(d->fleet, i);
		if (!v->has_pos)
			continue;
		struct json_object *o = ingest_position_json(&v->pos);
		json_object_object_add(o, "code", json_object_new_string(v->code));
		json_object_array_add(list, o);
	}
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "vehicles", list);
	http_reply_json(req, 200, top);
}
