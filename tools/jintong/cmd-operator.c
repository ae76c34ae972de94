/*
 * cmd-operator.c — `jintong operator ...`: the rural transport companies
 * that run the lines, each in its own district of the county. (Not the
 * dispatch-centre staff whose tokens `jintongd --create-operator` makes.)
 */
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>

static void operator_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	(void)buf, (void)size;
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "name");
	cells[2] = coll_str(rec, "district");
}

static void operator_print(json_object *rec)
{
	coll_field("district", fmt_str(rec, "district"));
}

static const char *const operator_headers[] = { "CODE", "NAME", "DISTRICT" };

const struct coll coll_operators = {
	.path = "operators",
	.entity = "operator",
	.example = "OP1",
	.first = "jintong operator add CODE --name NAME --district DISTRICT",
	.ncols = 3,
	.headers = operator_headers,
	.row = operator_row,
	.print = operator_print,
};

static int take_options(const struct cmd_args *args, json_object *body)
{
	const char *district = cmd_opt(args, "district");
	int rc = coll_take_text(args, "name", "name", body);
	if (rc != CLI_OK)
		return rc;
	/* --district '' says the company serves no district in particular */
	if (district && !*district) {
		json_object_object_add(body, "district", json_object_new_string(""));
		return CLI_OK;
	}
	return coll_take_text(args, "district", "district", body);
}

static int operator_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "name", NULL };
	return coll_add_cmd(ctx, args, &coll_operators, needed, take_options);
}

static int operator_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_operators, take_options);
}

static int operator_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_operators, NULL);
}

static int operator_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_operators);
}

static int operator_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_operators);
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "the company's name, e.g. '顺达客运' (up to 128 bytes)" },
	{ "district", "DISTRICT", "the district of the county it serves, e.g. '北片区'" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "district", "DISTRICT", "the district it serves now; '' for none" },
	{ 0 },
};

static const struct cmd_entry operator_entries[] = {
	{
		.group = "operator",
		.name = "add",
		.usage = "CODE --name NAME [--district DISTRICT]",
		.help = "register a transport company that runs lines",
		.detail = "CODE: 1 to 32 letters, digits, '.', '_' or '-', starting with a letter\n"
			  "or digit (OP1); it cannot be changed later. These are the companies\n"
			  "that run lines, not the dispatch-centre staff who use this tool.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = operator_add,
	},
	{
		.group = "operator",
		.name = "list",
		.usage = "",
		.help = "list the transport companies and their districts",
		.exec = operator_list,
	},
	{
		.group = "operator",
		.name = "show",
		.usage = "CODE",
		.help = "show one transport company",
		.min_args = 1,
		.max_args = 1,
		.exec = operator_show,
	},
	{
		.group = "operator",
		.name = "edit",
		.usage = "CODE [--name NAME] [--district DISTRICT]",
		.help = "change a transport company's name or district",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = operator_edit,
	},
	{
		.group = "operator",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a transport company that runs no lines",
		.min_args = 1,
		.max_args = 1,
		.exec = operator_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_operator_group = {
	.name = "operator",
	.help = "transport companies that run the lines, and their districts",
	.entries = operator_entries,
};
