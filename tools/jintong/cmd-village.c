/*
 * cmd-village.c — `jintong village ...`: the administrative villages (and
 * communities) of each town, with the position of the village committee,
 * which the 2 km rule measures from. Stops may belong to a village.
 */
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>

static void village_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "name");
	cells[2] = fmt_str(rec, "town");
	cells[3] = coll_position(buf, size, rec);
}

static void village_print(json_object *rec)
{
	char buf[64];
	coll_field("town", fmt_str(rec, "town"));
	coll_field("committee", coll_position(buf, sizeof buf, rec));
}

static const char *const village_headers[] = { "CODE", "NAME", "TOWN", "LAT,LON" };

const struct coll coll_villages = {
	.path = "villages",
	.entity = "village",
	.example = "V07",
	.first = "jintong village add CODE --name NAME --town TOWN --at LAT,LON",
	.ncols = 4,
	.headers = village_headers,
	.row = village_row,
	.print = village_print,
};

/* The options add and edit share, checked and put into body. */
static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc;
	if ((rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_ref(args, "town", &coll_towns, "town", body)) != CLI_OK ||
	    (rc = coll_take_at(args, body)) != CLI_OK)
		return rc;
	return CLI_OK;
}

static int village_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "name", "town", "at", NULL };
	return coll_add_cmd(ctx, args, &coll_villages, needed, take_options);
}

static int village_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_villages, take_options);
}

static int village_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_villages, NULL);
}

static int village_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_villages);
}

static int village_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_villages);
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what the village is called, e.g. '青龙村' (up to 128 bytes)" },
	{ "town", "TOWN", "the code of the town it belongs to" },
	{ "at", "LAT,LON", "the village committee in decimal degrees, latitude first" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "town", "TOWN", "the town it belongs to now (after a merger)" },
	{ "at", "LAT,LON", "a new position of the village committee" },
	{ 0 },
};

static const struct cmd_entry village_entries[] = {
	{
		.group = "village",
		.name = "add",
		.usage = "CODE --name NAME --town TOWN --at LAT,LON",
		.help = "register a village of a town and the position of its committee",
		.detail = "CODE: 1 to 32 letters, digits, '.', '_' or '-', starting with a letter\n"
			  "or digit (V07); it cannot be changed later. LAT,LON is in decimal\n"
			  "degrees, latitude first: --at 30.12000,104.25000.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = village_add,
	},
	{
		.group = "village",
		.name = "list",
		.usage = "",
		.help = "list the villages and their towns",
		.exec = village_list,
	},
	{
		.group = "village",
		.name = "show",
		.usage = "CODE",
		.help = "show one village",
		.min_args = 1,
		.max_args = 1,
		.exec = village_show,
	},
	{
		.group = "village",
		.name = "edit",
		.usage = "CODE [--name NAME] [--town TOWN] [--at LAT,LON]",
		.help = "change a village's name, town or committee position",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = village_edit,
	},
	{
		.group = "village",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a village that no stop belongs to",
		.min_args = 1,
		.max_args = 1,
		.exec = village_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_village_group = {
	.name = "village",
	.help = "administrative villages: their towns and village committees",
	.entries = village_entries,
};
