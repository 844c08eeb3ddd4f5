/* The result of `terrain census aggregate` as CSV: one row per group in
 * order, the key parts then the set's value columns.  Sums are printed
 * exactly (every decimal they have, no trailing zeros); rates and shares in
 * percent with 6 decimals, empty when their denominator is 0. */
#ifndef TERRAIN_CENSUS_REPORT_H
#define TERRAIN_CENSUS_REPORT_H

#include <stdio.h>

#include "../analysis/aggregate.h"

struct census_report {
	const struct aggregate_table *table; /* borrowed, like the rest */
	const size_t *order;		     /* groups in output order */
	size_t n;
	const aggregate_fixed *total; /* per row: its --by group's total of measure 0 */
};

void report_census_csv(FILE *fp, const struct census_report *r);

/* One value as the CSV shows it (empty for NAN). */
void report_census_value(struct strbuf *sb, double v, bool exact, aggregate_fixed fixed);

#endif
