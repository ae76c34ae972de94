/*
 * coll.c — list, show, add, edit and remove for the route network's
 * registers, and the checks their options share; see coll.h.
 */
#include "coll.h"

#include "check.h"
#include "client.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_RULE \
	"a code is 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit"
#define AT_EXAMPLE "--at 30.10250,104.20310"

void coll_field(const char *key, const char *value)
{
	char *v = table_clean(value && *value ? value : "-");
	char label[24];
	snprintf(label, sizeof label, "%s:", key);
	printf("%-10s %s\n", label, v);
	free(v);
}

const char *coll_str(json_object *rec, const char *key)
{
	const char *s = fmt_str(rec, key);
	return s && *s ? s : NULL;
}

const char *coll_position(char *buf, size_t size, json_object *rec)
{
	double lat, lon;
	if (!fmt_num(rec, "lat", &lat) || !fmt_num(rec, "lon", &lon))
		return NULL;
	fmt_position(buf, size, lat, lon);
	return buf;
}

int coll_check_code(const struct cmd_args *args, const struct coll *c, const char *code)
{
	if (check_code(code))
		return CLI_OK;
	char *shown = table_clean(code);
	int rc = cmd_usage_error(args, "\"%s\" is not a %s code; %s, e.g. %s", shown, c->entity,
				 CODE_RULE, c->example);
	free(shown);
	return rc;
}

/* The placeholder of the running command's option ("NAME" for --name). */
static const char *placeholder(const struct cmd_args *args, const char *opt)
{
	const struct cmd_option *o = args->entry->options;
	for (int i = 0; o && o[i].name; i++)
		if (strcmp(o[i].name, opt) == 0)
			return o[i].value ? o[i].value : "";
	return "";
}

int coll_require(const struct cmd_args *args, const char *const *opts)
{
	for (size_t i = 0; opts[i]; i++) {
		if (cmd_opt(args, opts[i]))
			continue;
		return cmd_usage_error(args, "`jintong %s %s` needs --%s %s; give it as in the "
				       "usage below",
				       args->entry->group, args->entry->name, opts[i],
				       placeholder(args, opts[i]));
	}
	return CLI_OK;
}

int coll_take_text(const struct cmd_args *args, const char *opt, const char *key,
		   json_object *body)
{
	const char *s = cmd_opt(args, opt);
	if (!s)
		return CLI_OK;
	const char *problem = check_name_problem(s);
	if (problem)
		return cmd_usage_error(args, "--%s %s; give 1 to %d bytes of text (about 40 Chinese "
				       "characters), e.g. --%s '石桥镇'",
				       opt, problem, CHECK_NAME_MAX, opt);
	json_object_object_add(body, key, json_object_new_string(s));
	return CLI_OK;
}

/* A degree value as JSON: the shortest digits that read back the same, not 30.100000000000001. */
static json_object *degrees(double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.15g", v);
	return json_object_new_double_s(v, buf);
}

int coll_take_at(const struct cmd_args *args, json_object *body)
{
	const char *s = cmd_opt(args, "at");
	if (!s)
		return CLI_OK;
	struct check_lat_lon p;
	char *shown = table_clean(s);
	int rc = CLI_USAGE;
	switch (check_lat_lon(s, &p)) {
	case CHECK_AT_OK:
		json_object_object_add(body, "lat", degrees(p.lat));
		json_object_object_add(body, "lon", degrees(p.lon));
		rc = CLI_OK;
		break;
	case CHECK_AT_SYNTAX:
		cmd_usage_error(args, "--at must be LAT,LON in decimal degrees, latitude first, not "
			       "\"%s\"; e.g. " AT_EXAMPLE,
			       shown);
		break;
	case CHECK_AT_LAT_RANGE:
		cmd_usage_error(args, "the latitude in --at %s is outside -90..90; give LAT,LON in "
			       "decimal degrees, e.g. " AT_EXAMPLE,
			       shown);
		break;
	case CHECK_AT_LON_RANGE:
		cmd_usage_error(args, "the longitude in --at %s is outside -180..180; give LAT,LON in "
			       "decimal degrees, e.g. " AT_EXAMPLE,
			       shown);
		break;
	case CHECK_AT_SWAPPED:
		cmd_usage_error(args, "the latitude in --at %s is outside -90..90; the latitude comes "
			       "first: did you mean --at %.*s,%.*s?",
			       shown, p.lon_len, p.lon_text, p.lat_len, p.lat_text);
		break;
	case CHECK_AT_NULL_ISLAND:
		cmd_usage_error(args, "--at 0,0 is what a tablet without a fix reports, not a place "
			       "in the county; give the real position, e.g. " AT_EXAMPLE);
		break;
	}
	free(shown);
	return rc;
}

