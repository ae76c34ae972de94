/*
 * feeds.c — the GTFS Realtime feeds: GET /v1/gtfs-rt/vehicle-positions and
 * GET /v1/gtfs-rt/trip-updates, each a FULL_DATASET FeedMessage as
 * application/x-protobuf, or its text form with ?format=text.
 *
 * Public, as GTFS Realtime feeds are (journey planners poll them without
 * credentials): they say where the buses are and when they will come, the
 * same as the timetable at a stop, and nothing of the riders or the tablets.
 *
 * Positions are the vehicles' live ones (those on no trip only when under half
 * an hour old); trip descriptors, the current stop
 * and the delay come from its tracker. A trip update lists every stop of the
 * trip: observed times for those behind the bus, ETAs for those ahead,
 * skipped where it went round a stop. Occupancy comes from the tablet's
 * counts against the vehicle's seats, and is left out when nobody counted.
 * Trips, routes and stops go by the ids the GTFS export gives them: the
 * GTFS id a record was imported under, else its code, so a journey planner
 * matches the two feeds.
 */
#include "feeds.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "course.h"
#include "fleet.h"
#include "gtfsrt.h"
#include "http.h"
#include "runs.h"
#include "strmap.h"
#include "tracking.h"
#include "tripwrite.h"
#include "util.h"

#define STALE_MS (30 * 60 * 1000) /* a position older than this, on no trip, is left out */

static bool wants_text(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq qs;
	bool text = false;
	if (q && evhttp_parse_query_str(q, &qs) == 0) {
		const char *f = evhttp_find_header(&qs, "format");
		text = f && strcmp(f, "text") == 0;
		evhttp_clear_headers(&qs);
	}
	return text;
}

/* A record of a catalogue collection by its GTFS id, else by its code. */
static const char *catalog_id(struct jtd *d, const char *coll, const char *code)
{
	struct json_object *rec = code ? strmap_get(d->catalog[catalog_find(coll) - catalog_collections],
						     code)
				       : NULL;
	struct json_object *v;
	const char *id = rec && json_object_object_get_ex(rec, "gtfs_id", &v) && v
				 ? json_object_get_string(v)
				 : NULL;
	return id && *id ? id : code;
}

/* A trip by its GTFS id, else by its code. */
static const char *trip_id(struct jtd *d, const char *code)
{
	const struct trip *t = code ? strmap_get(d->trips, code) : NULL;
	return t && t->gtfs_id[0] ? t->gtfs_id : code;
}

static int32_t delay_of(jt_ms t, const struct course *c, int32_t planned)
{
	return (int32_t)((t - course_time_of(c, planned)) / 1000);
}

/* The stop times of a vehicle's trip: what happened behind it, what is expected ahead. */
static size_t stop_times(struct jtd *d, const struct tracking_view *tv, struct gtfsrt_stop_time *out)
{
	const struct course *c = tv->course;
	const struct run *r = tv->run;
	size_t n = course_nstops(c);
	for (size_t k = 0; k < n; k++) {
		const struct course_stop *cs = course_stop(c, k);
		const struct run_stop *s = &r->stops[k];
		struct gtfsrt_stop_time *st = &out[k];
		*st = (struct gtfsrt_stop_time){ .sequence = (uint32_t)k + 1,
						 .stop_id = catalog_id(d, "stops", cs->id) };
		jt_ms arr = s->t[TRACKER_ARRIVAL] ? s->t[TRACKER_ARRIVAL] : s->t[TRACKER_PASSED];
		jt_ms dep = s->t[TRACKER_DEPARTURE] ? s->t[TRACKER_DEPARTURE] : s->t[TRACKER_PASSED];
		bool ahead = tv->has_progress && k >= tv->progress.next_stop;
		if (s->t[TRACKER_SKIPPED]) {
			st->skipped = true;
			continue;
		}
		if (ahead && tv->eta) {
			if (!arr)
				arr = tv->eta[k].arrival;
			if (!dep && k + 1 < n)
				dep = tv->eta[k].departure;
		}
		st->arrival = k > 0 ? arr : 0;
		st->departure = k + 1 < n ? dep : 0;
		if (st->arrival || st->departure) {
			st->has_delay = true;
			st->arrival_delay = st->arrival ? delay_of(st->arrival, c, cs->arr) : 0;
			st->departure_delay = st->departure ? delay_of(st->departure, c, cs->dep) : 0;
		}
	}
	return n;
}

