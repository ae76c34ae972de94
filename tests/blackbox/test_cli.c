/*
 * The operators' CLI against the real daemon: each command, its output for
 * people and for scripts, and exit codes that tell failures apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];

/* Runs jintong with the daemon's URL and the operator token file, then the given arguments. */
static int cli(char *out, size_t len, const char *a1, const char *a2, const char *a3,
	       const char *a4, const char *a5, const char *a6)
{
	const char *argv[16];
	int n = 0;
	argv[n++] = getenv("JINTONG_CLI");
	argv[n++] = "--url";
	argv[n++] = t.d.url;
	argv[n++] = "--token-file";
	argv[n++] = token_file;
	const char *rest[] = { a1, a2, a3, a4, a5, a6 };
	for (int i = 0; i < 6 && rest[i]; i++)
		argv[n++] = rest[i];
	argv[n] = NULL;
	return h_exec(argv, out, len);
}

int main(void)
{
	if (!getenv("JINTONG_CLI"))
		return 77; /* run by tests/run, which names the CLI */
	h_init(&t, "cli");
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *f = fopen(token_file, "w");
	REQUIRE(f, "token file");
	fprintf(f, "%s\n", t.op_token);
	fclose(f);

	char out[8192];
	int rc = cli(out, sizeof out, "vehicle", "add", "BUS-7", "--name", "石桥班线", NULL);
	CHECK(rc == 0 && strstr(out, "BUS-7"), "vehicle add: %d %s", rc, out);
	rc = cli(out, sizeof out, "vehicle", "add", "BUS-7", NULL, NULL, NULL);
	CHECK(rc == 2, "duplicate vehicle exit %d: %s", rc, out);
	rc = cli(out, sizeof out, "vehicle", "add", "bad code", NULL, NULL, NULL);
	CHECK(rc == 2, "invalid code exit %d: %s", rc, out);
	rc = cli(out, sizeof out, "vehicle", "add", "BUS-8", "--seats", "many", NULL);
	CHECK(rc == 2, "invalid seats exit %d: %s", rc, out);
	rc = cli(out, sizeof out, "vehicle", "list", NULL, NULL, NULL, NULL);
	CHECK(rc == 0 && strstr(out, "BUS-7") && strstr(out, "石桥班线"), "vehicle list: %s", out);
	rc = cli(out, sizeof out, "vehicle", "show", "BUS-404", NULL, NULL, NULL);
	CHECK(rc == 3, "unknown vehicle exit %d: %s", rc, out);

	rc = cli(out, sizeof out, "device", "add", "tab-7", "--vehicle", "BUS-7", NULL);
	CHECK(rc == 0, "device add exit %d: %s", rc, out);
	/* The token is printed once, and it works for the tablet's protocol. */
	char *p = out;
	char token[64] = "";
	while ((p = strpbrk(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))) {
		size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
		if (n == 43) {
			memcpy(token, p, 43);
			token[43] = '\0';
			break;
		}
		p += n;
	}
	CHECK(token[0], "no token in: %s", out);
	CHECK(h_sql_num(&t, "SELECT count(*) FROM device WHERE token_hash = sha256('%s'::bytea)", token) == 1,
	      "printed token is not the device's");
	rc = cli(out, sizeof out, "device", "list", NULL, NULL, NULL, NULL);
	CHECK(rc == 0 && strstr(out, "tab-7") && !strstr(out, token), "device list: %s", out);
	rc = cli(out, sizeof out, "--json", "vehicle", "show", "BUS-7", NULL, NULL);
	CHECK(rc == 0 && strstr(out, "\"device_id\"") && strstr(out, "\"tab-7\""), "json show: %s", out);
	rc = cli(out, sizeof out, "device", "revoke", "tab-7", NULL, NULL, NULL);
	CHECK(rc == 0, "revoke exit %d: %s", rc, out);
	rc = cli(out, sizeof out, "device", "revoke", "tab-404", NULL, NULL, NULL);
	CHECK(rc == 3, "revoke unknown exit %d", rc);

	/* Wrong token: 5. Nobody listening: 4. Usage: 2. */
	const char *argv_bad[] = { getenv("JINTONG_CLI"), "--url", t.d.url, "--token", "wrong",
				   "vehicle", "list", NULL };
	rc = h_exec(argv_bad, out, sizeof out);
	CHECK(rc == 5, "wrong token exit %d: %s", rc, out);
	char dead[64];
	snprintf(dead, sizeof dead, "http://127.0.0.1:%d", h_free_port());
	const char *argv_dead[] = { getenv("JINTONG_CLI"), "--url", dead, "--token", "x",
				    "vehicle", "list", NULL };
	rc = h_exec(argv_dead, out, sizeof out);
	CHECK(rc == 4 && strstr(out, "cannot reach"), "unreachable exit %d: %s", rc, out);
	rc = cli(out, sizeof out, "vehicle", "fly", NULL, NULL, NULL, NULL);
	CHECK(rc == 2, "unknown command exit %d", rc);
	rc = cli(out, sizeof out, "device", "add", "--help", NULL, NULL, NULL);
	CHECK(rc == 0 && strstr(out, "--vehicle"), "help: %s", out);
	return h_finish(&t);
}
