/*
 * enrol.c — the fleet on the books: each vehicle and its tablet registered
 * through the admin API, the device tokens (shown only once) kept in the
 * --state file with the next sequence number; and, at the end of a day,
 * the simulator's own figures.
 */
#include "sim.h"

#include "admin.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- registration and the state file ---------------------------------- */

struct saved {
	char code[64], device[128], token[160];
	unsigned long long next_seq;
};

static struct saved *load_state(size_t *n)
{
	FILE *f = S.state_path[0] ? fopen(S.state_path, "r") : NULL;
	struct saved *s = NULL;
	char line[512];
	size_t cap = 0;

	*n = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof line, f)) {
		struct saved x = { 0 };
		if (line[0] == '#' ||
		    sscanf(line, "%63s %127s %159s %llu", x.code, x.device, x.token, &x.next_seq) != 4)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			s = realloc(s, cap * sizeof *s);
			if (!s)
				abort();
		}
		s[(*n)++] = x;
	}
	fclose(f);
	return s;
}

int enrol_save(void)
{
	char tmp[600];
	FILE *f;
	int fd;

	if (!S.state_path[0])
		return 0;
	snprintf(tmp, sizeof tmp, "%s.tmp", S.state_path);
	/* device tokens are secrets: readable by the owner only */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "jintong-sim: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# vehicle device token next_seq (device tokens: keep private)\n");
	for (int i = 0; i < S.vehicles; i++)
		fprintf(f, "%s %s %s %llu\n", S.v[i].code, S.v[i].tablet.device, S.v[i].tablet.token,
			(unsigned long long)S.v[i].tablet.next_seq);
	if (fclose(f) != 0 || rename(tmp, S.state_path) != 0) {
		fprintf(stderr, "jintong-sim: %s: %s\n", S.state_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Retries while the daemon is still starting (status -1). */
static int with_retry(int status_first, int (*again)(void *), void *arg)
{
	int st = status_first;
	for (int i = 0; st == -1 && i < 20; i++) {
		usleep(500 * 1000);
		st = again(arg);
	}
	return st;
}

struct vehicle_call {
	struct admin_client *ac;
	const char *code, *name;
	int seats, cargo;
	char *err;
	size_t errlen;
};

static int add_vehicle_again(void *arg)
{
	struct vehicle_call *c = arg;
	return admin_add_vehicle(c->ac, c->code, c->name, c->seats, c->cargo, c->err, c->errlen);
}

int enrol_fleet(void)
{
	size_t nsaved;
	struct saved *saved = load_state(&nsaved);
	struct admin_client *ac = admin_open(S.url, S.token);
	char run_tag[16], err[256], name[64], dev[128], token[160];
	char lower[32];

	if (!ac) {
		fprintf(stderr, "jintong-sim: cannot set up the admin client\n");
		return -1;
	}
	snprintf(lower, sizeof lower, "%s", S.prefix);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	snprintf(run_tag, sizeof run_tag, "%06llx", (unsigned long long)(time(NULL)) & 0xffffffull);
	for (int i = 0; i < S.vehicles; i++) {
		struct vehicle *v = &S.v[i];
		const struct saved *old = NULL;
		bool osmand = floor((i + 1) * S.osmand_share) > floor(i * S.osmand_share);
		int seats = v->is_van ? 8 : 19 + (int)(rng_next(&S.rng) % 27), st;
		v->seats = seats;

		if (S.sched && !v->is_van)
			snprintf(v->code, sizeof v->code, "%.32s", schedule_vehicle(S.sched, v->sched));
		else if (!S.sched)
			snprintf(v->code, sizeof v->code, "%.16s-%02d", S.prefix, i + 1);
		snprintf(name, sizeof name, "Rural bus %02d", (i + 1) % 100000);
		struct vehicle_call vc = { ac, v->code, name, seats, 300 + 100 * (seats % 12), err, sizeof err };
		st = with_retry(add_vehicle_again(&vc), add_vehicle_again, &vc);
		if (st != 201 && st != 409) {
			fprintf(stderr, "jintong-sim: registering vehicle %s: %s\n", v->code, err);
			admin_close(ac);
			free(saved);
			return -1;
		}
		for (size_t k = 0; k < nsaved; k++)
			if (!strcmp(saved[k].code, v->code))
				old = &saved[k];
		if (old)
			snprintf(dev, sizeof dev, "%s", old->device);
		else if (S.sched) {
			snprintf(dev, sizeof dev, "%.32s-tab", v->code);
			for (char *p = dev; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		} else if (S.state_path[0])
			snprintf(dev, sizeof dev, "%.16s-%02d-tab", lower, i + 1);
		else
			snprintf(dev, sizeof dev, "%.16s-%02d-tab-%.8s", lower, i + 1, run_tag);
		for (int attempt = 2;; attempt++) {
			st = admin_add_device(ac, dev, v->code, token, sizeof token, err, sizeof err);
			if (st == 201)
				break; /* new (or the database was reset): fresh token, sequence from 1 */
			if (st == 409 && old && !strcmp(old->device, dev)) {
				snprintf(token, sizeof token, "%s", old->token);
				break;
			}
			if (st != 409 || attempt > 50) {
				fprintf(stderr, "jintong-sim: registering tablet %s: %s\n", dev, err);
				admin_close(ac);
				free(saved);
				return -1;
			}
			/* taken by someone whose token we never saw: use another id */
			snprintf(dev, sizeof dev, "%.16s-%02d-tab-%.8s-%d", lower, i + 1, run_tag, attempt);
		}
		tablet_init(&v->tablet, &S.up, osmand ? TABLET_OSMAND : TABLET_NATIVE, dev, v->code,
			    token, old && st == 409 ? old->next_seq : 1, rng_next(&S.rng));
	}
	admin_close(ac);
	free(saved);
	return enrol_save();
}

/* ---- the summary ----------------------------------------------------------- */

/* The day's figures from the simulator's side, printed and as "key value" lines in --summary. */
void enrol_summary(size_t left)
{
	FILE *f = S.summary_path[0] ? fopen(S.summary_path, "w") : NULL;
	if (S.summary_path[0] && !f)
		fprintf(stderr, "jintong-sim: %s: %s\n", S.summary_path, strerror(errno));
	printf("jintong-sim: %llu fixes made, %llu stored, %llu refused, %zu still held by the tablets\n",
	       (unsigned long long)S.stats.recorded, (unsigned long long)S.stats.acked,
	       (unsigned long long)S.stats.rejected, left);
	if (S.day) {
		int broken = 0;
		for (int i = 0; i < S.vehicles; i++)
			broken += S.v[i].delay.broken;
		printf("jintong-sim: %d buses: %llu trips left late (%.0f min in all), %llu breakdowns (%d not "
		       "repaired); riders counted on %llu, off %llu\n",
		       S.buses, (unsigned long long)S.late_trips, S.late_min, (unsigned long long)S.breakdowns,
		       broken, (unsigned long long)S.counts.boarded, (unsigned long long)S.counts.alighted);
		printf("jintong-sim: %d vans: %llu riders boarded, %llu dropped off, %llu no-shows, parcels %llu "
		       "picked up and %llu delivered, %llu reports refused\n",
		       S.vehicles - S.buses, (unsigned long long)S.vans.boarded, (unsigned long long)S.vans.dropped,
		       (unsigned long long)S.vans.no_show, (unsigned long long)S.vans.parcels_picked,
		       (unsigned long long)S.vans.parcels_delivered, (unsigned long long)S.vans.refused);
		if (S.vans.refused)
			printf("jintong-sim: the last report refused: %s\n", S.vans.last_refusal);
	}
	if (f) {
		fprintf(f, "fixes_made %llu\nfixes_stored %llu\nfixes_refused %llu\nfixes_left %zu\n",
			(unsigned long long)S.stats.recorded, (unsigned long long)S.stats.acked,
			(unsigned long long)S.stats.rejected, left);
		time_t end = (time_t)(S.ended_ms / 1000 + 8 * 3600); /* the county's time, UTC+8 */
		struct tm tm;
		char at[16];
		gmtime_r(&end, &tm);
		strftime(at, sizeof at, "%H:%M", &tm);
		fprintf(f, "ended_at %s\n", at);
		fprintf(f, "buses %d\nvans %d\nlate_trips %llu\nlate_minutes %.0f\nbreakdowns %llu\n", S.buses,
			S.vehicles - S.buses, (unsigned long long)S.late_trips, S.late_min,
			(unsigned long long)S.breakdowns);
		fprintf(f, "bus_boarded %llu\nbus_alighted %llu\ncounts_refused %llu\n",
			(unsigned long long)S.counts.boarded, (unsigned long long)S.counts.alighted,
			(unsigned long long)S.counts.refused);
		fprintf(f, "van_boarded %llu\nvan_dropped %llu\nvan_no_show %llu\nparcels_picked %llu\n"
			   "parcels_delivered %llu\nvan_reports_refused %llu\nvan_tasks_reassigned %llu\nmanifests %llu\n",
			(unsigned long long)S.vans.boarded, (unsigned long long)S.vans.dropped,
			(unsigned long long)S.vans.no_show, (unsigned long long)S.vans.parcels_picked,
			(unsigned long long)S.vans.parcels_delivered, (unsigned long long)S.vans.refused,
			(unsigned long long)S.vans.reassigned, (unsigned long long)S.vans.manifests);
	}
	if (S.booking)
		S.booker->finish(S.booking, f);
	S.booking = NULL;
	if (f)
		fclose(f);
}
