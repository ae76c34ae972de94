/*
 * test_cli_gtfs.c — unit tests of the mapping `jintong gtfs import` makes:
 * line kinds from jintong_kind or route_desc, the stop pattern most trips
 * run, calendar.txt weekdays and GTFS dates, and the import's command line.
 */
#include "gtfsimport.h"
#include "test.h"

static void test_line_kind(void)
{
	CHECK_STR(gtfs_line_kind("student", "market-day run"), "student");
	CHECK_STR(gtfs_line_kind(NULL, "market-day run"), "market_day");
	CHECK_STR(gtfs_line_kind("", "on-demand zone"), "on_demand");
	CHECK_STR(gtfs_line_kind("", "a bus to town"), "scheduled");
	CHECK_STR(gtfs_line_kind(NULL, NULL), "scheduled");
	CHECK(gtfs_line_kind("tram", NULL) == NULL);
	/* What the export writes reads back as the same kind. */
	static const char *const kinds[] = { "scheduled", "student", "market_day", "logistics",
					     "on_demand" };
	for (size_t i = 0; i < JT_ARRAY_LEN(kinds); i++)
		CHECK_STR(gtfs_line_kind(NULL, gtfs_kind_desc(kinds[i])), kinds[i]);
	CHECK_STR(gtfs_kind_desc("other"), "other");
}

static void test_pick_pattern(void)
{
	const char *one[] = { "A|" };
	CHECK(gtfs_pick_pattern(one, 1) == 0);
	const char *most[] = { "A,B|", "A,C|", "A,C|", "A,B|s1", "A,C|" };
	CHECK(gtfs_pick_pattern(most, 5) == 1);
	const char *tie[] = { "X|", "Y|", "Y|", "X|" };
	CHECK(gtfs_pick_pattern(tie, 4) == 0); /* the first seen wins a tie */
	const char *shape[] = { "A,B|s1", "A,B|s2", "A,B|s2" };
	CHECK(gtfs_pick_pattern(shape, 3) == 1); /* the shape is part of the pattern */
}

static void test_weekdays(void)
{
	char buf[40];
	const char *mon_fri[7] = { "1", "1", "1", "1", "1", "0", "0" };
	CHECK(gtfs_weekdays(mon_fri, buf, sizeof buf));
	CHECK_STR(buf, "mon,tue,wed,thu,fri");
	const char *weekend[7] = { "0", "0", "0", "0", "0", "1", "1" };
	CHECK(gtfs_weekdays(weekend, buf, sizeof buf));
	CHECK_STR(buf, "sat,sun");
	const char *none[7] = { "0", "0", "0", "0", "0", "0", "0" };
	CHECK(!gtfs_weekdays(none, buf, sizeof buf));
}

static void test_dates(void)
{
	char d[11];
	CHECK(gtfs_iso_date("20261123", d));
	CHECK_STR(d, "2026-11-23");
	CHECK(!gtfs_iso_date("2026-11-23", d));
	CHECK(!gtfs_iso_date("2026112", d));
	CHECK(!gtfs_iso_date("2026112x", d));
	CHECK(!gtfs_iso_date(NULL, d));
}

static void test_command_line(void)
{
	struct cmd_line line;
	const char *ok[] = { "jintong", "gtfs", "import", "feed", "--dry-run", NULL };
	CHECK(parse(&line, ok) == CLI_OK);
	CHECK(line.args.entry && strcmp(line.args.entry->name, "import") == 0);
	CHECK(cmd_opt(&line.args, "dry-run") != NULL);
	const char *none[] = { "jintong", "gtfs", "import", NULL };
	CHECK(parse(&line, none) == CLI_USAGE);
	const char *two[] = { "jintong", "gtfs", "import", "a", "b", NULL };
	CHECK(parse(&line, two) == CLI_USAGE);
}

int main(void)
{
	test_line_kind();
	test_pick_pattern();
	test_weekdays();
	test_dates();
	test_command_line();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
