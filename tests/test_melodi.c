/* Tests of ingest/melodi.c on recorded payloads.
 *
 * The payloads under tests/fixtures/http/melodi/ are real Melodi responses
 * (PROVENANCE.md there); the expected figures were read from them with
 * python3 -m json.tool, not with terrain: Rhône PMUN 2023 1 914 667, PCAP
 * 25 348, PTOT 1 940 015; Nantes PMUN 327 734, PTOT 332 515, PCAP 4 781;
 * the 24 communes of Nantes Métropole PMUN 689 456.  Payloads written
 * inline below are EDITED shapes (marked so), for what no recording shows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/melodi.h"
#include "helpers.h"

#define FIX  "tests/fixtures/http/melodi/"
#define BASE "https://api.insee.fr/melodi"
#define URL_DEP69 \
	BASE "/data/DS_POPULATIONS_REFERENCE?GEO=DEP-69&POPREF_MEASURE=PMUN&maxResult=100000"
#define POPREF_PMUN "melodi.DS_POPULATIONS_REFERENCE.POPREF_MEASURE=PMUN"

#define fixture(name, len) test_fixture(FIX, (name), (len))

/* Parse body as the answer to a request for url and dataset. */
static enum status parse(const char *url, const char *dataset, const char *body, size_t len,
			 struct source_result *res, struct error *err)
{
	const struct test_source_req req = {melodi_parse, url, NULL, dataset, "x", SOURCE_JSON};
	return test_source_parse(&req, body, len, res, err);
}

static enum status parse_str(const char *dataset, const char *body, struct source_result *res,
			     struct error *err)
{
	return parse(URL_DEP69, dataset, body, strlen(body), res, err);
}

static const struct observation *find(const struct obs_list *l, const char *territory,
				      const char *indicator, const char *period)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].territory, territory) &&
		    !strcmp(l->v[i].indicator, indicator) && !strcmp(l->v[i].period, period))
			return &l->v[i];
	return NULL;
}

