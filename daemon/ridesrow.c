/*
 * ridesrow.c — the ride table as the booking service reads it: the list of
 * columns (with NULLs folded to empty text or 0) and a row of them read
 * into a struct ride; the names of the kinds of place it stores.
 */
#include <stdlib.h>
#include <string.h>

#include "ride.h"
#include "ridesheld.h"
#include "util.h"

const char rides_columns[] =
	"id, coalesce(client_ref, ''), rider, state, ST_Y(origin), ST_X(origin), origin_kind,"
	" coalesce(origin_code, ''), ST_Y(destination), ST_X(destination), dest_kind,"
	" coalesce(dest_code, ''), arrive_by, (extract(epoch FROM asked_time) * 1000)::bigint,"
	" passengers, parcels_l, wheelchair, service, coalesce(trip_code, ''), coalesce(line_code, ''),"
	" coalesce(service_day - DATE '1970-01-01', 0), coalesce(board_seq, 0), coalesce(alight_seq, 0),"
	" coalesce(vehicle_code, ''), coalesce(pickup_stop, ''), coalesce(dropoff_stop, ''),"
	" coalesce((extract(epoch FROM pickup_from) * 1000)::bigint, 0),"
	" coalesce((extract(epoch FROM pickup_to) * 1000)::bigint, 0),"
	" coalesce((extract(epoch FROM dropoff_at) * 1000)::bigint, 0), coalesce(walk_m, 0), pupil,"
	" coalesce((extract(epoch FROM offer_expires) * 1000)::bigint, 0), reason,"
	" (extract(epoch FROM created_at) * 1000)::bigint, (extract(epoch FROM updated_at) * 1000)::bigint,"
	" coalesce(shift_code, ''), coalesce((extract(epoch FROM dropoff_by) * 1000)::bigint, 0),"
	" coalesce(client_id, 0)";

static enum ride_place_kind place_kind(const char *s)
{
	return strcmp(s, "stop") == 0 ? RIDE_AT_STOP : strcmp(s, "village") == 0 ? RIDE_AT_VILLAGE : RIDE_AT_POINT;
}

const char *rides_place_kind_name(enum ride_place_kind k)
{
	return k == RIDE_AT_STOP ? "stop" : k == RIDE_AT_VILLAGE ? "village" : "point";
}

void rides_from_row(const PGresult *res, int i, struct ride *r)
{
#define V(c) PQgetvalue(res, i, (c))
#define B(c) (V(c)[0] == 't')
	memset(r, 0, sizeof *r);
	r->id = strtoll(V(0), NULL, 10);
	strlcpy_jt(r->req.client_ref, V(1), sizeof r->req.client_ref);
	strlcpy_jt(r->req.rider, V(2), sizeof r->req.rider);
	int st = ride_state_parse(V(3));
	r->state = st < 0 ? RIDE_REFUSED : (enum ride_state)st;
	r->req.from = (struct ride_place){ .kind = place_kind(V(6)), .lat = strtod(V(4), NULL),
					   .lon = strtod(V(5), NULL) };
	strlcpy_jt(r->req.from.code, V(7), sizeof r->req.from.code);
	r->req.to = (struct ride_place){ .kind = place_kind(V(10)), .lat = strtod(V(8), NULL),
					 .lon = strtod(V(9), NULL) };
	strlcpy_jt(r->req.to.code, V(11), sizeof r->req.to.code);
	r->req.arrive_by = B(12);
	r->req.has_time = true;
	r->when = strtoll(V(13), NULL, 10);
	r->req.passengers = atoi(V(14));
	r->req.parcels_l = atoi(V(15));
	r->req.wheelchair = B(16);
	r->service = strcmp(V(17), "trip") == 0 ? RIDE_ON_TRIP : strcmp(V(17), "vehicle") == 0 ? RIDE_ON_VEHICLE
											   : RIDE_NOTHING;
	strlcpy_jt(r->trip, V(18), sizeof r->trip);
	strlcpy_jt(r->line, V(19), sizeof r->line);
	r->day = atoi(V(20));
	r->board = atoi(V(21));
	r->alight = atoi(V(22));
	strlcpy_jt(r->vehicle, V(23), sizeof r->vehicle);
	strlcpy_jt(r->pickup_stop, V(24), sizeof r->pickup_stop);
	strlcpy_jt(r->dropoff_stop, V(25), sizeof r->dropoff_stop);
	r->pickup_from = strtoll(V(26), NULL, 10);
	r->pickup_to = strtoll(V(27), NULL, 10);
	r->dropoff_at = strtoll(V(28), NULL, 10);
	r->walk_m = strtod(V(29), NULL);
	r->pupil = B(30);
	r->offer_expires = strtoll(V(31), NULL, 10);
	strlcpy_jt(r->reason, V(32), sizeof r->reason);
	r->created_at = strtoll(V(33), NULL, 10);
	r->updated_at = strtoll(V(34), NULL, 10);
	strlcpy_jt(r->shift, V(35), sizeof r->shift);
	r->dropoff_by = strtoll(V(36), NULL, 10);
	r->client_id = atoi(V(37));
#undef V
#undef B
}
