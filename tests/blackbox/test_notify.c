/*
 * Riders' notifications through the county's gateway: a confirmed ride is
 * posted once, with its payload and its Idempotency-Key; every ride change
 * has its notification; a gateway that is down loses nothing; 500s are
 * retried and counted, a 400 is given up with the gateway's reason, and a
 * gateway that keeps failing is given up after the last attempt; a gateway
 * that hangs delays no booking and times out; and notifications a stopped
 * daemon left undelivered are delivered after its restart, taken exactly
 * once by the gateway thanks to their key.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway.h"
#include "fixtures.h"
#include "harness.h"

#define WAIT_MS 30000

static struct h_test t;
static struct gw *gw;
static char tomorrow[16];

static void setup(void)
{
	char b[4096], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201, "line: %s", b);
	static const char *const names[] = { "石堰村口", "青杠坡", "石桥场镇", "县客运站" };
	for (int i = 0; i < 4; i++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%c\",\"name\":\"%s\",\"kind\":\"roadside\",\"lat\":%.2f,\"lon\":104.5}",
			 'A' + i, names[i], 30.0 + i * 0.01);
		CHECK(h_call(&t, "POST", "/v1/admin/stops", json, b, sizeof b) == 201, "stop: %s", b);
	}
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", "{\"stops\":[\"A\",\"B\",\"C\",\"D\"]}", b, sizeof b) == 201,
	      "route: %s", b);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}",
		 today, later);
	CHECK(h_call(&t, "POST", "/v1/admin/calendars", json, b, sizeof b) == 201, "calendar: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"07:00\",\"last\":\"09:00\",\"every\":\"1h\"}", b,
		   sizeof b) == 201, "timetable: %s", b);
}

/* Books a ride from A to C; returns its id (0 when not booked). */
static long long book(const char *rider, const char *when, bool confirm)
{
	char json[512];
	snprintf(json, sizeof json,
		 "{\"rider\":\"%s\",\"from\":{\"stop\":\"A\"},\"to\":{\"stop\":\"C\"},\"leave_after\":\"%sT%s\"%s}",
		 rider, tomorrow, when, confirm ? ",\"confirm\":true" : "");
	struct h_resp r;
	h_http(&t, "POST", "/v1/rides", "application/json", t.op_token, json, strlen(json), &r);
	long long id = 0;
	const char *p = r.body ? strstr(r.body, "\"id\":\"") : NULL;
	if (r.status == 201 && p)
		id = strtoll(p + 6, NULL, 10);
	CHECK(id > 0, "booking %s: %ld %s", rider, r.status, r.body ? r.body : "");
	h_resp_free(&r);
	return id;
}

static long ride_post(long long id, const char *action)
{
	char path[64];
	snprintf(path, sizeof path, "/v1/rides/%lld/%s", id, action);
	struct h_resp r;
	h_http(&t, "POST", path, "application/json", t.op_token, "{}", 2, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

/* The id of the ride's notification of this kind, as the Idempotency-Key the gateway sees. */
static const char *note(long long ride, const char *kind, char *key, size_t len)
{
	long long id = h_sql_num(&t, "SELECT id FROM notification WHERE ride_id = %lld AND kind = '%s'", ride, kind);
	snprintf(key, len, "%lld", id);
	return key;
}

/* Polls the database until the query's number reaches want, or the deadline; returns the last value. */
static long long await_num(long long want, const char *sql)
{
	long long v = -1;
	for (int i = 0; i < WAIT_MS / 50; i++) {
		v = h_sql_num(&t, "%s", sql);
		if (v == want)
			break;
		nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
	}
	return v;
}

static bool delivered(const char *key)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE id = %s AND delivered_at IS NOT NULL", key);
	return await_num(1, sql) == 1;
}

static bool given_up(const char *key)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE id = %s AND gave_up_at IS NOT NULL", key);
	return await_num(1, sql) == 1;
}

static bool has(const char *text, const char *part)
{
	return strstr(text, part) != NULL;
}

static char config[512];

/* The configuration file: the gateway is set in it, or not yet. */
static void configure(bool gateway)
{
	char text[256];
	snprintf(text, sizeof text, "notify_url = \"%s%d/v1/notify\"\nnotify_token = gw-secret-7\n",
		 gateway ? "http://127.0.0.1:" : "", gateway ? gw_port(gw) : 0);
	if (!gateway)
		snprintf(text, sizeof text, "notify_url =\n");
	h_write_file(&t, config, sizeof config, "jintongd.conf", text);
}

