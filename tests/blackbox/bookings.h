/*
 * bookings.h — riders booking seats, for fault tests: each rider's phone
 * sends its booking with a client_ref of its own and sends it again, the
 * same, until the daemon answers with a ride (201, or 200 for one it already
 * has), as the riders' app does after a 503 or a lost connection. Afterwards,
 * check that every ride the daemon answered with is in the database and is
 * served by whichever daemon runs now.
 */
#ifndef JINTONG_BOOKINGS_H
#define JINTONG_BOOKINGS_H

#include "harness.h"

struct h_bookings {
	long long *ids;       /* rides acknowledged, in order */
	size_t acked, cap;
	uint64_t sent;        /* requests sent, resends included */
	uint64_t unavailable; /* 503 */
	uint64_t failed;      /* no answer */
	uint64_t other;       /* any other status */
	int next;             /* the next rider's number */
	bool pending;         /* the current rider's booking is not yet acknowledged */
};

/* Makes the line riders book on: four stops, a bus every hour of the day, every day. Needs the daemon up. */
void h_bookings_network(struct h_test *t);
/* One request: the pending booking again, or a new rider's. Returns the HTTP status (0: no answer). */
long h_bookings_step(struct h_bookings *b, struct h_test *t);
/* Acknowledged rides missing from the database (or not confirmed there). */
size_t h_bookings_missing(struct h_bookings *b, struct h_test *t);
/* Acknowledged rides the daemon now running does not answer 200 for with their state confirmed. */
size_t h_bookings_unserved(struct h_bookings *b, struct h_test *t);
void h_bookings_free(struct h_bookings *b);

#endif
