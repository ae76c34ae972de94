/*
 * Riders' notifications: which gateway answers deliver, retry or end a
 * notification; the waits between attempts grow, stay under the cap and
 * honour Retry-After; a gateway's answer becomes one clean line of text; and
 * the body posted carries the stored payload, the notification's id and a
 * message in the county's time.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "notice.h"

static void check_judge(void)
{
	static const long delivered[] = { 200, 201, 202, 204, 299 };
	static const long retry[] = { 0, 500, 502, 503, 504, 599, 408, 429, 100, 301, 302, 304, 600, 999 };
	static const long rejected[] = { 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 499 };
	char what[32];
	for (size_t i = 0; i < JT_ARRAY_LEN(delivered); i++) {
		snprintf(what, sizeof what, "status %ld", delivered[i]);
		CHECK_MSG(what, notice_judge(delivered[i]) == NOTICE_DELIVERED);
	}
	for (size_t i = 0; i < JT_ARRAY_LEN(retry); i++) {
		snprintf(what, sizeof what, "status %ld", retry[i]);
		CHECK_MSG(what, notice_judge(retry[i]) == NOTICE_RETRY);
	}
	for (size_t i = 0; i < JT_ARRAY_LEN(rejected); i++) {
		snprintf(what, sizeof what, "status %ld", rejected[i]);
		CHECK_MSG(what, notice_judge(rejected[i]) == NOTICE_REJECTED);
	}
}

static void check_waits(void)
{
	/* No jitter taken off: 2 s, 4 s, 8 s ... */
	CHECK_INT("first", notice_wait_ms(1, 600, -1, 0), 2000);
	CHECK_INT("second", notice_wait_ms(2, 600, -1, 0), 4000);
	CHECK_INT("fourth", notice_wait_ms(4, 600, -1, 0), 16000);
	/* ... up to the cap, however many attempts. */
	CHECK_INT("capped", notice_wait_ms(12, 600, -1, 0), 600000);
	CHECK_INT("many", notice_wait_ms(1000000, 600, -1, 0), 600000);
	CHECK_INT("cap under the first wait", notice_wait_ms(1, 1, -1, 0), 1000);
	/* The most jitter takes off half. */
	CHECK_INT("most jitter", notice_wait_ms(1, 600, -1, 1000), 1000);
	/* Every wait lies between half and all of min(cap, 2 s doubled per attempt). */
	static const long caps[] = { 1, 7, 600, 86400 };
	static const uint64_t randoms[] = { 0, 1, 999, 1000, 123456789, UINT64_MAX };
	for (size_t c = 0; c < JT_ARRAY_LEN(caps); c++)
		for (int a = 1; a <= 40; a++) {
			double full = 2000.0 * pow(2, a - 1);
			if (full > caps[c] * 1000.0)
				full = caps[c] * 1000.0;
			for (size_t r = 0; r < JT_ARRAY_LEN(randoms); r++) {
				int64_t w = notice_wait_ms(a, caps[c], -1, randoms[r]);
				char what[64];
				snprintf(what, sizeof what, "cap %ld attempt %d", caps[c], a);
				CHECK_MSG(what, w >= full / 2 - 0.5 && w <= full);
			}
		}
	/* The gateway asks for longer: it gets it, up to the cap. */
	CHECK_INT("retry-after", notice_wait_ms(1, 600, 30, 0), 30000);
	CHECK_INT("retry-after shorter than the backoff", notice_wait_ms(3, 600, 1, 0), 8000);
	CHECK_INT("retry-after beyond the cap", notice_wait_ms(1, 60, 3600, 0), 60000);
	CHECK_INT("retry-after absurd", notice_wait_ms(1, 60, 1000000000L, 0), 60000);
	CHECK_INT("retry-after 0", notice_wait_ms(1, 600, 0, 1000), 1000);

	CHECK_INT("120", notice_retry_after_s("120"), 120);
	CHECK_INT("blanks", notice_retry_after_s(" \t5 "), 5);
	CHECK_INT("zero", notice_retry_after_s("0"), 0);
	CHECK_INT("empty", notice_retry_after_s(""), -1);
	CHECK_INT("null", notice_retry_after_s(NULL), -1);
	CHECK_INT("negative", notice_retry_after_s("-1"), -1);
	CHECK_INT("date form", notice_retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT"), -1);
	CHECK_INT("exponent", notice_retry_after_s("1e3"), -1);
	CHECK_INT("two numbers", notice_retry_after_s("1 2"), -1);
	CHECK_INT("huge", notice_retry_after_s("99999999999999999999999"), 1000000000L);
}

