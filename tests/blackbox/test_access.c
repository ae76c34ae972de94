/*
 * Who may call what: every endpoint of the daemon's route table (method and
 * path pattern) against every kind of credential — none, a token nobody
 * issued, a revoked one, the tablets of two vehicles, two booking clients,
 * and operator tokens of each role — each cell's status class checked
 * against what this file says the endpoint needs. The list below is
 * compared with the daemon's own table both ways: an endpoint added to the
 * daemon without a line here fails this test.
 *
 * Also: booking clients see only their own rides (others' are 404, not
 * 403), 403 replies name the role needed, revoking takes effect at once,
 * and the roles survive a restart.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "fixtures.h"
#include "harness.h"

static struct h_test t;
static char tomorrow[16];

/* The credentials, in the order each endpoint is tried with them. */
enum who { NONE, BAD, REVOKED, TAB_A, TAB_B, CLIENT_Y, CLIENT_X, READ_ONLY, DISPATCHER, ADMIN, NWHO };
static const char *const who_name[] = { "no token",     "unknown token", "revoked token", "tablet of A",
					"tablet of B",  "client Y",      "client X",      "read_only",
					"dispatcher",   "admin" };
static char tokens[NWHO][128];

/*
 * What an endpoint needs, written here independently of the daemon:
 * P anyone; T a tablet (its own fixes); R, D, A an operator from read_only,
 * dispatcher, admin up; then t: also the tablet of the vehicle concerned
 * (vehicle A in the sample), b: also any booking client, B: also the booking
 * client whose ride it is (client X's ride in the sample).
 */
struct endpoint {
	const char *method;
	const char *pattern;
	const char *sample; /* {R1}, {R2}: client X's rides */
	const char *needs;
};

static const struct endpoint endpoints[] = {
	{ "GET", "/", "/", "P" },
	{ "POST", "/", "/", "P" },
	{ "POST", "/v1/fixes", "/v1/fixes", "T" },
	{ "GET", "/healthz", "/healthz", "P" },
	{ "GET", "/readyz", "/readyz", "P" },
	{ "GET", "/metrics", "/metrics", "P" },
	{ "GET", "/live", "/live", "P" },
	{ "GET", "/live/**", "/live/app.js", "P" },
	{ "GET", "/v1/gtfs-rt/*", "/v1/gtfs-rt/vehicle-positions", "P" },
	{ "GET", "/v1/live/*", "/v1/live/state", "R" },
	{ "GET", "/v1/vehicles", "/v1/vehicles", "R" },
	{ "GET", "/v1/vehicles/*/manifest", "/v1/vehicles/BUS-A/manifest?format=json", "Rt" },
	{ "POST", "/v1/vehicles/*/sign-on", "/v1/vehicles/BUS-A/sign-on", "Dt" },
	{ "POST", "/v1/vehicles/*/sign-off", "/v1/vehicles/BUS-A/sign-off", "Dt" },
	{ "POST", "/v1/vehicles/*/counts", "/v1/vehicles/BUS-A/counts", "Dt" },
	{ "GET", "/v1/trips/*/run", "/v1/trips/NOPE/run", "R" },
	{ "GET", "/v1/rides", "/v1/rides", "Rb" },
	{ "POST", "/v1/rides", "/v1/rides", "Db" },
	{ "GET", "/v1/rides/*", "/v1/rides/{R1}", "RB" },
	{ "POST", "/v1/rides/*/confirm", "/v1/rides/{R1}/confirm", "DB" },
	{ "POST", "/v1/rides/*/cancel", "/v1/rides/{R2}/cancel", "DB" },
	{ "POST", "/v1/rides/*/board", "/v1/rides/{R1}/board", "Dt" },
	{ "POST", "/v1/rides/*/no_show", "/v1/rides/{R1}/no_show", "Dt" },
	{ "POST", "/v1/rides/*/dropoff", "/v1/rides/{R1}/dropoff", "Dt" },
	{ "GET", "/v1/admin/tokens", "/v1/admin/tokens", "A" },
	{ "POST", "/v1/admin/tokens", "/v1/admin/tokens", "A" },
	{ "POST", "/v1/admin/tokens/*/revoke", "/v1/admin/tokens/nobody/revoke", "A" },
	{ "GET", "/v1/admin/clients", "/v1/admin/clients", "A" },
	{ "POST", "/v1/admin/clients", "/v1/admin/clients", "A" },
	{ "POST", "/v1/admin/clients/*/revoke", "/v1/admin/clients/nobody/revoke", "A" },
	{ "POST", "/v1/admin/vehicles", "/v1/admin/vehicles", "D" },
	{ "POST", "/v1/admin/devices", "/v1/admin/devices", "D" },
	{ "POST", "/v1/admin/devices/*/revoke", "/v1/admin/devices/nosuch/revoke", "D" },
	{ "POST", "/v1/admin/shifts", "/v1/admin/shifts", "D" },
	{ "PATCH", "/v1/admin/shifts", "/v1/admin/shifts", "D" },
	{ "DELETE", "/v1/admin/shifts", "/v1/admin/shifts", "D" },
	{ "POST", "/v1/admin/shifts/*", "/v1/admin/shifts/NOPE", "D" },
	{ "PATCH", "/v1/admin/shifts/*", "/v1/admin/shifts/NOPE", "D" },
	{ "DELETE", "/v1/admin/shifts/*", "/v1/admin/shifts/NOPE", "D" },
	{ "POST", "/v1/admin/lines/*/roster", "/v1/admin/lines/NOPE/roster", "D" },
	{ "PATCH", "/v1/admin/lines/*/roster", "/v1/admin/lines/NOPE/roster", "D" },
	{ "DELETE", "/v1/admin/lines/*/roster", "/v1/admin/lines/NOPE/roster", "D" },
	{ "GET", "/v1/admin/**", "/v1/admin/villages", "R" },
	{ "POST", "/v1/admin/**", "/v1/admin/villages", "A" },
	{ "PATCH", "/v1/admin/**", "/v1/admin/villages/NOPE", "A" },
	{ "DELETE", "/v1/admin/**", "/v1/admin/villages/NOPE", "A" },
};
#define NENDPOINTS (sizeof endpoints / sizeof endpoints[0])

