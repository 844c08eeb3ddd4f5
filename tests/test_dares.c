/* Tests of ingest/dares.c.
 *
 * tests/fixtures/http/dares/PROVENANCE.md says what is real: the zone
 * d'emploi line (2814 Lisieux, 1997-T3, ABC 5 860) is verbatim, and in the
 * commune files only Paris 75056 2024-T4 = 196 995 is real (SOURCES.md,
 * section 4); every other row there is INVENTED, and the tests check it
 * only as what the parser must return. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/dares.h"
#include "helpers.h"

#define FIX    "tests/fixtures/http/dares/"
#define BASE   DARES_BASE
#define EXPORT BASE "/api/explore/v2.1/catalog/datasets/dares_defm_communales-brutes/exports/csv"
#define URL_38 EXPORT "?delimiter=%3B&use_labels=false&where=code_departement%3D%2238%22"
#define TOTAL  "dares.defm.cat_abc.sexe_total.age_total"
#define HEADER "date;code_commune;categorie;sexe;tranche_d_age;nombre_de_demandeurs_d_emploi\n"
#define ZEHEADER                                                                                  \
	"Date;Code région;Région;Code zone d'emploi;Zone d'emploi;Type de données;Catégorie;" \
	"Sexe;Tranche d'âge;Ancienneté;Nombre de demandeurs d'emploi\n"

#define fixture(name, len) test_fixture(FIX, (name), (len))

static const struct test_source_req req = {dares_parse,	  URL_38,   NULL,
					   DARES_DATASET, "dep:38", SOURCE_CSV};
static const struct test_source_req req_ze = {dares_parse_ze,	URL_38,	  NULL,
					      DARES_ZE_DATASET, "dep:38", SOURCE_CSV};

static enum status parse(bool ze, const char *body, size_t len, struct source_result *res,
			 struct error *err)
{
	return test_source_parse(ze ? &req_ze : &req, body, len, res, err);
}

static void check_obs(const struct observation *o, const char *territory, const char *indicator,
		      const char *period, double value, enum obs_status status)
{
	CU_ASSERT_STRING_EQUAL(o->territory, territory);
	CU_ASSERT_STRING_EQUAL(o->indicator, indicator);
	CU_ASSERT_STRING_EQUAL(o->period, period);
	CU_ASSERT_EQUAL(o->status, status);
	if (status == OBS_MISSING) {
		CU_ASSERT(isnan(o->value));
	} else {
		CU_ASSERT_DOUBLE_EQUAL(o->value, value, 1e-9);
	}
	CU_ASSERT_STRING_EQUAL(o->unit, "persons");
	CU_ASSERT_STRING_EQUAL(o->source, "dares");
	CU_ASSERT_STRING_EQUAL(o->cog, "");
	CU_ASSERT_STRING_EQUAL(o->vintage, "");
}

/* The field-name export: communes, an arrondissement, Corsica, a missing
 * count, the département's total kept, the région's total skipped. */
