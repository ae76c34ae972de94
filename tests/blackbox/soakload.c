/*
 * soakload.c — the province's tablets and booking front ends on one
 * libevent loop (see soak.h), and the checks of what they were told was
 * stored against the database afterwards.
 *
 * A tablet's fixes:  made ──> owed ──> in flight ─┬─> acknowledged (stored)
 *                              ^                  ├─> rejected (dropped)
 *                              └── a second later ┴── 503, 429, no answer
 */
#include "soak.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jintong.pb-c.h"
#include "util.h"

#define TICK_MS 5
#define RETRY_MS 1000
#define M_PER_DEG_LAT 111195.0
#define BOOK_DUE_MAX 200000

/* The share of a day's bookings asked in each hour: quiet nights, a morning peak, a smaller afternoon one. */
static const double hour_share[24] = {
	0.001, 0.001, 0.001, 0.001, 0.001, 0.020, 0.070, 0.130, 0.110, 0.080, 0.060, 0.060,
	0.060, 0.060, 0.060, 0.070, 0.080, 0.060, 0.040, 0.030, 0.012, 0.001, 0.001, 0.001,
};

struct owed_fix {
	uint64_t seq;
	int64_t time_ms;
	int64_t made_us;   /* monotonic, for the latency */
	double lat, lon;
};

struct tablet {
	struct soak *s;
	size_t index;
	bool osmand, waiting, queued;   /* waiting: retry timer running */
	double lat, lon, heading;
	uint64_t next_seq;
	int64_t last_ms;
	struct owed_fix owed[SOAK_OWED];
	int nowed, nsent;
	int64_t *acked;                  /* fix times acknowledged, for the database check */
	size_t nacked, cap;
};

struct fconn {
	struct soak *s;
	int index;
	struct evhttp_connection *ec;
	size_t *queue;                   /* tablets with something to send */
	size_t qhead, qlen, qcap;
	struct tablet *cur;              /* in flight */
	size_t burst_next;               /* next of its own tablets in a burst */
};

struct bconn {
	struct soak *s;
	struct evhttp_connection *ec;
	bool busy;
	int64_t due_us;
	uint64_t n;
};

struct soak {
	struct soak_opts o;
	const struct province *p;
	struct event_base *base;
	struct tablet *tab;
	size_t ntab;
	struct fconn *fc;
	struct bconn *bc;
	struct soak_counts c;
	struct histogram fix_all, fix_win, book_all, book_win;
	uint64_t rng;
	int64_t start_us, cycle_us;      /* current interval's start */
	size_t cursor;                   /* next tablet to make a fix */
	int64_t next_booking_us;
	int64_t *book_due;               /* arrival times of bookings not yet sent */
	size_t bd_head, bd_len;
	bool making, burst_fixes, burst_bookings;
	char **ride_ids;
	size_t nrides, rides_cap;
	char auth[320];
	char hostport[80];
};

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

