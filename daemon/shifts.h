/*
 * shifts.h — vehicles on booking duty: the demand-responsive service.
 *
 * A shift puts a vehicle on duty on the days of a calendar, from a depot
 * stop, between two times of the service day. Booked rides that no
 * timetabled trip can carry are placed in the plans of the vehicles on duty
 * (demand.h).
 *
 *   GET    /v1/admin/shifts              every shift, by code
 *   GET    /v1/admin/shifts/{code}
 *   POST   /v1/admin/shifts              {"code","vehicle","calendar","depot","start":"07:00","end":"18:00"}
 *   DELETE /v1/admin/shifts/{code}       refused while rides are planned on it
 *
 * Two shifts of one vehicle may not overlap on any day in the coming year.
 */
#ifndef JINTONG_SHIFTS_H
#define JINTONG_SHIFTS_H

#include <libpq-fe.h>

#include "daemon.h"
#include "demand.h"

struct evhttp_request;

void shifts_init(struct jtd *d);
void shifts_free(struct jtd *d);
int shifts_load(struct jtd *d, PGconn *c, char *err, size_t errlen) JT_MUST_CHECK;
void shifts_handle(struct jtd *d, struct evhttp_request *req, const char *code, const char *who);
/* Moves on with every change to the shifts. */
uint64_t shifts_changes(struct jtd *d);
/*
 * The shifts as the demand-responsive fleet plans them, with their
 * vehicles' seats, their depots' positions and their calendars resolved;
 * shifts whose vehicle, depot or calendar is gone are left out. Returns
 * how many were written to *out (xmalloc'd; the caller frees it).
 */
size_t shifts_resolve(struct jtd *d, struct demand_shift **out);

#endif
