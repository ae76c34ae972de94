/*
 * rideshttp.c — the routes below /v1/rides: who may ask (operators, booking
 * clients for their own rides, tablets for the rides their vehicle carries),
 * reading one ride or the open ones, and the actions that change a ride
 * (rideschange.c). A closed ride is read from PostgreSQL. Replies speak
 * JSON, or protobuf to a front end that sent or asked for it.
 */
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "fleet.h"
#include "http.h"
#include "ride.h"
#include "ridesheld.h"
#include "ridewire.h"
#include "store.h"
#include "timeparse.h"
#include "token.h"
#include "util.h"

/* Does the front end speak protobuf: did it send it, or ask for it? */
static bool wants_protobuf(struct evhttp_request *req)
{
	char ct[64];
	http_content_type(req, ct, sizeof ct);
	const char *accept = evhttp_find_header(evhttp_request_get_input_headers(req), "Accept");
	return strcmp(ct, "application/x-protobuf") == 0 || (accept && strstr(accept, "application/x-protobuf"));
}

void rides_reply(struct evhttp_request *req, int status, const struct ride *r, struct json_object *alts)
{
	struct json_object *o = ride_json(r);
	if (alts)
		json_object_object_add(o, "alternatives", json_object_get(alts));
	if (wants_protobuf(req)) {
		size_t len;
		uint8_t *buf = ridewire_ride_pack(o, &len);
		http_reply_body(req, status, "application/x-protobuf", buf, len);
		free(buf);
		json_object_put(o);
		return;
	}
	http_reply_json(req, status, o);
}

/* --- reading rides ------------------------------------------------------- */

void rides_looked_up(void *arg, const PGresult *res)
{
	struct evhttp_request *req = arg;
	if (!res) {
		http_reply_error(req, 503, "unavailable", "the database is unreachable");
		return;
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		http_reply_error(req, 500, "database_error", "the ride could not be read");
		return;
	}
	if (PQntuples(res) == 0) {
		http_reply_error(req, 404, "not_found", "no such ride (for this rider)");
		return;
	}
	struct ride r;
	rides_from_row(res, 0, &r);
	rides_reply(req, 200, &r, NULL);
}

/* A ride's id that is not open: whether it is the client's own decides between 409 and 404. */
struct closed_ask {
	struct evhttp_request *req;
	char id[24];
};

static void closed_checked(void *arg, const PGresult *res)
{
	struct closed_ask *a = arg;
	if (!res)
		http_reply_error(a->req, 503, "unavailable", "the database is unreachable");
	else if (PQresultStatus(res) != PGRES_TUPLES_OK)
		http_reply_error(a->req, 500, "database_error", "the ride could not be read");
	else if (PQntuples(res) == 0)
		http_reply_error(a->req, 404, "not_found", "no such ride");
	else
		http_reply_error(a->req, 409, "not_open",
				 "ride %s is not open (it was already completed, cancelled, refused or expired); "
				 "GET it to see its state", a->id);
	free(a);
}

/* Only a booking client's own rides are shown to it (client 0: every ride, to operators). */
static void list_open(struct jtd *d, struct evhttp_request *req, int client_id)
{
	struct evkeyvalq qs;
	const char *rider = NULL;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	bool parsed = query && evhttp_parse_query_str(query, &qs) == 0;
	if (parsed)
		rider = evhttp_find_header(&qs, "rider");
	struct json_object *list = json_object_new_array();
	size_t pos = 0;
	const char *key;
	void *v;
	while (strmap_next(rides_state(d)->open, &pos, &key, &v)) {
		struct held *h = v;
		if (client_id && h->r.client_id != client_id)
			continue;
		if (!rider || strcmp(rider, h->r.req.rider) == 0) {
			rides_refresh(d, h);
			json_object_array_add(list, ride_json(&h->r));
		}
	}
	if (parsed)
		evhttp_clear_headers(&qs);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "rides", list);
	http_reply_json(req, 200, o);
}

/* Reports from the vehicle: the rider boarded, was not there, or alighted. */
static const struct {
	const char *action;
	enum ride_state to;
	bool from_vehicle;
} actions[] = {
	{ "confirm", RIDE_CONFIRMED, false }, { "cancel", RIDE_CANCELLED, false },
	{ "board", RIDE_ONBOARD, true },      { "no_show", RIDE_NO_SHOW, true },
	{ "dropoff", RIDE_COMPLETED, true },
};

/*
 * Who may report on ride h: an operator, or a tablet of the vehicle that
 * carries it (any tablet for a seat on a timetabled trip, whose bus is
 * not bound to a vehicle). NULL when neither; a reply has been sent.
 */
static const char *reporter(struct jtd *d, struct evhttp_request *req, const struct held *h, char *buf, size_t len)
{
	size_t tlen = 0;
	const char *tok = token_from_bearer(evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization"),
					    &tlen);
	const struct device *dev = tok ? devices_by_token(d->devices, tok, tlen) : NULL;
	if (!dev)
		return http_operator(d, req);
	const struct vehicle *v = h->r.service == RIDE_ON_VEHICLE ? fleet_by_code(d->fleet, h->r.vehicle) : NULL;
	if (h->r.service == RIDE_ON_VEHICLE && (!v || v->id != dev->vehicle_id)) {
		http_reply_error(req, 403, "forbidden", "this tablet is not in the vehicle that carries the ride");
		return NULL;
	}
	snprintf(buf, len, "device:%s", dev->ext_id);
	return buf;
}

