/*
 * cmd-booking.c — `jintong booking-rule ...`: how riders book on-demand
 * trips (GTFS-Flex booking_rules.txt): in real time, the same day with some
 * minutes' notice, or up to some days before by a given time; with the
 * phone number, the booking page and the message riders are told. Trips
 * name the rule for their pickups and drop-offs.
 */
#include "catalog.h"
#include "check.h"
#include "cmd.h"
#include "coll.h"
#include "format.h"
#include "table.h"
#include "timetable.h"
#include "trip.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "real_time", "same_day", "prior_days", NULL };

/* "60 min before", "by 15:00, 1 day before", "real time": the notice a rule asks. */
static const char *notice(json_object *rec, char *buf, size_t size)
{
	const char *kind = fmt_str(rec, "kind");
	char t[16];
	if (kind && strcmp(kind, "same_day") == 0)
		snprintf(buf, size, "%s min before", fmt_int_text(t, sizeof t, rec, "notice_min"));
	else if (kind && strcmp(kind, "prior_days") == 0)
		snprintf(buf, size, "by %s, %s day(s) before",
			 trip_short_time(t, sizeof t, fmt_str(rec, "last_time")),
			 fmt_int_text(buf + size / 2, size / 2, rec, "last_day"));
	else
		snprintf(buf, size, "real time");
	return buf;
}

static void rule_row(json_object *rec, const char **cells, char *buf, size_t size)
{
	cells[0] = fmt_str(rec, "code");
	cells[1] = fmt_str(rec, "kind");
	cells[2] = notice(rec, buf, size);
	cells[3] = coll_str(rec, "phone");
}

static void rule_print(json_object *rec)
{
	static const char *const keys[] = { "kind",	     "notice_min",	 "notice_max",
					    "last_day",	     "last_time",	 "start_day",
					    "start_time",    "service",		 "message",
					    "pickup_message", "drop_off_message", "phone",
					    "info_url",	     "booking_url" };
	for (size_t i = 0; i < JT_ARRAY_LEN(keys); i++) {
		char buf[32];
		json_object *v = fmt_member(rec, keys[i]);
		if (json_object_is_type(v, json_type_int))
			coll_field(keys[i], fmt_int_text(buf, sizeof buf, rec, keys[i]));
		else
			coll_field(keys[i], fmt_str(rec, keys[i]));
	}
}

static const char *const rule_headers[] = { "CODE", "KIND", "NOTICE", "PHONE" };

const struct coll coll_booking_rules = {
	.path = "booking-rules",
	.entity = "booking-rule",
	.example = "BR-DAY",
	.first = "jintong booking-rule add CODE --kind same_day --notice 60",
	.ncols = 4,
	.headers = rule_headers,
	.row = rule_row,
	.print = rule_print,
	.no_name = true,
};

/* --OPT N, a whole number 0..max, as member key; '' (edit) as null. */
static int take_whole(const struct cmd_args *args, const char *opt, const char *key, long max,
		      json_object *body)
{
	const char *s = cmd_opt(args, opt);
	long v;
	if (!s)
		return CLI_OK;
	if (!*s) {
		json_object_object_add(body, key, NULL);
		return CLI_OK;
	}
	if (!check_whole(s, 0, max, &v)) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--%s must be a whole number from 0 to %ld, not \"%s\"",
					 opt, max, shown);
		free(shown);
		return rc;
	}
	json_object_object_add(body, key, json_object_new_int64(v));
	return CLI_OK;
}

/* --OPT HH:MM as member key; '' as null. */
static int take_time(const struct cmd_args *args, const char *opt, const char *key,
		     json_object *body)
{
	const char *s = cmd_opt(args, opt);
	int32_t t;
	if (!s)
		return CLI_OK;
	if (!*s) {
		json_object_object_add(body, key, NULL);
		return CLI_OK;
	}
	if (timetable_parse_time(s, &t) != 0) {
		char *shown = table_clean(s);
		int rc = cmd_usage_error(args, "--%s must be a time HH:MM, not \"%s\"; e.g. --%s 17:00",
					 opt, shown, opt);
		free(shown);
		return rc;
	}
	json_object_object_add(body, key, json_object_new_string(s));
	return CLI_OK;
}

/* --OPT TEXT as member key, as given ('' clears it); the daemon checks length and URLs. */
static int take_plain(const struct cmd_args *args, const char *opt, const char *key,
		      json_object *body)
{
	const char *s = cmd_opt(args, opt);
	if (!s)
		return CLI_OK;
	if (*s && (strlen(s) > CATALOG_MESSAGE_MAX || !catalog_utf8_valid(s, strlen(s)) ||
		   (strstr(key, "url") && !check_url(s)))) {
		return cmd_usage_error(args, "--%s must be %s of at most 1024 bytes, without control "
				       "characters",
				       opt, strstr(key, "url") ? "an http:// or https:// address" : "text");
	}
	json_object_object_add(body, key, json_object_new_string(s));
	return CLI_OK;
}

