/* analysis/gap.c against hand calculation (python3 with math.erfc, the
 * formulas of gap.h, on the real census counts). */
#include <math.h>

#include "../analysis/gap.h"
#include "helpers.h"

#define REL(a, b, tol) (fabs((a) - (b)) <= (tol)*fabs(b))

static void test_gap_grenoble_isere(void)
{
	/* INSEE census 2021 (bundled comparateur): Grenoble 10 527 unemployed
	 * of 76 257 active aged 15-64 (13.8 %); Isère, summed over its 512
	 * communes: 59 755 of 609 436 (awk over
	 * ../shared/data/insee_comparateur/communes_2021.csv) */
	struct gap_rate g = {10527, 76257, 0.4}, isere = {59755, 609436, 0.4};
	struct gap r;
	CU_ASSERT_EQUAL_FATAL(gap_compare(&g, &isere, true, 0.05, &r, NULL), TERRAIN_OK);
	CU_ASSERT(REL(r.rate, 0.13804634328651796, 1e-12));
	CU_ASSERT(REL(r.ref_rate, 0.09804967215589495, 1e-12));
	CU_ASSERT(REL(r.points, 3.999667113062301, 1e-12));
	CU_ASSERT(REL(r.index, 140.79225381501524, 1e-12));
	CU_ASSERT(REL(r.excess, 3050.026150407918, 1e-12)); /* 3 050 more unemployed */
	/* against the rest of Isère (49 228 of 533 179), f = 0.4 on both */
	CU_ASSERT(REL(r.z, 22.062445880336757, 1e-10));
	CU_ASSERT(REL(r.p, 7.255201846722807e-108, 1e-6));
	CU_ASSERT(r.significant);
}

static void test_gap_small_difference_not_significant(void)
{
	/* hand calculation: 30/200 against 1 000/8 000, independent, exhaustive:
	 * p1 0.15, p2 0.125, v = 0.15*0.85/200 + 0.125*0.875/8000,
	 * z = 0.025/sqrt(v) = 0.9796979322180493, p = erfc(z/sqrt 2) = 0.32723524711577046 */
	struct gap_rate a = {30, 200, 1}, b = {1000, 8000, 1};
	struct gap r;
	CU_ASSERT_EQUAL_FATAL(gap_compare(&a, &b, false, 0.05, &r, NULL), TERRAIN_OK);
	CU_ASSERT(REL(r.z, 0.025 / sqrt(0.15 * 0.85 / 200 + 0.125 * 0.875 / 8000), 1e-12));
	CU_ASSERT(REL(r.p, 0.32723524711577046, 1e-10));
	CU_ASSERT(!r.significant);
	CU_ASSERT(REL(r.excess, 5.0, 1e-12)); /* 30 - 200 * 0.125 */
	CU_ASSERT(REL(r.index, 120.0, 1e-12));
}

static void test_gap_errors(void)
{
	struct gap_rate a = {10, 100, 1}, bad = {10, 0, 1}, over = {101, 100, 1}, frac = {1, 10, 0};
	struct gap r;
	struct error err;
	CU_ASSERT_EQUAL(gap_compare(&bad, &a, false, 0.05, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the territory's base is not positive (0)");
	CU_ASSERT_EQUAL(gap_compare(&a, &over, false, 0.05, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the reference's count 101 is outside 0..100");
	CU_ASSERT_EQUAL(gap_compare(&a, &frac, false, 0.05, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "the reference's sampling fraction 0 is outside (0, 1]");
	CU_ASSERT_EQUAL(gap_compare(&a, &a, true, 0.05, &r, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(
	    err.msg, "the territory is all of its reference (nothing to compare it with)");
	struct gap_rate zero = {0, 50, 1}, zero2 = {0, 80, 1};
	CU_ASSERT_EQUAL(gap_compare(&zero, &zero2, false, 0.05, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.p, 1);
	CU_ASSERT(isnan(r.index));
}

void suite_gap(void)
{
	CU_pSuite s = CU_add_suite("gap", NULL, NULL);
	ADD_TEST(s, test_gap_grenoble_isere);
	ADD_TEST(s, test_gap_small_difference_not_significant);
	ADD_TEST(s, test_gap_errors);
}
