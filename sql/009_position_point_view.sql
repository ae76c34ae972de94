-- Positions are written thousands of times a second and read seldom. Their
-- point geometry is no longer stored with every row (a generated column
-- made each INSERT build a PostGIS point and wrote 32 more bytes per fix):
-- the position_point view computes it when read, so GIS tools still see
-- every fix as geometry(Point, 4326).
ALTER TABLE position DROP COLUMN geom;

CREATE VIEW position_point AS
SELECT p.*, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geometry(Point, 4326) AS geom
FROM position p;

COMMENT ON VIEW position_point IS 'Every stored fix, with its position as PostGIS geometry for GIS tools.';
