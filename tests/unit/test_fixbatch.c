/*
 * test_fixbatch.c — the protobuf upload a tablet sends after a dead zone:
 * encode and decode round trips, fixes the batch itself refuses (no seq, no
 * time, no position, repeated seq), batches refused whole (not protobuf, too
 * many fixes, bad device_id), large backlogs, and the reply.
 */
#include <string.h>

#include "check.h"
#include "fix.h"
#include "fixbatch.h"
#include "jintong.pb-c.h"
#include "util.h"

#define T0 INT64_C(1795420800000)

static struct fix make_fix(uint64_t seq, jt_ms t, double lat, double lon)
{
	struct fix f;
	fix_init(&f);
	f.has_seq = true;
	f.seq = seq;
	f.time = t;
	f.lat = lat;
	f.lon = lon;
	return f;
}

static void test_round_trip(void)
{
	struct fix in[3];
	in[0] = make_fix(1, T0, 30.6586, 104.0648);
	in[0].speed = 8.3;
	in[0].heading = 90;
	in[0].altitude = 512.25;
	in[0].accuracy = 4.8;
	in[0].battery = 0.8;
	in[1] = make_fix(2, T0 + 1000, -33.8688, 151.2093);
	in[2] = make_fix(UINT64_MAX, INT64_MIN, 0, 0);
	in[2].speed = INFINITY;
	in[2].heading = -INFINITY;

	size_t len;
	uint8_t *buf = fixbatch_encode("tab-17", in, 3, &len);
	struct fixbatch b;
	char err[128] = "";
	CHECK_INT("decode", fixbatch_decode(buf, len, 100, &b, err, sizeof err), 0);
	CHECK_INT("n", b.n, 3);
	CHECK(b.has_device);
	CHECK_STR("device", b.device, "tab-17");
	for (size_t i = 0; i < b.n && i < 3; i++) {
		const struct fix *f = &b.items[i].fix;
		CHECK_INT("index", b.items[i].index, i);
		CHECK_INT("reason", b.items[i].reason, FIX_OK);
		CHECK_STR("detail", b.items[i].detail, "");
		CHECK_STR("item device", f->device, "tab-17");
		CHECK(f->has_seq);
		CHECK_INT("seq", (long long)f->seq, (long long)in[i].seq);
		CHECK_INT("time", f->time, in[i].time);
		CHECK_DBL("lat", f->lat, in[i].lat);
		CHECK_DBL("lon", f->lon, in[i].lon);
		/* readings travel as float */
		CHECK_DBL("speed", f->speed, (double)(float)in[i].speed);
		CHECK_DBL("heading", f->heading, (double)(float)in[i].heading);
		CHECK_DBL("altitude", f->altitude, (double)(float)in[i].altitude);
		CHECK_DBL("accuracy", f->accuracy, (double)(float)in[i].accuracy);
		CHECK_DBL("battery", f->battery, (double)(float)in[i].battery);
	}
	fixbatch_free(&b);
	CHECK(b.items == NULL && b.n == 0);
	free(buf);

	/* without a device_id, and an empty batch */
	buf = fixbatch_encode(NULL, in, 1, &len);
	CHECK_INT("no device", fixbatch_decode(buf, len, 100, &b, err, sizeof err), 0);
	CHECK(!b.has_device && b.n == 1 && b.items[0].fix.device[0] == '\0');
	fixbatch_free(&b);
	free(buf);
	buf = fixbatch_encode("", NULL, 0, &len);
	CHECK_INT("empty batch length", len, 0);
	CHECK_INT("empty batch", fixbatch_decode(buf, len, 100, &b, err, sizeof err), 0);
	CHECK(!b.has_device && b.n == 0);
	fixbatch_free(&b);
	free(buf);
	CHECK_INT("NULL buffer", fixbatch_decode(NULL, 0, 100, &b, err, sizeof err), 0);
	fixbatch_free(&b);
}