static void start(const char *timeout_ms, const char *hold_s)
{
	const char *args[] = { "--config", config, "--notify-retry-max-s", "1", "--notify-attempts-max", "6",
			       "--notify-timeout-ms", timeout_ms, "--offer-hold-s", hold_s, NULL };
	h_start(&t, args);
}

/* Polls /metrics until it holds text, or the deadline. */
static bool await_metric(const char *text)
{
	bool found = false;
	for (int i = 0; i < WAIT_MS / 100 && !found; i++) {
		struct h_resp r;
		h_http(&t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
		found = r.body && strstr(r.body, text);
		h_resp_free(&r);
		if (!found)
			nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	return found;
}

int main(void)
{
	h_init(&t, "notify");
	h_create_operator(&t);
	gw = gw_start();
	configure(false);
	start("30000", "300");
	setup();
	h_county_date(1, tomorrow, sizeof tomorrow);
	static char body[16384];
	char auth[160], key[24], key2[24], key3[24], sql[300];
	int answer;

	/* No gateway yet: the notification is stored and waits; it goes once one is set (SIGHUP). */
	long long r0 = book("138-0000-0000", "06:50:00", true);
	note(r0, "confirmed", key, sizeof key);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 0", key) == 1, "stored");
	CHECK(await_metric("jintong_notifications_pending 1\n"), "counted as pending");
	configure(true);
	h_reload(&t);
	CHECK(delivered(key), "delivered once the gateway is set");
	CHECK(gw_count(gw, key) == 1, "posted once: %zu", gw_count(gw, key));

	/* A confirmed ride: one post, with the ride in it, and the notification's id as its key. */
	long long r1 = book("138-0000-0001", "06:50:00", true);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE ride_id = %lld", r1) == 1,
	      "written with the ride, before the reply");
	note(r1, "confirmed", key, sizeof key);
	REQUIRE(gw_wait(gw, key, 1, WAIT_MS), "the gateway got no post for notification %s", key);
	CHECK(delivered(key), "delivered");
	CHECK(gw_count(gw, key) == 1 && gw_taken(gw, key), "one post: %zu", gw_count(gw, key));
	REQUIRE(gw_request(gw, key, 0, body, sizeof body, auth, sizeof auth, &answer), "recorded");
	char want[96];
	snprintf(want, sizeof want, "\"ride\":%lld,", r1);
	CHECK(has(body, want) && has(body, "\"rider\":\"138-0000-0001\"") && has(body, "\"kind\":\"confirmed\"") &&
		      has(body, "\"trip\":\"L1-0700\"") && has(body, "\"stop\":\"A\"") && has(body, "\"name\":\"石堰村口\"") &&
		      has(body, "\"from\":\"") && has(body, "\"to\":\"") && has(body, "\"service_day\":\""),
	      "payload: %s", body);
	snprintf(want, sizeof want, "\"notification\":%s", key);
	CHECK(has(body, want) && has(body, "\"message\":{\"zh\":\"") && has(body, "07:00") && has(body, "已确认") &&
		      has(body, "confirmed"), "id and message: %s", body);
	CHECK(strcmp(auth, "Bearer gw-secret-7") == 0, "token: %s", auth);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 1 AND last_status = 200"
			    " AND gave_up_at IS NULL", key) == 1, "one attempt, 200");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification_attempt WHERE notification_id = %s AND attempt = 1"
			    " AND status = 200 AND outcome = 'delivered'", key) == 1, "the attempt is kept");

	/* Every change of a ride is told: offered, then confirmed, then cancelled; and a refusal. */
	long long r2 = book("138-0000-0002", "07:50:00", false);
	CHECK(ride_post(r2, "confirm") == 200, "confirm");
	CHECK(ride_post(r2, "cancel") == 200, "cancel");
	long long r3 = book("138-0000-0003", "21:00:00", false);
	static const char *const kinds[] = { "offered", "confirmed", "cancelled" };
	for (size_t i = 0; i < 3; i++) {
		note(r2, kinds[i], key2, sizeof key2);
		CHECK(delivered(key2), "%s delivered", kinds[i]);
		CHECK(gw_request(gw, key2, 0, body, sizeof body, NULL, 0, NULL) && has(body, kinds[i]), "%s: %s",
		      kinds[i], body);
	}
	note(r3, "refused", key2, sizeof key2);
	CHECK(delivered(key2), "refusal delivered");
	CHECK(gw_request(gw, key2, 0, body, sizeof body, NULL, 0, NULL) && has(body, "\"reason\":\"") &&
		      has(body, "很抱歉"), "refusal: %s", body);

	/* The gateway is down: nothing is lost, and it is delivered once the gateway is back. */
	gw_down(gw);
	long long r4 = book("138-0000-0004", "06:50:00", true);
	note(r4, "confirmed", key, sizeof key);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s", key) == 1, "stored while down");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE id = %s AND attempts >= 2", key);
	CHECK(await_num(1, sql) == 1, "tried while down");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND delivered_at IS NULL"
			    " AND gave_up_at IS NULL AND last_status IS NULL AND last_error ILIKE '%%connect%%'", key) == 1,
	      "waiting, with the reason");
	gw_up(gw);
	CHECK(delivered(key), "delivered after the gateway came back");
	CHECK(gw_count(gw, key) == 1, "posted once it was up: %zu", gw_count(gw, key));
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification_attempt WHERE notification_id = %s AND status IS NULL"
			    " AND outcome = 'retry'", key) >= 2, "the failed attempts are kept");

	/* 500, 500, then 200: retried, every attempt counted. */
	gw_script(gw, 500, 2, "{\"error\":\"busy\"}");
	long long r5 = book("138-0000-0005", "06:50:00", true);
	note(r5, "confirmed", key, sizeof key);
	CHECK(delivered(key), "delivered after two 500s");
	CHECK(gw_count(gw, key) == 3, "three posts: %zu", gw_count(gw, key));
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 3 AND last_status = 200",
			key) == 1, "attempts counted");
	CHECK(h_sql_num(&t, "SELECT (string_agg(coalesce(status, 0) || outcome, ',' ORDER BY attempt)"
			    " = '500retry,500retry,200delivered')::int FROM notification_attempt WHERE notification_id = %s",
			key) == 1, "each attempt's outcome");
	for (size_t i = 1; i < 3; i++) {
		char again[16384];
		CHECK(gw_request(gw, key, i, again, sizeof again, NULL, 0, NULL), "retry %zu", i);
		gw_request(gw, key, 0, body, sizeof body, NULL, 0, NULL);
		CHECK(strcmp(again, body) == 0, "a retry posts the same body");
	}

	/* 400: the gateway refuses the payload; given up at once, with its reason. */
	gw_script(gw, 400, 1, "{\"error\":\"no such phone number\"}");
	long long r6 = book("138-0000-0006", "06:50:00", true);
	note(r6, "confirmed", key, sizeof key);
	CHECK(given_up(key), "given up");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 1 AND last_status = 400"
			    " AND delivered_at IS NULL AND last_error LIKE '%%no such phone number%%'", key) == 1,
	      "why it was given up");
	CHECK(gw_count(gw, key) == 1, "not posted again: %zu", gw_count(gw, key));

	/* A hanging gateway: the next booking is answered while the gateway still holds the post. */
	gw_answer(gw, GW_HANG);
	long long r7 = book("138-0000-0007", "06:50:00", true);
	note(r7, "confirmed", key, sizeof key);
	REQUIRE(gw_wait(gw, key, 1, WAIT_MS), "no post for %s", key);
	long long r8 = book("138-0000-0008", "06:50:00", true);
	CHECK(r8 > 0, "a booking while the gateway hangs");
	CHECK(gw_held(gw, key) == 1, "the gateway still held the post when the booking was answered");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 0 AND delivered_at IS NULL",
			key) == 1, "still under way");
	note(r8, "confirmed", key2, sizeof key2);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s", key2) == 1, "the next one is stored");
	gw_answer(gw, 200);
	gw_release(gw, 200);
	CHECK(delivered(key) && delivered(key2), "delivered once the gateway answers");

	/* A stop while the gateway hangs: the post is abandoned, the daemon still stops cleanly. */
	gw_answer(gw, GW_HANG);
	long long r9 = book("138-0000-0009", "06:50:00", true);
	note(r9, "confirmed", key3, sizeof key3);
	REQUIRE(gw_wait(gw, key3, 1, WAIT_MS), "no post for %s", key3);
	CHECK(h_stop(&t, SIGTERM) == 0, "clean stop with a post under way");
	CHECK(h_log_has(&t, "notify.stop abandoned=1"), "the post was abandoned");
	CHECK(gw_wait_unheld(gw, key3, WAIT_MS), "the daemon hung up on the gateway");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND delivered_at IS NULL"
			    " AND gave_up_at IS NULL", key3) == 1, "still due after the stop");
	CHECK(gw_taken(gw, key3), "the gateway had taken it");

	/* After the restart it is posted again; the gateway sees its key again and drops the duplicate. */
	gw_answer(gw, 200);
	start("1000", "2");
	CHECK(delivered(key3), "delivered after the restart");
	CHECK(gw_count(gw, key3) == 2 && gw_request(gw, key3, 1, body, sizeof body, NULL, 0, &answer) &&
		      answer == 200, "posted again: %zu", gw_count(gw, key3));

	/* A post the gateway never answers times out (1 s now) and is tried again. */
	gw_script(gw, GW_HANG, 1, NULL);
	long long r10 = book("138-0000-0010", "06:50:00", true);
	note(r10, "confirmed", key, sizeof key);
	CHECK(delivered(key), "delivered after a time-out");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification_attempt WHERE notification_id = %s AND attempt = 1"
			    " AND status IS NULL AND outcome = 'retry' AND error ILIKE '%%time%%out%%'", key) == 1,
	      "the time-out is the first attempt's outcome");
	CHECK(gw_count(gw, key) == 2, "two posts: %zu", gw_count(gw, key));

	/* A gateway that keeps failing: given up after the last of notify_attempts_max attempts. */
	gw_script(gw, 503, 100, NULL);
	long long r11 = book("138-0000-0011", "06:50:00", true);
	note(r11, "confirmed", key, sizeof key);
	CHECK(given_up(key), "given up after the last attempt");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %s AND attempts = 6 AND last_status = 503"
			    " AND last_error LIKE 'no delivery after 6 attempts%%'", key) == 1, "six attempts");
	CHECK(gw_count(gw, key) == 6, "six posts: %zu", gw_count(gw, key));
	gw_script(gw, 200, 0, NULL);

	/* An offer left unconfirmed (held 2 s now) expires, and the rider is told. */
	long long r12 = book("138-0000-0012", "07:50:00", false);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE ride_id = %lld AND kind = 'expired'"
				  " AND delivered_at IS NOT NULL", r12);
	CHECK(await_num(1, sql) == 1, "expiry delivered");

	/* The metrics count what happened in this run. */
	struct h_resp r;
	h_http(&t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	CHECK(r.body && has(r.body, "jintong_notifications_total{outcome=\"gave_up\"} 1\n") &&
		      has(r.body, "jintong_notifications_total{outcome=\"retried\"} 6\n") &&
		      has(r.body, "jintong_notifications_pending "), "metrics: %s", r.body ? r.body : "");
	h_resp_free(&r);

	/* From the gateway's side: every delivered notification taken exactly once, nothing else taken. */
	long long total = h_sql_num(&t, "SELECT count(*) FROM notification WHERE delivered_at IS NOT NULL");
	long long first = h_sql_num(&t, "SELECT min(id) FROM notification"), last = h_sql_num(&t, "SELECT max(id) FROM notification");
	size_t taken = 0;
	for (long long id = first; id <= last; id++) {
		snprintf(key, sizeof key, "%lld", id);
		bool is_delivered = h_sql_num(&t, "SELECT count(*) FROM notification WHERE id = %lld AND delivered_at IS NOT NULL", id) == 1;
		CHECK(gw_taken(gw, key) == is_delivered, "notification %lld: taken %d, delivered %d", id,
		      gw_taken(gw, key), is_delivered);
		taken += gw_taken(gw, key);
	}
	CHECK((long long)taken == total && gw_taken_total(gw) == taken, "taken %zu, delivered %lld, keys %zu", taken,
	      total, gw_taken_total(gw));
	int rc = h_finish(&t);
	gw_stop(gw);
	return rc;
}
