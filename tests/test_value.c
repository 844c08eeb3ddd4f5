#include <math.h>
#include <string.h>

#include "../ingest/value.h"
#include "helpers.h"

static void number_ok(const char *s, double want, bool want_pct)
{
	double v = NAN;
	bool pct = !want_pct;
	CU_ASSERT_TRUE(value_parse_number(s, &v, &pct));
	CU_ASSERT_DOUBLE_EQUAL(v, want, 1e-12);
	CU_ASSERT_EQUAL(pct, want_pct);
	if (!(fabs(v - want) <= 1e-12))
		fprintf(stderr, "\n\"%s\" -> %g, want %g\n", s, v, want);
}

static void number_bad(const char *s)
{
	double v;
	CU_ASSERT_FALSE(value_parse_number(s, &v, NULL));
	if (value_parse_number(s, &v, NULL))
		fprintf(stderr, "\n\"%s\" parsed as %g\n", s, v);
}

static void test_value_numbers(void)
{
	number_ok("42", 42, false);
	number_ok(" -3,5 ", -3.5, false);
	number_ok("3.5", 3.5, false);
	number_ok("1 234,5", 1234.5, false);
	number_ok("1\xc2\xa0"
		  "234\xc2\xa0"
		  "567",
		  1234567, false); /* no-break spaces */
	number_ok("1\xe2\x80\xaf"
		  "234,50",
		  1234.5, false); /* narrow no-break */
	number_ok("1.234,5", 1234.5, false);
	number_ok("1,234.5", 1234.5, false);
	number_ok("1.234.567", 1234567, false);
	number_ok("1,234", 1.234, false); /* one mark is the decimal one */
	number_ok("45 %", 45, true);
	number_ok("45%", 45, true);
	number_ok("12,5\xc2\xa0%", 12.5, true);
	number_ok("+7", 7, false);
	number_ok(",5", 0.5, false);
	number_bad("");
	number_bad(" ");
	number_bad("12a");
	number_bad("1e3");
	number_bad("1,23,4");
	number_bad("12 34");
	number_bad("1 234 5");
	number_bad("1.234,5.6");
	number_bad("12,");
	number_bad("--1");
	number_bad("%");
	number_bad("NSP");
	number_bad("1 234.567,8"); /* two kinds of grouping */
}

static void test_value_dates(void)
{
	long d;
	char buf[32];
	CU_ASSERT_TRUE(value_parse_date("1970-01-01", &d));
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_TRUE(value_parse_date("2026-11-28", &d));
	value_format_date(d, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2026-11-28");
	long iso = d;
	CU_ASSERT_TRUE(value_parse_date("28/11/2026", &d));
	CU_ASSERT_EQUAL(d, iso);
	CU_ASSERT_TRUE(value_parse_date("28-11-2026 10:22", &d));
	CU_ASSERT_EQUAL(d, iso);
	CU_ASSERT_TRUE(value_parse_date("2026-11-28T10:22:01.000+01:00", &d));
	CU_ASSERT_EQUAL(d, iso);
	CU_ASSERT_TRUE(value_parse_date("2026/11/28 10:47:00 UTC+1", &d)); /* Google Forms */
	CU_ASSERT_EQUAL(d, iso);
	/* 2024-02-29 exists, 2025-02-29 does not; 20 454 days from 1970-01-01
	 * to 2026-01-01 (hand count: 56 years, 14 of them leap) */
	CU_ASSERT_TRUE(value_parse_date("2024-02-29", &d));
	CU_ASSERT_FALSE(value_parse_date("2025-02-29", &d));
	CU_ASSERT_TRUE(value_parse_date("2026-01-01", &d));
	CU_ASSERT_EQUAL(d, 56 * 365 + 14);
	CU_ASSERT_FALSE(value_parse_date("2026-13-01", &d));
	CU_ASSERT_FALSE(value_parse_date("31/04/2026", &d));
	CU_ASSERT_FALSE(value_parse_date("2026.11.28", &d));
	CU_ASSERT_FALSE(value_parse_date("2026/11-28", &d));
	CU_ASSERT_FALSE(value_parse_date("28/11/26", &d));
	CU_ASSERT_FALSE(value_parse_date("2026-11-28 later", &d));
	CU_ASSERT_FALSE(value_parse_date("", &d));
}

void suite_value(void)
{
	CU_pSuite s = CU_add_suite("value", NULL, NULL);
	ADD_TEST(s, test_value_numbers);
	ADD_TEST(s, test_value_dates);
}
