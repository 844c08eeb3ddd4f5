#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/number.h"
#include "../core/text.h"

bool value_parse_number(const char *s, double *out, bool *percent)
{
	struct number x;
	if (number_parse(s, strlen(s), NUMBER_DATA, &x) != NUMBER_OK)
		return false;
	*out = x.value;
	if (percent)
		*percent = x.unit == NUMBER_PERCENT;
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
	if (y < 1800 || y > 2200 || !text_valid_day(y, m, d))
		return false;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return true;
}

bool value_parse_iso_day(const char *s, long *days)
{
	int y, m, d;
	if (!text_parse_day(s, &y, &m, &d))
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
