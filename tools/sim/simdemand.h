/*
 * simdemand.h — the villagers of the fleet simulator's county booking their
 * day's rides while the vehicles drive (jintong-sim --demand SEED): the
 * county rebuilt from its directory, the day's requests (demandgen.h) and a
 * booking client (booker.h) on the simulator's event loop and clock. Kept
 * apart from sim.c so the simulator only starts it, pumps it on its tick,
 * shows its progress and ends it.
 */
#ifndef JINTONG_SIM_SIMDEMAND_H
#define JINTONG_SIM_SIMDEMAND_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"

struct event_base;
struct simdemand;

/* NULL (with why on stderr) when the county or its day cannot be had. */
struct simdemand *simdemand_start(struct event_base *base, const char *county_dir, jt_day day, uint64_t seed,
				  const char *host, int port, const char *token, double (*clock)(void *ctx),
				  void *clock_ctx);
void simdemand_pump(struct simdemand *d);
/* The progress fragment for the status line ("" without demand). */
void simdemand_progress(const struct simdemand *d, char *buf, size_t len);
/* Prints the day's booking figures and frees everything (NULL: nothing). */
void simdemand_end(struct simdemand *d);

#endif
