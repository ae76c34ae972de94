/*
 * test_cli.c — the operators' tool without a daemon: argument checks, the
 * command line against the table, the table itself, display widths of
 * Chinese names, positions typed as LAT,LON, kinds, yes and no, times and
 * ages, and what each HTTP status means for the exit status. The route
 * network's commands are in test_cli_network.c.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "format.h"
#include "table.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_codes(void)
{
	CHECK(check_code("BUS-01"));
	CHECK(check_code("a"));
	CHECK(check_code("van.3_x-y"));
	CHECK(check_code("A1234567890123456789012345678901")); /* 32 */
	CHECK(!check_code("A12345678901234567890123456789012")); /* 33 */
	CHECK(!check_code(""));
	CHECK(!check_code(NULL));
	CHECK(!check_code("-BUS"));
	CHECK(!check_code(".BUS"));
	CHECK(!check_code("BUS 01"));
	CHECK(!check_code("BUS/01"));
	CHECK(!check_code("村村通"));
}

static void test_device_ids(void)
{
	char id[70];
	memset(id, 'x', sizeof id);
	id[64] = '\0';
	CHECK(check_device_id(id));
	id[64] = 'x';
	id[65] = '\0';
	CHECK(!check_device_id(id));
	CHECK(check_device_id("tab-17"));
	CHECK(check_device_id("356938035643809"));
	CHECK(check_device_id("a/b?c"));
	CHECK(!check_device_id(""));
	CHECK(!check_device_id("tab 17"));
	CHECK(!check_device_id("tab\x7f"));
	CHECK(!check_device_id("平板"));
}

static void test_names(void)
{
	CHECK(check_name("村村通一号"));
	CHECK(check_name("Bus 1 (blue)"));
	CHECK(!check_name(""));
	CHECK(!check_name("a\tb"));
	CHECK(!check_name("red\x1b[31m"));
	CHECK(!check_name("\xff"));
	CHECK(!check_name("\xe6\x9d")); /* truncated */
	CHECK(!check_name("abc\xe2\x80\xae")); /* right-to-left override */
	char name[400] = "";
	for (int i = 0; i < CHECK_NAME_MAX / 3; i++) /* 42 characters, 126 bytes */
		strcat(name, "村");
	strcat(name, "ab");
	CHECK(check_name(name));
	strcat(name, "c");
	CHECK(!check_name(name)); /* 129 bytes */
}

static void test_name_problems(void)
{
	CHECK(check_name_problem("石桥小学") == NULL);
	CHECK(strstr(check_name_problem(""), "empty"));
	CHECK(strstr(check_name_problem("\xe7\x9f"), "UTF-8"));
	CHECK(strstr(check_name_problem("\xc0\xaf"), "UTF-8")); /* overlong '/' */
	CHECK(strstr(check_name_problem("a\nb"), "control"));
	CHECK(strstr(check_name_problem("a\xe2\x80\xae" "b"), "direction"));
	char name[200] = "";
	for (int i = 0; i < 43; i++) /* 129 bytes */
		strcat(name, "镇");
	CHECK(strstr(check_name_problem(name), "128 bytes"));
}

