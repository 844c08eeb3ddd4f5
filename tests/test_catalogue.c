/* The indicator catalogue: the bundled one loads and says what issue 5
 * asks; every malformed row is an error with file:line:column. */
#include <stdlib.h>
#include <string.h>

#include "../ingest/catalogue.h"
#include "helpers.h"

static void test_catalogue_bundled(void)
{
	struct catalogue c;
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(catalogue_load(path.buf, &c, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(c.n, 51); /* 42 and the 9 of datasets/social/ */
	/* a sum of ids, and an indicator no source terrain reads publishes */
	const struct indicator_def *n = catalogue_find(&c, "no_diploma_share");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_STRING_EQUAL(n->numerator, "none");
	const struct indicator_def *u = catalogue_find(&c, "unemployment_rate_census");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(u->kind, INDICATOR_RATIO);
	CU_ASSERT_STRING_EQUAL(u->numerator, "census.pop_15_64_chomage_2021");
	CU_ASSERT_STRING_EQUAL(u->denominator, "census.pop_15_64_active_2021");
	CU_ASSERT_DOUBLE_EQUAL(u->scale, 100, 0);
	CU_ASSERT_EQUAL(u->decimals, 1);
	CU_ASSERT_EQUAL(u->polarity, POLARITY_HIGHER_WORSE);
	const struct indicator_def *g = catalogue_find(&c, "population_growth");
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->kind, INDICATOR_GROWTH);
	CU_ASSERT_EQUAL(g->years, 6);
	/* the four unemployment notions stay distinct indicators */
	const struct indicator_def *l = catalogue_find(&c, "unemployment_rate_localized");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->kind, INDICATOR_RATE);
	CU_ASSERT_STRING_EQUAL(l->numerator, "bdm.taux_chomage_localise");
	CU_ASSERT_PTR_NULL(catalogue_find(&c, "nothing"));
	/* a theme and a source in each language for every indicator; the
	 * findings' order rests on them */
	CU_ASSERT_EQUAL(u->theme, THEME_EMPLOYMENT);
	CU_ASSERT_STRING_EQUAL(u->source_fr, "Insee, recensement de la population 2021");
	CU_ASSERT_STRING_EQUAL(u->source_en, "Insee, 2021 population census");
	CU_ASSERT_EQUAL(catalogue_find(&c, "birth_rate")->theme, THEME_DEMOGRAPHY);
	CU_ASSERT_EQUAL(catalogue_find(&c, "poverty_rate")->theme, THEME_INCOME_POVERTY);
	CU_ASSERT_EQUAL(catalogue_find(&c, "neet_15_24_share")->theme, THEME_YOUTH);
	/* polarities for a social diagnosis: more single-parent families is a
	 * fragility, a higher living standard is better, age shares are facts */
	CU_ASSERT_EQUAL(catalogue_find(&c, "single_parent_share")->polarity, POLARITY_HIGHER_WORSE);
	CU_ASSERT_EQUAL(catalogue_find(&c, "median_living_standard")->polarity,
			POLARITY_HIGHER_BETTER);
	CU_ASSERT_EQUAL(catalogue_find(&c, "activity_rate_15_64")->polarity,
			POLARITY_HIGHER_BETTER);
	CU_ASSERT_EQUAL(catalogue_find(&c, "pop_75_plus_share")->polarity, POLARITY_NEUTRAL);
	CU_ASSERT_EQUAL(catalogue_find(&c, "death_rate")->polarity, POLARITY_NEUTRAL);
	for (size_t i = 0; i < c.n; i++) {
		CU_ASSERT(*c.v[i].source_fr && *c.v[i].source_en);
		CU_ASSERT_PTR_NULL(strstr(c.v[i].source_en, "recensement"));
	}
	catalogue_release(&c);
	strbuf_release(&path);
}

#define HEADER                                                                                \
	"id;label_fr;label_en;kind;numerator;denominator;years;scale;unit;decimals;polarity;" \
	"theme;source_fr;source_en;note_fr;note_en\n"

