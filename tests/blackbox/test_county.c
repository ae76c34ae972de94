/*
 * A generated county through the real paths, and the live operator page
 * drawing it: `jintong-county generate` writes a small county, `jintong gtfs
 * import` takes the feed without refusing a row, `jintong-county apply` puts
 * towns, villages, vehicles, shifts and rosters on the books (and again,
 * changing nothing); two tablets report positions; /v1/live/network and
 * /v1/live/state say what the database holds; /live is served without a
 * token under a Content-Security-Policy, its JSON only with one. Then
 * headless Chromium opens the page with the token in the link's fragment and,
 * after its scripts ran, the map must hold a circle for every stop and a
 * marker for each vehicle with a position, and the figures must count them;
 * its screenshot (read with a small PNG reader) must show the map drawn on
 * and the vehicles' markers.
 *
 * Skipped (77) only when Chromium is not installed.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"

static struct h_test t;
static char token_file[400];
static char out[1 << 20];

static int cli(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = h_vcli(t.d.url, token_file, out, sizeof out, first, ap);
	va_end(ap);
	return rc;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *find_program(const char *const *names, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	for (; *names; names++) {
		const char *p = path ? path : "/usr/bin";
		while (*p) {
			size_t k = strcspn(p, ":");
			snprintf(buf, len, "%.*s/%s", (int)k, p, *names);
			if (access(buf, X_OK) == 0)
				return buf;
			p += k + (p[k] == ':');
		}
	}
	return NULL;
}

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return v;
}

static json_object *admin_json(const char *path)
{
	struct h_resp r;
	h_admin(&t, "GET", path, NULL, &r);
	CHECK(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	json_object *o = r.status == 200 ? json_tokener_parse(r.body) : NULL;
	h_resp_free(&r);
	return o;
}


/* ---- a tiny PNG reader: 8-bit RGB or RGBA, not interlaced (what Chromium writes) ---- */

struct image {
	unsigned w, h, ch;
	unsigned char *px; /* w * h * ch */
};

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static bool png_read(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static unsigned char file[16 << 20];
	size_t n = fread(file, 1, sizeof file, f);
	fclose(f);
	memset(im, 0, sizeof *im);
	if (n < 33 || memcmp(file, "\x89PNG\r\n\x1a\n", 8) != 0)
		return false;
	unsigned char *idat = malloc(n);
	size_t ilen = 0;
	for (size_t at = 8; at + 12 <= n;) {
		unsigned len = be32(file + at);
		const unsigned char *type = file + at + 4, *data = file + at + 8;
		if (at + 12 + len > n)
			break;
		if (!memcmp(type, "IHDR", 4)) {
			im->w = be32(data), im->h = be32(data + 4);
			im->ch = data[9] == 6 ? 4 : data[9] == 2 ? 3 : 0;
			if (data[8] != 8 || data[12] != 0)
				im->ch = 0;
		} else if (!memcmp(type, "IDAT", 4)) {
			memcpy(idat + ilen, data, len);
			ilen += len;
		}
		at += 12 + len;
	}
	size_t stride = (size_t)im->w * im->ch, raw_len = (stride + 1) * im->h;
	unsigned char *raw = im->ch && im->w && im->h < 10000 ? malloc(raw_len) : NULL;
	uLongf got = (uLongf)raw_len;
	bool ok = raw && uncompress(raw, &got, idat, (uLong)ilen) == Z_OK && got == raw_len;
	free(idat);
	if (!ok) {
		free(raw);
		return false;
	}
	im->px = malloc(stride * im->h);
	for (unsigned y = 0; y < im->h; y++) {
		const unsigned char *in = raw + y * (stride + 1) + 1;
		unsigned char *o = im->px + y * stride, *up = y ? o - stride : NULL;
		for (size_t x = 0; x < stride; x++) {
			int a = x >= im->ch ? o[x - im->ch] : 0, b = up ? up[x] : 0;
			int c = up && x >= im->ch ? up[x - im->ch] : 0, p = a + b - c;
			int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
			int pred[5] = { 0, a, b, (a + b) / 2, pa <= pb && pa <= pc ? a : pb <= pc ? b : c };
			o[x] = (unsigned char)(in[x] + (in[-1] < 5 ? pred[in[-1]] : 0));
		}
	}
	free(raw);
	return true;
}

/* Pixels in the rectangle whose colour is not bg; and those exactly rgb. */
static size_t pixels_not(const struct image *im, unsigned x0, unsigned y0, unsigned x1, unsigned y1,
			 const unsigned char bg[3], const unsigned char rgb[3], size_t *exact)
{
	size_t n = 0;
	*exact = 0;
	for (unsigned y = y0; y < y1 && y < im->h; y++)
		for (unsigned x = x0; x < x1 && x < im->w; x++) {
			const unsigned char *p = im->px + ((size_t)y * im->w + x) * im->ch;
			n += memcmp(p, bg, 3) != 0;
			*exact += memcmp(p, rgb, 3) == 0;
		}
	return n;
}

