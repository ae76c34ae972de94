/*
 * admin.c — the operators' API under /v1/admin/: vehicles and the tablets
 * that report for them.
 *
 * Reads are answered from memory. A change is validated here, committed to
 * PostgreSQL, and only then applied to the in-memory registry and answered:
 * what an operator was told is what a restarted daemon will load.
 */
#include "admin.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "fix.h"
#include "fleet.h"
#include "fleetbody.h"
#include "http.h"
#include "ingest.h"
#include "log.h"
#include "dayreport.h"
#include "roster.h"
#include "shifts.h"
#include "caledit.h"
#include "config-build.h"
#include "date.h"
#include "netedit.h"
#include "placeedit.h"
#include "report.h"
#include "routeedit.h"
#include "tripedit.h"
#include "strmap.h"
#include "store.h"
#include "timeparse.h"
#include "token.h"
#include "tokens.h"
#include "tracking.h"
#include "util.h"

#define ADMIN_BODY_MAX 65536

enum op_kind { OP_ADD_VEHICLE, OP_ADD_DEVICE, OP_REVOKE_DEVICE };

/* A change waiting for its commit. */
struct op {
	struct jtd *d;
	struct evhttp_request *req;
	enum op_kind kind;
	char who[64]; /* the operator's name, for the log */
	char code[VEHICLE_CODE_MAX + 1];
	char name[VEHICLE_NAME_MAX + 1];
	int seats, cargo_l;
	bool step_free;
	int vehicle_id;
	char ext_id[JT_DEVICE_ID_MAX + 1];
	char token[TOKEN_LEN + 1];
	uint8_t hash[TOKEN_HASH_LEN];
};

static struct json_object *time_json(jt_ms t)
{
	if (!t)
		return NULL;
	char buf[TS_FORMAT_LEN];
	ts_format(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

static struct json_object *device_json(struct jtd *d, const struct device *dev)
{
	struct json_object *o = json_object_new_object();
	const struct vehicle *v = fleet_by_id(d->fleet, dev->vehicle_id);
	json_object_object_add(o, "device_id", json_object_new_string(dev->ext_id));
	json_object_object_add(o, "vehicle", v ? json_object_new_string(v->code) : NULL);
	json_object_object_add(o, "created_at", time_json(dev->created_at));
	json_object_object_add(o, "revoked_at", time_json(dev->revoked_at));
	return o;
}

static struct json_object *vehicle_json(struct jtd *d, const struct vehicle *v, bool with_devices)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int(v->id));
	json_object_object_add(o, "code", json_object_new_string(v->code));
	json_object_object_add(o, "name", json_object_new_string(v->name));
	json_object_object_add(o, "seats", json_object_new_int(v->seats));
	json_object_object_add(o, "cargo_l", json_object_new_int(v->cargo_l));
	json_object_object_add(o, "step_free", json_object_new_boolean(v->step_free));
	json_object_object_add(o, "created_at", time_json(v->created_at));
	json_object_object_add(o, "position", v->has_pos ? ingest_position_json(&v->pos) : NULL);
	if (with_devices) {
		struct json_object *list = json_object_new_array();
		for (size_t i = 0; i < devices_count(d->devices); i++) {
			const struct device *dev = devices_at(d->devices, i);
			if (dev->vehicle_id == v->id)
				json_object_array_add(list, device_json(d, dev));
		}
		json_object_object_add(o, "devices", list);
		json_object_object_add(o, "tracking", tracking_vehicle_json(d, v));
	} else {
		json_object_object_add(o, "device_count",
				       json_object_new_int((int)devices_of_vehicle(d->devices, v->id)));
	}
	return o;
}

