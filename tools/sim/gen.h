/*
 * gen.h — a whole simulated county, made from a seed: the places, the roads
 * between them and the services that run on them, as `jintong-county`
 * writes it out (a GTFS feed and a side file for what GTFS cannot carry).
 *
 * The county is hilly, about 60 km × 50 km, centred near 30.0°N 104.6°E
 * (county.h's frame: metres east and north of the centre). At scale 1 it
 * has the figures of ../shared/DOMAIN.md: 33 towns (one the county seat),
 * 462 villages around them, 7 transport companies each with its district,
 * 13 scheduled lines from towns to the county seat, student runs for 1,740
 * pupils to four boarding schools, market-day lines on each market town's
 * 10-day cycle, logistics runs from the county depot, and about 300
 * vehicles; smaller scales shrink every count (tests use 0.1).
 *
 * Three steps, each pure (no I/O, no clock; every random draw from the
 * seed): genmap_build() places towns and villages and lays the roads,
 * genplan_build() draws the lines along the roads and timetables them,
 * assigns vehicles and writes rosters and shifts; genfeed.c prints it. The
 * same parameters give the same county, byte for byte.
 */
#ifndef JINTONG_SIM_GEN_H
#define JINTONG_SIM_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "county.h"
#include "date.h"

#define GEN_TOWNS 33
#define GEN_VILLAGES 462
#define GEN_OPERATORS 7
#define GEN_SCHEDULED 13
#define GEN_PUPILS 1740
#define GEN_SCHOOLS 4
#define GEN_MARKET_LINES 16
#define GEN_LOGISTICS 6
#define GEN_VEHICLES 300
#define GEN_DRT_VANS 60
#define GEN_DAYS_MAX 366

/* Growable arrays: n used, cap allocated; gen_push() returns the new slot, zeroed. */
#define GEN_ARRAY(type, name) \
	type *name;           \
	size_t n_##name, cap_##name
void *gen_grow(void **p, size_t *n, size_t *cap, size_t size);
#define gen_push(c, name) \
	((__typeof__((c)->name))gen_grow((void **)&(c)->name, &(c)->n_##name, &(c)->cap_##name, \
					  sizeof *(c)->name))

enum gen_node_kind { GEN_NODE_TOWN, GEN_NODE_VILLAGE, GEN_NODE_DEPOT, GEN_NODE_SCHOOL };

/* A place on the road network. */
struct gen_node {
	enum gen_node_kind kind;
	int ref;          /* index into towns, villages or schools; 0 for the depot */
	double x, y;      /* metres east and north of the county centre */
	int stop;         /* index into stops */
};

/* A road between two places: pts[pt .. pt+npts) run from a to b, ends included. */
struct gen_edge {
	int a, b;
	size_t pt, npts;
	double len;       /* metres along the road, at least the straight distance */
};

struct gen_point {
	double x, y;
};

struct gen_town {
	char code[16];
	char name[32];
	int node;
	bool seat;
	int op;           /* the company whose district it is in */
	uint16_t digits;  /* market days: bit d for days of the month ending in d */
	bool lunar;       /* ... counted on the lunar calendar */
	int nvillages;
	int school;       /* index into schools, or -1 */
};

struct gen_village {
	char code[16];
	char name[32];
	int town;
	int node;
};

struct gen_school {
	char code[16];
	char name[64];
	int town;
	int node;
};

struct gen_operator {
	char code[16];
	char name[96];
	char district[48];
};

struct gen_stop {
	char code[24];
	char name[64];
	const char *kind; /* town_centre, village, school, depot */
	int node;
	int village;      /* -1 unless a village's stop */
	bool served;      /* some line calls here */
};

enum gen_kind { GEN_KIND_SCHEDULED, GEN_KIND_STUDENT, GEN_KIND_MARKET, GEN_KIND_LOGISTICS, GEN_KINDS };

/* Services: the calendars trips run on. */
enum { GEN_SVC_DAILY, GEN_SVC_SCHOOL, GEN_SVC_SCHOOL_FRI, GEN_SVC_SCHOOL_SUN, GEN_SVC_MARKET };
/* GEN_SVC_MARKET + t is town t's market days. */

struct gen_line {
	char code[16];
	char name[128];
	enum gen_kind kind;
	int op;
	int *path;        /* nodes, outbound; every one a stop */
	size_t npath;
	double *at_m;     /* distance of each path node from the start, along the road */
	int *run_s;       /* seconds from the first departure to each arrival, outbound */
	int dwell_s;
	int town;         /* the town it serves (scheduled, market: the far end; student: home) */
	int school;       /* student lines: the school; else -1 */
	int pupil0, pupils; /* student lines: pupils pupil0 .. pupil0+pupils-1 */
};

