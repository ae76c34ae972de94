/*
 * bookings.c — riders booking seats for fault tests; see bookings.h.
 */
#include "bookings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Service days ahead riders book on, from tomorrow: within booking_days_max. */
#define BOOK_DAYS 12

static long admin(struct h_test *t, const char *method, const char *path, const char *json)
{
	struct h_resp r;
	h_admin(t, method, path, json, &r);
	long st = r.status;
	if (st != 201)
		fprintf(stderr, "bookings: %s %s: %ld %s\n", method, path, st, r.body ? r.body : "");
	h_resp_free(&r);
	return st;
}

void h_bookings_network(struct h_test *t)
{
	char json[512], today[16], later[16];
	h_county_date(0, today, sizeof today);
	h_county_date(365, later, sizeof later);
	REQUIRE(admin(t, "POST", "/v1/admin/operators", "{\"code\":\"OP1\",\"name\":\"客运\"}") == 201,
		"operator");
	REQUIRE(admin(t, "POST", "/v1/admin/lines",
		      "{\"code\":\"L1\",\"name\":\"县城—石桥\",\"kind\":\"scheduled\",\"operator\":\"OP1\"}") ==
			201,
		"line");
	static const char *const names[] = { "石堰村口", "青杠坡", "石桥场镇", "县客运站" };
	for (int i = 0; i < 4; i++) {
		snprintf(json, sizeof json,
			 "{\"code\":\"%c\",\"name\":\"%s\",\"kind\":\"roadside\",\"lat\":%.2f,\"lon\":104.5}",
			 'A' + i, names[i], 30.0 + i * 0.01);
		REQUIRE(admin(t, "POST", "/v1/admin/stops", json) == 201, "stop %c", 'A' + i);
	}
	REQUIRE(admin(t, "POST", "/v1/admin/lines/L1/routes", "{\"stops\":[\"A\",\"B\",\"C\",\"D\"]}") == 201,
		"route");
	snprintf(json, sizeof json,
		 "{\"code\":\"DAILY\",\"kind\":\"weekly\",\"weekdays\":\"daily\",\"start\":\"%s\",\"end\":\"%s\"}",
		 today, later);
	REQUIRE(admin(t, "POST", "/v1/admin/calendars", json) == 201, "calendar");
	REQUIRE(admin(t, "POST", "/v1/admin/lines/L1/timetable",
		      "{\"calendar\":\"DAILY\",\"first\":\"06:00\",\"last\":\"20:00\",\"every\":\"1h\"}") == 201,
		"timetable");
}

static long long id_of(const char *body)
{
	const char *p = body ? strstr(body, "\"id\":\"") : NULL;
	return p ? strtoll(p + 6, NULL, 10) : 0;
}

long h_bookings_step(struct h_bookings *b, struct h_test *t)
{
	int n = b->next;
	char day[16], json[512];
	h_county_date(1 + n % BOOK_DAYS, day, sizeof day);
	/* Riders spread over the day's buses, a few to each. */
	snprintf(json, sizeof json,
		 "{\"rider\":\"f%d\",\"client_ref\":\"fault-%d\",\"from\":{\"stop\":\"%c\"},"
		 "\"to\":{\"stop\":\"D\"},\"leave_after\":\"%sT%02d:30\",\"confirm\":true}",
		 n, n, "ABC"[n % 3], day, 6 + (n / BOOK_DAYS) % 13);
	b->pending = true;
	b->sent++;
	struct h_resp r;
	h_http(t, "POST", "/v1/rides", "application/json", t->op_token, json, strlen(json), &r);
	long st = r.status;
	long long id = id_of(r.body);
	if ((st == 200 || st == 201) && id > 0) {
		if (b->acked == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 64;
			b->ids = realloc(b->ids, b->cap * sizeof *b->ids);
			REQUIRE(b->ids, "out of memory");
		}
		b->ids[b->acked++] = id;
		b->pending = false;
		b->next++;
	} else if (st == 503) {
		b->unavailable++;
	} else if (st == 0) {
		b->failed++;
	} else {
		/* A refusal (a full bus, say) is an answer too: the rider moves on. */
		b->other++;
		b->pending = false;
		b->next++;
		fprintf(stderr, "bookings: rider f%d: %ld %.200s\n", n, st, r.body ? r.body : "");
	}
	h_resp_free(&r);
	return st;
}

size_t h_bookings_missing(struct h_bookings *b, struct h_test *t)
{
	size_t missing = 0;
	for (size_t i = 0; i < b->acked; i++)
		if (h_sql_num(t, "SELECT count(*) FROM ride WHERE id = %lld AND state = 'confirmed'",
			      b->ids[i]) != 1)
			missing++;
	return missing;
}

size_t h_bookings_unserved(struct h_bookings *b, struct h_test *t)
{
	size_t unserved = 0;
	for (size_t i = 0; i < b->acked; i++) {
		char path[64];
		snprintf(path, sizeof path, "/v1/rides/%lld", b->ids[i]);
		struct h_resp r;
		h_http(t, "GET", path, NULL, t->op_token, NULL, 0, &r);
		if (r.status != 200 || !r.body || !strstr(r.body, "\"state\":\"confirmed\""))
			unserved++;
		h_resp_free(&r);
	}
	return unserved;
}

void h_bookings_free(struct h_bookings *b)
{
	free(b->ids);
	memset(b, 0, sizeof *b);
}