static void test_lat_lon(void)
{
	struct check_lat_lon p;
	CHECK(check_lat_lon("30.10250,104.20310", &p) == CHECK_AT_OK);
	CHECK(p.lat == 30.1025 && p.lon == 104.2031);
	CHECK(p.lat_len == 8 && strncmp(p.lat_text, "30.10250", 8) == 0);
	CHECK(p.lon_len == 9 && strncmp(p.lon_text, "104.20310", 9) == 0);
	CHECK(check_lat_lon(" 30.1 , 104 ", &p) == CHECK_AT_OK && p.lat == 30.1 && p.lon == 104);
	CHECK(check_lat_lon("-33.9,+18.4", &p) == CHECK_AT_OK && p.lat == -33.9 && p.lon == 18.4);
	CHECK(check_lat_lon("90,180", &p) == CHECK_AT_OK);
	CHECK(check_lat_lon("-90,-180", &p) == CHECK_AT_OK);
	CHECK(check_lat_lon("0,104.2", &p) == CHECK_AT_OK);
	CHECK(check_lat_lon("30.1,0", &p) == CHECK_AT_OK);

	CHECK(check_lat_lon("0,0", &p) == CHECK_AT_NULL_ISLAND);
	CHECK(check_lat_lon("-0.0,0.000", &p) == CHECK_AT_NULL_ISLAND);
	CHECK(check_lat_lon("90.0001,10", &p) == CHECK_AT_SWAPPED);
	CHECK(check_lat_lon("104.2,30.1", &p) == CHECK_AT_SWAPPED);
	CHECK(check_lat_lon("104.2,130.1", &p) == CHECK_AT_LAT_RANGE);
	CHECK(check_lat_lon("200,10", &p) == CHECK_AT_LAT_RANGE);
	CHECK(check_lat_lon("30,180.5", &p) == CHECK_AT_LON_RANGE);
	CHECK(check_lat_lon("30,-181", &p) == CHECK_AT_LON_RANGE);

	static const char *const bad[] = {
		"", "30.1", "30.1,", ",104", "30.1;104.2", "30.1 104.2", "30,1,104", "3e1,104",
		"nan,104", "inf,104", "30.1,104.2x", "30.,104", ".5,104", "0x1E,104", "--30,104",
		"30°,104°", "30,1O4",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (check_lat_lon(bad[i], &p) != CHECK_AT_SYNTAX)
			fprintf(stderr, "accepted as LAT,LON: \"%s\"\n", bad[i]);
		CHECK(check_lat_lon(bad[i], &p) == CHECK_AT_SYNTAX);
	}
	CHECK(check_lat_lon(NULL, &p) == CHECK_AT_SYNTAX);
}

static void test_words(void)
{
	bool b = false;
	CHECK(check_yes_no("yes", &b) && b);
	CHECK(check_yes_no("no", &b) && !b);
	CHECK(!check_yes_no("YES", &b));
	CHECK(!check_yes_no("y", &b));
	CHECK(!check_yes_no("true", &b));
	CHECK(!check_yes_no("", &b));
	CHECK(!check_yes_no(NULL, &b));

	static const char *const stops[] = { "roadside", "village", "school", "market",
					     "clinic", "depot", "town_centre" };
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		CHECK(check_word(stops[i], check_stop_kinds));
	static const char *const lines[] = { "scheduled", "student", "market_day", "logistics",
					     "on_demand" };
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		CHECK(check_word(lines[i], check_line_kinds));
	CHECK(!check_word("town-centre", check_stop_kinds));
	CHECK(!check_word("School", check_stop_kinds));
	CHECK(!check_word("school", check_line_kinds));
	CHECK(!check_word("", check_line_kinds));
	CHECK(!check_word(NULL, check_line_kinds));
}

static void test_whole(void)
{
	long v = -1;
	CHECK(check_whole("0", 0, 200, &v) && v == 0);
	CHECK(check_whole("200", 0, 200, &v) && v == 200);
	CHECK(check_whole("007", 0, 200, &v) && v == 7);
	CHECK(check_whole("100000", 0, 100000, &v) && v == 100000);
	CHECK(!check_whole("201", 0, 200, &v));
	CHECK(!check_whole("100001", 0, 100000, &v));
	CHECK(!check_whole("-1", 0, 200, &v));
	CHECK(!check_whole("+1", 0, 200, &v));
	CHECK(!check_whole("1.5", 0, 200, &v));
	CHECK(!check_whole("1e2", 0, 200, &v));
	CHECK(!check_whole(" 1", 0, 200, &v));
	CHECK(!check_whole("1 ", 0, 200, &v));
	CHECK(!check_whole("", 0, 200, &v));
	CHECK(!check_whole("0x10", 0, 200, &v));
	CHECK(!check_whole("99999999999999999999999999", 0, 200, &v));
	CHECK(!check_whole("0", 1, 3600, &v));
}

