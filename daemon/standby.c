/*
 * standby.c — the answers of a jintongd standing by; see standby.h.
 */
#include "standby.h"

#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "config-build.h"
#include "http.h"
#include "leader.h"
#include "metrics.h"

static void health(struct jtd *d, struct evhttp_request *req, bool ready)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "status", json_object_new_string(ready ? "standby" : "ok"));
	json_object_object_add(o, "role", json_object_new_string("standby"));
	json_object_object_add(o, "database", json_object_new_string(
				       d->leader && leader_connected(d->leader) ? "up" : "down"));
	json_object_object_add(o, "stopping", json_object_new_boolean(d->stopping));
	if (ready)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
	http_reply_json(req, ready ? 503 : 200, o);
}

static void metrics(struct jtd *d, struct evhttp_request *req)
{
	struct metrics_out o = { 0 };
	char labels[96];
	snprintf(labels, sizeof labels, "version=\"%s\"", JT_VERSION);
	metrics_help(&o, "jintong_build_info", "gauge", "The running jintongd's version.");
	metrics_sample(&o, "jintong_build_info", labels, 1);
	metrics_help(&o, "jintong_leader", "gauge",
		     "1 when this jintongd is the active one, 0 while it stands by.");
	metrics_sample(&o, "jintong_leader", "", 0);
	metrics_help(&o, "jintong_leader_attempts_total", "counter",
		     "Attempts to take the leader lock while standing by.");
	metrics_sample(&o, "jintong_leader_attempts_total", "",
		       d->leader ? (double)leader_attempts(d->leader) : 0);
	http_reply_body(req, 200, "text/plain; version=0.0.4; charset=utf-8", o.p, o.len);
	metrics_out_free(&o);
}

void standby_route(struct jtd *d, struct evhttp_request *req, const char *path)
{
	if (strcmp(path, "/healthz") == 0)
		health(d, req, false);
	else if (strcmp(path, "/readyz") == 0)
		health(d, req, true);
	else if (strcmp(path, "/metrics") == 0)
		metrics(d, req);
	else
		http_reply_unavailable(d, req, "this jintongd is standing by for the active one");
}
