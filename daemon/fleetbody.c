/*
 * fleetbody.c — see fleetbody.h. The messages are the replies operators
 * and drivers' tablets have always had.
 */
#include "fleetbody.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "catalog.h"
#include "fix.h"
#include "util.h"

#define COUNT_MAX 500

static int fail(const char **why, const char *code, char *err, size_t errlen, const char *fmt, ...)
	JT_PRINTF(5, 6);
static int fail(const char **why, const char *code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	*why = code;
	return -1;
}

/* A string member; NULL when absent or null, and *bad when it is something else. */
static const char *str(struct json_object *o, const char *key, bool *bad)
{
	struct json_object *m;
	if (!json_object_object_get_ex(o, key, &m) || json_object_is_type(m, json_type_null))
		return NULL;
	if (!json_object_is_type(m, json_type_string)) {
		*bad = true;
		return NULL;
	}
	return json_object_get_string(m);
}

static int whole(struct json_object *o, const char *key, int lo, int hi, int *out, const char **why, char *err,
		 size_t errlen)
{
	struct json_object *m;
	if (!json_object_object_get_ex(o, key, &m) || json_object_is_type(m, json_type_null))
		return 0;
	if (!json_object_is_type(m, json_type_int))
		return fail(why, "invalid", err, errlen, "%s must be a whole number", key);
	int64_t v = json_object_get_int64(m);
	if (v < lo || v > hi)
		return fail(why, "invalid", err, errlen, "%s must be from %d to %d", key, lo, hi);
	*out = (int)v;
	return 0;
}

bool fleetbody_name_valid(const char *s)
{
	return catalog_name_valid(s, 64);
}

int fleetbody_vehicle(struct json_object *o, struct fleetbody_vehicle *out, const char **why, char *err,
		      size_t errlen)
{
	memset(out, 0, sizeof *out);
	bool bad = false;
	const char *code = str(o, "code", &bad);
	if (bad)
		return fail(why, "invalid", err, errlen, "code must be a string");
	const char *name = str(o, "name", &bad);
	if (bad)
		return fail(why, "invalid", err, errlen, "name must be a string");
	if (!code || !catalog_code_valid(code))
		return fail(why, "invalid", err, errlen,
			    "code must be 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit");
	if (name && strlen(name) > VEHICLE_NAME_MAX)
		return fail(why, "invalid", err, errlen, "name must be at most %d bytes", VEHICLE_NAME_MAX);
	if (whole(o, "seats", 0, 200, &out->seats, why, err, errlen) != 0 ||
	    whole(o, "cargo_l", 0, 100000, &out->cargo_l, why, err, errlen) != 0)
		return -1;
	struct json_object *sf;
	if (json_object_object_get_ex(o, "step_free", &sf) && !json_object_is_type(sf, json_type_null)) {
		if (!json_object_is_type(sf, json_type_boolean))
			return fail(why, "invalid", err, errlen, "step_free must be true or false");
		out->step_free = json_object_get_boolean(sf);
	}
	strlcpy_jt(out->code, code, sizeof out->code);
	strlcpy_jt(out->name, name ? name : "", sizeof out->name);
	return 0;
}

int fleetbody_device(struct json_object *o, struct fleetbody_device *out, const char **why, char *err,
		     size_t errlen)
{
	memset(out, 0, sizeof *out);
	bool bad = false;
	const char *ext = str(o, "device_id", &bad);
	if (bad)
		return fail(why, "invalid", err, errlen, "device_id must be a string");
	const char *vehicle = str(o, "vehicle", &bad);
	if (bad)
		return fail(why, "invalid", err, errlen, "vehicle must be a string");
	if (!ext || !fix_device_id_valid(ext, strlen(ext)))
		return fail(why, "invalid", err, errlen, "device_id must be 1 to %d printable characters without spaces",
			    JT_DEVICE_ID_MAX);
	if (!vehicle)
		return fail(why, "invalid", err, errlen, "vehicle is required");
	strlcpy_jt(out->device_id, ext, sizeof out->device_id);
	strlcpy_jt(out->vehicle, vehicle, sizeof out->vehicle);
	return 0;
}

int fleetbody_credential(struct json_object *o, bool clients, struct fleetbody_credential *out, const char **why,
			 char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct json_object *m;
	const char *name = json_object_object_get_ex(o, "name", &m) && json_object_is_type(m, json_type_string)
				   ? json_object_get_string(m)
				   : NULL;
	const char *role = "admin";
	bool bad_role = false;
	if (json_object_object_get_ex(o, "role", &m)) {
		role = json_object_is_type(m, json_type_string) ? json_object_get_string(m) : "";
		bad_role = clients || access_role_parse(role) < 0;
	}
	if (!name || !fleetbody_name_valid(name))
		return fail(why, "invalid", err, errlen,
			    "name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
	if (bad_role)
		return fail(why, "invalid", err, errlen, "%s",
			    clients ? "a booking client has no role" : "role must be read_only, dispatcher or admin");
	strlcpy_jt(out->name, name, sizeof out->name);
	out->role = access_role_parse(role);
	return 0;
}

int fleetbody_sign_on(struct json_object *o, char *trip, const char **why, char *err, size_t errlen)
{
	trip[0] = '\0';
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (strcmp(key, "trip") != 0)
			return fail(why, "unknown_member", err, errlen, "sign-on takes only \"trip\", not \"%.40s\"", key);
	}
	struct json_object *t;
	const char *code = json_object_object_get_ex(o, "trip", &t) && json_object_is_type(t, json_type_string)
				   ? json_object_get_string(t)
				   : NULL;
	if (!code || !catalog_code_valid(code))
		return fail(why, "bad_trip", err, errlen, "\"trip\" must be a trip code, e.g. {\"trip\":\"L1-0630\"}");
	strlcpy_jt(trip, code, 33);
	return 0;
}

static int count(struct json_object *o, const char *key, int *out, const char **why, char *err, size_t errlen)
{
	struct json_object *v;
	*out = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > COUNT_MAX)
		return fail(why, "bad_count", err, errlen, "\"%s\" must be a whole number from 0 to %d", key, COUNT_MAX);
	*out = (int)json_object_get_int64(v);
	return 0;
}

int fleetbody_counts(struct json_object *o, struct fleetbody_counts *out, const char **why, char *err,
		     size_t errlen)
{
	memset(out, 0, sizeof *out);
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (strcmp(key, "stop") && strcmp(key, "boarded") && strcmp(key, "alighted"))
			return fail(why, "unknown_member", err, errlen,
				    "counts take \"stop\", \"boarded\" and \"alighted\", not \"%.40s\"", key);
	}
	if (count(o, "boarded", &out->boarded, why, err, errlen) != 0 ||
	    count(o, "alighted", &out->alighted, why, err, errlen) != 0)
		return -1;
	json_object_object_get_ex(o, "stop", &out->stop);
	return 0;
}
