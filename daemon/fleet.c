/*
 * fleet.c — live vehicle state; see fleet.h.
 */
#include "fleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "strmap.h"
#include "util.h"

/* GPS error allowed for when judging a jump, per fix, when it reports none. */
#define DEFAULT_ERROR_M 30.0
/* The most error credited to one fix, however inaccurate it says it is. */
#define MAX_ERROR_M 200.0

struct fleet {
	struct vehicle **v;
	size_t n, cap;
	struct strmap *by_code;
	struct vehicle **by_id; /* hash table, id_cap slots, at most half full */
	size_t id_cap;
	double max_speed;
};

struct fleet *fleet_new(double max_speed_mps)
{
	struct fleet *fl = xcalloc(1, sizeof *fl);
	fl->by_code = strmap_new();
	fl->max_speed = max_speed_mps;
	return fl;
}

void fleet_free(struct fleet *fl)
{
	if (!fl)
		return;
	for (size_t i = 0; i < fl->n; i++)
		free(fl->v[i]);
	free(fl->v);
	strmap_free(fl->by_code);
	free(fl->by_id);
	free(fl);
}

void fleet_set_max_speed(struct fleet *fl, double max_speed_mps)
{
	fl->max_speed = max_speed_mps;
}

/* Vehicles by database id: open addressing over the ids themselves. */
static size_t id_slot(const struct fleet *fl, int id)
{
	size_t mask = fl->id_cap - 1;
	size_t i = ((uint32_t)id * 2654435761u) & mask;
	while (fl->by_id[i] && fl->by_id[i]->id != id)
		i = (i + 1) & mask;
	return i;
}

static void id_insert(struct fleet *fl, struct vehicle *v)
{
	if ((fl->n + 1) * 2 > fl->id_cap) {
		struct vehicle **old = fl->by_id;
		size_t oldcap = fl->id_cap;
		fl->id_cap = fl->id_cap ? fl->id_cap * 2 : 64;
		fl->by_id = xcalloc(fl->id_cap, sizeof *fl->by_id);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				fl->by_id[id_slot(fl, old[i]->id)] = old[i];
		free(old);
	}
	fl->by_id[id_slot(fl, v->id)] = v;
}

struct vehicle *fleet_add(struct fleet *fl, int id, const char *code)
{
	if (strlen(code) > VEHICLE_CODE_MAX || strmap_get(fl->by_code, code) || fleet_by_id(fl, id))
		return NULL;
	struct vehicle *v = xcalloc(1, sizeof *v);
	v->id = id;
	strlcpy_jt(v->code, code, sizeof v->code);
	fl->v = xgrow(fl->v, &fl->cap, fl->n + 1, sizeof *fl->v);
	fl->v[fl->n++] = v;
	strmap_put(fl->by_code, v->code, v);
	id_insert(fl, v);
	return v;
}

struct vehicle *fleet_by_id(const struct fleet *fl, int id)
{
	return fl->id_cap ? fl->by_id[id_slot(fl, id)] : NULL;
}

struct vehicle *fleet_by_code(const struct fleet *fl, const char *code)
{
	return strmap_get(fl->by_code, code);
}

size_t fleet_count(const struct fleet *fl)
{
	return fl->n;
}

struct vehicle *fleet_at(const struct fleet *fl, size_t i)
{
	return i < fl->n ? fl->v[i] : NULL;
}

static double error_m(const struct fix *f)
{
	if (isnan(f->accuracy))
		return DEFAULT_ERROR_M;
	return f->accuracy < MAX_ERROR_M ? f->accuracy : MAX_ERROR_M;
}

/*
 * Could a vehicle have gone from a to b (b later)? Each position may be off
 * by its error, and a second is the shortest interval judged, so jitter
 * between two fixes a few milliseconds apart is not read as a warp.
 */
static bool plausible(const struct fleet *fl, const struct fix *a, const struct fix *b)
{
	double d = geo_distance_m(a->lat, a->lon, b->lat, b->lon) - error_m(a) - error_m(b);
	if (d <= 0)
		return true;
	double dt = (double)(b->time - a->time) / 1000.0;
	if (dt < 1.0)
		dt = 1.0;
	return d / dt <= fl->max_speed;
}

enum fix_quality fleet_observe(struct fleet *fl, struct vehicle *v, const struct fix *f)
{
	v->fixes_seen++;
	if (!v->has_pos) {
		fleet_restore(v, f);
		return FIXQ_GOOD;
	}
	if (f->time <= v->pos.time)
		return FIXQ_STALE;
	if (plausible(fl, &v->pos, f)) {
		v->pos = *f;
		v->has_suspect = false;
		return FIXQ_GOOD;
	}
	if (v->has_suspect && f->time > v->suspect.time && plausible(fl, &v->suspect, f)) {
		/* Two fixes agree with each other and not with the old place. */
		v->pos = *f;
		v->has_suspect = false;
		return FIXQ_GOOD;
	}
	v->suspect = *f;
	v->has_suspect = true;
	return FIXQ_IMPLAUSIBLE_JUMP;
}

void fleet_restore(struct vehicle *v, const struct fix *f)
{
	v->pos = *f;
	v->has_pos = true;
	v->has_suspect = false;
}
