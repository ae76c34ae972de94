/*
 * pgarray.c — binary PostgreSQL arrays; see pgarray.h.
 *
 * Layout: int32 ndim (1), int32 has-nulls flag, uint32 element type, int32
 * length, int32 lower bound (1), then per element an int32 byte length (-1 for
 * NULL) and the value in network byte order.
 */
#include "pgarray.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define HEADER_LEN 20
/* timestamptz counts microseconds from 2000-01-01 00:00 UTC. */
#define PG_EPOCH_OFFSET_MS 946684800000LL

static uint8_t *room(struct pgarray *a, size_t n)
{
	a->p = xgrow(a->p, &a->cap, a->len + n, 1);
	uint8_t *at = a->p + a->len;
	a->len += n;
	return at;
}

static void put32(uint8_t *at, uint32_t v)
{
	v = htobe32(v);
	memcpy(at, &v, 4);
}

static void put64(uint8_t *at, uint64_t v)
{
	v = htobe64(v);
	memcpy(at, &v, 8);
}

void pgarray_init(struct pgarray *a, uint32_t elem_oid, size_t expected)
{
	memset(a, 0, sizeof *a);
	a->elem_oid = elem_oid;
	a->cap = HEADER_LEN + expected * 12;
	a->p = xmalloc(a->cap);
	a->len = HEADER_LEN;
}

void pgarray_free(struct pgarray *a)
{
	free(a->p);
	a->p = NULL;
}

void pgarray_int2(struct pgarray *a, int16_t v)
{
	uint8_t *at = room(a, 6);
	put32(at, 2);
	uint16_t be = htobe16((uint16_t)v);
	memcpy(at + 4, &be, 2);
	a->count++;
}

void pgarray_int4(struct pgarray *a, int32_t v)
{
	uint8_t *at = room(a, 8);
	put32(at, 4);
	put32(at + 4, (uint32_t)v);
	a->count++;
}

void pgarray_int8(struct pgarray *a, int64_t v)
{
	uint8_t *at = room(a, 12);
	put32(at, 8);
	put64(at + 4, (uint64_t)v);
	a->count++;
}

void pgarray_float8(struct pgarray *a, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, 8);
	pgarray_int8(a, (int64_t)bits);
}

void pgarray_float4_or_null(struct pgarray *a, double v)
{
	if (isnan(v)) {
		put32(room(a, 4), UINT32_MAX); /* length -1: NULL */
		a->has_null = true;
		a->count++;
		return;
	}
	float f = (float)v;
	uint32_t bits;
	memcpy(&bits, &f, 4);
	pgarray_int4(a, (int32_t)bits);
}

void pgarray_timestamptz(struct pgarray *a, jt_ms t)
{
	pgarray_int8(a, (t - PG_EPOCH_OFFSET_MS) * 1000);
}

void pgarray_finish(struct pgarray *a)
{
	put32(a->p, 1);
	put32(a->p + 4, a->has_null ? 1 : 0);
	put32(a->p + 8, a->elem_oid);
	put32(a->p + 12, (uint32_t)a->count);
	put32(a->p + 16, 1);
}
