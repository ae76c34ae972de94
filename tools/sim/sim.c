/*
 * jintong-sim — a fleet of simulated drivers' tablets for demonstrations and
 * soak runs. Buses drive around a hilly county (county.c); every tablet
 * records a fix every --interval seconds and uploads it to jintongd, some as
 * the OsmAnd app does, the others with the native protobuf batches
 * (tablet.c). In the valleys the tablets lose coverage and their fixes pile
 * up until they are back in signal. One libevent loop carries every tablet's
 * connection; one timer moves the simulated clock, the buses and the status
 * line.
 *
 * At start the vehicles and tablets are registered through the admin API
 * (operator token from --token or JINTONG_TOKEN). A device token is shown
 * only once, so it is kept in the --state file together with the next
 * sequence number; without a state file each run registers fresh device ids.
 *
 * With --county DIR the fleet is a generated county's (jintong-county): each
 * vehicle drives its trips of the day along the route shapes at the times
 * the timetable gives (schedule.c), and stands at the ends between them;
 * --day-time HH:MM starts the timetable at another hour than the county's
 * clock (a demonstration at night), while fixes keep the real time.
 *
 * A simulated day (--day, --from, --to, --speedup): the simulator reads the
 * daemon's clock from /healthz and shares it — jintongd started with
 * clock_start and clock_rate (jintongd(8)) — so fixes, trips and rides are
 * dated in the county's simulated time on both sides. The buses drive that
 * day's trips, some leaving a few minutes late and some breaking down
 * (delay.c), reporting riders on and off at each stop (counter.c); the vans
 * on booking duty follow their manifests (van.c); a booking client, when
 * one is linked in (booking.h), asks for the day's rides at their times. At
 * --to the day ends: tablets upload what they hold, and a summary is
 * printed (and written to --summary FILE as "key value" lines).
 *
 * Without a simulated clock in the daemon, --speedup K runs simulated time
 * K times faster starting in the past, until it catches up with the wall
 * clock (after which it keeps real time), so no fix is ever dated in the
 * future.
 * On SIGINT/SIGTERM or at the end of --duration the tablets stop recording
 * and upload what they still hold (at most --drain seconds); a second signal
 * stops at once.
 */
#include "sim.h"

#include "config-build.h"
#include "day.h"

#include <event2/event.h>
#include <event2/http.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 100

struct sim S;

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Simulated now: the daemon's clock, or K times faster than real and never past the wall clock. */
static int64_t sim_now_ms(void)
{
	if (S.shared_clock)
		return clock_map(&S.clk, wall_ms());
	int64_t t = S.sim0_ms + (int64_t)((sim_mono_s() - S.mono0) * S.speedup * 1000.0);
	int64_t w = wall_ms();
	return t < w ? t : w;
}

/* ---- the clock, the buses, the status line ------------------------------ */

