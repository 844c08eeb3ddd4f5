/* Survey outputs: the check report, the describe summary, and the results
 * of `terrain survey analyze` (estimates, weights, margins, two-way tables)
 * in text, CSV or JSON.  Columns and keys are documented in README.md
 * ("Survey outputs") and stay stable. */
#ifndef TERRAIN_SURVEY_REPORT_H
#define TERRAIN_SURVEY_REPORT_H

#include <stdio.h>

#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../core/margins.h"
#include "../core/survey.h"
#include "../core/surveydiag.h"
#include "format.h"

/* Every problem, one per line, then a summary by kind. */
void survey_report_check(FILE *fp, const struct survey *s, const struct survey_check *c);

/* What describe saw in each column and what the draft codebook made of it. */
void survey_report_describe(FILE *fp, const struct surveydesc *d, const struct survey *draft);

/* What the results rest on: the survey, the weighting and its margins. */
struct survey_view {
	const struct survey *s;
	const struct weights *w;
	const struct margins *m; /* NULL without weighting */
	const struct survey_stats *st;
};

/* The estimates (CSV: one row each; JSON: the whole analysis; text: a
 * readable summary). */
void survey_report_results(FILE *fp, enum report_format fmt, const struct survey_view *v);

/* CSV tables: the weight of each respondent; margins achieved against
 * their targets; the cells of the two-way tables; their tests. */
void survey_report_weights_csv(FILE *fp, const struct survey_view *v);
void survey_report_margins_csv(FILE *fp, const struct survey_view *v);
void survey_report_crosstabs_csv(FILE *fp, const struct survey_view *v);
void survey_report_tests_csv(FILE *fp, const struct survey_view *v);

#endif
