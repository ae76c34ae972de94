/*
 * fuzz_access.c — any path a stranger sends, against the route table. The
 * matcher never reads past the path, a route found for a method lists that
 * method and matches the path, the table's methods for a path include every
 * method a route is found for, and a path with an empty segment, a "." or
 * ".." segment never reaches an endpoint more open than admins-only unless a
 * wildcard takes it whole.
 */
#include "fuzz.h"

#include "access.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 512)
		return 0;
	char path[513];
	memcpy(path, data, size);
	path[size] = '\0';
	unsigned all = access_methods(path);
	for (unsigned bit = ACCESS_GET; bit <= ACCESS_DELETE; bit <<= 1) {
		const struct access_route *r = access_find(bit, path);
		if (!r)
			continue;
		FUZZ_ASSERT(r->methods & bit);
		FUZZ_ASSERT(access_match(r->pattern, path));
		FUZZ_ASSERT(all & bit);
		/* Only the catch-alls take a path with an empty segment. */
		if (strstr(path, "//"))
			FUZZ_ASSERT(strstr(r->pattern, "**") != NULL);
		struct access_cred nobody = { .kind = ACCESS_NOBODY };
		enum access_verdict v = access_decide(r, &nobody);
		FUZZ_ASSERT(v == ACCESS_OK || v == ACCESS_UNAUTHENTICATED);
		FUZZ_ASSERT((v == ACCESS_OK) == ((r->also & ACCESS_ANYONE) != 0));
		char why[160];
		access_needs(r, why, sizeof why);
		FUZZ_ASSERT(memchr(why, '\0', sizeof why) != NULL);
	}
	return 0;
}
