/*
 * fleetbody.h — the small bodies about the fleet and who may use the API,
 * read and checked apart from HTTP and PostgreSQL: a vehicle and a tablet
 * put on the books, an operator token or booking client named, a driver
 * signing on to a trip, and a driver's rider counts at a stop. Pure.
 *
 * Each reader returns 0 with the fields filled, or -1 with the reply's
 * error code (`why`, a static string) and a message for people in err; the
 * status is always 400. What needs the daemon's state — a code already
 * taken (409), an unknown vehicle or trip (404), the stop of the trip a
 * vehicle is on — is checked by the caller afterwards.
 */
#ifndef JINTONG_FLEETBODY_H
#define JINTONG_FLEETBODY_H

#include <stdbool.h>
#include <stddef.h>

#include "core.h"
#include "fleet.h"

struct json_object;

struct fleetbody_vehicle {
	char code[33];
	char name[VEHICLE_NAME_MAX + 1];
	int seats, cargo_l;
	bool step_free;
};

struct fleetbody_device {
	char device_id[JT_DEVICE_ID_MAX + 1];
	char vehicle[41];          /* as given (cut at 40 bytes): not found when too long for a code */
};

struct fleetbody_credential {
	char name[65];
	int role;                  /* enum access_role; admin when not given */
};

struct fleetbody_counts {
	int boarded, alighted;     /* 0 when not given */
	struct json_object *stop;  /* borrowed from the body; NULL when not given */
};

int fleetbody_vehicle(struct json_object *o, struct fleetbody_vehicle *out, const char **why, char *err,
		      size_t errlen);
int fleetbody_device(struct json_object *o, struct fleetbody_device *out, const char **why, char *err,
		     size_t errlen);
/* A booking client (clients) has no role. */
int fleetbody_credential(struct json_object *o, bool clients, struct fleetbody_credential *out, const char **why,
			 char *err, size_t errlen);
/* The trip code a driver signs on to: trip must hold 33 bytes. */
int fleetbody_sign_on(struct json_object *o, char *trip, const char **why, char *err, size_t errlen);
int fleetbody_counts(struct json_object *o, struct fleetbody_counts *out, const char **why, char *err,
		     size_t errlen);
/* 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
bool fleetbody_name_valid(const char *s);

#endif
