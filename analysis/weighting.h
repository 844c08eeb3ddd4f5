/* Weighting a survey to population margins: post-stratification on one
 * variable, or raking (iterative proportional fitting) on several, as R's
 * survey package does (postStratify, rake), then optional trimming of the
 * weights within bounds (trimWeights).  Pure computation. */
#ifndef TERRAIN_WEIGHTING_H
#define TERRAIN_WEIGHTING_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/margins.h"
#include "../core/survey.h"
#include "sampling.h"

enum weighting_method {
	WEIGHTING_NONE,		/* the initial weights as they are */
	WEIGHTING_POSTSTRATIFY, /* one margin */
	WEIGHTING_RAKE,		/* one or more margins, in turn until they all hold */
	WEIGHTING_LINEAR,	/* GREG: w0 (1 + x'lambda) hits every margin and total
				 * at once (calibrate(calfun = "linear")) */
};

struct weighting_opts {
	enum weighting_method method;
	double tolerance;	     /* stop when every margin is within this share of its
				      * target (default 1e-10) */
	int max_iter;		     /* passes over the margins at most (default 100) */
	double epsilon;		     /* NAN (default): stop on tolerance; else R's rake() rule:
				      * stop when no cell of the margins' cross table moved by
				      * epsilon (times the initial weights' sum when under 1)
				      * over a pass */
	double trim_lower;	     /* bounds as multiples of the mean weight after */
	double trim_upper;	     /* calibration; NAN: no trimming on that side */
	enum sampling_lonely lonely; /* a stratum with one PSU (default fail) */
};

void weighting_opts_init(struct weighting_opts *o);

/* What variance estimation needs to know of the calibration (as the
 * postStrata of an R design). */
struct calibration {
	enum weighting_method method;
	size_t n, nmargin;
	size_t *var;  /* survey variable of each margin */
	int *cat;     /* n * nmargin: each respondent's category in each margin */
	double *psw;  /* n * nmargin: the weights after each margin's adjustment in
		       * the last pass */
	double *oldw; /* post-stratification: the weights before it */
	/* linear: the model matrix (n x p: intercept when there is a category
	 * margin, categories but the first of each, numeric variables), the
	 * calibrated weights w0 g before any trimming, and (sum w0 x x')^-1 */
	size_t p;
	double *x, *wlin, *tinv;
	const double *w0; /* borrowed: the initial weights (struct weights' w0) */
	double **y;	  /* per margin: a numeric margin's values, NULL for categories */
};

struct weights {
	size_t n;
	double *w0; /* initial: the weight variable, or 1 for everybody */
	double *w;  /* final */
	struct calibration cal;
	int iterations;
	bool converged;
	double gap; /* largest relative gap to a target after the last pass */
	/* per margin (cal.nmargin), per category: target, initial and achieved */
	double **target, **initial, **achieved;
	double trim_lo, trim_hi; /* absolute bounds used, NAN when none */
	size_t ntrimmed;	 /* weights moved to a bound */
	struct sampling smp;	 /* the design of the codebook's roles */
};

/* Compute the weights of s.  m is used unless o->method is WEIGHTING_NONE.
 * The initial weights are the weight variable's, else those the fpc imply
 * (sampling.h), else 1.  Errors: sampling_build's, a respondent with no initial weight or a weight
 * <= 0, a respondent with no value on a margin variable, a margin category with no respondent or a
 * target of 0 with respondents, post-stratification on more than one variable, no convergence (the
 * weights are kept and a warning says so). */
enum status weighting_run(const struct survey *s, const struct margins *m,
			  const struct weighting_opts *o, struct weights *out, struct error *err);

void weights_release(struct weights *w);

struct weight_summary {
	double min, q1, median, q3, max; /* quartiles as R's quantile(type = 7) */
	double mean, sum, cv;		 /* cv: standard deviation / mean (n - 1) */
	double deff;			 /* Kish: n Σw² / (Σw)² */
	double neff;			 /* (Σw)² / Σw² */
};

void weights_summary(const double *w, size_t n, struct weight_summary *out);

#endif
