#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "helpers.h"

static void check_fold(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	text_fold(in, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\nfold(\"%s\") = \"%s\", want \"%s\"\n", in, sb.buf, want);
	strbuf_release(&sb);
}

static void test_text_fold_accents_and_case(void)
{
	check_fold("Saint-Étienne", "saint etienne");
	check_fold("SAINT ETIENNE", "saint etienne");
	check_fold("St-Étienne", "saint etienne");
	check_fold("Ste-Foy-lès-Lyon", "sainte foy les lyon");
	check_fold("L'Haÿ-les-Roses", "l hay les roses");
	check_fold("L’Île-d’Yeu", "l ile d yeu");
	check_fold("Œuilly", "oeuilly");
	check_fold("Auvergne-Rhône-Alpes", "auvergne rhone alpes");
	check_fold("  --Grenoble--  ", "grenoble");
	check_fold("Ça", "ca");
	check_fold("", "");
	check_fold("-'", "");
	check_fold("Straße", "strasse");
	/* "st" only as a whole word */
	check_fold("Stains", "stains");
}

static void test_text_fold_keeps_other_scripts(void)
{
	check_fold("Ωmega", "Ωmega");
	/* an invalid byte is kept, so it can only match itself */
	check_fold("a\xff"
		   "b",
		   "a\xff"
		   "b");
}

static void test_text_parse_long(void)
{
	long v = 7;
	CU_ASSERT_TRUE(text_parse_long("38185", 0, 99999, &v));
	CU_ASSERT_EQUAL(v, 38185);
	CU_ASSERT_TRUE(text_parse_long("-3", -5, 5, &v));
	CU_ASSERT_EQUAL(v, -3);
	v = 7;
	CU_ASSERT_FALSE(text_parse_long("", 0, 10, &v));
	CU_ASSERT_FALSE(text_parse_long(" 3", 0, 10, &v));
	CU_ASSERT_FALSE(text_parse_long("3 ", 0, 10, &v));
	CU_ASSERT_FALSE(text_parse_long("3x", 0, 10, &v));
	CU_ASSERT_FALSE(text_parse_long("11", 0, 10, &v));
	CU_ASSERT_FALSE(text_parse_long("99999999999999999999999", 0, 10, &v));
	CU_ASSERT_EQUAL(v, 7); /* untouched on failure */
}

static void test_text_parse_double(void)
{
	double v = 0;
	CU_ASSERT_TRUE(text_parse_double("18.13", &v));
	CU_ASSERT_DOUBLE_EQUAL(v, 18.13, 1e-12);
	CU_ASSERT_TRUE(text_parse_double("1e3", &v));
	CU_ASSERT_DOUBLE_EQUAL(v, 1000, 1e-12);
	CU_ASSERT_FALSE(text_parse_double("18,13", &v));
	CU_ASSERT_FALSE(text_parse_double("0x10", &v));
	CU_ASSERT_FALSE(text_parse_double("inf", &v));
	CU_ASSERT_FALSE(text_parse_double("nan", &v));
	CU_ASSERT_FALSE(text_parse_double("", &v));
	CU_ASSERT_FALSE(text_parse_double("1e999", &v));
}

/* The reading of plain numbers without strtod or strtol gives what they
 * give, to the bit (the sign of zero, the rounding of 15-digit decimals),
 * and refuses what they refuse: random strings of digits, points, signs
 * and exponents, against strtod and strtol themselves. */
static void test_text_parse_numbers_match_libc(void)
{
	static const char alphabet[] = "0123456789012345678901234567890123456789..-+e ";
	unsigned long seed = 12345;
	size_t fails = 0, tried = 0, plain = 0;
	for (int t = 0; t < 200000; t++) {
		char s[24];
		size_t n = 1 + (size_t)t % 20;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			s[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
		}
		s[n] = '\0';
		char *end;
		errno = 0;
		double want = strtod(s, &end);
		bool ok =
		    (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')) &&
		    !strpbrk(s, "xXnNiI") && !errno && !*end && isfinite(want);
		double got = 0;
		bool gok = text_parse_double(s, &got);
		tried++;
		plain += ok && !strpbrk(s, "e+");
		if (gok != ok || (ok && memcmp(&got, &want, sizeof(got))))
			fails++,
			    fprintf(stderr, "\n\"%s\": text_parse_double %d %.17g, strtod %d %.17g",
				    s, gok, got, ok, want);
		errno = 0;
		long lwant = strtol(s, &end, 10), lgot = 0;
		ok = (s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')) && !errno &&
		     !*end && lwant >= -1000000000000L && lwant <= 1000000000000L;
		gok = text_parse_long(s, -1000000000000L, 1000000000000L, &lgot);
		if (gok != ok || (ok && lgot != lwant))
			fails++, fprintf(stderr, "\n\"%s\": text_parse_long %d %ld, strtol %d %ld",
					 s, gok, lgot, ok, lwant);
	}
	CU_ASSERT_EQUAL(fails, 0);
	CU_ASSERT(plain > 1000); /* the fast path was taken */
	/* the sign of zero, and 15 significant digits */
	double v;
	CU_ASSERT_TRUE(text_parse_double("-0", &v));
	CU_ASSERT_TRUE(signbit(v));
	CU_ASSERT_TRUE(text_parse_double("0.123456789012345", &v));
	CU_ASSERT_EQUAL(v, strtod("0.123456789012345", NULL));
}

/* The calendar's one check: month lengths and the Gregorian leap years
 * (1900 is not one, 2000 is). */
static void test_text_valid_day(void)
{
	CU_ASSERT_TRUE(text_valid_day(2024, 2, 29));
	CU_ASSERT_FALSE(text_valid_day(2023, 2, 29));
	CU_ASSERT_FALSE(text_valid_day(1900, 2, 29));
	CU_ASSERT_TRUE(text_valid_day(2000, 2, 29));
	CU_ASSERT_FALSE(text_valid_day(2026, 4, 31));
	CU_ASSERT_TRUE(text_valid_day(2026, 12, 31));
	CU_ASSERT_FALSE(text_valid_day(2026, 13, 1));
	CU_ASSERT_FALSE(text_valid_day(2026, 0, 1));
	CU_ASSERT_FALSE(text_valid_day(2026, 1, 0));
	CU_ASSERT_FALSE(text_valid_day(0, 1, 1));
}

/* ASCII is skipped eight bytes at a time: a bad byte is still found at
 * each place, and its place is right. */
static void test_text_utf8_valid_each_place(void)
{
	char s[40];
	for (size_t at = 0; at < sizeof(s); at++) {
		memset(s, 'a', sizeof(s));
		s[at] = (char)0xe8;
		size_t bad = 99;
		CU_ASSERT_FALSE(text_utf8_valid(s, sizeof(s), &bad));
		CU_ASSERT_EQUAL(bad, at);
		CU_ASSERT_TRUE(text_utf8_valid(s, at, &bad));
	}
}

static void test_text_utf8_valid(void)
{
	size_t bad = 99;
	CU_ASSERT_TRUE(text_utf8_valid("Isère", strlen("Isère"), &bad));
	CU_ASSERT_FALSE(text_utf8_valid("Is\xe8re", 5, &bad)); /* Latin-1 è */
	CU_ASSERT_EQUAL(bad, 2);
	CU_ASSERT_FALSE(text_utf8_valid("\xc3", 1, &bad)); /* cut sequence */
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_FALSE(text_utf8_valid("\xc0\xaf", 2, &bad));	   /* overlong */
	CU_ASSERT_FALSE(text_utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate */
	CU_ASSERT_EQUAL(text_width("Isère"), 5);
	CU_ASSERT_EQUAL(text_width(""), 0);
}

static void test_text_quote(void)
{
	struct strbuf sb = STRBUF_INIT;
	text_quote("Isère\n\xff", 64, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "Isère\\x0A\\xFF");
	strbuf_reset(&sb);
	text_quote("abcdef", 3, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "abc...");
	strbuf_release(&sb);
}

/* --log-format json: jansson refuses text that is not UTF-8, and such a
 * message was dropped; a message cut at its cap inside a character too. */
static void test_log_json_text(void)
{
	struct strbuf sb = STRBUF_INIT;
	log_json_text("a\xff"
		      "b\xc3",
		      4, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "a\xEF\xBF\xBD"
				       "b\xEF\xBF\xBD");
	CU_ASSERT_TRUE(text_utf8_valid(sb.buf, sb.len, NULL));
	/* 8 191 bytes, then a 2-byte "é" across the cap: cut before it */
	char *big = malloc(8200);
	memset(big, 'x', 8191);
	memcpy(big + 8191, "\xc3\xa9zzzzz", 7);
	strbuf_reset(&sb);
	log_json_text(big, 8198, &sb);
	CU_ASSERT_EQUAL(sb.len, 8191);
	CU_ASSERT_TRUE(text_utf8_valid(sb.buf, sb.len, NULL));
	free(big);
	strbuf_release(&sb);
}

/* $TERRAIN_DATE read strictly: a real day written YYYY-MM-DD, else -1
 * (it was taken with sscanf: "2026-02-30" and "2026-1-5x" passed, and an
 * invalid one fell back on today silently). */
static void test_text_env_day(void)
{
	static const struct {
		const char *value;
		int got, y, m, d;
	} cases[] = {
	    {"2026-03-31", 1, 2026, 3, 31}, {"2024-02-29", 1, 2024, 2, 29},
	    {"2026-02-29", -1, 0, 0, 0},    {"2026-02-30", -1, 0, 0, 0},
	    {"2026-1-05", -1, 0, 0, 0},	    {"2026-01-05x", -1, 0, 0, 0},
	    {"2026-13-01", -1, 0, 0, 0},    {"1900-02-29", -1, 0, 0, 0},
	    {"2000-02-29", 1, 2000, 2, 29}, {"", 0, 0, 0, 0},
	};
	char *saved = getenv("TERRAIN_DATE") ? strdup(getenv("TERRAIN_DATE")) : NULL;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int y = 0, m = 0, d = 0;
		setenv("TERRAIN_DATE", cases[i].value, 1);
		CU_ASSERT_EQUAL(text_env_day(&y, &m, &d), cases[i].got);
		if (cases[i].got == 1) {
			CU_ASSERT_EQUAL(y, cases[i].y);
			CU_ASSERT_EQUAL(m, cases[i].m);
			CU_ASSERT_EQUAL(d, cases[i].d);
		}
	}
	unsetenv("TERRAIN_DATE");
	int y, m, d;
	CU_ASSERT_EQUAL(text_env_day(&y, &m, &d), 0);
	if (saved)
		setenv("TERRAIN_DATE", saved, 1);
	free(saved);
}

void suite_text(void)
{
	CU_pSuite s = CU_add_suite("text", NULL, NULL);
	ADD_TEST(s, test_text_fold_accents_and_case);
	ADD_TEST(s, test_text_fold_keeps_other_scripts);
	ADD_TEST(s, test_text_parse_long);
	ADD_TEST(s, test_text_parse_double);
	ADD_TEST(s, test_text_utf8_valid);
	ADD_TEST(s, test_text_valid_day);
	ADD_TEST(s, test_text_parse_numbers_match_libc);
	ADD_TEST(s, test_text_utf8_valid_each_place);
	ADD_TEST(s, test_text_quote);
	ADD_TEST(s, test_log_json_text);
	ADD_TEST(s, test_text_env_day);
}
