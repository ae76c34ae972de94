/*
 * tablet.c — uploading a tablet's fixes with evhttp, without a thread: each
 * request's completion callback settles which fixes the daemon now holds
 * and arranges the next attempt. The only rule that matters is the one a
 * real tablet must keep: a fix leaves the buffer when the daemon says it
 * stored or refused it, never earlier, and never because of a timeout.
 */
#include "tablet.h"
#include "jintong.pb-c.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_MAX_S 30.0
#define REQUEST_TIMEOUT_S 15

double sim_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "jintong-sim: out of memory\n");
		abort();
	}
	return p;
}

void tablet_init(struct tablet *t, struct uplink *up, enum tablet_app app, const char *device,
		 const char *vehicle, const char *token, uint64_t first_seq, uint64_t seed)
{
	memset(t, 0, sizeof *t);
	t->up = up;
	t->app = app;
	snprintf(t->device, sizeof t->device, "%s", device);
	snprintf(t->vehicle, sizeof t->vehicle, "%s", vehicle);
	snprintf(t->token, sizeof t->token, "%s", token ? token : "");
	t->next_seq = first_seq ? first_seq : 1;
	rng_seed(&t->rng, seed);
	t->covered = true;
	t->batch_limit = up->max_batch;
	t->last_error_kind = -1;
}

void tablet_free(struct tablet *t)
{
	if (t->conn)
		evhttp_connection_free(t->conn);
	t->conn = NULL;
	free(t->buf);
	t->buf = NULL;
}

size_t tablet_backlog(const struct tablet *t)
{
	return t->len - t->head;
}

void tablet_record(struct tablet *t, int64_t time_ms, const struct reading *r)
{
	if (t->head > 0 && !t->in_flight && t->head * 2 >= t->len) {
		memmove(t->buf, t->buf + t->head, (t->len - t->head) * sizeof *t->buf);
		t->len -= t->head;
		t->head = 0;
	}
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->buf = must(realloc(t->buf, t->cap * sizeof *t->buf));
	}
	t->buf[t->len].seq = t->next_seq++;
	t->buf[t->len].time_ms = time_ms;
	t->buf[t->len].r = *r;
	t->len++;
	t->up->stats->recorded++;
}

__attribute__((format(printf, 2, 3)))
static void note_error(struct tablet *t, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(t->up->stats->last_error, sizeof t->up->stats->last_error, "%.64s: %s", t->device, msg);
}

/* Waits before the next attempt: the server's Retry-After, or an exponential
 * back-off with jitter so a recovering daemon is not hit by the whole fleet at once. */
static void back_off(struct tablet *t, double retry_after)
{
	double wait = retry_after;

	t->failures_in_row++;
	if (wait <= 0) {
		wait = 1.0;
		for (int i = 1; i < t->failures_in_row && wait < BACKOFF_MAX_S; i++)
			wait *= 2;
		if (wait > BACKOFF_MAX_S)
			wait = BACKOFF_MAX_S;
		wait *= rng_range(&t->rng, 0.5, 1.0);
	}
	t->retry_at = sim_mono_s() + wait;
	t->up->stats->failures++;
}

/* Removes the fixes in flight whose seq appears in `done` (stored or refused). */
static void settle(struct tablet *t, const uint64_t *done, size_t n_done)
{
	size_t w = t->head, end = t->head + t->flight_n;

	for (size_t i = t->head; i < end; i++) {
		bool gone = false;
		for (size_t k = 0; k < n_done && !gone; k++)
			gone = done[k] == t->buf[i].seq;
		if (!gone)
			t->buf[w++] = t->buf[i];
	}
	if (w != end) {
		memmove(t->buf + w, t->buf + end, (t->len - end) * sizeof *t->buf);
		t->len -= end - w;
	}
}

static double retry_after_of(struct evhttp_request *req)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), "Retry-After");
	char *end;
	double s;

	if (!v)
		return 0;
	s = strtod(v, &end);
	return end != v && s >= 0 && s < 3600 ? (s > 0 ? s : 0.5) : 5.0;
}

