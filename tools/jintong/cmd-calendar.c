/*
 * cmd-calendar.c — `jintong calendar ...`: on which dates trips run. A
 * weekly calendar runs on some days of the week between two dates; a market
 * calendar on a town's market days, the days of the month ending in some
 * digits, counted on the solar or the lunar calendar; a school calendar on
 * school days inside its terms. Dates added always run, dates removed never
 * do.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most days `calendar dates` asks for at once: the daemon's limit (five years). */
#define DATES_SPAN_MAX 1830
/* Days `calendar dates --from DATE` shows without --to. */
#define DATES_SPAN_DEFAULT 365

static const char *const kinds[] = { "weekly", "market", "school", "dates", NULL };

#define TERM_EXAMPLE "--term 2026-09-01..2027-01-20"
#define DAYS_RULE "days of the week like mon-fri, sat,sun, mon,wed,fri, weekdays, weekend or daily"

/* Text that grows: lists of dates may be thousands long. */
struct text {
	char *s;
	size_t len, cap;
};

static void text_add(struct text *t, const char *sep, const char *s)
{
	size_t n = strlen(sep) + strlen(s);
	t->s = xgrow(t->s, &t->cap, t->len + n + 1, 1);
	snprintf(t->s + t->len, n + 1, "%s%s", t->len ? sep : "", s);
	t->len += t->len ? n : strlen(s);
}

/* The weekdays of a record ("mon,tue,wed,thu,fri") as few words as say them ("mon-fri"). */
static const char *days_text(char *buf, size_t size, json_object *rec)
{
	const char *days = fmt_str(rec, "weekdays");
	uint8_t bits;
	if (!days || !check_weekdays(days, &bits))
		return days;
	check_weekdays_text(buf, size, bits);
	return buf;
}

/* "2026-12-01..2026-12-31", "from 2026-12-01", "until 2026-12-31", or "" when open. */
static const char *span_text(char *buf, size_t size, json_object *rec)
{
	const char *start = fmt_str(rec, "start"), *end = fmt_str(rec, "end");
	if (start && end)
		snprintf(buf, size, "%s..%s", start, end);
	else if (start)
		snprintf(buf, size, "from %s", start);
	else if (end)
		snprintf(buf, size, "until %s", end);
	else
		buf[0] = '\0';
	return buf;
}

static bool is_kind(json_object *rec, const char *kind)
{
	const char *k = fmt_str(rec, "kind");
	return k && strcmp(k, kind) == 0;
}

/* The calendar's rule in a few words: "mon-fri 2026-12-01..2026-12-31", "market 1,4,7 (lunar)". */
static const char *rule_text(char *buf, size_t size, json_object *rec)
{
	char days[48], span[32];
	const char *d = days_text(days, sizeof days, rec);
	span_text(span, sizeof span, rec);
	json_object *lunar = fmt_member(rec, "lunar");
	size_t terms = json_object_is_type(fmt_member(rec, "terms"), json_type_array)
			       ? json_object_array_length(fmt_member(rec, "terms"))
			       : 0;
	if (is_kind(rec, "weekly"))
		snprintf(buf, size, "%s%s%s", d ? d : "-", *span ? " " : "", span);
	else if (is_kind(rec, "market"))
		snprintf(buf, size, "market %s%s%s%s", fmt_str(rec, "digits") ? fmt_str(rec, "digits") : "-",
			 lunar && json_object_get_boolean(lunar) ? " (lunar)" : "", *span ? " " : "",
			 span);
	else if (is_kind(rec, "school"))
		snprintf(buf, size, "school, %zu term%s%s%s", terms, terms == 1 ? "" : "s",
			 d && strcmp(d, "mon-fri") != 0 ? ", " : "",
			 d && strcmp(d, "mon-fri") != 0 ? d : "");
	else if (is_kind(rec, "dates")) {
		json_object *added = fmt_member(rec, "added");
		size_t n = json_object_is_type(added, json_type_array) ? json_object_array_length(added) : 0;
		snprintf(buf, size, "%zu listed date%s", n, n == 1 ? "" : "s");
	} else
		return NULL;
	return buf;
}

static void calendar_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "kind");
	cells[2] = coll_str(rec, "name");
	cells[3] = rule_text(buf, size, rec);
}

