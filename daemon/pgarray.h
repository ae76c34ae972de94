/*
 * pgarray.h — one-dimensional PostgreSQL arrays in the binary wire format
 * (what array_send() produces), so a group of fixes goes to the server as a
 * few parameters it reads without parsing text: no float formatting here,
 * no float8in() there. Pure: no libpq needed.
 */
#ifndef JINTONG_PGARRAY_H
#define JINTONG_PGARRAY_H

#include "core.h"

/* Element type OIDs (pg_type.oid), and the OIDs of their array types. */
#define PG_INT2 21
#define PG_INT4 23
#define PG_INT8 20
#define PG_FLOAT4 700
#define PG_FLOAT8 701
#define PG_TIMESTAMPTZ 1184
#define PG_INT2_ARRAY 1005
#define PG_INT4_ARRAY 1007
#define PG_INT8_ARRAY 1016
#define PG_FLOAT4_ARRAY 1021
#define PG_FLOAT8_ARRAY 1022
#define PG_TIMESTAMPTZ_ARRAY 1185

struct pgarray {
	uint8_t *p;
	size_t len, cap;
	uint32_t elem_oid;
	int32_t count;
	bool has_null;
};

void pgarray_init(struct pgarray *a, uint32_t elem_oid, size_t expected);
void pgarray_free(struct pgarray *a);
void pgarray_int2(struct pgarray *a, int16_t v);
void pgarray_int4(struct pgarray *a, int32_t v);
void pgarray_int8(struct pgarray *a, int64_t v);
void pgarray_float8(struct pgarray *a, double v);
/* NAN is stored as NULL: the unknown optional values of a fix. */
void pgarray_float4_or_null(struct pgarray *a, double v);
/* Milliseconds since the Unix epoch, as timestamptz. */
void pgarray_timestamptz(struct pgarray *a, jt_ms t);
/* Writes the header; the bytes are a->p[0 .. a->len). */
void pgarray_finish(struct pgarray *a);

#endif
