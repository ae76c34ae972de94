/*
 * cmd.c — the command table, the command line parsed against it, and every
 * --help printed from it.
 *
 * A line is words and options. Options of the program (--url, --json, ...)
 * are accepted anywhere; a command's own options once the command is named.
 * The first word names the group, the second the command, the rest are the
 * command's arguments. "--" ends options; "--name=VALUE" and "--name VALUE"
 * are the same. A group whose one command is named "" (audit) is itself the
 * command: the words after it are the command's arguments.
 */
#include "cmd.h"
#include "client.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct cmd_group *const cmd_groups[] = {
	&cmd_vehicle_group,
	&cmd_device_group,
	&cmd_town_group,
	&cmd_village_group,
	&cmd_stop_group,
	&cmd_operator_group,
	&cmd_line_group,
	&cmd_route_group,
	&cmd_calendar_group,
	&cmd_trip_group,
	&cmd_booking_group,
	&cmd_location_group_group,
	&cmd_zone_group,
	&cmd_timetable_group,
	&cmd_gtfs_group,
	&cmd_shift_group,
	&cmd_ride_group,
	&cmd_roster_group,
	&cmd_audit_group,
	&cmd_coverage_group,
	&cmd_report_group,
	&cmd_token_group,
	&cmd_client_group,
};
const size_t cmd_group_count = JT_ARRAY_LEN(cmd_groups);

enum global_id { G_URL, G_TOKEN, G_TOKEN_FILE, G_JSON, G_TIMEOUT, G_HELP, G_VERSION };

static const struct global_option {
	enum global_id id;
	const char *name;
	char short_name;
	const char *value;
	const char *help;
} globals[] = {
	{ G_URL, "url", 0, "URL", "the daemon (default: $JINTONG_URL, else http://127.0.0.1:8470)" },
	{ G_TOKEN, "token", 0, "TOKEN",
	  "operator token (default: $JINTONG_TOKEN); prefer a file: others may see command lines" },
	{ G_TOKEN_FILE, "token-file", 0, "FILE",
	  "read the operator token from the first line of FILE (default: $JINTONG_TOKEN_FILE)" },
	{ G_JSON, "json", 0, NULL, "print the daemon's JSON (indented, keys in the daemon's order)" },
	{ G_TIMEOUT, "timeout", 0, "SECONDS", "give up after SECONDS, 1 to 3600 (default: 10)" },
	{ G_HELP, "help", 'h', NULL, "show help for the program, a group or a command" },
	{ G_VERSION, "version", 0, NULL, "print the version" },
};

static const struct {
	int code;
	const char *meaning;
} exit_codes[] = {
	{ CLI_OK, "success" },
	{ CLI_FAIL, "the daemon failed (HTTP 5xx) or answered something unexpected" },
	{ CLI_USAGE, "bad input: refused here, or by the daemon (HTTP 400, 409, 413, 422)" },
	{ CLI_NOT_FOUND, "not found (HTTP 404)" },
	{ CLI_UNREACHABLE, "the daemon cannot be reached or did not answer in time" },
	{ CLI_UNAUTHORISED, "no usable operator token, or the daemon refused it (HTTP 401, 403)" },
};

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("jintong: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void set_error(struct cmd_line *line, const char *fmt, ...) JT_PRINTF(2, 3);
static void set_error(struct cmd_line *line, const char *fmt, ...)
{
	if (line->error[0])
		return; /* the first mistake is the one to tell */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line->error, sizeof line->error, fmt, ap);
	va_end(ap);
}

/* "vehicle add", or "audit" for a group that is its own command. */
static const char *entry_title(char *buf, size_t size, const struct cmd_entry *e)
{
	snprintf(buf, size, "%s%s%s", e->group, *e->name ? " " : "", e->name);
	return buf;
}

/* "jintong vehicle add CODE [--name NAME]" */
static void print_synopsis(FILE *f, const struct cmd_entry *e)
{
	char title[64];
	fprintf(f, "jintong %s%s%s", entry_title(title, sizeof title, e),
		e->usage && *e->usage ? " " : "", e->usage ? e->usage : "");
}

/* May the entry's option be given more than once? */
static bool repeatable(const struct cmd_entry *e, const char *name)
{
	for (size_t i = 0; e->many && e->many[i]; i++)
		if (strcmp(e->many[i], name) == 0)
			return true;
	return false;
}

