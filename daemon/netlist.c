/*
 * netlist.c — IPv4/IPv6 network membership; see netlist.h.
 */
#include "netlist.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct net {
	int family;
	unsigned char addr[16];
	int prefix;
};

struct netlist {
	struct net *v;
	size_t n, cap;
};

static bool prefix_match(const unsigned char *a, const unsigned char *b, int prefix)
{
	int bytes = prefix / 8, bits = prefix % 8;
	if (memcmp(a, b, (size_t)bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - bits));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

struct netlist *netlist_parse(const char *spec, char *err, size_t errlen)
{
	struct netlist *nl = xcalloc(1, sizeof *nl);
	char *copy = xstrdup(spec ? spec : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		struct net n = { 0 };
		char *slash = strchr(tok, '/');
		if (slash)
			*slash = '\0';
		if (inet_pton(AF_INET, tok, n.addr) == 1) {
			n.family = AF_INET;
			n.prefix = 32;
		} else if (inet_pton(AF_INET6, tok, n.addr) == 1) {
			n.family = AF_INET6;
			n.prefix = 128;
		} else {
			snprintf(err, errlen, "'%s' is not an IP address", tok);
			goto fail;
		}
		if (slash) {
			char *end;
			long p = strtol(slash + 1, &end, 10);
			if (*end || end == slash + 1 || p < 0 || p > n.prefix) {
				snprintf(err, errlen, "'%s' has a bad prefix length", slash + 1);
				goto fail;
			}
			n.prefix = (int)p;
		}
		nl->v = xgrow(nl->v, &nl->cap, nl->n + 1, sizeof *nl->v);
		nl->v[nl->n++] = n;
	}
	free(copy);
	return nl;
fail:
	free(copy);
	netlist_free(nl);
	return NULL;
}

void netlist_free(struct netlist *nl)
{
	if (!nl)
		return;
	free(nl->v);
	free(nl);
}

bool netlist_empty(const struct netlist *nl)
{
	return !nl || nl->n == 0;
}

bool netlist_contains(const struct netlist *nl, const char *addr)
{
	unsigned char a4[4], a6[16];
	bool is4 = inet_pton(AF_INET, addr, a4) == 1;
	bool is6 = !is4 && inet_pton(AF_INET6, addr, a6) == 1;
	if (is6 && memcmp(a6, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memcpy(a4, a6 + 12, 4); /* IPv4-mapped */
		is4 = true;
		is6 = false;
	}
	for (size_t i = 0; i < nl->n; i++) {
		const struct net *n = &nl->v[i];
		if (is4 && n->family == AF_INET && prefix_match(a4, n->addr, n->prefix))
			return true;
		if (is6 && n->family == AF_INET6 && prefix_match(a6, n->addr, n->prefix))
			return true;
	}
	return false;
}