static void test_url_token(void)
{
	CHECK(check_url("http://127.0.0.1:8470"));
	CHECK(check_url("https://dispatch.example.cn/"));
	CHECK(!check_url("127.0.0.1:8470"));
	CHECK(!check_url("ftp://x"));
	CHECK(!check_url("http://"));
	CHECK(!check_url("http:///x"));
	CHECK(!check_url("http://a b"));
	CHECK(check_token("jt_op_Abc-123_xyz"));
	CHECK(!check_token("has space"));
	CHECK(!check_token("line\r\nX-Evil: 1"));
	CHECK(!check_token(""));
}

static void test_utf8(void)
{
	uint32_t cp;
	CHECK(table_utf8_next("A", &cp) == 1 && cp == 'A');
	CHECK(table_utf8_next("村", &cp) == 3 && cp == 0x6751);
	CHECK(table_utf8_next("\xf0\x9f\x9a\x8c", &cp) == 4 && cp == 0x1F68C);
	CHECK(table_utf8_next("\xc0\xaf", &cp) == -1);     /* overlong */
	CHECK(table_utf8_next("\xed\xa0\x80", &cp) == -1); /* surrogate */
	CHECK(table_utf8_next("\xe6\x9d", &cp) == -1);     /* truncated */
	CHECK(table_utf8_next("\x80", &cp) == -1);
	CHECK(table_utf8_next("\xf5\x80\x80\x80", &cp) == -1); /* beyond U+10FFFF */
}

static void test_widths(void)
{
	CHECK(table_width("") == 0);
	CHECK(table_width(NULL) == 0);
	CHECK(table_width("BUS-01") == 6);
	CHECK(table_width("村村通") == 6);
	CHECK(table_width("村村通一号 Bus") == 14);
	CHECK(table_width("，。、") == 6);      /* CJK punctuation */
	CHECK(table_width("ＡＢ") == 4);        /* fullwidth Latin */
	CHECK(table_width("ｱｲ") == 2);          /* halfwidth katakana */
	CHECK(table_width("한국") == 4);        /* Hangul */
	CHECK(table_width("\xf0\x9f\x9a\x8c") == 2); /* bus emoji */
	CHECK(table_width("\xf0\xa0\x80\x80") == 2); /* CJK extension B */
	CHECK(table_width("e\xcc\x81") == 1);   /* e + combining acute */
	CHECK(table_width("a\xe2\x80\x8b" "b") == 2); /* zero-width space */
	CHECK(table_width("\x1b[0m") == 4);     /* shown as ?[0m */
	CHECK(table_width("\xff\xfe") == 2);    /* shown as ?? */
	CHECK(table_cp_width(0x3000) == 2);     /* ideographic space */
	CHECK(table_cp_width(0x00E9) == 1);
	CHECK(table_cp_width(0xFE0F) == 0);
}

static void test_clean(void)
{
	char *s;
	CHECK_STR(s = table_clean("村村通 BUS-01"), "村村通 BUS-01");
	free(s);
	CHECK_STR(s = table_clean("a\x1b[31mb\n"), "a?[31mb?");
	free(s);
	CHECK_STR(s = table_clean("x\xffy"), "x?y");
	free(s);
	CHECK_STR(s = table_clean("a\xe2\x80\xae" "b"), "a?b");
	free(s);
	CHECK_STR(s = table_clean("\xc2\x9b" "2J"), "?2J"); /* C1 CSI */
	free(s);
	CHECK_STR(s = table_clean(NULL), "");
	free(s);
}

static void test_table(void)
{
	static const char *const headers[] = { "CODE", "NAME", "SEATS" };
	static const enum table_align align[] = { TABLE_LEFT, TABLE_LEFT, TABLE_RIGHT };
	struct table *t = table_new(3, headers, align);
	const char *r1[] = { "BUS-01", "村村通一号", "40" };
	const char *r2[] = { "V2", "van", "4" };
	const char *r3[] = { "V3", NULL, "120" };
	table_add(t, r1);
	table_add(t, r2);
	table_add(t, r3);
	CHECK(table_rows(t) == 3);
	CHECK(table_col_width(t, 0) == 6);
	CHECK(table_col_width(t, 1) == 10);
	CHECK(table_col_width(t, 2) == 5);

	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	table_print(t, f, 2);
	fclose(f);
	CHECK_STR(out, "  CODE    NAME        SEATS\n"
		       "  BUS-01  村村通一号     40\n"
		       "  V2      van             4\n"
		       "  V3      -             120\n");
	free(out);
	table_free(t);
}

