-- The route network operators draw: towns and their villages, the transport
-- companies, stops and lines. Points are PostGIS geometry (WGS84) so GIS
-- tools read them directly. Every change made through jintongd is recorded
-- in audit, in the same transaction as the change.

CREATE TABLE town (
	id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
	centre      geometry(Point, 4326) NOT NULL,
	county_seat boolean NOT NULL DEFAULT false
);

-- A village (or community) after the mergers; committee is where its
-- committee sits, the point the 2 km and 30-minute yardsticks are measured from.
CREATE TABLE village (
	id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code      text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
	town_id   integer NOT NULL REFERENCES town(id),
	committee geometry(Point, 4326) NOT NULL
);
CREATE INDEX village_town ON village (town_id);

-- A rural transport company and the district it serves.
CREATE TABLE operator (
	id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code     text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
	district text NOT NULL DEFAULT '' CHECK (length(district) <= 128)
);

CREATE TABLE stop (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
	kind       text NOT NULL CHECK (kind IN ('roadside', 'village', 'school', 'market', 'clinic',
	                                        'depot', 'town_centre')),
	location   geometry(Point, 4326) NOT NULL,
	village_id integer REFERENCES village(id)
);
CREATE INDEX stop_location ON stop USING gist (location);
CREATE INDEX stop_village ON stop (village_id);

CREATE TABLE line (
	id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
	kind        text NOT NULL CHECK (kind IN ('scheduled', 'student', 'market_day', 'logistics',
	                                        'on_demand')),
	operator_id integer NOT NULL REFERENCES operator(id)
);
CREATE INDEX line_operator ON line (operator_id);

-- Who changed what, when. Never updated or deleted by jintongd.
CREATE TABLE audit (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at       timestamptz NOT NULL DEFAULT now(),
	operator text NOT NULL,
	action   text NOT NULL CHECK (action IN ('add', 'edit', 'remove')),
	entity   text NOT NULL,
	key      text NOT NULL,
	detail   jsonb
);
CREATE INDEX audit_entity_key ON audit (entity, key);
