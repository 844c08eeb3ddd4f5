/* The inputs of the budget forecast (analysis/budget.h) from the project
 * file's [budget] section, with the parameters table for the defaults.
 *
 * Values: numbers as core/number.h reads a typed value (a decimal comma or
 * point, thousands grouped with spaces: "24 000,50"; "1,500" refused as
 * ambiguous); shares as "90 %" or "0,9"; a '€' after an amount in euros.
 * A value by year is written once (every year) or three times (the first,
 * second and third year), split by number_split: "12, 14, 14",
 * "1,5, 2, 2".  operating and public_funds take one
 * "LABEL: AMOUNT" a line (or "LABEL: A1, A2, A3"), continued on indented
 * lines.
 *
 * A value the project file leaves out comes from the parameters table
 * (the mean of its months' values in force that year, marked carried
 * forward past the series' latest row), else from terrain's own default
 * when it has one (aid_modulation 0, the scenario axes, the sensitivity
 * share); else it is an error naming the parameter. */
#ifndef TERRAIN_BUDGETCFG_H
#define TERRAIN_BUDGETCFG_H

#include "../analysis/budget.h"
#include "../core/error.h"
#include "../core/params.h"
#include "../core/project.h"

/* The [budget] keys that are not by-year parameters (budget_params). */
#define BUDGETCFG_NOTHER 8
extern const char *const budgetcfg_other_keys[BUDGETCFG_NOTHER];

/* Fill *in from p's [budget] section and the table t (both borrowed: in
 * points into them, so they must outlive it).  Every problem is
 * TERRAIN_EDATA naming FILE:LINE: no [budget] section, a value that is not
 * a number or a share, the wrong count of values, a required parameter
 * left out (named, with what it is), a default the table does not have.
 * Ranges are checked by budget_check().  On error *in is released. */
enum status budgetcfg_build(const struct project *p, const struct params *t,
			    struct budget_input *in, struct error *err);

#endif