static double uniform(struct soak *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static void fconn_next(struct fconn *c);
static void tablet_send(struct fconn *c, struct tablet *tb);

static struct evhttp_connection *connect_to(struct soak *s)
{
	struct evhttp_connection *ec = evhttp_connection_base_new(s->base, NULL, s->o.host, (ev_uint16_t)s->o.port);
	evhttp_connection_set_timeout(ec, 60);
	return ec;
}

static void enqueue(struct tablet *tb)
{
	struct soak *s = tb->s;
	struct fconn *c = &s->fc[tb->index % (size_t)s->o.connections];
	if (tb->queued || tb->waiting || c->cur == tb || tb->nowed == 0)
		return;
	c->queue[(c->qhead + c->qlen++) % c->qcap] = tb->index;
	tb->queued = true;
	if (!c->cur)
		fconn_next(c);
}

/* A tablet records where it is: a few tens of metres on from its last fix. */
static void make_fix(struct tablet *tb)
{
	struct soak *s = tb->s;
	s->c.made++;
	if (tb->nowed == SOAK_OWED) {
		/* its memory is full: the oldest not in flight is lost (counted, and a failure) */
		s->c.dropped++;
		if (tb->nsent == tb->nowed)
			return;
		int k = tb->nsent;
		memmove(&tb->owed[k], &tb->owed[k + 1], (size_t)(tb->nowed - k - 1) * sizeof tb->owed[0]);
		tb->nowed--;
	}
	double step = 20 + uniform(s) * 25; /* metres in one interval of 5 s: 15-30 km/h */
	tb->heading += (uniform(s) - 0.5) * 0.6;
	tb->lat += step * cos(tb->heading) / M_PER_DEG_LAT;
	tb->lon += step * sin(tb->heading) / (M_PER_DEG_LAT * cos(tb->lat * M_PI / 180.0));
	int64_t t = soak_clock_ms(s);
	if (t <= tb->last_ms)
		t = tb->last_ms + 1;
	tb->last_ms = t;
	tb->owed[tb->nowed++] = (struct owed_fix){ tb->next_seq++, t, mono_us(), tb->lat, tb->lon };
	enqueue(tb);
}

static void acknowledged(struct tablet *tb, int k, int64_t now)
{
	struct soak *s = tb->s;
	int64_t us = now - tb->owed[k].made_us;
	histogram_record(&s->fix_all, us);
	histogram_record(&s->fix_win, us);
	s->c.acked++;
	tb->acked = xgrow(tb->acked, &tb->cap, tb->nacked + 1, sizeof *tb->acked);
	tb->acked[tb->nacked++] = tb->owed[k].time_ms;
}

static void retry_later(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct tablet *tb = arg;
	tb->waiting = false;
	enqueue(tb);
}

/* Removes the sent fixes marked in `gone` from what the tablet owes. */
static void settle(struct tablet *tb, const bool *gone)
{
	int w = 0;
	for (int k = 0; k < tb->nowed; k++)
		if (k >= tb->nsent || !gone[k])
			tb->owed[w++] = tb->owed[k];
	tb->nowed = w;
	tb->nsent = 0;
}

static void fix_answered(struct evhttp_request *req, void *arg)
{
	struct fconn *c = arg;
	struct soak *s = c->s;
	struct tablet *tb = c->cur;
	int64_t now = mono_us();
	int status = req ? evhttp_request_get_response_code(req) : 0;
	bool gone[SOAK_OWED] = { false };
	c->cur = NULL;
	if (status == 200 && !tb->osmand) {
		struct evbuffer *b = evhttp_request_get_input_buffer(req);
		size_t len = evbuffer_get_length(b);
		Jintong__FixBatchReply *r =
			jintong__fix_batch_reply__unpack(NULL, len, evbuffer_pullup(b, (ev_ssize_t)len));
		if (!r) {
			s->c.other++;
		} else {
			s->c.ok++;
			for (size_t i = 0; i < r->n_stored; i++)
				for (int k = 0; k < tb->nsent; k++)
					if (!gone[k] && tb->owed[k].seq == r->stored[i]) {
						gone[k] = true;
						acknowledged(tb, k, now);
					}
			for (size_t i = 0; i < r->n_rejected; i++)
				for (int k = 0; k < tb->nsent; k++)
					if (!gone[k] && tb->owed[k].seq == r->rejected[i]->seq) {
						gone[k] = true;
						s->c.rejected++;
						if (s->c.rejected <= 3)
							fprintf(stderr, "soak: fix rejected: %s (%s)\n", r->rejected[i]->reason,
								r->rejected[i]->detail ? r->rejected[i]->detail : "");
					}
			jintong__fix_batch_reply__free_unpacked(r, NULL);
		}
	} else if (status == 200) {
		s->c.ok++;
		gone[0] = true;
		acknowledged(tb, 0, now);
	} else if (status == 503 || status == 429 || status == 0) {
		if (status == 503)
			s->c.unavailable++;
		else if (status == 429)
			s->c.limited++;
		else {
			s->c.failed++;
			evhttp_connection_free(c->ec);
			c->ec = connect_to(s);
		}
		settle(tb, gone);
		tb->waiting = true;
		struct timeval tv = { RETRY_MS / 1000, (RETRY_MS % 1000) * 1000 };
		event_base_once(s->base, -1, EV_TIMEOUT, retry_later, tb, &tv);
		fconn_next(c);
		return;
	} else {
		/* refused outright: resending would not help */
		s->c.other++;
		if (s->c.other <= 3) {
			struct evbuffer *b = evhttp_request_get_input_buffer(req);
			size_t len = evbuffer_get_length(b);
			fprintf(stderr, "soak: a tablet's request answered %d: %.*s\n", status, (int)(len > 200 ? 200 : len),
				(const char *)evbuffer_pullup(b, (ev_ssize_t)len));
		}
		for (int k = 0; k < tb->nsent; k++)
			gone[k] = true;
	}
	settle(tb, gone);
	enqueue(tb);
	fconn_next(c);
}

static void tablet_send(struct fconn *c, struct tablet *tb)
{
	struct soak *s = c->s;
	c->cur = tb;
	struct evhttp_request *req = evhttp_request_new(fix_answered, c);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", s->hostport);
	s->c.requests++;
	if (tb->osmand) {
		const struct owed_fix *f = &tb->owed[0];
		tb->nsent = 1;
		char uri[256];
		snprintf(uri, sizeof uri, "/?id=%s&lat=%.6f&lon=%.6f&timestamp=%lld&speed=%.1f&bearing=%.0f&accuracy=8&batt=71",
			 s->p->tablets[tb->index].ext_id, f->lat, f->lon, (long long)f->time_ms, 9.7,
			 fmod(tb->heading * 180.0 / M_PI + 720.0, 360.0));
		if (evhttp_make_request(c->ec, req, EVHTTP_REQ_GET, uri) != 0)
			fix_answered(NULL, c);
		return;
	}
	tb->nsent = tb->nowed;
	Jintong__Fix fixes[SOAK_OWED], *ptrs[SOAK_OWED];
	for (int k = 0; k < tb->nsent; k++) {
		jintong__fix__init(&fixes[k]);
		fixes[k].has_seq = fixes[k].has_time_ms = fixes[k].has_lat = fixes[k].has_lon = 1;
		fixes[k].seq = tb->owed[k].seq;
		fixes[k].time_ms = tb->owed[k].time_ms;
		fixes[k].lat = tb->owed[k].lat;
		fixes[k].lon = tb->owed[k].lon;
		fixes[k].has_speed_mps = fixes[k].has_accuracy_m = 1;
		fixes[k].speed_mps = 5.0f;
		fixes[k].accuracy_m = 6.0f;
		ptrs[k] = &fixes[k];
	}
	Jintong__FixBatch fb = JINTONG__FIX_BATCH__INIT;
	fb.fixes = ptrs;
	fb.n_fixes = (size_t)tb->nsent;
	uint8_t buf[SOAK_OWED * 64];
	size_t len = jintong__fix_batch__pack(&fb, buf);
	char auth[80];
	snprintf(auth, sizeof auth, "Bearer %s", s->p->tablets[tb->index].token);
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "Content-Type", "application/x-protobuf");
	evbuffer_add(evhttp_request_get_output_buffer(req), buf, len);
	if (evhttp_make_request(c->ec, req, EVHTTP_REQ_POST, "/v1/fixes") != 0)
		fix_answered(NULL, c);
}

