/*
 * loadgen — plays a fleet of tablets against a position-ingest server as fast
 * as it will answer, and measures how long each fix takes to be acknowledged.
 *
 *   loadgen osmand --target 127.0.0.1:8470 --devices FILE [--connections 64]
 *   loadgen batch  --target 127.0.0.1:8470 --devices FILE [--batch 500]
 *   loadgen register --url http://127.0.0.1:8470 --token T --count N --out FILE
 *
 * osmand: one fix per request, GET /?id=…&lat=…&lon=…&timestamp=<ms>&… as
 * the OsmAnd tracking app sends it. batch: POST /v1/fixes with a protobuf
 * FixBatch of --batch fixes for one device, authorised by its device token;
 * the FixBatchReply is decoded and only fixes it lists as stored are counted.
 * Every request carries fixes no earlier request carried (each device's fix
 * time advances 100 ms per fix, its sequence number with it), so the server
 * cannot answer any of them by deduplication.
 *
 * Connections are kept alive, one request in flight on each, all on one
 * libevent loop over bufferevents with a small HTTP/1.1 response reader.
 * Latency (request written → response read) goes into a histogram with 1 µs
 * buckets up to 1 s and 1 ms buckets up to 2 min (histogram.c). The last output line is
 * "RESULT key=value …" for scripts. register puts --count vehicles and
 * tablets on the books through the admin API and writes "device_id token"
 * lines for the other two modes.
 */
#include "admin.h"
#include "histogram.h"
#include "jintong.pb-c.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define FIX_STEP_MS 100         /* fix time advance per fix of one device */
#define MAX_STATUS 600

enum mode { MODE_OSMAND, MODE_BATCH };

enum read_state { RS_STATUS, RS_HEADERS, RS_BODY, RS_CHUNK_SIZE, RS_CHUNK_DATA, RS_CHUNK_END, RS_TRAILER };

struct device {
	char *id;
	char *token;        /* NULL when the devices file gave none */
	int64_t next_ms;    /* fix time of the device's next fix */
	double lat, lon, heading;
};

struct conn {
	int index;
	struct bufferevent *bev;
	enum read_state rs;
	int status;
	int64_t remaining;    /* body bytes (or chunk bytes) still to read */
	bool chunked, close_after, busy;
	int64_t sent_us;      /* when the request in flight was written */
	size_t cursor;        /* next device this connection speaks for */
	struct evbuffer *body;
	Jintong__Fix *fixes;  /* batch mode: reused message storage */
	Jintong__Fix **fix_ptrs;
	uint8_t *packed;
	size_t packed_cap;
};

static struct {
	enum mode mode;
	struct sockaddr_storage addr;
	int addrlen;
	char host[128];
	int connections, seconds, warmup, batch;
	long max_requests;
	long backdate_s;
	struct device *devs;
	size_t ndev;
	struct event_base *base;
	struct conn *conns;
	bool running, measuring;
	int64_t start_us, measure_us, stop_us, last_done_us;
	long issued;
	int open_conns;
	/* figures, for requests completed while measuring */
	uint64_t ok, requests, fixes_sent, fixes_stored, fixes_rejected, conn_errors, bad_replies;
	uint64_t acked_all;   /* fixes acknowledged as stored, warm-up included */
	uint64_t status_count[MAX_STATUS];
	struct histogram latency;
	int64_t slowest_sent_ms; /* wall clock: when the slowest request measured was sent */
	char first_reject[160];
} G;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "loadgen: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- the fixes ---------------------------------------------------------- */

static struct device *next_device(struct conn *c)
{
	struct device *d = &G.devs[c->cursor];

	if (G.ndev <= (size_t)G.connections) {
		c->cursor = (size_t)c->index % G.ndev;
	} else {
		c->cursor += (size_t)G.connections;
		if (c->cursor >= G.ndev)
			c->cursor = (size_t)c->index;
	}
	return d;
}

