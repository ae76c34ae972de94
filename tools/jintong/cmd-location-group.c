/*
 * cmd-location-group.c — `jintong location-group ...`: stops riders may
 * ask an on-demand vehicle to pick them up or set them down at, taken
 * together as one place (GTFS-Flex location groups). A route version of an
 * on-demand line goes through one as group:CODE.
 */
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP_STOPS_MAX 5000

static void group_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	json_object *s = fmt_member(rec, "stops");
	snprintf(buf, size, "%zu", json_object_is_type(s, json_type_array) ? json_object_array_length(s) : 0);
	cells[0] = fmt_str(rec, "code");
	cells[1] = coll_str(rec, "name");
	cells[2] = buf;
}

static void group_print(json_object *rec)
{
	json_object *s = fmt_member(rec, "stops");
	size_t n = json_object_is_type(s, json_type_array) ? json_object_array_length(s) : 0;
	char *list = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		char *next = xasprintf("%s%s%s", list, i ? ", " : "",
				       json_object_get_string(json_object_array_get_idx(s, i)));
		free(list);
		list = next;
	}
	coll_field("stops", list);
	free(list);
}

static const char *const group_headers[] = { "CODE", "NAME", "STOPS" };

const struct coll coll_location_groups = {
	.path = "location-groups",
	.entity = "location-group",
	.example = "LG-EAST",
	.first = "jintong location-group add CODE --name NAME --stops S1,S2,...",
	.ncols = 3,
	.headers = group_headers,
	.row = group_row,
	.print = group_print,
};

static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc = coll_take_text(args, "name", "name", body);
	const char *s = cmd_opt(args, "stops");
	if (rc != CLI_OK || !s)
		return rc;
	struct check_codes l;
	enum check_list r = check_code_list(s, GROUP_STOPS_MAX, &l);
	if (r != CHECK_LIST_OK) {
		char *shown = table_clean(l.bad ? l.bad : "");
		if (r == CHECK_LIST_TOO_MANY)
			rc = cmd_usage_error(args, "--stops has more than %d stops", GROUP_STOPS_MAX);
		else
			rc = cmd_usage_error(args, "--stops must be stop codes separated by commas; "
					     "\"%s\" is not one",
					     shown);
		free(shown);
		check_list_free(&l);
		return rc;
	}
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < l.n; i++)
		json_object_array_add(a, json_object_new_string(l.codes[i]));
	json_object_object_add(body, "stops", a);
	check_list_free(&l);
	return CLI_OK;
}

static int group_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "stops", NULL };
	return coll_add_cmd(ctx, args, &coll_location_groups, needed, take_options);
}

static int group_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_location_groups, take_options);
}

static int group_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_location_groups, NULL);
}

static int group_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_location_groups);
}

static int group_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_location_groups);
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what riders call the area, e.g. '东片村组'" },
	{ "stops", "S1,S2,...", "the stops riders may be picked up or set down at" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "stops", "S1,S2,...", "the group's stops from now on (all of them)" },
	{ 0 },
};

static const struct cmd_entry group_entries[] = {
	{
		.group = "location-group",
		.name = "add",
		.usage = "CODE --stops S1,S2,... [--name NAME]",
		.help = "add stops an on-demand line serves on request, as one place",
		.detail = "A route of an on-demand line goes through the group as group:CODE\n"
			  "(jintong route draw L --stops group:CODE,group:CODE): riders are picked\n"
			  "up at any of its stops and set down at any of them, within the windows\n"
			  "of the line's trips. Codes are shared with stops and zones.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = group_add,
	},
	{
		.group = "location-group",
		.name = "list",
		.usage = "",
		.help = "list the location groups and how many stops each has",
		.exec = group_list,
	},
	{
		.group = "location-group",
		.name = "show",
		.usage = "CODE",
		.help = "show one location group and its stops",
		.min_args = 1,
		.max_args = 1,
		.exec = group_show,
	},
	{
		.group = "location-group",
		.name = "edit",
		.usage = "CODE [--name NAME] [--stops S1,S2,...]",
		.help = "rename a location group or give it other stops",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = group_edit,
	},
	{
		.group = "location-group",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a location group no route goes through",
		.min_args = 1,
		.max_args = 1,
		.exec = group_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_location_group_group = {
	.name = "location-group",
	.help = "stops served on request as one place, by on-demand lines",
	.entries = group_entries,
};
