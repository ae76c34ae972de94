/*
 * countystudy.c — `jintong-county demand|compare|yardsticks`: studies of a
 * generated county's day, printed for people or as JSON.
 *
 *   demand DIR --day DATE [--seed S] [--list]   the villagers' requests of the day
 *   compare DIR --day DATE [--seed S] [--json]  those requests served by
 *                                               Jintong's policy and a naive one
 *   yardsticks DIR [--day DATE] [--json]        the 2 km rule, the 30- and
 *                                               60-minute circles
 *
 * The county is rebuilt from DIR/county.json (countyfile.h), so the study
 * is of the county the daemon imported.
 */
#include "countystudy.h"

#include "compare.h"
#include "countyfile.h"
#include "demandgen.h"
#include "roads.h"
#include "yardstick.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct study_args {
	const char *dir;
	jt_day day;
	bool has_day;
	uint64_t seed;
	bool json, list;
};

static int parse(int argc, char **argv, struct study_args *a)
{
	memset(a, 0, sizeof *a);
	a->seed = 1;
	if (argc < 3)
		return -1;
	a->dir = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "--json")) {
			a->json = true;
			continue;
		}
		if (!strcmp(o, "--list")) {
			a->list = true;
			continue;
		}
		const char *v = i + 1 < argc ? argv[++i] : NULL;
		if (!v) {
			fprintf(stderr, "jintong-county: %s needs a value\n", o);
			return -1;
		}
		if (!strcmp(o, "--day")) {
			if (date_parse(v, &a->day) != 0) {
				fprintf(stderr, "jintong-county: --day takes a date YYYY-MM-DD, not '%s'\n", v);
				return -1;
			}
			a->has_day = true;
		} else if (!strcmp(o, "--seed")) {
			char *end;
			errno = 0;
			double s = strtod(v, &end);
			if (errno || end == v || *end || !(s >= 0 && s <= 9007199254740992.0)) {
				fprintf(stderr, "jintong-county: --seed takes a whole number, not '%s'\n", v);
				return -1;
			}
			a->seed = (uint64_t)s;
		} else {
			fprintf(stderr, "jintong-county: unknown option '%s' for %s\n", o, argv[1]);
			return -1;
		}
	}
	return 0;
}

