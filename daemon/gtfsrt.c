/*
 * gtfsrt.c — building GTFS Realtime FeedMessages with protobuf-c, and a
 * text printer that walks any message by its descriptor.
 *
 * The messages are assembled in arrays sized to the vehicle count (every
 * entity, trip descriptor and stop time update has one slot), packed, and
 * the arrays freed: nothing the caller passed is kept.
 */
#include "gtfsrt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtfs-realtime.pb-c.h"
#include "strmap.h"
#include "util.h"

bool gtfsrt_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		int more;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			more = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		p++;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (*p & 0x3f);
		}
		static const uint32_t least[] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < least[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

static bool str_ok(const char *s, bool required)
{
	if (!s)
		return !required;
	return (*s || !required) && gtfsrt_utf8_valid(s);
}

static bool vehicle_ok(const struct gtfsrt_vehicle *v)
{
	if (!str_ok(v->vehicle_id, true) || !str_ok(v->label, false) || !str_ok(v->trip_id, false) ||
	    !str_ok(v->route_id, false) || !str_ok(v->start_date, false) || !str_ok(v->stop_id, false))
		return false;
	for (size_t i = 0; i < v->nstop_times; i++)
		if (!str_ok(v->stop_times[i].stop_id, false))
			return false;
	return true;
}

static uint64_t posix_s(jt_ms t)
{
	return t > 0 ? (uint64_t)(t / 1000) : 0;
}

/* Everything one feed allocates, freed together after packing. */
struct build {
	TransitRealtime__FeedMessage msg;
	TransitRealtime__FeedHeader header;
	TransitRealtime__FeedEntity *ent, **entp;
	TransitRealtime__TripDescriptor *trip;
	TransitRealtime__VehicleDescriptor *veh;
	TransitRealtime__VehiclePosition *pos;
	TransitRealtime__Position *point;
	TransitRealtime__TripUpdate *tu;
	TransitRealtime__TripUpdate__StopTimeUpdate *stu, **stup;
	TransitRealtime__TripUpdate__StopTimeEvent *ste;
	char **ids;
	size_t n, nids;
	struct strmap *seen;
};

static void build_start(struct build *b, size_t n, size_t nstu, jt_ms now)
{
	memset(b, 0, sizeof *b);
	b->msg = (TransitRealtime__FeedMessage)TRANSIT_REALTIME__FEED_MESSAGE__INIT;
	b->header = (TransitRealtime__FeedHeader)TRANSIT_REALTIME__FEED_HEADER__INIT;
	b->header.gtfs_realtime_version = (char *)"2.0";
	b->header.has_incrementality = true;
	b->header.incrementality = TRANSIT_REALTIME__FEED_HEADER__INCREMENTALITY__FULL_DATASET;
	b->header.has_timestamp = true;
	b->header.timestamp = posix_s(now);
	b->msg.header = &b->header;
	size_t m = n ? n : 1, s = nstu ? nstu : 1;
	b->ent = xcalloc(m, sizeof *b->ent);
	b->entp = xcalloc(m, sizeof *b->entp);
	b->trip = xcalloc(m, sizeof *b->trip);
	b->veh = xcalloc(m, sizeof *b->veh);
	b->pos = xcalloc(m, sizeof *b->pos);
	b->point = xcalloc(m, sizeof *b->point);
	b->tu = xcalloc(m, sizeof *b->tu);
	b->ids = xcalloc(m, sizeof *b->ids);
	b->stu = xcalloc(s, sizeof *b->stu);
	b->stup = xcalloc(s, sizeof *b->stup);
	b->ste = xcalloc(2 * s, sizeof *b->ste);
	b->seen = strmap_new();
}

static void build_finish(struct build *b, struct gtfsrt_feed *out, size_t left_out)
{
	b->msg.n_entity = b->n;
	b->msg.entity = b->entp;
	size_t len = transit_realtime__feed_message__get_packed_size(&b->msg);
	out->data = xmalloc(len ? len : 1);
	out->len = transit_realtime__feed_message__pack(&b->msg, out->data);
	out->entities = b->n;
	out->left_out = left_out;
	for (size_t i = 0; i < b->nids; i++)
		free(b->ids[i]);
	free(b->ids);
	free(b->ent);
	free(b->entp);
	free(b->trip);
	free(b->veh);
	free(b->pos);
	free(b->point);
	free(b->tu);
	free(b->stu);
	free(b->stup);
	free(b->ste);
	strmap_free(b->seen);
}

/* A new entity with this id, or NULL when the id is already in the feed. */
static TransitRealtime__FeedEntity *entity(struct build *b, char *id)
{
	if (strmap_get(b->seen, id)) {
		free(id);
		return NULL;
	}
	strmap_put(b->seen, id, b);
	b->ids[b->nids++] = id;
	TransitRealtime__FeedEntity *e = &b->ent[b->n];
	*e = (TransitRealtime__FeedEntity)TRANSIT_REALTIME__FEED_ENTITY__INIT;
	e->id = id;
	b->entp[b->n] = e;
	return e;
}

static TransitRealtime__TripDescriptor *trip_of(struct build *b, const struct gtfsrt_vehicle *v)
{
	TransitRealtime__TripDescriptor *t = &b->trip[b->n];
	*t = (TransitRealtime__TripDescriptor)TRANSIT_REALTIME__TRIP_DESCRIPTOR__INIT;
	t->trip_id = (char *)v->trip_id;
	t->route_id = (char *)v->route_id;
	t->start_date = (char *)v->start_date;
	t->has_schedule_relationship = true;
	t->schedule_relationship = TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__SCHEDULED;
	return t;
}

static TransitRealtime__VehicleDescriptor *vehicle_of(struct build *b, const struct gtfsrt_vehicle *v)
{
	TransitRealtime__VehicleDescriptor *d = &b->veh[b->n];
	*d = (TransitRealtime__VehicleDescriptor)TRANSIT_REALTIME__VEHICLE_DESCRIPTOR__INIT;
	d->id = (char *)v->vehicle_id;
	d->label = (char *)v->label;
	return d;
}

void gtfsrt_vehicle_positions(const struct gtfsrt_vehicle *v, size_t n, jt_ms now, struct gtfsrt_feed *out)
{
	struct build b;
	build_start(&b, n, 0, now);
	size_t left_out = 0;
	for (size_t i = 0; i < n; i++) {
		if (!vehicle_ok(&v[i])) {
			left_out++;
			continue;
		}
		TransitRealtime__FeedEntity *e = entity(&b, xasprintf("v-%s", v[i].vehicle_id));
		if (!e) {
			left_out++;
			continue;
		}
		TransitRealtime__VehiclePosition *p = &b.pos[b.n];
		*p = (TransitRealtime__VehiclePosition)TRANSIT_REALTIME__VEHICLE_POSITION__INIT;
		if (v[i].trip_id)
			p->trip = trip_of(&b, &v[i]);
		p->vehicle = vehicle_of(&b, &v[i]);
		double lat = v[i].lat, lon = v[i].lon;
		if (isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180) {
			TransitRealtime__Position *pt = &b.point[b.n];
			*pt = (TransitRealtime__Position)TRANSIT_REALTIME__POSITION__INIT;
			pt->latitude = (float)lat;
			pt->longitude = (float)lon;
			if (isfinite(v[i].bearing) && v[i].bearing >= 0 && v[i].bearing < 360) {
				pt->has_bearing = true;
				pt->bearing = (float)v[i].bearing;
			}
			if (isfinite(v[i].speed) && v[i].speed >= 0 && v[i].speed < 100) {
				pt->has_speed = true;
				pt->speed = (float)v[i].speed;
			}
			p->position = pt;
		}
		if (v[i].trip_id && v[i].stop_sequence > 0) {
			p->has_current_stop_sequence = true;
			p->current_stop_sequence = v[i].stop_sequence;
			p->stop_id = (char *)v[i].stop_id;
			p->has_current_status = true;
			p->current_status = (TransitRealtime__VehiclePosition__VehicleStopStatus)v[i].status;
		}
		if (v[i].timestamp > 0) {
			p->has_timestamp = true;
			p->timestamp = posix_s(v[i].timestamp);
		}
		if (v[i].occupancy >= GTFSRT_EMPTY && v[i].occupancy <= GTFSRT_NOT_ACCEPTING) {
			p->has_occupancy_status = true;
			p->occupancy_status = (TransitRealtime__VehiclePosition__OccupancyStatus)v[i].occupancy;
		}
		e->vehicle = p;
		b.n++;
	}
	build_finish(&b, out, left_out);
}

static TransitRealtime__TripUpdate__StopTimeEvent *event(TransitRealtime__TripUpdate__StopTimeEvent *ev,
							 jt_ms t, bool has_delay, int32_t delay)
{
	*ev = (TransitRealtime__TripUpdate__StopTimeEvent)TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT;
	ev->has_time = true;
	ev->time = (int64_t)posix_s(t);
	ev->has_delay = has_delay;
	ev->delay = delay;
	return ev;
}

void gtfsrt_trip_updates(const struct gtfsrt_vehicle *v, size_t n, jt_ms now, struct gtfsrt_feed *out)
{
	size_t nstu = 0;
	for (size_t i = 0; i < n; i++)
		nstu += v[i].nstop_times;
	struct build b;
	build_start(&b, n, nstu, now);
	size_t left_out = 0, used = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gtfsrt_vehicle *vi = &v[i];
		if (!vi->trip_id)
			continue;
		if (!vehicle_ok(vi) || !*vi->trip_id) {
			left_out++;
			continue;
		}
		TransitRealtime__FeedEntity *e =
			entity(&b, xasprintf("t-%s-%s", vi->trip_id, vi->start_date ? vi->start_date : ""));
		if (!e) {
			left_out++;
			continue;
		}
		TransitRealtime__TripUpdate *tu = &b.tu[b.n];
		*tu = (TransitRealtime__TripUpdate)TRANSIT_REALTIME__TRIP_UPDATE__INIT;
		tu->trip = trip_of(&b, vi);
		tu->vehicle = vehicle_of(&b, vi);
		if (vi->timestamp > 0) {
			tu->has_timestamp = true;
			tu->timestamp = posix_s(vi->timestamp);
		}
		tu->has_delay = vi->has_delay;
		tu->delay = vi->delay;
		tu->stop_time_update = &b.stup[used];
		uint32_t last_seq = 0;
		for (size_t k = 0; k < vi->nstop_times; k++) {
			const struct gtfsrt_stop_time *st = &vi->stop_times[k];
			if (st->sequence <= last_seq)
				continue; /* out of order: the specification wants them sorted */
			last_seq = st->sequence;
			TransitRealtime__TripUpdate__StopTimeUpdate *u = &b.stu[used];
			*u = (TransitRealtime__TripUpdate__StopTimeUpdate)TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT;
			u->has_stop_sequence = true;
			u->stop_sequence = st->sequence;
			u->stop_id = (char *)st->stop_id;
			u->has_schedule_relationship = true;
			if (st->skipped) {
				u->schedule_relationship =
					TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED;
			} else if (!st->arrival && !st->departure) {
				u->schedule_relationship =
					TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__NO_DATA;
			} else {
				u->schedule_relationship =
					TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SCHEDULED;
				if (st->arrival)
					u->arrival = event(&b.ste[2 * used], st->arrival, st->has_delay, st->arrival_delay);
				if (st->departure)
					u->departure = event(&b.ste[2 * used + 1], st->departure, st->has_delay,
							     st->departure_delay);
			}
			b.stup[used++] = u;
			tu->n_stop_time_update++;
		}
		e->trip_update = tu;
		b.n++;
	}
	build_finish(&b, out, left_out);
}

