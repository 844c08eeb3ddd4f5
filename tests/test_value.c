#include <math.h>
#include <string.h>

#include "../core/number.h"
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

/* core/number.c in NUMBER_TYPED mode, as the project file reads values. */
static void typed_ok(const char *s, unsigned units, double want, enum number_unit unit)
{
	struct number x = {NAN, NAN, NUMBER_PLAIN};
	struct strbuf why = STRBUF_INIT;
	CU_ASSERT_EQUAL(number_typed("k", s, strlen(s), units, &x, &why), NUMBER_OK);
	CU_ASSERT_DOUBLE_EQUAL(x.value, want, 1e-12 * fmax(1, fabs(want)));
	CU_ASSERT_EQUAL(x.unit, unit);
	CU_ASSERT_STRING_EQUAL(why.buf, "");
	if (!(fabs(x.value - want) <= 1e-12 * fmax(1, fabs(want))))
		fprintf(stderr, "\n\"%s\" -> %g, want %g\n", s, x.value, want);
	strbuf_release(&why);
}

static void typed_bad(const char *s, unsigned units)
{
	struct number x;
	struct strbuf why = STRBUF_INIT;
	CU_ASSERT_EQUAL(number_typed("k", s, strlen(s), units, &x, &why), NUMBER_BAD);
	CU_ASSERT_STRING_EQUAL(why.buf, "");
	strbuf_release(&why);
}

static void typed_ambiguous(const char *key, const char *s, const char *msg)
{
	struct number x;
	struct strbuf why = STRBUF_INIT;
	CU_ASSERT_EQUAL(
	    number_typed(key, s, strlen(s), NUMBER_ALLOW_PERCENT | NUMBER_ALLOW_EURO, &x, &why),
	    NUMBER_AMBIGUOUS);
	CU_ASSERT_STRING_EQUAL(why.buf, msg);
	strbuf_release(&why);
}

static void test_value_typed_numbers(void)
{
	const unsigned all = NUMBER_ALLOW_PERCENT | NUMBER_ALLOW_EURO;
	typed_ok("1,5", 0, 1.5, NUMBER_PLAIN);
	typed_ok(" 1.5 ", 0, 1.5, NUMBER_PLAIN);
	typed_ok("42 000", 0, 42000, NUMBER_PLAIN);
	typed_ok("42\xc2\xa0"
		 "000",
		 0, 42000, NUMBER_PLAIN); /* U+00A0 */
	typed_ok("1\xe2\x80\xaf"
		 "234\xe2\x80\xaf"
		 "567,25",
		 0, 1234567.25, NUMBER_PLAIN); /* U+202F */
	typed_ok("24 000,50 \xe2\x82\xac", NUMBER_ALLOW_EURO, 24000.5, NUMBER_EURO);
	typed_ok("24000\xe2\x82\xac", NUMBER_ALLOW_EURO, 24000, NUMBER_EURO);
	typed_ok("90 %", NUMBER_ALLOW_PERCENT, 0.9, NUMBER_PERCENT);
	typed_ok("12,5\xc2\xa0%", NUMBER_ALLOW_PERCENT, 0.125, NUMBER_PERCENT);
	typed_ok("-5 %", all, -0.05, NUMBER_PERCENT);
	typed_ok("0,9", all, 0.9, NUMBER_PLAIN);
	typed_ok("0,500", 0, 0.5, NUMBER_PLAIN);	/* 0 before the comma: no thousands */
	typed_ok("1 234,500", 0, 1234.5, NUMBER_PLAIN); /* grouped by a space already */
	typed_ok("1,5000", 0, 1.5, NUMBER_PLAIN);
	typed_ok("1234,567", 0, 1234.567, NUMBER_PLAIN); /* 4 digits: no thousands comma */
	typed_ok("1.500", 0, 1.5, NUMBER_PLAIN);	 /* a point is always decimal */
	typed_ok("1e-10", 0, 1e-10, NUMBER_PLAIN);
	typed_ok("2.5E3", 0, 2500, NUMBER_PLAIN);
	typed_bad("90 %", 0);					/* not a share */
	typed_bad("24 000 \xe2\x82\xac", NUMBER_ALLOW_PERCENT); /* not money */
	typed_bad("1.234,5", all);				/* one decimal mark, blanks group */
	typed_bad("1,234.5", all);
	typed_bad("1.234.567", all);
	typed_bad("42 00", all);
	typed_bad("4 2000", all);
	typed_bad("12,", all);
	typed_bad("", all);
	typed_bad("%", all);
	typed_bad("1e", all);
	typed_bad("e5", all);
	typed_bad("12 ans", all);
	typed_bad("1,5, 2", all);
	typed_ambiguous("supervisors_etp", "1,500",
			"supervisors_etp = 1,500 is ambiguous (1.5 or 1500?): write 1,5 or 1500");
	typed_ambiguous("k", "-12,000",
			"k = -12,000 is ambiguous (-12 or -12000?): write -12 or -12000");
	typed_ambiguous(
	    "employer_cost_factor", "1,044",
	    "employer_cost_factor = 1,044 is ambiguous (1.044 or 1044?): write 1.044 or 1044");
	typed_ambiguous("sales", "120,500 \xe2\x82\xac",
			"sales = 120,500 \xe2\x82\xac is ambiguous (120.5 or 120500?): write "
			"120,5 \xe2\x82\xac or 120500 \xe2\x82\xac");
	typed_ambiguous("posts", "12,14,14",
			"posts = 12,14,14 is ambiguous (a comma between two digits is a "
			"decimal comma): write 12, 14, 14 with a space after each comma between "
			"values");
}

