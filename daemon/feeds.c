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
 */
#include "feeds.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "fleet.h"
#include "gtfsrt.h"
#include "http.h"
#include "runs.h"
#include "tracking.h"
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

static int32_t delay_of(jt_ms t, const struct course *c, int32_t planned)
{
	return (int32_t)((t - course_time_of(c, planned)) / 1000);
}

/* The stop times of a vehicle's trip: what happened behind it, what is expected ahead. */
static size_t stop_times(const struct tracking_view *tv, struct gtfsrt_stop_time *out)
{
	const struct course *c = tv->course;
	const struct run *r = tv->run;
	size_t n = course_nstops(c);
	for (size_t k = 0; k < n; k++) {
		const struct course_stop *cs = course_stop(c, k);
		const struct run_stop *s = &r->stops[k];
		struct gtfsrt_stop_time *st = &out[k];
		*st = (struct gtfsrt_stop_time){ .sequence = (uint32_t)k + 1, .stop_id = cs->id };
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
			g->trip_id = course_trip_id(t->course);
			g->route_id = course_route_id(t->course);
			snprintf(dates[n], sizeof dates[n], "%s", course_start_date(t->course));
			g->start_date = dates[n];
		}
		if (t->course && t->has_progress) {
			size_t k = t->progress.next_stop, ns = course_nstops(t->course);
			if (k < ns) {
				g->stop_sequence = (uint32_t)k + 1;
				g->stop_id = course_stop(t->course, k)->id;
				g->status = t->progress.at_stop ? GTFSRT_STOPPED_AT : GTFSRT_IN_TRANSIT_TO;
			}
			g->has_delay = true;
			g->delay = t->progress.delay_s;
			if (t->progress.time > g->timestamp)
				g->timestamp = t->progress.time;
		}
		if (trip_updates && t->course) {
			sts[n] = xcalloc(course_nstops(t->course), sizeof *sts[n]);
			g->nstop_times = stop_times(t, sts[n]);
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