int main(void)
{
	char chromium_path[512];
	static const char *const browsers[] = { "chromium", "chromium-browser", "google-chrome", NULL };
	const char *chromium = getenv("JINTONG_CHROMIUM");
	if (!chromium || !*chromium)
		chromium = find_program(browsers, chromium_path, sizeof chromium_path);
	if (!chromium) {
		printf("SKIP: Chromium is not installed (Debian: apt-get install chromium chromium-driver; "
		       "tools/setup installs it)\n");
		return 77;
	}
	h_init(&t, "county");
	h_create_operator(&t);
	h_start(&t, NULL);
	snprintf(token_file, sizeof token_file, "%s/operator.token", t.tmpdir);
	FILE *tf = fopen(token_file, "w");
	REQUIRE(tf && fprintf(tf, "%s\n", t.op_token) > 0 && fclose(tf) == 0, "writing the token");

	/* a small county, from today */
	char feed[400], from[16];
	snprintf(feed, sizeof feed, "%s/county", t.tmpdir);
	h_county_date(0, from, sizeof from);
	const char *gen[] = { getenv("JINTONG_COUNTY"), "generate", feed, "--seed", "11", "--scale", "0.1",
			      "--from", from, "--days", "30", NULL };
	REQUIRE(gen[0], "JINTONG_COUNTY is not set");
	int rc = h_exec(gen, out, sizeof out);
	REQUIRE(rc == 0, "jintong-county generate exited %d: %s", rc, out);

	/* the feed, through the CLI: not a row refused */
	rc = cli("gtfs", "import", feed, NULL);
	CHECK(rc == 0, "gtfs import exited %d:\n%s", rc, out);
	CHECK(count(out, " 0 rejected") == 8, "a file had rejected rows:\n%s", out);
	CHECK(!strstr(out, ".txt:"), "the import reported rows:\n%s", out);

	/* the rest, twice: the second time finds everything there */
	char url[160];
	snprintf(url, sizeof url, "%s", t.d.url);
	const char *apply[] = { getenv("JINTONG_COUNTY"), "apply", feed, "--url", url, "--token", t.op_token, NULL };
	rc = h_exec(apply, out, sizeof out);
	CHECK(rc == 0 && strstr(out, " 0 already there, 0 refused"), "apply exited %d:\n%s", rc, out);
	rc = h_exec(apply, out, sizeof out);
	CHECK(rc == 0 && strstr(out, " 0 refused"), "apply again exited %d:\n%s", rc, out);

	char path[600];
	snprintf(path, sizeof path, "%s/county.json", feed);
	json_object *side = json_object_from_file(path);
	REQUIRE(side, "cannot read %s", path);
	struct {
		const char *list, *admin, *reply;
	} same[] = { { "towns", "/v1/admin/towns", "towns" },
		     { "villages", "/v1/admin/villages", "villages" },
		     { "vehicles", "/v1/admin/vehicles", "vehicles" },
		     { "shifts", "/v1/admin/shifts", "shifts" } };
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		json_object *got = admin_json(same[i].admin);
		CHECK(got && json_object_array_length(get(got, same[i].reply)) ==
				     json_object_array_length(get(side, same[i].list)),
		      "%s: %zu in the daemon, %zu in the county file", same[i].list,
		      got ? json_object_array_length(get(got, same[i].reply)) : 0,
		      json_object_array_length(get(side, same[i].list)));
		json_object_put(got);
	}
	json_object *rosters = get(side, "rosters");
	for (size_t i = 0; i < json_object_array_length(rosters); i++) {
		json_object *r = json_object_array_get_idx(rosters, i);
		snprintf(path, sizeof path, "/v1/admin/lines/%s/roster", json_object_get_string(get(r, "line")));
		json_object *got = admin_json(path);
		CHECK(got && json_object_array_length(get(got, "pupils")) ==
				     json_object_array_length(get(r, "pupils")),
		      "roster of %s", path);
		json_object_put(got);
	}

	/* two tablets on two vehicles, at two villages */
	json_object *vehicles = get(side, "vehicles"), *villages = get(side, "villages");
	REQUIRE(json_object_array_length(vehicles) >= 2 && json_object_array_length(villages) >= 2, "a county");
	long long now = (long long)time(NULL);
	for (int i = 0; i < 2; i++) {
		char dev[32], tok[128], q[256];
		json_object *v = json_object_array_get_idx(villages, (size_t)i);
		snprintf(dev, sizeof dev, "tab-county-%d", i);
		h_add_device(&t, dev, json_object_get_string(get(json_object_array_get_idx(vehicles, (size_t)i), "code")),
			     tok);
		for (int k = 0; k < 3; k++) {
			struct h_resp r;
			snprintf(q, sizeof q, "/?id=%s&lat=%.6f&lon=%.6f&timestamp=%lld", dev,
				 json_object_get_double(get(v, "lat")) + 0.0002 * k,
				 json_object_get_double(get(v, "lon")), now - 20 + 5 * k);
			h_http(&t, "GET", q, NULL, NULL, NULL, 0, &r);
			CHECK(r.status == 200, "fix: %ld %s", r.status, r.body);
			h_resp_free(&r);
		}
	}

	/* a villager books a ride into the county seat for tomorrow morning */
	struct h_resp r;
	char tomorrow[16], booking[512];
	h_county_date(1, tomorrow, sizeof tomorrow);
	snprintf(booking, sizeof booking,
		 "{\"rider\":\"13800000001\",\"from\":{\"village\":\"%s\"},\"to\":{\"stop\":\"S-T01\"},"
		 "\"leave_after\":\"%sT08:00\",\"confirm\":true}",
		 json_object_get_string(get(json_object_array_get_idx(villages, 1), "code")), tomorrow);
	h_http(&t, "POST", "/v1/rides", "application/json", t.op_token, booking, strlen(booking), &r);
	CHECK(r.status >= 200 && r.status < 300, "booking: %ld %s", r.status, r.body);
	json_object *ride = r.body ? json_tokener_parse(r.body) : NULL;
	long long ride_id = ride ? json_object_get_int64(get(ride, "id")) : 0;
	bool open_ride = ride && get(ride, "state") &&
			 strcmp(json_object_get_string(get(ride, "state")), "refused") != 0;
	printf("booking: ride %lld %s\n", ride_id, open_ride ? "offered" : "refused");
	json_object_put(ride);
	h_resp_free(&r);

	/* the JSON views: the token is needed, and they say what was put in */
	h_http(&t, "GET", "/v1/live/state", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 401, "state without a token: %ld", r.status);
	h_resp_free(&r);
	json_object *net = admin_json("/v1/live/network"), *st = admin_json("/v1/live/state");
	REQUIRE(net && st, "the live views");
	long long feed_stops = 0;
	snprintf(path, sizeof path, "%s/stops.txt", feed);
	FILE *sf = fopen(path, "r");
	for (int ch; sf && (ch = fgetc(sf)) != EOF;)
		feed_stops += ch == '\n';
	if (sf)
		fclose(sf);
	feed_stops--; /* the header */
	size_t nstops = json_object_array_length(get(net, "stops"));
	CHECK((long long)nstops == feed_stops, "network: %zu stops, the feed %lld", nstops, feed_stops);
	CHECK(json_object_array_length(get(net, "lines")) >= 4, "network: %zu lines",
	      json_object_array_length(get(net, "lines")));
	json_object *l0 = json_object_array_get_idx(get(net, "lines"), 0);
	CHECK(l0 && json_object_array_length(get(l0, "shape")) > json_object_array_length(get(l0, "stops")),
	      "a line's shape follows the road, not just its stops");
	CHECK(json_object_array_length(get(st, "vehicles")) == 2, "state: %zu vehicles",
	      json_object_array_length(get(st, "vehicles")));
	CHECK(json_object_get_int(get(get(st, "fleet"), "online")) == 2, "two online");
	CHECK(json_object_get_int64(get(get(st, "fixes"), "stored")) == 6, "six fixes stored");
	CHECK(json_object_get_boolean(get(st, "tracking")) && json_object_array_length(get(st, "late")) == 0,
	      "tracking on, no trip late");
	long long offered = json_object_get_int64(get(get(st, "rides"), "offered"));
	long long refused = json_object_get_int64(get(get(st, "rides"), "refused"));
	CHECK(offered + refused == 1, "one booking: %lld offered, %lld refused", offered, refused);
	CHECK(json_object_get_int64(get(get(st, "rides"), "open")) == (open_ride ? 1 : 0), "open rides");
	long long fleet_size = json_object_get_int64(get(get(st, "fleet"), "vehicles"));

	/* the page: no token needed, kept to this server */
	h_http(&t, "GET", "/live", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200 && strstr(r.body, "/live/app.js"), "/live: %ld", r.status);
	h_resp_free(&r);
	h_http(&t, "GET", "/live/app.js", NULL, NULL, NULL, 0, &r);
	CHECK(r.status == 200 && strstr(r.body, "/v1/live/state"), "/live/app.js: %ld", r.status);
	h_resp_free(&r);
	const char *csp_args[] = { "/usr/bin/curl", "-sS", "-o", "/dev/null", "-D", "-", NULL, NULL };
	snprintf(path, sizeof path, "%s/live", t.d.url);
	csp_args[6] = path;
	rc = h_exec(csp_args, out, sizeof out);
	CHECK(rc == 0 && strstr(out, "Content-Security-Policy: default-src 'none'; script-src 'self'"),
	      "the page's headers:\n%s", out);

	/* Chromium: the DOM after the scripts ran */
	char profile[400], shot[400], link[700], budget[] = "--virtual-time-budget=10000";
	snprintf(profile, sizeof profile, "--user-data-dir=%s/chromium", t.tmpdir);
	snprintf(shot, sizeof shot, "--screenshot=%s/live.png", t.tmpdir);
	snprintf(link, sizeof link, "%s/live#token=%s", t.d.url, t.op_token);
	const char *dump[] = { "/usr/bin/timeout", "90", chromium, "--headless", "--no-sandbox", "--disable-gpu",
			       "--no-first-run", profile, budget, "--window-size=1200,800", "--dump-dom", link, NULL };
	rc = h_exec(dump, out, sizeof out);
	CHECK(rc == 0, "chromium --dump-dom exited %d", rc);
	size_t drawn_stops = count(out, "<circle class=\"stop ");
	size_t drawn_vehicles = count(out, "<g class=\"vehicle");
	CHECK(drawn_stops == nstops, "the map drew %zu stops of %zu", drawn_stops, nstops);
	CHECK(drawn_vehicles == 2, "the map drew %zu vehicles", drawn_vehicles);
	CHECK(count(out, "<polyline class=\"line ") == json_object_array_length(get(net, "lines")),
	      "the map drew %zu lines", count(out, "<polyline class=\"line "));
	char online[64];
	snprintf(online, sizeof online, "id=\"kpi-online\">2 of %lld<", fleet_size);
	CHECK(strstr(out, online) != NULL, "the figures say %s", online);
	CHECK(strstr(out, "no trip is late") != NULL, "the alerts say no trip is late");
	char figure[96];
	snprintf(figure, sizeof figure, "id=\"kpi-offered\">%lld<", offered);
	CHECK(strstr(out, figure) != NULL, "the figures say %s", figure);
	snprintf(figure, sizeof figure, "id=\"kpi-refused\">%lld<", refused);
	CHECK(strstr(out, figure) != NULL, "the figures say %s", figure);
	snprintf(figure, sizeof figure, "<li>#%lld ", ride_id);
	CHECK(!open_ride || strstr(out, figure) != NULL, "the open booking %lld is listed", ride_id);
	CHECK(strstr(out, "<form id=\"login\" hidden") != NULL, "the token was taken from the link");
	if (h_failures)
		fprintf(stderr, "the page's DOM:\n%.4000s\n", out);

	/* a screenshot: the map is not blank, and the vehicles' markers are on it */
	const char *pic[] = { "/usr/bin/timeout", "90", chromium, "--headless", "--no-sandbox", "--disable-gpu",
			      "--no-first-run", "--hide-scrollbars", profile, budget, "--window-size=1200,800", shot, link,
			      NULL };
	rc = h_exec(pic, out, sizeof out);
	CHECK(rc == 0, "chromium --screenshot exited %d: %s", rc, out);
	struct image im;
	REQUIRE(png_read(shot + strlen("--screenshot="), &im), "the screenshot %s is not a PNG", shot);
	CHECK(im.w == 1200 && im.h == 800, "the screenshot is %ux%u", im.w, im.h);
	/* the map's background (style.css: #e9e4d6), the vehicles' markers (#f39c12) */
	static const unsigned char map_bg[3] = { 0xe9, 0xe4, 0xd6 }, marker[3] = { 0xf3, 0x9c, 0x12 };
	size_t on_marker, drawn = pixels_not(&im, 0, 60, 800, 800, map_bg, marker, &on_marker);
	size_t area = 800 * 740;
	printf("screenshot: %zu of %zu map pixels drawn on, %zu in the vehicles' colour\n", drawn, area, on_marker);
	CHECK(drawn * 200 > area, "only %zu of %zu pixels of the map are drawn on", drawn, area);
	CHECK(drawn * 2 < area, "%zu of %zu pixels of the map differ from its background: not the map", drawn,
	      area);
	CHECK(on_marker >= 2 * 4, "%zu pixels in the vehicles' colour", on_marker);
	free(im.px);

	json_object_put(net);
	json_object_put(st);
	json_object_put(side);
	return h_finish(&t);
}
