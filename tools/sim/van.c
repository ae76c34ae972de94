/*
 * van.c — a van on booking duty driven from its manifest; see van.h.
 */
#include "van.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vanplan.h"

#define MANIFEST_EVERY_S 30
#define SPEED_MPS (30.0 / 3.6)
#define WINDING 1.3
#define AHEAD_S (2 * 3600) /* tasks planned further ahead are not driven to yet */
#define TASKS_MAX 256
#define DONE_MAX 4096
#define M_PER_DEG 111320.0

enum van_state { VAN_IDLE, VAN_DRIVING, VAN_WAITING, VAN_REPORTING };

struct van {
	struct van_opts o;
	char code[64], token[160], host[128];
	struct evhttp_connection *conn;
	bool in_flight;
	enum van_state state;
	struct van_task tasks[TASKS_MAX];
	int ntasks;
	struct van_task cur;              /* the task under way (DRIVING, WAITING, REPORTING) */
	double lat, lon, heading;
	double leg_lat, leg_lon;      /* DRIVING: from where */
	int64_t leg_t0, leg_t1;       /* DRIVING: leaving and arriving (simulated ms) */
	int64_t next_manifest_ms, now_ms, retry_ms;
	int tries;
	char done[DONE_MAX][26];      /* "P<ride>" / "D<ride>": reported */
	int ndone;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A number in [0, 1) fixed by the seed and the ride: the same rider stays home each run. */
static double chance(uint64_t seed, const char *ride)
{
	uint64_t h = seed ^ 0x6e6f2d73686f77ULL;
	for (const char *p = ride; *p; p++)
		h = mix(h ^ (unsigned char)*p);
	return (double)(h >> 11) / 9007199254740992.0;
}

static void key_of(const struct van_task *t, char *buf, size_t len)
{
	snprintf(buf, len, "%c%s", t->kind == VAN_PICKUP ? 'P' : 'D', t->ride);
}

static bool is_done(const struct van *v, const struct van_task *t)
{
	char k[26];
	key_of(t, k, sizeof k);
	for (int i = 0; i < v->ndone; i++)
		if (!strcmp(v->done[i], k))
			return true;
	return false;
}

static void mark_done(struct van *v, const struct van_task *t)
{
	if (v->ndone == DONE_MAX) { /* the oldest go: their rides are long closed */
		memmove(v->done, v->done + DONE_MAX / 2, sizeof v->done[0] * (DONE_MAX / 2));
		v->ndone = DONE_MAX / 2;
	}
	key_of(t, v->done[v->ndone++], sizeof v->done[0]);
}

struct van *van_new(const struct van_opts *o)
{
	struct van *v = calloc(1, sizeof *v);
	if (!v)
		abort();
	v->o = *o;
	snprintf(v->code, sizeof v->code, "%s", o->code);
	snprintf(v->token, sizeof v->token, "%s", o->token);
	snprintf(v->host, sizeof v->host, "%s", o->host);
	v->o.code = v->code;
	v->o.token = v->token;
	v->o.host = v->host;
	v->lat = o->lat;
	v->lon = o->lon;
	return v;
}

void van_free(struct van *v)
{
	if (!v)
		return;
	if (v->conn)
		evhttp_connection_free(v->conn);
	free(v);
}

bool van_busy(const struct van *v)
{
	return v->state != VAN_IDLE;
}

/* ---- talking to the daemon ----------------------------------------------- */

static char *body_of(struct evhttp_request *req)
{
	struct evbuffer *b = req ? evhttp_request_get_input_buffer(req) : NULL;
	size_t n = b ? evbuffer_get_length(b) : 0;
	char *s = malloc(n + 1);
	if (!s)
		abort();
	if (n)
		evbuffer_copyout(b, s, n);
	s[n] = '\0';
	return s;
}

static void read_manifest(struct van *v, const char *text)
{
	struct van_task got[TASKS_MAX];
	int n = vanplan_read(text, strlen(text), got, TASKS_MAX);
	if (n < 0)
		return;
	v->ntasks = 0;
	for (int i = 0; i < n; i++)
		if (!is_done(v, &got[i]))
			v->tasks[v->ntasks++] = got[i];
	v->o.stats->manifests++;
}

static void on_manifest(struct evhttp_request *req, void *arg)
{
	struct van *v = arg;
	v->in_flight = false;
	if (req && evhttp_request_get_response_code(req) == 200) {
		char *text = body_of(req);
		read_manifest(v, text);
		free(text);
		/* the plan moved the rider to another vehicle: drop the task */
		bool still = v->state == VAN_IDLE || v->state == VAN_REPORTING;
		for (int i = 0; i < v->ntasks && !still; i++)
			still = v->tasks[i].kind == v->cur.kind && !strcmp(v->tasks[i].ride, v->cur.ride);
		if (!still) {
			v->o.stats->reassigned++;
			v->state = VAN_IDLE;
		}
	}
}

static void on_report(struct evhttp_request *req, void *arg)
{
	struct van *v = arg;
	int status = req ? evhttp_request_get_response_code(req) : 0;
	char *text = body_of(req);
	v->in_flight = false;
	struct van_stats *st = v->o.stats;
	bool parcel = v->cur.passengers == 0 && v->cur.parcels_l > 0;
	if (status == 200) {
		if (strstr(text, "\"state\":\"onboard\"")) {
			st->boarded += !parcel;
			st->parcels_picked += parcel;
		} else if (strstr(text, "\"state\":\"no_show\"")) {
			st->no_show++;
		} else if (strstr(text, "\"state\":\"completed\"")) {
			st->dropped += !parcel;
			st->parcels_delivered += parcel;
		}
	} else if ((status == 409 && strstr(text, "too_early")) || status == 0 || status >= 500) {
		/* too early for a no-show, or the daemon busy: again a little later */
		free(text);
		if (++v->tries < 5) {
			v->state = VAN_WAITING;
			v->retry_ms = v->now_ms + 30 * 1000;
			return;
		}
		st->refused++;
	} else {
		st->refused++;
	}
	if (status != 200)
		snprintf(st->last_refusal, sizeof st->last_refusal, "ride %s %s: %d %.120s", v->cur.ride,
			 v->cur.kind == VAN_PICKUP ? "pickup" : "dropoff", status, text);
	free(text);
	mark_done(v, &v->cur);
	v->state = VAN_IDLE;
	v->next_manifest_ms = 0; /* the plan changed: read it again */
}

static bool request(struct van *v, enum evhttp_cmd_type method, const char *path, const char *body,
		 void (*done)(struct evhttp_request *, void *))
{
	if (!v->conn) {
		v->conn = evhttp_connection_base_new(v->o.base, NULL, v->host, (unsigned short)v->o.port);
		if (!v->conn)
			return false;
		evhttp_connection_set_timeout(v->conn, 10);
	}
	struct evhttp_request *req = evhttp_request_new(done, v);
	if (!req)
		return false;
	char auth[200];
	snprintf(auth, sizeof auth, "Bearer %s", v->token);
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", v->host);
	evhttp_add_header(h, "Authorization", auth);
	if (body) {
		evhttp_add_header(h, "Content-Type", "application/json");
		evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	}
	if (evhttp_make_request(v->conn, req, method, path) != 0) {
		evhttp_connection_free(v->conn);
		v->conn = NULL;
		return false;
	}
	v->in_flight = true;
	return true;
}

static void report(struct van *v, const char *action)
{
	char path[96];
	snprintf(path, sizeof path, "/v1/rides/%s/%s", v->cur.ride, action);
	v->state = VAN_REPORTING;
	if (!request(v, EVHTTP_REQ_POST, path, "{}", on_report)) {
		v->state = VAN_WAITING;
		v->retry_ms = v->now_ms + 10 * 1000;
	}
}

/* ---- driving ------------------------------------------------------------- */

static double metres(double lat1, double lon1, double lat2, double lon2)
{
	double y = (lat2 - lat1) * M_PER_DEG, x = (lon2 - lon1) * M_PER_DEG * cos(lat1 * M_PI / 180.0);
	return hypot(x, y);
}

static void start_leg(struct van *v, const struct van_task *t, int64_t ms)
{
	v->cur = *t;
	v->tries = 0;
	v->leg_lat = v->lat;
	v->leg_lon = v->lon;
	v->leg_t0 = ms;
	v->leg_t1 = ms + (int64_t)(metres(v->lat, v->lon, t->lat, t->lon) * WINDING / SPEED_MPS * 1000.0);
	double dy = t->lat - v->lat, dx = (t->lon - v->lon) * cos(v->lat * M_PI / 180.0);
	if (dx != 0 || dy != 0)
		v->heading = fmod(atan2(dx, dy) * 180.0 / M_PI + 360.0, 360.0);
	v->state = VAN_DRIVING;
}

/* At the task's place: wait, report, or leave the rider behind. */
static void at_place(struct van *v, int64_t ms)
{
	if (v->in_flight || ms < v->retry_ms)
		return;
	if (v->cur.kind == VAN_DROPOFF) {
		report(v, "dropoff");
		return;
	}
	if (ms < v->cur.from_ms)
		return; /* early: the rider was promised a window */
	if (chance(v->o.seed, v->cur.ride) >= v->o.no_show_share)
		report(v, "board");
	else if (ms >= v->cur.from_ms + (int64_t)((v->o.no_show_wait_s + 5) * 1000.0))
		report(v, "no_show");
}

void van_step(struct van *v, int64_t ms, struct van_pos *out)
{
	v->now_ms = ms;
	if (!v->in_flight && ms >= v->next_manifest_ms && v->state != VAN_REPORTING) {
		char path[128];
		snprintf(path, sizeof path, "/v1/vehicles/%s/manifest?format=json", v->code);
		if (request(v, EVHTTP_REQ_GET, path, NULL, on_manifest))
			v->next_manifest_ms = ms + MANIFEST_EVERY_S * 1000;
	}
	if (v->state == VAN_IDLE && !v->in_flight) {
		for (int i = 0; i < v->ntasks; i++) {
			struct van_task *t = &v->tasks[i];
			if (is_done(v, t))
				continue;
			if (t->planned_ms - ms <= AHEAD_S * 1000LL)
				start_leg(v, t, ms);
			break; /* in the planned order */
		}
	}
	double speed = 0;
	if (v->state == VAN_DRIVING) {
		if (ms >= v->leg_t1) {
			v->lat = v->cur.lat;
			v->lon = v->cur.lon;
			v->state = VAN_WAITING;
			v->retry_ms = 0;
		} else {
			double f = (double)(ms - v->leg_t0) / (double)(v->leg_t1 - v->leg_t0);
			v->lat = v->leg_lat + f * (v->cur.lat - v->leg_lat);
			v->lon = v->leg_lon + f * (v->cur.lon - v->leg_lon);
			speed = SPEED_MPS * WINDING;
		}
	}
	if (v->state == VAN_WAITING)
		at_place(v, ms);
	out->lat = v->lat;
	out->lon = v->lon;
	out->speed = speed;
	out->heading = v->heading;
}
