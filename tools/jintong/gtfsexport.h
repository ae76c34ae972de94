/*
 * gtfsexport.h — what the two halves of `jintong gtfs export` share:
 * cmd-gtfs.c fetches the network and writes the timetabled feed,
 * gtfsexport-flex.c writes the GTFS-Flex files of on-demand service.
 */
#ifndef JINTONG_CLI_GTFSEXPORT_H
#define JINTONG_CLI_GTFSEXPORT_H

#include "date.h"
#include "strmap.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

/* ---- what was fetched ---- */

#define FEED_LISTS 8
struct feed {
	json_object *operators, *stops, *lines, *calendars, *trips; /* the lists */
	json_object *rules, *groups, *zones;                        /* on-demand service */
	json_object *replies[FEED_LISTS];
	json_object **routes;    /* per line: its versions (inside route_replies) */
	json_object **route_replies;
	json_object **dates;     /* per calendar: its dates in the horizon */
	json_object **date_replies;
	char first[DATE_FORMAT_LEN], last[DATE_FORMAT_LEN]; /* the horizon, inclusive */
	char tz[64];                                         /* the county's time zone */
	struct strmap *ids[FEED_LISTS]; /* per list: code -> the id it goes out under */
};

/* The lists in fetch()'s order, for ids[]. */
enum { L_OPERATORS, L_STOPS, L_LINES, L_CALENDARS, L_TRIPS, L_RULES, L_GROUPS, L_ZONES };

/* The id a record of list l goes out under: its gtfs_id when it has one, else its code. */
const char *gtfsexport_id(const struct feed *f, int l, const char *code);

/* ---- writing ---- */

/* One CSV file of the feed being written, in directory `dir`. */
struct out {
	const char *dir;
	char path[4096];
	FILE *f;
	size_t rows;
};

/* Opens `name` in o->dir and writes its header; false (said) when it cannot. */
bool gtfsexport_out_open(struct out *o, const char *name, size_t n, const char *const *header);
/* Closes the file; false (said) when anything written was lost. */
bool gtfsexport_out_close(struct out *o);
void gtfsexport_out_row(struct out *o, size_t n, const char *const *fields);

/* Rows written, per file, for the summary. */
struct counts {
	size_t agencies, stops, routes, trips, left_out, stop_times, shapes, shape_points, dates;
	size_t rules, groups, zones;
};

/* ---- gtfsexport-flex.c ---- */

/* Does the feed need GTFS-Flex: rules, groups, zones, or a stop time with a window or a zone? */
bool gtfsexport_flex_feed(const struct feed *f);
/* booking_rules.txt, location_groups.txt, location_group_stops.txt, locations.geojson. */
bool gtfsexport_write_flex(const struct feed *f, const char *dir, struct counts *c);

#endif
