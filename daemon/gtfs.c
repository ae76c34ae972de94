/*
 * gtfs.c — the column tables of the GTFS files Jintong imports, and the
 * checks of a header and of one row against them.
 *
 * Each file is a table of columns (name, type, presence, range) in the
 * order of the GTFS reference, indexed by a private enum so that the rules
 * between fields of a row can name their columns without looking them up.
 * A row is checked in two steps: every value against its column's type,
 * filling in its number (integers, enums, times in seconds, dates in days)
 * or its coordinate; then the file's own rules on those numbers. The first
 * problem found is reported, naming the column.
 */
#include "gtfs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

#define R GTFS_REQUIRED
#define C GTFS_CONDITIONAL
#define O GTFS_OPTIONAL
#define COL(n, t, p) {n, GTFS_##t, p, 0, 0}
#define NUM(n, t, p, lo, hi) {n, GTFS_##t, p, lo, hi}
#define I32 2147483647LL

enum { AG_ID, AG_NAME, AG_URL, AG_TZ, AG_LANG, AG_PHONE, AG_FARE_URL, AG_EMAIL, AG_CEMV, AG_N };
static const struct gtfs_column agency_cols[AG_N] = {
	COL("agency_id", ID, C),          COL("agency_name", TEXT, R),
	COL("agency_url", URL, R),        COL("agency_timezone", TIMEZONE, R),
	COL("agency_lang", LANGUAGE, O),  COL("agency_phone", PHONE, O),
	COL("agency_fare_url", URL, O),   COL("agency_email", EMAIL, O),
	NUM("cemv_support", ENUM, O, 0, 2),
};

enum {
	ST_ID, ST_CODE, ST_NAME, ST_TTS, ST_DESC, ST_LAT, ST_LON, ST_ZONE, ST_URL, ST_TYPE,
	ST_PARENT, ST_TZ, ST_WHEELCHAIR, ST_LEVEL, ST_PLATFORM, ST_ACCESS, ST_N
};
static const struct gtfs_column stops_cols[ST_N] = {
	COL("stop_id", ID, R),          COL("stop_code", TEXT, O),
	COL("stop_name", TEXT, C),      COL("tts_stop_name", TEXT, O),
	COL("stop_desc", TEXT, O),      COL("stop_lat", LATITUDE, C),
	COL("stop_lon", LONGITUDE, C),  COL("zone_id", ID, O),
	COL("stop_url", URL, O),        NUM("location_type", ENUM, O, 0, 4),
	COL("parent_station", ID, C),   COL("stop_timezone", TIMEZONE, O),
	NUM("wheelchair_boarding", ENUM, O, 0, 2),
	COL("level_id", ID, O),         COL("platform_code", TEXT, O),
	NUM("stop_access", ENUM, C, 0, 1),
};

enum {
	RT_ID, RT_AGENCY, RT_SHORT, RT_LONG, RT_DESC, RT_TYPE, RT_URL, RT_COLOR, RT_TEXT_COLOR,
	RT_SORT, RT_CPICKUP, RT_CDROP_OFF, RT_NETWORK, RT_CEMV, RT_N
};
static const struct gtfs_column routes_cols[RT_N] = {
	COL("route_id", ID, R),              COL("agency_id", ID, C),
	COL("route_short_name", TEXT, C),    COL("route_long_name", TEXT, C),
	COL("route_desc", TEXT, O),          NUM("route_type", ROUTE_TYPE, R, 0, 1702),
	COL("route_url", URL, O),            COL("route_color", COLOR, O),
	COL("route_text_color", COLOR, O),   NUM("route_sort_order", INTEGER, O, 0, I32),
	NUM("continuous_pickup", ENUM, C, 0, 3),
	NUM("continuous_drop_off", ENUM, C, 0, 3),
	COL("network_id", ID, C),            NUM("cemv_support", ENUM, O, 0, 2),
};

