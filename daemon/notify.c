/*
 * notify.c — posting riders' notifications to the gateway; see notify.h.
 *
 * libcurl's multi interface is driven by the daemon's libevent loop: curl
 * says which sockets it wants watched (on_curl_socket) and when it next
 * wants to be called (on_curl_timer); the loop calls it back when a socket
 * is ready or the timer fires, and finished() collects the posts that ended.
 * Nothing here blocks: a gateway that hangs holds one slot until
 * notify_timeout_ms, never the loop.
 *
 * Each post (struct send) goes through three states, moved by send_move():
 *
 *   POSTING --answer, failure or timeout--> DECIDED --taken into a save--> SAVING
 *   SAVING --outcomes committed--> freed
 *   POSTING --shutdown--> freed (the notification stays due)
 *
 * A send takes one of notify_inflight_max slots while POSTING, and its
 * notification is left out of every look until its outcome is committed, so
 * a notification is never posted twice at once. Outcomes are saved in
 * groups (flush_at()), so a busy gateway costs the database one statement
 * per group, not per post. Due notifications are found by a look: at start,
 * soon after rides.c says one was written (at most one look per
 * LOOK_GAP_MS), when a slot frees and notifications were left waiting, when
 * the earliest retry falls due, and at least every RESCAN_MS. One timer
 * (wakeup) brings the next look or save.
 */
#include "notify.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config-build.h"
#include "log.h"
#include "notice.h"
#include "store.h"
#include "util.h"

#define RESCAN_MS 30000        /* look for due rows at least this often */
#define LOOK_RETRY_MS 1000     /* after a look failed */
#define LOOK_GAP_MS 50         /* looks for new notifications at most this often */
#define SAVE_GAP_MS 20         /* an outcome waits at most this long to be saved with others */
#define SAVE_BATCH 64          /* ... or until this many wait */
#define IDLE_LOOK_MS 1000      /* without a gateway, count at most this often */
#define ANSWER_KEEP 512        /* bytes of the gateway's answer kept as the reason */
#define ERROR_MAX 300

enum send_state { SEND_POSTING, SEND_DECIDED, SEND_SAVING };
static const char *const send_state_names[] = { "posting", "decided", "saving" };

struct send {
	struct send *next;
	struct notify *n;
	enum send_state state;
	int64_t id, ride_id;
	int attempts; /* made before this one */
	/* the outcome, once decided */
	const char *outcome; /* "delivered", "retry" or "gave_up" */
	long status;         /* 0: no answer */
	char error[ERROR_MAX + 80];
	int64_t wait_ms, took_ms;
	char kind[16];
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	char answer[ANSWER_KEEP];
	size_t answer_len;
	char errbuf[CURL_ERROR_SIZE];
	int64_t started;
};

/* A socket curl asked to be watched. */
struct watch {
	struct watch *prev, *next;
	struct event *ev;
};

struct notify {
	struct jtd *d;
	CURLM *multi;
	struct event *timer;  /* curl's */
	struct event *wakeup; /* the next look */
	struct watch *watches;
	struct send *sends;   /* posting, decided or being saved */
	size_t nsends;
	size_t posting;       /* of them, posts under way: the slots taken */
	size_t decided;       /* of them, outcomes waiting to be saved */
	int64_t first_decided; /* mono ms the oldest of those was decided */
	bool started, looking, look_failed, saving, stopping;
	bool dirty; /* notifications may have been written since the last look */
	int64_t next_look, last_look; /* mono ms */
	uint64_t rng;
	struct notify_stats stats;
};

static struct notify *N(struct jtd *d)
{
	return d->notify;
}

static bool sending(const struct notify *n)
{
	return n->d->cfg.notify_url[0] != '\0';
}

static uint64_t next_random(struct notify *n)
{
	/* xorshift64*: jitter only, nothing secret. */
	n->rng ^= n->rng >> 12;
	n->rng ^= n->rng << 25;
	n->rng ^= n->rng >> 27;
	return n->rng * 2685821657736338717ULL;
}

