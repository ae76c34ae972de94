/*
 * access.h — who may call what: the one table of the daemon's endpoints, each
 * with the credentials it admits, and the decision for one request.
 *
 * Credentials are of four kinds: none (anyone on the network), a vehicle's
 * tablet (device token), a booking client (the kiosk of a village committee, a
 * mini-program's backend) and an operator token, which has a role:
 * read_only < dispatcher < admin. A route admits operators from a least role
 * up, and may also admit tablets (the handler then checks the tablet is in
 * the vehicle concerned), booking clients (the handler then shows the client
 * only its own rides) or anyone. A method and path not in the table needs an
 * admin: what nobody wrote down is closed by default.
 *
 * Pure: no libevent here, so the test of the whole matrix can walk the same
 * table the daemon routes by.
 */
#ifndef JINTONG_ACCESS_H
#define JINTONG_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

/* Methods, as bits. HEAD is read as GET. */
enum {
	ACCESS_GET = 1,
	ACCESS_POST = 2,
	ACCESS_PATCH = 4,
	ACCESS_DELETE = 8,
};

enum access_role {
	ACCESS_NO_ROLE = 0, /* no operator is admitted (a tablet's own endpoint) */
	ACCESS_READ_ONLY,
	ACCESS_DISPATCHER,
	ACCESS_ADMIN,
};

enum access_kind { ACCESS_NOBODY, ACCESS_DEVICE, ACCESS_CLIENT, ACCESS_OPERATOR };

/* Whom a route admits besides operators (bits). */
enum {
	ACCESS_ANYONE = 1,  /* no credential needed; one sent only decides whose rate limit counts */
	ACCESS_TABLET = 2,  /* a vehicle's tablet */
	ACCESS_BOOKING = 4, /* a booking client */
};

/* Which token bucket a request draws from. */
enum access_limit { ACCESS_LIMIT_REQUESTS, ACCESS_LIMIT_FIXES };

struct access_route {
	unsigned methods;
	/* Segments; "*" is any one segment, a final "**" one or more. */
	const char *pattern;
	enum access_role role; /* least operator role admitted */
	unsigned also;
	enum access_limit limit;
};

extern const struct access_route access_routes[];
extern const size_t access_nroutes;

/* Who sent a request, once its token was looked up. */
struct access_cred {
	enum access_kind kind;
	enum access_role role; /* operators */
	int id;                /* device, client or operator token id */
	int vehicle_id;        /* devices */
	char name[65];         /* device ext_id, client or operator name */
};

enum access_verdict { ACCESS_OK, ACCESS_UNAUTHENTICATED, ACCESS_FORBIDDEN };

/* Does path match pattern (both start with '/')? */
bool access_match(const char *pattern, const char *path);
/* The first route admitting this method on path; NULL when none (admins only). */
const struct access_route *access_find(unsigned method, const char *path);
/* The methods the table lists for path (0: an unknown path). */
unsigned access_methods(const char *path);
/* May c call route r (NULL: an unlisted route)? c->kind is ACCESS_NOBODY without a valid token. */
enum access_verdict access_decide(const struct access_route *r, const struct access_cred *c);
/* What r needs, in words, for a 403: "a dispatcher or admin token, or the vehicle's tablet". */
void access_needs(const struct access_route *r, char *buf, size_t len);

const char *access_role_name(enum access_role r);
/* -1 when s is not read_only, dispatcher or admin. */
int access_role_parse(const char *s);
/* "GET", "POST", ... for one method bit. */
const char *access_method_name(unsigned method);

#endif
