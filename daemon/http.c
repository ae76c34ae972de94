/*
 * http.c — listening, routing and replying; see http.h.
 *
 * Requests are routed by path to the module that owns them: fixes to ingest,
 * the admin API to admin. Errors are always JSON with a stable code.
 */
#include "http.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin.h"
#include "devices.h"
#include "feeds.h"
#include "ingest.h"
#include "throttle.h"
#include "live.h"
#include "log.h"
#include "manifest.h"
#include "rides.h"
#include "standby.h"
#include "monitor.h"
#include "store.h"
#include "tls.h"
#include "tracking.h"
#include "util.h"

#define HEADERS_MAX 16384
#define HTTP_TIMEOUT_S 60
/* Deepest nesting accepted in an admin request's JSON. */
#define JSON_DEPTH_MAX 16

void http_reply_body(struct evhttp_request *req, int status, const char *content_type,
		     const void *body, size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	if (content_type)
		evhttp_add_header(h, "Content-Type", content_type);
	if (len && evbuffer_add(evhttp_request_get_output_buffer(req), body, len) != 0)
		fatal("out of memory for a reply");
	evhttp_send_reply(req, status, NULL, NULL);
}

void http_reply_json(struct evhttp_request *req, int status, struct json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	char *copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\n';
	json_object_put(obj);
	/* Positions and tokens change: nothing here may be cached. */
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	http_reply_body(req, status, "application/json", copy, len + 1);
	free(copy);
}

void http_reply_error(struct evhttp_request *req, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	util_utf8_repair(msg); /* a request's bytes echoed, or a cut character */
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(msg));
	http_reply_json(req, status, o);
}

void http_reply_unavailable(struct jtd *d, struct evhttp_request *req, const char *why)
{
	char secs[24];
	snprintf(secs, sizeof secs, "%ld", d->cfg.retry_after_s);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", secs);
	http_reply_error(req, 503, "unavailable", "%s; try again in %ld s", why, d->cfg.retry_after_s);
}

const char *http_body(struct evhttp_request *req, size_t *len)
{
	struct evbuffer *b = evhttp_request_get_input_buffer(req);
	*len = evbuffer_get_length(b);
	if (*len == 0)
		return "";
	/* A NUL after the body lets text parsers stop safely; it is not counted. */
	evbuffer_add(b, "", 1);
	const char *p = (const char *)evbuffer_pullup(b, -1);
	return p ? p : "";
}

struct json_object *http_json_object(struct evhttp_request *req, size_t max)
{
	size_t len;
	const char *body = http_body(req, &len);
	struct json_object *o = NULL;
	if (len <= max && !memchr(body, '\0', len)) {
		struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH_MAX);
		o = json_tokener_parse_ex(tok, body, (int)len);
		if (json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != len || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			o = NULL;
		}
		json_tokener_free(tok);
	}
	if (!o)
		http_reply_error(req, 400, "malformed", "the body must be a JSON object of at most %zu bytes",
				 max);
	return o;
}

const char *http_content_type(struct evhttp_request *req, char *buf, size_t len)
{
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
	size_t k = 0;
	if (ct) {
		while (*ct == ' ')
			ct++;
		for (; ct[k] && ct[k] != ';' && ct[k] != ' ' && k + 1 < len; k++)
			buf[k] = (char)tolower((unsigned char)ct[k]);
	}
	buf[k] = '\0';
	return buf;
}

const char *http_peer(struct evhttp_request *req)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	char *addr = NULL;
	ev_uint16_t port = 0;
	if (c)
		evhttp_connection_get_peer(c, &addr, &port);
	return addr ? addr : "";
}

const char *http_operator(struct jtd *d, struct evhttp_request *req)
{
	if (d->cred.kind != ACCESS_OPERATOR) {
		http_reply_error(req, 403, "forbidden", "this needs an operator's token");
		return NULL;
	}
	return d->cred.name;
}

static unsigned method_bit(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:
	case EVHTTP_REQ_HEAD:
		return ACCESS_GET;
	case EVHTTP_REQ_POST:
		return ACCESS_POST;
	case EVHTTP_REQ_PATCH:
		return ACCESS_PATCH;
	case EVHTTP_REQ_DELETE:
		return ACCESS_DELETE;
	default:
		return 0;
	}
}

/*
 * Who sent the request, and may they: the route table decides, for every
 * endpoint, before its module sees the request. False after a 401, 403 or 429.
 */
