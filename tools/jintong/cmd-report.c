/*
 * cmd-report.c — `jintong report DATE [--svg DIR]`: a day of service as the
 * county transport bureau reads it, from the database: punctuality by line,
 * demand by hour, load by trip and the day's totals; with --svg, the three
 * as charts (punctuality.svg, demand.svg, load.svg) for a report or a slide.
 */
#include "check.h"
#include "client.h"
#include "cmd.h"
#include "date.h"
#include "format.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHART_W 720
#define CHART_H 360
#define MARGIN 48

static double num(json_object *o, const char *key)
{
	double v = 0;
	return fmt_num(o, key, &v) ? v : 0;
}

/* Text fit for SVG: printable ASCII and UTF-8 kept, markup characters dropped. */
static void svg_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		if (*s != '<' && *s != '>' && *s != '&' && *s != '"' && (unsigned char)*s >= 0x20)
			fputc(*s, f);
}

struct bar {
	const char *label;
	double value, second; /* second < 0: a single bar */
};

/* A bar chart of n bars (0..max on the axis), written to dir/name. 0 or -1. */
static int chart(const char *dir, const char *name, const char *title, const char *unit, const struct bar *b,
		 size_t n, double max)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (!(max > 0))
		max = 1;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
		   " font-family=\"sans-serif\" font-size=\"11\">\n", CHART_W, CHART_H, CHART_W, CHART_H);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n<text x=\"%d\" y=\"20\" font-size=\"14\">",
		MARGIN);
	svg_text(f, title);
	fprintf(f, "</text>\n");
	double plot_w = CHART_W - 2 * MARGIN, plot_h = CHART_H - 2 * MARGIN - 10;
	double base = MARGIN + 10 + plot_h;
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#444\"/>\n", MARGIN, base, CHART_W - MARGIN,
		base);
	fprintf(f, "<text x=\"4\" y=\"%d\">%g %s</text>\n<text x=\"4\" y=\"%.1f\">0</text>\n", MARGIN + 14, max, unit,
		base);
	double slot = n ? plot_w / (double)n : plot_w;
	for (size_t i = 0; i < n; i++) {
		double x = MARGIN + slot * (double)i + slot * 0.1, w = slot * 0.8;
		bool two = b[i].second >= 0;
		double h1 = plot_h * (b[i].value / max);
		fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7fb5\"/>\n", x,
			base - h1, two ? w / 2 : w, h1);
		if (two) {
			double h2 = plot_h * (b[i].second / max);
			fprintf(f, "<rect class=\"bar2\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e0a030\"/>\n",
				x + w / 2, base - h2, w / 2, h2);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + w / 2, base + 14);
		svg_text(f, b[i].label);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
	int rc = fclose(f) == 0 ? 0 : -1;
	if (rc)
		cli_error("cannot write %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

static json_object *list_of(json_object *o, const char *key)
{
	json_object *l = fmt_member(o, key);
	return l && json_object_is_type(l, json_type_array) ? l : NULL;
}

static int draw(const char *dir, json_object *rep)
{
	json_object *p = list_of(rep, "punctuality"), *d = list_of(rep, "demand"), *l = list_of(rep, "load");
	size_t np = p ? json_object_array_length(p) : 0, nd = d ? json_object_array_length(d) : 0,
	       nl = l ? json_object_array_length(l) : 0;
	struct bar *b = xcalloc((np + nd + nl) ? np + nd + nl : 1, sizeof *b);
	char (*labels)[40] = xcalloc(nd ? nd : 1, sizeof *labels);
	int rc = 0;
	for (size_t i = 0; i < np; i++) {
		json_object *x = json_object_array_get_idx(p, i);
		double stops = num(x, "stops");
		b[i] = (struct bar){ fmt_str(x, "line"), stops ? 100.0 * num(x, "on_time") / stops : 0, -1 };
	}
	rc |= chart(dir, "punctuality.svg", "Arrivals on time by line (1 min early to 5 min late)", "%", b, np, 100);
	double max = 0;
	for (size_t i = 0; i < nd; i++) {
		json_object *x = json_object_array_get_idx(d, i);
		snprintf(labels[i], sizeof labels[i], "%02d", (int)num(x, "hour"));
		b[i] = (struct bar){ labels[i], num(x, "requested"), num(x, "served") };
		if (b[i].value > max)
			max = b[i].value;
	}
	rc |= chart(dir, "demand.svg", "Rides by hour: requested (blue) and served (orange)", "rides", b, nd, max);
	for (size_t i = 0; i < nl; i++) {
		json_object *x = json_object_array_get_idx(l, i);
		double seats = num(x, "seats");
		b[i] = (struct bar){ fmt_str(x, "trip"), seats ? 100.0 * num(x, "peak") / seats : 0, -1 };
	}
	rc |= chart(dir, "load.svg", "Peak load by trip, riders counted against seats", "%", b, nl, 125);
	free(labels);
	free(b);
	return rc ? CLI_FAIL : CLI_OK;
}

static void print(json_object *rep)
{
	json_object *t = fmt_member(rep, "totals");
	double timed = num(t, "stops_timed"), req = num(t, "rides_requested");
	printf("Service on %s\n", fmt_str(rep, "date") ? fmt_str(rep, "date") : "?");
	printf("  trips run        %.0f, %.1f vehicle-km\n", num(t, "trips_run"), num(t, "km"));
	if (timed > 0)
		printf("  on time          %.1f%% of %.0f arrivals (1 min early to 5 min late)\n",
		       100.0 * num(t, "on_time") / timed, timed);
	else
		printf("  on time          no arrivals recorded\n");
	printf("  rides            %.0f requested, %.0f served (%.1f%%), %.0f refused, %.0f completed, %.0f no-show\n",
	       req, num(t, "rides_served"), req > 0 ? 100.0 * num(t, "rides_served") / req : 0.0,
	       num(t, "rides_refused"), num(t, "rides_completed"), num(t, "rides_no_show"));
	printf("  parcels          %.0f L carried, %.0f parcels delivered\n", num(t, "parcels_l"),
	       num(t, "parcels_delivered"));
	json_object *w = fmt_member(t, "wait_min"), *rt = fmt_member(t, "ride_min"), *oc = fmt_member(t, "occupancy_pct");
	if (w && rt)
		printf("  booked rides     %.1f min mean wait from the window opening, %.1f min on board\n",
		       json_object_get_double(w), json_object_get_double(rt));
	if (oc)
		printf("  occupancy        %.1f%% of seats at a trip's peak, on average\n", json_object_get_double(oc));
	json_object *p = list_of(rep, "punctuality");
	if (p && json_object_array_length(p)) {
		printf("\nPunctuality by line:\n");
		static const char *const h[] = { "LINE", "ARRIVALS", "ON TIME", "MEAN LATE" };
		struct table *tb = table_new(4, h, NULL);
		for (size_t i = 0; i < json_object_array_length(p); i++) {
			json_object *x = json_object_array_get_idx(p, i);
			char a[24], o[24], m[24];
			snprintf(a, sizeof a, "%.0f", num(x, "stops"));
			snprintf(o, sizeof o, "%.1f%%", num(x, "stops") ? 100.0 * num(x, "on_time") / num(x, "stops") : 0);
			snprintf(m, sizeof m, "%.0f s", num(x, "mean_late_s"));
			const char *row[] = { fmt_str(x, "line"), a, o, m };
			table_add(tb, row);
		}
		table_print(tb, stdout, 2);
		table_free(tb);
	}
	json_object *d = list_of(rep, "demand");
	if (d && json_object_array_length(d)) {
		printf("\nRides by hour:\n");
		static const char *const h[] = { "HOUR", "REQUESTED", "SERVED", "REFUSED" };
		struct table *tb = table_new(4, h, NULL);
		for (size_t i = 0; i < json_object_array_length(d); i++) {
			json_object *x = json_object_array_get_idx(d, i);
			char hr[8], a[16], b2[16], c[16];
			snprintf(hr, sizeof hr, "%02.0f", num(x, "hour"));
			snprintf(a, sizeof a, "%.0f", num(x, "requested"));
			snprintf(b2, sizeof b2, "%.0f", num(x, "served"));
			snprintf(c, sizeof c, "%.0f", num(x, "refused"));
			const char *row[] = { hr, a, b2, c };
			table_add(tb, row);
		}
		table_print(tb, stdout, 2);
		table_free(tb);
	}
	json_object *l = list_of(rep, "load");
	if (l && json_object_array_length(l)) {
		printf("\nPeak load by trip:\n");
		static const char *const h[] = { "TRIP", "VEHICLE", "PEAK", "SEATS" };
		struct table *tb = table_new(4, h, NULL);
		for (size_t i = 0; i < json_object_array_length(l); i++) {
			json_object *x = json_object_array_get_idx(l, i);
			char pk[16], st[16];
			snprintf(pk, sizeof pk, "%.0f", num(x, "peak"));
			snprintf(st, sizeof st, "%.0f", num(x, "seats"));
			const char *row[] = { fmt_str(x, "trip"), fmt_str(x, "vehicle"), pk, st };
			table_add(tb, row);
		}
		table_print(tb, stdout, 2);
		table_free(tb);
	}
}

static int report(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
	jt_day day;
	const char *svg = cmd_opt(args, "svg");
	if (date_parse(args->argv[0], &day) != 0)
		return cmd_usage_error(args, "DATE is a day such as 2026-11-23");
	if (svg) {
		struct stat st;
		if (mkdir(svg, 0777) != 0 && errno != EEXIST)
			return cmd_usage_error(args, "cannot make %s: %s", svg, strerror(errno));
		if (stat(svg, &st) != 0 || !S_ISDIR(st.st_mode))
			return cmd_usage_error(args, "%s is not a directory", svg);
	}
	char *path = xasprintf("/v1/admin/report?date=%s", args->argv[0]);
	json_object *rep;
	int rc = client_get(ctx->client, path, NULL, &rep);
	free(path);
	if (rc != CLI_OK)
		return rc;
	if (ctx->json)
		cmd_print_json(rep);
	else
		print(rep);
	if (svg) {
		rc = draw(svg, rep);
		if (rc == CLI_OK && !ctx->json)
			printf("\nCharts: %s/punctuality.svg, %s/demand.svg, %s/load.svg\n", svg, svg, svg);
	}
	json_object_put(rep);
	return rc;
}

static const struct cmd_option report_options[] = {
	{ "svg", "DIR", "also draw the charts as SVG files in DIR (made if missing)" },
	{ 0 },
};

static const struct cmd_entry report_entries[] = {
	{
		.group = "report",
		.name = "",
		.usage = "DATE [--svg DIR]",
		.help = "a day of service: punctuality by line, rides by hour, load by trip, totals",
		.detail = "From the database: the trips run that day and their stop events (an arrival\n"
			  "is on time from 1 minute early to 5 minutes late), the rides asked for that\n"
			  "day, and the riders the tablets counted against each vehicle's seats.",
		.options = report_options,
		.min_args = 1,
		.max_args = 1,
		.exec = report,
	},
	{ 0 },
};

const struct cmd_group cmd_report_group = {
	.name = "report",
	.help = "a day of service for the transport bureau, with SVG charts",
	.entries = report_entries,
};
