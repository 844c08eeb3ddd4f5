#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of a blank at s: a space or tab (1), U+00A0 (2) or U+202F (3). */
static size_t blank_len(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
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

bool value_parse_number(const char *s, double *out, bool *percent)
{
	char buf[128];
	size_t n = 0, b;
	bool pct = false;
	/* trim */
	while ((b = blank_len(s)))
		s += b;
	size_t len = strlen(s);
	while (len) {
		size_t k = 0;
		if (s[len - 1] == ' ' || s[len - 1] == '\t')
			k = 1;
		else if (len >= 2 && (unsigned char)s[len - 2] == 0xc2 &&
			 (unsigned char)s[len - 1] == 0xa0)
			k = 2;
		else if (len >= 3 && blank_len(s + len - 3) == 3)
			k = 3;
		if (!k)
			break;
		len -= k;
	}
	if (len && s[len - 1] == '%') {
		pct = true;
		len--;
		while (len && (b = (s[len - 1] == ' ' ? 1 : 0)))
			len -= b;
		if (len >= 2 && (unsigned char)s[len - 2] == 0xc2 &&
		    (unsigned char)s[len - 1] == 0xa0)
			len -= 2;
		else if (len >= 3 && blank_len(s + len - 3) == 3)
			len -= 3;
	}
	if (!len || len >= sizeof(buf))
		return false;

	/* sign, then digits and separators */
	size_t i = 0;
	if (s[i] == '-' || s[i] == '+')
		buf[n++] = s[i++];
	char digits[128];
	size_t nd = 0;
	size_t commas[64], dots[64], spaces[64], nc = 0, ndot = 0, nsp = 0;
	while (i < len) {
		if (isdigit((unsigned char)s[i])) {
			digits[nd++] = s[i++];
		} else if (s[i] == ',') {
			if (nc == 64)
				return false;
			commas[nc++] = nd, i++;
		} else if (s[i] == '.') {
			if (ndot == 64)
				return false;
			dots[ndot++] = nd, i++;
		} else if ((b = blank_len(s + i))) {
			if (nsp == 64)
				return false;
			spaces[nsp++] = nd, i += b;
		} else {
			return false;
		}
	}
	if (!nd)
		return false;

	/* which mark is the decimal one */
	size_t dec = (size_t)-1; /* position in digits of the decimal mark */
	const size_t *groups = NULL;
	size_t ngroups = 0;
	if (nc && ndot) {
		bool comma_last = commas[nc - 1] > dots[ndot - 1];
		if (comma_last ? nc != 1 : ndot != 1)
			return false;
		dec = comma_last ? commas[0] : dots[0];
		groups = comma_last ? dots : commas;
		ngroups = comma_last ? ndot : nc;
	} else if (nc == 1 || ndot == 1) {
		/* one mark: decimal ("1,234" is 1.234: French exports come first) */
		dec = nc ? commas[0] : dots[0];
	} else if (nc > 1 || ndot > 1) {
		groups = nc ? commas : dots;
		ngroups = nc ? nc : ndot;
	}
	if (nsp) {
		if (ngroups)
			return false; /* two kinds of grouping */
		groups = spaces;
		ngroups = nsp;
	}
	size_t intlen = dec == (size_t)-1 ? nd : dec;
	if (ngroups) {
		/* group separators only in the integer part, by threes */
		for (size_t k = 0; k < ngroups; k++)
			if (groups[k] > intlen)
				return false;
		if (!groups_of_three(intlen, groups, ngroups))
			return false;
	}
	if (dec != (size_t)-1 && dec == nd)
		return false; /* "12," */
	for (size_t k = 0; k < nd; k++) {
		if (k == dec)
			buf[n++] = '.';
		buf[n++] = digits[k];
	}
	buf[n] = '\0';
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (errno || *end || !isfinite(v))
		return false;
	*out = v;
	if (percent)
		*percent = pct;
	return true;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool read_int(const char *s, size_t n, long *out)
{
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool value_parse_date(const char *s, long *days)
{
	long y, m, d;
	while (*s == ' ')
		s++;
	size_t len = strcspn(s, " T");
	const char *rest = s + len;
	if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		if (!read_int(s, 4, &y) || !read_int(s + 5, 2, &m) || !read_int(s + 8, 2, &d))
			return false;
	} else if (len == 10 && (s[2] == '/' || s[2] == '-') && s[5] == s[2]) {
		if (!read_int(s, 2, &d) || !read_int(s + 3, 2, &m) || !read_int(s + 6, 4, &y))
			return false;
	} else {
		return false;
	}
	/* a time may follow; it is ignored, but it must look like one */
	if (*rest) {
		rest++;
		if (!isdigit((unsigned char)rest[0]) || !isdigit((unsigned char)rest[1]) ||
		    rest[2] != ':')
			return false;
	}
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return false;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

void value_format_date(long z, char *buf)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, 32, "%04ld-%02u-%02u", y, m, d);
}
