/*
 * The route network's named things through the admin API: towns, villages,
 * operators, stops and lines are added, edited and removed; what would break
 * the network is refused with a reason; every change is audited in the same
 * transaction; all of it is in PostGIS and survives a restart.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "harness.h"

static struct h_test t;

static void build_network(void)
{
	char b[4096];
	CHECK(h_call(&t, "POST", "/v1/admin/towns",
		   "{\"code\":\"T-SQ\",\"name\":\"石桥镇\",\"lat\":30.05,\"lon\":104.62}", b,
		   sizeof b) == 201 && strstr(b, "\"county_seat\":false"),
	      "town: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/towns",
		   "{\"code\":\"T-XC\",\"name\":\"县城\",\"lat\":30.2,\"lon\":104.5,\"county_seat\":true}",
		   b, sizeof b) == 201,
	      "county seat: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/villages",
		   "{\"code\":\"V-BY\",\"name\":\"白云村\",\"town\":\"T-SQ\",\"lat\":30.07,\"lon\":104.64}",
		   b, sizeof b) == 201,
	      "village: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/operators",
		   "{\"code\":\"OP1\",\"name\":\"石桥客运\",\"district\":\"东片区\"}", b, sizeof b) == 201,
	      "operator: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/stops",
		   "{\"code\":\"S-BY\",\"name\":\"白云村口\",\"kind\":\"village\",\"lat\":30.071,"
		   "\"lon\":104.641,\"village\":\"V-BY\"}",
		   b, sizeof b) == 201,
	      "stop: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/stops",
		   "{\"code\":\"S-SQ\",\"name\":\"石桥场镇\",\"kind\":\"market\",\"lat\":30.051,\"lon\":104.621}",
		   b, sizeof b) == 201 && strstr(b, "\"village\":null"),
	      "stop without village: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L-1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}",
		   b, sizeof b) == 201,
	      "line: %s", b);
}

struct refusal {
	const char *method, *path, *json;
	long status;
	const char *says;
};

static void refusals(void)
{
	const struct refusal cases[] = {
		{ "POST", "/v1/admin/villages",
		  "{\"code\":\"V-X\",\"name\":\"x\",\"town\":\"T-NONE\",\"lat\":30,\"lon\":104}", 400,
		  "no town T-NONE" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"x\",\"kind\":\"bus\",\"lat\":30,\"lon\":104}", 400,
		  "kind must be one of" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S X\",\"name\":\"x\",\"kind\":\"market\",\"lat\":30,\"lon\":104}", 400,
		  "code must be" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"x\",\"kind\":\"market\",\"lat\":95,\"lon\":104}", 400,
		  "lat must be" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"x\",\"kind\":\"market\",\"lat\":0,\"lon\":0}", 400,
		  "not a place" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"\\u0001\",\"kind\":\"market\",\"lat\":30,\"lon\":104}", 400,
		  "control characters" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"\",\"kind\":\"market\",\"lat\":30,\"lon\":104}", 400,
		  "1 to 128" },
		{ "POST", "/v1/admin/stops", "{\"code\":\"S-X\",\"kind\":\"market\",\"lat\":30,\"lon\":104}",
		  400, "needs name" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-X\",\"name\":\"x\",\"kind\":\"market\",\"lat\":30,\"lon\":104,\"latt\":1}",
		  400, "no field 'latt'" },
		{ "POST", "/v1/admin/stops",
		  "{\"code\":\"S-BY\",\"name\":\"x\",\"kind\":\"market\",\"lat\":30,\"lon\":104}", 409,
		  "already exists" },
		{ "PATCH", "/v1/admin/stops/S-BY", "{\"code\":\"S-NEW\"}", 400, "cannot change" },
		{ "PATCH", "/v1/admin/stops/S-NONE", "{\"name\":\"x\"}", 404, "no stop" },
		{ "PATCH", "/v1/admin/stops/S-BY", "{\"lat\":\"30\"}", 400, "lat must be" },
		{ "DELETE", "/v1/admin/villages/V-BY", NULL, 409, "has 1 stop (S-BY)" },
		{ "DELETE", "/v1/admin/towns/T-SQ", NULL, 409, "has 1 village (V-BY)" },
		{ "DELETE", "/v1/admin/operators/OP1", NULL, 409, "has 1 line (L-1)" },
		{ "POST", "/v1/admin/lines",
		  "{\"code\":\"L-2\",\"name\":\"x\",\"kind\":\"scheduled\",\"operator\":\"OP9\"}", 400,
		  "no operator OP9" },
		{ "POST", "/v1/admin/lines", "[1]", 400, "JSON object" },
		{ "GET", "/v1/admin/lines/L-1/extra", NULL, 404, "no admin collection" },
	};
	long long audited = h_sql_num(&t, "SELECT count(*) FROM audit");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char b[2048];
		long st = h_call(&t, cases[i].method, cases[i].path, cases[i].json, b, sizeof b);
		CHECK(st == cases[i].status && strstr(b, cases[i].says), "%s %s %s: %ld %s",
		      cases[i].method, cases[i].path, cases[i].json ? cases[i].json : "", st, b);
	}
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit") == audited, "a refusal was audited");
}

static void edits_and_audit(void)
{
	char b[4096];
	CHECK(h_call(&t, "PATCH", "/v1/admin/stops/S-BY", "{\"lat\":30.0715,\"village\":null}", b, sizeof b) ==
			  200 &&
		      strstr(b, "\"lat\":30.0715") && strstr(b, "\"village\":null") &&
		      strstr(b, "\"name\":\"白云村口\""),
	      "edit keeps untouched fields: %s", b);
	CHECK(h_sql_num(&t, "SELECT round(ST_Y(location) * 10000) FROM stop WHERE code = 'S-BY'") == 300715,
	      "stop moved in PostGIS");
	CHECK(h_call(&t, "DELETE", "/v1/admin/villages/V-BY", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"removed\""),
	      "village no longer used: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/villages/V-BY", NULL, b, sizeof b) == 404, "removed village");
	CHECK(h_call(&t, "GET", "/v1/admin/audit?limit=2", NULL, b, sizeof b) == 200, "audit");
	const char *rm = strstr(b, "\"action\":\"remove\"");
	const char *ed = strstr(b, "\"action\":\"edit\"");
	CHECK(rm && ed && rm < ed && strstr(b, "\"operator\":\"tests\"") && strstr(b, "\"key\":\"V-BY\""),
	      "audit newest first with who and what: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/audit?limit=0", NULL, b, sizeof b) == 400, "limit 0");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE entity = 'stop' AND key = 'S-BY'") == 2,
	      "stop add and edit audited");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM audit WHERE detail->>'name' = '石桥客运'") == 1,
	      "audit detail holds the record");
}

static void survives_restart(void)
{
	const char *colls[] = { "towns", "villages", "operators", "stops", "lines" };
	static char before[5][8192];
	char after[8192], path[64];
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "/v1/admin/%s", colls[i]);
		CHECK(h_call(&t, "GET", path, NULL, before[i], sizeof before[i]) == 200, "%s", path);
	}
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "/v1/admin/%s", colls[i]);
		CHECK(h_call(&t, "GET", path, NULL, after, sizeof after) == 200, "%s again", path);
		CHECK(strcmp(before[i], after) == 0, "%s differ after restart:\n%s\n%s", path,
		      before[i], after);
	}
	CHECK(strstr(before[4], "县城—石桥") && strstr(before[4], "\"operator\":\"OP1\""),
	      "lines: %s", before[4]);
	CHECK(strstr(before[0], "\"county_seat\":true") && strstr(before[0], "T-SQ"), "towns: %s",
	      before[0]);
}

int main(void)
{
	h_init(&t, "network");
	h_create_operator(&t);
	h_start(&t, NULL);
	build_network();
	refusals();
	edits_and_audit();
	survives_restart();
	return h_finish(&t);
}