struct gen_trip {
	char code[48];
	int line;
	bool back;        /* runs the path backwards */
	int service;
	int dep_s;        /* first departure, seconds from midnight */
	int vehicle;
	char block[48];
};

enum gen_vehicle_kind { GEN_MINIBUS, GEN_COACH, GEN_VAN };

struct gen_vehicle {
	char code[16];
	char name[96];
	enum gen_vehicle_kind kind;
	int seats, cargo_l;
	int home;         /* town it is kept at */
	bool reserve;     /* no timetabled work or shift */
};

struct gen_shift {
	char code[16];
	int vehicle;
	int stop;         /* depot stop */
	int start_s, end_s;
};

struct gen_params {
	uint64_t seed;
	double scale;     /* 0 < scale <= 1 */
	jt_day from;      /* first day of service */
	int days;         /* 14 .. GEN_DAYS_MAX */
};

struct gen_county {
	struct gen_params p;
	struct rng rng;
	GEN_ARRAY(struct gen_node, nodes);
	GEN_ARRAY(struct gen_edge, edges);
	GEN_ARRAY(struct gen_point, pts);
	GEN_ARRAY(struct gen_town, towns);
	GEN_ARRAY(struct gen_village, villages);
	GEN_ARRAY(struct gen_school, schools);
	GEN_ARRAY(struct gen_operator, ops);
	GEN_ARRAY(struct gen_stop, stops);
	GEN_ARRAY(struct gen_line, lines);
	GEN_ARRAY(struct gen_trip, trips);
	GEN_ARRAY(struct gen_vehicle, vehicles);
	GEN_ARRAY(struct gen_shift, shifts);
	int **adj;        /* per node: edge indices, -1 terminated */
	size_t *adj_n, adj_cap;
	int seat;         /* the county seat's town index */
	int depot;        /* the depot's node */
	int pupils;
};

/* Checks parameters: 0, or -1 with why in err. */
int gen_check_params(const struct gen_params *p, char *err, size_t errlen);

/* Places, roads (genmap.c). */
void genmap_build(struct gen_county *c);
/* Road distance between two nodes, and the path (nodes from a to b) into *path (xmalloc'd). */
double genmap_route(const struct gen_county *c, int a, int b, int **path, size_t *npath);
/* The road between two neighbouring nodes, or -1. */
int genmap_edge(const struct gen_county *c, int a, int b);
void genmap_latlon(double x, double y, double *lat, double *lon);
/* Adds a school's node, on a spur from its town; returns the node. */
int genmap_school_node(struct gen_county *c, int town, int school);

/* Lines, trips, vehicles, shifts, rosters (genplan.c). */
void genplan_build(struct gen_county *c);
/* Does a service run on day d? */
bool genplan_runs(const struct gen_county *c, int service, jt_day d);
/* The service's GTFS id ("DAILY", "SCHOOL", "MKT-T05", ...) into buf. */
void genplan_service_id(const struct gen_county *c, int service, char *buf, size_t len);
int genplan_services(const struct gen_county *c);
/* Seconds from a trip's first departure to its arrival at and departure from its j-th stop. */
void genplan_times(const struct gen_county *c, int line, bool back, size_t j, int *arr_s, int *dep_s);
/* "scheduled", "student", "market_day", "logistics": the daemon's line kinds. */
const char *genplan_kind_name(enum gen_kind k);
/* A pupil's rider id ("STU-00042") into buf. */
void genplan_pupil_id(int pupil, char *buf, size_t len);

/* Everything: the map, then the plan. */
void gen_county_build(struct gen_county *c, const struct gen_params *p);
void gen_county_free(struct gen_county *c);

/* The county's figures. */
struct gen_figures {
	size_t towns, villages, stops, served_stops, operators;
	size_t lines[GEN_KINDS];
	size_t trips_total;
	size_t trips_day;          /* on the busiest day of the first week */
	char busiest_day[DATE_FORMAT_LEN];
	size_t vehicles[3];        /* minibuses, coaches, vans */
	size_t reserve;
	size_t shifts, pupils, schools;
	size_t villages_2km;       /* village committees within 2 km of a served stop */
	double road_km;
};
void gen_figures(const struct gen_county *c, struct gen_figures *f);
void gen_print_figures(FILE *out, const struct gen_figures *f);

/* Writes the feed and the side file county.json into dir (genfeed.c); 0 or -1 (errno). */
int genfeed_write(const struct gen_county *c, const char *dir);
/* The files genfeed_write() writes, NULL-terminated. */
extern const char *const genfeed_files[];

#endif
