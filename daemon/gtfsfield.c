/*
 * gtfsfield.c — reading GTFS times, dates and colors, and checking the
 * syntax of the text types (URL, email, time zone, language).
 *
 * Everything is done byte by byte on ASCII: no locale, no time zone
 * database, no C library date functions. The checks of text types are
 * about form only; a URL is not fetched, a zone not looked up.
 */
#include "gtfsfield.h"

#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gtfs_parse_time(const char *s, size_t len, int *seconds)
{
	if (!s || (len != 7 && len != 8))
		return -1;
	size_t h = len - 6; /* hour digits */
	for (size_t i = 0; i < len; i++)
		if (i == h || i == h + 3 ? s[i] != ':' : !is_digit(s[i]))
			return -1;
	int hours = h == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
	int min = (s[h + 1] - '0') * 10 + (s[h + 2] - '0');
	int sec = (s[h + 4] - '0') * 10 + (s[h + 5] - '0');
	if (hours > 47 || min > 59 || sec > 59)
		return -1;
	*seconds = hours * 3600 + min * 60 + sec;
	return 0;
}

int gtfs_parse_date(const char *s, size_t len, struct gtfs_date *d)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int v[8];
	if (!s || len != 8)
		return -1;
	for (size_t i = 0; i < 8; i++) {
		if (!is_digit(s[i]))
			return -1;
		v[i] = s[i] - '0';
	}
	int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	int m = v[4] * 10 + v[5];
	int day = v[6] * 10 + v[7];
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || day < 1 || day > days[m - 1] + (m == 2 && leap))
		return -1;
	*d = (struct gtfs_date){y, m, day};
	return 0;
}

int gtfs_parse_color(const char *s, size_t len, uint32_t *rgb)
{
	uint32_t v = 0;
	if (!s || len != 6)
		return -1;
	for (size_t i = 0; i < 6; i++) {
		int h = hex_digit(s[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (uint32_t)h;
	}
	*rgb = v;
	return 0;
}

/* No space or control character anywhere. */
static bool no_blanks(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool prefix_nocase(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if ((s[i] | 0x20) != p[i])
			return false;
	return true;
}

bool gtfs_url_valid(const char *s, size_t len)
{
	size_t k = 0;
	if (prefix_nocase(s, len, "http://"))
		k = 7;
	else if (prefix_nocase(s, len, "https://"))
		k = 8;
	return k && len > k && s[k] != '/' && no_blanks(s, len);
}

bool gtfs_email_valid(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (!at || at == s || !no_blanks(s, len))
		return false;
	const char *dom = at + 1;
	size_t dn = len - (size_t)(dom - s);
	const char *dot = dn ? memchr(dom, '.', dn) : NULL;
	return dot && dot != dom && dom[dn - 1] != '.' && !memchr(dom, '@', dn);
}

bool gtfs_timezone_valid(const char *s, size_t len)
{
	if (len == 0 || len > 64 || !is_alpha(s[0]) || s[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '/' && s[i - 1] == '/')
			return false;
		if (!is_alpha(c) && !is_digit(c) && c != '/' && c != '_' && c != '-' && c != '+')
			return false;
	}
	return true;
}

bool gtfs_language_valid(const char *s, size_t len)
{
	size_t sub = 0, subtags = 0;
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '-') {
			if (sub == 0 || sub > 8)
				return false;
			sub = 0;
			subtags++;
			continue;
		}
		if (!is_alpha(s[i]) && !(subtags > 0 && is_digit(s[i])))
			return false;
		sub++;
	}
	return true;
}
