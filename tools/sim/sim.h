/*
 * sim.h — the fleet simulator's state, shared by its parts: sim.c (the
 * clock, the vehicles, the status line), enrol.c (registering vehicles and
 * tablets, the state file) and its summary of the day.
 */
#ifndef JINTONG_SIM_SIM_H
#define JINTONG_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "booking.h"
#include "clock.h"
#include "counter.h"
#include "county.h"
#include "delay.h"
#include "schedule.h"
#include "tablet.h"
#include "van.h"

#define RATE_WINDOW 5 /* seconds over which the acknowledgement rate is taken */

struct vehicle {
	char code[64];
	size_t sched;         /* its vehicle in the county's schedule (--county) */
	int seats;
	bool is_van;          /* on booking duty: follows its manifest */
	double depot_lat, depot_lon;
	struct van *van;
	struct delay delay;
	struct counter counter;
	struct bus bus;
	int64_t bus_ms;       /* simulated time the bus has been moved to */
	int64_t next_fix_ms;  /* simulated time of the tablet's next fix */
	struct tablet tablet;
};
struct sim {
	/* options */
	char url[256], token[256], state_path[512], prefix[32], county[512];
	double day_time_s;    /* --day-time, or -1 */
	double day_offset_s;  /* timetable seconds ahead of the county's clock */
	struct schedule *sched;
	int vehicles, batch, buses, max_vans;
	/* the simulated day */
	jt_day day;           /* --day, or 0 */
	double from_s, to_s;  /* --from, --to: seconds of the service day, or -1 */
	bool shared_clock;    /* the daemon's simulated clock */
	struct clock_sim clk;
	struct delay_opts incidents;
	double no_show_share, no_show_wait_s;
	char summary_path[512];
	uint64_t late_trips, breakdowns;
	int64_t ended_ms;     /* simulated time the day ended (--to, --duration or a signal) */
	double late_min;
	struct van_stats vans;
	struct counter_stats counts;
	const struct booking_client *booker;
	void *booking;
	long long demand_seed; /* --demand: the villagers' bookings, or -1 */
	double interval_s, speedup, osmand_share, duration_s, drain_s, start_ago_s;
	uint64_t seed;
	/* running state */
	struct event_base *base;
	struct uplink up;
	struct fleet_stats stats;
	struct vehicle *v;
	struct rng rng;
	double mono0;
	int64_t sim0_ms;
	bool draining, tty;
	int signals;
	double drain_until, next_status;
	uint64_t acked_at[RATE_WINDOW + 1];
	long rate_second;
};

extern struct sim S;

/* Registers the vehicles and their tablets (admin API), keeping device tokens in the --state file. */
int enrol_fleet(void);
/* Writes the --state file: each tablet's device, token and next sequence number. */
int enrol_save(void);
/* Prints the day's figures from the simulator's side, and writes them to --summary. */
void enrol_summary(size_t left);

#endif
