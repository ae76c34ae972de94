/*
 * http.h — jintongd's HTTP face: the listening socket, routing, limits,
 * authentication and the mapping of outcomes to status codes, in one place.
 */
#ifndef JINTONG_HTTP_H
#define JINTONG_HTTP_H

#include <json-c/json.h>

#include "daemon.h"

struct evhttp_request;

int http_start(struct jtd *d, char *err, size_t errlen) JT_MUST_CHECK;
/* Stops taking new connections; the open ones are still answered. */
void http_stop_accepting(struct jtd *d);
void http_free(struct jtd *d);
/* Re-reads the HTTPS certificate and key (SIGHUP). */
void http_reload_tls(struct jtd *d);
/* Applies limits that may change on reload. */
void http_apply_limits(struct jtd *d);

void http_reply_body(struct evhttp_request *req, int status, const char *content_type,
		     const void *body, size_t len);
/* Consumes obj. */
void http_reply_json(struct evhttp_request *req, int status, struct json_object *obj);
void http_reply_error(struct evhttp_request *req, int status, const char *code, const char *fmt, ...)
	JT_PRINTF(4, 5);
/* 503 with Retry-After: the client keeps what it sent and tries again. */
void http_reply_unavailable(struct jtd *d, struct evhttp_request *req, const char *why);

/* The whole request body (not NUL-terminated, but a NUL follows it). */
const char *http_body(struct evhttp_request *req, size_t *len);
/* The body as a JSON object (nothing after it); replies 400 and returns NULL otherwise. */
struct json_object *http_json_object(struct evhttp_request *req, size_t max);
/* The request's media type without parameters, lower case, or "" (buf >= 64). */
const char *http_content_type(struct evhttp_request *req, char *buf, size_t len);
/* The peer's address as text. */
const char *http_peer(struct evhttp_request *req);

/*
 * The operator's name when the request came with an operator's token (the
 * route table already decided it may); replies 403 and returns NULL for a
 * tablet or booking client.
 */
const char *http_operator(struct jtd *d, struct evhttp_request *req);

#endif