static void send_move(struct send *s, enum send_state to)
{
	struct notify *n = s->n;
	if (s->state == SEND_POSTING && to == SEND_DECIDED) {
		n->posting--;
		if (n->decided++ == 0)
			n->first_decided = mono_ms();
	} else if (s->state == SEND_DECIDED && to == SEND_SAVING) {
		n->decided--;
	} else {
		fatal("notification %lld: from %s to %s", (long long)s->id, send_state_names[s->state],
		      send_state_names[to]);
	}
	log_debug("notify.send", "notification=%lld ride=%lld from=%s to=%s", (long long)s->id,
		  (long long)s->ride_id, send_state_names[s->state], send_state_names[to]);
	s->state = to;
}

/* Ends the transfer, if one is under way. */
static void send_detach(struct send *s)
{
	if (s->easy) {
		curl_multi_remove_handle(s->n->multi, s->easy);
		curl_easy_cleanup(s->easy);
		s->easy = NULL;
		s->n->stats.in_flight--;
	}
	curl_slist_free_all(s->headers);
	s->headers = NULL;
	free(s->body);
	s->body = NULL;
}

static void send_free(struct send *s)
{
	struct notify *n = s->n;
	for (struct send **p = &n->sends; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	n->nsends--;
	if (s->state == SEND_POSTING)
		n->posting--;
	else if (s->state == SEND_DECIDED)
		n->decided--;
	send_detach(s);
	free(s);
}

/* --- storing the outcomes of attempts ------------------------------------ */

static void schedule(struct notify *n);
static void flush_saves(struct notify *n);

static void saved(void *arg, const PGresult *res)
{
	struct notify *n = arg;
	n->saving = false;
	bool ok = res && PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok) {
		/* Those rows stay due as they were: posted again, the gateway drops the duplicates. */
		log_warn("notify.not_saved", "error=\"%s\"",
			 res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : "the database is unreachable");
		n->dirty = true;
	}
	for (struct send *s = n->sends, *next; s; s = next) {
		next = s->next;
		if (s->state != SEND_SAVING)
			continue;
		if (ok && strcmp(s->outcome, "retry") == 0) {
			/* Look again when it falls due. */
			int64_t due = mono_ms() + s->wait_ms;
			if (due < n->next_look)
				n->next_look = due;
		} else if (ok && n->stats.pending > 0) {
			n->stats.pending--;
		}
		send_free(s);
	}
	schedule(n);
}

/*
 * Stores every decided outcome in one statement (flush_at() says when),
 * without waiting for the flush to disk: an outcome lost in a crash only
 * means the notification is posted again, which its key makes harmless, and
 * bookings do not queue behind a flush per post.
 */
static void flush_saves(struct notify *n)
{
	if (n->saving)
		return;
	struct json_object *rows = json_object_new_array();
	for (struct send *s = n->sends; s; s = s->next) {
		if (s->state != SEND_DECIDED)
			continue;
		send_move(s, SEND_SAVING);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(s->id));
		json_object_object_add(o, "outcome", json_object_new_string(s->outcome));
		json_object_object_add(o, "status", s->status > 0 ? json_object_new_int64(s->status) : NULL);
		json_object_object_add(o, "error", s->error[0] ? json_object_new_string(s->error) : NULL);
		json_object_object_add(o, "wait_ms", json_object_new_int64(s->wait_ms));
		json_object_object_add(o, "took_ms", json_object_new_int64(s->took_ms));
		json_object_array_add(rows, o);
	}
	if (json_object_array_length(rows) > 0) {
		n->saving = true;
		const char *params[] = { json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN) };
		store_query(n->d->store,
			    "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true)),"
			    " x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, outcome text,"
			    "  status int, error text, wait_ms bigint, took_ms int)),"
			    " n AS (UPDATE notification n SET attempts = n.attempts + 1, last_status = x.status,"
			    "  last_error = x.error,"
			    "  delivered_at = CASE WHEN x.outcome = 'delivered' THEN now() END,"
			    "  gave_up_at = CASE WHEN x.outcome = 'gave_up' THEN now() END,"
			    "  next_attempt_at = CASE WHEN x.outcome = 'retry'"
			    "   THEN now() + x.wait_ms * interval '1 millisecond' ELSE n.next_attempt_at END"
			    "  FROM x WHERE n.id = x.id AND n.delivered_at IS NULL AND n.gave_up_at IS NULL"
			    "  RETURNING n.id, n.attempts, x.outcome, x.status, x.error, x.took_ms),"
			    " a AS (INSERT INTO notification_attempt"
			    "  (notification_id, attempt, ended_at, took_ms, status, error, outcome)"
			    "  SELECT id, attempts, now(), took_ms, status, error, outcome FROM n)"
			    " SELECT count(*) FROM n, quick",
			    1, params, saved, n);
	}
	json_object_put(rows);
}