void rides_handle(struct jtd *d, struct evhttp_request *req, const char *rest)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const char *slash = *rest ? strchr(rest + 1, '/') : NULL;
	bool report = false;
	for (size_t i = 0; slash && i < JT_ARRAY_LEN(actions); i++)
		report |= actions[i].from_vehicle && strcmp(slash + 1, actions[i].action) == 0;
	/* The route table let in operators, booking clients and (for reports) tablets. */
	int client = d->cred.kind == ACCESS_CLIENT ? d->cred.id : 0;
	char who_buf[JT_DEVICE_ID_MAX + 80];
	const char *who = "";
	if (client) {
		snprintf(who_buf, sizeof who_buf, "client:%s", d->cred.name);
		who = who_buf;
	} else if (!report && !(who = http_operator(d, req))) {
		return;
	}
	if (d->stopping && m != EVHTTP_REQ_GET) {
		http_reply_unavailable(d, req, "the server is shutting down");
		return;
	}
	if (!*rest || strcmp(rest, "/") == 0) {
		if (m == EVHTTP_REQ_POST)
			rides_book(d, req, who, client);
		else if (m == EVHTTP_REQ_GET)
			list_open(d, req, client);
		else
			http_reply_error(req, 405, "method_not_allowed", "/v1/rides takes GET or POST");
		return;
	}
	char id[24];
	const char *p = rest + 1;
	size_t len = strspn(p, "0123456789");
	if (len == 0 || len > 18 || (p[len] && p[len] != '/')) {
		http_reply_error(req, 404, "not_found", "no such ride");
		return;
	}
	snprintf(id, sizeof id, "%.*s", (int)len, p);
	const char *action = p[len] ? p + len + 1 : NULL;
	struct held *h = strmap_get(rides_state(d)->open, id);
	/* Another client's ride is not there at all: its existence is not told. */
	if (h && client && h->r.client_id != client)
		h = NULL;
	char client_text[16];
	snprintf(client_text, sizeof client_text, "%d", client);
	if (!action) {
		if (m != EVHTTP_REQ_GET) {
			http_reply_error(req, 405, "method_not_allowed", "a ride is read with GET");
		} else if (h) {
			rides_refresh(d, h);
			rides_reply(req, 200, &h->r, NULL);
		} else {
			char *sql = xasprintf("SELECT %s FROM ride WHERE id = $1::bigint%s", rides_columns,
					      client ? " AND client_id = $2::int" : "");
			const char *params[] = { id, client_text };
			store_query(d->store, sql, client ? 2 : 1, params, rides_looked_up, req);
			free(sql);
		}
		return;
	}
	enum ride_state to = RIDE_STATE_COUNT;
	for (size_t i = 0; i < JT_ARRAY_LEN(actions); i++)
		if (strcmp(action, actions[i].action) == 0)
			to = actions[i].to;
	if (to == RIDE_STATE_COUNT) {
		http_reply_error(req, 404, "not_found", "rides take confirm, cancel, board, no_show or dropoff");
		return;
	}
	if (m != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "%s is a POST", action);
		return;
	}
	char name[JT_DEVICE_ID_MAX + 16];
	if (report && h && !(who = reporter(d, req, h, name, sizeof name)))
		return;
	if (report && !h && !(who = http_operator(d, req)))
		return;
	if (!h && client) {
		struct closed_ask *a = xcalloc(1, sizeof *a);
		a->req = req;
		strlcpy_jt(a->id, id, sizeof a->id);
		const char *params[] = { id, client_text };
		store_query(d->store, "SELECT 1 FROM ride WHERE id = $1::bigint AND client_id = $2::int", 2,
			    params, closed_checked, a);
		return;
	}
	if (!h) {
		http_reply_error(req, 409, "not_open",
				 "ride %s is not open (it never was, or it was already completed, cancelled, refused "
				 "or expired); GET it to see its state", id);
		return;
	}
	if (h->busy) {
		http_reply_error(req, 409, "busy", "ride %s is being changed; try again", id);
		return;
	}
	if (h->r.state == to) {
		rides_reply(req, 200, &h->r, NULL); /* a resent confirm or cancel */
		return;
	}
	if (!ride_can_move(h->r.state, to)) {
		http_reply_error(req, 409, "not_allowed", "a ride that is %s cannot be %s",
				 ride_state_name(h->r.state), ride_state_name(to));
		return;
	}
	jt_ms wait_until = h->r.pickup_from + d->cfg.no_show_wait_s * 1000;
	if (to == RIDE_NO_SHOW && now_ms() < wait_until) {
		char at[TS_FORMAT_LEN];
		ts_format(wait_until, at, sizeof at);
		http_reply_error(req, 409, "too_early", "wait for the rider until %s before reporting a no-show", at);
		return;
	}
	rides_change(d, req, h, to, who,
	       to == RIDE_CANCELLED ? "cancelled by the rider" : to == RIDE_NO_SHOW ? "the rider was not there" : NULL);
}
