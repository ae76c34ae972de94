/*
 * alerts.h — riders told when their bus is near or late; see alerts.c.
 */
#ifndef JINTONG_ALERTS_H
#define JINTONG_ALERTS_H

#include "daemon.h"

/* Once a second, from the housekeeping timer. */
void alerts_tick(struct jtd *d);
/* The trips running 5 minutes or more late, for the live page (live_late_fn). */
struct json_object *alerts_late_trips(struct jtd *d, void *arg);
/* At exit. */
void alerts_free(void);

#endif
