/*
 * fuzz_gtfsid.c — a feed's ids, any bytes, one a line: an id Jintong can
 * keep gets a valid code, no two ids of the map the same code, the code
 * leads back to its id, and an id that is a code keeps it; an id that
 * cannot be kept (invalid UTF-8, control characters, too long) is refused
 * and gets no code.
 */
#include "fuzz.h"

#include "catalog.h"
#include "gtfsid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gtfsid_map *m = gtfsid_map_new();
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *why = gtfsid_map_add(m, p, n);
		FUZZ_ASSERT((why == NULL) == (gtfsid_invalid(p, n) == NULL));
		p += n + 1;
	}
	gtfsid_map_resolve(m);
	p = (const char *)data;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!gtfsid_invalid(p, n)) {
			char id[GTFSID_MAX + 1];
			memcpy(id, p, n);
			id[n] = '\0';
			const char *code = gtfsid_map_code(m, id);
			FUZZ_ASSERT(code && catalog_code_valid(code));
			FUZZ_ASSERT(strcmp(gtfsid_map_id(m, code), id) == 0);
			if (catalog_code_valid(id))
				FUZZ_ASSERT(strcmp(code, id) == 0);
			char alone[GTFSID_CODE_SIZE];
			gtfsid_derive(id, n, 0, alone);
			FUZZ_ASSERT(catalog_code_valid(alone));
		}
		p += n + 1;
	}
	gtfsid_map_free(m);
	return 0;
}
