/*
 * cmd-ride.c — `jintong ride ...`: booking a villager's ride from the
 * dispatch centre (the hotline), and following it: show, list, confirm,
 * cancel. The daemon decides; this prints its answer for the person on the
 * phone: which bus, where and when to wait, how far to walk, or why not and
 * when the next buses go.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLACE_RULE "a place is stop:CODE, village:CODE or LAT,LON (e.g. 30.512,104.073)"

/* "stop:A", "village:V1" or "30.5,104.2" as the daemon's place object; NULL when malformed. */
static json_object *place(const char *s)
{
	json_object *o = json_object_new_object();
	const char *colon = strchr(s, ':');
	if (colon && (strncmp(s, "stop:", 5) == 0 || strncmp(s, "village:", 8) == 0)) {
		if (!check_code(colon + 1)) {
			json_object_put(o);
			return NULL;
		}
		json_object_object_add(o, strncmp(s, "stop:", 5) == 0 ? "stop" : "village",
				       json_object_new_string(colon + 1));
		return o;
	}
	char *end;
	errno = 0;
	double lat = strtod(s, &end);
	if (errno || end == s || *end != ',') {
		json_object_put(o);
		return NULL;
	}
	const char *rest = end + 1;
	double lon = strtod(rest, &end);
	if (errno || end == rest || *end || !isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 ||
	    fabs(lon) > 180) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "lat", json_object_new_double(lat));
	json_object_object_add(o, "lon", json_object_new_double(lon));
	return o;
}

/* A whole number option in [lo, hi] into body[key]; CLI_OK when absent. */
static int take_int(const struct cmd_args *args, const char *opt, const char *key, long lo, long hi,
		    json_object *body)
{
	const char *v = cmd_opt(args, opt);
	if (!v)
		return CLI_OK;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return cmd_usage_error(args, "--%s takes a whole number from %ld to %ld", opt, lo, hi);
	json_object_object_add(body, key, json_object_new_int((int)n));
	return CLI_OK;
}

static const char *hhmm(char *buf, size_t size, json_object *o, const char *key)
{
	const char *t = fmt_time_member(buf, size, o, key);
	return t ? t : "-";
}

/* The ride as the hotline reads it out. */
static void print_ride(json_object *r)
{
	const char *id = fmt_str(r, "id"), *state = fmt_str(r, "state");
	char *rider = table_clean(fmt_str(r, "rider") ? fmt_str(r, "rider") : "");
	printf("Ride %s for %s: %s.\n", id ? id : "?", rider, state ? state : "?");
	free(rider);
	json_object *offer = fmt_member(r, "offer");
	if (offer) {
		char a[32], b[32], c[32], w[16];
		const char *kind = fmt_str(offer, "kind");
		if (kind && strcmp(kind, "seat") == 0)
			printf("  seat on trip %s (line %s), service day %s%s\n", fmt_str(offer, "trip"),
			       fmt_str(offer, "line"), fmt_str(offer, "service_day"),
			       fmt_member(offer, "pupil_seat") ? ", a pupil's seat" : "");
		else
			printf("  on vehicle %s\n", fmt_str(offer, "vehicle") ? fmt_str(offer, "vehicle") : "?");
		printf("  board at %s between %s and %s\n", fmt_str(offer, "pickup_stop"),
		       hhmm(a, sizeof a, offer, "pickup_from"), hhmm(b, sizeof b, offer, "pickup_to"));
		printf("  alight at %s about %s\n", fmt_str(offer, "dropoff_stop"),
		       hhmm(c, sizeof c, offer, "dropoff_at"));
		printf("  walk %s m in all\n", fmt_int_text(w, sizeof w, offer, "walk_m") ? w : "?");
	}
	const char *reason = fmt_str(r, "reason");
	if (reason && *reason) {
		char *shown = table_clean(reason);
		printf("  %s\n", shown);
		free(shown);
	}
	if (state && strcmp(state, "offered") == 0) {
		char until[32];
		printf("  held until %s: confirm with `jintong ride confirm %s`\n",
		       hhmm(until, sizeof until, r, "offer_expires"), id);
	}
	json_object *alts = fmt_member(r, "alternatives");
	size_t n = alts && json_object_is_type(alts, json_type_array) ? json_object_array_length(alts) : 0;
	if (n) {
		printf("\nThe next trips that would carry this rider:\n");
		static const char *const headers[] = { "TRIP", "LINE", "BOARD AT", "DEPARTS", "ALIGHT AT", "ARRIVES",
						       "FREE" };
		struct table *t = table_new(7, headers, NULL);
		for (size_t i = 0; i < n; i++) {
			json_object *a = json_object_array_get_idx(alts, i);
			char d[32], e[32], f[16];
			const char *row[] = { fmt_str(a, "trip"), fmt_str(a, "line"), fmt_str(a, "pickup_stop"),
					      hhmm(d, sizeof d, a, "pickup_from"), fmt_str(a, "dropoff_stop"),
					      hhmm(e, sizeof e, a, "dropoff_at"),
					      fmt_int_text(f, sizeof f, a, "free_seats") };
			table_add(t, row);
		}
		table_print(t, stdout, 2);
		table_free(t);
	}
}

