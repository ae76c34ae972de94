/*
 * The admin API: operator tokens, vehicles and devices, every refusal, and
 * that what operators were told survives a restart.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct h_test t;

static long admin(const char *method, const char *path, const char *json, char *body, size_t len)
{
	struct h_resp r;
	h_admin(&t, method, path, json, &r);
	if (body)
		snprintf(body, len, "%s", r.body);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static void authentication(void)
{
	const char *paths[] = { "/v1/admin/vehicles", "/v1/admin/devices", "/v1/vehicles" };
	for (size_t i = 0; i < 3; i++) {
		struct h_resp r;
		h_http(&t, "GET", paths[i], NULL, NULL, NULL, 0, &r);
		CHECK(r.status == 401, "%s without token: %ld", paths[i], r.status);
		h_resp_free(&r);
		h_http(&t, "GET", paths[i], NULL, "wrong", NULL, 0, &r);
		CHECK(r.status == 401, "%s with a wrong token: %ld", paths[i], r.status);
		h_resp_free(&r);
	}
}

static void vehicles(void)
{
	char body[4096];
	CHECK(admin("POST", "/v1/admin/vehicles",
		    "{\"code\":\"BUS-1\",\"name\":\"县城—石桥 班线\",\"seats\":40,\"cargo_l\":800}",
		    body, sizeof body) == 201,
	      "add: %s", body);
	CHECK(strstr(body, "\"name\":\"县城—石桥 班线\"") && strstr(body, "\"cargo_l\":800"),
	      "added vehicle: %s", body);
	CHECK(admin("POST", "/v1/admin/vehicles", "{\"code\":\"BUS-1\"}", body, sizeof body) == 409,
	      "duplicate: %s", body);
	const char *bad[] = {
		"{\"code\":\"bad code\"}", "{\"code\":\"\"}", "{\"name\":\"no code\"}",
		"{\"code\":\"BUS-2\",\"seats\":500}", "{\"code\":\"BUS-2\",\"seats\":\"40\"}",
		"{\"code\":\"BUS-2\",\"seats\":-1}", "{\"code\":17}", "[1,2]", "not json",
		"{\"code\":\"BUS-2\"} trailing", "{\"code\":\"abcdefghijklmnopqrstuvwxyz0123456789\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(admin("POST", "/v1/admin/vehicles", bad[i], body, sizeof body) == 400,
		      "%s accepted: %s", bad[i], body);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM vehicle") == 1, "refused vehicles stored");
	CHECK(admin("GET", "/v1/admin/vehicles", NULL, body, sizeof body) == 200 &&
		      strstr(body, "\"code\":\"BUS-1\""),
	      "list: %s", body);
	CHECK(admin("GET", "/v1/admin/vehicles/BUS-1", NULL, body, sizeof body) == 200 &&
		      strstr(body, "\"devices\":[]") && strstr(body, "\"position\":null"),
	      "show: %s", body);
	CHECK(admin("GET", "/v1/admin/vehicles/NOPE", NULL, body, sizeof body) == 404, "unknown");
	CHECK(admin("GET", "/v1/admin/nothing", NULL, body, sizeof body) == 404, "unknown path");
}

static void devices(void)
{
	char body[4096];
	CHECK(admin("POST", "/v1/admin/devices", "{\"device_id\":\"tab-1\",\"vehicle\":\"NOPE\"}",
		    body, sizeof body) == 404,
	      "unknown vehicle: %s", body);
	CHECK(admin("POST", "/v1/admin/devices", "{\"device_id\":\"tab-1\"}", body, sizeof body) == 400,
	      "no vehicle: %s", body);
	CHECK(admin("POST", "/v1/admin/devices", "{\"device_id\":\"tab 1\",\"vehicle\":\"BUS-1\"}",
		    body, sizeof body) == 400,
	      "id with a space: %s", body);
	char token[128];
	h_add_device(&t, "tab-1", "BUS-1", token);
	CHECK(strlen(token) == 43, "token length %zu", strlen(token));
	CHECK(admin("POST", "/v1/admin/devices", "{\"device_id\":\"tab-1\",\"vehicle\":\"BUS-1\"}",
		    body, sizeof body) == 409,
	      "duplicate device: %s", body);
	/* Only the hash is stored. */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM device WHERE token_hash = sha256('%s'::bytea)",
			token) == 1,
	      "token hash not stored");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM device d WHERE d::text LIKE '%%%s%%'", token) == 0,
	      "token stored in clear");
	CHECK(admin("GET", "/v1/admin/devices", NULL, body, sizeof body) == 200 &&
		      strstr(body, "\"device_id\":\"tab-1\"") && !strstr(body, token),
	      "list shows the token or lacks the device: %s", body);
	CHECK(admin("GET", "/v1/admin/vehicles", NULL, body, sizeof body) == 200 &&
		      strstr(body, "\"device_count\":1"),
	      "device count: %s", body);
	CHECK(admin("POST", "/v1/admin/devices/nope/revoke", NULL, body, sizeof body) == 404,
	      "revoke unknown: %s", body);
	CHECK(admin("POST", "/v1/admin/devices/tab-1/revoke", NULL, body, sizeof body) == 200,
	      "revoke: %s", body);
	char first[4096];
	snprintf(first, sizeof first, "%s", body);
	CHECK(admin("POST", "/v1/admin/devices/tab-1/revoke", NULL, body, sizeof body) == 200 &&
		      strcmp(first, body) == 0,
	      "revoking twice changed the record: %s", body);
	CHECK(admin("GET", "/v1/admin/devices/tab-1/revoke", NULL, body, sizeof body) == 405,
	      "GET on revoke");
}

static void survives_restart(void)
{
	char before[4096], after[4096];
	CHECK(admin("GET", "/v1/admin/devices", NULL, before, sizeof before) == 200, "devices");
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");
	h_start(&t, NULL);
	CHECK(admin("GET", "/v1/admin/devices", NULL, after, sizeof after) == 200, "devices again");
	CHECK(strcmp(before, after) == 0, "devices differ after restart:\n%s\n%s", before, after);
	CHECK(admin("GET", "/v1/admin/vehicles/BUS-1", NULL, after, sizeof after) == 200 &&
		      strstr(after, "县城—石桥 班线"),
	      "vehicle after restart: %s", after);
}

int main(void)
{
	h_init(&t, "admin");
	h_create_operator(&t);
	h_start(&t, NULL);
	authentication();
	vehicles();
	devices();
	survives_restart();
	/* A second operator with the same name is refused. */
	const char *args[] = { "--create-operator", "tests", NULL };
	char out[512];
	CHECK(h_run_daemon_once(&t, args, out, sizeof out) != 0, "duplicate operator name accepted");
	return h_finish(&t);
}
