/*
 * soak.c — jintong-soak: a province's day of load on one jintongd, long
 * enough to see whether it keeps up and whether its memory stays flat.
 *
 * The province (province.h): by default 20,000 vehicles each with a tablet
 * sending a fix every 5 s (4,000 fixes/s; a quarter of the tablets speak the
 * tracking apps' OsmAnd protocol, the rest Jintong's protobuf), 6,000 stops,
 * 800 scheduled routes with 23,000 trips a day, 2,000 vans on booking duty,
 * and riders booking 200,000 rides a day with a morning peak (soak.h). It
 * runs the paced load for --minutes, printing every --window seconds the
 * fixes and bookings answered, their p50 and p99 times to answer, the rides
 * the daemon holds open and its resident memory; then measures the
 * headroom (every connection sending as fast as it is answered, first
 * fixes, then bookings, beside the paced load); then lets the tablets
 * deliver what they still hold and checks every acknowledged fix and ride
 * against the database.
 *
 *   jintong-soak [--short] [--minutes M] [--window S] [--vehicles N] [--vans N]
 *                [--stops N] [--lines N] [--km WxH] [--bookings-per-day N]
 *                [--from HH:MM] [--speedup K] [--connections N] [--burst S] [--seed S]
 *
 * --short is the suite's form: a county's 2,000 tablets for 40 s, the
 * booking profile 20 times as fast. Exits 1 when an acknowledged fix or ride
 * is missing, a fix was refused or lost by a tablet, or (outside the
 * sanitizer build) resident memory grew beyond what the rides held explain.
 * Run through tools/soak (which starts a throwaway cluster) or in the suite.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "harness.h"
#include "soak.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define MAX_ROWS 4096

struct sample {
	double t_s;
	double cpu;        /* share of one core the daemon used in the window */
	long rss_kb;
	long long open_rides;
};

