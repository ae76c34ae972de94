/*
 * countyfile.c — a generated county rebuilt from its directory; see
 * countyfile.h. The file is read as untrusted: each parameter must be
 * present, of its type and within the generator's own bounds.
 */
#include "countyfile.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int number(json_object *o, const char *key, double lo, double hi, double *out, char *err, size_t errlen)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
		snprintf(err, errlen, "\"%s\" is missing or not a number", key);
		return -1;
	}
	double x = json_object_get_double(v);
	if (!isfinite(x) || x < lo || x > hi) {
		snprintf(err, errlen, "\"%s\" is out of range", key);
		return -1;
	}
	*out = x;
	return 0;
}

int countyfile_params(const char *dir, struct gen_params *p, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/county.json", dir);
	json_object *o = json_object_from_file(path);
	if (!o || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "%s: not a county file (%s)", path, json_util_get_last_err());
		json_object_put(o);
		return -1;
	}
	double seed, scale, days;
	json_object *from;
	int rc = -1;
	char e[200] = "";
	if (number(o, "seed", 0, 9007199254740992.0, &seed, e, sizeof e) ||
	    number(o, "scale", 0.001, 1, &scale, e, sizeof e) ||
	    number(o, "days", 14, GEN_DAYS_MAX, &days, e, sizeof e))
		goto done;
	if (!json_object_object_get_ex(o, "from", &from) || !json_object_is_type(from, json_type_string) ||
	    date_parse(json_object_get_string(from), &p->from) != 0) {
		snprintf(e, sizeof e, "\"from\" is not a date");
		goto done;
	}
	p->seed = (uint64_t)seed;
	p->scale = scale;
	p->days = (int)days;
	rc = gen_check_params(p, e, sizeof e);
done:
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, e);
	json_object_put(o);
	return rc;
}

int countyfile_load(const char *dir, struct gen_county *c, char *err, size_t errlen)
{
	struct gen_params p;
	if (countyfile_params(dir, &p, err, errlen) != 0)
		return -1;
	gen_county_build(c, &p);
	return 0;
}