static void reply_db_error(struct jtd *d, struct evhttp_request *req, const PGresult *res,
			   const char *what)
{
	if (!res) {
		http_reply_unavailable(d, req, "the database is unreachable");
		return;
	}
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (st && strcmp(st, "23505") == 0)
		http_reply_error(req, 409, "exists", "%s already exists", what);
	else if (st && (strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0))
		http_reply_error(req, 400, "invalid", "%s: %.200s", what,
				 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	else
		http_reply_error(req, 500, "database_error", "%s could not be saved", what);
}

static void op_done(void *arg, const PGresult *res)
{
	struct op *op = arg;
	struct jtd *d = op->d;
	bool ok = res && PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok && PQntuples(res) == 0) {
		http_reply_error(op->req, 404, "not_found", "no device '%s'", op->ext_id);
		goto out;
	}
	switch (op->kind) {
	case OP_ADD_VEHICLE: {
		if (!ok) {
			reply_db_error(d, op->req, res, "vehicle");
			break;
		}
		struct vehicle *v = fleet_add(d->fleet, atoi(PQgetvalue(res, 0, 0)), op->code);
		if (!v) {
			http_reply_error(op->req, 409, "exists", "vehicle %s already exists", op->code);
			break;
		}
		strlcpy_jt(v->name, op->name, sizeof v->name);
		v->seats = op->seats;
		v->cargo_l = op->cargo_l;
		v->step_free = op->step_free;
		v->created_at = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		log_info("admin.vehicle_added", "operator=%s vehicle=%s", op->who, v->code);
		http_reply_json(op->req, 201, vehicle_json(d, v, true));
		break;
	}
	case OP_ADD_DEVICE: {
		if (!ok) {
			reply_db_error(d, op->req, res, "device");
			break;
		}
		struct device dev = { 0 };
		dev.id = atoi(PQgetvalue(res, 0, 0));
		strlcpy_jt(dev.ext_id, op->ext_id, sizeof dev.ext_id);
		dev.vehicle_id = op->vehicle_id;
		memcpy(dev.token_hash, op->hash, TOKEN_HASH_LEN);
		dev.created_at = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
		const struct device *stored = devices_put(d->devices, &dev);
		log_info("admin.device_added", "operator=%s device=%s vehicle_id=%d", op->who,
			 dev.ext_id, dev.vehicle_id);
		struct json_object *o = device_json(d, stored);
		json_object_object_add(o, "token", json_object_new_string(op->token));
		http_reply_json(op->req, 201, o);
		break;
	}
	case OP_REVOKE_DEVICE: {
		if (!ok) {
			reply_db_error(d, op->req, res, "device");
			break;
		}
		struct device *dev = devices_by_ext(d->devices, op->ext_id);
		if (dev) {
			devices_revoke(d->devices, dev, strtoll(PQgetvalue(res, 0, 0), NULL, 10));
			log_info("admin.device_revoked", "operator=%s device=%s", op->who, dev->ext_id);
			http_reply_json(op->req, 200, device_json(d, dev));
		} else {
			http_reply_error(op->req, 404, "not_found", "no device '%s'", op->ext_id);
		}
		break;
	}
	}
out:
	explicit_bzero(op->token, sizeof op->token);
	free(op);
}

static struct op *op_new(struct jtd *d, struct evhttp_request *req, enum op_kind kind,
			 const char *who)
{
	struct op *op = xcalloc(1, sizeof *op);
	op->d = d;
	op->req = req;
	op->kind = kind;
	strlcpy_jt(op->who, who, sizeof op->who);
	return op;
}

static void add_vehicle(struct jtd *d, struct evhttp_request *req, const char *who)
{
	struct json_object *o = http_json_object(req, ADMIN_BODY_MAX);
	if (!o)
		return;
	struct fleetbody_vehicle b;
	const char *why;
	char err[200];
	if (fleetbody_vehicle(o, &b, &why, err, sizeof err) != 0) {
		http_reply_error(req, 400, why, "%s", err);
		goto out;
	}
	if (fleet_by_code(d->fleet, b.code)) {
		http_reply_error(req, 409, "exists", "vehicle %s already exists", b.code);
		goto out;
	}
	struct op *op = op_new(d, req, OP_ADD_VEHICLE, who);
	op->seats = b.seats;
	op->cargo_l = b.cargo_l;
	op->step_free = b.step_free;
	strlcpy_jt(op->code, b.code, sizeof op->code);
	strlcpy_jt(op->name, b.name, sizeof op->name);
	char seats[16], cargo[16];
	snprintf(seats, sizeof seats, "%d", op->seats);
	snprintf(cargo, sizeof cargo, "%d", op->cargo_l);
	const char *params[] = { op->code, op->name, seats, cargo, op->step_free ? "t" : "f" };
	store_query(d->store,
		    "INSERT INTO vehicle (code, name, seats, cargo_l, step_free) VALUES ($1, $2, $3, $4, $5::boolean)"
		    " RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint",
		    5, params, op_done, op);
out:
	json_object_put(o);
}

