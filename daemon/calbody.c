/*
 * calbody.c — the body of a calendar request in the admin API, from JSON to
 * a checked calendar with its canonical JSON, or the reason it is refused
 * (the 400 the operator reads).
 *
 * A calendar: {"code","name","kind":"weekly|market|school|dates","start","end",
 * "weekdays":"mon-fri","digits":"1,4,7","lunar":false,"town":"T01",
 * "terms":[["2026-09-01","2027-01-20"],…],"added":[dates],"removed":[dates],
 * "gtfs_id":"the service_id it was imported under when not its code, else ''"}.
 * An edit gives some of the fields, merged over the calendar as it is. The
 * rules between the fields are calendar.c's. Pure: whether a town exists is
 * asked of the caller.
 */
#include "calbody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtfsid.h"
#include "util.h"

#define LIST_MAX 4000 /* terms, added or removed dates in one calendar */

static const char *const kinds[] = { "weekly", "market", "school", "dates" };
static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const fields[] = { "code", "name", "kind", "start", "end", "weekdays", "digits",
				      "lunar", "town", "terms", "added", "removed", "gtfs_id" };

void calbody_free(struct calbody *k)
{
	if (!k)
		return;
	free(k->c.terms);
	free(k->c.added);
	free(k->c.removed);
	json_object_put(k->json);
	free(k);
}

static int day_cmp(const void *a, const void *b)
{
	jt_day x = *(const jt_day *)a, y = *(const jt_day *)b;
	return (x > y) - (x < y);
}

static int term_cmp(const void *a, const void *b)
{
	return day_cmp(&((const struct calendar_term *)a)->first, &((const struct calendar_term *)b)->first);
}

struct json_object *calbody_date_json(jt_day d)
{
	char b[DATE_FORMAT_LEN];
	date_format(d, b);
	return json_object_new_string(b);
}

/* A list of dates from JSON; -1 with err. */
static int read_dates(struct json_object *a, const char *name, jt_day **out, size_t *n, char *err,
		      size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (!a)
		return 0;
	if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) > LIST_MAX) {
		snprintf(err, errlen, "%s must be a list of at most %d dates", name, LIST_MAX);
		return -1;
	}
	*n = json_object_array_length(a);
	*out = xcalloc(*n ? *n : 1, sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    date_parse(json_object_get_string(v), &(*out)[i]) != 0) {
			snprintf(err, errlen, "%s: entry %zu is not a date (YYYY-MM-DD)", name, i + 1);
			return -1;
		}
	}
	qsort(*out, *n, sizeof **out, day_cmp);
	return 0;
}

static struct json_object *member(struct json_object *in, struct json_object *base, const char *key)
{
	struct json_object *v = NULL;
	if (json_object_object_get_ex(in, key, &v))
		return v;
	if (base)
		json_object_object_get_ex(base, key, &v);
	return v;
}

