/*
 * check.c — local validation of operators' input; see check.h.
 */
#include "check.h"

#include "table.h"

#include <string.h>

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool check_code(const char *s)
{
	if (!s || !is_alnum(s[0]))
		return false;
	size_t n = 1;
	for (; s[n]; n++) {
		char c = s[n];
		if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
			return false;
	}
	return n <= CHECK_CODE_MAX;
}

/* Printable ASCII except space: what the database accepts for device ids and tokens. */
static bool graph_ascii(const char *s, size_t max)
{
	if (!s || !*s)
		return false;
	size_t n = 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		if (c < 0x21 || c > 0x7E)
			return false;
	}
	return n <= max;
}

bool check_device_id(const char *s)
{
	return graph_ascii(s, JT_DEVICE_ID_MAX);
}

bool check_token(const char *s)
{
	return graph_ascii(s, 4096);
}

bool check_name(const char *s)
{
	if (!s || !*s)
		return false;
	if (strlen(s) > CHECK_NAME_MAX)
		return false;
	while (*s) {
		uint32_t cp;
		int n = table_utf8_next(s, &cp);
		if (n < 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return false;
		/* the same characters table_clean() would hide */
		if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return false;
		s += n;
	}
	return true;
}

bool check_whole(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return false;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		int d = *s - '0';
		if (v > (max - d) / 10)
			return false; /* beyond max, and never overflows */
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool check_url(const char *s)
{
	const char *host;
	if (!s)
		return false;
	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	if (!*host || *host == '/' || *host == ':')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7F)
			return false;
	}
	return true;
}