static void status_line(bool final)
{
	int moving = 0, dead = 0, broken = 0, vans_busy = 0, cols = 200;
	size_t buffered = 0;
	char clock[32], line[640], rides[128] = "";
	time_t secs = (time_t)(sim_now_ms() / 1000 + 8 * 3600); /* the county's time, UTC+8 */
	struct tm tm;
	struct winsize ws;
	double rate;
	long window = S.rate_second < RATE_WINDOW ? S.rate_second : RATE_WINDOW;

	for (int i = 0; i < S.vehicles; i++) {
		moving += bus_moving(&S.v[i].bus) && !S.draining;
		dead += !S.v[i].tablet.covered;
		broken += S.v[i].delay.broken;
		vans_busy += S.v[i].van && van_busy(S.v[i].van);
		buffered += tablet_backlog(&S.v[i].tablet);
	}
	rate = window > 0 ? (double)(S.stats.acked - S.acked_at[(S.rate_second - window) % (RATE_WINDOW + 1)]) /
				    (double)window : 0.0;
	gmtime_r(&secs, &tm);
	strftime(clock, sizeof clock, S.day ? "%Y-%m-%d %H:%M" : "%H:%M:%S", &tm);
	if (S.booking) {
		struct booking_counts bc = { 0 };
		S.booker->counts(S.booking, &bc);
		snprintf(rides, sizeof rides, "rides asked %llu booked %llu refused %llu | ",
			 (unsigned long long)bc.requested, (unsigned long long)bc.booked,
			 (unsigned long long)bc.refused);
	}
	if (S.day)
		snprintf(line, sizeof line,
			 "%s%s x%g | %d buses, %d moving, %d in dead zone | late trips %llu, broken down %d | "
			 "vans %d busy: %llu on, %llu off, %llu no-show, %llu parcels | %sfixes sent %llu, "
			 "stored %llu, buffered %zu | %.0f/s | last error: %s",
			 S.draining ? "day over, uploading " : "", clock, S.speedup, S.buses, moving, dead,
			 (unsigned long long)S.late_trips, broken, vans_busy, (unsigned long long)S.vans.boarded,
			 (unsigned long long)S.vans.dropped, (unsigned long long)S.vans.no_show,
			 (unsigned long long)S.vans.parcels_delivered, rides, (unsigned long long)S.stats.sent,
			 (unsigned long long)S.stats.acked, buffered, rate,
			 S.stats.last_error[0] ? S.stats.last_error : "none");
	else
		snprintf(line, sizeof line,
			 "%s%s x%g | %d vehicles, %d moving, %d in dead zone | fixes sent %llu, stored %llu, "
			 "refused %llu, buffered %zu | %.1f/s | last error: %s",
			 S.draining ? "draining " : "", clock, S.speedup, S.vehicles, moving, dead,
			 (unsigned long long)S.stats.sent, (unsigned long long)S.stats.acked,
			 (unsigned long long)S.stats.rejected, buffered, rate,
			 S.stats.last_error[0] ? S.stats.last_error : "none");
	if (S.tty && !final) {
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
			cols = ws.ws_col;
		printf("\r%.*s\033[K", cols - 1, line);
	} else {
		printf("%s%s\n", S.tty ? "\r\033[K" : "", line);
	}
	fflush(stdout);
}

static void begin_drain(void)
{
	if (S.draining)
		return;
	S.draining = true;
	S.ended_ms = sim_now_ms();
	S.drain_until = sim_mono_s() + S.drain_s;
	/* the day is over: the buses drive back into coverage and upload */
	for (int i = 0; i < S.vehicles; i++)
		S.v[i].tablet.covered = true;
}

/* Seconds into the county's service day (UTC+8) at ms: of --day, or today's shifted by --day-time. */
static double timetable_s(int64_t ms)
{
	if (S.day)
		return (double)ms / 1000.0 + 8 * 3600.0 - (double)S.day * 86400.0;
	double s = fmod((double)ms / 1000.0 + 8 * 3600.0, 86400.0) + S.day_offset_s;
	return s < 0 ? s + 86400.0 : s;
}

static void place(struct vehicle *v, double lat, double lon, double speed, double heading)
{
	v->bus.y = (lat - COUNTY_CENTRE_LAT) * 111320.0;
	v->bus.x = (lon - COUNTY_CENTRE_LON) * 111320.0 * cos(lat * M_PI / 180.0);
	v->bus.speed = speed;
	v->bus.cruise = speed;
	v->bus.dwell_s = speed > 0 ? 0 : 1;
	if (speed > 0)
		v->bus.heading = heading;
}

/*
 * Puts the bus where the timetable has its vehicle at ms; on a simulated
 * day, as late as its incidents make it, its riders counted at each stop.
 */
static void drive_timetable(struct vehicle *v, int64_t ms)
{
	struct schedule_pos p;
	double t = timetable_s(ms);
	if (!S.day) {
		schedule_position(S.sched, v->sched, t, &p);
		place(v, p.lat, p.lon, p.speed, p.heading);
		return;
	}
	bool standing, was_broken = v->delay.broken;
	double te = delay_step(&v->delay, t, &standing);
	S.breakdowns += v->delay.broken && !was_broken;
	schedule_position(S.sched, v->sched, te, &p);
	double late = delay_trip(&v->delay, &S.incidents, p.trip, t);
	if (late > 0) {
		S.late_trips++;
		S.late_min += late;
	}
	if (standing)
		p.speed = 0;
	if (v->counter.code[0])
		counter_step(&v->counter, p.trip, p.speed > 0 ? 0 : p.seq, p.speed > 0);
	place(v, p.lat, p.lon, p.speed, p.heading);
}