static void serve(struct jtd *d, struct evhttp_request *req, bool trip_updates)
{
	size_t nv = fleet_count(d->fleet);
	struct gtfsrt_vehicle *gv = xcalloc(nv ? nv : 1, sizeof *gv);
	struct tracking_view *tv = xcalloc(nv ? nv : 1, sizeof *tv);
	struct gtfsrt_stop_time **sts = xcalloc(nv ? nv : 1, sizeof *sts);
	char (*dates)[12] = xcalloc(nv ? nv : 1, sizeof *dates);
	size_t n = 0;
	jt_ms now = now_ms();
	for (size_t i = 0; i < nv; i++) {
		const struct vehicle *v = fleet_at(d->fleet, i);
		tracking_view(d, v, &tv[n]);
		const struct tracking_view *t = &tv[n];
		/* A bus last heard of long ago is not shown where it was: riders would wait for it. */
		bool fresh = v->has_pos && now - v->pos.time <= STALE_MS;
		if (!fresh && !t->course) {
			tracking_view_free(&tv[n]);
			continue;
		}
		struct gtfsrt_vehicle *g = &gv[n];
		*g = (struct gtfsrt_vehicle){
			.vehicle_id = v->code, .label = v->name[0] ? v->name : NULL,
			.lat = v->has_pos ? v->pos.lat : NAN, .lon = v->has_pos ? v->pos.lon : NAN,
			.bearing = v->has_pos ? v->pos.heading : NAN, .speed = v->has_pos ? v->pos.speed : NAN,
			.timestamp = v->has_pos ? v->pos.time : 0,
			.occupancy = gtfsrt_occupancy_of(t->onboard, v->seats),
		};
		if (t->course) {
			g->trip_id = trip_id(d, course_trip_id(t->course));
			g->route_id = catalog_id(d, "lines", course_route_id(t->course));
			snprintf(dates[n], sizeof dates[n], "%s", course_start_date(t->course));
			g->start_date = dates[n];
		}
		if (t->course && t->has_progress) {
			size_t k = t->progress.next_stop, ns = course_nstops(t->course);
			if (k < ns) {
				g->stop_sequence = (uint32_t)k + 1;
				g->stop_id = catalog_id(d, "stops", course_stop(t->course, k)->id);
				g->status = t->progress.at_stop ? GTFSRT_STOPPED_AT : GTFSRT_IN_TRANSIT_TO;
			}
			g->has_delay = true;
			g->delay = t->progress.delay_s;
			if (t->progress.time > g->timestamp)
				g->timestamp = t->progress.time;
		}
		if (trip_updates && t->course) {
			sts[n] = xcalloc(course_nstops(t->course), sizeof *sts[n]);
			g->nstop_times = stop_times(d, t, sts[n]);
			g->stop_times = sts[n];
		}
		n++;
	}
	struct gtfsrt_feed feed;
	if (trip_updates)
		gtfsrt_trip_updates(gv, n, now, &feed);
	else
		gtfsrt_vehicle_positions(gv, n, now, &feed);
	/* Journey planners poll every few seconds: a feed is fresh for a moment only. */
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "max-age=5");
	if (wants_text(req)) {
		char *text = gtfsrt_text(feed.data, feed.len);
		http_reply_body(req, 200, "text/plain; charset=utf-8", text ? text : "", text ? strlen(text) : 0);
		free(text);
	} else {
		http_reply_body(req, 200, "application/x-protobuf", feed.data, feed.len);
	}
	free(feed.data);
	for (size_t i = 0; i < n; i++) {
		tracking_view_free(&tv[i]);
		free(sts[i]);
	}
	free(sts);
	free(dates);
	free(tv);
	free(gv);
}

void feeds_handle(struct jtd *d, struct evhttp_request *req, const char *name)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) {
		http_reply_error(req, 405, "method_not_allowed", "the feeds take GET");
		return;
	}
	if (strcmp(name, "vehicle-positions") == 0)
		serve(d, req, false);
	else if (strcmp(name, "trip-updates") == 0)
		serve(d, req, true);
	else
		http_reply_error(req, 404, "not_found", "the feeds are vehicle-positions and trip-updates");
}
