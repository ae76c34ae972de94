-- Riders told what becomes of their rides, through the county's rider
-- notification gateway (SMS, WeChat, a voice call for the elderly).
--
-- A notification is written by the same statement as the change of the ride
-- it tells of, so a change the rider was promised is never without its
-- notification. jintongd then posts the payload to the gateway, retries it
-- with a growing wait while the gateway is down, slow or failing, and keeps
-- the outcome of every attempt. A notification ends delivered (delivered_at)
-- or given up (gave_up_at, with the reason in last_error); until then it is
-- due again at next_attempt_at.

CREATE TABLE notification (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ride_id         bigint NOT NULL REFERENCES ride(id),
	kind            text NOT NULL CHECK (kind IN ('offered', 'confirmed', 'cancelled', 'expired',
	                                              'refused', 'approaching', 'delay', 'no_show')),
	payload         jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
	created_at      timestamptz NOT NULL DEFAULT now(),
	attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	delivered_at    timestamptz,
	last_status     integer,          -- the gateway's HTTP status; NULL when it never answered
	last_error      text,             -- why the last attempt failed, or why it was given up
	gave_up_at      timestamptz,
	CHECK (delivered_at IS NULL OR gave_up_at IS NULL)
);
CREATE INDEX notification_due ON notification (next_attempt_at)
	WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX notification_ride ON notification (ride_id);

-- Every attempt, as it ended: what the gateway answered, or why it did not.
CREATE TABLE notification_attempt (
	notification_id bigint NOT NULL REFERENCES notification(id),
	attempt         integer NOT NULL CHECK (attempt >= 1),
	ended_at        timestamptz NOT NULL,
	took_ms         integer NOT NULL CHECK (took_ms >= 0),
	status          integer,
	error           text,
	outcome         text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'gave_up')),
	PRIMARY KEY (notification_id, attempt)
);

-- The ride states a rider is told of; the others (requested, onboard,
-- completed) pass without a notification.
CREATE FUNCTION jintong_ride_notifies(state text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT state IN ('offered', 'confirmed', 'cancelled', 'expired', 'refused', 'no_show')
$$;

-- A time as the gateway reads it: UTC, whatever the connection's time zone.
CREATE FUNCTION jintong_utc_text(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- What the gateway receives about ride r (jintongd adds the notification id
-- and a short message in Chinese and English as it sends it). Members that
-- do not apply are left out. PL/pgSQL rather than SQL: its plans are kept
-- for the connection, where an SQL function would be planned again with every
-- booking.
CREATE FUNCTION jintong_ride_notification(r ride, what text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN jsonb_strip_nulls(jsonb_build_object(
		'kind', what,
		'ride', r.id,
		'rider', r.rider,
		'state', r.state,
		'passengers', r.passengers,
		'trip', r.trip_code,
		'line', r.line_code,
		'line_name', (SELECT l.name FROM line l WHERE l.code = r.line_code),
		'vehicle', r.vehicle_code,
		'service_day', r.service_day,
		'pickup', CASE WHEN r.pickup_stop IS NOT NULL THEN jsonb_build_object(
			'stop', r.pickup_stop,
			'name', (SELECT s.name FROM stop s WHERE s.code = r.pickup_stop),
			'from', jintong_utc_text(r.pickup_from),
			'to', jintong_utc_text(r.pickup_to)) END,
		'dropoff', CASE WHEN r.dropoff_stop IS NOT NULL THEN jsonb_build_object(
			'stop', r.dropoff_stop,
			'name', (SELECT s.name FROM stop s WHERE s.code = r.dropoff_stop),
			'at', jintong_utc_text(r.dropoff_at)) END,
		'offer_expires', CASE WHEN r.state = 'offered' THEN jintong_utc_text(r.offer_expires) END,
		'reason', NULLIF(r.reason, '')));
END
$$;
