/*
 * bookreply.c — the daemon's answer about a ride, read as untrusted; see
 * bookreply.h.
 */
#include "bookreply.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "timeparse.h"

#define BODY_MAX (1 << 20)

static json_object *member(json_object *o, const char *k, json_type type)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A string member copied if it fits and holds only `allowed` bytes (printable ASCII when NULL). */
static bool text(json_object *o, const char *k, const char *allowed, char *out, size_t len)
{
	json_object *v = member(o, k, json_type_string);
	out[0] = '\0';
	if (!v)
		return false;
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	if (n == 0 || n >= len || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (allowed ? !strchr(allowed, s[i]) : (s[i] < 0x20 || s[i] == 0x7f))
			return false;
	memcpy(out, s, n + 1);
	return true;
}

static jt_ms when(json_object *o, const char *k)
{
	json_object *v = member(o, k, json_type_string);
	jt_ms t;
	if (!v || ts_parse(json_object_get_string(v), (size_t)json_object_get_string_len(v), &t) != 0 || t <= 0)
		return 0;
	return t;
}

int bookreply_parse(const char *body, size_t len, struct bookreply *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!body || len == 0 || len > BODY_MAX) {
		snprintf(err, errlen, "no answer, or one too long");
		return -1;
	}
	struct json_tokener *tok = json_tokener_new_ex(32);
	json_object *o = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
	if (tok)
		json_tokener_free(tok);
	int rc = -1;
	if (!o || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "the answer is not a JSON object");
		goto done;
	}
	if (!text(o, "id", "0123456789", out->id, sizeof out->id) ||
	    !text(o, "state", "abcdefghijklmnopqrstuvwxyz_", out->state, sizeof out->state)) {
		snprintf(err, errlen, "the answer has no ride id or state");
		goto done;
	}
	static const char code_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
	json_object *offer = member(o, "offer", json_type_object);
	char kind[16];
	if (offer && text(offer, "kind", NULL, kind, sizeof kind)) {
		if (!strcmp(kind, "seat"))
			out->offer = BOOKREPLY_SEAT;
		else if (!strcmp(kind, "vehicle"))
			out->offer = BOOKREPLY_VAN;
		(void)text(offer, "trip", code_chars, out->trip, sizeof out->trip);
		(void)text(offer, "vehicle", code_chars, out->vehicle, sizeof out->vehicle);
		out->pickup_from = when(offer, "pickup_from");
		out->pickup_to = when(offer, "pickup_to");
		out->dropoff_at = when(offer, "dropoff_at");
	}
	json_object *reason = member(o, "reason", json_type_string);
	if (reason) {
		/* cut to fit, printable bytes only; a multi-byte character at the cut end is dropped */
		const char *s = json_object_get_string(reason);
		size_t k = 0;
		for (size_t i = 0; s[i] && k + 1 < sizeof out->reason; i++)
			if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
				out->reason[k++] = s[i];
		while (k > 0 && ((unsigned char)out->reason[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)out->reason[k - 1] >= 0xc0)
			k--;
		out->reason[k] = '\0';
	}
	rc = 0;
done:
	json_object_put(o);
	return rc;
}
