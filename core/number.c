#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EURO	 "\xe2\x82\xac"
#define MAX_SEPS 64

/* Length of a blank at s (n bytes left): a space or tab (1), U+00A0 (2) or
 * U+202F (3); 0 when there is none. */
static size_t blank_at(const char *s, size_t n)
{
	if (n >= 1 && (*s == ' ' || *s == '\t'))
		return 1;
	if (n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if (n >= 3 && (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
}

/* Length of a blank ending at s + n. */
static size_t blank_before(const char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		return 1;
	if (n >= 2 && blank_at(s + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && blank_at(s + n - 3, 3) == 3)
		return 3;
	return 0;
}

static void trim(const char **s, size_t *len)
{
	size_t b;
	while ((b = blank_at(*s, *len)))
		*s += b, *len -= b;
	while ((b = blank_before(*s, *len)))
		*len -= b;
}

/* Check that the digits before each separator position seps[] (counted in
 * digits) form groups of three, the first of 1 to 3. */
static bool groups_of_three(size_t len, const size_t *seps, size_t nseps)
{
	size_t start = 0;
	for (size_t k = 0; k <= nseps; k++) {
		size_t end = k < nseps ? seps[k] : len;
		size_t g = end - start;
		if (k == 0 ? (g < 1 || g > 3) : g != 3)
			return false;
		start = end;
	}
	return true;
}

static bool to_double(const char *buf, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (errno || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

enum number_result number_parse(const char *s, size_t len, enum number_mode mode,
				struct number *out)
{
	char buf[160];
	char digits[128];
	size_t n = 0, nd = 0, b;
	size_t commas[MAX_SEPS], dots[MAX_SEPS], spaces[MAX_SEPS], nc = 0, ndot = 0, nsp = 0;
	bool typed = mode == NUMBER_TYPED;
	enum number_unit unit = NUMBER_PLAIN;
	const char *exponent = NULL;
	size_t explen = 0;

	trim(&s, &len);
	if (len && s[len - 1] == '%')
		unit = NUMBER_PERCENT, len--;
	else if (typed && len >= 3 && !memcmp(s + len - 3, EURO, 3))
		unit = NUMBER_EURO, len -= 3;
	if (unit != NUMBER_PLAIN)
		while ((b = blank_before(s, len)))
			len -= b;
	if (!len || len >= sizeof(digits))
		return NUMBER_BAD;

	/* sign, then digits and separators (and, typed, an exponent) */
	size_t i = 0;
	if (s[i] == '-' || s[i] == '+')
		buf[n++] = s[i++];
	while (i < len) {
		if (isdigit((unsigned char)s[i])) {
			digits[nd++] = s[i++];
		} else if (s[i] == ',' || s[i] == '.') {
			size_t *c = s[i] == ',' ? &nc : &ndot;
			if (*c == MAX_SEPS)
				return NUMBER_BAD;
			(s[i] == ',' ? commas : dots)[(*c)++] = nd, i++;
		} else if ((b = blank_at(s + i, len - i))) {
			if (nsp == MAX_SEPS)
				return NUMBER_BAD;
			spaces[nsp++] = nd, i += b;
		} else if (typed && nd && (s[i] == 'e' || s[i] == 'E')) {
			exponent = s + i + 1;
			explen = len - i - 1;
			size_t k = explen && (*exponent == '-' || *exponent == '+');
			if (k == explen)
				return NUMBER_BAD;
			for (; k < explen; k++)
				if (!isdigit((unsigned char)exponent[k]))
					return NUMBER_BAD;
			break;
		} else {
			return NUMBER_BAD;
		}
	}
	if (!nd)
		return NUMBER_BAD;
	digits[nd] = '\0';

	/* which mark is the decimal one */
	size_t dec = (size_t)-1; /* position in digits of the decimal mark */
	bool dec_comma = false;
	const size_t *groups = NULL;
	size_t ngroups = 0;
	if (typed && nc + ndot > 1) {
		return NUMBER_BAD; /* only blanks group thousands in a typed value */
	} else if (nc && ndot) {
		bool comma_last = commas[nc - 1] > dots[ndot - 1];
		if (comma_last ? nc != 1 : ndot != 1)
			return NUMBER_BAD;
		dec = comma_last ? commas[0] : dots[0];
		groups = comma_last ? dots : commas;
		ngroups = comma_last ? ndot : nc;
	} else if (nc == 1 || ndot == 1) {
		dec = nc ? commas[0] : dots[0];
		dec_comma = nc == 1;
	} else if (nc > 1 || ndot > 1) {
		groups = nc ? commas : dots;
		ngroups = nc ? nc : ndot;
	}
	if (nsp) {
		if (ngroups)
			return NUMBER_BAD; /* two kinds of grouping */
		groups = spaces;
		ngroups = nsp;
	}
	size_t intlen = dec == (size_t)-1 ? nd : dec;
	if (ngroups) {
		/* group separators only in the integer part, by threes */
		for (size_t k = 0; k < ngroups; k++)
			if (groups[k] > intlen)
				return NUMBER_BAD;
		if (!groups_of_three(intlen, groups, ngroups))
			return NUMBER_BAD;
	}
	if (dec != (size_t)-1 && dec == nd)
		return NUMBER_BAD; /* "12," */
	size_t sign = n;
	for (size_t k = 0; k < nd; k++) {
		if (k == dec)
			buf[n++] = '.';
		buf[n++] = digits[k];
	}
	if (exponent) {
		buf[n++] = 'e';
		memcpy(buf + n, exponent, explen);
		n += explen;
	}
	buf[n] = '\0';
	struct number r = {NAN, NAN, unit};
	if (!to_double(buf, &r.value))
		return NUMBER_BAD;
	/* "1,500": 1.5, or 1500 with an English thousands comma */
	bool zero = strspn(digits, "0") >= intlen;
	if (typed && dec_comma && !nsp && !exponent && intlen >= 1 && intlen <= 3 &&
	    nd - intlen == 3 && !zero) {
		memcpy(buf + sign, digits, nd);
		buf[sign + nd] = '\0';
		if (!to_double(buf, &r.other))
			return NUMBER_BAD;
		*out = r;
		return NUMBER_AMBIGUOUS;
	}
	*out = r;
	return NUMBER_OK;
}

/* "12,14,14": several commas, each between two digits, none of which a '.'
 * rules out as a decimal comma. */
static bool comma_list(const char *s, size_t len)
{
	size_t commas = 0;
	if (memchr(s, '.', len))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ',')
			continue;
		if (!i || i + 1 == len || !isdigit((unsigned char)s[i - 1]) ||
		    !isdigit((unsigned char)s[i + 1]))
			return false;
		commas++;
	}
	if (commas < 2)
		return false;
	for (size_t a = 0; a <= len;) {
		size_t e = a;
		while (e < len && s[e] != ',')
			e++;
		struct number x;
		if (e == a || number_parse(s + a, e - a, NUMBER_TYPED, &x) != NUMBER_OK)
			return false;
		a = e + 1;
	}
	return true;
}

enum number_result number_typed(const char *key, const char *s, size_t len, unsigned units,
				struct number *out, struct strbuf *why)
{
	trim(&s, &len);
	enum number_result r = number_parse(s, len, NUMBER_TYPED, out);
	if (r != NUMBER_BAD && ((out->unit == NUMBER_PERCENT && !(units & NUMBER_ALLOW_PERCENT)) ||
				(out->unit == NUMBER_EURO && !(units & NUMBER_ALLOW_EURO))))
		return NUMBER_BAD;
	if (r == NUMBER_OK && out->unit == NUMBER_PERCENT)
		out->value /= 100;
	if (r == NUMBER_BAD && comma_list(s, len)) {
		strbuf_addf(why,
			    "%s = %.*s is ambiguous (a comma between two digits is a decimal "
			    "comma): write ",
			    key, (int)len, s);
		for (size_t i = 0; i < len; i++)
			if (s[i] == ',')
				strbuf_addstr(why, ", ");
			else
				strbuf_addch(why, s[i]);
		strbuf_addstr(why, " with a space after each comma between values");
		return NUMBER_AMBIGUOUS;
	}
	if (r != NUMBER_AMBIGUOUS)
		return r;
	/* the decimal reading as typed, less its trailing zeros ("1,5"), or
	 * with a point when it has none to lose ("1.044") */
	const char *comma = memchr(s, ',', len);
	size_t end = (size_t)(comma - s) + 4;
	size_t keep = end;
	while (s[keep - 1] == '0')
		keep--;
	strbuf_addf(why, "%s = %.*s is ambiguous (%.15g or %.15g?): write ", key, (int)len, s,
		    out->value, out->other);
	int unit = (int)(len - end); /* " %" or " €" as typed, after both */
	if (keep == end)
		strbuf_addf(why, "%.*s.%.*s", (int)(comma - s), s, 3, comma + 1);
	else
		strbuf_add(why, s, keep - (s[keep - 1] == ','));
	strbuf_addf(why, "%.*s or %.15g%.*s", unit, s + end, out->other, unit, s + end);
	return NUMBER_AMBIGUOUS;
}

size_t number_split(const char *text, size_t *start, size_t *len, size_t max)
{
	size_t count = 0, a = 0, n = strlen(text);
	while (a <= n) {
		/* the part up to the next comma that is not between two digits */
		size_t e = a;
		while (e < n &&
		       !(text[e] == ',' && !(e > 0 && isdigit((unsigned char)text[e - 1]) &&
					     isdigit((unsigned char)text[e + 1]))))
			e++;
		bool dot = memchr(text + a, '.', e - a) != NULL;
		for (size_t p = a; p <= e; p++) {
			if (p < e && !(dot && text[p] == ','))
				continue;
			const char *s = text + a;
			size_t l = p - a;
			trim(&s, &l);
			if (count < max) {
				start[count] = (size_t)(s - text);
				len[count] = l;
			}
			count++;
			a = p + 1;
		}
		a = e + 1;
	}
	return count;
}
