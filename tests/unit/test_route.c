/*
 * Route version rules: drawable sequences, diffs between versions, and the
 * version in effect on a day.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "route.h"

static bool known(void *arg, const char *code)
{
	(void)arg;
	return strcmp(code, "X") != 0;
}

static int check(const char *const *s, size_t n, char *err)
{
	return route_check_stops(s, n, known, NULL, err, 200);
}

int main(void)
{
	char err[200];
	const char *ok[] = { "A", "B", "C", "A" }; /* a loop back to A is fine */
	CHECK(check(ok, 4, err) == 0);
	const char *one[] = { "A" };
	CHECK(check(one, 1, err) == -1 && strstr(err, "two stops"));
	const char *unknown[] = { "A", "X" };
	CHECK(check(unknown, 2, err) == -1 && strstr(err, "stop 2, X"));
	const char *twice[] = { "A", "B", "B" };
	CHECK(check(twice, 3, err) == -1 && strstr(err, "positions 2 and 3"));
	/* picked up in a zone and set down in it: the same place twice running */
	const char *zone[] = { "zone:Z1", "zone:Z1" };
	CHECK(check(zone, 2, err) == 0);
	const char *group[] = { "A", "group:G", "group:G", "B" };
	CHECK(check(group, 4, err) == 0);

	enum route_place kind;
	const char *code;
	CHECK(route_place("S-1", &kind, &code) == 0 && kind == ROUTE_STOP && strcmp(code, "S-1") == 0);
	CHECK(route_place("group:LG1", &kind, &code) == 0 && kind == ROUTE_GROUP &&
	      strcmp(code, "LG1") == 0);
	CHECK(route_place("zone:Z.1", &kind, &code) == 0 && kind == ROUTE_ZONE && strcmp(code, "Z.1") == 0);
	CHECK(route_place("zone:", &kind, &code) == -1);
	CHECK(route_place("group:a b", &kind, &code) == -1);
	CHECK(route_place("bus:S1", &kind, &code) == -1);
	CHECK(route_place("", &kind, &code) == -1);

	double shape[] = { 30, 104, 30.1, 104.1 };
	CHECK(route_check_shape(shape, 2, err, sizeof err) == 0);
	CHECK(route_check_shape(shape, 1, err, sizeof err) == -1);
	double nan_shape[] = { 30, 104, NAN, 104.1 };
	CHECK(route_check_shape(nan_shape, 2, err, sizeof err) == -1 && strstr(err, "point 2"));
	double zero[] = { 0, 0, 30, 104 };
	CHECK(route_check_shape(zero, 2, err, sizeof err) == -1);

	struct route_diff d;
	const char *v1[] = { "A", "B", "C", "D" };
	const char *v2[] = { "A", "C", "E", "D" };
	route_diff(v1, 4, v2, 4, &d);
	CHECK_INT("added", (long long)d.nadded, 1);
	CHECK_STR("added E", d.added[0], "E");
	CHECK_INT("removed", (long long)d.nremoved, 1);
	CHECK_STR("removed B", d.removed[0], "B");
	CHECK(!d.reordered);
	route_diff_free(&d);
	const char *v3[] = { "A", "D", "C" };
	route_diff(v1, 4, v3, 3, &d);
	CHECK(d.reordered);
	CHECK_INT("removed B", (long long)d.nremoved, 1);
	route_diff_free(&d);
	route_diff(v1, 4, v1, 4, &d);
	CHECK(d.nadded == 0 && d.nremoved == 0 && !d.reordered);
	route_diff_free(&d);
	const char *loop[] = { "A", "E", "B", "E" };
	route_diff(v1, 4, loop, 4, &d);
	CHECK_INT("a stop added twice is listed once", (long long)d.nadded, 1);
	route_diff_free(&d);

	jt_day from[] = { 100, 200, 200, 300 };
	int num[] = { 1, 2, 3, 4 };
	CHECK_INT("before any", route_in_effect(from, num, 4, 99), -1);
	CHECK_INT("first", route_in_effect(from, num, 4, 150), 0);
	CHECK_INT("same day: the later version", route_in_effect(from, num, 4, 200), 2);
	CHECK_INT("latest", route_in_effect(from, num, 4, 1000), 3);
	return check_done("test_route");
}