/* Packs a batch built directly, for shapes fixbatch_encode() never makes. */
static uint8_t *pack_raw(Jintong__Fix *fixes, size_t n, size_t *len)
{
	Jintong__FixBatch msg = JINTONG__FIX_BATCH__INIT;
	Jintong__Fix **p = xcalloc(n, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = &fixes[i];
	msg.n_fixes = n;
	msg.fixes = p;
	*len = jintong__fix_batch__get_packed_size(&msg);
	uint8_t *buf = xmalloc(*len);
	jintong__fix_batch__pack(&msg, buf);
	free(p);
	return buf;
}

static void test_item_reasons(void)
{
	Jintong__Fix f[6];
	for (size_t i = 0; i < 6; i++) {
		jintong__fix__init(&f[i]);
		f[i].has_seq = f[i].has_time_ms = f[i].has_lat = f[i].has_lon = true;
		f[i].seq = i + 1;
		f[i].time_ms = T0;
		f[i].lat = 1;
		f[i].lon = 2;
	}
	f[0].has_seq = false;
	f[1].has_time_ms = false;
	f[2].has_lat = false;
	f[3].has_lon = false;
	f[4].has_speed_mps = f[4].has_battery = true;
	f[4].speed_mps = NAN;
	f[4].battery = INFINITY;

	size_t len;
	uint8_t *buf = pack_raw(f, 6, &len);
	struct fixbatch b;
	char err[128];
	CHECK_INT("decode", fixbatch_decode(buf, len, 100, &b, err, sizeof err), 0);
	static const enum fix_reason want[6] = {FIX_MALFORMED,        FIX_MISSING_TIME,
						FIX_MISSING_POSITION, FIX_MISSING_POSITION,
						FIX_OK,               FIX_OK};
	for (size_t i = 0; i < b.n; i++) {
		CHECK_STR("item reason", fix_reason_name(b.items[i].reason),
			  fix_reason_name(want[i]));
		CHECK_MSG("detail when refused", (b.items[i].reason == FIX_OK) ==
						       (b.items[i].detail[0] == '\0'));
	}
	CHECK(!b.items[0].fix.has_seq);
	/* NaN and infinity arrive unchanged, for fix_validate() */
	CHECK(isnan(b.items[4].fix.speed) && isinf(b.items[4].fix.battery));
	CHECK(isnan(b.items[5].fix.speed) && isnan(b.items[5].fix.battery));
	const struct fix_limits lim = {.future_ms = 300000, .max_age_ms = 86400000};
	CHECK_INT("infinite battery", fix_validate(&b.items[4].fix, T0, &lim, NULL, 0),
		  FIX_NOT_FINITE);
	CHECK_INT("good fix", fix_validate(&b.items[5].fix, T0, &lim, NULL, 0), FIX_OK);
	fixbatch_free(&b);
	free(buf);
}

static void test_duplicates(void)
{
	static const uint64_t seqs[] = {5, 3, 5, 5, 3, 7};
	static const enum fix_reason want[] = {FIX_OK,            FIX_OK, FIX_DUPLICATE_SEQ,
					       FIX_DUPLICATE_SEQ, FIX_DUPLICATE_SEQ, FIX_OK};
	struct fix in[JT_ARRAY_LEN(seqs)];
	for (size_t i = 0; i < JT_ARRAY_LEN(seqs); i++)
		in[i] = make_fix(seqs[i], T0, 1, 2);
	size_t len;
	uint8_t *buf = fixbatch_encode("tab-17", in, JT_ARRAY_LEN(in), &len);
	struct fixbatch b;
	char err[128];
	CHECK_INT("decode", fixbatch_decode(buf, len, 100, &b, err, sizeof err), 0);
	for (size_t i = 0; i < b.n; i++)
		CHECK_STR("duplicate", fix_reason_name(b.items[i].reason), fix_reason_name(want[i]));
	CHECK_STR("duplicate detail", b.items[3].detail, "seq 5 already at index 0");
	fixbatch_free(&b);
	free(buf);
}

/* A long backlog, resent in part: every repeat found, quickly. */
static void test_backlog(void)
{
	enum { N = 20000 };
	struct fix *in = xcalloc(N, sizeof *in);
	uint64_t x = 88172645463325252u; /* xorshift: repeatable, no libc rand */
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		in[i] = make_fix(x % (N / 2), T0 - (jt_ms)i * 1000, 30, 104);
	}
	size_t len;
	uint8_t *buf = fixbatch_encode("tab-17", in, N, &len);
	struct fixbatch b;
	char err[128];
	CHECK_INT("decode", fixbatch_decode(buf, len, N, &b, err, sizeof err), 0);
	/* count distinct seqs the slow way, on a bitmap */
	unsigned char *seen = xcalloc(N / 2, 1);
	size_t distinct = 0, dups = 0, wrong = 0;
	for (size_t i = 0; i < b.n; i++) {
		uint64_t s = b.items[i].fix.seq;
		bool first = !seen[s];
		distinct += first;
		seen[s] = 1;
		dups += b.items[i].reason == FIX_DUPLICATE_SEQ;
		wrong += first != (b.items[i].reason == FIX_OK);
	}
	CHECK_INT("n", b.n, N);
	CHECK_INT("duplicates", dups, N - distinct);
	CHECK_INT("first occurrences kept", wrong, 0);
	free(seen);
	fixbatch_free(&b);

	CHECK_INT("over the limit", fixbatch_decode(buf, len, N - 1, &b, err, sizeof err), -1);
	CHECK_MSG(err, strstr(err, "more than") != NULL);
	free(buf);
	free(in);
}

struct bad_case {
	const char *name;
	const char *bytes;
	size_t len;
};

