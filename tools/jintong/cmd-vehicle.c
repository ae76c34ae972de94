/*
 * cmd-vehicle.c — `jintong vehicle ...`: the buses and vans of the fleet,
 * their seats and cargo space, and where each was last seen.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define CODE_RULE \
	"a code is 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit, " \
	"e.g. BUS-01"
#define SEATS_MAX 200
#define CARGO_MAX 100000

/* Prints "key:      value" with the value cleaned for the terminal. */
static void field(const char *key, const char *value)
{
	char *v = table_clean(value ? value : "-");
	char label[24];
	snprintf(label, sizeof label, "%s:", key);
	printf("%-10s %s\n", label, v);
	free(v);
}

/* "12s ago" for the time in member "time" of a position, or NULL. */
static const char *position_age(char *buf, size_t size, json_object *pos, jt_ms now)
{
	jt_ms t;
	const char *s = fmt_str(pos, "time");
	if (!s || !fmt_parse_time(s, &t))
		return NULL;
	fmt_age(buf, size, now, t);
	return buf;
}

static void print_position(json_object *pos, jt_ms now)
{
	double lat, lon, v;
	char buf[128], age[32], when[32];
	if (!pos || !fmt_num(pos, "lat", &lat) || !fmt_num(pos, "lon", &lon)) {
		field("position", "never reported");
		return;
	}
	fmt_position(buf, sizeof buf, lat, lon);
	const char *a = position_age(age, sizeof age, pos, now);
	const char *w = fmt_time_member(when, sizeof when, pos, "time");
	size_t n = strlen(buf);
	if (a && w)
		snprintf(buf + n, sizeof buf - n, ", %s (%s)", a, w);
	field("position", buf);
	if (fmt_num(pos, "speed_mps", &v)) {
		snprintf(buf, sizeof buf, "%.0f km/h", v * 3.6);
		field("speed", buf);
	}
	if (fmt_num(pos, "heading", &v)) {
		snprintf(buf, sizeof buf, "%.0f°", v);
		field("heading", buf);
	}
	if (fmt_num(pos, "accuracy", &v)) {
		snprintf(buf, sizeof buf, "%.0f m", v);
		field("accuracy", buf);
	}
	if (fmt_num(pos, "battery", &v)) {
		snprintf(buf, sizeof buf, "%.0f%%", v * 100);
		field("battery", buf);
	}
}

static void print_devices(json_object *vehicle)
{
	json_object *list = fmt_member(vehicle, "devices");
	if (!list || !json_object_is_type(list, json_type_array))
		return;
	size_t n = json_object_array_length(list);
	if (n == 0) {
		char *code = table_clean(fmt_str(vehicle, "code"));
		printf("devices:   none; pair a tablet with `jintong device add DEVICE_ID --vehicle "
		       "%s`\n",
		       code);
		free(code);
		return;
	}
	static const char *const headers[] = { "DEVICE", "CREATED", "REVOKED" };
	struct table *t = table_new(3, headers, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(list, i);
		char created[32], revoked[32];
		const char *row[] = {
			fmt_str(d, "device_id"),
			fmt_time_member(created, sizeof created, d, "created_at"),
			fmt_time_member(revoked, sizeof revoked, d, "revoked_at"),
		};
		table_add(t, row);
	}
	printf("devices:\n");
	table_print(t, stdout, 2);
	table_free(t);
}

/*
 * The time in member key of a next stop on the timetable's clock: its
 * planned time of the service day plus how far the time is from the planned
 * one, so the ETAs read against the timetable in any time zone. NULL if none.
 */
static const char *clock_member(char *buf, size_t size, json_object *o, const char *key)
{
	jt_ms t, p;
	int h, m, s = 0;
	const char *v = fmt_str(o, key), *ps = fmt_str(o, "planned"), *clock = fmt_str(o, "planned_time");
	if (!v || !ps || !clock || !fmt_parse_time(v, &t) || !fmt_parse_time(ps, &p) ||
	    sscanf(clock, "%d:%d:%d", &h, &m, &s) < 2)
		return NULL;
	long c = h * 3600L + m * 60L + s + (long)((t - p + (t >= p ? 500 : -500)) / 1000);
	if (c < 0)
		c = 0;
	snprintf(buf, size, "%02ld:%02ld:%02ld", c / 3600, c / 60 % 60, c % 60);
	return buf;
}

/* "3 min 5 s late", "on time", "40 s early". */
static void delay_text(char *buf, size_t size, long s)
{
	long a = labs(s);
	if (a < 30) {
		snprintf(buf, size, "on time (%+ld s)", s);
		return;
	}
	if (a < 60)
		snprintf(buf, size, "%ld s", a);
	else
		snprintf(buf, size, "%ld min %ld s", a / 60, a % 60);
	snprintf(buf + strlen(buf), size - strlen(buf), " %s", s > 0 ? "late" : "early");
}

