/*
 * The coverage report: each village's distance to the nearest stop a line
 * serves today, the 2 km yardstick (or another limit), and the sums by town
 * and by transport company. A stop on a route that takes effect later does
 * not count yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"

static struct h_test t;

static void post(const char *path, const char *json)
{
	char b[2048];
	long st = h_call(&t, "POST", path, json, b, sizeof b);
	REQUIRE(st == 201, "%s %s: %ld %s", path, json, st, b);
}

int main(void)
{
	h_init(&t, "coverage");
	h_create_operator(&t);
	h_start(&t, NULL);
	char later[16], json[512];
	time_t when = time(NULL) + 8 * 3600 + 30 * 86400;
	struct tm tm;
	gmtime_r(&when, &tm);
	strftime(later, sizeof later, "%Y-%m-%d", &tm);

	post("/v1/admin/towns", "{\"code\":\"T1\",\"name\":\"县城\",\"lat\":30.0,\"lon\":104.4,\"county_seat\":true}");
	post("/v1/admin/towns", "{\"code\":\"T2\",\"name\":\"石桥镇\",\"lat\":30.5,\"lon\":104.4}");
	post("/v1/admin/villages", "{\"code\":\"V1\",\"name\":\"白云村\",\"town\":\"T1\",\"lat\":30.0,\"lon\":104.5}");
	post("/v1/admin/villages", "{\"code\":\"V2\",\"name\":\"青山村\",\"town\":\"T1\",\"lat\":30.127,\"lon\":104.5}");
	post("/v1/admin/villages", "{\"code\":\"V3\",\"name\":\"高坪村\",\"town\":\"T2\",\"lat\":30.3,\"lon\":104.5}");
	post("/v1/admin/villages", "{\"code\":\"V4\",\"name\":\"河口村\",\"town\":\"T2\",\"lat\":30.6,\"lon\":104.501}");
	post("/v1/admin/stops", "{\"code\":\"S1\",\"name\":\"白云\",\"kind\":\"village\",\"lat\":30.0045,\"lon\":104.5}");
	post("/v1/admin/stops", "{\"code\":\"S2\",\"name\":\"青山\",\"kind\":\"roadside\",\"lat\":30.1,\"lon\":104.5}");
	post("/v1/admin/stops", "{\"code\":\"S3\",\"name\":\"河口\",\"kind\":\"roadside\",\"lat\":30.6,\"lon\":104.5}");
	post("/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"县客运\"}");
	post("/v1/admin/operators", "{\"code\":\"OP2\",\"name\":\"石桥客运\"}");
	post("/v1/admin/lines", "{\"code\":\"L1\",\"name\":\"县城—青山\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}");
	post("/v1/admin/lines", "{\"code\":\"L2\",\"name\":\"河口\",\"kind\":\"market_day\",\"operator\":\"OP2\"}");
	post("/v1/admin/lines/L1/routes", "{\"stops\":[\"S1\",\"S2\"]}");
	snprintf(json, sizeof json, "{\"stops\":[\"S2\",\"S3\"],\"from\":\"%s\"}", later);
	post("/v1/admin/lines/L2/routes", json); /* not in effect yet */

	static char b[16384];
	CHECK(h_call(&t, "GET", "/v1/admin/coverage", NULL, b, sizeof b) == 200, "coverage: %s", b);
	CHECK(strstr(b, "{\"village\":\"V1\",\"name\":\"白云村\",\"town\":\"T1\",\"nearest_stop\":\"S1\","
			"\"distance_m\":500,\"lines\":[\"L1\"],\"within_limit\":true}"),
	      "V1 half a kilometre from S1: %s", b);
	CHECK(strstr(b, "\"village\":\"V2\",\"name\":\"青山村\",\"town\":\"T1\",\"nearest_stop\":\"S2\","
			"\"distance_m\":3002,") && strstr(b, "\"within_limit\":false"),
	      "V2 three kilometres from S2: %s", b);
	CHECK(strstr(b, "\"village\":\"V4\",\"name\":\"河口村\",\"town\":\"T2\",\"nearest_stop\":\"S2\""),
	      "S3 is not served until L2's route takes effect: %s", b);
	CHECK(strstr(b, "\"summary\":{\"villages\":4,\"within_limit\":1,\"served_stops\":2}"),
	      "summary: %s", b);
	CHECK(strstr(b, "\"by_town\":{\"T1\":{\"villages\":2,\"within_limit\":1},"
			"\"T2\":{\"villages\":2,\"within_limit\":0}}"),
	      "by town: %s", b);
	CHECK(strstr(b, "\"by_operator\":{\"OP1\":1}"), "by operator: %s", b);

	CHECK(h_call(&t, "GET", "/v1/admin/coverage?limit_m=5000", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"within_limit\":2,") && strstr(b, "\"limit_m\":5000"),
	      "a 5 km limit: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/coverage?limit_m=far", NULL, b, sizeof b) == 400, "bad limit");
	CHECK(h_call(&t, "GET", "/v1/admin/coverage?limit_m=10", NULL, b, sizeof b) == 400, "tiny limit");

	/* The operators' view of the same report. */
	const char *cli = getenv("JINTONG_CLI");
	if (cli) {
		const char *argv[] = { cli, "--url", t.d.url, "--token", t.op_token, "coverage", NULL };
		int rc = h_exec(argv, b, sizeof b);
		CHECK(rc == 0 && strstr(b, "1 of 4 villages (25%) have a served stop within 2.0 km") &&
			      strstr(b, "none served") == NULL && strstr(b, "3.0 km"),
		      "jintong coverage: %d %s", rc, b);
		const char *far[] = { cli, "--url", t.d.url, "--token", t.op_token, "coverage",
				      "--limit", "5000", NULL };
		rc = h_exec(far, b, sizeof b);
		CHECK(rc == 0 && strstr(b, "2 of 4 villages"), "--limit 5000: %d %s", rc, b);
		const char *bad[] = { cli, "--url", t.d.url, "--token", t.op_token, "coverage",
				      "--limit", "2km", NULL };
		CHECK(h_exec(bad, b, sizeof b) == 2, "--limit 2km accepted: %s", b);
	}
	return h_finish(&t);
}
