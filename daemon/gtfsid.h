/*
 * gtfsid.h — the Jintong code a GTFS id is kept under.
 *
 * A county's feed names its stops, routes, trips and services with GTFS
 * ids, which may be anything: "de:12073:900340004::1", "Main St / 5th",
 * "flächenrufbus-angermünde", 60 characters long. A Jintong code is 1 to 32
 * of [A-Za-z0-9._-] starting with a letter or digit. An id that is a code
 * is its own code; any other id gets a derived one, its readable part
 * (letters, digits, '.', '_', '-'; everything else as '_', at most 19
 * characters) followed by '-' and 12 hex digits of a 64-bit hash of the
 * whole id: "de_12073_900340004_-3f09c1d2a4b7". The original id is stored
 * with the record and given back by the export.
 *
 * The derivation depends on the id alone, so a feed imported again finds
 * the records it made. Two ids of one file whose codes coincide (a hash
 * collision, or a derived code that is another id of the feed) are told
 * apart deterministically: ids that are codes keep theirs, the others are
 * taken in byte order and the later one hashed again with a salt. The
 * result depends on the set of ids, not on the order they were read.
 *
 * Pure: no I/O.
 */
#ifndef JINTONG_GTFSID_H
#define JINTONG_GTFSID_H

#include "core.h"

#include <stddef.h>

/* The longest GTFS id kept, in bytes. */
#define GTFSID_MAX 255
/* Room for a code and its terminator. */
#define GTFSID_CODE_SIZE 33

/*
 * Is id (len bytes) a GTFS id Jintong can keep: 1..GTFSID_MAX bytes of
 * valid UTF-8 without control characters? NULL when it is, else why.
 */
const char *gtfsid_invalid(const char *id, size_t len);

/*
 * The code for a valid id: the id itself when it is a code and salt is 0,
 * else the derived code for that salt. out gets at most 32 characters.
 */
void gtfsid_derive(const char *id, size_t len, unsigned salt, char out[GTFSID_CODE_SIZE]);

/* The ids of one kind (a feed's stops, say) and the codes given to them. */
struct gtfsid_map;

struct gtfsid_map *gtfsid_map_new(void);
void gtfsid_map_free(struct gtfsid_map *m);

/*
 * Adds an id (the same id twice is one entry). Returns NULL, or why the id
 * cannot be kept (gtfsid_invalid). Codes are given by gtfsid_map_resolve().
 */
const char *gtfsid_map_add(struct gtfsid_map *m, const char *id, size_t len) JT_MUST_CHECK;

/* Gives every id added its code; call again after adding more. */
void gtfsid_map_resolve(struct gtfsid_map *m);

/* The code of an id added and resolved, or NULL. */
const char *gtfsid_map_code(const struct gtfsid_map *m, const char *id);

/* The id whose code is code, or NULL. */
const char *gtfsid_map_id(const struct gtfsid_map *m, const char *code);

size_t gtfsid_map_count(const struct gtfsid_map *m);

#endif