/* What the vehicle's tracker says: its trip, progress, delay and the next stops with ETAs. */
static void print_tracking(json_object *tr)
{
	if (!tr)
		return;
	const char *state = fmt_str(tr, "state"), *trip = fmt_str(tr, "trip");
	char buf[160], num[32];
	if (!trip) {
		field("trip", state && strcmp(state, "matching") == 0
				      ? "none yet (matching the trips running near it)"
				      : "none");
		return;
	}
	json_object *so = fmt_member(tr, "signed_on");
	snprintf(buf, sizeof buf, "%s (line %s, service day %s)%s", trip, fmt_str(tr, "line") ? fmt_str(tr, "line") : "-",
		 fmt_str(tr, "service_day") ? fmt_str(tr, "service_day") : "-",
		 so && json_object_get_boolean(so) ? ", signed on" : "");
	field("trip", buf);
	double along, length, km, delay;
	json_object *next = fmt_member(tr, "next_stop");
	if (fmt_num(tr, "along_m", &along) && fmt_num(tr, "length_m", &length)) {
		int n = snprintf(buf, sizeof buf, "%.1f of %.1f km", along / 1000, length / 1000);
		json_object *at = fmt_member(tr, "at_stop");
		if (next)
			snprintf(buf + n, sizeof buf - (size_t)n, ", %s stop %s %s",
				 at && json_object_get_boolean(at) ? "at" : "next",
				 fmt_int_text(num, sizeof num, next, "seq") ? num : "?",
				 fmt_str(next, "stop") ? fmt_str(next, "stop") : "?");
		json_object *off = fmt_member(tr, "off_route");
		if (off && json_object_get_boolean(off))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ", off the route");
		field("progress", buf);
	} else {
		field("progress", "no fix on the route yet");
	}
	if (fmt_num(tr, "delay_s", &delay)) {
		delay_text(buf, sizeof buf, (long)delay);
		field("delay", buf);
	}
	if (fmt_num(tr, "km", &km)) {
		snprintf(buf, sizeof buf, "%.1f km on this trip", km);
		field("driven", buf);
	}
	if (fmt_int_text(num, sizeof num, tr, "onboard"))
		field("on board", num);
	json_object *list = fmt_member(tr, "next_stops");
	size_t n = list && json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	if (n == 0)
		return;
	static const char *const headers[] = { "#", "STOP", "PLANNED", "ETA" };
	static const enum table_align align[] = { TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT, TABLE_LEFT };
	struct table *t = table_new(4, headers, align);
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(list, i);
		char seq[16], planned[40], eta[40];
		const char *row[] = { fmt_int_text(seq, sizeof seq, s, "seq"), fmt_str(s, "stop"),
				      clock_member(planned, sizeof planned, s, "planned"),
				      clock_member(eta, sizeof eta, s, "eta") };
		table_add(t, row);
	}
	printf("next stops:\n");
	table_print(t, stdout, 2);
	table_free(t);
}

/* One vehicle as "key: value" lines; its devices when the reply has them. */
static void print_vehicle(json_object *v)
{
	char num[32];
	jt_ms now = now_ms();
	field("code", fmt_str(v, "code"));
	const char *name = fmt_str(v, "name");
	field("name", name && *name ? name : "-");
	field("seats", fmt_int_text(num, sizeof num, v, "seats"));
	const char *cargo = fmt_int_text(num, sizeof num, v, "cargo_l");
	char litres[48];
	if (cargo)
		snprintf(litres, sizeof litres, "%s L", cargo);
	field("cargo", cargo ? litres : NULL);
	json_object *sf = fmt_member(v, "step_free");
	field("step-free", sf && json_object_get_boolean(sf) ? "yes" : "no");
	print_position(fmt_member(v, "position"), now);
	print_tracking(fmt_member(v, "tracking"));
	print_devices(v);
}

static int check_code_arg(const struct cmd_args *args, const char *code)
{
	if (check_code(code))
		return CLI_OK;
	char *shown = table_clean(code);
	int rc = cmd_usage_error(args, "\"%s\" is not a vehicle code; %s", shown, CODE_RULE);
	free(shown);
	return rc;
}

static int check_whole_opt(const struct cmd_args *args, const char *opt, const char *example,
			   long max, long *out)
{
	const char *s = cmd_opt(args, opt);
	if (!s || check_whole(s, 0, max, out))
		return CLI_OK;
	char *shown = table_clean(s);
	int rc = cmd_usage_error(args, "--%s must be a whole number from 0 to %ld, not \"%s\"; e.g. "
				 "--%s %s",
				 opt, max, shown, opt, example);
	free(shown);
	return rc;
}

