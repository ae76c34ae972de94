-- Vehicles, the tablets that report for them, and every position they send.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE vehicle (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name       text NOT NULL DEFAULT '',
	seats      integer NOT NULL DEFAULT 0 CHECK (seats BETWEEN 0 AND 200),
	cargo_l    integer NOT NULL DEFAULT 0 CHECK (cargo_l BETWEEN 0 AND 100000),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- A tablet. ext_id is what it sends as its identifier; off-the-shelf tracking
-- apps can send nothing else. token_hash is SHA-256 of the secret the native
-- protocol authenticates with; the secret itself is never stored.
CREATE TABLE device (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ext_id     text NOT NULL UNIQUE CHECK (ext_id ~ '^[\x21-\x7e]{1,64}$'),
	vehicle_id integer NOT NULL REFERENCES vehicle(id),
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);

-- People and scripts allowed to use the admin API.
CREATE TABLE operator_token (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text NOT NULL UNIQUE,
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);

-- One row per fix stored. Partitioned by day of fix_time; partitions are made
-- ahead of time by jintong_ensure_position_partitions() and dropped by
-- jintong_drop_position_partitions() when older than the retention setting.
-- seq is the tablet's sequence number (0 for protocols without one): with
-- fix_time it makes a resent fix a no-op instead of a duplicate row.
CREATE TABLE position (
	device_id   integer NOT NULL,
	vehicle_id  integer NOT NULL,
	seq         bigint NOT NULL,
	fix_time    timestamptz NOT NULL,
	received_at timestamptz NOT NULL,
	lat         double precision NOT NULL,
	lon         double precision NOT NULL,
	speed       real,
	heading     real,
	altitude    real,
	accuracy    real,
	battery     real,
	quality     smallint NOT NULL DEFAULT 0,
	geom        geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
) PARTITION BY RANGE (fix_time);

CREATE UNIQUE INDEX position_device_time_seq ON position (device_id, fix_time, seq);

COMMENT ON COLUMN position.quality IS '0 good, 1 implausible jump (not used live), 2 older than live position';

-- Partitions are named position_YYYYMMDD and cover one UTC day.
CREATE FUNCTION jintong_ensure_position_partitions(first_day date, last_day date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	d date := first_day;
	made integer := 0;
	name text;
BEGIN
	WHILE d <= last_day LOOP
		name := 'position_' || to_char(d, 'YYYYMMDD');
		IF to_regclass(name) IS NULL THEN
			EXECUTE format('CREATE TABLE %I PARTITION OF position FOR VALUES FROM (%L) TO (%L)',
				name, (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
			made := made + 1;
		END IF;
		d := d + 1;
	END LOOP;
	RETURN made;
END $$;

CREATE FUNCTION jintong_drop_position_partitions(older_than date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	r record;
	dropped integer := 0;
BEGIN
	FOR r IN
		SELECT c.relname
		FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'position'::regclass
		  AND c.relname ~ '^position_[0-9]{8}$'
		  AND to_date(substr(c.relname, 10), 'YYYYMMDD') < older_than
	LOOP
		EXECUTE format('DROP TABLE %I', r.relname);
		dropped := dropped + 1;
	END LOOP;
	RETURN dropped;
END $$;
