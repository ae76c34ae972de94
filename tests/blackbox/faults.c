/*
 * faults.c — jintong-faults: the daemon under the faults a county's
 * service meets, one scenario at a time, each with tablets streaming fixes
 * and riders booking seats while it happens:
 *
 *   a  PostgreSQL killed (immediate shutdown, as a crash) and started again
 *   b  the daemon killed (SIGKILL) and started again by its service manager
 *   s  the same with a standby: the active daemon killed, the standby takes over
 *   c  the riders' notification gateway hanging, then answering again
 *   d  the database's disk full (a tablespace on a small tmpfs), then space freed
 *   e  tablets' clocks wrong: fixes hours ahead and behind, a clock jumping back
 *
 * and prints, per scenario, what was acknowledged, what is stored, what is
 * missing (acknowledged but not stored: must be 0), and whether the daemon
 * served again by itself, and how long that took. Exits 1 when anything
 * acknowledged is missing or the daemon did not serve again.
 *
 * Run through tools/faults (which starts a throwaway cluster) or inside the
 * test suite (JINTONG_TEST_PG and the rest set by tests/run). --short runs
 * each load phase for about a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bookings.h"
#include "gateway.h"
#include "stream.h"

#define RECOVER_MAX_MS 60000

struct row {
	char name[48];
	bool run, skipped;
	uint64_t fixes_acked, fixes_stored, fixes_missing;
	size_t rides_acked, rides_missing;
	int served_again; /* 1 yes, 0 no, -1 does not apply */
	long long recover_ms;
	char note[400];
};

/* Tablets and riders of one scenario, and the daemon they talk to now. */
struct load {
	struct h_test *t;
	struct h_stream *s;
	struct h_bookings bk;
};

static long phase_ms = 20000;
static int batch_tablets = 8, osmand_tablets = 4;

