/*
 * jintong-county — a whole simulated county to load into jintongd.
 *
 *   jintong-county generate DIR [--seed N] [--scale S] [--from DATE] [--days N]
 *   jintong-county apply DIR [--url URL] [--token T]
 *   jintong-county demand|compare|yardsticks DIR ...   (countystudy.c)
 *   jintong-county book DIR --day DATE ...               (countybook.c)
 *
 * `generate` builds the county from its seed (gen.h) and writes DIR: a GTFS
 * feed for `jintong gtfs import` and county.json for the rest, then prints
 * the county's figures. The same arguments give byte-identical files.
 *
 * `apply` reads DIR/county.json after the feed has been imported and puts
 * the rest on the books through the admin API: towns, villages (and the
 * village each village stop belongs to), the companies' districts,
 * vehicles, shifts of vans on booking duty and student rosters. What is
 * already there (409) is left as it is, so it can be run again.
 */
#include "admin.h"
#include "config-build.h"
#include "countybook.h"
#include "countystudy.h"
#include "gen.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void usage(FILE *out, int status)
{
	fprintf(out,
		"usage: jintong-county generate DIR [--seed N] [--scale S] [--from YYYY-MM-DD] [--days N]\n"
		"       jintong-county apply DIR [--url http://127.0.0.1:8470] [--token T]\n"
		"       jintong-county demand DIR [--day YYYY-MM-DD] [--seed S] [--list]\n"
		"       jintong-county compare DIR [--day YYYY-MM-DD] [--seed S] [--json]\n"
		"       jintong-county yardsticks DIR [--day YYYY-MM-DD] [--json]\n"
		"       jintong-county book DIR [--day YYYY-MM-DD] [--seed S] [--limit N] [--url URL]\n"
		"                      [--token T] [--outcomes FILE]\n"
		"\n"
		"generate  writes a simulated county into DIR: a GTFS feed (import it with\n"
		"          `jintong gtfs import DIR`) and county.json, then prints its figures.\n"
		"          --seed N     the county (default 1); the same arguments, the same bytes\n"
		"          --scale S    0 < S <= 1: the share of a full county (33 towns, 462 villages)\n"
		"          --from DATE  the first day of service (default: today, UTC+8)\n"
		"          --days N     days of service, 14 to 366 (default 120)\n"
		"apply     puts what GTFS cannot carry on the books after the import: towns,\n"
		"          villages, districts, vehicles, shifts, rosters (admin API).\n"
		"          --url URL    jintongd (default http://127.0.0.1:8470)\n"
		"          --token T    operator token (or JINTONG_TOKEN, or JINTONG_TOKEN_FILE)\n"
		"demand    the villagers' ride requests of a day (default: the first day of\n"
		"          service): counts by purpose and hour, or --list them one a line.\n"
		"          --seed S     the day's demand (default 1); the same seed, the same requests\n"
		"compare   the day's requests served offline by Jintong (seats on timetabled\n"
		"          trips first, then pooled vans) and by a naive dispatcher (nearest\n"
		"          free van, one ride at a time): served, waits, van km per ride.\n"
		"yardsticks  villages within 2 km of a served stop, reaching the township\n"
		"          centre within 30 min and the county seat within 60 min by the network.\n"
		"          --json       as JSON\n"
		"book      the day's requests booked with jintongd (POST /v1/rides), all asked\n"
		"          at once; offers confirmed, a seeded share declined or left to expire.\n"
		"          --limit N    only the first N requests; --outcomes FILE: one line each\n"
		"--help, --version\n");
	exit(status);
}

static double number(const char *opt, const char *v, double lo, double hi)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (errno || end == v || *end || !(x >= lo && x <= hi)) {
		fprintf(stderr, "jintong-county: %s takes a number from %g to %g, not '%s'\n", opt, lo, hi, v);
		exit(2);
	}
	return x;
}