static char ride1[24], ride2[24];

static long call(const char *method, const char *path, const char *token, const char *json, char *res,
		 size_t len)
{
	struct h_resp r;
	h_http(&t, method, path, json ? "application/json" : NULL, token, json, json ? strlen(json) : 0, &r);
	if (res)
		snprintf(res, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static long admin(const char *method, const char *path, const char *json, char *res, size_t len)
{
	return call(method, path, t.op_token, json, res, len);
}

/* Makes a credential through the admin API; its token into out. */
static void credential(const char *kind, const char *json, char *out)
{
	char b[2048], path[64];
	snprintf(path, sizeof path, "/v1/admin/%s", kind);
	REQUIRE(admin("POST", path, json, b, sizeof b) == 201, "%s %s: %s", kind, json, b);
	h_member(b, "token", out, 128);
	REQUIRE(strlen(out) == 43, "token in %s", b);
	CHECK(!h_log_has(&t, out), "a token was logged");
}

static void book(const char *token, const char *rider, char *id)
{
	char json[512], b[8192];
	snprintf(json, sizeof json,
		 "{\"rider\":\"%s\",\"from\":{\"village\":\"V1\"},\"to\":{\"village\":\"V2\"},"
		 "\"leave_after\":\"%sT10:00\"}",
		 rider, tomorrow);
	REQUIRE(call("POST", "/v1/rides", token, json, b, sizeof b) == 201, "booking: %s", b);
	CHECK(strstr(b, "\"state\":\"offered\"") && strstr(b, "\"vehicle\":\"BUS-A\""), "offered on BUS-A: %s", b);
	h_member(b, "id", id, 24);
	REQUIRE(*id, "ride id in %s", b);
}

static void setup(void)
{
	char b[8192], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	h_county_date(1, tomorrow, sizeof tomorrow);
	admin("POST", "/v1/admin/towns", "{\"code\":\"T1\",\"name\":\"石桥镇\",\"lat\":30.0,\"lon\":104.5}", b, sizeof b);
	admin("POST", "/v1/admin/villages", "{\"code\":\"V1\",\"name\":\"石堰村\",\"town\":\"T1\",\"lat\":30.0005,\"lon\":104.5}",
	      b, sizeof b);
	admin("POST", "/v1/admin/villages", "{\"code\":\"V2\",\"name\":\"高峰村\",\"town\":\"T1\",\"lat\":30.08,\"lon\":104.56}",
	      b, sizeof b);
	admin("POST", "/v1/admin/stops",
	      "{\"code\":\"DEPOT\",\"name\":\"车站\",\"kind\":\"depot\",\"lat\":30.005,\"lon\":104.51}", b, sizeof b);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}", today,
		 later);
	REQUIRE(admin("POST", "/v1/admin/calendars", json, b, sizeof b) == 201, "calendar: %s", b);
	REQUIRE(admin("POST", "/v1/admin/vehicles", "{\"code\":\"BUS-A\",\"seats\":8}", b, sizeof b) == 201, "%s", b);
	REQUIRE(admin("POST", "/v1/admin/vehicles", "{\"code\":\"BUS-B\",\"seats\":8}", b, sizeof b) == 201, "%s", b);
	REQUIRE(admin("POST", "/v1/admin/shifts",
		      "{\"code\":\"DRT-A\",\"vehicle\":\"BUS-A\",\"calendar\":\"DAILY\",\"depot\":\"DEPOT\","
		      "\"start\":\"07:00\",\"end\":\"19:00\"}",
		      b, sizeof b) == 201,
		"shift: %s", b);
	h_add_device(&t, "tab-a", "BUS-A", tokens[TAB_A]);
	h_add_device(&t, "tab-b", "BUS-B", tokens[TAB_B]);
	snprintf(tokens[BAD], sizeof tokens[BAD], "%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	REQUIRE(strlen(t.op_token) < sizeof tokens[ADMIN], "token length");
	memcpy(tokens[ADMIN], t.op_token, strlen(t.op_token) + 1);
	credential("tokens", "{\"name\":\"desk-ro\",\"role\":\"read_only\"}", tokens[READ_ONLY]);
	credential("tokens", "{\"name\":\"desk-1\",\"role\":\"dispatcher\"}", tokens[DISPATCHER]);
	credential("tokens", "{\"name\":\"gone\",\"role\":\"admin\"}", tokens[REVOKED]);
	credential("clients", "{\"name\":\"kiosk-x\"}", tokens[CLIENT_X]);
	credential("clients", "{\"name\":\"wechat-y\"}", tokens[CLIENT_Y]);
	/* A revoked admin token stops working with the very next request. */
	CHECK(call("GET", "/v1/admin/tokens", tokens[REVOKED], NULL, b, sizeof b) == 200, "before revoking: %s", b);
	CHECK(admin("POST", "/v1/admin/tokens/gone/revoke", NULL, b, sizeof b) == 200 && strstr(b, "\"revoked_at\":\""),
	      "revoke: %s", b);
	book(tokens[CLIENT_X], "rider-1", ride1);
	book(tokens[CLIENT_X], "rider-2", ride2);
}

/* The sample path with the rides' ids put in. */
static void sample_path(const struct endpoint *e, char *out, size_t len)
{
	const char *at = strchr(e->sample, '{');
	if (!at) {
		snprintf(out, len, "%s", e->sample);
		return;
	}
	const char *id = at[2] == '1' ? ride1 : ride2;
	snprintf(out, len, "%.*s%s%s", (int)(at - e->sample), e->sample, id, at + 4);
}

enum class { OK, OWN, UNAUTHENTICATED, FORBIDDEN, HIDDEN };

static enum class expected(const struct endpoint *e, enum who w)
{
	const char *n = e->needs;
	if (n[0] == 'P')
		return OK;
	if (w == NONE || w == BAD || w == REVOKED)
		return UNAUTHENTICATED;
	bool tablet = strchr(n, 't') != NULL, any_client = strchr(n, 'b') != NULL,
	     own_client = strchr(n, 'B') != NULL;
	int need = n[0] == 'R' ? 1 : n[0] == 'D' ? 2 : n[0] == 'A' ? 3 : 99;
	switch (w) {
	case TAB_A:
		return n[0] == 'T' ? OK : tablet ? OWN : FORBIDDEN;
	case TAB_B:
		return n[0] == 'T' ? OK : FORBIDDEN;
	case CLIENT_X:
		return any_client ? OK : own_client ? OWN : FORBIDDEN;
	case CLIENT_Y:
		return any_client ? OK : own_client ? HIDDEN : FORBIDDEN;
	case READ_ONLY:
		return need <= 1 ? OK : FORBIDDEN;
	case DISPATCHER:
		return need <= 2 ? OK : FORBIDDEN;
	case ADMIN:
		return need <= 3 ? OK : FORBIDDEN;
	default:
		return FORBIDDEN;
	}
}

static bool fits(enum class c, long status)
{
	switch (c) {
	case OK:
		return status >= 200 && status < 500 && status != 401 && status != 403 && status != 429;
	case OWN:
		return status >= 200 && status < 500 && status != 401 && status != 403 && status != 404 &&
		       status != 429;
	case UNAUTHENTICATED:
		return status == 401;
	case FORBIDDEN:
		return status == 403;
	case HIDDEN:
		return status == 404;
	}
	return false;
}

static const char *class_name(enum class c)
{
	static const char *const names[] = { "allowed", "allowed (its own)", "401", "403", "404 (not its own)" };
	return names[c];
}

static unsigned method_bit(const char *m)
{
	return !strcmp(m, "GET") ? ACCESS_GET : !strcmp(m, "POST") ? ACCESS_POST : !strcmp(m, "PATCH") ? ACCESS_PATCH
											: ACCESS_DELETE;
}

/* The list above and the daemon's table name the same endpoints. */
static void same_endpoints(void)
{
	for (size_t i = 0; i < access_nroutes; i++)
		for (unsigned bit = 1; bit <= ACCESS_DELETE; bit <<= 1) {
			if (!(access_routes[i].methods & bit))
				continue;
			bool listed = false;
			for (size_t k = 0; k < NENDPOINTS && !listed; k++)
				listed = method_bit(endpoints[k].method) == bit &&
					 strcmp(endpoints[k].pattern, access_routes[i].pattern) == 0;
			CHECK(listed, "%s %s is in the daemon's route table but not in this test", access_method_name(bit),
			      access_routes[i].pattern);
		}
	for (size_t k = 0; k < NENDPOINTS; k++) {
		bool found = false;
		for (size_t i = 0; i < access_nroutes && !found; i++)
			found = (access_routes[i].methods & method_bit(endpoints[k].method)) &&
				strcmp(access_routes[i].pattern, endpoints[k].pattern) == 0;
		CHECK(found, "%s %s is in this test but not in the daemon's route table", endpoints[k].method,
		      endpoints[k].pattern);
		/* The sample is routed by the entry it stands for. */
		char path[256];
		sample_path(&endpoints[k], path, sizeof path);
		path[strcspn(path, "?")] = '\0';
		const struct access_route *r = access_find(method_bit(endpoints[k].method), path);
		CHECK(r && strcmp(r->pattern, endpoints[k].pattern) == 0, "%s %s is routed by %s", endpoints[k].method,
		      path, r ? r->pattern : "nothing");
	}
}

static void matrix(void)
{
	static char b[65536];
	size_t cells = 0;
	for (size_t k = 0; k < NENDPOINTS; k++) {
		const struct endpoint *e = &endpoints[k];
		char path[256];
		sample_path(e, path, sizeof path);
		bool body = strcmp(e->method, "GET") != 0;
		for (enum who w = 0; w < NWHO; w++) {
			enum class want = expected(e, w);
			long st = call(e->method, path, w == NONE ? NULL : tokens[w], body ? "{}" : NULL, b, sizeof b);
			cells++;
			CHECK(fits(want, st), "%s %s with %s: %ld, expected %s: %.300s", e->method, path, who_name[w], st,
			      class_name(want), b);
			if (want == FORBIDDEN && w >= READ_ONLY && strchr("RDA", e->needs[0]))
				CHECK(strstr(b, "\"role_needed\":\"") && strstr(b, "token"),
				      "%s %s with %s: the 403 names the role needed: %.300s", e->method, path, who_name[w], b);
			if (want == UNAUTHENTICATED)
				CHECK(strstr(b, "\"error\":\"unauthorized\""), "401 body: %.300s", b);
		}
	}
	fprintf(stderr, "access matrix: %zu endpoints x %d credentials = %zu cells\n", NENDPOINTS, NWHO, cells);
}

/* Each booking client sees only its own rides. */
static void own_rides(void)
{
	static char b[65536];
	char r3[24], json[512];
	book(tokens[CLIENT_Y], "rider-3", r3);
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_X], NULL, b, sizeof b) == 200 && !strstr(b, "rider-3"),
	      "X does not see Y's ride: %.500s", b);
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_Y], NULL, b, sizeof b) == 200 && strstr(b, "rider-3") &&
		      !strstr(b, "rider-1") && !strstr(b, "rider-2"),
	      "Y sees its own only: %.500s", b);
	CHECK(call("GET", "/v1/rides", tokens[DISPATCHER], NULL, b, sizeof b) == 200 && strstr(b, "rider-3"),
	      "operators see every ride: %.500s", b);
	snprintf(json, sizeof json, "/v1/rides/%s/cancel", r3);
	CHECK(call("POST", json, tokens[CLIENT_X], "{}", b, sizeof b) == 404, "X cannot cancel Y's ride: %s", b);
	CHECK(call("POST", json, tokens[CLIENT_Y], "{}", b, sizeof b) == 200 && strstr(b, "\"state\":\"cancelled\""),
	      "Y cancels its own: %s", b);
	/* Closed now: the owner hears it is not open, the other client that there is no such ride. */
	CHECK(call("POST", json, tokens[CLIENT_Y], "{}", b, sizeof b) == 409, "Y, closed: %s", b);
	CHECK(call("POST", json, tokens[CLIENT_X], "{}", b, sizeof b) == 404, "X, closed: %s", b);
	/* The ride records its client. */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride r JOIN booking_client c ON c.id = r.client_id"
			    " WHERE c.name = 'wechat-y' AND r.id = %s",
			r3) == 1,
	      "ride %s recorded as wechat-y's", r3);
	/* The same client_ref from two clients is two rides. */
	/* Tomorrow morning, within the van's shift whatever the hour the test runs. */
	char ask[512];
	snprintf(ask, sizeof ask,
		 "{\"rider\":\"rider-9\",\"client_ref\":\"order-1\",\"from\":{\"village\":\"V1\"},"
		 "\"to\":{\"village\":\"V2\"},\"leave_after\":\"%sT11:00\"}",
		 tomorrow);
	CHECK(call("POST", "/v1/rides", tokens[CLIENT_X], ask, b, sizeof b) == 201, "X order-1: %s", b);
	CHECK(call("POST", "/v1/rides", tokens[CLIENT_Y], ask, b, sizeof b) == 201, "Y order-1: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(DISTINCT client_id) FROM ride WHERE client_ref = 'order-1'") == 2,
	      "one ride per client");
}

