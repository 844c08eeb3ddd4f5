/* Tests of ingest/siae.c.
 *
 * No page of the SIAE list was recorded: the two pages under
 * tests/fixtures/http/siae/ are CONSTRUCTED with the API's verbatim field
 * names and INVENTED values; error_404_code_insee.json is the verbatim 404
 * body of the API's own tests (PROVENANCE.md there). */
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/siae.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/siae/"
#define BASE   SIAE_BASE
#define URL_38 BASE "/api/v1/siaes/?departement=38"

#define fixture(name, len) test_fixture(FIX, (name), (len))

static const struct test_source_req req = {siae_parse,	 URL_38,   NULL,
					   SIAE_DATASET, "dep:38", SOURCE_JSON};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

static enum status parse_str(const char *body, struct source_result *res, struct error *err)
{
	return parse(body, strlen(body), res, err);
}

/* Page 1 then page 2, appended; the link to page 2, then none. */
static void test_siae_pages(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("constructed_siaes_dep38_page1.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 2);
	CU_ASSERT_STRING_EQUAL(res.next.buf, URL_38 "&page=2");
	const struct siae_structure *x = &res.siae.v[0];
	CU_ASSERT_STRING_EQUAL(x->siret, "00000000000018");
	CU_ASSERT_STRING_EQUAL(x->kind, "ACI");
	CU_ASSERT_STRING_EQUAL(x->name, "Atelier Inventé"); /* enseigne first */
	CU_ASSERT_STRING_EQUAL(x->postcode, "38000");
	CU_ASSERT_STRING_EQUAL(x->city, "Grenoble");
	CU_ASSERT_STRING_EQUAL(x->dep, "38");
	CU_ASSERT_STRING_EQUAL(x->insee, "");
	CU_ASSERT_STRING_EQUAL(x->updated, "2024-03-05T10:22:33+01:00");
	CU_ASSERT_EQUAL(x->npositions, 2);
	x = &res.siae.v[1];
	CU_ASSERT_STRING_EQUAL(x->siret, "00000000000026");
	CU_ASSERT_STRING_EQUAL(x->kind, "ETTI");
	CU_ASSERT_STRING_EQUAL(x->name, "INTERIM INVENTE"); /* empty enseigne */
	CU_ASSERT_STRING_EQUAL(x->postcode, "38100");
	CU_ASSERT_STRING_EQUAL(x->updated, "2025-01-20T16:45:00+01:00");
	CU_ASSERT_EQUAL(x->npositions, 0);

	body = fixture("constructed_siaes_dep38_page2.json", &len);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 3);
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	x = &res.siae.v[2];
	CU_ASSERT_STRING_EQUAL(x->siret, "");
	CU_ASSERT_STRING_EQUAL(x->kind, "GEIQ"); /* kept as given */
	CU_ASSERT_STRING_EQUAL(x->name, "GROUPEMENT INVENTE");
	CU_ASSERT_STRING_EQUAL(x->city, "Saint-Martin-d'Hères");
	CU_ASSERT_STRING_EQUAL(x->updated, "");
	CU_ASSERT_EQUAL(x->npositions, 0);
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
}

/* The API's 404 for an unknown code_insee is not a page. */
static void test_siae_404_body(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("error_404_code_insee.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(body, len, &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38
			       ": \"results\" is missing (expected a page of the SIAE list)");
	CU_ASSERT_EQUAL(res.siae.n, 0);
	source_result_release(&res);
	free(body);
}

/* A name longer than 255 bytes is cut before a character, not inside. */
static void test_siae_long_name(void)
{
	struct strbuf body = STRBUF_INIT;
	struct source_result res;
	struct error err;
	strbuf_addstr(&body, "{\"results\":[{\"type\":\"EI\",\"enseigne\":\"");
	for (int i = 0; i < 254; i++)
		strbuf_addch(&body, 'a');
	strbuf_addstr(&body, "é et la suite\"}]}");
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse_str(body.buf, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 1);
	CU_ASSERT_EQUAL(strlen(res.siae.v[0].name), 254);
	CU_ASSERT_EQUAL(res.siae.v[0].name[253], 'a');
	source_result_release(&res);
	strbuf_release(&body);
}