enum {
	TR_ROUTE, TR_SERVICE, TR_ID, TR_HEADSIGN, TR_SHORT, TR_DIRECTION, TR_BLOCK, TR_SHAPE,
	TR_WHEELCHAIR, TR_BIKES, TR_CARS, TR_N
};
static const struct gtfs_column trips_cols[TR_N] = {
	COL("route_id", ID, R),             COL("service_id", ID, R),
	COL("trip_id", ID, R),              COL("trip_headsign", TEXT, O),
	COL("trip_short_name", TEXT, O),    NUM("direction_id", ENUM, O, 0, 1),
	COL("block_id", ID, O),             COL("shape_id", ID, C),
	NUM("wheelchair_accessible", ENUM, O, 0, 2),
	NUM("bikes_allowed", ENUM, O, 0, 2),
	NUM("cars_allowed", ENUM, O, 0, 2),
};

enum {
	SX_TRIP, SX_ARRIVAL, SX_DEPARTURE, SX_STOP, SX_GROUP, SX_LOCATION, SX_SEQUENCE,
	SX_HEADSIGN, SX_WINDOW_START, SX_WINDOW_END, SX_PICKUP, SX_DROP_OFF, SX_CPICKUP,
	SX_CDROP_OFF, SX_DIST, SX_TIMEPOINT, SX_PICKUP_RULE, SX_DROP_OFF_RULE, SX_N
};
static const struct gtfs_column stop_times_cols[SX_N] = {
	COL("trip_id", ID, R),              COL("arrival_time", TIME, C),
	COL("departure_time", TIME, C),     COL("stop_id", ID, C),
	COL("location_group_id", ID, C),    COL("location_id", ID, C),
	NUM("stop_sequence", INTEGER, R, 0, I32),
	COL("stop_headsign", TEXT, O),
	COL("start_pickup_drop_off_window", TIME, C),
	COL("end_pickup_drop_off_window", TIME, C),
	NUM("pickup_type", ENUM, C, 0, 3),  NUM("drop_off_type", ENUM, C, 0, 3),
	NUM("continuous_pickup", ENUM, C, 0, 3),
	NUM("continuous_drop_off", ENUM, C, 0, 3),
	COL("shape_dist_traveled", FLOAT, O),
	NUM("timepoint", ENUM, O, 0, 1),
	COL("pickup_booking_rule_id", ID, O),
	COL("drop_off_booking_rule_id", ID, O),
};

enum { CA_SERVICE, CA_MON, CA_SUN = CA_MON + 6, CA_START, CA_END, CA_N };
static const struct gtfs_column calendar_cols[CA_N] = {
	COL("service_id", ID, R),
	NUM("monday", ENUM, R, 0, 1),    NUM("tuesday", ENUM, R, 0, 1),
	NUM("wednesday", ENUM, R, 0, 1), NUM("thursday", ENUM, R, 0, 1),
	NUM("friday", ENUM, R, 0, 1),    NUM("saturday", ENUM, R, 0, 1),
	NUM("sunday", ENUM, R, 0, 1),
	COL("start_date", DATE, R),      COL("end_date", DATE, R),
};

static const struct gtfs_column calendar_dates_cols[] = {
	COL("service_id", ID, R),
	COL("date", DATE, R),
	NUM("exception_type", ENUM, R, 1, 2),
};

enum { SH_ID, SH_LAT, SH_LON, SH_SEQUENCE, SH_DIST, SH_N };
static const struct gtfs_column shapes_cols[SH_N] = {
	COL("shape_id", ID, R),
	COL("shape_pt_lat", LATITUDE, R),
	COL("shape_pt_lon", LONGITUDE, R),
	NUM("shape_pt_sequence", INTEGER, R, 0, I32),
	COL("shape_dist_traveled", FLOAT, O),
};