/* A list of dates ("2026-12-05, 2026-12-07"), or of terms ("2026-09-01..2027-01-20, ..."). */
static void dates_field(const char *key, json_object *rec)
{
	json_object *a = fmt_member(rec, key);
	size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	struct text t = { 0 };
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		char term[32];
		if (json_object_is_type(v, json_type_array)) {
			const char *first = json_object_get_string(json_object_array_get_idx(v, 0));
			const char *last = json_object_get_string(json_object_array_get_idx(v, 1));
			snprintf(term, sizeof term, "%s..%s", first ? first : "?", last ? last : "?");
			text_add(&t, ", ", term);
		} else {
			text_add(&t, ", ", json_object_get_string(v));
		}
	}
	coll_field(key, n ? t.s : "none");
	free(t.s);
}

static void calendar_print(json_object *rec)
{
	char buf[96];
	coll_field("kind", fmt_str(rec, "kind"));
	coll_field("rule", rule_text(buf, sizeof buf, rec));
	bool market = is_kind(rec, "market");
	if (market || fmt_str(rec, "town"))
		coll_field("town", fmt_str(rec, "town"));
	if (market) {
		coll_field("digits", fmt_str(rec, "digits"));
		json_object *lunar = fmt_member(rec, "lunar");
		coll_field("lunar", lunar && json_object_get_boolean(lunar) ? "yes" : "no");
	} else {
		coll_field("days", days_text(buf, sizeof buf, rec));
	}
	if (fmt_str(rec, "start") || fmt_str(rec, "end") || is_kind(rec, "weekly")) {
		coll_field("from", fmt_str(rec, "start"));
		coll_field("until", fmt_str(rec, "end"));
	}
	if (is_kind(rec, "school"))
		dates_field("terms", rec);
	dates_field("added", rec);
	dates_field("removed", rec);
}

static const char *const calendar_headers[] = { "CODE", "KIND", "NAME", "RULE" };

static const struct coll coll_calendars = {
	.path = "calendars",
	.entity = "calendar",
	.example = "MKT-SQ",
	.first = "jintong calendar add CODE --kind KIND ...",
	.ncols = 4,
	.headers = calendar_headers,
	.row = calendar_row,
	.print = calendar_print,
};

/* --OPT DAYS (days of the week) as member weekdays. */
static int take_days(const struct cmd_args *args, json_object *body)
{
	const char *s = cmd_opt(args, "days");
	uint8_t bits;
	if (!s)
		return CLI_OK;
	if (!check_weekdays(s, &bits)) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--days must be " DAYS_RULE ", each day once, not "
				       "\"%s\"; e.g. --days mon-fri",
				       shown);
		free(shown);
		return rc;
	}
	json_object_object_add(body, "weekdays", json_object_new_string(s));
	return CLI_OK;
}

/* --OPT DIGITS (the last digits of market days) as member digits. */
static int take_digits(const struct cmd_args *args, const char *opt, json_object *body)
{
	const char *s = cmd_opt(args, opt);
	uint16_t bits;
	if (!s)
		return CLI_OK;
	if (!check_digits(s, &bits)) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--%s must be the last digits of the market days, each "
				       "once, like 1,4,7 or 147, not \"%s\"; e.g. --%s 1,4,7",
				       opt, shown, opt);
		free(shown);
		return rc;
	}
	json_object_object_add(body, "digits", json_object_new_string(s));
	return CLI_OK;
}

/* --lunar: a flag when adding, yes or no when editing. */
static int take_lunar(const struct cmd_args *args, bool edit, json_object *body)
{
	const char *s = cmd_opt(args, "lunar");
	bool on = true;
	if (!s)
		return CLI_OK;
	if (edit && !check_yes_no(s, &on)) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--lunar takes yes or no, not \"%s\"; e.g. --lunar yes",
				       shown);
		free(shown);
		return rc;
	}
	json_object_object_add(body, "lunar", json_object_new_boolean(on));
	return CLI_OK;
}