static int load(const struct study_args *a, struct gen_county *c)
{
	char err[512];
	if (countyfile_load(a->dir, c, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-county: %s\n", err);
		return -1;
	}
	return 0;
}

static int make_demand(const struct study_args *a, const struct gen_county *c, struct demandgen_list *l)
{
	char err[256];
	if (demandgen_make(c, a->has_day ? a->day : c->p.from, a->seed, l, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-county: %s\n", err);
		return -1;
	}
	return 0;
}

static void hm(int s, char *buf, size_t len)
{
	int d = s < 0 ? -1 : 0, r = s - d * 86400;
	snprintf(buf, len, "%s%02d:%02d", d ? "-1d " : "", r / 3600, r / 60 % 60);
}

/* ---- demand ---- */

int countystudy_demand(int argc, char **argv)
{
	struct study_args a;
	struct gen_county c;
	struct demandgen_list l;
	if (parse(argc, argv, &a) != 0)
		return 2;
	if (load(&a, &c) != 0)
		return 2;
	if (make_demand(&a, &c, &l) != 0) {
		gen_county_free(&c);
		return 2;
	}
	if (a.list) {
		for (size_t i = 0; i < l.n; i++) {
			const struct demandgen_request *q = &l.r[i];
			char made[24], at[24];
			hm(q->made_s, made, sizeof made);
			hm(q->time_s, at, sizeof at);
			printf("%5d %-8s asked %-10s %s %s %-20s %s -> %s  %dp %dL%s\n", q->id,
			       demandgen_purpose_name(q->purpose), made, q->arrive_by ? "arrive by " : "leave after", at,
			       q->rider, *demandgen_place_code(&c, &q->from) ? demandgen_place_code(&c, &q->from) : "(point)",
			       *demandgen_place_code(&c, &q->to) ? demandgen_place_code(&c, &q->to) : "(point)",
			       q->passengers, q->parcels_l, q->wheelchair ? " wheelchair" : "");
		}
	} else {
		size_t by[DEMANDGEN_PURPOSES] = { 0 }, hour[24] = { 0 }, ahead = 0, riders = 0;
		for (size_t i = 0; i < l.n; i++) {
			by[l.r[i].purpose]++;
			ahead += l.r[i].day_ahead;
			riders += (size_t)l.r[i].passengers;
			if (l.r[i].time_s >= 0 && l.r[i].time_s < 86400)
				hour[l.r[i].time_s / 3600]++;
		}
		printf("%zu requests (%zu day-ahead), %zu passengers; %s, %s, %d towns at market\n", l.n, ahead, riders,
		       l.kind.weekend ? "weekend" : "weekday", l.kind.school_term ? "school term" : "school holiday",
		       l.kind.market_towns);
		for (int p = 0; p < DEMANDGEN_PURPOSES; p++)
			printf("  %-9s %zu\n", demandgen_purpose_name(p), by[p]);
		printf("  by hour:");
		for (int h = 5; h < 20; h++)
			printf(" %02d:%zu", h, hour[h]);
		printf("\n");
	}
	demandgen_free(&l);
	gen_county_free(&c);
	return 0;
}

/* ---- compare ---- */

static json_object *result_json(const struct compare_result *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "requests", json_object_new_int64((int64_t)r->requests));
	json_object_object_add(o, "served", json_object_new_int64((int64_t)r->served));
	json_object_object_add(o, "served_share", json_object_new_double(r->requests ? (double)r->served / (double)r->requests : 0));
	json_object_object_add(o, "on_scheduled_seats", json_object_new_int64((int64_t)r->seats));
	json_object_object_add(o, "by_van", json_object_new_int64((int64_t)r->vans));
	json_object_object_add(o, "pooled", json_object_new_int64((int64_t)r->pooled));
	json_object_object_add(o, "refused", json_object_new_int64((int64_t)r->refused));
	json_object_object_add(o, "refused_wheelchair", json_object_new_int64((int64_t)r->refused_wheelchair));
	json_object_object_add(o, "mean_wait_min", json_object_new_double(r->served ? r->wait_sum_s / (double)r->served / 60 : 0));
	json_object_object_add(o, "mean_wait_seat_min", json_object_new_double(r->seats ? r->wait_seat_s / (double)r->seats / 60 : 0));
	json_object_object_add(o, "mean_wait_van_min", json_object_new_double(r->vans ? r->wait_van_s / (double)r->vans / 60 : 0));
	json_object_object_add(o, "van_km", json_object_new_double(r->van_m / 1000));
	json_object_object_add(o, "van_km_per_served_ride", json_object_new_double(r->served ? r->van_m / 1000 / (double)r->served : 0));
	json_object_object_add(o, "vans_used", json_object_new_int64((int64_t)r->vans_used));
	return o;
}

int countystudy_compare(int argc, char **argv)
{
	struct study_args a;
	struct gen_county c;
	struct demandgen_list l;
	if (parse(argc, argv, &a) != 0)
		return 2;
	if (load(&a, &c) != 0)
		return 2;
	if (make_demand(&a, &c, &l) != 0) {
		gen_county_free(&c);
		return 2;
	}
	struct roads rd;
	roads_build(&c, &rd);
	struct compare_opts o;
	compare_opts_default(&o);
	struct compare_result r[2];
	char err[256];
	jt_day day = a.has_day ? a.day : c.p.from;
	for (int p = 0; p < 2; p++)
		if (compare_run(&c, &rd, day, &l, &o, (enum compare_policy)p, &r[p], err, sizeof err) != 0) {
			fprintf(stderr, "jintong-county: %s\n", err);
			return 1;
		}
	char ds[DATE_FORMAT_LEN];
	date_format(day, ds);
	if (a.json) {
		json_object *out = json_object_new_object();
		json_object_object_add(out, "day", json_object_new_string(ds));
		json_object_object_add(out, "seed", json_object_new_int64((int64_t)a.seed));
		json_object_object_add(out, "market_towns", json_object_new_int(l.kind.market_towns));
		for (int p = 0; p < 2; p++)
			json_object_object_add(out, compare_policy_name((enum compare_policy)p), result_json(&r[p]));
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else {
		printf("%s, demand seed %llu: %zu requests; %s, %s, %d towns at market\n", ds, (unsigned long long)a.seed,
		       l.n, l.kind.weekend ? "weekend" : "weekday", l.kind.school_term ? "school term" : "school holiday",
		       l.kind.market_towns);
		printf("%-28s %12s %12s\n", "", "jintong", "naive");
		printf("%-28s %12zu %12zu\n", "requests", r[0].requests, r[1].requests);
		printf("%-28s %11.1f%% %11.1f%%\n", "served", 100.0 * (double)r[0].served / (double)(l.n ? l.n : 1),
		       100.0 * (double)r[1].served / (double)(l.n ? l.n : 1));
		printf("%-28s %12zu %12zu\n", "  on scheduled seats", r[0].seats, r[1].seats);
		printf("%-28s %12zu %12zu\n", "  by van", r[0].vans, r[1].vans);
		printf("%-28s %12zu %12zu\n", "  sharing a van", r[0].pooled, r[1].pooled);
		printf("%-28s %12zu %12zu\n", "refused", r[0].refused, r[1].refused);
		printf("%-28s %12zu %12zu\n", "  needing a wheelchair place", r[0].refused_wheelchair, r[1].refused_wheelchair);
		printf("%-28s %12.1f %12.1f\n", "mean wait, min", r[0].served ? r[0].wait_sum_s / (double)r[0].served / 60 : 0,
		       r[1].served ? r[1].wait_sum_s / (double)r[1].served / 60 : 0);
		printf("%-28s %12.1f %12s\n", "  on a seat", r[0].seats ? r[0].wait_seat_s / (double)r[0].seats / 60 : 0, "-");
		printf("%-28s %12.1f %12.1f\n", "  in a van", r[0].vans ? r[0].wait_van_s / (double)r[0].vans / 60 : 0,
		       r[1].vans ? r[1].wait_van_s / (double)r[1].vans / 60 : 0);
		printf("%-28s %12.0f %12.0f\n", "van km", r[0].van_m / 1000, r[1].van_m / 1000);
		printf("%-28s %12.2f %12.2f\n", "van km per served ride", r[0].served ? r[0].van_m / 1000 / (double)r[0].served : 0,
		       r[1].served ? r[1].van_m / 1000 / (double)r[1].served : 0);
		printf("%-28s %12zu %12zu\n", "vans used", r[0].vans_used, r[1].vans_used);
	}
	for (int p = 0; p < 2; p++)
		compare_result_free(&r[p]);
	roads_free(&rd);
	demandgen_free(&l);
	gen_county_free(&c);
	return 0;
}

/* ---- yardsticks ---- */

int countystudy_yardsticks(int argc, char **argv)
{
	struct study_args a;
	struct gen_county c;
	if (parse(argc, argv, &a) != 0)
		return 2;
	if (load(&a, &c) != 0)
		return 2;
	jt_day day = a.has_day ? a.day : c.p.from;
	if (day < c.p.from || day >= c.p.from + c.p.days) {
		fprintf(stderr, "jintong-county: --day is outside the county's timetable\n");
		gen_county_free(&c);
		return 2;
	}
	struct roads rd;
	roads_build(&c, &rd);
	struct yardstick_opts o;
	yardstick_opts_default(&o);
	struct yardsticks y;
	yardstick_measure(&c, &rd, day, &o, &y);
	char ds[DATE_FORMAT_LEN];
	date_format(day, ds);
	double n = (double)(y.villages ? y.villages : 1);
	if (a.json) {
		json_object *out = json_object_new_object();
		json_object_object_add(out, "day", json_object_new_string(ds));
		json_object_object_add(out, "villages", json_object_new_int64((int64_t)y.villages));
		json_object_object_add(out, "within_2km_of_served_stop", json_object_new_int64((int64_t)y.near_stop));
		json_object_object_add(out, "town_centre_within_30min", json_object_new_int64((int64_t)y.town_ok));
		json_object_object_add(out, "county_seat_within_60min", json_object_new_int64((int64_t)y.seat_ok));
		json_object_object_add(out, "town_centre_unreachable", json_object_new_int64((int64_t)y.town_none));
		json_object_object_add(out, "county_seat_unreachable", json_object_new_int64((int64_t)y.seat_none));
		json_object_object_add(out, "town_centre_mean_min", json_object_new_double(isfinite(y.town_mean_s) ? y.town_mean_s / 60 : -1));
		json_object_object_add(out, "county_seat_mean_min", json_object_new_double(isfinite(y.seat_mean_s) ? y.seat_mean_s / 60 : -1));
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else {
		printf("the county's yardsticks on %s (%zu villages)\n", ds, y.villages);
		printf("  within 2 km of a served stop          %4zu (%.0f%%)\n", y.near_stop, 100.0 * (double)y.near_stop / n);
		printf("  township centre within 30 min         %4zu (%.0f%%), mean %.0f min, %zu not by the network\n",
		       y.town_ok, 100.0 * (double)y.town_ok / n, y.town_mean_s / 60, y.town_none);
		printf("  county seat within 60 min             %4zu (%.0f%%), mean %.0f min, %zu not by the network\n",
		       y.seat_ok, 100.0 * (double)y.seat_ok / n, y.seat_mean_s / 60, y.seat_none);
	}
	roads_free(&rd);
	gen_county_free(&c);
	return 0;
}
