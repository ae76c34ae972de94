/*
 * monitor.c — health, metrics and statistics; see monitor.h.
 *
 * /metrics is unauthenticated, as scrapers expect: it carries counts and
 * latencies, never an identifier or a secret. Keep the port off the public
 * network (see README) if even counts are sensitive.
 */
#include "monitor.h"

#include <event2/http.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "config-build.h"
#include "devices.h"
#include "fleet.h"
#include "http.h"
#include "leader.h"
#include "log.h"
#include "throttle.h"
#include "rides.h"
#include "runs.h"
#include "tracking.h"
#include "metrics.h"
#include "notify.h"
#include "store.h"
#include "timeparse.h"
#include "util.h"

/* A vehicle is online when its live position is at most this old. */
#define ONLINE_MS (5 * 60 * 1000)

struct json_object *monitor_clock_json(void)
{
	struct json_object *o = json_object_new_object();
	struct clock_sim c;
	bool sim = clock_simulated(&c);
	char at[TS_FORMAT_LEN];
	jt_ms now = now_ms();
	ts_format(now, at, sizeof at);
	json_object_object_add(o, "simulated", json_object_new_boolean(sim));
	json_object_object_add(o, "now", json_object_new_string(at));
	json_object_object_add(o, "now_ms", json_object_new_int64(now));
	json_object_object_add(o, "rate", json_object_new_double(sim ? c.rate : 1.0));
	if (sim) {
		ts_format(c.start, at, sizeof at);
		json_object_object_add(o, "start", json_object_new_string(at));
		json_object_object_add(o, "start_ms", json_object_new_int64(c.start));
		json_object_object_add(o, "anchor_ms", json_object_new_int64(c.anchor));
	}
	return o;
}

void monitor_health(struct jtd *d, struct evhttp_request *req, bool ready)
{
	struct json_object *o = json_object_new_object();
	bool ok = !ready || (store_connected(d->store) && !d->stopping);
	json_object_object_add(o, "status", json_object_new_string(ok ? "ok" : "unavailable"));
	json_object_object_add(o, "database",
			       json_object_new_string(store_connected(d->store) ? "up" : "down"));
	json_object_object_add(o, "stopping", json_object_new_boolean(d->stopping));
	if (d->leader)
		json_object_object_add(o, "role", json_object_new_string("active"));
	json_object_object_add(o, "clock", monitor_clock_json());
	http_reply_json(req, ok ? 200 : 503, o);
}

static void counter(struct metrics_out *o, const char *name, const char *help, double v)
{
	metrics_help(o, name, "counter", help);
	metrics_sample(o, name, "", v);
}

static void gauge(struct metrics_out *o, const char *name, const char *help, double v)
{
	metrics_help(o, name, "gauge", help);
	metrics_sample(o, name, "", v);
}