static void test_dares_communes(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("communes_fields_partly_invented.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(false, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 6);
	const struct observation *o = res.obs.v;
	check_obs(&o[0], "com:75056", TOTAL, "2024-Q4", 196995, OBS_ROUNDED); /* real */
	CU_ASSERT_STRING_EQUAL(o[0].dataset, DARES_DATASET);
	check_obs(&o[1], "arm:75101", TOTAL, "2024-Q4", 1105, OBS_ROUNDED);
	check_obs(&o[2], "com:38185", "dares.defm.cat_abc.sexe_hommes.age_moins_de_25_ans",
		  "2024-Q4", 1230, OBS_ROUNDED);
	check_obs(&o[3], "com:38185", "dares.defm.cat_abc.sexe_femmes.age_de_25_a_49_ans",
		  "2024-Q4", 0, OBS_MISSING);
	check_obs(&o[4], "com:2A004", TOTAL, "2024-Q4", 4520, OBS_ROUNDED);
	check_obs(&o[5], "dep:38", TOTAL, "2024-Q4", 61535, OBS_ROUNDED);
	source_result_release(&res);
	free(body);
}

/* use_labels=true: the same observations from the label header. */
static void test_dares_labels(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("communes_labels_partly_invented.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(false, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 2);
	check_obs(&res.obs.v[0], "com:75056", TOTAL, "2024-Q4", 196995, OBS_ROUNDED);
	check_obs(&res.obs.v[1], "com:38185", TOTAL, "2023-Q4", 9875, OBS_ROUNDED);
	source_result_release(&res);
	free(body);
}

/* The verbatim first line of the zone d'emploi file: Lisieux. */
static void test_dares_ze(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = fixture("ze2020_trim_brut_first_line.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(true, body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 1);
	check_obs(&res.obs.v[0], "ze:2814", TOTAL, "1997-Q3", 5860, OBS_ROUNDED);
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].dataset, DARES_ZE_DATASET);
	source_result_release(&res);
	free(body);
}

/* INVENTED rows: a length of registration other than Total is part of the
 * id; a "Total" zone is skipped; the ZE parser reads no commune file, and
 * the reverse. */
static void test_dares_ze_anciennete(void)
{
	static const char body[] =
	    ZEHEADER "2026-T1;84;Auvergne-Rhône-Alpes;8416;Grenoble;Brutes;A;Femmes;Total;"
		     "Un an ou plus;1000\n"
		     "2026-T1;84;Auvergne-Rhône-Alpes;8416;Grenoble;Brutes;ABCDE;Total;Total;"
		     "Total;2000\n"
		     "2026-T1;Total;Total;Total;Total;Brutes;ABC;Total;Total;Total;3000\n";
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(true, body, strlen(body), &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 2);
	check_obs(&res.obs.v[0], "ze:8416",
		  "dares.defm.cat_a.sexe_femmes.age_total.anc_un_an_ou_plus", "2026-Q1", 1000,
		  OBS_ROUNDED);
	check_obs(&res.obs.v[1], "ze:8416", "dares.defm.cat_abcde.sexe_total.age_total", "2026-Q1",
		  2000, OBS_ROUNDED);
	CU_ASSERT_EQUAL(parse(false, body, strlen(body), &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38 ":1: missing column \"code_commune\" in the header");
	CU_ASSERT_EQUAL(res.obs.n, 2);
	CU_ASSERT_EQUAL(parse(true, HEADER, strlen(HEADER), &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38 ":1: missing column \"Date\" in the header");
	static const char bad[] = ZEHEADER "1997-T3;28;Normandie;281;Lisieux;Brutes;ABC;Total;"
					   "Total;Total;5860\n";
	CU_ASSERT_EQUAL(parse(true, bad, strlen(bad), &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38 ":2:4: \"281\" is not a zone d'emploi code (column "
					       "\"Code zone d'emploi\")");
	source_result_release(&res);
}

/* INVENTED rows: without a code_departement column a "Total" row cannot be
 * placed and is skipped; an empty file with a header is no observation. */
static void test_dares_totals(void)
{
	static const char body[] = HEADER "2024-T4;Total;ABC;Total;Total;61535\n"
					  "2024-T4;38185;ABC;Total;Total;9875\n";
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(false, body, strlen(body), &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 1);
	check_obs(&res.obs.v[0], "com:38185", TOTAL, "2024-Q4", 9875, OBS_ROUNDED);
	CU_ASSERT_EQUAL(parse(false, HEADER, strlen(HEADER), &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.obs.n, 1);
	source_result_release(&res);
}

/* Each malformed export: the exact message with its location, and the
 * result as it was. */
static void test_dares_errors(void)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
	    {"", ": empty file (expected a header line)"},
	    {"date;code_commune;categorie;sexe;tranche_d_age\n",
	     ":1: missing column \"nombre_de_demandeurs_d_emploi\" in the header"},
	    {HEADER "2024-T4;38185;ABC;Total;Total;1 230\n",
	     ":2:6: \"1 230\" is not a count (column \"nombre_de_demandeurs_d_emploi\")"},
	    {HEADER "2024-T4;38185;ABC;Total;Total;-5\n",
	     ":2:6: \"-5\" is not a count (column \"nombre_de_demandeurs_d_emploi\")"},
	    {HEADER "2024-T4;38185;ABC;Total;Total;5\n2024-Q4;38185;ABC;Total;Total;5\n",
	     ":3:1: \"2024-Q4\" is not a quarter YYYY-Tn (column \"date\")"},
	    {HEADER "2024-T5;38185;ABC;Total;Total;5\n",
	     ":2:1: \"2024-T5\" is not a quarter YYYY-Tn (column \"date\")"},
	    {HEADER "2024-T4;3818;ABC;Total;Total;5\n",
	     ":2:2: \"3818\" is not a commune code (column \"code_commune\")"},
	    {HEADER "2024-T4;38185;—;Total;Total;5\n",
	     ":2:3: \"—\" cannot be an indicator word (empty, or not Latin) (column "
	     "\"categorie\")"},
	    {HEADER "2024-T4;38185;ABC;Total;Пол;5\n",
	     ":2:5: \"Пол\" cannot be an indicator word (empty, or not Latin) (column "
	     "\"tranche_d_age\")"},
	    {"date;code_commune;type_de_donnees;categorie;sexe;tranche_d_age;"
	     "nombre_de_demandeurs_d_emploi\n2024-T4;38185;CVS;ABC;Total;Total;5\n",
	     ":2:3: \"CVS\" is not \"Brutes\" (only raw counts are read) (column "
	     "\"type_de_donnees\")"},
	    {HEADER "2024-T4;38185;ABC;Total;Total\n",
	     ":2: expected 6 fields as in the header, found 5"},
	    {HEADER "2024-T4;38185;A\"BC;Total;Total;5\n",
	     ":2:3: misplaced '\"' (expected quotes around a whole field only, and doubled "
	     "inside it) (column \"categorie\")"},
	};
	struct source_result res;
	struct error err;
	source_result_init(&res);
	obs_list_push(&res.obs); /* something already there stays */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[ERROR_MSG_MAX];
		snprintf(want, sizeof(want), "%s%s", URL_38, cases[i].msg);
		CU_ASSERT_EQUAL(parse(false, cases[i].body, strlen(cases[i].body), &res, &err),
				TERRAIN_EDATA);
		if (strcmp(err.msg, want))
			fprintf(stderr, "\ncase %zu:\n got  %s\n want %s\n", i, err.msg, want);
		CU_ASSERT_STRING_EQUAL(err.msg, want);
		CU_ASSERT_EQUAL(res.obs.n, 1);
	}
	/* a NUL byte inside a count: the CSV reader's own check */
	static const char nul[] = HEADER "2024-T4;38185;ABC;Total;Total;5\0"
					 "5\n";
	CU_ASSERT_EQUAL(parse(false, nul, sizeof(nul) - 1, &res, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, URL_38
			       ":2:6: NUL byte at byte 2 of the field (expected text) (column "
			       "\"nombre_de_demandeurs_d_emploi\")");
	CU_ASSERT_EQUAL(res.obs.n, 1);
	source_result_release(&res);
}

/* Every prefix of every payload parses or fails with a message naming the
 * URL; a failure leaves the result as it was (run under make sanitize). */
static void test_dares_every_prefix(void)
{
	static const struct {
		const char *name;
		bool ze;
	} files[] = {
	    {"communes_fields_partly_invented.csv", false},
	    {"communes_labels_partly_invented.csv", false},
	    {"ze2020_trim_brut_first_line.csv", true},
	};
	struct source_result res;
	source_result_init(&res);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		char *body = fixture(files[f].name, &len);
		test_source_every_prefix(files[f].ze ? &req_ze : &req, files[f].name, body, len,
					 TEST_PREFIX_MAY_PARSE, &res);
		free(body);
	}
	source_result_release(&res);
}

static void check_plan(const char *code, const char *want)
{
	test_source_check_plan(dares_plan, BASE, code, want, NULL, DARES_DATASET, SOURCE_CSV);
}

/* A zone d'emploi asks for the zone file, at the URL given; the parse of a
 * request of its dataset reads the zone file's layout, fourth quarters only
 * (the commune export's only quarter). */
static void test_dares_plan_ze(void)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "ze:8409", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(dares_plan(BASE, g, &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p.n, 0); /* not the commune export */
	CU_ASSERT_EQUAL(dares_plan_ze("http://127.0.0.1:1/ze.csv", &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(p.n, 1);
	CU_ASSERT_STRING_EQUAL(p.v[0].url, "http://127.0.0.1:1/ze.csv");
	CU_ASSERT_STRING_EQUAL(p.v[0].dataset, DARES_ZE_DATASET);
	CU_ASSERT_STRING_EQUAL(p.v[0].territory, "ze:8409");
	CU_ASSERT_EQUAL(p.v[0].format, SOURCE_CSV);
	struct source_result res;
	size_t len;
	/* the fourth quarters only, of every zone: the verbatim 1997-T3 line
	 * and the INVENTED 2024-T3 row are left out */
	char *body = fixture("ze2020_first_line_and_invented_q4.csv", &len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(dares_parse(&p.v[0], body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(res.obs.n, 2);
	check_obs(&res.obs.v[0], "ze:8409", TOTAL, "2024-Q4", 41000, OBS_ROUNDED);
	check_obs(&res.obs.v[1], "ze:2814", TOTAL, "2024-Q4", 6000, OBS_ROUNDED);
	source_result_release(&res);
	free(body);
	source_plan_release(&p);
	/* any other territory adds nothing */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, "38185", NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(dares_plan_ze("http://127.0.0.1:1/ze.csv", &t, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(p.n, 0);
	source_plan_release(&p);
}

static void test_dares_plan(void)
{
	check_plan("com:38185",
		   EXPORT "?delimiter=%3B&use_labels=false&where=code_commune%3D%2238185%22");
	check_plan("arm:75101",
		   EXPORT "?delimiter=%3B&use_labels=false&where=code_commune%3D%2275101%22");
	check_plan("dep:38", URL_38);
	check_plan("dep:2A",
		   EXPORT "?delimiter=%3B&use_labels=false&where=code_departement%3D%222A%22");
	check_plan("reg:84", EXPORT "?delimiter=%3B&use_labels=false&where=code_region%3D%2284%22");
	check_plan("epci:200040715", NULL);
	check_plan("fr", NULL);
}

void suite_dares(void)
{
	CU_pSuite s = CU_add_suite("dares", NULL, NULL);
	ADD_TEST(s, test_dares_communes);
	ADD_TEST(s, test_dares_labels);
	ADD_TEST(s, test_dares_ze);
	ADD_TEST(s, test_dares_ze_anciennete);
	ADD_TEST(s, test_dares_totals);
	ADD_TEST(s, test_dares_errors);
	ADD_TEST(s, test_dares_every_prefix);
	ADD_TEST(s, test_dares_plan);
	ADD_TEST(s, test_dares_plan_ze);
}
