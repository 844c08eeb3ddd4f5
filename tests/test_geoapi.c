/* Tests of ingest/geoapi.c.
 *
 * No geo.api.gouv.fr response was recorded; mock_communes_grenoble.json is
 * a test mock of another project whose values agree with the real
 * geography (Grenoble 38185, EPCI 200040715, population 156 389 = its
 * population in the COG 2024 package, tests/README.md); see
 * tests/fixtures/http/geoapi/PROVENANCE.md.  Payloads written inline are
 * INVENTED shapes, marked so. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/geoapi.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/geoapi/"
#define BASE   GEOAPI_BASE
#define F      "fields=nom,code,codeEpci,codeDepartement,codeRegion,population"
#define URL_38 BASE "/departements/38/communes?" F

#define fixture(name, len) test_fixture(FIX, (name), (len))

static const struct test_source_req req = {geoapi_parse,   URL_38,   NULL,
					   GEOAPI_DATASET, "dep:38", SOURCE_JSON};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

static enum status parse_str(const char *body, struct source_result *res, struct error *err)
{
	return parse(body, strlen(body), res, err);
}

static void check_grenoble(const struct source_result *res, size_t i)
{
	const struct geoapi_commune *c = &res->communes.v[i];
	CU_ASSERT_STRING_EQUAL(c->code, "38185");
	CU_ASSERT_STRING_EQUAL(c->name, "Grenoble");
	CU_ASSERT_STRING_EQUAL(c->epci, "200040715");
	CU_ASSERT_STRING_EQUAL(c->dep, "38");
	CU_ASSERT_STRING_EQUAL(c->reg, "84");
	CU_ASSERT_EQUAL(c->population, 156389);
	const struct observation *o = &res->obs.v[i];
	CU_ASSERT_STRING_EQUAL(o->territory, "com:38185");
	CU_ASSERT_STRING_EQUAL(o->indicator, "geo.population_municipale");
	CU_ASSERT_STRING_EQUAL(o->period, "current");
	CU_ASSERT_DOUBLE_EQUAL(o->value, 156389, 1e-9);
	CU_ASSERT_EQUAL(o->status, OBS_FINAL);
	CU_ASSERT_STRING_EQUAL(o->unit, "persons");
	CU_ASSERT_STRING_EQUAL(o->source, "geo");
	CU_ASSERT_STRING_EQUAL(o->dataset, GEOAPI_DATASET);
	CU_ASSERT_STRING_EQUAL(o->cog, "");
	CU_ASSERT_STRING_EQUAL(o->vintage, "");
}

/* An array (list endpoints) and an object (/communes/{code}) alike. */
static void test_geoapi_grenoble(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("mock_communes_grenoble.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.communes.n, 1);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 1);
	check_grenoble(&res, 0);
	body = fixture("derived_commune_38185.json", &len);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	free(body);
	CU_ASSERT_EQUAL_FATAL(res.communes.n, 2);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 2);
	check_grenoble(&res, 1);
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	source_result_release(&res);
}

/* INVENTED shapes: an arrondissement without population, a commune
 * without EPCI (null), Corsica, and an empty list. */