static void test_times(void)
{
	jt_ms t = 0;
	CHECK(fmt_parse_time("2026-11-23T08:00:00.000Z", &t) && t == 1795420800000LL);
	CHECK(fmt_parse_time("2026-11-23T08:00:00Z", &t) && t == 1795420800000LL);
	CHECK(fmt_parse_time("2026-11-23T08:00:00.5Z", &t) && t == 1795420800500LL);
	CHECK(fmt_parse_time("2026-11-23T16:00:00.250+08:00", &t) && t == 1795420800250LL);
	CHECK(fmt_parse_time("2026-11-23 08:00:00+00", &t) == false); /* offset needs minutes */
	CHECK(!fmt_parse_time("2026-11-23T08:00:00", &t));
	CHECK(!fmt_parse_time("2026-13-23T08:00:00Z", &t));
	CHECK(!fmt_parse_time("2026-11-23T08:00:00.Z", &t));
	CHECK(!fmt_parse_time("2026-11-23T08:00:00Zjunk", &t));
	CHECK(!fmt_parse_time("", &t));
	CHECK(!fmt_parse_time(NULL, &t));

	char buf[32];
	jt_ms now = 1795420800000LL;
	fmt_age(buf, sizeof buf, now, now - 12000);
	CHECK_STR(buf, "12s ago");
	fmt_age(buf, sizeof buf, now, now - 59999);
	CHECK_STR(buf, "59s ago");
	fmt_age(buf, sizeof buf, now, now - 60000);
	CHECK_STR(buf, "1m ago");
	fmt_age(buf, sizeof buf, now, now - 3 * 3600000LL - 5000);
	CHECK_STR(buf, "3h ago");
	fmt_age(buf, sizeof buf, now, now - 47 * 3600000LL);
	CHECK_STR(buf, "47h ago");
	fmt_age(buf, sizeof buf, now, now - 9 * 86400000LL);
	CHECK_STR(buf, "9d ago");
	fmt_age(buf, sizeof buf, now, now - 400);
	CHECK_STR(buf, "just now");
	fmt_age(buf, sizeof buf, now, now + 5000);
	CHECK_STR(buf, "in 5s");

	fmt_local_time(buf, sizeof buf, 1795420800000LL); /* meson runs this with TZ=UTC */
	CHECK_STR(buf, "2026-11-23 08:00");
	fmt_position(buf, sizeof buf, 30.1, 104.2);
	CHECK_STR(buf, "30.10000,104.20000");
}

static void test_json_members(void)
{
	json_object *o = json_tokener_parse(
		"{\"code\":\"BUS-01\",\"seats\":40,\"lat\":30.5,\"position\":null,\"n\":\"x\"}");
	char buf[32];
	double d;
	CHECK_STR(fmt_str(o, "code"), "BUS-01");
	CHECK(fmt_str(o, "seats") == NULL);
	CHECK(fmt_str(o, "missing") == NULL);
	CHECK(fmt_member(o, "position") == NULL);
	CHECK_STR(fmt_int_text(buf, sizeof buf, o, "seats"), "40");
	CHECK(fmt_int_text(buf, sizeof buf, o, "lat") == NULL);
	CHECK(fmt_num(o, "lat", &d) && d == 30.5);
	CHECK(fmt_num(o, "seats", &d) && d == 40);
	CHECK(!fmt_num(o, "n", &d));
	CHECK(fmt_str(NULL, "code") == NULL);
	json_object_put(o);
}

