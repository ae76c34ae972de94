/*
 * cmd-device.c — `jintong device ...`: the tablets that report positions for
 * a vehicle. Pairing one gives it a secret token, shown to the operator once
 * to type or scan into the tablet; the daemon keeps only its hash. Revoking
 * makes the token useless, for a lost or replaced tablet.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdlib.h>

#define DEVICE_RULE \
	"a device id is 1 to 64 printable ASCII characters without spaces, e.g. tab-17 or an IMEI"

static int check_device_arg(const struct cmd_args *args, const char *id)
{
	if (check_device_id(id))
		return CLI_OK;
	char *shown = table_clean(id);
	int rc = cmd_usage_error(args, "\"%s\" is not a device id; %s", shown, DEVICE_RULE);
	free(shown);
	return rc;
}

static int device_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *id = args->argv[0], *vehicle = cmd_opt(args, "vehicle");
	int rc = check_device_arg(args, id);
	if (rc != CLI_OK)
		return rc;
	if (!vehicle)
		return cmd_usage_error(args, "`jintong device add` needs --vehicle CODE, the vehicle "
				       "the tablet rides in; see the codes with `jintong vehicle list`");
	if (!check_code(vehicle)) {
		char *shown = table_clean(vehicle);
		rc = cmd_usage_error(args, "\"%s\" is not a vehicle code; see the codes with "
				     "`jintong vehicle list`",
				     shown);
		free(shown);
		return rc;
	}

	json_object *body = json_object_new_object();
	json_object_object_add(body, "device_id", json_object_new_string(id));
	json_object_object_add(body, "vehicle", json_object_new_string(vehicle));
	char *not_found = xasprintf("see the vehicles with `jintong vehicle list`, or add it with "
				    "`jintong vehicle add %s`",
				    vehicle);
	struct client_hints hints = {
		.not_found = not_found,
		.conflict = "device ids are never reused, not even after a revoke: choose another "
			    "(see `jintong device list`)",
	};
	json_object *reply;
	rc = client_post(ctx->client, "/v1/admin/devices", body, &hints, &reply);
	free(not_found);
	json_object_put(body);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(reply);
		json_object_put(reply);
		return CLI_OK;
	}
	const char *token = fmt_str(reply, "token");
	if (!token || !*token) {
		cli_error("device %s was paired but the daemon sent no token; revoke it with `jintong "
			  "device revoke %s` and pair the tablet again under another id",
			  id, id);
		json_object_put(reply);
		return CLI_FAIL;
	}
	char *shown = table_clean(token);
	printf("Paired device %s with vehicle %s.\n\n", id, vehicle);
	printf("  token: %s\n\n", shown);
	printf("Enter this token in the tablet now: it cannot be shown again.\n"
	       "If it is lost, revoke the device and pair the tablet under a new id.\n");
	free(shown);
	json_object_put(reply);
	return CLI_OK;
}

static int device_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	json_object *reply, *list;
	int rc = cmd_get_list(ctx, "/v1/admin/devices", "devices", &reply, &list);
	if (rc != CLI_OK || !list)
		return rc;
	size_t n = json_object_array_length(list);
	if (n == 0) {
		printf("No devices yet; pair a tablet with `jintong device add DEVICE_ID --vehicle "
		       "CODE`.\n");
		json_object_put(reply);
		return CLI_OK;
	}
	static const char *const headers[] = { "DEVICE", "VEHICLE", "CREATED", "REVOKED" };
	struct table *t = table_new(4, headers, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(list, i);
		char created[32], revoked[32];
		const char *row[] = {
			fmt_str(d, "device_id"),
			fmt_str(d, "vehicle"),
			fmt_time_member(created, sizeof created, d, "created_at"),
			fmt_time_member(revoked, sizeof revoked, d, "revoked_at"),
		};
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

static int device_revoke(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *id = args->argv[0];
	int rc = check_device_arg(args, id);
	if (rc != CLI_OK)
		return rc;
	json_object *reply;
	char *at;
	rc = cmd_revoke(ctx, "devices", id, "see the device ids with `jintong device list`", &reply, &at);
	if (rc != CLI_OK || !reply)
		return rc;
	char *vehicle = table_clean(fmt_str(reply, "vehicle"));
	printf("Revoked device %s (vehicle %s) at %s; its token no longer works.\n", id,
	       *vehicle ? vehicle : "-", at);
	free(at);
	free(vehicle);
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option add_options[] = {
	{ "vehicle", "CODE", "the vehicle the tablet rides in (required)" },
	{ 0 },
};

static const struct cmd_entry device_entries[] = {
	{
		.group = "device",
		.name = "add",
		.usage = "DEVICE_ID --vehicle CODE",
		.help = "pair a tablet with a vehicle and print its token, once",
		.detail = "DEVICE_ID is what the tablet calls itself: 1 to 64 printable ASCII\n"
			  "characters without spaces (tab-17, an IMEI). Tracking apps that send\n"
			  "only an id (OsmAnd) need nothing else; the Jintong app also needs the\n"
			  "token printed here, which the daemon does not keep and cannot show again.",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = device_add,
	},
	{
		.group = "device",
		.name = "list",
		.usage = "",
		.help = "list the tablets, their vehicles and whether they are revoked",
		.min_args = 0,
		.max_args = 0,
		.exec = device_list,
	},
	{
		.group = "device",
		.name = "revoke",
		.usage = "DEVICE_ID",
		.help = "stop accepting positions from a lost or replaced tablet",
		.min_args = 1,
		.max_args = 1,
		.exec = device_revoke,
	},
	{ 0 },
};

const struct cmd_group cmd_device_group = {
	.name = "device",
	.help = "driver tablets: pairing with a vehicle, tokens, revoking",
	.entries = device_entries,
};
