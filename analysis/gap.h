/* The gap between a territory's rate and a reference's: points, index,
 * the excess count, and whether the difference is significant.
 *
 * A rate is num / den (unemployed / active, say).  The excess is what MTA
 * calls the deviation: num - den * ref_rate, "N more unemployed than at the
 * reference's rate".  The index (base 100) is also the location quotient
 * of a share.
 *
 * Precision assumed for census figures: each
 * rate is treated as a binomial proportion on its denominator, the census
 * being one realisation of the process that produces it; a figure that
 * comes from a sample (the census of communes of 10 000 inhabitants or
 * more surveys about 40 % of dwellings over five years) has its variance
 * divided by its sampling fraction f:  var(p) = p (1 - p) / (f den).
 * When the territory is part of the reference (Grenoble in Isère), it is
 * compared with the rest of the reference, which is what the difference
 * with the whole measures (p - p_ref = (1 - w)(p - p_rest), w the
 * territory's share of the reference's denominator).  Two-sided z test. */
#ifndef TERRAIN_GAP_H
#define TERRAIN_GAP_H

#include <stdbool.h>

#include "../core/error.h"

/* A count on a base, with the sampling fraction of the figures (1 for an
 * exhaustive count, 0.4 for the census of large communes). */
struct gap_rate {
	double num, den;
	double f;
};

struct gap {
	double rate, ref_rate; /* fractions */
	double points;	       /* 100 (rate - ref_rate) */
	double index;	       /* 100 rate / ref_rate; NAN when ref_rate is 0 */
	double excess;	       /* num - den ref_rate */
	double z, p;	       /* test of equal rates; p two-sided */
	bool significant;      /* p < alpha */
};

/* Compare a with ref at level alpha (0.05).  nested: a is part of ref (its
 * counts are included in ref's).  A base that is not positive, a count
 * outside 0..base, a sampling fraction outside (0, 1], or a nested
 * territory that is all of its reference is TERRAIN_EDATA with a message
 * saying which. */
enum status gap_compare(const struct gap_rate *a, const struct gap_rate *ref, bool nested,
			double alpha, struct gap *out, struct error *err);

#endif
