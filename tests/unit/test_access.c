/*
 * Who may call what: the path patterns, the first-match order of the table
 * (narrow entries before the catch-all under /v1/admin), the decision for each
 * kind of credential and role, and that an unlisted endpoint is closed.
 */
#include <string.h>

#include "access.h"
#include "check.h"

#define EQ(got, want) CHECK_INT(#got, (long long)(got), (long long)(want))
#define SEQ(got, want) CHECK_STR(#got, (got), (want))

static enum access_verdict decide(unsigned method, const char *path, enum access_kind kind,
				  enum access_role role)
{
	struct access_cred c = { .kind = kind, .role = role };
	return access_decide(access_find(method, path), &c);
}

int main(void)
{
	/* Patterns. */
	CHECK(access_match("/", "/"));
	CHECK(!access_match("/", "/x"));
	CHECK(access_match("/v1/rides", "/v1/rides"));
	CHECK(!access_match("/v1/rides", "/v1/rides/"));
	CHECK(!access_match("/v1/rides", "/v1/ridesx"));
	CHECK(access_match("/v1/rides/*", "/v1/rides/12"));
	CHECK(!access_match("/v1/rides/*", "/v1/rides/"));
	CHECK(!access_match("/v1/rides/*", "/v1/rides/12/confirm"));
	CHECK(access_match("/v1/rides/*/confirm", "/v1/rides/12/confirm"));
	CHECK(!access_match("/v1/rides/*/confirm", "/v1/rides//confirm"));
	CHECK(access_match("/v1/admin/**", "/v1/admin/lines"));
	CHECK(access_match("/v1/admin/**", "/v1/admin/lines/L1/routes/2"));
	CHECK(!access_match("/v1/admin/**", "/v1/admin"));
	CHECK(!access_match("/v1/admin/**", "/v1/admin/"));
	CHECK(!access_match("/v1/fixes", "v1/fixes"));

	/* Anyone: health, feeds, tracking apps; a token is not looked at. */
	EQ(decide(ACCESS_GET, "/healthz", ACCESS_NOBODY, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/", ACCESS_NOBODY, 0), ACCESS_OK);
	EQ(decide(ACCESS_GET, "/v1/gtfs-rt/vehicle-positions", ACCESS_CLIENT, 0), ACCESS_OK);
	/* A method a public path does not list is closed. */
	EQ(decide(ACCESS_POST, "/healthz", ACCESS_NOBODY, 0), ACCESS_UNAUTHENTICATED);

	/* Fixes: tablets only, not even an admin. */
	EQ(decide(ACCESS_POST, "/v1/fixes", ACCESS_DEVICE, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/fixes", ACCESS_OPERATOR, ACCESS_ADMIN), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_POST, "/v1/fixes", ACCESS_NOBODY, 0), ACCESS_UNAUTHENTICATED);

	/* Roles are ordered. */
	EQ(decide(ACCESS_GET, "/v1/admin/lines", ACCESS_OPERATOR, ACCESS_READ_ONLY), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/admin/lines", ACCESS_OPERATOR, ACCESS_READ_ONLY), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_POST, "/v1/admin/lines", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_POST, "/v1/admin/lines", ACCESS_OPERATOR, ACCESS_ADMIN), ACCESS_OK);
	/* The dispatcher's narrow entries win over the admin's catch-all. */
	EQ(decide(ACCESS_POST, "/v1/admin/devices/t1/revoke", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_OK);
	EQ(decide(ACCESS_DELETE, "/v1/admin/shifts/S1", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/admin/lines/L1/roster", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/admin/lines/L1/timetable", ACCESS_OPERATOR, ACCESS_DISPATCHER),
		  ACCESS_FORBIDDEN);
	/* Credentials are admins' only, even to read. */
	EQ(decide(ACCESS_GET, "/v1/admin/tokens", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/admin/clients", ACCESS_OPERATOR, ACCESS_ADMIN), ACCESS_OK);

	/* Booking clients: rides, nothing else. */
	EQ(decide(ACCESS_POST, "/v1/rides", ACCESS_CLIENT, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/rides/7/cancel", ACCESS_CLIENT, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/rides/7/board", ACCESS_CLIENT, 0), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/admin/vehicles", ACCESS_CLIENT, 0), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/live/state", ACCESS_CLIENT, 0), ACCESS_FORBIDDEN);

	/* Tablets: their vehicle's endpoints and the riders' reports, not the admin API. */
	EQ(decide(ACCESS_GET, "/v1/vehicles/B1/manifest", ACCESS_DEVICE, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/rides/7/board", ACCESS_DEVICE, 0), ACCESS_OK);
	EQ(decide(ACCESS_POST, "/v1/rides/7/confirm", ACCESS_DEVICE, 0), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/admin/devices", ACCESS_DEVICE, 0), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/vehicles", ACCESS_DEVICE, 0), ACCESS_FORBIDDEN);

	/* A known path with another method: 405 before any token is looked at. */
	EQ(access_methods("/v1/fixes"), ACCESS_POST);
	EQ(access_methods("/healthz"), ACCESS_GET);
	EQ(access_methods("/v1/nothing-here"), 0);

	/* Unlisted: closed to all but admins. */
	CHECK(access_find(ACCESS_GET, "/v1/nothing-here") == NULL);
	EQ(decide(ACCESS_GET, "/v1/nothing-here", ACCESS_NOBODY, 0), ACCESS_UNAUTHENTICATED);
	EQ(decide(ACCESS_GET, "/v1/nothing-here", ACCESS_OPERATOR, ACCESS_DISPATCHER), ACCESS_FORBIDDEN);
	EQ(decide(ACCESS_GET, "/v1/nothing-here", ACCESS_OPERATOR, ACCESS_ADMIN), ACCESS_OK);

	/* The reason names who is needed. */
	char why[160];
	access_needs(access_find(ACCESS_POST, "/v1/rides"), why, sizeof why);
	SEQ(why, "a dispatcher or admin token, or a booking client");
	access_needs(access_find(ACCESS_POST, "/v1/fixes"), why, sizeof why);
	SEQ(why, "the vehicle's tablet");
	access_needs(NULL, why, sizeof why);
	SEQ(why, "an admin token");

	EQ(access_role_parse("dispatcher"), ACCESS_DISPATCHER);
	EQ(access_role_parse("root"), -1);
	SEQ(access_role_name(ACCESS_READ_ONLY), "read_only");
	return check_done("access");
}
