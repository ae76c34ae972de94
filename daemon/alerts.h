/*
 * alerts.h — riders told when their bus is near or late; see alerts.c.
 */
#ifndef JINTONG_ALERTS_H
#define JINTONG_ALERTS_H

#include "daemon.h"

/* Once a second, from the housekeeping timer. */
void alerts_tick(struct jtd *d);
/* At exit. */
void alerts_free(void);

#endif