static void reason(const char *in, size_t len, size_t outlen, const char *want)
{
	char out[256];
	memset(out, 'X', sizeof out);
	notice_reason(in, len, out, outlen);
	CHECK_STR(want, out, want);
	CHECK(strlen(out) < outlen);
}

static void check_reasons(void)
{
	reason("bad phone number", 16, 100, "bad phone number");
	reason("line one\r\nline two\tend", 23, 100, "line one line two end");
	reason("   padded   out   ", 18, 100, "padded out");
	reason("号码无效", strlen("号码无效"), 100, "号码无效");
	/* Cut at a character boundary, never inside one: 石 and 堰 are 3 bytes each. */
	reason("石堰村", 9, 8, "石堰");
	reason("石堰村", 9, 7, "石堰");
	reason("石堰村", 9, 6, "石");
	reason("abc", 3, 1, "");
	/* Not UTF-8: a stray byte, an overlong '/', a surrogate, a code point past U+10FFFF, a cut character. */
	reason("a\xff" "b", 3, 100, "a?b");
	reason("\xc0\xaf", 2, 100, "??");
	reason("\xed\xa0\x80", 3, 100, "???");
	reason("\xf4\x90\x80\x80", 4, 100, "????");
	reason("ok \xe7\x9f", 5, 100, "ok ??");
	/* Controls, C1 controls, a NUL and the line separator are blanks. */
	reason("a\x00" "b\x7f" "c\xc2\x85" "d\xe2\x80\xa8" "e", 12, 100, "a b c d e");
	/* Four-byte characters pass. */
	reason("\xf0\x9f\x9a\x8c bus", 8, 100, "\xf0\x9f\x9a\x8c bus");
}

static struct json_object *body_json(const char *payload, int64_t id)
{
	char err[128];
	char *b = notice_body(payload, strlen(payload), id, err, sizeof err);
	CHECK_MSG(payload, b != NULL);
	if (!b) {
		fprintf(stderr, "  (%s)\n", err);
		return NULL;
	}
	struct json_object *o = json_tokener_parse(b);
	CHECK_MSG("the body is JSON", o && json_object_is_type(o, json_type_object));
	free(b);
	return o;
}

static const char *get(struct json_object *o, const char *path)
{
	char key[64];
	const char *p = path;
	while (o && *p) {
		size_t n = strcspn(p, ".");
		snprintf(key, sizeof key, "%.*s", (int)n, p);
		struct json_object *v = NULL;
		if (!json_object_object_get_ex(o, key, &v))
			return NULL;
		o = v;
		p += n + (p[n] == '.');
	}
	return o ? json_object_get_string(o) : NULL;
}

static bool has(const char *text, const char *part)
{
	bool ok = text && strstr(text, part);
	if (!ok)
		fprintf(stderr, "  \"%s\" does not hold \"%s\"\n", text ? text : "(null)", part);
	return ok;
}

