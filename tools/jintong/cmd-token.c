/*
 * cmd-token.c — `jintong token ...` and `jintong client ...`: the credentials
 * of the dispatch centre's staff (operator tokens, each with a role) and of
 * booking fronts (a village committee's kiosk, a mini-program's backend).
 * A new secret is printed once; the daemon keeps only its hash. Both are for
 * admins.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NAME_RULE "a name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"

static bool name_ok(const char *s)
{
	regex_t re;
	if (regcomp(&re, "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static int credential_name_arg(const struct cmd_args *args, const char *name)
{
	if (name_ok(name))
		return CLI_OK;
	char *shown = table_clean(name);
	int rc = cmd_usage_error(args, "\"%s\" is not a name; %s", shown, NAME_RULE);
	free(shown);
	return rc;
}

static int add(const struct cmd_ctx *ctx, const struct cmd_args *args, bool clients)
{
	const char *name = args->argv[0];
	const char *role = clients ? NULL : cmd_opt(args, "role");
	int rc = credential_name_arg(args, name);
	if (rc != CLI_OK)
		return rc;
	if (!clients && !role)
		return cmd_usage_error(args, "`jintong token add` needs --role: read_only, dispatcher or admin");
	if (role && strcmp(role, "read_only") != 0 && strcmp(role, "dispatcher") != 0 &&
	    strcmp(role, "admin") != 0)
		return cmd_usage_error(args, "the role is read_only, dispatcher or admin");
	json_object *body = json_object_new_object();
	json_object_object_add(body, "name", json_object_new_string(name));
	if (role)
		json_object_object_add(body, "role", json_object_new_string(role));
	struct client_hints hints = {
		.conflict = clients ? "names are never reused: choose another (see `jintong client list`)"
				    : "names are never reused: choose another (see `jintong token list`)",
	};
	json_object *reply;
	rc = client_post(ctx->client, clients ? "/v1/admin/clients" : "/v1/admin/tokens", body, &hints,
			 &reply);
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
		cli_error("%s was made but the daemon sent no token; revoke it and make another", name);
		json_object_put(reply);
		return CLI_FAIL;
	}
	char *shown = table_clean(token);
	if (clients)
		printf("Added booking client %s.\n\n", name);
	else
		printf("Added operator token %s (%s).\n\n", name, role);
	printf("  token: %s\n\n", shown);
	printf("Hand it over now: it cannot be shown again.\n");
	free(shown);
	json_object_put(reply);
	return CLI_OK;
}

static int list(const struct cmd_ctx *ctx, bool clients)
{
	json_object *reply, *items;
	int rc = cmd_get_list(ctx, clients ? "/v1/admin/clients" : "/v1/admin/tokens",
			      clients ? "clients" : "tokens", &reply, &items);
	if (rc != CLI_OK || !items)
		return rc;
	size_t n = json_object_array_length(items);
	if (n == 0) {
		printf(clients ? "No booking clients yet; add one with `jintong client add NAME`.\n"
			       : "No operator tokens yet; add one with `jintong token add NAME --role ROLE`.\n");
		json_object_put(reply);
		return CLI_OK;
	}
	static const char *const token_headers[] = { "NAME", "ROLE", "CREATED", "REVOKED" };
	static const char *const client_headers[] = { "NAME", "CREATED", "REVOKED" };
	struct table *t = clients ? table_new(3, client_headers, NULL) : table_new(4, token_headers, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(items, i);
		char created[32], revoked[32];
		const char *c = fmt_time_member(created, sizeof created, o, "created_at");
		const char *r = fmt_time_member(revoked, sizeof revoked, o, "revoked_at");
		const char *row4[] = { fmt_str(o, "name"), fmt_str(o, "role"), c, r };
		const char *row3[] = { fmt_str(o, "name"), c, r };
		table_add(t, clients ? row3 : row4);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

static int revoke(const struct cmd_ctx *ctx, const struct cmd_args *args, bool clients)
{
	const char *name = args->argv[0];
	int rc = credential_name_arg(args, name);
	if (rc != CLI_OK)
		return rc;
	json_object *reply;
	char *at;
	rc = cmd_revoke(ctx, clients ? "clients" : "tokens", name,
			clients ? "see the names with `jintong client list`" : "see the names with `jintong token list`",
			&reply, &at);
	if (rc != CLI_OK || !reply)
		return rc;
	printf("Revoked %s %s at %s; its token no longer works.\n", clients ? "booking client" : "operator token",
	       name, at);
	free(at);
	json_object_put(reply);
	return CLI_OK;
}

static int token_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return add(ctx, args, false);
}

static int token_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return list(ctx, false);
}

static int token_revoke(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return revoke(ctx, args, false);
}

static int client_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return add(ctx, args, true);
}

static int client_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return list(ctx, true);
}

static int client_revoke(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return revoke(ctx, args, true);
}

static const struct cmd_option token_add_options[] = {
	{ "role", "ROLE", "read_only, dispatcher or admin (required)" },
	{ 0 },
};

static const struct cmd_entry token_entries[] = {
	{
		.group = "token",
		.name = "add",
		.usage = "NAME --role ROLE",
		.help = "make an operator token with a role and print it, once",
		.detail = "read_only reads what operators read; dispatcher also books and changes\n"
			  "rides, adds vehicles and tablets, and runs shifts and rosters; admin does\n"
			  "everything, making tokens included.",
		.options = token_add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = token_add,
	},
	{
		.group = "token",
		.name = "list",
		.usage = "",
		.help = "list the operator tokens, their roles and whether they are revoked",
		.min_args = 0,
		.max_args = 0,
		.exec = token_list,
	},
	{
		.group = "token",
		.name = "revoke",
		.usage = "NAME",
		.help = "stop accepting an operator token",
		.min_args = 1,
		.max_args = 1,
		.exec = token_revoke,
	},
	{ 0 },
};

const struct cmd_group cmd_token_group = {
	.name = "token",
	.help = "operator tokens and their roles (admins only)",
	.entries = token_entries,
};

static const struct cmd_entry client_entries[] = {
	{
		.group = "client",
		.name = "add",
		.usage = "NAME",
		.help = "make a booking client's token and print it, once",
		.detail = "A booking client (a village committee's kiosk, a mini-program's backend)\n"
			  "books rides and sees, confirms and cancels only the rides it booked.",
		.min_args = 1,
		.max_args = 1,
		.exec = client_add,
	},
	{
		.group = "client",
		.name = "list",
		.usage = "",
		.help = "list the booking clients and whether they are revoked",
		.min_args = 0,
		.max_args = 0,
		.exec = client_list,
	},
	{
		.group = "client",
		.name = "revoke",
		.usage = "NAME",
		.help = "stop accepting a booking client's token",
		.min_args = 1,
		.max_args = 1,
		.exec = client_revoke,
	},
	{ 0 },
};

const struct cmd_group cmd_client_group = {
	.name = "client",
	.help = "booking clients: kiosks and mini-program backends (admins only)",
	.entries = client_entries,
};
