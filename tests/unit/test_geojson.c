/*
 * Zones as GeoJSON: areas accepted and rebuilt from what was checked
 * (altitudes dropped, numbers as numbers), areas refused with the reason,
 * and a locations.geojson read feature by feature, bad features reported
 * and the good ones still read.
 */
#include <string.h>

#include "check.h"
#include "geojson.h"

static struct json_object *area(const char *json, char *err)
{
	struct json_object *in = json_tokener_parse(json);
	CHECK_MSG(json, in != NULL);
	err[0] = '\0';
	struct json_object *out = geojson_area(in, err, 200);
	json_object_put(in);
	return out;
}

struct seen {
	int good, bad;
	char ids[200];
	char errors[400];
};

static void collect(void *arg, const struct geojson_feature *f)
{
	struct seen *s = arg;
	if (f->error) {
		s->bad++;
		strncat(s->errors, f->error, sizeof s->errors - strlen(s->errors) - 2);
		strcat(s->errors, "|");
		return;
	}
	s->good++;
	strncat(s->ids, f->id, sizeof s->ids - strlen(s->ids) - 2);
	strcat(s->ids, f->name ? "=" : "|");
	if (f->name) {
		strncat(s->ids, f->name, sizeof s->ids - strlen(s->ids) - 2);
		strcat(s->ids, "|");
	}
}

int main(void)
{
	char err[200];
	struct json_object *a = area("{\"type\":\"Polygon\",\"coordinates\":[[[104.5,30],[104.6,30,12],"
				     "[104.6,30.1],[104.5,30]]]}",
				     err);
	CHECK_MSG(err, a != NULL);
	struct json_object *p = json_object_array_get_idx(
		json_object_array_get_idx(json_object_object_get(a, "coordinates"), 0), 1);
	CHECK_INT("altitude dropped", (long long)json_object_array_length(p), 2);
	CHECK(json_object_is_type(json_object_array_get_idx(p, 1), json_type_double));
	CHECK_DBL("latitude", json_object_get_double(json_object_array_get_idx(p, 1)), 30);
	/* what it returns is accepted again, as itself */
	struct json_object *again = geojson_area(a, err, sizeof err);
	CHECK(again && json_object_equal(again, a));
	json_object_put(again);
	json_object_put(a);
	a = area("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[1,1],[2,1],[2,2],[1,1]]],"
		 "[[[3,3],[4,3],[4,4],[3,3]],[[3.1,3.1],[3.2,3.1],[3.2,3.2],[3.1,3.1]]]]}",
		 err);
	CHECK_MSG(err, a != NULL);
	json_object_put(a);

	static const char *const bad[][2] = {
		{ "{\"type\":\"Point\",\"coordinates\":[1,2]}", "Polygon or a MultiPolygon" },
		{ "{\"type\":\"Polygon\"}", "type and coordinates" },
		{ "[1,2]", "type and coordinates" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[]}", "1 to 1000 rings" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[1,1]]]}", "four positions" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,2]]]}", "end where it starts" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,91],[2,2],[1,1]]]}", "position 2" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[181,1],[2,1],[2,2],[181,1]]]}", "position 1" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[\"2\",1],[2,2],[1,1]]]}", "position 2" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2],[2,2],[1,1]]]}", "position 2" },
		{ "{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1,0,0],[2,2],[1,1]]]}", "position 2" },
		{ "{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "1 to 10000 polygons" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = area(bad[i][0], err);
		CHECK_MSG(bad[i][0], a == NULL && strstr(err, bad[i][1]) != NULL);
		json_object_put(a);
	}

	const char *doc = "{\"type\":\"FeatureCollection\",\"features\":["
			  "{\"type\":\"Feature\",\"id\":\"Z1\",\"properties\":{\"stop_name\":\"北片\"},"
			  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,1]]]}},"
			  "{\"type\":\"Feature\",\"properties\":{},"
			  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,1]]]}},"
			  "{\"type\":\"Feature\",\"id\":\"Z3\",\"geometry\":null},"
			  "\"not a feature\","
			  "{\"type\":\"Feature\",\"id\":\"Z5\",\"properties\":null,"
			  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,1]]]}}]}\n";
	struct seen s = { 0 };
	long n = geojson_features(doc, strlen(doc), collect, &s, err, sizeof err);
	CHECK_INT("features", n, 5);
	CHECK_INT("good", s.good, 2);
	CHECK_STR("ids and names", s.ids, "Z1=北片|Z5|");
	CHECK_STR("errors", s.errors, "the feature has no id as text|the geometry must be an object "
				      "with type and coordinates|not a Feature|");
	static const char *const bad_docs[][2] = {
		{ "", "not JSON" },
		{ "{\"type\":\"FeatureCollection\",\"features\":[]} x", "text after" },
		{ "{\"type\":\"Feature\"}", "not a GeoJSON FeatureCollection" },
		{ "{\"type\":\"FeatureCollection\",\"features\":{}}", "not a GeoJSON FeatureCollection" },
		{ "{\"type\":\"FeatureCollection\"", "not JSON" },
	};
	for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
		memset(&s, 0, sizeof s);
		n = geojson_features(bad_docs[i][0], strlen(bad_docs[i][0]), collect, &s, err, sizeof err);
		CHECK_MSG(bad_docs[i][0], n == -1 && strstr(err, bad_docs[i][1]) && s.good + s.bad == 0);
	}
	return check_done("test_geojson");
}
