-- Trips: one run of a line's route version at given times, on the dates of a
-- calendar, optionally in a vehicle block (the trips one vehicle runs in a
-- day). Times are seconds after midnight of the service day and may pass
-- 24:00 for trips after midnight, as in GTFS.

CREATE TABLE trip (
	id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	route_version_id integer NOT NULL REFERENCES route_version(id),
	calendar_id      integer NOT NULL REFERENCES calendar(id),
	block            text CHECK (block ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	created_at       timestamptz NOT NULL DEFAULT now(),
	created_by       text NOT NULL
);
CREATE INDEX trip_route_version ON trip (route_version_id);
CREATE INDEX trip_block ON trip (block) WHERE block IS NOT NULL;

CREATE TABLE stop_time (
	trip_id   integer NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
	seq       integer NOT NULL CHECK (seq >= 1),
	arrival   integer NOT NULL CHECK (arrival BETWEEN 0 AND 172800),
	departure integer NOT NULL CHECK (departure BETWEEN 0 AND 172800),
	PRIMARY KEY (trip_id, seq),
	CHECK (departure >= arrival)
);
