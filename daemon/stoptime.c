/*
 * stoptime.c — reading, checking and writing a trip's stop times; see
 * stoptime.h.
 */
#include "stoptime.h"

#include <stdio.h>
#include <string.h>

#include "timetable.h"

/* Text from a request as a message shows it: printable ASCII, cut at 32 bytes. */
static const char *shown(const char *s, char buf[40])
{
	size_t n = 0;
	for (; s && s[n] && n < 32; n++)
		buf[n] = s[n] >= 0x20 && s[n] < 0x7f ? s[n] : '?';
	buf[n] = '\0';
	return buf;
}

static const char *text(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A pair of times from [a, b]; false when it is not one. */
static bool pair(struct json_object *x, int32_t *a, int32_t *b)
{
	if (!json_object_is_type(x, json_type_array) || json_object_array_length(x) != 2)
		return false;
	const char *sa = text(json_object_array_get_idx(x, 0)), *sb = text(json_object_array_get_idx(x, 1));
	return sa && sb && timetable_parse_time(sa, a) == 0 && timetable_parse_time(sb, b) == 0;
}

static int fail(char *err, size_t errlen, size_t i, const char *what)
{
	snprintf(err, errlen, "stop %zu: %s", i + 1, what);
	return -1;
}

/* Member key: a type 0..3 into *out (left alone when absent). -1 when not one. */
static int type_of(struct json_object *x, const char *key, int8_t *out)
{
	struct json_object *v;
	if (!json_object_object_get_ex(x, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 0 ||
	    json_object_get_int(v) > 3)
		return -1;
	*out = (int8_t)json_object_get_int(v);
	return 0;
}

static int rule_of(struct json_object *x, const char *key, stoptime_rule_fn known, void *arg,
		   char *out, size_t size, size_t i, char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(x, key, &v) || !v)
		return 0;
	const char *s = text(v);
	if (!s || !catalog_code_valid(s) || !known(arg, s)) {
		char b[40];
		snprintf(err, errlen, "stop %zu: %s %s is not a booking rule; add it first "
				      "(jintong booking-rule add)",
			 i + 1, key, shown(s, b));
		return -1;
	}
	snprintf(out, size, "%s", s);
	return 0;
}

int stoptime_parse(struct json_object *x, size_t i, const char *place, stoptime_rule_fn rule_known,
		   void *arg, struct stoptime *out, char *err, size_t errlen)
{
	static const char *const members[] = { "stop",	      "arrival",       "departure",
					       "window",      "pickup_type",   "drop_off_type",
					       "pickup_rule", "drop_off_rule" };
	memset(out, 0, sizeof *out);
	bool zone = strchr(place, ':') != NULL;
	const char *s = text(x);
	if (s || json_object_is_type(x, json_type_array)) {
		if (zone)
			return fail(err, errlen, i, "riders are served in a location group or zone within a "
						    "window: give {\"window\": [start, end]}");
		if (s ? timetable_parse_time(s, &out->arr) != 0 : !pair(x, &out->arr, &out->dep))
			return fail(err, errlen, i, "times are HH:MM or HH:MM:SS (up to 47:59)");
		if (s)
			out->dep = out->arr;
		return 0;
	}
	if (!json_object_is_type(x, json_type_object))
		return fail(err, errlen, i, "give a time, [arrival, departure] or an object");
	json_object_object_foreach(x, key, val)
	{
		bool ok = false;
		for (size_t k = 0; k < JT_ARRAY_LEN(members); k++)
			ok |= strcmp(key, members[k]) == 0;
		char b[40], c[40];
		if (!ok) {
			snprintf(err, errlen, "stop %zu: no field '%s' in a stop time", i + 1, shown(key, b));
			return -1;
		}
		if (strcmp(key, "stop") == 0 && (!text(val) || strcmp(text(val), place) != 0)) {
			snprintf(err, errlen, "stop %zu: the route has %s there, not %s", i + 1,
				 shown(place, b), text(val) ? shown(text(val), c) : "that");
			return -1;
		}
	}
	struct json_object *w = NULL, *a = NULL, *d = NULL;
	json_object_object_get_ex(x, "window", &w);
	json_object_object_get_ex(x, "arrival", &a);
	json_object_object_get_ex(x, "departure", &d);
	if (w && (a || d))
		return fail(err, errlen, i, "a stop time has fixed times or a window, not both");
	if (w) {
		if (!pair(w, &out->arr, &out->dep))
			return fail(err, errlen, i, "window is [start, end], times HH:MM or HH:MM:SS");
		out->window = true;
		out->pickup = out->drop_off = STOPTIME_PHONE;
	} else if (zone) {
		return fail(err, errlen, i, "riders are served in a location group or zone within a "
					    "window: give \"window\": [start, end]");
	} else {
		/* GTFS: one of arrival and departure stands for both */
		const char *sa = a ? text(a) : text(d), *sd = d ? text(d) : text(a);
		if (!sa || !sd || timetable_parse_time(sa, &out->arr) != 0 ||
		    timetable_parse_time(sd, &out->dep) != 0)
			return fail(err, errlen, i, "arrival and departure are times HH:MM or HH:MM:SS");
	}
	if (type_of(x, "pickup_type", &out->pickup) != 0 ||
	    type_of(x, "drop_off_type", &out->drop_off) != 0)
		return fail(err, errlen, i, "pickup_type and drop_off_type are 0 (regular), 1 (none), "
					    "2 (phone to book) or 3 (arrange with the driver)");
	if (out->window && (out->pickup == STOPTIME_REGULAR || out->pickup == STOPTIME_DRIVER))
		return fail(err, errlen, i, "within a window pickup_type is 1 (none) or 2 (phone to book)");
	if (out->window && out->drop_off == STOPTIME_REGULAR)
		return fail(err, errlen, i, "within a window drop_off_type is 1, 2 or 3, not 0");
	if (rule_of(x, "pickup_rule", rule_known, arg, out->pickup_rule, sizeof out->pickup_rule, i,
		    err, errlen) != 0 ||
	    rule_of(x, "drop_off_rule", rule_known, arg, out->drop_off_rule, sizeof out->drop_off_rule,
		    i, err, errlen) != 0)
		return -1;
	return 0;
}

int stoptime_check(const struct stoptime *st, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		char a[16], b[16];
		if (st[i].dep < st[i].arr) {
			timetable_format_time(st[i].arr, a, sizeof a, true);
			timetable_format_time(st[i].dep, b, sizeof b, true);
			snprintf(err, errlen, st[i].window ? "stop %zu: the window ends at %s before it starts at %s"
							   : "stop %zu: departs at %s before it arrives at %s",
				 i + 1, b, a);
			return -1;
		}
		if (i == 0)
			continue;
		int32_t floor = st[i - 1].window ? st[i - 1].arr : st[i - 1].dep;
		if (st[i].arr < floor) {
			timetable_format_time(floor, a, sizeof a, true);
			timetable_format_time(st[i].arr, b, sizeof b, true);
			snprintf(err, errlen, "stop %zu: %s at %s, before %s stop %zu at %s; times go backwards",
				 i + 1, st[i].window ? "its window starts" : "arrives", b,
				 st[i - 1].window ? "the window of" : "leaving", i, a);
			return -1;
		}
	}
	return 0;
}

