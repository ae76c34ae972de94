/*
 * embed-files — turns the live operator page's files (daemon/live/) into a C
 * array, so the daemon serves them from its own binary and reads no file
 * at run time.
 *
 * usage: embed-files OUTPUT.c FILE...
 * Each file is served at /live/<its name>, except index.html at /live. The
 * media type comes from the name's ending (.html, .js, .css, .svg).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *name)
{
	fprintf(stderr, "embed-files: %s: %s\n", name, what);
	exit(1);
}

static const char *media_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t k = strlen(types[i][0]);
		if (n > k && strcmp(name + n - k, types[i][0]) == 0)
			return types[i][1];
	}
	die("no media type for this name", name);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: embed-files OUTPUT.c FILE...\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out)
		die(strerror(errno), argv[1]);
	fprintf(out, "/* Generated from daemon/live/ by embed-files. Do not edit. */\n"
		     "#include \"live.h\"\n\n"
		     "const struct live_asset live_assets[] = {\n");
	for (int i = 2; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		FILE *in = fopen(argv[i], "rb");
		if (!in)
			die(strerror(errno), argv[i]);
		if (strcmp(base, "index.html") == 0)
			fprintf(out, "\t{ \"/live\", ");
		else
			fprintf(out, "\t{ \"/live/%s\", ", base);
		fprintf(out, "\"%s\",\n\t  \"", media_type(base));
		long len = 0;
		int c;
		while ((c = fgetc(in)) != EOF) {
			len++;
			if (c == '\\' || c == '"')
				fprintf(out, "\\%c", c);
			else if (c == '\n')
				fputs("\\n\"\n\t  \"", out);
			else if (c < 0x20 || c >= 0x7f || c == '?') /* '?': no trigraphs */
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
		if (ferror(in))
			die(strerror(errno), argv[i]);
		fclose(in);
		fprintf(out, "\",\n\t  %ld },\n", len);
	}
	fprintf(out, "};\nconst size_t live_assets_count = sizeof(live_assets) / sizeof(live_assets[0]);\n");
	if (fclose(out) != 0)
		die(strerror(errno), argv[1]);
	return 0;
}
