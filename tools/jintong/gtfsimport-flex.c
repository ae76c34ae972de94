/*
 * gtfsimport-flex.c — the GTFS-Flex files of `jintong gtfs import`:
 * booking_rules.txt as booking rules, location_groups.txt with
 * location_group_stops.txt as location groups, and locations.geojson as
 * zones. Trips refer to them from stop_times.txt (gtfsimport-trips.c).
 */
#include "cmd.h"
#include "geojson.h"
#include "gtfs.h"
#include "gtfsfield.h"
#include "gtfsid.h"
#include "gtfsimport.h"
#include "timetable.h"
#include "util.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const booking_kinds[] = { "real_time", "same_day", "prior_days" };

/* Member key as a whole number from text v, when v is not empty. */
static void whole(json_object *b, const char *key, const char *v)
{
	if (*v)
		json_object_object_add(b, key, json_object_new_int64(strtoll(v, NULL, 10)));
}

/* Member key as HH:MM:SS from a GTFS time (H:MM:SS too), when v is not empty. */
static void time_of(json_object *b, const char *key, const char *v)
{
	int t;
	char buf[16];
	if (!*v || gtfs_parse_time(v, strlen(v), &t) != 0)
		return;
	timetable_format_time(t, buf, sizeof buf, false);
	json_object_object_add(b, key, json_object_new_string(buf));
}

static void text_of(json_object *b, const char *key, const char *v)
{
	json_object_object_add(b, key, json_object_new_string(v));
}

void imp_booking_rules(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_BOOKING];
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		char *const *v = r->v;
		if (!imp_code_ok(f, r, "booking_rule_id", v[0]))
			continue;
		if (*v[8] && !imp_service_ok(im, v[8])) {
			imp_reject(f, r->line, "prior_notice_service_id: %s was not imported", v[8]);
			continue;
		}
		json_object *b = json_object_new_object();
		text_of(b, "code", v[0]);
		text_of(b, "kind", booking_kinds[strtol(v[1], NULL, 10) % 3]);
		whole(b, "notice_min", v[2]);
		whole(b, "notice_max", v[3]);
		whole(b, "last_day", v[4]);
		time_of(b, "last_time", v[5]);
		whole(b, "start_day", v[6]);
		time_of(b, "start_time", v[7]);
		if (*v[8])
			text_of(b, "service", v[8]);
		text_of(b, "message", v[9]);
		text_of(b, "pickup_message", v[10]);
		text_of(b, "drop_off_message", v[11]);
		text_of(b, "phone", v[12]);
		text_of(b, "info_url", v[13]);
		text_of(b, "booking_url", v[14]);
		imp_gtfs_id(b, r);
		if (im->update) {
			/* a rule edited to another kind: what this feed leaves out is cleared */
			static const char *const ints[] = { "notice_min", "notice_max", "last_day",
							    "last_time",  "start_day",	"start_time",
							    "service" };
			for (size_t k = 0; k < JT_ARRAY_LEN(ints); k++)
				if (!json_object_object_get_ex(b, ints[k], NULL))
					json_object_object_add(b, ints[k], NULL);
		}
		if (imp_put(im, f, "booking-rules", v[0], b, NULL) == CLI_OK)
			r->ok = true;
		else if (!im->fatal)
			imp_reject(f, r->line, "booking_rule_id: %s refused by the daemon", v[0]);
	}
}

