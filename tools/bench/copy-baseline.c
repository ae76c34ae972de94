/*
 * copy-baseline — the ceiling for storing fix batches: how fast PostgreSQL
 * takes the same rows when nothing stands between the tablets and the
 * table. It COPYs rows shaped like jintongd's (same columns, same partitioned
 * `position` table with its unique index) in batches
 * of --batch rows, one COPY and one commit per batch, from --connections
 * connections at once, each batch for one device whose fix time advances
 * 100 ms per fix. Device ids start at --device-base, far above any the admin
 * API hands out, so these rows never collide with the daemon's.
 *
 * usage: copy-baseline --database CONNINFO --rows N [--batch 500]
 *                      [--connections 8] [--devices 1024] [--backdate SECONDS]
 * The last output line is "RESULT mode=copy rows=… seconds=… fps=…".
 */
#include <libpq-fe.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIX_STEP_MS 100

static const char copy_sql[] =
	"COPY position (device_id, vehicle_id, seq, fix_time, received_at, lat, lon, speed, "
	"heading, altitude, accuracy, battery, quality) FROM STDIN";

struct worker {
	pthread_t thread;
	int index;
	PGconn *pg;
	long rows;          /* this worker's share */
	long done;
	char error[512];
};

static struct {
	const char *conninfo;
	long rows;
	int batch, connections, devices, device_base;
	long backdate_s;
	int64_t base_ms;
	int64_t *next_ms;   /* per device, owned by the worker that owns the device */
} G;

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "2026-11-23 08:00:00.100+00" */
static size_t format_time(char *out, size_t size, int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	gmtime_r(&s, &tm);
	n = strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
	n += (size_t)snprintf(out + n, size - n, ".%03d+00", (int)(ms % 1000));
	return n;
}

/* Writes one COPY of `n` rows for device `dev`; returns false with w->error set. */
static bool copy_batch(struct worker *w, char *buf, size_t bufsize, int dev, int n)
{
	char now_txt[40], t_txt[40];
	size_t len = 0;
	PGresult *res;
	double lat = 29.8 + 0.4 * (double)(dev % 97) / 97.0, lon = 104.3 + 0.6 * (double)(dev % 89) / 89.0;

	format_time(now_txt, sizeof now_txt, wall_ms());
	for (int i = 0; i < n; i++) {
		int64_t t = G.next_ms[dev];
		G.next_ms[dev] += FIX_STEP_MS;
		format_time(t_txt, sizeof t_txt, t);
		len += (size_t)snprintf(buf + len, bufsize - len,
			"%d\t%d\t%" PRId64 "\t%s\t%s\t%.6f\t%.6f\t10\t%d\t512\t5\t0.87\t0\n",
			G.device_base + dev, G.device_base + dev, t / FIX_STEP_MS, t_txt, now_txt,
			lat + (double)i * 1e-5, lon, (dev * 37 + i) % 360);
	}
	res = PQexec(w->pg, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		snprintf(w->error, sizeof w->error, "COPY: %s", PQerrorMessage(w->pg));
		PQclear(res);
		return false;
	}
	PQclear(res);
	if (PQputCopyData(w->pg, buf, (int)len) != 1 || PQputCopyEnd(w->pg, NULL) != 1) {
		snprintf(w->error, sizeof w->error, "COPY data: %s", PQerrorMessage(w->pg));
		return false;
	}
	while ((res = PQgetResult(w->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			snprintf(w->error, sizeof w->error, "COPY end: %s", PQerrorMessage(w->pg));
			PQclear(res);
			return false;
		}
		PQclear(res);
	}
	return true;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t bufsize = (size_t)G.batch * 200 + 1024;
	char *buf = malloc(bufsize);
	int dev = w->index % G.devices;

	if (!buf) {
		snprintf(w->error, sizeof w->error, "out of memory");
		return NULL;
	}
	while (w->done < w->rows) {
		long n = w->rows - w->done < G.batch ? w->rows - w->done : G.batch;
		if (!copy_batch(w, buf, bufsize, dev, (int)n))
			break;
		w->done += n;
		dev += G.connections;
		if (dev >= G.devices)
			dev = w->index % G.devices;
	}
	free(buf);
	return NULL;
}

static PGconn *connect_db(void)
{
	PGconn *pg = PQconnectdb(G.conninfo);

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "copy-baseline: cannot connect: %s", PQerrorMessage(pg));
		exit(1);
	}
	return pg;
}

static void usage(void)
{
	fprintf(stderr, "usage: copy-baseline --database CONNINFO --rows N [--batch 500]\n"
			"         [--connections 8] [--devices 1024] [--backdate SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct worker *ws;
	PGconn *pg;
	PGresult *res;
	double t0, secs;
	long done = 0;
	int failed = 0;

	G.batch = 500;
	G.connections = 8;
	G.devices = 1024;
	G.device_base = 900000;
	G.backdate_s = 5400;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--database")) G.conninfo = v;
		else if (!strcmp(a, "--rows")) G.rows = atol(v);
		else if (!strcmp(a, "--batch")) G.batch = atoi(v);
		else if (!strcmp(a, "--connections")) G.connections = atoi(v);
		else if (!strcmp(a, "--devices")) G.devices = atoi(v);
		else if (!strcmp(a, "--backdate")) G.backdate_s = atol(v);
		else usage();
	}
	if (!G.conninfo || G.rows <= 0 || G.batch <= 0 || G.connections <= 0 || G.devices <= 0)
		usage();

	/* The daemon makes partitions ahead of time; so does this baseline. */
	pg = connect_db();
	res = PQexec(pg, "SELECT jintong_ensure_position_partitions(current_date - 1, current_date + 1)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "copy-baseline: making partitions: %s", PQerrorMessage(pg));
		return 1;
	}
	PQclear(res);
	PQfinish(pg);

	G.base_ms = wall_ms() - G.backdate_s * 1000;
	G.base_ms -= G.base_ms % FIX_STEP_MS;
	G.next_ms = calloc((size_t)G.devices, sizeof *G.next_ms);
	ws = calloc((size_t)G.connections, sizeof *ws);
	if (!G.next_ms || !ws) {
		fprintf(stderr, "copy-baseline: out of memory\n");
		return 1;
	}
	for (int d = 0; d < G.devices; d++)
		G.next_ms[d] = G.base_ms;
	if (G.devices < G.connections) {
		fprintf(stderr, "copy-baseline: need at least as many devices as connections\n");
		return 2;
	}
	for (int i = 0; i < G.connections; i++) {
		ws[i].index = i;
		ws[i].rows = G.rows / G.connections + (i < G.rows % G.connections ? 1 : 0);
		ws[i].pg = connect_db();
	}
	t0 = mono_s();
	for (int i = 0; i < G.connections; i++)
		if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) {
			fprintf(stderr, "copy-baseline: cannot start a thread\n");
			return 1;
		}
	for (int i = 0; i < G.connections; i++) {
		pthread_join(ws[i].thread, NULL);
		done += ws[i].done;
		if (ws[i].error[0]) {
			fprintf(stderr, "copy-baseline: connection %d: %s", i, ws[i].error);
			failed = 1;
		}
		PQfinish(ws[i].pg);
	}
	secs = mono_s() - t0;
	printf("copy: %d connections, %ld rows in batches of %d, %.2f s, %.0f rows/s\n",
	       G.connections, done, G.batch, secs, (double)done / secs);
	printf("RESULT mode=copy connections=%d batch=%d rows=%ld seconds=%.3f fps=%.1f\n",
	       G.connections, G.batch, done, secs, (double)done / secs);
	return failed;
}
