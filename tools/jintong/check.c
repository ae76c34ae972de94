/*
 * check.c — local validation of operators' input; see check.h.
 */
#include "check.h"

#include "route.h"

#include "calendar.h"
#include "table.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *const check_stop_kinds[] = {
	"roadside", "village", "school", "market", "clinic", "depot", "town_centre", NULL,
};
const char *const check_line_kinds[] = {
	"scheduled", "student", "market_day", "logistics", "on_demand", NULL,
};

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool check_code(const char *s)
{
	if (!s || !is_alnum(s[0]))
		return false;
	size_t n = 1;
	for (; s[n]; n++) {
		char c = s[n];
		if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
			return false;
	}
	return n <= CHECK_CODE_MAX;
}

/* Printable ASCII except space: what the database accepts for device ids and tokens. */
static bool graph_ascii(const char *s, size_t max)
{
	if (!s || !*s)
		return false;
	size_t n = 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		if (c < 0x21 || c > 0x7E)
			return false;
	}
	return n <= max;
}

bool check_device_id(const char *s)
{
	return graph_ascii(s, JT_DEVICE_ID_MAX);
}

bool check_token(const char *s)
{
	return graph_ascii(s, 4096);
}

const char *check_name_problem(const char *s)
{
	if (!s || !*s)
		return "is empty";
	if (strlen(s) > CHECK_NAME_MAX)
		return "is longer than 128 bytes (a Chinese character takes 3)";
	while (*s) {
		uint32_t cp;
		int n = table_utf8_next(s, &cp);
		if (n < 0)
			return "is not valid UTF-8 (is the terminal set to UTF-8, e.g. "
			       "LANG=zh_CN.UTF-8?)";
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return "has control characters (tabs, line breaks, escapes)";
		/* the same characters table_clean() would hide */
		if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return "has line separators or text-direction overrides";
		s += n;
	}
	return NULL;
}

bool check_name(const char *s)
{
	return check_name_problem(s) == NULL;
}

/*
 * A decimal number at s: optional sign, digits, optionally a point and more
 * digits. Returns its length (0 when there is none) and stores its value.
 */
