/*
 * Service calendars through the admin API: a town's market days on the solar
 * and the lunar calendar, weekly service with added and removed days, school
 * terms; refusals with reasons; the dates each runs on; and persistence.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "harness.h"

static struct h_test t;

static void dates_are(const char *cal, const char *from, const char *to, const char *want)
{
	char path[256], b[8192];
	snprintf(path, sizeof path, "/v1/admin/calendars/%s/dates?from=%s&to=%s", cal, from, to);
	long st = h_call(&t, "GET", path, NULL, b, sizeof b);
	const char *got = strstr(b, "\"dates\":");
	CHECK(st == 200 && got && strncmp(got + 8, want, strlen(want)) == 0 &&
		      got[8 + strlen(want)] == '}',
	      "%s %s..%s: %ld %s\nwant %s", cal, from, to, st, b, want);
}

int main(void)
{
	h_init(&t, "calendars");
	h_create_operator(&t);
	h_start(&t, NULL);
	char b[8192];
	CHECK(h_call(&t, "POST", "/v1/admin/towns", "{\"code\":\"T-SQ\",\"name\":\"石桥镇\",\"lat\":30.05,\"lon\":104.62}",
		   b, sizeof b) == 201, "town: %s", b);

	/* Market on days ending in 1, 4, 7. */
	CHECK(h_call(&t, "POST", "/v1/admin/calendars",
		   "{\"code\":\"MKT-SQ\",\"name\":\"石桥赶场\",\"kind\":\"market\",\"digits\":\"147\",\"town\":\"T-SQ\"}",
		   b, sizeof b) == 201 && strstr(b, "\"digits\":\"1,4,7\""),
	      "market: %s", b);
	dates_are("MKT-SQ", "2026-11-01", "2026-11-30",
		  "[\"2026-11-01\",\"2026-11-04\",\"2026-11-07\",\"2026-11-11\",\"2026-11-14\","
		  "\"2026-11-17\",\"2026-11-21\",\"2026-11-24\",\"2026-11-27\"]");
	dates_are("MKT-SQ", "2026-12-27", "2027-01-02", "[\"2026-12-27\",\"2026-12-31\",\"2027-01-01\"]");

	/* Counted on the lunar calendar: lunar 1/1 of 2026 is 2026-02-17. */
	CHECK(h_call(&t, "POST", "/v1/admin/calendars",
		   "{\"code\":\"MKT-LUNAR\",\"kind\":\"market\",\"digits\":\"1\",\"lunar\":true,\"town\":\"T-SQ\"}",
		   b, sizeof b) == 201, "lunar market: %s", b);
	dates_are("MKT-LUNAR", "2026-02-17", "2026-03-15",
		  "[\"2026-02-17\",\"2026-02-27\",\"2026-03-09\"]");

	/* Weekdays in December, with a Saturday added and a Monday removed. */
	CHECK(h_call(&t, "POST", "/v1/admin/calendars",
		   "{\"code\":\"WK\",\"kind\":\"weekly\",\"start\":\"2026-12-01\",\"end\":\"2026-12-31\","
		   "\"weekdays\":\"mon-fri\",\"added\":[\"2026-12-05\"],\"removed\":[\"2026-12-07\"]}",
		   b, sizeof b) == 201 && strstr(b, "\"weekdays\":\"mon,tue,wed,thu,fri\""),
	      "weekly: %s", b);
	dates_are("WK", "2026-12-01", "2026-12-09",
		  "[\"2026-12-01\",\"2026-12-02\",\"2026-12-03\",\"2026-12-04\",\"2026-12-05\","
		  "\"2026-12-08\",\"2026-12-09\"]");

	/* School days: in a term, Monday to Friday, not on a holiday. */
	CHECK(h_call(&t, "POST", "/v1/admin/calendars",
		   "{\"code\":\"SCH\",\"kind\":\"school\",\"terms\":[[\"2027-02-22\",\"2027-02-26\"],"
		   "[\"2026-11-30\",\"2026-12-02\"]],\"removed\":[\"2026-12-01\"]}",
		   b, sizeof b) == 201 && strstr(b, "[[\"2026-11-30\",\"2026-12-02\"],[\"2027-02-22\""),
	      "school (terms sorted): %s", b);
	dates_are("SCH", "2026-11-28", "2027-02-23",
		  "[\"2026-11-30\",\"2026-12-02\",\"2027-02-22\",\"2027-02-23\"]");

	/* A plain list of dates, as GTFS calendar_dates.txt gives a service. */
	CHECK(h_call(&t, "POST", "/v1/admin/calendars",
		   "{\"code\":\"LIST\",\"kind\":\"dates\",\"added\":[\"2026-12-24\",\"2026-12-03\"]}",
		   b, sizeof b) == 201 && strstr(b, "\"added\":[\"2026-12-03\",\"2026-12-24\"]"),
	      "dates: %s", b);
	dates_are("LIST", "2026-12-01", "2026-12-31", "[\"2026-12-03\",\"2026-12-24\"]");

	struct {
		const char *json, *says;
	} bad[] = {
		{ "{\"code\":\"X\",\"kind\":\"dates\"}", "at least one added date" },
		{ "{\"code\":\"X\",\"kind\":\"market\",\"digits\":\"147\"}", "needs the town" },
		{ "{\"code\":\"X\",\"kind\":\"market\",\"digits\":\"1a\",\"town\":\"T-SQ\"}", "digits must be" },
		{ "{\"code\":\"X\",\"kind\":\"market\",\"digits\":\"1\",\"town\":\"T-NO\"}", "no town T-NO" },
		{ "{\"code\":\"X\",\"kind\":\"monthly\"}", "kind must be" },
		{ "{\"code\":\"X\",\"kind\":\"weekly\",\"weekdays\":\"someday\",\"start\":\"2026-01-01\",\"end\":\"2026-02-01\"}", "weekdays must be" },
		{ "{\"code\":\"X\",\"kind\":\"weekly\",\"weekdays\":\"mon\",\"start\":\"2026-03-01\",\"end\":\"2026-02-01\"}", "" },
		{ "{\"code\":\"X\",\"kind\":\"school\",\"terms\":[[\"2026-09-01\",\"2026-12-01\"],[\"2026-11-01\",\"2027-01-10\"]]}", "" },
		{ "{\"code\":\"X\",\"kind\":\"school\",\"terms\":[[\"2026-09-01\"]]}", "pairs of dates" },
		{ "{\"code\":\"X\",\"kind\":\"weekly\",\"weekdays\":\"mon\",\"start\":\"2026-01-01\",\"end\":\"2026-02-01\",\"added\":[\"2026-13-01\"]}", "not a date" },
		{ "{\"code\":\"X\",\"kind\":\"weekly\",\"every\":2}", "no field 'every'" },
		{ "{\"code\":\"MKT-SQ\",\"kind\":\"market\",\"digits\":\"1\",\"town\":\"T-SQ\"}", "already exists" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long st = h_call(&t, "POST", "/v1/admin/calendars", bad[i].json, b, sizeof b);
		CHECK((st == 400 || st == 409) && strstr(b, bad[i].says), "%s: %ld %s", bad[i].json, st, b);
	}
	CHECK(h_call(&t, "GET", "/v1/admin/calendars/WK/dates?from=2026-01-01&to=2036-01-01", NULL, b, sizeof b) == 400,
	      "a ten-year span: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/calendars/NONE/dates", NULL, b, sizeof b) == 404, "unknown");

	/* The market moves to 2, 5, 8; the change is audited. */
	CHECK(h_call(&t, "PATCH", "/v1/admin/calendars/MKT-SQ", "{\"digits\":\"2,5,8\"}", b, sizeof b) == 200 &&
		      strstr(b, "\"digits\":\"2,5,8\"") && strstr(b, "石桥赶场"),
	      "edit: %s", b);
	dates_are("MKT-SQ", "2026-11-01", "2026-11-10", "[\"2026-11-02\",\"2026-11-05\",\"2026-11-08\"]");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'calendar'") == 6, "audited");
	CHECK(h_call(&t, "DELETE", "/v1/admin/towns/T-SQ", NULL, b, sizeof b) == 409 && strstr(b, "market calendar"),
	      "town with a market calendar removed: %s", b);

	char before[8192], after[8192];
	h_call(&t, "GET", "/v1/admin/calendars", NULL, before, sizeof before);
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	h_call(&t, "GET", "/v1/admin/calendars", NULL, after, sizeof after);
	CHECK(strcmp(before, after) == 0, "calendars differ after restart:\n%s\n%s", before, after);
	dates_are("MKT-LUNAR", "2026-02-17", "2026-03-15",
		  "[\"2026-02-17\",\"2026-02-27\",\"2026-03-09\"]");
	CHECK(h_call(&t, "DELETE", "/v1/admin/calendars/WK", NULL, b, sizeof b) == 200, "remove: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/calendars/WK", NULL, b, sizeof b) == 404, "removed");
	return h_finish(&t);
}