void imp_groups(struct imp *im)
{
	struct imp_file *f = &im->f[IMP_GROUPS], *m = &im->f[IMP_GROUP_STOPS];
	for (size_t i = 0; i < f->n && !im->fatal; i++) {
		struct imp_row *r = &f->rows[i];
		if (!imp_code_ok(f, r, "location_group_id", r->v[0]))
			continue;
		json_object *stops = json_object_new_array();
		bool ok = true;
		for (size_t k = 0; k < m->n; k++) {
			struct imp_row *s = &m->rows[k];
			if (strcmp(s->v[0], r->v[0]) != 0)
				continue;
			struct imp_row *stop = imp_find(&im->f[IMP_STOPS], 0, s->v[1]);
			s->ok = true; /* belongs to a group */
			if (!stop || !stop->ok) {
				imp_reject(m, s->line, "stop_id: %s %s", s->v[1],
					   stop ? "was not imported" : "is not in stops.txt");
				ok = false;
				continue;
			}
			bool twice = false;
			for (size_t j = 0; j < json_object_array_length(stops) && !twice; j++)
				twice = strcmp(json_object_get_string(json_object_array_get_idx(stops, j)),
					       s->v[1]) == 0;
			if (twice) {
				imp_report(m, s->line, "stop_id: %s is in location group %s twice; kept once",
					   stop->gid ? stop->gid : s->v[1], r->gid ? r->gid : r->v[0]);
				m->skipped++;
				continue;
			}
			json_object_array_add(stops, json_object_new_string(s->v[1]));
		}
		size_t n = json_object_array_length(stops);
		if (!ok || n == 0) {
			imp_reject(f, r->line, "location_group_id: %s %s", r->v[0],
				   ok ? "has no stops in location_group_stops.txt" : "has stops refused");
			json_object_put(stops);
			continue;
		}
		json_object *b = json_object_new_object();
		text_of(b, "code", r->v[0]);
		text_of(b, "name", r->v[1]);
		json_object_object_add(b, "stops", stops);
		imp_gtfs_id(b, r);
		if (imp_put(im, f, "location-groups", r->v[0], b, NULL) == CLI_OK) {
			r->ok = true;
			m->imported += n;
		} else if (!im->fatal) {
			imp_reject(f, r->line, "location_group_id: %s refused by the daemon", r->v[0]);
			m->rejected += n;
		}
	}
	for (size_t k = 0; k < m->n; k++)
		if (!m->rows[k].ok)
			imp_reject(m, m->rows[k].line, "location_group_id: %s is not in location_groups.txt",
				   m->rows[k].v[0]);
}


static void zone_feature(void *arg, const struct geojson_feature *z)
{
	struct imp *im = arg;
	struct imp_file *f = &im->geo;
	if (im->fatal)
		return;
	if (z->error) {
		imp_reject(f, z->index + 1, "feature %zu%s%.40s: %s", z->index + 1, z->id ? " " : "",
			   z->id ? z->id : "", z->error);
		return;
	}
	struct imp_row r = { .line = z->index + 1, .gid = (char *)z->id };
	const char *why = z->id ? gtfsid_invalid(z->id, strlen(z->id)) : "a zone needs its id";
	const char *code = why ? NULL : gtfsid_map_code(im->ids[IMP_ID_ZONE], z->id);
	if (!code) {
		imp_reject(f, r.line, "id: %s", why ? why : "not read");
		return;
	}
	json_object *b = json_object_new_object();
	text_of(b, "code", code);
	text_of(b, "name", z->name ? z->name : "");
	text_of(b, "description", z->desc ? z->desc : "");
	json_object_object_add(b, "geometry", json_object_get(z->area));
	imp_gtfs_id(b, &r);
	if (imp_put(im, f, "zones", code, b, NULL) == CLI_OK) {
		im->zones = xrealloc(im->zones, (im->nzones + 1) * sizeof *im->zones);
		im->zones[im->nzones++] = xstrdup(code);
	} else if (!im->fatal) {
		imp_reject(f, r.line, "id: %s refused by the daemon", z->id);
	}
}

void imp_zones(struct imp *im, const char *dir)
{
	struct imp_file *f = &im->geo;
	f->name = "locations.geojson";
	snprintf(f->path, sizeof f->path, "%s/locations.geojson", dir);
	FILE *fp = fopen(f->path, "rb");
	if (!fp)
		return;
	f->present = true;
	size_t cap = 1 << 16, len = 0, got;
	char *data = xmalloc(cap);
	while ((got = fread(data + len, 1, cap - len, fp)) > 0 && len <= GEOJSON_BYTES_MAX)
		if ((len += got) == cap)
			data = xrealloc(data, cap *= 2);
	fclose(fp);
	char err[200];
	/* feature numbers stand for line numbers in what is reported */
	if (geojson_features(data, len, zone_feature, im, err, sizeof err) < 0)
		imp_reject(f, 1, "%s", err);
	free(data);
}

bool imp_zone_ok(struct imp *im, const char *id)
{
	for (size_t i = 0; i < im->nzones; i++)
		if (strcmp(im->zones[i], id) == 0)
			return true;
	return false;
}