static void test_melodi_popref_rhone(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("popref_dep69_pmun.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(URL_DEP69, MELODI_POPREF, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 1);
	const struct observation *o = &res.obs.v[0];
	CU_ASSERT_STRING_EQUAL(o->territory, "dep:69");
	CU_ASSERT_STRING_EQUAL(o->cog, "2025");
	CU_ASSERT_STRING_EQUAL(o->indicator, POPREF_PMUN);
	CU_ASSERT_STRING_EQUAL(o->period, "2023");
	CU_ASSERT_DOUBLE_EQUAL(o->value, 1914667, 1e-9);
	CU_ASSERT_EQUAL(o->status, OBS_FINAL);
	CU_ASSERT_STRING_EQUAL(o->unit, "persons");
	CU_ASSERT_STRING_EQUAL(o->source, "melodi");
	CU_ASSERT_STRING_EQUAL(o->dataset, "DS_POPULATIONS_REFERENCE");
	CU_ASSERT_STRING_EQUAL(o->vintage, "");
	CU_ASSERT_STRING_EQUAL(res.next.buf, ""); /* paging has "first" only */
	source_result_release(&res);
	free(body);
}

/* All three measures, in the payload's order; the parser appends. */
static void test_melodi_popref_measures(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *rhone = fixture("popref_dep69.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(URL_DEP69, MELODI_POPREF, rhone, len, &res, &err), TERRAIN_OK);
	char *nantes = fixture("popref_com44109.json", &len);
	CU_ASSERT_EQUAL_FATAL(parse(URL_DEP69, MELODI_POPREF, nantes, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 6);
	static const struct {
		const char *territory, *measure;
		double value;
	} want[] = {
	    {"dep:69", "PMUN", 1914667},   {"dep:69", "PCAP", 25348},
	    {"dep:69", "PTOT", 1940015},   {"com:44109", "PMUN", 327734},
	    {"com:44109", "PTOT", 332515}, {"com:44109", "PCAP", 4781},
	};
	for (size_t i = 0; i < 6; i++) {
		char ind[OBS_INDICATOR_MAX];
		snprintf(ind, sizeof(ind), "melodi.DS_POPULATIONS_REFERENCE.POPREF_MEASURE=%s",
			 want[i].measure);
		CU_ASSERT_STRING_EQUAL(res.obs.v[i].territory, want[i].territory);
		CU_ASSERT_STRING_EQUAL(res.obs.v[i].indicator, ind);
		CU_ASSERT_STRING_EQUAL(res.obs.v[i].period, "2023");
		CU_ASSERT_DOUBLE_EQUAL(res.obs.v[i].value, want[i].value, 1e-9);
		CU_ASSERT_EQUAL(res.obs.v[i].status, OBS_FINAL);
	}
	source_result_release(&res);
	free(rhone);
	free(nantes);
}

/* GEO=EPCI-244400404*COM: the member communes, which the caller sums. */
static void test_melodi_popref_epci_communes(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("popref_epci244400404_pmun.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(URL_DEP69, MELODI_POPREF, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 24);
	double sum = 0;
	for (size_t i = 0; i < res.obs.n; i++) {
		CU_ASSERT_EQUAL(strncmp(res.obs.v[i].territory, "com:44", 6), 0);
		CU_ASSERT_STRING_EQUAL(res.obs.v[i].indicator, POPREF_PMUN);
		sum += res.obs.v[i].value;
	}
	CU_ASSERT_DOUBLE_EQUAL(sum, 689456, 1e-9);
	const struct observation *o = find(&res.obs, "com:44109", POPREF_PMUN, "2023");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_DOUBLE_EQUAL(o->value, 327734, 1e-9);
	source_result_release(&res);
	free(body);
}

static void test_melodi_empty(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("popref_empty.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(URL_DEP69, MELODI_POPREF, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.obs.n, 0);
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	source_result_release(&res);
	free(body);
}

/* An unknown dataset: HTTP 500 with a French sentence as the body. */
static void test_melodi_error_500_text(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("error_500.txt", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(BASE "/data/DS_NEXISTEPAS?totalCount=TRUE&maxResult=0",
			      "DS_NEXISTEPAS", body, len, &res, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, BASE "/data/DS_NEXISTEPAS?totalCount=TRUE&maxResult=0: "
					     "invalid JSON at line 1, column 2: '[' or '{' "
					     "expected near 'Le'");
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
	free(body);
}

/* Cut in the middle of the value 1914667.0, after "1914": jansson counts
 * columns in characters, and the title before holds two "é". */
static void test_melodi_truncated(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("popref_dep69_pmun.json", &len);
	const char *cut = strstr(body, "1914667.0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(URL_DEP69, MELODI_POPREF, body, (size_t)(cut - body) + 4, &res, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_DEP69 ": invalid JSON at line 1, column 478: "
						  "'}' expected near end of file");
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
	free(body);
}

/* Every proper prefix of every payload is an error that starts with the
 * URL, leaves the result as it was, and never crashes (run it under
 * make sanitize); the whole payload parses. */
static void test_melodi_every_truncation(void)
{
	static const char *const names[] = {
	    "popref_dep69_pmun.json", "popref_dep69.json",
	    "popref_com44109.json",   "popref_epci244400404_pmun.json",
	    "popref_empty.json",      "ipc_dep974.json",
	    "error_500.txt"};
	const struct test_source_req req = {melodi_parse,  URL_DEP69, NULL,
					    MELODI_POPREF, "x",	      SOURCE_JSON};
	struct source_result res;
	source_result_init(&res);
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *body = fixture(names[f], &len);
		test_source_every_prefix(&req, names[f], body, len, TEST_PREFIX_NEVER, &res);
		free(body);
	}
	source_result_release(&res);
}

/* DS_IPC_PRINC's eight dimensions other than its unit make an id of 121
 * bytes; the unit (IX) is not part of it. */
static void test_melodi_ipc_id(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("ipc_dep974.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(URL_DEP69, "DS_IPC_PRINC", body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_FATAL(res.obs.n > 0);
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].indicator,
			       "melodi.DS_IPC_PRINC.BASE_PER=2025.COICOP_2018=_Z.IDX_TYPE=CPI."
			       "IND_TYPE=IX.PRODUCT_GROUP=4000.SEASONAL_ADJUST=N.TPH_CPI=_T");
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].unit, "IX");
	source_result_release(&res);
	free(body);
}

/* EDITED payload: an id over 127 bytes is refused, never cut short (two
 * series must not share an id). */
static void test_melodi_indicator_too_long(void)
{
	static const char body[] =
	    "{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"TIME_PERIOD\":\"2023\","
	    "\"A_VERY_LONG_DIMENSION_NAME\":\"A_VERY_LONG_CODE_VALUE_THAT_GOES_ON\","
	    "\"ANOTHER_VERY_LONG_DIMENSION\":\"ANOTHER_LONG_CODE_VALUE_TO_OVERFLOW\"},"
	    "\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":1}}}]}";
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(URL_DEP69, "DS_EDITED", body, sizeof(body) - 1, &res, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_DEP69 ": observations[0]: indicator id "
						  "\"melodi.DS_EDITED.ANOTHER_VERY_LONG_DIMEN...\" "
						  "is too long (at most 127 bytes)");
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
}

