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
	       (strcmp(coll, "operators") == 0 && strcmp(code, "OP1") == 0);
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