/* The attempt s->attempts + 1 ended: "delivered", "retry" (due again after wait_ms) or "gave_up". */
static void decide(struct send *s, const char *outcome, long status, const char *error, int64_t wait_ms)
{
	send_move(s, SEND_DECIDED);
	s->outcome = outcome;
	s->status = status;
	strlcpy_jt(s->error, error ? error : "", sizeof s->error);
	s->wait_ms = wait_ms;
	s->took_ms = mono_ms() - s->started;
	schedule(s->n);
}

/* --- an attempt ends ------------------------------------------------------ */

/* A copy of text fit for a quoted log value: double quotes become single ones. */
static const char *log_text(const char *text, char *buf, size_t len)
{
	strlcpy_jt(buf, text, len);
	for (char *p = buf; *p; p++)
		if (*p == '"')
			*p = '\'';
	return buf;
}

static void attempt_done(struct send *s, CURLcode rc)
{
	struct notify *n = s->n;
	const struct config *cfg = &n->d->cfg;
	char shown[ERROR_MAX + 80];
	long status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	long retry_after = -1;
	struct curl_header *h;
	if (rc == CURLE_OK && curl_easy_header(s->easy, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
		retry_after = notice_retry_after_s(h->value);
	histogram_observe(&n->stats.attempt, (double)(mono_ms() - s->started));

	/* Why it failed, in one line of text cut to ERROR_MAX at a character boundary. */
	char raw[ERROR_MAX + ANSWER_KEEP + CURL_ERROR_SIZE] = "", error[ERROR_MAX];
	size_t raw_len = 0;
	if (rc != CURLE_OK) {
		s->errbuf[CURL_ERROR_SIZE - 1] = '\0';
		snprintf(raw, sizeof raw, "%s%s%s", curl_easy_strerror(rc), s->errbuf[0] ? ": " : "", s->errbuf);
		raw_len = strlen(raw);
	} else if (notice_judge(status) != NOTICE_DELIVERED) {
		raw_len = (size_t)snprintf(raw, sizeof raw, "HTTP %ld%s", status, s->answer_len ? ": " : "");
		memcpy(raw + raw_len, s->answer, s->answer_len); /* may hold any byte: notice_reason() cleans it */
		raw_len += s->answer_len;
	}
	notice_reason(raw, raw_len, error, sizeof error);
	send_detach(s);

	enum notice_verdict v = notice_judge(rc == CURLE_OK ? status : 0);
	int attempt = s->attempts + 1;
	if (v == NOTICE_DELIVERED) {
		n->stats.delivered++;
		log_info("notify.delivered", "notification=%lld ride=%lld kind=%s status=%ld attempt=%d",
			 (long long)s->id, (long long)s->ride_id, s->kind, status, attempt);
		decide(s, "delivered", status, NULL, 0);
	} else if (v == NOTICE_RETRY && attempt < cfg->notify_attempts_max) {
		int64_t wait = notice_wait_ms(attempt, cfg->notify_retry_max_s, retry_after, next_random(n));
		n->stats.retried++;
		log_warn("notify.retry", "notification=%lld ride=%lld kind=%s attempt=%d wait_ms=%lld error=\"%s\"",
			 (long long)s->id, (long long)s->ride_id, s->kind, attempt, (long long)wait,
			 log_text(error, shown, sizeof shown));
		decide(s, "retry", status, error, wait);
	} else {
		char why[ERROR_MAX + 80];
		if (v == NOTICE_REJECTED)
			snprintf(why, sizeof why, "refused by the gateway: %s", error);
		else
			snprintf(why, sizeof why, "no delivery after %d attempts: %s", attempt, error);
		n->stats.gave_up++;
		log_warn("notify.gave_up", "notification=%lld ride=%lld kind=%s attempt=%d error=\"%s\"",
			 (long long)s->id, (long long)s->ride_id, s->kind, attempt, log_text(why, shown, sizeof shown));
		decide(s, "gave_up", status, why, 0);
	}
}

/* Collects the posts curl has finished. */
static void finished(struct notify *n)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(n->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		struct send *s = (struct send *)priv;
		if (!s)
			fatal("a finished post without its notification");
		attempt_done(s, m->data.result);
	}
}

/* --- curl on the event loop ---------------------------------------------- */

static void on_socket_ready(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	int action = (what & EV_READ ? CURL_CSELECT_IN : 0) | (what & EV_WRITE ? CURL_CSELECT_OUT : 0);
	int running;
	curl_multi_socket_action(n->multi, fd, action, &running);
	finished(n);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	int running;
	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	finished(n);
}

static void watch_free(struct notify *n, struct watch *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		n->watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	event_free(w->ev);
	free(w);
}

/* curl says what to watch a socket for: reading, writing, both, or no longer. */
static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct notify *n = userp;
	struct watch *w = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (w) {
			curl_multi_assign(n->multi, fd, NULL);
			watch_free(n, w);
		}
		return 0;
	}
	short events = EV_PERSIST | (what & CURL_POLL_IN ? EV_READ : 0) | (what & CURL_POLL_OUT ? EV_WRITE : 0);
	if (!w) {
		w = xcalloc(1, sizeof *w);
		w->ev = event_new(n->d->base, fd, events, on_socket_ready, n);
		if (!w->ev)
			fatal("out of memory");
		w->next = n->watches;
		if (w->next)
			w->next->prev = w;
		n->watches = w;
		curl_multi_assign(n->multi, fd, w);
	} else {
		event_del(w->ev);
		event_assign(w->ev, n->d->base, fd, events, on_socket_ready, n);
	}
	event_add(w->ev, NULL);
	return 0;
}