/* Every --term FIRST..LAST as member terms. */
static int take_terms(const struct cmd_args *args, json_object *body)
{
	const char *s;
	json_object *terms = json_object_new_array();
	for (size_t i = 0; (s = cmd_opt_nth(args, "term", i)); i++) {
		jt_day first, last;
		enum check_span r = check_span(s, &first, &last);
		if (r == CHECK_SPAN_OK) {
			const char *dots = strstr(s, "..");
			json_object *t = json_object_new_array_ext(2);
			json_object_array_add(t, json_object_new_string_len(s, (int)(dots - s)));
			json_object_array_add(t, json_object_new_string(dots + 2));
			json_object_array_add(terms, t);
			continue;
		}
		char *shown = table_clean(s);
		if (r == CHECK_SPAN_SYNTAX)
			cmd_usage_error(args, "--term must be FIRST..LAST, the first and the last day "
				       "of the term, not \"%s\"; e.g. " TERM_EXAMPLE,
				       shown);
		else if (r == CHECK_SPAN_ORDER)
			cmd_usage_error(args, "--term %s ends before it starts; give the first day "
				       "first, e.g. " TERM_EXAMPLE,
				       shown);
		else
			cmd_usage_error(args, "the %s day of --term %s is not a date as YYYY-MM-DD, a "
				       "real one; e.g. " TERM_EXAMPLE,
				       r == CHECK_SPAN_FIRST ? "first" : "last", shown);
		free(shown);
		json_object_put(terms);
		return CLI_USAGE;
	}
	if (json_object_array_length(terms) > 0)
		json_object_object_add(body, "terms", terms);
	else
		json_object_put(terms);
	return CLI_OK;
}

/* Every date of --add and --remove is one, and none is in both. */
static int check_date_lists(const struct cmd_args *args)
{
	static const char *const opts[] = { "add", "remove" };
	const char *s, *t;
	jt_day d;
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; (s = cmd_opt_nth(args, opts[k], i)); i++)
			if (!check_date(s, &d))
				return coll_bad_date(args, opts[k], s);
	for (size_t i = 0; (s = cmd_opt_nth(args, "add", i)); i++)
		for (size_t j = 0; (t = cmd_opt_nth(args, "remove", j)); j++)
			if (strcmp(s, t) == 0)
				return cmd_usage_error(args, "--add %s and --remove %s contradict each "
						       "other; give one of them",
						       s, t);
	return CLI_OK;
}

static bool in_array(json_object *a, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0)
			return true;
	return false;
}

/*
 * List `key` of cur (NULL when adding) with the dates of --OPT joined and
 * those of --OTHER taken out: a date added runs, a date removed does not,
 * whichever list it was in before.
 */
static json_object *merged_dates(json_object *cur, const char *key, const struct cmd_args *args,
				 const char *opt, const char *other)
{
	json_object *have = fmt_member(cur, key), *out = json_object_new_array();
	const char *s;
	size_t n = json_object_is_type(have, json_type_array) ? json_object_array_length(have) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(have, i);
		bool dropped = false;
		for (size_t j = 0; (s = cmd_opt_nth(args, other, j)); j++)
			dropped |= strcmp(s, json_object_get_string(d)) == 0;
		if (!dropped && !in_array(out, json_object_get_string(d)))
			json_object_array_add(out, json_object_get(d));
	}
	for (size_t j = 0; (s = cmd_opt_nth(args, opt, j)); j++)
		if (!in_array(out, s))
			json_object_array_add(out, json_object_new_string(s));
	return out;
}

/* The options add and edit share, checked and put into body. */
static int take_options(const struct cmd_args *args, bool edit, json_object *body)
{
	int rc;
	jt_day start = 0, end = 0;
	if ((rc = coll_take_text(args, "name", "name", body)) != CLI_OK ||
	    (rc = coll_take_kind(args, kinds, body)) != CLI_OK ||
	    (rc = coll_take_date(args, "from", "start", body, &start)) != CLI_OK ||
	    (rc = coll_take_date(args, "until", "end", body, &end)) != CLI_OK ||
	    (rc = take_days(args, body)) != CLI_OK ||
	    (rc = take_digits(args, "digits", body)) != CLI_OK ||
	    (rc = take_lunar(args, edit, body)) != CLI_OK ||
	    (rc = coll_take_ref(args, "town", &coll_towns, "town", body)) != CLI_OK ||
	    (rc = take_terms(args, body)) != CLI_OK || (rc = check_date_lists(args)) != CLI_OK)
		return rc;
	if (cmd_opt(args, "from") && cmd_opt(args, "until") && end < start)
		return cmd_usage_error(args, "--until %s is before --from %s; give the last day the "
				       "calendar runs after its first",
				       cmd_opt(args, "until"), cmd_opt(args, "from"));
	return CLI_OK;
}

