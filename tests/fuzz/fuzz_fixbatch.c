/*
 * fuzz_fixbatch.c — hostile protobuf uploads to /v1/fixes. Each decoded batch
 * goes the whole way a real one does: every fix validated, a reply built,
 * packed and read back. The fixes the batch accepted are then encoded again
 * and must decode to the same values, all still accepted.
 */
#include "fuzz.h"

#include "fix.h"
#include "fixbatch.h"
#include "jintong.pb-c.h"
#include "util.h"

#define NOW INT64_C(1795420800000)
#define MAX_FIXES 1000

static bool same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Accepted fixes, encoded again, decode to themselves and are all accepted
 * again (which also shows no two of them shared a seq). */
static void check_reencode(const struct fixbatch *b)
{
	struct fix *keep = xcalloc(b->n, sizeof *keep);
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct fix *f = &b->items[i].fix;
		/* the encoder leaves NaN positions out, so those cannot come back */
		if (b->items[i].reason == FIX_OK && !isnan(f->lat) && !isnan(f->lon))
			keep[n++] = *f;
	}
	size_t len;
	uint8_t *buf = fixbatch_encode(b->has_device ? b->device : NULL, keep, n, &len);
	struct fixbatch again;
	char err[128];
	FUZZ_ASSERT(fixbatch_decode(buf, len, MAX_FIXES, &again, err, sizeof err) == 0);
	FUZZ_ASSERT(again.n == n && again.has_device == b->has_device);
	for (size_t i = 0; i < n; i++) {
		const struct fix *x = &keep[i], *y = &again.items[i].fix;
		FUZZ_ASSERT(again.items[i].reason == FIX_OK);
		FUZZ_ASSERT(strcmp(x->device, y->device) == 0 && x->seq == y->seq &&
			    x->time == y->time);
		FUZZ_ASSERT(same_double(x->lat, y->lat) && same_double(x->lon, y->lon) &&
			    same_double(x->speed, y->speed) && same_double(x->heading, y->heading) &&
			    same_double(x->altitude, y->altitude) &&
			    same_double(x->accuracy, y->accuracy) &&
			    same_double(x->battery, y->battery));
	}
	fixbatch_free(&again);
	free(buf);
	free(keep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixbatch b;
	char err[128];
	memset(err, 0x5a, sizeof err);
	if (fixbatch_decode(data, size, MAX_FIXES, &b, err, sizeof err) != 0) {
		FUZZ_ASSERT(fuzz_detail_ok(err, sizeof err) && err[0]);
		FUZZ_ASSERT(b.n == 0 && b.items == NULL);
		return 0;
	}
	FUZZ_ASSERT(b.n <= MAX_FIXES);
	if (b.has_device)
		FUZZ_ASSERT(fix_device_id_valid(b.device, strlen(b.device)));
	else
		FUZZ_ASSERT(b.device[0] == '\0');

	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = INT64_C(30) * 86400000};
	struct fixbatch_reply *reply = fixbatch_reply_new();
	size_t stored = 0, rejected = 0;
	for (size_t i = 0; i < b.n; i++) {
		struct fixbatch_item *it = &b.items[i];
		FUZZ_ASSERT(it->index == i);
		FUZZ_ASSERT(strcmp(it->fix.device, b.device) == 0);
		FUZZ_ASSERT(fuzz_detail_ok(it->detail, sizeof it->detail));
		FUZZ_ASSERT((it->reason == FIX_OK) == (it->detail[0] == '\0'));
		FUZZ_ASSERT(it->reason == FIX_OK || it->reason == FIX_MALFORMED ||
			    it->reason == FIX_MISSING_TIME || it->reason == FIX_MISSING_POSITION ||
			    it->reason == FIX_DUPLICATE_SEQ);
		FUZZ_ASSERT(it->reason != FIX_OK || it->fix.has_seq);
		char detail[128];
		enum fix_reason r = it->reason;
		if (r == FIX_OK)
			r = fix_validate(&it->fix, NOW, &lim, detail, sizeof detail);
		else
			strlcpy_jt(detail, it->detail, sizeof detail);
		if (r == FIX_OK) {
			fixbatch_reply_stored(reply, it->fix.seq);
			stored++;
		} else {
			fixbatch_reply_reject(reply, it->index, it->fix.has_seq, it->fix.seq, r, detail);
			rejected++;
		}
	}
	size_t len;
	uint8_t *packed = fixbatch_reply_pack(reply, &len);
	fixbatch_reply_free(reply);
	Jintong__FixBatchReply *m = jintong__fix_batch_reply__unpack(NULL, len, packed);
	FUZZ_ASSERT(m && m->n_stored == stored && m->n_rejected == rejected);
	jintong__fix_batch_reply__free_unpacked(m, NULL);
	free(packed);

	check_reencode(&b);
	fixbatch_free(&b);
	return 0;
}
