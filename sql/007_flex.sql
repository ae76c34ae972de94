-- On-demand service (GTFS-Flex): how a ride is booked, the places a
-- demand-responsive trip serves besides stops, and stop times that are
-- pickup/drop-off windows instead of fixed times.

-- How and when a ride must be booked: in real time, the same day with some
-- minutes' notice, or up to some days before. Times are seconds after
-- midnight; notice in minutes; days counted back from the day of travel
-- (on the days of service_id when given).
CREATE TABLE booking_rule (
	id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	kind             text NOT NULL CHECK (kind IN ('real_time', 'same_day', 'prior_days')),
	notice_min       integer CHECK (notice_min >= 0),
	notice_max       integer CHECK (notice_max >= 0),
	last_day         integer CHECK (last_day >= 0),
	last_time        integer CHECK (last_time BETWEEN 0 AND 172799),
	start_day        integer CHECK (start_day >= 0),
	start_time       integer CHECK (start_time BETWEEN 0 AND 172799),
	service_id       integer REFERENCES calendar(id),
	message          text NOT NULL DEFAULT '' CHECK (length(message) <= 1024),
	pickup_message   text NOT NULL DEFAULT '' CHECK (length(pickup_message) <= 1024),
	drop_off_message text NOT NULL DEFAULT '' CHECK (length(drop_off_message) <= 1024),
	phone            text NOT NULL DEFAULT '' CHECK (length(phone) <= 64),
	info_url         text NOT NULL DEFAULT '' CHECK (length(info_url) <= 1024),
	booking_url      text NOT NULL DEFAULT '' CHECK (length(booking_url) <= 1024),
	CHECK ((notice_min IS NOT NULL) = (kind = 'same_day')),
	CHECK (notice_max IS NULL OR (kind = 'same_day' AND notice_max >= notice_min)),
	CHECK ((last_day IS NOT NULL) = (kind = 'prior_days')),
	CHECK ((last_time IS NOT NULL) = (last_day IS NOT NULL)),
	CHECK (start_day IS NULL OR kind = 'prior_days' OR (kind = 'same_day' AND notice_max IS NULL)),
	CHECK ((start_time IS NOT NULL) = (start_day IS NOT NULL)),
	CHECK (service_id IS NULL OR kind = 'prior_days')
);

-- Stops a rider may ask to be picked up or set down at, as one place.
CREATE TABLE location_group (
	id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name text NOT NULL DEFAULT '' CHECK (length(name) <= 128)
);
CREATE TABLE location_group_stop (
	group_id integer NOT NULL REFERENCES location_group(id) ON DELETE CASCADE,
	stop_id  integer NOT NULL REFERENCES stop(id),
	PRIMARY KEY (group_id, stop_id)
);
CREATE INDEX location_group_stop_stop ON location_group_stop (stop_id);

-- An area served door to door (GTFS-Flex locations.geojson).
CREATE TABLE zone (
	id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name        text NOT NULL DEFAULT '' CHECK (length(name) <= 128),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 1024),
	area        geometry(Geometry, 4326) NOT NULL
		CHECK (GeometryType(area) IN ('POLYGON', 'MULTIPOLYGON'))
);
CREATE INDEX zone_area ON zone USING gist (area);

-- A route version's places: a stop, a location group or a zone.
ALTER TABLE route_stop ALTER COLUMN stop_id DROP NOT NULL;
ALTER TABLE route_stop ADD COLUMN location_group_id integer REFERENCES location_group(id);
ALTER TABLE route_stop ADD COLUMN zone_id integer REFERENCES zone(id);
ALTER TABLE route_stop ADD CONSTRAINT route_stop_one_place
	CHECK (num_nonnulls(stop_id, location_group_id, zone_id) = 1);

-- A stop time is fixed times or a window in which riders are picked up or
-- set down on request; pickup_type and drop_off_type as in GTFS
-- (0 regular, 1 none, 2 phone to book, 3 arrange with the driver).
ALTER TABLE stop_time ALTER COLUMN arrival DROP NOT NULL;
ALTER TABLE stop_time ALTER COLUMN departure DROP NOT NULL;
ALTER TABLE stop_time ADD COLUMN window_start integer CHECK (window_start BETWEEN 0 AND 172800);
ALTER TABLE stop_time ADD COLUMN window_end integer CHECK (window_end BETWEEN 0 AND 172800);
ALTER TABLE stop_time ADD COLUMN pickup_type smallint NOT NULL DEFAULT 0 CHECK (pickup_type BETWEEN 0 AND 3);
ALTER TABLE stop_time ADD COLUMN drop_off_type smallint NOT NULL DEFAULT 0 CHECK (drop_off_type BETWEEN 0 AND 3);
ALTER TABLE stop_time ADD COLUMN pickup_rule_id integer REFERENCES booking_rule(id);
ALTER TABLE stop_time ADD COLUMN drop_off_rule_id integer REFERENCES booking_rule(id);
ALTER TABLE stop_time ADD CONSTRAINT stop_time_times_or_window CHECK (
	(arrival IS NOT NULL AND departure IS NOT NULL AND window_start IS NULL AND window_end IS NULL)
	OR (arrival IS NULL AND departure IS NULL AND window_start IS NOT NULL
	    AND window_end >= window_start));