/* Today in the county (UTC+8). */
static jt_day county_today(void)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int generate(const char *dir, const struct gen_params *p)
{
	char err[256];
	if (gen_check_params(p, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-county: %s\n", err);
		return 2;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "jintong-county: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	struct gen_county c;
	struct gen_figures f;
	gen_county_build(&c, p);
	int rc = genfeed_write(&c, dir);
	if (rc != 0) {
		fprintf(stderr, "jintong-county: writing %s: %s\n", dir, strerror(errno));
		gen_county_free(&c);
		return 1;
	}
	gen_figures(&c, &f);
	char day[DATE_FORMAT_LEN];
	date_format(p->from, day);
	printf("jintong-county: seed %llu, scale %g, %d days from %s, written to %s\n",
	       (unsigned long long)p->seed, p->scale, p->days, day, dir);
	gen_print_figures(stdout, &f);
	gen_county_free(&c);
	return 0;
}

/* ---- apply ---- */

struct applier {
	struct admin_client *ac;
	int made, kept, failed;
};

/* One request; 2xx made, 409 already there; anything else reported. -1 only when unreachable. */
static int put(struct applier *a, const char *method, const char *path, json_object *body)
{
	char err[512];
	int st = admin_request(a->ac, method, path,
			       body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN) : NULL, err,
			       sizeof err);
	json_object_put(body);
	if (st >= 200 && st <= 299)
		a->made++;
	else if (st == 409)
		a->kept++;
	else if (st < 0) {
		fprintf(stderr, "jintong-county: %s %s: %s\n", method, path, err);
		return -1;
	} else {
		a->failed++;
		fprintf(stderr, "jintong-county: %s %s: %s\n", method, path, err);
	}
	return 0;
}

static json_object *member(json_object *o, const char *k)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *text(json_object *o, const char *k)
{
	json_object *v = member(o, k);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* A Jintong code (1-32 letters, digits, '.', '_', '-'): safe in a path. */
static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 32 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* A copy of o with only the given members (NULL-terminated). */
static json_object *pick(json_object *o, const char *const *keys)
{
	json_object *b = json_object_new_object();
	for (; *keys; keys++) {
		json_object *v = member(o, *keys);
		if (v)
			json_object_object_add(b, *keys, json_object_get(v));
	}
	return b;
}

static int apply_list(struct applier *a, json_object *side, const char *list, const char *method,
		      const char *prefix, const char *path_key, const char *suffix, const char *const *keys)
{
	json_object *arr = member(side, list);
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		char path[256];
		if (path_key && !code_ok(text(o, path_key))) {
			fprintf(stderr, "jintong-county: %s: entry %zu has no usable %s\n", list, i + 1, path_key);
			a->failed++;
			continue;
		}
		snprintf(path, sizeof path, "%s%s%s", prefix, path_key ? text(o, path_key) : "", suffix);
		if (put(a, method, path, pick(o, keys)) != 0)
			return -1;
	}
	fprintf(stderr, "jintong-county: %s: %zu sent\n", list, n);
	return 0;
}

static int apply(const char *dir, const char *url, const char *token)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/county.json", dir);
	json_object *side = json_object_from_file(path);
	if (!side || !json_object_is_type(side, json_type_object)) {
		fprintf(stderr, "jintong-county: %s: not a county file (%s)\n", path, json_util_get_last_err());
		json_object_put(side);
		return 2;
	}
	struct applier a = { .ac = admin_open(url, token) };
	if (!a.ac) {
		json_object_put(side);
		return 1;
	}
	static const char *const town_keys[] = { "code", "name", "lat", "lon", "county_seat", NULL };
	static const char *const village_keys[] = { "code", "name", "town", "lat", "lon", NULL };
	static const char *const district_keys[] = { "district", NULL };
	static const char *const vehicle_keys[] = { "code", "name", "seats", "cargo_l", NULL };
	static const char *const shift_keys[] = { "code", "vehicle", "calendar", "depot", "start", "end", NULL };
	static const char *const roster_keys[] = { "pupils", NULL };
	int rc = apply_list(&a, side, "towns", "POST", "/v1/admin/towns", NULL, "", town_keys);
	if (rc == 0)
		rc = apply_list(&a, side, "villages", "POST", "/v1/admin/villages", NULL, "", village_keys);
	/* each village's stop belongs to it */
	json_object *vs = member(side, "villages");
	if (vs && !json_object_is_type(vs, json_type_array))
		vs = NULL;
	for (size_t i = 0; rc == 0 && vs && i < json_object_array_length(vs); i++) {
		json_object *v = json_object_array_get_idx(vs, i);
		if (!*text(v, "stop"))
			continue;
		if (!code_ok(text(v, "stop"))) {
			fprintf(stderr, "jintong-county: villages: entry %zu has no usable stop\n", i + 1);
			a.failed++;
			continue;
		}
		json_object *b = json_object_new_object();
		json_object_object_add(b, "village", json_object_new_string(text(v, "code")));
		char p[128];
		snprintf(p, sizeof p, "/v1/admin/stops/%s", text(v, "stop"));
		rc = put(&a, "PATCH", p, b);
	}
	if (rc == 0)
		rc = apply_list(&a, side, "operators", "PATCH", "/v1/admin/operators/", "code", "", district_keys);
	if (rc == 0)
		rc = apply_list(&a, side, "vehicles", "POST", "/v1/admin/vehicles", NULL, "", vehicle_keys);
	if (rc == 0)
		rc = apply_list(&a, side, "shifts", "POST", "/v1/admin/shifts", NULL, "", shift_keys);
	if (rc == 0)
		rc = apply_list(&a, side, "rosters", "POST", "/v1/admin/lines/", "line", "/roster", roster_keys);
	admin_close(a.ac);
	json_object_put(side);
	if (rc != 0)
		return 4;
	printf("jintong-county: applied %s: %d made, %d already there, %d refused\n", path, a.made, a.kept, a.failed);
	return a.failed ? 1 : 0;
}

