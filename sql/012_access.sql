-- Access control: operator tokens get a role, booking fronts (a village
-- committee's kiosk, a mini-program's backend) get credentials of their own,
-- and every ride records the booking client that made it.

-- read_only reads; dispatcher also books rides and runs vehicles, tablets,
-- shifts and rosters; admin does everything. Tokens made before roles were
-- admins, and stay so.
ALTER TABLE operator_token
	ADD COLUMN role text NOT NULL DEFAULT 'admin'
		CHECK (role IN ('read_only', 'dispatcher', 'admin'));
ALTER TABLE operator_token ALTER COLUMN role DROP DEFAULT;

CREATE TABLE booking_client (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);

-- NULL: booked by an operator. A client's key for a resend is its own:
-- two clients may use the same one.
ALTER TABLE ride ADD COLUMN client_id integer REFERENCES booking_client(id);
ALTER TABLE ride DROP CONSTRAINT ride_client_ref_key;
CREATE UNIQUE INDEX ride_client_ref ON ride (coalesce(client_id, 0), client_ref);
CREATE INDEX ride_client ON ride (client_id) WHERE client_id IS NOT NULL;
