/*
 * booker.c — villagers booking their rides with jintongd; see booker.h.
 *
 * Requests are posted in the order they are asked (a share in protobuf), on
 * a handful of kept-alive connections (libevent's HTTP client queues further requests
 * on a busy one). A request's answer to an offer is drawn from the seed and
 * its id alone, so the same day gives the same answers however the replies
 * interleave. Times sent are the county's local time (UTC+8) with offset.
 */
#include "booker.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "county.h"
#include "jintong.pb-c.h"

#define COUNTY_UTC_OFFSET_S (8 * 3600)
#define REQUEST_TIMEOUT_S 30
#define REPLY_MAX (256 * 1024)

struct call {
	struct booker *b;
	size_t i;
	enum booker_step step; /* what the call was for */
};

struct booker {
	struct booker_opts o;
	const struct gen_county *c;
	const struct demandgen_list *l;
	struct booker_outcome *out;
	struct booker_counts counts;
	struct evhttp_connection **conn;
	size_t next;        /* first request not yet posted */
	size_t rr;          /* round robin over the connections */
	size_t in_flight;
	bool finished_told;
};

void booker_opts_default(struct booker_opts *o)
{
	memset(o, 0, sizeof *o);
	o->host = "127.0.0.1";
	o->port = 8470;
	o->decline_share = 0.08;
	o->expire_share = 0.04;
	o->protobuf_share = 0.2;
	o->connections = 4;
	o->seed = 1;
}

static double midnight_unix(jt_day day)
{
	return (double)day * 86400.0 - COUNTY_UTC_OFFSET_S;
}

static void local_text(jt_day day, int secs, char *buf, size_t len)
{
	char d[DATE_FORMAT_LEN];
	while (secs >= 86400) {
		secs -= 86400;
		day++;
	}
	while (secs < 0) {
		secs += 86400;
		day--;
	}
	date_format(day, d);
	snprintf(buf, len, "%sT%02d:%02d:%02d+08:00", d, secs / 3600, secs / 60 % 60, secs % 60);
}

static json_object *place_json(const struct gen_county *c, const struct demandgen_place *p)
{
	json_object *o = json_object_new_object();
	const char *code = demandgen_place_code(c, p);
	if (p->kind == DEMANDGEN_AT_VILLAGE && *code)
		json_object_object_add(o, "village", json_object_new_string(code));
	else if (p->kind == DEMANDGEN_AT_STOP && *code)
		json_object_object_add(o, "stop", json_object_new_string(code));
	else {
		json_object_object_add(o, "lat", json_object_new_double(round(p->lat * 1e6) / 1e6));
		json_object_object_add(o, "lon", json_object_new_double(round(p->lon * 1e6) / 1e6));
	}
	return o;
}

char *booker_request_json(const struct gen_county *c, const struct demandgen_request *q, jt_day day,
			  const char *client_ref)
{
	json_object *o = json_object_new_object();
	char t[48];
	json_object_object_add(o, "rider", json_object_new_string(q->rider));
	if (client_ref && *client_ref)
		json_object_object_add(o, "client_ref", json_object_new_string(client_ref));
	json_object_object_add(o, "from", place_json(c, &q->from));
	json_object_object_add(o, "to", place_json(c, &q->to));
	local_text(day, q->time_s, t, sizeof t);
	json_object_object_add(o, q->arrive_by ? "arrive_by" : "leave_after", json_object_new_string(t));
	json_object_object_add(o, "passengers", json_object_new_int(q->passengers));
	if (q->parcels_l > 0)
		json_object_object_add(o, "parcels_l", json_object_new_int(q->parcels_l));
	if (q->wheelchair)
		json_object_object_add(o, "wheelchair", json_object_new_boolean(true));
	char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (!s)
		abort();
	return s;
}