static void fconn_next(struct fconn *c)
{
	struct soak *s = c->s;
	while (!c->cur && c->qlen) {
		struct tablet *tb = &s->tab[c->queue[c->qhead]];
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
		tb->queued = false;
		if (tb->nowed && !tb->waiting)
			tablet_send(c, tb);
	}
	if (!c->cur && s->burst_fixes) {
		/* the connection's own tablets in turn, each with a fix made now */
		size_t per = (s->ntab + (size_t)s->o.connections - 1) / (size_t)s->o.connections;
		for (size_t tries = 0; tries < per && !c->cur; tries++) {
			size_t i = (size_t)c->index + (c->burst_next++ % per) * (size_t)s->o.connections;
			if (i < s->ntab && !s->tab[i].waiting && !s->tab[i].queued)
				make_fix(&s->tab[i]);
		}
	}
}

/* ---- bookings ---------------------------------------------------------- */

static void bconn_next(struct bconn *c);

static void book_answered(struct evhttp_request *req, void *arg)
{
	struct bconn *c = arg;
	struct soak *s = c->s;
	int64_t us = mono_us() - c->due_us;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	c->busy = false;
	if (status == 200 || status == 201) {
		struct evbuffer *b = evhttp_request_get_input_buffer(req);
		size_t len = evbuffer_get_length(b);
		char *text = xstrndup((const char *)evbuffer_pullup(b, (ev_ssize_t)len), len);
		struct json_object *o = json_tokener_parse(text), *id, *state, *offer, *kind;
		if (o && json_object_object_get_ex(o, "id", &id) && json_object_object_get_ex(o, "state", &state)) {
			histogram_record(&s->book_all, us);
			histogram_record(&s->book_win, us);
			s->c.booked++;
			s->ride_ids = xgrow(s->ride_ids, &s->rides_cap, s->nrides + 1, sizeof *s->ride_ids);
			s->ride_ids[s->nrides++] = xstrdup(json_object_get_string(id));
			const char *st = json_object_get_string(state);
			if (strcmp(st, "refused") == 0)
				s->c.refused++;
			else if (json_object_object_get_ex(o, "offer", &offer) &&
				 json_object_object_get_ex(offer, "kind", &kind) &&
				 strcmp(json_object_get_string(kind), "seat") == 0)
				s->c.seat++;
			else
				s->c.van++;
		} else {
			s->c.book_other++;
		}
		json_object_put(o);
		free(text);
	} else {
		if (status == 0) {
			s->c.book_failed++;
			evhttp_connection_free(c->ec);
			c->ec = connect_to(s);
		} else {
			s->c.book_other++;
			if (s->c.book_other <= 3 && req) {
				struct evbuffer *b = evhttp_request_get_input_buffer(req);
				size_t len = evbuffer_get_length(b);
				fprintf(stderr, "soak: a booking answered %d: %.*s\n", status, (int)(len > 300 ? 300 : len),
					(const char *)evbuffer_pullup(b, (ev_ssize_t)len));
			}
		}
	}
	bconn_next(c);
}

