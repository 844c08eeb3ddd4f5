/* report/typo.c: every form against its exact bytes.  The special
 * spaces are spelled as escapes so that the expected strings show
 * them: NNBSP U+202F between thousands, NBSP U+00A0 before % and €,
 * MINUS U+2212 in French. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../report/typo.h"
#include "helpers.h"

#define NNBSP "\xe2\x80\xaf"
#define NBSP  "\xc2\xa0"
#define MINUS "\xe2\x88\x92"

typedef void (*typo_fn)(struct strbuf *, double, int, bool);

static void check(typo_fn fn, double v, int decimals, bool fr, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "["); /* appends, never overwrites */
	fn(&sb, v, decimals, fr);
	CU_ASSERT_STRING_EQUAL(sb.buf + 1, want);
	CU_ASSERT_EQUAL(sb.buf[0], '[');
	if (strcmp(sb.buf + 1, want))
		fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", sb.buf + 1, want);
	strbuf_release(&sb);
}

static void test_typo_number(void)
{
	/* Grenoble's census unemployed 2021 and its rate (10 527 / 76 257) */
	check(typo_number, 10527, 0, true, "10" NNBSP "527");
	check(typo_number, 10527, 0, false, "10,527");
	check(typo_number, 13.8044, 1, true, "13,8");
	check(typo_number, 13.8044, 1, false, "13.8");
	check(typo_number, 1284948.25, 2, true, "1" NNBSP "284" NNBSP "948,25");
	check(typo_number, 1284948.25, 2, false, "1,284,948.25");
	check(typo_number, 999, 0, true, "999");
	check(typo_number, 1000, 0, true, "1" NNBSP "000");
	check(typo_number, 999.96, 1, true, "1" NNBSP "000,0"); /* carry into a new group */
	check(typo_number, 0.5, 3, true, "0,500");
	check(typo_number, -1234.5, 1, true, MINUS "1" NNBSP "234,5");
	check(typo_number, -1234.5, 1, false, "-1,234.5");
	check(typo_number, -0.04, 1, true, "0,0"); /* no "−0,0" */
	check(typo_number, -0.0, 0, false, "0");
	/* decimals clamped to 0; printf's rounding: an exact tie goes to
	 * the even neighbour, as it would in any printf-based report */
	check(typo_number, 2.5, -3, true, "2");
	check(typo_number, 3.5, -3, true, "4");
	check(typo_number, 1e21, 0, true,
	      "1" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP "000" NNBSP
	      "000");
	check(typo_number, NAN, 1, true, "n.d.");
	check(typo_number, NAN, 1, false, "n/a");
	check(typo_number, INFINITY, 0, true, "n.d.");
	check(typo_number, -INFINITY, 0, false, "n/a");
}

static void test_typo_percent(void)
{
	check(typo_percent, 13.8044, 1, true, "13,8" NBSP "%");
	check(typo_percent, 13.8044, 1, false, "13.8%");
	check(typo_percent, 9.8, 1, true, "9,8" NBSP "%");
	check(typo_percent, -0.3318, 2, true, MINUS "0,33" NBSP "%");
	check(typo_percent, -0.3318, 2, false, "-0.33%");
	check(typo_percent, 100, 0, true, "100" NBSP "%");
	check(typo_percent, 1234.5, 1, true, "1" NNBSP "234,5" NBSP "%");
	check(typo_percent, NAN, 1, true, "n.d.");
	check(typo_percent, NAN, 1, false, "n/a");
}

static void test_typo_points(void)
{
	/* Grenoble 13.80 % against Isère 9.80 %: +4.0 points (test_gap.c) */
	check(typo_points, 4.0, 1, true, "+4,0" NBSP "points");
	check(typo_points, 4.0, 1, false, "+4.0 points");
	check(typo_points, -0.5, 1, true, MINUS "0,5" NBSP "point");
	check(typo_points, -0.5, 1, false, "-0.5 points");
	check(typo_points, 1.94, 1, true, "+1,9" NBSP "point");	 /* below 2: singular */
	check(typo_points, 1.96, 1, true, "+2,0" NBSP "points"); /* shown as 2,0 */
	check(typo_points, 1, 0, false, "+1 point");
	check(typo_points, 1, 1, false, "+1.0 points");
	check(typo_points, -1, 0, false, "-1 point");
	check(typo_points, 0.01, 1, true, "0,0" NBSP "point");
	check(typo_points, -0.01, 1, false, "0.0 points");
	check(typo_points, 1234, 0, true, "+1" NNBSP "234" NBSP "points");
	check(typo_points, NAN, 1, true, "n.d.");
	check(typo_points, NAN, 1, false, "n/a");
}

static void test_typo_date(void)
{
	struct {
		int y, m, d;
		const char *fr, *en;
	} cases[] = {
	    {2026, 11, 29, "29 novembre 2026", "29 November 2026"},
	    {2026, 12, 1, "1er décembre 2026", "1 December 2026"},
	    {2026, 2, 1, "1er février 2026", "1 February 2026"},
	    {2026, 8, 15, "15 août 2026", "15 August 2026"},
	    {2024, 2, 29, "29 février 2024", "29 February 2024"}, /* leap year */
	    {2000, 2, 29, "29 février 2000", "29 February 2000"}, /* divisible by 400 */
	    {2026, 1, 31, "31 janvier 2026", "31 January 2026"},
	    {2026, 2, 29, "n.d.", "n/a"},
	    {1900, 2, 29, "n.d.", "n/a"}, /* divisible by 100 only */
	    {2026, 4, 31, "n.d.", "n/a"},
	    {2026, 0, 1, "n.d.", "n/a"},
	    {2026, 13, 1, "n.d.", "n/a"},
	    {2026, 1, 0, "n.d.", "n/a"},
	    {0, 1, 1, "n.d.", "n/a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int fr = 0; fr < 2; fr++) {
			struct strbuf sb = STRBUF_INIT;
			typo_date(&sb, cases[i].y, cases[i].m, cases[i].d, fr);
			CU_ASSERT_STRING_EQUAL(sb.buf, fr ? cases[i].fr : cases[i].en);
			strbuf_release(&sb);
		}
	}
}

static void test_typo_money(void)
{
	check(typo_money, 12345, 0, true, "12" NNBSP "345" NBSP "€");
	check(typo_money, 12345, 0, false, "€12,345");
	check(typo_money, 12345.5, 2, true, "12" NNBSP "345,50" NBSP "€");
	check(typo_money, 12345.5, 2, false, "€12,345.50");
	/* the pay of the Grenoble example in 2027 (test_budget.c) */
	check(typo_money, 183233.726208, 2, true, "183" NNBSP "233,73" NBSP "€");
	check(typo_money, -300, 0, true, MINUS "300" NBSP "€");
	check(typo_money, -300, 0, false, "-€300");
	check(typo_money, -0.001, 2, false, "€0.00");
	check(typo_money, NAN, 0, true, "n.d.");
	check(typo_money, NAN, 0, false, "n/a");
}

void suite_typo(void)
{
	CU_pSuite s = CU_add_suite("typo", NULL, NULL);
	ADD_TEST(s, test_typo_number);
	ADD_TEST(s, test_typo_percent);
	ADD_TEST(s, test_typo_points);
	ADD_TEST(s, test_typo_date);
	ADD_TEST(s, test_typo_money);
}
