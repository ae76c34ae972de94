/*
 * log.h — one logging API for operators: a level, an event name, and
 * key=value fields. Cheap when the level is off (the macro tests first).
 *
 *   log_info("fix.stored", "device=%s count=%zu", dev, n);
 *
 * prints
 *
 *   2026-11-23T08:00:00.123Z info fix.stored device=tab-17 count=12
 *
 * Never pass a token or other secret.
 */
#ifndef JINTONG_LOG_H
#define JINTONG_LOG_H

#include "core.h"

enum log_level { JT_LOG_ERROR, JT_LOG_WARN, JT_LOG_INFO, JT_LOG_DEBUG };

extern enum log_level log_threshold;

void log_set_level(enum log_level l);
/* Parses "error", "warn", "info", "debug"; returns -1 if unknown. */
int log_level_parse(const char *s, enum log_level *out) JT_MUST_CHECK;
/* Sends lines to syslog instead of stderr when on. */
void log_use_syslog(bool on, const char *ident);
void log_emit(enum log_level l, const char *event, const char *fmt, ...) JT_PRINTF(3, 4);

#define log_at(l, ev, ...) \
	do { \
		if ((l) <= log_threshold) \
			log_emit((l), (ev), __VA_ARGS__); \
	} while (0)
#define log_error(ev, ...) log_at(JT_LOG_ERROR, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_at(JT_LOG_WARN, ev, __VA_ARGS__)
#define log_info(ev, ...) log_at(JT_LOG_INFO, ev, __VA_ARGS__)
#define log_debug(ev, ...) log_at(JT_LOG_DEBUG, ev, __VA_ARGS__)

#endif
