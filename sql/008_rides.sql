-- Rides booked by villagers, every change of their state, and the vehicles
-- on booking duty that carry riders no timetabled trip can.
--
-- A ride is offered a seat on a timetabled trip (trip_code, service_day,
-- board_seq..alight_seq) or a place on a demand-responsive vehicle
-- (vehicle_code). Offered, confirmed and onboard rides hold their seats; the
-- daemon rebuilds every open ride from this table when it starts.

CREATE TABLE ride (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	client_ref    text UNIQUE CHECK (client_ref ~ '^[\x21-\x7e]{1,64}$'),
	rider         text NOT NULL CHECK (rider ~ '^[\x21-\x7e]{1,64}$'),
	state         text NOT NULL CHECK (state IN ('requested', 'offered', 'confirmed', 'onboard',
	                                             'completed', 'cancelled', 'no_show', 'refused',
	                                             'expired')),
	origin        geometry(Point, 4326) NOT NULL,
	destination   geometry(Point, 4326) NOT NULL,
	origin_kind   text NOT NULL CHECK (origin_kind IN ('point', 'stop', 'village')),
	origin_code   text,
	dest_kind     text NOT NULL CHECK (dest_kind IN ('point', 'stop', 'village')),
	dest_code     text,
	arrive_by     boolean NOT NULL,
	asked_time    timestamptz NOT NULL,
	passengers    smallint NOT NULL CHECK (passengers BETWEEN 0 AND 20),
	parcels_l     integer NOT NULL CHECK (parcels_l BETWEEN 0 AND 2000),
	wheelchair    boolean NOT NULL DEFAULT false,
	service       text NOT NULL CHECK (service IN ('none', 'trip', 'vehicle')),
	trip_code     text,
	line_code     text,
	service_day   date,
	board_seq     integer CHECK (board_seq >= 0),
	alight_seq    integer CHECK (alight_seq >= 0),
	vehicle_code  text,
	shift_code    text,
	pickup_stop   text,
	dropoff_stop  text,
	pickup_from   timestamptz,
	pickup_to     timestamptz,
	dropoff_at    timestamptz,
	dropoff_by    timestamptz,
	walk_m        integer,
	pupil         boolean NOT NULL DEFAULT false,
	offer_expires timestamptz,
	reason        text NOT NULL DEFAULT '',
	booked_by     text NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL,
	CHECK (service <> 'trip' OR (trip_code IS NOT NULL AND service_day IS NOT NULL
	                             AND board_seq < alight_seq)),
	CHECK (service <> 'vehicle' OR (shift_code IS NOT NULL AND service_day IS NOT NULL
	                                AND pickup_from IS NOT NULL AND pickup_to IS NOT NULL
	                                AND dropoff_by IS NOT NULL))
);
CREATE INDEX ride_open ON ride (state) WHERE state IN ('offered', 'confirmed', 'onboard');
CREATE INDEX ride_rider ON ride (rider, created_at);
CREATE INDEX ride_trip_day ON ride (trip_code, service_day) WHERE trip_code IS NOT NULL;

CREATE TABLE ride_event (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ride_id    bigint NOT NULL REFERENCES ride(id),
	at         timestamptz NOT NULL,
	from_state text,
	to_state   text NOT NULL,
	by_whom    text NOT NULL,
	detail     jsonb
);
CREATE INDEX ride_event_ride ON ride_event (ride_id, at);

-- Pupils enrolled on a student line: their seats are kept for them.
CREATE TABLE roster (
	line_id integer NOT NULL REFERENCES line(id) ON DELETE CASCADE,
	rider   text NOT NULL CHECK (rider ~ '^[\x21-\x7e]{1,64}$'),
	PRIMARY KEY (line_id, rider)
);
CREATE INDEX roster_rider ON roster (rider);

-- A vehicle a wheelchair can board (a ramp or a lift, room to stand it).
ALTER TABLE vehicle ADD COLUMN step_free boolean NOT NULL DEFAULT false;

-- Seats on the vehicle that runs a trip; NULL: the daemon's trip_seats setting.
ALTER TABLE trip ADD COLUMN seats integer CHECK (seats BETWEEN 1 AND 200);

-- A vehicle on booking duty: on the days of a calendar, from a depot, between
-- two times of the service day (seconds; past 24:00 for a night shift).
CREATE TABLE demand_shift (
	id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	vehicle_id    integer NOT NULL REFERENCES vehicle(id),
	calendar_id   integer NOT NULL REFERENCES calendar(id),
	depot_stop_id integer NOT NULL REFERENCES stop(id),
	start_s       integer NOT NULL CHECK (start_s BETWEEN 0 AND 172800),
	end_s         integer NOT NULL CHECK (end_s BETWEEN 0 AND 172800),
	created_by    text NOT NULL,
	created_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (end_s > start_s)
);
