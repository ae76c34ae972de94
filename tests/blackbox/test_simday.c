/*
 * A simulated day, short and fast: a small generated county on the books,
 * jintongd restarted on a simulated clock (tomorrow 06:50 in the county,
 * 180 times real time), villagers' rides booked on the vans on duty, and
 * jintong-sim driving the day from 06:50 to 08:30 on the daemon's clock
 * (100 minutes in 33 seconds). Then the buses were matched to their trips,
 * riders were counted at stops, the vans followed their manifests (riders
 * boarded and dropped off, parcels delivered), and the day's report agrees
 * with the database and with what the simulator says it did.
 */
#include <json-c/json.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[1 << 20];
static char tomorrow[16];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

/* The simulator's "key value" summary line for key, or -1. */
static long long summary_of(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256], k[64];
	long long v, found = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%63s %lld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	if (f)
		fclose(f);
	return found;
}

static long long total_of(json_object *report, const char *key)
{
	json_object *totals, *x;
	if (!json_object_object_get_ex(report, "totals", &totals) || !json_object_object_get_ex(totals, key, &x))
		return -1;
	return (long long)json_object_get_double(x);
}

/* Books rides from villages without a stop of their own to their town's stop; returns how many were confirmed. */
static int book_villagers(const char *feed, int want)
{
	char path[600];
	snprintf(path, sizeof path, "%s/county.json", feed);
	json_object *side = json_object_from_file(path), *villages, *towns;
	REQUIRE(side && json_object_object_get_ex(side, "villages", &villages) &&
			json_object_object_get_ex(side, "towns", &towns),
		"cannot read %s", path);
	int confirmed = 0, asked = 0;
	for (size_t i = 0; i < json_object_array_length(villages) && asked < want; i++) {
		json_object *v = json_object_array_get_idx(villages, i), *x, *town = NULL;
		if (json_object_object_get_ex(v, "stop", &x) && x)
			continue; /* served by a line */
		json_object_object_get_ex(v, "town", &x);
		const char *tc = json_object_get_string(x);
		for (size_t k = 0; k < json_object_array_length(towns); k++) {
			json_object *c, *tw = json_object_array_get_idx(towns, k);
			if (json_object_object_get_ex(tw, "code", &c) && !strcmp(json_object_get_string(c), tc))
				town = tw;
		}
		json_object *lat, *lon, *stop;
		if (!town || !json_object_object_get_ex(town, "stop", &stop) || !stop ||
		    !json_object_object_get_ex(v, "lat", &lat) || !json_object_object_get_ex(v, "lon", &lon))
			continue;
		char body[512];
		/* every third a parcel for the town, with nobody riding along */
		snprintf(body, sizeof body,
			 "{\"rider\":\"villager-%d\",\"from\":{\"lat\":%.6f,\"lon\":%.6f},\"to\":{\"stop\":\"%s\"},"
			 "\"leave_after\":\"%sT07:%02d:00+08:00\"%s}",
			 asked, json_object_get_double(lat), json_object_get_double(lon), json_object_get_string(stop),
			 tomorrow, 2 * asked, asked % 3 == 2 ? ",\"passengers\":0,\"parcels_l\":20" : "");
		asked++;
		struct h_resp r;
		h_http(&t, "POST", "/v1/rides", "application/json", t.op_token, body, strlen(body), &r);
		const char *id = r.status == 201 && strstr(r.body, "\"state\":\"offered\"") ? strstr(r.body, "\"id\":\"") : NULL;
		char confirm[96] = "";
		if (id)
			snprintf(confirm, sizeof confirm, "/v1/rides/%lld/confirm", strtoll(id + 6, NULL, 10));
		h_resp_free(&r);
		if (!confirm[0])
			continue;
		h_http(&t, "POST", confirm, "application/json", t.op_token, "{}", 2, &r);
		confirmed += r.status == 200;
		h_resp_free(&r);
	}
	json_object_put(side);
	return confirmed;
}