/* ---- text ---- */

struct text {
	char *buf;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) JT_PRINTF(2, 3);
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = 2 * t->cap + (size_t)n + 1;
		t->buf = xrealloc(t->buf, t->cap);
	}
}

static void put_string(struct text *t, const char *s)
{
	put(t, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			put(t, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			put(t, "\\%03o", *p);
		else
			put(t, "%c", *p);
	}
	put(t, "\"");
}

static void put_message(struct text *t, const ProtobufCMessage *m, int depth);

static void put_value(struct text *t, const ProtobufCFieldDescriptor *f, const void *p, int depth)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32: put(t, "%" PRId32, *(const int32_t *)p); break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32: put(t, "%" PRIu32, *(const uint32_t *)p); break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64: put(t, "%" PRId64, *(const int64_t *)p); break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64: put(t, "%" PRIu64, *(const uint64_t *)p); break;
	case PROTOBUF_C_TYPE_FLOAT: put(t, "%.7g", (double)*(const float *)p); break;
	case PROTOBUF_C_TYPE_DOUBLE: put(t, "%.15g", *(const double *)p); break;
	case PROTOBUF_C_TYPE_BOOL: put(t, "%s", *(const protobuf_c_boolean *)p ? "true" : "false"); break;
	case PROTOBUF_C_TYPE_ENUM: {
		int v = *(const int *)p;
		const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, v);
		if (ev)
			put(t, "%s", ev->name);
		else
			put(t, "%d", v);
		break;
	}
	case PROTOBUF_C_TYPE_STRING: put_string(t, *(char *const *)p); break;
	case PROTOBUF_C_TYPE_BYTES: put(t, "<%zu bytes>", ((const ProtobufCBinaryData *)p)->len); break;
	case PROTOBUF_C_TYPE_MESSAGE:
		put(t, "{\n");
		put_message(t, *(ProtobufCMessage *const *)p, depth + 1);
		put(t, "%*s}", 2 * depth, "");
		break;
	}
}