static void drive_van(struct vehicle *v, int64_t ms)
{
	struct van_pos p;
	van_step(v->van, ms, &p);
	place(v, p.lat, p.lon, p.speed, p.heading);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	double mono = sim_mono_s();
	int64_t now = sim_now_ms();
	bool busy = false;

	(void)fd;
	(void)what;
	(void)arg;
	if (S.duration_s > 0 && mono - S.mono0 >= S.duration_s)
		begin_drain();
	if (S.to_s >= 0 && timetable_s(now) >= S.to_s)
		begin_drain();
	if (S.booking && !S.draining)
		S.booker->tick(S.booking, now);
	for (int i = 0; i < S.vehicles; i++) {
		struct vehicle *v = &S.v[i];
		while (!S.draining && v->next_fix_ms <= now) {
			struct reading r;
			if (v->van)
				drive_van(v, v->next_fix_ms);
			else if (S.sched)
				drive_timetable(v, v->next_fix_ms);
			else
				bus_step(&v->bus, &S.rng, (double)(v->next_fix_ms - v->bus_ms) / 1000.0);
			v->bus_ms = v->next_fix_ms;
			v->tablet.covered = county_dead_zone_at(v->bus.x, v->bus.y) == NULL;
			bus_read(&v->bus, &S.rng, &r);
			tablet_record(&v->tablet, v->bus_ms, &r);
			v->next_fix_ms += (int64_t)(S.interval_s * 1000.0);
		}
		tablet_pump(&v->tablet, mono);
		busy |= v->tablet.in_flight || tablet_backlog(&v->tablet) > 0;
	}
	while ((double)(S.rate_second + 1) <= mono - S.mono0) {
		S.rate_second++;
		S.acked_at[S.rate_second % (RATE_WINDOW + 1)] = S.stats.acked;
	}
	if (mono >= S.next_status) {
		status_line(false);
		S.next_status = mono + (S.tty ? 0.25 : 5.0);
	}
	if (S.draining && (!busy || mono >= S.drain_until))
		event_base_loopexit(S.base, NULL);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	(void)arg;
	if (++S.signals > 1)
		event_base_loopexit(S.base, NULL);
	else
		begin_drain();
}

/* ---- start ---------------------------------------------------------------- */

/* The county's vans on booking duty (a simulated day): after the buses, at most --vans of them. */
static int load_vans(void)
{
	struct day_shift *sh;
	size_t n;
	char err[256];
	if (day_shifts(S.county, &sh, &n, err, sizeof err) != 0) {
		fprintf(stderr, "jintong-sim: %s\n", err);
		return -1;
	}
	int vans = 0;
	S.v = realloc(S.v, (size_t)(S.vehicles + (int)n + 1) * sizeof *S.v);
	if (!S.v)
		abort();
	for (size_t i = 0; i < n && vans < S.max_vans; i++) {
		bool seen = false;
		for (int k = 0; k < S.vehicles && !seen; k++)
			seen = !strcmp(S.v[k].code, sh[i].vehicle);
		for (size_t k = 0; k < schedule_vehicles(S.sched) && !seen; k++)
			seen = !strcmp(schedule_vehicle(S.sched, k), sh[i].vehicle); /* a bus that also runs trips */
		struct vehicle *v = &S.v[S.vehicles];
		memset(v, 0, sizeof *v);
		if (seen || !schedule_stop(S.sched, sh[i].depot, &v->depot_lat, &v->depot_lon))
			continue;
		snprintf(v->code, sizeof v->code, "%s", sh[i].vehicle);
		v->is_van = true;
		S.vehicles++;
		vans++;
	}
	free(sh);
	return 0;
}

/* The county's vehicles with trips on the day: the busiest --vehicles of them, and its vans. */
static int load_county(void)
{
	char err[256];
	int64_t now = S.shared_clock ? sim_now_ms() : wall_ms();
	double clock = fmod((double)now / 1000.0 + 8 * 3600.0, 86400.0);
	S.day_offset_s = S.day_time_s >= 0 ? S.day_time_s - clock : 0;
	time_t local_s = (time_t)(now / 1000 + 8 * 3600 + (int64_t)S.day_offset_s);
	struct tm tm;
	gmtime_r(&local_s, &tm);
	jt_day day = S.day ? S.day : date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	S.sched = schedule_load(S.county, day, err, sizeof err);
	if (!S.sched) {
		fprintf(stderr, "jintong-sim: %s\n", err);
		return -1;
	}
	if (schedule_vehicles(S.sched) == 0) {
		fprintf(stderr, "jintong-sim: no vehicle of %s has a trip that day\n", S.county);
		return -1;
	}
	if ((size_t)S.vehicles > schedule_vehicles(S.sched))
		S.vehicles = (int)schedule_vehicles(S.sched);
	for (int i = 0; i < S.vehicles; i++)
		S.v[i].sched = (size_t)i;
	S.buses = S.vehicles;
	return S.day ? load_vans() : 0;
}

