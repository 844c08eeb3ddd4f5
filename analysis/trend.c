#include "trend.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <math.h>

enum status trend_fit(const double *t, const double *y, size_t n, double level, struct trend *out,
		      struct error *err)
{
	double c0, c1, cov00, cov01, cov11, sumsq;
	if (n < TREND_MIN_POINTS)
		return error_set(err, TERRAIN_EDATA, "a trend needs at least %d points (got %zu)",
				 TREND_MIN_POINTS, n);
	if (!(level > 0 && level < 1))
		return error_set(err, TERRAIN_EUSAGE, "confidence level %g is not between 0 and 1",
				 level);
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(t[i]) || !isfinite(y[i]))
			return error_set(err, TERRAIN_EDATA,
					 "point %zu of the series is not a number", i + 1);
		if (i && !(t[i] > t[i - 1]))
			return error_set(err, TERRAIN_EDATA,
					 "the periods of the series do not increase at point %zu",
					 i + 1);
	}
	if (gsl_fit_linear(t, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0)
		return error_set(err, TERRAIN_EDATA, "the series cannot be fitted");
	double ybar = 0, sst = 0;
	for (size_t i = 0; i < n; i++)
		ybar += y[i];
	ybar /= (double)n;
	for (size_t i = 0; i < n; i++)
		sst += (y[i] - ybar) * (y[i] - ybar);
	/* gsl_fit_linear's cov11 is already sumsq / (n - 2) / Sxx, as lm's */
	double q = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)(n - 2));
	out->n = n;
	out->slope = c1;
	out->intercept = c0;
	out->slope_se = sqrt(cov11);
	out->lo = c1 - q * out->slope_se;
	out->hi = c1 + q * out->slope_se;
	out->r2 = sst > 0 ? 1 - sumsq / sst : NAN;
	out->last_change = y[n - 1] - y[n - 2];
	out->significant = out->lo > 0 || out->hi < 0;
	return TERRAIN_OK;
}

double trend_annual_growth(double v0, double v1, double years)
{
	if (!(v0 > 0) || !(v1 > 0) || !(years > 0))
		return NAN;
	return pow(v1 / v0, 1 / years) - 1;
}