static void place_pb(const struct gen_county *c, const struct demandgen_place *p, Jintong__Place *out)
{
	const char *code = demandgen_place_code(c, p);
	if (p->kind == DEMANDGEN_AT_VILLAGE && *code) {
		out->village = (char *)code;
	} else if (p->kind == DEMANDGEN_AT_STOP && *code) {
		out->stop = (char *)code;
	} else {
		out->has_lat = out->has_lon = 1;
		out->lat = round(p->lat * 1e6) / 1e6;
		out->lon = round(p->lon * 1e6) / 1e6;
	}
}

uint8_t *booker_request_pb(const struct gen_county *c, const struct demandgen_request *q, jt_day day,
			   const char *client_ref, size_t *len)
{
	Jintong__RideRequest m = JINTONG__RIDE_REQUEST__INIT;
	Jintong__Place from = JINTONG__PLACE__INIT, to = JINTONG__PLACE__INIT;
	char t[48], rider[sizeof q->rider], ref[64];
	snprintf(rider, sizeof rider, "%s", q->rider);
	snprintf(ref, sizeof ref, "%s", client_ref ? client_ref : "");
	m.rider = rider;
	if (ref[0])
		m.client_ref = ref;
	place_pb(c, &q->from, &from);
	place_pb(c, &q->to, &to);
	m.from = &from;
	m.to = &to;
	local_text(day, q->time_s, t, sizeof t);
	if (q->arrive_by)
		m.arrive_by = t;
	else
		m.leave_after = t;
	m.has_passengers = 1;
	m.passengers = (uint32_t)q->passengers;
	m.has_parcels_l = q->parcels_l > 0;
	m.parcels_l = (uint32_t)q->parcels_l;
	m.has_wheelchair = q->wheelchair;
	m.wheelchair = q->wheelchair;
	*len = jintong__ride_request__get_packed_size(&m);
	uint8_t *buf = malloc(*len + 1);
	if (!buf)
		abort();
	jintong__ride_request__pack(&m, buf);
	return buf;
}

struct booker *booker_new(const struct booker_opts *o, const struct gen_county *c, const struct demandgen_list *l)
{
	struct booker *b = calloc(1, sizeof *b);
	if (!b)
		abort();
	b->o = *o;
	if (b->o.connections < 1)
		b->o.connections = 1;
	b->c = c;
	b->l = l;
	b->out = calloc(l->n + 1, sizeof *b->out);
	b->conn = calloc((size_t)b->o.connections, sizeof *b->conn);
	if (!b->out || !b->conn)
		abort();
	b->counts.requests = l->n;
	for (size_t i = 0; i < l->n; i++) {
		struct rng r;
		rng_seed(&r, o->seed * 0x9E3779B97F4A7C15ull + (uint64_t)l->r[i].id * 0xBF58476D1CE4E5B9ull + 1);
		double u = rng_uniform(&r);
		b->out[i].answer = u < o->decline_share ? BOOKER_DECLINE :
				   u < o->decline_share + o->expire_share ? BOOKER_LET_EXPIRE : BOOKER_CONFIRM;
		b->out[i].wait_s = NAN;
		b->out[i].protobuf = rng_uniform(&r) < o->protobuf_share;
	}
	return b;
}

void booker_free(struct booker *b)
{
	if (!b)
		return;
	for (int k = 0; k < b->o.connections; k++)
		if (b->conn[k])
			evhttp_connection_free(b->conn[k]);
	free(b->conn);
	free(b->out);
	free(b);
}

static struct evhttp_connection *connection(struct booker *b)
{
	size_t k = b->rr++ % (size_t)b->o.connections;
	if (!b->conn[k]) {
		b->conn[k] = evhttp_connection_base_new(b->o.base, NULL, b->o.host, (unsigned short)b->o.port);
		if (!b->conn[k])
			abort();
		evhttp_connection_set_timeout(b->conn[k], REQUEST_TIMEOUT_S);
		evhttp_connection_set_retries(b->conn[k], 1);
	}
	return b->conn[k];
}

static void finish(struct booker *b, size_t i)
{
	b->out[i].step = BOOKER_DONE;
	b->counts.answered++;
	if (!b->finished_told && booker_finished(b) && b->o.done) {
		b->finished_told = true;
		b->o.done(b->o.done_ctx);
	}
}

