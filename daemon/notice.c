/*
 * notice.c — a rider's notification as the gateway receives it, and what
 * the gateway's answer means; see notice.h.
 *
 * The message is short on purpose: it ends up in an SMS or is read out by a
 * voice call, so it names the pickup stop and the time window and nothing
 * the rider does not need. Times are the county's local time; the structured
 * members of the payload keep them in UTC for the gateway's own use.
 */
#include "notice.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeparse.h"
#include "util.h"

#define PAYLOAD_DEPTH_MAX 8
#define MESSAGE_MAX 1024

static const char *const kind_names[NOTICE_KIND_COUNT] = {
	[NOTICE_OFFERED] = "offered",         [NOTICE_CONFIRMED] = "confirmed",
	[NOTICE_CANCELLED] = "cancelled",     [NOTICE_EXPIRED] = "expired",
	[NOTICE_REFUSED] = "refused",         [NOTICE_APPROACHING] = "approaching",
	[NOTICE_DELAY] = "delay",             [NOTICE_NO_SHOW] = "no_show",
};

const char *notice_kind_name(enum notice_kind k)
{
	if ((unsigned)k >= NOTICE_KIND_COUNT)
		fatal("notice kind %d", (int)k);
	return kind_names[k];
}

int notice_kind_parse(const char *s)
{
	for (int k = 0; s && k < NOTICE_KIND_COUNT; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return -1;
}

const char *notice_verdict_name(enum notice_verdict v)
{
	switch (v) {
	case NOTICE_DELIVERED: return "delivered";
	case NOTICE_RETRY: return "retry";
	case NOTICE_REJECTED: return "rejected";
	default: fatal("notice verdict %d", (int)v);
	}
}

enum notice_verdict notice_judge(long status)
{
	if (status >= 200 && status <= 299)
		return NOTICE_DELIVERED;
	/* Too slow, too many at once: the same payload may pass later. */
	if (status == 408 || status == 429)
		return NOTICE_RETRY;
	if (status >= 400 && status <= 499)
		return NOTICE_REJECTED;
	/* No answer, 5xx, or something a gateway should not say (1xx, 3xx). */
	return NOTICE_RETRY;
}

int64_t notice_wait_ms(int attempts, long cap_s, long retry_after_s, uint64_t random)
{
	int64_t cap = (int64_t)(cap_s > 0 ? cap_s : 1) * 1000;
	int64_t wait = NOTICE_FIRST_WAIT_MS;
	for (int i = 1; i < attempts && wait < cap; i++)
		wait *= 2;
	if (wait > cap)
		wait = cap;
	wait -= (int64_t)(random % (uint64_t)(wait / 2 + 1));
	if (retry_after_s >= 0) {
		int64_t asked = retry_after_s > cap / 1000 ? cap : (int64_t)retry_after_s * 1000;
		if (asked > wait)
			wait = asked;
	}
	return wait > 0 ? wait : 1;
}

long notice_retry_after_s(const char *value)
{
	if (!value)
		return -1;
	const char *p = value + strspn(value, " \t");
	size_t digits = strspn(p, "0123456789");
	if (digits == 0 || p[digits + strspn(p + digits, " \t")] != '\0')
		return -1;
	long v = 0;
	for (size_t i = 0; i < digits; i++) {
		v = v * 10 + (p[i] - '0');
		if (v > 1000000000L)
			return 1000000000L; /* absurdly far: the cap decides */
	}
	return v;
}

/*
 * The well-formed UTF-8 character at s[0..len): its length, 0 if none starts
 * there; *cp gets its code point.
 */
static size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Control characters, and the line and paragraph separators: a blank in one line of text. */
static bool is_blank(uint32_t cp)
{
	return cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

void notice_reason(const char *body, size_t len, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)body;
	size_t k = 0;
	bool blank = true; /* the last character written was a blank, or none was written */
	for (size_t i = 0; i < len && k + 1 < outlen;) {
		uint32_t cp = 0;
		size_t n = utf8_char(s + i, len - i, &cp);
		if (n == 0) {
			out[k++] = '?'; /* a byte that is not UTF-8 */
			blank = false;
			i++;
		} else if (is_blank(cp)) {
			if (!blank)
				out[k++] = ' ';
			blank = true;
			i += n;
		} else if (k + n < outlen) {
			memcpy(out + k, s + i, n);
			k += n;
			blank = false;
			i += n;
		} else {
			break;
		}
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	if (outlen)
		out[k] = '\0';
}

/* --- the message ---------------------------------------------------------- */

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *text(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);
	return v && json_object_is_type(v, json_type_string) && json_object_get_string_len(v) > 0
		       ? json_object_get_string(v)
		       : NULL;
}

/* A time member in the county's time; false when absent or unreadable. */
static bool local_time(struct json_object *o, const char *key, struct tm *tm)
{
	const char *s = text(o, key);
	jt_ms t;
	if (!s || ts_parse(s, strlen(s), &t) != 0)
		return false;
	time_t secs = (time_t)(t / 1000);
	return localtime_r(&secs, tm) != NULL;
}

static const char *const months_en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

struct facts {
	const char *stop_zh, *stop_en;  /* where the rider boards */
	const char *to_zh, *to_en;      /* where the rider alights */
	const char *line;               /* the line's name, or "" */
	char window_zh[96], window_en[96]; /* "11月24日 07:00—07:05" / "on 24 Nov between 07:00 and 07:05" */
	char arrive[16];                /* "07:25", or "" */
	char expires_zh[48], expires_en[48];
	const char *reason;
};

static void read_facts(struct json_object *p, struct facts *f)
{
	struct json_object *pick = member(p, "pickup"), *drop = member(p, "dropoff");
	const char *stop = text(pick, "name") ? text(pick, "name") : text(pick, "stop");
	const char *to = text(drop, "name") ? text(drop, "name") : text(drop, "stop");
	f->stop_zh = stop ? stop : "上车站点";
	f->stop_en = stop ? stop : "your stop";
	f->to_zh = to ? to : "目的地";
	f->to_en = to ? to : "your destination";
	f->line = text(p, "line_name") ? text(p, "line_name") : text(p, "line") ? text(p, "line") : "";
	f->reason = text(p, "reason");
	struct tm a, b;
	if (local_time(pick, "from", &a)) {
		bool to_known = local_time(pick, "to", &b);
		if (!to_known)
			b = a;
		snprintf(f->window_zh, sizeof f->window_zh, "%d月%d日 %02d:%02d—%02d:%02d", a.tm_mon + 1,
			 a.tm_mday, a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
		snprintf(f->window_en, sizeof f->window_en, "on %d %s between %02d:%02d and %02d:%02d",
			 a.tm_mday, months_en[a.tm_mon], a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
	}
	if (local_time(drop, "at", &a))
		snprintf(f->arrive, sizeof f->arrive, "%02d:%02d", a.tm_hour, a.tm_min);
	if (local_time(p, "offer_expires", &a)) {
		snprintf(f->expires_zh, sizeof f->expires_zh, "%d月%d日 %02d:%02d", a.tm_mon + 1, a.tm_mday,
			 a.tm_hour, a.tm_min);
		snprintf(f->expires_en, sizeof f->expires_en, "%02d:%02d on %d %s", a.tm_hour, a.tm_min,
			 a.tm_mday, months_en[a.tm_mon]);
	}
}

static void compose(enum notice_kind kind, const struct facts *f, char *zh, char *en)
{
	char line_zh[192] = "", line_en[192] = "";
	if (f->line[0]) {
		snprintf(line_zh, sizeof line_zh, "（%s）", f->line);
		snprintf(line_en, sizeof line_en, " (%s)", f->line);
	}
	bool window = f->window_zh[0] != '\0';
	switch (kind) {
	case NOTICE_OFFERED:
		snprintf(zh, MESSAGE_MAX, "已为您保留座位：%s%s在%s上车%s。请在%s前确认，逾期座位将被释放。",
			 f->window_zh, window ? " " : "", f->stop_zh, line_zh,
			 f->expires_zh[0] ? f->expires_zh : "尽快");
		snprintf(en, MESSAGE_MAX, "A seat is held for you: board at %s%s%s%s. Please confirm by %s, or the seat is released.",
			 f->stop_en, window ? " " : "", f->window_en, line_en,
			 f->expires_en[0] ? f->expires_en : "soon");
		return;
	case NOTICE_CONFIRMED: {
		char arr_zh[256] = "", arr_en[256] = "";
		if (f->arrive[0]) {
			snprintf(arr_zh, sizeof arr_zh, "，约%s到达%s", f->arrive, f->to_zh);
			snprintf(arr_en, sizeof arr_en, "; arrive at %s about %s", f->to_en, f->arrive);
		}
		snprintf(zh, MESSAGE_MAX, "您的乘车已确认：%s%s在%s上车%s%s。", f->window_zh, window ? " " : "",
			 f->stop_zh, line_zh, arr_zh);
		snprintf(en, MESSAGE_MAX, "Your ride is confirmed: board at %s%s%s%s%s.", f->stop_en,
			 window ? " " : "", f->window_en, line_en, arr_en);
		return;
	}
	case NOTICE_CANCELLED:
		snprintf(zh, MESSAGE_MAX, "您%s%s在%s上车的乘车已取消。", f->window_zh, window ? " " : "", f->stop_zh);
		snprintf(en, MESSAGE_MAX, "Your ride from %s%s%s is cancelled.", f->stop_en, window ? " " : "",
			 f->window_en);
		return;
	case NOTICE_EXPIRED:
		snprintf(zh, MESSAGE_MAX, "为您保留的座位未在规定时间内确认，已被释放。如仍需乘车，请重新预约。");
		snprintf(en, MESSAGE_MAX, "The seat held for you was not confirmed in time and has been released. "
					  "Book again if you still need a ride.");
		return;
	case NOTICE_REFUSED:
		snprintf(zh, MESSAGE_MAX, "很抱歉，您要求的时间没有可以乘坐的车辆，本次预约未能安排。请换个时间再预约。");
		snprintf(en, MESSAGE_MAX, "Sorry, no bus can take you at the time you asked%s%s. Please book another time.",
			 f->reason ? ": " : "", f->reason ? f->reason : "");
		return;
	case NOTICE_APPROACHING:
		snprintf(zh, MESSAGE_MAX, "车辆即将到达%s，请做好上车准备。", f->stop_zh);
		snprintf(en, MESSAGE_MAX, "Your bus is approaching %s; please get ready to board.", f->stop_en);
		return;
	case NOTICE_DELAY:
		snprintf(zh, MESSAGE_MAX, "车辆晚点，请在%s耐心等候。", f->stop_zh);
		snprintf(en, MESSAGE_MAX, "Your bus is running late; please wait at %s.", f->stop_en);
		return;
	case NOTICE_NO_SHOW:
		snprintf(zh, MESSAGE_MAX, "车辆在%s没有接到您，本次乘车记为未乘车。", f->stop_zh);
		snprintf(en, MESSAGE_MAX, "The bus did not find you at %s; the ride is recorded as missed.",
			 f->stop_en);
		return;
	default:
		fatal("notice kind %d", (int)kind);
	}
}

char *notice_body(const char *payload, size_t len, int64_t id, char *err, size_t errlen)
{
	if (len > (size_t)INT32_MAX) {
		snprintf(err, errlen, "the payload is too large");
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(PAYLOAD_DEPTH_MAX);
	if (!tok)
		fatal("out of memory");
	struct json_object *p = json_tokener_parse_ex(tok, payload, (int)len);
	bool whole = p && json_tokener_get_error(tok) == json_tokener_success &&
		     json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	if (!whole || !json_object_is_type(p, json_type_object)) {
		json_object_put(p);
		snprintf(err, errlen, "the payload is not a JSON object");
		return NULL;
	}
	const char *k = text(p, "kind");
	int kind = notice_kind_parse(k);
	if (kind < 0) {
		json_object_put(p);
		snprintf(err, errlen, "the payload has no known kind");
		return NULL;
	}
	struct facts f = { 0 };
	read_facts(p, &f);
	char zh[MESSAGE_MAX], en[MESSAGE_MAX];
	compose((enum notice_kind)kind, &f, zh, en);
	/* The texts came from the payload: make sure a cut did not split a character. */
	char zh_ok[MESSAGE_MAX], en_ok[MESSAGE_MAX];
	notice_reason(zh, strlen(zh), zh_ok, sizeof zh_ok);
	notice_reason(en, strlen(en), en_ok, sizeof en_ok);
	struct json_object *msg = json_object_new_object();
	json_object_object_add(msg, "zh", json_object_new_string(zh_ok));
	json_object_object_add(msg, "en", json_object_new_string(en_ok));
	json_object_object_add(p, "notification", json_object_new_int64(id));
	json_object_object_add(p, "message", msg);
	char *out = xstrdup(
		json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(p);
	return out;
}