/* curl says when it next wants to be called; -1: not at all. Never calls curl from here. */
static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct notify *n = userp;
	if (timeout_ms < 0) {
		evtimer_del(n->timer);
		return 0;
	}
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	evtimer_add(n->timer, &tv);
	return 0;
}

static size_t on_answer(char *data, size_t size, size_t nmemb, void *arg)
{
	struct send *s = arg;
	size_t len = size * nmemb, room = sizeof s->answer - s->answer_len;
	size_t keep = len < room ? len : room;
	memcpy(s->answer + s->answer_len, data, keep);
	s->answer_len += keep;
	return len; /* the rest is read and dropped */
}

/* --- posting ---------------------------------------------------------------- */

static void post(struct notify *n, int64_t id, int64_t ride_id, const char *kind, const char *payload,
		 size_t len, int attempts)
{
	const struct config *cfg = &n->d->cfg;
	struct send *s = xcalloc(1, sizeof *s);
	s->n = n;
	s->state = SEND_POSTING;
	s->id = id;
	s->ride_id = ride_id;
	s->attempts = attempts;
	s->started = mono_ms();
	strlcpy_jt(s->kind, kind, sizeof s->kind);
	s->next = n->sends;
	n->sends = s;
	n->nsends++;
	n->posting++;
	char err[160];
	s->body = notice_body(payload, len, id, err, sizeof err);
	if (!s->body) {
		/* Sending it again would fail the same way. */
		n->stats.gave_up++;
		log_error("notify.gave_up", "notification=%lld ride=%lld kind=%s error=\"%s\"", (long long)id,
			  (long long)ride_id, kind, err);
		decide(s, "gave_up", 0, err, 0);
		return;
	}
	s->easy = curl_easy_init();
	if (!s->easy)
		fatal("out of memory");
	char header[400];
	s->headers = curl_slist_append(s->headers, "Content-Type: application/json; charset=utf-8");
	snprintf(header, sizeof header, "Idempotency-Key: %lld", (long long)id);
	s->headers = curl_slist_append(s->headers, header);
	if (cfg->notify_token[0]) {
		snprintf(header, sizeof header, "Authorization: Bearer %s", cfg->notify_token);
		s->headers = curl_slist_append(s->headers, header);
	}
	s->headers = curl_slist_append(s->headers, "Expect:");
	if (!s->headers)
		fatal("out of memory");
	CURL *e = s->easy;
	curl_easy_setopt(e, CURLOPT_URL, cfg->notify_url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(s->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "jintongd/" JT_VERSION);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cfg->notify_timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_answer);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, s);
	if (curl_multi_add_handle(n->multi, e) != CURLM_OK)
		fatal("cannot add a post to curl's multi handle");
	n->stats.in_flight++;
	log_debug("notify.post", "notification=%lld ride=%lld kind=%s attempt=%d", (long long)id,
		  (long long)ride_id, kind, attempts + 1);
}