enum { FQ_TRIP, FQ_START, FQ_END, FQ_HEADWAY, FQ_EXACT, FQ_N };
static const struct gtfs_column frequencies_cols[FQ_N] = {
	COL("trip_id", ID, R),
	COL("start_time", TIME, R),
	COL("end_time", TIME, R),
	NUM("headway_secs", INTEGER, R, 1, I32),
	NUM("exact_times", ENUM, O, 0, 1),
};

enum {
	BR_ID, BR_TYPE, BR_MIN, BR_MAX, BR_LAST_DAY, BR_LAST_TIME, BR_START_DAY, BR_START_TIME,
	BR_SERVICE, BR_MESSAGE, BR_PICKUP_MESSAGE, BR_DROP_OFF_MESSAGE, BR_PHONE, BR_INFO_URL,
	BR_BOOKING_URL, BR_N
};
static const struct gtfs_column booking_rules_cols[BR_N] = {
	COL("booking_rule_id", ID, R),
	NUM("booking_type", ENUM, R, 0, 2),
	NUM("prior_notice_duration_min", INTEGER, C, 0, I32),
	NUM("prior_notice_duration_max", INTEGER, C, 0, I32),
	NUM("prior_notice_last_day", INTEGER, C, 0, I32),
	COL("prior_notice_last_time", TIME, C),
	NUM("prior_notice_start_day", INTEGER, C, 0, I32),
	COL("prior_notice_start_time", TIME, C),
	COL("prior_notice_service_id", ID, C),
	COL("message", TEXT, O),
	COL("pickup_message", TEXT, O),
	COL("drop_off_message", TEXT, O),
	COL("phone_number", PHONE, O),
	COL("info_url", URL, O),
	COL("booking_url", URL, O),
};

static const struct gtfs_column location_groups_cols[] = {
	COL("location_group_id", ID, R),
	COL("location_group_name", TEXT, O),
};

static const struct gtfs_column location_group_stops_cols[] = {
	COL("location_group_id", ID, R),
	COL("stop_id", ID, R),
};

/* A value of the row being checked. */
struct val {
	const char *s; /* NULL: no such column, or a short row */
	size_t len;
	long long num; /* integers and enums; times in seconds; dates in days */
	double deg;    /* latitudes and longitudes */
};

/* A row being checked: its values, its file's columns, where errors go. */
struct rowcheck {
	struct val v[GTFS_COLUMNS_MAX];
	const struct gtfs_column *cols;
	char *err;
	size_t errlen;
};

typedef int rules_fn(const struct rowcheck *x);
static rules_fn stops_rules, routes_rules, stop_times_rules, calendar_rules, shapes_rules,
	frequencies_rules, booking_rules_rules;

struct file_desc {
	struct gtfs_table table;
	rules_fn *rules;
	int one_of[3]; /* the header needs at least one of these columns */
	int one_of_count;
};

#define TABLE(file, cols) {file, cols, (int)JT_ARRAY_LEN(cols)}
static const struct file_desc files[GTFS_FILE_COUNT] = {
	[GTFS_AGENCY] = {TABLE("agency.txt", agency_cols), NULL, {0}, 0},
	[GTFS_STOPS] = {TABLE("stops.txt", stops_cols), stops_rules, {0}, 0},
	[GTFS_ROUTES] = {TABLE("routes.txt", routes_cols), routes_rules, {RT_SHORT, RT_LONG}, 2},
	[GTFS_TRIPS] = {TABLE("trips.txt", trips_cols), NULL, {0}, 0},
	[GTFS_STOP_TIMES] = {TABLE("stop_times.txt", stop_times_cols), stop_times_rules,
			     {SX_STOP, SX_GROUP, SX_LOCATION}, 3},
	[GTFS_CALENDAR] = {TABLE("calendar.txt", calendar_cols), calendar_rules, {0}, 0},
	[GTFS_CALENDAR_DATES] = {TABLE("calendar_dates.txt", calendar_dates_cols), NULL, {0}, 0},
	[GTFS_SHAPES] = {TABLE("shapes.txt", shapes_cols), shapes_rules, {0}, 0},
	[GTFS_FREQUENCIES] = {TABLE("frequencies.txt", frequencies_cols), frequencies_rules,
			      {0}, 0},
	[GTFS_BOOKING_RULES] = {TABLE("booking_rules.txt", booking_rules_cols),
				booking_rules_rules, {0}, 0},
	[GTFS_LOCATION_GROUPS] = {TABLE("location_groups.txt", location_groups_cols), NULL,
				  {0}, 0},
	[GTFS_LOCATION_GROUP_STOPS] = {TABLE("location_group_stops.txt",
					     location_group_stops_cols), NULL, {0}, 0},
};

