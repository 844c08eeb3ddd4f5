/* Survey estimates with their precision, as R's survey package computes
 * them on a design with weights, strata, clusters and fpc (svydesign(),
 * sampling.h), possibly post-stratified or raked:
 *
 *   means, totals and proportions with Taylor-linearised standard errors
 *   (svymean, svytotal; the calibration's residuals as svyrecvar takes them);
 *   medians with Woodruff's interval (svyquantile, qrule "math");
 *   95 % intervals: Student t on the domain's degrees of freedom for means
 *   and totals (confint(..., df = degf(design))), logit for proportions
 *   (svyciprop(method = "logit")), and Wilson's score interval on the
 *   estimate's effective sample size p(1 - p) / var;
 *   the Rao-Scott second-order test of independence of two categorical
 *   variables (svychisq, statistic "F").
 *
 * Domains (a group, the respondents with a value) follow R: a design with
 * weights only keeps the domain's units, a calibrated one keeps every unit
 * with a weight of 0 outside the domain. */
#ifndef TERRAIN_ESTIMATE_H
#define TERRAIN_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "sampling.h"
#include "weighting.h"

struct design {
	size_t n;
	const double *w;	       /* final weights, borrowed */
	const struct calibration *cal; /* borrowed; method NONE: weights only */
	const struct sampling *smp;    /* borrowed; NULL: one stage, every unit its own
					* PSU, no strata, no fpc */
	bool df_known;		       /* true: df is estimate_df() of the domain every call is
					* given as in (a caller estimating many variables over
					* one domain computes it once); false: computed each time */
	double df;
};

/* R's degf() of the design subset to the units in (NULL: all). */
double estimate_df(const struct design *d, const unsigned char *in);

struct estimate {
	double value;
	double se;
	double ci_low, ci_high;		/* t for means and totals, logit for proportions */
	double wilson_low, wilson_high; /* proportions only, else NAN */
	double neff;			/* proportions: p (1 - p) / var; else NAN */
	double cv;			/* se / value */
	double deff;			/* design effect, svymean(..., deff = TRUE):
					 * var against simple random sampling
					 * without replacement of the n units from
					 * sum(w) (NAN for medians, or when sum(w) < n) */
	double df;			/* degrees of freedom: R's degf() of the design
					 * subset to the domain, PSUs - strata (medians:
					 * of the units with a value, as svyquantile) */
	size_t n;			/* unweighted: units of the domain with a value */
	double wsum;			/* weighted count of those units */
};

/* y: one value per unit, NAN when missing; in: the domain (NULL: all units).
 * Units outside the domain or with a missing value do not count. */
void estimate_mean(const struct design *d, const double *y, const unsigned char *in,
		   struct estimate *e);
void estimate_total(const struct design *d, const double *y, const unsigned char *in,
		    struct estimate *e);
/* y: 0 or 1 (or NAN) */
void estimate_proportion(const struct design *d, const double *y, const unsigned char *in,
			 struct estimate *e);
/* The weighted median (the smallest value whose cumulated weight share
 * reaches one half), with Woodruff's interval; se = interval width / (2 t). */
void estimate_median(const struct design *d, const double *y, const unsigned char *in,
		     struct estimate *e);
/* The same from y's order, computed once for every domain: order (norder
 * entries, borrowed) lists the units with a value (not NAN) by value, ties
 * by position, as estimate_order() returns it. */
void estimate_median_ordered(const struct design *d, const double *y, const size_t *order,
			     size_t norder, const unsigned char *in, struct estimate *e);
/* The units whose y is not NAN, by value then position; *norder their
 * count.  Returned owned; free with free(). */
size_t *estimate_order(const double *y, size_t n, size_t *norder);

struct chisq {
	size_t nr, nc;	 /* categories present in the data */
	double pearson;	 /* Pearson's X² on the weighted table scaled to n */
	double F;	 /* Rao-Scott: X² / trace(Delta) */
	double ndf, ddf; /* d0 and d0 (n - 1) */
	double p;	 /* P(F(ndf, ddf) > F) */
};

/* Rao-Scott test of independence of two categorical variables given as
 * category indexes per unit (-1 when missing), na and nb categories. */
enum status estimate_chisq(const struct design *d, const int *a, size_t na, const int *b, size_t nb,
			   struct chisq *out, struct error *err);

/* The 1 - alpha/2 quantile of Student's t with df degrees of freedom
 * (normal when df is infinite). */
double estimate_tquantile(double df, double alpha);

#endif
