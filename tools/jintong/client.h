/*
 * client.h — the admin API as the operators' tool sees it: one request, one
 * JSON reply, and when anything goes wrong a message for the operator and
 * the exit status scripts rely on (cmd.h, enum cli_exit).
 *
 * The operator token goes in the Authorization header and nowhere else:
 * never in a message, never on the terminal.
 */
#ifndef JINTONG_CLI_CLIENT_H
#define JINTONG_CLI_CLIENT_H

#include "core.h"

#include <json-c/json.h>

struct client;

/*
 * url: "http://host:port" (trailing slashes ignored); token: the operator
 * token, already checked with check_token(); timeout_s: for the whole request.
 * Never NULL.
 *
 * With token NULL, no_token says why there is none ("what happened; what to
 * do") and every request fails with it and CLI_UNAUTHORISED: a command checks
 * its arguments first, so a typo is reported before a missing token.
 */
struct client *client_new(const char *url, const char *token, const char *no_token,
			  long timeout_s);
void client_free(struct client *c);

/* Percent-escapes s for one path segment. The caller frees the result. */
char *client_escape(struct client *c, const char *s);

/*
 * What to tell the operator after a refusal only the command understands
 * ("list the vehicles with `jintong vehicle list`"). Either may be NULL for
 * a general hint, or "" when the daemon's message already says what to do.
 */
struct client_hints {
	const char *not_found; /* after 404 */
	const char *conflict;  /* after 409 */
	bool quiet;            /* a 404 or 409 is the caller's to handle: say nothing */
};

/* The HTTP status of the last reply, 0 when none came (no connection). */
long client_last_status(const struct client *c);

/*
 * GET or POST path (starting with '/', segments escaped). body NULL posts
 * nothing. On a 2xx reply stores the parsed JSON in *reply (the caller puts
 * it) and returns CLI_OK. Otherwise has told the operator what happened and
 * what to do, and returns the exit status; *reply is NULL.
 */
int client_get(struct client *c, const char *path, const struct client_hints *hints,
	       json_object **reply) JT_MUST_CHECK;
int client_post(struct client *c, const char *path, json_object *body,
		const struct client_hints *hints, json_object **reply) JT_MUST_CHECK;
/* The same with PATCH (some members of a record) and DELETE (no body). */
int client_patch(struct client *c, const char *path, json_object *body,
		 const struct client_hints *hints, json_object **reply) JT_MUST_CHECK;
int client_delete(struct client *c, const char *path, const struct client_hints *hints,
		  json_object **reply) JT_MUST_CHECK;

/* The exit status an HTTP status means (200..299 → CLI_OK). */
int client_exit_for_status(long status);

#endif
