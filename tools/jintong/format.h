/*
 * format.h — the daemon's values as operators read them: ages ("12s ago"),
 * local times, positions, and lookups in the daemon's JSON that tolerate a
 * missing or null member.
 */
#ifndef JINTONG_CLI_FORMAT_H
#define JINTONG_CLI_FORMAT_H

#include "core.h"

#include <json-c/json.h>

/*
 * Parses the daemon's ISO 8601 times: "2026-11-23T08:00:00.000Z", with or
 * without fractions, "Z" or a "+08:00"-style offset. Returns true and stores
 * ms since the epoch.
 */
bool fmt_parse_time(const char *s, jt_ms *out) JT_MUST_CHECK;

/*
 * How long ago `then` was at `now`, in the largest whole unit: "12s ago",
 * "5m ago", "3h ago", "2d ago"; "just now" within a second; "in 5s" for a
 * clock ahead of ours.
 */
void fmt_age(char *buf, size_t size, jt_ms now, jt_ms then);

/* "2026-11-23 16:00" in the operator's time zone (TZ). */
void fmt_local_time(char *buf, size_t size, jt_ms t);
/* "2026-11-23 16:00:05": the same with seconds, for the audit log. */
void fmt_local_seconds(char *buf, size_t size, jt_ms t);

/* The time in member `key` of o as a local time, or NULL when null or absent. */
const char *fmt_time_member(char *buf, size_t size, json_object *o, const char *key);

/* "30.10000,104.20000" (five decimals: about a metre). */
void fmt_position(char *buf, size_t size, double lat, double lon);

/* Member lookups: NULL / false when absent, null or of another type. */
json_object *fmt_member(json_object *o, const char *key);
const char *fmt_str(json_object *o, const char *key);
bool fmt_num(json_object *o, const char *key, double *out);
/* Whole number as text ("40"), or NULL. */
const char *fmt_int_text(char *buf, size_t size, json_object *o, const char *key);

#endif
