/*
 * The route network through the operators' CLI against the real daemon:
 * towns, villages, transport companies, stops and lines added, listed,
 * shown and edited; removals refused while something uses the record, with
 * a message naming it; the audit trail in order with the operator's name;
 * all of it still there after a restart.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[16384];

/* Runs jintong with the daemon's URL and the token file, then the arguments up to NULL. */
static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

static void build(void)
{
	int rc = cli("town", "add", "T-SQ", "--name", "石桥镇", "--at", "30.05,104.62", NULL);
	CHECK(rc == 0 && strstr(out, "Added town T-SQ (石桥镇)") &&
		      strstr(out, "30.05000,104.62000"),
	      "town add: %d %s", rc, out);
	rc = cli("town", "add", "T-XC", "--name", "县城", "--at", "30.2,104.5", "--county-seat", NULL);
	CHECK(rc == 0, "county seat: %d %s", rc, out);
	rc = cli("village", "add", "V07", "--name", "青龙村", "--town", "T-SQ", "--at",
		 "30.071,104.642", NULL);
	CHECK(rc == 0 && strstr(out, "Added village V07"), "village add: %d %s", rc, out);
	rc = cli("village", "add", "V08", "--name", "白云村", "--town", "T-XC", "--at",
		 "30.21,104.51", NULL);
	CHECK(rc == 0, "second village: %d %s", rc, out);
	rc = cli("operator", "add", "OP1", "--name", "顺达客运", "--district", "东片区", NULL);
	CHECK(rc == 0 && strstr(out, "东片区"), "operator add: %d %s", rc, out);
	rc = cli("stop", "add", "S101", "--name", "石桥小学", "--kind", "school", "--at",
		 "30.0715,104.6431", "--village", "V07", NULL);
	CHECK(rc == 0 && strstr(out, "Added stop S101 (石桥小学)"), "stop add: %d %s", rc, out);
	rc = cli("stop", "add", "S102", "--name", "Qinglong bridge", "--kind", "roadside", "--at",
		 "30.08,104.65", "--village", "V07", NULL);
	CHECK(rc == 0, "second stop: %d %s", rc, out);
	rc = cli("stop", "add", "S-SQ", "--name", "石桥场镇", "--kind", "market", "--at",
		 "30.051,104.621", NULL);
	CHECK(rc == 0 && h_line_with(out, "village:", "none", NULL), "stop without village: %d %s", rc, out);
	rc = cli("line", "add", "L12", "--name", "石桥学生班", "--kind", "student", "--operator", "OP1",
		 NULL);
	CHECK(rc == 0 && strstr(out, "Added line L12"), "line add: %d %s", rc, out);
}

static void look(void)
{
	int rc = cli("town", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "T-SQ", "石桥镇", "30.05000,104.62000", "no", NULL) &&
		      h_line_with(out, "T-XC", "县城", "yes", NULL),
	      "town list: %d %s", rc, out);
	rc = cli("town", "show", "T-XC", NULL);
	CHECK(rc == 0 && h_line_with(out, "seat:", "yes", NULL), "town show: %d %s", rc, out);
	rc = cli("village", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "V07", "青龙村", "T-SQ", "30.07100,104.64200", NULL),
	      "village list: %d %s", rc, out);
	rc = cli("village", "show", "V07", NULL);
	CHECK(rc == 0 && h_line_with(out, "town:", "T-SQ", NULL), "village show: %d %s", rc, out);
	rc = cli("operator", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "OP1", "顺达客运", "东片区", NULL), "operator list: %d %s", rc, out);
	rc = cli("operator", "show", "OP1", NULL);
	CHECK(rc == 0 && h_line_with(out, "district:", "东片区", NULL), "operator show: %d %s", rc, out);
	rc = cli("stop", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "S101", "石桥小学", "school", "30.07150,104.64310", "V07", NULL) &&
		      h_line_with(out, "S-SQ", "market", NULL),
	      "stop list: %d %s", rc, out);
	rc = cli("stop", "list", "--kind", "market", NULL);
	CHECK(rc == 0 && strstr(out, "S-SQ") && !strstr(out, "S101"), "stop list --kind: %s", out);
	rc = cli("stop", "list", "--village", "V07", NULL);
	CHECK(rc == 0 && strstr(out, "S101") && strstr(out, "S102") && !strstr(out, "S-SQ"),
	      "stop list --village: %s", out);
	rc = cli("--json", "stop", "list", "--village", "V07", "--kind", "school", NULL);
	CHECK(rc == 0 && strstr(out, "\"stops\"") && strstr(out, "\"S101\"") && !strstr(out, "S102"),
	      "stop list --json: %s", out);
	rc = cli("stop", "show", "S101", NULL);
	CHECK(rc == 0 && h_line_with(out, "name:", "石桥小学", NULL) && h_line_with(out, "kind:", "school", NULL),
	      "stop show: %d %s", rc, out);
	rc = cli("--json", "stop", "show", "S101", NULL);
	CHECK(rc == 0 && strstr(out, "\"village\": \"V07\"") && strstr(out, "\"lat\": 30.0715"),
	      "stop show --json: %s", out);
	rc = cli("line", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "L12", "石桥学生班", "student", "OP1", NULL), "line list: %s", out);
	rc = cli("line", "show", "L12", NULL);
	CHECK(rc == 0 && h_line_with(out, "operator:", "OP1", NULL), "line show: %d %s", rc, out);
}

