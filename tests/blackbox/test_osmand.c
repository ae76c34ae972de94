/*
 * The OsmAnd protocol as tracking apps speak it, end to end: every way of
 * sending a fix and a timestamp is stored with the right values, and every
 * kind of bad input is refused with its reason and stores nothing.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct h_test t;

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}
static long long base_s; /* each accepted fix gets its own second */
static int stored_expected;

static long send_fix(const char *method, const char *query, const char *ct, const char *body,
		     char *code, size_t codelen)
{
	char path[2048];
	snprintf(path, sizeof path, "/%s%s", query && *query ? "?" : "", query ? query : "");
	struct h_resp r;
	h_http(&t, method, path, ct, NULL, body, body ? strlen(body) : 0, &r);
	if (code) {
		code[0] = '\0';
		const char *p = strstr(r.body, "\"error\":\"");
		if (p)
			snprintf(code, codelen, "%.*s", (int)strcspn(p + 9, "\""), p + 9);
	}
	long st = r.status;
	h_resp_free(&r);
	return st;
}

/* Value of an expression over the row stored at second s (x1000, rounded), or -1. */
static long long stored(long long s, const char *expr)
{
	return h_sql_num(&t, "SELECT round((%s) * 1000) FROM position WHERE fix_time = to_timestamp(%lld)",
			 expr, s);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void iso(long long s, char *buf, size_t len, const char *fmt)
{
	time_t tt = (time_t)s;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, fmt, &tm);
}
#pragma GCC diagnostic pop

static void accepted_forms(void)
{
	char q[1024], body[1024], ts[64];
	long long s;

	/* GET, Unix seconds, speed in knots. */
	s = base_s + 1;
	snprintf(q, sizeof q, "id=tab-1&lat=30.5&lon=104.25&timestamp=%lld&speed=10&bearing=90", s);
	CHECK(send_fix("GET", q, NULL, NULL, NULL, 0) == 200, "GET seconds");
	CHECK(stored(s, "speed") == 5144, "10 knots stored as %lld mm/s", stored(s, "speed"));
	CHECK(stored(s, "heading") == 90000, "bearing");
	CHECK(stored(s, "lat") == 30500 && stored(s, "lon") == 104250, "position");
	/* GIS tools read the same fix as a point. */
	CHECK(h_sql_num(&t, "SELECT round(ST_Y(geom) * 1000) + round(ST_X(geom) * 1000) * 1000000"
			    " FROM position_point WHERE fix_time = to_timestamp(%lld) AND ST_SRID(geom) = 4326",
			s) == 104250030500LL,
	      "point geometry of the fix");

	/* deviceid, location=lat,lon, Unix milliseconds, heading, hdop. */
	s = base_s + 2;
	snprintf(q, sizeof q,
		 "deviceid=tab-1&location=30.6,104.3&timestamp=%lld&heading=180.5&hdop=2&altitude=512&batt=80",
		 s * 1000);
	CHECK(send_fix("GET", q, NULL, NULL, NULL, 0) == 200, "GET milliseconds");
	CHECK(stored(s, "heading") == 180500, "heading");
	CHECK(stored(s, "altitude") == 512000, "altitude");
	CHECK(stored(s, "battery") == 800, "batt percent stored as fraction: %lld", stored(s, "battery"));
	CHECK(stored(s, "accuracy") > 0, "hdop gives an accuracy");

	/* POST form body, ISO 8601 with Z, accuracy, unknown parameters. */
	s = base_s + 3;
	iso(s, ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ");
	snprintf(body, sizeof body,
		 "id=tab-1&lat=30.7&lon=104.4&timestamp=%s&accuracy=7.5&charge=true&driverUniqueId=x&foo=",
		 ts);
	CHECK(send_fix("POST", NULL, "application/x-www-form-urlencoded", body, NULL, 0) == 200,
	      "POST form ISO");
	CHECK(stored(s, "accuracy") == 7500, "accuracy");
	CHECK(stored(s, "speed") == -1 || h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld) AND speed IS NULL", s) == 1,
	      "missing speed is NULL");

	/* POST with the parameters in the URL and no body (Traccar Client). */
	s = base_s + 4;
	iso(s, ts, sizeof ts, "%Y-%m-%d%%20%H:%M:%S");
	snprintf(q, sizeof q, "id=tab-1&lat=30.8&lon=104.5&timestamp=%s", ts);
	CHECK(send_fix("POST", q, NULL, NULL, NULL, 0) == 200, "POST query, yyyy-MM-dd HH:mm:ss");
	CHECK(stored(s, "lat") == 30800, "stored at the right second");

	/* ISO 8601 with an offset: 08:00 ahead of UTC is the same instant. */
	s = base_s + 5;
	iso(s + 8 * 3600, ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%%2B08:00");
	snprintf(q, sizeof q, "id=tab-1&lat=30.9&lon=104.6&timestamp=%s", ts);
	CHECK(send_fix("GET", q, NULL, NULL, NULL, 0) == 200, "ISO with offset");
	CHECK(stored(s, "lat") == 30900, "offset applied");

	/* JSON body: speed in m/s, -1 for unknown, battery level. */
	s = base_s + 6;
	iso(s, ts, sizeof ts, "%Y-%m-%dT%H:%M:%S.000Z");
	snprintf(body, sizeof body,
		 "{\"device_id\":\"tab-1\",\"location\":{\"timestamp\":\"%s\",\"coords\":"
		 "{\"latitude\":31.0,\"longitude\":104.7,\"speed\":12.5,\"heading\":-1,"
		 "\"altitude\":-1,\"accuracy\":4},\"is_moving\":true,\"odometer\":100,"
		 "\"battery\":{\"level\":0.5,\"is_charging\":false},\"activity\":{\"type\":\"still\"}},"
		 "\"extra\":[1,2,3]}",
		 ts);
	CHECK(send_fix("POST", NULL, "application/json", body, NULL, 0) == 200, "JSON body");
	CHECK(stored(s, "speed") == 12500, "JSON speed is m/s");
	CHECK(stored(s, "battery") == 500, "battery level");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE fix_time = to_timestamp(%lld)"
			    " AND heading IS NULL AND altitude IS NULL", s) == 1,
	      "-1 stored as unknown");
	stored_expected = 6;
}

