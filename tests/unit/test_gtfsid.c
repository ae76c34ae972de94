/*
 * The code a GTFS id is kept under: ids that are codes kept as they are,
 * others given a valid, stable code, collisions told apart whatever the
 * order ids are read in, and ids Jintong cannot keep refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"
#include "gtfsid.h"

static const char *derive(const char *id, unsigned salt)
{
	static char out[GTFSID_CODE_SIZE];
	memset(out, '#', sizeof out);
	gtfsid_derive(id, strlen(id), salt, out);
	return out;
}

int main(void)
{
	/* ids that are codes are their own codes */
	CHECK_STR("derive('flex-476'", derive("flex-476", 0), "flex-476");
	CHECK_STR("derive('A'", derive("A", 0), "A");
	CHECK_STR("derive('abcdefghijklmnopqrstuvwxyz012345'", derive("abcdefghijklmnopqrstuvwxyz012345", 0), "abcdefghijklmnopqrstuvwxyz012345");

	/* real ids that are not: every derived code is a code, readable, and stable */
	static const char *const real[] = {
		"de:12073:900340004::1",
		"de:12073:900340004:1:50",
		"flächenrufbus-angermünde-weekdays",
		"Main St / 5th Ave",
		"_leading",
		"-x",
		"::",
		"äöü",
		"abcdefghijklmnopqrstuvwxyz0123456", /* 33 characters */
		"a very long stop id that a county might well use for its stops, 80 bytes long!!",
	};
	for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
		char a[GTFSID_CODE_SIZE], b[GTFSID_CODE_SIZE];
		CHECK_MSG(real[i], gtfsid_invalid(real[i], strlen(real[i])) == NULL);
		gtfsid_derive(real[i], strlen(real[i]), 0, a);
		gtfsid_derive(real[i], strlen(real[i]), 0, b);
		CHECK_MSG(real[i], catalog_code_valid(a));
		CHECK_MSG(real[i], strlen(a) <= 32);
		CHECK_MSG(real[i], strcmp(a, b) == 0);
		CHECK_MSG(real[i], strcmp(a, real[i]) != 0);
		/* another salt, another code */
		gtfsid_derive(real[i], strlen(real[i]), 1, b);
		CHECK_MSG(real[i], catalog_code_valid(b) && strcmp(a, b) != 0);
		/* 12 hex digits after the last '-' */
		const char *dash = strrchr(a, '-');
		CHECK_MSG(real[i], dash && strlen(dash + 1) == 12 &&
					   strspn(dash + 1, "0123456789abcdef") == 12);
	}
	/* the readable part */
	CHECK(strncmp(derive("de:12073:900340004::1", 0), "de_12073_900340004_-", 20) == 0);
	CHECK(strncmp(derive("flächenrufbus-angermünde", 0), "fl_chenrufbus-anger-", 20) == 0);
	CHECK(strncmp(derive("::", 0), "id-", 3) == 0);
	CHECK(strncmp(derive("_leading", 0), "leading-", 8) == 0);
	/* ids differing only where the readable part cannot show it */
	{
		char x[GTFSID_CODE_SIZE], y[GTFSID_CODE_SIZE];
		gtfsid_derive("de:1::1", 7, 0, x);
		gtfsid_derive("de:1:1", 6, 0, y);
		CHECK(strcmp(x, y) != 0);
		gtfsid_derive("a b", 3, 0, x);
		gtfsid_derive("a/b", 3, 0, y);
		CHECK(strcmp(x, y) != 0);
	}

	/* ids Jintong cannot keep */
	CHECK(gtfsid_invalid("", 0) != NULL);
	CHECK(gtfsid_invalid("caf\xc3", 4) != NULL);         /* cut UTF-8 */
	CHECK(gtfsid_invalid("caf\xe9", 4) != NULL);         /* Latin-1 */
	CHECK(gtfsid_invalid("\xc0\xaf", 2) != NULL);        /* overlong */
	CHECK(gtfsid_invalid("\xed\xa0\x80", 3) != NULL);    /* a surrogate */
	CHECK(gtfsid_invalid("a\tb", 3) != NULL);            /* control character */
	CHECK(gtfsid_invalid("a\0b", 3) != NULL);
	char long_id[GTFSID_MAX + 2];
	memset(long_id, 'x', sizeof long_id);
	CHECK(gtfsid_invalid(long_id, GTFSID_MAX) == NULL);
	CHECK(gtfsid_invalid(long_id, GTFSID_MAX + 1) != NULL);

	/*
	 * Collisions: an id whose derived code is another id of the feed. The
	 * id that is a code keeps it; the other is hashed again.
	 */
	{
		const char *odd = "de:1:2";
		char taken[GTFSID_CODE_SIZE];
		gtfsid_derive(odd, strlen(odd), 0, taken);
		const char *orders[2][2] = { { odd, taken }, { taken, odd } };
		char first[GTFSID_CODE_SIZE] = "";
		for (int o = 0; o < 2; o++) {
			struct gtfsid_map *m = gtfsid_map_new();
			for (int i = 0; i < 2; i++)
				CHECK(gtfsid_map_add(m, orders[o][i], strlen(orders[o][i])) == NULL);
			CHECK(gtfsid_map_add(m, odd, strlen(odd)) == NULL); /* again: one entry */
			CHECK_INT("gtfsid_map_count(m)", gtfsid_map_count(m), 2);
			gtfsid_map_resolve(m);
			CHECK_STR("gtfsid_map_code(m", gtfsid_map_code(m, taken), taken);
			const char *c = gtfsid_map_code(m, odd);
			CHECK(c && catalog_code_valid(c) && strcmp(c, taken) != 0);
			char salted[GTFSID_CODE_SIZE];
			gtfsid_derive(odd, strlen(odd), 1, salted);
			CHECK_STR("c", c, salted);
			CHECK_STR("gtfsid_map_id(m", gtfsid_map_id(m, c), odd);
			CHECK_STR("gtfsid_map_id(m", gtfsid_map_id(m, taken), taken);
			if (o == 0)
				snprintf(first, sizeof first, "%s", c);
			else
				CHECK_STR("whatever order they came in", c, first);
			gtfsid_map_free(m);
		}
	}

	/*
	 * Many ids sharing one readable part: all codes distinct, and each the
	 * code the id alone derives unless a collision forced a salt.
	 */
	{
		struct gtfsid_map *m = gtfsid_map_new();
		char id[64];
		int n = 20000;
		for (int i = 0; i < n; i++) {
			snprintf(id, sizeof id, "de:12073:9003%05d::%d", i, i % 7);
			CHECK(gtfsid_map_add(m, id, strlen(id)) == NULL);
		}
		CHECK(gtfsid_map_add(m, "caf\xe9", 4) != NULL);
		CHECK_INT("gtfsid_map_count(m)", gtfsid_map_count(m), n);
		CHECK(gtfsid_map_code(m, "de:12073:900300000::0") == NULL); /* not resolved yet */
		gtfsid_map_resolve(m);
		int derived_alone = 0, distinct = 0;
		for (int i = 0; i < n; i++) {
			snprintf(id, sizeof id, "de:12073:9003%05d::%d", i, i % 7);
			const char *c = gtfsid_map_code(m, id);
			if (!c || !catalog_code_valid(c))
				break;
			derived_alone += strcmp(c, derive(id, 0)) == 0;
			distinct += gtfsid_map_id(m, c) && strcmp(gtfsid_map_id(m, c), id) == 0;
		}
		CHECK_INT("distinct", distinct, n);
		CHECK_INT("48 bits: no collision among 20,000", derived_alone, n);
		CHECK(gtfsid_map_code(m, "not added") == NULL);
		gtfsid_map_free(m);
	}
	return check_done("test_gtfsid");
}
