/*
 * cmd-town.c — `jintong town ...`: the townships of the county, each with
 * the position of its centre and whether it is the county seat. Villages
 * belong to a town.
 */
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>
#include <stdio.h>

static void town_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	json_object *seat = fmt_member(rec, "county_seat");
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "name");
	cells[2] = coll_position(buf, size, rec);
	cells[3] = !seat ? NULL : json_object_get_boolean(seat) ? "yes" : "no";
}

static void town_print(json_object *rec)
{
	char buf[64];
	json_object *seat = fmt_member(rec, "county_seat");
	coll_field("centre", coll_position(buf, sizeof buf, rec));
	coll_field("seat", !seat ? NULL : json_object_get_boolean(seat) ? "yes, the county seat" : "no");
}

static const char *const town_headers[] = { "CODE", "NAME", "LAT,LON", "COUNTY SEAT" };

const struct coll coll_towns = {
	.path = "towns",
	.entity = "town",
	.example = "T01",
	.first = "jintong town add CODE --name NAME --at LAT,LON",
	.ncols = 4,
	.headers = town_headers,
	.row = town_row,
	.print = town_print,
};

static int town_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "name", "at", NULL };
	const char *code = args->argv[0];
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_towns, code)) != CLI_OK ||
	    (rc = coll_require(args, needed)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	json_object_object_add(body, "code", json_object_new_string(code));
	if ((rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_at(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	json_object_object_add(body, "county_seat",
			       json_object_new_boolean(cmd_opt(args, "county-seat") != NULL));
	return coll_add(ctx, args, &coll_towns, body);
}

static int town_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *seat = cmd_opt(args, "county-seat");
	json_object *body = json_object_new_object();
	bool yes = false;
	int rc;
	if ((rc = coll_check_code(args, &coll_towns, args->argv[0])) != CLI_OK ||
	    (rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_at(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	if (seat && !check_yes_no(seat, &yes)) {
		json_object_put(body);
		return cmd_usage_error(args, "--county-seat takes yes or no; e.g. --county-seat yes");
	}
	if (seat)
		json_object_object_add(body, "county_seat", json_object_new_boolean(yes));
	return coll_edit(ctx, args, &coll_towns, body);
}

static int town_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_towns, NULL);
}

static int town_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_towns);
}

static int town_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_towns);
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what the town is called, e.g. '石桥镇' (up to 128 bytes)" },
	{ "at", "LAT,LON", "the town centre in decimal degrees, latitude first" },
	{ "county-seat", NULL, "the town is the county seat" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "at", "LAT,LON", "a new position of the town centre" },
	{ "county-seat", "yes|no", "whether the town is the county seat" },
	{ 0 },
};

static const struct cmd_entry town_entries[] = {
	{
		.group = "town",
		.name = "add",
		.usage = "CODE --name NAME --at LAT,LON [--county-seat]",
		.help = "register a town and the position of its centre",
		.detail = "CODE is what villages and other commands call the town: 1 to 32\n"
			  "letters, digits, '.', '_' or '-', starting with a letter or digit (T01).\n"
			  "It cannot be changed later. LAT,LON is in decimal degrees, latitude\n"
			  "first: --at 30.10250,104.20310.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = town_add,
	},
	{
		.group = "town",
		.name = "list",
		.usage = "",
		.help = "list the towns",
		.exec = town_list,
	},
	{
		.group = "town",
		.name = "show",
		.usage = "CODE",
		.help = "show one town",
		.min_args = 1,
		.max_args = 1,
		.exec = town_show,
	},
	{
		.group = "town",
		.name = "edit",
		.usage = "CODE [--name NAME] [--at LAT,LON] [--county-seat yes|no]",
		.help = "change a town's name, centre or county-seat mark",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = town_edit,
	},
	{
		.group = "town",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a town that has no villages",
		.min_args = 1,
		.max_args = 1,
		.exec = town_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_town_group = {
	.name = "town",
	.help = "townships: codes, names, centres and the county seat",
	.entries = town_entries,
};