/* EDITED payload (not recorded): the shape of the IPC response's
 * attributes on Filosofi dimensions, to cover secret, provisional and
 * missing values, UNIT_MEASURE and the other GEO levels. */
static const char filosofi_edited[] =
    "{\"observations\":["
    "{\"attributes\":{\"OBS_STATUS\":\"A\",\"CONF_STATUS\":\"C\"},"
    "\"dimensions\":{\"GEO\":\"2025-COM-38001\",\"FILOSOFI_MEASURE\":\"PR_MD60\","
    "\"TIME_PERIOD\":\"2021\"},\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":12.5}}},"
    "{\"attributes\":{\"OBS_STATUS\":\"P\",\"UNIT_MEASURE\":\"EUR_YR\"},"
    "\"dimensions\":{\"TIME_PERIOD\":\"2021\",\"GEO\":\"2025-EPCI-200040715\","
    "\"FILOSOFI_MEASURE\":\"MED_SL\"},\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":23810}}},"
    "{\"dimensions\":{\"GEO\":\"2025-FRANCE-M\",\"FILOSOFI_MEASURE\":\"MED_SL\","
    "\"UNIT_MEASURE\":\"EUR_YR\",\"TIME_PERIOD\":\"2021\",\"FREQ\":\"A\"},"
    "\"attributes\":{\"OBS_STATUS\":\"P\"},\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":null}}},"
    "{\"dimensions\":{\"GEO\":\"2025-ZE2020-2814\",\"FILOSOFI_MEASURE\":\"PR_MD60\","
    "\"TIME_PERIOD\":\"2021\"}},"
    "{\"dimensions\":{\"GEO\":\"2025-FRANCE-F\",\"FILOSOFI_MEASURE\":\"PR_MD60\","
    "\"TIME_PERIOD\":\"2021\"},\"measures\":{\"M\":{\"value\":14.9},\"N\":{\"value\":1}}}"
    "],\"paging\":{\"next\":\"https://api.insee.fr/melodi/data/DS_FILOSOFI_CC?page=2\"}}";

static void test_melodi_statuses_and_levels(void)
{
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse_str(MELODI_FILOSOFI, filosofi_edited, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 5);
	const struct observation *o = res.obs.v;
	CU_ASSERT_STRING_EQUAL(o[0].territory, "com:38001");
	CU_ASSERT_STRING_EQUAL(o[0].indicator, "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60");
	CU_ASSERT_EQUAL(o[0].status, OBS_SECRET);
	CU_ASSERT(isnan(o[0].value));
	CU_ASSERT_STRING_EQUAL(o[0].unit, "");

	CU_ASSERT_STRING_EQUAL(o[1].territory, "epci:200040715");
	CU_ASSERT_EQUAL(o[1].status, OBS_PROVISIONAL);
	CU_ASSERT_DOUBLE_EQUAL(o[1].value, 23810, 1e-9);
	CU_ASSERT_STRING_EQUAL(o[1].unit, "EUR_YR");

	/* UNIT_MEASURE as a dimension goes to the unit, not the id; FREQ is
	 * not part of the id either */
	CU_ASSERT_STRING_EQUAL(o[2].territory, "frm");
	CU_ASSERT_STRING_EQUAL(o[2].indicator, "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=MED_SL");
	CU_ASSERT_STRING_EQUAL(o[1].indicator, o[2].indicator);
	CU_ASSERT_EQUAL(o[2].status, OBS_MISSING); /* null beats "P" */
	CU_ASSERT(isnan(o[2].value));
	CU_ASSERT_STRING_EQUAL(o[2].unit, "EUR_YR");

	CU_ASSERT_STRING_EQUAL(o[3].territory, "ze:2814");
	CU_ASSERT_STRING_EQUAL(o[3].cog, "2025");
	CU_ASSERT_EQUAL(o[3].status, OBS_MISSING); /* no measures at all */

	CU_ASSERT_STRING_EQUAL(o[4].territory, "fr");
	CU_ASSERT_DOUBLE_EQUAL(o[4].value, 14.9, 1e-12); /* the first measure */

	CU_ASSERT_STRING_EQUAL(res.next.buf,
			       "https://api.insee.fr/melodi/data/DS_FILOSOFI_CC?page=2");
	/* the next page's answer has no next: the link does not linger */
	CU_ASSERT_EQUAL(parse_str(MELODI_FILOSOFI, "{\"observations\":[]}", &res, &err),
			TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	CU_ASSERT_EQUAL(res.obs.n, 5);
	source_result_release(&res);
}

/* Census datasets count persons; the indicator sorts the dimensions. */
static void test_melodi_rp_indicator(void)
{
	struct source_result res;
	struct error err;
	source_result_init(&res);
	/* EDITED payload: the dimensions DS_RP_EMPLOI_LR_PRINC documents */
	CU_ASSERT_EQUAL_FATAL(
	    parse_str(MELODI_RP_EMP,
		      "{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-ARM-69381\","
		      "\"SEX\":\"_T\",\"TIME_PERIOD\":\"2022\",\"EMPSTA_ENQ\":\"1T2\","
		      "\"AGE\":\"Y15T64\",\"EDUC\":\"_T\"},"
		      "\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":284.77368}}}]}",
		      &res, &err),
	    TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 1);
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].territory, "arm:69381");
	CU_ASSERT_STRING_EQUAL(
	    res.obs.v[0].indicator,
	    "melodi.DS_RP_EMPLOI_LR_PRINC.AGE=Y15T64.EDUC=_T.EMPSTA_ENQ=1T2.SEX=_T");
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].unit, "persons");
	CU_ASSERT_DOUBLE_EQUAL(res.obs.v[0].value, 284.77368, 1e-12);
	source_result_release(&res);
}