static long long mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long status_of(struct h_test *t, const char *path)
{
	struct h_resp r;
	h_http(t, "GET", path, NULL, NULL, NULL, 0, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

/* Fixes streaming and a rider booking every tenth of a second, for ms. */
static void run_load(struct load *l, long ms)
{
	long long end = mono() + ms;
	while (mono() < end) {
		h_stream_run(l->s, 100, NULL, NULL);
		h_bookings_step(&l->bk, l->t);
	}
}

/* Loads until fixes and a ride are acknowledged again after a fault; ms it took, -1 if never. */
static long long await_service(struct load *l, long long since)
{
	const struct h_stream_counts *c = h_stream_counts(l->s);
	uint64_t fixes = c->acked + 50;
	size_t rides = l->bk.acked + 1;
	while (mono() - since < RECOVER_MAX_MS) {
		h_stream_run(l->s, 100, NULL, NULL);
		if (l->bk.acked < rides)
			h_bookings_step(&l->bk, l->t);
		if (c->acked >= fixes && l->bk.acked >= rides)
			return mono() - since;
	}
	return -1;
}

static void load_start(struct load *l, struct h_test *t)
{
	memset(l, 0, sizeof *l);
	l->t = t;
	h_bookings_network(t);
	l->s = h_stream_new(t, batch_tablets, osmand_tablets, 20);
}

/* Lets everything outstanding be acknowledged, then counts into row. */
static void load_finish(struct load *l, struct row *row)
{
	h_stream_drain(l->s, 30000);
	for (int i = 0; i < 100 && l->bk.pending; i++)
		h_bookings_step(&l->bk, l->t);
	const struct h_stream_counts *c = h_stream_counts(l->s);
	uint64_t dups = 0;
	row->fixes_acked = c->acked;
	row->fixes_missing = h_stream_missing(l->s, &dups);
	long long stored = h_sql_num(l->t, "SELECT count(*) FROM position");
	row->fixes_stored = stored > 0 ? (uint64_t)stored : 0;
	row->rides_acked = l->bk.acked;
	row->rides_missing = h_bookings_missing(&l->bk, l->t);
	size_t n = strlen(row->note);
	snprintf(row->note + n, sizeof row->note - n,
		 "%sfixes 503=%llu no-answer=%llu dup=%llu never-acked=%llu; rides 503=%llu no-answer=%llu",
		 n ? "; " : "", (unsigned long long)c->unavailable, (unsigned long long)c->failed,
		 (unsigned long long)dups, (unsigned long long)(c->made - c->acked),
		 (unsigned long long)l->bk.unavailable, (unsigned long long)l->bk.failed);
	h_stream_free(l->s);
	h_bookings_free(&l->bk);
}

static const char *base_args[] = { "--reconnect-max-ms", "300", "--retry-after-s", "1", "--trip-seats", "200",
				   "--stats-interval-s", "0", NULL };

/* a: PostgreSQL crashes under load and comes back. */
static void pg_killed(struct row *row)
{
	struct h_test t;
	struct load l;
	h_init(&t, "faults_pg");
	h_private_cluster(&t);
	h_create_operator(&t);
	h_start(&t, base_args);
	load_start(&l, &t);
	run_load(&l, phase_ms);
	REQUIRE(h_pgctl(&t, "kill") == 0, "tools/pg kill failed");
	run_load(&l, phase_ms / 4 + 1000);
	bool alive = status_of(&t, "/healthz") == 200, unready = status_of(&t, "/readyz") == 503;
	REQUIRE(h_pgctl(&t, "start") == 0, "PostgreSQL did not start again");
	long long since = mono();
	row->recover_ms = await_service(&l, since);
	row->served_again = row->recover_ms >= 0;
	snprintf(row->note, sizeof row->note, "while down: alive=%s readyz=%s", alive ? "yes" : "no",
		 unready ? "503" : "not 503");
	run_load(&l, phase_ms);
	load_finish(&l, row);
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not stop cleanly");
	h_finish(&t);
}

/* b: the daemon dies under load; its service manager starts it again. */
static void daemon_killed(struct row *row)
{
	struct h_test t;
	struct load l;
	h_init(&t, "faults_kill");
	h_create_operator(&t);
	h_start(&t, base_args);
	load_start(&l, &t);
	run_load(&l, phase_ms);
	long long since = mono();
	CHECK(h_stop(&t, SIGKILL) == 128 + SIGKILL, "daemon not killed");
	h_start(&t, base_args);
	long long ready = mono() - since;
	row->recover_ms = await_service(&l, since);
	row->served_again = row->recover_ms >= 0;
	snprintf(row->note, sizeof row->note, "restarted at once, as by systemd: ready %lld ms after the kill",
		 ready);
	run_load(&l, phase_ms);
	load_finish(&l, row);
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not stop cleanly");
	h_finish(&t);
}

/* s: two daemons with the leader lock; the active one dies, the standby takes over. */
static void standby_takes_over(struct row *row)
{
	static const char *args[] = { "--leader-lock", "1", "--reconnect-max-ms", "300", "--retry-after-s", "1",
				      "--trip-seats", "200", "--stats-interval-s", "0", NULL };
	struct h_test a, b;
	struct load l;
	h_init(&a, "faults_standby");
	h_create_operator(&a);
	h_start(&a, args);
	b = a;
	b.d.pid = -1;
	b.d.notify_fd = -1;
	snprintf(b.tmpdir, sizeof b.tmpdir, "/tmp/jt-faults-standby-XXXXXX");
	REQUIRE(mkdtemp(b.tmpdir), "mkdtemp");
	h_start(&b, args);
	bool standing_by = status_of(&b, "/readyz") == 503;
	load_start(&l, &a);
	run_load(&l, phase_ms);
	long long since = mono();
	CHECK(h_stop(&a, SIGKILL) == 128 + SIGKILL, "active daemon not killed");
	/* The tablets' next requests reach the standby, as through a balancer checking /readyz. */
	snprintf(a.d.url, sizeof a.d.url, "%s", b.d.url);
	long long ready = -1;
	while (ready < 0 && mono() - since < RECOVER_MAX_MS) {
		if (status_of(&b, "/readyz") == 200)
			ready = mono() - since;
		else
			h_stream_run(l.s, 50, NULL, NULL);
	}
	row->recover_ms = await_service(&l, since);
	row->served_again = row->recover_ms >= 0 && ready >= 0;
	run_load(&l, phase_ms);
	size_t unserved = h_bookings_unserved(&l.bk, &b);
	snprintf(row->note, sizeof row->note,
		 "standby stood by: %s; standby ready %lld ms after the kill; rides not served by it: %zu",
		 standing_by ? "yes" : "no", ready, unserved);
	CHECK(unserved == 0, "%zu rides not served after the takeover", unserved);
	load_finish(&l, row);
	CHECK(h_stop(&b, SIGTERM) == 0, "daemon did not stop cleanly");
	const char *rm[] = { "/bin/rm", "-rf", b.tmpdir, NULL };
	char out[128];
	h_exec(rm, out, sizeof out);
	h_finish(&a);
}

/* c: the notification gateway holds every request open, then recovers. */
static void gateway_hangs(struct row *row)
{
	struct h_test t;
	struct load l;
	struct gw *g = gw_start();
	gw_answer(g, GW_HANG);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/notify", gw_port(g));
	const char *args[] = { "--notify-url", url, "--notify-timeout-ms", "1000", "--notify-retry-max-s", "1",
			       "--notify-attempts-max", "1000", "--trip-seats", "200", "--stats-interval-s", "0",
			       NULL };
	h_init(&t, "faults_gateway");
	h_create_operator(&t);
	h_start(&t, args);
	load_start(&l, &t);
	/* Every booking timed while the gateway hangs. */
	long long slowest = 0, end = mono() + phase_ms;
	while (mono() < end) {
		h_stream_run(l.s, 100, NULL, NULL);
		long long t0 = mono();
		h_bookings_step(&l.bk, &t);
		if (mono() - t0 > slowest)
			slowest = mono() - t0;
	}
	long long made = h_sql_num(&t, "SELECT count(*) FROM notification");
	long long delivered_in_hang = h_sql_num(&t, "SELECT count(*) FROM notification WHERE delivered_at IS NOT NULL");
	gw_release(g, 0);
	gw_answer(g, 200);
	long long since = mono(), left = -1;
	while (mono() - since < RECOVER_MAX_MS) {
		h_stream_run(l.s, 100, NULL, NULL);
		left = h_sql_num(&t, "SELECT count(*) FROM notification WHERE delivered_at IS NULL");
		if (left == 0)
			break;
	}
	row->recover_ms = left == 0 ? mono() - since : -1;
	row->served_again = left == 0;
	long long total = h_sql_num(&t, "SELECT count(*) FROM notification");
	snprintf(row->note, sizeof row->note,
		 "slowest booking while hanging %lld ms; notifications %lld made while hanging, %lld of them "
		 "delivered then by retries the gateway took as repeats of requests it held; after recovery "
		 "%lld of %lld delivered, %lld gave up",
		 slowest, made, delivered_in_hang,
		 h_sql_num(&t, "SELECT count(*) FROM notification WHERE delivered_at IS NOT NULL"), total,
		 h_sql_num(&t, "SELECT count(*) FROM notification WHERE gave_up_at IS NOT NULL"));
	CHECK(left == 0, "%lld notifications not delivered after the gateway recovered", left);
	load_finish(&l, row);
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not stop cleanly");
	h_finish(&t);
	gw_stop(g);
}

/* Fills the file system at dir; returns the filler's path in path. */
static long long fill(const char *dir, char *path, size_t len)
{
	snprintf(path, len, "%s/filler", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	static char block[65536];
	long long n = 0;
	for (size_t sz = sizeof block; sz >= 512; sz /= 2) {
		ssize_t w;
		while ((w = write(fd, block, sz)) > 0)
			n += w;
	}
	close(fd);
	return n;
}

/* d: the disk under the database's tables fills up, then space is freed. */
static void disk_full(struct row *row)
{
	if (geteuid() != 0) {
		row->skipped = true;
		snprintf(row->note, sizeof row->note,
			 "skipped: a small file system for the tables needs root (mount -t tmpfs)");
		return;
	}
	struct passwd *pw = getpwnam("postgres");
	char mnt[64] = "/tmp/jt-faults-disk-XXXXXX";
	if (!pw || !mkdtemp(mnt) || mount("tmpfs", mnt, "tmpfs", 0, "size=48m,mode=0755") != 0) {
		row->skipped = true;
		snprintf(row->note, sizeof row->note, "skipped: cannot mount a small tmpfs here (%s)",
			 pw ? strerror(errno) : "no postgres user");
		rmdir(mnt);
		return;
	}
	char ts[96];
	snprintf(ts, sizeof ts, "%s/ts", mnt);
	REQUIRE(mkdir(ts, 0700) == 0 && chown(ts, pw->pw_uid, pw->pw_gid) == 0, "tablespace folder");
	struct h_test t;
	struct load l;
	h_init(&t, "faults_disk");
	h_private_cluster(&t);
	/* The test's database moves, empty, to the small file system: every table it gets lives there. */
	PGconn *c = PQconnectdb(t.admin_conninfo);
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE TABLESPACE tiny LOCATION '%s'", ts);
	PGresult *r = PQexec(c, sql);
	REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK, "tablespace: %s", PQerrorMessage(c));
	PQclear(r);
	snprintf(sql, sizeof sql, "ALTER DATABASE %s SET TABLESPACE tiny", t.dbname);
	r = PQexec(c, sql);
	REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK, "moving the database: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	h_create_operator(&t);
	h_start(&t, base_args);
	load_start(&l, &t);
	run_load(&l, phase_ms);
	char filler[128];
	long long filled = fill(mnt, filler, sizeof filler);
	const struct h_stream_counts *sc = h_stream_counts(l.s);
	uint64_t unavailable = sc->unavailable, acked = sc->acked;
	run_load(&l, phase_ms / 4 + 2000);
	uint64_t refused = sc->unavailable - unavailable, acked_full = sc->acked - acked;
	bool alive = status_of(&t, "/healthz") == 200;
	unlink(filler);
	long long since = mono();
	row->recover_ms = await_service(&l, since);
	row->served_again = row->recover_ms >= 0;
	snprintf(row->note, sizeof row->note,
		 "disk filled with %lld MB; while full: %llu fixes answered 503, %llu acknowledged, alive=%s",
		 filled >> 20, (unsigned long long)refused, (unsigned long long)acked_full, alive ? "yes" : "no");
	CHECK(refused > 0, "no 503 while the disk was full");
	run_load(&l, phase_ms);
	load_finish(&l, row);
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not stop cleanly");
	h_finish(&t);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
}

/* One tracking-app fix; returns the HTTP status. */
static long osmand_fix(struct h_test *t, const char *dev, long long secs, double lat)
{
	char path[200];
	snprintf(path, sizeof path, "/?id=%s&lat=%.6f&lon=104.5&timestamp=%lld&speed=5", dev, lat, secs);
	struct h_resp r;
	h_http(t, "GET", path, NULL, NULL, NULL, 0, &r);
	long st = r.status;
	h_resp_free(&r);
	return st;
}

/* e: tablets whose clocks are wrong. */
static void clock_jumps(struct row *row)
{
	struct h_test t;
	h_init(&t, "faults_clock");
	h_create_operator(&t);
	h_start(&t, base_args);
	char token[128];
	h_add_vehicle(&t, "BUS-CLK");
	h_add_device(&t, "clk-1", "BUS-CLK", token);
	long long now = (long long)time(NULL);
	uint64_t acked = 0, sent = 0, future_refused = 0;
	long long acked_times[64];
	/* A good minute and a half, one fix every 10 s, moving north 50 m each. */
	double lat = 30.1;
	for (int k = 0; k < 10; k++, sent++) {
		lat = 30.1 + k * 0.0005;
		if (osmand_fix(&t, "clk-1", now - 100 + k * 10, lat) == 200)
			acked_times[acked++] = now - 100 + k * 10;
	}
	double live_lat = lat;
	/* Hours ahead: refused, as documented (fix_future_s). */
	for (int h = 1; h <= 6; h += 5, sent++)
		if (osmand_fix(&t, "clk-1", now + h * 3600, 30.2) == 400)
			future_refused++;
	/* Hours behind: stored, not live. */
	for (int h = 3; h <= 6; h += 3, sent++)
		if (osmand_fix(&t, "clk-1", now - h * 3600, 30.09) == 200)
			acked_times[acked++] = now - h * 3600;
	/* The tablet's clock jumps back an hour mid-stream and runs on from there. */
	for (int k = 0; k < 10; k++, sent++)
		if (osmand_fix(&t, "clk-1", now - 3600 + k * 10, 30.08) == 200)
			acked_times[acked++] = now - 3600 + k * 10;
	struct h_resp r;
	h_http(&t, "GET", "/v1/vehicles", NULL, t.op_token, NULL, 0, &r);
	char want[32];
	snprintf(want, sizeof want, "%.4f", live_lat);
	bool live_ok = r.status == 200 && r.body && strstr(r.body, want) && !strstr(r.body, "30.08") &&
		       !strstr(r.body, "30.09") && !strstr(r.body, "30.2,");
	h_resp_free(&r);
	uint64_t missing = 0;
	for (uint64_t i = 0; i < acked; i++)
		if (h_sql_num(&t,
			      "SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id"
			      " WHERE d.ext_id = 'clk-1' AND p.fix_time = to_timestamp(%lld)",
			      acked_times[i]) != 1)
			missing++;
	row->fixes_acked = acked;
	row->fixes_stored = (uint64_t)h_sql_num(&t, "SELECT count(*) FROM position");
	row->fixes_missing = missing;
	row->served_again = -1;
	row->recover_ms = -1;
	snprintf(row->note, sizeof row->note,
		 "%llu fixes sent; hours ahead refused (400 future): %llu of 2; behind and jumped back stored "
		 "flagged older-than-live: %lld; live position still the newest good fix: %s",
		 (unsigned long long)sent, (unsigned long long)future_refused,
		 h_sql_num(&t, "SELECT count(*) FROM position WHERE quality = 2"), live_ok ? "yes" : "no");
	CHECK(future_refused == 2, "fixes hours ahead were not refused");
	CHECK(live_ok, "the live position moved to a fix from a wrong clock");
	CHECK(h_sql_num(&t, "SELECT count(*) FROM position WHERE quality = 0") == 10,
	      "wrong-clock fixes stored as good ones");
	CHECK(h_stop(&t, SIGTERM) == 0, "daemon did not stop cleanly");
	h_finish(&t);
}

static const struct {
	char key;
	const char *name;
	void (*run)(struct row *);
} scenarios[] = {
	{ 'a', "a PostgreSQL killed", pg_killed },
	{ 'b', "b daemon killed", daemon_killed },
	{ 's', "b' active killed, standby", standby_takes_over },
	{ 'c', "c gateway hangs", gateway_hangs },
	{ 'd', "d disk full", disk_full },
	{ 'e', "e tablet clocks jump", clock_jumps },
};
#define NSCEN (sizeof scenarios / sizeof scenarios[0])

static void print_table(const struct row *rows)
{
	printf("\n%-27s %11s %9s %8s %11s %8s %13s %10s\n", "scenario", "fixes acked", "stored", "missing",
	       "rides acked", "missing", "served again", "after");
	for (size_t i = 0; i < NSCEN; i++) {
		const struct row *r = &rows[i];
		if (!r->run)
			continue;
		if (r->skipped) {
			printf("%-27s %11s %9s %8s %11s %8s %13s %10s\n", r->name, "-", "-", "-", "-", "-",
			       "skipped", "-");
			continue;
		}
		char after[24] = "-";
		if (r->recover_ms >= 0)
			snprintf(after, sizeof after, "%.1f s", (double)r->recover_ms / 1000.0);
		printf("%-27s %11llu %9llu %8llu %11zu %8zu %13s %10s\n", r->name,
		       (unsigned long long)r->fixes_acked, (unsigned long long)r->fixes_stored,
		       (unsigned long long)r->fixes_missing, r->rides_acked, r->rides_missing,
		       r->served_again < 0 ? "-" : r->served_again ? "yes" : "NO", after);
	}
	printf("\n");
	for (size_t i = 0; i < NSCEN; i++)
		if (rows[i].run)
			printf("%c: %s\n", scenarios[i].key, rows[i].note);
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--short") == 0) {
			phase_ms = 1200;
			batch_tablets = 3;
			osmand_tablets = 1;
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			phase_ms = atol(argv[++i]) * 1000;
			if (phase_ms < 500 || phase_ms > 3600000) {
				fprintf(stderr, "jintong-faults: --seconds takes 1 to 3600\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			only = argv[++i];
		} else {
			printf("usage: jintong-faults [--short] [--seconds N] [--only LETTERS]\n"
			       "scenarios: a PostgreSQL killed, b daemon killed, s standby takes over,\n"
			       "c gateway hangs, d disk full, e tablet clocks jump\n");
			return strcmp(argv[i], "--help") == 0 ? 0 : 2;
		}
	}
	if (!getenv("JINTONG_TEST_PG")) {
		fprintf(stderr, "jintong-faults: JINTONG_TEST_PG is not set; run tools/faults\n");
		return 77;
	}
	struct row rows[NSCEN];
	memset(rows, 0, sizeof rows);
	int bad = 0;
	for (size_t i = 0; i < NSCEN; i++) {
		if (only && !strchr(only, scenarios[i].key))
			continue;
		struct row *r = &rows[i];
		snprintf(r->name, sizeof r->name, "%s", scenarios[i].name);
		r->run = true;
		r->served_again = -1;
		r->recover_ms = -1;
		int before = h_failures;
		fprintf(stderr, "jintong-faults: %s\n", r->name);
		scenarios[i].run(r);
		if (r->skipped)
			continue;
		if (r->fixes_missing || r->rides_missing || r->served_again == 0 || h_failures > before)
			bad++;
	}
	print_table(rows);
	fflush(stdout);
	return bad ? 1 : 0;
}
