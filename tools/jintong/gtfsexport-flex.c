/*
 * gtfsexport-flex.c — the GTFS-Flex half of `jintong gtfs export`: the
 * booking rules, the location groups and their stops, and the zones as
 * locations.geojson, each under the id it goes out under. Files from an
 * earlier export that this one has nothing for are removed, so a feed
 * directory never mixes two exports. The windows and zones of stop_times.txt
 * are written with the trips, in cmd-gtfs.c.
 */
#include "gtfsexport.h"

#include "check.h"
#include "cmd.h"
#include "format.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Does a trip's stop time need the GTFS-Flex columns of stop_times.txt? */
static bool flex_stop_time(json_object *s)
{
	static const char *const keys[] = { "window", "pickup_type", "drop_off_type", "pickup_rule",
					    "drop_off_rule" };
	for (size_t i = 0; i < JT_ARRAY_LEN(keys); i++)
		if (fmt_member(s, keys[i]))
			return true;
	const char *stop = fmt_str(s, "stop");
	return stop && strchr(stop, ':');
}

/* Does the feed need GTFS-Flex? See gtfsexport.h. */
bool gtfsexport_flex_feed(const struct feed *f)
{
	if (json_object_array_length(f->rules) || json_object_array_length(f->groups) ||
	    json_object_array_length(f->zones))
		return true;
	for (size_t i = 0; i < json_object_array_length(f->trips); i++) {
		json_object *st = fmt_member(json_object_array_get_idx(f->trips, i), "stops");
		for (size_t k = 0; st && k < json_object_array_length(st); k++)
			if (flex_stop_time(json_object_array_get_idx(st, k)))
				return true;
	}
	return false;
}

/* A member as text for a CSV cell: numbers as digits, null as "". */
static const char *cell(json_object *o, const char *key, char *buf, size_t size)
{
	json_object *v = fmt_member(o, key);
	if (json_object_is_type(v, json_type_int))
		return fmt_int_text(buf, size, o, key);
	return v ? json_object_get_string(v) : "";
}

/* booking_rules.txt, location_groups.txt, location_group_stops.txt, locations.geojson. */
bool gtfsexport_write_flex(const struct feed *f, const char *dir, struct counts *c)
{
	static const char *const names[] = { "booking_rules.txt", "location_groups.txt",
					     "location_group_stops.txt", "locations.geojson" };
	struct out o = { .dir = dir };
	for (size_t i = 0; i < JT_ARRAY_LEN(names); i++) {
		snprintf(o.path, sizeof o.path, "%s/%s", dir, names[i]);
		unlink(o.path); /* from an earlier export */
	}
	size_t n = json_object_array_length(f->rules);
	if (n) {
		static const char *const h[] = {
			"booking_rule_id",	   "booking_type",	      "prior_notice_duration_min",
			"prior_notice_duration_max", "prior_notice_last_day",  "prior_notice_last_time",
			"prior_notice_start_day",    "prior_notice_start_time", "prior_notice_service_id",
			"message",		   "pickup_message",	      "drop_off_message",
			"phone_number",		   "info_url",		      "booking_url"
		};
		static const char *const keys[] = { "code",	  "kind",	  "notice_min",
						    "notice_max",  "last_day",	  "last_time",
						    "start_day",   "start_time",  "service",
						    "message",	  "pickup_message", "drop_off_message",
						    "phone",	  "info_url",	  "booking_url" };
		if (!gtfsexport_out_open(&o, names[0], 15, h))
			return false;
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(f->rules, i);
			char buf[15][24];
			const char *row[15];
			for (size_t k = 0; k < 15; k++)
				row[k] = cell(r, keys[k], buf[k], sizeof buf[k]);
			row[0] = gtfsexport_id(f, L_RULES, row[0]);
			if (*row[8])
				row[8] = gtfsexport_id(f, L_CALENDARS, row[8]);
			const char *kind = fmt_str(r, "kind");
			row[1] = !kind ? "" : strcmp(kind, "same_day") == 0 ? "1"
					 : strcmp(kind, "prior_days") == 0 ? "2"
									   : "0";
			gtfsexport_out_row(&o, 15, row);
		}
		c->rules = o.rows;
		if (!gtfsexport_out_close(&o))
			return false;
	}
	if ((n = json_object_array_length(f->groups))) {
		static const char *const hg[] = { "location_group_id", "location_group_name" };
		static const char *const hs[] = { "location_group_id", "stop_id" };
		struct out os = { .dir = dir };
		if (!gtfsexport_out_open(&o, names[1], 2, hg))
			return false;
		if (!gtfsexport_out_open(&os, names[2], 2, hs)) {
			fclose(o.f);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *g = json_object_array_get_idx(f->groups, i), *st = fmt_member(g, "stops");
			const char *row[] = { gtfsexport_id(f, L_GROUPS, fmt_str(g, "code")), fmt_str(g, "name") };
			gtfsexport_out_row(&o, 2, row);
			for (size_t k = 0; st && k < json_object_array_length(st); k++) {
				const char *srow[] = { row[0],
						       gtfsexport_id(f, L_STOPS, json_object_get_string(
									    json_object_array_get_idx(st, k))) };
				gtfsexport_out_row(&os, 2, srow);
			}
		}
		c->groups = o.rows;
		bool ok = gtfsexport_out_close(&o);
		if (!(ok &= gtfsexport_out_close(&os)))
			return false;
	}
	if ((n = json_object_array_length(f->zones))) {
		json_object *doc = json_object_new_object(), *features = json_object_new_array();
		json_object_object_add(doc, "type", json_object_new_string("FeatureCollection"));
		for (size_t i = 0; i < n; i++) {
			json_object *z = json_object_array_get_idx(f->zones, i);
			json_object *ft = json_object_new_object(), *props = json_object_new_object();
			json_object_object_add(ft, "type", json_object_new_string("Feature"));
			json_object_object_add(ft, "id", json_object_new_string(gtfsexport_id(f, L_ZONES, fmt_str(z, "code"))));
			if (fmt_str(z, "name") && *fmt_str(z, "name"))
				json_object_object_add(props, "stop_name", json_object_new_string(fmt_str(z, "name")));
			if (fmt_str(z, "description") && *fmt_str(z, "description"))
				json_object_object_add(props, "stop_desc",
						       json_object_new_string(fmt_str(z, "description")));
			json_object_object_add(ft, "properties", props);
			json_object_object_add(ft, "geometry", json_object_get(fmt_member(z, "geometry")));
			json_object_array_add(features, ft);
		}
		json_object_object_add(doc, "features", features);
		snprintf(o.path, sizeof o.path, "%s/%s", dir, names[3]);
		FILE *fp = fopen(o.path, "w");
		if (!fp) {
			cli_error("cannot write %s: %s; check the directory", o.path, strerror(errno));
			json_object_put(doc);
			return false;
		}
		fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE),
		      fp);
		fputc('\n', fp);
		json_object_put(doc);
		bool ok = !ferror(fp);
		ok &= fclose(fp) == 0;
		if (!ok) {
			cli_error("writing %s failed: %s; check the disk", o.path, strerror(errno));
			return false;
		}
		c->zones = n;
	}
	return true;
}
