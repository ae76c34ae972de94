/*
 * strmap.h — a hash map from strings to pointers (open addressing, linear
 * probing). Keys are copied; values are the caller's. Used for device ids,
 * token hashes and vehicle codes, where the daemon must answer in O(1) for a
 * fleet of any size.
 */
#ifndef JINTONG_STRMAP_H
#define JINTONG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap;

struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);
/* Frees the map and, with free_value, every value in it. */
void strmap_free_all(struct strmap *m, void (*free_value)(void *value));
void *strmap_get(const struct strmap *m, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);
/* Removes; returns the value that was there or NULL. */
void *strmap_del(struct strmap *m, const char *key);
size_t strmap_count(const struct strmap *m);
/* Iterates in no particular order: start with *pos = 0; false when done. Do not change the map meanwhile. */
bool strmap_next(const struct strmap *m, size_t *pos, const char **key, void **value);
/* Counts every put and delete: a copy built from the map is stale when this moved on. */
uint64_t strmap_changes(const struct strmap *m);

#endif
