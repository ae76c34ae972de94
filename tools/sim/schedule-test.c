/*
 * schedule-test — the simulator driving a generated county's timetable
 * (schedule.c) without a server: every vehicle with trips on a school
 * Monday is followed through the day every 5 s and must never jump (no leg
 * faster than 80 km/h), must stand at the first stop of each of its trips
 * when the trip leaves (within 30 m, from stops.txt and stop_times.txt read
 * here), must be on the road while a trip runs (moving most of the time),
 * and must name the trip it is on.
 */
#include "check.h"
#include "gen.h"
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static double metres(double lat1, double lon1, double lat2, double lon2)
{
	double k = M_PI / 180, a = sin((lat2 - lat1) * k / 2), b = sin((lon2 - lon1) * k / 2);
	return 2 * 6371000 * asin(sqrt(a * a + cos(lat1 * k) * cos(lat2 * k) * b * b));
}

/* The first stop and departure of trip in dir's feed (our own files: no quoting). */
static bool trip_start(const char *dir, const char *trip, double *lat, double *lon, int *dep)
{
	char path[512], line[512], stop[64] = "";
	snprintf(path, sizeof path, "%s/stop_times.txt", dir);
	FILE *f = fopen(path, "r");
	size_t n = strlen(trip);
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, trip, n) && line[n] == ',') {
			int h, m, s;
			char *p = strchr(line + n + 1, ',');
			if (p && sscanf(p + 1, "%d:%d:%d,%63[^,]", &h, &m, &s, stop) == 4)
				*dep = h * 3600 + m * 60 + s;
			break;
		}
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/stops.txt", dir);
	f = fopen(path, "r");
	bool found = false;
	n = strlen(stop);
	while (n && f && fgets(line, sizeof line, f))
		if (!strncmp(line, stop, n) && line[n] == ',') {
			char *p = strchr(line + n + 1, ',');
			found = p && sscanf(p + 1, "%lf,%lf", lat, lon) == 2;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	char dir[] = "/tmp/jintong-schedule-test.XXXXXX", err[256];
	CHECK(mkdtemp(dir) != NULL);
	struct gen_params p = { .seed = 3, .scale = 0.15, .from = date_from_ymd(2026, 11, 23), .days = 30 };
	struct gen_county c;
	gen_county_build(&c, &p);
	CHECK(genfeed_write(&c, dir) == 0);
	gen_county_free(&c);

	jt_day monday = date_from_ymd(2026, 11, 30);
	struct schedule *s = schedule_load(dir, monday, err, sizeof err);
	CHECK_MSG(err, s != NULL);
	if (!s)
		return check_done("schedule-test");
	CHECK(schedule_vehicles(s) >= 5);
	struct schedule *none = schedule_load(dir, date_from_ymd(2027, 3, 1), err, sizeof err);
	CHECK(none && schedule_vehicles(none) == 0); /* after the feed's last day */
	schedule_free(none);

	size_t jumps = 0, legs = 0, on_trip = 0, moving = 0, late_start = 0, starts = 0;
	for (size_t v = 0; v < schedule_vehicles(s); v++) {
		struct schedule_pos prev, cur;
		const char *last_trip = NULL;
		schedule_position(s, v, 0, &prev);
		for (int t = 5; t < 24 * 3600; t += 5) {
			schedule_position(s, v, t, &cur);
			legs++;
			jumps += metres(prev.lat, prev.lon, cur.lat, cur.lon) > 80 / 3.6 * 5 + 1;
			if (cur.trip) {
				on_trip++;
				moving += cur.speed > 0;
				if (!last_trip || strcmp(last_trip, cur.trip)) { /* a trip begins: where it should */
					double lat = 0, lon = 0;
					int dep = -1;
					starts++;
					CHECK(trip_start(dir, cur.trip, &lat, &lon, &dep));
					struct schedule_pos at;
					schedule_position(s, v, dep, &at);
					late_start += t - dep > 5 || metres(at.lat, at.lon, lat, lon) > 30;
				}
			}
			last_trip = cur.trip;
			prev = cur;
		}
	}
	CHECK_INT("jumps", jumps, 0);
	CHECK(legs > 0 && starts > 0);
	CHECK_INT("trips not leaving from their first stop", late_start, 0);
	CHECK(on_trip > 0 && moving * 10 > on_trip * 7); /* dwelling at stops is the smaller part */
	schedule_free(s);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return check_done("schedule-test");
}