static void add_device(struct jtd *d, struct evhttp_request *req, const char *who)
{
	struct json_object *o = http_json_object(req, ADMIN_BODY_MAX);
	if (!o)
		return;
	struct fleetbody_device b;
	const char *why;
	char err[200];
	if (fleetbody_device(o, &b, &why, err, sizeof err) != 0) {
		http_reply_error(req, 400, why, "%s", err);
		goto out;
	}
	const char *ext = b.device_id;
	const struct vehicle *v = fleet_by_code(d->fleet, b.vehicle);
	if (!v) {
		http_reply_error(req, 404, "not_found", "no vehicle '%.40s'", b.vehicle);
		goto out;
	}
	if (devices_by_ext(d->devices, ext)) {
		http_reply_error(req, 409, "exists", "device %s already exists", ext);
		goto out;
	}
	struct op *op = op_new(d, req, OP_ADD_DEVICE, who);
	if (token_generate(op->token) != 0) {
		free(op);
		http_reply_error(req, 500, "no_randomness", "no randomness available for a token");
		goto out;
	}
	strlcpy_jt(op->ext_id, ext, sizeof op->ext_id);
	op->vehicle_id = v->id;
	token_hash(op->token, TOKEN_LEN, op->hash);
	char hex[TOKEN_HASH_HEX_LEN + 1], vid[16];
	token_hex(op->hash, hex);
	snprintf(vid, sizeof vid, "%d", v->id);
	const char *params[] = { op->ext_id, vid, hex };
	store_query(d->store,
		    "INSERT INTO device (ext_id, vehicle_id, token_hash)"
		    " VALUES ($1, $2, decode($3, 'hex'))"
		    " RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint",
		    3, params, op_done, op);
out:
	json_object_put(o);
}

static void revoke_device(struct jtd *d, struct evhttp_request *req, const char *ext,
			  const char *who)
{
	if (!devices_by_ext(d->devices, ext)) {
		http_reply_error(req, 404, "not_found", "no device '%.64s'", ext);
		return;
	}
	struct op *op = op_new(d, req, OP_REVOKE_DEVICE, who);
	strlcpy_jt(op->ext_id, ext, sizeof op->ext_id);
	const char *params[] = { op->ext_id };
	store_query(d->store,
		    "UPDATE device SET revoked_at = coalesce(revoked_at, now()) WHERE ext_id = $1"
		    " RETURNING (extract(epoch FROM revoked_at) * 1000)::bigint",
		    1, params, op_done, op);
}

static void list_vehicles(struct jtd *d, struct evhttp_request *req)
{
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < fleet_count(d->fleet); i++)
		json_object_array_add(list, vehicle_json(d, fleet_at(d->fleet, i), false));
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "vehicles", list);
	http_reply_json(req, 200, top);
}

static void list_devices(struct jtd *d, struct evhttp_request *req)
{
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < devices_count(d->devices); i++)
		json_object_array_add(list, device_json(d, devices_at(d->devices, i)));
	struct json_object *top = json_object_new_object();
	json_object_object_add(top, "devices", list);
	http_reply_json(req, 200, top);
}

/* What a client needs to agree with the daemon on dates: its version, the county's zone, today. */
static void reply_info(struct jtd *d, struct evhttp_request *req)
{
	char today[DATE_FORMAT_LEN];
	date_format(today_local(), today);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_string(JT_VERSION));
	json_object_object_add(o, "timezone", json_object_new_string(d->cfg.timezone));
	json_object_object_add(o, "today", json_object_new_string(today));
	http_reply_json(req, 200, o);
}

