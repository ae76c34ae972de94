/*
 * boot.h — what jintongd reads from PostgreSQL before it serves: vehicles,
 * devices, operator tokens and each vehicle's latest good position, so a
 * restarted daemon answers exactly as the one before it. Also the SQL that
 * housekeeping shares with start-up (day partitions).
 */
#ifndef JINTONG_BOOT_H
#define JINTONG_BOOT_H

#include <libpq-fe.h>

#include "config.h"
#include "devices.h"
#include "fleet.h"

int boot_load(PGconn *c, struct fleet *fl, struct devices *dv, char *err, size_t errlen) JT_MUST_CHECK;
/* Statement creating the day partitions fixes may land in, for the given settings. xmalloc'd. */
char *boot_partitions_sql(const struct config *cfg);
/* Statement dropping partitions past retention, or NULL when everything is kept. xmalloc'd. */
char *boot_retention_sql(const struct config *cfg);
/* Statement loading the active operator tokens and booking clients. */
extern const char boot_operators_sql[];
/* Replaces the operator tokens and booking clients with those of the statement's result. */
void boot_add_operators(struct devices *dv, const PGresult *res);
/* Creates an operator token with a role (read_only, dispatcher, admin) and prints it once. 0 or -1 with err. */
int boot_create_operator(PGconn *c, const char *name, const char *role, FILE *out, char *err,
			 size_t errlen) JT_MUST_CHECK;

#endif