/* Moves the device on by one fix: 100 ms at 10 m/s, turning a little. */
static void advance(struct device *d)
{
	double rad = d->heading * M_PI / 180.0;
	d->lat += cos(rad) * 1.0 / 111320.0;
	d->lon += sin(rad) * 1.0 / (111320.0 * cos(d->lat * M_PI / 180.0));
	d->heading = fmod(d->heading + 0.5, 360.0);
	d->next_ms += FIX_STEP_MS;
}

static void write_osmand(struct conn *c)
{
	struct device *d = next_device(c);

	evbuffer_add_printf(bufferevent_get_output(c->bev),
		"GET /?id=%s&lat=%.6f&lon=%.6f&timestamp=%" PRId64
		"&speed=19.4&bearing=%.0f&altitude=512&accuracy=5&batt=87 HTTP/1.1\r\n"
		"Host: %s\r\nUser-Agent: jintong-loadgen\r\n\r\n",
		d->id, d->lat, d->lon, d->next_ms, d->heading, G.host);
	advance(d);
	c->sent_us = mono_us();
}

static void write_batch(struct conn *c)
{
	struct device *d = next_device(c);
	Jintong__FixBatch fb = JINTONG__FIX_BATCH__INIT;
	size_t len;

	for (int i = 0; i < G.batch; i++) {
		Jintong__Fix *f = &c->fixes[i];
		jintong__fix__init(f);
		f->has_seq = f->has_time_ms = f->has_lat = f->has_lon = 1;
		f->has_speed_mps = f->has_heading_deg = f->has_accuracy_m = f->has_battery = 1;
		f->seq = (uint64_t)(d->next_ms / FIX_STEP_MS);
		f->time_ms = d->next_ms;
		f->lat = d->lat;
		f->lon = d->lon;
		f->speed_mps = 10.0f;
		f->heading_deg = (float)d->heading;
		f->accuracy_m = 5.0f;
		f->battery = 0.87f;
		c->fix_ptrs[i] = f;
		advance(d);
	}
	fb.device_id = d->id;
	fb.n_fixes = (size_t)G.batch;
	fb.fixes = c->fix_ptrs;
	len = jintong__fix_batch__get_packed_size(&fb);
	if (len > c->packed_cap) {
		c->packed_cap = len * 2;
		c->packed = must(realloc(c->packed, c->packed_cap));
	}
	jintong__fix_batch__pack(&fb, c->packed);
	evbuffer_add_printf(bufferevent_get_output(c->bev),
		"POST /v1/fixes HTTP/1.1\r\nHost: %s\r\nUser-Agent: jintong-loadgen\r\n"
		"Authorization: Bearer %s\r\nContent-Type: application/x-protobuf\r\n"
		"Content-Length: %zu\r\n\r\n",
		G.host, d->token ? d->token : "", len);
	evbuffer_add(bufferevent_get_output(c->bev), c->packed, len);
	c->sent_us = mono_us();
}

/* ---- connections ---------------------------------------------------------- */

static void conn_open(struct conn *c);

static void send_next(struct conn *c)
{
	if (!G.running || (G.max_requests > 0 && G.issued >= G.max_requests)) {
		c->busy = false;
		return;
	}
	G.issued++;
	c->busy = true;
	c->rs = RS_STATUS;
	evbuffer_drain(c->body, evbuffer_get_length(c->body));
	if (G.mode == MODE_OSMAND)
		write_osmand(c);
	else
		write_batch(c);
}

static void maybe_finish(void)
{
	for (int i = 0; i < G.connections; i++)
		if (G.conns[i].busy)
			return;
	if (!G.running || (G.max_requests > 0 && G.issued >= G.max_requests))
		event_base_loopexit(G.base, NULL);
}

static void count_batch_reply(struct conn *c)
{
	size_t len = evbuffer_get_length(c->body);
	Jintong__FixBatchReply *r =
		jintong__fix_batch_reply__unpack(NULL, len, evbuffer_pullup(c->body, -1));

	if (!r) {
		G.bad_replies++;
		return;
	}
	if (G.measuring && c->sent_us >= G.measure_us) {
		G.fixes_stored += r->n_stored;
		G.fixes_rejected += r->n_rejected;
	}
	G.acked_all += r->n_stored;
	if (r->n_rejected && !G.first_reject[0])
		snprintf(G.first_reject, sizeof G.first_reject, "%s %s",
			 r->rejected[0]->reason ? r->rejected[0]->reason : "?",
			 r->rejected[0]->detail ? r->rejected[0]->detail : "");
	jintong__fix_batch_reply__free_unpacked(r, NULL);
}