/* --- finding due notifications -------------------------------------------- */

static size_t free_slots(const struct notify *n)
{
	size_t max = (size_t)n->d->cfg.notify_inflight_max;
	return sending(n) && n->posting < max ? max - n->posting : 0;
}

static void looked(void *arg, const PGresult *res)
{
	struct notify *n = arg;
	n->looking = false;
	int64_t now = mono_ms();
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
		if (!n->look_failed)
			log_warn("notify.look_failed", "error=\"%s\"",
				 res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : "the database is unreachable");
		n->look_failed = true;
		n->next_look = now + LOOK_RETRY_MS;
		schedule(n);
		return;
	}
	n->look_failed = false;
	n->stats.pending = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	/*
	 * When the earliest of the others falls due: at once (0) when this look
	 * left due ones behind for want of a slot. None: look again after a while
	 * anyway.
	 */
	int64_t in = PQgetisnull(res, 0, 1) || !sending(n) ? RESCAN_MS : strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	n->next_look = now + (in < 0 ? 0 : in > RESCAN_MS ? RESCAN_MS : in);
	for (int i = 0; i < PQntuples(res) && !n->stopping; i++) {
		if (PQgetisnull(res, i, 2))
			continue;
		post(n, strtoll(PQgetvalue(res, i, 2), NULL, 10), strtoll(PQgetvalue(res, i, 3), NULL, 10),
		     PQgetvalue(res, i, 4), PQgetvalue(res, i, 5), (size_t)PQgetlength(res, i, 5),
		     atoi(PQgetvalue(res, i, 6)));
	}
	schedule(n);
}

/*
 * Reads up to one row per free slot of the notifications that are due and
 * not already being posted, with how many are pending and when the next of
 * the others falls due.
 */
static void look(struct notify *n)
{
	n->dirty = false;
	n->looking = true;
	n->last_look = mono_ms();
	/* The ids being posted, as a PostgreSQL array: at most notify_inflight_max of them. */
	size_t cap = 3 + n->nsends * 21, k = 0;
	char *busy = xmalloc(cap);
	k += (size_t)snprintf(busy + k, cap - k, "{");
	for (const struct send *s = n->sends; s; s = s->next)
		k += (size_t)snprintf(busy + k, cap - k, "%s%lld", k > 1 ? "," : "", (long long)s->id);
	snprintf(busy + k, cap - k, "}");
	char limit[24];
	snprintf(limit, sizeof limit, "%zu", free_slots(n));
	const char *params[] = { busy, limit };
	store_query(n->d->store,
		    "WITH due AS (SELECT id, ride_id, kind, payload, attempts FROM notification"
		    "  WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= now()"
		    "  AND id <> ALL ($1::bigint[]) ORDER BY next_attempt_at, id LIMIT $2::int),"
		    " later AS (SELECT count(*) AS pending,"
		    "  ceil(extract(epoch FROM min(next_attempt_at) FILTER (WHERE id <> ALL ($1::bigint[])"
		    "   AND id NOT IN (SELECT id FROM due)) - now()) * 1000)::bigint AS next_ms"
		    "  FROM notification WHERE delivered_at IS NULL AND gave_up_at IS NULL)"
		    " SELECT later.pending, later.next_ms, due.id, due.ride_id, due.kind, due.payload::text,"
		    "  due.attempts FROM later LEFT JOIN due ON true",
		    2, params, looked, n);
	free(busy);
}