static char *token_from(const char *given)
{
	static char buf[512];
	const char *env = getenv("JINTONG_TOKEN"), *file = getenv("JINTONG_TOKEN_FILE");
	if (given && *given) {
		snprintf(buf, sizeof buf, "%s", given);
		return buf;
	}
	if (env && *env) {
		snprintf(buf, sizeof buf, "%s", env);
		return buf;
	}
	if (file && *file) {
		FILE *f = fopen(file, "r");
		if (f && fgets(buf, sizeof buf, f)) {
			buf[strcspn(buf, " \t\r\n")] = '\0';
			fclose(f);
			return buf;
		}
		if (f)
			fclose(f);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		usage(stdout, 0);
	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		printf("jintong-county %s\n", JT_VERSION);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "demand"))
		return countystudy_demand(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "compare"))
		return countystudy_compare(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "yardsticks"))
		return countystudy_yardsticks(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "book"))
		return countybook_main(argc, argv, token_from(NULL));
	if (argc < 3 || (strcmp(argv[1], "generate") && strcmp(argv[1], "apply")))
		usage(stderr, 2);
	bool gen = !strcmp(argv[1], "generate");
	const char *dir = argv[2], *url = "http://127.0.0.1:8470", *token = NULL;
	struct gen_params p = { .seed = 1, .scale = 1.0, .from = county_today(), .days = 120 };
	for (int i = 3; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "jintong-county: %s needs a value\n", o);
			usage(stderr, 2);
		}
		i++;
		if (gen && !strcmp(o, "--seed"))
			p.seed = (uint64_t)number(o, v, 0, 9007199254740992.0);
		else if (gen && !strcmp(o, "--scale"))
			p.scale = number(o, v, 0.001, 1);
		else if (gen && !strcmp(o, "--days"))
			p.days = (int)number(o, v, 14, GEN_DAYS_MAX);
		else if (gen && !strcmp(o, "--from")) {
			if (date_parse(v, &p.from) != 0) {
				fprintf(stderr, "jintong-county: --from takes a date YYYY-MM-DD, not '%s'\n", v);
				return 2;
			}
		} else if (!gen && !strcmp(o, "--url"))
			url = v;
		else if (!gen && !strcmp(o, "--token"))
			token = v;
		else {
			fprintf(stderr, "jintong-county: unknown option '%s' for %s\n", o, argv[1]);
			usage(stderr, 2);
		}
	}
	if (gen)
		return generate(dir, &p);
	char *tok = token_from(token);
	if (!tok) {
		fprintf(stderr, "jintong-county: an operator token is needed (--token, JINTONG_TOKEN or "
				"JINTONG_TOKEN_FILE)\n");
		return 2;
	}
	return apply(dir, url, tok);
}