/* ---- messages ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *fmt, ...) JT_PRINTF(3, 4);

/* Writes the message; always returns -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A value as shown in a message: printable ASCII, cut at 32 bytes. */
static const char *shown(char buf[48], const struct val *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->len && n < 32; i++) {
		unsigned char c = (unsigned char)v->s[i];
		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (v->len > n) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* Checks a non-empty value against its column, filling in v->num or v->deg. */
static int check_value(const struct gtfs_column *c, struct val *v, char *err, size_t errlen)
{
	char shown_buf[48], range[64];
	const char *what = range;
	bool ok = false;
	int secs;
	struct gtfs_date date;
	uint32_t rgb;
	double lim = c->type == GTFS_LATITUDE ? 90 : 180, d;
	switch (c->type) {
	case GTFS_TEXT:
	case GTFS_ID:
	case GTFS_PHONE:
		return 0;
	case GTFS_URL:
		ok = gtfs_url_valid(v->s, v->len);
		what = "an http:// or https:// URL";
		break;
	case GTFS_EMAIL:
		ok = gtfs_email_valid(v->s, v->len);
		what = "an email address";
		break;
	case GTFS_TIMEZONE:
		ok = gtfs_timezone_valid(v->s, v->len);
		what = "a time zone name";
		break;
	case GTFS_LANGUAGE:
		ok = gtfs_language_valid(v->s, v->len);
		what = "a language code";
		break;
	case GTFS_LATITUDE:
	case GTFS_LONGITUDE:
		ok = csv_parse_double(v->s, v->len, &v->deg) == 0 && v->deg >= -lim &&
		     v->deg <= lim;
		snprintf(range, sizeof range, "a %s in -%g..%g",
			 c->type == GTFS_LATITUDE ? "latitude" : "longitude", lim, lim);
		break;
	case GTFS_COLOR:
		ok = gtfs_parse_color(v->s, v->len, &rgb) == 0;
		what = "a color (six hex digits)";
		break;
	case GTFS_DATE:
		ok = gtfs_parse_date(v->s, v->len, &date) == 0;
		if (ok)
			v->num = date_from_ymd(date.year, date.month, date.day);
		what = "a date (YYYYMMDD)";
		break;
	case GTFS_TIME:
		ok = gtfs_parse_time(v->s, v->len, &secs) == 0;
		v->num = ok ? secs : 0;
		what = "a time (HH:MM:SS, up to 47:59:59)";
		break;
	case GTFS_INTEGER:
	case GTFS_ENUM:
		ok = csv_parse_int(v->s, v->len, c->min, c->max, &v->num) == 0;
		snprintf(range, sizeof range, "%s %lld..%lld",
			 c->type == GTFS_ENUM ? "one of" : "an integer in", c->min, c->max);
		break;
	case GTFS_FLOAT:
		ok = csv_parse_double(v->s, v->len, &d) == 0 && d >= 0;
		what = "a non-negative number";
		break;
	case GTFS_ROUTE_TYPE:
		ok = csv_parse_int(v->s, v->len, c->min, c->max, &v->num) == 0 &&
		     (v->num <= 7 || v->num == 11 || v->num == 12 || v->num >= 100);
		what = "a GTFS route type";
		break;
	}
	if (ok)
		return 0;
	return fail(err, errlen, "%s: \"%s\" is not %s", c->name, shown(shown_buf, v), what);
}

/* ---- rules between the values of a row --------------------------------- */

static bool has(const struct val *v)
{
	return v->s && v->len > 0;
}

/*
 * The reference's "required when ..." and "forbidden when ...": v[col] must
 * have a value if `required`, must not if `forbidden`; `when` finishes the
 * message ("for location_type 1 (station)").
 */
static int cond(const struct rowcheck *x, int col, bool required, bool forbidden, const char *when)
{
	if (required && !has(&x->v[col]))
		return fail(x->err, x->errlen, "%s is required %s", x->cols[col].name, when);
	if (forbidden && has(&x->v[col]))
		return fail(x->err, x->errlen, "%s is forbidden %s", x->cols[col].name, when);
	return 0;
}

static int stops_rules(const struct rowcheck *x)
{
	static const char *const when[5] = {
		"for location_type 0 (stop)", "for location_type 1 (station)",
		"for location_type 2 (entrance)", "for location_type 3 (generic node)",
		"for location_type 4 (boarding area)",
	};
	const struct val *v = x->v;
	long long t = has(&v[ST_TYPE]) ? v[ST_TYPE].num : 0;
	bool parent = has(&v[ST_PARENT]);
	if (cond(x, ST_NAME, t <= 2, false, when[t]) || cond(x, ST_LAT, t <= 2, false, when[t]) ||
	    cond(x, ST_LON, t <= 2, false, when[t]) ||
	    cond(x, ST_PARENT, t >= 2, t == 1, when[t]))
		return -1;
	if (has(&v[ST_LAT]) != has(&v[ST_LON]))
		return fail(x->err, x->errlen, "stop_lat and stop_lon go together");
	if (has(&v[ST_LAT]) && v[ST_LAT].deg == 0 && v[ST_LON].deg == 0)
		return fail(x->err, x->errlen,
			    "stop_lat and stop_lon are both 0, not a real place");
	if (cond(x, ST_ACCESS, false, t != 0, when[t]) ||
	    cond(x, ST_ACCESS, false, !parent, "without parent_station"))
		return -1;
	return 0;
}

static int routes_rules(const struct rowcheck *x)
{
	if (!has(&x->v[RT_SHORT]) && !has(&x->v[RT_LONG]))
		return fail(x->err, x->errlen, "route_short_name or route_long_name is required");
	return 0;
}

static int stop_times_rules(const struct rowcheck *x)
{
	const struct val *v = x->v;
	int places = has(&v[SX_STOP]) + has(&v[SX_GROUP]) + has(&v[SX_LOCATION]);
	if (places != 1)
		return fail(x->err, x->errlen,
			    "%s one of stop_id, location_group_id and location_id",
			    places ? "only" : "needs");
	bool arr = has(&v[SX_ARRIVAL]), dep = has(&v[SX_DEPARTURE]);
	bool start = has(&v[SX_WINDOW_START]), end = has(&v[SX_WINDOW_END]);
	bool zone = !has(&v[SX_STOP]);
	const char *when = "with a pickup/drop-off window";
	const char *in_zone = "with a location group or location";
	if (cond(x, SX_WINDOW_START, zone || end, false,
		 zone ? in_zone : "with end_pickup_drop_off_window") ||
	    cond(x, SX_WINDOW_END, zone || start, false,
		 zone ? in_zone : "with start_pickup_drop_off_window") ||
	    cond(x, SX_ARRIVAL, false, start, when) || cond(x, SX_DEPARTURE, false, start, when))
		return -1;
	/* Only one of the two is valid: the other is the same. */
	if (arr && dep && v[SX_DEPARTURE].num < v[SX_ARRIVAL].num)
		return fail(x->err, x->errlen, "departure_time is before arrival_time");
	if (has(&v[SX_TIMEPOINT]) && v[SX_TIMEPOINT].num == 1 && !(arr && dep))
		return fail(x->err, x->errlen, "timepoint 1 needs arrival_time and departure_time");
	if (!start)
		return 0;
	if (v[SX_WINDOW_END].num < v[SX_WINDOW_START].num)
		return fail(x->err, x->errlen,
			    "end_pickup_drop_off_window is before start_pickup_drop_off_window");
	/* An empty pickup_type or drop_off_type means 0, regularly scheduled. */
	long long pickup = has(&v[SX_PICKUP]) ? v[SX_PICKUP].num : 0;
	long long drop_off = has(&v[SX_DROP_OFF]) ? v[SX_DROP_OFF].num : 0;
	if (pickup == 0 || pickup == 3)
		return fail(x->err, x->errlen, "pickup_type %lld is forbidden %s", pickup, when);
	if (drop_off == 0)
		return fail(x->err, x->errlen, "drop_off_type 0 is forbidden %s", when);
	for (int col = SX_CPICKUP; col <= SX_CDROP_OFF; col++)
		if (has(&v[col]) && v[col].num != 1)
			return fail(x->err, x->errlen, "%s %lld is forbidden %s", x->cols[col].name,
				    v[col].num, when);
	return 0;
}

static int calendar_rules(const struct rowcheck *x)
{
	if (x->v[CA_END].num < x->v[CA_START].num)
		return fail(x->err, x->errlen, "end_date is before start_date");
	return 0;
}

static int shapes_rules(const struct rowcheck *x)
{
	if (x->v[SH_LAT].deg == 0 && x->v[SH_LON].deg == 0)
		return fail(x->err, x->errlen,
			    "shape_pt_lat and shape_pt_lon are both 0, not a real place");
	return 0;
}

static int frequencies_rules(const struct rowcheck *x)
{
	if (x->v[FQ_END].num <= x->v[FQ_START].num)
		return fail(x->err, x->errlen, "end_time is not after start_time");
	return 0;
}

static int booking_rules_rules(const struct rowcheck *x)
{
	static const char *const when[3] = {"for booking_type 0 (real time)",
					    "for booking_type 1 (same day)",
					    "for booking_type 2 (prior days)"};
	const struct val *v = x->v;
	long long t = v[BR_TYPE].num;
	bool last = has(&v[BR_LAST_DAY]), first = has(&v[BR_START_DAY]);
	if (cond(x, BR_MIN, t == 1, t != 1, when[t]) || cond(x, BR_MAX, false, t != 1, when[t]) ||
	    cond(x, BR_LAST_DAY, t == 2, t != 2, when[t]) ||
	    cond(x, BR_LAST_TIME, last, !last,
		 last ? "with prior_notice_last_day" : "without prior_notice_last_day") ||
	    cond(x, BR_START_DAY, false, t == 0, when[t]) ||
	    cond(x, BR_START_DAY, false, t == 1 && has(&v[BR_MAX]),
		 "with prior_notice_duration_max") ||
	    cond(x, BR_START_TIME, first, !first,
		 first ? "with prior_notice_start_day" : "without prior_notice_start_day") ||
	    cond(x, BR_SERVICE, false, t != 2, when[t]))
		return -1;
	if (has(&v[BR_MIN]) && has(&v[BR_MAX]) && v[BR_MAX].num < v[BR_MIN].num)
		return fail(x->err, x->errlen,
			    "prior_notice_duration_max is below prior_notice_duration_min");
	if (last && first && v[BR_START_DAY].num < v[BR_LAST_DAY].num)
		return fail(x->err, x->errlen,
			    "prior_notice_start_day is below prior_notice_last_day");
	return 0;
}

/* ---- files, headers and rows -------------------------------------------- */

const struct gtfs_table *gtfs_table(enum gtfs_file f)
{
	return &files[f].table;
}

int gtfs_file_lookup(const char *name, enum gtfs_file *f)
{
	for (int i = 0; i < GTFS_FILE_COUNT; i++) {
		if (strcmp(files[i].table.file, name) == 0) {
			*f = (enum gtfs_file)i;
			return 0;
		}
	}
	return -1;
}

int gtfs_column_index(enum gtfs_file f, const char *name)
{
	const struct gtfs_table *t = &files[f].table;
	for (int i = 0; i < t->count; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return i;
	return -1;
}

/* Appends to a message, keeping it terminated. */
static void append(char *err, size_t errlen, size_t *used, const char *s)
{
	if (!err || errlen == 0)
		return;
	int n = snprintf(err + *used, errlen - *used, "%s", s);
	if (n > 0)
		*used += (size_t)n < errlen - *used ? (size_t)n : errlen - *used - 1;
}

int gtfs_check_header(enum gtfs_file f, const struct csv *r, char *err, size_t errlen)
{
	const struct file_desc *d = &files[f];
	size_t used = 0;
	int missing = 0, found = 0;
	if (err && errlen)
		err[0] = '\0';
	for (int i = 0; i < d->table.count; i++) {
		const struct gtfs_column *c = &d->table.columns[i];
		if (c->presence != GTFS_REQUIRED || csv_column(r, c->name) >= 0)
			continue;
		append(err, errlen, &used, missing++ ? ", " : "missing required column: ");
		append(err, errlen, &used, c->name);
	}
	for (int k = 0; k < d->one_of_count; k++)
		found += csv_column(r, d->table.columns[d->one_of[k]].name) >= 0;
	if (d->one_of_count && !found) {
		append(err, errlen, &used, missing ? "; " : "");
		for (int k = 0; k < d->one_of_count; k++) {
			append(err, errlen, &used, k ? " or " : "missing column: ");
			append(err, errlen, &used, d->table.columns[d->one_of[k]].name);
		}
		missing++;
	}
	return missing ? -1 : 0;
}

void gtfs_layout_init(struct gtfs_layout *l, enum gtfs_file f, const struct csv *r)
{
	const struct gtfs_table *t = &files[f].table;
	l->file = f;
	l->header_columns = csv_columns(r);
	for (int i = 0; i < GTFS_COLUMNS_MAX; i++)
		l->col[i] = i < t->count ? csv_column(r, t->columns[i].name) : -1;
}

const char *gtfs_value(const struct gtfs_layout *l, const struct csv_row *row, int column,
		       size_t *len)
{
	*len = 0;
	if (column < 0 || column >= files[l->file].table.count || l->col[column] < 0)
		return NULL;
	size_t n;
	const char *s = csv_field(row, l->col[column], &n);
	if (!s)
		return NULL;
	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	*len = n;
	return s;
}

int gtfs_check_row(const struct gtfs_layout *l, const struct csv_row *row, char *err,
		   size_t errlen)
{
	const struct file_desc *d = &files[l->file];
	struct rowcheck x = {.cols = d->table.columns, .err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = '\0';
	if (row->count != l->header_columns)
		return fail(err, errlen, "%d field%s, but the header has %d column%s", row->count,
			    row->count == 1 ? "" : "s", l->header_columns,
			    l->header_columns == 1 ? "" : "s");
	for (int i = 0; i < d->table.count; i++) {
		const struct gtfs_column *c = &d->table.columns[i];
		struct val *v = &x.v[i];
		v->s = gtfs_value(l, row, i, &v->len);
		for (size_t k = 0; k < v->len; k++)
			if (v->s[k] == '\t' || v->s[k] == '\r' || v->s[k] == '\n')
				return fail(err, errlen, "%s: tab or line break in the value",
					    c->name);
		if (!has(v)) {
			if (c->presence == GTFS_REQUIRED)
				return fail(err, errlen, "%s is required", c->name);
			continue;
		}
		if (check_value(c, v, err, errlen) != 0)
			return -1;
	}
	return d->rules ? d->rules(&x) : 0;
}
