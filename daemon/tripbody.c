/*
 * tripbody.c — the bodies of the admin API's trip requests, from JSON to the
 * trips they ask for, or the reason they are refused (the status and message
 * the operator reads):
 *
 *   POST   /v1/admin/trips                     {"code","line","version","calendar","block",
 *                                               "times":[…],"gtfs_id"}
 *   PATCH  /v1/admin/trips/{code}              {"calendar","block","version","times","gtfs_id"}, any
 *   POST   /v1/admin/lines/{line}/timetable    {"calendar","first","last","every","version",
 *                                               "block","speed_kmh","dwell_s"}
 *
 * A trip runs a line's route version: one time pair (arrival, departure), or
 * a window, per place of that version, running forward (stoptime.c). Pure:
 * lines, calendars, trips, booking rules and route versions are asked of the
 * caller; whether a vehicle block's trips overlap is the shell's question
 * (tripedit.c), as it needs every calendar's days.
 */
#include "tripbody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timetable.h"
#include "util.h"

void tripbody_free(struct trip *t)
{
	if (!t)
		return;
	free(t->st);
	json_object_put(t->json);
	free(t);
}

void tripbody_json(struct trip *t, struct json_object *stops)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(t->code));
	json_object_object_add(o, "line", json_object_new_string(t->line));
	json_object_object_add(o, "version", json_object_new_int(t->version));
	json_object_object_add(o, "calendar", json_object_new_string(t->calendar));
	json_object_object_add(o, "block", t->block[0] ? json_object_new_string(t->block) : NULL);
	json_object_object_add(o, "gtfs_id", json_object_new_string(t->gtfs_id));
	struct json_object *arr = json_object_new_array_ext((int)t->n);
	for (size_t i = 0; i < t->n; i++)
		json_object_array_add(arr, stoptime_json(&t->st[i], json_object_get_string(
								       json_object_array_get_idx(stops, i))));
	json_object_object_add(o, "stops", arr);
	json_object_put(t->json);
	t->json = o;
}

struct trip *tripbody_new(const char *code, const char *line, struct json_object *ver,
			  const char *calendar, const char *block)
{
	struct trip *t = xcalloc(1, sizeof *t);
	strlcpy_jt(t->code, code, sizeof t->code);
	strlcpy_jt(t->line, line, sizeof t->line);
	t->version = json_object_get_int(json_object_object_get(ver, "version"));
	strlcpy_jt(t->calendar, calendar, sizeof t->calendar);
	strlcpy_jt(t->block, block ? block : "", sizeof t->block);
	t->n = json_object_array_length(json_object_object_get(ver, "stops"));
	t->st = xcalloc(t->n ? t->n : 1, sizeof *t->st);
	return t;
}

/* The place of one of a trip's stop times as its JSON lists it. */
static const char *fmt_place(struct json_object *stop_time)
{
	return json_object_get_string(json_object_object_get(stop_time, "stop"));
}

static bool rule_known(void *arg, const char *code)
{
	const struct tripbody_env *env = arg;
	return env->exists(env->arg, "booking-rules", code);
}

/* A trip's times from the request, for the places of its version; -1 with err. */
static int read_times(const struct tripbody_env *env, struct trip *t, struct json_object *ver,
		      struct json_object *times, char *err, size_t errlen)
{
	struct json_object *places = json_object_object_get(ver, "stops");
	if (!json_object_is_type(times, json_type_array) || json_object_array_length(times) != t->n) {
		snprintf(err, errlen, "times must list one time (or [arrival, departure], or a window) for "
				      "each of the route's %zu stops",
			 t->n);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (stoptime_parse(json_object_array_get_idx(times, i), i,
				   json_object_get_string(json_object_array_get_idx(places, i)), rule_known,
				   (void *)env, &t->st[i], err, errlen) != 0)
			return -1;
	if (stoptime_check(t->st, t->n, err, errlen) != 0)
		return -1;
	tripbody_json(t, places);
	return 0;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static bool only_fields(struct json_object *o, const char *const *names, size_t n, char *err,
			size_t errlen)
{
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		bool ok = false;
		for (size_t i = 0; i < n; i++)
			ok |= strcmp(key, names[i]) == 0;
		if (!ok) {
			snprintf(err, errlen, "no field '%.40s' here", key);
			return false;
		}
	}
	return true;
}

/* The route version a request names (or the latest), its line checked; NULL with err. */
static struct json_object *version_for(const struct tripbody_env *env, const char *line,
				       struct json_object *body, char *err, size_t errlen)
{
	struct json_object *v;
	int want = 0;
	if (json_object_object_get_ex(body, "version", &v) && v) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 1) {
			snprintf(err, errlen, "version must be a route version number");
			return NULL;
		}
		want = json_object_get_int(v);
	}
	struct json_object *ver = env->version(env->arg, line, want);
	if (!ver)
		snprintf(err, errlen, want ? "line %s has no route version %d"
					   : "line %s has no route yet; draw it first (jintong route draw)",
			 line, want);
	return ver;
}