void stoptime_span(const struct stoptime *st, size_t n, int32_t *first, int32_t *last)
{
	*first = n ? (st[0].window ? st[0].arr : st[0].dep) : 0;
	*last = *first;
	for (size_t i = 0; i < n; i++) {
		int32_t end = st[i].window ? st[i].dep : st[i].arr;
		if (end > *last)
			*last = end;
	}
}

static struct json_object *time_json(int32_t t)
{
	char buf[16];
	timetable_format_time(t, buf, sizeof buf, false);
	return json_object_new_string(buf);
}

struct json_object *stoptime_json(const struct stoptime *st, const char *place)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "stop", json_object_new_string(place));
	if (st->window) {
		struct json_object *w = json_object_new_array_ext(2);
		json_object_array_add(w, time_json(st->arr));
		json_object_array_add(w, time_json(st->dep));
		json_object_object_add(o, "window", w);
	} else {
		json_object_object_add(o, "arrival", time_json(st->arr));
		json_object_object_add(o, "departure", time_json(st->dep));
	}
	int8_t regular = st->window ? STOPTIME_PHONE : STOPTIME_REGULAR;
	if (st->pickup != regular)
		json_object_object_add(o, "pickup_type", json_object_new_int(st->pickup));
	if (st->drop_off != regular)
		json_object_object_add(o, "drop_off_type", json_object_new_int(st->drop_off));
	if (st->pickup_rule[0])
		json_object_object_add(o, "pickup_rule", json_object_new_string(st->pickup_rule));
	if (st->drop_off_rule[0])
		json_object_object_add(o, "drop_off_rule", json_object_new_string(st->drop_off_rule));
	return o;
}
