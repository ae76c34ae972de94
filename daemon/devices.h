/*
 * devices.h — the registry of tablets, operator tokens and booking clients, as the daemon
 * keeps it in memory: looked up by the identifier a tracking app sends, or by
 * the hash of the token a native tablet presents. The database is the truth;
 * this is rebuilt from it at start and kept in step by the admin API.
 */
#ifndef JINTONG_DEVICES_H
#define JINTONG_DEVICES_H

#include "access.h"
#include "core.h"
#include "token.h"

struct device {
	int id;
	char ext_id[JT_DEVICE_ID_MAX + 1];
	int vehicle_id;
	uint8_t token_hash[TOKEN_HASH_LEN];
	jt_ms created_at;
	jt_ms revoked_at; /* 0 while active */
};

struct devices;

struct devices *devices_new(void);
void devices_free(struct devices *d);

/* Adds or replaces (same ext_id) a device; returns the stored copy. */
struct device *devices_put(struct devices *d, const struct device *dev);
struct device *devices_by_ext(const struct devices *d, const char *ext_id);
/* Only active (not revoked) devices are found by token. */
struct device *devices_by_token(const struct devices *d, const char *token, size_t len);
void devices_revoke(struct devices *d, struct device *dev, jt_ms when);
size_t devices_count(const struct devices *d);
struct device *devices_at(const struct devices *d, size_t i);
/* Number of active devices of a vehicle. */
size_t devices_of_vehicle(const struct devices *d, int vehicle_id);

/* Operator tokens (with their role) and booking clients: replaced wholesale when reloaded. */
void devices_clear_operators(struct devices *d);
void devices_add_operator(struct devices *d, const uint8_t hash[TOKEN_HASH_LEN], const char *name,
			  enum access_role role);
void devices_remove_operator(struct devices *d, const char *name);
/* Returns the operator's name, or NULL if the token is not an active operator token. */
const char *devices_operator(const struct devices *d, const char *token, size_t len);
void devices_clear_clients(struct devices *d);
void devices_add_client(struct devices *d, int id, const uint8_t hash[TOKEN_HASH_LEN], const char *name);
void devices_remove_client(struct devices *d, const char *name);
/*
 * Who holds this token: a tablet, a booking client or an operator. Fills c
 * and returns true; false (c->kind ACCESS_NOBODY) for a token unknown or revoked.
 */
bool devices_identify(const struct devices *d, const char *token, size_t len, struct access_cred *c);

#endif