static void usage(FILE *out, int status)
{
	fprintf(out,
		"usage: jintong-sim [--url http://127.0.0.1:8470] [--token T] [--vehicles 30]\n"
		"         [--interval 2] [--speedup 1] [--duration SECONDS] [--state FILE]\n"
		"         [--prefix SIM] [--osmand-share 0.33] [--batch 500] [--seed N]\n"
		"         [--drain 10] [--start-ago SECONDS] [--county DIR [--day-time HH:MM]]\n"
		"         [--day YYYY-MM-DD] [--from HH:MM] [--to HH:MM] [--vans 100]\n"
		"         [--late-share 0.1] [--breakdown-share 0.05] [--no-show-share 0.05]\n"
		"         [--no-show-wait 180] [--summary FILE] [--demand SEED]\n"
		"\n"
		"Simulated tablets on buses around a hilly county, streaming GPS fixes to\n"
		"jintongd: some as tracking apps (OsmAnd), the rest with the native protocol,\n"
		"buffering in dead zones and resending what was not acknowledged.\n"
		"With --county DIR (a feed jintong-county wrote) the county's own vehicles\n"
		"drive their trips of the day along the roads at the timetable's times.\n"
		"A simulated day (--county with --day, --from, --to): jintongd runs on a\n"
		"simulated clock (clock_start, clock_rate), which the simulator reads from\n"
		"/healthz and shares; --speedup, when given, must equal clock_rate. Buses\n"
		"drive the day's trips (a seeded --late-share of trips leave 3 to 12 min\n"
		"late, a --breakdown-share of vehicles break down once) and report riders\n"
		"on and off at each stop; vans on booking duty (at most --vans) follow\n"
		"their manifests and report board, no_show (--no-show-share of riders are\n"
		"not there; reported --no-show-wait seconds after the window opens) and\n"
		"dropoff. At --to the day ends and a summary is printed, and written to\n"
		"--summary FILE as \"key value\" lines. With --demand SEED the county's\n"
		"villagers book their rides of the day (POST /v1/rides) as the simulated\n"
		"clock reaches the time each is asked, and answer the offers.\n"
		"The operator token may come from JINTONG_TOKEN instead of --token.\n");
	exit(status);
}

/* A number given on the command line within [lo, hi], or exit 2 saying why. */
static double number(const char *opt, const char *v, double lo, double hi)
{
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (errno || end == v || *end || !(x >= lo && x <= hi)) {
		fprintf(stderr, "jintong-sim: %s takes a number from %g to %g, not '%s'\n", opt, lo,
			hi, v);
		exit(2);
	}
	return x;
}

/* HH:MM of the service day (up to 47:59 for after midnight), or exit 2. */
static double hhmm(const char *opt, const char *v)
{
	int h, m;
	char end;
	if (sscanf(v, "%d:%d%c", &h, &m, &end) != 2 || h < 0 || h > 47 || m < 0 || m > 59) {
		fprintf(stderr, "jintong-sim: %s takes HH:MM, not '%s'\n", opt, v);
		exit(2);
	}
	return h * 3600.0 + m * 60.0;
}

static bool speedup_given;