struct run {
	struct h_test *t;
	long window_ms;
	int64_t start_us, last_us;
	uint64_t last_acked, last_booked;
	double last_cpu_s;
	struct sample rows[MAX_ROWS];
	int nrows;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* A figure from the daemon's /metrics, -1 when it has none. */
/* CPU seconds the process has used (user + system). */
static double cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the command may hold spaces */
	unsigned long long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long long metric(struct h_test *t, const char *name)
{
	struct h_resp r;
	h_http(t, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
	long long v = -1;
	size_t n = strlen(name);
	for (const char *p = r.body; r.status == 200 && p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			v = (long long)strtod(p + n + 1, NULL);
			break;
		}
	h_resp_free(&r);
	return v;
}

static double ms(int64_t us)
{
	return (double)us / 1000.0;
}

static void report(struct soak *s, void *arg)
{
	struct run *run = arg;
	const struct soak_counts *c = soak_counts(s);
	int64_t now = mono_us();
	double dt = (double)(now - run->last_us) / 1e6;
	const struct histogram *fw = soak_fix_latency(s, true), *bw = soak_book_latency(s, true);
	struct sample *row = run->nrows < MAX_ROWS ? &run->rows[run->nrows++] : &run->rows[MAX_ROWS - 1];
	row->t_s = (double)(now - run->start_us) / 1e6;
	row->rss_kb = rss_kb(run->t->d.pid);
	row->open_rides = metric(run->t, "jintong_rides_open");
	double cpu = cpu_s(run->t->d.pid);
	row->cpu = (cpu - run->last_cpu_s) / dt;
	run->last_cpu_s = cpu;
	double pt = fmod(soak_profile_time(s), 86400.0);
	printf("%6.0f  %02d:%02d  %8.0f %7.1f %7.1f  %7.1f %7.0f %7.0f  %9lld  %7.1f %5.0f\n", row->t_s, (int)(pt / 3600),
	       (int)fmod(pt / 60, 60), (double)(c->acked - run->last_acked) / dt, ms(histogram_percentile(fw, 0.5)),
	       ms(histogram_percentile(fw, 0.99)), (double)(c->booked - run->last_booked) / dt,
	       ms(histogram_percentile(bw, 0.5)), ms(histogram_percentile(bw, 0.99)), row->open_rides,
	       (double)row->rss_kb / 1024.0, row->cpu * 100);
	fflush(stdout);
	run->last_us = now;
	run->last_acked = c->acked;
	run->last_booked = c->booked;
	if (run->nrows == 1)
		soak_warmed_up(s);
	soak_window_reset(s);
}

static long number(const char *opt, const char *v, long lo, long hi)
{
	char *end;
	errno = 0;
	double x = v ? strtod(v, &end) : NAN;
	if (!v || errno || *end || !(x >= (double)lo && x <= (double)hi)) {
		fprintf(stderr, "jintong-soak: %s takes a number from %ld to %ld\n", opt, lo, hi);
		exit(2);
	}
	return (long)x;
}

static void usage(FILE *out, int status)
{
	fprintf(out, "usage: jintong-soak [--short] [--minutes M] [--window S] [--vehicles N] [--vans N]\n"
		     "                    [--stops N] [--lines N] [--km WxH] [--bookings-per-day N]\n"
		     "                    [--from HH:MM] [--speedup K] [--connections N] [--burst S] [--seed S]\n");
	exit(status);
}

int main(int argc, char **argv)
{
	struct province_opts po = { .stops = 6000, .lines = 400, .vehicles = 20000, .vans = 2000, .width_km = 300,
				    .height_km = 250, .seed = 1 };
	struct soak_opts so = { .host = "127.0.0.1", .connections = 500, .booking_connections = 8,
				.interval_ms = 5000, .osmand_share = 0.25, .bookings_per_day = -1,
				.speedup = 1, .seed = 1 };
	int from_min = 6 * 60 + 45;
	double minutes = 30;
	long window_s = 30, burst_s = 10;
	bool vans_given = false;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help"))
			usage(stdout, 0);
		if (!strcmp(o, "--short")) {
			po = (struct province_opts){ .stops = 600, .lines = 40, .vehicles = 2000, .vans = 200,
						     .width_km = 60, .height_km = 50, .seed = po.seed };
			so.connections = 100;
			so.booking_connections = 4;
			so.speedup = 20;
			minutes = 40.0 / 60;
			window_s = 5;
			burst_s = 3;
			continue;
		}
		if (!v)
			usage(stderr, 2);
		i++;
		if (!strcmp(o, "--minutes"))
			minutes = (double)number(o, v, 1, 24 * 60);
		else if (!strcmp(o, "--window"))
			window_s = number(o, v, 1, 3600);
		else if (!strcmp(o, "--vehicles"))
			po.vehicles = (int)number(o, v, 1, 99999);
		else if (!strcmp(o, "--vans")) {
			po.vans = (int)number(o, v, 0, 99999);
			vans_given = true;
		} else if (!strcmp(o, "--stops"))
			po.stops = (int)number(o, v, 10, 99999);
		else if (!strcmp(o, "--lines"))
			po.lines = (int)number(o, v, 1, 9999);
		else if (!strcmp(o, "--km")) {
			if (sscanf(v, "%lfx%lf", &po.width_km, &po.height_km) != 2 || !(po.width_km >= 5 && po.width_km <= 2000) ||
			    !(po.height_km >= 5 && po.height_km <= 2000)) {
				fprintf(stderr, "jintong-soak: --km takes WIDTHxHEIGHT in km, each 5 to 2000\n");
				return 2;
			}
		} else if (!strcmp(o, "--bookings-per-day"))
			so.bookings_per_day = (double)number(o, v, 0, 100000000);
		else if (!strcmp(o, "--from")) {
			int h, m;
			if (sscanf(v, "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
				fprintf(stderr, "jintong-soak: --from takes HH:MM\n");
				return 2;
			}
			from_min = h * 60 + m;
		} else if (!strcmp(o, "--speedup"))
			so.speedup = (double)number(o, v, 1, 1000);
		else if (!strcmp(o, "--connections"))
			so.connections = (int)number(o, v, 1, 20000);
		else if (!strcmp(o, "--burst"))
			burst_s = number(o, v, 0, 600);
		else if (!strcmp(o, "--seed"))
			po.seed = so.seed = (uint64_t)number(o, v, 0, 1000000000);
		else
			usage(stderr, 2);
	}
	if (!vans_given && po.vans > po.vehicles / 10)
		po.vans = po.vehicles / 10;
	if (po.vans > po.vehicles)
		po.vans = po.vehicles;
	if (so.bookings_per_day < 0)
		so.bookings_per_day = 10.0 * po.vehicles; /* 200,000 a day for 20,000 vehicles */
	if (so.connections > po.vehicles)
		so.connections = po.vehicles;

	/* every tablet's connection and the daemon's own need descriptors */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	struct h_test t;
	h_init(&t, "soak");
	char out[4096];
	const char *migrate[] = { "--migrate", NULL };
	REQUIRE(h_run_daemon_once(&t, migrate, out, sizeof out) == 0, "jintongd --migrate: %s", out);
	struct province p;
	char err[1024];
	int64_t t0 = mono_us();
	REQUIRE(province_make(&po, t.conninfo, &p, err, sizeof err) == 0, "the province: %s", err);
	printf("province: %zu stops, %d routes, %zu trips a day (%zu stop times), %d vehicles with tablets, "
	       "%d vans on booking duty; made in %.1f s\n",
	       p.nstops, 2 * po.lines, p.trips, p.stop_times, po.vehicles, po.vans, (double)(mono_us() - t0) / 1e6);
	h_create_operator(&t);
	/* The county's morning whatever the hour: the daemon's clock starts tomorrow at --from. All the
	 * province's tablets come from this one address. */
	char day[16], clock_start[48], rate[32];
	h_county_date(1, day, sizeof day);
	snprintf(clock_start, sizeof clock_start, "%sT%02d:%02d:00+08:00", day, from_min / 60, from_min % 60);
	snprintf(rate, sizeof rate, "%g", so.speedup);
	const char *args[] = { "--max-connections-per-address", "0", "--log-level", "warn", "--clock-start", clock_start,
			       "--clock-rate", rate, NULL };
	t0 = mono_us();
	h_start(&t, args);
	struct h_resp hr;
	h_http(&t, "GET", "/healthz", NULL, NULL, NULL, 0, &hr);
	struct json_object *health = hr.status == 200 ? json_tokener_parse(hr.body) : NULL, *clk, *v;
	REQUIRE(health && json_object_object_get_ex(health, "clock", &clk) &&
			json_object_object_get_ex(clk, "start_ms", &v),
		"/healthz tells no simulated clock: %s", hr.body ? hr.body : "");
	so.clock_start_ms = json_object_get_int64(v);
	REQUIRE(json_object_object_get_ex(clk, "anchor_ms", &v), "/healthz tells no clock anchor");
	so.clock_anchor_ms = json_object_get_int64(v);
	json_object_put(health);
	h_resp_free(&hr);
	printf("jintongd ready in %.1f s (pid %d), resident %.1f MB\n", (double)(mono_us() - t0) / 1e6, (int)t.d.pid,
	       (double)rss_kb(t.d.pid) / 1024.0);

	int port = 0;
	sscanf(t.d.url, "http://127.0.0.1:%d", &port);
	so.port = port;
	so.op_token = t.op_token;
	double offered = (double)po.vehicles * 1000.0 / (double)so.interval_ms;
	printf("load: %.0f fixes/s from %d tablets (%.0f%% OsmAnd) over %d connections; bookings %.0f a day, "
	       "the county's clock from %s %02d:%02d at x%g, peak %.1f/s; %.1f min\n",
	       offered, po.vehicles, so.osmand_share * 100, so.connections, so.bookings_per_day,
	       day, from_min / 60, from_min % 60, so.speedup,
	       so.bookings_per_day * 0.13 / 3600 * so.speedup, minutes);
	printf("%6s  %5s  %8s %7s %7s  %7s %7s %7s  %9s  %7s %5s\n", "s", "time", "fixes/s", "p50 ms", "p99 ms", "book/s",
	       "p50 ms", "p99 ms", "open", "RSS MB", "CPU%");

	struct soak *s = soak_new(&so, &p);
	static struct run run;
	run.t = &t;
	run.window_ms = window_s * 1000;
	run.start_us = run.last_us = mono_us();
	run.last_cpu_s = cpu_s(t.d.pid);
	soak_run(s, (long)(minutes * 60000), run.window_ms, report, &run);
	const struct soak_counts *c = soak_counts(s);
	struct soak_counts paced = *c;
	struct histogram const *fa = soak_fix_latency(s, false), *ba = soak_book_latency(s, false);
	int64_t fix_p50 = histogram_percentile(fa, 0.5), fix_p99 = histogram_percentile(fa, 0.99);
	int64_t fix_p999 = histogram_percentile(fa, 0.999), fix_max = fa->max_us;
	int64_t book_p50 = histogram_percentile(ba, 0.5), book_p99 = histogram_percentile(ba, 0.99);
	double sustained_s = (double)(mono_us() - run.start_us) / 1e6;

	/* headroom: fixes as fast as answered beside the bookings, then bookings beside the fixes */
	double fix_cap = 0, book_cap = 0;
	if (burst_s > 0) {
		uint64_t a0 = c->acked;
		int64_t b0 = mono_us();
		soak_burst(s, true, burst_s * 1000);
		fix_cap = (double)(c->acked - a0) / ((double)(mono_us() - b0) / 1e6);
		uint64_t k0 = c->booked;
		b0 = mono_us();
		soak_burst(s, false, burst_s * 1000);
		book_cap = (double)(c->booked - k0) / ((double)(mono_us() - b0) / 1e6);
	}
	long rss_end = rss_kb(t.d.pid);
	soak_drain(s, 60000);

	uint64_t stored, dups, rides_checked;
	uint64_t missing = soak_fixes_missing(s, t.conninfo, &stored, &dups);
	uint64_t rides_missing = soak_rides_missing(s, t.conninfo, &rides_checked);

	/* memory: from the end of the first fifth (the daemon warmed up) to the end of the paced load */
	int warm = run.nrows / 5;
	const struct sample *w0 = run.nrows ? &run.rows[warm] : NULL, *w1 = run.nrows ? &run.rows[run.nrows - 1] : NULL;
	double grew_mb = w0 ? (double)(w1->rss_kb - w0->rss_kb) / 1024.0 : 0;
	long long rides_more = w0 ? w1->open_rides - w0->open_rides : 0;
	long peak_kb = 0;
	for (int i = 0; i < run.nrows; i++)
		if (run.rows[i].rss_kb > peak_kb)
			peak_kb = run.rows[i].rss_kb;

	printf("\npaced load, %.0f s: %" PRIu64 " fixes made, %" PRIu64 " acknowledged (%.0f/s); after the first "
	       "window: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms\n",
	       sustained_s, paced.made, paced.acked, (double)paced.acked / sustained_s, ms(fix_p50), ms(fix_p99),
	       ms(fix_p999), ms(fix_max));
	printf("  requests %" PRIu64 ": %" PRIu64 " answered 200, %" PRIu64 " 503, %" PRIu64 " 429, %" PRIu64
	       " no answer, %" PRIu64 " other\n",
	       paced.requests, paced.ok, paced.unavailable, paced.limited, paced.failed, paced.other);
	printf("  bookings %" PRIu64 " asked, %" PRIu64 " answered (%.1f/s): %" PRIu64 " on a seat, %" PRIu64
	       " in a van, %" PRIu64 " refused; after the first window p50 %.1f ms, p99 %.1f ms\n",
	       paced.book_due, paced.booked, (double)paced.booked / sustained_s, paced.seat, paced.van, paced.refused,
	       ms(book_p50), ms(book_p99));
	if (w0)
		printf("memory: jintongd resident %.1f MB after warm-up (%.0f s), %.1f MB at the end (%+.1f MB) "
		       "with %+lld rides held open, peak %.1f MB; %.1f MB after the bursts%s\n",
		       (double)w0->rss_kb / 1024, w0->t_s, (double)w1->rss_kb / 1024, grew_mb, rides_more,
		       (double)peak_kb / 1024, (double)rss_end / 1024, SANITIZED ? " (sanitizer build: not judged)" : "");
	if (burst_s > 0)
		printf("headroom: %.0f fixes/s at most beside the bookings = %.1f x the province's %.0f/s; "
		       "%.1f bookings/s at most beside the fixes = %.1f x the morning peak's %.1f/s\n",
		       fix_cap, fix_cap / offered, offered, book_cap, book_cap / soak_booking_peak(s),
		       soak_booking_peak(s));
	printf("database: %" PRIu64 " fixes acknowledged, %" PRIu64 " rows stored, %" PRIu64 " missing, %" PRIu64
	       " stored twice; %" PRIu64 " rides answered, %" PRIu64 " missing\n",
	       c->acked, stored, missing, dups, rides_checked, rides_missing);

	CHECK(missing == 0, "%" PRIu64 " acknowledged fixes are not in the database", missing);
	CHECK(rides_missing == 0, "%" PRIu64 " rides answered are not in the database", rides_missing);
	CHECK(c->rejected == 0 && c->other == 0, "%" PRIu64 " fixes rejected, %" PRIu64 " requests refused",
	      c->rejected, c->other);
	CHECK(c->dropped == 0, "tablets lost %" PRIu64 " fixes waiting for the daemon", c->dropped);
	CHECK(c->book_other == 0, "%" PRIu64 " bookings were not answered with a ride", c->book_other);
	CHECK(paced.acked > 0 && (paced.booked > 0 || so.bookings_per_day == 0), "nothing was acknowledged");
	/* Memory: a ride held open costs a few kilobytes at most; the rest must not grow with the fixes. */
	double allowed_mb = 16 + (double)(rides_more > 0 ? rides_more : 0) * 8.0 / 1024;
	if (!SANITIZED && w0 && run.nrows >= 5)
		CHECK(grew_mb <= allowed_mb, "jintongd's memory grew %.1f MB over the run (%.1f MB allowed for %lld rides)",
		      grew_mb, allowed_mb, rides_more);
	fflush(stdout);
	soak_free(s);
	province_free(&p);
	return h_finish(&t);
}