/* A slash hidden as %2F does not take a dispatcher past the route table. */
static void hidden_slash(void)
{
	char b[4096];
	const char *paths[] = { "/v1/admin/lines/L1%2Froutes/roster", "/v1/admin/lines/L1%2ftimetable/roster",
				"/v1/admin/shifts/X%2F..%2F..%2Ftokens" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		CHECK(call("POST", paths[i], tokens[DISPATCHER], "{\"stops\":[\"DEPOT\"]}", b, sizeof b) == 400,
		      "%s: %s", paths[i], b);
}

static void revocations(void)
{
	char b[4096];
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_Y], NULL, b, sizeof b) == 200, "Y before: %s", b);
	CHECK(admin("POST", "/v1/admin/clients/wechat-y/revoke", NULL, b, sizeof b) == 200, "revoke Y: %s", b);
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_Y], NULL, b, sizeof b) == 401, "Y after: %s", b);
	CHECK(admin("POST", "/v1/admin/devices/tab-b/revoke", NULL, b, sizeof b) == 200, "revoke tab-b: %s", b);
	CHECK(call("GET", "/v1/vehicles/BUS-B/manifest", tokens[TAB_B], NULL, b, sizeof b) == 401, "tab-b after: %s", b);
	/* Listing shows names and roles, never a secret. */
	CHECK(admin("GET", "/v1/admin/tokens", NULL, b, sizeof b) == 200 && strstr(b, "\"name\":\"desk-ro\"") &&
		      strstr(b, "\"role\":\"read_only\"") && !strstr(b, tokens[READ_ONLY]) && !strstr(b, "\"token\""),
	      "token list: %s", b);
	CHECK(admin("POST", "/v1/admin/tokens", "{\"name\":\"desk-2\",\"role\":\"root\"}", b, sizeof b) == 400,
	      "unknown role: %s", b);
	CHECK(admin("POST", "/v1/admin/tokens", "{\"name\":\"desk-1\",\"role\":\"admin\"}", b, sizeof b) == 409,
	      "name taken: %s", b);
	CHECK(admin("POST", "/v1/admin/clients", "{\"name\":\"bad name\"}", b, sizeof b) == 400, "bad name: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM operator_token WHERE role = 'admin'") == 3,
	      "the first token (--create-operator without --role), old-desk and 'gone' are admins");
}