static void book_send(struct bconn *c, int64_t due_us)
{
	struct soak *s = c->s;
	const struct province *p = s->p;
	size_t a = (size_t)(uniform(s) * (double)p->nstops), b = a;
	/* somewhere within 20 km: most rides stay in their township or go to the county seat */
	for (int tries = 0; tries < 200; tries++) {
		size_t j = (size_t)(uniform(s) * (double)p->nstops);
		double dy = (p->stops[j].lat - p->stops[a].lat) * M_PER_DEG_LAT;
		double dx = (p->stops[j].lon - p->stops[a].lon) * M_PER_DEG_LAT * cos(p->stops[a].lat * M_PI / 180.0);
		double d = hypot(dx, dy);
		if (j != a && d > 1500 && d < 20000) {
			b = j;
			break;
		}
	}
	double lead = uniform(s) < 0.4 ? 600 + uniform(s) * 3000 : 3600 + uniform(s) * 4 * 3600;
	double at = soak_profile_time(s) + lead;
	if (at < 6.25 * 3600)
		at = 6.25 * 3600 + uniform(s) * 3600;
	if (at > 21 * 3600)
		at = 21 * 3600 - uniform(s) * 7200;
	int minute = (int)(at / 60);
	/* the county's date now (UTC+8) */
	time_t county = (time_t)(soak_clock_ms(s) / 1000 + 8 * 3600);
	struct tm tm;
	gmtime_r(&county, &tm);
	char day[16];
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	double j = 300.0 / M_PER_DEG_LAT;
	char body[512];
	int n = snprintf(body, sizeof body,
			 "{\"rider\":\"soak-%" PRIu64 "\",\"from\":{\"lat\":%.6f,\"lon\":%.6f},"
			 "\"to\":{\"lat\":%.6f,\"lon\":%.6f},\"leave_after\":\"%sT%02d:%02d:00\",\"confirm\":true}",
			 s->c.book_due, p->stops[a].lat + (uniform(s) - 0.5) * j, p->stops[a].lon + (uniform(s) - 0.5) * j,
			 p->stops[b].lat + (uniform(s) - 0.5) * j, p->stops[b].lon + (uniform(s) - 0.5) * j, day,
			 minute / 60, minute % 60);
	struct evhttp_request *req = evhttp_request_new(book_answered, c);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", s->hostport);
	evhttp_add_header(h, "Authorization", s->auth);
	evhttp_add_header(h, "Content-Type", "application/json");
	evbuffer_add(evhttp_request_get_output_buffer(req), body, (size_t)n);
	c->busy = true;
	c->due_us = due_us;
	c->n++;
	if (evhttp_make_request(c->ec, req, EVHTTP_REQ_POST, "/v1/rides") != 0)
		book_answered(NULL, c);
}

