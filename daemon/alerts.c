/*
 * alerts.c — telling riders their bus is near, or late.
 *
 * Every few seconds the rides confirmed for a seat on a trip being run now
 * are set against what tracking expects: when the bus is expected at the
 * rider's stop within notify_approach_min, the rider is told it is
 * approaching; when it is expected notify_delay_min or more after the
 * pickup time promised, the rider is told of the delay. Each is said once
 * per ride: the notification row is written only when there is none of
 * that kind for the ride yet, in the statement that checks, so a restart
 * does not repeat it. The notifier (notify.c) delivers them like the rest.
 */
#include "alerts.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "fleet.h"
#include "log.h"
#include "notify.h"
#include "rides.h"
#include "runs.h"
#include "store.h"
#include "strmap.h"
#include "tracking.h"
#include "util.h"

#define ALERTS_EVERY_S 10
#define LATE_TRIP_S 300 /* shown as late on the live page from 5 minutes behind the timetable */

struct bus_now {
	struct tracking_view view;
};

static struct strmap *said; /* "ride:kind" already written while this daemon runs */

static void told(void *arg, const PGresult *res)
{
	struct jtd *d = arg;
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		notify_wake(d);
	else if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("ride.alert_not_saved", "the next look tries again after a restart");
}

/* A notification of this kind for the ride, unless it has one. */
static void tell(struct jtd *d, int64_t ride, const char *kind)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)ride);
	const char *params[] = { id, kind };
	store_query(d->store,
		    "INSERT INTO notification (ride_id, kind, payload)"
		    " SELECT r.id, $2, jintong_ride_notification(r, $2) FROM ride r WHERE r.id = $1::bigint"
		    " AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.ride_id = r.id AND n.kind = $2)"
		    " RETURNING id",
		    2, params, told, d);
}

void alerts_tick(struct jtd *d)
{
	/* Every ALERTS_EVERY_S of the county's time, at most once a tick on a fast simulated clock. */
	static jt_ms checked;
	jt_ms t = now_ms();
	if (!checked)
		checked = t;
	if (t - checked < ALERTS_EVERY_S * 1000 && t >= checked)
		return;
	checked = t;
	if (!said)
		said = strmap_new();
	/* The buses on trips now, by "trip@day". */
	struct strmap *buses = strmap_new();
	size_t n = fleet_count(d->fleet);
	struct bus_now *now_on = xcalloc(n ? n : 1, sizeof *now_on);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		tracking_view(d, fleet_at(d->fleet, i), &now_on[k].view);
		const struct tracking_view *v = &now_on[k].view;
		if (!v->course || !v->run || !v->has_progress || !v->eta) {
			tracking_view_free(&now_on[k].view);
			continue;
		}
		char key[64];
		snprintf(key, sizeof key, "%s@%d", v->run->trip, (int)v->run->day);
		strmap_put(buses, key, &now_on[k]);
		k++;
	}
	jt_ms now = now_ms();
	size_t pos = 0;
	const struct ride *r;
	while (k && rides_next_open(d, &pos, &r)) {
		if (r->state != RIDE_CONFIRMED || r->service != RIDE_ON_TRIP)
			continue;
		char key[64];
		snprintf(key, sizeof key, "%s@%d", r->trip, (int)r->day);
		const struct bus_now *b = strmap_get(buses, key);
		if (!b || (size_t)r->board >= course_nstops(b->view.course))
			continue;
		const struct eta_stop *e = &b->view.eta[r->board];
		jt_ms at = e->departure ? e->departure : e->arrival;
		if (!at)
			continue; /* already behind the bus */
		struct ride_alert a =
			ride_judge(r, at, now, d->cfg.notify_approach_min * 60000, d->cfg.notify_delay_min * 60000);
		const char *kinds[2] = { a.approaching ? "approaching" : NULL, a.delay ? "delay" : NULL };
		for (int i = 0; i < 2; i++) {
			if (!kinds[i])
				continue;
			char once[64];
			snprintf(once, sizeof once, "%lld:%s", (long long)r->id, kinds[i]);
			if (strmap_get(said, once))
				continue;
			strmap_put(said, once, (void *)1);
			log_info("ride.alert", "ride=%lld kind=%s trip=%s expected_in_s=%lld", (long long)r->id, kinds[i],
				 r->trip, (long long)((at - now) / 1000));
			tell(d, r->id, kinds[i]);
		}
	}
	for (size_t i = 0; i < k; i++)
		tracking_view_free(&now_on[i].view);
	free(now_on);
	strmap_free(buses);
	/* The memory of what was said is kept for a day's worth of rides at most. */
	if (strmap_count(said) > 200000) {
		strmap_free(said);
		said = NULL;
	}
}

void alerts_free(void)
{
	strmap_free(said);
	said = NULL;
}

struct json_object *alerts_late_trips(struct jtd *d, void *arg)
{
	(void)arg;
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < fleet_count(d->fleet); i++) {
		const struct vehicle *v = fleet_at(d->fleet, i);
		struct tracking_view tv;
		tracking_view(d, v, &tv);
		if (tv.course && tv.run && tv.has_progress && tv.progress.delay_s >= LATE_TRIP_S) {
			struct json_object *o = json_object_new_object();
			size_t k = tv.progress.next_stop;
			json_object_object_add(o, "trip", json_object_new_string(tv.run->trip));
			json_object_object_add(o, "line", json_object_new_string(tv.run->line));
			json_object_object_add(o, "vehicle", json_object_new_string(v->code));
			json_object_object_add(o, "late_s", json_object_new_int(tv.progress.delay_s));
			json_object_object_add(o, "stop", k < course_nstops(tv.course)
								  ? json_object_new_string(course_stop(tv.course, k)->id)
								  : NULL);
			json_object_array_add(list, o);
		}
		tracking_view_free(&tv);
	}
	return list;
}