static void on_reply(struct evhttp_request *req, void *arg);

static void send_call(struct booker *b, size_t i, enum evhttp_cmd_type method, const char *path, const void *body,
		      size_t len, const char *type, enum booker_step step)
{
	struct call *cl = malloc(sizeof *cl);
	if (!cl)
		abort();
	*cl = (struct call){ b, i, step };
	struct evhttp_request *req = evhttp_request_new(on_reply, cl);
	if (!req)
		abort();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char auth[400], host[160];
	snprintf(auth, sizeof auth, "Bearer %s", b->o.token ? b->o.token : "");
	snprintf(host, sizeof host, "%s:%d", b->o.host, b->o.port);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "User-Agent", "jintong-sim booking");
	if (body) {
		evhttp_add_header(h, "Content-Type", type);
		evbuffer_add(evhttp_request_get_output_buffer(req), body, len);
	}
	b->out[i].step = step;
	b->in_flight++;
	if (evhttp_make_request(connection(b), req, method, path) != 0) {
		/* libevent has freed req */
		b->in_flight--;
		snprintf(b->out[i].error, sizeof b->out[i].error, "the request could not be made");
		b->counts.failed++;
		free(cl);
		finish(b, i);
	}
}

static void on_offer(struct booker *b, size_t i)
{
	struct booker_outcome *x = &b->out[i];
	const struct demandgen_request *q = &b->l->r[i];
	double midnight = midnight_unix(b->o.day);
	if (x->ride.offer == BOOKREPLY_SEAT)
		b->counts.seats++;
	else
		b->counts.vans++;
	if (!q->arrive_by && x->ride.pickup_from > 0)
		x->wait_s = (double)x->ride.pickup_from / 1000.0 - (midnight + q->time_s);
	else if (q->arrive_by && x->ride.dropoff_at > 0)
		x->wait_s = midnight + q->time_s - (double)x->ride.dropoff_at / 1000.0;
	if (isfinite(x->wait_s)) {
		b->counts.wait_sum_s += x->wait_s;
		b->counts.waits++;
	}
	if (x->answer == BOOKER_LET_EXPIRE) {
		b->counts.left_to_expire++;
		finish(b, i);
		return;
	}
	char path[96];
	snprintf(path, sizeof path, "/v1/rides/%s/%s", x->ride.id, x->answer == BOOKER_DECLINE ? "cancel" : "confirm");
	send_call(b, i, EVHTTP_REQ_POST, path, NULL, 0, NULL,
		  x->answer == BOOKER_DECLINE ? BOOKER_DECLINING : BOOKER_CONFIRMING);
}

static void on_reply(struct evhttp_request *req, void *arg)
{
	struct call *cl = arg;
	struct booker *b = cl->b;
	size_t i = cl->i;
	enum booker_step step = cl->step;
	free(cl);
	b->in_flight--;
	struct booker_outcome *x = &b->out[i];
	int code = req ? evhttp_request_get_response_code(req) : 0;
	char body[REPLY_MAX + 1];
	size_t len = 0;
	if (req) {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		len = evbuffer_get_length(in);
		len = len > REPLY_MAX ? REPLY_MAX : len;
		evbuffer_copyout(in, body, len);
	}
	body[len] = '\0';
	if (step == BOOKER_POSTED)
		x->status = code;
	struct bookreply r;
	char err[160];
	/* a booking in protobuf is answered in protobuf; confirmations and cancellations in JSON */
	bool pb = step == BOOKER_POSTED && x->protobuf;
	if (code < 200 || code > 299 ||
	    (pb ? bookreply_parse_pb((const uint8_t *)body, len, &r, err, sizeof err)
		: bookreply_parse(body, len, &r, err, sizeof err)) != 0) {
		if (code == 0)
			snprintf(x->error, sizeof x->error, "no answer from the daemon");
		else if (code < 200 || code > 299)
			snprintf(x->error, sizeof x->error, "HTTP %d: %.120s", code, body[0] == '{' ? body : "(not JSON)");
		else
			snprintf(x->error, sizeof x->error, "%s", err);
		b->counts.failed++;
		finish(b, i);
		return;
	}
	x->ride = r;
	if (step == BOOKER_POSTED) {
		if (strcmp(r.state, "refused") == 0) {
			b->counts.refused++;
			finish(b, i);
		} else if (r.offer != BOOKREPLY_NONE) {
			x->step = BOOKER_OFFERED;
			on_offer(b, i);
		} else {
			snprintf(x->error, sizeof x->error, "a ride %s without an offer", r.state);
			b->counts.failed++;
			finish(b, i);
		}
		return;
	}
	b->counts.confirmed += step == BOOKER_CONFIRMING;
	b->counts.declined += step == BOOKER_DECLINING;
	finish(b, i);
}

