/* Trends of a series: the annual growth rate between two values and the
 * ordinary least-squares slope with its confidence interval (GSL's
 * gsl_fit_linear and Student's t quantile), as R's lm() and confint()
 * give them.  Pure computation, no I/O. */
#ifndef TERRAIN_TREND_H
#define TERRAIN_TREND_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"

#define TREND_MIN_POINTS 4 /* fewer points give no slope worth reporting */

struct trend {
	size_t n;	    /* points used */
	double slope;	    /* change of y per unit of t */
	double intercept;   /* y at t = 0 */
	double slope_se;    /* standard error of the slope */
	double lo, hi;	    /* confidence interval of the slope at the level asked */
	double r2;	    /* coefficient of determination */
	double last_change; /* y[n-1] - y[n-2], the last period's change */
	bool significant;   /* the interval excludes 0 */
};

/* Fit y = a + b t over n points (t strictly increasing, all finite).
 * level is the confidence level (0.95).  Fewer than TREND_MIN_POINTS
 * points, a t that does not increase or a non-finite value is
 * TERRAIN_EDATA with a message saying which. */
enum status trend_fit(const double *t, const double *y, size_t n, double level, struct trend *out,
		      struct error *err);

/* The mean annual growth rate between v0 and v1, years apart, as a
 * fraction ((v1/v0)^(1/years) - 1); NAN when v0 or v1 is not positive or
 * years is not. */
double trend_annual_growth(double v0, double v1, double years);

#endif
