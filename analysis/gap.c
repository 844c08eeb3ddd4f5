#include "gap.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static enum status check(const struct gap_rate *r, const char *what, struct error *err)
{
	if (!(r->den > 0) || !isfinite(r->den))
		return error_set(err, TERRAIN_EDATA, "the %s's base is not positive (%g)", what,
				 r->den);
	if (!(r->num >= 0 && r->num <= r->den))
		return error_set(err, TERRAIN_EDATA, "the %s's count %g is outside 0..%g", what,
				 r->num, r->den);
	if (!(r->f > 0 && r->f <= 1))
		return error_set(err, TERRAIN_EDATA,
				 "the %s's sampling fraction %g is outside (0, 1]", what, r->f);
	return TERRAIN_OK;
}

static double variance(double num, double den, double f)
{
	double p = num / den;
	return p * (1 - p) / (f * den);
}

enum status gap_compare(const struct gap_rate *a, const struct gap_rate *ref, bool nested,
			double alpha, struct gap *out, struct error *err)
{
	enum status st;
	if ((st = check(a, "territory", err)) || (st = check(ref, "reference", err)))
		return st;
	out->rate = a->num / a->den;
	out->ref_rate = ref->num / ref->den;
	out->points = 100 * (out->rate - out->ref_rate);
	out->index = out->ref_rate > 0 ? 100 * out->rate / out->ref_rate : NAN;
	out->excess = a->num - a->den * out->ref_rate;

	double other_num = ref->num, other_den = ref->den;
	if (nested) {
		other_num -= a->num;
		other_den -= a->den;
		if (!(other_den > 0) || other_num < 0)
			return error_set(
			    err, TERRAIN_EDATA,
			    "the territory is all of its reference (nothing to compare "
			    "it with)");
	}
	double v = variance(a->num, a->den, a->f) + variance(other_num, other_den, ref->f);
	double diff = out->rate - other_num / other_den;
	if (v > 0) {
		out->z = diff / sqrt(v);
		out->p = 2 * gsl_cdf_ugaussian_Q(fabs(out->z));
	} else {
		/* both rates 0 or 1: equal, or as different as can be */
		out->z = diff == 0 ? 0 : copysign(INFINITY, diff);
		out->p = diff == 0 ? 1 : 0;
	}
	out->significant = out->p < alpha;
	return TERRAIN_OK;
}
