/*
 * monitor.h — how the daemon is watched: /healthz, /readyz, /metrics in the
 * Prometheus text format, and the periodic statistics line in the log.
 */
#ifndef JINTONG_MONITOR_H
#define JINTONG_MONITOR_H

#include "daemon.h"

struct evhttp_request;
struct json_object;

/* ready: 200 only when the database takes writes and the daemon is not stopping. */
/* The county's clock as JSON: {simulated, now, now_ms, rate[, start, start_ms, anchor_ms]}. */
struct json_object *monitor_clock_json(void);
void monitor_health(struct jtd *d, struct evhttp_request *req, bool ready);
void monitor_metrics(struct jtd *d, struct evhttp_request *req);
void monitor_log_stats(struct jtd *d);

#endif