static void test_siae_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", "invalid JSON at line 1, column 0: '[' or '{' expected near end of file"},
	    {"[]", "\"results\" is missing (expected a page of the SIAE list)"},
	    {"{\"results\":{}}", "\"results\" is not an array"},
	    {"{\"results\":[1]}", "results[0]: not an object"},
	    {"{\"results\":[{\"type\":\"EI\"},{\"enseigne\":\"x\"}]}",
	     "results[1]: type is missing or empty"},
	    {"{\"results\":[{\"type\":\"EI\",\"siret\":\"123\"}]}",
	     "results[0]: siret \"123\" is not 14 digits"},
	    {"{\"results\":[{\"type\":\"EI\",\"siret\":12345678901234}]}",
	     "results[0]: siret is not a string"},
	    {"{\"results\":[{\"type\":\"ACI-EXTRA\"}]}",
	     "results[0]: type \"ACI-EXTRA\" is too long (at most 7 bytes)"},
	    {"{\"results\":[{\"type\":\"EI\",\"departement\":\"38000\"}]}",
	     "results[0]: departement \"38000\" is too long (at most 3 bytes)"},
	    {"{\"results\":[{\"type\":\"EI\",\"postes\":{}}]}",
	     "results[0]: postes is not an array"},
	    {"{\"results\":[],\"next\":\"/api/v1/siaes/?page=2\"}",
	     "\"next\" \"/api/v1/siaes/?page=2\" is not an absolute http(s) URL"},
	    {"{\"results\":[],\"next\":2}", "\"next\" is not a string"},
	    {"{\"results\":[],\"results\":[]}",
	     "invalid JSON at line 1, column 23: duplicate object key near '\"results\"'"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	source_result_push_siae(&res); /* something already there stays */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s: %s", URL_38, cases[i].msg);
		CU_ASSERT_EQUAL(parse_str(cases[i].body, &res, &err), TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.siae.n, 1);
		CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	}
	source_result_release(&res);
}

/* Every proper prefix of a JSON payload is an error naming the URL; the
 * whole parses (run under make sanitize). */
static void test_siae_every_prefix(void)
{
	static const char *const names[] = {"constructed_siaes_dep38_page1.json",
					    "constructed_siaes_dep38_page2.json",
					    "error_404_code_insee.json"};
	struct source_result res;
	source_result_init(&res);
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *body = fixture(names[f], &len);
		test_source_every_prefix(&req, names[f], body, len, TEST_PREFIX_TRAILING_SPACE,
					 &res);
		free(body);
	}
	source_result_release(&res);
}

static void check_plan(const char *code, const char *want)
{
	test_source_check_plan(siae_plan, BASE, code, want, NULL, SIAE_DATASET, SOURCE_JSON);
}

static void test_siae_plan(void)
{
	check_plan("com:38185", BASE "/api/v1/siaes/?code_insee=38185&distance_max_km=10");
	check_plan("com:2A004", BASE "/api/v1/siaes/?code_insee=2A004&distance_max_km=10");
	check_plan("dep:38", URL_38);
	check_plan("dep:2A", BASE "/api/v1/siaes/?departement=2A");
	check_plan("arm:75101", NULL);
	check_plan("epci:200040715", NULL);
	check_plan("reg:84", NULL);
	check_plan("fr", NULL);
}

void suite_siae(void)
{
	CU_pSuite s = CU_add_suite("siae", NULL, NULL);
	ADD_TEST(s, test_siae_pages);
	ADD_TEST(s, test_siae_404_body);
	ADD_TEST(s, test_siae_long_name);
	ADD_TEST(s, test_siae_errors);
	ADD_TEST(s, test_siae_every_prefix);
	ADD_TEST(s, test_siae_plan);
}
