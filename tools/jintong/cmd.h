/*
 * cmd.h — the shape of an operator command, and what every command gets.
 *
 * Each command group lives in its own file (cmd-vehicle.c, cmd-device.c, ...)
 * and describes itself with a struct cmd_group holding a table of
 * struct cmd_entry: group, name, argument synopsis, one-line help, the options
 * it accepts and the function that runs it. cmd.c lists the groups, parses the
 * command line against the tables and prints every --help from them, so adding
 * a command is adding a table entry and its function.
 */
#ifndef JINTONG_CLI_CMD_H
#define JINTONG_CLI_CMD_H

#include "core.h"

#include <json-c/json.h>
#include <stdio.h>

/*
 * Exit statuses, documented in `jintong --help`. Scripts rely on them:
 * append, never renumber.
 */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,         /* the daemon failed (5xx) or answered something unexpected */
	CLI_USAGE = 2,        /* bad input: refused locally, or HTTP 400/409/413/422 */
	CLI_NOT_FOUND = 3,    /* HTTP 404 */
	CLI_UNREACHABLE = 4,  /* no connection, or no answer in time */
	CLI_UNAUTHORISED = 5, /* no usable operator token, or HTTP 401/403 */
};

/* Most positional arguments and options any command takes. */
#define CMD_MAX_ARGS 8
#define CMD_MAX_OPTIONS 16
/* Most values of repeated options on one line, all options together. */
#define CMD_MAX_MANY 100

struct cmd_option {
	const char *name;  /* without the leading "--" */
	const char *value; /* placeholder for the value ("NAME"); NULL for a flag */
	const char *help;  /* one line */
};

struct cmd_args;
struct cmd_ctx;

struct cmd_entry {
	const char *group;   /* "vehicle" */
	const char *name;    /* "add"; "" for a group that is its own command (audit) */
	const char *usage;   /* argument synopsis: "CODE [--name NAME]" */
	const char *help;    /* one line, starts lower case, no full stop */
	const char *detail;  /* optional paragraph for the command's --help */
	const struct cmd_option *options; /* ends with a zeroed entry; NULL for none */
	/*
	 * Names of the options that may be given more than once (--term A
	 * --term B), NULL-terminated; NULL for none. Each value is kept, in
	 * order, for cmd_opt_nth(); any other option given twice is refused.
	 */
	const char *const *many;
	int min_args, max_args;           /* positional arguments accepted */
	int (*exec)(const struct cmd_ctx *ctx, const struct cmd_args *args);
};

struct cmd_group {
	const char *name;
	const char *help;                /* one line */
	const struct cmd_entry *entries; /* ends with a zeroed entry */
};

/* What the command line asked for, once parsed against the tables. */
struct cmd_args {
	const struct cmd_entry *entry;
	int argc;
	const char *argv[CMD_MAX_ARGS];
	/* Value of entry->options[i], NULL when absent, "" for a flag given. */
	const char *opt[CMD_MAX_OPTIONS];
	/* Every value of the repeatable options, in the order given. */
	int nmany;
	int many_opt[CMD_MAX_MANY]; /* index into entry->options */
	const char *many[CMD_MAX_MANY];
};

struct client;

/* Handed to every command. */
struct cmd_ctx {
	struct client *client;
	bool json; /* print the daemon's JSON instead of text for people */
};

