/*
 * genfeed.c — the generated county written out: a GTFS feed (what `jintong
 * gtfs import` reads) and county.json, what GTFS cannot carry (towns,
 * villages and the stops that belong to them, the companies' districts,
 * vehicles, shifts on booking duty, student rosters, market cycles).
 *
 * Everything is written in the order it is held, numbers with fixed
 * precision, so the same county gives the same bytes. Times past midnight
 * do not occur (the last trips end before 22:00).
 */
#include "gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const genfeed_files[] = {
	"agency.txt",	  "stops.txt", "routes.txt",	 "calendar.txt", "calendar_dates.txt",
	"shapes.txt",	  "trips.txt", "stop_times.txt", "county.json",	 NULL,
};

static const char *const kind_desc[GEN_KINDS] = {
	[GEN_KIND_SCHEDULED] = "scheduled rural line",
	[GEN_KIND_STUDENT] = "student run",
	[GEN_KIND_MARKET] = "market-day run",
	[GEN_KIND_LOGISTICS] = "logistics run",
};

static const char *const vehicle_kind[3] = { "minibus", "coach", "van" };

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return fopen(path, "w");
}

static int close_checked(FILE *f)
{
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

static void latlon(const struct gen_county *c, int node, double *lat, double *lon)
{
	genmap_latlon(c->nodes[node].x, c->nodes[node].y, lat, lon);
}

static void gtfs_date(jt_day d, char out[9])
{
	char iso[DATE_FORMAT_LEN];
	date_format(d, iso);
	memcpy(out, iso, 4);
	memcpy(out + 4, iso + 5, 2);
	memcpy(out + 6, iso + 8, 2);
	out[8] = '\0';
}

static void hms(int s, char out[16])
{
	snprintf(out, 16, "%02d:%02d:%02d", s / 3600 % 100, s / 60 % 60, s % 60);
}

static void write_agency(const struct gen_county *c, FILE *f)
{
	fprintf(f, "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n");
	for (size_t i = 0; i < c->n_ops; i++)
		fprintf(f, "%s,%s,https://example.invalid/,Asia/Shanghai,zh\n", c->ops[i].code, c->ops[i].name);
}

static void write_stops(const struct gen_county *c, FILE *f)
{
	fprintf(f, "stop_id,stop_name,stop_lat,stop_lon,jintong_kind\n");
	for (size_t i = 0; i < c->n_stops; i++) {
		const struct gen_stop *s = &c->stops[i];
		if (!s->served && s->village >= 0)
			continue; /* a village no line reaches has no stop */
		double lat, lon;
		latlon(c, s->node, &lat, &lon);
		fprintf(f, "%s,%s,%.6f,%.6f,%s\n", s->code, s->name, lat, lon, s->kind);
	}
}

static void write_routes(const struct gen_county *c, FILE *f)
{
	fprintf(f, "route_id,agency_id,route_short_name,route_long_name,route_desc,route_type,jintong_kind\n");
	for (size_t i = 0; i < c->n_lines; i++) {
		const struct gen_line *l = &c->lines[i];
		fprintf(f, "%s,%s,%s,%s,%s,3,%s\n", l->code, c->ops[l->op].code, l->code, l->name, kind_desc[l->kind],
			genplan_kind_name(l->kind));
	}
}

static void write_calendars(const struct gen_county *c, FILE *cal, FILE *dates)
{
	static const char *const weekly[GEN_SVC_MARKET] = { "1,1,1,1,1,1,1", "1,1,1,1,1,0,0", "0,0,0,0,1,0,0",
							    "0,0,0,0,0,0,1" };
	char a[9], b[9], id[32];
	jt_day first = c->p.from, last = c->p.from + c->p.days - 1;
	gtfs_date(first, a);
	gtfs_date(last, b);
	fprintf(cal, "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n");
	fprintf(dates, "service_id,date,exception_type\n");
	bool *used = calloc((size_t)genplan_services(c), sizeof *used);
	if (!used)
		abort();
	for (size_t i = 0; i < c->n_trips; i++)
		used[c->trips[i].service] = true;
	for (int s = 0; s < genplan_services(c); s++) {
		if (!used[s])
			continue;
		genplan_service_id(c, s, id, sizeof id);
		if (s < GEN_SVC_MARKET)
			fprintf(cal, "%s,%s,%s,%s\n", id, weekly[s], a, b);
		for (jt_day d = first; d <= last; d++) {
			char day[9];
			bool runs = genplan_runs(c, s, d);
			gtfs_date(d, day);
			if (s >= GEN_SVC_MARKET && runs) /* market days: listed one by one */
				fprintf(dates, "%s,%s,1\n", id, day);
			else if (s > GEN_SVC_DAILY && s < GEN_SVC_MARKET && !runs &&
				 weekly[s][2 * (date_weekday(d) - 1)] == '1') /* a school holiday */
				fprintf(dates, "%s,%s,2\n", id, day);
		}
	}
	free(used);
}

/* The road points of a line, outbound, into a fresh array. */
static struct gen_point *line_shape(const struct gen_county *c, const struct gen_line *l, size_t *n)
{
	size_t cap = 16, k = 0;
	struct gen_point *p = malloc(cap * sizeof *p);
	if (!p)
		abort();
	for (size_t i = 0; i + 1 < l->npath; i++) {
		const struct gen_edge *e = &c->edges[genmap_edge(c, l->path[i], l->path[i + 1])];
		bool fwd = e->a == l->path[i];
		for (size_t j = i ? 1 : 0; j < e->npts; j++) {
			if (k == cap && !(p = realloc(p, (cap *= 2) * sizeof *p)))
				abort();
			p[k++] = c->pts[e->pt + (fwd ? j : e->npts - 1 - j)];
		}
	}
	*n = k;
	return p;
}

static void write_shapes(const struct gen_county *c, FILE *f)
{
	fprintf(f, "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n");
	for (size_t i = 0; i < c->n_lines; i++) {
		size_t n;
		struct gen_point *p = line_shape(c, &c->lines[i], &n);
		for (int back = 0; back < 2; back++)
			for (size_t j = 0; j < n; j++) {
				double lat, lon;
				const struct gen_point *q = &p[back ? n - 1 - j : j];
				genmap_latlon(q->x, q->y, &lat, &lon);
				fprintf(f, "SH-%s-%c,%.6f,%.6f,%zu\n", c->lines[i].code, back ? 'B' : 'A', lat, lon, j + 1);
			}
		free(p);
	}
}

static void write_trips(const struct gen_county *c, FILE *trips, FILE *times)
{
	char id[32], a[16], d[16];
	fprintf(trips, "route_id,service_id,trip_id,shape_id,block_id,direction_id\n");
	fprintf(times, "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
	for (size_t i = 0; i < c->n_trips; i++) {
		const struct gen_trip *t = &c->trips[i];
		const struct gen_line *l = &c->lines[t->line];
		genplan_service_id(c, t->service, id, sizeof id);
		fprintf(trips, "%s,%s,%s,SH-%s-%c,%s,%d\n", l->code, id, t->code, l->code, t->back ? 'B' : 'A', t->block,
			t->back);
		for (size_t j = 0; j < l->npath; j++) {
			int arr, dep;
			genplan_times(c, t->line, t->back, j, &arr, &dep);
			hms(t->dep_s + arr, a);
			hms(t->dep_s + dep, d);
			int node = l->path[t->back ? l->npath - 1 - j : j];
			fprintf(times, "%s,%s,%s,%s,%zu\n", t->code, a, d, c->stops[c->nodes[node].stop].code, j + 1);
		}
	}
}

/* ---- county.json ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void write_side(const struct gen_county *c, FILE *f)
{
	char day[DATE_FORMAT_LEN], hm[16];
	date_format(c->p.from, day);
	fprintf(f, "{\n\"seed\": %llu,\n\"scale\": %.3f,\n\"from\": \"%s\",\n\"days\": %d,\n",
		(unsigned long long)c->p.seed, c->p.scale, day, c->p.days);
	fprintf(f, "\"towns\": [\n");
	for (size_t i = 0; i < c->n_towns; i++) {
		const struct gen_town *t = &c->towns[i];
		double lat, lon;
		latlon(c, t->node, &lat, &lon);
		char digits[24] = "";
		for (int d = 1; d <= 10; d++)
			if ((t->digits >> (d % 10)) & 1)
				snprintf(digits + strlen(digits), sizeof digits - strlen(digits), "%s%d", *digits ? "," : "", d % 10);
		fprintf(f, " {\"code\": \"%s\", \"name\": ", t->code);
		json_str(f, t->name);
		fprintf(f, ", \"lat\": %.6f, \"lon\": %.6f, \"county_seat\": %s, \"operator\": \"%s\", "
			   "\"market_days\": \"%s\", \"lunar\": %s, \"stop\": \"%s\"}%s\n",
			lat, lon, t->seat ? "true" : "false", c->ops[t->op].code, digits, t->lunar ? "true" : "false",
			c->stops[c->nodes[t->node].stop].code, i + 1 < c->n_towns ? "," : "");
	}
	fprintf(f, "],\n\"villages\": [\n");
	for (size_t i = 0; i < c->n_villages; i++) {
		const struct gen_village *v = &c->villages[i];
		const struct gen_stop *s = &c->stops[c->nodes[v->node].stop];
		double lat, lon;
		latlon(c, v->node, &lat, &lon);
		fprintf(f, " {\"code\": \"%s\", \"name\": ", v->code);
		json_str(f, v->name);
		fprintf(f, ", \"town\": \"%s\", \"lat\": %.6f, \"lon\": %.6f, \"stop\": ", c->towns[v->town].code, lat, lon);
		if (s->served)
			fprintf(f, "\"%s\"", s->code);
		else
			fprintf(f, "null");
		fprintf(f, "}%s\n", i + 1 < c->n_villages ? "," : "");
	}
	fprintf(f, "],\n\"operators\": [\n");
	for (size_t i = 0; i < c->n_ops; i++) {
		fprintf(f, " {\"code\": \"%s\", \"district\": ", c->ops[i].code);
		json_str(f, c->ops[i].district);
		fprintf(f, "}%s\n", i + 1 < c->n_ops ? "," : "");
	}
	fprintf(f, "],\n\"vehicles\": [\n");
	for (size_t i = 0; i < c->n_vehicles; i++) {
		const struct gen_vehicle *v = &c->vehicles[i];
		fprintf(f, " {\"code\": \"%s\", \"name\": ", v->code);
		json_str(f, v->name);
		fprintf(f, ", \"kind\": \"%s\", \"seats\": %d, \"cargo_l\": %d, \"home\": \"%s\", \"reserve\": %s}%s\n",
			vehicle_kind[v->kind], v->seats, v->cargo_l, c->towns[v->home].code, v->reserve ? "true" : "false",
			i + 1 < c->n_vehicles ? "," : "");
	}
	fprintf(f, "],\n\"shifts\": [\n");
	for (size_t i = 0; i < c->n_shifts; i++) {
		const struct gen_shift *s = &c->shifts[i];
		fprintf(f, " {\"code\": \"%s\", \"vehicle\": \"%s\", \"calendar\": \"DAILY\", \"depot\": \"%s\", ", s->code,
			c->vehicles[s->vehicle].code, c->stops[s->stop].code);
		snprintf(hm, sizeof hm, "%02d:%02d", s->start_s / 3600 % 100, s->start_s / 60 % 60);
		fprintf(f, "\"start\": \"%s\", ", hm);
		snprintf(hm, sizeof hm, "%02d:%02d", s->end_s / 3600 % 100, s->end_s / 60 % 60);
		fprintf(f, "\"end\": \"%s\"}%s\n", hm, i + 1 < c->n_shifts ? "," : "");
	}
	fprintf(f, "],\n\"rosters\": [\n");
	size_t nstudent = 0, k = 0;
	for (size_t i = 0; i < c->n_lines; i++)
		nstudent += c->lines[i].kind == GEN_KIND_STUDENT;
	for (size_t i = 0; i < c->n_lines; i++) {
		const struct gen_line *l = &c->lines[i];
		if (l->kind != GEN_KIND_STUDENT)
			continue;
		fprintf(f, " {\"line\": \"%s\", \"school\": \"%s\", \"pupils\": [", l->code, c->schools[l->school].code);
		for (int p = 0; p < l->pupils; p++) {
			char id[24];
			genplan_pupil_id(l->pupil0 + p, id, sizeof id);
			fprintf(f, "%s\"%s\"", p ? ", " : "", id);
		}
		fprintf(f, "]}%s\n", ++k < nstudent ? "," : "");
	}
	fprintf(f, "]\n}\n");
}

int genfeed_write(const struct gen_county *c, const char *dir)
{
	FILE *f[9] = { 0 };
	for (int i = 0; genfeed_files[i]; i++)
		if (!(f[i] = open_in(dir, genfeed_files[i]))) {
			int e = errno;
			for (int k = 0; k < i; k++)
				fclose(f[k]);
			errno = e;
			return -1;
		}
	write_agency(c, f[0]);
	write_stops(c, f[1]);
	write_routes(c, f[2]);
	write_calendars(c, f[3], f[4]);
	write_shapes(c, f[5]);
	write_trips(c, f[6], f[7]);
	write_side(c, f[8]);
	int rc = 0;
	errno = 0;
	for (int i = 0; genfeed_files[i]; i++)
		if (close_checked(f[i]) != 0)
			rc = -1;
	return rc;
}