static void check_bodies(void)
{
	/* The county's time: UTC+8, no daylight saving. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	struct json_object *o = body_json(
		"{\"kind\":\"confirmed\",\"ride\":17,\"rider\":\"r1\",\"trip\":\"L1-0700\",\"line\":\"L1\","
		"\"line_name\":\"县城—石桥\",\"service_day\":\"2026-11-24\","
		"\"pickup\":{\"stop\":\"A\",\"name\":\"石堰村口\",\"from\":\"2026-11-23T23:00:00Z\",\"to\":\"2026-11-23T23:05:00Z\"},"
		"\"dropoff\":{\"stop\":\"C\",\"name\":\"石桥镇\",\"at\":\"2026-11-23T23:40:00Z\"}}",
		4711);
	CHECK_STR("id", get(o, "notification"), "4711");
	CHECK_STR("the payload is kept", get(o, "trip"), "L1-0700");
	CHECK_STR("nested members too", get(o, "pickup.from"), "2026-11-23T23:00:00Z");
	const char *zh = get(o, "message.zh"), *en = get(o, "message.en");
	CHECK(has(zh, "已确认") && has(zh, "11月24日 07:00—07:05") && has(zh, "石堰村口") && has(zh, "07:40") &&
	      has(zh, "石桥镇") && has(zh, "县城—石桥"));
	CHECK(has(en, "confirmed") && has(en, "on 24 Nov between 07:00 and 07:05") && has(en, "石堰村口") &&
	      has(en, "about 07:40"));
	json_object_put(o);

	o = body_json("{\"kind\":\"offered\",\"pickup\":{\"stop\":\"B\",\"from\":\"2026-12-31T22:30:00Z\","
		      "\"to\":\"2026-12-31T22:35:00Z\"},\"offer_expires\":\"2026-12-31T10:05:00Z\"}",
		      1);
	zh = get(o, "message.zh");
	en = get(o, "message.en");
	/* A stop without a name is called by its code; the new year has begun in the county. */
	CHECK(has(zh, "1月1日 06:30—06:35") && has(zh, "在B上车") && has(zh, "12月31日 18:05前确认"));
	CHECK(has(en, "board at B on 1 Jan between 06:30 and 06:35") && has(en, "confirm by 18:05 on 31 Dec"));
	json_object_put(o);

	o = body_json("{\"kind\":\"refused\",\"reason\":\"no trip within walking distance\"}", 2);
	CHECK(has(get(o, "message.en"), "asked: no trip within walking distance.") &&
	      has(get(o, "message.zh"), "很抱歉"));
	json_object_put(o);

	/* Kinds without a pickup stop, and those tracking will send. */
	static const char *const kinds[] = { "cancelled", "expired", "approaching", "delay", "no_show" };
	for (size_t i = 0; i < JT_ARRAY_LEN(kinds); i++) {
		char payload[64];
		snprintf(payload, sizeof payload, "{\"kind\":\"%s\"}", kinds[i]);
		o = body_json(payload, 3);
		CHECK_MSG(kinds[i], get(o, "message.zh") && strlen(get(o, "message.zh")) > 10 &&
					    get(o, "message.en") && strlen(get(o, "message.en")) > 10);
		CHECK_STR(kinds[i], get(o, "kind"), kinds[i]);
		json_object_put(o);
	}

	/* Quotes, backslashes and a long name still make JSON; the message is cut, not broken. */
	char big[4096];
	size_t k = (size_t)snprintf(big, sizeof big, "{\"kind\":\"approaching\",\"pickup\":{\"name\":\"\\\"q\\\\");
	while (k < sizeof big - 64)
		k += (size_t)snprintf(big + k, sizeof big - k, "村");
	snprintf(big + k, sizeof big - k, "\"}}");
	o = body_json(big, 5);
	CHECK(get(o, "message.zh") && get(o, "message.en"));
	json_object_put(o);

	/* Payloads that cannot be sent. */
	static const char *const bad[] = {
		"[]", "{}", "\"confirmed\"", "{\"kind\":\"teleported\"}", "{\"kind\":7}", "{\"kind\":\"\"}",
		"{\"kind\":\"confirmed\"} {}", "{\"kind\":\"confirmed\"", "",
		"{\"kind\":\"confirmed\",\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
	};
	for (size_t i = 0; i < JT_ARRAY_LEN(bad); i++) {
		char err[128] = "";
		char *b = notice_body(bad[i], strlen(bad[i]), 9, err, sizeof err);
		CHECK_MSG(bad[i], b == NULL && err[0]);
		free(b);
	}
	for (int kind = 0; kind < NOTICE_KIND_COUNT; kind++)
		CHECK_INT(notice_kind_name(kind), notice_kind_parse(notice_kind_name(kind)), kind);
	CHECK_INT("unknown kind", notice_kind_parse("onboard"), -1);
}

int main(void)
{
	check_judge();
	check_waits();
	check_reasons();
	check_bodies();
	return check_done("test_notice");
}