static const char *error_kind_name(int kind)
{
	switch (kind) {
	case EVREQ_HTTP_TIMEOUT: return "timed out";
	case EVREQ_HTTP_EOF: return "connection closed";
	case EVREQ_HTTP_INVALID_HEADER: return "bad reply header";
	case EVREQ_HTTP_BUFFER_ERROR: return "connection failed";
	case EVREQ_HTTP_REQUEST_CANCEL: return "cancelled";
	case EVREQ_HTTP_DATA_TOO_LONG: return "reply too long";
	default: return "no reply (daemon unreachable?)";
	}
}

/* The reply body as text for a message, shortened. */
static const char *body_text(struct evhttp_request *req, char *out, size_t size)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);

	if (n >= size)
		n = size - 1;
	evbuffer_copyout(in, out, n);
	out[n] = '\0';
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return out;
}

static void on_native_ok(struct tablet *t, struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	Jintong__FixBatchReply *reply =
		jintong__fix_batch_reply__unpack(NULL, n, evbuffer_pullup(in, -1));
	uint64_t *done;
	size_t n_done = 0;

	if (!reply) {
		note_error(t, "%s", "undecodable FixBatchReply");
		back_off(t, 0);
		return;
	}
	done = must(calloc(reply->n_stored + reply->n_rejected + 1, sizeof *done));
	for (size_t i = 0; i < reply->n_stored; i++)
		done[n_done++] = reply->stored[i];
	for (size_t i = 0; i < reply->n_rejected; i++) {
		const Jintong__RejectedFix *rf = reply->rejected[i];
		if (rf->has_seq)
			done[n_done++] = rf->seq;
		if (i == 0)
			note_error(t, "fix refused: %s", rf->reason ? rf->reason : "?");
	}
	t->up->stats->acked += reply->n_stored;
	t->up->stats->rejected += reply->n_rejected;
	settle(t, done, n_done);
	/* fixes the reply named neither way stay in the buffer and go again */
	t->failures_in_row = 0;
	free(done);
	jintong__fix_batch_reply__free_unpacked(reply, NULL);
}

static void on_osmand_status(struct tablet *t, struct evhttp_request *req, int code)
{
	uint64_t seq = t->buf[t->head].seq;
	char text[120];

	if (code == 200) {
		t->up->stats->acked++;
		settle(t, &seq, 1);
		t->failures_in_row = 0;
	} else if (code == 400) {
		/* refused with a reason: resending the same fix would not help */
		t->up->stats->rejected++;
		settle(t, &seq, 1);
		note_error(t, "fix refused: %s", body_text(req, text, sizeof text));
	} else {
		snprintf(text, sizeof text, "HTTP %d", code);
		note_error(t, "%s", text);
		back_off(t, code == 503 ? retry_after_of(req) : 0);
	}
}

static void on_reply(struct evhttp_request *req, void *arg)
{
	struct tablet *t = arg;
	int code = req ? evhttp_request_get_response_code(req) : 0;
	char text[120];

	t->in_flight = false;
	if (code == 0) {
		/* no answer: nothing was acknowledged, everything stays */
		note_error(t, "%s", error_kind_name(t->last_error_kind));
		t->conn_broken = true;
		back_off(t, 0);
	} else if (t->app == TABLET_OSMAND) {
		on_osmand_status(t, req, code);
	} else if (code == 200) {
		on_native_ok(t, req);
	} else if (code == 413 && t->batch_limit > 1) {
		t->batch_limit = t->batch_limit / 2;
		note_error(t, "%s", "batch too large, sending smaller ones");
	} else {
		snprintf(text, sizeof text, "HTTP %d ", code);
		size_t used = strlen(text);
		body_text(req, text + used, sizeof text - used);
		note_error(t, "%s", text);
		back_off(t, code == 503 ? retry_after_of(req) : code == 401 ? BACKOFF_MAX_S : 0);
	}
	t->flight_n = 0;
	t->last_error_kind = -1;
	if (code != 0 && code < 300)
		tablet_pump(t, sim_mono_s()); /* the backlog goes up without waiting for the tick */
}

static void on_request_error(enum evhttp_request_error err, void *arg)
{
	struct tablet *t = arg;
	t->last_error_kind = (int)err;
}

static struct evhttp_request *new_request(struct tablet *t)
{
	struct evhttp_request *req = must(evhttp_request_new(on_reply, t));
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_request_set_error_cb(req, on_request_error);
	evhttp_add_header(h, "Host", t->up->host);
	evhttp_add_header(h, "User-Agent", t->app == TABLET_OSMAND ? "OsmAnd~ (jintong-sim)" : "jintong-sim");
	return req;
}