/* When the next look is to be (mono ms), or -1: none until something changes. */
static int64_t look_at(const struct notify *n)
{
	if (!n->started || n->stopping || n->looking)
		return -1;
	int64_t at = n->next_look;
	if (sending(n)) {
		if (free_slots(n) == 0)
			return -1; /* the next slot to free asks again */
		if (n->dirty && n->last_look + LOOK_GAP_MS < at)
			at = n->last_look + LOOK_GAP_MS;
	} else if (n->dirty && n->last_look + IDLE_LOOK_MS < at) {
		at = n->last_look + IDLE_LOOK_MS; /* without a gateway, looks only count what is pending */
	}
	return at;
}

/*
 * When the decided outcomes are to be saved, or -1: outcomes wait while a
 * save is under way, and up to SAVE_GAP_MS for others to join them (so a
 * busy gateway costs one statement per group, not per post), unless they
 * are many or the daemon is stopping.
 */
static int64_t flush_at(const struct notify *n)
{
	if (n->saving || n->decided == 0)
		return -1;
	if (n->stopping || n->decided >= SAVE_BATCH)
		return 0;
	return n->first_decided + SAVE_GAP_MS;
}

/* Sets the wakeup timer for the next look or save. */
static void schedule(struct notify *n)
{
	if (!n->wakeup)
		return;
	int64_t look = look_at(n), flush = flush_at(n);
	int64_t at = look < 0 ? flush : flush < 0 ? look : look < flush ? look : flush;
	if (at < 0) {
		evtimer_del(n->wakeup);
		return;
	}
	int64_t in = at - mono_ms();
	if (in < 0)
		in = 0;
	struct timeval tv = { (time_t)(in / 1000), (suseconds_t)(in % 1000) * 1000 };
	evtimer_add(n->wakeup, &tv);
}

static void on_wakeup(evutil_socket_t fd, short what, void *arg)
{
	struct notify *n = arg;
	int64_t now = mono_ms(), flush = flush_at(n), at = look_at(n);
	if (flush >= 0 && flush <= now)
		flush_saves(n);
	if (at >= 0 && at <= now)
		look(n);
	schedule(n);
}

/* --- the notifier's life ------------------------------------------------------ */

void notify_init(struct jtd *d)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("libcurl cannot start");
	struct notify *n = xcalloc(1, sizeof *n);
	n->d = d;
	n->rng = (uint64_t)now_ms() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	if (!n->rng)
		n->rng = 1;
	d->notify = n;
}

void notify_start(struct jtd *d)
{
	struct notify *n = N(d);
	n->multi = curl_multi_init();
	n->timer = evtimer_new(d->base, on_timer, n);
	n->wakeup = evtimer_new(d->base, on_wakeup, n);
	if (!n->multi || !n->timer || !n->wakeup)
		fatal("out of memory");
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	n->started = true;
	n->dirty = true;
	log_info("notify.start", "sending=%s inflight_max=%ld timeout_ms=%ld attempts_max=%ld",
		 sending(n) ? "yes" : "no (notify_url is empty: notifications are stored only)",
		 d->cfg.notify_inflight_max, d->cfg.notify_timeout_ms, d->cfg.notify_attempts_max);
	schedule(n);
}

void notify_wake(struct jtd *d)
{
	struct notify *n = N(d);
	if (!n)
		return;
	n->dirty = true;
	schedule(n);
}

void notify_stop(struct jtd *d)
{
	struct notify *n = N(d);
	if (!n || n->stopping)
		return;
	n->stopping = true;
	size_t abandoned = 0;
	for (struct send *s = n->sends, *next; s; s = next) {
		next = s->next;
		if (s->state == SEND_POSTING) {
			send_free(s);
			abandoned++;
		}
	}
	if (n->timer)
		evtimer_del(n->timer);
	log_info("notify.stop", "abandoned=%zu saving=%zu", abandoned, n->nsends);
	schedule(n); /* outcomes already decided are still saved */
}

void notify_free(struct jtd *d)
{
	struct notify *n = N(d);
	if (!n)
		return;
	n->stopping = true;
	while (n->sends)
		send_free(n->sends);
	if (n->multi)
		curl_multi_cleanup(n->multi);
	while (n->watches)
		watch_free(n, n->watches);
	if (n->timer)
		event_free(n->timer);
	if (n->wakeup)
		event_free(n->wakeup);
	free(n);
	d->notify = NULL;
	curl_global_cleanup();
}

const struct notify_stats *notify_stats(struct jtd *d)
{
	return &N(d)->stats;
}
