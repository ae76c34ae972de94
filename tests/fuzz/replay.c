/*
 * replay.c — runs a fuzz harness over its seed corpus without libFuzzer, so
 * builds made with gcc or without sanitizers still push every realistic and
 * every once-crashing input through the parsers. Arguments are files or
 * directories (read one level deep); an argument with no inputs is an error,
 * so a missing corpus cannot pass silently.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Feeds one file to the harness, in a buffer of exactly its size so that
 * AddressSanitizer sees any read past the end. Returns 1 if run, 0 if not a
 * regular file, -1 on error. */
static int replay_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t size = (size_t)st.st_size;
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf || fread(buf, 1, size, fp) != size) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(size ? buf : NULL, size);
	free(buf);
	return 1;
}

static int replay_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(n);
		if (!path)
			abort();
		snprintf(path, n, "%s/%s", dir, e->d_name);
		int r = replay_file(path);
		free(path);
		if (r < 0)
			rc = -1;
		else
			*count += (unsigned)r;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int status = EXIT_SUCCESS;
	for (int i = 1; i < argc; i++) {
		unsigned count = 0;
		struct stat st;
		int rc;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = replay_dir(argv[i], &count);
		} else {
			rc = replay_file(argv[i]);
			count = rc > 0 ? 1 : 0;
		}
		if (rc < 0 || count == 0) {
			fprintf(stderr, "replay: %s: no inputs run\n", argv[i]);
			status = EXIT_FAILURE;
		}
		printf("replay: %s: %u inputs\n", argv[i], count);
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s corpus-dir-or-file...\n", argv[0]);
		status = EXIT_FAILURE;
	}
	return status;
}
