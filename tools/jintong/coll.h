/*
 * coll.h — the registers of the route network in the admin API: towns,
 * villages, operators (transport companies), stops and lines. Each is a
 * collection under /v1/admin/ with the same five requests: GET lists it,
 * GET .../CODE shows one record, POST adds, PATCH changes some fields and
 * DELETE removes. What their commands share lives here; a group's file
 * (cmd-town.c, ...) says only what its records hold and how they look.
 * Service calendars (cmd-calendar.c) are a collection of the same kind.
 */
#ifndef JINTONG_CLI_COLL_H
#define JINTONG_CLI_COLL_H

#include "cmd.h"

#include "date.h"

#include <json-c/json.h>

/* Columns of a list, at most. */
#define COLL_MAX_COLS 8

struct coll {
	const char *path;    /* "stops": /v1/admin/stops, and the member of the list reply */
	const char *entity;  /* "stop": the command group, and the word in messages */
	const char *example; /* a code for messages, "S101" */
	const char *first;   /* how to add one: "jintong stop add CODE --name NAME ..." */
	/* The list as a table of ncols columns. */
	size_t ncols;
	const char *const *headers;
	/*
	 * Fills cells[ncols] for one record (NULL shows as "-"); a cell made
	 * here goes in buf.
	 */
	void (*row)(json_object *rec, const char **cells, char *buf, size_t size);
	bool no_name; /* records without a name (booking rules) */
	/* The members of a record after its code and name, as coll_field() lines. */
	void (*print)(json_object *rec);
};

extern const struct coll coll_towns, coll_villages, coll_operators, coll_stops, coll_lines;
extern const struct coll coll_booking_rules, coll_location_groups, coll_zones;

/* "key:       value", the value cleaned for the terminal; NULL or "" shows as "-". */
void coll_field(const char *key, const char *value);
/* Text member `key`, or NULL when it is absent, null or "" (a district not given). */
const char *coll_str(json_object *rec, const char *key);
/* Members lat and lon as "30.10250,104.20310" in buf, or NULL when either is missing. */
const char *coll_position(char *buf, size_t size, json_object *rec);

/*
 * Checks of what the operator typed. Each returns CLI_OK, or prints what is
 * wrong and the command's usage and returns CLI_USAGE. A `take` adds the
 * option's value to body as the daemon spells it, when the option is given.
 */
int coll_check_code(const struct cmd_args *args, const struct coll *c, const char *code);
/* Each of the NULL-terminated options ("name", "at") is given. */
int coll_require(const struct cmd_args *args, const char *const *opts);
/* --OPT NAME (--name, --district) as member `key`. */
int coll_take_text(const struct cmd_args *args, const char *opt, const char *key,
		   json_object *body);
/* --at LAT,LON as members lat and lon. */
int coll_take_at(const struct cmd_args *args, json_object *body);
/* --kind KIND, one of kinds, as member kind; body NULL only checks. */
int coll_take_kind(const struct cmd_args *args, const char *const *kinds, json_object *body);
/* --OPT CODE naming a record of ref (--town T01) as member `key`; body NULL only checks. */
int coll_take_ref(const struct cmd_args *args, const char *opt, const struct coll *ref,
		  const char *key, json_object *body);
/*
 * --OPT YYYY-MM-DD (--from) as member `key`; body NULL only checks. Stores
 * the day in *day when day is not NULL and the option is given.
 */
int coll_take_date(const struct cmd_args *args, const char *opt, const char *key,
		   json_object *body, jt_day *day);
/* A date given to --OPT, refused: prints why and the usage, returns CLI_USAGE. */
int coll_bad_date(const struct cmd_args *args, const char *opt, const char *value);

/*
 * The commands. coll_add and coll_edit send body and put it; coll_edit
 * takes the code from the first argument and refuses an empty body as a
 * usage error naming the options that change something.
 */
int coll_add(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	     json_object *body);
int coll_edit(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	      json_object *body);
/*
 * add CODE / edit CODE for the common case: the code checked, the options in
 * needed required (add), the body built by take from the options, then sent.
 */
typedef int (*coll_take_fn)(const struct cmd_args *args, json_object *body);
int coll_add_cmd(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
		 const char *const *needed, coll_take_fn take);
int coll_edit_cmd(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
		  coll_take_fn take);
/* The same for a record whose code is not the first argument; body is never empty. */
int coll_post(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	      json_object *body);
int coll_patch(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	       json_object *body);
/*
 * GET one record into *reply (the caller puts it); an unknown code is
 * reported with where to look for the right one.
 */
int coll_get(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	     json_object **reply) JT_MUST_CHECK;
/* keep NULL lists every record; else only those it keeps (also with --json). */
int coll_list(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	      bool (*keep)(json_object *rec, const struct cmd_args *args));
int coll_show(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c);
int coll_remove(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c);

#endif
