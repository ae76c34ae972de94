/*
 * table.c — aligned tables and UTF-8 display widths for operators' terminals.
 *
 * Widths do not come from wcwidth(): that depends on the locale, and an
 * operator running under LANG=C would see village names break the columns.
 * The ranges below follow Unicode's East Asian Width (W and F) for the
 * scripts operators meet — Han, kana, Hangul, fullwidth forms, emoji — and
 * treat combining marks and zero-width characters as taking no column.
 */
#include "table.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

int table_utf8_next(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c = s[0];
	int len;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return -1;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
			return -1;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return len;
}

struct cp_range {
	uint32_t first, last;
};

static const struct cp_range wide[] = {
	{ 0x1100, 0x115F },   /* Hangul Jamo initials */
	{ 0x231A, 0x231B },   /* watch, hourglass */
	{ 0x2329, 0x232A },   /* angle brackets */
	{ 0x23E9, 0x23EC },   { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
	{ 0x25FD, 0x25FE },   { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267F, 0x267F },   { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB },   { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
	{ 0x26CE, 0x26CE },   { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA },
	{ 0x26F2, 0x26F3 },   { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA },
	{ 0x26FD, 0x26FD },   { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 },   { 0x274C, 0x274C }, { 0x274E, 0x274E },
	{ 0x2753, 0x2755 },   { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27B0, 0x27B0 },   { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C },
	{ 0x2B50, 0x2B50 },   { 0x2B55, 0x2B55 },
	{ 0x2E80, 0x303E },   /* CJK radicals, Kangxi, CJK symbols and punctuation */
	{ 0x3041, 0x33FF },   /* kana, Bopomofo, Hangul compatibility, CJK compatibility */
	{ 0x3400, 0x4DBF },   /* CJK extension A */
	{ 0x4E00, 0x9FFF },   /* CJK unified ideographs */
	{ 0xA000, 0xA4CF },   /* Yi */
	{ 0xA960, 0xA97F },   /* Hangul Jamo extended A */
	{ 0xAC00, 0xD7A3 },   /* Hangul syllables */
	{ 0xF900, 0xFAFF },   /* CJK compatibility ideographs */
	{ 0xFE10, 0xFE19 },   /* vertical forms */
	{ 0xFE30, 0xFE6F },   /* CJK compatibility forms, small forms */
	{ 0xFF00, 0xFF60 },   /* fullwidth forms */
	{ 0xFFE0, 0xFFE6 },   /* fullwidth signs */
	{ 0x16FE0, 0x16FE4 }, { 0x17000, 0x18CFF }, /* Tangut, Khitan */
	{ 0x1B000, 0x1B2FF }, /* kana supplement and extensions */
	{ 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E },
	{ 0x1F191, 0x1F19A },
	{ 0x1F200, 0x1F2FF }, /* enclosed ideographic supplement */
	{ 0x1F300, 0x1F64F }, /* pictographs, emoticons */
	{ 0x1F680, 0x1F6FF }, /* transport and map symbols */
	{ 0x1F7E0, 0x1F7EB },
	{ 0x1F90C, 0x1F9FF }, /* supplemental symbols and pictographs */
	{ 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, /* CJK extensions B and later */
	{ 0x30000, 0x3FFFD },
};

static const struct cp_range zero[] = {
	{ 0x0300, 0x036F },   /* combining diacritical marks */
	{ 0x0483, 0x0489 },   { 0x0591, 0x05BD },
	{ 0x1AB0, 0x1AFF },   { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F },   /* zero-width space, joiners, direction marks */
	{ 0x2060, 0x2064 },   /* word joiner, invisible operators */
	{ 0x20D0, 0x20FF },   /* combining marks for symbols */
	{ 0x302A, 0x302D },   /* ideographic tone marks */
	{ 0x3099, 0x309A },   /* kana voicing marks */
	{ 0xFE00, 0xFE0F },   /* variation selectors */
	{ 0xFE20, 0xFE2F },   /* combining half marks */
	{ 0xFEFF, 0xFEFF },   /* byte order mark */
	{ 0xE0100, 0xE01EF }, /* variation selectors supplement */
};

static bool in_ranges(uint32_t cp, const struct cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * Characters that must not reach a terminal as they are: C0 and C1 controls
 * and DEL (escape sequences, carriage returns), line and paragraph
 * separators, and the bidirectional embeddings and overrides that would let
 * a name reorder the rest of its line.
 */
static bool is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int table_cp_width(uint32_t cp)
{
	if (is_unsafe(cp))
		return 1; /* shown as '?' */
	if (in_ranges(cp, zero, JT_ARRAY_LEN(zero)))
		return 0;
	if (in_ranges(cp, wide, JT_ARRAY_LEN(wide)))
		return 2;
	return 1;
}

size_t table_width(const char *s)
{
	size_t w = 0;
	while (s && *s) {
		uint32_t cp;
		int n = table_utf8_next(s, &cp);
		if (n < 0) {
			w += 1;
			s += 1;
			continue;
		}
		w += (size_t)table_cp_width(cp);
		s += n;
	}
	return w;
}

char *table_clean(const char *s)
{
	if (!s)
		return xstrdup("");
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);
	size_t o = 0;
	while (*s) {
		uint32_t cp;
		int n = table_utf8_next(s, &cp);
		if (n < 0 || is_unsafe(cp)) {
			out[o++] = '?';
			s += n < 0 ? 1 : n;
			continue;
		}
		memcpy(out + o, s, (size_t)n);
		o += (size_t)n;
		s += n;
	}
	out[o] = '\0';
	return out;
}

struct table {
	size_t ncols;
	enum table_align *align;
	char **cells; /* header row first, row-major */
	size_t nrows; /* header included */
	size_t cap;
};

struct table *table_new(size_t ncols, const char *const *headers, const enum table_align *align)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->align = xcalloc(ncols, sizeof *t->align);
	for (size_t i = 0; i < ncols; i++)
		t->align[i] = align ? align[i] : TABLE_LEFT;
	table_add(t, headers);
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	t->cells = xgrow(t->cells, &t->cap, (t->nrows + 1) * t->ncols, sizeof *t->cells);
	for (size_t i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = table_clean(cells[i] ? cells[i] : "-");
	t->nrows++;
}

size_t table_rows(const struct table *t)
{
	return t->nrows - 1;
}

size_t table_col_width(const struct table *t, size_t col)
{
	size_t w = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		size_t cw = table_width(t->cells[r * t->ncols + col]);
		if (cw > w)
			w = cw;
	}
	return w;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

void table_print(const struct table *t, FILE *f, int indent)
{
	size_t *w = xcalloc(t->ncols, sizeof *w);
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = table_col_width(t, c);
	for (size_t r = 0; r < t->nrows; r++) {
		pad(f, indent > 0 ? (size_t)indent : 0);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			size_t fill = w[c] - table_width(cell);
			bool last = c + 1 == t->ncols;
			if (c > 0)
				fputs("  ", f);
			if (t->align[c] == TABLE_RIGHT)
				pad(f, fill);
			fputs(cell, f);
			if (t->align[c] == TABLE_LEFT && !last)
				pad(f, fill);
		}
		fputc('\n', f);
	}
	free(w);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->align);
	free(t);
}
