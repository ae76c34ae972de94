/*
 * The safety net: vehicles on booking duty. A ride no timetabled trip can
 * carry goes to a vehicle on duty, with a pickup window and a latest
 * arrival; a ride the timetable can carry gets its seat instead; riders
 * going the same way share the vehicle while it has seats; a full vehicle
 * or a day without duty is a refusal; cancelling frees the place; shifts
 * that overlap, or that still have riders, are refused; and a restart puts
 * every rider back in the plan with the promise given.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "harness.h"
#include "jintong.pb-c.h"

static struct h_test t;
static char tomorrow[16];
static char token_file[400];
static char cli_out[32768];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, cli_out, sizeof cli_out, first, ap);
	va_end(ap);
	return rc;
}

static void setup(void)
{
	char b[8192], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}", b, sizeof b);
	h_call(&t, "POST", "/v1/admin/towns", "{\"code\":\"T1\",\"name\":\"石桥镇\",\"lat\":30.0,\"lon\":104.5}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/villages",
		   "{\"code\":\"V1\",\"name\":\"石堰村\",\"town\":\"T1\",\"lat\":30.0005,\"lon\":104.5}", b,
		   sizeof b) == 201, "village: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/villages",
		   "{\"code\":\"V2\",\"name\":\"高峰村\",\"town\":\"T1\",\"lat\":30.08,\"lon\":104.56}", b,
		   sizeof b) == 201, "far village: %s", b);
	h_call(&t, "POST", "/v1/admin/lines", "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}",
	     b, sizeof b);
	const char *stops[] = { "A", "B", "C" };
	for (int i = 0; i < 3; i++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%s\",\"name\":\"%s\",\"kind\":\"roadside\",\"lat\":%.2f,\"lon\":104.5}", stops[i],
			 stops[i], 30.0 + i * 0.01);
		h_call(&t, "POST", "/v1/admin/stops", json, b, sizeof b);
	}
	h_call(&t, "POST", "/v1/admin/stops",
	     "{\"code\":\"DEPOT\",\"name\":\"车站\",\"kind\":\"depot\",\"lat\":30.005,\"lon\":104.51}", b, sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", "{\"stops\":[\"A\",\"B\",\"C\"]}", b, sizeof b) == 201,
	      "route: %s", b);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}", today,
		 later);
	CHECK(h_call(&t, "POST", "/v1/admin/calendars", json, b, sizeof b) == 201, "calendar: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"08:00\",\"last\":\"08:00\",\"every\":\"1h\"}", b, sizeof b) == 201,
	      "timetable: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/vehicles", "{\"code\":\"VAN-1\",\"seats\":3,\"cargo_l\":200}", b, sizeof b) == 201,
	      "van: %s", b);
}

static long as_device(const char *token, const char *method, const char *path, char *b, size_t len)
{
	struct h_resp r;
	h_http(&t, method, path, method[0] == 'P' ? "application/json" : NULL, token, method[0] == 'P' ? "{}" : NULL,
	       method[0] == 'P' ? 2 : 0, &r);
	if (b)
		snprintf(b, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

/* The driver's side: the manifest on the van's tablet, and its reports. */
static void driver(const char *id)
{
	static char b[65536];
	char tok[128], other[128], path[96];
	h_add_vehicle(&t, "BUS-9");
	h_add_device(&t, "tab-van", "VAN-1", tok);
	h_add_device(&t, "tab-bus", "BUS-9", other);
	CHECK(as_device(tok, "GET", "/v1/vehicles/VAN-1/manifest?format=json", b, sizeof b) == 200, "manifest: %s", b);
	/* r2 and r4 board at the village and alight at V2; the parcel goes from C. */
	const char *p2 = strstr(b, "\"ride\":\"");
	CHECK(p2 && strstr(b, "\"kind\":\"pickup\"") && strstr(b, "\"kind\":\"dropoff\"") &&
		      strstr(b, "\"rider\":\"shop1\"") && strstr(b, "\"parcels_l\":40") && strstr(b, "\"stop\":\"C\""),
	      "manifest content: %s", b);
	const char *first_pick = strstr(b, "\"kind\":\"pickup\"");
	const char *first_drop = strstr(b, "\"kind\":\"dropoff\"");
	CHECK(first_pick && first_drop && first_pick < first_drop, "pickups before their drop-offs: %s", b);
	/* The same as protobuf, decoded. */
	struct h_resp r;
	h_http(&t, "GET", "/v1/vehicles/VAN-1/manifest", NULL, tok, NULL, 0, &r);
	Jintong__Manifest *m = r.status == 200 ? jintong__manifest__unpack(NULL, r.len, (const uint8_t *)r.body) : NULL;
	CHECK(m && strcmp(m->vehicle, "VAN-1") == 0 && m->n_stops == 6, "protobuf manifest: %zu stops",
	      m ? m->n_stops : 0);
	for (size_t i = 1; m && i < m->n_stops; i++)
		CHECK(m->stops[i]->planned_ms >= m->stops[i - 1]->planned_ms, "planned order at %zu", i);
	if (m)
		jintong__manifest__free_unpacked(m, NULL);
	h_resp_free(&r);
	CHECK(as_device(other, "GET", "/v1/vehicles/VAN-1/manifest", NULL, 0) == 403, "another vehicle's tablet");
	CHECK(as_device(NULL, "GET", "/v1/vehicles/VAN-1/manifest", NULL, 0) == 401, "no token");
	CHECK(as_device(tok, "GET", "/v1/vehicles/NOPE/manifest", NULL, 0) == 404, "no such vehicle");

	/* Reports: not from another vehicle; no no-show before the window opened; board, then drop off. */
	snprintf(path, sizeof path, "/v1/rides/%s/board", id);
	CHECK(as_device(other, "POST", path, b, sizeof b) == 403, "other tablet: %s", b);
	snprintf(path, sizeof path, "/v1/rides/%s/no_show", id);
	CHECK(as_device(tok, "POST", path, b, sizeof b) == 409 && strstr(b, "too_early"), "no-show too early: %s", b);
	snprintf(path, sizeof path, "/v1/rides/%s/dropoff", id);
	CHECK(as_device(tok, "POST", path, b, sizeof b) == 409, "drop-off before boarding: %s", b);
	snprintf(path, sizeof path, "/v1/rides/%s/board", id);
	CHECK(as_device(tok, "POST", path, b, sizeof b) == 200 && strstr(b, "\"state\":\"onboard\""), "board: %s", b);
	snprintf(path, sizeof path, "/v1/rides/%s/dropoff", id);
	CHECK(as_device(tok, "POST", path, b, sizeof b) == 200 && strstr(b, "\"state\":\"completed\""), "dropoff: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %s AND by_whom = 'device:tab-van'", id) == 2,
	      "the tablet's reports are recorded as its own");
	CHECK(as_device(tok, "GET", "/v1/vehicles/VAN-1/manifest?format=json", b, sizeof b) == 200, "%s", b);
	char want[64];
	snprintf(want, sizeof want, "\"ride\":\"%s\"", id);
	CHECK(!strstr(b, want), "a completed ride leaves the manifest: %s", b);
}