int coll_take_kind(const struct cmd_args *args, const char *const *kinds, json_object *body)
{
	const char *s = cmd_opt(args, "kind");
	if (!s)
		return CLI_OK;
	if (check_word(s, kinds)) {
		if (body)
			json_object_object_add(body, "kind", json_object_new_string(s));
		return CLI_OK;
	}
	char list[256];
	size_t o = 0;
	list[0] = '\0';
	for (size_t i = 0; kinds[i] && o < sizeof list; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", kinds[i]);
	char *shown = table_clean(s);
	int rc = cmd_usage_error(args, "--kind must be one of %s, not \"%s\"; e.g. --kind %s", list,
				 shown, kinds[0]);
	free(shown);
	return rc;
}

int coll_take_ref(const struct cmd_args *args, const char *opt, const struct coll *ref,
		  const char *key, json_object *body)
{
	const char *s = cmd_opt(args, opt);
	if (!s)
		return CLI_OK;
	if (!check_code(s)) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--%s must be a %s code, not \"%s\"; see the codes "
				       "with `jintong %s list`",
				       opt, ref->entity, shown, ref->entity);
		free(shown);
		return rc;
	}
	if (body)
		json_object_object_add(body, key, json_object_new_string(s));
	return CLI_OK;
}

int coll_bad_date(const struct cmd_args *args, const char *opt, const char *value)
{
	char *shown = table_clean(value);
	int rc = cmd_usage_error(args, "--%s must be a date as YYYY-MM-DD, a real one, not \"%s\"; "
			       "e.g. --%s 2026-12-01",
			       opt, shown, opt);
	free(shown);
	return rc;
}

int coll_take_date(const struct cmd_args *args, const char *opt, const char *key,
		   json_object *body, jt_day *day)
{
	const char *s = cmd_opt(args, opt);
	jt_day d;
	if (!s)
		return CLI_OK;
	if (!check_date(s, &d))
		return coll_bad_date(args, opt, s);
	if (day)
		*day = d;
	if (body)
		json_object_object_add(body, key, json_object_new_string(s));
	return CLI_OK;
}

/* "/v1/admin/stops/S101", escaped. The caller frees it. */
static char *record_path(const struct cmd_ctx *ctx, const struct coll *c, const char *code)
{
	char *esc = client_escape(ctx->client, code);
	char *path = xasprintf("/v1/admin/%s/%s", c->path, esc);
	free(esc);
	return path;
}

/* The record as "key: value" lines. */
static void print_record(const struct coll *c, json_object *rec)
{
	coll_field("code", fmt_str(rec, "code"));
	if (!c->no_name)
		coll_field("name", fmt_str(rec, "name"));
	c->print(rec);
	/* the id of the feed it was imported from, when that is not its code */
	const char *gtfs_id = fmt_str(rec, "gtfs_id");
	if (gtfs_id && *gtfs_id)
		coll_field("gtfs id", gtfs_id);
}

/* "stop S101 (石桥小学)", cleaned. The caller frees it. */
static char *describe(const struct coll *c, json_object *rec, const char *code)
{
	const char *name = coll_str(rec, "name");
	char *shown = table_clean(name);
	char *s = name ? xasprintf("%s %s (%s)", c->entity, code, shown)
		       : xasprintf("%s %s", c->entity, code);
	free(shown);
	return s;
}

/* After a change: the reply as JSON, or "<done> stop S101 (name)." and the record. */
static void print_change(const struct cmd_ctx *ctx, const struct coll *c, json_object *reply,
			 const char *done, const char *code)
{
	if (ctx->json) {
		cmd_print_json(reply);
		return;
	}
	char *what = describe(c, reply, code);
	printf("%s %s.\n", done, what);
	free(what);
	print_record(c, reply);
}

int coll_add(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	     json_object *body)
{
	return coll_post(ctx, c, args->argv[0], body);
}

