/*
 * format.c — turning the daemon's values into text for operators; see format.h.
 */
#include "format.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Reads exactly n digits. */
static bool digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*s += n;
	*out = v;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

bool fmt_parse_time(const char *s, jt_ms *out)
{
	int y, mo, d, h, mi, sec, ms = 0;
	if (!s)
		return false;
	if (!digits(&s, 4, &y) || !expect(&s, '-') || !digits(&s, 2, &mo) || !expect(&s, '-') ||
	    !digits(&s, 2, &d))
		return false;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return false;
	s++;
	if (!digits(&s, 2, &h) || !expect(&s, ':') || !digits(&s, 2, &mi) || !expect(&s, ':') ||
	    !digits(&s, 2, &sec))
		return false;
	if (*s == '.') {
		s++;
		int scale = 100, n = 0;
		while (*s >= '0' && *s <= '9') {
			ms += (*s - '0') * scale;
			scale /= 10;
			s++;
			n++;
		}
		if (n == 0)
			return false;
	}
	int offset_min = 0;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1, oh, om;
		s++;
		if (!digits(&s, 2, &oh))
			return false;
		(void)expect(&s, ':');
		if (!digits(&s, 2, &om))
			return false;
		offset_min = sign * (oh * 60 + om);
	} else {
		return false;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = sec,
	};
	time_t t = timegm(&tm);
	*out = ((jt_ms)t - (jt_ms)offset_min * 60) * 1000 + ms;
	return true;
}

void fmt_age(char *buf, size_t size, jt_ms now, jt_ms then)
{
	jt_ms diff = now - then;
	bool future = diff < 0;
	jt_ms s = (future ? -diff : diff) / 1000;
	if (s < 1) {
		snprintf(buf, size, "just now");
		return;
	}
	const char *unit = "s";
	jt_ms v = s;
	if (s >= 2 * 86400) {
		v = s / 86400, unit = "d";
	} else if (s >= 3600) {
		v = s / 3600, unit = "h";
	} else if (s >= 60) {
		v = s / 60, unit = "m";
	}
	if (future)
		snprintf(buf, size, "in %lld%s", (long long)v, unit);
	else
		snprintf(buf, size, "%lld%s ago", (long long)v, unit);
}

/* The time in the operator's time zone, with seconds or without. */
static void local_time(char *buf, size_t size, jt_ms t, bool seconds)
{
	time_t secs = (time_t)(t >= 0 ? t / 1000 : (t - 999) / 1000);
	struct tm tm;
	size_t n = 0;
	if (localtime_r(&secs, &tm))
		n = seconds ? strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm)
			    : strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
	if (n == 0)
		snprintf(buf, size, "?");
}

void fmt_local_time(char *buf, size_t size, jt_ms t)
{
	local_time(buf, size, t, false);
}

void fmt_local_seconds(char *buf, size_t size, jt_ms t)
{
	local_time(buf, size, t, true);
}

const char *fmt_time_member(char *buf, size_t size, json_object *o, const char *key)
{
	const char *s = fmt_str(o, key);
	jt_ms t;
	if (!s)
		return NULL;
	if (!fmt_parse_time(s, &t))
		return s; /* show what the daemon sent rather than nothing */
	fmt_local_time(buf, size, t);
	return buf;
}

void fmt_position(char *buf, size_t size, double lat, double lon)
{
	snprintf(buf, size, "%.5f,%.5f", lat, lon);
}

json_object *fmt_member(json_object *o, const char *key)
{
	json_object *v;
	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

const char *fmt_str(json_object *o, const char *key)
{
	json_object *v = fmt_member(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool fmt_num(json_object *o, const char *key, double *out)
{
	json_object *v = fmt_member(o, key);
	if (!v || !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return false;
	*out = json_object_get_double(v);
	return true;
}

const char *fmt_int_text(char *buf, size_t size, json_object *o, const char *key)
{
	json_object *v = fmt_member(o, key);
	if (!v || !json_object_is_type(v, json_type_int))
		return NULL;
	snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
	return buf;
}
