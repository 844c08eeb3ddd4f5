#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../report/format.h"
#include "helpers.h"

static void check_count(double v, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	format_count(&sb, v);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	strbuf_release(&sb);
}

static void test_format_count(void)
{
	check_count(0, "0");
	check_count(999, "999");
	check_count(1000, "1 000");
	check_count(156140, "156 140");
	check_count(68350798, "68 350 798");
	check_count(-1234, "-1 234");
	check_count(-0.2, "0");
	check_count(NAN, "n/a");
}

static void test_format_decimal(void)
{
	struct strbuf sb = STRBUF_INIT;
	format_decimal(&sb, -0.331822, 2);
	CU_ASSERT_STRING_EQUAL(sb.buf, "-0.33");
	strbuf_reset(&sb);
	format_decimal(&sb, -0.001, 2);
	CU_ASSERT_STRING_EQUAL(sb.buf, "0.00"); /* never "-0.00" */
	strbuf_reset(&sb);
	format_pad(&sb, "Isère", 7);
	CU_ASSERT_STRING_EQUAL(sb.buf, "Isère  ");
	strbuf_reset(&sb);
	format_pad_left(&sb, "é", 3);
	CU_ASSERT_STRING_EQUAL(sb.buf, "  é");
	strbuf_release(&sb);
}

static void test_format_csv_row(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *row[] = {"com:38185", "a,b", "say \"hi\"", "line\nbreak", "", NULL};
	format_csv_row(fp, row, 6);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(buf, "com:38185,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",,\n");
	free(buf);
}

static void test_format_csv_formula(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *row[] = {"=HYPERLINK(\"x\")",
			     "+1+1",
			     "@SUM(A1)",
			     "\tx",
			     "\rx",
			     "-x",
			     "-3.5",
			     "12",
			     "+7",
			     "-12",
			     "-inf",
			     "a=b"};
	format_csv_row(fp, row, 12);
	format_csv_row_sep(fp, row + 1, 1, ';');
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(buf, "\"'=HYPERLINK(\"\"x\"\")\",\"'+1+1\",\"'@SUM(A1)\",\"'\tx\","
				    "\"'\rx\",\"'-x\",-3.5,12,+7,-12,\"'-inf\",a=b\n\"'+1+1\"\n");
	free(buf);
	CU_ASSERT_FALSE(text_is_formula(""));
	CU_ASSERT_FALSE(text_is_formula(NULL));
	CU_ASSERT_TRUE(text_is_formula("-0x1A"));
	CU_ASSERT_TRUE(text_is_formula("-1e5+A1"));
	/* text that starts with "'" then a formula is quoted too, so that a
	 * reader taking the "'" off (text_formula_unquoted) gets it back */
	fp = open_memstream(&buf, &len);
	const char *quoted[] = {"'=x", "'x", "'-3"};
	format_csv_row(fp, quoted, 3);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(buf, "\"''=x\",'x,'-3\n");
	free(buf);
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted("'=x"), "=x");
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted("''=x"), "'=x");
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted("'''=x"), "''=x");
	CU_ASSERT_TRUE(text_formula_guarded("''=x"));
	CU_ASSERT_FALSE(text_formula_guarded("''-3"));
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted("'-3"), "'-3");
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted("'x"), "'x");
	CU_ASSERT_STRING_EQUAL(text_formula_unquoted(""), "");
}

static void test_format_json_number(void)
{
	json_t *a = format_json_number(NAN), *b = format_json_number(3),
	       *c = format_json_number(0.5);
	CU_ASSERT_TRUE(json_is_null(a));
	CU_ASSERT_TRUE(json_is_integer(b));
	CU_ASSERT_TRUE(json_is_real(c));
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

/* The one "%.10g or empty" of the CSV outputs (three reports and two
 * pipeline exports had each their copy); the strings by hand. */
static void test_format_csv_number(void)
{
	static const struct {
		double x;
		const char *want;
	} cases[] = {{1.0 / 3, "0.3333333333"}, {158198, "158198"}, {-0.5, "-0.5"},
		     {1e21, "1e+21"},		{0, "0"},	    {NAN, ""}};
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "[");
		format_csv_number(&sb, cases[i].x);
		CU_ASSERT_STRING_EQUAL(sb.buf + 1, cases[i].want);
	}
	strbuf_release(&sb);
}

void suite_format(void)
{
	CU_pSuite s = CU_add_suite("format", NULL, NULL);
	ADD_TEST(s, test_format_count);
	ADD_TEST(s, test_format_decimal);
	ADD_TEST(s, test_format_csv_row);
	ADD_TEST(s, test_format_csv_formula);
	ADD_TEST(s, test_format_json_number);
	ADD_TEST(s, test_format_csv_number);
}
