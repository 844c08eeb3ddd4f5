/* Tests of ingest/francetravail.c.
 *
 * No response of the France Travail API was recorded.  The payloads
 * named constructed_*.json under tests/fixtures/http/francetravail/ are
 * CONSTRUCTED from the documented field names, with INVENTED values (see
 * PROVENANCE.md there); the numbers below are what the parser must return
 * for them, not facts.  request_body_pilotage_airflow.json is the request
 * body of a real client (keys and values verbatim). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/francetravail.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/francetravail/"
#define BASE   FRANCETRAVAIL_BASE
#define URL    BASE "/indicateur/stat-demandeurs"
#define SECRET "s3cr&t=+/é %"

#define fixture(name, len) test_fixture(FIX, (name), (len))

static const struct test_source_req req = {francetravail_parse,	  URL,	    "{}",
					   FRANCETRAVAIL_DATASET, "dep:38", SOURCE_JSON};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

static enum status parse_str(const char *body, struct source_result *res, struct error *err)
{
	return parse(body, strlen(body), res, err);
}

static void check_obs(const struct observation *o, const char *territory, const char *indicator,
		      const char *period, double value, enum obs_status status, const char *vintage)
{
	CU_ASSERT_STRING_EQUAL(o->territory, territory);
	CU_ASSERT_STRING_EQUAL(o->indicator, indicator);
	CU_ASSERT_STRING_EQUAL(o->period, period);
	CU_ASSERT_EQUAL(o->status, status);
	if (status == OBS_MISSING || status == OBS_SECRET) {
		CU_ASSERT(isnan(o->value));
	} else {
		CU_ASSERT_DOUBLE_EQUAL(o->value, value, 1e-9);
	}
	CU_ASSERT_STRING_EQUAL(o->vintage, vintage);
	CU_ASSERT_STRING_EQUAL(o->unit, "persons");
	CU_ASSERT_STRING_EQUAL(o->source, "francetravail");
	CU_ASSERT_STRING_EQUAL(o->dataset, FRANCETRAVAIL_DATASET);
	CU_ASSERT_STRING_EQUAL(o->cog, "");
}

#define CAT_A "francetravail.demandeurs.cat_A"

static void test_francetravail_constructed(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("constructed_stat_demandeurs_dep38.json", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 6);
	const struct observation *o = res.obs.v;
	check_obs(&o[0], "dep:38", CAT_A, "2025-Q4", 50000, OBS_FINAL, "2026-01-28");
	check_obs(&o[1], "dep:38", CAT_A ".GENRE=1", "2025-Q4", 26000, OBS_FINAL, "2026-01-28");
	check_obs(&o[2], "dep:38", CAT_A ".GENRE=2", "2025-Q4", 24000, OBS_FINAL, "2026-01-28");
	check_obs(&o[3], "dep:38", CAT_A ".TRANCHE_AGE=MOINS25", "2025-Q4", 0, OBS_SECRET,
		  "2026-01-28");
	/* no datMaj of its own: the response's */
	check_obs(&o[4], "dep:38", "francetravail.demandeurs.cat_ABC", "2025-Q3", 90000, OBS_FINAL,
		  "2026-01-28");
	/* "28/01/2026"; a null value */
	check_obs(&o[5], "dep:38", "francetravail.demandeurs.cat_B", "2025-Q4", 0, OBS_MISSING,
		  "2026-01-28");
	source_result_release(&res);
	free(body);
}

