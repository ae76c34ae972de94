/*
 * planrequest.c — what a ride request must be before the plan core looks
 * at it, the ride limit it gets, and the settings those come from.
 */
#include "plan.h"

#include <stdio.h>

void plan_settings_default(struct plan_settings *s)
{
	s->ride_alpha = 1.5;
	s->ride_beta = 600;
	s->ride_max_detour = 1800;
	s->parcel_slack_share = 0.5;
}

int plan_settings_check(const struct plan_settings *s, char *err, size_t errlen)
{
	const char *why = NULL;
	if (!isfinite(s->ride_alpha) || s->ride_alpha < 1)
		why = "ride alpha must be a number >= 1";
	else if (!isfinite(s->ride_beta) || s->ride_beta < 0)
		why = "ride beta must be a number >= 0";
	else if (!isfinite(s->ride_max_detour) || s->ride_max_detour < 0)
		why = "maximum detour must be a number >= 0";
	else if (!(s->parcel_slack_share >= 0 && s->parcel_slack_share <= 1))
		why = "parcel slack share must be in [0, 1]";
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (errlen)
		err[0] = '\0';
	return 0;
}

static bool coord_ok(const struct plan_loc *l)
{
	return isfinite(l->x) && isfinite(l->y) && fabs(l->x) <= PLAN_COORD_MAX &&
	       fabs(l->y) <= PLAN_COORD_MAX;
}

static bool window_ok(double e, double l)
{
	return isfinite(e) && !isnan(l) && l != -INFINITY && e <= l;
}

int plan_request_check(const struct plan_request *r, char *err, size_t errlen)
{
	const char *why = NULL;
	if (r->id < 0)
		why = "negative request id";
	else if (!coord_ok(&r->pick) || !coord_ok(&r->drop))
		why = "pickup or drop-off place not finite or out of range";
	else if (!window_ok(r->pick_earliest, r->pick_latest))
		why = "pickup window not finite or earliest after latest";
	else if (!window_ok(r->drop_earliest, r->drop_latest))
		why = "drop-off window not finite or earliest after latest";
	else if (!isfinite(r->pick_service) || !isfinite(r->drop_service) ||
		 r->pick_service < 0 || r->drop_service < 0)
		why = "service time not finite or negative";
	else if (r->seats < 0 || r->seats > 10000)
		why = "seats negative or absurd";
	else if (!isfinite(r->cargo) || r->cargo < 0)
		why = "cargo not finite or negative";
	else if (r->seats == 0 && r->cargo == 0)
		why = "neither seats nor cargo";
	else if (r->parcel && r->seats != 0)
		why = "a parcel takes no seat";
	else if (!isnan(r->max_ride) && !(r->max_ride > 0))
		why = "ride limit not positive";
	if (why) {
		snprintf(err, errlen, "request %d: %s", r->id, why);
		return -1;
	}
	if (errlen)
		err[0] = '\0';
	return 0;
}

double plan_ride_limit(const struct plan_settings *s, const struct plan_travel *t,
		       const struct plan_request *r)
{
	if (!isnan(r->max_ride))
		return r->max_ride;
	if (r->parcel)
		return INFINITY;
	double direct = t->time(t->ctx, &r->pick, &r->drop);
	return fmin(s->ride_alpha * direct + s->ride_beta, direct + s->ride_max_detour);
}