static int send_osmand(struct tablet *t)
{
	const struct pending_fix *f = &t->buf[t->head];
	struct evhttp_request *req = new_request(t);
	char *id = must(evhttp_uriencode(t->device, -1, 0));
	char uri[512];

	snprintf(uri, sizeof uri,
		 "/?id=%s&lat=%.7f&lon=%.7f&timestamp=%lld&speed=%.2f&bearing=%.1f"
		 "&altitude=%.1f&accuracy=%.1f&batt=%.0f",
		 id, f->r.lat, f->r.lon, (long long)f->time_ms, f->r.speed * 1.943844,
		 f->r.heading, f->r.altitude, f->r.accuracy, f->r.battery * 100.0);
	free(id);
	t->flight_n = 1;
	return evhttp_make_request(t->conn, req, EVHTTP_REQ_GET, uri);
}

static int send_native(struct tablet *t)
{
	size_t n = tablet_backlog(t);
	Jintong__FixBatch batch = JINTONG__FIX_BATCH__INIT;
	Jintong__Fix *fixes, **ptrs;
	struct evhttp_request *req = new_request(t);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char auth[200];
	uint8_t *packed;
	size_t len;

	if (n > (size_t)t->batch_limit)
		n = (size_t)t->batch_limit;
	fixes = must(calloc(n, sizeof *fixes));
	ptrs = must(calloc(n, sizeof *ptrs));
	for (size_t i = 0; i < n; i++) {
		const struct pending_fix *p = &t->buf[t->head + i];
		Jintong__Fix *f = &fixes[i];
		jintong__fix__init(f);
		f->has_seq = f->has_time_ms = f->has_lat = f->has_lon = 1;
		f->has_speed_mps = f->has_heading_deg = f->has_altitude_m = 1;
		f->has_accuracy_m = f->has_battery = 1;
		f->seq = p->seq;
		f->time_ms = p->time_ms;
		f->lat = p->r.lat;
		f->lon = p->r.lon;
		f->speed_mps = (float)p->r.speed;
		f->heading_deg = (float)p->r.heading;
		f->altitude_m = (float)p->r.altitude;
		f->accuracy_m = (float)p->r.accuracy;
		f->battery = (float)p->r.battery;
		ptrs[i] = f;
	}
	batch.device_id = t->device;
	batch.n_fixes = n;
	batch.fixes = ptrs;
	len = jintong__fix_batch__get_packed_size(&batch);
	packed = must(malloc(len ? len : 1));
	jintong__fix_batch__pack(&batch, packed);
	evbuffer_add(evhttp_request_get_output_buffer(req), packed, len);
	free(packed);
	free(ptrs);
	free(fixes);
	snprintf(auth, sizeof auth, "Bearer %s", t->token);
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "Content-Type", "application/x-protobuf");
	t->flight_n = n;
	return evhttp_make_request(t->conn, req, EVHTTP_REQ_POST, "/v1/fixes");
}

void tablet_pump(struct tablet *t, double now)
{
	if (t->in_flight || !t->covered || tablet_backlog(t) == 0 || now < t->retry_at)
		return;
	if (t->conn && t->conn_broken) {
		evhttp_connection_free(t->conn);
		t->conn = NULL;
	}
	t->conn_broken = false;
	if (!t->conn) {
		t->conn = evhttp_connection_base_new(t->up->base, NULL, t->up->host,
						     (unsigned short)t->up->port);
		if (!t->conn) {
			note_error(t, "%s", "cannot open a connection");
			back_off(t, 0);
			return;
		}
		evhttp_connection_set_timeout(t->conn, REQUEST_TIMEOUT_S);
		evhttp_connection_set_retries(t->conn, 0);
	}
	t->in_flight = true;
	if ((t->app == TABLET_OSMAND ? send_osmand(t) : send_native(t)) != 0) {
		/* evhttp frees the request when it cannot start it */
		t->in_flight = false;
		t->flight_n = 0;
		t->conn_broken = true;
		note_error(t, "%s", "cannot send");
		back_off(t, 0);
		return;
	}
	t->up->stats->sent += t->flight_n;
}