static void test_exit_codes(void)
{
	CHECK(client_exit_for_status(200) == CLI_OK);
	CHECK(client_exit_for_status(201) == CLI_OK);
	CHECK(client_exit_for_status(400) == CLI_USAGE);
	CHECK(client_exit_for_status(409) == CLI_USAGE);
	CHECK(client_exit_for_status(413) == CLI_USAGE);
	CHECK(client_exit_for_status(422) == CLI_USAGE);
	CHECK(client_exit_for_status(404) == CLI_NOT_FOUND);
	CHECK(client_exit_for_status(401) == CLI_UNAUTHORISED);
	CHECK(client_exit_for_status(403) == CLI_UNAUTHORISED);
	CHECK(client_exit_for_status(500) == CLI_FAIL);
	CHECK(client_exit_for_status(503) == CLI_FAIL);
	CHECK(client_exit_for_status(302) == CLI_FAIL);
	CHECK(CLI_OK == 0 && CLI_FAIL == 1 && CLI_USAGE == 2 && CLI_NOT_FOUND == 3 &&
	      CLI_UNREACHABLE == 4 && CLI_UNAUTHORISED == 5);
}

static void test_parse(void)
{
	struct cmd_line l;
	CHECK(parse(&l, LINE("vehicle", "add", "BUS-01", "--seats", "40", "--json")) == CLI_OK);
	CHECK(l.args.entry && strcmp(l.args.entry->name, "add") == 0);
	CHECK(l.args.argc == 1);
	CHECK_STR(l.args.argv[0], "BUS-01");
	CHECK_STR(cmd_opt(&l.args, "seats"), "40");
	CHECK(cmd_opt(&l.args, "name") == NULL);
	CHECK(cmd_opt(&l.args, "nonsense") == NULL);
	CHECK(l.g.json);

	CHECK(parse(&l, LINE("--url", "http://x:1", "--timeout=3", "vehicle", "list")) == CLI_OK);
	CHECK_STR(l.g.url, "http://x:1");
	CHECK_STR(l.g.timeout, "3");
	CHECK(strcmp(l.group->name, "vehicle") == 0);

	CHECK(parse(&l, LINE("vehicle", "add", "B", "--seats=4", "--name", "村村通")) == CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "seats"), "4");
	CHECK_STR(cmd_opt(&l.args, "name"), "村村通");

	CHECK(parse(&l, LINE("device", "add", "tab-1", "--vehicle", "BUS", "--token-file", "/f")) ==
	      CLI_OK);
	CHECK_STR(cmd_opt(&l.args, "vehicle"), "BUS");
	CHECK_STR(l.g.token_file, "/f");

	CHECK(parse(&l, LINE("vehicle", "show", "--", "-odd")) == CLI_OK);
	CHECK_STR(l.args.argv[0], "-odd");

	CHECK(parse(&l, LINE("vehicle", "add", "BUS-01", "--frob")) == CLI_USAGE);
	CHECK(strstr(l.error, "--frob") && strstr(l.error, "jintong vehicle add --help"));
	CHECK(parse(&l, LINE("vehicle", "add", "BUS-01", "-x")) == CLI_USAGE);
	CHECK(strstr(l.error, "-x"));
	CHECK(parse(&l, LINE("vehicle", "list", "--vehicle", "B")) == CLI_USAGE);
	CHECK(strstr(l.error, "--vehicle"));
	CHECK(parse(&l, LINE("vehicle", "list", "extra")) == CLI_USAGE);
	CHECK(strstr(l.error, "extra"));
	CHECK(parse(&l, LINE("vehicle", "show")) == CLI_USAGE);
	CHECK(strstr(l.error, "CODE"));
	CHECK(parse(&l, LINE("device", "add", "--vehicle", "B")) == CLI_USAGE);
	CHECK(strstr(l.error, "DEVICE_ID"));
	CHECK(parse(&l, LINE("vehicle")) == CLI_USAGE);
	CHECK(strstr(l.error, "add, list, show"));
	CHECK(parse(&l, LINE("bogus", "list")) == CLI_USAGE);
	CHECK(strstr(l.error, "bogus") && strstr(l.error, "vehicle, device"));
	CHECK(parse(&l, LINE("vehicle", "fly", "add")) == CLI_USAGE);
	CHECK(strstr(l.error, "fly") && l.args.entry == NULL);
	CHECK(parse(&l, LINE("vehicle", "add", "B", "--seats")) == CLI_USAGE);
	CHECK(strstr(l.error, "needs a value"));
	CHECK(parse(&l, LINE("vehicle", "list", "--json=yes")) == CLI_USAGE);
	CHECK(strstr(l.error, "takes no value"));
	CHECK(parse(&l, LINE("vehicle", "add", "B", "--seats", "1", "--seats", "2")) == CLI_USAGE);
	CHECK(strstr(l.error, "twice"));
	const char *alone[] = { "jintong", NULL };
	CHECK(parse(&l, alone) == CLI_USAGE);

	/* --help wins, at the level reached */
	CHECK(parse(&l, LINE("--help")) == CLI_OK && l.g.help && !l.group);
	CHECK(parse(&l, LINE("vehicle", "-h")) == CLI_OK && l.g.help && l.group && !l.args.entry);
	CHECK(parse(&l, LINE("vehicle", "add", "--help")) == CLI_OK && l.g.help && l.args.entry);
	CHECK(parse(&l, LINE("vehicle", "add", "--frob", "--help")) == CLI_OK && l.g.help);
	CHECK(parse(&l, LINE("--version")) == CLI_OK && l.g.version);
}