void monitor_metrics(struct jtd *d, struct evhttp_request *req)
{
	const struct ingest_stats *s = &d->stats;
	const struct store_stats *st = store_stats(d->store);
	struct metrics_out o = { 0 };
	char labels[96];

	snprintf(labels, sizeof labels, "version=\"%s\"", JT_VERSION);
	metrics_help(&o, "jintong_build_info", "gauge", "The running jintongd's version.");
	metrics_sample(&o, "jintong_build_info", labels, 1);
	gauge(&o, "jintong_start_time_seconds", "When this jintongd started (Unix time).",
	      (double)d->started_at / 1000.0);
	gauge(&o, "jintong_leader", "1 when this jintongd is the active one, 0 while it stands by.", 1);
	if (d->leader)
		gauge(&o, "jintong_leader_since_seconds",
		      "When this jintongd took the leader lock (Unix time).",
		      (double)leader_since(d->leader) / 1000.0);
	counter(&o, "jintong_http_requests_total", "HTTP requests received.", (double)s->requests);
	counter(&o, "jintong_fixes_received_total", "Fixes parsed from tablets' requests.",
		(double)s->received);
	counter(&o, "jintong_fixes_stored_total",
		"Fixes acknowledged to tablets after their commit.", (double)s->stored);
	metrics_help(&o, "jintong_fixes_rejected_total", "counter",
		     "Fixes refused, by reason; resending them will not help.");
	for (int r = 1; r < FIX_REASON_COUNT; r++) {
		snprintf(labels, sizeof labels, "reason=\"%s\"", fix_reason_name((enum fix_reason)r));
		metrics_sample(&o, "jintong_fixes_rejected_total", labels, (double)s->rejected[r]);
	}
	counter(&o, "jintong_fixes_unavailable_total",
		"Fixes answered 503: not stored now, the tablet resends them.",
		(double)s->unavailable);
	counter(&o, "jintong_fixes_implausible_total",
		"Fixes stored flagged as implausible jumps, not used for live positions.",
		(double)s->jumps);
	counter(&o, "jintong_fixes_stale_total",
		"Fixes stored that were older than the vehicle's live position (backlogs).",
		(double)s->stale);
	metrics_histogram(&o, "jintong_ack_seconds",
			  "Time from receiving a request with fixes to acknowledging it.", &s->ack);

	gauge(&o, "jintong_db_connected", "1 when at least one database connection takes writes.",
	      store_connected(d->store) ? 1 : 0);
	gauge(&o, "jintong_db_queue_fixes", "Fixes waiting to be written to the database.",
	      (double)store_queued_fixes(d->store));
	gauge(&o, "jintong_db_waiting_requests", "Requests waiting for their fixes to commit.",
	      (double)d->waiting);
	counter(&o, "jintong_db_statements_total", "Statements run on the database.",
		(double)st->statements);
	counter(&o, "jintong_db_reconnects_total", "Database connections lost and reopened.",
		(double)st->reconnects);
	counter(&o, "jintong_db_failed_writes_total",
		"Requests whose fixes could not be committed (answered 503 or 500).",
		(double)st->tickets_failed);
	metrics_histogram(&o, "jintong_db_commit_seconds",
			  "Time to write and commit one group of fixes.", &st->write);

	size_t online = 0, active = 0;
	jt_ms now = now_ms();
	for (size_t i = 0; i < fleet_count(d->fleet); i++) {
		const struct vehicle *v = fleet_at(d->fleet, i);
		if (v->has_pos && now - v->pos.time <= ONLINE_MS)
			online++;
	}
	for (size_t i = 0; i < devices_count(d->devices); i++)
		if (!devices_at(d->devices, i)->revoked_at)
			active++;
	gauge(&o, "jintong_vehicles", "Vehicles registered.", (double)fleet_count(d->fleet));
	gauge(&o, "jintong_vehicles_online", "Vehicles with a live position under 5 minutes old.",
	      (double)online);
	gauge(&o, "jintong_devices_active", "Tablets registered and not revoked.", (double)active);

	struct throttle_stats th = throttle_stats(d);
	metrics_help(&o, "jintong_http_rate_limited_total", "counter",
		     "Requests answered 429 because their sender's bucket was empty, by bucket.");
	metrics_sample(&o, "jintong_http_rate_limited_total", "bucket=\"requests\"",
		       (double)th.limited[ACCESS_LIMIT_REQUESTS]);
	metrics_sample(&o, "jintong_http_rate_limited_total", "bucket=\"fixes\"",
		       (double)th.limited[ACCESS_LIMIT_FIXES]);
	counter(&o, "jintong_http_connections_refused_total",
		"Connections refused because their address had max_connections_per_address open.",
		(double)th.connections_refused);
	counter(&o, "jintong_http_unauthenticated_total", "Requests answered 401: no token, or one not accepted.",
		(double)th.unauthenticated);
	counter(&o, "jintong_http_forbidden_total", "Requests answered 403: a token whose role or kind may not.",
		(double)th.forbidden);
	gauge(&o, "jintong_http_connections_open", "Connections open that have sent a request.",
	      (double)th.connections_open);
	gauge(&o, "jintong_http_rate_buckets", "Senders whose request rate is being counted.", (double)th.buckets);

	const struct rides_stats *rs = rides_stats(d);
	counter(&o, "jintong_ride_requests_total", "Booking requests read and decided.", (double)rs->requests);
	metrics_help(&o, "jintong_rides_total", "counter", "Rides by what became of them.");
	const struct {
		const char *outcome;
		uint64_t n;
	} outcomes[] = { { "offered", rs->offered },     { "refused", rs->refused },
			 { "confirmed", rs->confirmed }, { "cancelled", rs->cancelled },
			 { "expired", rs->expired },     { "not_saved", rs->failed } };
	for (size_t i = 0; i < JT_ARRAY_LEN(outcomes); i++) {
		snprintf(labels, sizeof labels, "outcome=\"%s\"", outcomes[i].outcome);
		metrics_sample(&o, "jintong_rides_total", labels, (double)outcomes[i].n);
	}
	gauge(&o, "jintong_rides_open", "Rides offered, confirmed or on board, holding seats.",
	      (double)rs->open);
	metrics_histogram(&o, "jintong_booking_decision_seconds",
			  "Time to decide a booking (search and offer), before it is written.", &rs->decide);

	const struct notify_stats *ns = notify_stats(d);
	metrics_help(&o, "jintong_notifications_total", "counter",
		     "Attempts to post a rider's notification to the gateway, by how they ended.");
	const struct {
		const char *outcome;
		uint64_t n;
	} sent[] = { { "delivered", ns->delivered }, { "retried", ns->retried }, { "gave_up", ns->gave_up } };
	for (size_t i = 0; i < JT_ARRAY_LEN(sent); i++) {
		snprintf(labels, sizeof labels, "outcome=\"%s\"", sent[i].outcome);
		metrics_sample(&o, "jintong_notifications_total", labels, (double)sent[i].n);
	}
	gauge(&o, "jintong_notifications_pending",
	      "Notifications neither delivered nor given up, as of the notifier's last look.", (double)ns->pending);
	gauge(&o, "jintong_notifications_in_flight", "Posts to the notification gateway under way.",
	      (double)ns->in_flight);
	metrics_histogram(&o, "jintong_notification_post_seconds",
			  "Time from posting a notification to the gateway's answer, or to the failure.", &ns->attempt);
	struct tracking_stats ts;
	tracking_stats(d, &ts);
	const struct runs_stats *us = runs_stats(d);
	gauge(&o, "jintong_vehicles_tracked", "Vehicles whose tracker is on a trip now.", (double)ts.tracking);
	gauge(&o, "jintong_vehicles_matching", "Vehicles whose tracker is choosing among trips running near them.",
	      (double)ts.matching);
	gauge(&o, "jintong_etas", "Stops ahead of the vehicles on trips, each with an expected arrival.",
	      (double)ts.etas);
	counter(&o, "jintong_tracking_fixes_total", "Fixes fed to the vehicles' trackers.", (double)ts.fixes);
	counter(&o, "jintong_tracking_update_seconds_total",
		"Time spent feeding fixes to trackers (divide by the fixes for the time a fix).", ts.update_s);
	metrics_help(&o, "jintong_stop_events_total", "counter", "Stop events found by the trackers, by kind.");
	for (int k = 0; k < RUN_KINDS; k++) {
		snprintf(labels, sizeof labels, "kind=\"%s\"", tracker_kind_name((enum tracker_kind)k));
		metrics_sample(&o, "jintong_stop_events_total", labels, (double)us->events[k]);
	}
	counter(&o, "jintong_stop_events_revised_total", "Stop events whose time later fixes changed.",
		(double)us->revised);
	counter(&o, "jintong_stop_events_withdrawn_total", "Stop events later fixes showed did not happen.",
		(double)us->withdrawn);
	counter(&o, "jintong_stop_events_written_total", "Stop event rows written to (or deleted from) the database.",
		(double)us->written);
	gauge(&o, "jintong_stop_events_pending", "Stops whose events wait to be written.", (double)runs_pending(d));
	counter(&o, "jintong_stop_event_writes_failed_total",
		"Groups of stop events the database did not take (written again with the next).", (double)us->failed);
	metrics_help(&o, "jintong_trip_runs_total", "counter", "Trip runs, by how they began or ended.");
	const struct {
		const char *how;
		uint64_t n;
	} hows[] = { { "opened", us->opened },       { "completed", us->completed },
		     { "dropped", us->dropped },     { "signed_off", us->signed_off } };
	for (size_t i = 0; i < JT_ARRAY_LEN(hows); i++) {
		snprintf(labels, sizeof labels, "how=\"%s\"", hows[i].how);
		metrics_sample(&o, "jintong_trip_runs_total", labels, (double)hows[i].n);
	}
	counter(&o, "jintong_rider_counts_total", "Counts of riders boarding and alighting reported by tablets.",
		(double)us->counts);

	http_reply_body(req, 200, "text/plain; version=0.0.4; charset=utf-8", o.p, o.len);
	metrics_out_free(&o);
}

