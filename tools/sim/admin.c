/*
 * admin.c — registers vehicles and tablets through jintongd's admin API
 * (POST /v1/admin/vehicles, POST /v1/admin/devices) with libcurl, the same
 * way an operator's script would. JSON bodies are built and read with json-c
 * so codes and device ids are always escaped properly.
 */
#include "admin.h"

#include <curl/curl.h>
#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct admin_client {
	CURL *curl;
	char *base_url;
	struct curl_slist *headers;
	char *body;      /* reply body of the last call */
	size_t body_len;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	struct admin_client *ac = arg;
	size_t len = size * n;
	char *grown = realloc(ac->body, ac->body_len + len + 1);

	if (!grown)
		return 0; /* makes curl fail the transfer */
	ac->body = grown;
	memcpy(ac->body + ac->body_len, data, len);
	ac->body_len += len;
	ac->body[ac->body_len] = '\0';
	return len;
}

struct admin_client *admin_open(const char *base_url, const char *token)
{
	static int curl_ready;
	struct admin_client *ac;
	size_t auth_len = strlen(token) + 32;
	char *auth;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return NULL;
		curl_ready = 1;
	}
	ac = calloc(1, sizeof *ac);
	auth = malloc(auth_len);
	if (!ac || !auth) {
		free(ac);
		free(auth);
		return NULL;
	}
	ac->curl = curl_easy_init();
	ac->base_url = strdup(base_url);
	snprintf(auth, auth_len, "Authorization: Bearer %s", token);
	ac->headers = curl_slist_append(NULL, auth);
	ac->headers = curl_slist_append(ac->headers, "Content-Type: application/json");
	free(auth);
	if (!ac->curl || !ac->base_url || !ac->headers) {
		admin_close(ac);
		return NULL;
	}
	curl_easy_setopt(ac->curl, CURLOPT_HTTPHEADER, ac->headers);
	curl_easy_setopt(ac->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(ac->curl, CURLOPT_WRITEDATA, ac);
	curl_easy_setopt(ac->curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(ac->curl, CURLOPT_NOSIGNAL, 1L);
	return ac;
}

void admin_close(struct admin_client *ac)
{
	if (!ac)
		return;
	if (ac->curl)
		curl_easy_cleanup(ac->curl);
	curl_slist_free_all(ac->headers);
	free(ac->base_url);
	free(ac->body);
	free(ac);
}

/* Copies the reply's "error"/"message" (or the raw body) into err. */
static void reply_reason(const struct admin_client *ac, struct json_object *reply,
			 long status, char *err, size_t errlen)
{
	struct json_object *code = NULL, *msg = NULL;

	if (!err || errlen == 0)
		return;
	if (reply && json_object_object_get_ex(reply, "error", &code)) {
		json_object_object_get_ex(reply, "message", &msg);
		snprintf(err, errlen, "HTTP %ld %s%s%s", status, json_object_get_string(code),
			 msg ? ": " : "", msg ? json_object_get_string(msg) : "");
	} else {
		snprintf(err, errlen, "HTTP %ld %.120s", status, ac->body ? ac->body : "");
	}
}

/* POSTs body to path; returns the status, the parsed reply in *reply. */
static int post_json(struct admin_client *ac, const char *path, struct json_object *body,
		     struct json_object **reply, char *err, size_t errlen)
{
	char url[1024];
	long status = 0;
	CURLcode rc;

	*reply = NULL;
	free(ac->body);
	ac->body = NULL;
	ac->body_len = 0;
	snprintf(url, sizeof url, "%s%s", ac->base_url, path);
	curl_easy_setopt(ac->curl, CURLOPT_URL, url);
	curl_easy_setopt(ac->curl, CURLOPT_POSTFIELDS, json_object_to_json_string(body));
	rc = curl_easy_perform(ac->curl);
	if (rc != CURLE_OK) {
		if (err && errlen)
			snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(ac->curl, CURLINFO_RESPONSE_CODE, &status);
	if (ac->body)
		*reply = json_tokener_parse(ac->body);
	if (status != 201)
		reply_reason(ac, *reply, status, err, errlen);
	return (int)status;
}

int admin_add_vehicle(struct admin_client *ac, const char *code, const char *name,
		      int seats, int cargo_l, char *err, size_t errlen)
{
	struct json_object *body = json_object_new_object(), *reply;
	int status;

	json_object_object_add(body, "code", json_object_new_string(code));
	json_object_object_add(body, "name", json_object_new_string(name));
	json_object_object_add(body, "seats", json_object_new_int(seats));
	json_object_object_add(body, "cargo_l", json_object_new_int(cargo_l));
	status = post_json(ac, "/v1/admin/vehicles", body, &reply, err, errlen);
	json_object_put(body);
	json_object_put(reply);
	return status;
}

int admin_add_device(struct admin_client *ac, const char *device_id, const char *vehicle,
		     char *token, size_t tokenlen, char *err, size_t errlen)
{
	struct json_object *body = json_object_new_object(), *reply, *tok;
	int status;

	json_object_object_add(body, "device_id", json_object_new_string(device_id));
	json_object_object_add(body, "vehicle", json_object_new_string(vehicle));
	status = post_json(ac, "/v1/admin/devices", body, &reply, err, errlen);
	if (status == 201) {
		if (reply && json_object_object_get_ex(reply, "token", &tok) &&
		    json_object_get_string_len(tok) > 0 &&
		    (size_t)json_object_get_string_len(tok) < tokenlen) {
			memcpy(token, json_object_get_string(tok),
			       (size_t)json_object_get_string_len(tok) + 1);
		} else {
			if (err && errlen)
				snprintf(err, errlen, "reply to device %s carries no usable token",
					 device_id);
			status = -1;
		}
	}
	json_object_put(body);
	json_object_put(reply);
	return status;
}

int admin_request(struct admin_client *ac, const char *method, const char *path, const char *body,
		  char *err, size_t errlen)
{
	char url[1024];
	long status = 0;

	free(ac->body);
	ac->body = NULL;
	ac->body_len = 0;
	snprintf(url, sizeof url, "%s%s", ac->base_url, path);
	curl_easy_setopt(ac->curl, CURLOPT_URL, url);
	if (body)
		curl_easy_setopt(ac->curl, CURLOPT_POSTFIELDS, body);
	else
		curl_easy_setopt(ac->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(ac->curl, CURLOPT_CUSTOMREQUEST, method);
	CURLcode rc = curl_easy_perform(ac->curl);
	curl_easy_setopt(ac->curl, CURLOPT_CUSTOMREQUEST, NULL);
	if (rc != CURLE_OK) {
		if (err && errlen)
			snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(ac->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		struct json_object *reply = ac->body ? json_tokener_parse(ac->body) : NULL;
		reply_reason(ac, reply, status, err, errlen);
		json_object_put(reply);
	}
	return (int)status;
}
