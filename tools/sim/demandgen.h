/*
 * demandgen.h — the villagers' ride requests of one simulated day in a
 * generated county (gen.h): who asks, when they ask, from where to where,
 * for when, how many travel, what they carry.
 *
 * The day's requests follow from the county, the date and a seed alone
 * (pure: no I/O, no clock), so a booking run against the daemon and the
 * offline comparison of dispatch policies replay the very same list.
 *
 * What villagers travel for (each a draw per village, Poisson with the
 * rates in demandgen.c, all stated there with the assumptions behind them):
 *
 *   town      errands in the township centre (service hall, shops), and back;
 *   market    the township's market, on its market days only: into town in
 *             the morning (peak about 07:45), home around noon;
 *   clinic    the township health centre, arrive by a morning time, and back;
 *   hospital  the county hospital in the county seat, arrive by a morning
 *             time, home in the afternoon;
 *   seat      errands in the county seat, and back;
 *   pupil     boarders whose village the student run does not pass: from
 *             the township centre home on Friday after the coach, and back
 *             on Sunday in time for it (school term only);
 *   parcel    a parcel from the village pickup point to the township's
 *             station, nobody travelling with it.
 *
 * Each request is asked either the evening before (day-ahead) or on the day,
 * some of those for "now". A request leaves after a time or must arrive by
 * one. Places are a village committee, a stop, or a point near a village.
 */
#ifndef JINTONG_SIM_DEMANDGEN_H
#define JINTONG_SIM_DEMANDGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "gen.h"

enum demandgen_purpose {
	DEMANDGEN_TOWN,
	DEMANDGEN_MARKET,
	DEMANDGEN_CLINIC,
	DEMANDGEN_HOSPITAL,
	DEMANDGEN_SEAT,
	DEMANDGEN_PUPIL,
	DEMANDGEN_PARCEL,
	DEMANDGEN_PURPOSES
};

const char *demandgen_purpose_name(enum demandgen_purpose p);

enum demandgen_place_kind { DEMANDGEN_AT_VILLAGE, DEMANDGEN_AT_STOP, DEMANDGEN_AT_POINT };

struct demandgen_place {
	enum demandgen_place_kind kind;
	int ref;          /* village or stop index; -1 for a point */
	int node;         /* the road network's node it is at or nearest to */
	double access_m;  /* road metres from that node (0 at the node itself) */
	double lat, lon;
};

struct demandgen_request {
	int id;                        /* 0.. in the order of the list */
	char rider[40];
	enum demandgen_purpose purpose;
	int village;                   /* the villager's home village */
	struct demandgen_place from, to;
	int made_s;                    /* asked at, seconds from the day's midnight (< 0: the day before) */
	int time_s;                    /* leave after / arrive by, seconds from midnight */
	bool arrive_by;
	bool day_ahead;
	bool now;                      /* asked for "now": made_s is within minutes of time_s */
	int passengers;                /* 0 for a parcel sent alone */
	int parcels_l;
	bool wheelchair;
};

/* What kind of day it is. */
struct demandgen_daykind {
	bool weekend;
	bool school_term;   /* pupils are at school this week */
	int market_towns;   /* towns holding their market */
};

struct demandgen_list {
	struct demandgen_request *r;
	size_t n, cap;
	struct demandgen_daykind kind;
};

/*
 * The requests of day `day` of county c with seed `seed`, sorted by the time
 * they are asked (then id). The day must be one of the county's service days
 * (its timetable says nothing about others): 0, or -1 with why in err.
 */
int demandgen_make(const struct gen_county *c, jt_day day, uint64_t seed, struct demandgen_list *out,
		   char *err, size_t errlen);
void demandgen_free(struct demandgen_list *l);

/* Does town t hold its market on day d? (Within the county's service days.) */
bool demandgen_market(const struct gen_county *c, int town, jt_day d);
/* Is day d in a school term (pupils board during its week)? */
bool demandgen_school_term(const struct gen_county *c, jt_day d);

/* A place's code for a booking ("" for a point): a village's or a stop's code. */
const char *demandgen_place_code(const struct gen_county *c, const struct demandgen_place *p);

#endif
