/* The budget forecast (analysis/budget.h) in text, CSV or JSON, as
 * `terrain project budget` prints it: the assumptions with their origin
 * (the project file's line, or the parameters table's source and
 * confidence, or terrain's default), the charges, products and results by
 * year, the funding plan, the scenarios, the sensitivity table, the
 * regulatory warnings and the formulas.  See README.md, "Budget forecast",
 * for the CSV columns and JSON keys. */
#ifndef TERRAIN_BUDGET_REPORT_H
#define TERRAIN_BUDGET_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../analysis/budget.h"
#include "../core/strbuf.h"
#include "format.h"

/* The message of a warning, in French or English (en), without the year
 * range. */
void report_budget_warning(struct strbuf *sb, const struct budget_input *in,
			   const struct budget_warning *w, bool en);

/* Every label, unit and worded origin in French, or in English when en;
 * the ids (CSV column "item" / "identifiant", JSON keys and ids) stay as
 * they are in both. */
void report_budget(FILE *fp, enum report_format fmt, const struct budget_input *in,
		   const struct budget_result *r, bool en);

/* The label and unit of parameter p (enum budget_param) in French, or in
 * English when en; static strings. */
const char *report_budget_param_label(size_t p, bool en);
const char *report_budget_param_unit(size_t p, bool en);

/* Where one year's value of a parameter comes from, in full and in the
 * language (English when en), as budget.csv says it: the project file's
 * FILE:LINE, terrain's default and why, or the parameters table's rows
 * with their dates, values, units and sources (carried forward said). */
void report_budget_origin(struct strbuf *sb, const struct budget_input *in,
			  const struct budget_origin *o, bool en);

/* The funding plan ("plan de financement") as a funder reads it: the
 * charges by line (emplois) and the products by funder (ressources), each
 * year and over the three years, in cents, labelled in French or English;
 * each charge with where it comes from in words: the project file's lines
 * ("fichier de projet, lignes 51 et 53"), the parameters table's label and
 * source (its parenthesised notes left out), or terrain's default.  No
 * path of the build machine.  The totals are sums of the lines, so
 * charges + balance = resources to the cent. */
#define BUDGET_PLAN_COLS (BUDGET_YEARS + 1) /* the years, then the total */
struct budget_plan_line {
	const char *id;		       /* "insertion_pay", "operating", "state"...; static */
	const char *label;	       /* static, or borrowed from the budget input */
	long long v[BUDGET_PLAN_COLS]; /* cents */
	char *origin;		       /* owned: a charge's origin in words; NULL for a resource */
};
struct budget_plan {
	struct budget_plan_line charge[5 + BUDGET_MAX_LINES];
	size_t ncharge;
	struct budget_plan_line resource[3 + BUDGET_MAX_LINES];
	size_t nresource;
	long long charges[BUDGET_PLAN_COLS], resources[BUDGET_PLAN_COLS];
	long long balance[BUDGET_PLAN_COLS]; /* resources - charges */
};

/* Fill *p from in and r (borrowed: p points into them); release with
 * report_budget_plan_release. */
void report_budget_plan(struct budget_plan *p, const struct budget_input *in,
			const struct budget_result *r, bool en);
void report_budget_plan_release(struct budget_plan *p);

#endif
