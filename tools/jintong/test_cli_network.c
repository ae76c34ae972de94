/*
 * test_cli_network.c — the route network's commands without a daemon: their
 * lines against the table, and each command up to the request it would send:
 * what it refuses, with which message, and what it accepts.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "coll.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_network_parse(void)
{
	struct cmd_line l;
	CHECK(parse(&l, LINE("town", "add", "T01", "--name", "石桥镇", "--at", "30.1,104.2",
			     "--county-seat")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "county-seat"), "");
	CHECK_STR(cmd_opt(&l.args, "at"), "30.1,104.2");
	CHECK(parse(&l, LINE("town", "edit", "T01", "--county-seat", "no")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "county-seat"), "no");
	CHECK(parse(&l, LINE("town", "add", "T01", "--county-seat=yes")) == CLI_USAGE);
	CHECK(strstr(l.error, "takes no value"));
	CHECK(parse(&l, LINE("village", "add", "V07", "--town", "T01", "--at=30.12,104.25")) ==
	      CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "town"), "T01");
	CHECK(parse(&l, LINE("stop", "list", "--kind", "school", "--village", "V07")) == CLI_OK);
	CHECK(parse(&l, LINE("stop", "edit", "S1", "--no-village")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "no-village"), "");
	CHECK(parse(&l, LINE("line", "add", "L1", "--operator", "OP1", "--kind", "student")) ==
	      CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "operator"), "OP1");
	CHECK(parse(&l, LINE("operator", "remove")) == CLI_USAGE);
	CHECK(strstr(l.error, "jintong operator remove") && strstr(l.error, "CODE"));
	CHECK(parse(&l, LINE("bogus")) == CLI_USAGE);
	CHECK(strstr(l.error, "town, village, stop, operator, line, route, calendar, trip, booking-rule, location-group, zone, timetable, gtfs, shift, ride, roster, audit"));

	/* audit is a group and its own command */
	CHECK(parse(&l, LINE("audit")) == CLI_OK && l.args.entry && l.args.argc == 0);
	CHECK(parse(&l, LINE("audit", "--limit", "5")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "limit"), "5");
	CHECK(parse(&l, LINE("--json", "audit", "--limit=5")) == CLI_OK && l.g.json);
	CHECK(parse(&l, LINE("audit", "list")) == CLI_USAGE);
	CHECK(strstr(l.error, "`jintong audit` takes no arguments") && strstr(l.error, "list"));
	CHECK(parse(&l, LINE("audit", "--frob")) == CLI_USAGE);
	CHECK(strstr(l.error, "see `jintong audit --help`"));
	CHECK(parse(&l, LINE("audit", "--help")) == CLI_OK && l.g.help && l.args.entry);
}

