/*
 * trip.h — timetables as operators write them and as GTFS wants them: a
 * timetable sheet in CSV (one row a trip, one column a stop), times of the
 * service day, and CSV fields written with the quoting GTFS readers expect.
 */
#ifndef JINTONG_CLI_TRIP_H
#define JINTONG_CLI_TRIP_H

#include "cmd.h"
#include "core.h"

#include <json-c/json.h>
#include <stdio.h>

/* Stops of a route and trips of one sheet, at most. */
#define SHEET_STOPS_MAX 200
#define SHEET_TRIPS_MAX 2000

/*
 * "HH:MM" of the service day, hours 00 to 47 (past midnight after 24:00),
 * exactly len bytes. Stores minutes since the start of the day.
 */
bool trip_parse_hhmm(const char *s, size_t len, int *min) JT_MUST_CHECK;

struct sheet_trip {
	char code[40];
	unsigned long line;   /* in the file, for messages */
	int arr[SHEET_STOPS_MAX], dep[SHEET_STOPS_MAX]; /* minutes */
};

struct sheet {
	size_t nstops;
	char *stops[SHEET_STOPS_MAX]; /* codes from the header, in order */
	size_t ntrips;
	struct sheet_trip *trips;
};

/*
 * Reads a timetable sheet: a header "trip,S1,S2,..." and one row per trip,
 * a trip code then one time per stop, "HH:MM" or "HH:MM/HH:MM" (arrival,
 * departure). Every problem is printed to err as "NAME:LINE: what; what to
 * do", the whole file read. Returns the number of problems (0: *s is
 * usable); free *s with sheet_free() either way.
 */
size_t sheet_read(const char *name, const char *data, size_t len, struct sheet *s, FILE *err);
void sheet_free(struct sheet *s);

/* Writes one CSV field: quoted when it holds a comma, quote, CR or LF. */
void csv_put(FILE *f, const char *s);
/* Writes the fields (n of them) and a line feed. */
void csv_row(FILE *f, size_t n, const char *const *fields);

/*
 * `trip edit --times`: one entry per stop, separated by commas: "07:30"
 * (arrival and departure), "07:30/07:32" (arrival/departure) or
 * "08:00-17:00" (a window: riders picked up and set down on request, by
 * phone). The daemon's "times" list, or NULL with a message in err.
 */
json_object *trip_parse_times(const char *s, char *err, size_t errlen);

/* A stop time's start: its departure, or the start of its window; NULL when neither. */
const char *trip_stop_first(json_object *stop_time);
/* A stop time's end: its arrival, or the end of its window. */
const char *trip_stop_last(json_object *stop_time);

/* "HH:MM:SS" of the daemon as "HH:MM" when the seconds are 0, else as is. */
const char *trip_short_time(char *buf, size_t size, const char *t);

/*
 * Trips as the daemon sends them ({"code","line","version","calendar",
 * "block","stops":[{"stop","arrival","departure"}...]}), shared by the trip
 * and timetable commands.
 */

/* A line code given as an argument or option; CLI_USAGE after saying why. */
int trip_check_line(const struct cmd_args *args, const char *line);
/* GET path and the list in member key (inside *reply, which the caller puts); NULL with *rc. */
json_object *trip_fetch_list(const struct cmd_ctx *ctx, const char *path, const char *key,
			     json_object **reply, int *rc);
/* The trips, of one line when line is not NULL. */
json_object *trip_fetch_trips(const struct cmd_ctx *ctx, const char *line, json_object **reply,
			      int *rc);
/* The record with this code in a list, or NULL. */
json_object *trip_find_code(json_object *list, const char *code);
/* A trip's stops, or NULL. */
json_object *trip_stops(json_object *trip);
/* Departure from the first stop and arrival at the last, as HH:MM ("-" when none). */
void trip_ends(json_object *trip, char *dep, char *arr, size_t size);
/* qsort() of json_object *: by first departure, then code. */
int trip_by_departure(const void *a, const void *b);
/* TRIP DEPARTS ARRIVES STOPS for trips made. */
void trip_print_made(json_object **trips, size_t n);

#endif