/* The trip_id a trip was imported under, when the body gives one: "" or a GTFS id. */
static int gtfs_id_take(struct trip *t, struct json_object *body, char *err, size_t errlen)
{
	struct json_object *v;
	if (!json_object_object_get_ex(body, "gtfs_id", &v))
		return 0;
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	size_t n = s ? (size_t)json_object_get_string_len(v) : 0;
	const char *why = !s ? "it must be text" : n ? gtfsid_invalid(s, n) : NULL;
	if (why) {
		snprintf(err, errlen, "gtfs_id: %s, or empty", why);
		return -1;
	}
	strlcpy_jt(t->gtfs_id, s, sizeof t->gtfs_id);
	return 0;
}

/* Checks what every new trip shares: line, calendar, block code. -1 with err. */
static int check_common(const struct tripbody_env *env, const char *line, const char *calendar,
			const char *block, char *err, size_t errlen)
{
	if (!line || !env->exists(env->arg, "lines", line)) {
		snprintf(err, errlen, "there is no line %.32s", line ? line : "(none given)");
		return -1;
	}
	if (!calendar || !env->exists(env->arg, "calendars", calendar)) {
		snprintf(err, errlen, "there is no calendar %.32s; add it first (jintong calendar add)",
			 calendar ? calendar : "(none given)");
		return -1;
	}
	if (block && !catalog_code_valid(block)) {
		snprintf(err, errlen, "block must be 1 to 32 letters, digits, '.', '_' or '-'");
		return -1;
	}
	return 0;
}

int tripbody_add(struct json_object *body, const struct tripbody_env *env, struct trip **out,
		 char *err, size_t errlen)
{
	static const char *const names[] = { "code",  "line",  "version",
					     "calendar", "block", "times", "gtfs_id" };
	const char *code = str(body, "code"), *line = str(body, "line");
	const char *calendar = str(body, "calendar"), *block = str(body, "block");
	struct json_object *ver, *times = NULL;
	*out = NULL;
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, errlen) ||
	    check_common(env, line, calendar, block, err, errlen) != 0)
		return 400;
	if (!code || !catalog_code_valid(code)) {
		snprintf(err, errlen, "code must be 1 to 32 letters, digits, '.', '_' or '-'");
		return 400;
	}
	if (env->exists(env->arg, "trips", code)) {
		snprintf(err, errlen, "trip %s already exists", code);
		return 409;
	}
	if (!(ver = version_for(env, line, body, err, errlen)))
		return 400;
	struct trip *t = tripbody_new(code, line, ver, calendar, block);
	json_object_object_get_ex(body, "times", &times);
	if (gtfs_id_take(t, body, err, errlen) != 0 || read_times(env, t, ver, times, err, errlen) != 0) {
		tripbody_free(t);
		return 400;
	}
	*out = t;
	return 0;
}

