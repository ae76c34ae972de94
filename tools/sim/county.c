/*
 * county.c — places, valleys without coverage, and how a bus moves between
 * them. Town centres are the merged townships' seats (markets, schools,
 * clinics); villages hang around them within ~20 km. From a village a bus
 * usually heads for a town; from a town it goes to any place within reach.
 * The valleys lie across some of those legs, so buses pass through them
 * several times an hour and their tablets lose signal for a few minutes.
 */
#include "county.h"

#include <math.h>
#include <stddef.h>

#define M_PER_DEG_LAT 111320.0
#define REACH_M 24000.0        /* longest leg a bus drives without stopping */
#define GPS_SIGMA_M 3.0

struct place {
	const char *name;
	double x_km, y_km;
	bool town;
};

struct valley {
	const char *name;
	double x_km, y_km, r_km;
};

static const struct place places[] = {
	{ "Qingshi", 0, 0, true }, /* county seat */
	{ "Baima", -18, 12, true },
	{ "Longtan", -16, -14, true },
	{ "Heping", 20, 10, true },
	{ "Shuangxi", 17, -15, true },
	{ "Yangjiagou", -26, 20, false },
	{ "Shiban", -8, 20, false },
	{ "Huilong", 6, 22, false },
	{ "Tianchi", 26, 21, false },
	{ "Zhuyuan", -27, 2, false },
	{ "Xinglong", -8, 6, false },
	{ "Jinji", 10, 2, false },
	{ "Wangjiaba", 27, -2, false },
	{ "Dashu", -25, -21, false },
	{ "Liujia", -4, -12, false },
	{ "Guanyin", 6, -22, false },
	{ "Hongyan", 27, -22, false },
};

static const struct valley valleys[] = {
	{ "Baima gorge", -13, 16, 3.0 },
	{ "Longtan valley", -8, -7, 2.5 },
	{ "Heping hollow", 23, 15.5, 3.0 },
	{ "Shuangxi river", 11.5, -18.5, 3.0 },
	{ "Xinglong ravine", -4, 3, 1.5 },
	{ "Zhuyuan gully", -22.5, 7, 2.5 },
	{ "Jinji creek", 5, 1, 1.5 },
	{ "Dashu hollow", -20.5, -17.5, 2.0 },
};

#define NPLACES ((int)(sizeof places / sizeof places[0]))
#define NVALLEYS ((int)(sizeof valleys / sizeof valleys[0]))

/* ---- randomness (splitmix64: small, fast, good enough for a demo) ---- */

void rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_uniform(r);
}

