/*
 * Booking rides: a seat on a timetabled trip is offered, confirmed and
 * cancelled; a full trip sends riders to the next one; a refusal names the
 * next buses; seats on a student run are kept for the pupils on its roster;
 * unconfirmed offers expire and give their seats back; a resent booking is
 * one booking; every state change is in the database before it is answered;
 * and a restarted daemon holds exactly the seats the one before it held.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"
#include "harness.h"
#include "jintong.pb-c.h"

static struct h_test t;
static char tomorrow[16], after[16];
static char token_file[400];
static char cli_out[32768];

/* Runs the operators' CLI; its output in cli_out. */
static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, cli_out, sizeof cli_out, first, ap);
	va_end(ap);
	return rc;
}

/* The hotline books through the CLI: offer, confirm, list, cancel, refusal, roster. */
static void hotline(void)
{
	char when[40], id[24];
	snprintf(when, sizeof when, "%sT08:30", tomorrow);
	CHECK(cli("ride", "book", "h1", "--from", "stop:A", "--to", "stop:D", "--leave-after", when, NULL) == 0 &&
		      strstr(cli_out, "seat on trip L1-0900") && strstr(cli_out, "board at A between") &&
		      strstr(cli_out, "jintong ride confirm"), "book: %s", cli_out);
	const char *p = strstr(cli_out, "Ride ");
	snprintf(id, sizeof id, "%.*s", p ? (int)strcspn(p + 5, " ") : 0, p ? p + 5 : "");
	CHECK(cli("ride", "confirm", id, NULL) == 0 && strstr(cli_out, ": confirmed."), "confirm %s: %s", id, cli_out);
	CHECK(cli("ride", "list", "--rider", "h1", NULL) == 0 && h_line_with(cli_out, id, "h1", "confirmed", "L1-0900", NULL),
	      "list: %s", cli_out);
	CHECK(cli("--json", "ride", "show", id, NULL) == 0 && strstr(cli_out, "\"state\": \"confirmed\"") != NULL,
	      "json: %s", cli_out);
	CHECK(cli("ride", "cancel", id, NULL) == 0 && strstr(cli_out, ": cancelled."), "cancel: %s", cli_out);
	CHECK(cli("ride", "confirm", id, NULL) == 2, "confirm after cancel: %s", cli_out);
	CHECK(cli("ride", "show", "424242", NULL) == 3, "unknown ride: %s", cli_out);
	CHECK(cli("ride", "show", "x1", NULL) == 2 && strstr(cli_out, "not a ride id"), "bad id: %s", cli_out);
	CHECK(cli("ride", "book", "h2", "--from", "stop:A", NULL) == 2 && strstr(cli_out, "--to"), "no --to: %s", cli_out);
	CHECK(cli("ride", "book", "h2", "--from", "30.0,204", "--to", "stop:C", NULL) == 2 &&
		      strstr(cli_out, "not a place"), "bad place: %s", cli_out);
	CHECK(cli("ride", "book", "h2", "--from", "stop:A", "--to", "stop:NOPE", NULL) == 2 &&
		      strstr(cli_out, "no stop 'NOPE'"), "unknown stop: %s", cli_out);
	snprintf(when, sizeof when, "%sT22:00", tomorrow);
	CHECK(cli("ride", "book", "h2", "--from", "stop:A", "--to", "stop:C", "--leave-after", when, NULL) == 0 &&
		      strstr(cli_out, ": refused.") && strstr(cli_out, "The next trips") && h_line_with(cli_out, "L1-0700", "A", "C", NULL),
	      "refused with the next trips: %s", cli_out);

	char file[512];
	h_write_file(&t, file, sizeof file, "pupils.txt", "# class 3\np1\np2\n\np3  # new this term\n");
	CHECK(cli("roster", "set", "SCH", "--file", file, NULL) == 0 && strstr(cli_out, "3 pupils"), "roster set: %s", cli_out);
	CHECK(cli("roster", "show", "SCH", NULL) == 0 && strstr(cli_out, "p3"), "roster show: %s", cli_out);
	h_write_file(&t, file, sizeof file, "bad.txt", "p1\nbad id\n");
	CHECK(cli("roster", "set", "SCH", "--file", file, NULL) == 2 && strstr(cli_out, "bad.txt:2"), "bad file: %s", cli_out);
	CHECK(cli("roster", "set", "L1", "--pupil", "p9", NULL) == 2 && strstr(cli_out, "not a student line"),
	      "scheduled line: %s", cli_out);
	CHECK(cli("roster", "set", "SCH", "--pupil", "p1", "--pupil", "p2", NULL) == 0 && strstr(cli_out, "2 pupils"),
	      "back to two: %s", cli_out);
}