/* Each malformed shape: the exact message, and nothing kept. */
static void test_melodi_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"[]", "the top level is not an object (expected a Melodi data response)"},
	    {"{\"identifier\":\"DS_POPULATIONS_REFERENCE\"}",
	     "\"observations\" is missing (expected a Melodi data response)"},
	    {"{\"observations\":{}}", "\"observations\" is not an array"},
	    {"{\"observations\":[1]}", "observations[0]: not an object"},
	    {"{\"observations\":[{\"measures\":{}}]}",
	     "observations[0]: \"dimensions\" is missing"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"TIME_PERIOD\":2023}}]}",
	     "observations[0]: dimensions.\"TIME_PERIOD\" is not a string"},
	    {"{\"observations\":[{\"dimensions\":{\"TIME_PERIOD\":\"2023\"}}]}",
	     "observations[0]: dimensions.GEO is missing"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\"}}]}",
	     "observations[0]: dimensions.TIME_PERIOD is missing or empty"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-IRIS-691230101\","
	     "\"TIME_PERIOD\":\"2023\"}}]}",
	     "observations[0]: GEO \"2025-IRIS-691230101\": unknown geographic level"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"69\",\"TIME_PERIOD\":\"2023\"}}]}",
	     "observations[0]: GEO \"69\" is not LEVEL-CODE"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-COM-\",\"TIME_PERIOD\":\"2023\"}}]"
	     "}",
	     "observations[0]: GEO \"2025-COM-\" has no valid code"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-FRANCE-X\",\"TIME_PERIOD\":"
	     "\"2023\"}}]}",
	     "observations[0]: GEO \"2025-FRANCE-X\": unknown France code"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"TIME_PERIOD\":\"2023\","
	     "\"A.B\":\"x\"}}]}",
	     "observations[0]: dimension \"A.B\"=\"x\" cannot be part of an indicator id (empty, "
	     "or "
	     "holds '.' or '=')"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"TIME_PERIOD\":\"2023\"}"
	     ","
	     "\"measures\":{\"OBS_VALUE_NIVEAU\":{\"value\":\"1914667\"}}}]}",
	     "observations[0]: measures.\"OBS_VALUE_NIVEAU\".value is not a number"},
	    {"{\"observations\":[{\"dimensions\":{\"GEO\":\"2025-DEP-69\",\"TIME_PERIOD\":\"2023\"}"
	     ","
	     "\"attributes\":{\"CONF_STATUS\":1}}]}",
	     "observations[0]: attributes.CONF_STATUS is not a string"},
	    {"{\"observations\":[],\"paging\":{\"next\":\"/data/DS?page=2\"}}",
	     "paging.next \"/data/DS?page=2\" is not an absolute http(s) URL"},
	    {"{\"observations\":[],\"paging\":{\"next\":2}}", "paging.next is not a string"},
	    {"{\"observations\":[],\"observations\":[]}",
	     "invalid JSON at line 1, column 33: duplicate object key near '\"observations\"'"},
	    {"{\"observations\":[]} x", "invalid JSON at line 1, column 21: end of file expected "
					"near 'x'"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), URL_DEP69 ": %s", cases[i].msg);
		CU_ASSERT_EQUAL(parse_str(MELODI_POPREF, cases[i].body, &res, &err), TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.obs.n, 0);
	}
	/* a NUL byte in the body is not JSON */
	CU_ASSERT_EQUAL(parse(URL_DEP69, MELODI_POPREF, "{\"observations\":[]\0}", 20, &res, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_DEP69 ": invalid JSON at line 1, column 19: '}' "
						  "expected near end of file");
	source_result_release(&res);
}

