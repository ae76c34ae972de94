/*
 * cmd-audit.c — `jintong audit`: the latest changes to the route network,
 * newest first: when, by which dispatch-centre operator (the name their
 * token was made for), what was done and to what.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

#define LIMIT_MAX 1000

static int audit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *limit = cmd_opt(args, "limit");
	long n = 0;
	if (limit && !check_whole(limit, 1, LIMIT_MAX, &n)) {
		char *shown = table_clean(limit);
		int rc = cmd_usage_error(args, "--limit must be a whole number from 1 to %d, not "
				       "\"%s\"; e.g. --limit 200",
				       LIMIT_MAX, shown);
		free(shown);
		return rc;
	}
	char *path = limit ? xasprintf("/v1/admin/audit?limit=%ld", n)
			   : xasprintf("/v1/admin/audit");
	json_object *reply, *list;
	int rc = cmd_get_list(ctx, path, "audit", &reply, &list);
	free(path);
	if (rc != CLI_OK || !list)
		return rc;
	size_t count = json_object_array_length(list);
	if (count == 0) {
		printf("No changes recorded yet.\n");
		json_object_put(reply);
		return CLI_OK;
	}
	static const char *const headers[] = { "AT", "OPERATOR", "ACTION", "ENTITY", "KEY" };
	struct table *t = table_new(5, headers, NULL);
	for (size_t i = 0; i < count; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		const char *at = fmt_str(e, "at");
		char when[32];
		jt_ms ms;
		if (at && fmt_parse_time(at, &ms)) {
			fmt_local_seconds(when, sizeof when, ms);
			at = when;
		}
		const char *row[] = {
			at,
			fmt_str(e, "operator"),
			fmt_str(e, "action"),
			fmt_str(e, "entity"),
			fmt_str(e, "key"),
		};
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option audit_options[] = {
	{ "limit", "N", "show the latest N changes, 1 to 1000 (default: 50)" },
	{ 0 },
};

static const struct cmd_entry audit_entries[] = {
	{
		.group = "audit",
		.name = "",
		.usage = "[--limit N]",
		.help = "show the latest changes to the route network, newest first",
		.detail = "Each change with its time (local, to the second), the operator whose\n"
			  "token made it, the action (add, edit, remove), the kind of record and\n"
			  "its code. --json gives each change's details as well.",
		.options = audit_options,
		.exec = audit,
	},
	{ 0 },
};

const struct cmd_group cmd_audit_group = {
	.name = "audit",
	.help = "who changed the route network, and when",
	.entries = audit_entries,
};