static const struct cmd_group *find_group(const char *name)
{
	for (size_t i = 0; i < cmd_group_count; i++)
		if (strcmp(cmd_groups[i]->name, name) == 0)
			return cmd_groups[i];
	return NULL;
}

static const struct cmd_entry *find_entry(const struct cmd_group *g, const char *name)
{
	for (const struct cmd_entry *e = g->entries; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* The command of a group that is its own command, else NULL. */
static const struct cmd_entry *bare_entry(const struct cmd_group *g)
{
	return g->entries[0].name && !g->entries[0].name[0] ? &g->entries[0] : NULL;
}

/* "vehicle, device" or "add, list, show" into buf. */
static const char *list_names(char *buf, size_t size, const struct cmd_group *g)
{
	size_t o = 0;
	buf[0] = '\0';
	if (g) {
		for (const struct cmd_entry *e = g->entries; e->name && o < size; e++)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", e->name);
	} else {
		for (size_t i = 0; i < cmd_group_count && o < size; i++)
			o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
					      cmd_groups[i]->name);
	}
	return buf;
}

/* The n-th (from 0) required placeholder of a synopsis: "CODE" in "CODE [--name NAME]". */
static void nth_placeholder(char *buf, size_t size, const char *usage, int n)
{
	snprintf(buf, size, "an argument");
	int depth = 0, seen = 0;
	for (const char *p = usage; p && *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		size_t len = strcspn(p, " ");
		if (depth == 0 && *p != '[' && seen++ == n) {
			snprintf(buf, size, "%.*s", (int)len, p);
			return;
		}
		for (size_t i = 0; i < len; i++)
			depth += p[i] == '[' ? 1 : p[i] == ']' ? -1 : 0;
		p += len;
	}
}

static void set_global(struct cmd_line *line, enum global_id id, const char *value)
{
	switch (id) {
	case G_URL: line->g.url = value; break;
	case G_TOKEN: line->g.token = value; break;
	case G_TOKEN_FILE: line->g.token_file = value; break;
	case G_TIMEOUT: line->g.timeout = value; break;
	case G_JSON: line->g.json = true; break;
	case G_HELP: line->g.help = true; break;
	case G_VERSION: line->g.version = true; break;
	}
}

/* Where to look for more: the command's help, the group's, or the program's. */
static const char *help_hint(char *buf, size_t size, const struct cmd_line *line)
{
	char title[64];
	if (line->args.entry)
		snprintf(buf, size, "see `jintong %s --help`",
			 entry_title(title, sizeof title, line->args.entry));
	else if (line->group)
		snprintf(buf, size, "see `jintong %s --help`", line->group->name);
	else
		snprintf(buf, size, "see `jintong --help`");
	return buf;
}

/* Handles argv[*i], an option; may consume its value from argv[*i + 1]. */
static void parse_option(int argc, char **argv, int *i, struct cmd_line *line)
{
	const char *arg = argv[*i], *inline_value = NULL;
	char name[64], hint[128];
	const char *value_name = NULL;
	int global = -1, local = -1;

	if (arg[1] != '-') {
		/* short options: only -h */
		if (strcmp(arg, "-h") == 0) {
			line->g.help = true;
			return;
		}
		set_error(line, "unknown option %s; %s", arg, help_hint(hint, sizeof hint, line));
		return;
	}
	size_t len = strcspn(arg + 2, "=");
	if (arg[2 + len] == '=')
		inline_value = arg + 3 + len;
	snprintf(name, sizeof name, "%.*s", (int)(len < 60 ? len : 60), arg + 2);

	/* A command's own option wins over a program option of the same name
	 * (timetable add --version N is a route version, not the program's). */
	const struct cmd_entry *e = line->args.entry;
	if (e && e->options) {
		for (int o = 0; e->options[o].name && o < CMD_MAX_OPTIONS; o++)
			if (strcmp(e->options[o].name, name) == 0)
				local = o, value_name = e->options[o].value;
	}
	for (size_t g = 0; local < 0 && g < JT_ARRAY_LEN(globals); g++)
		if (strcmp(globals[g].name, name) == 0)
			global = (int)g, value_name = globals[g].value;
	if (global < 0 && local < 0) {
		set_error(line, "unknown option --%s; %s", name, help_hint(hint, sizeof hint, line));
		return;
	}

	const char *value = "";
	if (value_name) {
		if (inline_value) {
			value = inline_value;
		} else if (*i + 1 < argc) {
			value = argv[++*i];
		} else {
			set_error(line, "--%s needs a value (--%s %s); %s", name, name, value_name,
				  help_hint(hint, sizeof hint, line));
			return;
		}
	} else if (inline_value) {
		set_error(line, "--%s takes no value; %s", name, help_hint(hint, sizeof hint, line));
		return;
	}

	if (global >= 0) {
		set_global(line, globals[global].id, value);
	} else if (repeatable(e, name)) {
		struct cmd_args *a = &line->args;
		if (a->nmany == CMD_MAX_MANY) {
			set_error(line, "more than %d values of repeated options; give fewer at once "
				  "and the rest in another command",
				  CMD_MAX_MANY);
			return;
		}
		a->many_opt[a->nmany] = local;
		a->many[a->nmany++] = value;
		if (!a->opt[local])
			a->opt[local] = value;
	} else if (line->args.opt[local]) {
		set_error(line, "--%s given twice; give it once", name);
	} else {
		line->args.opt[local] = value;
	}
}

/* Returns false when the word names no group or command. */
static bool parse_word(const char *word, struct cmd_line *line)
{
	char names[256], hint[128], title[64];
	if (!line->group) {
		line->group = find_group(word);
		if (!line->group)
			set_error(line, "no command group \"%s\"; the groups are %s (see `jintong --help`)",
				  word, list_names(names, sizeof names, NULL));
		else
			line->args.entry = bare_entry(line->group);
		return line->group != NULL;
	}
	if (!line->args.entry) {
		line->args.entry = find_entry(line->group, word);
		if (!line->args.entry)
			set_error(line, "`jintong %s` has no command \"%s\"; its commands are %s (see "
				  "`jintong %s --help`)",
				  line->group->name, word, list_names(names, sizeof names, line->group),
				  line->group->name);
		return line->args.entry != NULL;
	}
	const struct cmd_entry *e = line->args.entry;
	if (line->args.argc >= e->max_args || line->args.argc >= CMD_MAX_ARGS) {
		entry_title(title, sizeof title, e);
		if (e->max_args == 0)
			set_error(line, "`jintong %s` takes no arguments, not \"%s\"; %s", title, word,
				  help_hint(hint, sizeof hint, line));
		else
			set_error(line, "`jintong %s` takes %d argument%s, \"%s\" is one too many; %s",
				  title, e->max_args, e->max_args == 1 ? "" : "s", word,
				  help_hint(hint, sizeof hint, line));
		return true;
	}
	line->args.argv[line->args.argc++] = word;
	return true;
}

int cmd_parse(int argc, char **argv, struct cmd_line *line)
{
	memset(line, 0, sizeof *line);
	bool words_only = false, lost = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!words_only && arg[0] == '-' && arg[1] != '\0') {
			if (strcmp(arg, "--") == 0)
				words_only = true;
			else
				parse_option(argc, argv, &i, line);
			continue;
		}
		/* A group or command not found leaves nothing to read the rest against. */
		if (!lost)
			lost = !parse_word(arg, line);
	}

	char names[256], what[64], title[64];
	const struct cmd_entry *e = line->args.entry;
	if (e && line->args.argc < e->min_args) {
		nth_placeholder(what, sizeof what, e->usage, line->args.argc);
		set_error(line, "`jintong %s` needs %s; give it as in the usage below",
			  entry_title(title, sizeof title, e), what);
	} else if (line->group && !e) {
		set_error(line, "`jintong %s` needs a command: %s; see `jintong %s --help`",
			  line->group->name, list_names(names, sizeof names, line->group),
			  line->group->name);
	} else if (!line->group) {
		set_error(line, "no command given; try `jintong vehicle list`, or see `jintong --help`");
	}
	if (line->g.help || line->g.version)
		return CLI_OK;
	return line->error[0] ? CLI_USAGE : CLI_OK;
}