static bool admit(struct jtd *d, struct evhttp_request *req, unsigned method, const char *path)
{
	/*
	 * Modules decode what follows a collection's name, so "%2F" would be a
	 * slash the route table did not see ("/lines/L1%2Froutes/roster" is
	 * not a roster). No code or name holds one: refuse them all.
	 */
	if (strcasestr(path, "%2f")) {
		http_reply_error(req, 400, "malformed", "a path may not hold an encoded '/'");
		return false;
	}
	const struct access_route *r = access_find(method, path);
	unsigned known = r ? 0 : access_methods(path);
	if (known) {
		http_reply_error(req, 405, "method_not_allowed", "%.100s does not take this method", path);
		return false;
	}
	struct access_cred c = { 0 };
	size_t len = 0;
	const char *tok = token_from_bearer(
		evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"), &len);
	/* Looked up on open endpoints too: the sender's own rate limit applies there (none for operators). */
	if (tok)
		devices_identify(d->devices, tok, len, &c);
	d->cred = c;
	if (!throttle_admit(d, req, r, &c))
		return false;
	enum access_verdict v = access_decide(r, &c);
	if (v == ACCESS_OK)
		return true;
	char needs[160];
	access_needs(r, needs, sizeof needs);
	throttle_count_denied(d, v == ACCESS_UNAUTHENTICATED);
	if (v == ACCESS_UNAUTHENTICATED) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
				  "Bearer realm=\"jintong\"");
		http_reply_error(req, 401, "unauthorized", "%s; this needs %s (Authorization: Bearer ...)",
				 tok ? "the token was not accepted (unknown or revoked)" : "no token was sent",
				 needs);
		return false;
	}
	static const char *const kinds[] = { "", "a tablet's", "a booking client's", "" };
	char msg[400];
	if (c.kind == ACCESS_OPERATOR)
		snprintf(msg, sizeof msg, "this needs %s; this is a%s %s token", needs,
			 c.role == ACCESS_ADMIN ? "n" : "", access_role_name(c.role));
	else
		snprintf(msg, sizeof msg, "this needs %s; this is %s token", needs, kinds[c.kind]);
	log_info("http.forbidden", "path=%.100s who=%s", path, c.name);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string("forbidden"));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "role_needed",
			       r && r->role == ACCESS_NO_ROLE ? NULL
							      : json_object_new_string(access_role_name(r ? r->role : ACCESS_ADMIN)));
	http_reply_json(req, 403, o);
	return false;
}

/* "CODE/action" after a collection's path: the code (a catalog code) and the action. */
static bool split(const char *rest, char *code, size_t len, const char **action)
{
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : 0;
	if (!slash || n == 0 || n >= len || strchr(slash + 1, '/'))
		return false;
	memcpy(code, rest, n);
	code[n] = '\0';
	*action = slash + 1;
	return true;
}

static void route(struct evhttp_request *req, void *arg)
{
	struct jtd *d = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	char code[64];
	const char *action = NULL;
	if (!path || !*path)
		path = "/";
	d->stats.requests++;
	if (d->standby) {
		standby_route(d, req, path);
		return;
	}
	if (!throttle_connection(d, req) || !admit(d, req, method_bit(m), path)) {
		d->cred = (struct access_cred){ 0 };
		return;
	}

	if (strcmp(path, "/") == 0) {
		if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_POST)
			goto bad_method;
		ingest_osmand(d, req);
	} else if (strcmp(path, "/v1/fixes") == 0) {
		if (m != EVHTTP_REQ_POST)
			goto bad_method;
		ingest_batch(d, req);
	} else if (strncmp(path, "/v1/vehicles/", 13) == 0 && split(path + 13, code, sizeof code, &action) &&
		   (!strcmp(action, "manifest") || !strcmp(action, "sign-on") || !strcmp(action, "sign-off") ||
		    !strcmp(action, "counts"))) {
		if (strcmp(action, "manifest") == 0) {
			if (m != EVHTTP_REQ_GET)
				goto bad_method;
			manifest_handle(d, req, code);
		} else {
			tracking_vehicle_handle(d, req, code, action);
		}
	} else if (strncmp(path, "/v1/trips/", 10) == 0 && split(path + 10, code, sizeof code, &action) &&
		   strcmp(action, "run") == 0) {
		if (m != EVHTTP_REQ_GET)
			goto bad_method;
		tracking_trip_run(d, req, code);
	} else if (strncmp(path, "/v1/gtfs-rt/", 12) == 0) {
		feeds_handle(d, req, path + 12);
	} else if (strcmp(path, "/v1/vehicles") == 0) {
		if (m != EVHTTP_REQ_GET)
			goto bad_method;
		if (http_operator(d, req))
			ingest_vehicles(d, req);
	} else if (strncmp(path, "/v1/rides", 9) == 0 && (path[9] == '\0' || path[9] == '/')) {
		rides_handle(d, req, path + 9);
	} else if (strncmp(path, "/v1/admin/", 10) == 0) {
		admin_handle(d, req, path + 10);
	} else if (strncmp(path, "/v1/live/", 9) == 0) {
		live_handle(d, req, path + 8);
	} else if (strcmp(path, "/live") == 0 || strncmp(path, "/live/", 6) == 0) {
		live_page(d, req, path);
	} else if (strcmp(path, "/healthz") == 0) {
		monitor_health(d, req, false);
	} else if (strcmp(path, "/readyz") == 0) {
		monitor_health(d, req, true);
	} else if (strcmp(path, "/metrics") == 0) {
		if (m != EVHTTP_REQ_GET)
			goto bad_method;
		monitor_metrics(d, req);
	} else {
		http_reply_error(req, 404, "not_found", "nothing at %.100s", path);
	}
	d->cred = (struct access_cred){ 0 };
	return;
