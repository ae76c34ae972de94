/*
 * fuzz_notice.c — what a notification gateway (or anything answering at its
 * address) sends back, and payloads as the database holds them. An answer
 * becomes a reason that is one line of valid, printable UTF-8 within its
 * buffer, whatever the bytes; a Retry-After is a number of seconds or
 * nothing; a payload is either refused with a reason or becomes a JSON
 * object carrying the notification's id and a message in both languages.
 */
#include "fuzz.h"

#include <json-c/json.h>

#include "notice.h"

/* Valid UTF-8 without control characters, no blank at either end, none doubled. */
static bool one_clean_line(const char *s)
{
	size_t len = strlen(s);
	if (len && (s[0] == ' ' || s[len - 1] == ' '))
		return false;
	if (strstr(s, "  "))
		return false;
	char again[600];
	if (len >= sizeof again)
		return false;
	/* Cleaning clean text changes nothing. */
	notice_reason(s, len, again, sizeof again);
	if (strcmp(again, s) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static const char *member_string(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	static const size_t sizes[] = { 1, 2, 5, 64, 513 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char out[600];
		memset(out, 'X', sizeof out);
		notice_reason(text, size, out, sizes[i]);
		FUZZ_ASSERT(memchr(out, '\0', sizes[i]) != NULL);
		FUZZ_ASSERT(one_clean_line(out));
	}

	char header[256];
	size_t hn = size < sizeof header - 1 ? size : sizeof header - 1;
	memcpy(header, data, hn);
	header[hn] = '\0';
	long ra = notice_retry_after_s(header);
	FUZZ_ASSERT(ra >= -1 && ra <= 1000000000L);
	uint64_t random = 0;
	memcpy(&random, data, size < sizeof random ? size : sizeof random);
	int attempts = size ? data[0] : 1;
	int64_t wait = notice_wait_ms(attempts, 600, ra, random);
	FUZZ_ASSERT(wait >= 1 && wait <= 600000);

	char err[128];
	memset(err, 0, sizeof err);
	char *body = notice_body(text, size, 42, err, sizeof err);
	if (!body) {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
		return 0;
	}
	struct json_object *o = json_tokener_parse(body);
	FUZZ_ASSERT(o && json_object_is_type(o, json_type_object));
	struct json_object *id;
	FUZZ_ASSERT(json_object_object_get_ex(o, "notification", &id) && json_object_get_int64(id) == 42);
	FUZZ_ASSERT(notice_kind_parse(member_string(o, "kind", NULL)) >= 0);
	const char *zh = member_string(o, "message", "zh"), *en = member_string(o, "message", "en");
	FUZZ_ASSERT(zh && en && zh[0] && en[0]);
	json_object_put(o);
	free(body);
	return 0;
}
