/*
 * notify.h — telling riders what becomes of their rides, through the
 * county's notification gateway (a webhook that sends the SMS, the WeChat
 * message or the voice call).
 *
 * Notifications are rows of the notification table, written by the same
 * statement as the ride change they tell of (rides.c), so none is lost when
 * the gateway, the network or this daemon is down. The notifier reads the
 * rows that are due, posts each to notify_url (at most notify_inflight_max
 * at once, each within notify_timeout_ms) with its id as the Idempotency-Key,
 * and stores how every attempt ended. Sending never waits on the gateway:
 * libcurl's multi interface runs on the daemon's event loop.
 *
 * Delivery is at least once: a send abandoned at shutdown, or whose outcome
 * could not be stored, is sent again later with the same key, and the
 * gateway drops the duplicate.
 */
#ifndef JINTONG_NOTIFY_H
#define JINTONG_NOTIFY_H

#include "daemon.h"

struct notify_stats {
	uint64_t delivered, retried, gave_up; /* attempts, by how they ended */
	uint64_t pending;                     /* not yet delivered nor given up, at the last look */
	size_t in_flight;                     /* posts under way */
	struct histogram attempt;             /* time from post to answer (or to failure) */
};

void notify_init(struct jtd *d);
/* Starts on d->base once the loop and the store exist: looks for due notifications. */
void notify_start(struct jtd *d);
/* A notification may have been committed just now: look for due ones soon. */
void notify_wake(struct jtd *d);
/* Stopping: posts under way are abandoned (they stay due), nothing new starts. */
void notify_stop(struct jtd *d);
/* After store_free(): releases what is left. */
void notify_free(struct jtd *d);
const struct notify_stats *notify_stats(struct jtd *d);

#endif