static void setup(void)
{
	char b[8192], json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	h_call(&t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}", b, sizeof b);
	h_call(&t, "POST", "/v1/admin/towns", "{\"code\":\"T1\",\"name\":\"石桥镇\",\"lat\":30.0,\"lon\":104.5}", b,
	     sizeof b);
	CHECK(h_call(&t, "POST", "/v1/admin/villages",
		   "{\"code\":\"V1\",\"name\":\"石堰村\",\"town\":\"T1\",\"lat\":30.0005,\"lon\":104.5}", b,
		   sizeof b) == 201, "village: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201, "line: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines",
		   "{\"code\":\"SCH\",\"name\":\"石桥中学\",\"kind\":\"student\",\"operator\":\"OP1\"}", b,
		   sizeof b) == 201, "student line: %s", b);
	/* Four stops about 1.1 km apart. */
	const char *stops[] = { "A", "B", "C", "D" };
	for (int i = 0; i < 4; i++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%s\",\"name\":\"%s\",\"kind\":\"roadside\",\"lat\":%.2f,\"lon\":104.5}",
			 stops[i], stops[i], 30.0 + i * 0.01);
		h_call(&t, "POST", "/v1/admin/stops", json, b, sizeof b);
	}
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/routes", "{\"stops\":[\"A\",\"B\",\"C\",\"D\"]}", b, sizeof b) == 201,
	      "route: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/SCH/routes", "{\"stops\":[\"A\",\"B\",\"C\",\"D\"]}", b, sizeof b) == 201,
	      "student route: %s", b);
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}",
		 today, later);
	CHECK(h_call(&t, "POST", "/v1/admin/calendars", json, b, sizeof b) == 201, "calendar: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"07:00\",\"last\":\"09:00\",\"every\":\"1h\"}", b,
		   sizeof b) == 201, "timetable: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/SCH/timetable",
		   "{\"calendar\":\"DAILY\",\"first\":\"06:30\",\"last\":\"06:30\",\"every\":\"1h\"}", b,
		   sizeof b) == 201, "student timetable: %s", b);
}