static const char *text(struct json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

struct calbody *calbody_build(struct json_object *in, struct json_object *base,
			      catalog_exists_fn exists, void *arg, char *err, size_t errlen)
{
	json_object_object_foreach(in, key, val)
	{
		(void)val;
		bool known = false;
		for (size_t i = 0; i < JT_ARRAY_LEN(fields); i++)
			known |= strcmp(key, fields[i]) == 0;
		if (!known) {
			snprintf(err, errlen, "a calendar has no field '%.40s'", key);
			return NULL;
		}
	}
	struct calbody *k = xcalloc(1, sizeof *k);
	struct calendar *c = &k->c;
	c->start = CALENDAR_OPEN_START;
	c->end = CALENDAR_OPEN_END;
	const char *code = text(member(in, base, "code"));
	const char *name = text(member(in, base, "name"));
	const char *kind = text(member(in, base, "kind"));
	const char *town = text(member(in, base, "town"));
	const char *gtfs_id = text(member(in, base, "gtfs_id"));
	struct json_object *v;
	if (base && json_object_object_get_ex(in, "code", &v) &&
	    (!text(v) || strcmp(text(v), text(member(base, NULL, "code"))) != 0)) {
		snprintf(err, errlen, "a calendar's code cannot change; add a new calendar instead");
		goto fail;
	}
	if (!code || !catalog_code_valid(code)) {
		snprintf(err, errlen, "code must be 1 to 32 letters, digits, '.', '_' or '-'");
		goto fail;
	}
	if (name && (strlen(name) > CATALOG_NAME_MAX || !catalog_utf8_valid(name, strlen(name)))) {
		snprintf(err, errlen, "name must be at most %d bytes of UTF-8", CATALOG_NAME_MAX);
		goto fail;
	}
	if (member(in, base, "gtfs_id") &&
	    (!gtfs_id || (*gtfs_id && gtfsid_invalid(gtfs_id, strlen(gtfs_id))))) {
		snprintf(err, errlen, "gtfs_id: %s, or empty",
			 gtfs_id ? gtfsid_invalid(gtfs_id, strlen(gtfs_id)) : "it must be text");
		goto fail;
	}
	size_t ki = 0;
	while (ki < JT_ARRAY_LEN(kinds) && (!kind || strcmp(kind, kinds[ki]) != 0))
		ki++;
	if (ki == JT_ARRAY_LEN(kinds)) {
		snprintf(err, errlen, "kind must be weekly, market, school or dates");
		goto fail;
	}
	static const enum calendar_kind kind_of[] = { CAL_WEEKLY, CAL_MARKET, CAL_SCHOOL, CAL_DATES };
	c->kind = kind_of[ki];
	const char *start = text(member(in, base, "start")), *end = text(member(in, base, "end"));
	if ((start && date_parse(start, &c->start) != 0) || (end && date_parse(end, &c->end) != 0)) {
		snprintf(err, errlen, "start and end must be dates, YYYY-MM-DD");
		goto fail;
	}
	const char *wd = text(member(in, base, "weekdays"));
	if (wd && calendar_parse_weekdays(wd, &c->weekdays) != 0) {
		snprintf(err, errlen, "weekdays must be like mon-fri, sat,sun, weekdays or daily");
		goto fail;
	}
	if (!wd && c->kind == CAL_SCHOOL)
		c->weekdays = CALENDAR_MON_FRI;
	const char *digits = text(member(in, base, "digits"));
	if (digits && calendar_parse_digits(digits, &c->market_digits) != 0) {
		snprintf(err, errlen, "digits must be like 1,4,7 (days of the month ending in them)");
		goto fail;
	}
	struct json_object *lunar = member(in, base, "lunar");
	if (lunar && !json_object_is_type(lunar, json_type_boolean)) {
		snprintf(err, errlen, "lunar must be true or false");
		goto fail;
	}
	c->lunar = lunar && json_object_get_boolean(lunar);
	if (town && !exists(arg, "towns", town)) {
		snprintf(err, errlen, "there is no town %.32s; add it first", town);
		goto fail;
	}
	if (c->kind == CAL_MARKET && !town) {
		snprintf(err, errlen, "a market calendar needs the town whose market it is");
		goto fail;
	}
	struct json_object *terms = member(in, base, "terms");
	if (terms) {
		size_t n = json_object_is_type(terms, json_type_array) ? json_object_array_length(terms) : 0;
		bool ok = json_object_is_type(terms, json_type_array) && n <= LIST_MAX;
		c->terms = xcalloc(n ? n : 1, sizeof *c->terms);
		for (size_t i = 0; ok && i < n; i++) {
			struct json_object *t = json_object_array_get_idx(terms, i);
			ok = json_object_is_type(t, json_type_array) && json_object_array_length(t) == 2 &&
			     text(json_object_array_get_idx(t, 0)) && text(json_object_array_get_idx(t, 1)) &&
			     date_parse(text(json_object_array_get_idx(t, 0)), &c->terms[i].first) == 0 &&
			     date_parse(text(json_object_array_get_idx(t, 1)), &c->terms[i].last) == 0;
		}
		if (!ok) {
			snprintf(err, errlen, "terms must be a list of [first day, last day] pairs of dates");
			goto fail;
		}
		c->nterms = n;
		qsort(c->terms, n, sizeof *c->terms, term_cmp);
	}
	if (read_dates(member(in, base, "added"), "added", &c->added, &c->nadded, err, errlen) != 0 ||
	    read_dates(member(in, base, "removed"), "removed", &c->removed, &c->nremoved, err, errlen) != 0)
		goto fail;
	if (calendar_check(c, err, errlen) != 0)
		goto fail;
	/* Terms are kept whatever the kind (a calendar may become a school's
	 * again): each must be a range the database can store. */
	for (size_t i = 0; i < c->nterms; i++)
		if (c->terms[i].last < c->terms[i].first) {
			char a[DATE_FORMAT_LEN], b[DATE_FORMAT_LEN];
			date_format(c->terms[i].first, a);
			date_format(c->terms[i].last, b);
			snprintf(err, errlen, "the term %s..%s ends before it starts", a, b);
			goto fail;
		}

	/* The canonical JSON: every field, in order, spelled one way. */
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	json_object_object_add(o, "kind", json_object_new_string(kinds[ki]));
	json_object_object_add(o, "start", c->start == CALENDAR_OPEN_START ? NULL : calbody_date_json(c->start));
	json_object_object_add(o, "end", c->end == CALENDAR_OPEN_END ? NULL : calbody_date_json(c->end));
	char buf[64] = "";
	for (int i = 0; i < 7; i++)
		if (c->weekdays & (1u << i))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? "," : "",
				 day_names[i]);
	json_object_object_add(o, "weekdays", buf[0] ? json_object_new_string(buf) : NULL);
	buf[0] = '\0';
	for (int i = 0; i < 10; i++)
		if (c->market_digits & (1u << i))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", buf[0] ? "," : "", i);
	json_object_object_add(o, "digits", buf[0] ? json_object_new_string(buf) : NULL);
	json_object_object_add(o, "lunar", json_object_new_boolean(c->lunar));
	json_object_object_add(o, "town", town ? json_object_new_string(town) : NULL);
	struct json_object *ta = json_object_new_array();
	for (size_t i = 0; i < c->nterms; i++) {
		struct json_object *p = json_object_new_array_ext(2);
		json_object_array_add(p, calbody_date_json(c->terms[i].first));
		json_object_array_add(p, calbody_date_json(c->terms[i].last));
		json_object_array_add(ta, p);
	}
	json_object_object_add(o, "terms", ta);
	struct json_object *aa = json_object_new_array(), *ra = json_object_new_array();
	for (size_t i = 0; i < c->nadded; i++)
		json_object_array_add(aa, calbody_date_json(c->added[i]));
	for (size_t i = 0; i < c->nremoved; i++)
		json_object_array_add(ra, calbody_date_json(c->removed[i]));
	json_object_object_add(o, "added", aa);
	json_object_object_add(o, "removed", ra);
	json_object_object_add(o, "gtfs_id", json_object_new_string(gtfs_id ? gtfs_id : ""));
	k->json = o;
	return k;
fail:
	calbody_free(k);
	return NULL;
}