/* The plans of the brief's five territories, URL by URL. */
static void check_plan(const char *code, const char *const want[4])
{
	const struct geo *g = &test_bundle()->geo;
	static const char *const ds[] = {MELODI_POPREF, MELODI_RP_POP, MELODI_RP_EMP,
					 MELODI_FILOSOFI};
	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, code, NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(melodi_plan(BASE, g, &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(p.n, 4);
	for (size_t i = 0; i < 4; i++) {
		CU_ASSERT_STRING_EQUAL(p.v[i].url, want[i]);
		CU_ASSERT_PTR_NULL(p.v[i].body);
		CU_ASSERT_STRING_EQUAL(p.v[i].dataset, ds[i]);
		CU_ASSERT_STRING_EQUAL(p.v[i].territory, code);
		CU_ASSERT_EQUAL(p.v[i].format, SOURCE_JSON);
	}
	source_plan_release(&p);
}

#define EMP  "AGE=Y15T64&SEX=_T&EDUC=_T&EMPSTA_ENQ=1T2&EMPSTA_ENQ=2&EMPSTA_ENQ=1"
#define FILO "FILOSOFI_MEASURE=PR_MD60&FILOSOFI_MEASURE=MED_SL"
#define MAXR "&maxResult=100000"

static void test_melodi_plan(void)
{
	static const char *const com[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=COM-38185&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=COM-38185&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=COM-38185&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=COM-38185&" FILO MAXR,
	};
	static const char *const epci[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=EPCI-200040715%2ACOM&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=EPCI-200040715&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=EPCI-200040715&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=EPCI-200040715&" FILO MAXR,
	};
	static const char *const dep[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=DEP-38&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=DEP-38&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=DEP-38&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=DEP-38&" FILO MAXR,
	};
	static const char *const reg[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=REG-84&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=REG-84&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=REG-84&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=REG-84&" FILO MAXR,
	};
	static const char *const fr[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=FRANCE-F&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=FRANCE-F&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=FRANCE-F&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=FRANCE-F&" FILO MAXR,
	};
	static const char *const arm[] = {
	    BASE "/data/DS_POPULATIONS_REFERENCE?GEO=ARM-69381&POPREF_MEASURE=PMUN" MAXR,
	    BASE "/data/DS_RP_POPULATION_PRINC?GEO=ARM-69381&RP_MEASURE=POP" MAXR,
	    BASE "/data/DS_RP_EMPLOI_LR_PRINC?GEO=ARM-69381&" EMP MAXR,
	    BASE "/data/DS_FILOSOFI_CC?GEO=ARM-69381&" FILO MAXR,
	};
	check_plan("com:38185", com);
	check_plan("epci:200040715", epci);
	check_plan("dep:38", dep);
	check_plan("reg:84", reg);
	check_plan("fr", fr);
	check_plan("arm:69381", arm);
}

/* A custom territory is not Melodi's: nothing to ask, and no error. */
static void test_melodi_plan_custom(void)
{
	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	memset(&t, 0, sizeof(t));
	t.type = TERRITORY_CUSTOM;
	snprintf(t.code, sizeof(t.code), "custom:sud");
	t.index = GEO_NONE;
	t.from = GEO_NONE;
	CU_ASSERT_EQUAL(melodi_plan(BASE, &test_bundle()->geo, &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p.n, 0);
	source_plan_release(&p);
}

void suite_melodi(void)
{
	CU_pSuite s = CU_add_suite("melodi", NULL, NULL);
	ADD_TEST(s, test_melodi_popref_rhone);
	ADD_TEST(s, test_melodi_popref_measures);
	ADD_TEST(s, test_melodi_popref_epci_communes);
	ADD_TEST(s, test_melodi_empty);
	ADD_TEST(s, test_melodi_error_500_text);
	ADD_TEST(s, test_melodi_truncated);
	ADD_TEST(s, test_melodi_every_truncation);
	ADD_TEST(s, test_melodi_ipc_id);
	ADD_TEST(s, test_melodi_indicator_too_long);
	ADD_TEST(s, test_melodi_statuses_and_levels);
	ADD_TEST(s, test_melodi_rp_indicator);
	ADD_TEST(s, test_melodi_errors);
	ADD_TEST(s, test_melodi_plan);
	ADD_TEST(s, test_melodi_plan_custom);
}