static void parse_args(int argc, char **argv)
{
	const char *env = getenv("JINTONG_TOKEN");

	snprintf(S.url, sizeof S.url, "http://127.0.0.1:8470");
	snprintf(S.prefix, sizeof S.prefix, "SIM");
	snprintf(S.token, sizeof S.token, "%s", env ? env : "");
	S.vehicles = 30;
	S.interval_s = 2;
	S.speedup = 1;
	S.osmand_share = 1.0 / 3.0;
	S.batch = 500;
	S.drain_s = 10;
	S.start_ago_s = -1;
	S.day_time_s = -1;
	S.from_s = S.to_s = -1;
	S.max_vans = 100;
	S.incidents.late_share = 0.1;
	S.incidents.breakdown_share = 0.05;
	S.no_show_share = 0.05;
	S.no_show_wait_s = 180;
	S.seed = (uint64_t)wall_ms();
	S.demand_seed = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			usage(stdout, 0);
		if (!strcmp(a, "--version")) {
			printf("jintong-sim %s\n", JT_VERSION);
			exit(0);
		}
		if (!v) {
			fprintf(stderr, "jintong-sim: %s needs a value\n", a);
			usage(stderr, 2);
		}
		i++;
		if (!strcmp(a, "--url")) snprintf(S.url, sizeof S.url, "%s", v);
		else if (!strcmp(a, "--token")) snprintf(S.token, sizeof S.token, "%s", v);
		else if (!strcmp(a, "--vehicles")) S.vehicles = (int)number(a, v, 1, 10000);
		else if (!strcmp(a, "--interval")) S.interval_s = number(a, v, 0.05, 3600);
		else if (!strcmp(a, "--speedup")) S.speedup = number(a, v, 1, 10000), speedup_given = true;
		else if (!strcmp(a, "--duration")) S.duration_s = number(a, v, 0, 1e7);
		else if (!strcmp(a, "--state")) snprintf(S.state_path, sizeof S.state_path, "%s", v);
		else if (!strcmp(a, "--prefix")) snprintf(S.prefix, sizeof S.prefix, "%s", v);
		else if (!strcmp(a, "--osmand-share")) S.osmand_share = number(a, v, 0, 1);
		else if (!strcmp(a, "--batch")) S.batch = (int)number(a, v, 1, 100000);
		else if (!strcmp(a, "--seed")) S.seed = (uint64_t)number(a, v, 0, 9007199254740992.0);
		else if (!strcmp(a, "--drain")) S.drain_s = number(a, v, 0, 3600);
		else if (!strcmp(a, "--start-ago")) S.start_ago_s = number(a, v, 0, 7 * 86400);
		else if (!strcmp(a, "--county")) snprintf(S.county, sizeof S.county, "%s", v);
		else if (!strcmp(a, "--day")) {
			if (date_parse(v, &S.day) != 0) {
				fprintf(stderr, "jintong-sim: --day takes YYYY-MM-DD, not '%s'\n", v);
				exit(2);
			}
		}
		else if (!strcmp(a, "--from")) S.from_s = hhmm(a, v);
		else if (!strcmp(a, "--to")) S.to_s = hhmm(a, v);
		else if (!strcmp(a, "--vans")) S.max_vans = (int)number(a, v, 0, 10000);
		else if (!strcmp(a, "--late-share")) S.incidents.late_share = number(a, v, 0, 1);
		else if (!strcmp(a, "--breakdown-share")) S.incidents.breakdown_share = number(a, v, 0, 1);
		else if (!strcmp(a, "--no-show-share")) S.no_show_share = number(a, v, 0, 1);
		else if (!strcmp(a, "--no-show-wait")) S.no_show_wait_s = number(a, v, 0, 3600);
		else if (!strcmp(a, "--summary")) snprintf(S.summary_path, sizeof S.summary_path, "%s", v);
		else if (!strcmp(a, "--demand")) S.demand_seed = (long long)number(a, v, 0, 9007199254740992.0);
		else if (!strcmp(a, "--day-time")) {
			int h, m;
			char end;
			if (sscanf(v, "%d:%d%c", &h, &m, &end) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
				fprintf(stderr, "jintong-sim: --day-time takes HH:MM, not '%s'\n", v);
				exit(2);
			}
			S.day_time_s = h * 3600 + m * 60;
		}
		else {
			fprintf(stderr, "jintong-sim: unknown option '%s'\n", a);
			usage(stderr, 2);
		}
	}
	if (strlen(S.prefix) > 16 || !S.prefix[0]) {
		fprintf(stderr, "jintong-sim: --prefix takes 1 to 16 characters\n");
		exit(2);
	}
	if (!S.token[0]) {
		fprintf(stderr, "jintong-sim: an operator token is needed (--token or JINTONG_TOKEN)\n");
		exit(2);
	}
	if ((S.day || S.from_s >= 0 || S.to_s >= 0) && !S.county[0]) {
		fprintf(stderr, "jintong-sim: --day, --from and --to drive a county's day: give --county DIR\n");
		exit(2);
	}
	if (S.demand_seed >= 0 && !S.day) {
		fprintf(stderr, "jintong-sim: --demand books a simulated day's rides: give --county DIR and --day\n");
		exit(2);
	}
	if (S.from_s >= 0 && S.to_s >= 0 && S.to_s <= S.from_s) {
		fprintf(stderr, "jintong-sim: --to must come after --from\n");
		exit(2);
	}
	S.incidents.seed = S.seed;
}

