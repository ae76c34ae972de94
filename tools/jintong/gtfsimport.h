/*
 * gtfsimport.h — `jintong gtfs import`: a GTFS feed read with the core
 * library's CSV reader and GTFS checks and sent to the admin API, and the
 * pure pieces of its mapping (unit-tested in test_cli_gtfs.c).
 */
#ifndef JINTONG_CLI_GTFSIMPORT_H
#define JINTONG_CLI_GTFSIMPORT_H

#include "cmd.h"
#include "core.h"

#include <json-c/json.h>

/* The command. */
int gtfs_import(const struct cmd_ctx *ctx, const struct cmd_args *args);

/*
 * The line kind for a route: its jintong_kind column when given (NULL or ""
 * when not), else route_desc when it is one of the export's descriptions
 * ("market-day run"), else "scheduled". NULL when jintong_kind is not a kind.
 */
const char *gtfs_line_kind(const char *jintong_kind, const char *desc);

/* The route_desc the export writes for a line kind (the kind itself when unknown). */
const char *gtfs_kind_desc(const char *kind);

/*
 * The stop pattern most of a route's trips run: keys[i] says trip i's
 * pattern (its stops and shape). Returns the index of the first trip of the
 * most common key (the first seen wins a tie); n must be > 0.
 */
size_t gtfs_pick_pattern(const char *const *keys, size_t n);

/*
 * calendar.txt's monday..sunday values ("1"/"0") as the daemon's weekdays:
 * "mon,tue,wed" into buf; false when no day runs.
 */
bool gtfs_weekdays(const char *const days[7], char *buf, size_t size);

/* "20261123" as "2026-11-23" into buf[11]; false when not 8 digits. */
bool gtfs_iso_date(const char *d, char buf[11]);

/* ---- shared by cmd-gtfs-import.c and gtfsimport-trips.c ---- */

struct cmd_ctx;

#define IMP_COLS 16

struct imp_row {
	unsigned long line;
	bool ok;          /* passed the checks and was (or would be) sent */
	char *v[IMP_COLS];
	char *gid;        /* the feed's id of the row's record when v[0] is its code, or NULL */
};

struct imp_file {
	const char *name;
	char path[4096];
	bool present;
	struct imp_row *rows;
	size_t n, cap;
	size_t imported, rejected, skipped;
	size_t changed, unchanged; /* --update: rows whose record existed */
	char *ignored;             /* columns of the header Jintong does not keep, or NULL */
};

/* The files read, in this order. */
enum {
	IMP_AGENCY,
	IMP_STOPS,
	IMP_ROUTES,
	IMP_CAL,
	IMP_DATES,
	IMP_SHAPES,
	IMP_TRIPS,
	IMP_TIMES,
	IMP_FREQ,
	IMP_BOOKING,
	IMP_GROUPS,
	IMP_GROUP_STOPS,
	IMP_N
};

/* stop_times.txt's columns, as read. */
enum {
	IMP_ST_TRIP, IMP_ST_ARR, IMP_ST_DEP, IMP_ST_STOP, IMP_ST_SEQ, IMP_ST_GROUP, IMP_ST_ZONE,
	IMP_ST_START, IMP_ST_END, IMP_ST_PICKUP, IMP_ST_DROP_OFF, IMP_ST_PICKUP_RULE,
	IMP_ST_DROP_OFF_RULE
};

/* The kinds of GTFS id, each mapped to codes on its own (gtfsimport-ids.c). */
enum {
	IMP_ID_AGENCY,
	IMP_ID_STOP,
	IMP_ID_ROUTE,
	IMP_ID_SERVICE,
	IMP_ID_SHAPE,
	IMP_ID_TRIP,
	IMP_ID_RULE,
	IMP_ID_GROUP,
	IMP_ID_ZONE,
	IMP_ID_N
};

struct gtfsid_map;

struct imp {
	const struct cmd_ctx *ctx;
	bool dry;
	int fatal; /* a daemon error: stop */
	struct imp_file f[IMP_N];
	bool update;  /* an id that exists is updated, not refused */
	char **services; /* imported */
	size_t nservices;
	struct imp_file geo; /* locations.geojson: only its counts and path */
	char **zones;        /* imported from it */
	size_t nzones;
	struct gtfsid_map *ids[IMP_ID_N]; /* the feed's ids and their codes */
	char **extra_files;               /* files of the feed Jintong does not read */
	size_t nextra_files;
};

/* FILE:LINE: what, to stderr; counted as rejected (imp_report: not counted). */
void imp_reject(struct imp_file *f, unsigned long line, const char *fmt, ...) JT_PRINTF(3, 4);
void imp_report(struct imp_file *f, unsigned long line, const char *fmt, ...) JT_PRINTF(3, 4);
void imp_progress(const char *what, size_t done, size_t total);
/* The row whose column col is s, or NULL. */
struct imp_row *imp_find(struct imp_file *f, int col, const char *s);
/* POSTs body (put) unless dry run: CLI_OK, CLI_USAGE refused (said why), else sets fatal. */
int imp_send(struct imp *im, const char *path, json_object *body, json_object **reply);
/*
 * Adds the record body (put) to the admin collection coll ("stops"),
 * counted in f: imported when added; with --update, a record of that code
 * that exists is changed to it (PATCH, without the members in keep_out,
 * NULL-terminated) and counted changed or unchanged. CLI_OK, CLI_USAGE
 * refused (the daemon said why), else a daemon error (fatal set). Dry run:
 * counted imported, nothing sent.
 */
int imp_put(struct imp *im, struct imp_file *f, const char *coll, const char *code,
	    json_object *body, const char *const *keep_out);
/* Was a zone of this id imported from locations.geojson? */
bool imp_zone_ok(struct imp *im, const char *id);
/* booking_rules.txt, location groups, locations.geojson (gtfsimport-flex.c). */
void imp_booking_rules(struct imp *im);
void imp_groups(struct imp *im);
void imp_zones(struct imp *im, const char *dir);
/* A Jintong code, else reported and false. */
bool imp_code_ok(struct imp_file *f, struct imp_row *r, const char *col, const char *code);
bool imp_service_ok(struct imp *im, const char *service);
/* The trips and their stop times. */
void imp_trips(struct imp *im);

/*
 * The feed's ids as codes (gtfsimport-ids.c): every id and every reference
 * to one replaced by its code, the id kept in the row's gid; rows whose ids
 * cannot be kept (invalid UTF-8, too long) rejected. Also reads the draft
 * GTFS-Flex layout (location_groups.txt with location_id, stop_id naming a
 * location group) as the adopted one. Call after reading, before sending.
 */
void imp_map_ids(struct imp *im, const char *dir);
/* Adds "gtfs_id" to body: the row's feed id when its code differs, else "". */
void imp_gtfs_id(json_object *body, const struct imp_row *r);
void imp_ids_free(struct imp *im);

#endif
