/*
 * gtfsid.c — the Jintong code a GTFS id is kept under; see gtfsid.h.
 */
#include "gtfsid.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "strmap.h"
#include "util.h"

#define PREFIX_MAX 19 /* + '-' + 12 hex digits = 32 */

const char *gtfsid_invalid(const char *id, size_t len)
{
	if (len == 0)
		return "an id cannot be empty";
	if (len > GTFSID_MAX)
		return "an id is at most 255 bytes";
	if (memchr(id, '\0', len))
		return "an id cannot hold a NUL byte";
	if (!catalog_utf8_valid(id, len))
		return "an id must be valid UTF-8 without control characters";
	return NULL;
}

/* FNV-1a over the id and the salt, then a 64-bit finaliser to spread the bits. */
static uint64_t hash(const char *id, size_t len, unsigned salt)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * 0x100000001b3u;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((salt >> (8 * i)) & 0xff)) * 0x100000001b3u;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 31;
	return h;
}

static bool code_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool alnum(unsigned char c)
{
	return code_char(c) && c != '.' && c != '_' && c != '-';
}

void gtfsid_derive(const char *id, size_t len, unsigned salt, char out[GTFSID_CODE_SIZE])
{
	char tmp[GTFSID_MAX + 1];
	if (salt == 0 && len < sizeof tmp) {
		memcpy(tmp, id, len);
		tmp[len] = '\0';
		if (catalog_code_valid(tmp)) {
			memcpy(out, tmp, len + 1);
			return;
		}
	}
	/* the readable part: code characters kept, a run of others as one '_' */
	size_t n = 0;
	for (size_t i = 0; i < len && n < PREFIX_MAX; i++) {
		unsigned char c = (unsigned char)id[i];
		if (n == 0 && !alnum(c))
			continue; /* a code starts with a letter or digit */
		if (code_char(c))
			out[n++] = (char)c;
		else if (out[n - 1] != '_')
			out[n++] = '_';
	}
	if (n == 0) {
		memcpy(out, "id", 2);
		n = 2;
	}
	snprintf(out + n, GTFSID_CODE_SIZE - n, "-%012llx",
		 (unsigned long long)(hash(id, len, salt) >> 16));
}

/* ---- the map ---- */

struct gtfsid_map {
	struct strmap *codes; /* id -> its code (NULL until resolved) */
	struct strmap *ids;   /* code -> the id given it */
	bool resolved;
};

struct gtfsid_map *gtfsid_map_new(void)
{
	struct gtfsid_map *m = xcalloc(1, sizeof *m);
	m->codes = strmap_new();
	m->ids = strmap_new();
	return m;
}

void gtfsid_map_free(struct gtfsid_map *m)
{
	if (!m)
		return;
	strmap_free_all(m->codes, free);
	strmap_free(m->ids);
	free(m);
}

const char *gtfsid_map_add(struct gtfsid_map *m, const char *id, size_t len)
{
	const char *why = gtfsid_invalid(id, len);
	if (why)
		return why;
	char key[GTFSID_MAX + 1];
	memcpy(key, id, len);
	key[len] = '\0';
	if (!strmap_get(m->codes, key)) {
		strmap_put(m->codes, key, xcalloc(1, GTFSID_CODE_SIZE));
		m->resolved = false;
	}
	return NULL;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void gtfsid_map_resolve(struct gtfsid_map *m)
{
	if (m->resolved)
		return;
	size_t n = strmap_count(m->codes), k = 0, pos = 0;
	const char **ids = xcalloc(n + 1, sizeof *ids);
	const char *key;
	void *val;
	while (strmap_next(m->codes, &pos, &key, &val))
		ids[k++] = key;
	qsort(ids, k, sizeof *ids, by_bytes);
	strmap_free(m->ids);
	m->ids = strmap_new();
	/* ids that are codes first: they keep them whatever else the feed holds */
	for (size_t i = 0; i < k; i++) {
		if (!catalog_code_valid(ids[i]))
			continue;
		char *code = strmap_get(m->codes, ids[i]);
		memcpy(code, ids[i], strlen(ids[i]) + 1);
		strmap_put(m->ids, code, (void *)ids[i]);
	}
	for (size_t i = 0; i < k; i++) {
		if (catalog_code_valid(ids[i]))
			continue;
		char *code = strmap_get(m->codes, ids[i]);
		for (unsigned salt = 0;; salt++) {
			gtfsid_derive(ids[i], strlen(ids[i]), salt, code);
			if (!strmap_get(m->ids, code))
				break;
		}
		strmap_put(m->ids, code, (void *)ids[i]);
	}
	free(ids);
	m->resolved = true;
}

const char *gtfsid_map_code(const struct gtfsid_map *m, const char *id)
{
	const char *code = m->resolved ? strmap_get(m->codes, id) : NULL;
	return code;
}

const char *gtfsid_map_id(const struct gtfsid_map *m, const char *code)
{
	return m->resolved ? strmap_get(m->ids, code) : NULL;
}

size_t gtfsid_map_count(const struct gtfsid_map *m)
{
	return strmap_count(m->codes);
}