static void test_network_commands(void)
{
	char err[1024];
	/* accepted: they get as far as needing the token */
	CHECK(RUN("town", "add", "T01", "--name", "石桥镇", "--at", "30.1,104.2") == CLI_UNAUTHORISED);
	CHECK(strstr(err, "no operator token here"));
	CHECK(RUN("town", "edit", "T01", "--county-seat", "yes") == CLI_UNAUTHORISED);
	CHECK(RUN("village", "add", "V07", "--name", "青龙村", "--town", "T01", "--at",
		  "30.12,104.25") == CLI_UNAUTHORISED);
	CHECK(RUN("operator", "add", "OP1", "--name", "顺达客运") == CLI_UNAUTHORISED);
	CHECK(RUN("stop", "add", "S101", "--name", "石桥小学", "--kind", "school", "--at",
		  "30.1215,104.2532", "--village", "V07") == CLI_UNAUTHORISED);
	CHECK(RUN("stop", "edit", "S101", "--no-village") == CLI_UNAUTHORISED);
	CHECK(RUN("stop", "list", "--kind", "town_centre") == CLI_UNAUTHORISED);
	CHECK(RUN("line", "edit", "L1", "--kind", "market_day") == CLI_UNAUTHORISED);
	CHECK(RUN("audit", "--limit", "1000") == CLI_UNAUTHORISED);
	CHECK(RUN("village", "remove", "V07") == CLI_UNAUTHORISED);

	/* refused here, each saying what is wrong and what to do */
	CHECK(RUN("town", "add", "T 1", "--name", "x", "--at", "30,104") == CLI_USAGE);
	CHECK(strstr(err, "\"T 1\" is not a town code; a code is"));
	CHECK(RUN("town", "add", "T01", "--at", "30,104") == CLI_USAGE);
	CHECK(strstr(err, "needs --name NAME") && strstr(err, "usage: jintong town add CODE"));
	CHECK(RUN("town", "add", "T01", "--name", "x") == CLI_USAGE);
	CHECK(strstr(err, "needs --at LAT,LON"));
	CHECK(RUN("town", "add", "T01", "--name", "x", "--at", "104.2,30.1") == CLI_USAGE);
	CHECK(strstr(err, "did you mean --at 30.1,104.2?"));
	CHECK(RUN("town", "add", "T01", "--name", "x", "--at", "0,0") == CLI_USAGE);
	CHECK(strstr(err, "--at 0,0") && strstr(err, "give the real position"));
	CHECK(RUN("town", "add", "T01", "--name", "x", "--at", "30.1 104.2") == CLI_USAGE);
	CHECK(strstr(err, "--at must be LAT,LON") && strstr(err, "e.g. --at"));
	CHECK(RUN("town", "add", "T01", "--name", "\xe7\x9f", "--at", "30,104") == CLI_USAGE);
	CHECK(strstr(err, "--name is not valid UTF-8"));
	CHECK(RUN("town", "edit", "T01", "--county-seat", "maybe") == CLI_USAGE);
	CHECK(strstr(err, "--county-seat takes yes or no"));
	CHECK(RUN("town", "edit", "T01") == CLI_USAGE);
	CHECK(strstr(err, "nothing to change for town T01") &&
	      strstr(err, "--name, --at, --county-seat"));
	CHECK(RUN("village", "add", "V07", "--name", "青龙村", "--town", "T/1", "--at", "30,104") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--town must be a town code") && strstr(err, "jintong town list"));
	CHECK(RUN("village", "add", "V07", "--name", "青龙村", "--at", "30,104") == CLI_USAGE);
	CHECK(strstr(err, "needs --town TOWN"));
	CHECK(RUN("village", "edit", "V07") == CLI_USAGE);
	CHECK(RUN("operator", "add", "OP1") == CLI_USAGE);
	CHECK(strstr(err, "needs --name NAME"));
	CHECK(RUN("operator", "edit", "OP1", "--district", "") == CLI_UNAUTHORISED); /* none */
	CHECK(RUN("operator", "edit", "OP1", "--name", "") == CLI_USAGE);
	CHECK(strstr(err, "--name is empty"));
	CHECK(RUN("operator", "edit", "OP1", "--district", "a\tb") == CLI_USAGE);
	CHECK(strstr(err, "--district has control characters"));
	CHECK(RUN("stop", "add", "S101", "--name", "x", "--kind", "bus", "--at", "30,104") ==
	      CLI_USAGE);
	CHECK(strstr(err, "--kind must be one of roadside, village, school, market, clinic, "
			  "depot, town_centre, not \"bus\""));
	CHECK(RUN("stop", "edit", "S101", "--village", "V07", "--no-village") == CLI_USAGE);
	CHECK(strstr(err, "--village and --no-village"));
	CHECK(RUN("stop", "list", "--kind", "shop") == CLI_USAGE);
	CHECK(RUN("stop", "list", "--village", "-") == CLI_USAGE);
	CHECK(RUN("line", "add", "L1", "--name", "县城—石桥", "--kind", "bus", "--operator",
		  "OP1") == CLI_USAGE);
	CHECK(strstr(err, "scheduled, student, market_day, logistics, on_demand"));
	CHECK(RUN("line", "add", "L1", "--name", "县城—石桥", "--kind", "student") == CLI_USAGE);
	CHECK(strstr(err, "needs --operator OPERATOR"));
	CHECK(RUN("line", "show", "L 1") == CLI_USAGE);
	CHECK(strstr(err, "not a line code"));
	CHECK(RUN("audit", "--limit", "0") == CLI_USAGE);
	CHECK(strstr(err, "--limit must be a whole number from 1 to 1000"));
	CHECK(RUN("audit", "--limit", "1001") == CLI_USAGE);
}

/* Positions go to the daemon as typed numbers, not 30.100000000000001. */
static void test_at_json(void)
{
	struct cmd_line l;
	CHECK(parse(&l, LINE("stop", "edit", "S1", "--at", "30.1, -104.20310")) == CLI_OK);
	json_object *body = json_object_new_object();
	CHECK(coll_take_at(&l.args, body) == CLI_OK);
	CHECK_STR(json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
		  "{\"lat\":30.1,\"lon\":-104.2031}");
	json_object_put(body);
}

static void test_help(void)
{
	struct cmd_line l;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("--help")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "  town add  "));
	CHECK(strstr(out, "  audit     "));
	CHECK(strstr(out, "route network"));
	free(out);

	f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("audit", "-h")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "usage: jintong audit [--limit N]\n"));
	CHECK(strstr(out, "--limit N"));
	free(out);

	f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("stop", "--help")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "jintong stop edit CODE [--name NAME] [--kind KIND] [--at LAT,LON] "
			  "[--village VILLAGE | --no-village]"));
	free(out);
}

int main(void)
{
	test_network_parse();
	test_network_commands();
	test_at_json();
	test_help();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
