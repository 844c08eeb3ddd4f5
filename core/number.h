/* Numbers as French users type them: the one parser of terrain, for the
 * cells of survey exports (ingest/value.h) and for the values of the
 * project file (core/project.c, ingest/budgetcfg.c, ingest/sizingcfg.c).
 *
 * Both modes take an optional sign, digits, a decimal comma or point,
 * thousands grouped by threes with spaces, U+00A0 or U+202F ("42 000"),
 * blanks around, and a trailing '%'.  They differ where a spreadsheet cell
 * and a hand-typed value differ:
 *
 *   NUMBER_DATA   (survey cells) '.' or ',' may also group thousands when the
 *                 other one is the decimal mark, or when it repeats
 *                 ("1.234,5", "1,234.5", "1.234.567"); one mark alone is the
 *                 decimal one ("1,234" is 1.234: French exports come first).
 *   NUMBER_TYPED  (the project file) at most one decimal mark and thousands
 *                 grouped by blanks only; a trailing '€' is taken too, and an
 *                 exponent ("1e-10").  "1,500" (1 to 3 digits, not 0, a comma,
 *                 3 digits) is NUMBER_AMBIGUOUS: 1.5 or 1500 the English way.
 *                 A point is always a decimal point. */
#ifndef TERRAIN_NUMBER_H
#define TERRAIN_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum number_mode {
	NUMBER_DATA,
	NUMBER_TYPED,
};

enum number_result {
	NUMBER_OK,
	NUMBER_BAD,	  /* not a number in this mode */
	NUMBER_AMBIGUOUS, /* NUMBER_TYPED: two readings; see number_typed */
};

enum number_unit {
	NUMBER_PLAIN,
	NUMBER_PERCENT, /* a trailing '%': value is as written, 45 for "45 %" */
	NUMBER_EURO,	/* a trailing '€' (NUMBER_TYPED only) */
};

struct number {
	double value; /* as written; on NUMBER_AMBIGUOUS the decimal reading (1.5) */
	double other; /* on NUMBER_AMBIGUOUS the thousands reading (1500); else NAN */
	enum number_unit unit;
};

/* Parse s[0..len) (borrowed; need not be NUL-terminated).  *out is set on
 * NUMBER_OK and NUMBER_AMBIGUOUS. */
enum number_result number_parse(const char *s, size_t len, enum number_mode mode,
				struct number *out);

/* The units a value of the project file may carry (number_typed). */
#define NUMBER_ALLOW_PERCENT 1 /* a share: "45 %" is the fraction 0.45 */
#define NUMBER_ALLOW_EURO    2 /* an amount in euros: "24 000 €" */

/* A value of the project file: number_parse in NUMBER_TYPED mode, where a
 * unit the key does not take (units: NUMBER_ALLOW_*) is NUMBER_BAD and a
 * percentage becomes its fraction (out->value 0.45 for "45 %", out->unit
 * NUMBER_PERCENT).  On NUMBER_AMBIGUOUS the message a user reads is
 * appended to why (untouched otherwise), for key (or a label: an operating
 * line's):
 *   supervisors_etp = 1,500 is ambiguous (1.5 or 1500?): write 1,5 or 1500
 *   employer_cost_factor = 1,044 is ambiguous (1.044 or 1044?): write 1.044 or 1044
 *   posts = 12,14,14 is ambiguous (a comma between two digits is a decimal
 *   comma): write 12, 14, 14 with a space after each comma between values
 * NUMBER_BAD is left to the caller, which knows what the key expects. */
enum number_result number_typed(const char *key, const char *s, size_t len, unsigned units,
				struct number *out, struct strbuf *why);

/* Split a list of the project file into its values (the years of a budget
 * value, a range's bounds, trim's LOW, HIGH): a comma between two digits is
 * a decimal comma, any other comma separates two values ("12, 14, 14",
 * "1,5, 2, 2,5", "80 %,90 %", ",3"); in a part that holds a '.', every comma
 * separates, as it cannot be a decimal comma there ("0.3,3").  Fills
 * start[i] and len[i] (offsets into text, blanks trimmed, possibly empty)
 * for the first max values and returns how many there are (more than max
 * when there are). */
size_t number_split(const char *text, size_t *start, size_t *len, size_t max);

#endif
