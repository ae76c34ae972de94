/*
 * cmd-coverage.c — `jintong coverage`: the county's yardstick "the village
 * has a bus". For every village, the distance from its committee to the
 * nearest stop a line serves today, whether that is within the limit (2 km
 * by the national rule of thumb), and the sums by town and by company.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_tally(json_object *tally, const char *what)
{
	const char *h[] = { what, "VILLAGES", "WITHIN", "SHARE" };
	struct table *t = table_new(4, h, NULL);
	json_object_object_foreach(tally, key, v)
	{
		long n = json_object_get_int(json_object_object_get(v, "villages"));
		long k = json_object_get_int(json_object_object_get(v, "within_limit"));
		char ns[16], ks[16], share[16];
		snprintf(ns, sizeof ns, "%ld", n);
		snprintf(ks, sizeof ks, "%ld", k);
		snprintf(share, sizeof share, "%.0f%%", n ? 100.0 * (double)k / (double)n : 0.0);
		const char *row[] = { key, ns, ks, share };
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
}

static int coverage(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *limit = cmd_opt(args, "limit");
	long metres = 2000;
	if (limit && !check_whole(limit, 100, 50000, &metres)) {
		char *shown = table_clean(limit);
		int rc = cmd_usage_error(args, "--limit is in metres, 100 to 50000, not \"%s\"; e.g. "
					       "--limit 3000",
					 shown);
		free(shown);
		return rc;
	}
	char *path = xasprintf("/v1/admin/coverage?limit_m=%ld", metres);
	json_object *reply, *list;
	int rc = cmd_get_list(ctx, path, "villages", &reply, &list);
	free(path);
	if (rc != CLI_OK || !list)
		return rc;
	static const char *const headers[] = { "VILLAGE", "NAME", "TOWN", "NEAREST STOP", "DISTANCE",
					       "LINES", "WITHIN" };
	struct table *t = table_new(7, headers, NULL);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *v = json_object_array_get_idx(list, i);
		json_object *d = json_object_object_get(v, "distance_m");
		json_object *lines = json_object_object_get(v, "lines");
		char dist[32] = "-", names[160] = "";
		if (d)
			snprintf(dist, sizeof dist, "%.1f km", json_object_get_double(d) / 1000.0);
		for (size_t k = 0; lines && k < json_object_array_length(lines); k++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? "," : "",
				 json_object_get_string(json_object_array_get_idx(lines, k)));
		const char *stop = fmt_str(v, "nearest_stop");
		const char *row[] = {
			fmt_str(v, "village"),
			fmt_str(v, "name"),
			fmt_str(v, "town"),
			stop ? stop : "none served",
			dist,
			names,
			json_object_get_boolean(json_object_object_get(v, "within_limit")) ? "yes" : "NO",
		};
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object *s = json_object_object_get(reply, "summary");
	long n = json_object_get_int(json_object_object_get(s, "villages"));
	long k = json_object_get_int(json_object_object_get(s, "within_limit"));
	printf("\n%ld of %ld villages (%.0f%%) have a served stop within %.1f km.\n\n", k, n,
	       n ? 100.0 * (double)k / (double)n : 0.0, (double)metres / 1000.0);
	print_tally(json_object_object_get(reply, "by_town"), "TOWN");
	printf("\nVillages within %.1f km of a stop each company serves:\n", (double)metres / 1000.0);
	json_object *ops = json_object_object_get(reply, "by_operator");
	json_object_object_foreach(ops, op, count)
	{
		printf("  %-12s %d\n", op, json_object_get_int(count));
	}
	json_object_put(reply);
	return CLI_OK;
}

static const struct cmd_option coverage_options[] = {
	{ "limit", "METRES", "the distance that counts as served, 100 to 50000 (default: 2000)" },
	{ 0 },
};

static const struct cmd_entry coverage_entries[] = {
	{
		.group = "coverage",
		.name = "",
		.usage = "[--limit METRES]",
		.help = "how far each village's committee is from a stop a line serves today",
		.detail = "A stop counts when it is on the route version of a line in effect today.\n"
			  "Villages beyond the limit (2 km, the national rule of thumb for \"the\n"
			  "village has a bus\") are marked NO; sums follow by town and by company.",
		.options = coverage_options,
		.exec = coverage,
	},
	{ 0 },
};

const struct cmd_group cmd_coverage_group = {
	.name = "coverage",
	.help = "the 2 km yardstick: villages and their nearest served stop",
	.entries = coverage_entries,
};