/* number_split: the values of a list, as "a|b|c". */
static void split_is(const char *text, size_t max, size_t want_n, const char *want)
{
	size_t start[8], len[8];
	struct strbuf got = STRBUF_INIT;
	size_t n = number_split(text, start, len, max);
	CU_ASSERT_EQUAL(n, want_n);
	for (size_t i = 0; i < n && i < max; i++)
		strbuf_addf(&got, "%s%.*s", i ? "|" : "", (int)len[i], text + start[i]);
	CU_ASSERT_STRING_EQUAL(got.buf, want);
	strbuf_release(&got);
}

static void test_value_typed_lists(void)
{
	split_is("12, 14, 14", 3, 3, "12|14|14");
	split_is("1,5, 2, 2,5", 3, 3, "1,5|2|2,5");
	split_is("1,5", 3, 1, "1,5");
	split_is("42 000, 43 000,\xc2\xa0"
		 "44 000",
		 3, 3, "42 000|43 000|44 000");
	split_is("0.3,3", 2, 2, "0.3|3"); /* a '.' rules the comma out as decimal */
	split_is("0,3, 3", 2, 2, "0,3|3");
	split_is(",3", 2, 2, "|3"); /* an empty side */
	split_is("12,14,14", 3, 1, "12,14,14");
	split_is("1, 2, 3, 4", 3, 4, "1|2|3");
	split_is("1, ", 3, 2, "1|");
	split_is("", 3, 1, "");
}

static void test_value_dates(void)
{
	long d;
	char buf[32];
	/* $TERRAIN_DATE: the whole string a real day (2024 is a leap year,
	 * 2023 is not); sscanf took "2026-13-45" and "2026-11-29x" before */
	CU_ASSERT_TRUE(value_parse_iso_day("2024-02-29", &d));
	CU_ASSERT_EQUAL(d, 19782); /* date -u -d 2024-02-29 +%s / 86400 */
	CU_ASSERT_FALSE(value_parse_iso_day("2023-02-29", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("2026-13-45", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("2026-11-29x", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("2026-11-29 10:22", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("29/11/2026", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("+026-11-29", &d));
	CU_ASSERT_FALSE(value_parse_iso_day("", &d));
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
	ADD_TEST(s, test_value_typed_numbers);
	ADD_TEST(s, test_value_typed_lists);
}