int main(void)
{
	h_init(&t, "simday");
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *tf = fopen(token_file, "w");
	REQUIRE(tf && fprintf(tf, "%s\n", t.op_token) > 0 && fclose(tf) == 0, "writing the token");

	/* a small county on the books */
	char feed[400], from[16];
	snprintf(feed, sizeof feed, "%s/county", t.tmpdir);
	h_county_date(0, from, sizeof from);
	h_county_date(1, tomorrow, sizeof tomorrow);
	const char *gen[] = { getenv("JINTONG_COUNTY"), "generate", feed, "--seed", "3", "--scale", "0.1",
			      "--from", from, "--days", "14", NULL };
	REQUIRE(gen[0] && getenv("JINTONG_SIM"), "JINTONG_COUNTY and JINTONG_SIM must be set");
	REQUIRE(h_exec(gen, out, sizeof out) == 0, "generate: %s", out);
	REQUIRE(cli("gtfs", "import", feed, NULL) == 0, "gtfs import: %s", out);
	const char *apply[] = { getenv("JINTONG_COUNTY"), "apply", feed, "--url", t.d.url, "--token", t.op_token, NULL };
	REQUIRE(h_exec(apply, out, sizeof out) == 0, "apply: %s", out);

	/* the simulated day: tomorrow from 06:50, three simulated minutes a real second */
	REQUIRE(h_stop(&t, SIGTERM) == 0, "stopping the daemon");
	char start[40];
	snprintf(start, sizeof start, "%sT06:50:00+08:00", tomorrow);
	const char *clock[] = { "--clock-start", start, "--clock-rate", "180", NULL };
	h_start(&t, clock);
	int booked = book_villagers(feed, 8);
	CHECK(booked >= 3, "only %d villagers' rides were confirmed", booked);

	char summary[500], state[500];
	snprintf(summary, sizeof summary, "%s/day.summary", t.tmpdir);
	snprintf(state, sizeof state, "%s/sim.state", t.tmpdir);
	const char *sim[] = { getenv("JINTONG_SIM"), "--url", t.d.url, "--token", t.op_token, "--county", feed,
			      "--day", tomorrow, "--from", "06:50", "--to", "08:30", "--speedup", "180",
			      "--interval", "10", "--seed", "5", "--summary", summary, "--state", state,
			      "--no-show-share", "0", NULL };
	int rc = h_exec(sim, out, sizeof out);
	REQUIRE(rc == 0, "jintong-sim exited %d:\n%s", rc, out);
	CHECK(strstr(out, "jintong-sim: ") != NULL, "no summary printed:\n%s", out);

	/* the buses: on their trips, riders counted */
	long long stored = summary_of(summary, "fixes_stored");
	CHECK(stored > 1000 && stored == summary_of(summary, "fixes_made"), "fixes: %lld stored of %lld", stored,
	      summary_of(summary, "fixes_made"));
	long long runs = h_sql_num(&t, "SELECT count(*) FROM trip_run WHERE service_day = '%s'", tomorrow);
	CHECK(runs >= 5, "%lld trips matched", runs);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM stop_event e JOIN trip_run r ON r.id = e.trip_run_id"
			    " WHERE r.service_day = '%s' AND e.kind IN ('arrival', 'passed')",
			tomorrow) >= 10,
	      "too few arrivals recorded");
	long long counted = h_sql_num(&t, "SELECT coalesce(sum(c.boarded), 0) FROM stop_count c"
					  " JOIN trip_run r ON r.id = c.trip_run_id WHERE r.service_day = '%s'",
				      tomorrow);
	CHECK(counted > 0 && counted <= summary_of(summary, "bus_boarded"),
	      "%lld riders counted on in the database, %lld by the simulator", counted,
	      summary_of(summary, "bus_boarded"));

	/* the vans: riders and parcels carried as their manifests said */
	long long boarded = summary_of(summary, "van_boarded"), dropped = summary_of(summary, "van_dropped");
	long long parcels = summary_of(summary, "parcels_delivered");
	CHECK(boarded >= 1 && dropped >= 1 && parcels >= 1, "vans: %lld boarded, %lld dropped, %lld parcels:\n%s",
	      boarded, dropped, parcels, out);
	long long completed = h_sql_num(&t, "SELECT count(*) FROM ride WHERE state = 'completed'");
	CHECK(completed == dropped + parcels, "%lld rides completed in the database, the vans say %lld + %lld",
	      completed, dropped, parcels);
	CHECK(summary_of(summary, "van_reports_refused") == 0, "the daemon refused a van's report:\n%s", out);

	/* the day's report agrees */
	REQUIRE(cli("report", tomorrow, "--json", NULL) == 0, "report: %s", out);
	json_object *rep = json_tokener_parse(out);
	REQUIRE(rep, "report is not JSON: %s", out);
	CHECK(total_of(rep, "trips_run") == runs, "report trips %lld, database %lld", total_of(rep, "trips_run"), runs);
	CHECK(total_of(rep, "km") > 0, "no vehicle-km");
	CHECK(total_of(rep, "rides_requested") == h_sql_num(&t, "SELECT count(*) FROM ride"), "rides requested");
	CHECK(total_of(rep, "rides_completed") == completed, "rides completed %lld", total_of(rep, "rides_completed"));
	CHECK(total_of(rep, "parcels_delivered") == parcels, "parcels delivered %lld",
	      total_of(rep, "parcels_delivered"));
	CHECK(total_of(rep, "on_time") > 0 && total_of(rep, "on_time") <= total_of(rep, "stops_timed"), "on time");
	json_object *totals, *x;
	CHECK(json_object_object_get_ex(rep, "totals", &totals) && json_object_object_get_ex(totals, "wait_min", &x) &&
		      x && json_object_object_get_ex(totals, "ride_min", &x) && x && json_object_get_double(x) > 0,
	      "no waits or times on board: %s", out);
	json_object_put(rep);
	return h_finish(&t);
}
