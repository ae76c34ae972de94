/*
 * cmd-stop.c — `jintong stop ...`: the places vehicles stop: roadside
 * stops, village stops, schools, markets, clinics, depots and town centres,
 * each with its position and, for most, the village it serves.
 */
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"

#include <json-c/json.h>
#include <string.h>

static void stop_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "name");
	cells[2] = fmt_str(rec, "kind");
	cells[3] = coll_position(buf, size, rec);
	cells[4] = coll_str(rec, "village");
}

static void stop_print(json_object *rec)
{
	char buf[64];
	coll_field("kind", fmt_str(rec, "kind"));
	coll_field("position", coll_position(buf, sizeof buf, rec));
	const char *village = fmt_str(rec, "village");
	coll_field("village", village ? village : "none");
}

static const char *const stop_headers[] = { "CODE", "NAME", "KIND", "LAT,LON", "VILLAGE" };

const struct coll coll_stops = {
	.path = "stops",
	.entity = "stop",
	.example = "S101",
	.first = "jintong stop add CODE --name NAME --kind KIND --at LAT,LON",
	.ncols = 5,
	.headers = stop_headers,
	.row = stop_row,
	.print = stop_print,
};

/* The options add and edit share, checked and put into body. */
static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc;
	if ((rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_kind(args, check_stop_kinds, body)) != CLI_OK ||
	    (rc = coll_take_at(args, body)) != CLI_OK ||
	    (rc = coll_take_ref(args, "village", &coll_villages, "village", body)) != CLI_OK)
		return rc;
	return CLI_OK;
}

static int stop_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "name", "kind", "at", NULL };
	return coll_add_cmd(ctx, args, &coll_stops, needed, take_options);
}

static int stop_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_stops, args->argv[0])) != CLI_OK ||
	    (rc = take_options(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	if (cmd_opt(args, "no-village")) {
		if (cmd_opt(args, "village")) {
			json_object_put(body);
			return cmd_usage_error(args, "--village and --no-village contradict each "
					       "other; give one of them");
		}
		json_object_object_add(body, "village", NULL); /* JSON null: no village */
	}
	return coll_edit(ctx, args, &coll_stops, body);
}

/* --kind and --village of `stop list`. */
static bool stop_keep(json_object *rec, const struct cmd_args *args)
{
	const char *kind = cmd_opt(args, "kind"), *village = cmd_opt(args, "village");
	const char *k = fmt_str(rec, "kind"), *v = fmt_str(rec, "village");
	if (kind && !(k && strcmp(k, kind) == 0))
		return false;
	if (village && !(v && strcmp(v, village) == 0))
		return false;
	return true;
}

static int stop_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int rc;
	if ((rc = coll_take_kind(args, check_stop_kinds, NULL)) != CLI_OK ||
	    (rc = coll_take_ref(args, "village", &coll_villages, "village", NULL)) != CLI_OK)
		return rc;
	bool filtered = cmd_opt(args, "kind") || cmd_opt(args, "village");
	return coll_list(ctx, args, &coll_stops, filtered ? stop_keep : NULL);
}

static int stop_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_stops);
}

static int stop_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_stops);
}

#define KIND_HELP \
	"roadside, village, school, market, clinic, depot or town_centre"

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what the stop is called, e.g. '石桥小学' (up to 128 bytes)" },
	{ "kind", "KIND", KIND_HELP },
	{ "at", "LAT,LON", "where vehicles stop, in decimal degrees, latitude first" },
	{ "village", "VILLAGE", "the code of the village it serves (default: none)" },
	{ 0 },
};

static const struct cmd_option list_options[] = {
	{ "kind", "KIND", "only stops of this kind: " KIND_HELP },
	{ "village", "VILLAGE", "only the stops of this village" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "kind", "KIND", "a new kind: " KIND_HELP },
	{ "at", "LAT,LON", "a new position" },
	{ "village", "VILLAGE", "the village it serves now" },
	{ "no-village", NULL, "it serves no village in particular" },
	{ 0 },
};

static const struct cmd_entry stop_entries[] = {
	{
		.group = "stop",
		.name = "add",
		.usage = "CODE --name NAME --kind KIND --at LAT,LON [--village VILLAGE]",
		.help = "register a stop, its kind and its position",
		.detail = "CODE: 1 to 32 letters, digits, '.', '_' or '-', starting with a letter\n"
			  "or digit (S101); it cannot be changed later. LAT,LON is in decimal\n"
			  "degrees, latitude first: --at 30.12150,104.25320.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = stop_add,
	},
	{
		.group = "stop",
		.name = "list",
		.usage = "[--kind KIND] [--village VILLAGE]",
		.help = "list the stops, or those of one kind or village",
		.options = list_options,
		.exec = stop_list,
	},
	{
		.group = "stop",
		.name = "show",
		.usage = "CODE",
		.help = "show one stop",
		.min_args = 1,
		.max_args = 1,
		.exec = stop_show,
	},
	{
		.group = "stop",
		.name = "edit",
		.usage = "CODE [--name NAME] [--kind KIND] [--at LAT,LON] "
			 "[--village VILLAGE | --no-village]",
		.help = "change a stop's name, kind, position or village",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = stop_edit,
	},
	{
		.group = "stop",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a stop",
		.min_args = 1,
		.max_args = 1,
		.exec = stop_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_stop_group = {
	.name = "stop",
	.help = "stops: kinds, positions and the villages they serve",
	.entries = stop_entries,
};
