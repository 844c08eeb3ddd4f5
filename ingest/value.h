/* Values as people type them in survey exports and spreadsheets: numbers
 * with a decimal comma or point and grouped thousands, percentages, and
 * dates in ISO or French order. */
#ifndef TERRAIN_VALUE_H
#define TERRAIN_VALUE_H

#include <stdbool.h>

/* Parse s (leading and trailing blanks allowed, including no-break spaces)
 * as a number: an optional sign, digits, a decimal comma or point, groups
 * of three digits separated by spaces, U+00A0 or U+202F (or by '.' or ','
 * when the other one is the decimal mark, or when it repeats), and an
 * optional trailing '%'.  "1 234,5", "1.234,5", "1,234.5", "-0,5", "45 %"
 * parse; "1,23,4", "1e3", "12a" do not.  *out is the number as written (45
 * for "45 %"); *percent (if not NULL) tells whether it had a '%'.
 * number_parse (core/number.h) in NUMBER_DATA mode. */
bool value_parse_number(const char *s, double *out, bool *percent);

/* Parse s as a date: YYYY-MM-DD, YYYY/MM/DD (Google Forms), DD/MM/YYYY or
 * DD-MM-YYYY, optionally followed by a time (" 10:22", "T10:22:01.000+01:00",
 * " 10:47:00 UTC+1", which is ignored).
 * *days is the day number since 1970-01-01.  Impossible dates fail. */
bool value_parse_date(const char *s, long *days);

/* Parse the whole of s as a calendar day written YYYY-MM-DD (nothing
 * before or after it, a date that exists: text_parse_day, the reading
 * $TERRAIN_DATE gets): true with *days as value_parse_date sets it. */
bool value_parse_iso_day(const char *s, long *days);

/* The date of a day number, as YYYY-MM-DD into buf (at least 32 bytes). */
void value_format_date(long days, char *buf);

#endif
