/* Loading the bundled datasets: provenance, conversion counts, finding the
 * folder, and errors in a damaged copy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../ingest/responses.h"
#include "helpers.h"

static void test_bundle_provenance_and_conversion(void)
{
	const struct bundle *b = test_bundle();
	const struct provenance *p = bundle_provenance(b, "census/comparateur_communes.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->geography, "2024");
	CU_ASSERT_STRING_EQUAL(p->licence, "Licence Ouverte 2.0");
	CU_ASSERT_STRING_EQUAL(p->retrieved, "2026-11-28");
	CU_ASSERT_PTR_NULL(bundle_provenance(b, "nope.csv"));
	CU_ASSERT_PTR_EQUAL(b->census.prov, p);
	CU_ASSERT_EQUAL(b->census.cog, 2024);
	/* the 68 codes merged in COG 2025 are summed into their 2026 commune */
	CU_ASSERT_EQUAL(b->census.nsource, 34976);
	CU_ASSERT_EQUAL(b->census.nmerged, 68);
	CU_ASSERT_EQUAL(b->census.nunknown, 0);
	/* 210 384 package rows less the 6 × 6 without a population */
	CU_ASSERT_EQUAL(b->pop_cog.nsource, 210384 - 36);
	CU_ASSERT_PTR_NOT_NULL(b->pop_cog.prov);
}

