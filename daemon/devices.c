/*
 * devices.c — the in-memory registry of tablets, operator tokens (with their
 * role) and booking clients.
 */
#include "devices.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

/* An operator token or a booking client. */
struct operator_entry {
	uint8_t hash[TOKEN_HASH_LEN];
	char name[65];
	int id;                /* booking clients */
	enum access_role role; /* operators */
};

struct devices {
	struct device **dev;
	size_t n, cap;
	struct strmap *by_ext;
	struct strmap *by_hash; /* hex of token hash -> active device */
	struct operator_entry *ops;
	size_t nops, capops;
	struct operator_entry *clients;
	size_t nclients, capclients;
};

struct devices *devices_new(void)
{
	struct devices *d = xcalloc(1, sizeof *d);
	d->by_ext = strmap_new();
	d->by_hash = strmap_new();
	return d;
}

void devices_free(struct devices *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->dev[i]);
	free(d->dev);
	strmap_free(d->by_ext);
	strmap_free(d->by_hash);
	free(d->ops);
	free(d->clients);
	free(d);
}

struct device *devices_put(struct devices *d, const struct device *dev)
{
	char hex[TOKEN_HASH_HEX_LEN + 1];
	struct device *cur = strmap_get(d->by_ext, dev->ext_id);
	if (cur) {
		token_hex(cur->token_hash, hex);
		strmap_del(d->by_hash, hex);
		*cur = *dev;
	} else {
		cur = xmalloc(sizeof *cur);
		*cur = *dev;
		d->dev = xgrow(d->dev, &d->cap, d->n + 1, sizeof *d->dev);
		d->dev[d->n++] = cur;
		strmap_put(d->by_ext, cur->ext_id, cur);
	}
	if (!cur->revoked_at) {
		token_hex(cur->token_hash, hex);
		strmap_put(d->by_hash, hex, cur);
	}
	return cur;
}

struct device *devices_by_ext(const struct devices *d, const char *ext_id)
{
	return strmap_get(d->by_ext, ext_id);
}

struct device *devices_by_token(const struct devices *d, const char *token, size_t len)
{
	uint8_t hash[TOKEN_HASH_LEN];
	char hex[TOKEN_HASH_HEX_LEN + 1];
	token_hash(token, len, hash);
	token_hex(hash, hex);
	return strmap_get(d->by_hash, hex);
}

void devices_revoke(struct devices *d, struct device *dev, jt_ms when)
{
	char hex[TOKEN_HASH_HEX_LEN + 1];
	token_hex(dev->token_hash, hex);
	strmap_del(d->by_hash, hex);
	dev->revoked_at = when;
}

size_t devices_count(const struct devices *d)
{
	return d->n;
}

struct device *devices_at(const struct devices *d, size_t i)
{
	return i < d->n ? d->dev[i] : NULL;
}

size_t devices_of_vehicle(const struct devices *d, int vehicle_id)
{
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->dev[i]->vehicle_id == vehicle_id && !d->dev[i]->revoked_at)
			k++;
	return k;
}

void devices_clear_operators(struct devices *d)
{
	d->nops = 0;
}

static void entry_remove(struct operator_entry *e, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(e[i].name, name) == 0) {
			e[i] = e[--*n];
			return;
		}
}

void devices_add_operator(struct devices *d, const uint8_t hash[TOKEN_HASH_LEN], const char *name,
			  enum access_role role)
{
	entry_remove(d->ops, &d->nops, name);
	d->ops = xgrow(d->ops, &d->capops, d->nops + 1, sizeof *d->ops);
	struct operator_entry *e = &d->ops[d->nops++];
	memset(e, 0, sizeof *e);
	memcpy(e->hash, hash, TOKEN_HASH_LEN);
	strlcpy_jt(e->name, name, sizeof e->name);
	e->role = role;
}

void devices_remove_operator(struct devices *d, const char *name)
{
	entry_remove(d->ops, &d->nops, name);
}

static const struct operator_entry *entry_find(const struct operator_entry *e, size_t n,
					       const uint8_t hash[TOKEN_HASH_LEN])
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(e[i].hash, hash, TOKEN_HASH_LEN) == 0)
			return &e[i];
	return NULL;
}

const char *devices_operator(const struct devices *d, const char *token, size_t len)
{
	uint8_t hash[TOKEN_HASH_LEN];
	token_hash(token, len, hash);
	const struct operator_entry *e = entry_find(d->ops, d->nops, hash);
	return e ? e->name : NULL;
}

void devices_clear_clients(struct devices *d)
{
	d->nclients = 0;
}

void devices_add_client(struct devices *d, int id, const uint8_t hash[TOKEN_HASH_LEN], const char *name)
{
	entry_remove(d->clients, &d->nclients, name);
	d->clients = xgrow(d->clients, &d->capclients, d->nclients + 1, sizeof *d->clients);
	struct operator_entry *e = &d->clients[d->nclients++];
	memset(e, 0, sizeof *e);
	memcpy(e->hash, hash, TOKEN_HASH_LEN);
	strlcpy_jt(e->name, name, sizeof e->name);
	e->id = id;
}

void devices_remove_client(struct devices *d, const char *name)
{
	entry_remove(d->clients, &d->nclients, name);
}

bool devices_identify(const struct devices *d, const char *token, size_t len, struct access_cred *c)
{
	memset(c, 0, sizeof *c);
	const struct device *dev = devices_by_token(d, token, len);
	if (dev) {
		c->kind = ACCESS_DEVICE;
		c->id = dev->id;
		c->vehicle_id = dev->vehicle_id;
		strlcpy_jt(c->name, dev->ext_id, sizeof c->name);
		return true;
	}
	uint8_t hash[TOKEN_HASH_LEN];
	token_hash(token, len, hash);
	const struct operator_entry *e = entry_find(d->ops, d->nops, hash);
	if (e) {
		c->kind = ACCESS_OPERATOR;
		c->role = e->role;
	} else if ((e = entry_find(d->clients, d->nclients, hash))) {
		c->kind = ACCESS_CLIENT;
		c->id = e->id;
	} else {
		return false;
	}
	strlcpy_jt(c->name, e->name, sizeof c->name);
	return true;
}
