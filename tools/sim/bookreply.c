/*
 * bookreply.c — the daemon's answer about a ride, read as untrusted; see
 * bookreply.h.
 */
#include "bookreply.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "jintong.pb-c.h"
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

/* s copied if it fits and holds only `allowed` bytes (printable ASCII when NULL). */
static bool copy(const char *s, size_t n, const char *allowed, char *out, size_t len)
{
	out[0] = '\0';
	if (!s || n == 0 || n >= len || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (allowed ? !strchr(allowed, s[i]) : ((unsigned char)s[i] < 0x20 || s[i] == 0x7f))
			return false;
	memcpy(out, s, n + 1);
	return true;
}

static bool text(json_object *o, const char *k, const char *allowed, char *out, size_t len)
{
	json_object *v = member(o, k, json_type_string);
	out[0] = '\0';
	return v && copy(json_object_get_string(v), (size_t)json_object_get_string_len(v), allowed, out, len);
}

static const char digits[] = "0123456789";
static const char state_chars[] = "abcdefghijklmnopqrstuvwxyz_";
static const char code_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

/* cut to fit, printable bytes only; a multi-byte character at the cut end is dropped */
static void reason(const char *s, char *out, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; s && s[i] && k + 1 < len; i++)
		if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
			out[k++] = s[i];
	while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
		k--;
	if (k > 0 && (unsigned char)out[k - 1] >= 0xc0)
		k--;
	out[k] = '\0';
}

static enum bookreply_offer offer_kind(const char *kind)
{
	return !kind ? BOOKREPLY_NONE : !strcmp(kind, "seat") ? BOOKREPLY_SEAT :
	       !strcmp(kind, "vehicle") ? BOOKREPLY_VAN : BOOKREPLY_NONE;
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
	if (!text(o, "id", digits, out->id, sizeof out->id) ||
	    !text(o, "state", state_chars, out->state, sizeof out->state)) {
		snprintf(err, errlen, "the answer has no ride id or state");
		goto done;
	}
	json_object *offer = member(o, "offer", json_type_object);
	char kind[16];
	if (offer && text(offer, "kind", NULL, kind, sizeof kind)) {
		out->offer = offer_kind(kind);
		(void)text(offer, "trip", code_chars, out->trip, sizeof out->trip);
		(void)text(offer, "vehicle", code_chars, out->vehicle, sizeof out->vehicle);
		out->pickup_from = when(offer, "pickup_from");
		out->pickup_to = when(offer, "pickup_to");
		out->dropoff_at = when(offer, "dropoff_at");
	}
	json_object *why = member(o, "reason", json_type_string);
	if (why)
		reason(json_object_get_string(why), out->reason, sizeof out->reason);
	rc = 0;
done:
	json_object_put(o);
	return rc;
}

static jt_ms ms(protobuf_c_boolean has, int64_t v)
{
	return has && v > 0 ? (jt_ms)v : 0;
}

int bookreply_parse_pb(const uint8_t *data, size_t len, struct bookreply *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!data || len == 0 || len > BODY_MAX) {
		snprintf(err, errlen, "no answer, or one too long");
		return -1;
	}
	Jintong__Ride *r = jintong__ride__unpack(NULL, len, data);
	if (!r) {
		snprintf(err, errlen, "the answer is not a jintong.Ride");
		return -1;
	}
	int rc = -1;
	if (!r->id || !copy(r->id, strlen(r->id), digits, out->id, sizeof out->id) || !r->state ||
	    !copy(r->state, strlen(r->state), state_chars, out->state, sizeof out->state)) {
		snprintf(err, errlen, "the answer has no ride id or state");
		memset(out, 0, sizeof *out);
		goto done;
	}
	const Jintong__Offer *f = r->offer;
	if (f && f->kind) {
		out->offer = offer_kind(f->kind);
		if (f->trip)
			(void)copy(f->trip, strlen(f->trip), code_chars, out->trip, sizeof out->trip);
		if (f->vehicle)
			(void)copy(f->vehicle, strlen(f->vehicle), code_chars, out->vehicle, sizeof out->vehicle);
		out->pickup_from = ms(f->has_pickup_from_ms, f->pickup_from_ms);
		out->pickup_to = ms(f->has_pickup_to_ms, f->pickup_to_ms);
		out->dropoff_at = ms(f->has_dropoff_at_ms, f->dropoff_at_ms);
	}
	if (r->reason)
		reason(r->reason, out->reason, sizeof out->reason);
	rc = 0;
done:
	jintong__ride__free_unpacked(r, NULL);
	return rc;
}