static void check(const char *row, const char *want)
{
	struct catalogue c;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/ind.csv", test_tmpdir());
	strbuf_addf(&text, "%sok;a;b;count;x.y;;;1;persons;0;neutral;demography;s;e;;\n%s", HEADER,
		    row);
	test_write_file(path.buf, text.buf);
	CU_ASSERT_EQUAL(catalogue_load(path.buf, &c, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "ind.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest + 7, want);
	if (strcmp(rest + 7, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...ind.csv%s\n", err.msg, want);
	CU_ASSERT_EQUAL(c.n, 0);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void test_catalogue_errors(void)
{
	check("Bad;a;b;count;x;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:1: bad id \"Bad\" (expected lowercase letters, digits and '_') (column \"id\")");
	check("ok;a;b;count;x;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:1: indicator \"ok\" is defined twice (column \"id\")");
	check("r;a;b;average;x;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:4: unknown kind \"average\" (expected count, ratio, growth or rate) (column "
	      "\"kind\")");
	check("r;a;b;ratio;x;;;100;%;1;neutral;demography;s;e;;\n",
	      ":3:6: a ratio needs a denominator (an observation id) (column \"denominator\")");
	check("r;a;b;count;x;y;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:6: a count takes no denominator (found \"y\") (column \"denominator\")");
	check("r;a;b;growth;x;y;;100;%;2;neutral;demography;s;e;;\n",
	      ":3:7: bad years \"\" (expected a whole number from 1 to 200) (column \"years\")");
	check("r;a;b;ratio;x;y;;0;%;1;neutral;demography;s;e;;\n",
	      ":3:8: bad scale \"0\" (expected a positive number: 1, 100, 1000) (column "
	      "\"scale\")");
	check("r;a;b;ratio;x;y;;100;%;5;neutral;demography;s;e;;\n",
	      ":3:10: bad decimals \"5\" (expected 0 to 3) (column \"decimals\")");
	check("r;a;b;ratio;x;y;;100;%;1;bad;demography;s;e;;\n",
	      ":3:11: unknown polarity \"bad\" (expected neutral, higher_worse or higher_better) "
	      "(column \"polarity\")");
	check("r;a;b;ratio;x;y;;100;%;1;neutral;jobs;s;e;;\n",
	      ":3:12: unknown theme \"jobs\" (expected employment, income_poverty, youth, ageing, "
	      "families, education, housing or demography) (column \"theme\")");
	check("r;a;b;ratio;x;y;;100;%;1;neutral;youth;s;;;\n",
	      ":3:14: missing source (expected the producer and the dataset, in French in "
	      "source_fr and in English in source_en) (column \"source_en\")");
	check("r;a;b;count;;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:5: missing numerator (expected an observation id) (column \"numerator\")");
	check("r;a;b;count;x+;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:5: bad numerator \"x+\" (expected an observation id, or up to 8 ids joined by "
	      "'+', without spaces; a rate takes one id) (column \"numerator\")");
	check("r;a;b;ratio;x;y z;;100;%;1;neutral;demography;s;e;;\n",
	      ":3:6: bad denominator \"y z\" (expected an observation id, or up to 8 ids joined "
	      "by '+', without spaces; a rate takes one id) (column \"denominator\")");
	check("r;a;b;rate;x+y;;;1;%;1;neutral;demography;s;e;;\n",
	      ":3:5: bad numerator \"x+y\" (expected an observation id, or up to 8 ids joined by "
	      "'+', without spaces; a rate takes one id) (column \"numerator\")");
	check("r;a;b;count;a+b+c+d+e+f+g+h+i;;;1;u;0;neutral;demography;s;e;;\n",
	      ":3:5: bad numerator \"a+b+c+d+e+f+g+h+i\" (expected an observation id, or up to 8 "
	      "ids joined by '+', without spaces; a rate takes one id) (column \"numerator\")");
}

/* The themes' ids and names, and their order (demography last). */
static void test_catalogue_themes(void)
{
	CU_ASSERT_STRING_EQUAL(catalogue_theme_id(THEME_INCOME_POVERTY), "income_poverty");
	CU_ASSERT_STRING_EQUAL(catalogue_theme_name(THEME_INCOME_POVERTY, false),
			       "revenus et pauvreté");
	CU_ASSERT_STRING_EQUAL(catalogue_theme_name(THEME_EDUCATION, false), "formation");
	CU_ASSERT_STRING_EQUAL(catalogue_theme_name(THEME_EDUCATION, true),
			       "education and training");
	CU_ASSERT_EQUAL(catalogue_theme_find("ageing"), THEME_AGEING);
	CU_ASSERT_EQUAL(catalogue_theme_find("Ageing"), -1);
	for (int t = 0; t < THEME_COUNT; t++)
		CU_ASSERT_EQUAL(catalogue_theme_find(catalogue_theme_id(t)), t);
	CU_ASSERT_EQUAL(THEME_DEMOGRAPHY, THEME_COUNT - 1);
}

/* Filosofi's indicators: income_poverty, polarities of a social diagnosis,
 * the two ids terrain fetch stores kept, the others bundled only. */
static void test_catalogue_filosofi(void)
{
	static const struct {
		const char *id, *num;
		enum indicator_polarity pol;
	} want[] = {
	    {"poverty_rate", "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60",
	     POLARITY_HIGHER_WORSE},
	    {"median_living_standard", "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=MED_SL",
	     POLARITY_HIGHER_BETTER},
	    {"living_standard_d1", "filosofi.D1_SL", POLARITY_HIGHER_BETTER},
	    {"living_standard_d9", "filosofi.D9_SL", POLARITY_NEUTRAL},
	    {"interdecile_ratio", "filosofi.IR_D9_D1_SL", POLARITY_HIGHER_WORSE},
	    {"social_benefits_share", "filosofi.S_SOC_BEN_DI", POLARITY_NEUTRAL},
	    {"minimum_benefits_share", "filosofi.S_SOC_BEN_DI_MIN_SOC", POLARITY_HIGHER_WORSE},
	    {"poverty_rate_referent_under_30", "filosofi.TP60AGE1", POLARITY_HIGHER_WORSE},
	    {"poverty_rate_referent_75_plus", "filosofi.TP60AGE6", POLARITY_HIGHER_WORSE},
	};
	struct catalogue c;
	struct strbuf path = STRBUF_INIT;
	struct error err;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(catalogue_load(path.buf, &c, &err), TERRAIN_OK);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct indicator_def *d = catalogue_find(&c, want[i].id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(d->kind, INDICATOR_RATE); /* published, never recomputed */
		CU_ASSERT_STRING_EQUAL(d->numerator, want[i].num);
		CU_ASSERT_EQUAL(d->polarity, want[i].pol);
		CU_ASSERT_EQUAL(d->theme, THEME_INCOME_POVERTY);
	}
	catalogue_release(&c);
	strbuf_release(&path);
}

void suite_catalogue(void)
{
	CU_pSuite s = CU_add_suite("catalogue", NULL, NULL);
	ADD_TEST(s, test_catalogue_bundled);
	ADD_TEST(s, test_catalogue_filosofi);
	ADD_TEST(s, test_catalogue_errors);
	ADD_TEST(s, test_catalogue_themes);
}
