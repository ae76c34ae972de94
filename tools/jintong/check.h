/*
 * check.h — what the daemon would refuse, refused here first, so an operator
 * hears about a typo before anything crosses the network. The rules are the
 * database's (sql/001_fleet.sql); keep them in step.
 */
#ifndef JINTONG_CLI_CHECK_H
#define JINTONG_CLI_CHECK_H

#include "core.h"

/* Vehicle codes: ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$ ("BUS-01"). */
#define CHECK_CODE_MAX 32
bool check_code(const char *s);

/* Device identifiers: 1 to 64 printable ASCII characters, no spaces. */
bool check_device_id(const char *s);

/*
 * Vehicle names: valid UTF-8 without control characters, 1 to 128 bytes (the
 * daemon's limit: about 40 Chinese characters).
 */
#define CHECK_NAME_MAX 128
bool check_name(const char *s);

/*
 * A whole number written in decimal digits only (no sign, point, exponent or
 * spaces) within [min, max]. Stores it and returns true, else false.
 */
bool check_whole(const char *s, long min, long max, long *out) JT_MUST_CHECK;

/* A daemon address: http:// or https:// followed by a host. */
bool check_url(const char *s);

/* An operator token can go into an HTTP header: printable ASCII, no spaces. */
bool check_token(const char *s);

#endif
