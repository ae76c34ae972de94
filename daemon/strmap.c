/*
 * strmap.c — open-addressing hash map, see strmap.h. Deletion uses backward
 * shifting so there are no tombstones and lookups stay short.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct slot {
	char *key;
	void *value;
	uint64_t hash;
};

struct strmap {
	struct slot *slots;
	size_t cap; /* power of two */
	size_t count;
	uint64_t changes;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

struct strmap *strmap_new(void)
{
	struct strmap *m = xcalloc(1, sizeof *m);
	m->cap = 16;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static size_t find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = h & mask;
	while (m->slots[i].key) {
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static void grow(struct strmap *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].key)
			continue;
		size_t j = old[i].hash & (m->cap - 1);
		while (m->slots[j].key)
			j = (j + 1) & (m->cap - 1);
		m->slots[j] = old[i];
	}
	free(old);
}

void strmap_free_all(struct strmap *m, void (*free_value)(void *value))
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			free_value(m->slots[i].value);
	strmap_free(m);
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t i = find(m, key, hash_str(key));
	return m->slots[i].key ? m->slots[i].value : NULL;
}

void *strmap_put(struct strmap *m, const char *key, void *value)
{
	if ((m->count + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = hash_str(key);
	size_t i = find(m, key, h);
	m->changes++;
	if (m->slots[i].key) {
		void *prev = m->slots[i].value;
		m->slots[i].value = value;
		return prev;
	}
	m->slots[i].key = xstrdup(key);
	m->slots[i].value = value;
	m->slots[i].hash = h;
	m->count++;
	return NULL;
}

void *strmap_del(struct strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = find(m, key, hash_str(key));
	if (!m->slots[i].key)
		return NULL;
	void *value = m->slots[i].value;
	m->changes++;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->count--;
	/* Shift back the entries that probed past the hole. */
	size_t j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!m->slots[j].key)
			break;
		size_t home = m->slots[j].hash & mask;
		bool between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (between)
			continue;
		m->slots[i] = m->slots[j];
		m->slots[j].key = NULL;
		i = j;
	}
	return value;
}

size_t strmap_count(const struct strmap *m)
{
	return m->count;
}

bool strmap_next(const struct strmap *m, size_t *pos, const char **key, void **value)
{
	while (*pos < m->cap) {
		const struct slot *sl = &m->slots[(*pos)++];
		if (sl->key) {
			*key = sl->key;
			*value = sl->value;
			return true;
		}
	}
	return false;
}

uint64_t strmap_changes(const struct strmap *m)
{
	return m->changes;
}