const char *cmd_opt(const struct cmd_args *args, const char *name)
{
	const struct cmd_option *o = args->entry ? args->entry->options : NULL;
	for (int i = 0; o && o[i].name && i < CMD_MAX_OPTIONS; i++)
		if (strcmp(o[i].name, name) == 0)
			return args->opt[i];
	return NULL;
}

const char *cmd_opt_nth(const struct cmd_args *args, const char *name, size_t n)
{
	const struct cmd_option *o = args->entry ? args->entry->options : NULL;
	for (int i = 0; o && o[i].name && i < CMD_MAX_OPTIONS; i++) {
		if (strcmp(o[i].name, name) != 0)
			continue;
		if (!repeatable(args->entry, name))
			return n == 0 ? args->opt[i] : NULL;
		for (int k = 0; k < args->nmany; k++)
			if (args->many_opt[k] == i && n-- == 0)
				return args->many[k];
		return NULL;
	}
	return NULL;
}

int cmd_usage_error(const struct cmd_args *args, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("jintong: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (args->entry) {
		fputs("usage: ", stderr);
		print_synopsis(stderr, args->entry);
		fputc('\n', stderr);
	}
	return CLI_USAGE;
}

void cmd_print_usage(FILE *f, const struct cmd_line *line)
{
	const struct cmd_entry *e = line->args.entry;
	if (e) {
		fputs("usage: ", f);
		print_synopsis(f, e);
		fputc('\n', f);
	} else if (line->group)
		fprintf(f, "usage: jintong %s COMMAND [ARGUMENTS]\n", line->group->name);
	else
		fprintf(f, "usage: jintong [OPTIONS] GROUP COMMAND [ARGUMENTS]\n");
}

