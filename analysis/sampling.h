/* The sampling design of a survey, as R's svydesign() describes it: strata,
 * first-stage clusters (PSUs) nested in their stratum, second-stage units
 * nested in their PSU, and the finite-population corrections of each stage,
 * all given by codebook roles (stratum, cluster, cluster2, fpc, fpc2).
 *
 * sampling_covariance() is R's svyrecvar() (without its calibration step,
 * which estimate.c applies first): the variance of estimated totals by
 * Taylor linearisation for a stratified multistage design, on the influence
 * (score) values of the units.  One pass over the units and one over the
 * PSUs: linear in units x columns, with no work per pair of units.
 *
 *   no fpc:    with replacement at the first stage (ultimate clusters);
 *   fpc:       without replacement, f = (N_h - n_h) / N_h, a stratum with
 *              f under 1e-7 (a census) adding nothing;
 *   fpc2:      the second stage's variance added within each PSU, times
 *              n_h / N_h (svydesign's default, survey.ultimate.cluster
 *              FALSE); cluster2 without fpc is ignored, as R does.
 *
 * Degrees of freedom are R's degf(): PSUs - strata among the units with a
 * non-zero weight. */
#ifndef TERRAIN_SAMPLING_H
#define TERRAIN_SAMPLING_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/survey.h"

/* A stratum with a single PSU (R's options(survey.lonely.psu)). */
enum sampling_lonely {
	SAMPLING_LONELY_FAIL,	 /* an error naming the stratum (default) */
	SAMPLING_LONELY_REMOVE,	 /* it adds nothing */
	SAMPLING_LONELY_ADJUST,	 /* its PSU total's square, centred at zero */
	SAMPLING_LONELY_AVERAGE, /* the other strata's variance scaled up to all strata */
};

/* "fail", "remove", ...; and back (false when unknown). */
const char *sampling_lonely_name(enum sampling_lonely l);
bool sampling_lonely_parse(const char *s, enum sampling_lonely *l);

struct sampling {
	size_t n;		    /* units (respondents) */
	size_t nstrata, npsu, nssu; /* nssu: 0 for one stage */
	size_t *stratum;	    /* per unit */
	size_t *psu;		    /* per unit; PSUs of a stratum are consecutive */
	size_t *ssu;		    /* per unit, NULL for one stage; SSUs of a PSU
				     * are consecutive */
	size_t *psu_first;	    /* per stratum + 1: its PSUs are psu_first[h] .. [h+1] - 1 */
	size_t *ssu_first;	    /* per PSU + 1, NULL for one stage */
	double *f1;		    /* per stratum: 1 - n_h / N_h (1 without fpc) */
	double *frac1;		    /* per stratum: n_h / N_h (two stages) */
	double *f2;		    /* per PSU: 1 - m_i / M_i (two stages) */
	double *w;		    /* per unit: the inverse inclusion probability
				     * when the fpc give it and no weight does, else NULL */
	enum sampling_lonely lonely;
	bool has_strata, has_clusters, has_fpc; /* as declared in the codebook */
	bool two_stage;				/* cluster2 and fpc2 used */
};

/* The design of s (its data read) with lonely-PSU rule l.  Errors name the
 * file and line: a blank stratum, cluster or fpc, an fpc that varies within
 * a stratum (or a PSU) or is smaller than the units sampled, a mix of
 * counts and fractions, cluster2 without cluster, fpc2 without fpc or
 * cluster2, cluster2 with fpc but no fpc2, and with l FAIL a stratum with a
 * single PSU (at either stage) that is not wholly sampled. */
enum status sampling_build(const struct survey *s, enum sampling_lonely l, struct sampling *out,
			   struct error *err);

void sampling_release(struct sampling *sm);

/* Covariance (k x k, into v) of the estimated totals of the k columns of z
 * (n x k, row-major), zero outside the domain.  present: the units of a
 * weights-only design's subset (R drops the others, which matters to
 * lonely = average only), NULL for all. */
void sampling_covariance(const struct sampling *sm, const double *z, size_t k,
			 const unsigned char *present, double *v);

/* R's degf(): PSUs - strata among the units in (NULL: all) with w != 0;
 * NAN when none. */
double sampling_df(const struct sampling *sm, const double *w, const unsigned char *in);

#endif
