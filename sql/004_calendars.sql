-- Service calendars: on which dates a trip runs. Weekly patterns within a
-- date range, a town's market days (days of the month ending in given digits,
-- solar or lunar), school terms; each with dates added (extra service) and
-- removed (holidays), which always win.

CREATE TABLE calendar (
	id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
	name          text NOT NULL DEFAULT '' CHECK (length(name) <= 128),
	kind          text NOT NULL CHECK (kind IN ('weekly', 'market', 'school')),
	start_date    date,
	end_date      date CHECK (end_date >= start_date),
	weekdays      smallint NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),
	market_digits smallint NOT NULL DEFAULT 0 CHECK (market_digits BETWEEN 0 AND 1023),
	lunar         boolean NOT NULL DEFAULT false,
	town_id       integer REFERENCES town(id),
	terms         daterange[] NOT NULL DEFAULT '{}',
	added         date[] NOT NULL DEFAULT '{}',
	removed       date[] NOT NULL DEFAULT '{}'
);

COMMENT ON COLUMN calendar.weekdays IS 'bit 0 Monday .. bit 6 Sunday';
COMMENT ON COLUMN calendar.market_digits IS 'bit d: the market falls on days of the month ending in digit d';
