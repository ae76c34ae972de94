/*
 * timetable.c — service-day times and timetable rules; see timetable.h.
 */
#include "timetable.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"

/* Rural roads wind: the road is about this much longer than the straight line. */
#define ROAD_FACTOR 1.3

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int timetable_parse_time(const char *s, int32_t *out)
{
	size_t len = strlen(s);
	int h, m, sec = 0;
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || colon - s > 2)
		return -1;
	int hl = (int)(colon - s);
	if (digits(s, hl, &h) != 0)
		return -1;
	size_t rest = len - (size_t)hl - 1;
	if (rest != 2 && rest != 5)
		return -1;
	if (digits(colon + 1, 2, &m) != 0)
		return -1;
	if (rest == 5 && (colon[3] != ':' || digits(colon + 4, 2, &sec) != 0))
		return -1;
	if (h > 47 || m > 59 || sec > 59)
		return -1;
	*out = h * 3600 + m * 60 + sec;
	return 0;
}

void timetable_format_time(int32_t t, char *buf, size_t len, bool shorter)
{
	if (t < 0)
		t = 0;
	if (shorter && t % 60 == 0)
		snprintf(buf, len, "%02d:%02d", t / 3600, t / 60 % 60);
	else
		snprintf(buf, len, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
}

int timetable_parse_every(const char *s, int32_t *seconds)
{
	long total = 0;
	const char *p = s;
	if (!*p)
		return -1;
	bool unit_seen = false;
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 0 || v > 1440)
			return -1;
		if (*end == 'h') {
			total += v * 3600;
			unit_seen = true;
			p = end + 1;
		} else if (*end == 'm') {
			total += v * 60;
			unit_seen = true;
			p = end + 1;
		} else if (*end == '\0' && !unit_seen) {
			total += v * 60; /* plain minutes */
			p = end;
		} else {
			return -1;
		}
	}
	if (total <= 0 || total > 24 * 3600)
		return -1;
	*seconds = (int32_t)total;
	return 0;
}

int timetable_check(const int32_t *arr, const int32_t *dep, size_t n, char *err, size_t errlen)
{
	char a[16], b[16];
	for (size_t i = 0; i < n; i++) {
		if (arr[i] < 0 || dep[i] < 0 || arr[i] > TIMETABLE_DAY_MAX || dep[i] > TIMETABLE_DAY_MAX) {
			snprintf(err, errlen, "stop %zu: times must be from 00:00 to 48:00", i + 1);
			return -1;
		}
		if (dep[i] < arr[i]) {
			timetable_format_time(arr[i], a, sizeof a, true);
			timetable_format_time(dep[i], b, sizeof b, true);
			snprintf(err, errlen, "stop %zu: departs at %s before it arrives at %s", i + 1, b, a);
			return -1;
		}
		if (i > 0 && arr[i] < dep[i - 1]) {
			timetable_format_time(dep[i - 1], a, sizeof a, true);
			timetable_format_time(arr[i], b, sizeof b, true);
			snprintf(err, errlen,
				 "stop %zu: arrives at %s, before leaving stop %zu at %s; times go backwards",
				 i + 1, b, i, a);
			return -1;
		}
	}
	return 0;
}

void timetable_run(int32_t start, const double *lat, const double *lon, size_t n, double speed_kmh,
		   int32_t dwell_s, int32_t *arr, int32_t *dep)
{
	int32_t t = start;
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			double m = geo_distance_m(lat[i - 1], lon[i - 1], lat[i], lon[i]) * ROAD_FACTOR;
			double s = m / (speed_kmh / 3.6);
			t += (int32_t)(ceil(s / 60.0) * 60); /* whole minutes, as timetables are printed */
		}
		arr[i] = t;
		if (i > 0 && i + 1 < n)
			t += dwell_s;
		dep[i] = t;
	}
}

size_t timetable_departures(int32_t first, int32_t last, int32_t every, int32_t *out, size_t max)
{
	size_t n = 0;
	for (int32_t t = first; t <= last && n < max && every > 0; t += every)
		out[n++] = t;
	return n;
}

bool timetable_overlap(int32_t a0, int32_t a1, int32_t b0, int32_t b1)
{
	return a0 < b1 && b0 < a1;
}