/* One line of help text as a sentence: capital first letter, full stop. */
static void print_sentence(FILE *f, const char *s)
{
	if (!s || !*s)
		return;
	char first = s[0] >= 'a' && s[0] <= 'z' ? (char)(s[0] - 'a' + 'A') : s[0];
	fprintf(f, "%c%s.\n", first, s + 1);
}

static void print_options(FILE *f, const char *title, const char *const *names,
			  const char *const *values, const char *const *helps, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]) + (values[i] ? strlen(values[i]) + 1 : 0);
		if (len > w)
			w = len;
	}
	fprintf(f, "\n%s:\n", title);
	for (size_t i = 0; i < n; i++) {
		char buf[96];
		snprintf(buf, sizeof buf, "%s%s%s", names[i], values[i] ? " " : "",
			 values[i] ? values[i] : "");
		fprintf(f, "  %-*s  %s\n", (int)w, buf, helps[i]);
	}
}

static void print_globals(FILE *f)
{
	const char *names[JT_ARRAY_LEN(globals)], *values[JT_ARRAY_LEN(globals)];
	const char *helps[JT_ARRAY_LEN(globals)];
	char buf[JT_ARRAY_LEN(globals)][32];
	for (size_t i = 0; i < JT_ARRAY_LEN(globals); i++) {
		if (globals[i].short_name)
			snprintf(buf[i], sizeof buf[i], "-%c, --%s", globals[i].short_name,
				 globals[i].name);
		else
			snprintf(buf[i], sizeof buf[i], "--%s", globals[i].name);
		names[i] = buf[i];
		values[i] = globals[i].value;
		helps[i] = globals[i].help;
	}
	print_options(f, "Options, anywhere on the line", names, values, helps,
		      JT_ARRAY_LEN(globals));
}

static void print_program_help(FILE *f)
{
	fprintf(f, "usage: jintong [OPTIONS] GROUP COMMAND [ARGUMENTS]\n\n"
		   "Manage a Jintong dispatch daemon (jintongd) through its admin API, with\n"
		   "an operator token: the vehicles and their tablets, and the county's\n"
		   "route network of towns, villages, stops, transport companies and lines,\n"
		   "its timetables, and their export as a GTFS feed.\n");
	size_t w = 0;
	char buf[64];
	for (size_t g = 0; g < cmd_group_count; g++)
		for (const struct cmd_entry *e = cmd_groups[g]->entries; e->name; e++)
			if (strlen(entry_title(buf, sizeof buf, e)) > w)
				w = strlen(buf);
	for (size_t g = 0; g < cmd_group_count; g++) {
		fprintf(f, "\n%s — %s\n", cmd_groups[g]->name, cmd_groups[g]->help);
		for (const struct cmd_entry *e = cmd_groups[g]->entries; e->name; e++)
			fprintf(f, "  %-*s  %s\n", (int)w, entry_title(buf, sizeof buf, e), e->help);
	}
	print_globals(f);
	fprintf(f, "\nThe token is looked for in --token, --token-file, $JINTONG_TOKEN, then\n"
		   "$JINTONG_TOKEN_FILE. An administrator makes one with\n"
		   "`jintongd --create-operator NAME`. Times are shown in the local time zone\n"
		   "(TZ); --json gives the daemon's own, in UTC.\n");
	fprintf(f, "\nExit status:\n");
	for (size_t i = 0; i < JT_ARRAY_LEN(exit_codes); i++)
		fprintf(f, "  %d  %s\n", exit_codes[i].code, exit_codes[i].meaning);
	fprintf(f, "\nMore: `jintong GROUP --help`, `jintong GROUP COMMAND --help`.\n");
}