static int parse_url(void)
{
	struct evhttp_uri *u = evhttp_uri_parse(S.url);
	const char *host = u ? evhttp_uri_get_host(u) : NULL;

	if (!host || (evhttp_uri_get_scheme(u) && strcmp(evhttp_uri_get_scheme(u), "http"))) {
		fprintf(stderr, "jintong-sim: --url must be http://HOST:PORT\n");
		return -1;
	}
	snprintf(S.up.host, sizeof S.up.host, "%s", host);
	S.up.port = evhttp_uri_get_port(u) > 0 ? evhttp_uri_get_port(u) : 80;
	evhttp_uri_free(u);
	while (strlen(S.url) > 0 && S.url[strlen(S.url) - 1] == '/')
		S.url[strlen(S.url) - 1] = '\0';
	return 0;
}

/*
 * The county's clock: the daemon's simulated one when it runs one (shared
 * exactly: same start, rate and anchor), otherwise the wall clock, which
 * a simulated day other than today cannot run on.
 */
static int setup_clock(void)
{
	char err[256];
	int rc = -1;
	for (int i = 0; i < 20 && rc < 0; i++) { /* the daemon may still be starting */
		rc = day_daemon_clock(S.url, &S.clk, err, sizeof err);
		if (rc < 0)
			usleep(500 * 1000);
	}
	if (rc < 0) {
		fprintf(stderr, "jintong-sim: %s\n", err);
		return -1;
	}
	if (rc == 1) {
		if (speedup_given && fabs(S.speedup - S.clk.rate) > 1e-9) {
			fprintf(stderr, "jintong-sim: jintongd's clock runs x%g, not --speedup %g\n", S.clk.rate,
				S.speedup);
			return -1;
		}
		S.shared_clock = true;
		S.speedup = S.clk.rate;
		int64_t now = sim_now_ms();
		jt_day today = (jt_day)((now / 1000 + 8 * 3600) / 86400);
		if (!S.county[0])
			return 0;
		if (S.day && S.day != today) {
			char want[16], have[16];
			date_format(S.day, want);
			date_format(today, have);
			fprintf(stderr, "jintong-sim: jintongd's simulated clock is on %s, not --day %s\n", have, want);
			return -1;
		}
		S.day = today;
		double at = timetable_s(now);
		if (S.from_s >= 0 && fabs(at - S.from_s) > 15 * 60)
			fprintf(stderr, "jintong-sim: jintongd's clock reads %02d:%02d, not --from %02d:%02d; "
					"the day goes on from where its clock is\n",
				(int)(at / 3600), (int)fmod(at / 60, 60), (int)(S.from_s / 3600),
				(int)fmod(S.from_s / 60, 60));
		return 0;
	}
	jt_day today = (jt_day)((wall_ms() / 1000 + 8 * 3600) / 86400);
	if ((S.day && S.day != today) || S.from_s >= 0) {
		char day[16];
		date_format(S.day ? S.day : today, day);
		int h = S.from_s >= 0 ? (int)(S.from_s / 3600) : 6, m = S.from_s >= 0 ? (int)fmod(S.from_s / 60, 60) : 0;
		fprintf(stderr,
			"jintong-sim: jintongd runs on the wall clock; for a simulated day start it with\n"
			"  --clock-start %sT%02d:%02d:00+08:00 --clock-rate %g\n",
			day, h, m, S.speedup);
		return -1;
	}
	return 0;
}

