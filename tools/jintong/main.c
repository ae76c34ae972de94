/*
 * main.c — jintong, the operators' tool: reads the line against the command
 * table (cmd.c), settles where the daemon is and which operator token to use,
 * and runs the command.
 *
 * The daemon's address: --url, else $JINTONG_URL, else http://127.0.0.1:8470.
 * The operator token: --token, else the first line of --token-file, else
 * $JINTONG_TOKEN, else the first line of $JINTONG_TOKEN_FILE. What is typed
 * on this line wins over what the environment says.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "table.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-build.h"

#define DEFAULT_URL "http://127.0.0.1:8470"
#define DEFAULT_TIMEOUT_S 10
#define TOKEN_HINT \
	"give --token-file FILE, or set JINTONG_TOKEN_FILE or JINTONG_TOKEN; an administrator " \
	"makes a token with `jintongd --create-operator NAME`"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/*
 * The first line of a token file, without surrounding blanks. NULL with
 * `why` filled when it cannot be used.
 */
static char *read_token_file(const char *path, const char *source, char *why, size_t size)
{
	char line[4200];
	char *shown = table_clean(path);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, size, "cannot read the operator token from %s %s (%s); %s", source, shown,
			 strerror(errno), TOKEN_HINT);
		free(shown);
		return NULL;
	}
	char *got = fgets(line, sizeof line, f);
	fclose(f);
	char *s = got ? line : NULL;
	if (s) {
		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = strlen(s);
		while (n > 0 && strchr(" \t\r\n", s[n - 1]))
			s[--n] = '\0';
	}
	char *token = NULL;
	if (!s || !*s)
		snprintf(why, size, "the operator token file %s (%s) is empty; %s", shown, source,
			 TOKEN_HINT);
	else if (!check_token(s))
		snprintf(why, size, "the first line of %s (%s) is not an operator token; %s", shown,
			 source, TOKEN_HINT);
	else
		token = xstrdup(s);
	explicit_bzero(line, sizeof line);
	free(shown);
	return token;
}

/* The operator token, or NULL with `why` filled. */
static char *find_token(const struct cmd_globals *g, char *why, size_t size)
{
	const char *t = NULL, *source = NULL;
	if (g->token) {
		t = g->token, source = "--token";
	} else if (g->token_file) {
		return read_token_file(g->token_file, "--token-file", why, size);
	} else if (env("JINTONG_TOKEN")) {
		t = env("JINTONG_TOKEN"), source = "JINTONG_TOKEN";
	} else if (env("JINTONG_TOKEN_FILE")) {
		return read_token_file(env("JINTONG_TOKEN_FILE"), "JINTONG_TOKEN_FILE", why, size);
	} else {
		snprintf(why, size, "no operator token; %s", TOKEN_HINT);
		return NULL;
	}
	if (!check_token(t)) {
		snprintf(why, size, "the operator token in %s has spaces or other characters no token "
			 "has; %s", source, TOKEN_HINT);
		return NULL;
	}
	return xstrdup(t);
}

int main(int argc, char **argv)
{
	struct cmd_line line;
	int rc = cmd_parse(argc, argv, &line);
	if (line.g.help) {
		cmd_print_help(stdout, &line);
		return CLI_OK;
	}
	if (line.g.version) {
		printf("jintong %s\n", JT_VERSION);
		return CLI_OK;
	}
	if (rc != CLI_OK) {
		char *shown = table_clean(line.error);
		cli_error("%s", shown);
		free(shown);
		cmd_print_usage(stderr, &line);
		return rc;
	}

	const char *url = line.g.url ? line.g.url : env("JINTONG_URL") ? env("JINTONG_URL") : DEFAULT_URL;
	if (!check_url(url)) {
		char *shown = table_clean(url);
		cli_error("\"%s\" (%s) is not a daemon address; give http://HOST:PORT, e.g. %s", shown,
			  line.g.url ? "--url" : "JINTONG_URL", DEFAULT_URL);
		free(shown);
		return CLI_USAGE;
	}
	long timeout = DEFAULT_TIMEOUT_S;
	if (line.g.timeout && !check_whole(line.g.timeout, 1, 3600, &timeout)) {
		char *shown = table_clean(line.g.timeout);
		cli_error("--timeout must be whole seconds from 1 to 3600, not \"%s\"; e.g. --timeout 30",
			  shown);
		free(shown);
		return CLI_USAGE;
	}
	char why[512];
	char *token = find_token(&line.g, why, sizeof why);
	if (line.g.token) {
		/* keep it out of `ps` from now on (the kernel shows argv's memory) */
		explicit_bzero((char *)line.g.token, strlen(line.g.token));
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("cannot initialise libcurl");
	struct client *client = client_new(url, token, why, timeout);
	if (token) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	struct cmd_ctx ctx = { .client = client, .json = line.g.json };
	rc = line.args.entry->exec(&ctx, &line.args);
	client_free(client);
	curl_global_cleanup();

	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output (%s); check the disk or the pipe it goes to",
			  strerror(errno));
		if (rc == CLI_OK)
			rc = CLI_FAIL;
	}
	return rc;
}
