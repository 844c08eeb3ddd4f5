/* The results of a weighted survey: every estimate the survey's variables
 * call for, overall and by group, the two-way tables asked for with their
 * Rao-Scott tests, and reliability flags.  Pure computation on a survey and
 * its weights; report/survey_report.c writes them out. */
#ifndef TERRAIN_SURVEYSTATS_H
#define TERRAIN_SURVEYSTATS_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/survey.h"
#include "estimate.h"
#include "weighting.h"

enum survey_stat {
	STAT_MEAN, /* numeric variables */
	STAT_MEDIAN,
	STAT_TOTAL,	 /* numeric: sum; category: weighted count */
	STAT_PROPORTION, /* share of a category among the answers */
};

#define RESULT_SMALL_N	  1u /* unweighted n under min_n */
#define RESULT_HIGH_CV	  2u /* coefficient of variation over max_cv */
#define RESULT_SUPPRESSED 4u /* n_cell under suppress_below: not published */

struct survey_result {
	size_t var;    /* survey variable */
	size_t cat;    /* category, or (size_t)-1 */
	size_t by;     /* grouping variable, or (size_t)-1 for the whole sample */
	size_t group;  /* its category */
	size_t by2;    /* crossed domain by = a*b: b, else (size_t)-1 */
	size_t group2; /* b's category */
	enum survey_stat stat;
	struct estimate e;
	size_t n_cell; /* proportions: respondents in the category; else e.n */
	unsigned flags;
};

struct crosstab_cell {
	size_t n;	  /* unweighted */
	double weighted;  /* weighted count */
	double share;	  /* of the table's total */
	double row_share; /* of its row (first variable) */
	double col_share; /* of its column */
	unsigned flags;
};

struct crosstab {
	size_t a, b;		    /* survey variables: rows, columns */
	struct crosstab_cell *cell; /* owned: ncat(a) x ncat(b), row-major */
	struct chisq test;
	bool tested;
	char *why_untested; /* owned, or NULL */
};

struct survey_stats_opts {
	const size_t *by;  /* grouping variables */
	const size_t *by2; /* for each, the second variable of a crossed domain
			    * by = a*b (svyby(~y, ~a + b)), or (size_t)-1;
			    * NULL: none crossed.  A cell with no respondent
			    * gives no estimate, as svyby drops it */
	size_t nby;
	const size_t *pairs; /* crosstabs: (a, b) pairs, 2 * npairs */
	size_t npairs;
	size_t min_n;	       /* default 30 */
	double max_cv;	       /* default 0.20 */
	size_t suppress_below; /* default 5 */
};

void survey_stats_opts_init(struct survey_stats_opts *o);

struct survey_stats {
	struct survey_result *row;
	size_t n, alloc;
	struct crosstab *tab;
	size_t ntab;
	struct weight_summary wsum;
	size_t min_n, suppress_below;
	double max_cv;
};

/* Everything, for survey s weighted by w.  Errors: a grouping or crosstab
 * variable that is not single or ordinal. */
enum status survey_stats_compute(const struct survey *s, const struct weights *w,
				 const struct survey_stats_opts *o, struct survey_stats *out,
				 struct error *err);

void survey_stats_release(struct survey_stats *st);

/* The group's mean level on variable var, the question that measures a
 * skill (survey_var.skill): its values on the skill's scale (an ordinal's
 * codes read as numbers, an integer's or decimal's values; missing answers
 * left out), with the estimator, variance and interval of the survey's
 * means (estimate_mean on the design of s weighted by w, svymean and
 * confint(df = degf(design)) in R's survey). */
void survey_stats_level(const struct survey *s, const struct weights *w, size_t var,
			struct estimate *e);

const char *survey_stat_name(enum survey_stat s);

#endif
