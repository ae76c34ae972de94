/*
 * migrate.h — the schema migrations compiled into the daemon (sql/NNN_*.sql)
 * and applying the pending ones.
 */
#ifndef JINTONG_MIGRATE_H
#define JINTONG_MIGRATE_H

#include <stddef.h>

struct migration {
	long version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const size_t migrations_count;

typedef struct pg_conn PGconn;

/*
 * Applies the pending migrations, each in its own transaction, holding an
 * advisory lock so two daemons starting together do not race. Returns how many
 * were applied, or -1 with err. Refuses to run against a database that has
 * migrations this daemon does not know (it is older than the schema).
 */
int migrate_run(PGconn *c, char *err, size_t errlen);
/* The newest migration this daemon carries. */
long migrate_latest(void);

#endif