/* The tables are the documentation: every option named in its synopsis, and so on. */
static void test_command_table(void)
{
	CHECK(cmd_group_count >= 2);
	for (size_t g = 0; g < cmd_group_count; g++) {
		const struct cmd_group *grp = cmd_groups[g];
		CHECK(grp->name && grp->help && grp->entries);
		for (size_t h = g + 1; h < cmd_group_count; h++)
			CHECK(strcmp(grp->name, cmd_groups[h]->name) != 0);
		for (const struct cmd_entry *e = grp->entries; e->name; e++) {
			CHECK(strcmp(e->group, grp->name) == 0);
			CHECK(e->usage && e->help && e->exec);
			CHECK(e->help[0] >= 'a' && e->help[0] <= 'z');
			CHECK(e->help[strlen(e->help) - 1] != '.');
			CHECK(e->min_args >= 0 && e->min_args <= e->max_args && e->max_args <= CMD_MAX_ARGS);
			for (const struct cmd_entry *f = e + 1; f->name; f++)
				CHECK(strcmp(e->name, f->name) != 0);
			int n = 0;
			for (; e->options && e->options[n].name; n++) {
				char flag[64];
				snprintf(flag, sizeof flag, "--%s", e->options[n].name);
				if (!strstr(e->usage, flag))
					fprintf(stderr, "%s %s: synopsis lacks %s\n", e->group, e->name, flag);
				CHECK(strstr(e->usage, flag));
				CHECK(e->options[n].help);
				/* a command's option hides the program's of the same name: only
				 * --version may be hidden (timetable add --version N, a route
				 * version), never what reaches the daemon or asks for help */
				static const char *const globals[] = { "url",  "token",	  "token-file",
								       "json", "timeout", "help" };
				for (size_t k = 0; k < sizeof globals / sizeof globals[0]; k++)
					CHECK(strcmp(e->options[n].name, globals[k]) != 0);
			}
			CHECK(n < CMD_MAX_OPTIONS);
		}
	}
}

static void test_help(void)
{
	struct cmd_line l;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("--help")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "Exit status"));
	CHECK(strstr(out, "  4  "));
	CHECK(strstr(out, "vehicle add"));
	CHECK(strstr(out, "device revoke"));
	CHECK(strstr(out, "--token-file FILE"));
	free(out);

	f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("vehicle", "add", "-h")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "usage: jintong vehicle add CODE [--name NAME]"));
	CHECK(strstr(out, "--cargo LITRES"));
	free(out);

	f = open_memstream(&out, &len);
	CHECK(parse(&l, LINE("device", "--help")) == CLI_OK);
	cmd_print_help(f, &l);
	fclose(f);
	CHECK(strstr(out, "jintong device add DEVICE_ID --vehicle CODE"));
	CHECK(strstr(out, "jintong device list\n"));
	free(out);
}

int main(void)
{
	test_codes();
	test_device_ids();
	test_names();
	test_name_problems();
	test_lat_lon();
	test_words();
	test_whole();
	test_url_token();
	test_utf8();
	test_widths();
	test_clean();
	test_table();
	test_times();
	test_json_members();
	test_exit_codes();
	test_parse();
	test_command_table();
	test_help();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