static int reply_and_print(const struct cmd_ctx *ctx, int rc, json_object *reply)
{
	if (rc != CLI_OK)
		return rc;
	if (ctx->json)
		cmd_print_json(reply);
	else
		print_ride(reply);
	json_object_put(reply);
	return CLI_OK;
}

static int ride_book(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *rider = args->argv[0], *from = cmd_opt(args, "from"), *to = cmd_opt(args, "to");
	const char *after = cmd_opt(args, "leave-after"), *by = cmd_opt(args, "arrive-by");
	if (!check_device_id(rider))
		return cmd_usage_error(args, "RIDER is the rider's id (a phone number, a card number): 1 to 64 "
				       "printable characters without spaces");
	if (!from || !to)
		return cmd_usage_error(args, "`jintong ride book` needs --from and --to; %s", PLACE_RULE);
	if (after && by)
		return cmd_usage_error(args, "give --leave-after or --arrive-by, not both");
	json_object *body = json_object_new_object(), *f = place(from), *t = place(to);
	json_object_object_add(body, "rider", json_object_new_string(rider));
	if (!f || !t) {
		json_object_put(f);
		json_object_put(t);
		json_object_put(body);
		return cmd_usage_error(args, "\"%s\" is not a place; %s", !f ? from : to, PLACE_RULE);
	}
	json_object_object_add(body, "from", f);
	json_object_object_add(body, "to", t);
	if (after || by)
		json_object_object_add(body, after ? "leave_after" : "arrive_by", json_object_new_string(after ? after : by));
	int rc = take_int(args, "passengers", "passengers", 0, 20, body);
	if (rc == CLI_OK)
		rc = take_int(args, "parcels", "parcels_l", 0, 2000, body);
	if (rc != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	if (cmd_opt(args, "wheelchair"))
		json_object_object_add(body, "wheelchair", json_object_new_boolean(true));
	if (cmd_opt(args, "confirm"))
		json_object_object_add(body, "confirm", json_object_new_boolean(true));
	if (cmd_opt(args, "ref"))
		json_object_object_add(body, "client_ref", json_object_new_string(cmd_opt(args, "ref")));
	struct client_hints hints = { .not_found = "", .conflict = "" };
	json_object *reply;
	rc = client_post(ctx->client, "/v1/rides", body, &hints, &reply);
	json_object_put(body);
	return reply_and_print(ctx, rc, reply);
}

static int check_ride_id(const struct cmd_args *args, const char *id)
{
	size_t n = strspn(id, "0123456789");
	if (n == 0 || n > 18 || id[n])
		return cmd_usage_error(args, "\"%s\" is not a ride id; ride ids are numbers, as `jintong ride "
				       "list` shows them", id);
	return CLI_OK;
}

static int ride_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int rc = check_ride_id(args, args->argv[0]);
	if (rc != CLI_OK)
		return rc;
	char *path = xasprintf("/v1/rides/%s", args->argv[0]);
	struct client_hints hints = { .not_found = "see the open rides with `jintong ride list`" };
	json_object *reply;
	rc = client_get(ctx->client, path, &hints, &reply);
	free(path);
	return reply_and_print(ctx, rc, reply);
}

static int ride_change(const struct cmd_ctx *ctx, const struct cmd_args *args, const char *action)
{
	int rc = check_ride_id(args, args->argv[0]);
	if (rc != CLI_OK)
		return rc;
	char *path = xasprintf("/v1/rides/%s/%s", args->argv[0], action);
	struct client_hints hints = { .not_found = "see the open rides with `jintong ride list`",
				      .conflict = "see where the ride stands with `jintong ride show ID`" };
	json_object *reply;
	rc = client_post(ctx->client, path, NULL, &hints, &reply);
	free(path);
	return reply_and_print(ctx, rc, reply);
}

static int ride_confirm(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return ride_change(ctx, args, "confirm");
}

static int ride_cancel(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return ride_change(ctx, args, "cancel");
}

