/*
 * vanplan.h — a van's manifest as its driver's tablet reads it: the JSON of
 * GET /v1/vehicles/{code}/manifest?format=json, read into tasks in the
 * planned order. The reply comes over the network and is read as hostile:
 * a stop without a ride id, a place out of range or a window that does not
 * parse is left out (a stop without a planned time is planned for its
 * window's opening); at most max tasks are kept.
 */
#ifndef JINTONG_SIM_VANPLAN_H
#define JINTONG_SIM_VANPLAN_H

#include <stddef.h>
#include <stdint.h>

enum van_task_kind { VAN_PICKUP, VAN_DROPOFF };

struct van_task {
	enum van_task_kind kind;
	char ride[24];
	int passengers, parcels_l;
	double lat, lon;
	int64_t from_ms, planned_ms; /* the window's opening, and when the plan has the van there */
};

/* Reads text[0..len); returns the number of tasks in out, or -1 when it is not a manifest. */
int vanplan_read(const char *text, size_t len, struct van_task *out, int max);

#endif
