/*
 * gtfsrt.h — GTFS Realtime feeds (proto/gtfs-realtime.proto) from the
 * vehicles' states: VehiclePositions and TripUpdates, each a FULL_DATASET
 * FeedMessage, serialised; and a readable text form of any FeedMessage for
 * operators and tests. Pure: the caller gathers the states (tracker,
 * fleet) and serves the bytes.
 *
 * Trip descriptors carry our trip codes as trip_id and line codes as
 * route_id, the ids of the GTFS export; stop_sequence is 1-based as in the
 * exported stop_times.txt. A vehicle whose strings are not valid UTF-8, or
 * whose id repeats one already in the feed, is left out and counted; a
 * position out of range is left out of its entity.
 */
#ifndef JINTONG_GTFSRT_H
#define JINTONG_GTFSRT_H

#include "core.h"

enum gtfsrt_status { GTFSRT_INCOMING_AT = 0, GTFSRT_STOPPED_AT = 1, GTFSRT_IN_TRANSIT_TO = 2 };

/* GTFS-realtime OccupancyStatus values; GTFSRT_OCCUPANCY_UNKNOWN leaves the field out. */
enum gtfsrt_occupancy {
	GTFSRT_OCCUPANCY_UNKNOWN = -1,
	GTFSRT_EMPTY = 0,
	GTFSRT_MANY_SEATS = 1,
	GTFSRT_FEW_SEATS = 2,
	GTFSRT_STANDING_ONLY = 3,
	GTFSRT_CRUSHED = 4,
	GTFSRT_FULL = 5,
	GTFSRT_NOT_ACCEPTING = 6,
};

/*
 * How full a bus is, from the riders on board (by the tablet's counts; < 0
 * when nobody counted) against its seats: empty, many seats free (under
 * half taken), few, standing room (up to a quarter more riders than seats),
 * full. Unknown without counts or seats.
 */
enum gtfsrt_occupancy gtfsrt_occupancy_of(int onboard, int seats);

struct gtfsrt_stop_time {
	uint32_t sequence;     /* 1-based; strictly increasing along a trip's list */
	const char *stop_id;   /* may be NULL */
	jt_ms arrival, departure; /* predicted or observed; 0 when not given */
	int32_t arrival_delay, departure_delay; /* seconds, with has_delay */
	bool has_delay;
	bool skipped;          /* the bus will not (did not) call there */
};

struct gtfsrt_vehicle {
	const char *vehicle_id;  /* our vehicle code; required */
	const char *label;       /* shown to riders; may be NULL */
	const char *trip_id;     /* NULL when on no trip */
	const char *route_id;
	const char *start_date;  /* YYYYMMDD */
	double lat, lon;         /* NAN when unknown */
	double bearing, speed;   /* degrees, m/s; NAN when unknown */
	jt_ms timestamp;         /* of the position */
	enum gtfsrt_occupancy occupancy;
	uint32_t stop_sequence;  /* current stop (1-based), 0 when none */
	const char *stop_id;
	enum gtfsrt_status status;
	bool has_delay;
	int32_t delay;           /* trip delay, seconds */
	const struct gtfsrt_stop_time *stop_times; /* for TripUpdates */
	size_t nstop_times;
};

struct gtfsrt_feed {
	uint8_t *data; /* malloc'd serialised FeedMessage */
	size_t len;
	size_t entities, left_out;
};

/* The VehiclePositions feed at `now`. Free data with free(). */
void gtfsrt_vehicle_positions(const struct gtfsrt_vehicle *v, size_t n, jt_ms now, struct gtfsrt_feed *out);
/* The TripUpdates feed at `now`: one entity per vehicle on a trip. */
void gtfsrt_trip_updates(const struct gtfsrt_vehicle *v, size_t n, jt_ms now, struct gtfsrt_feed *out);

/*
 * A serialised FeedMessage as text in the manner of protobuf's text format
 * (field names, nested blocks, enum names); malloc'd, NULL when the bytes
 * are not a FeedMessage.
 */
char *gtfsrt_text(const uint8_t *data, size_t len);

/* Is s valid UTF-8 (as protobuf strings must be)? */
bool gtfsrt_utf8_valid(const char *s);

#endif
