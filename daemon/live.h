/*
 * live.h — the live operator page: the county's map with its stops, the
 * lines' route shapes, the vehicles moving on it, open bookings, alerts
 * and the figures a dispatcher watches.
 *
 *   GET /live, /live/app.js, /live/style.css    the page (no token: it holds no data)
 *   GET /v1/live/network    stops, towns and each line's route in effect (operator token)
 *   GET /v1/live/state      vehicles' live positions, figures, alerts (operator token)
 *
 * The page's files are compiled into the daemon (embed-files): nothing is
 * read at run time and nothing is fetched from elsewhere; the
 * Content-Security-Policy header keeps the page to this server. The page
 * asks the operator for a token once, keeps it in the browser tab's
 * sessionStorage and sends it as a Bearer token on the JSON requests.
 *
 * Late trips come from tracking: until a tracker gives them (live_set_late),
 * the state says "tracking": false and the page shows that it has no
 * tracking data.
 */
#ifndef JINTONG_LIVE_H
#define JINTONG_LIVE_H

#include <stddef.h>

#include "daemon.h"

struct evhttp_request;
struct json_object;

/* A file of the page, as embed-files writes it. */
struct live_asset {
	const char *path;
	const char *media_type;
	const char *body;
	long len;
};
extern const struct live_asset live_assets[];
extern const size_t live_assets_count;

void live_init(struct jtd *d);
void live_free(struct jtd *d);

/* Serves /live and below. */
void live_page(struct jtd *d, struct evhttp_request *req, const char *path);
/* Serves /v1/live/...; rest is the path after "/v1/live". */
void live_handle(struct jtd *d, struct evhttp_request *req, const char *rest);

/*
 * The hook for tracking: a function that returns the trips running late as
 * a JSON array of {"trip","line","vehicle","late_s","stop"} (a new
 * reference), or NULL when it has no data yet.
 */
typedef struct json_object *(*live_late_fn)(struct jtd *d, void *arg);
void live_set_late(struct jtd *d, live_late_fn fn, void *arg);

#endif
