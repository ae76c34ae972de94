/*
 * gtfscheck.h — an exported GTFS feed read back and checked, and the set of
 * ids the exporter and the check keep.
 */
#ifndef JINTONG_CLI_GTFSCHECK_H
#define JINTONG_CLI_GTFSCHECK_H

#include "core.h"

/* A set of strings (ids of a feed), sorted when first looked in. */
struct strset {
	char **v;
	size_t n, cap;
	bool sorted;
};

void gtfscheck_set_add(struct strset *s, const char *p, size_t len);
bool gtfscheck_set_has(struct strset *s, const char *p, size_t len);
void gtfscheck_set_free(struct strset *s);

/*
 * Reads the feed in dir back, checking every file, row and reference
 * between files (and locations.geojson); prints each problem found (up to
 * 20 a file) and returns how many.
 */
size_t gtfscheck_feed(const char *dir);

#endif
