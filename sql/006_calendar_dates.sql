-- A calendar may be a plain list of dates (its added dates), as GTFS
-- calendar_dates.txt describes services that follow no weekly rule.
ALTER TABLE calendar DROP CONSTRAINT calendar_kind_check;
ALTER TABLE calendar ADD CONSTRAINT calendar_kind_check
	CHECK (kind IN ('weekly', 'market', 'school', 'dates'));