double rng_gauss(struct rng *r)
{
	double u = rng_uniform(r), v = rng_uniform(r);
	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

/* ---- the map ---- */

int county_place_count(void)
{
	return NPLACES;
}

const char *county_place_name(int i)
{
	return places[i].name;
}

bool county_place_is_town(int i)
{
	return places[i].town;
}

void county_place_xy(int i, double *x, double *y)
{
	*x = places[i].x_km * 1000.0;
	*y = places[i].y_km * 1000.0;
}

int county_dead_zone_count(void)
{
	return NVALLEYS;
}

const char *county_dead_zone_at(double x, double y)
{
	for (int i = 0; i < NVALLEYS; i++) {
		double dx = x - valleys[i].x_km * 1000.0, dy = y - valleys[i].y_km * 1000.0;
		double r = valleys[i].r_km * 1000.0;
		if (dx * dx + dy * dy < r * r)
			return valleys[i].name;
	}
	return NULL;
}

/* Rolling hills 350–950 m, lower in the valleys. */
double county_altitude(double x, double y)
{
	double h = 620.0 + 180.0 * sin(x / 7100.0) * cos(y / 5300.0) + 90.0 * sin((x + y) / 2900.0);
	for (int i = 0; i < NVALLEYS; i++) {
		double dx = x - valleys[i].x_km * 1000.0, dy = y - valleys[i].y_km * 1000.0;
		double r = valleys[i].r_km * 1000.0 * 1.5;
		double d2 = (dx * dx + dy * dy) / (r * r);
		if (d2 < 1.0)
			h -= 160.0 * (1.0 - d2);
	}
	return h;
}

void county_xy_to_latlon(double x, double y, double *lat, double *lon)
{
	*lat = COUNTY_CENTRE_LAT + y / M_PER_DEG_LAT;
	*lon = COUNTY_CENTRE_LON + x / (M_PER_DEG_LAT * cos(*lat * M_PI / 180.0));
}

/* ---- buses ---- */

static double distance(int a, int b)
{
	return hypot(places[a].x_km - places[b].x_km, places[a].y_km - places[b].y_km) * 1000.0;
}

static int pick(struct rng *r, int from, bool towns_only)
{
	int choice[NPLACES], n = 0;

	for (int i = 0; i < NPLACES; i++)
		if (i != from && distance(from, i) <= REACH_M && (!towns_only || places[i].town))
			choice[n++] = i;
	if (n == 0) /* nothing in reach: the county seat is always somewhere to go */
		return from == 0 ? 1 : 0;
	return choice[rng_next(r) % (uint64_t)n];
}

/* Chooses the next leg from b->from and its cruising speed. */
static void depart(struct bus *b, struct rng *r)
{
	bool towns_only = !places[b->from].town && rng_uniform(r) < 0.7;
	b->to = pick(r, b->from, towns_only);
	b->cruise = rng_range(r, 30.0, 60.0) / 3.6;
	b->dwell_s = 0;
}

void bus_start(struct bus *b, struct rng *r)
{
	b->from = (int)(rng_next(r) % (uint64_t)NPLACES);
	county_place_xy(b->from, &b->x, &b->y);
	b->to = b->from;
	b->speed = 0;
	b->cruise = 0;
	b->heading = rng_range(r, 0, 360);
	b->battery = rng_range(r, 0.55, 1.0);
	b->odometer_m = 0;
	if (rng_uniform(r) < 0.2) { /* waiting at a stop, about to leave */
		b->dwell_s = rng_range(r, 1, 60);
		return;
	}
	/* out on the road already, somewhere along its leg */
	double tx, ty, f = rng_uniform(r);
	depart(b, r);
	county_place_xy(b->to, &tx, &ty);
	b->x += (tx - b->x) * f;
	b->y += (ty - b->y) * f;
	b->speed = b->cruise;
	b->heading = fmod(atan2(tx - b->x, ty - b->y) * 180.0 / M_PI + 360.0, 360.0);
}

void bus_step(struct bus *b, struct rng *r, double dt)
{
	/* a tablet on a dashboard charger: drains while it sends, charges while parked */
	b->battery += (b->dwell_s > 0 ? 0.02 : -0.004) * dt / 60.0;
	b->battery = b->battery < 0.05 ? 0.05 : b->battery > 1.0 ? 1.0 : b->battery;
	while (dt > 0) {
		if (b->dwell_s > 0) {
			double t = dt < b->dwell_s ? dt : b->dwell_s;
			b->speed = 0;
			b->dwell_s -= t;
			dt -= t;
			if (b->dwell_s <= 0)
				depart(b, r);
			continue;
		}
		double tx, ty;
		county_place_xy(b->to, &tx, &ty);
		double dx = tx - b->x, dy = ty - b->y, left = hypot(dx, dy);
		/* speed wanders a little around the cruise speed, as traffic and hills do */
		b->speed = b->cruise * (1.0 + 0.06 * sin(b->odometer_m / 900.0));
		double go = b->speed * dt;
		if (left > 1e-6)
			b->heading = fmod(atan2(dx, dy) * 180.0 / M_PI + 360.0, 360.0);
		if (go < left) {
			b->x += dx / left * go;
			b->y += dy / left * go;
			b->odometer_m += go;
			dt = 0;
		} else {
			b->x = tx;
			b->y = ty;
			b->odometer_m += left;
			dt -= b->speed > 0 ? left / b->speed : dt;
			b->from = b->to;
			b->speed = 0;
			b->dwell_s = places[b->from].town ? rng_range(r, 60, 240) : rng_range(r, 20, 90);
		}
	}
}

bool bus_moving(const struct bus *b)
{
	return b->dwell_s <= 0 && b->speed > 0;
}

void bus_read(const struct bus *b, struct rng *r, struct reading *out)
{
	double nx = GPS_SIGMA_M * rng_gauss(r), ny = GPS_SIGMA_M * rng_gauss(r);

	county_xy_to_latlon(b->x + nx, b->y + ny, &out->lat, &out->lon);
	out->speed = b->speed > 0 ? fmax(0.0, b->speed + 0.3 * rng_gauss(r)) : 0.0;
	out->heading = fmod(b->heading + 2.0 * rng_gauss(r) + 360.0, 360.0);
	out->altitude = county_altitude(b->x, b->y) + 5.0 * rng_gauss(r);
	out->accuracy = GPS_SIGMA_M * rng_range(r, 1.0, 2.5);
	out->battery = b->battery;
}