bad_method:
	d->cred = (struct access_cred){ 0 };
	http_reply_error(req, 405, "method_not_allowed", "%.100s does not take this method", path);
}

void http_apply_limits(struct jtd *d)
{
	evhttp_set_max_body_size(d->http, (ev_ssize_t)d->cfg.body_max);
	if (d->https)
		evhttp_set_max_body_size(d->https, (ev_ssize_t)d->cfg.body_max);
}

static struct evhttp *server_new(struct jtd *d)
{
	struct evhttp *h = evhttp_new(d->base);
	if (!h)
		fatal("out of memory for the HTTP server");
	evhttp_set_gencb(h, route, d);
	evhttp_set_allowed_methods(h, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
						EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE);
	evhttp_set_max_headers_size(h, HEADERS_MAX);
	evhttp_set_timeout(h, HTTP_TIMEOUT_S);
	return h;
}

static struct evhttp_bound_socket *bind_to(struct evhttp *h, const char *address, char *err,
					   size_t errlen)
{
	char *host = xstrdup(address);
	char *colon = strrchr(host, ':');
	*colon = '\0';
	int port = atoi(colon + 1);
	char *name = host;
	if (name[0] == '[' && name[strlen(name) - 1] == ']') {
		name[strlen(name) - 1] = '\0';
		name++;
	}
	struct evhttp_bound_socket *b = evhttp_bind_socket_with_handle(h, name, (ev_uint16_t)port);
	free(host);
	if (!b)
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this machine)",
			 address);
	return b;
}

int http_start(struct jtd *d, char *err, size_t errlen)
{
	d->http = server_new(d);
	if (d->cfg.tls_listen[0]) {
		d->tls = tls_new(d->cfg.tls_cert, d->cfg.tls_key, err, errlen);
		if (!d->tls)
			return -1;
		d->https = server_new(d);
		evhttp_set_bevcb(d->https, tls_bevcb, d->tls);
	}
	http_apply_limits(d);
	d->bound = bind_to(d->http, d->cfg.listen, err, errlen);
	if (!d->bound)
		return -1;
	if (d->https) {
		d->tls_bound = bind_to(d->https, d->cfg.tls_listen, err, errlen);
		if (!d->tls_bound)
			return -1;
	}
	return 0;
}

void http_reload_tls(struct jtd *d)
{
	if (!d->tls)
		return;
	char err[512];
	if (tls_reload(d->tls, d->cfg.tls_cert, d->cfg.tls_key, err, sizeof err) != 0)
		log_error("tls.reload_failed", "error=\"%s\" action=kept_previous", err);
	else
		log_info("tls.reloaded", "cert=%s", d->cfg.tls_cert);
}

void http_stop_accepting(struct jtd *d)
{
	if (d->bound) {
		evhttp_del_accept_socket(d->http, d->bound);
		d->bound = NULL;
	}
	if (d->tls_bound) {
		evhttp_del_accept_socket(d->https, d->tls_bound);
		d->tls_bound = NULL;
	}
}

void http_free(struct jtd *d)
{
	if (d->http)
		evhttp_free(d->http);
	if (d->https)
		evhttp_free(d->https);
	d->http = d->https = NULL;
	tls_free(d->tls);
	d->tls = NULL;
}
