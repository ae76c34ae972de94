/*
 * standby.h — what a jintongd standing by answers, while another daemon on
 * the same database holds the leader lock (leader.h).
 *
 * It serves /healthz (200, role "standby": the process is alive), /readyz
 * (503: send it no work) and /metrics (its role), and answers everything
 * else 503 with Retry-After. It does not forward requests to the active
 * daemon: tablets and the operators' CLI already keep what a 503 refused and
 * send it again, and a load balancer checking /readyz sends them to the
 * active one. It runs no timer and writes nothing.
 */
#ifndef JINTONG_STANDBY_H
#define JINTONG_STANDBY_H

#include "daemon.h"

struct evhttp_request;

/* Answers a request while standing by (HTTP routing calls it for every path). */
void standby_route(struct jtd *d, struct evhttp_request *req, const char *path);

#endif
