/*
 * drive.c — synthetic routes, buses driven along them second by second,
 * and the fixes their tablets send (see drive.h).
 *
 * A drive is a path: a function from distance travelled to a point and a
 * heading, plus the places on it where the bus stops. Running the route
 * forwards, backwards or on a parallel road are three paths over the same
 * road; a detour is a bump 450 m off the road around one stop.
 */
#include "drive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEP_M 50.0      /* road points this far apart */
#define ACCEL 1.0        /* m/s² */
#define BRAKE 0.9        /* m/s², planned braking */
#define DETOUR_HALF 350.0
#define DETOUR_OFF 450.0
#define OTHER_ROAD_OFF 400.0

static void add_point(struct drive_route *r, size_t *cap, double x, double y)
{
	if (r->npts == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		r->x = realloc(r->x, *cap * sizeof *r->x);
		r->y = realloc(r->y, *cap * sizeof *r->y);
		r->cum = realloc(r->cum, *cap * sizeof *r->cum);
		if (!r->x || !r->y || !r->cum)
			abort();
	}
	r->x[r->npts] = x;
	r->y[r->npts] = y;
	r->cum[r->npts] = r->npts ? r->cum[r->npts - 1] + hypot(x - r->x[r->npts - 1], y - r->y[r->npts - 1]) : 0;
	r->npts++;
}

