/*
 * client.c — HTTP to jintongd's admin API with libcurl's easy interface; see
 * client.h.
 *
 * Every failure ends up in one of two places: report_transport() when no
 * HTTP answer came, report_refusal() when one came but not a 2xx. Both say
 * what happened and what to do, in the daemon's words where it gave some.
 */
#include "client.h"

#include "cmd.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config-build.h"

/* A reply larger than this is not from jintongd. */
#define REPLY_MAX (64u * 1024 * 1024)

struct client {
	CURL *curl;
	char *url; /* without trailing slashes */
	char *auth_header; /* NULL when there is no token */
	char *no_token;    /* why not */
	long timeout_s;
	long last_status; /* of the last reply, 0 when none came */
	char errbuf[CURL_ERROR_SIZE];
};

struct buffer {
	char *data;
	size_t len, cap;
	bool too_large;
};

struct client *client_new(const char *url, const char *token, const char *no_token,
			  long timeout_s)
{
	struct client *c = xcalloc(1, sizeof *c);
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	c->url = xstrndup(url, n);
	if (token)
		c->auth_header = xasprintf("Authorization: Bearer %s", token);
	else
		c->no_token = xstrdup(no_token ? no_token : "no operator token; give --token-file FILE");
	c->timeout_s = timeout_s;
	c->curl = curl_easy_init();
	if (!c->curl)
		fatal("cannot initialise libcurl");
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	/* the header holds the token: leave nothing behind in freed memory */
	if (c->auth_header)
		explicit_bzero(c->auth_header, strlen(c->auth_header));
	free(c->auth_header);
	free(c->no_token);
	free(c->url);
	free(c);
}

char *client_escape(struct client *c, const char *s)
{
	char *e = curl_easy_escape(c->curl, s, 0);
	if (!e)
		fatal("out of memory escaping a path");
	char *copy = xstrdup(e);
	curl_free(e);
	return copy;
}

int client_exit_for_status(long status)
{
	if (status >= 200 && status <= 299)
		return CLI_OK;
	switch (status) {
	case 400:
	case 409:
	case 413:
	case 415:
	case 422:
		return CLI_USAGE;
	case 401:
	case 403:
		return CLI_UNAUTHORISED;
	case 404:
		return CLI_NOT_FOUND;
	default:
		return CLI_FAIL;
	}
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct buffer *b = userdata;
	size_t n = size * nmemb;
	if (b->len + n > REPLY_MAX) {
		b->too_large = true;
		return 0; /* makes curl stop with CURLE_WRITE_ERROR */
	}
	b->data = xgrow(b->data, &b->cap, b->len + n + 1, 1);
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Parses a whole body as JSON; NULL unless it is one JSON value and nothing else. */
static json_object *parse_json(const char *data, size_t len)
{
	if (!data || len == 0)
		return NULL;
	json_tokener *tok = json_tokener_new();
	if (!tok)
		fatal("out of memory parsing a reply");
	json_object *o = json_tokener_parse_ex(tok, data, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	} else {
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
			if (!strchr(" \t\r\n", data[i])) {
				json_object_put(o);
				o = NULL;
				break;
			}
		}
	}
	json_tokener_free(tok);
	return o;
}

static int report_transport(const struct client *c, CURLcode rc, const struct buffer *b)
{
	const char *why = c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
	long os_errno = 0;
	/* "Connection refused" says more to an operator than curl's sentence around it */
	if (rc == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(c->curl, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno)
		why = strerror((int)os_errno);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		cli_error("no answer from the daemon at %s within %ld s; is jintongd or its database "
			  "overloaded? try again, or allow longer with --timeout",
			  c->url, c->timeout_s);
		return CLI_UNREACHABLE;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		cli_error("cannot use the daemon address %s (%s); set --url or JINTONG_URL to "
			  "http://HOST:PORT",
			  c->url, why);
		return CLI_USAGE;
	case CURLE_WRITE_ERROR:
		if (b->too_large) {
			cli_error("the reply from %s is larger than %u MB; check that --url points at "
				  "jintongd",
				  c->url, REPLY_MAX >> 20);
			return CLI_FAIL;
		}
		break;
	case CURLE_OUT_OF_MEMORY:
		fatal("out of memory talking to the daemon");
	default:
		break;
	}
	cli_error("cannot reach the daemon at %s (%s); is jintongd running? set --url or JINTONG_URL",
		  c->url, why);
	return CLI_UNREACHABLE;
}

/* The daemon's own words: {"error": "<code>", "message": "<for people>"}. */
static const char *daemon_message(json_object *body)
{
	const char *m = fmt_str(body, "message");
	return m && *m ? m : fmt_str(body, "error");
}

/* "<the daemon's words>; <what to do>", or the daemon's words alone when hint is "". */
static void say_with_hint(const char *msg, const char *hint, const char *fallback)
{
	if (hint && !*hint)
		cli_error("%s", msg);
	else
		cli_error("%s; %s", msg, hint ? hint : fallback);
}

