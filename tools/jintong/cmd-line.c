/*
 * cmd-line.c — `jintong line ...`: the services of the county: scheduled
 * lines, student runs, market-day runs, logistics runs and demand-responsive
 * service, each run by one transport company.
 */
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>

static void line_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	(void)buf, (void)size;
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "name");
	cells[2] = fmt_str(rec, "kind");
	cells[3] = fmt_str(rec, "operator");
}

static void line_print(json_object *rec)
{
	coll_field("kind", fmt_str(rec, "kind"));
	coll_field("operator", fmt_str(rec, "operator"));
}

static const char *const line_headers[] = { "CODE", "NAME", "KIND", "OPERATOR" };

const struct coll coll_lines = {
	.path = "lines",
	.entity = "line",
	.example = "L12",
	.first = "jintong line add CODE --name NAME --kind KIND --operator OPERATOR",
	.ncols = 4,
	.headers = line_headers,
	.row = line_row,
	.print = line_print,
};

static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc;
	if ((rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_kind(args, check_line_kinds, body)) != CLI_OK ||
	    (rc = coll_take_ref(args, "operator", &coll_operators, "operator", body)) != CLI_OK)
		return rc;
	return CLI_OK;
}

static int line_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "name", "kind", "operator", NULL };
	return coll_add_cmd(ctx, args, &coll_lines, needed, take_options);
}

static int line_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_lines, take_options);
}

static int line_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_lines, NULL);
}

static int line_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_lines);
}

static int line_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_lines);
}

#define KIND_HELP "scheduled, student, market_day, logistics or on_demand"

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what the line is called, e.g. '县城—石桥' (up to 128 bytes)" },
	{ "kind", "KIND", KIND_HELP },
	{ "operator", "OPERATOR", "the code of the transport company that runs it" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "kind", "KIND", "a new kind: " KIND_HELP },
	{ "operator", "OPERATOR", "the transport company that runs it now" },
	{ 0 },
};

static const struct cmd_entry line_entries[] = {
	{
		.group = "line",
		.name = "add",
		.usage = "CODE --name NAME --kind KIND --operator OPERATOR",
		.help = "register a line, its kind and the company that runs it",
		.detail = "CODE: 1 to 32 letters, digits, '.', '_' or '-', starting with a letter\n"
			  "or digit (L12); it cannot be changed later. KIND is scheduled (班线),\n"
			  "student (学生班), market_day (赶集班), logistics (物流班) or on_demand\n"
			  "(预约响应).",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = line_add,
	},
	{
		.group = "line",
		.name = "list",
		.usage = "",
		.help = "list the lines, their kinds and companies",
		.exec = line_list,
	},
	{
		.group = "line",
		.name = "show",
		.usage = "CODE",
		.help = "show one line",
		.min_args = 1,
		.max_args = 1,
		.exec = line_show,
	},
	{
		.group = "line",
		.name = "edit",
		.usage = "CODE [--name NAME] [--kind KIND] [--operator OPERATOR]",
		.help = "change a line's name, kind or company",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = line_edit,
	},
	{
		.group = "line",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a line",
		.min_args = 1,
		.max_args = 1,
		.exec = line_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_line_group = {
	.name = "line",
	.help = "lines and runs: kinds and the companies that run them",
	.entries = line_entries,
};