static int take_options(const struct cmd_args *args, json_object *body)
{
	int rc;
	const char *service = cmd_opt(args, "service");
	if ((rc = coll_take_kind(args, kinds, body)) != CLI_OK ||
	    (rc = take_whole(args, "notice", "notice_min", 527040, body)) != CLI_OK ||
	    (rc = take_whole(args, "notice-max", "notice_max", 527040, body)) != CLI_OK ||
	    (rc = take_whole(args, "last-day", "last_day", 366, body)) != CLI_OK ||
	    (rc = take_time(args, "last-time", "last_time", body)) != CLI_OK ||
	    (rc = take_whole(args, "start-day", "start_day", 366, body)) != CLI_OK ||
	    (rc = take_time(args, "start-time", "start_time", body)) != CLI_OK ||
	    (rc = take_plain(args, "message", "message", body)) != CLI_OK ||
	    (rc = take_plain(args, "pickup-message", "pickup_message", body)) != CLI_OK ||
	    (rc = take_plain(args, "drop-off-message", "drop_off_message", body)) != CLI_OK ||
	    (rc = take_plain(args, "phone", "phone", body)) != CLI_OK ||
	    (rc = take_plain(args, "info-url", "info_url", body)) != CLI_OK ||
	    (rc = take_plain(args, "booking-url", "booking_url", body)) != CLI_OK)
		return rc;
	if (service && !*service) {
		json_object_object_add(body, "service", NULL);
		return CLI_OK;
	}
	if (service && !check_code(service)) {
		char *shown = table_clean(service);
		rc = cmd_usage_error(args, "--service must be a calendar code, not \"%s\"", shown);
		free(shown);
		return rc;
	}
	if (service)
		json_object_object_add(body, "service", json_object_new_string(service));
	return CLI_OK;
}

static int rule_add(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const char *const needed[] = { "kind", NULL };
	return coll_add_cmd(ctx, args, &coll_booking_rules, needed, take_options);
}

static int rule_edit(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_edit_cmd(ctx, args, &coll_booking_rules, take_options);
}

static int rule_list(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_list(ctx, args, &coll_booking_rules, NULL);
}

static int rule_show(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_show(ctx, args, &coll_booking_rules);
}

static int rule_remove(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return coll_remove(ctx, args, &coll_booking_rules);
}

#define RULE_OPTIONS(verb)                                                                       \
	{ "kind", "KIND", verb "real_time, same_day (with --notice) or prior_days (with "       \
			  "--last-day and --last-time)" },                                      \
	{ "notice", "MINUTES", "same_day: book at least this many minutes before" },            \
	{ "notice-max", "MINUTES", "same_day: and at most this many minutes before" },          \
	{ "last-day", "DAYS", "prior_days: book at the latest this many days before" },         \
	{ "last-time", "HH:MM", "prior_days: by this time of that day" },                       \
	{ "start-day", "DAYS", "booking opens this many days before" },                         \
	{ "start-time", "HH:MM", "at this time of that day" },                                  \
	{ "service", "CALENDAR", "prior_days: count the days on this calendar's days only" },   \
	{ "message", "TEXT", "what riders are told about booking" },                            \
	{ "pickup-message", "TEXT", "what riders are told about booking a pickup" },            \
	{ "drop-off-message", "TEXT", "what riders are told about booking a drop-off" },        \
	{ "phone", "NUMBER", "the number riders call to book" },                                \
	{ "info-url", "URL", "a page about booking" },                                          \
	{ "booking-url", "URL", "the page riders book on" },                                    \
	{ 0 }

static const struct cmd_option add_options[] = { RULE_OPTIONS("") };
static const struct cmd_option edit_options[] = { RULE_OPTIONS("a new kind: ") };

static const struct cmd_entry rule_entries[] = {
	{
		.group = "booking-rule",
		.name = "add",
		.usage = "CODE --kind KIND [--notice MINUTES] [--notice-max MINUTES] [--last-day DAYS] "
			 "[--last-time HH:MM] [--start-day DAYS] [--start-time HH:MM] [--service CALENDAR] "
			 "[--message TEXT] [--pickup-message TEXT] [--drop-off-message TEXT] "
			 "[--phone NUMBER] [--info-url URL] [--booking-url URL]",
		.help = "add a rule for booking on-demand rides",
		.detail = "A same_day rule needs --notice, the minutes of notice a booking needs; a\n"
			  "prior_days rule needs --last-day and --last-time, the last moment to book\n"
			  "(1 and 17:00: by 17:00 the day before). Trips name the rule for their\n"
			  "pickups and drop-offs (jintong trip edit --booking-rule).",
		.options = add_options,
		.min_args = 1,
		.max_args = 1,
		.exec = rule_add,
	},
	{
		.group = "booking-rule",
		.name = "list",
		.usage = "",
		.help = "list the booking rules and the notice each asks",
		.exec = rule_list,
	},
	{
		.group = "booking-rule",
		.name = "show",
		.usage = "CODE",
		.help = "show one booking rule",
		.min_args = 1,
		.max_args = 1,
		.exec = rule_show,
	},
	{
		.group = "booking-rule",
		.name = "edit",
		.usage = "CODE [--kind KIND] [--notice MINUTES] [--notice-max MINUTES] [--last-day DAYS] "
			 "[--last-time HH:MM] [--start-day DAYS] [--start-time HH:MM] [--service CALENDAR] "
			 "[--message TEXT] [--pickup-message TEXT] [--drop-off-message TEXT] "
			 "[--phone NUMBER] [--info-url URL] [--booking-url URL]",
		.help = "change a booking rule; '' clears an option",
		.options = edit_options,
		.min_args = 1,
		.max_args = 1,
		.exec = rule_edit,
	},
	{
		.group = "booking-rule",
		.name = "remove",
		.usage = "CODE",
		.help = "remove a booking rule no trip uses",
		.min_args = 1,
		.max_args = 1,
		.exec = rule_remove,
	},
	{ 0 },
};

const struct cmd_group cmd_booking_group = {
	.name = "booking-rule",
	.help = "how riders book on-demand rides: notice, phone, booking page",
	.entries = rule_entries,
};