static void test_geoapi_shapes(void)
{
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(
	    parse_str("[{\"nom\":\"Paris 1er Arrondissement\",\"code\":\"75101\","
		      "\"codeDepartement\":\"75\",\"codeRegion\":\"11\"},"
		      "{\"nom\":\"Île-de-Sein\",\"code\":\"29083\",\"codeEpci\":null,"
		      "\"codeDepartement\":\"29\",\"codeRegion\":\"53\",\"population\":0},"
		      "{\"code\":\"2A004\",\"population\":70000}]",
		      &res, &err),
	    TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.communes.n, 3);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 3);
	CU_ASSERT_STRING_EQUAL(res.communes.v[0].name, "Paris 1er Arrondissement");
	CU_ASSERT_EQUAL(res.communes.v[0].population, -1);
	CU_ASSERT_STRING_EQUAL(res.communes.v[0].epci, "");
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].territory, "arm:75101");
	CU_ASSERT_EQUAL(res.obs.v[0].status, OBS_MISSING);
	CU_ASSERT(isnan(res.obs.v[0].value));
	CU_ASSERT_STRING_EQUAL(res.communes.v[1].name, "Île-de-Sein");
	CU_ASSERT_STRING_EQUAL(res.communes.v[1].epci, "");
	CU_ASSERT_EQUAL(res.communes.v[1].population, 0);
	CU_ASSERT_EQUAL(res.obs.v[1].status, OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(res.obs.v[1].value, 0, 1e-12);
	CU_ASSERT_STRING_EQUAL(res.obs.v[2].territory, "com:2A004");
	CU_ASSERT_STRING_EQUAL(res.communes.v[2].name, "");
	CU_ASSERT_STRING_EQUAL(res.communes.v[2].dep, "");
	CU_ASSERT_EQUAL(parse_str("[]", &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.communes.n, 3);
	source_result_release(&res);
}

static void test_geoapi_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", "invalid JSON at line 1, column 0: '[' or '{' expected near end of file"},
	    {"\"Grenoble\"",
	     "invalid JSON at line 1, column 10: '[' or '{' expected near '\"Grenoble\"'"},
	    {"[1]", "[0]: not an object"},
	    {"{\"nom\":\"Grenoble\"}", "code \"\" is not a commune code"},
	    {"[{\"code\":\"38185\"},{\"code\":38186}]", "[1]: code is not a string"},
	    {"[{\"code\":\"38185\",\"population\":\"156389\"}]",
	     "[0]: population is not a non-negative integer"},
	    {"[{\"code\":\"38185\",\"population\":156389.5}]",
	     "[0]: population is not a non-negative integer"},
	    {"[{\"code\":\"38185\",\"population\":-1}]",
	     "[0]: population is not a non-negative integer"},
	    {"[{\"code\":\"38185\",\"codeEpci\":\"2000407150\"}]",
	     "[0]: codeEpci \"2000407150\" is too long (at most 9 bytes)"},
	    {"[{\"code\":\"38185\",\"nom\":[\"Grenoble\"]}]", "[0]: nom is not a string"},
	    {"{\"code\":\"38185\",\"code\":\"38186\"}",
	     "invalid JSON at line 1, column 22: duplicate object key near '\"code\"'"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	source_result_push_commune(&res); /* something already there stays */
	obs_list_push(&res.obs);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s: %s", URL_38, cases[i].msg);
		CU_ASSERT_EQUAL(parse_str(cases[i].body, &res, &err), TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.communes.n, 1);
		CU_ASSERT_EQUAL(res.obs.n, 1);
	}
	source_result_release(&res);
}

/* The EPCI list of the same mock is not a commune list. */
static void test_geoapi_epci_list_refused(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("mock_epcis_grenoble.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(body, len, &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38 ": [0]: code \"200040715\" is not a commune code");
	CU_ASSERT_EQUAL(res.communes.n, 0);
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
	free(body);
}

static void test_geoapi_every_prefix(void)
{
	static const char *const names[] = {"mock_communes_grenoble.json",
					    "derived_commune_38185.json",
					    "mock_epcis_grenoble.json"};
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
	test_source_check_plan(geoapi_plan, BASE, code, want, NULL, GEOAPI_DATASET, SOURCE_JSON);
}

static void test_geoapi_plan(void)
{
	check_plan("com:38185", BASE "/communes/38185?" F);
	check_plan("arm:75101", BASE "/communes?code=75101&type=arrondissement-municipal&" F);
	check_plan("epci:200040715", BASE "/epcis/200040715/communes?" F);
	check_plan("dep:38", URL_38);
	check_plan("dep:2A", BASE "/departements/2A/communes?" F);
	check_plan("reg:84", BASE "/communes?codeRegion=84&" F);
	check_plan("fr", BASE "/communes?" F);

	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	memset(&t, 0, sizeof(t));
	t.type = TERRITORY_CUSTOM;
	snprintf(t.code, sizeof(t.code), "custom:sud");
	t.index = GEO_NONE;
	t.from = GEO_NONE;
	CU_ASSERT_EQUAL(geoapi_plan(BASE, &test_bundle()->geo, &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p.n, 0);
	source_plan_release(&p);
}

void suite_geoapi(void)
{
	CU_pSuite s = CU_add_suite("geoapi", NULL, NULL);
	ADD_TEST(s, test_geoapi_grenoble);
	ADD_TEST(s, test_geoapi_shapes);
	ADD_TEST(s, test_geoapi_errors);
	ADD_TEST(s, test_geoapi_epci_list_refused);
	ADD_TEST(s, test_geoapi_every_prefix);
	ADD_TEST(s, test_geoapi_plan);
}
