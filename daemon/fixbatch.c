/*
 * fixbatch.c — decoding a tablet's protobuf FixBatch and building the
 * FixBatchReply that tells it which fixes it may delete.
 *
 * A tablet that drove through a dead zone uploads its whole backlog at once,
 * so a batch may hold thousands of fixes, in any order, some of them resent.
 * Before protobuf-c allocates anything, one pass over the top level of the
 * message counts the fixes (refusing batches over the limit without building
 * them) and measures device_id on the wire, so an identifier with an embedded
 * NUL cannot pass as a shorter one. Duplicate sequence numbers are found by
 * sorting, so a large batch costs O(n log n).
 *
 * Readings the proto carries as float become double unchanged: NaN and
 * infinity stay what they are, for fix_validate() to refuse.
 */
#include "fixbatch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "jintong.pb-c.h"
#include "util.h"

/* Longest detail copied into a reply. */
#define REPLY_DETAIL_MAX 255

static int fail(char *err, size_t errlen, const char *fmt, ...) JT_PRINTF(3, 4);

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- a first look at the wire ----------------------------------------- */

static bool read_varint(const uint8_t *buf, size_t len, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return false;
		uint8_t b = buf[(*pos)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false; /* more than ten bytes */
}

struct wire_summary {
	size_t n_fixes;
	bool has_device;
	size_t device_len; /* of the last device_id, which is the one kept */
};

/*
 * Walks the top-level fields of a FixBatch without decoding them. Stops
 * early once more than max_fixes fixes are seen.
 */
static int wire_scan(const uint8_t *buf, size_t len, size_t max_fixes, struct wire_summary *ws)
{
	size_t pos = 0;
	*ws = (struct wire_summary){0};
	while (pos < len) {
		uint64_t key, v;
		if (!read_varint(buf, len, &pos, &key))
			return -1;
		uint64_t field = key >> 3;
		if (field == 0)
			return -1;
		switch (key & 7) {
		case 0: /* varint */
			if (!read_varint(buf, len, &pos, &v))
				return -1;
			break;
		case 1: /* 64-bit */
			if (len - pos < 8)
				return -1;
			pos += 8;
			break;
		case 2: /* length-delimited */
			if (!read_varint(buf, len, &pos, &v) || v > len - pos)
				return -1;
			pos += (size_t)v;
			if (field == 1) {
				ws->has_device = true;
				ws->device_len = (size_t)v;
			}
			break;
		case 5: /* 32-bit */
			if (len - pos < 4)
				return -1;
			pos += 4;
			break;
		default: /* groups and undefined wire types */
			return -1;
		}
		if (field == 2 && ++ws->n_fixes > max_fixes)
			return 0;
	}
	return 0;
}

/* ---- decoding --------------------------------------------------------- */

struct seq_ref {
	uint64_t seq;
	uint32_t index;
};

static int seq_ref_cmp(const void *a, const void *b)
{
	const struct seq_ref *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Marks every fix whose seq already appeared earlier in the batch. */
static void mark_duplicates(struct fixbatch *b)
{
	struct seq_ref *refs = xcalloc(b->n, sizeof *refs);
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->items[i].fix.has_seq)
			refs[n++] = (struct seq_ref){b->items[i].fix.seq, b->items[i].index};
	if (n > 1)
		qsort(refs, n, sizeof *refs, seq_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		if (refs[i].seq != refs[i - 1].seq)
			continue;
		struct fixbatch_item *it = &b->items[refs[i].index];
		if (it->reason == FIX_OK) {
			it->reason = FIX_DUPLICATE_SEQ;
			snprintf(it->detail, sizeof it->detail, "seq %llu already at index %u",
				 (unsigned long long)refs[i].seq, refs[i - 1].index);
		}
		refs[i].index = refs[i - 1].index; /* name the first occurrence */
	}
	free(refs);
}

static double optional_float(protobuf_c_boolean has, float v)
{
	return has ? (double)v : NAN;
}

static void item_from_wire(struct fixbatch_item *it, const Jintong__Fix *pf, const char *device,
			   uint32_t index)
{
	struct fix *f = &it->fix;
	fix_init(f);
	strlcpy_jt(f->device, device, sizeof f->device);
	it->index = index;
	it->reason = FIX_OK;
	it->detail[0] = '\0';

	f->has_seq = pf->has_seq;
	f->seq = pf->has_seq ? pf->seq : 0;
	if (pf->has_time_ms)
		f->time = pf->time_ms;
	if (pf->has_lat)
		f->lat = pf->lat;
	if (pf->has_lon)
		f->lon = pf->lon;
	f->speed = optional_float(pf->has_speed_mps, pf->speed_mps);
	f->heading = optional_float(pf->has_heading_deg, pf->heading_deg);
	f->altitude = optional_float(pf->has_altitude_m, pf->altitude_m);
	f->accuracy = optional_float(pf->has_accuracy_m, pf->accuracy_m);
	f->battery = optional_float(pf->has_battery, pf->battery);

	if (!pf->has_seq) {
		it->reason = FIX_MALFORMED;
		strlcpy_jt(it->detail, "fix without seq", sizeof it->detail);
	} else if (!pf->has_time_ms) {
		it->reason = FIX_MISSING_TIME;
		strlcpy_jt(it->detail, "fix without time_ms", sizeof it->detail);
	} else if (!pf->has_lat || !pf->has_lon) {
		it->reason = FIX_MISSING_POSITION;
		strlcpy_jt(it->detail, pf->has_lat ? "fix without lon" : "fix without lat",
			   sizeof it->detail);
	}
}

int fixbatch_decode(const uint8_t *buf, size_t len, size_t max_fixes, struct fixbatch *out,
		    char *err, size_t errlen)
{
	struct wire_summary ws;
	*out = (struct fixbatch){0};
	if (max_fixes > UINT32_MAX)
		max_fixes = UINT32_MAX; /* indexes in the reply are 32-bit */
	static const uint8_t nothing[1];
	if (!buf) {
		if (len)
			return fail(err, errlen, "no bytes");
		buf = nothing;
	}
	if (wire_scan(buf, len, max_fixes, &ws) < 0)
		return fail(err, errlen, "not a FixBatch");
	if (ws.n_fixes > max_fixes)
		return fail(err, errlen, "batch holds more than %zu fixes", max_fixes);

	Jintong__FixBatch *pb = jintong__fix_batch__unpack(NULL, len, buf);
	if (!pb)
		return fail(err, errlen, "not a FixBatch");
	int rc = 0;
	if (pb->device_id) {
		size_t n = strlen(pb->device_id);
		if (!ws.has_device || n != ws.device_len)
			rc = fail(err, errlen, "device_id contains a NUL byte");
		else if (n == 0)
			rc = fail(err, errlen, "device_id is empty");
		else if (!fix_device_id_valid(pb->device_id, n))
			rc = fail(err, errlen, "device_id must be 1..%d printable ASCII characters",
				  JT_DEVICE_ID_MAX);
		else {
			memcpy(out->device, pb->device_id, n + 1);
			out->has_device = true;
		}
	}
	if (rc == 0 && pb->n_fixes > max_fixes) /* the scan should have caught it */
		rc = fail(err, errlen, "batch holds more than %zu fixes", max_fixes);
	if (rc < 0) {
		jintong__fix_batch__free_unpacked(pb, NULL);
		*out = (struct fixbatch){0};
		return rc;
	}

	out->n = pb->n_fixes;
	out->items = xcalloc(out->n, sizeof *out->items);
	for (size_t i = 0; i < out->n; i++)
		item_from_wire(&out->items[i], pb->fixes[i], out->device, (uint32_t)i);
	jintong__fix_batch__free_unpacked(pb, NULL);
	mark_duplicates(out);
	return 0;
}

void fixbatch_free(struct fixbatch *b)
{
	if (!b)
		return;
	free(b->items);
	*b = (struct fixbatch){0};
}

/* ---- the reply -------------------------------------------------------- */

struct rejection {
	uint32_t index;
	bool has_seq;
	uint64_t seq;
	enum fix_reason reason;
	char *detail;
};

struct fixbatch_reply {
	uint64_t *stored;
	size_t n_stored, cap_stored;
	struct rejection *rejected;
	size_t n_rejected, cap_rejected;
};

struct fixbatch_reply *fixbatch_reply_new(void)
{
	return xcalloc(1, sizeof(struct fixbatch_reply));
}

void fixbatch_reply_stored(struct fixbatch_reply *r, uint64_t seq)
{
	r->stored = xgrow(r->stored, &r->cap_stored, r->n_stored + 1, sizeof *r->stored);
	r->stored[r->n_stored++] = seq;
}

/* A copy of a detail that is safe to put in a protobuf string. */
static char *printable_copy(const char *s)
{
	size_t n = s ? strnlen(s, REPLY_DETAIL_MAX) : 0;
	char *p = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		p[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	p[n] = '\0';
	return p;
}

void fixbatch_reply_reject(struct fixbatch_reply *r, uint32_t index, bool has_seq, uint64_t seq,
			   enum fix_reason reason, const char *detail)
{
	r->rejected = xgrow(r->rejected, &r->cap_rejected, r->n_rejected + 1, sizeof *r->rejected);
	r->rejected[r->n_rejected++] = (struct rejection){
		.index = index,
		.has_seq = has_seq,
		.seq = has_seq ? seq : 0,
		.reason = reason,
		.detail = printable_copy(detail),
	};
}

uint8_t *fixbatch_reply_pack(const struct fixbatch_reply *r, size_t *len)
{
	Jintong__FixBatchReply msg = JINTONG__FIX_BATCH_REPLY__INIT;
	Jintong__RejectedFix *rej = xcalloc(r->n_rejected, sizeof *rej);
	Jintong__RejectedFix **rejp = xcalloc(r->n_rejected, sizeof *rejp);
	for (size_t i = 0; i < r->n_rejected; i++) {
		const struct rejection *x = &r->rejected[i];
		jintong__rejected_fix__init(&rej[i]);
		rej[i].has_seq = x->has_seq;
		rej[i].seq = x->seq;
		/* protobuf-c only reads these while packing. */
		rej[i].reason = (char *)(uintptr_t)fix_reason_name(x->reason);
		rej[i].detail = x->detail;
		rej[i].has_index = true;
		rej[i].index = x->index;
		rejp[i] = &rej[i];
	}
	msg.n_stored = r->n_stored;
	msg.stored = r->stored;
	msg.n_rejected = r->n_rejected;
	msg.rejected = rejp;

	size_t n = jintong__fix_batch_reply__get_packed_size(&msg);
	uint8_t *out = xmalloc(n);
	size_t packed = jintong__fix_batch_reply__pack(&msg, out);
	if (packed != n)
		fatal("FixBatchReply packed to %zu bytes, expected %zu", packed, n);
	free(rejp);
	free(rej);
	*len = n;
	return out;
}

void fixbatch_reply_free(struct fixbatch_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_rejected; i++)
		free(r->rejected[i].detail);
	free(r->rejected);
	free(r->stored);
	free(r);
}

/* ---- encoding, for simulators and tests ------------------------------- */

static void set_optional_float(protobuf_c_boolean *has, float *dst, double v)
{
	*has = !isnan(v);
	*dst = *has ? (float)v : 0;
}

uint8_t *fixbatch_encode(const char *device, const struct fix *fixes, size_t n, size_t *len)
{
	Jintong__FixBatch msg = JINTONG__FIX_BATCH__INIT;
	Jintong__Fix *pf = xcalloc(n, sizeof *pf);
	Jintong__Fix **pfp = xcalloc(n, sizeof *pfp);
	for (size_t i = 0; i < n; i++) {
		const struct fix *f = &fixes[i];
		jintong__fix__init(&pf[i]);
		pf[i].has_seq = f->has_seq;
		pf[i].seq = f->seq;
		pf[i].has_time_ms = true;
		pf[i].time_ms = f->time;
		pf[i].has_lat = !isnan(f->lat);
		pf[i].lat = f->lat;
		pf[i].has_lon = !isnan(f->lon);
		pf[i].lon = f->lon;
		set_optional_float(&pf[i].has_speed_mps, &pf[i].speed_mps, f->speed);
		set_optional_float(&pf[i].has_heading_deg, &pf[i].heading_deg, f->heading);
		set_optional_float(&pf[i].has_altitude_m, &pf[i].altitude_m, f->altitude);
		set_optional_float(&pf[i].has_accuracy_m, &pf[i].accuracy_m, f->accuracy);
		set_optional_float(&pf[i].has_battery, &pf[i].battery, f->battery);
		pfp[i] = &pf[i];
	}
	if (device && *device)
		msg.device_id = (char *)(uintptr_t)device; /* only read while packing */
	msg.n_fixes = n;
	msg.fixes = pfp;

	size_t size = jintong__fix_batch__get_packed_size(&msg);
	uint8_t *out = xmalloc(size);
	size_t packed = jintong__fix_batch__pack(&msg, out);
	if (packed != size)
		fatal("FixBatch packed to %zu bytes, expected %zu", packed, size);
	free(pfp);
	free(pf);
	*len = size;
	return out;
}
