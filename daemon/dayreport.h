/*
 * dayreport.h — a day of service for the county transport bureau; see
 * dayreport.c.
 */
#ifndef JINTONG_DAYREPORT_H
#define JINTONG_DAYREPORT_H

#include "daemon.h"

struct evhttp_request;

/* GET /v1/admin/report?date=YYYY-MM-DD */
void dayreport_handle(struct jtd *d, struct evhttp_request *req);

#endif