void monitor_log_stats(struct jtd *d)
{
	struct ingest_stats *s = &d->stats;
	const struct store_stats *st = store_stats(d->store);
	static uint64_t last_acks, last_writes, last_committed;
	static double last_ack_ms, last_write_ms;
	uint64_t rejected = 0;
	for (int i = 0; i < FIX_REASON_COUNT; i++)
		rejected += s->rejected[i];
	uint64_t acks = s->ack.total - last_acks, writes = st->write.total - last_writes;
	log_info("ingest.stats",
		 "received=%llu stored=%llu rejected=%llu unavailable=%llu jumps=%llu queued=%zu "
		 "waiting=%zu ack_ms_avg=%.1f ack_ms_max=%.0f writes=%llu fixes_per_write=%.1f "
		 "write_ms_avg=%.2f db=%s",
		 (unsigned long long)s->received, (unsigned long long)s->stored,
		 (unsigned long long)rejected, (unsigned long long)s->unavailable,
		 (unsigned long long)s->jumps, store_queued_fixes(d->store), d->waiting,
		 acks ? (s->ack.sum_ms - last_ack_ms) / (double)acks : 0.0, s->ack_ms_max,
		 (unsigned long long)writes,
		 writes ? (double)(st->fixes_committed - last_committed) / (double)writes : 0.0,
		 writes ? (st->write.sum_ms - last_write_ms) / (double)writes : 0.0,
		 store_connected(d->store) ? "up" : "down");
	last_acks = s->ack.total;
	last_ack_ms = s->ack.sum_ms;
	last_writes = st->write.total;
	last_write_ms = st->write.sum_ms;
	last_committed = st->fixes_committed;
	s->ack_ms_max = 0;
}
