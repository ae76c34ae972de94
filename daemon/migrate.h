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

#endif