/* Options that would mean nothing to a calendar of this kind are refused, not ignored. */
static int check_fits_kind(const struct cmd_args *args, const char *kind)
{
	const char *opt = NULL, *meant = NULL;
	if (strcmp(kind, "market") == 0 && cmd_opt(args, "days"))
		opt = "days", meant = "weekly and school calendars; market days are --digits";
	else if (strcmp(kind, "market") != 0 && cmd_opt(args, "digits"))
		opt = "digits", meant = "market calendars";
	else if (strcmp(kind, "market") != 0 && cmd_opt(args, "lunar"))
		opt = "lunar", meant = "market calendars";
	else if (strcmp(kind, "school") != 0 && cmd_opt(args, "term"))
		opt = "term", meant = "school calendars";
	else if (strcmp(kind, "dates") == 0 && cmd_opt(args, "days"))
		opt = "days", meant = "weekly and school calendars; a list of dates is --add DATE";
	else if (strcmp(kind, "dates") == 0 && (cmd_opt(args, "from") || cmd_opt(args, "until")))
		opt = cmd_opt(args, "from") ? "from" : "until",
		meant = "calendars with a rule; a list of dates runs on its --add dates only";
	if (!opt)
		return CLI_OK;
	return cmd_usage_error(args, "--%s is for %s, not a %s one; leave it out", opt, meant, kind);
}

static int calendar_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "kind", NULL };
	const char *code = args->argv[0];
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_calendars, code)) != CLI_OK ||
	    (rc = coll_require(args, needed)) != CLI_OK ||
	    (rc = take_options(args, false, body)) != CLI_OK ||
	    (rc = check_fits_kind(args, cmd_opt(args, "kind"))) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	const char *kind = cmd_opt(args, "kind");
	if (strcmp(kind, "weekly") == 0 &&
	    !(cmd_opt(args, "from") && cmd_opt(args, "until") && cmd_opt(args, "days")))
		rc = cmd_usage_error(args, "a weekly calendar needs --from DATE, --until DATE and "
				     "--days DAYS; e.g. --from 2026-12-01 --until 2027-06-30 --days "
				     "mon-fri");
	else if (strcmp(kind, "market") == 0 && !(cmd_opt(args, "town") && cmd_opt(args, "digits")))
		rc = cmd_usage_error(args, "a market calendar needs --town TOWN and --digits DIGITS, "
				     "e.g. --town T01 --digits 1,4,7; or use `jintong calendar market "
				     "T01 --days 1,4,7`");
	else if (strcmp(kind, "school") == 0 && !cmd_opt(args, "term"))
		rc = cmd_usage_error(args, "a school calendar needs at least one --term FIRST..LAST; "
				     "e.g. " TERM_EXAMPLE);
	else if (strcmp(kind, "dates") == 0 && !cmd_opt(args, "add"))
		rc = cmd_usage_error(args, "a list of dates needs at least one --add DATE; e.g. "
				     "--add 2026-12-24 --add 2026-12-31");
	if (rc != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	json_object_object_add(body, "code", json_object_new_string(code));
	if (cmd_opt(args, "add"))
		json_object_object_add(body, "added", merged_dates(NULL, "added", args, "add", "remove"));
	if (cmd_opt(args, "remove"))
		json_object_object_add(body, "removed",
				       merged_dates(NULL, "removed", args, "remove", "add"));
	return coll_add(ctx, args, &coll_calendars, body);
}

static int calendar_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_calendars, code)) != CLI_OK ||
	    (rc = take_options(args, true, body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	bool lists = cmd_opt(args, "add") || cmd_opt(args, "remove");
	if (json_object_object_length(body) == 0 && !lists)
		return coll_edit(ctx, args, &coll_calendars, body); /* says there is nothing to change */
	/* what it is now: its kind, and the lists --add and --remove change */
	json_object *cur;
	if ((rc = coll_get(ctx, &coll_calendars, code, &cur)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	const char *kind = cmd_opt(args, "kind") ? cmd_opt(args, "kind") : fmt_str(cur, "kind");
	if ((rc = check_fits_kind(args, kind ? kind : "")) == CLI_OK && lists) {
		json_object_object_add(body, "added", merged_dates(cur, "added", args, "add", "remove"));
		json_object_object_add(body, "removed",
				       merged_dates(cur, "removed", args, "remove", "add"));
	}
	json_object_put(cur);
	if (rc != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	return coll_patch(ctx, &coll_calendars, code, body);
}

static int calendar_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_calendars, NULL);
}

static int calendar_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_calendars);
}

