/*
 * embed-sql — turns the numbered migrations in sql/ into a C array, so the
 * daemon carries the schema it was built for.
 *
 * usage: embed-sql OUTPUT.c NNN_name.sql...
 * Each file name must start with its version number; versions must increase.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *name)
{
	fprintf(stderr, "embed-sql: %s: %s\n", name, what);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: embed-sql OUTPUT.c FILE.sql...\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out)
		die(strerror(errno), argv[1]);
	fprintf(out, "/* Generated from sql/ by embed-sql. Do not edit. */\n"
		     "#include \"migrate.h\"\n\n"
		     "const struct migration migrations[] = {\n");
	long last = 0;
	for (int i = 2; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		if (!isdigit((unsigned char)base[0]))
			die("name must start with a version number", base);
		long version = strtol(base, NULL, 10);
		if (version <= last)
			die("versions must increase", base);
		last = version;
		FILE *in = fopen(argv[i], "r");
		if (!in)
			die(strerror(errno), argv[i]);
		fprintf(out, "\t{ %ld, \"%s\",\n\t  \"", version, base);
		int c;
		while ((c = fgetc(in)) != EOF) {
			if (c == '\\' || c == '"')
				fprintf(out, "\\%c", c);
			else if (c == '\n')
				fputs("\\n\"\n\t  \"", out);
			else if (c == '\t')
				fputs("\\t", out);
			else if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
		fclose(in);
		fputs("\" },\n", out);
	}
	fprintf(out, "};\nconst size_t migrations_count = sizeof(migrations) / sizeof(migrations[0]);\n");
	if (fclose(out) != 0)
		die(strerror(errno), argv[1]);
	return 0;
}
