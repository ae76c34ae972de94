/*
 * seats.h — seats on timetabled trips: the backbone of every booking.
 *
 * A rider asking to go from A to B is first offered a seat on a scheduled,
 * student or market-day trip: a trip that runs that day, calls at a stop
 * within walking distance of A and later at one within walking distance of
 * B, at a useful time, with a free seat on every segment between the two.
 * Only when no trip fits is a demand-responsive vehicle dispatched.
 *
 * The network is a snapshot (struct seats_net) the caller builds from the
 * timetable: stops with their positions, trips with their stop times and
 * calendars. Loads (struct seats_loads) are kept apart from it, keyed by the
 * trip's code and the service day, so the snapshot can be rebuilt when an
 * operator edits the timetable without losing a single held seat.
 *
 * Student trips guarantee their seats to the pupils on their line's roster:
 * a rider who is not on the roster may take only the seats beyond the
 * roster's size, and a pupil always finds the seat kept for him.
 *
 * Pure: no I/O. Times are seconds of the service day (see timetable.h).
 */
#ifndef JINTONG_SEATS_H
#define JINTONG_SEATS_H

#include "calendar.h"
#include "core.h"
#include "date.h"

#define SEATS_CODE_MAX 32

enum seats_kind { SEATS_SCHEDULED, SEATS_STUDENT, SEATS_MARKET_DAY, SEATS_LOGISTICS, SEATS_ON_DEMAND };

/* "scheduled", "student", ... → kind; -1 when unknown. */
int seats_kind_parse(const char *s);
const char *seats_kind_name(enum seats_kind k);

struct seats_stop {
	char code[SEATS_CODE_MAX + 1];
	double lat, lon;
};

struct seats_trip {
	char code[SEATS_CODE_MAX + 1];
	char line[SEATS_CODE_MAX + 1];
	enum seats_kind kind;
	const struct calendar *cal; /* owned by the caller; valid as long as the snapshot */
	int seats;                  /* seats on the vehicle that runs it */
	int roster;                 /* pupils enrolled on the line (student trips), kept for them */
	size_t n;                   /* stops */
	uint32_t *stop;             /* indexes into the snapshot's stops */
	int32_t *arr, *dep;
};

struct seats_net;

struct seats_net *seats_net_new(void);
void seats_net_free(struct seats_net *net);
/* Adds a stop; returns its index. Codes are expected unique. */
uint32_t seats_net_add_stop(struct seats_net *net, const char *code, double lat, double lon);
/* The index of a stop, or -1. */
long seats_net_find_stop(const struct seats_net *net, const char *code);
const struct seats_stop *seats_net_stop(const struct seats_net *net, uint32_t i);
/*
 * Adds a trip; the snapshot copies its arrays. Stops are indexes already
 * added. Trips whose lines carry no passengers (logistics, on-demand) are
 * kept out of seat offers but may be looked up.
 */
void seats_net_add_trip(struct seats_net *net, const struct seats_trip *t);
/* Call once after the last add, before any search. */
void seats_net_index(struct seats_net *net);
size_t seats_net_trips(const struct seats_net *net);
size_t seats_net_stops(const struct seats_net *net);
const struct seats_trip *seats_net_trip(const struct seats_net *net, size_t i);
long seats_net_find_trip(const struct seats_net *net, const char *code);

/* --- loads ------------------------------------------------------------- */

struct seats_loads;

struct seats_loads *seats_loads_new(void);
void seats_loads_free(struct seats_loads *l);
/*
 * Holds `riders` seats on trip `code` on day `day` from stop sequence index
 * `from` to `to` (0-based, from < to; the segments from..to-1), counted as
 * pupils when `pupil` is set. `nstops` is the trip's number of stops.
 * Holding never fails: the check is seats_find()'s; a load rebuilt from the
 * database may exceed the seats after an operator shrank a vehicle, and is
 * then simply full.
 */
void seats_hold(struct seats_loads *l, const char *code, jt_day day, size_t nstops, size_t from,
		size_t to, int riders, bool pupil);
/* Gives held seats back (a cancellation, an expired offer, a no-show). */
void seats_release(struct seats_loads *l, const char *code, jt_day day, size_t from, size_t to,
		   int riders, bool pupil);
/* Riders on the segment leaving stop index `seg` (0 when nothing is held). */
int seats_load(const struct seats_loads *l, const char *code, jt_day day, size_t seg);
/* Pupils on the segment leaving stop index `seg`. */
int seats_pupils(const struct seats_loads *l, const char *code, jt_day day, size_t seg);
/* Forgets every day before `day` (housekeeping). */
void seats_loads_forget_before(struct seats_loads *l, jt_day day);

/* --- search ------------------------------------------------------------ */

enum seats_when {
	SEATS_LEAVE_AFTER,  /* time is the earliest departure from the origin */
	SEATS_ARRIVE_BY,    /* time is the latest arrival at the destination */
};

struct seats_query {
	double olat, olon, dlat, dlon; /* origin and destination */
	jt_day day;                    /* service day of `time` */
	int32_t time;                  /* seconds of that day */
	enum seats_when when;
	int riders;                    /* 1.. */
	bool pupil;                    /* on the roster of the trip's line (student trips) */
	const char *pupil_line;        /* that line's code, or NULL */
	double walk_max_m;             /* to the boarding stop and from the alighting stop */
	double walk_speed_mps;         /* to weigh walking against riding */
	int32_t horizon_s;             /* how far past `time` (or before it) an offer may be */
};

struct seats_offer {
	size_t trip;           /* index into the snapshot */
	jt_day day;            /* the trip's service day */
	size_t board, alight;  /* stop indexes within the trip */
	int32_t board_time;    /* departure from the boarding stop, seconds of `day` */
	int32_t alight_time;   /* arrival at the alighting stop */
	double walk_m;         /* walked in all: to the boarding stop and from the alighting one */
	int free;              /* seats still free on the fullest segment, before this rider */
	double cost;           /* what the search minimised, in seconds */
};

/*
 * The best seats for q, best first: at most `max` written, the count
 * returned (0 when none fits). With SEATS_LEAVE_AFTER the best arrives
 * earliest (walking included); with SEATS_ARRIVE_BY the best leaves latest.
 * Trips of the day before whose times run past midnight are considered.
 * Only one offer per trip is returned.
 */
size_t seats_find(const struct seats_net *net, const struct seats_loads *l, const struct seats_query *q,
		  struct seats_offer *out, size_t max);

#endif
