#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Base letters of U+00C0..U+00FF; "" for the two signs (× ÷) that separate. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",	 "i",
    "d", "n", "o", "o", "o", "o", "o",	"",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",	 "i",
    "d", "n", "o", "o", "o", "o", "o",	"",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Latin Extended-A, U+0100..U+017F, as ranges of one base letter. */
static const struct {
	unsigned lo, hi;
	const char *base;
} latin_ext_a[] = {
    {0x100, 0x105, "a"}, {0x106, 0x10d, "c"},  {0x10e, 0x111, "d"}, {0x112, 0x11b, "e"},
    {0x11c, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14b, "n"},
    {0x14c, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15a, 0x161, "s"},
    {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
    {0x179, 0x17e, "z"}, {0x17f, 0x17f, "s"},
};

/* Decode one UTF-8 sequence at s (at most len bytes); returns its length,
 * or 0 if it is not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	unsigned min;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, min = 0x80, *cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, min = 0x800, *cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

bool text_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* the common case: ASCII, eight bytes at a time */
		uint64_t w;
		if (len - i >= 8 && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ULL))) {
			i += 8;
			continue;
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		unsigned cp;
		size_t n = utf8_decode(u + i, len - i, &cp);
		if (!n) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

/* The folded form of code point cp: a base string, "" for a separator, or
 * NULL to keep the original bytes. */
static const char *fold_cp(unsigned cp, char ascii[2])
{
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			ascii[0] = (char)cp;
			return ascii;
		}
		if (cp >= 'A' && cp <= 'Z') {
			ascii[0] = (char)(cp - 'A' + 'a');
			return ascii;
		}
		return "";
	}
	if (cp >= 0xc0 && cp <= 0xff)
		return latin1[cp - 0xc0];
	for (size_t i = 0; i < sizeof(latin_ext_a) / sizeof(latin_ext_a[0]); i++)
		if (cp >= latin_ext_a[i].lo && cp <= latin_ext_a[i].hi)
			return latin_ext_a[i].base;
	/* no-break spaces, typographic apostrophes, dashes, quotes */
	if (cp == 0xa0 || cp == 0x202f || (cp >= 0x2010 && cp <= 0x201f) || cp == 0xab ||
	    cp == 0xbb)
		return "";
	return NULL;
}

static void add_word(struct strbuf *out, const char *w, size_t n, size_t start)
{
	if (out->len > start)
		strbuf_addch(out, ' ');
	if (n == 2 && !memcmp(w, "st", 2))
		strbuf_addstr(out, "saint");
	else if (n == 3 && !memcmp(w, "ste", 3))
		strbuf_addstr(out, "sainte");
	else
		strbuf_add(out, w, n);
}

void text_fold(const char *s, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	struct strbuf word = STRBUF_INIT;
	size_t start = out->len;
	size_t i = 0;

	while (i <= len) {
		unsigned cp = 0;
		size_t n = 1;
		const char *base = "";
		char ascii[2] = {0, 0};
		if (i < len) {
			n = utf8_decode(u + i, len - i, &cp);
			if (!n) {
				n = 1; /* invalid byte: keep it, it can only match itself */
				base = NULL;
			} else {
				base = fold_cp(cp, ascii);
			}
		}
		if (base == NULL) {
			strbuf_add(&word, s + i, n);
		} else if (*base) {
			strbuf_addstr(&word, base);
		} else if (word.len) {
			add_word(out, word.buf, word.len, start);
			strbuf_reset(&word);
		}
		i += n;
	}
	strbuf_release(&word);
}

size_t text_width(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		n += (*u & 0xc0) != 0x80; /* count the bytes that start a character */
	return n;
}

void text_quote(const char *s, size_t max, struct strbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		if (i >= max) {
			strbuf_addstr(out, "...");
			return;
		}
		unsigned cp;
		size_t n = utf8_decode(u + i, len - i, &cp);
		if (!n || cp < 0x20 || cp == 0x7f) {
			strbuf_addf(out, "\\x%02X", u[i]);
			i++;
			continue;
		}
		strbuf_add(out, s + i, n);
		i += n;
	}
}

/* The common case of a bundled file, [-]DIGITS (at most 18) or, for
 * doubles, [-]DIGITS[.DIGITS] (at most 15 digits), read without strtol's
 * and strtod's general machinery: the mantissa and the power of ten are
 * exact in a double, so their quotient is the correctly rounded value
 * strtod returns.  False when s is not of that form: the caller's general
 * path reads it. */
static bool parse_plain(const char *s, int maxdigits, bool point, uint64_t *mant, int *frac,
			bool *neg)
{
	int digits = 0, after = -1;
	uint64_t m = 0;
	*neg = *s == '-';
	s += *neg;
	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > maxdigits)
				return false;
			m = m * 10 + (uint64_t)(*s - '0');
			after += after >= 0;
		} else if (*s == '.' && point && after < 0) {
			after = 0;
		} else {
			break;
		}
	}
	if (*s || !digits)
		return false;
	*mant = m;
	*frac = after < 0 ? 0 : after;
	return true;
}

bool text_parse_long(const char *s, long min, long max, long *out)
{
	uint64_t m;
	int frac;
	bool neg;
	if (parse_plain(s, 18, false, &m, &frac, &neg)) {
		long v = neg ? -(long)m : (long)m;
		if (v < min || v > max)
			return false;
		*out = v;
		return true;
	}
	char *end;
	if (!*s || !(s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')))
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool text_parse_double(const char *s, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,	 1e6,  1e7,
				       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	uint64_t m;
	int frac;
	bool neg;
	if (parse_plain(s, 15, true, &m, &frac, &neg)) {
		double v = (double)m / pow10[frac];
		*out = neg ? -v : v;
		return true;
	}
	char *end;
	if (!*s || !(s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')) ||
	    strpbrk(s, "xXnNiI")) /* no hexadecimal, inf or nan */
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool text_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool text_is_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool text_valid_day(long y, long m, long d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

bool text_parse_day(const char *s, int *y, int *m, int *d)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	if (s[10])
		return false;
	/* the digits checked above: no strtol needed */
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return text_valid_day(*y, *m, *d);
}

int text_env_day(int *y, int *m, int *d)
{
	const char *s = getenv("TERRAIN_DATE");
	if (!s || !*s)
		return 0;
	return text_parse_day(s, y, m, d) ? 1 : -1;
}

bool text_is_formula(const char *s)
{
	if (!s || !s[0] || !strchr("=+-@\t\r", s[0]))
		return false;
	/* "-3.5" or "+12" written as a number stays a number; strtod alone
	 * would also take "-inf", "+0x1A" and "\t1" */
	if ((s[0] == '-' || s[0] == '+') && (isdigit((unsigned char)s[1]) || s[1] == '.') &&
	    !strpbrk(s, "xX")) {
		char *end;
		(void)strtod(s, &end);
		if (end != s && !*end)
			return false;
	}
	return true;
}

bool text_formula_guarded(const char *s)
{
	while (*s == '\'')
		s++;
	return text_is_formula(s);
}

const char *text_formula_unquoted(const char *s)
{
	return s[0] == '\'' && text_formula_guarded(s + 1) ? s + 1 : s;
}