static const struct bad_case bad_cases[] = {
	{"text", "id=tab-17&lat=1", 15},
	{"JSON", "{\"device_id\":\"x\"}", 17},
	{"truncated length", "\x12\x05\x08\x01", 4},
	{"truncated varint", "\x12\x02\x08\x80", 4},
	{"eleven-byte varint", "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12},
	{"field zero", "\x00\x01", 2},
	{"group", "\x13\x14", 2},
	{"wire type 7", "\x17", 1},
	{"fixes as varint", "\x10\x01", 2},
	{"device_id as varint", "\x08\x01", 2},
	{"device_id with NUL", "\x0a\x04ta\0b", 6},
	{"device_id empty", "\x0a\x00", 2},
	{"device_id with space", "\x0a\x06tab 17", 8},
	{"device_id not ASCII", "\x0a\x04t\xc3\xa4\x62", 6},
	{"device_id too long",
	 "\x0a\x41"
	 "a2345678901234567890123456789012345678901234567890123456789012345",
	 67},
	{"fix truncated inside", "\x12\x03\x08\x01\x10", 5},
	{"double truncated", "\x12\x05\x19\x00\x00\x00\x00", 7},
};

static void test_bad(void)
{
	for (size_t i = 0; i < JT_ARRAY_LEN(bad_cases); i++) {
		struct fixbatch b;
		char err[128] = "";
		int rc = fixbatch_decode((const uint8_t *)bad_cases[i].bytes, bad_cases[i].len, 100,
					 &b, err, sizeof err);
		CHECK_INT(bad_cases[i].name, rc, -1);
		CHECK_MSG(bad_cases[i].name, err[0] != '\0');
		CHECK(b.items == NULL && b.n == 0);
	}
	/* unknown fields are skipped; the last device_id is the one that counts */
	static const uint8_t extra[] = {0x78, 0x05, 0x0a, 0x01, 'a', 0x0a, 0x02, 'b', 'c'};
	struct fixbatch b;
	CHECK_INT("unknown field", fixbatch_decode(extra, sizeof extra, 100, &b, NULL, 0), 0);
	CHECK_STR("last device_id", b.device, "bc");
	fixbatch_free(&b);
	static const uint8_t nul_first[] = {0x0a, 0x02, 'a', 0, 0x0a, 0x02, 'b', 'c'};
	CHECK_INT("NUL in an earlier device_id",
		  fixbatch_decode(nul_first, sizeof nul_first, 100, &b, NULL, 0), 0);
	CHECK_STR("kept device_id", b.device, "bc");
	fixbatch_free(&b);
	static const uint8_t nul_last[] = {0x0a, 0x02, 'b', 'c', 0x0a, 0x02, 'a', 0};
	CHECK_INT("NUL in the last device_id",
		  fixbatch_decode(nul_last, sizeof nul_last, 100, &b, NULL, 0), -1);
}

static void test_reply(void)
{
	struct fixbatch_reply *r = fixbatch_reply_new();
	fixbatch_reply_stored(r, 1);
	fixbatch_reply_stored(r, UINT64_MAX);
	fixbatch_reply_reject(r, 2, true, 9, FIX_OUT_OF_RANGE, "latitude 91 outside -90..90");
	fixbatch_reply_reject(r, 3, false, 0, FIX_MALFORMED, NULL);
	fixbatch_reply_reject(r, 4, true, 10, FIX_BAD_DEVICE, "tab\n\xff\x01");
	size_t len;
	uint8_t *buf = fixbatch_reply_pack(r, &len);
	fixbatch_reply_free(r);

	Jintong__FixBatchReply *m = jintong__fix_batch_reply__unpack(NULL, len, buf);
	CHECK(m != NULL);
	if (m) {
		CHECK_INT("stored", m->n_stored, 2);
		CHECK_INT("stored[0]", (long long)m->stored[0], 1);
		CHECK(m->stored[1] == UINT64_MAX);
		CHECK_INT("rejected", m->n_rejected, 3);
		const Jintong__RejectedFix *x = m->rejected[0];
		CHECK(x->has_seq && x->seq == 9 && x->has_index && x->index == 2);
		CHECK_STR("reason", x->reason, "out_of_range");
		CHECK_STR("detail", x->detail, "latitude 91 outside -90..90");
		x = m->rejected[1];
		CHECK(!x->has_seq && x->index == 3);
		CHECK_STR("reason", x->reason, "malformed");
		CHECK_STR("NULL detail", x->detail, "");
		CHECK_STR("sanitised detail", m->rejected[2]->detail, "tab???");
		jintong__fix_batch_reply__free_unpacked(m, NULL);
	}
	free(buf);

	/* an empty reply packs to nothing and is still a reply */
	r = fixbatch_reply_new();
	buf = fixbatch_reply_pack(r, &len);
	CHECK_INT("empty reply", len, 0);
	free(buf);
	fixbatch_reply_free(r);
	fixbatch_reply_free(NULL);
}

int main(void)
{
	test_round_trip();
	test_item_reasons();
	test_duplicates();
	test_backlog();
	test_bad();
	test_reply();
	return check_done("test_fixbatch");
}
