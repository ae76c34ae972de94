/*
 * cmd-shift.c — `jintong shift ...`: vehicles on booking duty. A shift puts
 * a vehicle on demand-responsive service on the days of a calendar, from a
 * depot, between two times; riders no timetabled trip can carry are placed
 * in the plans of the vehicles on duty.
 */
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>

static void shift_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	(void)buf, (void)size;
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "vehicle");
	cells[2] = fmt_str(rec, "calendar");
	cells[3] = fmt_str(rec, "depot");
	cells[4] = fmt_str(rec, "start");
	cells[5] = fmt_str(rec, "end");
}

static void shift_print(json_object *rec)
{
	coll_field("vehicle", fmt_str(rec, "vehicle"));
	coll_field("calendar", fmt_str(rec, "calendar"));
	coll_field("depot", fmt_str(rec, "depot"));
	coll_field("start", fmt_str(rec, "start"));
	coll_field("end", fmt_str(rec, "end"));
}

static const char *const shift_headers[] = { "CODE", "VEHICLE", "CALENDAR", "DEPOT", "START", "END" };

static const struct coll coll_shifts = {
	.path = "shifts",
	.entity = "shift",
	.example = "DRT-1",
	.first = "jintong shift add CODE --vehicle CODE --calendar CODE --depot STOP --start 07:00 --end 18:00",
	.ncols = 6,
	.headers = shift_headers,
	.row = shift_row,
	.print = shift_print,
};

static int take_options(const struct cmd_args *args, json_object *body)
{
	static const char *const opts[] = { "vehicle", "calendar", "depot", "start", "end" };
	for (size_t i = 0; i < JT_ARRAY_LEN(opts); i++) {
		int rc = coll_take_text(args, opts[i], opts[i], body);
		if (rc != CLI_OK)
			return rc;
	}
	return CLI_OK;
}

static int shift_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "vehicle", "calendar", "depot", "start", "end", NULL };
	return coll_add_cmd(ctx, args, &coll_shifts, needed, take_options);
}

static int shift_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_shifts, NULL);
}

static int shift_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_shifts);
}

static int shift_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_shifts);
}

static const struct cmd_option add_options[] = {
	{ "vehicle", "CODE", "the vehicle on duty (its seats and cargo room count)" },
	{ "calendar", "CODE", "the days of duty, a service calendar" },
	{ "depot", "STOP", "where the vehicle starts and ends its shift" },
	{ "start", "HH:MM", "start of duty on those days" },
	{ "end", "HH:MM", "end of duty, back at the depot (past 24:00 for a night shift)" },
	{ 0 },
};

static const struct cmd_entry shift_entries[] = {
	{
		.group = "shift",
		.name = "add",
		.usage = "CODE --vehicle CODE --calendar CODE --depot STOP --start HH:MM --end HH:MM",
		.help = "put a vehicle on booking duty",
		.detail = "Two shifts of one vehicle may not overlap on any day of the coming year.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = shift_add,
	},
	{
		.group = "shift",
		.name = "list",
		.usage = "",
		.help = "list the shifts of booking duty",
		.exec = shift_list,
	},
	{
		.group = "shift",
		.name = "show",
		.usage = "CODE",
		.help = "show one shift",
		.min_args = 1,
		.max_args = 1,
		.exec = shift_show,
	},
	{
		.group = "shift",
		.name = "remove",
		.usage = "CODE",
		.help = "end a shift that has no rides planned",
		.min_args = 1,
		.max_args = 1,
		.exec = shift_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_shift_group = {
	.name = "shift",
	.help = "vehicles on booking duty: the demand-responsive service",
	.entries = shift_entries,
};
