/*
 * day.c — the daemon's clock and the county's shifts; see day.h.
 */
#include "day.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t n;
};

static size_t take(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	if (b->n + n > 65536)
		return 0; /* a health reply is small */
	char *p = realloc(b->p, b->n + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->n, data, n);
	b->p = p;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

static bool member_i64(struct json_object *o, const char *key, int64_t *out)
{
	struct json_object *x;
	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_int))
		return false;
	*out = json_object_get_int64(x);
	return true;
}

int day_daemon_clock(const char *url, struct clock_sim *c, char *err, size_t errlen)
{
	char full[512];
	struct buf b = { 0 };
	long status = 0;
	snprintf(full, sizeof full, "%s/healthz", url);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "no HTTP client");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, full);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, take);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK || status != 200 || !b.p) {
		snprintf(err, errlen, "%s: %s", full, rc != CURLE_OK ? curl_easy_strerror(rc) : "no health reply");
		free(b.p);
		return -1;
	}
	struct json_object *root = json_tokener_parse(b.p), *clk, *sim, *rate;
	free(b.p);
	int result = 0;
	if (!root || !json_object_object_get_ex(root, "clock", &clk)) {
		result = 0; /* a daemon without a simulated clock */
	} else if (json_object_object_get_ex(clk, "simulated", &sim) && json_object_get_boolean(sim)) {
		result = 1;
		if (!json_object_object_get_ex(clk, "rate", &rate) || !member_i64(clk, "start_ms", &c->start) ||
		    !member_i64(clk, "anchor_ms", &c->anchor)) {
			snprintf(err, errlen, "the daemon's clock is simulated but %s does not say how", full);
			result = -1;
		} else {
			c->rate = json_object_get_double(rate);
			if (!(c->rate > 0 && c->rate <= 1e5)) {
				snprintf(err, errlen, "the daemon's clock rate %g makes no sense", c->rate);
				result = -1;
			}
		}
	}
	json_object_put(root);
	return result;
}

static bool hhmm(const char *s, double *out)
{
	int h, m;
	char end;
	if (!s || sscanf(s, "%d:%d%c", &h, &m, &end) != 2 || h < 0 || h > 47 || m < 0 || m > 59)
		return false;
	*out = h * 3600.0 + m * 60.0;
	return true;
}

int day_shifts(const char *dir, struct day_shift **out, size_t *n, char *err, size_t errlen)
{
	char path[600];
	snprintf(path, sizeof path, "%s/county.json", dir);
	*out = NULL;
	*n = 0;
	struct json_object *root = json_object_from_file(path), *shifts;
	if (!root) {
		snprintf(err, errlen, "%s: %s", path, json_util_get_last_err());
		return -1;
	}
	if (!json_object_object_get_ex(root, "shifts", &shifts) || !json_object_is_type(shifts, json_type_array)) {
		json_object_put(root);
		return 0; /* a county without booked vans */
	}
	size_t k = json_object_array_length(shifts);
	struct day_shift *s = calloc(k ? k : 1, sizeof *s);
	if (!s)
		abort();
	for (size_t i = 0; i < k; i++) {
		struct json_object *o = json_object_array_get_idx(shifts, i), *x;
		struct day_shift d = { 0 };
		const char *code = json_object_object_get_ex(o, "code", &x) ? json_object_get_string(x) : NULL;
		const char *veh = json_object_object_get_ex(o, "vehicle", &x) ? json_object_get_string(x) : NULL;
		const char *depot = json_object_object_get_ex(o, "depot", &x) ? json_object_get_string(x) : NULL;
		const char *start = json_object_object_get_ex(o, "start", &x) ? json_object_get_string(x) : NULL;
		const char *end = json_object_object_get_ex(o, "end", &x) ? json_object_get_string(x) : NULL;
		if (!code || !veh || !depot || strlen(code) >= sizeof d.code || strlen(veh) >= sizeof d.vehicle ||
		    strlen(depot) >= sizeof d.depot || !hhmm(start, &d.start_s) || !hhmm(end, &d.end_s))
			continue;
		snprintf(d.code, sizeof d.code, "%s", code);
		snprintf(d.vehicle, sizeof d.vehicle, "%s", veh);
		snprintf(d.depot, sizeof d.depot, "%s", depot);
		s[(*n)++] = d;
	}
	json_object_put(root);
	*out = s;
	return 0;
}
