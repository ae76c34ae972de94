/*
 * boot.c — loading the daemon's state from PostgreSQL at start; see boot.h.
 */
#include "boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "token.h"
#include "util.h"

const char boot_operators_sql[] =
	"SELECT 'o', 0, name, token_hash, role FROM operator_token WHERE revoked_at IS NULL"
	" UNION ALL SELECT 'c', id, name, token_hash, '' FROM booking_client WHERE revoked_at IS NULL";

static PGresult *query(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return NULL;
	}
	return r;
}

static jt_ms ms_or_zero(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static double real_or_nan(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
}

void boot_add_operators(struct devices *dv, const PGresult *res)
{
	devices_clear_operators(dv);
	devices_clear_clients(dv);
	for (int i = 0; i < PQntuples(res); i++) {
		uint8_t hash[TOKEN_HASH_LEN];
		if (token_parse_pg_hex(PQgetvalue(res, i, 3), hash) != 0)
			continue;
		const char *name = PQgetvalue(res, i, 2);
		int role = access_role_parse(PQgetvalue(res, i, 4));
		if (PQgetvalue(res, i, 0)[0] == 'c')
			devices_add_client(dv, atoi(PQgetvalue(res, i, 1)), hash, name);
		else if (role > 0)
			devices_add_operator(dv, hash, name, (enum access_role)role);
	}
}

int boot_load(PGconn *c, struct fleet *fl, struct devices *dv, char *err, size_t errlen)
{
	PGresult *r = query(c,
			    "SELECT id, code, name, seats, cargo_l, step_free,"
			    " (extract(epoch FROM created_at) * 1000)::bigint"
			    " FROM vehicle ORDER BY id",
			    err, errlen);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct vehicle *v = fleet_add(fl, atoi(PQgetvalue(r, i, 0)), PQgetvalue(r, i, 1));
		if (!v)
			continue;
		strlcpy_jt(v->name, PQgetvalue(r, i, 2), sizeof v->name);
		v->seats = atoi(PQgetvalue(r, i, 3));
		v->cargo_l = atoi(PQgetvalue(r, i, 4));
		v->step_free = PQgetvalue(r, i, 5)[0] == 't';
		v->created_at = ms_or_zero(r, i, 6);
	}
	PQclear(r);

	r = query(c,
		  "SELECT id, ext_id, vehicle_id, token_hash,"
		  " (extract(epoch FROM created_at) * 1000)::bigint,"
		  " (extract(epoch FROM revoked_at) * 1000)::bigint"
		  " FROM device ORDER BY id",
		  err, errlen);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct device d = { 0 };
		d.id = atoi(PQgetvalue(r, i, 0));
		strlcpy_jt(d.ext_id, PQgetvalue(r, i, 1), sizeof d.ext_id);
		d.vehicle_id = atoi(PQgetvalue(r, i, 2));
		if (token_parse_pg_hex(PQgetvalue(r, i, 3), d.token_hash) != 0) {
			log_warn("boot.bad_token_hash", "device=%s", d.ext_id);
			continue;
		}
		d.created_at = ms_or_zero(r, i, 4);
		d.revoked_at = ms_or_zero(r, i, 5);
		devices_put(dv, &d);
	}
	PQclear(r);

	r = query(c, boot_operators_sql, err, errlen);
	if (!r)
		return -1;
	boot_add_operators(dv, r);
	PQclear(r);

	/* Latest good fix of every device, through the (device, time) index. */
	r = query(c,
		  "SELECT d.vehicle_id, d.ext_id, (extract(epoch FROM l.fix_time) * 1000)::bigint,"
		  " l.lat, l.lon, l.speed, l.heading, l.altitude, l.accuracy, l.battery"
		  " FROM device d CROSS JOIN LATERAL ("
		  "  SELECT * FROM position p WHERE p.device_id = d.id AND p.quality = 0"
		  "  ORDER BY p.fix_time DESC LIMIT 1) l",
		  err, errlen);
	if (!r)
		return -1;
	size_t restored = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		struct vehicle *v = fleet_by_id(fl, atoi(PQgetvalue(r, i, 0)));
		if (!v)
			continue;
		struct fix f;
		fix_init(&f);
		strlcpy_jt(f.device, PQgetvalue(r, i, 1), sizeof f.device);
		f.time = ms_or_zero(r, i, 2);
		f.lat = strtod(PQgetvalue(r, i, 3), NULL);
		f.lon = strtod(PQgetvalue(r, i, 4), NULL);
		f.speed = real_or_nan(r, i, 5);
		f.heading = real_or_nan(r, i, 6);
		f.altitude = real_or_nan(r, i, 7);
		f.accuracy = real_or_nan(r, i, 8);
		f.battery = real_or_nan(r, i, 9);
		if (!v->has_pos || f.time > v->pos.time) {
			if (!v->has_pos)
				restored++;
			fleet_restore(v, &f);
		}
	}
	PQclear(r);
	log_info("boot.loaded", "vehicles=%zu devices=%zu positions=%zu", fleet_count(fl),
		 devices_count(dv), restored);
	return 0;
}

char *boot_partitions_sql(const struct config *cfg)
{
	long back_days = (cfg->fix_max_age_h + 23) / 24 + 1;
	/* Around the server's day and the county's (they differ on a simulated clock). */
	long long day = (long long)(now_ms() / 86400000);
	return xasprintf("SELECT jintong_ensure_position_partitions("
			 "least((now() AT TIME ZONE 'UTC')::date, date '1970-01-01' + %lld) - %ld,"
			 " greatest((now() AT TIME ZONE 'UTC')::date, date '1970-01-01' + %lld) + 2)",
			 day, back_days, day);
}

char *boot_retention_sql(const struct config *cfg)
{
	if (cfg->retention_days <= 0)
		return NULL;
	return xasprintf("SELECT jintong_drop_position_partitions("
			 "(now() AT TIME ZONE 'UTC')::date - %ld)",
			 cfg->retention_days);
}

int boot_create_operator(PGconn *c, const char *name, const char *role, FILE *out, char *err,
			 size_t errlen)
{
	if (access_role_parse(role) < 0) {
		snprintf(err, errlen, "the role must be read_only, dispatcher or admin, not '%.40s'", role);
		return -1;
	}
	if (!*name || strlen(name) > 64) {
		snprintf(err, errlen, "an operator's name is 1 to 64 bytes");
		return -1;
	}
	char token[TOKEN_LEN + 1];
	if (token_generate(token) != 0) {
		snprintf(err, errlen, "no randomness available for a token");
		return -1;
	}
	uint8_t hash[TOKEN_HASH_LEN];
	char hex[TOKEN_HASH_HEX_LEN + 1];
	token_hash(token, TOKEN_LEN, hash);
	token_hex(hash, hex);
	const char *params[] = { name, hex, role };
	PGresult *r = PQexecParams(c,
				   "INSERT INTO operator_token (name, token_hash, role)"
				   " VALUES ($1, decode($2, 'hex'), $3)",
				   3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (st && strcmp(st, "23505") == 0)
			snprintf(err, errlen, "an operator named '%s' already exists", name);
		else
			snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	PQclear(r);
	fprintf(out, "%s\n", token);
	return 0;
}