static void bconn_next(struct bconn *c)
{
	struct soak *s = c->s;
	if (c->busy)
		return;
	if (s->bd_len) {
		int64_t due = s->book_due[s->bd_head];
		s->bd_head = (s->bd_head + 1) % BOOK_DUE_MAX;
		s->bd_len--;
		book_send(c, due);
	} else if (s->burst_bookings) {
		s->c.book_due++;
		book_send(c, mono_us());
	}
}

static void booking_arrives(struct soak *s, int64_t at)
{
	s->c.book_due++;
	if (s->bd_len == BOOK_DUE_MAX)
		return; /* counted as due, never sent: shows as bookings not answered */
	s->book_due[(s->bd_head + s->bd_len++) % BOOK_DUE_MAX] = at;
	for (int i = 0; i < s->o.booking_connections; i++)
		if (!s->bc[i].busy) {
			bconn_next(&s->bc[i]);
			break;
		}
}

int64_t soak_clock_ms(const struct soak *s)
{
	return s->o.clock_start_ms + (int64_t)((double)(wall_ms() - s->o.clock_anchor_ms) * s->o.speedup);
}

double soak_profile_time(const struct soak *s)
{
	return fmod((double)soak_clock_ms(s) / 1000.0 + 8 * 3600, 86400.0);
}

double soak_booking_rate(const struct soak *s)
{
	int hour = (int)(soak_profile_time(s) / 3600.0) % 24;
	return s->o.bookings_per_day * hour_share[hour] / 3600.0 * s->o.speedup;
}

double soak_booking_peak(const struct soak *s)
{
	double m = 0;
	for (int h = 0; h < 24; h++)
		if (hour_share[h] > m)
			m = hour_share[h];
	return s->o.bookings_per_day * m / 3600.0 * s->o.speedup;
}

/* ---- the loop ------------------------------------------------------------ */

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct soak *s = arg;
	int64_t now = mono_us();
	if (s->making) {
		int64_t interval = s->o.interval_ms * 1000;
		for (;;) {
			int64_t due = s->cycle_us + (int64_t)((double)interval * (double)s->cursor / (double)s->ntab);
			if (due > now)
				break;
			make_fix(&s->tab[s->cursor]);
			if (++s->cursor == s->ntab) {
				s->cursor = 0;
				s->cycle_us += interval;
			}
		}
		while (s->next_booking_us <= now) {
			double rate = soak_booking_rate(s);
			if (rate > 0)
				booking_arrives(s, s->next_booking_us);
			double gap = rate > 0 ? -log(1.0 - uniform(s)) / rate : 1.0;
			s->next_booking_us += (int64_t)(gap * 1e6) + 1;
		}
	}
	for (int i = 0; i < s->o.booking_connections; i++)
		bconn_next(&s->bc[i]);
}

