/*
 * fixbatch.h — Jintong's own upload format: a protobuf jintong.FixBatch of
 * many fixes from one tablet (a live fix, or a backlog after a dead zone),
 * answered by a jintong.FixBatchReply listing each fix as stored or rejected.
 *
 * Decoding judges the batch's structure only (sequence numbers, presence of
 * time and position, duplicates); each decoded fix must still pass
 * fix_validate() and the device check before it is stored.
 */
#ifndef JINTONG_FIXBATCH_H
#define JINTONG_FIXBATCH_H

#include "core.h"

struct fixbatch_item {
	struct fix fix;
	enum fix_reason reason; /* FIX_OK, or why the batch itself refuses this fix */
	char detail[96];        /* for people; empty when reason is FIX_OK */
	uint32_t index;         /* position in the batch, from 0 */
};

struct fixbatch {
	char device[JT_DEVICE_ID_MAX + 1]; /* the batch's device_id, if any */
	bool has_device;
	size_t n;
	struct fixbatch_item *items;
};

/*
 * Decodes a FixBatch. -1 with err when the bytes are not a FixBatch at all,
 * hold more than max_fixes fixes, or carry an invalid device_id; otherwise 0,
 * and each item carries its own reason (FIX_OK; FIX_MALFORMED without seq;
 * FIX_MISSING_TIME; FIX_MISSING_POSITION; FIX_DUPLICATE_SEQ for every fix
 * after the first with the same seq). item.fix.device is the batch's
 * device_id when present, else empty. On success free *out with
 * fixbatch_free(); on failure *out holds nothing to free. err may be NULL
 * when errlen is 0.
 */
int fixbatch_decode(const uint8_t *buf, size_t len, size_t max_fixes, struct fixbatch *out,
		    char *err, size_t errlen) JT_MUST_CHECK;
void fixbatch_free(struct fixbatch *b);

/* Builds the FixBatchReply: stored seqs and rejected fixes, in call order. */
struct fixbatch_reply;
struct fixbatch_reply *fixbatch_reply_new(void);
void fixbatch_reply_stored(struct fixbatch_reply *r, uint64_t seq);
/* detail may be NULL; it is copied (at most 255 bytes, non-printable bytes
 * replaced) so the reply is always valid UTF-8. */
void fixbatch_reply_reject(struct fixbatch_reply *r, uint32_t index, bool has_seq, uint64_t seq,
			   enum fix_reason reason, const char *detail);
/* The packed reply, xmalloc'd; the caller frees it. */
uint8_t *fixbatch_reply_pack(const struct fixbatch_reply *r, size_t *len);
void fixbatch_reply_free(struct fixbatch_reply *r);

/*
 * For simulators and tests: encodes fixes as a FixBatch (xmalloc'd). device
 * may be NULL or empty to leave device_id out. seq is sent when has_seq;
 * lat, lon and the optional readings when not NAN; time always.
 */
uint8_t *fixbatch_encode(const char *device, const struct fix *fixes, size_t n, size_t *len);

#endif