static void refusals(void)
{
	int rc = cli("town", "add", "T-SQ", "--name", "又一个", "--at", "30,104", NULL);
	CHECK(rc == 2 && strstr(out, "T-SQ"), "duplicate town: %d %s", rc, out);
	rc = cli("village", "show", "V99", NULL);
	CHECK(rc == 3 && strstr(out, "jintong village list"), "unknown village: %d %s", rc, out);
	rc = cli("village", "add", "V09", "--name", "无名村", "--town", "T-NONE", "--at", "30,104",
		 NULL);
	CHECK(rc == 2 && strstr(out, "T-NONE"), "village of an unknown town: %d %s", rc, out);
	rc = cli("stop", "edit", "S101", NULL);
	CHECK(rc == 2 && strstr(out, "nothing to change"), "empty edit: %d %s", rc, out);
	rc = cli("stop", "edit", "S404", "--name", "x", NULL);
	CHECK(rc == 3, "edit unknown stop: %d %s", rc, out);
	rc = cli("stop", "add", "S103", "--name", "x", "--kind", "bus_stop", "--at", "30,104", NULL);
	CHECK(rc == 2 && strstr(out, "town_centre"), "bad kind: %d %s", rc, out);
}

static void edits(void)
{
	int rc = cli("stop", "edit", "S102", "--at", "30.0805,104.6505", "--village", "V08", NULL);
	CHECK(rc == 0 && strstr(out, "Changed stop S102") && h_line_with(out, "village:", "V08", NULL) &&
		      h_line_with(out, "position:", "30.08050,104.65050", NULL),
	      "stop edit: %d %s", rc, out);
	rc = cli("stop", "edit", "S-SQ", "--village", "V07", NULL);
	CHECK(rc == 0 && h_line_with(out, "village:", "V07", NULL), "stop into a village: %d %s", rc, out);
	rc = cli("stop", "edit", "S-SQ", "--no-village", NULL);
	CHECK(rc == 0 && h_line_with(out, "village:", "none", NULL), "--no-village: %d %s", rc, out);
	rc = cli("town", "edit", "T-SQ", "--county-seat", "no", "--name", "石桥镇（新）", NULL);
	CHECK(rc == 0 && h_line_with(out, "name:", "石桥镇（新）", NULL), "town edit: %d %s", rc, out);
	rc = cli("line", "edit", "L12", "--kind", "market_day", NULL);
	CHECK(rc == 0 && h_line_with(out, "kind:", "market_day", NULL), "line edit: %d %s", rc, out);

	/* In use: refused, naming what uses it */
	rc = cli("village", "remove", "V07", NULL);
	CHECK(rc == 2 && strstr(out, "S101") && strstr(out, "stop") && !strstr(out, "S102"),
	      "village with stops: %d %s", rc, out);
	rc = cli("town", "remove", "T-SQ", NULL);
	CHECK(rc == 2 && strstr(out, "V07"), "town with villages: %d %s", rc, out);
	rc = cli("operator", "remove", "OP1", NULL);
	CHECK(rc == 2 && strstr(out, "L12"), "operator with lines: %d %s", rc, out);

	rc = cli("stop", "remove", "S101", NULL);
	CHECK(rc == 0 && strstr(out, "Removed stop S101 (石桥小学)"), "stop remove: %d %s", rc, out);
	rc = cli("village", "remove", "V07", NULL);
	CHECK(rc == 0 && strstr(out, "Removed village V07"), "village remove: %d %s", rc, out);
	rc = cli("village", "remove", "V07", NULL);
	CHECK(rc == 3, "removed twice: %d %s", rc, out);
}