static void print_group_help(FILE *f, const struct cmd_group *g)
{
	fprintf(f, "usage: jintong %s COMMAND [ARGUMENTS]\n\n", g->name);
	print_sentence(f, g->help);
	fprintf(f, "\nCommands:\n");
	for (const struct cmd_entry *e = g->entries; e->name; e++) {
		fputs("  ", f);
		print_synopsis(f, e);
		fprintf(f, "\n      %s\n", e->help);
	}
	fprintf(f, "\nOptions of the program (--url, --token, --json, ...): `jintong --help`.\n");
}

static void print_entry_help(FILE *f, const struct cmd_entry *e)
{
	fputs("usage: ", f);
	print_synopsis(f, e);
	fputs("\n\n", f);
	print_sentence(f, e->help);
	if (e->detail)
		fprintf(f, "\n%s\n", e->detail);
	size_t n = 0;
	while (e->options && e->options[n].name && n < CMD_MAX_OPTIONS)
		n++;
	if (n > 0) {
		const char *names[CMD_MAX_OPTIONS], *values[CMD_MAX_OPTIONS], *helps[CMD_MAX_OPTIONS];
		char buf[CMD_MAX_OPTIONS][40], help[CMD_MAX_OPTIONS][200];
		for (size_t i = 0; i < n; i++) {
			snprintf(buf[i], sizeof buf[i], "--%s", e->options[i].name);
			names[i] = buf[i];
			values[i] = e->options[i].value;
			helps[i] = e->options[i].help;
			if (repeatable(e, e->options[i].name)) {
				snprintf(help[i], sizeof help[i], "%s; may be repeated", helps[i]);
				helps[i] = help[i];
			}
		}
		print_options(f, "Options", names, values, helps, n);
	}
	fprintf(f, "\nOptions of the program (--url, --token, --json, ...): `jintong --help`.\n");
}

void cmd_print_help(FILE *f, const struct cmd_line *line)
{
	if (line->args.entry)
		print_entry_help(f, line->args.entry);
	else if (line->group)
		print_group_help(f, line->group);
	else
		print_program_help(f);
}

void cmd_print_json(json_object *reply)
{
	puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
}

json_object *cmd_reply_list(json_object *reply, const char *key)
{
	json_object *list;
	if (!json_object_is_type(reply, json_type_object) ||
	    !json_object_object_get_ex(reply, key, &list) ||
	    !json_object_is_type(list, json_type_array)) {
		cli_error("the daemon's reply has no \"%s\" list; check that this tool and jintongd "
			  "are the same version",
			  key);
		return NULL;
	}
	return list;
}

int cmd_get_list(const struct cmd_ctx *ctx, const char *path, const char *key, json_object **reply,
		 json_object **list)
{
	*list = NULL;
	int rc = client_get(ctx->client, path, NULL, reply);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(*reply);
		json_object_put(*reply);
		*reply = NULL;
		return CLI_OK;
	}
	if (!(*list = cmd_reply_list(*reply, key))) {
		json_object_put(*reply);
		*reply = NULL;
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cmd_revoke(const struct cmd_ctx *ctx, const char *collection, const char *name, const char *not_found,
	       json_object **reply, char **at)
{
	*at = NULL;
	char *esc = client_escape(ctx->client, name);
	char *path = xasprintf("/v1/admin/%s/%s/revoke", collection, esc);
	struct client_hints hints = { .not_found = not_found };
	int rc = client_post(ctx->client, path, NULL, &hints, reply);
	free(path);
	free(esc);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(*reply);
		json_object_put(*reply);
		*reply = NULL;
		return CLI_OK;
	}
	char when[32];
	const char *shown = fmt_time_member(when, sizeof when, *reply, "revoked_at");
	*at = table_clean(shown ? shown : "now");
	return CLI_OK;
}