static void response_done(struct conn *c)
{
	int64_t now = mono_us();

	c->busy = false;
	if (c->status == 200 && G.mode == MODE_BATCH)
		count_batch_reply(c);
	else if (c->status == 200)
		G.acked_all++;
	if (G.measuring && c->sent_us >= G.measure_us) {
		G.requests++;
		G.last_done_us = now;
		G.fixes_sent += G.mode == MODE_BATCH ? (uint64_t)G.batch : 1;
		G.status_count[c->status > 0 && c->status < MAX_STATUS ? c->status : 0]++;
		if (now - c->sent_us > G.latency.max_us)
			G.slowest_sent_ms = wall_ms() - (now - c->sent_us) / 1000;
		histogram_record(&G.latency, now - c->sent_us);
		if (c->status == 200) {
			G.ok++;
			if (G.mode == MODE_OSMAND)
				G.fixes_stored++;
		} else if (!G.first_reject[0]) {
			size_t n = evbuffer_get_length(c->body);
			snprintf(G.first_reject, sizeof G.first_reject, "HTTP %d %.*s", c->status,
				 (int)(n > 120 ? 120 : n), (const char *)evbuffer_pullup(c->body, -1));
		}
	}
	if (c->close_after) {
		bufferevent_free(c->bev);
		c->bev = NULL;
		G.open_conns--;
		if (G.running)
			conn_open(c);
		maybe_finish();
		return;
	}
	send_next(c);
	maybe_finish();
}

static void parse_header(struct conn *c, const char *line)
{
	const char *v = strchr(line, ':');

	if (!v)
		return;
	v++;
	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(line, "Content-Length:", 15) == 0)
		c->remaining = strtoll(v, NULL, 10);
	else if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strcasestr(v, "chunked"))
		c->chunked = true;
	else if (strncasecmp(line, "Connection:", 11) == 0 && strcasestr(v, "close"))
		c->close_after = true;
}

/* Moves up to c->remaining bytes of body; true when they have all come. */
static bool take_body(struct conn *c, struct evbuffer *in)
{
	size_t have = evbuffer_get_length(in);
	size_t n = (int64_t)have < c->remaining ? have : (size_t)c->remaining;

	evbuffer_remove_buffer(in, c->body, n);
	c->remaining -= (int64_t)n;
	return c->remaining == 0;
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	for (;;) {
		switch (c->rs) {
		case RS_STATUS:
			if (!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)))
				return;
			c->status = n > 12 && strncmp(line, "HTTP/1.", 7) == 0 ? atoi(line + 9) : 0;
			c->remaining = -1;
			c->chunked = c->close_after = false;
			c->rs = RS_HEADERS;
			free(line);
			break;
		case RS_HEADERS:
			if (!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)))
				return;
			if (n > 0) {
				parse_header(c, line);
				free(line);
				break;
			}
			free(line);
			if (c->chunked) {
				c->rs = RS_CHUNK_SIZE;
			} else if (c->remaining > 0) {
				c->rs = RS_BODY;
			} else {
				if (c->remaining < 0 && c->status >= 200 && c->status != 204)
					c->close_after = true; /* body runs to the close: not kept alive */
				response_done(c);
				return;
			}
			break;
		case RS_BODY:
			if (!take_body(c, in))
				return;
			response_done(c);
			return;
		case RS_CHUNK_SIZE:
			if (!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)))
				return;
			c->remaining = strtoll(line, NULL, 16);
			free(line);
			c->rs = c->remaining > 0 ? RS_CHUNK_DATA : RS_TRAILER;
			break;
		case RS_CHUNK_DATA:
			if (!take_body(c, in))
				return;
			c->rs = RS_CHUNK_END;
			break;
		case RS_CHUNK_END:
			if (!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)))
				return;
			free(line);
			c->rs = RS_CHUNK_SIZE;
			break;
		case RS_TRAILER:
			if (!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)))
				return;
			free(line);
			if (n == 0) {
				response_done(c);
				return;
			}
			break;
		default:
			fprintf(stderr, "loadgen: bad read state %d\n", (int)c->rs);
			abort();
		}
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	if (what & BEV_EVENT_CONNECTED) {
		int one = 1;
		setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		send_next(c);
		maybe_finish();
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		if (G.measuring)
			G.conn_errors++;
		if (G.conn_errors == 1 && (what & BEV_EVENT_ERROR))
			fprintf(stderr, "loadgen: connection %d: %s\n", c->index,
				evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		bufferevent_free(c->bev);
		c->bev = NULL;
		c->busy = false;
		G.open_conns--;
		if (G.running)
			conn_open(c); /* the fix in flight is lost; a tablet would resend it */
		maybe_finish();
	}
}