int tripbody_edit(struct json_object *body, const struct trip *cur, const struct tripbody_env *env,
		  struct trip **out, char *err, size_t errlen)
{
	static const char *const names[] = { "calendar", "block", "version", "times", "gtfs_id" };
	struct json_object *v = NULL, *times = NULL, *ver;
	const char *calendar = str(body, "calendar") ? str(body, "calendar") : cur->calendar;
	const char *block = cur->block[0] ? cur->block : NULL;
	struct trip *t = NULL;
	*out = NULL;
	bool bad_type = json_object_object_get_ex(body, "calendar", &v) && !str(body, "calendar");
	if (json_object_object_get_ex(body, "block", &v)) {
		block = v ? str(body, "block") : NULL; /* null: no block any more */
		bad_type |= v && !block;
	}
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, errlen))
		return 400;
	if (bad_type) {
		snprintf(err, errlen, "calendar and block are codes (block null for none)");
		return 400;
	}
	if (check_common(env, cur->line, calendar, block, err, errlen) != 0)
		return 400;
	if (json_object_object_get_ex(body, "version", &v))
		ver = version_for(env, cur->line, body, err, errlen);
	else
		ver = env->version(env->arg, cur->line, cur->version);
	if (!ver)
		return 400;
	t = tripbody_new(cur->code, cur->line, ver, calendar, block);
	strlcpy_jt(t->gtfs_id, cur->gtfs_id, sizeof t->gtfs_id);
	if (gtfs_id_take(t, body, err, errlen) != 0)
		goto bad;
	struct json_object *places = json_object_object_get(ver, "stops");
	if (json_object_object_get_ex(body, "times", &times)) {
		if (read_times(env, t, ver, times, err, errlen) != 0)
			goto bad;
	} else {
		struct json_object *old = json_object_object_get(cur->json, "stops");
		bool same = t->n == cur->n;
		for (size_t i = 0; same && i < t->n; i++)
			same = strcmp(json_object_get_string(json_object_array_get_idx(places, i)),
				      fmt_place(json_object_array_get_idx(old, i))) == 0;
		if (!same) {
			snprintf(err, errlen, "route version %d goes through other stops; give the "
					      "times for its %zu stops",
				 t->version, t->n);
			goto bad;
		}
		memcpy(t->st, cur->st, t->n * sizeof *t->st);
		tripbody_json(t, places);
	}
	*out = t;
	return 0;
bad:
	tripbody_free(t);
	return 400;
}

int tripbody_timetable(struct json_object *body, const char *line, const struct tripbody_env *env,
		       struct tripbody_timetable *out, char *err, size_t errlen)
{
	static const char *const names[] = { "calendar", "first", "last",      "every",
					     "version",  "block", "speed_kmh", "dwell_s" };
	const char *first_s = str(body, "first"), *last_s = str(body, "last"), *every_s = str(body, "every");
	struct json_object *v;
	*out = (struct tripbody_timetable){ .calendar = str(body, "calendar"),
					    .block = str(body, "block"),
					    .speed_kmh = 30,
					    .dwell_s = 30 };
	if (!only_fields(body, names, JT_ARRAY_LEN(names), err, errlen) ||
	    check_common(env, line, out->calendar, out->block, err, errlen) != 0)
		return 400;
	if (!first_s || !last_s || timetable_parse_time(first_s, &out->first) != 0 ||
	    timetable_parse_time(last_s, &out->last) != 0 || out->last < out->first) {
		snprintf(err, errlen, "first and last are departure times HH:MM, last not before first");
		return 400;
	}
	if (!every_s || timetable_parse_every(every_s, &out->every) != 0) {
		snprintf(err, errlen, "every is a headway such as 40m, 1h or 1h30m");
		return 400;
	}
	if (json_object_object_get_ex(body, "speed_kmh", &v)) {
		out->speed_kmh = json_object_get_double(v);
		if (!(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) ||
		    !(out->speed_kmh >= 5 && out->speed_kmh <= 120)) {
			snprintf(err, errlen, "speed_kmh must be from 5 to 120");
			return 400;
		}
	}
	if (json_object_object_get_ex(body, "dwell_s", &v)) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 0 ||
		    json_object_get_int(v) > 600) {
			snprintf(err, errlen, "dwell_s must be a whole number from 0 to 600");
			return 400;
		}
		out->dwell_s = json_object_get_int(v);
	}
	if (!(out->ver = version_for(env, line, body, err, errlen)))
		return 400;
	return 0;
}
