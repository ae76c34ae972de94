/*
 * The network catalogue's rules for records: codes, names, kinds, points,
 * references, edits that merge, and the SQL each collection gets.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"

static bool known(void *arg, const char *coll, const char *code)
{
	(void)arg;
	return (strcmp(coll, "villages") == 0 && strcmp(code, "V1") == 0) ||
	       (strcmp(coll, "operators") == 0 && strcmp(code, "OP1") == 0) ||
	       (strcmp(coll, "calendars") == 0 && strcmp(code, "WORKDAYS") == 0);
}

static struct json_object *build(const char *coll, const char *json, struct json_object *base,
				 char *err)
{
	struct json_object *in = json_tokener_parse(json);
	CHECK_MSG(json, in != NULL);
	struct json_object *rec = catalog_build(catalog_find(coll), in, base, known, NULL, err, 300);
	json_object_put(in);
	return rec;
}

struct bad {
	const char *coll, *json, *says;
};

int main(void)
{
	CHECK(catalog_code_valid("BUS-01"));
	CHECK(catalog_code_valid("a"));
	CHECK(!catalog_code_valid(""));
	CHECK(!catalog_code_valid("-x"));
	CHECK(!catalog_code_valid("a b"));
	CHECK(!catalog_code_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	CHECK(catalog_utf8_valid("石桥镇", strlen("石桥镇")));
	CHECK(!catalog_utf8_valid("\xe7\x9f", 2));          /* cut short */
	CHECK(!catalog_utf8_valid("\xc0\xaf", 2));          /* overlong */
	CHECK(!catalog_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	CHECK(!catalog_utf8_valid("a\tb", 3));              /* control character */

	char err[300];
	struct json_object *stop = build("stops",
					 "{\"code\":\"S1\",\"name\":\"白云村口\",\"kind\":\"village\","
					 "\"lat\":30.1,\"lon\":104.6,\"village\":\"V1\"}",
					 NULL, err);
	CHECK_MSG(err, stop != NULL);
	CHECK_STR("code", catalog_code(stop), "S1");

	/* An edit merges over the record and keeps the rest. */
	struct json_object *edited = build("stops", "{\"name\":\"白云\",\"village\":null}", stop, err);
	CHECK_MSG(err, edited != NULL);
	struct json_object *v;
	CHECK(json_object_object_get_ex(edited, "village", &v) && v == NULL);
	CHECK(json_object_object_get_ex(edited, "kind", &v) &&
	      strcmp(json_object_get_string(v), "village") == 0);
	json_object_put(edited);

	/* Defaults on add. */
	struct json_object *op = build("operators", "{\"code\":\"OP2\",\"name\":\"x\"}", NULL, err);
	CHECK(op && json_object_object_get_ex(op, "district", &v) &&
	      strcmp(json_object_get_string(v), "") == 0);
	json_object_put(op);
	struct json_object *town = build("towns", "{\"code\":\"T\",\"name\":\"x\",\"lat\":1,\"lon\":2}",
					 NULL, err);
	CHECK(town && json_object_object_get_ex(town, "county_seat", &v) &&
	      !json_object_get_boolean(v));
	json_object_put(town);

	const struct bad bad[] = {
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"village\",\"lat\":30,\"lon\":104,\"village\":\"V9\"}", "no village V9" },
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"tram\",\"lat\":30,\"lon\":104}", "kind must be one of" },
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"market\",\"lat\":30}", "needs lon" },
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"market\",\"lat\":30,\"lon\":181}", "lon must be" },
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"market\",\"lat\":true,\"lon\":1}", "lat must be" },
		{ "stops", "{\"code\":\"S2\",\"name\":\"x\",\"kind\":\"market\",\"lat\":0,\"lon\":0}", "not a place" },
		{ "stops", "{\"code\":\"S2\",\"name\":7,\"kind\":\"market\",\"lat\":1,\"lon\":1}", "name must be text" },
		{ "stops", "{\"code\":null,\"name\":\"x\",\"kind\":\"market\",\"lat\":1,\"lon\":1}", "cannot be empty" },
		{ "lines", "{\"code\":\"L\",\"name\":\"x\",\"kind\":\"student\",\"operator\":\"OP7\"}", "no operator OP7" },
		{ "lines", "{\"code\":\"L\",\"name\":\"x\",\"kind\":\"student\"}", "needs operator" },
		{ "towns", "{\"code\":\"T\",\"name\":\"x\",\"lat\":1,\"lon\":2,\"county_seat\":\"yes\"}", "true or false" },
		{ "operators", "{\"code\":\"O\",\"name\":\"x\",\"district\":\"\\u0007\"}", "control characters" },
		/* booking rules: the GTFS-Flex conditions between fields */
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\"}", "needs notice_min" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"real_time\",\"notice_min\":5}", "same_day rules only" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\",\"notice_min\":60,\"notice_max\":30}", "below notice_min" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\",\"notice_min\":60,\"notice_max\":90,\"start_day\":2,\"start_time\":\"08:00\"}", "not both" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"prior_days\",\"last_day\":1}", "last_day and last_time" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"prior_days\",\"last_day\":3,\"last_time\":\"17:00\",\"start_day\":1,\"start_time\":\"08:00\"}", "close before it opens" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"real_time\",\"start_day\":1,\"start_time\":\"08:00\"}", "no start_day" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"prior_days\",\"last_day\":1,\"last_time\":\"17:00\",\"start_day\":2}", "go together" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\",\"notice_min\":60,\"service\":\"WORKDAYS\"}", "prior_days rules only" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"prior_days\",\"last_day\":1,\"last_time\":\"17:00\",\"service\":\"NOPE\"}", "no calendar NOPE" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"prior_days\",\"last_day\":1,\"last_time\":\"25:61\"}", "last_time must be a time" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\",\"notice_min\":-1}", "notice_min must be a whole number" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"same_day\",\"notice_min\":1.5}", "notice_min must be a whole number" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"real_time\",\"info_url\":\"ftp://x\"}", "http:// or https://" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"real_time\",\"phone\":\"call us\"}", "telephone number" },
		{ "booking-rules", "{\"code\":\"B\",\"kind\":\"sometimes\"}", "kind must be one of" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		struct json_object *rec = build(bad[i].coll, bad[i].json, NULL, err);
		CHECK_MSG(bad[i].json, rec == NULL && strstr(err, bad[i].says) != NULL);
		json_object_put(rec);
	}
	err[0] = '\0';
	CHECK(build("stops", "{\"code\":\"S9\"}", stop, err) == NULL && strstr(err, "cannot change"));
	json_object_put(stop);

	/* A booking rule: times as the database gives them back, unset numbers null. */
	struct json_object *rule = build("booking-rules",
					 "{\"code\":\"BR\",\"kind\":\"prior_days\",\"last_day\":1,"
					 "\"last_time\":\"8:00\",\"service\":\"WORKDAYS\","
					 "\"phone\":\"(507) 359-2717\"}",
					 NULL, err);
	CHECK_MSG(err, rule != NULL);
	CHECK(rule && json_object_object_get_ex(rule, "last_time", &v) &&
	      strcmp(json_object_get_string(v), "08:00:00") == 0);
	CHECK(rule && json_object_object_get_ex(rule, "notice_min", &v) && v == NULL);
	CHECK(rule && json_object_object_get_ex(rule, "message", &v) &&
	      strcmp(json_object_get_string(v), "") == 0);
	/* and its SQL parameters: seconds for the time, the calendar by code */
	char *params[16] = { 0 };
	int np = rule ? catalog_params(catalog_find("booking-rules"), rule, params) : 0;
	CHECK_INT("booking rule parameters", np, 16);
	CHECK(np == 16 && strcmp(params[5], "28800") == 0 && params[2] == NULL &&
	      strcmp(params[8], "WORKDAYS") == 0 && strcmp(params[15], "") == 0);
	for (int i = 0; i < np; i++)
		free(params[i]);
	char *ins = catalog_sql_insert(catalog_find("booking-rules"));
	CHECK(strstr(ins, "(SELECT id FROM calendar WHERE code = $9)") != NULL);
	free(ins);
	/* the GTFS id a stop was imported under: any id a feed may use, else refused */
	struct json_object *gs = build("stops",
				       "{\"code\":\"de_12073-0a1b2c3d4e5f\",\"name\":\"Angermünde, Bahnhof\","
				       "\"kind\":\"roadside\",\"lat\":53.0155,\"lon\":13.9972,"
				       "\"gtfs_id\":\"de:12073:900340004::1\"}",
				       NULL, err);
	CHECK_MSG(err, gs != NULL);
	CHECK(gs && json_object_object_get_ex(gs, "gtfs_id", &v) &&
	      strcmp(json_object_get_string(v), "de:12073:900340004::1") == 0);
	json_object_put(gs);
	gs = build("stops", "{\"code\":\"S9\",\"name\":\"x\",\"kind\":\"roadside\",\"lat\":1,"
			    "\"lon\":1}", NULL, err);
	CHECK(gs && json_object_object_get_ex(gs, "gtfs_id", &v) &&
	      strcmp(json_object_get_string(v), "") == 0);
	json_object_put(gs);
	gs = build("stops", "{\"code\":\"S9\",\"name\":\"x\",\"kind\":\"roadside\",\"lat\":1,"
			    "\"lon\":1,\"gtfs_id\":\"a\\u0001b\"}", NULL, err);
	CHECK(gs == NULL && strstr(err, "gtfs_id") != NULL);
	gs = build("stops", "{\"code\":\"S9\",\"name\":\"x\",\"kind\":\"roadside\",\"lat\":1,"
			    "\"lon\":1,\"gtfs_id\":7}", NULL, err);
	CHECK(gs == NULL && strstr(err, "gtfs_id") != NULL);
	/* a same_day rule edited into a prior_days one, its notice cleared */
	struct json_object *day = build("booking-rules",
					"{\"code\":\"BD\",\"kind\":\"same_day\",\"notice_min\":60}", NULL, err);
	CHECK_MSG(err, day != NULL);
	struct json_object *prior = build("booking-rules",
					  "{\"kind\":\"prior_days\",\"notice_min\":null,\"last_day\":1,"
					  "\"last_time\":\"17:00\"}",
					  day, err);
	CHECK_MSG(err, prior != NULL);
	json_object_put(prior);
	json_object_put(day);
	json_object_put(rule);

	/* Every collection gets statements that audit in the same statement. */
	for (size_t i = 0; i < catalog_ncollections; i++) {
		const struct collection *c = &catalog_collections[i];
		char *sql[3] = { catalog_sql_insert(c), catalog_sql_update(c), catalog_sql_delete(c) };
		for (int k = 0; k < 3; k++) {
			CHECK_MSG(c->name, strstr(sql[k], "INSERT INTO audit") != NULL);
			CHECK_MSG(c->name, strstr(sql[k], c->table) != NULL);
			free(sql[k]);
		}
		char *sel = catalog_sql_select(c);
		CHECK_MSG(c->name, strstr(sel, "ORDER BY t.code") != NULL);
		free(sel);
	}
	return check_done("test_catalog");
}
