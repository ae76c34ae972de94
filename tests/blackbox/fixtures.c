/*
 * fixtures.c — requests and readers shared by the black-box tests; see
 * fixtures.h.
 */
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long h_call(struct h_test *t, const char *method, const char *path, const char *json, char *res, size_t len)
{
	struct h_resp r;
	h_admin(t, method, path, json, &r);
	if (res)
		snprintf(res, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

long h_book(struct h_test *t, const char *day, const char *rider, const char *from, const char *to,
	    const char *when, const char *extra, char *res, size_t len)
{
	char json[1024];
	snprintf(json, sizeof json, "{\"rider\":\"%s\",\"from\":%s,\"to\":%s,\"leave_after\":\"%sT%s\"%s%s}", rider,
		 from, to, day, when, extra ? "," : "", extra ? extra : "");
	struct h_resp r;
	h_http(t, "POST", "/v1/rides", "application/json", t->op_token, json, strlen(json), &r);
	snprintf(res, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

const char *h_member(const char *json, const char *key, char *res, size_t len)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	const char *p = strstr(json, pat);
	res[0] = '\0';
	if (p) {
		p += strlen(pat);
		size_t n = strcspn(p, "\"");
		snprintf(res, len, "%.*s", (int)(n < len ? n : len - 1), p);
	}
	return res;
}

char *h_slurp(const char *dir, const char *name, size_t *len)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0)
		if ((n += got) == cap - 1)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