static int calendar_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_calendars);
}

/* The calendar with this code from the list of them, or NULL; *reply is the caller's. */
static int find_calendar(const struct cmd_ctx *ctx, const char *code, json_object **reply,
			 json_object **found)
{
	json_object *list;
	*found = NULL;
	int rc = client_get(ctx->client, "/v1/admin/calendars", NULL, reply);
	if (rc != CLI_OK)
		return rc;
	if (!(list = cmd_reply_list(*reply, "calendars"))) {
		json_object_put(*reply);
		*reply = NULL;
		return CLI_FAIL;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *c = fmt_str(json_object_array_get_idx(list, i), "code");
		if (c && strcmp(c, code) == 0)
			*found = json_object_array_get_idx(list, i);
	}
	return CLI_OK;
}

/* "<town name> market days", cut at a character so that it fits a name. */
static char *market_name(const char *town_name)
{
	static const char suffix[] = " market days";
	size_t n = 0, room = CHECK_NAME_MAX - (sizeof suffix - 1);
	while (town_name[n]) {
		uint32_t cp;
		int len = table_utf8_next(town_name + n, &cp);
		if (len < 0 || n + (size_t)len > room)
			break;
		n += (size_t)len;
	}
	return xasprintf("%.*s%s", (int)n, town_name, suffix);
}

static int calendar_market(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "days", NULL };
	const char *town = args->argv[0];
	json_object *body = json_object_new_object();
	int rc;
	if ((rc = coll_check_code(args, &coll_towns, town)) != CLI_OK ||
	    (rc = coll_require(args, needed)) != CLI_OK ||
	    (rc = take_digits(args, "days", body)) != CLI_OK ||
	    (rc = coll_take_text(args, "name", "name", body)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	char code[CHECK_CODE_MAX + 1];
	snprintf(code, sizeof code, "MKT-%s", town);
	if (cmd_opt(args, "code")) {
		snprintf(code, sizeof code, "%s", cmd_opt(args, "code"));
		if ((rc = coll_check_code(args, &coll_calendars, cmd_opt(args, "code"))) != CLI_OK) {
			json_object_put(body);
			return rc;
		}
	}
	json_object_object_add(body, "lunar", json_object_new_boolean(cmd_opt(args, "lunar") != NULL));

	json_object *all, *cur;
	if ((rc = find_calendar(ctx, code, &all, &cur)) != CLI_OK) {
		json_object_put(body);
		return rc;
	}
	if (cur) {
		const char *its_town = fmt_str(cur, "town");
		if (!is_kind(cur, "market") || !its_town || strcmp(its_town, town) != 0) {
			char rule[96];
			cli_error("calendar %s exists and is not town %s's market days (%s%s%s); give "
				  "another code with --code",
				  code, town, rule_text(rule, sizeof rule, cur) ? rule : "-",
				  its_town ? " at " : "", its_town ? its_town : "");
			rc = CLI_USAGE;
		} else if (!ctx->json) {
			printf("Calendar %s exists: changing its market days.\n", code);
		}
		json_object_put(all);
		if (rc != CLI_OK) {
			json_object_put(body);
			return rc;
		}
		return coll_patch(ctx, &coll_calendars, code, body);
	}
	json_object_put(all);
	if (!cmd_opt(args, "name")) {
		json_object *t;
		if ((rc = coll_get(ctx, &coll_towns, town, &t)) != CLI_OK) {
			json_object_put(body);
			return rc;
		}
		char *name = market_name(fmt_str(t, "name") ? fmt_str(t, "name") : town);
		json_object_object_add(body, "name", json_object_new_string(name));
		free(name);
		json_object_put(t);
	}
	json_object_object_add(body, "code", json_object_new_string(code));
	json_object_object_add(body, "kind", json_object_new_string("market"));
	json_object_object_add(body, "town", json_object_new_string(town));
	return coll_post(ctx, &coll_calendars, code, body);
}

static int calendar_dates(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *code = args->argv[0];
	jt_day from = 0, to = 0;
	int rc;
	if ((rc = coll_check_code(args, &coll_calendars, code)) != CLI_OK ||
	    (rc = coll_take_date(args, "from", NULL, NULL, &from)) != CLI_OK ||
	    (rc = coll_take_date(args, "to", NULL, NULL, &to)) != CLI_OK)
		return rc;
	const char *f = cmd_opt(args, "from"), *t = cmd_opt(args, "to");
	char later[DATE_FORMAT_LEN];
	if (f && !t) {
		date_format(from + DATES_SPAN_DEFAULT, later);
		t = later;
		to = from + DATES_SPAN_DEFAULT;
	}
	if (f && to < from)
		return cmd_usage_error(args, "--to %s is before --from %s; give the last day after the "
				       "first",
				       t, f);
	if (f && to - from > DATES_SPAN_MAX)
		return cmd_usage_error(args, "--to %s is %d days after --from %s; ask for at most %d "
				       "days (five years) at once",
				       t, (int)(to - from), f, DATES_SPAN_MAX);
	/* checked dates need no escaping in a query */
	char query[64] = "";
	if (f)
		snprintf(query, sizeof query, "?from=%s&to=%s", f, t);
	else if (t)
		snprintf(query, sizeof query, "?to=%s", t);
	char *esc = client_escape(ctx->client, code);
	char *path = xasprintf("/v1/admin/calendars/%s/dates%s", esc, query);
	free(esc);
	struct client_hints hints = { .not_found = "see the calendars with `jintong calendar list`" };
	json_object *reply, *list;
	rc = client_get(ctx->client, path, &hints, &reply);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json) {
		cmd_print_json(reply);
		json_object_put(reply);
		return CLI_OK;
	}
	if (!(list = cmd_reply_list(reply, "dates"))) {
		json_object_put(reply);
		return CLI_FAIL;
	}
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	size_t n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(list, i));
		jt_day d;
		if (check_date(s, &d))
			printf("%s %s\n", s, wd[date_weekday(d) - 1]);
		else
			printf("%s\n", s ? s : "?");
	}
	const char *rf = fmt_str(reply, "from"), *rt = fmt_str(reply, "to");
	if (n == 0)
		printf("No dates from %s to %s.\n", rf ? rf : "-", rt ? rt : "-");
	else
		printf("%zu date%s from %s to %s.\n", n, n == 1 ? "" : "s", rf ? rf : "-",
		       rt ? rt : "-");
	json_object_put(reply);
	return CLI_OK;
}