static void test_bundle_find_dir(void)
{
	struct error err;
	char *dir = NULL;
	CU_ASSERT_EQUAL(bundle_find_dir(test_datadir(), &dir, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(dir, test_datadir());
	free(dir);
	CU_ASSERT_EQUAL(bundle_find_dir("/nonexistent", &dir, &err), TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "--datadir \"/nonexistent\" holds no datasets (expected "
					"geo/communes.csv in it)");
	CU_ASSERT_PTR_NULL(dir);
	/* the environment, when no folder is given */
	CU_ASSERT_EQUAL(bundle_find_dir(NULL, &dir, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(dir, test_datadir());
	free(dir);
}

/* A copy of the datasets whose geography is the real one (linked) and whose
 * sources.csv and census file are given. */
static const char *damaged(const char *sources, const char *census)
{
	const char *dir = test_tmpdir();
	struct strbuf p = STRBUF_INIT, real = STRBUF_INIT;
	struct error err;
	char *abs = realpath(test_datadir(), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
	strbuf_addf(&real, "%s/geo", abs);
	strbuf_addf(&p, "%s/geo", dir);
	CU_ASSERT_FATAL(symlink(real.buf, p.buf) == 0);
	static const char *const linked[] = {"bdm", "responses"};
	for (size_t i = 0; i < 2; i++) {
		strbuf_reset(&real);
		strbuf_reset(&p);
		strbuf_addf(&real, "%s/%s", abs, linked[i]);
		strbuf_addf(&p, "%s/%s", dir, linked[i]);
		CU_ASSERT_FATAL(symlink(real.buf, p.buf) == 0);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/census", dir);
	CU_ASSERT_FATAL(fileio_mkdirs(p.buf, &err) == TERRAIN_OK);
	strbuf_addstr(&p, "/comparateur_communes.csv");
	test_write_file(p.buf, census);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/sources.csv", dir);
	test_write_file(p.buf, sources);
	strbuf_release(&p);
	strbuf_release(&real);
	free(abs);
	return dir;
}

#define SOURCES_HEADER "file;source;dataset;vintage;geography;url;licence;retrieved\n"
#define SOURCES_GEO    "geo/communes.csv;s;d;v;2026;u;l;r\n"
#define SOURCES_CENSUS "census/comparateur_communes.csv;s;d;v;2024;u;l;r\n"
#define SOURCES_BDM    "bdm/taux_chomage_localise.csv;s;d;v;2026;u;l;r\n"
#define CENSUS_HEADER                                                                         \
	"code;kind;name;dep;reg;superficie_km2;population_2015;population_2021;menages_2021;" \
	"naissances_2022;deces_2022;pop_15_64_totale_2021;pop_15_64_chomage_2021;"            \
	"pop_15_64_active_2021\n"

static void check_load(const char *sources, const char *census, enum status want_st,
		       const char *want_suffix)
{
	struct bundle b;
	struct error err;
	const char *dir = damaged(sources, census);
	enum status st = bundle_load(&b, dir, &err);
	CU_ASSERT_EQUAL(st, want_st);
	if (st == TERRAIN_OK) {
		bundle_release(&b);
		return;
	}
	CU_ASSERT_EQUAL(strncmp(err.msg, dir, strlen(dir)), 0);
	CU_ASSERT_STRING_EQUAL(err.msg + strlen(dir), want_suffix);
	if (strcmp(err.msg + strlen(dir), want_suffix))
		fprintf(stderr, "\ngot: %s\nwant: DIR%s\n", err.msg, want_suffix);
}

static void test_bundle_load_errors(void)
{
	/* a row of made-up figures for Grenoble, to test the reader only */
	static const char census_ok[] = CENSUS_HEADER "38185;COM;G;38;84;18.13;1;2;3;4;5;6;7;8\n";
	check_load(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS SOURCES_BDM, census_ok, TERRAIN_OK,
		   "");
	check_load(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS, census_ok, TERRAIN_EDATA,
		   "/sources.csv: no row for \"bdm/taux_chomage_localise.csv\" (every dataset "
		   "file needs its provenance)");
	check_load(SOURCES_HEADER SOURCES_GEO, census_ok, TERRAIN_EDATA,
		   "/sources.csv: no row for \"census/comparateur_communes.csv\" (every dataset "
		   "file needs its provenance)");
	check_load(SOURCES_HEADER SOURCES_CENSUS, census_ok, TERRAIN_EDATA,
		   "/sources.csv: no row for \"geo/communes.csv\" (every dataset file needs its "
		   "provenance)");
	check_load(
	    SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS,
	    CENSUS_HEADER "38185;COM;G;38;84;18.13;1;2;3;4;5;6;-7;8\n", TERRAIN_EDATA,
	    "/census/comparateur_communes.csv:2:13: \"-7\" is not a count (expected a whole number "
	    "from 0 to 100000000, or empty) (column \"pop_15_64_chomage_2021\")");
	check_load(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS, "code;kind;name\n38185;COM;G\n",
		   TERRAIN_EDATA,
		   "/census/comparateur_communes.csv:1: missing column \"superficie_km2\" in the "
		   "header");
	check_load(
	    SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS,
	    CENSUS_HEADER "38185;COM;G;38;84;18.13;1;2;3;4;5;6;1e308;8\n", TERRAIN_EDATA,
	    "/census/comparateur_communes.csv:2:13: \"1e308\" is not a count (expected a "
	    "whole number from 0 to 100000000, or empty) (column \"pop_15_64_chomage_2021\")");
	check_load(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS,
		   CENSUS_HEADER "38185;COM;G;38;84;18.13;1.5;2;3;4;5;6;7;8\n", TERRAIN_EDATA,
		   "/census/comparateur_communes.csv:2:7: \"1.5\" is not a count (expected a "
		   "whole number from 0 to 100000000, or empty) (column \"population_2015\")");
	check_load(
	    SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS,
	    CENSUS_HEADER "38185;COM;G;38;84;x;1;2;3;4;5;6;7;8\n", TERRAIN_EDATA,
	    "/census/comparateur_communes.csv:2:6: \"x\" is not an area (expected km² from 0 "
	    "to 100000, or empty) (column \"superficie_km2\")");
	/* the same code twice would count it twice; a former code and its
	 * successor (01039 and 01138) add up */
	check_load(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS,
		   CENSUS_HEADER "01039;COM;B;01;84;1;1;1;1;1;1;1;1;1\n"
				 "01138;COM;C;01;84;1;1;1;1;1;1;1;1;1\n"
				 "38185;COM;G;38;84;1;1;1;1;1;1;1;1;1\n"
				 "38185;COM;G;38;84;1;1;1;1;1;1;1;1;1\n",
		   TERRAIN_EDATA,
		   "/census/comparateur_communes.csv:5:1: code \"38185\" appears twice (first on "
		   "line 4; expected one row per code) (column \"code\")");
	check_load(SOURCES_HEADER "geo/communes.csv;s;d;v\n", census_ok, TERRAIN_EDATA,
		   "/sources.csv:2: expected 8 fields as in the header, found 4");
}

static void test_bundle_series(void)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* 115 series x 8 quarters, as ../shared/data/insee_bdm/taux_chomage_localise.csv */
	CU_ASSERT_EQUAL(b->series.n, 920);
	size_t found = 0;
	for (size_t i = 0; i < b->series.n; i++) {
		const struct observation *o = &b->series.v[i];
		if (!strcmp(o->territory, "dep:38") && !strcmp(o->period, "2026-Q1")) {
			/* Isère 2026-Q1: 6.6, semi-definitive (OBS_STATUS SD) */
			CU_ASSERT_DOUBLE_EQUAL(o->value, 6.6, 1e-12);
			CU_ASSERT_EQUAL(o->status, OBS_PROVISIONAL);
			CU_ASSERT_STRING_EQUAL(o->dataset, "001515903");
			CU_ASSERT_STRING_EQUAL(o->indicator, "bdm.taux_chomage_localise");
			found++;
		} else if (!strcmp(o->territory, "frm") && !strcmp(o->period, "2025-Q4")) {
			CU_ASSERT_DOUBLE_EQUAL(o->value, 7.7, 1e-12); /* France métropolitaine */
			CU_ASSERT_EQUAL(o->status, OBS_FINAL);
			found++;
		} else if (!strcmp(o->territory, "reg:84") && !strcmp(o->period, "2026-Q1")) {
			CU_ASSERT_DOUBLE_EQUAL(o->value, 7.0, 1e-12); /* Auvergne-Rhône-Alpes */
			found++;
		}
	}
	CU_ASSERT_EQUAL(found, 3);
	/* ordered by indicator, territory, period: indicators_compute looks a
	 * territory's series up by range (the file is in idbank order) */
	size_t unordered = 0;
	for (size_t i = 1; i < b->series.n; i++) {
		const struct observation *x = &b->series.v[i - 1], *y = &b->series.v[i];
		int c = strcmp(x->indicator, y->indicator);
		if (!c)
			c = strcmp(x->territory, y->territory);
		if (!c)
			c = strcmp(x->period, y->period);
		unordered += c >= 0;
	}
	CU_ASSERT_EQUAL(unordered, 0);
	CU_ASSERT_PTR_NOT_NULL(bundle_provenance(b, "bdm/taux_chomage_localise.csv"));
}

/* The responses of the "Pistes d'amélioration": the bundled table, a
 * source for every row. */
static void test_bundle_responses(void)
{
	const struct bundle *b = test_bundle();
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(b->responses.n, 9);
	const struct response *r = &b->responses.v[0];
	CU_ASSERT_EQUAL(r->theme, THEME_EMPLOYMENT);
	CU_ASSERT_STRING_EQUAL(r->family_fr, "insertion par l'activité économique");
	CU_ASSERT_STRING_EQUAL(r->source_fr, "Code du travail, art. L5132-1");
	CU_ASSERT_STRING_EQUAL(r->source_en, "French Labour Code, article L5132-1");
	CU_ASSERT_EQUAL(r->line, 5); /* after three # lines and the header */
	size_t themes[THEME_COUNT] = {0};
	for (size_t i = 0; i < b->responses.n; i++) {
		themes[b->responses.v[i].theme]++;
		CU_ASSERT_EQUAL(
		    strncmp(b->responses.v[i].url, "https://www.legifrance.gouv.fr/", 31), 0);
	}
	/* every theme the catalogue can find unfavourable has a response */
	CU_ASSERT(themes[THEME_EMPLOYMENT] && themes[THEME_INCOME_POVERTY] && themes[THEME_YOUTH] &&
		  themes[THEME_FAMILIES] && themes[THEME_EDUCATION]);
}

#define RESPONSES_HEADER                                                                 \
	"theme;public_fr;public_en;family_fr;family_en;schemes_fr;schemes_en;source_fr;" \
	"source_en;url\n"
#define RESPONSES_ROW "youth;p;p;f;f;s;s;c;c;https://x/\n"

static void check_responses(const char *text, const char *want)
{
	struct responses r;
	struct error err;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/responses.csv", test_tmpdir());
	test_write_file(path.buf, text);
	CU_ASSERT_EQUAL(responses_load(path.buf, &r, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "responses.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest + 13, want);
	if (strcmp(rest + 13, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...responses.csv%s\n", err.msg, want);
	CU_ASSERT_EQUAL(r.n, 0);
	strbuf_release(&path);
}

static void test_bundle_responses_errors(void)
{
	check_responses("# a comment\n" RESPONSES_HEADER RESPONSES_ROW
			"jobs;p;p;f;f;s;s;c;c;https://x/\n",
			":4:1: unknown theme \"jobs\" (expected employment, income_poverty, youth, "
			"ageing, families, education, housing or demography) (column \"theme\")");
	check_responses(RESPONSES_HEADER "youth;p;p;f;f;s;s;;c;https://x/\n",
			":2:8: empty source_fr (expected the text in its language, or the "
			"source) (column \"source_fr\")");
	check_responses(RESPONSES_HEADER "youth;p;;f;f;s;s;c;c;https://x/\n",
			":2:3: empty public_en (expected the text in its language, or the "
			"source) (column \"public_en\")");
	check_responses(RESPONSES_HEADER "youth;p;p;f;f;s;s;c;c;http://x/\n",
			":2:10: bad url \"http://x/\" (expected https://, without spaces, <, > "
			"or \\) (column \"url\")");
	/* a > would end the note's link early */
	check_responses(RESPONSES_HEADER "youth;p;p;f;f;s;s;c;c;https://x/a>b\n",
			":2:10: bad url \"https://x/a>b\" (expected https://, without spaces, <, > "
			"or \\) (column \"url\")");
	check_responses(RESPONSES_HEADER RESPONSES_ROW RESPONSES_ROW,
			":3:4: \"f\" is given twice for youth (first on line 2) (column "
			"\"family_fr\")");
	check_responses("theme;public_fr\nyouth;p\n",
			":1: missing column \"public_en\" in the header");
	/* the same family for two themes is fine */
	struct responses r;
	struct error err;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/responses.csv", test_tmpdir());
	test_write_file(path.buf,
			RESPONSES_HEADER RESPONSES_ROW "families;p;p;f;f;s;s;c;c;https://x/\n");
	CU_ASSERT_EQUAL_FATAL(responses_load(path.buf, &r, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(r.n, 2);
	CU_ASSERT_EQUAL(r.v[1].theme, THEME_FAMILIES);
	responses_release(&r);
	strbuf_release(&path);
}

/* Filosofi 2021, read on first use: each expected value checked against
 * the shared file with grep (../shared/data/filosofi/cc_filosofi_2021_COM.csv,
 * `grep '^38185;'`: MED21 22140, TP6021 21,0, D121 10510, NBPERSMENFISC21
 * 136136; filosofi_2021_epci.csv `grep '^200040715;'`: MED_SL 23940,
 * PR_MD60 15; `grep '^01001;'`: 25820 then s everywhere; `grep '^09304;'`:
 * nd everywhere). */
#define F_MED "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=MED_SL"
#define F_POV "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60"

static void test_bundle_filosofi(void)
{
	const struct bundle *b = test_bundle();
	const struct indicators_published *p, *again;
	struct error err;
	double v;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(bundle_filosofi(b, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(bundle_filosofi(b, &again, &err), TERRAIN_OK);
	CU_ASSERT_PTR_EQUAL(p, again); /* read once */
	CU_ASSERT_STRING_EQUAL(p->period, "2021");
	size_t med = indicators_published_col(p, F_MED), pov = indicators_published_col(p, F_POV),
	       d1 = indicators_published_col(p, "filosofi.D1_SL"),
	       age1 = indicators_published_col(p, "filosofi.TP60AGE1");
	CU_ASSERT_FATAL(med != GEO_NONE && pov != GEO_NONE && d1 != GEO_NONE && age1 != GEO_NONE);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:38185", med, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 22140, 0);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:38185", pov, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 21.0, 0);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:38185", d1, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 10510, 0);
	/* the poverty rate's base: the persons of fiscal households */
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:38185", p->base[pov], &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 136136, 0);
	/* the EPCI's own published value */
	CU_ASSERT_EQUAL(indicators_published_get(p, "epci:200040715", pov, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 15, 0);
	CU_ASSERT_EQUAL(indicators_published_get(p, "epci:200040715", med, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 23940, 0);
	/* not published by age of the referent for EPCI */
	CU_ASSERT_EQUAL(indicators_published_get(p, "epci:200040715", age1, &v), INDICATORS_ABSENT);
	/* secret stays secret, nd stays not available: never 0 */
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:01001", med, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 25820, 0);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:01001", pov, &v), OBS_SECRET);
	CU_ASSERT(isnan(v));
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:09304", med, &v), OBS_MISSING);
	CU_ASSERT(isnan(v));
	/* no département in Filosofi's files; Saint-Denis 93066 absorbed
	 * Pierrefitte 93059 on 2025-01-01: its geo-2024 value is not the
	 * 2026 commune's, left out by build.py */
	CU_ASSERT_EQUAL(indicators_published_get(p, "dep:38", med, &v), INDICATORS_ABSENT);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:93066", med, &v), INDICATORS_ABSENT);
	CU_ASSERT_EQUAL(indicators_published_get(p, "com:93059", med, &v), INDICATORS_ABSENT);
}

#define SOURCES_FILOSOFI "filosofi/filosofi_2021.csv;s;d;v;2026;u;l;r\n"

/* A damaged Filosofi file: the error names file:line:column, and comes
 * back on a second call. */
static void check_filosofi(const char *sources, const char *content, const char *want_suffix)
{
	static const char census_ok[] = CENSUS_HEADER "38185;COM;G;38;84;18.13;1;2;3;4;5;6;7;8\n";
	struct bundle b;
	struct error err;
	const struct indicators_published *p;
	const char *dir = damaged(sources, census_ok);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/filosofi", dir);
	CU_ASSERT_FATAL(fileio_mkdirs(path.buf, &err) == TERRAIN_OK);
	strbuf_addstr(&path, "/filosofi_2021.csv");
	test_write_file(path.buf, content);
	CU_ASSERT_EQUAL_FATAL(bundle_load(&b, dir, &err), TERRAIN_OK);
	for (int k = 0; k < 2; k++) {
		CU_ASSERT_EQUAL(bundle_filosofi(&b, &p, &err), TERRAIN_EDATA);
		CU_ASSERT_PTR_NULL(p);
		CU_ASSERT_EQUAL(strncmp(err.msg, dir, strlen(dir)), 0);
		CU_ASSERT_STRING_EQUAL(err.msg + strlen(dir), want_suffix);
		if (strcmp(err.msg + strlen(dir), want_suffix))
			fprintf(stderr, "\ngot: %s\nwant: DIR%s\n", err.msg, want_suffix);
	}
	bundle_release(&b);
	strbuf_release(&path);
}

static void test_bundle_filosofi_errors(void)
{
	static const char all[] =
	    SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS SOURCES_BDM SOURCES_FILOSOFI;
	static const char head[] = "# a comment\nterritory;a.b;a.c\n";
	check_filosofi(SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS SOURCES_BDM, head,
		       "/sources.csv: no row for \"filosofi/filosofi_2021.csv\" (every dataset "
		       "file needs its provenance)");
	check_filosofi(all, "code;a.b\n",
		       "/filosofi/filosofi_2021.csv:1:1: expected a header "
		       "\"territory;ID;...\" (found \"code\")");
	check_filosofi(all, "# c\nterritory;a.b;a.c\ncom:38185;1;0\ncom:38185;1;s\n",
		       "/filosofi/filosofi_2021.csv:4:1: \"com:38185\" comes after \"com:38185\" "
		       "(expected the rows sorted by territory, each once) (column \"territory\")");
	check_filosofi(all, "territory;a.b;a.c\ndep:38;1;2\n",
		       "/filosofi/filosofi_2021.csv:2:1: \"dep:38\" is not a territory (expected "
		       "com:CODE, arm:CODE or epci:CODE) (column \"territory\")");
	/* 0 is a value a file may hold; a decimal comma is not (column 3: the third field) */
	check_filosofi(all, "territory;a.b;a.c\ncom:38185;0;nd\ncom:38186;s;0,5\n",
		       "/filosofi/filosofi_2021.csv:3:3: \"0,5\" is not a value (expected a "
		       "number, s for statistical secret, nd for not available, or empty) (column "
		       "\"a.c\")");
}

/* The QPV 2024 of a commune, an EPCI, a département and France, counted
 * by hand in ../shared/data/qpv_2024/qpv_2024_communes.csv: Grenoble 4
 * (QN03806M to QN03809M); Saint-Denis 93066 the 8 of its COG 2024 code and
 * 2 more of Pierrefitte-sur-Seine 93059, merged into it on 1 January 2025
 * (QN09335M, QN09336I; QN09342M lies in both: counted once). */
static void test_bundle_qpv(void)
{
	const struct bundle *b = test_bundle();
	const struct qpv_list *q, *again;
	struct error err;
	struct territory t;
	size_t *rows, n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(bundle_qpv(b, &q, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(bundle_qpv(b, &again, &err), TERRAIN_OK);
	CU_ASSERT_PTR_EQUAL(q, again); /* read once */
	CU_ASSERT_EQUAL(q->n, 1776);   /* (QPV, commune) pairs */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "38185", NULL, 0, &t, NULL), TERRAIN_OK);
	n = qpv_in_territory(q, &b->geo, &t, &rows);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(q->v[rows[0]].code, "QN03806M");
	CU_ASSERT_STRING_EQUAL(q->v[rows[0]].name, "Mistral Lys Rouge Camine");
	CU_ASSERT_STRING_EQUAL(q->v[rows[3]].code, "QN03809M");
	free(rows);
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "93066", NULL, 0, &t, NULL), TERRAIN_OK);
	n = qpv_in_territory(q, &b->geo, &t, &rows);
	CU_ASSERT_EQUAL(n, 10);
	bool pierrefitte = false;
	for (size_t i = 0; i < n; i++)
		pierrefitte |= !strcmp(q->v[rows[i]].code, "QN09335M");
	CU_ASSERT_TRUE(pierrefitte);
	free(rows);
	/* 93059 is no commune of COG 2026 any more: no pair keeps it */
	for (size_t i = 0; i < q->n; i++)
		CU_ASSERT_STRING_NOT_EQUAL(q->v[i].commune, "93059");
	/* Grenoble-Alpes-Métropole: 10 (QN03801M, QN03803M to QN03811M) */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "epci:200040715", NULL, 0, &t, NULL),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(qpv_in_territory(q, &b->geo, &t, &rows), 10);
	free(rows);
	/* France: the 1 584 but the 91 of the collectivités d'outre-mer
	 * (Saint-Martin 3, Polynésie française 88, checks.txt) */
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, "fr", NULL, 0, &t, NULL), TERRAIN_OK);
	CU_ASSERT_EQUAL(qpv_in_territory(q, &b->geo, &t, &rows), 1584 - 91);
	free(rows);
}

/* The age structure: INSEE's estimates on 1 January 2021
 * (../shared/data/pop_age_dep/estim_pop_dep_sexe_age_1999_2021.csv). */
static void test_bundle_age(void)
{
	const struct bundle *b = test_bundle();
	const struct indicators_published *p;
	struct indicators_pyramid py;
	struct error err;
	double v;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL_FATAL(bundle_filosofi(b, &p, &err), TERRAIN_OK);
	/* Corrèze, 65-69: INSEE's "ensemble" cell is 1, wrong; hommes 8 535 +
	 * femmes 9 366 = 17 901, which the row's total 239 071 implies */
	CU_ASSERT_TRUE_FATAL(indicators_pyramid(p, "dep:19", &py));
	CU_ASSERT_STRING_EQUAL(py.period, "2021");
	CU_ASSERT_STRING_EQUAL(indicators_age_band(13), "65-69");
	CU_ASSERT_DOUBLE_EQUAL(py.men[13], 8535, 0);
	CU_ASSERT_DOUBLE_EQUAL(py.women[13], 9366, 0);
	double sum = 0;
	for (size_t k = 0; k < INDICATORS_AGE_BANDS; k++)
		sum += py.men[k] + py.women[k];
	CU_ASSERT_DOUBLE_EQUAL(sum, 239071, 0);
	/* a région is the sum of its départements: Corse = Corse-du-Sud
	 * 162 753 + Haute-Corse 186 516 = 349 269; aged 75 or over
	 * 7 538 + 6 119 + 3 863 + 1 955 + 579 = 20 054 and 8 346 + 6 224 +
	 * 3 796 + 1 953 + 654 = 20 973, 41 027 / 349 269 = 11.7465 % (by hand
	 * from INSEE's rows of 2A and 2B) */
	size_t total = GEO_NONE, s75 = GEO_NONE;
	const struct indicators_published *age = p;
	for (; age && (total = indicators_published_col(age, "estim.TOTAL")) == GEO_NONE;
	     age = age->next)
		;
	CU_ASSERT_PTR_NOT_NULL_FATAL(age);
	s75 = indicators_published_col(age, "estim.SHARE_Y_GE75");
	CU_ASSERT_EQUAL(indicators_published_get(age, "reg:94", total, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 349269, 0);
	CU_ASSERT_EQUAL(indicators_published_get(age, "reg:94", s75, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 100.0 * 41027 / 349269, 1e-4);
	CU_ASSERT_EQUAL(age->base[s75], total); /* a share of the total: its gap is tested */
	/* France: INSEE's own total row (métropole and DOM), 67 407 241 */
	CU_ASSERT_EQUAL(indicators_published_get(age, "fr", total, &v), OBS_FINAL);
	CU_ASSERT_DOUBLE_EQUAL(v, 67407241, 0);
	/* no commune and no EPCI: theirs come from terrain fetch */
	CU_ASSERT_FALSE(indicators_pyramid(p, "com:38185", &py));
	CU_ASSERT_FALSE(indicators_pyramid(p, "epci:200040715", &py));
}

/* A copy of the datasets with a small Filosofi file and the social tables
 * given (NULL: a valid one). */
static void check_social(const char *neet, const char *bv, const char *want_suffix)
{
	static const char census_ok[] = CENSUS_HEADER "38185;COM;G;38;84;18.13;1;2;3;4;5;6;7;8\n";
	static const char sources[] =
	    SOURCES_HEADER SOURCES_GEO SOURCES_CENSUS SOURCES_BDM SOURCES_FILOSOFI
	    "social/age_2021.csv;s;d;v;2026;u;l;r\nsocial/neet_2022.csv;s;d;v;2026;u;l;r\n"
	    "social/bv_2022.csv;s;d;v;2026;u;l;r\n";
	const char *const files[][2] = {
	    {"filosofi/filosofi_2021.csv", "territory;a.b\ncom:38185;1\n"},
	    {"social/age_2021.csv", "territory;estim.TOTAL\nfr;67407241\n"},
	    {"social/neet_2022.csv", neet ? neet : "territory;name;ot.x\nepci:200040715;G;11.3\n"},
	    {"social/bv_2022.csv", bv ? bv : "territory;name;insee_sl.x\nbv:38185;G;17.1\n"}};
	struct bundle b;
	struct error err;
	const struct indicators_published *p;
	const char *dir = damaged(sources, census_ok);
	struct strbuf path = STRBUF_INIT;
	for (size_t k = 0; k < 4; k++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, files[k][0]);
		*strrchr(path.buf, '/') = '\0';
		CU_ASSERT_FATAL(fileio_mkdirs(path.buf, &err) == TERRAIN_OK);
		path.buf[strlen(path.buf)] = '/';
		test_write_file(path.buf, files[k][1]);
	}
	CU_ASSERT_EQUAL_FATAL(bundle_load(&b, dir, &err), TERRAIN_OK);
	enum status st = bundle_filosofi(&b, &p, &err);
	if (!want_suffix) {
		CU_ASSERT_EQUAL(st, TERRAIN_OK);
		double v;
		/* the chain: Filosofi, then the age, the NEET and the BV tables */
		CU_ASSERT_PTR_NOT_NULL_FATAL(p->next);
		CU_ASSERT_STRING_EQUAL(p->next->next->level, "epci");
		CU_ASSERT_STRING_EQUAL(p->next->next->next->level, "bv");
		CU_ASSERT_EQUAL(indicators_published_get(p->next->next->next, "bv:38185", 0, &v),
				OBS_FINAL);
		CU_ASSERT_DOUBLE_EQUAL(v, 17.1, 0);
	} else {
		CU_ASSERT_EQUAL(st, TERRAIN_EDATA);
		CU_ASSERT_PTR_NULL(p);
		CU_ASSERT_STRING_EQUAL(err.msg + strlen(dir), want_suffix);
		if (strcmp(err.msg + strlen(dir), want_suffix))
			fprintf(stderr, "\ngot: %s\nwant: DIR%s\n", err.msg, want_suffix);
	}
	bundle_release(&b);
	strbuf_release(&path);
}

static void test_bundle_social_errors(void)
{
	check_social(NULL, NULL, NULL);
	check_social("territory;name;ot.part_neet_2022\ndep:38;Isère;9\n", NULL,
		     "/social/neet_2022.csv:2:1: \"dep:38\" is not a territory (expected "
		     "epci:CODE or com:CODE) (column \"territory\")");
	check_social(NULL, "territory;name;x\nbv:38185;Grenoble;17,1\n",
		     "/social/bv_2022.csv:2:3: \"17,1\" is not a value (expected a number, s for "
		     "statistical secret, nd for not available, or empty) (column \"x\")");
}

void suite_bundle(void)
{
	CU_pSuite s = CU_add_suite("bundle", NULL, NULL);
	ADD_TEST(s, test_bundle_provenance_and_conversion);
	ADD_TEST(s, test_bundle_find_dir);
	ADD_TEST(s, test_bundle_load_errors);
	ADD_TEST(s, test_bundle_series);
	ADD_TEST(s, test_bundle_responses);
	ADD_TEST(s, test_bundle_responses_errors);
	ADD_TEST(s, test_bundle_filosofi);
	ADD_TEST(s, test_bundle_filosofi_errors);
	ADD_TEST(s, test_bundle_qpv);
	ADD_TEST(s, test_bundle_age);
	ADD_TEST(s, test_bundle_social_errors);
}
