/*
 * access.c — the table of endpoints and who may call them; see access.h.
 *
 * First match wins, so a narrow entry comes before the wide one that would
 * also match it (the dispatcher's writes under /v1/admin before the admin's
 * catch-all). Each entry names one kind of request a client of the daemon
 * makes; the black-box test of the access matrix has a line for each.
 */
#include "access.h"

#include <stdio.h>
#include <string.h>

#define G ACCESS_GET
#define P ACCESS_POST
#define W (ACCESS_POST | ACCESS_PATCH | ACCESS_DELETE)
#define RQ ACCESS_LIMIT_REQUESTS
#define FX ACCESS_LIMIT_FIXES

const struct access_route access_routes[] = {
	/* Tracking apps speaking the OsmAnd protocol: their identifier is all they send. */
	{ G | P, "/", ACCESS_NO_ROLE, ACCESS_ANYONE, FX },
	{ P, "/v1/fixes", ACCESS_NO_ROLE, ACCESS_TABLET, FX },
	{ G, "/healthz", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	{ G, "/readyz", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	{ G, "/metrics", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	/* The live page's files (its data needs a token) and the public GTFS Realtime feeds. */
	{ G, "/live", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	{ G, "/live/**", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	{ G, "/v1/gtfs-rt/*", ACCESS_NO_ROLE, ACCESS_ANYONE, RQ },
	{ G, "/v1/live/*", ACCESS_READ_ONLY, 0, RQ },
	{ G, "/v1/vehicles", ACCESS_READ_ONLY, 0, RQ },
	/* The driver's tablet: its own vehicle only (checked by the handler). */
	{ G, "/v1/vehicles/*/manifest", ACCESS_READ_ONLY, ACCESS_TABLET, RQ },
	{ P, "/v1/vehicles/*/sign-on", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	{ P, "/v1/vehicles/*/sign-off", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	{ P, "/v1/vehicles/*/counts", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	{ G, "/v1/trips/*/run", ACCESS_READ_ONLY, 0, RQ },
	/* Bookings: a booking client sees and changes only the rides it made. */
	{ G, "/v1/rides", ACCESS_READ_ONLY, ACCESS_BOOKING, RQ },
	{ P, "/v1/rides", ACCESS_DISPATCHER, ACCESS_BOOKING, RQ },
	{ G, "/v1/rides/*", ACCESS_READ_ONLY, ACCESS_BOOKING, RQ },
	{ P, "/v1/rides/*/confirm", ACCESS_DISPATCHER, ACCESS_BOOKING, RQ },
	{ P, "/v1/rides/*/cancel", ACCESS_DISPATCHER, ACCESS_BOOKING, RQ },
	/* What the vehicle reports about its riders. */
	{ P, "/v1/rides/*/board", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	{ P, "/v1/rides/*/no_show", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	{ P, "/v1/rides/*/dropoff", ACCESS_DISPATCHER, ACCESS_TABLET, RQ },
	/* Credentials: admins only, reading included. */
	{ G | P, "/v1/admin/tokens", ACCESS_ADMIN, 0, RQ },
	{ P, "/v1/admin/tokens/*/revoke", ACCESS_ADMIN, 0, RQ },
	{ G | P, "/v1/admin/clients", ACCESS_ADMIN, 0, RQ },
	{ P, "/v1/admin/clients/*/revoke", ACCESS_ADMIN, 0, RQ },
	/* The dispatch desk: vehicles, their tablets, booking duty and pupils' rosters. */
	{ P, "/v1/admin/vehicles", ACCESS_DISPATCHER, 0, RQ },
	{ P, "/v1/admin/devices", ACCESS_DISPATCHER, 0, RQ },
	{ P, "/v1/admin/devices/*/revoke", ACCESS_DISPATCHER, 0, RQ },
	{ W, "/v1/admin/shifts", ACCESS_DISPATCHER, 0, RQ },
	{ W, "/v1/admin/shifts/*", ACCESS_DISPATCHER, 0, RQ },
	{ W, "/v1/admin/lines/*/roster", ACCESS_DISPATCHER, 0, RQ },
	/* Everything else an operator reads, and the network, timetables and calendars admins edit. */
	{ G, "/v1/admin/**", ACCESS_READ_ONLY, 0, RQ },
	{ W, "/v1/admin/**", ACCESS_ADMIN, 0, RQ },
};
const size_t access_nroutes = sizeof access_routes / sizeof access_routes[0];

#undef G
#undef P
#undef W
#undef RQ
#undef FX

/* Length of the segment starting at s. */
static size_t seg(const char *s)
{
	return strcspn(s, "/");
}

bool access_match(const char *pattern, const char *path)
{
	if (*pattern != '/' || *path != '/')
		return false;
	for (;;) {
		pattern++, path++; /* past the '/' */
		size_t pn = seg(pattern), qn = seg(path);
		if (pn == 2 && strncmp(pattern, "**", 2) == 0 && !pattern[2])
			return qn > 0; /* one segment or more, whatever follows */
		if (pn == 1 && *pattern == '*') {
			if (qn == 0)
				return false;
		} else if (pn != qn || strncmp(pattern, path, pn) != 0) {
			return false;
		}
		pattern += pn, path += qn;
		if (!*pattern || !*path)
			return !*pattern && !*path;
	}
}

const struct access_route *access_find(unsigned method, const char *path)
{
	for (size_t i = 0; i < access_nroutes; i++)
		if ((access_routes[i].methods & method) && access_match(access_routes[i].pattern, path))
			return &access_routes[i];
	return NULL;
}

unsigned access_methods(const char *path)
{
	unsigned m = 0;
	for (size_t i = 0; i < access_nroutes; i++)
		if (access_match(access_routes[i].pattern, path))
			m |= access_routes[i].methods;
	return m;
}

enum access_verdict access_decide(const struct access_route *r, const struct access_cred *c)
{
	static const struct access_route closed = { 0, "", ACCESS_ADMIN, 0, ACCESS_LIMIT_REQUESTS };
	if (!r)
		r = &closed;
	if (r->also & ACCESS_ANYONE)
		return ACCESS_OK;
	switch (c->kind) {
	case ACCESS_NOBODY:
		return ACCESS_UNAUTHENTICATED;
	case ACCESS_DEVICE:
		return (r->also & ACCESS_TABLET) ? ACCESS_OK : ACCESS_FORBIDDEN;
	case ACCESS_CLIENT:
		return (r->also & ACCESS_BOOKING) ? ACCESS_OK : ACCESS_FORBIDDEN;
	case ACCESS_OPERATOR:
		return r->role != ACCESS_NO_ROLE && c->role >= r->role ? ACCESS_OK : ACCESS_FORBIDDEN;
	}
	return ACCESS_FORBIDDEN;
}

void access_needs(const struct access_route *r, char *buf, size_t len)
{
	static const char *const roles[] = {
		[ACCESS_READ_ONLY] = "a read_only, dispatcher or admin token",
		[ACCESS_DISPATCHER] = "a dispatcher or admin token",
		[ACCESS_ADMIN] = "an admin token",
	};
	enum access_role role = r ? r->role : ACCESS_ADMIN;
	unsigned also = r ? r->also : 0;
	const char *tablet = (also & ACCESS_TABLET) ? "the vehicle's tablet" : NULL;
	const char *booking = (also & ACCESS_BOOKING) ? "a booking client" : NULL;
	snprintf(buf, len, "%s%s%s%s%s", role ? roles[role] : "", role && tablet ? ", or " : "",
		 tablet ? tablet : "", (role || tablet) && booking ? ", or " : "", booking ? booking : "");
}

const char *access_role_name(enum access_role r)
{
	switch (r) {
	case ACCESS_READ_ONLY:
		return "read_only";
	case ACCESS_DISPATCHER:
		return "dispatcher";
	case ACCESS_ADMIN:
		return "admin";
	case ACCESS_NO_ROLE:
		return "none";
	}
	return "none";
}

int access_role_parse(const char *s)
{
	for (int r = ACCESS_READ_ONLY; r <= ACCESS_ADMIN; r++)
		if (strcmp(s, access_role_name((enum access_role)r)) == 0)
			return r;
	return -1;
}

const char *access_method_name(unsigned method)
{
	switch (method) {
	case ACCESS_GET:
		return "GET";
	case ACCESS_POST:
		return "POST";
	case ACCESS_PATCH:
		return "PATCH";
	case ACCESS_DELETE:
		return "DELETE";
	}
	return "?";
}
