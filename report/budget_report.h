/* The budget forecast (analysis/budget.h) in text, CSV or JSON, as
 * `terrain project budget` prints it: the assumptions with their origin
 * (the project file's line, or the parameters table's source and
 * confidence, or terrain's default), the charges, products and results by
 * year, the funding plan, the scenarios, the sensitivity table, the
 * regulatory warnings and the formulas.  See README.md, "Budget forecast",
 * for the CSV columns and JSON keys. */
#ifndef TERRAIN_BUDGET_REPORT_H
#define TERRAIN_BUDGET_REPORT_H

#include <stdio.h>

#include "../analysis/budget.h"
#include "../core/strbuf.h"
#include "format.h"

/* The message of a warning, in English, without the year range. */
void report_budget_warning(struct strbuf *sb, const struct budget_input *in,
			   const struct budget_warning *w);

void report_budget(FILE *fp, enum report_format fmt, const struct budget_input *in,
		   const struct budget_result *r);

#endif
