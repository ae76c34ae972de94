/*
 * Schema migrations and day partitions: applied once and recorded, made
 * ahead of time, dropped past retention, and a database newer than the
 * daemon refused.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

int main(void)
{
	struct h_test t;
	h_init(&t, "migrate");
	char out[1024];
	const char *migrate[] = { "--migrate", NULL };
	CHECK(h_run_daemon_once(&t, migrate, out, sizeof out) == 0, "first --migrate");
	long long applied = h_sql_num(&t, "SELECT count(*) FROM schema_migration");
	CHECK(applied >= 1, "migrations recorded: %lld", applied);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'") == 1,
	      "PostGIS not installed by the migrations");
	CHECK(h_run_daemon_once(&t, migrate, out, sizeof out) == 0, "second --migrate");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM schema_migration") == applied,
	      "migrations applied twice");
	CHECK(h_log_has(&t, "db.schema version=") && h_log_has(&t, "applied=0"),
	      "second run did not report nothing to apply");

	/* An old partition, as if left from a hundred days ago. */
	CHECK(h_sql_num(&t, "SELECT jintong_ensure_position_partitions("
			    "(now() AT TIME ZONE 'UTC')::date - 100, (now() AT TIME ZONE 'UTC')::date - 100)") == 1,
	      "making an old partition");
	h_create_operator(&t);
	const char *args[] = { "--retention-days", "30", NULL };
	h_start(&t, args);
#define PARTITION_ON(days) "SELECT count(*) FROM pg_class WHERE relname = 'position_' || " \
	"to_char((now() AT TIME ZONE 'UTC')::date + (" #days "), 'YYYYMMDD')"
	CHECK(h_sql_num(&t, PARTITION_ON(0)) == 1, "no partition for today");
	CHECK(h_sql_num(&t, PARTITION_ON(2)) == 1, "no partition for the day after tomorrow");
	CHECK(h_sql_num(&t, PARTITION_ON(-7)) == 1, "no partition for a week ago (backlogs)");
	CHECK(h_sql_num(&t, PARTITION_ON(-100)) == 0, "partition past retention not dropped");
	CHECK(h_stop(&t, SIGTERM) == 0, "clean exit");

	/* Retention shorter than the acceptance window would drop accepted fixes. */
	const char *bad[] = { "--retention-days", "1", "--check-config", NULL };
	CHECK(h_run_daemon_once(&t, bad, out, sizeof out) == 2, "retention below max age accepted");

	/* A schema newer than this daemon: refuse rather than guess. */
	CHECK(h_sql_exec(&t, "INSERT INTO schema_migration (version, name) VALUES (9999, 'future.sql')") == 0,
	      "insert");
	CHECK(h_run_daemon_once(&t, migrate, out, sizeof out) == 1, "newer schema accepted");
	CHECK(h_log_has(&t, "knows only up to"), "newer schema not explained");

	/* No database at all: --migrate fails at once with the reason. */
	char dead[128];
	snprintf(dead, sizeof dead, "host=127.0.0.1 port=%d connect_timeout=2", h_free_port());
	const char *nodb[] = { "--database", dead, "--migrate", NULL };
	CHECK(h_run_daemon_once(&t, nodb, out, sizeof out) == 1, "unreachable database");
	CHECK(h_log_has(&t, "db.unreachable"), "unreachable database not logged");
	return h_finish(&t);
}
