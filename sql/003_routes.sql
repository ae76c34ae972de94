-- Routes: each redrawing of a line is a new version with its own ordered
-- stops and shape, taking effect on a date. Versions are never changed or
-- deleted, so a trip that started on one can finish on it and the history of
-- a line stays queryable.

CREATE TABLE route_version (
	id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	line_id        integer NOT NULL REFERENCES line(id),
	version        integer NOT NULL CHECK (version >= 1),
	effective_from date NOT NULL,
	shape          geometry(LineString, 4326),
	created_at     timestamptz NOT NULL DEFAULT now(),
	created_by     text NOT NULL,
	UNIQUE (line_id, version)
);

CREATE TABLE route_stop (
	route_version_id integer NOT NULL REFERENCES route_version(id),
	seq              integer NOT NULL CHECK (seq >= 1),
	stop_id          integer NOT NULL REFERENCES stop(id),
	PRIMARY KEY (route_version_id, seq)
);
CREATE INDEX route_stop_stop ON route_stop (stop_id);