static int report_refusal(const struct client *c, long status, json_object *body,
			  const struct client_hints *hints)
{
	char *said = table_clean(daemon_message(body));
	/* "HTTP 502" alone, or "HTTP 500: database error" */
	char *status_text = *said ? xasprintf("HTTP %ld: %s", status, said)
				  : xasprintf("HTTP %ld", status);
	const char *msg = *said ? said : status_text;
	int code = client_exit_for_status(status);
	switch (status) {
	case 401:
		cli_error("the daemon refused the operator token (%s); check --token, --token-file, "
			  "JINTONG_TOKEN or JINTONG_TOKEN_FILE, or get a new token made with "
			  "`jintongd --create-operator NAME`",
			  msg);
		break;
	case 403:
		cli_error("the daemon does not allow this with this token (%s); ask an administrator "
			  "of jintongd for a token with that role (`jintong token add NAME --role ROLE`)",
			  msg);
		break;
	case 429:
		cli_error("the daemon is limiting this sender's requests (%s); wait and try again",
			  msg);
		break;
	case 404:
		say_with_hint(msg, hints ? hints->not_found : NULL,
			      "check the name and that --url points at jintongd");
		break;
	case 409:
		say_with_hint(msg, hints ? hints->conflict : NULL, "choose another name");
		break;
	case 400:
	case 415:
	case 422:
		/* "there is no town T9; add it first" already says what to do */
		if (strstr(msg, "; "))
			cli_error("the daemon refused the request: %s", msg);
		else
			cli_error("the daemon refused the request: %s; correct it and try again", msg);
		break;
	case 413:
		cli_error("the request is too large for the daemon (%s); send less at once", msg);
		break;
	case 503:
		cli_error("the daemon cannot serve this now (%s); check its database (GET %s/readyz) "
			  "and jintongd's log, then retry",
			  msg, c->url);
		break;
	default:
		if (status >= 500)
			cli_error("the daemon failed (%s); see jintongd's log", status_text);
		else
			cli_error("unexpected reply from %s (%s); check that --url points at jintongd "
				  "and that this tool matches its version",
				  c->url, status_text);
		break;
	}
	free(status_text);
	free(said);
	return code == CLI_OK ? CLI_FAIL : code;
}

static int request(struct client *c, const char *method, const char *path, json_object *body,
		   const struct client_hints *hints, json_object **reply)
{
	*reply = NULL;
	if (!c->auth_header) {
		cli_error("%s", c->no_token);
		return CLI_UNAUTHORISED;
	}
	struct buffer b = { 0 };
	struct curl_slist *headers = NULL;
	char *url = xasprintf("%s%s", c->url, path);
	const char *payload =
		body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_NOSLASHESCAPE) : "";

	headers = curl_slist_append(headers, "Accept: application/json");
	headers = curl_slist_append(headers, c->auth_header);
	if (body)
		headers = curl_slist_append(headers, "Content-Type: application/json");
	if (!headers)
		fatal("out of memory building a request");

	CURL *h = c->curl;
	curl_easy_reset(h);
	c->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* the token must not follow a redirect to another host */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "jintong/" JT_VERSION);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	if (strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	if (strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);

	int code;
	c->last_status = 0;
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		code = report_transport(c, rc, &b);
	} else {
		long status = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		json_object *parsed = parse_json(b.data, b.len);
		c->last_status = status;
		if ((status == 409 || status == 404) && hints && hints->quiet) {
			code = client_exit_for_status(status);
			json_object_put(parsed);
		} else if (status < 200 || status > 299) {
			code = report_refusal(c, status, parsed, hints);
			json_object_put(parsed);
		} else if (!parsed) {
			cli_error("the reply from %s%s is not JSON (HTTP %ld); check that --url points "
				  "at jintongd",
				  c->url, path, status);
			code = CLI_FAIL;
		} else {
			*reply = parsed;
			code = CLI_OK;
		}
	}
	curl_easy_reset(h); /* drops the pointers to our headers and buffers */
	curl_slist_free_all(headers);
	free(url);
	free(b.data);
	return code;
}

int client_get(struct client *c, const char *path, const struct client_hints *hints,
	       json_object **reply)
{
	return request(c, "GET", path, NULL, hints, reply);
}

int client_post(struct client *c, const char *path, json_object *body,
		const struct client_hints *hints, json_object **reply)
{
	return request(c, "POST", path, body, hints, reply);
}

int client_patch(struct client *c, const char *path, json_object *body,
		 const struct client_hints *hints, json_object **reply)
{
	return request(c, "PATCH", path, body, hints, reply);
}

int client_delete(struct client *c, const char *path, const struct client_hints *hints,
		  json_object **reply)
{
	return request(c, "DELETE", path, NULL, hints, reply);
}

long client_last_status(const struct client *c)
{
	return c->last_status;
}
