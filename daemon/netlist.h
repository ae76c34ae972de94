/*
 * netlist.h — a list of IP networks ("10.0.0.0/8, 2001:db8::/32"), used to
 * admit tracking apps only from the carrier's or the county's networks.
 */
#ifndef JINTONG_NETLIST_H
#define JINTONG_NETLIST_H

#include <stdbool.h>
#include <stddef.h>

struct netlist;

/* Parses a comma- or space-separated list; NULL with err set when malformed. An empty list admits everyone. */
struct netlist *netlist_parse(const char *spec, char *err, size_t errlen);
void netlist_free(struct netlist *nl);
bool netlist_empty(const struct netlist *nl);
/* Is the textual address (as evhttp reports the peer) inside one of the networks? */
bool netlist_contains(const struct netlist *nl, const char *addr);

#endif