/* INVENTED shapes: the other period forms, territories and activities. */
static void test_francetravail_forms(void)
{
	static const struct {
		const char *type, *code, *period, *activity, *territory, *want_period, *indicator;
	} cases[] = {
	    {"DEP", "2A", "2025-T4", "CUMUL", "dep:2A", "2025-Q4",
	     "francetravail.demandeurs.cat_A"},
	    {"REG", "84", "2025Q1", "", "reg:84", "2025-Q1", "francetravail.demandeurs.cat_A"},
	    {"NAT", "FR", "2025-Q2", "CUMUL", "fr", "2025-Q2", "francetravail.demandeurs.cat_A"},
	    {"NAT", "FR", "2025", "CUMUL", "fr", "2025", "francetravail.demandeurs.cat_A"},
	    {"NAT", "FR", "202512", "CUMUL", "fr", "2025-12", "francetravail.demandeurs.cat_A"},
	    {"NAT", "FR", "2025-12", "M1203", "fr", "2025-12",
	     "francetravail.demandeurs.cat_A.act_M1203"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf body = STRBUF_INIT;
		strbuf_addf(&body,
			    "{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"%s\","
			    "\"codeTerritoire\":\"%s\",\"codeActivite\":\"%s\","
			    "\"codeNomenclature\":\"A\",\"codePeriode\":\"%s\","
			    "\"valeurPrincipaleNombre\":1000.0}]}",
			    cases[i].type, cases[i].code, cases[i].activity, cases[i].period);
		CU_ASSERT_EQUAL_FATAL(parse_str(body.buf, &res, &err), TERRAIN_OK);
		CU_ASSERT_EQUAL_FATAL(res.obs.n, i + 1);
		check_obs(&res.obs.v[i], cases[i].territory, cases[i].indicator,
			  cases[i].want_period, 1000, OBS_FINAL, "");
		strbuf_release(&body);
	}
	/* masque spelled as text or numbers */
	CU_ASSERT_EQUAL_FATAL(
	    parse_str(
		"{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"DEP\","
		"\"codeTerritoire\":\"38\",\"codeNomenclature\":\"A\",\"codePeriode\":"
		"\"2025T4\",\"listeValeurParCaract\":["
		"{\"codeTypeCaract\":\"G\",\"codeCaract\":\"1\",\"nombre\":5,\"masque\":\"O\"},"
		"{\"codeTypeCaract\":\"G\",\"codeCaract\":\"2\",\"nombre\":6,\"masque\":\"non\"},"
		"{\"codeTypeCaract\":\"G\",\"codeCaract\":\"3\",\"nombre\":7,\"masque\":1},"
		"{\"codeTypeCaract\":\"G\",\"codeCaract\":\"4\",\"nombre\":8,\"masque\":null}"
		"]}]}",
		&res, &err),
	    TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 11);
	CU_ASSERT_EQUAL(res.obs.v[6].status, OBS_MISSING); /* no valeurPrincipaleNombre */
	CU_ASSERT_EQUAL(res.obs.v[7].status, OBS_SECRET);
	CU_ASSERT(isnan(res.obs.v[7].value));
	CU_ASSERT_EQUAL(res.obs.v[8].status, OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(res.obs.v[8].value, 6, 1e-12);
	CU_ASSERT_EQUAL(res.obs.v[9].status, OBS_SECRET);
	CU_ASSERT_EQUAL(res.obs.v[10].status, OBS_FINAL);
	CU_ASSERT_STRING_EQUAL(res.obs.v[10].indicator, CAT_A ".G=4");
	source_result_release(&res);
}

#define ONE(fields)                                                                        \
	"{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":" \
	"\"38\",\"codeNomenclature\":\"A\"," fields "}]}"

static void test_francetravail_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", "invalid JSON at line 1, column 0: '[' or '{' expected near end of file"},
	    {"{\"codeIndicateur\":\"DEMANDEURS\"}",
	     "\"listeValeursParPeriode\" is missing (expected a stat-demandeurs response)"},
	    {"[]", "\"listeValeursParPeriode\" is missing (expected a stat-demandeurs response)"},
	    {"{\"listeValeursParPeriode\":{}}", "\"listeValeursParPeriode\" is not an array"},
	    {"{\"datMaj\":1,\"listeValeursParPeriode\":[]}", "datMaj is not a string"},
	    {"{\"listeValeursParPeriode\":[1]}", "listeValeursParPeriode[0]: not an object"},
	    {ONE("\"codePeriode\":\"T4 2025\""),
	     "listeValeursParPeriode[0]: codePeriode \"T4 2025\" is not a quarter, month or year"},
	    {ONE("\"codePeriode\":\"2025T5\""),
	     "listeValeursParPeriode[0]: codePeriode \"2025T5\" is not a quarter, month or year"},
	    {ONE("\"codePeriode\":\"2025-13\""),
	     "listeValeursParPeriode[0]: codePeriode \"2025-13\" is not a quarter, month or year"},
	    {"{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"COM\",\"codeTerritoire\":"
	     "\"38185\",\"codeNomenclature\":\"A\",\"codePeriode\":\"2025T4\"}]}",
	     "listeValeursParPeriode[0]: codeTypeTerritoire \"COM\" is not DEP, REG or NAT"},
	    {"{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":"
	     "\"\",\"codeNomenclature\":\"A\",\"codePeriode\":\"2025T4\"}]}",
	     "listeValeursParPeriode[0]: codeTerritoire \"\" is not a code"},
	    {"{\"listeValeursParPeriode\":[{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":"
	     "\"38\",\"codeNomenclature\":\"A.B\",\"codePeriode\":\"2025T4\"}]}",
	     "listeValeursParPeriode[0]: codeNomenclature \"A.B\" is not a code"},
	    {ONE("\"codePeriode\":\"2025T4\",\"valeurPrincipaleNombre\":\"50000\""),
	     "listeValeursParPeriode[0]: valeurPrincipaleNombre is not a number"},
	    {ONE("\"codePeriode\":\"2025T4\",\"listeValeurParCaract\":{}"),
	     "listeValeursParPeriode[0]: listeValeurParCaract is not an array"},
	    {ONE("\"codePeriode\":\"2025T4\",\"listeValeurParCaract\":[{\"codeTypeCaract\":"
		 "\"GENRE\",\"codeCaract\":\"1\",\"nombre\":5,\"masque\":\"peut-etre\"}]"),
	     "listeValeursParPeriode[0]: listeValeurParCaract[0]: masque is not a yes/no value"},
	    {ONE("\"codePeriode\":\"2025T4\",\"listeValeurParCaract\":[{\"codeTypeCaract\":"
		 "\"GENRE\",\"codeCaract\":\"1=2\",\"nombre\":5}]"),
	     "listeValeursParPeriode[0]: listeValeurParCaract[0]: codeCaract \"1=2\" is not a "
	     "code"},
	    {ONE("\"codePeriode\":\"2025T4\",\"listeValeurParCaract\":[{\"codeTypeCaract\":"
		 "\"GENRE\",\"codeCaract\":\"1\",\"nombre\":true}]"),
	     "listeValeursParPeriode[0]: listeValeurParCaract[0]: nombre is not a number"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	obs_list_push(&res.obs); /* something already there stays */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s: %s", URL, cases[i].msg);
		CU_ASSERT_EQUAL(parse_str(cases[i].body, &res, &err), TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.obs.n, 1);
	}
	source_result_release(&res);
}

static void test_francetravail_every_prefix(void)
{
	static const char name[] = "constructed_stat_demandeurs_dep38.json";
	struct source_result res;
	size_t len;
	char *body = fixture(name, &len);
	source_result_init(&res);
	test_source_every_prefix(&req, name, body, len, TEST_PREFIX_TRAILING_SPACE, &res);
	source_result_release(&res);
	free(body);
}

static void check_plan(const char *code, const char *want_body)
{
	test_source_check_plan(francetravail_plan, BASE, code, want_body ? URL : NULL, want_body,
			       FRANCETRAVAIL_DATASET, SOURCE_JSON);
}

#define REST                                                                             \
	"\"codeTypeActivite\":\"CUMUL\",\"codeActivite\":\"CUMUL\",\"codeTypePeriode\":" \
	"\"TRIMESTRE\",\"codeTypeNomenclature\":\"CATCAND\",\"dernierePeriode\":false}"
#define DEP38 "{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":\"38\"," REST

static void test_francetravail_plan(void)
{
	check_plan("dep:38", DEP38);
	check_plan("dep:2A", "{\"codeTypeTerritoire\":\"DEP\",\"codeTerritoire\":\"2A\"," REST);
	check_plan("reg:84", "{\"codeTypeTerritoire\":\"REG\",\"codeTerritoire\":\"84\"," REST);
	check_plan("fr", "{\"codeTypeTerritoire\":\"NAT\",\"codeTerritoire\":\"FR\"," REST);
	check_plan("com:38185", NULL);
	check_plan("arm:75101", NULL);
	check_plan("epci:200040715", NULL);

	/* the same JSON as the body a real client sends for Isère */
	size_t len;
	char *recorded = fixture("request_body_pilotage_airflow.json", &len);
	json_t *a = json_loads(recorded, 0, NULL);
	json_t *b = json_loads(DEP38, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	free(recorded);
}

static void test_francetravail_token_body(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "left over");
	francetravail_token_body("PAR_terrain_0123", SECRET, FRANCETRAVAIL_SCOPE, &sb);
	CU_ASSERT_STRING_EQUAL(
	    sb.buf, "grant_type=client_credentials&client_id=PAR_terrain_0123"
		    "&client_secret=s3cr%26t%3D%2B%2F%C3%A9%20%25"
		    "&scope=api_stats-offres-demandes-emploiv1%20offresetdemandesemploi");
	strbuf_release(&sb);
}

static void test_francetravail_token(void)
{
	struct strbuf token = STRBUF_INIT;
	struct error err;
	long expires = -1;
	size_t len;
	char *body = fixture("constructed_token.json", &len);
	CU_ASSERT_EQUAL(francetravail_parse_token(body, len, &token, &expires, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(token.buf, "INVENTED-token_0123456789abcdef");
	CU_ASSERT_EQUAL(expires, 1499);
	free(body);

	static const char str_exp[] = "{\"access_token\":\"abc\",\"expires_in\":\"3600\"}";
	CU_ASSERT_EQUAL(francetravail_parse_token(str_exp, strlen(str_exp), &token, &expires, &err),
			TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(token.buf, "abc");
	CU_ASSERT_EQUAL(expires, 3600);
	static const char no_exp[] = "{\"access_token\":\"abc\",\"token_type\":\"bearer\"}";
	CU_ASSERT_EQUAL(francetravail_parse_token(no_exp, strlen(no_exp), &token, &expires, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(expires, 0);
	strbuf_release(&token);
}

/* Each bad answer: the exact message, which never repeats the body (here
 * holding the secret, as a misbehaving server might echo it). */
static void test_francetravail_token_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"client_secret=" SECRET, "invalid JSON at line 1, column 6"},
	    {"{\"access_token\":\"" SECRET "\"", "invalid JSON at line 1, column 30"},
	    {"[\"" SECRET "\"]", "not a JSON object"},
	    {"{\"error\":\"invalid_client\",\"error_description\":\"" SECRET "\"}",
	     "error \"invalid_client\""},
	    {"{\"error\":\"" SECRET "\"}", "an error (not a standard OAuth2 code)"},
	    {"{\"token\":\"" SECRET "\"}", "no access_token"},
	    {"{\"access_token\":\"" SECRET "\"}",
	     "access_token is not 1 to 8192 visible ASCII characters"},
	    {"{\"access_token\":\"abc\\r\\nX-Injected: 1\"}",
	     "access_token is not 1 to 8192 visible ASCII characters"},
	    {"{\"access_token\":\"\"}", "access_token is not 1 to 8192 visible ASCII characters"},
	    {"{\"access_token\":\"abc\",\"token_type\":\"" SECRET "\"}",
	     "token_type is not \"Bearer\""},
	    {"{\"access_token\":\"abc\",\"expires_in\":-5}",
	     "expires_in is not a number of seconds"},
	    {"{\"access_token\":\"abc\",\"expires_in\":\"" SECRET "\"}",
	     "expires_in is not a number of seconds"},
	    {"{\"access_token\":\"abc\",\"expires_in\":1.5}",
	     "expires_in is not a number of seconds"},
	};
	struct strbuf token = STRBUF_INIT;
	struct error err;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		long expires = -1;
		strbuf_addstr(&token, "stale");
		snprintf(want, sizeof(want), "france travail token response: %s", cases[i].msg);
		CU_ASSERT_EQUAL(francetravail_parse_token(cases[i].body, strlen(cases[i].body),
							  &token, &expires, &err),
				TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_PTR_NULL(strstr(err.msg, "s3cr"));
		CU_ASSERT_STRING_EQUAL(token.buf, "");
		CU_ASSERT_EQUAL(expires, 0);
	}
	strbuf_release(&token);
}

/* Every prefix of the token answer: an error that quotes none of it. */
static void test_francetravail_token_every_prefix(void)
{
	struct strbuf token = STRBUF_INIT;
	struct error err;
	size_t len;
	char *body = fixture("constructed_token.json", &len);
	for (size_t n = 0; n < len; n++) {
		char *cut = malloc(n ? n : 1); /* exactly n bytes, for ASan */
		long expires;
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		memcpy(cut, body, n);
		enum status st = francetravail_parse_token(cut, n, &token, &expires, &err);
		free(cut);
		if (st == TERRAIN_OK && strspn(body + n, " \n") == len - n)
			continue;
		if (st != TERRAIN_EDATA || strstr(err.msg, "INVENTED") || strstr(err.msg, "api_")) {
			fprintf(stderr, "\ncut at %zu: status %d\n", n, (int)st);
			CU_FAIL("a proper prefix must be an error that quotes nothing");
			break;
		}
	}
	strbuf_release(&token);
	free(body);
}

void suite_francetravail(void)
{
	CU_pSuite s = CU_add_suite("francetravail", NULL, NULL);
	ADD_TEST(s, test_francetravail_constructed);
	ADD_TEST(s, test_francetravail_forms);
	ADD_TEST(s, test_francetravail_errors);
	ADD_TEST(s, test_francetravail_every_prefix);
	ADD_TEST(s, test_francetravail_plan);
	ADD_TEST(s, test_francetravail_token_body);
	ADD_TEST(s, test_francetravail_token);
	ADD_TEST(s, test_francetravail_token_errors);
	ADD_TEST(s, test_francetravail_token_every_prefix);
}
