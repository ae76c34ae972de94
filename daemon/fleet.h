/*
 * fleet.h — live state of every vehicle: its latest good position, and the
 * judgement of each new fix against it. Pure: no I/O, no clock of its own.
 *
 * A fix whose implied speed since the live position exceeds the limit is an
 * "implausible jump": stored, but not shown as where the bus is. If the next
 * fix agrees with the jumped-to place rather than the old one, the tablet
 * really moved (say, it was carried to another bus) and the live position
 * follows it.
 */
#ifndef JINTONG_FLEET_H
#define JINTONG_FLEET_H

#include "core.h"

#define VEHICLE_CODE_MAX 32
#define VEHICLE_NAME_MAX 128

struct vehicle {
	int id; /* database id */
	char code[VEHICLE_CODE_MAX + 1];
	char name[VEHICLE_NAME_MAX + 1];
	int seats;
	int cargo_l;
	bool step_free; /* a wheelchair can board */
	jt_ms created_at;

	bool has_pos;
	struct fix pos;      /* latest good fix */
	bool has_suspect;
	struct fix suspect;  /* latest implausible one, to detect a real relocation */
	uint64_t fixes_seen;
};

struct fleet;

struct fleet *fleet_new(double max_speed_mps);
void fleet_free(struct fleet *fl);
void fleet_set_max_speed(struct fleet *fl, double max_speed_mps);

/* Adds a vehicle; returns NULL if the id or the code is already taken. */
struct vehicle *fleet_add(struct fleet *fl, int id, const char *code);
struct vehicle *fleet_by_id(const struct fleet *fl, int id);
struct vehicle *fleet_by_code(const struct fleet *fl, const char *code);
size_t fleet_count(const struct fleet *fl);
/* Vehicles in the order they were added, i in [0, fleet_count). */
struct vehicle *fleet_at(const struct fleet *fl, size_t i);

/*
 * Judges a validated fix for vehicle v and updates the live state.
 * Returns FIXQ_GOOD when it became the live position, FIXQ_STALE when it is
 * not newer than the live position (a backlog), FIXQ_IMPLAUSIBLE_JUMP when it
 * implies a speed above the limit.
 */
enum fix_quality fleet_observe(struct fleet *fl, struct vehicle *v, const struct fix *f);

/* Sets the live position without judgement (rebuilding state at start). */
void fleet_restore(struct vehicle *v, const struct fix *f);

#endif