void booker_pump(struct booker *b)
{
	double now = b->o.clock ? b->o.clock(b->o.clock_ctx) : INFINITY;
	double midnight = midnight_unix(b->o.day);
	while (b->next < b->l->n && midnight + b->l->r[b->next].made_s <= now) {
		size_t i = b->next++;
		char ref[64];
		snprintf(ref, sizeof ref, "dg-%llu-%d-%d", (unsigned long long)b->o.seed, (int)b->o.day, b->l->r[i].id);
		b->counts.posted++;
		if (b->out[i].protobuf) {
			size_t len;
			uint8_t *body = booker_request_pb(b->c, &b->l->r[i], b->o.day, ref, &len);
			send_call(b, i, EVHTTP_REQ_POST, "/v1/rides", body, len, "application/x-protobuf", BOOKER_POSTED);
			free(body);
		} else {
			char *body = booker_request_json(b->c, &b->l->r[i], b->o.day, ref);
			send_call(b, i, EVHTTP_REQ_POST, "/v1/rides", body, strlen(body), "application/json", BOOKER_POSTED);
			free(body);
		}
	}
	if (!b->finished_told && booker_finished(b) && b->o.done) {
		b->finished_told = true;
		b->o.done(b->o.done_ctx);
	}
}

bool booker_finished(const struct booker *b)
{
	return b->counts.answered >= b->l->n;
}

const struct booker_counts *booker_counts(const struct booker *b)
{
	return &b->counts;
}

const struct booker_outcome *booker_outcome(const struct booker *b, size_t i)
{
	return i < b->l->n ? &b->out[i] : NULL;
}

void booker_progress(const struct booker *b, char *buf, size_t len)
{
	const struct booker_counts *k = &b->counts;
	snprintf(buf, len, "bookings %zu/%zu asked: %zu seats, %zu vans, %zu refused, %zu failed; mean wait %.0f min",
		 k->posted, k->requests, k->seats, k->vans, k->refused, k->failed,
		 k->waits ? k->wait_sum_s / (double)k->waits / 60 : 0.0);
}

void booker_write_outcomes(const struct booker *b, FILE *out)
{
	static const char *const answers[] = { "confirm", "decline", "let_expire" };
	for (size_t i = 0; i < b->l->n; i++) {
		const struct booker_outcome *x = &b->out[i];
		const struct demandgen_request *q = &b->l->r[i];
		const char *what = x->step != BOOKER_DONE ? "pending" :
				   x->error[0] ? "failed" :
				   x->ride.offer == BOOKREPLY_SEAT ? "seat" :
				   x->ride.offer == BOOKREPLY_VAN ? "van" : "refused";
		fprintf(out, "%d %s %s %s %s %s %lld %lld %.0f %s %s\n", q->id, q->rider, what,
			x->ride.id[0] ? x->ride.id : "-", x->ride.state[0] ? x->ride.state : "-", answers[x->answer],
			(long long)x->ride.pickup_from, (long long)x->ride.pickup_to, isfinite(x->wait_s) ? x->wait_s : -1.0,
			x->ride.offer == BOOKREPLY_SEAT ? x->ride.trip : x->ride.offer == BOOKREPLY_VAN ? x->ride.vehicle : "-",
			x->protobuf ? "protobuf" : "json");
	}
}
