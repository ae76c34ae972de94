/*
 * table.h — text for an operator's terminal: aligned tables, display widths
 * of UTF-8 text (a Chinese character takes two columns) and cleaning of text
 * that came from the daemon, so a name can never move the cursor or change
 * the terminal's colours.
 */
#ifndef JINTONG_CLI_TABLE_H
#define JINTONG_CLI_TABLE_H

#include "core.h"

#include <stdio.h>

/*
 * Decodes one UTF-8 sequence at s (s[0] != '\0'). Stores the code point and
 * returns the bytes used; returns -1 on an invalid, overlong or truncated
 * sequence or a surrogate (the caller treats one byte as unreadable).
 */
int table_utf8_next(const char *s, uint32_t *cp);

/* Columns a code point takes: 0 (combining, zero-width), 1, or 2 (wide: CJK, fullwidth). */
int table_cp_width(uint32_t cp);

/* Columns text takes once cleaned (unreadable bytes and controls count 1). */
size_t table_width(const char *s);

/*
 * Copy of s safe to print: controls (C0, DEL, C1) and unreadable bytes become
 * '?'. Never NULL; the caller frees it. NULL in gives "".
 */
char *table_clean(const char *s);

enum table_align { TABLE_LEFT, TABLE_RIGHT };

struct table;

/* A table with the given headers; right-align numbers. */
struct table *table_new(size_t ncols, const char *const *headers, const enum table_align *align);
/* Appends a row of ncols cells (copied and cleaned; NULL shows as "-"). */
void table_add(struct table *t, const char *const *cells);
size_t table_rows(const struct table *t);
/* Width of column i in display columns (header included). */
size_t table_col_width(const struct table *t, size_t col);
/* Prints header and rows, columns two spaces apart, each line after `indent` spaces. */
void table_print(const struct table *t, FILE *f, int indent);
void table_free(struct table *t);

#endif
