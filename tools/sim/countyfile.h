/*
 * countyfile.h — a generated county rebuilt from the directory
 * `jintong-county generate` wrote: its county.json records the seed, scale,
 * first day and number of days, and the generator makes the same county
 * from them, byte for byte (gen.h), so the tools that study a county (the
 * day's demand, the comparison of dispatch policies, the yardsticks) work
 * on exactly what was imported into the daemon.
 */
#ifndef JINTONG_SIM_COUNTYFILE_H
#define JINTONG_SIM_COUNTYFILE_H

#include <stddef.h>

#include "gen.h"

/* Reads DIR/county.json's parameters into *p: 0, or -1 with why in err. */
int countyfile_params(const char *dir, struct gen_params *p, char *err, size_t errlen);
/* countyfile_params(), then gen_county_build() into *c: 0, or -1 with err. */
int countyfile_load(const char *dir, struct gen_county *c, char *err, size_t errlen);

#endif
