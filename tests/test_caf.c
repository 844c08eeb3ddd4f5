/* Tests of ingest/caf.c.
 *
 * s_ben_com_f_bordeaux_2024_attested.csv holds real figures (Bordeaux
 * 33063, December 2024: indfoy_rsa 9 260, indmtt_rsa 4 996 200, indfoy_ppa
 * 26 745, indmtt_ppa 4 719 400, attested in SOURCES.md section 5);
 * s_ben_com_f_wide_invented.csv is INVENTED throughout
 * (tests/fixtures/http/caf/PROVENANCE.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/caf.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/caf/"
#define BASE   CAF_BASE
#define EXPORT BASE "/api/explore/v2.1/catalog/datasets/s_ben_com_f/exports/csv"
#define QUERY  EXPORT "?delimiter=%3B&use_labels=false&where="
#define URL_33 QUERY "numcomdo%3D%2233063%22"
#define HEADER "dtreffre;numcomdo;nomcom;indfoy_rsa\n"

#define fixture(name, len) test_fixture(FIX, (name), (len))

static const struct test_source_req req = {caf_parse,	URL_33,	     NULL,
					   CAF_DATASET, "com:33063", SOURCE_CSV};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

static void check_obs(const struct observation *o, const char *territory, const char *indicator,
		      const char *unit, double value, enum obs_status status)
{
	CU_ASSERT_STRING_EQUAL(o->territory, territory);
	CU_ASSERT_STRING_EQUAL(o->indicator, indicator);
	CU_ASSERT_STRING_EQUAL(o->period, "2024-12");
	CU_ASSERT_STRING_EQUAL(o->unit, unit);
	CU_ASSERT_EQUAL(o->status, status);
	if (status == OBS_MISSING) {
		CU_ASSERT(isnan(o->value));
	} else {
		CU_ASSERT_DOUBLE_EQUAL(o->value, value, 1e-9);
	}
	CU_ASSERT_STRING_EQUAL(o->source, "caf");
	CU_ASSERT_STRING_EQUAL(o->dataset, CAF_DATASET);
	CU_ASSERT_STRING_EQUAL(o->cog, "");
	CU_ASSERT_STRING_EQUAL(o->vintage, "");
}

static void test_caf_bordeaux(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("s_ben_com_f_bordeaux_2024_attested.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 4);
	const struct observation *o = res.obs.v;
	check_obs(&o[0], "com:33063", "caf.indfoy_rsa", "households", 9260, OBS_ROUNDED);
	check_obs(&o[1], "com:33063", "caf.indmtt_rsa", "euros", 4996200, OBS_ROUNDED);
	check_obs(&o[2], "com:33063", "caf.indfoy_ppa", "households", 26745, OBS_ROUNDED);
	check_obs(&o[3], "com:33063", "caf.indmtt_ppa", "euros", 4719400, OBS_ROUNDED);
	source_result_release(&res);
	free(body);
}

/* Every unit, the three dtreffre forms, an arrondissement, Corsica, an
 * empty value, and the non-localised row skipped. */