int main(void)
{
	h_init(&t, "dispatch");
	if (!getenv("JINTONG_CLI"))
		return 77;
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);
	setup();
	h_county_date(1, tomorrow, sizeof tomorrow);
	static char b[65536];
	char id1[24], id2[24], v[64];

	/* No vehicle on duty yet: the far village is refused, saying so. */
	CHECK(h_book(&t, tomorrow, "r0", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"state\":\"refused\"") && strstr(b, "no vehicle is on booking duty"),
	      "nobody on duty: %s", b);

	/* The van on duty 07:00-19:00 from the depot, through the CLI. */
	CHECK(cli("shift", "add", "DRT-1", "--vehicle", "VAN-1", "--calendar", "DAILY", "--depot", "DEPOT",
		  "--start", "07:00", "--end", "19:00", NULL) == 0, "shift add: %s", cli_out);
	CHECK(cli("shift", "list", NULL) == 0 && h_line_with(cli_out, "DRT-1", "VAN-1", "DAILY", "DEPOT", "07:00", NULL),
	      "shift list: %s", cli_out);
	CHECK(cli("shift", "add", "DRT-2", "--vehicle", "VAN-1", "--calendar", "DAILY", "--depot", "DEPOT",
		  "--start", "18:00", "--end", "22:00", NULL) == 2 && strstr(cli_out, "DRT-1"),
	      "overlapping shift: %s", cli_out);
	CHECK(cli("shift", "add", "DRT-3", "--vehicle", "NOPE", "--calendar", "DAILY", "--depot", "DEPOT",
		  "--start", "07:00", "--end", "08:00", NULL) == 2, "unknown vehicle: %s", cli_out);
	CHECK(cli("shift", "add", "DRT-4", "--vehicle", "VAN-1", "--calendar", "DAILY", "--depot", "DEPOT",
		  "--start", "09:00", "--end", "08:00", NULL) == 2, "backwards: %s", cli_out);

	/* A ride the 08:00 bus can carry gets a seat, not the van. */
	CHECK(h_book(&t, tomorrow, "r1", "{\"stop\":\"A\"}", "{\"stop\":\"C\"}", "07:45", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"kind\":\"seat\"") && strstr(b, "L1-0800"), "seat first: %s", b);

	/* The far village has no line: the van, with a pickup window and a latest arrival. */
	REQUIRE(h_book(&t, tomorrow, "r2", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", "\"confirm\":true", b, sizeof b) == 201,
		"%s", b);
	h_member(b, "id", id1, sizeof id1);
	CHECK(strstr(b, "\"state\":\"confirmed\"") && strstr(b, "\"kind\":\"vehicle\"") &&
		      strstr(b, "\"vehicle\":\"VAN-1\"") && strstr(b, "\"shift\":\"DRT-1\"") && strstr(b, "\"dropoff_by\":") &&
		      strstr(b, "\"pickup_expected\":"), "the van: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND service = 'vehicle' AND vehicle_code = 'VAN-1'"
			    " AND pickup_to - pickup_from = interval '20 minutes' AND dropoff_by > pickup_to", id1) == 1,
	      "stored with its promise");
	char pick_from[40], pick_to[40];
	h_member(b, "pickup_from", pick_from, sizeof pick_from);
	h_member(b, "pickup_to", pick_to, sizeof pick_to);

	/* Two more going the same way at the same time share the van (3 seats) ... */
	REQUIRE(h_book(&t, tomorrow, "r3", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", "\"passengers\":2", b, sizeof b) == 201,
		"%s", b);
	h_member(b, "id", id2, sizeof id2);
	CHECK(strstr(b, "\"vehicle\":\"VAN-1\""), "pooled: %s", b);
	/* ... and the van is then full at that time. */
	CHECK(h_book(&t, tomorrow, "r4", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"state\":\"refused\"") && strstr(b, "in time"), "full: %s", b);
	/* Cancelling frees the seats: now it fits. */
	char path[64];
	snprintf(path, sizeof path, "/v1/rides/%s/cancel", id2);
	CHECK(h_call(&t, "POST", path, "{}", b, sizeof b) == 200 && strstr(b, "cancelled"), "cancel: %s", b);
	CHECK(h_book(&t, tomorrow, "r4", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"vehicle\":\"VAN-1\""), "after the cancel: %s", b);
	/* A parcel alone travels too, taking no seat. */
	CHECK(h_book(&t, tomorrow, "shop1", "{\"stop\":\"C\"}", "{\"village\":\"V2\"}", "11:30", "\"passengers\":0,\"parcels_l\":40",
		   b, sizeof b) == 201 && strstr(b, "\"vehicle\":\"VAN-1\""), "parcel: %s", b);
	/* Before the shift starts, nobody is picked up. */
	CHECK(h_book(&t, tomorrow, "r5", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "05:00", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"state\":\"refused\""), "before duty: %s", b);

	/* The shift cannot end while riders are planned on it. */
	CHECK(cli("shift", "remove", "DRT-1", NULL) == 2 && strstr(cli_out, "planned"), "shift in use: %s", cli_out);

	/* The fleet's observed running times: 25 runs yesterday from A to C, 200 s a stretch. The
	 * restarted daemon's vans assume the speed they show, on the same winding roads. */
	CHECK(h_sql_exec(&t,
			 "WITH runs AS (INSERT INTO trip_run (trip_code, line_code, service_day, vehicle_id, started_at,"
			 " ended_at, ended_how) SELECT 'CAL-' || g, 'L1', current_date - 1,"
			 " (SELECT id FROM vehicle WHERE code = 'VAN-1'), now() - interval '1 day' + g * interval '20 minutes',"
			 " now() - interval '1 day' + g * interval '20 minutes' + interval '10 minutes', 'completed'"
			 " FROM generate_series(1, 25) g RETURNING id, started_at)"
			 " INSERT INTO stop_event (trip_run_id, stop_seq, stop_code, kind, planned, actual, estimated)"
			 " SELECT id, x.seq, x.code, x.kind, started_at + x.off * interval '1 second',"
			 " started_at + x.off * interval '1 second', false FROM runs,"
			 " (VALUES (1, 'A', 'departure', 0), (2, 'B', 'arrival', 200), (2, 'B', 'departure', 230),"
			 " (3, 'C', 'arrival', 430)) AS x(seq, code, kind, off)") == 0,
	      "observed runs");
	/* median of 200 s over the two stretches' lengths; road = 1.35 x straight */
	long long dm_ab = h_sql_num(&t, "SELECT round(ST_Distance(a.location::geography, b.location::geography) * 1000)"
					" FROM stop a, stop b WHERE a.code = 'A' AND b.code = 'B'");
	long long dm_bc = h_sql_num(&t, "SELECT round(ST_Distance(a.location::geography, b.location::geography) * 1000)"
					" FROM stop a, stop b WHERE a.code = 'B' AND b.code = 'C'");
	double s_per_m = (200.0 / (dm_ab / 1000.0) + 200.0 / (dm_bc / 1000.0)) / 2;
	char want[96];
	snprintf(want, sizeof want, "rides.travel_model speed_kmh=%.1f winding=1.35 calibrated=yes samples=50",
		 1.35 / s_per_m * 3.6);

	/* A restart: the van's riders are back in its plan with the same promise. */
	CHECK(h_stop(&t, SIGTERM) == 0, "clean stop");
	h_start(&t, NULL);
	snprintf(path, sizeof path, "/v1/rides/%s", id1);
	CHECK(h_call(&t, "GET", path, NULL, b, sizeof b) == 200 && strstr(b, "\"vehicle\":\"VAN-1\"") &&
		      strcmp(h_member(b, "pickup_from", v, sizeof v), pick_from) == 0 &&
		      strcmp(h_member(b, "pickup_to", v, sizeof v), pick_to) == 0 && strstr(b, "\"pickup_expected\":\""),
	      "promise after restart: %s", b);
	CHECK(!h_log_has(&t, "ride.plan_lost"), "every ride found its place again");
	CHECK(h_log_has(&t, want), "calibrated from the runs: %s", want);
	/* The van is still as full as before: one more group of three does not fit at 10:00. */
	CHECK(h_book(&t, tomorrow, "r6", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "10:00", "\"passengers\":2", b, sizeof b) == 201 &&
		      strstr(b, "\"state\":\"refused\""), "still holding its riders: %s", b);
	driver(id1);

	/* A wheelchair: VAN-1 has no ramp, so only once a step-free van is on duty. */
	CHECK(h_book(&t, tomorrow, "w1", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "13:00", "\"wheelchair\":true", b,
		   sizeof b) == 201 && strstr(b, "\"state\":\"refused\"") && strstr(b, "step-free"), "no ramp: %s", b);
	CHECK(cli("vehicle", "add", "VAN-2", "--seats", "4", "--step-free", NULL) == 0, "step-free van: %s", cli_out);
	CHECK(cli("vehicle", "show", "VAN-2", NULL) == 0 && h_line_with(cli_out, "step-free", "yes", NULL), "%s", cli_out);
	CHECK(cli("shift", "add", "DRT-R", "--vehicle", "VAN-2", "--calendar", "DAILY", "--depot", "DEPOT", "--start",
		  "07:00", "--end", "19:00", NULL) == 0, "%s", cli_out);
	CHECK(h_book(&t, tomorrow, "w1", "{\"village\":\"V1\"}", "{\"village\":\"V2\"}", "13:00", "\"wheelchair\":true", b,
		   sizeof b) == 201 && strstr(b, "\"vehicle\":\"VAN-2\""), "the ramp van: %s", b);
	return h_finish(&t);
}