/* The groups, in the order --help lists them. */
extern const struct cmd_group cmd_vehicle_group;
extern const struct cmd_group cmd_device_group;
extern const struct cmd_group cmd_token_group;
extern const struct cmd_group cmd_client_group;
extern const struct cmd_group cmd_town_group;
extern const struct cmd_group cmd_village_group;
extern const struct cmd_group cmd_stop_group;
extern const struct cmd_group cmd_operator_group;
extern const struct cmd_group cmd_line_group;
extern const struct cmd_group cmd_route_group;
extern const struct cmd_group cmd_calendar_group;
extern const struct cmd_group cmd_trip_group;
extern const struct cmd_group cmd_booking_group;
extern const struct cmd_group cmd_location_group_group;
extern const struct cmd_group cmd_zone_group;
extern const struct cmd_group cmd_timetable_group;
extern const struct cmd_group cmd_gtfs_group;
extern const struct cmd_group cmd_shift_group;
extern const struct cmd_group cmd_ride_group;
extern const struct cmd_group cmd_roster_group;
extern const struct cmd_group cmd_audit_group;
extern const struct cmd_group cmd_coverage_group;
extern const struct cmd_group cmd_report_group;
extern const struct cmd_group *const cmd_groups[];
extern const size_t cmd_group_count;

/* Options that may appear anywhere on the line. */
struct cmd_globals {
	const char *url, *token, *token_file, *timeout;
	bool json, help, version;
};

struct cmd_line {
	struct cmd_globals g;
	const struct cmd_group *group; /* NULL if none named */
	struct cmd_args args;          /* args.entry NULL if no command named */
	/* Set when the line is wrong: what happened and what to do, and the
	 * entry or group whose usage should follow. */
	char error[256];
};

/*
 * Parses argv (argv[0] is the program) against the tables. Returns CLI_OK,
 * or CLI_USAGE with line->error filled; --help anywhere wins over a usage
 * error, so line->g.help is worth checking first.
 */
int cmd_parse(int argc, char **argv, struct cmd_line *line) JT_MUST_CHECK;

/* Value of the named option of the running command, NULL when absent. */
const char *cmd_opt(const struct cmd_args *args, const char *name);
/*
 * The n-th (from 0) value of a repeatable option, NULL past the last:
 *   for (size_t i = 0; (v = cmd_opt_nth(args, "term", i)); i++)
 */
const char *cmd_opt_nth(const struct cmd_args *args, const char *name, size_t n);

/* --help at the level the line reached: program, group or command. */
void cmd_print_help(FILE *f, const struct cmd_line *line);
/* "usage: jintong vehicle add CODE [...]" (or the group's / program's). */
void cmd_print_usage(FILE *f, const struct cmd_line *line);

/*
 * Prints "jintong: <what happened>; <what to do>" to stderr. Every failure a
 * person sees goes through here.
 */
void cli_error(const char *fmt, ...) JT_PRINTF(1, 2);

/*
 * A usage error inside a command (a value that fails validation): prints the
 * error and the command's usage line, returns CLI_USAGE.
 */
int cmd_usage_error(const struct cmd_args *args, const char *fmt, ...) JT_PRINTF(2, 3);

/* --json: the daemon's reply, indented, members in the daemon's order. */
void cmd_print_json(json_object *reply);

/*
 * The array in member `key` of a reply ({"vehicles": [...]}); NULL after
 * telling the operator the reply was not what this tool expects.
 */
json_object *cmd_reply_list(json_object *reply, const char *key);

/*
 * GET path for a command that prints a list: with --json the reply is
 * printed and *list is NULL (the command is done); otherwise *reply holds the
 * reply (the caller puts it) and *list its array `key`. Returns the exit code.
 */
int cmd_get_list(const struct cmd_ctx *ctx, const char *path, const char *key, json_object **reply,
		 json_object **list);

/*
 * POST /v1/admin/COLLECTION/NAME/revoke, for a credential (an operator
 * token, a booking client, a tablet); `not_found` is the hint when there is
 * no such NAME. With --json the reply is printed and *reply is NULL (the
 * command is done); otherwise *reply holds the reply (the caller puts it)
 * and *at when the credential was revoked, cleaned for the terminal, "now"
 * when the daemon did not say (the caller frees it). Returns the exit code.
 */
int cmd_revoke(const struct cmd_ctx *ctx, const char *collection, const char *name, const char *not_found,
	       json_object **reply, char **at);

#endif