static void conn_open(struct conn *c)
{
	c->bev = bufferevent_socket_new(G.base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		fprintf(stderr, "loadgen: cannot make a connection\n");
		exit(1);
	}
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->busy = true; /* until connected and the first request is out */
	G.open_conns++;
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&G.addr, G.addrlen) != 0) {
		bufferevent_free(c->bev);
		c->bev = NULL;
		c->busy = false;
		G.open_conns--;
		G.conn_errors++;
	}
}

/* ---- set-up and report ---------------------------------------------------- */

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	if (arg == (void *)1) {           /* warm-up over */
		G.measuring = true;
		G.measure_us = mono_us();
	} else if (arg == (void *)2) {    /* time is up: let the requests in flight finish */
		G.running = false;
		G.stop_us = mono_us();
		maybe_finish();
	} else {                          /* a request never came back */
		event_base_loopexit(G.base, NULL);
	}
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	G.running = false;
	event_base_loopexit(G.base, NULL);
}

static void load_devices(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	int64_t base_ms = wall_ms() - G.backdate_s * 1000;

	if (!f) {
		fprintf(stderr, "loadgen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	base_ms -= base_ms % FIX_STEP_MS;
	while (fgets(line, sizeof line, f)) {
		char *id = strtok(line, " \t\r\n"), *tok = strtok(NULL, " \t\r\n");
		struct device *d;
		if (!id || id[0] == '#')
			continue;
		if (G.ndev == cap) {
			cap = cap ? cap * 2 : 256;
			G.devs = must(realloc(G.devs, cap * sizeof *G.devs));
		}
		d = &G.devs[G.ndev];
		d->id = must(strdup(id));
		d->token = tok ? must(strdup(tok)) : NULL;
		d->next_ms = base_ms;
		/* spread over the county, ~60 × 50 km around 30.0°N 104.6°E */
		d->lat = 29.775 + 0.45 * (double)((G.ndev * 7919) % 1000) / 1000.0;
		d->lon = 104.29 + 0.62 * (double)((G.ndev * 104729) % 1000) / 1000.0;
		d->heading = (double)((G.ndev * 37) % 360);
		G.ndev++;
	}
	fclose(f);
	if (G.ndev == 0) {
		fprintf(stderr, "loadgen: %s lists no device\n", path);
		exit(1);
	}
	if (G.mode == MODE_BATCH && !G.devs[0].token) {
		fprintf(stderr, "loadgen: batch mode needs \"device_id token\" lines in %s\n", path);
		exit(1);
	}
}

static int do_register(const char *url, const char *token, int count, const char *prefix,
		       const char *out)
{
	struct admin_client *ac = admin_open(url, token);
	FILE *f = fopen(out, "w");
	char code[64], dev[64], tok[256], err[256];

	if (!ac || !f) {
		fprintf(stderr, "loadgen: cannot start registering (%s)\n", out);
		return 1;
	}
	for (int i = 1; i <= count; i++) {
		int st;
		snprintf(code, sizeof code, "%s-%04d", prefix, i);
		snprintf(dev, sizeof dev, "%s-tab-%04d", prefix, i);
		st = admin_add_vehicle(ac, code, "benchmark bus", 30, 500, err, sizeof err);
		if (st != 201 && st != 409) {
			fprintf(stderr, "loadgen: vehicle %s: %s\n", code, err);
			return 1;
		}
		st = admin_add_device(ac, dev, code, tok, sizeof tok, err, sizeof err);
		if (st != 201) {
			fprintf(stderr, "loadgen: device %s: %s\n", dev, err);
			return 1;
		}
		fprintf(f, "%s %s\n", dev, tok);
	}
	admin_close(ac);
	if (fclose(f) != 0) {
		fprintf(stderr, "loadgen: %s: %s\n", out, strerror(errno));
		return 1;
	}
	printf("registered %d vehicles and tablets, tokens in %s\n", count, out);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: loadgen osmand|batch --target HOST:PORT --devices FILE\n"
		"         [--connections N] [--seconds S] [--warmup S] [--requests N]\n"
		"         [--batch N] [--backdate SECONDS]\n"
		"       loadgen register --url URL --token T --count N --prefix P --out FILE\n");
	exit(2);
}

static void report(void)
{
	double secs = (double)(G.last_done_us - G.measure_us) / 1e6;
	int64_t p50 = histogram_percentile(&G.latency, 0.50);
	int64_t p99 = histogram_percentile(&G.latency, 0.99);
	uint64_t non200 = G.requests - G.ok;

	if (secs <= 0)
		secs = 1e-9;
	printf("%s: %d connections, %.2f s measured, %" PRIu64 " requests (%.0f/s), "
	       "%" PRIu64 " fixes stored (%.0f/s)\n",
	       G.mode == MODE_OSMAND ? "osmand" : "batch", G.connections, secs, G.requests,
	       (double)G.requests / secs, G.fixes_stored, (double)G.fixes_stored / secs);
	char slowest[32] = "-";
	time_t at = (time_t)(G.slowest_sent_ms / 1000);
	struct tm tm;
	if (G.slowest_sent_ms && gmtime_r(&at, &tm))
		snprintf(slowest, sizeof slowest, "%02d:%02d:%02d.%03dZ", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (int)(G.slowest_sent_ms % 1000));
	printf("latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms (sent at %s)\n", (double)p50 / 1000.0,
	       (double)p99 / 1000.0, (double)G.latency.max_us / 1000.0, slowest);
	if (non200 || G.fixes_rejected || G.conn_errors || G.bad_replies) {
		printf("not 200: %" PRIu64 ", fixes rejected: %" PRIu64 ", connection errors: %" PRIu64
		       ", undecodable replies: %" PRIu64 "\n",
		       non200, G.fixes_rejected, G.conn_errors, G.bad_replies);
		for (int s = 0; s < MAX_STATUS; s++)
			if (s != 200 && G.status_count[s])
				printf("  HTTP %d: %" PRIu64 "\n", s, G.status_count[s]);
		if (G.first_reject[0])
			printf("  first refusal: %s\n", G.first_reject);
	}
	printf("RESULT mode=%s connections=%d seconds=%.3f requests=%" PRIu64 " rps=%.1f "
	       "fixes=%" PRIu64 " fps=%.1f p50_us=%" PRId64 " p99_us=%" PRId64 " max_us=%" PRId64
	       " non200=%" PRIu64 " rejected=%" PRIu64 " conn_errors=%" PRIu64 " bad_replies=%" PRIu64
	       " acked_all=%" PRIu64 " slowest_sent_ms=%" PRId64 "\n",
	       G.mode == MODE_OSMAND ? "osmand" : "batch", G.connections, secs, G.requests,
	       (double)G.requests / secs, G.fixes_stored, (double)G.fixes_stored / secs, p50, p99,
	       G.latency.max_us, non200, G.fixes_rejected, G.conn_errors, G.bad_replies, G.acked_all,
	       G.slowest_sent_ms);
}

int main(int argc, char **argv)
{
	const char *target = "127.0.0.1:8470", *devices = NULL, *url = NULL, *token = NULL;
	const char *prefix = "BENCH", *out = NULL;
	int count = 0;
	struct event *warm, *stop, *grace, *sig;
	struct timeval tv = { 0, 0 };

	if (argc < 2)
		usage();
	G.connections = 64;
	G.seconds = 10;
	G.batch = 500;
	G.backdate_s = 3600;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--target")) target = v;
		else if (!strcmp(a, "--devices")) devices = v;
		else if (!strcmp(a, "--connections")) G.connections = atoi(v);
		else if (!strcmp(a, "--seconds")) G.seconds = atoi(v);
		else if (!strcmp(a, "--warmup")) G.warmup = atoi(v);
		else if (!strcmp(a, "--requests")) G.max_requests = atol(v);
		else if (!strcmp(a, "--batch")) G.batch = atoi(v);
		else if (!strcmp(a, "--backdate")) G.backdate_s = atol(v);
		else if (!strcmp(a, "--url")) url = v;
		else if (!strcmp(a, "--token")) token = v;
		else if (!strcmp(a, "--count")) count = atoi(v);
		else if (!strcmp(a, "--prefix")) prefix = v;
		else if (!strcmp(a, "--out")) out = v;
		else usage();
	}
	if (!strcmp(argv[1], "register")) {
		if (!url || !token || count <= 0 || !out)
			usage();
		return do_register(url, token, count, prefix, out);
	}
	if (!strcmp(argv[1], "osmand"))
		G.mode = MODE_OSMAND;
	else if (!strcmp(argv[1], "batch"))
		G.mode = MODE_BATCH;
	else
		usage();
	if (!devices || G.connections <= 0 || G.seconds <= 0 || G.batch <= 0 || G.warmup < 0)
		usage();
	G.addrlen = (int)sizeof G.addr;
	if (evutil_parse_sockaddr_port(target, (struct sockaddr *)&G.addr, &G.addrlen) != 0) {
		fprintf(stderr, "loadgen: bad --target %s\n", target);
		return 2;
	}
	snprintf(G.host, sizeof G.host, "%s", target);
	load_devices(devices);
	signal(SIGPIPE, SIG_IGN);
	if (!histogram_init(&G.latency)) {
		fprintf(stderr, "loadgen: out of memory\n");
		return 1;
	}
	G.base = must(event_base_new());
	G.conns = must(calloc((size_t)G.connections, sizeof *G.conns));
	G.running = true;
	G.start_us = mono_us();
	G.measure_us = G.last_done_us = G.start_us;
	G.measuring = G.warmup == 0;
	for (int i = 0; i < G.connections; i++) {
		struct conn *c = &G.conns[i];
		c->index = i;
		c->cursor = (size_t)i % G.ndev;
		c->body = must(evbuffer_new());
		if (G.mode == MODE_BATCH) {
			c->fixes = must(calloc((size_t)G.batch, sizeof *c->fixes));
			c->fix_ptrs = must(calloc((size_t)G.batch, sizeof *c->fix_ptrs));
		}
		conn_open(c);
	}
	warm = evtimer_new(G.base, on_timer, (void *)1);
	stop = evtimer_new(G.base, on_timer, (void *)2);
	grace = evtimer_new(G.base, on_timer, (void *)3);
	sig = evsignal_new(G.base, SIGINT, on_signal, NULL);
	tv.tv_sec = G.warmup;
	if (G.warmup > 0)
		evtimer_add(warm, &tv);
	tv.tv_sec = G.warmup + G.seconds;
	evtimer_add(stop, &tv);
	tv.tv_sec = G.warmup + G.seconds + 30;
	evtimer_add(grace, &tv);
	evsignal_add(sig, NULL);
	event_base_dispatch(G.base);
	if (G.last_done_us <= G.measure_us)
		G.last_done_us = mono_us();
	for (size_t i = 0; i < G.ndev; i++)
		if (G.devs[i].next_ms > wall_ms()) {
			fprintf(stderr, "loadgen: fix times ran into the future: raise --backdate\n");
			break;
		}
	report();
	return G.requests > 0 ? 0 : 1;
}