static int decimal(const char *s, double *out)
{
	int n = 0, digits = 0;
	if (s[n] == '-' || s[n] == '+')
		n++;
	while (s[n] >= '0' && s[n] <= '9')
		n++, digits++;
	if (digits == 0)
		return 0;
	if (s[n] == '.') {
		int frac = 0;
		n++;
		while (s[n] >= '0' && s[n] <= '9')
			n++, frac++;
		if (frac == 0)
			return 0;
	}
	if (n > 32)
		return 0; /* nobody types a position like that */
	char buf[40];
	memcpy(buf, s, (size_t)n);
	buf[n] = '\0';
	*out = strtod(buf, NULL); /* the C locale: the point is '.' */
	return n;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

enum check_at check_lat_lon(const char *s, struct check_lat_lon *out)
{
	if (!s)
		return CHECK_AT_SYNTAX;
	s = skip_blanks(s);
	int n = decimal(s, &out->lat);
	if (n == 0)
		return CHECK_AT_SYNTAX;
	out->lat_text = s;
	out->lat_len = n;
	s = skip_blanks(s + n);
	if (*s != ',')
		return CHECK_AT_SYNTAX;
	s = skip_blanks(s + 1);
	n = decimal(s, &out->lon);
	if (n == 0)
		return CHECK_AT_SYNTAX;
	out->lon_text = s;
	out->lon_len = n;
	if (*skip_blanks(s + n))
		return CHECK_AT_SYNTAX;
	if (out->lat < -90 || out->lat > 90) {
		if (out->lat >= -180 && out->lat <= 180 && out->lon >= -90 && out->lon <= 90)
			return CHECK_AT_SWAPPED;
		return CHECK_AT_LAT_RANGE;
	}
	if (out->lon < -180 || out->lon > 180)
		return CHECK_AT_LON_RANGE;
	if (out->lat == 0 && out->lon == 0)
		return CHECK_AT_NULL_ISLAND;
	return CHECK_AT_OK;
}

bool check_yes_no(const char *s, bool *out)
{
	if (s && strcmp(s, "yes") == 0)
		*out = true;
	else if (s && strcmp(s, "no") == 0)
		*out = false;
	else
		return false;
	return true;
}

bool check_word(const char *s, const char *const *words)
{
	for (size_t i = 0; s && words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

bool check_whole(const char *s, long min, long max, long *out)
{
	if (!s || !*s)
		return false;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		int d = *s - '0';
		if (v > (max - d) / 10)
			return false; /* beyond max, and never overflows */
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool check_url(const char *s)
{
	const char *host;
	if (!s)
		return false;
	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	if (!*host || *host == '/' || *host == ':')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c >= 0x7F)
			return false;
	}
	return true;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static bool place_ok(const char *s)
{
	enum route_place kind;
	const char *code;
	return route_place(s, &kind, &code) == 0;
}

static enum check_list list_of(const char *s, size_t max, struct check_codes *out,
			       bool (*ok)(const char *));

enum check_list check_code_list(const char *s, size_t max, struct check_codes *out)
{
	return list_of(s, max, out, check_code);
}

enum check_list check_place_list(const char *s, size_t max, struct check_codes *out)
{
	return list_of(s, max, out, place_ok);
}

static enum check_list list_of(const char *s, size_t max, struct check_codes *out,
			       bool (*ok)(const char *))
{
	memset(out, 0, sizeof *out);
	out->copy = xstrdup(s ? s : "");
	size_t cap = 1;
	for (const char *p = out->copy; *p; p++)
		cap += *p == ',';
	out->codes = xcalloc(cap, sizeof *out->codes);
	for (char *p = out->copy, *next; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		char *code = trim(p);
		out->bad = code;
		out->bad_index = out->n;
		if (!*code)
			return CHECK_LIST_EMPTY;
		if (!ok(code))
			return CHECK_LIST_CODE;
		if (out->n == max)
			return CHECK_LIST_TOO_MANY;
		out->codes[out->n++] = code;
	}
	out->bad = NULL;
	out->bad_index = 0;
	return CHECK_LIST_OK;
}

void check_list_free(struct check_codes *l)
{
	free(l->codes);
	free(l->copy);
	memset(l, 0, sizeof *l);
}

bool check_date(const char *s, jt_day *out)
{
	return s && date_parse(s, out) == 0;
}

enum check_span check_span(const char *s, jt_day *first, jt_day *last)
{
	const char *dots = s ? strstr(s, "..") : NULL;
	if (!dots || strstr(dots + 2, ".."))
		return CHECK_SPAN_SYNTAX;
	char a[16];
	size_t n = (size_t)(dots - s);
	if (n >= sizeof a)
		return CHECK_SPAN_FIRST;
	memcpy(a, s, n);
	a[n] = '\0';
	if (!check_date(a, first))
		return CHECK_SPAN_FIRST;
	if (!check_date(dots + 2, last))
		return CHECK_SPAN_LAST;
	return *last < *first ? CHECK_SPAN_ORDER : CHECK_SPAN_OK;
}

bool check_weekdays(const char *s, uint8_t *out)
{
	return s && calendar_parse_weekdays(s, out) == 0;
}

void check_weekdays_text(char *buf, size_t size, uint8_t days)
{
	static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	size_t o = 0;
	buf[0] = '\0';
	if ((days & CALENDAR_ALL_DAYS) == CALENDAR_ALL_DAYS) {
		snprintf(buf, size, "daily");
		return;
	}
	for (int i = 0; i < 7 && o < size;) {
		if (!(days & (1u << i))) {
			i++;
			continue;
		}
		int j = i;
		while (j + 1 < 7 && (days & (1u << (j + 1))))
			j++;
		/* three days or more in a row read best as a range */
		if (j - i >= 2)
			o += (size_t)snprintf(buf + o, size - o, "%s%s-%s", o ? "," : "", names[i],
					      names[j]);
		else
			for (int k = i; k <= j && o < size; k++)
				o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", names[k]);
		i = j + 1;
	}
}

bool check_digits(const char *s, uint16_t *out)
{
	return s && calendar_parse_digits(s, out) == 0;
}