static long ride_get(const char *id, char *b, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/v1/rides/%s", id);
	struct h_resp r;
	h_http(&t, "GET", path, NULL, t.op_token, NULL, 0, &r);
	snprintf(b, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

static long ride_post(const char *id, const char *action, char *b, size_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/v1/rides/%s/%s", id, action);
	struct h_resp r;
	h_http(&t, "POST", path, "application/json", t.op_token, "{}", 2, &r);
	snprintf(b, len, "%s", r.body ? r.body : "");
	long st = r.status;
	h_resp_free(&r);
	return st;
}

#define V1 "{\"village\":\"V1\"}"
#define STOP(s) "{\"stop\":\"" s "\"}"

int main(void)
{
	h_init(&t, "rides");
	h_create_operator(&t);
	const char *args[] = { "--trip-seats", "2", "--offer-hold-s", "3", NULL };
	h_start(&t, args);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);
	setup();
	h_county_date(1, tomorrow, sizeof tomorrow);
	h_county_date(2, after, sizeof after);
	static char b[65536];
	char id1[24], id2[24], id3[24], v[64];

	/* From the village (its committee 55 m from A) to C after 06:50: the 07:00, A to C. */
	REQUIRE(h_book(&t, tomorrow, "r1", V1, STOP("C"), "06:50:00", NULL, b, sizeof b) == 201, "book: %s", b);
	h_member(b, "id", id1, sizeof id1);
	CHECK(strcmp(h_member(b, "state", v, sizeof v), "offered") == 0, "offered: %s", b);
	CHECK(strcmp(h_member(b, "trip", v, sizeof v), "L1-0700") == 0, "the 07:00: %s", b);
	CHECK(strcmp(h_member(b, "pickup_stop", v, sizeof v), "A") == 0 &&
		      strcmp(h_member(b, "dropoff_stop", v, sizeof v), "C") == 0, "stops: %s", b);
	CHECK(strstr(b, "\"walk_m\":") && strstr(b, "\"offer_expires\""), "walk and expiry: %s", b);
	/* Stored, with its history, before the reply came. */
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND state = 'offered'", id1) == 1, "stored");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %s", id1) == 2, "requested, offered");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %s AND from_state = 'requested'"
			    " AND to_state = 'offered'", id1) == 1, "the move is recorded");

	CHECK(ride_post(id1, "confirm", b, sizeof b) == 200 && strstr(b, "\"state\":\"confirmed\""), "confirm: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE id = %s AND state = 'confirmed'", id1) == 1,
	      "confirmed in the database");
	CHECK(ride_post(id1, "confirm", b, sizeof b) == 200, "a resent confirm is harmless: %s", b);

	/* The second seat of the 07:00, confirmed at once. */
	REQUIRE(h_book(&t, tomorrow, "r2", STOP("A"), STOP("D"), "06:50:00", "\"confirm\":true", b, sizeof b) == 201, "%s", b);
	h_member(b, "id", id2, sizeof id2);
	CHECK(strstr(b, "\"state\":\"confirmed\"") && strstr(b, "\"trip\":\"L1-0700\""), "second seat: %s", b);
	/* The 07:00 is full between A and C: the next rider goes at 08:00 ... */
	REQUIRE(h_book(&t, tomorrow, "r3", STOP("A"), STOP("B"), "06:50:00", NULL, b, sizeof b) == 201, "%s", b);
	h_member(b, "id", id3, sizeof id3);
	CHECK(strstr(b, "\"trip\":\"L1-0800\""), "full trip, next one: %s", b);
	/* ... and cancelling gives the seat back. */
	CHECK(ride_post(id3, "cancel", b, sizeof b) == 200 && strstr(b, "\"state\":\"cancelled\""), "cancel: %s", b);
	CHECK(ride_post(id3, "confirm", b, sizeof b) == 409, "a cancelled ride stays cancelled: %s", b);
	CHECK(ride_get(id3, b, sizeof b) == 200 && strstr(b, "\"state\":\"cancelled\""), "read back: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %s", id3) == 3, "three events");

	/* A resend with the same client_ref is the same booking. */
	char ref1[24], ref2[24];
	REQUIRE(h_book(&t, tomorrow, "r4", STOP("B"), STOP("D"), "07:30:00", "\"client_ref\":\"hotline-17\"", b, sizeof b) == 201,
		"%s", b);
	h_member(b, "id", ref1, sizeof ref1);
	CHECK(h_book(&t, tomorrow, "r4", STOP("B"), STOP("D"), "07:30:00", "\"client_ref\":\"hotline-17\"", b, sizeof b) == 200,
	      "resend: %s", b);
	h_member(b, "id", ref2, sizeof ref2);
	CHECK(strcmp(ref1, ref2) == 0, "same ride %s %s", ref1, ref2);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE client_ref = 'hotline-17'") == 1, "one row");

	/* Nothing after 21:00 within the booking window: refused, with the next buses named. */
	CHECK(h_book(&t, tomorrow, "r5", STOP("A"), STOP("C"), "21:00:00", NULL, b, sizeof b) == 201, "%s", b);
	CHECK(strstr(b, "\"state\":\"refused\"") && strstr(b, "\"reason\""), "refused: %s", b);
	CHECK(strstr(b, "\"alternatives\":[") && strstr(b, "\"trip\":\"L1-0700\"") && strstr(b, after),
	      "the 07:00 of the day after: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride WHERE rider = 'r5' AND state = 'refused'") == 1,
	      "refusals are stored too");

	/* The student run: 2 seats, both kept for the two pupils on its roster. */
	CHECK(h_call(&t, "POST", "/v1/admin/lines/L1/roster", "{\"pupils\":[\"p1\"]}", b, sizeof b) == 400,
	      "no roster on a scheduled line: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/SCH/roster", "{\"pupils\":[\"p1\",\"p2\"]}", b, sizeof b) == 200,
	      "roster: %s", b);
	CHECK(h_call(&t, "GET", "/v1/admin/lines/SCH/roster", NULL, b, sizeof b) == 200 &&
		      strstr(b, "\"pupils\":[\"p1\",\"p2\"]"), "roster read: %s", b);
	CHECK(h_call(&t, "POST", "/v1/admin/lines/SCH/roster", "{\"pupils\":[\"p1\",\"p1\"]}", b, sizeof b) == 400,
	      "twice: %s", b);
	CHECK(h_book(&t, tomorrow, "r6", STOP("A"), STOP("D"), "06:20:00", NULL, b, sizeof b) == 201 &&
		      !strstr(b, "SCH-0630"), "no pupil's seat for others: %s", b);
	CHECK(h_book(&t, tomorrow, "p1", STOP("A"), STOP("D"), "06:20:00", "\"confirm\":true", b, sizeof b) == 201 &&
		      strstr(b, "\"trip\":\"SCH-0630\"") && strstr(b, "\"pupil_seat\":true"), "pupil: %s", b);

	hotline();

	/* The same booking in protobuf, answered in protobuf. */
	{
		Jintong__Place from = JINTONG__PLACE__INIT, to = JINTONG__PLACE__INIT;
		from.stop = "B";
		to.stop = "D";
		Jintong__RideRequest q = JINTONG__RIDE_REQUEST__INIT;
		char when[40];
		snprintf(when, sizeof when, "%sT08:45:00", tomorrow);
		q.rider = "pb1";
		q.from = &from;
		q.to = &to;
		q.leave_after = when;
		q.has_passengers = true;
		q.passengers = 1;
		uint8_t buf[512];
		size_t len = jintong__ride_request__pack(&q, buf);
		struct h_resp pr;
		h_http(&t, "POST", "/v1/rides", "application/x-protobuf", t.op_token, buf, len, &pr);
		Jintong__Ride *ride = pr.status == 201 ? jintong__ride__unpack(NULL, pr.len, (const uint8_t *)pr.body) : NULL;
		CHECK(ride && ride->state && strcmp(ride->state, "offered") == 0 && ride->offer && ride->offer->trip &&
			      strcmp(ride->offer->trip, "L1-0900") == 0 && ride->offer->has_pickup_from_ms &&
			      ride->rider && strcmp(ride->rider, "pb1") == 0,
		      "protobuf booking: %ld", pr.status);
		if (ride)
			jintong__ride__free_unpacked(ride, NULL);
		h_resp_free(&pr);
		h_http(&t, "POST", "/v1/rides", "application/x-protobuf", t.op_token, "\xff\xff", 2, &pr);
		CHECK(pr.status == 400 && pr.body && strstr(pr.body, "jintong.RideRequest"), "not protobuf: %ld", pr.status);
		h_resp_free(&pr);
	}

	/* Hostile and impossible requests. */
	static const struct {
		const char *body, *error;
	} bad[] = {
		{ "{\"rider\":\"x\",\"from\":{\"lat\":1e400,\"lon\":104},\"to\":{\"stop\":\"A\"}}", "bad_request" },
		{ "{\"rider\":\"x\",\"from\":{\"stop\":\"NOPE\"},\"to\":{\"stop\":\"A\"}}", "unknown_place" },
		{ "{\"rider\":\"x\",\"from\":{\"village\":\"A\"},\"to\":{\"stop\":\"A\"}}", "unknown_place" },
		{ "{\"rider\":\"x\",\"from\":{\"stop\":\"B\"},\"to\":{\"stop\":\"A\"},\"leave_after\":\"2001-01-01T08:00:00Z\"}",
		  "in_the_past" },
		{ "{\"rider\":\"x\",\"from\":{\"stop\":\"B\"},\"to\":{\"stop\":\"A\"},\"leave_after\":\"2099-01-01T08:00:00Z\"}",
		  "too_far_ahead" },
		{ "{\"rider\":\"x\",\"from\":{\"stop\":\"B\"},\"to\":{\"stop\":\"A\"},\"passengers\":-1}", "bad_request" },
		{ "not json", "malformed" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct h_resp r;
		h_http(&t, "POST", "/v1/rides", "application/json", t.op_token, bad[i].body, strlen(bad[i].body), &r);
		CHECK(r.status == 400 && r.body && strstr(r.body, bad[i].error), "%s -> %ld %s", bad[i].body, r.status,
		      r.body);
		h_resp_free(&r);
	}
	struct h_resp r;
	h_http(&t, "POST", "/v1/rides", "application/json", NULL, "{}", 2, &r);
	CHECK(r.status == 401, "no token: %ld", r.status);
	h_resp_free(&r);
	CHECK(ride_get("999999", b, sizeof b) == 404, "unknown ride: %s", b);
	CHECK(ride_get("12x", b, sizeof b) == 404, "not an id: %s", b);
	CHECK(ride_post(id1, "teleport", b, sizeof b) == 404, "unknown action: %s", b);

	/* An offer left unconfirmed expires (hold 3 s) and its seat is free again. */
	char id7[24];
	REQUIRE(h_book(&t, tomorrow, "r7", STOP("A"), STOP("B"), "07:50:00", NULL, b, sizeof b) == 201, "%s", b);
	h_member(b, "id", id7, sizeof id7);
	CHECK(strstr(b, "\"trip\":\"L1-0800\""), "r7: %s", b);
	bool expired = false;
	for (int i = 0; i < 100 && !expired; i++) {
		expired = ride_get(id7, b, sizeof b) == 200 && strstr(b, "\"state\":\"expired\"");
		if (!expired)
			nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	CHECK(expired, "expired: %s", b);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM ride_event WHERE ride_id = %s AND to_state = 'expired'", id7) == 1,
	      "expiry recorded");

	/* The metrics count what happened. */
	h_http(&t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	const char *m = r.body ? strstr(r.body, "jintong_rides_total{outcome=\"refused\"} ") : NULL;
	CHECK(m && atoll(m + strlen("jintong_rides_total{outcome=\"refused\"} ")) ==
			   h_sql_num(&t, "SELECT count(*) FROM ride WHERE state = 'refused'") &&
		      strstr(r.body, "jintong_rides_open "), "metrics: %s", r.body ? r.body : "");
	h_resp_free(&r);

	/* A restart holds the same seats: the 07:00 is still full from A to C. */
	CHECK(h_stop(&t, SIGTERM) == 0, "clean stop");
	h_start(&t, args);
	CHECK(ride_get(id1, b, sizeof b) == 200 && strstr(b, "\"state\":\"confirmed\"") &&
		      strstr(b, "\"trip\":\"L1-0700\""), "r1 after restart: %s", b);
	CHECK(h_book(&t, tomorrow, "r8", STOP("A"), STOP("B"), "06:50:00", NULL, b, sizeof b) == 201 && !strstr(b, "L1-0700"),
	      "still full after restart: %s", b);
	/* The pupil's seat is still the pupil's: the roster came back too. */
	CHECK(h_book(&t, tomorrow, "p2", STOP("A"), STOP("D"), "06:20:00", NULL, b, sizeof b) == 201 &&
		      strstr(b, "\"trip\":\"SCH-0630\""), "pupil after restart: %s", b);
	CHECK(h_book(&t, tomorrow, "r9", STOP("A"), STOP("D"), "06:20:00", NULL, b, sizeof b) == 201 && !strstr(b, "SCH-0630"),
	      "non-pupil after restart: %s", b);
	h_http(&t, "GET", "/v1/rides?rider=r1", NULL, t.op_token, NULL, 0, &r);
	CHECK(r.status == 200 && r.body && strstr(r.body, id1) && !strstr(r.body, "\"rider\":\"r2\""),
	      "open rides of r1: %s", r.body ? r.body : "");
	h_resp_free(&r);
	return h_finish(&t);
}