int coll_add_cmd(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
		 const char *const *needed, coll_take_fn take)
{
	const char *code = args->argv[0];
	int rc;
	if ((rc = coll_check_code(args, c, code)) != CLI_OK || (rc = coll_require(args, needed)) != CLI_OK)
		return rc;
	json_object *body = json_object_new_object();
	json_object_object_add(body, "code", json_object_new_string(code));
	if ((rc = take(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	return coll_add(ctx, args, c, body);
}

int coll_edit_cmd(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
		  coll_take_fn take)
{
	int rc;
	if ((rc = coll_check_code(args, c, args->argv[0])) != CLI_OK)
		return rc;
	json_object *body = json_object_new_object();
	if ((rc = take(args, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	return coll_edit(ctx, args, c, body);
}

int coll_post(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	      json_object *body)
{
	char *path = xasprintf("/v1/admin/%s", c->path);
	/* a code taken: the daemon says to edit that record instead */
	struct client_hints hints = { .conflict = "" };
	json_object *reply;
	int rc = client_post(ctx->client, path, body, &hints, &reply);
	free(path);
	json_object_put(body);
	if (rc != CLI_OK)
		return rc;
	print_change(ctx, c, reply, "Added", code);
	json_object_put(reply);
	return CLI_OK;
}

int coll_edit(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	      json_object *body)
{
	const char *code = args->argv[0];
	if (json_object_object_length(body) == 0) {
		char opts[256];
		size_t o = 0;
		opts[0] = '\0';
		const struct cmd_option *opt = args->entry->options;
		for (int i = 0; opt && opt[i].name && o < sizeof opts; i++)
			o += (size_t)snprintf(opts + o, sizeof opts - o, "%s--%s", i ? ", " : "",
					      opt[i].name);
		json_object_put(body);
		return cmd_usage_error(args, "nothing to change for %s %s; give at least one of %s",
				       c->entity, code, opts);
	}
	return coll_patch(ctx, c, code, body);
}

int coll_patch(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	       json_object *body)
{
	char *path = record_path(ctx, c, code);
	char *not_found = xasprintf("see the %s with `jintong %s list`", c->path, c->entity);
	char *conflict = xasprintf("see it with `jintong %s show %s`", c->entity, code);
	struct client_hints hints = { .not_found = not_found, .conflict = conflict };
	json_object *reply;
	int rc = client_patch(ctx->client, path, body, &hints, &reply);
	free(conflict);
	free(not_found);
	free(path);
	json_object_put(body);
	if (rc != CLI_OK)
		return rc;
	print_change(ctx, c, reply, "Changed", code);
	json_object_put(reply);
	return CLI_OK;
}

int coll_list(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c,
	      bool (*keep)(json_object *rec, const struct cmd_args *args))
{
	char *path = xasprintf("/v1/admin/%s", c->path);
	json_object *reply, *list;
	int rc = client_get(ctx->client, path, NULL, &reply);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (!(list = cmd_reply_list(reply, c->path))) {
		json_object_put(reply);
		return CLI_FAIL;
	}
	size_t n = json_object_array_length(list);
	if (keep) {
		json_object *kept = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			json_object *rec = json_object_array_get_idx(list, i);
			if (keep(rec, args))
				json_object_array_add(kept, json_object_get(rec));
		}
		json_object_object_add(reply, c->path, kept); /* in place: the order stays */
		list = kept;
		n = json_object_array_length(list);
	}
	if (ctx->json) {
		cmd_print_json(reply);
		json_object_put(reply);
		return CLI_OK;
	}
	if (n == 0) {
		if (keep)
			printf("No %s match; `jintong %s list` shows them all.\n", c->path, c->entity);
		else
			printf("No %s yet; add one with `%s`.\n", c->path, c->first);
		json_object_put(reply);
		return CLI_OK;
	}
	struct table *t = table_new(c->ncols, c->headers, NULL);
	for (size_t i = 0; i < n; i++) {
		const char *cells[COLL_MAX_COLS] = { 0 };
		char buf[64];
		c->row(json_object_array_get_idx(list, i), cells, buf, sizeof buf);
		table_add(t, cells);
	}
	table_print(t, stdout, 0);
	table_free(t);
	json_object_put(reply);
	return CLI_OK;
}

int coll_get(const struct cmd_ctx *ctx, const struct coll *c, const char *code,
	     json_object **reply)
{
	char *path = record_path(ctx, c, code);
	char *not_found = xasprintf("see the %s with `jintong %s list`", c->path, c->entity);
	struct client_hints hints = { .not_found = not_found };
	int rc = client_get(ctx->client, path, &hints, reply);
	free(not_found);
	free(path);
	return rc;
}

int coll_show(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c)
{
	const char *code = args->argv[0];
	int rc = coll_check_code(args, c, code);
	if (rc != CLI_OK)
		return rc;
	json_object *reply;
	if ((rc = coll_get(ctx, c, code, &reply)) != CLI_OK)
		return rc;
	if (ctx->json)
		cmd_print_json(reply);
	else
		print_record(c, reply);
	json_object_put(reply);
	return CLI_OK;
}

int coll_remove(const struct cmd_ctx *ctx, const struct cmd_args *args, const struct coll *c)
{
	const char *code = args->argv[0];
	int rc = coll_check_code(args, c, code);
	if (rc != CLI_OK)
		return rc;
	char *path = record_path(ctx, c, code);
	char *not_found = xasprintf("see the %s with `jintong %s list`", c->path, c->entity);
	/* a record in use: the daemon says by what and how to proceed */
	struct client_hints hints = { .not_found = not_found, .conflict = "" };
	json_object *reply;
	rc = client_delete(ctx->client, path, &hints, &reply);
	free(not_found);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(reply);
	} else {
		char *what = describe(c, fmt_member(reply, "removed"), code);
		printf("Removed %s.\n", what);
		free(what);
	}
	json_object_put(reply);
	return CLI_OK;
}