#define KIND_HELP "weekly, market, school or dates"

static const struct cmd_option add_options[] = {
	{ "kind", "KIND", KIND_HELP },
	{ "name", "NAME", "what dispatchers call it, e.g. '石桥赶场' (up to 128 bytes)" },
	{ "from", "DATE", "the first day it may run, YYYY-MM-DD (weekly: required)" },
	{ "until", "DATE", "the last day it may run, YYYY-MM-DD (weekly: required)" },
	{ "days", "DAYS", "weekly, school: days of the week, e.g. mon-fri, sat,sun, daily" },
	{ "digits", "DIGITS", "market: the last digits of its days of the month, e.g. 1,4,7" },
	{ "lunar", NULL, "market: the days of the month are counted on the lunar calendar" },
	{ "town", "TOWN", "the town it serves (market: whose market it is)" },
	{ "term", "FIRST..LAST", "school: a term, its first and last day" },
	{ "add", "DATE", "a date it runs on besides its rule" },
	{ "remove", "DATE", "a date it does not run on (a holiday, a closed road)" },
	{ 0 },
};

static const struct cmd_option edit_options[] = {
	{ "name", "NAME", "a new name" },
	{ "kind", "KIND", "a new kind: " KIND_HELP },
	{ "from", "DATE", "a new first day" },
	{ "until", "DATE", "a new last day" },
	{ "days", "DAYS", "new days of the week" },
	{ "digits", "DIGITS", "new market digits" },
	{ "lunar", "yes|no", "whether market days are counted on the lunar calendar" },
	{ "town", "TOWN", "a new town" },
	{ "term", "FIRST..LAST", "a term; the terms given replace all it had" },
	{ "add", "DATE", "a date to run on besides the rule (taken out of the removed ones)" },
	{ "remove", "DATE", "a date not to run on (taken out of the added ones)" },
	{ 0 },
};