static int vehicle_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0], *name = cmd_opt(args, "name");
	long seats = 0, cargo = 0;
	int rc;
	if ((rc = check_code_arg(args, code)) != CLI_OK)
		return rc;
	if (name && !check_name(name))
		return cmd_usage_error(args, "--name must be text of 1 to %d bytes (about 40 Chinese "
				       "characters) without control characters; e.g. --name '村村通一号'",
				       CHECK_NAME_MAX);
	if ((rc = check_whole_opt(args, "seats", "40", SEATS_MAX, &seats)) != CLI_OK ||
	    (rc = check_whole_opt(args, "cargo", "500", CARGO_MAX, &cargo)) != CLI_OK)
		return rc;

	json_object *body = json_object_new_object();
	json_object_object_add(body, "code", json_object_new_string(code));
	if (name)
		json_object_object_add(body, "name", json_object_new_string(name));
	if (cmd_opt(args, "seats"))
		json_object_object_add(body, "seats", json_object_new_int64(seats));
	if (cmd_opt(args, "cargo"))
		json_object_object_add(body, "cargo_l", json_object_new_int64(cargo));
	if (cmd_opt(args, "step-free"))
		json_object_object_add(body, "step_free", json_object_new_boolean(true));

	char *conflict = xasprintf("choose another code, or see the vehicle with `jintong vehicle "
				   "show %s`",
				   code);
	struct client_hints hints = { .conflict = conflict };
	json_object *reply;
	rc = client_post(ctx->client, "/v1/admin/vehicles", body, &hints, &reply);
	free(conflict);
	json_object_put(body);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(reply);
	} else {
		printf("Added vehicle %s.\n", code);
		print_vehicle(reply);
	}
	json_object_put(reply);
	return CLI_OK;
}

static int vehicle_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	json_object *reply, *list;
	int rc = cmd_get_list(ctx, "/v1/admin/vehicles", "vehicles", &reply, &list);
	if (rc != CLI_OK || !list)
		return rc;
	size_t n = json_object_array_length(list);
	if (n == 0) {
		printf("No vehicles yet; add one with `jintong vehicle add CODE --name NAME --seats N`.\n");
		json_object_put(reply);
		return CLI_OK;
	}
	static const char *const headers[] = { "CODE", "NAME", "SEATS", "CARGO_L", "POSITION",
					       "LAST FIX" };
	static const enum table_align align[] = { TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT,
						  TABLE_RIGHT, TABLE_LEFT, TABLE_LEFT };
	struct table *t = table_new(6, headers, align);
	jt_ms now = now_ms();
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(list, i);
		json_object *pos = fmt_member(v, "position");
		char seats[32], cargo[32], where[64], age[32];
		double lat, lon;
		const char *position = NULL, *last = "never";
		if (pos && fmt_num(pos, "lat", &lat) && fmt_num(pos, "lon", &lon)) {
			fmt_position(where, sizeof where, lat, lon);
			position = where;
			last = position_age(age, sizeof age, pos, now);
		}
		const char *name = fmt_str(v, "name");
		const char *row[] = {
			fmt_str(v, "code"),
			name && *name ? name : NULL,
			fmt_int_text(seats, sizeof seats, v, "seats"),
			fmt_int_text(cargo, sizeof cargo, v, "cargo_l"),
			position,
			last,
		};
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

static int vehicle_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	int rc = check_code_arg(args, code);
	if (rc != CLI_OK)
		return rc;
	char *esc = client_escape(ctx->client, code);
	char *path = xasprintf("/v1/admin/vehicles/%s", esc);
	struct client_hints hints = {
		.not_found = "see the vehicles with `jintong vehicle list`",
	};
	json_object *reply;
	rc = client_get(ctx->client, path, &hints, &reply);
	free(path);
	free(esc);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json)
		cmd_print_json(reply);
	else
		print_vehicle(reply);
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option add_options[] = {
	{ "name", "NAME", "what dispatchers call it, e.g. '村村通一号' (up to 128 bytes)" },
	{ "seats", "N", "passenger seats, 0 to 200 (default 0)" },
	{ "cargo", "LITRES", "cargo space in litres, 0 to 100000 (default 0)" },
	{ "step-free", NULL, "a wheelchair can board it (a ramp or a lift)" },
	{ 0 },
};

static const struct cmd_entry vehicle_entries[] = {
	{
		.group = "vehicle",
		.name = "add",
		.usage = "CODE [--name NAME] [--seats N] [--cargo LITRES] [--step-free]",
		.help = "register a vehicle",
		.detail = "CODE is what tablets, timetables and other commands call the vehicle:\n"
			  "1 to 32 letters, digits, '.', '_' or '-', starting with a letter or\n"
			  "digit (BUS-01, van.3).",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = vehicle_add,
	},
	{
		.group = "vehicle",
		.name = "list",
		.usage = "",
		.help = "list the vehicles, where each was last seen and how long ago",
		.min_args = 0,
		.max_args = 0,
		.exec = vehicle_list,
	},
	{
		.group = "vehicle",
		.name = "show",
		.usage = "CODE",
		.help = "show one vehicle, its tablets, its latest position and the trip it is running",
		.min_args = 1,
		.max_args = 1,
		.exec = vehicle_show,
	},
	{ 0 },
};

const struct cmd_group cmd_vehicle_group = {
	.name = "vehicle",
	.help = "buses and vans: codes, names, seats and cargo space",
	.entries = vehicle_entries,
};
