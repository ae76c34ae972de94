/*
 * migrate.c — applying the schema migrations compiled from sql/.
 *
 * Runs before the daemon serves anything, on an ordinary blocking
 * connection: there is nothing else for the event loop to do yet.
 */
#include "migrate.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MIGRATE_LOCK_KEY "7474001" /* advisory lock held while migrating */

static int exec_ok(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		err[strcspn(err, "\n")] = '\0';
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

long migrate_latest(void)
{
	return migrations_count ? migrations[migrations_count - 1].version : 0;
}

int migrate_run(PGconn *c, char *err, size_t errlen)
{
	if (exec_ok(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err, errlen) != 0)
		return -1;
	int applied = -1;
	if (exec_ok(c,
		    "CREATE TABLE IF NOT EXISTS schema_migration ("
		    " version integer PRIMARY KEY,"
		    " name text NOT NULL,"
		    " applied_at timestamptz NOT NULL DEFAULT now())",
		    err, errlen) != 0)
		goto out;
	/* Every migration not recorded is applied, in order, even one numbered
	 * below the newest applied: migrations written side by side may land in
	 * either order, and each stands on the ones numbered before it. */
	PGresult *r = PQexec(c, "SELECT version FROM schema_migration ORDER BY version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		goto out;
	}
	int recorded = PQntuples(r);
	long current = recorded ? strtol(PQgetvalue(r, recorded - 1, 0), NULL, 10) : 0;
	if (current > migrate_latest()) {
		snprintf(err, errlen,
			 "the database schema is at version %ld but this jintongd knows only up to "
			 "%ld; run the newer jintongd",
			 current, migrate_latest());
		PQclear(r);
		goto out;
	}
	applied = 0;
	int next = 0; /* the recorded versions and the known ones are both in order */
	for (size_t i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		while (next < recorded && strtol(PQgetvalue(r, next, 0), NULL, 10) < m->version)
			next++;
		if (next < recorded && strtol(PQgetvalue(r, next, 0), NULL, 10) == m->version)
			continue;
		if (m->version < current)
			log_warn("db.migrate_behind", "version=%ld newest_applied=%ld", m->version, current);
		log_info("db.migrate", "version=%ld name=%s", m->version, m->name);
		if (exec_ok(c, "BEGIN", err, errlen) != 0) {
			applied = -1;
			break;
		}
		char ins[256];
		snprintf(ins, sizeof ins,
			 "INSERT INTO schema_migration (version, name) VALUES (%ld, '%s')", m->version,
			 m->name);
		char why[512];
		if (exec_ok(c, m->sql, why, sizeof why) != 0 || exec_ok(c, ins, why, sizeof why) != 0 ||
		    exec_ok(c, "COMMIT", why, sizeof why) != 0) {
			snprintf(err, errlen, "migration %s: %s", m->name, why);
			PQclear(PQexec(c, "ROLLBACK"));
			applied = -1;
			break;
		}
		applied++;
	}
	PQclear(r);
out:;
	char ignored[64];
	(void)exec_ok(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", ignored, sizeof ignored);
	return applied;
}
