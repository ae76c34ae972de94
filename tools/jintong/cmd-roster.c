/*
 * cmd-roster.c — `jintong roster ...`: the pupils enrolled on a student
 * line. Their seats are a guarantee: the booking service keeps one for each
 * of them on every run of the line, and offers others only the seats beyond.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ROSTER_FILE_MAX (1 << 20)

static int check_line(const struct cmd_args *args, const char *line)
{
	if (check_code(line))
		return CLI_OK;
	return cmd_usage_error(args, "\"%s\" is not a line code; see them with `jintong line list`", line);
}

static int print_roster(const struct cmd_ctx *ctx, json_object *reply)
{
	if (ctx->json) {
		cmd_print_json(reply);
		json_object_put(reply);
		return CLI_OK;
	}
	json_object *list = fmt_member(reply, "pupils");
	size_t n = list && json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	printf("Line %s: %zu pupil%s on the roster.\n", fmt_str(reply, "line"), n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char *shown = table_clean(json_object_get_string(json_object_array_get_idx(list, i)));
		printf("  %s\n", shown);
		free(shown);
	}
	json_object_put(reply);
	return CLI_OK;
}

static int roster_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int rc = check_line(args, args->argv[0]);
	if (rc != CLI_OK)
		return rc;
	char *path = xasprintf("/v1/admin/lines/%s/roster", args->argv[0]);
	struct client_hints hints = { .not_found = "see the lines with `jintong line list`" };
	json_object *reply;
	rc = client_get(ctx->client, path, &hints, &reply);
	free(path);
	return rc == CLI_OK ? print_roster(ctx, reply) : rc;
}

/* Adds the riders of a file, one per line ('#' starts a comment), to list. */
static int read_file(const struct cmd_args *args, const char *name, json_object *list)
{
	FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
	if (!f)
		return cmd_usage_error(args, "cannot read %s: %s", name, strerror(errno));
	char line[256];
	size_t no = 0, total = 0;
	int rc = CLI_OK;
	while (rc == CLI_OK && fgets(line, sizeof line, f)) {
		no++;
		total += strlen(line);
		if (total > ROSTER_FILE_MAX) {
			rc = cmd_usage_error(args, "%s is larger than a roster can be", name);
			break;
		}
		if (!strchr(line, '\n') && !feof(f)) {
			rc = cmd_usage_error(args, "%s:%zu: the line is too long for a rider id", name, no);
			break;
		}
		line[strcspn(line, "#\r\n")] = '\0';
		char *s = line + strspn(line, " \t");
		size_t n = strlen(s);
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		if (!n)
			continue;
		if (!check_device_id(s))
			rc = cmd_usage_error(args, "%s:%zu: \"%s\" is not a rider id (1 to 64 printable characters "
				       "without spaces)", name, no, s);
		else
			json_object_array_add(list, json_object_new_string(s));
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

static int roster_set(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = args->argv[0], *file = cmd_opt(args, "file");
	int rc = check_line(args, line);
	if (rc != CLI_OK)
		return rc;
	json_object *list = json_object_new_array();
	const char *p;
	for (size_t i = 0; rc == CLI_OK && (p = cmd_opt_nth(args, "pupil", i)); i++) {
		if (!check_device_id(p))
			rc = cmd_usage_error(args, "\"%s\" is not a rider id (1 to 64 printable characters without "
				       "spaces)", p);
		else
			json_object_array_add(list, json_object_new_string(p));
	}
	if (rc == CLI_OK && file)
		rc = read_file(args, file, list);
	if (rc == CLI_OK && !file && !cmd_opt(args, "pupil") && !cmd_opt(args, "empty"))
		rc = cmd_usage_error(args, "name the pupils with --pupil RIDER (repeated) or --file FILE; "
				     "--empty clears the roster");
	if (rc != CLI_OK) {
		json_object_put(list);
		return rc;
	}
	json_object *body = json_object_new_object();
	json_object_object_add(body, "pupils", list);
	char *path = xasprintf("/v1/admin/lines/%s/roster", line);
	struct client_hints hints = { .not_found = "see the lines with `jintong line list`" };
	json_object *reply;
	rc = client_post(ctx->client, path, body, &hints, &reply);
	free(path);
	json_object_put(body);
	return rc == CLI_OK ? print_roster(ctx, reply) : rc;
}

static const struct cmd_option set_options[] = {
	{ "pupil", "RIDER", "a pupil's rider id; repeat for each" },
	{ "file", "FILE", "the pupils' rider ids, one per line ('-' reads standard input)" },
	{ "empty", NULL, "clear the roster" },
	{ 0 },
};

static const char *const set_many[] = { "pupil", NULL };

static const struct cmd_entry roster_entries[] = {
	{
		.group = "roster",
		.name = "show",
		.usage = "LINE",
		.help = "list the pupils whose seats a student line keeps",
		.min_args = 1,
		.max_args = 1,
		.exec = roster_show,
	},
	{
		.group = "roster",
		.name = "set",
		.usage = "LINE (--pupil RIDER ... | --file FILE | --empty)",
		.help = "replace a student line's roster",
		.detail = "Every run of the line keeps one seat for each pupil on its roster; other\n"
			  "riders are offered only the seats beyond. A pupil is on one line's roster.",
		.options = set_options,
		.many = set_many,
		.min_args = 1,
		.max_args = 1,
		.exec = roster_set,
	},
	{ 0 },
};

const struct cmd_group cmd_roster_group = {
	.name = "roster",
	.help = "pupils enrolled on student lines, whose seats are kept for them",
	.entries = roster_entries,
};