struct bad {
	const char *query;
	const char *code;
};

static void refused(void)
{
	long long now = (long long)time(NULL);
	char future[32], old[32];
	snprintf(future, sizeof future, "%lld", now + 3 * 3600);
	snprintf(old, sizeof old, "%lld", now - 30 * 86400);
	char longid[80];
	memset(longid, 'x', 70);
	longid[70] = '\0';
	char q[1024];
	const struct bad cases[] = {
		{ "lat=30&lon=104&timestamp=NOW", "missing_device" },
		{ "id=tab-1&lon=104&timestamp=NOW", "missing_position" },
		{ "id=tab-1&lat=nan&lon=104&timestamp=NOW", "not_finite" },
		{ "id=tab-1&lat=30&lon=inf&timestamp=NOW", "not_finite" },
		{ "id=tab-1&lat=91&lon=104&timestamp=NOW", "out_of_range" },
		{ "id=tab-1&lat=30&lon=181&timestamp=NOW", "out_of_range" },
		{ "id=tab-1&lat=30&lon=104&timestamp=NOW&speed=-5", "out_of_range" },
		{ "id=tab-1&lat=0&lon=0&timestamp=NOW", "null_island" },
		{ "id=tab-1&lat=30&lon=104", "missing_time" },
		{ "id=tab-1&lat=30&lon=104&timestamp=yesterday", "malformed" },
		{ "id=tab-1&lat=thirty&lon=104&timestamp=NOW", "malformed" },
		{ "id=tab-1&lat=30&lon=104&timestamp=FUTURE", "future" },
		{ "id=tab-1&lat=30&lon=104&timestamp=OLD", "too_old" },
		{ "id=nobody&lat=30&lon=104&timestamp=NOW", "unknown_device" },
		{ "id=LONGID&lat=30&lon=104&timestamp=NOW", "bad_device" },
		{ "id=tab%001&lat=30&lon=104&timestamp=NOW", "bad_device" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* Substitute the placeholders. */
		char tmp[1024];
		snprintf(tmp, sizeof tmp, "%s", cases[i].query);
		q[0] = '\0';
		for (char *p = tmp; *p;) {
			if (strncmp(p, "NOW", 3) == 0) {
				snprintf(q + strlen(q), sizeof q - strlen(q), "%lld", now);
				p += 3;
			} else if (strncmp(p, "FUTURE", 6) == 0) {
				strcat(q, future);
				p += 6;
			} else if (strncmp(p, "OLD", 3) == 0) {
				strcat(q, old);
				p += 3;
			} else if (strncmp(p, "LONGID", 6) == 0) {
				strcat(q, longid);
				p += 6;
			} else {
				size_t k = strlen(q);
				q[k] = *p++;
				q[k + 1] = '\0';
			}
		}
		char code[64];
		long st = send_fix("GET", q, NULL, NULL, code, sizeof code);
		CHECK(st == 400 && strcmp(code, cases[i].code) == 0, "%s: got %ld %s, want 400 %s",
		      cases[i].query, st, code, cases[i].code);
	}
	char code[64];
	CHECK(send_fix("POST", NULL, "application/json", "{\"device_id\":\"tab-1\",", code,
		       sizeof code) == 400 && strcmp(code, "malformed") == 0,
	      "truncated JSON: %s", code);
	CHECK(send_fix("POST", NULL, "application/json",
		       "{\"device_id\":\"tab-1\",\"location\":{\"timestamp\":\"2026-01-01T00:00:00Z\","
		       "\"coords\":{\"latitude\":\"30\",\"longitude\":104}}}",
		       code, sizeof code) == 400,
	      "latitude as a string is refused");
	/*
	 * A body over the limit (1 MiB by default), sent as HTTP clients send
	 * large bodies: announced with Expect: 100-continue, so the 413 comes
	 * before the body (a client that pushes the body regardless may see the
	 * connection reset instead of the reply).
	 */
	size_t big = 2 * 1024 * 1024;
	char *huge = malloc(big + 1);
	memset(huge, 'a', big);
	huge[big] = '\0';
	CURL *c = curl_easy_init();
	char url[200];
	snprintf(url, sizeof url, "%s/", t.d.url);
	struct curl_slist *h = curl_slist_append(NULL, "Expect: 100-continue");
	h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, huge);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)big);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	long st = 0;
	CURLcode cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	CHECK(st == 413, "oversized body answered %ld (%s)", st, curl_easy_strerror(cc));
	free(huge);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position") == stored_expected,
	      "refused fixes stored: %lld rows", h_sql_num(&t, "SELECT count(*) FROM position"));
	/* The daemon is still healthy after all that. */
	struct h_resp r;
	h_http(&t, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200, "healthz after bad input: %ld", r.status);
	h_resp_free(&r);
}

static void networks(void)
{
	/* Only registered ids from given networks: loopback is not in 10.0.0.0/8. */
	h_stop(&t, 15);
	const char *args[] = { "--osmand-networks", "10.0.0.0/8", NULL };
	h_start(&t, args);
	char q[256], code[64];
	snprintf(q, sizeof q, "id=tab-1&lat=30&lon=104&timestamp=%lld", base_s + 50);
	CHECK(send_fix("GET", q, NULL, NULL, code, sizeof code) == 403, "outside networks: %s", code);
	h_stop(&t, 15);
	const char *args2[] = { "--osmand-networks", "10.0.0.0/8, 127.0.0.0/8", NULL };
	h_start(&t, args2);
	CHECK(send_fix("GET", q, NULL, NULL, code, sizeof code) == 200, "inside networks: %s", code);
}

int main(void)
{
	h_init(&t, "osmand");
	h_create_operator(&t);
	h_start(&t, NULL);
	h_add_vehicle(&t, "BUS-1");
	char token[128];
	h_add_device(&t, "tab-1", "BUS-1", token);
	base_s = (long long)time(NULL) - 7200;
	accepted_forms();
	refused();
	networks();
	return h_finish(&t);
}
