/*
 * report.h — reports for the county transport bureau, computed from what the
 * daemon holds in memory.
 */
#ifndef JINTONG_REPORT_H
#define JINTONG_REPORT_H

#include "daemon.h"

struct evhttp_request;

/* GET /v1/admin/coverage[?limit_m=2000]: each village's nearest stop served by a line. */
void report_coverage(struct jtd *d, struct evhttp_request *req);

#endif