static void audit(void)
{
	int rc = cli("audit", NULL);
	CHECK(rc == 0, "audit: %d %s", rc, out);
	/* newest first, each with the operator's name ("tests", from h_create_operator) */
	const char *rm_village = h_line_with(out, "tests", "remove", "village", "V07", NULL);
	const char *rm_stop = h_line_with(out, "tests", "remove", "stop", "S101", NULL);
	const char *edit_stop = h_line_with(out, "tests", "edit", "stop", "S102", NULL);
	const char *add_stop = h_line_with(out, "tests", "add", "stop", "S101", NULL);
	const char *add_town = h_line_with(out, "tests", "add", "town", "T-SQ", NULL);
	CHECK(rm_village && rm_stop && edit_stop && add_stop && add_town, "audit rows: %s", out);
	CHECK(rm_village < rm_stop && rm_stop < edit_stop && edit_stop < add_stop &&
		      add_stop < add_town,
	      "audit order: %s", out);
	CHECK(strncmp(out, "AT", 2) == 0 && h_line_with(out, "OPERATOR", "ACTION", "ENTITY", "KEY", NULL),
	      "audit header: %s", out);
	rc = cli("audit", "--limit", "2", NULL);
	CHECK(rc == 0 && strstr(out, "V07") && strstr(out, "S101") && !strstr(out, "S102"),
	      "audit --limit: %d %s", rc, out);
	rc = cli("--json", "audit", "--limit", "1", NULL);
	CHECK(rc == 0 && strstr(out, "\"operator\": \"tests\"") && strstr(out, "\"detail\""),
	      "audit --json: %d %s", rc, out);
}

static void after_restart(void)
{
	int rc = cli("stop", "show", "S102", NULL);
	CHECK(rc == 0 && h_line_with(out, "village:", "V08", NULL) &&
		      h_line_with(out, "position:", "30.08050,104.65050", NULL),
	      "stop after restart: %d %s", rc, out);
	rc = cli("town", "list", NULL);
	CHECK(rc == 0 && h_line_with(out, "T-SQ", "石桥镇（新）", NULL) && h_line_with(out, "T-XC", "yes", NULL),
	      "towns after restart: %d %s", rc, out);
	rc = cli("stop", "list", NULL);
	CHECK(rc == 0 && !strstr(out, "S101") && h_line_with(out, "S-SQ", "market", NULL),
	      "stops after restart: %d %s", rc, out);
	rc = cli("village", "show", "V07", NULL);
	CHECK(rc == 3, "removed village after restart: %d %s", rc, out);
	rc = cli("line", "show", "L12", NULL);
	CHECK(rc == 0 && h_line_with(out, "kind:", "market_day", NULL), "line after restart: %s", out);
	rc = cli("operator", "show", "OP1", NULL);
	CHECK(rc == 0 && h_line_with(out, "name:", "顺达客运", NULL), "operator after restart: %s", out);
	rc = cli("audit", NULL);
	CHECK(rc == 0 && h_line_with(out, "tests", "remove", "village", "V07", NULL) &&
		      h_line_with(out, "tests", "add", "town", "T-SQ", NULL),
	      "audit after restart: %d %s", rc, out);
}

int main(void)
{
	if (!getenv("JINTONG_CLI"))
		return 77; /* run by tests/run, which names the CLI */
	h_init(&t, "network_cli");
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	int rc = cli("town", "list", NULL);
	CHECK(rc == 0 && strstr(out, "No towns yet"), "empty town list: %d %s", rc, out);
	build();
	look();
	refusals();
	edits();
	audit();

	rc = h_stop(&t, SIGTERM);
	CHECK(rc == 0, "daemon exit %d", rc);
	h_start(&t, NULL);
	after_restart();
	return h_finish(&t);
}