static char cli_out[16384];

static int cli(const char *token, const char *first, ...)
{
	char file[512];
	h_write_file(&t, file, sizeof file, "cli.token", token);
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, file, cli_out, sizeof cli_out, first, ap);
	va_end(ap);
	return rc;
}

/* The same through jintong token and jintong client. */
static void with_the_cli(void)
{
	CHECK(cli(t.op_token, "token", "add", "night-desk", "--role", "dispatcher", NULL) == 0 &&
		      strstr(cli_out, "token: ") && strstr(cli_out, "dispatcher"),
	      "token add: %s", cli_out);
	char night[64] = "";
	const char *p = strstr(cli_out, "token: ");
	if (p)
		snprintf(night, sizeof night, "%.43s", p + 7);
	CHECK(strlen(night) == 43 && !h_log_has(&t, night), "the token is printed, not logged");
	CHECK(cli(night, "vehicle", "add", "BUS-N", NULL) == 0, "the dispatcher adds a vehicle: %s", cli_out);
	CHECK(cli(night, "town", "add", "T9", "--name", "新镇", "--at", "30.1,104.6", NULL) == 5 &&
		      strstr(cli_out, "admin"),
	      "but not a town, and hears which role could: %s", cli_out);
	CHECK(cli(night, "token", "list", NULL) == 5, "nor list tokens: %s", cli_out);
	CHECK(cli(t.op_token, "token", "list", NULL) == 0 && h_line_with(cli_out, "night-desk", "dispatcher", NULL) &&
		      h_line_with(cli_out, "desk-ro", "read_only", NULL) && !strstr(cli_out, night),
	      "token list: %s", cli_out);
	CHECK(cli(t.op_token, "token", "add", "x", "--role", "root", NULL) == 2, "bad role: %s", cli_out);
	CHECK(cli(t.op_token, "token", "revoke", "night-desk", NULL) == 0, "token revoke: %s", cli_out);
	CHECK(cli(night, "vehicle", "list", NULL) == 5, "revoked: %s", cli_out);
	CHECK(cli(t.op_token, "token", "revoke", "nobody", NULL) == 3, "unknown: %s", cli_out);
	CHECK(cli(t.op_token, "client", "add", "kiosk-z", NULL) == 0 && strstr(cli_out, "token: "), "client add: %s",
	      cli_out);
	CHECK(cli(t.op_token, "client", "list", NULL) == 0 && h_line_with(cli_out, "kiosk-z", NULL) &&
		      h_line_with(cli_out, "kiosk-x", NULL),
	      "client list: %s", cli_out);
	CHECK(cli(t.op_token, "client", "revoke", "kiosk-z", NULL) == 0, "client revoke: %s", cli_out);
}

