/* Tests of ingest/inclusion.c.
 *
 * No page of data·inclusion was recorded (the API needs a token): the two
 * pages under tests/fixtures/http/inclusion/ are CONSTRUCTED with the
 * field names of the API's OpenAPI specification and INVENTED values
 * (PROVENANCE.md there). */
#include <stdlib.h>
#include <string.h>

#include "../ingest/inclusion.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/inclusion/"
#define BASE   INCLUSION_BASE
#define URL_38 BASE "/api/v1/structures?code_departement=38&size=1000"

static const struct test_source_req req = {inclusion_parse,   URL_38,	NULL,
					   INCLUSION_DATASET, "dep:38", SOURCE_JSON};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

/* Page 1 then page 2, appended, grouped by kind from their networks; the
 * link to page 2, then none. */
static void test_inclusion_pages(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = test_fixture(FIX, "constructed_structures_dep38_page1.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 2);
	CU_ASSERT_STRING_EQUAL(res.next.buf, URL_38 "&page=2");
	const struct siae_structure *x = &res.siae.v[0];
	CU_ASSERT_STRING_EQUAL(x->siret, "00000000000018");
	CU_ASSERT_STRING_EQUAL(x->kind, "ACI"); /* coorace, aci: the SIAE kind */
	CU_ASSERT_STRING_EQUAL(x->name, "Chantier Inventé des Espaces Verts");
	CU_ASSERT_STRING_EQUAL(x->postcode, "38000");
	CU_ASSERT_STRING_EQUAL(x->city, "Grenoble");
	CU_ASSERT_STRING_EQUAL(x->insee, "38185");
	CU_ASSERT_STRING_EQUAL(x->dep, "38");
	CU_ASSERT_STRING_EQUAL(x->updated, "2025-02-14");
	CU_ASSERT_EQUAL(x->npositions, 0);
	x = &res.siae.v[1];
	CU_ASSERT_STRING_EQUAL(x->siret, ""); /* null */
	CU_ASSERT_STRING_EQUAL(x->kind, "FT");
	body = test_fixture(FIX, "constructed_structures_dep38_page2.json", &len);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 3);
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	x = &res.siae.v[2];
	CU_ASSERT_STRING_EQUAL(x->kind, "ML");
	CU_ASSERT_STRING_EQUAL(x->city, "Saint-Martin-d'Hères");
	CU_ASSERT_STRING_EQUAL(x->insee, "38421");
	source_result_release(&res);
}

/* A structure without its commune's code takes its département from its
 * postcode, so that the store's reads by département find it. */
static void test_inclusion_dep_from_postcode(void)
{
	static const char body[] = "{\"items\":[{\"nom\":\"x\",\"code_insee\":null,"
				   "\"code_postal\":\"38400\"},{\"nom\":\"y\",\"code_postal\":"
				   "\"97400\"}],\"page\":1,\"pages\":1}";
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, sizeof(body) - 1, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.siae.n, 2);
	CU_ASSERT_STRING_EQUAL(res.siae.v[0].insee, "");
	CU_ASSERT_STRING_EQUAL(res.siae.v[0].dep, "38");
	CU_ASSERT_STRING_EQUAL(res.siae.v[1].dep, "974");
	source_result_release(&res);
}

/* The kind: the first of the table's order a structure's networks have. */
static void test_inclusion_kind(void)
{
	const char *a[] = {"mission-locale", "plie"};
	const char *b[] = {"restos-du-coeur"};
	const char *c[] = {"france-travail", "etti"};
	CU_ASSERT_STRING_EQUAL(inclusion_kind(a, 2), "ML");
	CU_ASSERT_STRING_EQUAL(inclusion_kind(b, 1), "AUTRE");
	CU_ASSERT_STRING_EQUAL(inclusion_kind(c, 2), "ETTI");
	CU_ASSERT_STRING_EQUAL(inclusion_kind(NULL, 0), "AUTRE");
}

static void test_inclusion_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", "invalid JSON at line 1, column 0: '[' or '{' expected near end of file"},
	    {"{\"detail\":\"Not authenticated\"}",
	     "\"items\" is missing (expected a page of data·inclusion structures)"},
	    {"{\"items\":{}}", "\"items\" is not an array"},
	    {"{\"items\":[],\"page\":1}",
	     "\"pages\" is missing or not an integer (expected a page of data·inclusion "
	     "structures)"},
	    {"{\"items\":[1],\"page\":1,\"pages\":1}", "items[0]: not an object"},
	    {"{\"items\":[{\"nom\":\"\"}],\"page\":1,\"pages\":1}",
	     "items[0]: nom is missing or empty"},
	    {"{\"items\":[{\"nom\":\"x\",\"siret\":\"123\"}],\"page\":1,\"pages\":1}",
	     "items[0]: siret \"123\" is not 14 digits"},
	    {"{\"items\":[{\"nom\":\"x\",\"reseaux_porteurs\":\"aci\"}],\"page\":1,\"pages\":1}",
	     "items[0]: reseaux_porteurs is not an array"},
	    {"{\"items\":[{\"nom\":\"x\",\"reseaux_porteurs\":[1]}],\"page\":1,\"pages\":1}",
	     "items[0]: reseaux_porteurs[0] is not a string"},
	    {"{\"items\":[{\"nom\":\"x\",\"code_insee\":\"381850\"}],\"page\":1,\"pages\":1}",
	     "items[0]: code_insee \"381850\" is too long (at most 5 bytes)"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	source_result_push_siae(&res); /* something already there stays */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s: %s", URL_38, cases[i].msg);
		CU_ASSERT_EQUAL(parse(cases[i].body, strlen(cases[i].body), &res, &err),
				TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.siae.n, 1);
		CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	}
	source_result_release(&res);
}

/* Every proper prefix of a page is an error naming the URL; the whole
 * parses (run under make sanitize). */
static void test_inclusion_every_prefix(void)
{
	static const char *const names[] = {"constructed_structures_dep38_page1.json",
					    "constructed_structures_dep38_page2.json"};
	struct source_result res;
	source_result_init(&res);
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *body = test_fixture(FIX, names[f], &len);
		test_source_every_prefix(&req, names[f], body, len, TEST_PREFIX_TRAILING_SPACE,
					 &res);
		free(body);
	}
	source_result_release(&res);
}

static void check_plan(const char *code, const char *want)
{
	test_source_check_plan(inclusion_plan, BASE, code, want, NULL, INCLUSION_DATASET,
			       SOURCE_JSON);
}

static void test_inclusion_plan(void)
{
	check_plan("com:38185", BASE "/api/v1/structures?code_commune=38185&size=1000");
	check_plan("dep:38", URL_38);
	check_plan("dep:2A", BASE "/api/v1/structures?code_departement=2A&size=1000");
	check_plan("reg:84", BASE "/api/v1/structures?code_region=84&size=1000");
	check_plan("epci:200040715", NULL);
	check_plan("fr", NULL);
}

void suite_inclusion(void)
{
	CU_pSuite s = CU_add_suite("inclusion", NULL, NULL);
	ADD_TEST(s, test_inclusion_pages);
	ADD_TEST(s, test_inclusion_dep_from_postcode);
	ADD_TEST(s, test_inclusion_kind);
	ADD_TEST(s, test_inclusion_errors);
	ADD_TEST(s, test_inclusion_every_prefix);
	ADD_TEST(s, test_inclusion_plan);
}