/* Point and heading (degrees) at distance s along the road. */
static void road_at(const struct drive_route *r, double s, double *x, double *y, double *hdg)
{
	size_t lo = 0, hi = r->npts - 1;
	if (s <= 0)
		s = 0;
	if (s >= r->cum[hi])
		s = r->cum[hi];
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (r->cum[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	double len = r->cum[lo + 1] - r->cum[lo];
	double u = len > 0 ? (s - r->cum[lo]) / len : 0;
	double dx = r->x[lo + 1] - r->x[lo], dy = r->y[lo + 1] - r->y[lo];
	*x = r->x[lo] + u * dx;
	*y = r->y[lo] + u * dy;
	double h = atan2(dx, dy) * 180.0 / M_PI;
	*hdg = h < 0 ? h + 360 : h;
}

void drive_route_make(struct drive_route *r, struct rng *g, enum drive_road road, size_t n, double x0,
		      double y0, double sched_mps, const char *prefix)
{
	memset(r, 0, sizeof *r);
	if (n < 2)
		n = 2;
	if (n > DRIVE_STOPS_MAX)
		n = DRIVE_STOPS_MAX;
	r->road = road;
	r->nstops = n;
	size_t cap = 0;
	double spacing[DRIVE_STOPS_MAX];
	for (size_t k = 1; k < n; k++)
		spacing[k] = rng_range(g, 700, 2500);
	double h = rng_range(g, 0, 2 * M_PI), x = x0, y = y0;
	add_point(r, &cap, x, y);
	r->stop_along[0] = 0;
	if (road == DRIVE_STRAIGHT) {
		for (size_t k = 1; k < n; k++) {
			h += rng_range(g, -1.0, 1.0);
			x += spacing[k] * sin(h);
			y += spacing[k] * cos(h);
			add_point(r, &cap, x, y);
			r->stop_along[k] = r->cum[r->npts - 1];
		}
	} else {
		size_t out = road == DRIVE_OUT_AND_BACK ? n / 2 : n - 1; /* stop where the road turns back */
		double total = 0;
		for (size_t k = 1; k <= out; k++)
			total += spacing[k];
		double turn = 0;
		while (r->cum[r->npts - 1] < total) {
			turn = 0.8 * turn + rng_gauss(g) * 0.06;
			h += turn;
			x += STEP_M * sin(h);
			y += STEP_M * cos(h);
			add_point(r, &cap, x, y);
		}
		double s = 0;
		for (size_t k = 1; k <= out; k++) {
			s += spacing[k];
			r->stop_along[k] = fmin(s, r->cum[r->npts - 1]);
		}
		if (road == DRIVE_OUT_AND_BACK) {
			double half = r->cum[r->npts - 1];
			for (size_t i = r->npts - 1; i-- > 0;)
				add_point(r, &cap, r->x[i], r->y[i]);
			/* Stops on the way back near those on the way out, as both sides of one road. */
			for (size_t k = out + 1; k < n; k++) {
				size_t mirror = n - 1 - k;
				double at = 2 * half - r->stop_along[mirror] + rng_range(g, -150, 150);
				double lo = r->stop_along[k - 1] + 600;
				r->stop_along[k] = fmin(fmax(at, lo), r->cum[r->npts - 1]);
			}
			r->stop_along[n - 1] = r->cum[r->npts - 1];
		}
	}
	double t = 0;
	for (size_t k = 0; k < n; k++) {
		snprintf(r->stop_id[k], sizeof r->stop_id[k], "%s%02zu", prefix, k);
		double sx, sy, hd;
		road_at(r, r->stop_along[k], &sx, &sy, &hd);
		struct course_stop *st = &r->stops[k];
		st->id = r->stop_id[k];
		county_xy_to_latlon(sx, sy, &st->lat, &st->lon);
		if (k > 0) {
			double run = (r->stop_along[k] - r->stop_along[k - 1]) / sched_mps;
			t += ceil(run / 60.0) * 60.0;
		}
		st->arr = (int32_t)t;
		if (k > 0 && k + 1 < n)
			t += 30;
		st->dep = (int32_t)t;
	}
	if (road != DRIVE_STRAIGHT) {
		r->shape = malloc(2 * r->npts * sizeof *r->shape);
		if (!r->shape)
			abort();
		for (size_t i = 0; i < r->npts; i++)
			county_xy_to_latlon(r->x[i], r->y[i], &r->shape[2 * i], &r->shape[2 * i + 1]);
	}
}

void drive_route_free(struct drive_route *r)
{
	free(r->x);
	free(r->y);
	free(r->cum);
	free(r->shape);
	memset(r, 0, sizeof *r);
}

struct course *drive_course(const struct drive_route *r, const char *trip_id, const char *route_id,
			    int32_t start)
{
	struct course_stop st[DRIVE_STOPS_MAX];
	for (size_t k = 0; k < r->nstops; k++) {
		st[k] = r->stops[k];
		st[k].arr += start;
		st[k].dep += start;
	}
	struct course_spec spec = {
		.trip_id = trip_id, .route_id = route_id, .start_date = "20260302",
		.day_start = DRIVE_DAY_START, .stops = st, .nstops = r->nstops,
		.shape = r->shape, .nshape = r->shape ? r->npts : 0,
	};
	char err[200];
	struct course *c = course_new(&spec, err, sizeof err);
	if (!c) {
		fprintf(stderr, "drive: course %s: %s\n", trip_id, err);
		abort();
	}
	return c;
}

void drive_opts_default(struct drive_opts *o)
{
	*o = (struct drive_opts){
		.mode = DRIVE_FORWARD, .start = 8 * 3600, .late_s = 0, .noise_m = 15,
		.outlier_rate = 0.02, .interval_lo = 5, .interval_hi = 15, .dead_zones = 0,
		.pass_rate = 0.1, .detours = 0, .speed_known = true,
	};
}

/* ---- a drive ---- */

struct fixes {
	struct drive_fix *v;
	size_t n, cap;
};

struct zone {
	double a, b;
};

struct drive {
	const struct drive_route *r;
	const struct drive_opts *o;
	struct rng *g;
	struct fixes out;
	struct zone zones[4];
	int nzones;
	double next_sample;
	int detour[DRIVE_STOPS_MAX];
	double shift_x, shift_y; /* the parallel road: the route moved this far */
	uint64_t seq;
};

/* Where the bus is when it has travelled `u` metres of its path, and its heading. */
static void path_at(const struct drive *d, double u, double *x, double *y, double *hdg)
{
	const struct drive_route *r = d->r;
	double len = r->cum[r->npts - 1];
	bool back = d->o->mode == DRIVE_BACKWARD;
	double s = back ? len - u : u;
	road_at(r, s, x, y, hdg);
	double off = 0;
	if (d->o->mode == DRIVE_OTHER_ROAD) {
		*x += d->shift_x;
		*y += d->shift_y;
	}
	for (size_t k = 0; k < r->nstops && d->o->mode == DRIVE_FORWARD; k++)
		if (d->detour[k] && fabs(s - r->stop_along[k]) < DETOUR_HALF)
			off = d->detour[k] * DETOUR_OFF * sin(M_PI * (s - r->stop_along[k] + DETOUR_HALF) / (2 * DETOUR_HALF));
	double nx = cos(*hdg * M_PI / 180.0), ny = -sin(*hdg * M_PI / 180.0); /* to the right */
	*x += off * nx;
	*y += off * ny;
	if (back)
		*hdg = fmod(*hdg + 180.0, 360.0);
}

static void emit(struct drive *d, double t, double u, double v)
{
	while (t >= d->next_sample) {
		double x, y, hdg;
		path_at(d, u, &x, &y, &hdg);
		const struct drive_opts *o = d->o;
		double nx = o->noise_m * rng_gauss(d->g), ny = o->noise_m * rng_gauss(d->g);
		if (rng_uniform(d->g) < o->outlier_rate) {
			double a = rng_range(d->g, 0, 2 * M_PI), m = rng_range(d->g, 100, 300);
			nx = m * sin(a);
			ny = m * cos(a);
		}
		struct drive_fix df;
		memset(&df, 0, sizeof df);
		struct fix *f = &df.fix;
		snprintf(f->device, sizeof f->device, "bus");
		f->seq = ++d->seq;
		f->has_seq = true;
		f->time = DRIVE_DAY_START + (jt_ms)llround(d->next_sample * 1000.0);
		county_xy_to_latlon(x + nx, y + ny, &f->lat, &f->lon);
		f->altitude = NAN;
		f->battery = NAN;
		f->accuracy = 1.5 * o->noise_m * rng_range(d->g, 0.8, 1.2);
		if (o->speed_known) {
			f->speed = v > 0.5 ? fmax(0, v + 0.3 * rng_gauss(d->g)) : fabs(0.2 * rng_gauss(d->g));
			f->heading = v > 1.0 ? fmod(hdg + 5.0 * rng_gauss(d->g) + 360.0, 360.0) : NAN;
		} else {
			f->speed = NAN;
			f->heading = NAN;
		}
		df.delivered = f->time + (jt_ms)rng_range(d->g, 500, 3000);
		for (int z = 0; z < d->nzones; z++)
			if (d->next_sample >= d->zones[z].a && d->next_sample < d->zones[z].b)
				df.delivered = DRIVE_DAY_START +
					       (jt_ms)((d->zones[z].b + rng_range(d->g, 5, 30)) * 1000.0);
		if (d->out.n == d->out.cap) {
			d->out.cap = d->out.cap ? 2 * d->out.cap : 512;
			d->out.v = realloc(d->out.v, d->out.cap * sizeof *d->out.v);
			if (!d->out.v)
				abort();
		}
		d->out.v[d->out.n++] = df;
		d->next_sample += rng_range(d->g, o->interval_lo, o->interval_hi);
	}
}

/* Does a detour round the stop at s, on the given side, stay 150 m from the road? */
static bool detour_clear(const struct drive_route *r, double s, int side)
{
	for (double u = -DETOUR_HALF + 100; u <= DETOUR_HALF - 100; u += 25) {
		double x, y, h;
		road_at(r, s + u, &x, &y, &h);
		double off = side * DETOUR_OFF * sin(M_PI * (u + DETOUR_HALF) / (2 * DETOUR_HALF));
		x += off * cos(h * M_PI / 180.0);
		y -= off * sin(h * M_PI / 180.0);
		for (size_t i = 0; i < r->npts; i++)
			if (hypot(r->x[i] - x, r->y[i] - y) < 150)
				return false;
	}
	return true;
}

/* Does the route moved by (dx, dy) keep 200 m from the route everywhere (checked every 50 m)? */
static bool shift_clear(const struct drive_route *r, double dx, double dy)
{
	double len = r->cum[r->npts - 1];
	for (double a = 0; a <= len; a += 50) {
		double ax, ay, h;
		road_at(r, a, &ax, &ay, &h);
		for (double b = 0; b <= len; b += 50) {
			double bx, by;
			road_at(r, b, &bx, &by, &h);
			if (hypot(bx - ax - dx, by - ay - dy) < 200)
				return false;
		}
	}
	return true;
}

static int by_delivery(const void *a, const void *b)
{
	const struct drive_fix *x = a, *y = b;
	if (x->delivered != y->delivered)
		return x->delivered < y->delivered ? -1 : 1;
	return x->fix.time < y->fix.time ? -1 : x->fix.time > y->fix.time;
}

struct drive_fix *drive_run(const struct drive_route *r, const struct drive_opts *o, struct rng *g,
			    struct drive_truth *truth, size_t *nfix)
{
	struct drive d = { .r = r, .o = o, .g = g };
	memset(truth, 0, sizeof *truth);
	size_t n = r->nstops;
	double len = r->cum[r->npts - 1];
	/* Where along its path the bus meets each stop, in the order it meets them. */
	double at[DRIVE_STOPS_MAX];
	bool back = o->mode == DRIVE_BACKWARD;
	for (size_t k = 0; k < n; k++)
		at[k] = back ? len - r->stop_along[n - 1 - k] : r->stop_along[k];
	enum { STOP, PASS, AROUND } plan[DRIVE_STOPS_MAX];
	for (size_t k = 0; k < n; k++)
		plan[k] = k > 0 && k + 1 < n && rng_uniform(g) < o->pass_rate ? PASS : STOP;
	for (int i = 0, tries = 0; i < o->detours && tries < 50 && o->mode == DRIVE_FORWARD; tries++) {
		size_t k = 1 + (size_t)(rng_uniform(g) * (double)(n - 2));
		if (k < 1 || k + 1 >= n || d.detour[k] || d.detour[k - 1] || d.detour[k + 1])
			continue;
		if (r->stop_along[k] - r->stop_along[k - 1] < DETOUR_HALF + 250 ||
		    r->stop_along[k + 1] - r->stop_along[k] < DETOUR_HALF + 250)
			continue;
		/* Round the side where the bump keeps clear of the road. */
		int side = 0;
		for (int sd = 1; sd >= -1 && !side; sd -= 2)
			if (detour_clear(r, r->stop_along[k], sd))
				side = sd;
		if (!side)
			continue;
		d.detour[k] = side;
		plan[k] = AROUND;
		i++;
	}
	if (o->mode == DRIVE_OTHER_ROAD) {
		/* A road like the route, moved aside until it keeps 200 m from it everywhere. */
		double dist = OTHER_ROAD_OFF, a = rng_range(g, 0, 2 * M_PI);
		while (!shift_clear(r, dist * sin(a), dist * cos(a)))
			dist *= 1.3;
		d.shift_x = dist * sin(a);
		d.shift_y = dist * cos(a);
	}
	double t = o->start + o->late_s - rng_range(g, 60, 240); /* standing at the first stop */
	if (o->mode == DRIVE_DEPOT)
		t = o->start - 1800;
	d.next_sample = t + rng_range(g, 0, o->interval_hi);
	double t_end_guess = o->start + r->stops[n - 1].arr + o->late_s + 600;
	for (int z = 0; z < o->dead_zones && z < 4; z++) {
		double a = rng_range(g, o->start + 120, fmax(o->start + 121, t_end_guess - 400));
		d.zones[d.nzones++] = (struct zone){ a, a + rng_range(g, 120, 360) };
	}

	if (o->mode == DRIVE_DEPOT) {
		/* Standing still: next to the second stop on the road, beside the first, or at the third. */
		double u;
		int where = (int)(rng_uniform(g) * 3);
		u = where == 0 ? fmax(0, r->stop_along[1] - 80) : where == 1 ? 0 : r->stop_along[n > 2 ? 2 : 1];
		for (double s = t; s < t + 2700; s += 1)
			emit(&d, s, u, 0);
	} else {
		double u = 0, v = 0;
		size_t next = 1;
		double depart = o->start + o->late_s;
		for (; t < depart; t += 1)
			emit(&d, t, u, 0);
		truth->visit[0] = DRIVE_STOPPED;
		truth->dep[0] = DRIVE_DAY_START + (jt_ms)llround(depart * 1000.0);
		double cruise = rng_range(g, 8, 14);
		while (next < n) {
			size_t target = next;
			while (target + 1 < n && plan[target] != STOP)
				target++;
			double pace = o->pace ? o->pace(o->pace_arg, t) : 1.0;
			double vt = fmin(cruise * pace, sqrt(2 * BRAKE * fmax(0, at[target] - u)));
			v = v < vt ? fmin(vt, v + ACCEL) : vt;
			double u2 = u + v;
			while (next < n && u2 >= at[next] - 1e-9) {
				double frac = v > 0 ? (at[next] - u) / v : 0;
				double when = t + fmax(0, fmin(1, frac));
				jt_ms tm = DRIVE_DAY_START + (jt_ms)llround(when * 1000.0);
				if (plan[next] == PASS) {
					truth->visit[next] = DRIVE_PASSED;
					truth->arr[next] = truth->dep[next] = tm;
				} else if (plan[next] == AROUND) {
					truth->visit[next] = DRIVE_NOT_VISITED;
				} else {
					/* Stops here: dwell, and never leave before the timetable says. */
					u = at[next];
					v = 0;
					truth->visit[next] = DRIVE_STOPPED;
					truth->arr[next] = tm;
					double leave = when + rng_range(g, 15, 60);
					if (next + 1 < n)
						leave = fmax(leave, o->start + r->stops[next].dep);
					else
						leave = when + 60;
					for (double s = t + 1; s < leave; s += 1)
						emit(&d, s, u, 0);
					t = ceil(leave) - 1;
					truth->dep[next] = DRIVE_DAY_START + (jt_ms)llround(ceil(leave) * 1000.0);
					cruise = rng_range(g, 8, 14);
					u2 = u;
				}
				next++;
				if (truth->visit[next - 1] == DRIVE_STOPPED)
					break;
			}
			u = u2;
			t += 1;
			emit(&d, t, u, v);
		}
		if (o->mode != DRIVE_FORWARD)
			memset(truth, 0, sizeof *truth);
	}
	qsort(d.out.v, d.out.n, sizeof *d.out.v, by_delivery);
	*nfix = d.out.n;
	return d.out.v;
}
