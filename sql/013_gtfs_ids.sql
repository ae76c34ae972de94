-- The GTFS id a record was imported under, when it is not the record's code.
-- A feed's ids may be any text ("de:12073:900340004::1", "Main St / 5th");
-- a code is 1 to 32 of [A-Za-z0-9._-]. The importer derives a code from
-- such an id and keeps the id here, and the export writes it back, so a
-- feed comes out with the ids it went in with. '' for records made by
-- operators or imported under an id that is already a code.

DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['operator', 'stop', 'line', 'calendar', 'trip', 'booking_rule',
				 'location_group', 'zone']
	LOOP
		EXECUTE format('ALTER TABLE %I ADD COLUMN gtfs_id text NOT NULL DEFAULT ''''
				CHECK (length(gtfs_id) <= 255)', t);
		EXECUTE format('CREATE UNIQUE INDEX %I ON %I (gtfs_id) WHERE gtfs_id <> ''''',
			       t || '_gtfs_id', t);
	END LOOP;
END $$;

-- A route version drawn from a feed's shapes.txt: the shape_id it came from,
-- written back by the export ('' when drawn by operators).
ALTER TABLE route_version ADD COLUMN shape_gtfs_id text NOT NULL DEFAULT ''
	CHECK (length(shape_gtfs_id) <= 255);
