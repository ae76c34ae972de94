/*
 * The token bucket of the request rate limits: a burst, then the steady rate,
 * the wait it announces, a clock that goes back, and no limit at rate 0.
 */
#include "bucket.h"
#include "check.h"

#define EQ(got, want) CHECK_INT(#got, (long long)(got), (long long)(want))
#define SEQ(got, want) CHECK_STR(#got, (got), (want))

int main(void)
{
	struct bucket b;
	const jt_ms t0 = 1700000000000;

	/* Burst of 3 at 2 a second: three at once, the fourth waits half a second. */
	bucket_init(&b, 3, t0);
	EQ(bucket_take(&b, 2, 3, t0), 0);
	EQ(bucket_take(&b, 2, 3, t0), 0);
	EQ(bucket_take(&b, 2, 3, t0), 0);
	EQ(bucket_take(&b, 2, 3, t0), 500);
	/* A refused request takes nothing: still 500 ms to wait. */
	EQ(bucket_take(&b, 2, 3, t0), 500);
	/* 200 ms later, 300 ms remain. */
	EQ(bucket_take(&b, 2, 3, t0 + 200), 300);
	/* At 500 ms one token is back, and taken. */
	EQ(bucket_take(&b, 2, 3, t0 + 500), 0);
	EQ(bucket_take(&b, 2, 3, t0 + 500), 500);
	CHECK(!bucket_full(&b, 2, 3, t0 + 500));

	/* A long pause fills the bucket to the burst, not beyond it. */
	CHECK(bucket_full(&b, 2, 3, t0 + 60000));
	for (int i = 0; i < 3; i++)
		EQ(bucket_take(&b, 2, 3, t0 + 60000), 0);
	CHECK(bucket_take(&b, 2, 3, t0 + 60000) > 0);

	/* The clock going back neither fills nor empties it. */
	bucket_init(&b, 1, t0);
	EQ(bucket_take(&b, 1, 1, t0), 0);
	EQ(bucket_take(&b, 1, 1, t0 - 5000), 1000);
	EQ(bucket_take(&b, 1, 1, t0 + 1000), 0);

	/* Slow rates: one request every 100 s announces the wait in whole milliseconds. */
	bucket_init(&b, 1, t0);
	EQ(bucket_take(&b, 0.01, 1, t0), 0);
	EQ(bucket_take(&b, 0.01, 1, t0), 100000);

	/* Rate 0 is no limit; a burst below 1 still admits one request. */
	bucket_init(&b, 0, t0);
	for (int i = 0; i < 1000; i++)
		EQ(bucket_take(&b, 0, 0, t0), 0);
	CHECK(bucket_full(&b, 0, 0, t0));
	bucket_init(&b, 0.2, t0);
	EQ(bucket_take(&b, 1, 0.2, t0 + 1000), 0);
	CHECK(bucket_take(&b, 1, 0.2, t0 + 1000) > 0);
	return check_done("bucket");
}