/* After a restart the roles, clients and revocations are as they were. */
static void restart(void)
{
	char b[4096];
	h_stop(&t, SIGTERM);
	/* jintongd --create-operator with a role, and a role that is none. */
	char made[256];
	const char *ro[] = { "--create-operator", "bureau", "--role", "read_only", NULL };
	CHECK(h_run_daemon_once(&t, ro, made, sizeof made) == 0, "--role read_only: %s", made);
	made[strcspn(made, "\n")] = '\0';
	const char *bad[] = { "--create-operator", "bureau-2", "--role", "root", NULL };
	CHECK(h_run_daemon_once(&t, bad, NULL, 0) != 0, "--role root accepted");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM operator_token WHERE name = 'bureau-2'") == 0, "bureau-2 stored");
	const char *args[] = { "--rate-limit-per-s", "0", NULL };
	h_start(&t, args);
	CHECK(strlen(made) == 43 && call("GET", "/v1/admin/tokens", made, NULL, b, sizeof b) == 403 &&
		      strstr(b, "\"role_needed\":\"admin\"") && strstr(b, "read_only token"),
	      "bureau is read_only: %s", b);
	CHECK(call("GET", "/v1/live/state", made, NULL, b, sizeof b) == 200, "bureau reads: %.200s", b);
	CHECK(call("GET", "/v1/admin/villages", tokens[READ_ONLY], NULL, b, sizeof b) == 200, "read_only: %s", b);
	CHECK(call("POST", "/v1/admin/villages", tokens[READ_ONLY], "{}", b, sizeof b) == 403, "read_only write: %s", b);
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_X], NULL, b, sizeof b) == 200 && strstr(b, "rider-9"),
	      "client X and its open ride: %.300s", b);
	CHECK(call("GET", "/v1/rides", tokens[CLIENT_Y], NULL, b, sizeof b) == 401, "revoked Y: %s", b);
	CHECK(call("GET", "/v1/admin/info", tokens[REVOKED], NULL, b, sizeof b) == 401, "revoked token: %s", b);
}