struct soak *soak_new(const struct soak_opts *o, const struct province *p)
{
	struct soak *s = xcalloc(1, sizeof *s);
	s->o = *o;
	s->p = p;
	s->rng = o->seed * 0x9e3779b97f4a7c15ULL + 7;
	s->base = event_base_new();
	snprintf(s->auth, sizeof s->auth, "Bearer %s", o->op_token);
	snprintf(s->hostport, sizeof s->hostport, "%s:%d", o->host, o->port);
	if (!histogram_init(&s->fix_all) || !histogram_init(&s->fix_win) || !histogram_init(&s->book_all) ||
	    !histogram_init(&s->book_win)) {
		fprintf(stderr, "soak: no memory for the histograms\n");
		exit(1);
	}
	s->ntab = p->ntablets;
	s->tab = xcalloc(s->ntab, sizeof *s->tab);
	for (size_t i = 0; i < s->ntab; i++) {
		struct tablet *tb = &s->tab[i];
		tb->s = s;
		tb->index = i;
		tb->osmand = uniform(s) < o->osmand_share;
		tb->lat = p->stops[p->tablets[i].home].lat;
		tb->lon = p->stops[p->tablets[i].home].lon;
		tb->heading = uniform(s) * 2 * M_PI;
		tb->next_seq = 1;
	}
	s->fc = xcalloc((size_t)o->connections, sizeof *s->fc);
	size_t per = s->ntab / (size_t)o->connections + 2;
	for (int i = 0; i < o->connections; i++) {
		s->fc[i] = (struct fconn){ .s = s, .index = i, .ec = connect_to(s), .qcap = per };
		s->fc[i].queue = xcalloc(per, sizeof *s->fc[i].queue);
	}
	s->bc = xcalloc((size_t)o->booking_connections, sizeof *s->bc);
	for (int i = 0; i < o->booking_connections; i++)
		s->bc[i] = (struct bconn){ .s = s, .ec = connect_to(s) };
	s->book_due = xcalloc(BOOK_DUE_MAX, sizeof *s->book_due);
	s->start_us = s->cycle_us = s->next_booking_us = mono_us();
	return s;
}

void soak_free(struct soak *s)
{
	for (int i = 0; i < s->o.connections; i++) {
		evhttp_connection_free(s->fc[i].ec);
		free(s->fc[i].queue);
	}
	for (int i = 0; i < s->o.booking_connections; i++)
		evhttp_connection_free(s->bc[i].ec);
	for (size_t i = 0; i < s->ntab; i++)
		free(s->tab[i].acked);
	for (size_t i = 0; i < s->nrides; i++)
		free(s->ride_ids[i]);
	free(s->ride_ids);
	free(s->tab);
	free(s->fc);
	free(s->bc);
	free(s->book_due);
	histogram_free(&s->fix_all);
	histogram_free(&s->fix_win);
	histogram_free(&s->book_all);
	histogram_free(&s->book_win);
	event_base_free(s->base);
	free(s);
}

struct window {
	struct soak *s;
	void (*report)(struct soak *, void *);
	void *arg;
};

static void window_due(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct window *w = arg;
	w->report(w->s, w->arg);
}

static void stop_loop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

static void loop_for(struct soak *s, long ms, long window_ms, struct window *w)
{
	struct event *t = event_new(s->base, -1, EV_PERSIST, tick, s);
	struct timeval tv = { 0, TICK_MS * 1000 };
	event_add(t, &tv);
	struct event *rep = NULL;
	if (w) {
		rep = event_new(s->base, -1, EV_PERSIST, window_due, w);
		struct timeval wv = { window_ms / 1000, (window_ms % 1000) * 1000 };
		event_add(rep, &wv);
	}
	struct event *end = evtimer_new(s->base, stop_loop, s->base);
	struct timeval ev = { ms / 1000, (ms % 1000) * 1000 };
	evtimer_add(end, &ev);
	event_base_dispatch(s->base);
	event_free(end);
	if (rep)
		event_free(rep);
	event_free(t);
}

void soak_run(struct soak *s, long ms, long window_ms, void (*report)(struct soak *, void *), void *arg)
{
	s->making = true;
	struct window w = { s, report, arg };
	loop_for(s, ms, window_ms, report ? &w : NULL);
}

void soak_burst(struct soak *s, bool fixes, long ms)
{
	s->making = true;
	if (fixes) {
		s->burst_fixes = true;
		for (int i = 0; i < s->o.connections; i++)
			fconn_next(&s->fc[i]);
	} else {
		s->burst_bookings = true;
	}
	loop_for(s, ms, 0, NULL);
	s->burst_fixes = s->burst_bookings = false;
}

