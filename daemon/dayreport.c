/*
 * dayreport.c — a day of service as the county transport bureau reads it:
 * GET /v1/admin/report?date=YYYY-MM-DD.
 *
 * Computed by PostgreSQL from what was stored that day: the trips run and
 * their stop events (punctuality by line: an arrival counts as on time
 * from one minute early to five minutes late), the rides asked for that
 * day by hour (requested, served, refused), the riders counted on each
 * trip against its vehicle's seats (load), and the day's totals (trips
 * run, vehicle-km, rides, parcels; the mean wait from the opening of the
 * promised pickup window to boarding and the mean time on board, of the
 * rides whose vehicle reported them; the mean peak load of a trip as a
 * share of its seats). The reply is the report as JSON; the
 * CLI prints it and draws its charts.
 */
#include "dayreport.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "http.h"
#include "log.h"
#include "store.h"

static const char report_sql[] =
	"WITH runs AS (SELECT * FROM trip_run WHERE service_day = $1::date),"
	" arr AS (SELECT r.line_code, extract(epoch FROM e.actual - e.planned) AS late"
	"  FROM stop_event e JOIN runs r ON r.id = e.trip_run_id WHERE e.kind IN ('arrival', 'passed')),"
	" punct AS (SELECT line_code AS line, count(*) AS stops,"
	"  count(*) FILTER (WHERE late BETWEEN -60 AND 300) AS on_time,"
	"  round(avg(late)::numeric, 0) AS mean_late_s FROM arr GROUP BY line_code ORDER BY line_code),"
	" rides AS (SELECT * FROM ride WHERE (asked_time AT TIME ZONE $2)::date = $1::date),"
	" demand AS (SELECT extract(hour FROM asked_time AT TIME ZONE $2)::int AS hour, count(*) AS requested,"
	"  count(*) FILTER (WHERE service <> 'none') AS served,"
	"  count(*) FILTER (WHERE state = 'refused') AS refused FROM rides GROUP BY 1 ORDER BY 1),"
	" onboard AS (SELECT c.trip_run_id,"
	"  sum(c.boarded - c.alighted) OVER (PARTITION BY c.trip_run_id ORDER BY c.id) AS n"
	"  FROM stop_count c JOIN runs r ON r.id = c.trip_run_id),"
	" trips AS (SELECT r.id, r.pickup_from, r.parcels_l, r.passengers,"
	"  (SELECT min(e.at) FROM ride_event e WHERE e.ride_id = r.id AND e.to_state = 'onboard') AS boarded,"
	"  (SELECT min(e.at) FROM ride_event e WHERE e.ride_id = r.id AND e.to_state = 'completed') AS done"
	"  FROM rides r WHERE r.service <> 'none'),"
	" load AS (SELECT r.trip_code AS trip, v.code AS vehicle, v.seats, max(o.n)::int AS peak"
	"  FROM onboard o JOIN runs r ON r.id = o.trip_run_id JOIN vehicle v ON v.id = r.vehicle_id"
	"  GROUP BY r.trip_code, v.code, v.seats ORDER BY r.trip_code, v.code)"
	" SELECT json_build_object("
	"  'date', $1::date,"
	"  'punctuality', coalesce((SELECT json_agg(punct) FROM punct), '[]'),"
	"  'demand', coalesce((SELECT json_agg(demand) FROM demand), '[]'),"
	"  'load', coalesce((SELECT json_agg(load) FROM load), '[]'),"
	"  'totals', json_build_object("
	"   'trips_run', (SELECT count(*) FROM runs),"
	"   'km', (SELECT coalesce(round(sum(km)::numeric, 1), 0) FROM runs),"
	"   'stops_timed', (SELECT count(*) FROM arr),"
	"   'on_time', (SELECT count(*) FILTER (WHERE late BETWEEN -60 AND 300) FROM arr),"
	"   'rides_requested', (SELECT count(*) FROM rides),"
	"   'rides_served', (SELECT count(*) FILTER (WHERE service <> 'none') FROM rides),"
	"   'rides_refused', (SELECT count(*) FILTER (WHERE state = 'refused') FROM rides),"
	"   'rides_completed', (SELECT count(*) FILTER (WHERE state = 'completed') FROM rides),"
	"   'rides_no_show', (SELECT count(*) FILTER (WHERE state = 'no_show') FROM rides),"
	"   'parcels_l', (SELECT coalesce(sum(parcels_l), 0) FROM rides WHERE service <> 'none'),"
	"   'parcels_delivered', (SELECT count(*) FROM trips WHERE done IS NOT NULL AND parcels_l > 0 AND passengers = 0),"
	"   'wait_min', (SELECT round(avg(greatest(extract(epoch FROM boarded - pickup_from), 0) / 60)::numeric, 1)"
	"    FROM trips WHERE boarded IS NOT NULL AND pickup_from IS NOT NULL),"
	"   'ride_min', (SELECT round(avg(extract(epoch FROM done - boarded) / 60)::numeric, 1)"
	"    FROM trips WHERE boarded IS NOT NULL AND done IS NOT NULL),"
	"   'occupancy_pct', (SELECT round(avg(100.0 * peak / seats)::numeric, 1) FROM load WHERE seats > 0)))::text";

static void answered(void *arg, const PGresult *res)
{
	struct evhttp_request *req = arg;
	if (!res) {
		http_reply_error(req, 503, "unavailable", "the database is unreachable");
		return;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		log_warn("report.failed", "error=\"%s\"", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		http_reply_error(req, 500, "database_error", "the report could not be made");
		return;
	}
	const char *text = PQgetvalue(res, 0, 0);
	http_reply_body(req, 200, "application/json", text, strlen(text));
}

void dayreport_handle(struct jtd *d, struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq qs;
	char date[DATE_FORMAT_LEN] = "";
	if (q && evhttp_parse_query_str(q, &qs) == 0) {
		const char *v = evhttp_find_header(&qs, "date");
		jt_day day;
		if (v && date_parse(v, &day) == 0)
			date_format(day, date);
		evhttp_clear_headers(&qs);
	}
	if (!date[0]) {
		http_reply_error(req, 400, "bad_request", "give the day as ?date=YYYY-MM-DD");
		return;
	}
	const char *params[] = { date, d->cfg.timezone };
	store_query(d->store, report_sql, 2, params, answered, req);
}