static int ride_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *rider = cmd_opt(args, "rider");
	if (rider && !check_device_id(rider))
		return cmd_usage_error(args, "--rider takes a rider id: 1 to 64 printable characters without spaces");
	char *esc = rider ? client_escape(ctx->client, rider) : NULL;
	char *path = xasprintf("/v1/rides%s%s", esc ? "?rider=" : "", esc ? esc : "");
	free(esc);
	json_object *reply, *list;
	int rc = cmd_get_list(ctx, path, "rides", &reply, &list);
	free(path);
	if (rc != CLI_OK || !list)
		return rc;
	size_t n = json_object_array_length(list);
	if (n == 0) {
		printf("No open rides%s.\n", rider ? " for this rider" : "");
		json_object_put(reply);
		return CLI_OK;
	}
	static const char *const headers[] = { "ID", "RIDER", "STATE", "TRIP", "BOARD AT", "DEPARTS", "ALIGHT AT",
					       "PAX" };
	struct table *t = table_new(8, headers, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(list, i), *o = fmt_member(r, "offer");
		char dep[32], pax[16];
		const char *row[] = { fmt_str(r, "id"),
				      fmt_str(r, "rider"),
				      fmt_str(r, "state"),
				      o ? (fmt_str(o, "trip") ? fmt_str(o, "trip") : fmt_str(o, "vehicle")) : "-",
				      o ? fmt_str(o, "pickup_stop") : "-",
				      o ? hhmm(dep, sizeof dep, o, "pickup_from") : "-",
				      o ? fmt_str(o, "dropoff_stop") : "-",
				      fmt_int_text(pax, sizeof pax, r, "passengers") };
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option book_options[] = {
	{ "from", "PLACE", "where the rider starts: stop:CODE, village:CODE or LAT,LON (required)" },
	{ "to", "PLACE", "where the rider goes, likewise (required)" },
	{ "leave-after", "TIME", "earliest departure, e.g. 2026-11-24T07:30 (county time); default now" },
	{ "arrive-by", "TIME", "latest arrival instead" },
	{ "passengers", "N", "people travelling together, 0 to 20 (default 1; 0 for a parcel alone)" },
	{ "parcels", "LITRES", "parcels or goods to carry, 0 to 2000 litres" },
	{ "wheelchair", NULL, "a rider in a wheelchair" },
	{ "confirm", NULL, "take the offer at once" },
	{ "ref", "KEY", "your key for this booking: booking again with it answers the same ride" },
	{ 0 },
};

static const struct cmd_option list_options[] = {
	{ "rider", "RIDER", "only this rider's rides" },
	{ 0 },
};

static const struct cmd_entry ride_entries[] = {
	{
		.group = "ride",
		.name = "book",
		.usage = "RIDER --from PLACE --to PLACE [--leave-after TIME | --arrive-by TIME]\n"
			 "\t[--passengers N] [--parcels LITRES] [--wheelchair] [--confirm] [--ref KEY]",
		.help = "book a ride: a seat on a timetabled trip, or the reason there is none and the next buses",
		.detail = "The daemon offers a seat on a scheduled, student or market-day trip that runs\n"
			  "that day, calls within walking distance of both places at a useful time and\n"
			  "has a seat free all the way. The seat is held for a few minutes: confirm it\n"
			  "with `jintong ride confirm ID`, or book with --confirm. When nothing fits the\n"
			  "ride is refused and the next trips that would carry the rider are listed.",
		.options = book_options,
		.min_args = 1,
		.max_args = 1,
		.exec = ride_book,
	},
	{
		.group = "ride",
		.name = "show",
		.usage = "ID",
		.help = "show a ride: its state, its trip, where and when to board",
		.min_args = 1,
		.max_args = 1,
		.exec = ride_show,
	},
	{
		.group = "ride",
		.name = "list",
		.usage = "[--rider RIDER]",
		.help = "list the open rides (offered, confirmed, on board)",
		.options = list_options,
		.min_args = 0,
		.max_args = 0,
		.exec = ride_list,
	},
	{
		.group = "ride",
		.name = "confirm",
		.usage = "ID",
		.help = "take an offered seat before the offer expires",
		.min_args = 1,
		.max_args = 1,
		.exec = ride_confirm,
	},
	{
		.group = "ride",
		.name = "cancel",
		.usage = "ID",
		.help = "cancel a ride and give its seat back",
		.min_args = 1,
		.max_args = 1,
		.exec = ride_cancel,
	},
	{ 0 },
};

const struct cmd_group cmd_ride_group = {
	.name = "ride",
	.help = "villagers' rides: book, show, list, confirm, cancel",
	.entries = ride_entries,
};