static void drained(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct soak *s = arg;
	for (size_t i = 0; i < s->ntab; i++)
		if (s->tab[i].nowed)
			return;
	for (int i = 0; i < s->o.booking_connections; i++)
		if (s->bc[i].busy)
			return;
	if (s->bd_len)
		return;
	event_base_loopbreak(s->base);
}

void soak_drain(struct soak *s, long ms)
{
	s->making = false;
	struct event *t = event_new(s->base, -1, EV_PERSIST, drained, s);
	struct timeval tv = { 0, 100000 };
	event_add(t, &tv);
	loop_for(s, ms, 0, NULL);
	event_free(t);
}

const struct soak_counts *soak_counts(const struct soak *s)
{
	return &s->c;
}

const struct histogram *soak_fix_latency(const struct soak *s, bool window)
{
	return window ? &s->fix_win : &s->fix_all;
}

const struct histogram *soak_book_latency(const struct soak *s, bool window)
{
	return window ? &s->book_win : &s->book_all;
}

void soak_warmed_up(struct soak *s)
{
	histogram_clear(&s->fix_all);
	histogram_clear(&s->book_all);
}

void soak_window_reset(struct soak *s)
{
	histogram_clear(&s->fix_win);
	histogram_clear(&s->book_win);
}

/* ---- what the database holds ---------------------------------------------- */

static int cmp_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

uint64_t soak_fixes_missing(struct soak *s, const char *conninfo, uint64_t *stored, uint64_t *duplicates)
{
	*stored = *duplicates = 0;
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "soak: %s", PQerrorMessage(c));
		PQfinish(c);
		return s->c.acked;
	}
	for (size_t i = 0; i < s->ntab; i++)
		qsort(s->tab[i].acked, s->tab[i].nacked, sizeof *s->tab[i].acked, cmp_ms);
	/* device ids are in tablet order: the province inserted them so */
	PQsendQuery(c, "SELECT d.ext_id, (extract(epoch FROM p.fix_time) * 1000)::bigint"
		       " FROM position p JOIN device d ON d.id = p.device_id ORDER BY 1, 2");
	PQsetSingleRowMode(c);
	uint64_t found = 0;
	size_t cur = (size_t)-1, k = 0;
	int64_t prev = INT64_MIN;
	PGresult *r;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			size_t tab = strtoull(PQgetvalue(r, 0, 0) + 1, NULL, 10);
			int64_t ms = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
			(*stored)++;
			if (tab != cur) {
				cur = tab;
				k = 0;
				prev = INT64_MIN;
			}
			if (ms == prev)
				(*duplicates)++;
			prev = ms;
			if (tab < s->ntab) {
				const struct tablet *tb = &s->tab[tab];
				while (k < tb->nacked && tb->acked[k] < ms)
					k++;
				if (k < tb->nacked && tb->acked[k] == ms) {
					found++;
					k++;
				}
			}
		} else if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "soak: %s", PQresultErrorMessage(r));
		}
		PQclear(r);
	}
	PQfinish(c);
	return s->c.acked - found;
}

uint64_t soak_rides_missing(struct soak *s, const char *conninfo, uint64_t *checked)
{
	*checked = s->nrides;
	if (!s->nrides)
		return 0;
	PGconn *c = PQconnectdb(conninfo);
	uint64_t missing = s->nrides;
	size_t len = 16, cap = 0;
	for (size_t i = 0; i < s->nrides; i++)
		len += strlen(s->ride_ids[i]) + 1;
	char *arr = xmalloc(len);
	arr[cap++] = '{';
	for (size_t i = 0; i < s->nrides; i++) {
		size_t n = strlen(s->ride_ids[i]);
		memcpy(arr + cap, s->ride_ids[i], n);
		cap += n;
		arr[cap++] = i + 1 < s->nrides ? ',' : '}';
	}
	arr[cap] = '\0';
	const char *params[1] = { arr };
	PGresult *r = PQexecParams(c, "SELECT count(DISTINCT id) FROM ride WHERE id = ANY($1::bigint[])", 1, NULL,
				   params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		missing = s->nrides - strtoull(PQgetvalue(r, 0, 0), NULL, 10);
	else
		fprintf(stderr, "soak: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	free(arr);
	return missing;
}