void admin_handle(struct jtd *d, struct evhttp_request *req, const char *path)
{
	const char *who = http_operator(d, req);
	if (!who)
		return;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	bool get = m == EVHTTP_REQ_GET, post = m == EVHTTP_REQ_POST;
	if (d->stopping && !get) {
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	/* The part after the collection name, percent-decoded. */
	const char *slash = strchr(path, '/');
	char *arg = slash ? evhttp_uridecode(slash + 1, 0, NULL) : NULL;
	size_t coll = slash ? (size_t)(slash - path) : strlen(path);

	if (coll == 8 && strncmp(path, "vehicles", 8) == 0) {
		if (!arg && get)
			list_vehicles(d, req);
		else if (!arg && post)
			add_vehicle(d, req, who);
		else if (arg && get && !strchr(arg, '/')) {
			const struct vehicle *v = fleet_by_code(d->fleet, arg);
			if (v)
				http_reply_json(req, 200, vehicle_json(d, v, true));
			else
				http_reply_error(req, 404, "not_found", "no vehicle '%.40s'", arg);
		} else
			http_reply_error(req, 405, "method_not_allowed", "not a vehicles request");
	} else if (coll == 7 && strncmp(path, "devices", 7) == 0) {
		size_t n = arg ? strlen(arg) : 0;
		if (!arg && get)
			list_devices(d, req);
		else if (!arg && post)
			add_device(d, req, who);
		else if (arg && post && n > 7 && strcmp(arg + n - 7, "/revoke") == 0) {
			arg[n - 7] = '\0';
			revoke_device(d, req, arg, who);
		} else
			http_reply_error(req, 405, "method_not_allowed", "not a devices request");
	} else if (coll == 4 && strncmp(path, "info", 4) == 0 && !arg && get) {
		reply_info(d, req);
	} else if (coll == 6 && strncmp(path, "report", 6) == 0 && !arg && get) {
		dayreport_handle(d, req);
	} else if (coll == 8 && strncmp(path, "coverage", 8) == 0 && !arg && get) {
		report_coverage(d, req);
	} else if (coll == 5 && strncmp(path, "trips", 5) == 0) {
		tripedit_handle(d, req, arg && *arg ? arg : NULL, who);
	} else if (coll == 6 && strncmp(path, "shifts", 6) == 0) {
		shifts_handle(d, req, arg && *arg ? arg : NULL, who);
	} else if (coll == 9 && strncmp(path, "calendars", 9) == 0) {
		caledit_handle(d, req, arg && *arg ? arg : NULL, who);
	} else if (coll == 15 && strncmp(path, "location-groups", 15) == 0) {
		placeedit_handle(d, req, true, arg && *arg ? arg : NULL, who);
	} else if (coll == 5 && strncmp(path, "zones", 5) == 0) {
		placeedit_handle(d, req, false, arg && *arg ? arg : NULL, who);
	} else if ((coll == 6 && strncmp(path, "tokens", 6) == 0) || (coll == 7 && strncmp(path, "clients", 7) == 0)) {
		tokens_handle(d, req, coll == 7, arg && *arg ? arg : NULL, who);
	} else if (coll == 5 && strncmp(path, "audit", 5) == 0 && !arg && get) {
		netedit_audit(d, req);
	} else {
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(coll < 31 ? coll : 31), path);
		const struct collection *c = catalog_find(name);
		char *sub = arg ? strchr(arg, '/') : NULL;
		if (c && (!arg || (*arg && !sub))) {
			netedit_handle(d, req, c, arg, who);
		} else if (c && strcmp(c->name, "lines") == 0 && sub && strcmp(sub, "/timetable") == 0) {
			*sub = '\0';
			if (!strmap_get(d->catalog[c - catalog_collections], arg))
				http_reply_error(req, 404, "not_found", "no line %.40s", arg);
			else
				tripedit_timetable(d, req, arg, who);
		} else if (c && strcmp(c->name, "lines") == 0 && sub && strcmp(sub, "/roster") == 0) {
			*sub = '\0';
			if (!strmap_get(d->catalog[c - catalog_collections], arg))
				http_reply_error(req, 404, "not_found", "no line %.40s", arg);
			else
				roster_handle(d, req, arg, who);
		} else if (c && strcmp(c->name, "lines") == 0 && sub &&
			   (strcmp(sub, "/routes") == 0 || strncmp(sub, "/routes/", 8) == 0)) {
			*sub = '\0';
			if (!strmap_get(d->catalog[c - catalog_collections], arg))
				http_reply_error(req, 404, "not_found", "no line %.40s", arg);
			else
				routeedit_handle(d, req, arg, sub[7] ? sub + 8 : "", who);
		} else {
			http_reply_error(req, 404, "not_found", "no admin collection here");
		}
	}
	free(arg);
}

static void operators_loaded(void *arg, const PGresult *res)
{
	struct jtd *d = arg;
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_warn("admin.operators_not_reloaded", "reason=%s",
			 res ? "query failed" : "database unreachable");
		return;
	}
	boot_add_operators(d->devices, res);
	log_info("admin.operators_reloaded", "count=%d", PQntuples(res));
}

void admin_reload_operators(struct jtd *d)
{
	store_query(d->store, boot_operators_sql, 0, NULL, operators_loaded, d);
}
