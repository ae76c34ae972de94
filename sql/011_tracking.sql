-- Real-time tracking: every trip a vehicle actually ran, what happened at
-- each of its stops, and the riders the driver's tablet counted on and off.
--
-- A run is one vehicle on one trip on one service day, kept by the trip's
-- code (as in the GTFS export) so the record outlives the trip's removal
-- from the timetable. Stop events are dated when they happened, not when
-- they were learnt: a tablet's late backlog revises them (the row is
-- updated) or withdraws them (the row is deleted). The daemon reads the
-- recent events back at start to learn running times between stops.

CREATE TABLE trip_run (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trip_code   text NOT NULL CHECK (trip_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	line_code   text NOT NULL,
	service_day date NOT NULL,
	vehicle_id  integer NOT NULL REFERENCES vehicle(id),
	signed_on   boolean NOT NULL DEFAULT false,
	started_at  timestamptz NOT NULL,
	ended_at    timestamptz,
	ended_how   text CHECK (ended_how IN ('completed', 'dropped', 'signed_off')),
	km          double precision NOT NULL DEFAULT 0 CHECK (km >= 0),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (trip_code, service_day, vehicle_id),
	CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX trip_run_day ON trip_run (service_day);

CREATE TABLE stop_event (
	trip_run_id bigint NOT NULL REFERENCES trip_run(id) ON DELETE CASCADE,
	stop_seq    integer NOT NULL CHECK (stop_seq >= 1),
	stop_code   text NOT NULL,
	kind        text NOT NULL CHECK (kind IN ('arrival', 'departure', 'passed', 'skipped')),
	planned     timestamptz NOT NULL,
	actual      timestamptz NOT NULL,
	estimated   boolean NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (trip_run_id, stop_seq, kind)
);
CREATE INDEX stop_event_actual ON stop_event (actual);

CREATE TABLE stop_count (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	trip_run_id bigint NOT NULL REFERENCES trip_run(id) ON DELETE CASCADE,
	stop_seq    integer NOT NULL CHECK (stop_seq >= 1),
	stop_code   text NOT NULL,
	boarded     integer NOT NULL CHECK (boarded BETWEEN 0 AND 500),
	alighted    integer NOT NULL CHECK (alighted BETWEEN 0 AND 500),
	reported_by text NOT NULL,
	reported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stop_count_run ON stop_count (trip_run_id);
