/* Text helpers: accent- and case-insensitive folding of French names, and
 * strict number parsing (never atoi). */
#ifndef TERRAIN_TEXT_H
#define TERRAIN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* A slice of someone else's bytes: not NUL-terminated, borrowed. */
struct text_span {
	const char *s;
	size_t len;
};

/* Append to out a search key for the UTF-8 string s: letters of the Latin-1
 * and Latin Extended-A blocks lose their accents (é -> e, œ -> oe, ß -> ss),
 * ASCII letters are lowercased, and every run of characters that are not
 * letters or digits (space, hyphen, apostrophes ' and ’, punctuation)
 * becomes one space; leading and trailing separators are dropped.  The
 * words "st" and "ste" become "saint" and "sainte", as COG names spell them.
 * Other non-ASCII characters are kept as they are.  So "Saint-Étienne",
 * "saint etienne" and "ST ETIENNE" fold to "saint etienne". */
void text_fold(const char *s, struct strbuf *out);

/* Number of characters (code points) of a UTF-8 string, for aligning
 * columns of text output. */
size_t text_width(const char *s);

/* Append s for quoting in a one-line message: control characters and bytes
 * that are not UTF-8 become \xHH, and text past max bytes becomes "...". */
void text_quote(const char *s, size_t max, struct strbuf *out);

/* Parse a whole string as a base-10 integer in [min, max].  Leading or
 * trailing characters, an empty string or overflow fail.  Returns true and
 * sets *out on success. */
bool text_parse_long(const char *s, long min, long max, long *out);

/* Are the first n bytes of s ASCII digits (s has at least n bytes before
 * its NUL, or the NUL stops it and the answer is false)? */
bool text_digits(const char *s, size_t n);

/* Is s a non-empty identifier of lowercase ASCII letters, digits and '_'
 * (the ids of terrain's own tables)? */
bool text_is_id(const char *s);

/* Parse a whole string as a finite decimal number with a '.' separator. */
bool text_parse_double(const char *s, double *out);

/* Whether a spreadsheet would read text s as a formula: it starts with
 * '=', '+', '-', '@', a tab or a carriage return, and is not a number
 * ("-3.5", "+12" are left alone).  Such text is written with a leading
 * "'" in every file meant for a spreadsheet (OWASP's advice against CSV
 * injection). */
bool text_is_formula(const char *s);

/* Whether a writer puts a "'" before text s: text_is_formula() takes it,
 * perhaps after "'"s a reader would take off ("'=x" is written "''=x"). */
bool text_formula_guarded(const char *s);

/* s as written without that "'": s + 1 when s is "'" then text that
 * text_formula_guarded() takes, else s.  A file terrain writes and reads
 * again (the draft codebook, the offer inventory) reads its cells through
 * this, so every text comes back as it was. */
const char *text_formula_unquoted(const char *s);

/* True if s[0..len) is valid UTF-8; otherwise *bad (if not NULL) is the
 * offset of the first byte that is not. */
bool text_utf8_valid(const char *s, size_t len, size_t *bad);

/* Is s a day written YYYY-MM-DD, one that exists ("2026-02-29" does not)?
 * The one strict reading of a day: $TERRAIN_DATE's, the parameters'
 * dates'.  Sets *y, *m, *d when true. */
bool text_parse_day(const char *s, int *y, int *m, int *d);

/* Is y-m-d a day of the Gregorian calendar (year 1 on)?  The one check of
 * a date's month length and leap years. */
bool text_valid_day(long y, long m, long d);

/* $TERRAIN_DATE, the day the outputs carry (for reproducible notes and
 * workbooks): 1 with *y, *m, *d when it is a day written YYYY-MM-DD (a
 * real one: 2026-02-30 is not), 0 when unset or empty, -1 when it is set
 * to anything else. */
int text_env_day(int *y, int *m, int *d);

#endif
