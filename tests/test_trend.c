/* analysis/trend.c against R's lm() (tests/fixtures/trend/reference.R and
 * its output expected_r.txt) and hand calculation. */
#include <math.h>
#include <string.h>

#include "../analysis/trend.h"
#include "helpers.h"

#define REL(a, b) (fabs((a) - (b)) <= 1e-8 * fabs(b))

static void test_trend_isere_against_lm(void)
{
	/* INSEE BDM localized unemployment rate, Isère, 2024-Q2 .. 2026-Q1
	 * (idbank 001515903); t in years since 2024-Q2 */
	const double y[] = {6.0, 6.0, 5.9, 6.0, 6.2, 6.3, 6.5, 6.6};
	double t[8];
	struct trend tr;
	for (int i = 0; i < 8; i++)
		t[i] = i / 4.0;
	CU_ASSERT_EQUAL_FATAL(trend_fit(t, y, 8, 0.95, &tr, NULL), TERRAIN_OK);
	/* expected_r.txt */
	CU_ASSERT(REL(tr.slope, 0.385714285714285));
	CU_ASSERT(REL(tr.intercept, 5.85));
	CU_ASSERT(REL(tr.slope_se, 0.0704697551759464));
	CU_ASSERT(REL(tr.lo, 0.213281006626977));
	CU_ASSERT(REL(tr.hi, 0.558147564801593));
	CU_ASSERT(REL(tr.r2, 0.833142857142857));
	CU_ASSERT(tr.significant);
	CU_ASSERT_DOUBLE_EQUAL(tr.last_change, 0.1, 1e-12);
}

static void test_trend_uneven_series_90(void)
{
	const double t[] = {2015, 2016, 2018, 2021};
	const double y[] = {100, 104, 103, 110};
	struct trend tr;
	CU_ASSERT_EQUAL_FATAL(trend_fit(t, y, 4, 0.90, &tr, NULL), TERRAIN_OK);
	CU_ASSERT(REL(tr.slope, 1.45238095238098));
	CU_ASSERT(REL(tr.slope_se, 0.44860580193851));
	CU_ASSERT(REL(tr.lo, 0.142458479457506));
	CU_ASSERT(REL(tr.hi, 2.76230342530444));
}

static void test_trend_errors(void)
{
	const double t[] = {1, 2, 2, 3};
	const double y[] = {1, 2, 3, NAN};
	struct trend tr;
	struct error err;
	CU_ASSERT_EQUAL(trend_fit(t, y, 3, 0.95, &tr, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "a trend needs at least 4 points (got 3)");
	CU_ASSERT_EQUAL(trend_fit(t, y, 4, 0.95, &tr, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the periods of the series do not increase at point 3");
	const double t2[] = {1, 2, 3, 4};
	CU_ASSERT_EQUAL(trend_fit(t2, y, 4, 0.95, &tr, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "point 4 of the series is not a number");
	CU_ASSERT_EQUAL(trend_fit(t2, t2, 4, 1.5, &tr, &err), TERRAIN_EUSAGE);
}

static void test_trend_annual_growth(void)
{
	/* hand calculation: 100 -> 121 in 2 years is 10 % a year */
	CU_ASSERT_DOUBLE_EQUAL(trend_annual_growth(100, 121, 2), 0.10, 1e-12);
	/* Grenoble census 2015 160 649 -> 2021 157 477 (tests/README.md):
	 * -0.331822331800 % a year, bc -l */
	CU_ASSERT_DOUBLE_EQUAL(trend_annual_growth(160649, 157477, 6) * 100, -0.331822331800,
			       1e-10);
	CU_ASSERT(isnan(trend_annual_growth(0, 5, 1)));
	CU_ASSERT(isnan(trend_annual_growth(5, 5, 0)));
}

void suite_trend(void)
{
	CU_pSuite s = CU_add_suite("trend", NULL, NULL);
	ADD_TEST(s, test_trend_isere_against_lm);
	ADD_TEST(s, test_trend_uneven_series_90);
	ADD_TEST(s, test_trend_errors);
	ADD_TEST(s, test_trend_annual_growth);
}