/* A token from before roles, taken back to before migration 012 and brought forward again. */
static const char old_token[] = "0ld-desk-token-made-before-roles-existed-00";

static void from_before_roles(void)
{
	const char *back[] = {
		"ALTER TABLE ride DROP COLUMN client_id", /* its indexes go with it */
		"ALTER TABLE ride ADD CONSTRAINT ride_client_ref_key UNIQUE (client_ref)",
		"DROP TABLE booking_client",
		"ALTER TABLE operator_token DROP COLUMN role",
		"DELETE FROM schema_migration WHERE version = 12",
	};
	for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
		REQUIRE(h_sql_exec(&t, "%s", back[i]) == 0, "back to before 012: %s", back[i]);
	REQUIRE(h_sql_exec(&t, "INSERT INTO operator_token (name, token_hash)"
			       " VALUES ('old-desk', sha256(convert_to('%s', 'UTF8')))",
			   old_token) == 0,
		"a token from before roles");
	const char *migrate[] = { "--migrate", NULL };
	CHECK(h_run_daemon_once(&t, migrate, NULL, 0) == 0, "--migrate");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM operator_token WHERE role = 'admin'") == 2,
	      "tokens from before roles are admins");
}

int main(void)
{
	h_init(&t, "access");
	h_create_operator(&t);
	from_before_roles();
	/* Many requests from one address: the rate limits have a test of their own. */
	const char *args[] = { "--rate-limit-per-s", "0", NULL };
	h_start(&t, args);
	char b[4096];
	CHECK(call("GET", "/v1/admin/tokens", old_token, NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"name\":\"old-desk\",\"role\":\"admin\""),
	      "the old token is an admin's: %s", b);
	setup();
	same_endpoints();
	matrix();
	own_rides();
	hidden_slash();
	revocations();
	with_the_cli();
	restart();
	return h_finish(&t);
}