/* The vans' drivers and the buses' counts, once the tablets have their tokens. */
static void start_drivers(void)
{
	for (int i = 0; i < S.vehicles && S.day; i++) {
		struct vehicle *v = &S.v[i];
		if (v->is_van) {
			struct van_opts o = { .base = S.base, .host = S.up.host, .port = S.up.port, .code = v->code,
					      .token = v->tablet.token, .lat = v->depot_lat, .lon = v->depot_lon,
					      .no_show_share = S.no_show_share, .no_show_wait_s = S.no_show_wait_s,
					      .seed = S.seed, .stats = &S.vans };
			v->van = van_new(&o);
		} else {
			double first, last;
			schedule_span(S.sched, v->sched, &first, &last);
			delay_init(&v->delay, &S.incidents, v->code, first, last);
			counter_init(&v->counter, S.base, S.up.host, S.up.port, v->code, v->tablet.token, v->seats, S.seed,
				     &S.counts);
		}
	}
	S.booker = S.day && S.demand_seed >= 0 ? booking_client() : NULL;
	if (S.booker) {
		struct booking_start how = { .base = S.base, .url = S.url, .token = S.token, .county = S.county,
					     .day = S.day, .from_s = S.from_s, .to_s = S.to_s,
					     .seed = (uint64_t)S.demand_seed };
		S.booking = S.booker->start(&how);
	}
}

int main(int argc, char **argv)
{
	struct event *tick, *sigint, *sigterm;
	struct timeval tv = { 0, TICK_MS * 1000 };
	size_t left = 0;

	parse_args(argc, argv);
	if (parse_url() != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	rng_seed(&S.rng, S.seed);
	S.tty = isatty(STDOUT_FILENO);
	S.base = event_base_new();
	S.v = calloc((size_t)S.vehicles, sizeof *S.v);
	if (!S.base || !S.v)
		return 1;
	S.up.base = S.base;
	S.up.max_batch = S.batch;
	S.up.stats = &S.stats;
	if (setup_clock() != 0)
		return 1;
	if (S.county[0] && load_county() != 0)
		return 1;
	if (enrol_fleet() != 0)
		return 1;

	if (S.start_ago_s < 0) /* time to catch up: the whole run, or an hour when open-ended */
		S.start_ago_s = S.speedup <= 1 ? 0 :
			fmin((S.speedup - 1) * (S.duration_s > 0 ? S.duration_s : 3600.0), 12 * 3600.0);
	S.mono0 = sim_mono_s();
	S.sim0_ms = S.shared_clock ? sim_now_ms() : wall_ms() - (int64_t)(S.start_ago_s * 1000.0);
	start_drivers();
	for (int i = 0; i < S.vehicles; i++) {
		struct vehicle *v = &S.v[i];
		bus_start(&v->bus, &S.rng);
		if (S.sched && !v->is_van)
			drive_timetable(v, S.sim0_ms);
		else if (v->is_van)
			place(v, v->depot_lat, v->depot_lon, 0, 0);
		v->bus_ms = S.sim0_ms;
		v->next_fix_ms = S.sim0_ms + (int64_t)(rng_uniform(&S.rng) * S.interval_s * 1000.0);
	}
	printf("jintong-sim: %d vehicles (%d OsmAnd, %d native) around %.1f°N %.1f°E, "
	       "a fix every %g s, x%g, sending to %s\n",
	       S.vehicles, (int)floor(S.vehicles * S.osmand_share + 1e-9),
	       S.vehicles - (int)floor(S.vehicles * S.osmand_share + 1e-9), COUNTY_CENTRE_LAT,
	       COUNTY_CENTRE_LON, S.interval_s, S.speedup, S.url);
	fflush(stdout);

	tick = event_new(S.base, -1, EV_PERSIST, on_tick, NULL);
	sigint = evsignal_new(S.base, SIGINT, on_signal, NULL);
	sigterm = evsignal_new(S.base, SIGTERM, on_signal, NULL);
	event_add(tick, &tv);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_base_dispatch(S.base);

	status_line(true);
	for (int i = 0; i < S.vehicles; i++)
		left += tablet_backlog(&S.v[i].tablet);
	enrol_summary(left);
	enrol_save();
	for (int i = 0; i < S.vehicles; i++) {
		tablet_free(&S.v[i].tablet);
		counter_free(&S.v[i].counter);
		van_free(S.v[i].van);
	}
	event_free(tick);
	event_free(sigint);
	event_free(sigterm);
	event_base_free(S.base);
	free(S.v);
	schedule_free(S.sched);
	return 0;
}