static bool present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const char *base = (const char *)m;
	if (f->label == PROTOBUF_C_LABEL_REQUIRED)
		return true;
	if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING) {
		const void *p = *(const void *const *)(base + f->offset);
		return p != NULL && p != f->default_value;
	}
	return *(const protobuf_c_boolean *)(base + f->quantifier_offset);
}

static void put_message(struct text *t, const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(const char *const *)(base + f->offset);
			size_t size = f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING ?
					      sizeof(void *) :
				      f->type == PROTOBUF_C_TYPE_INT64 || f->type == PROTOBUF_C_TYPE_UINT64 ||
						      f->type == PROTOBUF_C_TYPE_DOUBLE ||
						      f->type == PROTOBUF_C_TYPE_SINT64 ||
						      f->type == PROTOBUF_C_TYPE_FIXED64 ||
						      f->type == PROTOBUF_C_TYPE_SFIXED64 ?
					      8 :
				      f->type == PROTOBUF_C_TYPE_BYTES ? sizeof(ProtobufCBinaryData) :
									 4;
			for (size_t k = 0; k < n; k++) {
				put(t, "%*s%s%s", 2 * depth, "", f->name,
				    f->type == PROTOBUF_C_TYPE_MESSAGE ? " " : ": ");
				put_value(t, f, arr + k * size, depth);
				put(t, "\n");
			}
			continue;
		}
		if (!present(m, f))
			continue;
		put(t, "%*s%s%s", 2 * depth, "", f->name, f->type == PROTOBUF_C_TYPE_MESSAGE ? " " : ": ");
		put_value(t, f, base + f->offset, depth);
		put(t, "\n");
	}
}

char *gtfsrt_text(const uint8_t *data, size_t len)
{
	TransitRealtime__FeedMessage *m = transit_realtime__feed_message__unpack(NULL, len, data);
	if (!m)
		return NULL;
	struct text t = { .buf = xmalloc(256), .cap = 256 };
	t.buf[0] = '\0';
	put_message(&t, &m->base, 0);
	transit_realtime__feed_message__free_unpacked(m, NULL);
	return t.buf;
}

enum gtfsrt_occupancy gtfsrt_occupancy_of(int onboard, int seats)
{
	if (onboard < 0 || seats <= 0)
		return GTFSRT_OCCUPANCY_UNKNOWN;
	if (onboard == 0)
		return GTFSRT_EMPTY;
	if ((long)onboard * 2 < seats)
		return GTFSRT_MANY_SEATS;
	if (onboard < seats)
		return GTFSRT_FEW_SEATS;
	if ((long)onboard * 4 <= (long)seats * 5)
		return GTFSRT_STANDING_ONLY;
	return GTFSRT_FULL;
}