static void test_caf_wide(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("s_ben_com_f_wide_invented.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 12);
	const struct observation *o = res.obs.v;
	check_obs(&o[0], "com:38185", "caf.indfoy_ndur", "households", 41000, OBS_ROUNDED);
	check_obs(&o[1], "com:38185", "caf.indnbp_ndur", "persons", 82500, OBS_ROUNDED);
	check_obs(&o[2], "com:38185", "caf.indfoy_rsa", "households", 7600, OBS_ROUNDED);
	check_obs(&o[3], "com:38185", "caf.indmtt_rsa", "euros", 4100000, OBS_ROUNDED);
	check_obs(&o[4], "arm:75101", "caf.indfoy_ndur", "households", 2100, OBS_ROUNDED);
	check_obs(&o[6], "arm:75101", "caf.indfoy_rsa", "households", 0, OBS_MISSING);
	check_obs(&o[7], "arm:75101", "caf.indmtt_rsa", "euros", 60000, OBS_ROUNDED);
	check_obs(&o[8], "com:2A004", "caf.indfoy_ndur", "households", 9100, OBS_ROUNDED);
	check_obs(&o[11], "com:2A004", "caf.indmtt_rsa", "euros", 980000, OBS_ROUNDED);
	source_result_release(&res);
	free(body);
}

static void test_caf_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", ": empty file (expected a header line)"},
	    {"dtreffre;nomcom;indfoy_rsa\n", ":1: missing column \"numcomdo\" in the header"},
	    {"dtreffre;numcomdo;nomcom\n2024-12;33063;BORDEAUX\n",
	     ":1: no indfoy_*, indnbp_* or indmtt_* column in the header"},
	    {HEADER "2024-12;33063;BORDEAUX;9 260\n",
	     ":2:4: \"9 260\" is not a number (column \"indfoy_rsa\")"},
	    {HEADER "2024-12;33063;BORDEAUX;9260\n2024-12;33063;BORDEAUX;9260,5\n",
	     ":3:4: \"9260,5\" is not a number (column \"indfoy_rsa\")"},
	    {HEADER "2024-13;33063;BORDEAUX;9260\n",
	     ":2:1: \"2024-13\" is not a month (YYYY-MM, YYYYMM or YYYY-MM-DD) (column "
	     "\"dtreffre\")"},
	    {HEADER "2024;33063;BORDEAUX;9260\n",
	     ":2:1: \"2024\" is not a month (YYYY-MM, YYYYMM or YYYY-MM-DD) (column "
	     "\"dtreffre\")"},
	    {HEADER "2024-12-32;33063;BORDEAUX;9260\n",
	     ":2:1: \"2024-12-32\" is not a month (YYYY-MM, YYYYMM or YYYY-MM-DD) (column "
	     "\"dtreffre\")"},
	    {HEADER "2024-12;3306;BORDEAUX;9260\n",
	     ":2:2: \"3306\" is not a commune code (column \"numcomdo\")"},
	    {HEADER "2024-12;33063;BORDEAUX\n", ":2: expected 4 fields as in the header, found 3"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	obs_list_push(&res.obs); /* something already there stays */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s%s", URL_33, cases[i].msg);
		CU_ASSERT_EQUAL(parse(cases[i].body, strlen(cases[i].body), &res, &err),
				TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.obs.n, 1);
	}
	source_result_release(&res);
}

static void test_caf_every_prefix(void)
{
	static const char *const names[] = {"s_ben_com_f_bordeaux_2024_attested.csv",
					    "s_ben_com_f_wide_invented.csv"};
	struct source_result res;
	source_result_init(&res);
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *body = fixture(names[f], &len);
		test_source_every_prefix(&req, names[f], body, len, TEST_PREFIX_MAY_PARSE, &res);
		free(body);
	}
	source_result_release(&res);
}

static void check_plan(const char *code, const char *want)
{
	test_source_check_plan(caf_plan, BASE, code, want, NULL, CAF_DATASET, SOURCE_CSV);
}

/* The URL for the arrondissements first..last, percent-encoded by hand:
 * numcomdo="75101" OR numcomdo="75102" ... */
static void arrondissements_url(struct strbuf *sb, int first, int last)
{
	strbuf_reset(sb);
	strbuf_addstr(sb, QUERY);
	for (int c = first; c <= last; c++)
		strbuf_addf(sb, "%snumcomdo%%3D%%22%d%%22", c > first ? "%20OR%20" : "", c);
}

static void test_caf_plan(void)
{
	struct strbuf want = STRBUF_INIT;
	check_plan("com:38185", QUERY "numcomdo%3D%2238185%22");
	check_plan("com:2A004", QUERY "numcomdo%3D%222A004%22");
	check_plan("arm:75101", QUERY "numcomdo%3D%2275101%22");
	check_plan("dep:38", QUERY "startswith%28numcomdo%2C%2238%22%29");
	check_plan("dep:2B", QUERY "startswith%28numcomdo%2C%222B%22%29");
	/* Paris, Lyon and Marseille: their 20, 9 and 16 arrondissements */
	arrondissements_url(&want, 75101, 75120);
	check_plan("com:75056", want.buf);
	arrondissements_url(&want, 69381, 69389);
	check_plan("com:69123", want.buf);
	arrondissements_url(&want, 13201, 13216);
	check_plan("com:13055", want.buf);
	check_plan("epci:200040715", NULL);
	check_plan("reg:84", NULL);
	check_plan("fr", NULL);
	strbuf_release(&want);
}

void suite_caf(void)
{
	CU_pSuite s = CU_add_suite("caf", NULL, NULL);
	ADD_TEST(s, test_caf_bordeaux);
	ADD_TEST(s, test_caf_wide);
	ADD_TEST(s, test_caf_errors);
	ADD_TEST(s, test_caf_every_prefix);
	ADD_TEST(s, test_caf_plan);
}