static const char *const repeated[] = { "term", "add", "remove", NULL };

static const struct cmd_option market_options[] = {
	{ "days", "DIGITS", "the last digits of the market days of the month, e.g. 1,4,7" },
	{ "lunar", NULL, "the market keeps the lunar calendar" },
	{ "code", "CODE", "the calendar's code (default: MKT-TOWN)" },
	{ "name", "NAME", "its name (default: the town's name and \"market days\")" },
	{ 0 },
};

static const struct cmd_option dates_options[] = {
	{ "from", "DATE", "the first day to look at (default: today)" },
	{ "to", "DATE", "the last day (default: a year after --from or today)" },
	{ 0 },
};

static const struct cmd_entry calendar_entries[] = {
	{
		.group = "calendar",
		.name = "add",
		.usage = "CODE --kind weekly|market|school|dates [--name NAME] [--from DATE] "
			 "[--until DATE] [--days DAYS] [--digits DIGITS] [--lunar] [--town TOWN] "
			 "[--term FIRST..LAST]... [--add DATE]... [--remove DATE]...",
		.help = "add a calendar: weekly, a town's market days, or school days",
		.detail = "CODE: 1 to 32 letters, digits, '.', '_' or '-', starting with a letter\n"
			  "or digit (WK-2027); it cannot be changed later.\n\n"
			  "A weekly calendar runs on --days (mon-fri, sat,sun, mon,wed,fri,\n"
			  "weekdays, weekend, daily) from --from until --until. A market calendar\n"
			  "runs on the days of the month ending in --digits (1,4,7: the 1st, 4th,\n"
			  "7th, 11th, ... 31st), the market days of --town. A school calendar runs\n"
			  "Monday to Friday (or on --days) inside its terms. Dates are YYYY-MM-DD;\n"
			  "--add and --remove win over the rule.",
		.options = add_options,
		.many = repeated,
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_add,
	},
	{
		.group = "calendar",
		.name = "list",
		.usage = "",
		.help = "list the calendars, their kinds and rules",
		.exec = calendar_list,
	},
	{
		.group = "calendar",
		.name = "show",
		.usage = "CODE",
		.help = "show one calendar",
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_show,
	},
	{
		.group = "calendar",
		.name = "edit",
		.usage = "CODE [--name NAME] [--kind KIND] [--from DATE] [--until DATE] "
			 "[--days DAYS] [--digits DIGITS] [--lunar yes|no] [--town TOWN] "
			 "[--term FIRST..LAST]... [--add DATE]... [--remove DATE]...",
		.help = "change a calendar's rule, or add and remove dates",
		.detail = "Changes only what is given. --add and --remove add to the dates it has:\n"
			  "a date added runs, a date removed does not, whichever list it was in\n"
			  "before. --term replaces all the terms it had: give each term it keeps.",
		.options = edit_options,
		.many = repeated,
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_edit,
	},
	{
		.group = "calendar",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a calendar",
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_remove,
	},
	{
		.group = "calendar",
		.name = "market",
		.usage = "TOWN --days DIGITS [--lunar] [--code CODE] [--name NAME]",
		.help = "set a town's market days: a market calendar, added or changed",
		.detail = "Markets meet on the days of the month ending in DIGITS: 1,4,7 is the\n"
			  "1st, 4th, 7th, 11th, 14th, 17th, 21st, 24th, 27th and 31st. The calendar\n"
			  "is MKT-TOWN unless --code names another; when it exists already its days\n"
			  "(and its name, with --name) are changed, solar unless --lunar.",
		.options = market_options,
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_market,
	},
	{
		.group = "calendar",
		.name = "dates",
		.usage = "CODE [--from DATE] [--to DATE]",
		.help = "list the dates a calendar runs on, with their weekdays",
		.detail = "At most 1830 days (five years) at once; without --from and --to, the\n"
			  "year from today.",
		.options = dates_options,
		.min_args = 1,
		.max_args = 1,
		.exec = calendar_dates,
	},
	{ 0 },
};

const struct cmd_group cmd_calendar_group = {
	.name = "calendar",
	.help = "service calendars: the dates trips run on",
	.entries = calendar_entries,
};
