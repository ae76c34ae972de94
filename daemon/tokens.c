/*
 * tokens.c — operator tokens and booking clients made, listed and revoked
 * through the admin API; see tokens.h.
 *
 * A new secret is generated here, its SHA-256 committed to PostgreSQL, and
 * only then added to the in-memory registry and shown, once, in the reply.
 * The secret is never logged and never stored. Revoking commits first and
 * then forgets the hash, so the very next request with it is refused.
 */
#include "tokens.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "fleetbody.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "timeparse.h"
#include "token.h"
#include "util.h"

#define BODY_MAX 4096

enum tokens_op { OP_LIST, OP_ADD, OP_REVOKE };

struct pending {
	struct jtd *d;
	struct evhttp_request *req;
	enum tokens_op op;
	bool clients;
	char who[65];
	char name[65];
	enum access_role role;
	char token[TOKEN_LEN + 1];
	uint8_t hash[TOKEN_HASH_LEN];
};

static const char *what(bool clients)
{
	return clients ? "booking client" : "operator token";
}

static struct json_object *time_or_null(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	char buf[TS_FORMAT_LEN];
	ts_format(strtoll(PQgetvalue(res, row, col), NULL, 10), buf, sizeof buf);
	return json_object_new_string(buf);
}

/* name, role, created_at, revoked_at (ms) of row i. */
static struct json_object *row_json(const PGresult *res, int i, bool clients)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(PQgetvalue(res, i, 0)));
	if (!clients)
		json_object_object_add(o, "role", json_object_new_string(PQgetvalue(res, i, 1)));
	json_object_object_add(o, "created_at", time_or_null(res, i, 2));
	json_object_object_add(o, "revoked_at", time_or_null(res, i, 3));
	return o;
}

static void done(void *arg, const PGresult *res)
{
	struct pending *p = arg;
	struct jtd *d = p->d;
	if (!res) {
		http_reply_unavailable(d, p->req, "the database is unreachable");
		goto out;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			http_reply_error(p->req, 409, "exists", "a %s named %s already exists", what(p->clients),
					 p->name);
		else
			http_reply_error(p->req, 500, "database_error", "the %s could not be saved",
					 what(p->clients));
		goto out;
	}
	switch (p->op) {
	case OP_LIST: {
		struct json_object *list = json_object_new_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_object_array_add(list, row_json(res, i, p->clients));
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, p->clients ? "clients" : "tokens", list);
		http_reply_json(p->req, 200, o);
		break;
	}
	case OP_ADD: {
		if (p->clients)
			devices_add_client(d->devices, atoi(PQgetvalue(res, 0, 4)), p->hash, p->name);
		else
			devices_add_operator(d->devices, p->hash, p->name, p->role);
		log_info(p->clients ? "admin.client_added" : "admin.token_added", "operator=%s name=%s role=%s",
			 p->who, p->name, p->clients ? "booking" : access_role_name(p->role));
		struct json_object *o = row_json(res, 0, p->clients);
		json_object_object_add(o, "token", json_object_new_string(p->token));
		http_reply_json(p->req, 201, o);
		break;
	}
	case OP_REVOKE:
		if (PQntuples(res) == 0) {
			http_reply_error(p->req, 404, "not_found", "no %s named %s", what(p->clients), p->name);
			break;
		}
		if (p->clients)
			devices_remove_client(d->devices, p->name);
		else
			devices_remove_operator(d->devices, p->name);
		log_info(p->clients ? "admin.client_revoked" : "admin.token_revoked", "operator=%s name=%s",
			 p->who, p->name);
		http_reply_json(p->req, 200, row_json(res, 0, p->clients));
		break;
	}
out:
	explicit_bzero(p->token, sizeof p->token);
	free(p);
}

#define COLUMNS(role) \
	"name, " role ", (extract(epoch FROM created_at) * 1000)::bigint," \
	" (extract(epoch FROM revoked_at) * 1000)::bigint, id"

static void add(struct jtd *d, struct pending *p)
{
	struct json_object *o = http_json_object(p->req, BODY_MAX);
	if (!o) {
		free(p);
		return;
	}
	struct fleetbody_credential b;
	const char *why;
	char err[200];
	if (fleetbody_credential(o, p->clients, &b, &why, err, sizeof err) != 0) {
		http_reply_error(p->req, 400, why, "%s", err);
		goto fail;
	}
	if (token_generate(p->token) != 0) {
		http_reply_error(p->req, 500, "no_randomness", "no randomness available for a token");
		goto fail;
	}
	strlcpy_jt(p->name, b.name, sizeof p->name);
	p->role = (enum access_role)b.role;
	token_hash(p->token, TOKEN_LEN, p->hash);
	char hex[TOKEN_HASH_HEX_LEN + 1];
	token_hex(p->hash, hex);
	json_object_put(o);
	if (p->clients) {
		const char *params[] = { p->name, hex };
		store_query(d->store,
			    "INSERT INTO booking_client (name, token_hash) VALUES ($1, decode($2, 'hex'))"
			    " RETURNING " COLUMNS("''"),
			    2, params, done, p);
	} else {
		const char *params[] = { p->name, hex, access_role_name(p->role) };
		store_query(d->store,
			    "INSERT INTO operator_token (name, token_hash, role) VALUES ($1, decode($2, 'hex'), $3)"
			    " RETURNING " COLUMNS("role"),
			    3, params, done, p);
	}
	return;
fail:
	json_object_put(o);
	free(p);
}

void tokens_handle(struct jtd *d, struct evhttp_request *req, bool clients, const char *arg,
		   const char *who)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct pending *p = xcalloc(1, sizeof *p);
	p->d = d;
	p->req = req;
	p->clients = clients;
	strlcpy_jt(p->who, who, sizeof p->who);
	const char *table = clients ? "booking_client" : "operator_token";
	size_t n = arg ? strlen(arg) : 0;
	if (!arg && m == EVHTTP_REQ_GET) {
		p->op = OP_LIST;
		char *sql = xasprintf("SELECT %s FROM %s ORDER BY name",
				      clients ? COLUMNS("''") : COLUMNS("role"), table);
		store_query(d->store, sql, 0, NULL, done, p);
		free(sql);
	} else if (!arg && m == EVHTTP_REQ_POST) {
		p->op = OP_ADD;
		add(d, p);
	} else if (arg && m == EVHTTP_REQ_POST && n > 7 && n - 7 < sizeof p->name &&
		   strcmp(arg + n - 7, "/revoke") == 0 && !memchr(arg, '/', n - 7)) {
		p->op = OP_REVOKE;
		memcpy(p->name, arg, n - 7);
		p->name[n - 7] = '\0';
		char *sql = xasprintf("UPDATE %s SET revoked_at = coalesce(revoked_at, now()) WHERE name = $1"
				      " RETURNING %s",
				      table, clients ? COLUMNS("''") : COLUMNS("role"));
		const char *params[] = { p->name };
		store_query(d->store, sql, 1, params, done, p);
		free(sql);
	} else {
		free(p);
		http_reply_error(req, 405, "method_not_allowed", "%ss are listed (GET), added (POST) or revoked "
				 "(POST .../NAME/revoke)", what(clients));
	}
}
