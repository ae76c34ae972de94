/*
 * booking-none.c — the fleet simulator without a booking client; see
 * booking.h.
 */
#include "booking.h"

#include <stddef.h>

const struct booking_client *booking_client(void)
{
	return NULL;
}
