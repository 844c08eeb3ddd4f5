/* Tests of ingest/bdm.c on recorded payloads.
 *
 * tests/fixtures/http/bdm/taux_chomage_fm_r84_d38_d69_d974.xml is a real
 * BDM response (PROVENANCE.md there); the expected figures were read from it
 * with grep, not with terrain: 2026-Q1 FM 7.9, R84 7.0, D38 6.6, D69 7.5,
 * D974 19.0, all "SD"; D38 2025-Q4 6.5 definitive, 2025-Q1 6.0 revised.
 * The idbanks come from datasets/bdm/idbanks.csv, checked against
 * ../shared/data/api_samples/SOURCES.md (D38 001515903, D69 001515934, R84
 * 001739986, FM 001515842, FR-D976 010754822, D44 001515909).  Variants of
 * the payload made by the tests (a "6,6", a NaN, a DOCTYPE...) are EDITED
 * copies, built in memory from the recorded one. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/territory.h"
#include "../ingest/bdm.h"
#include "helpers.h"

#define FIX  "tests/fixtures/http/bdm/taux_chomage_fm_r84_d38_d69_d974.xml"
#define BASE "https://bdm.insee.fr"
#define URL  BASE "/series/sdmx/data/SERIES_BDM/001515842+001739986+001515903+001515934+010751340"

static char *payload(size_t *len)
{
	char *s = test_read_file(FIX);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	*len = strlen(s);
	return s;
}

/* The recorded payload with the first occurrence of from replaced by to. */
static char *edited(const char *from, const char *to)
{
	size_t len;
	char *s = payload(&len);
	char *at = strstr(s, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, s, (size_t)(at - s));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	free(s);
	return strbuf_detach(&sb);
}

static const struct test_source_req req = {bdm_parse, URL, NULL, "001515903", "dep:38", SOURCE_XML};

static enum status parse(const char *body, size_t len, struct source_result *res, struct error *err)
{
	return test_source_parse(&req, body, len, res, err);
}

static const struct observation *find(const struct obs_list *l, const char *territory,
				      const char *period)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].territory, territory) && !strcmp(l->v[i].period, period))
			return &l->v[i];
	return NULL;
}

static void check_obs(const struct obs_list *l, const char *territory, const char *period,
		      double value, enum obs_status status, const char *idbank)
{
	const struct observation *o = find(l, territory, period);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_DOUBLE_EQUAL(o->value, value, 1e-12);
	CU_ASSERT_EQUAL(o->status, status);
	CU_ASSERT_STRING_EQUAL(o->dataset, idbank);
	CU_ASSERT_STRING_EQUAL(o->indicator, "bdm.taux_chomage_localise");
	CU_ASSERT_STRING_EQUAL(o->unit, "percent");
	CU_ASSERT_STRING_EQUAL(o->source, "bdm");
	CU_ASSERT_STRING_EQUAL(o->vintage, "2026-06-19");
	CU_ASSERT_STRING_EQUAL(o->cog, "");
}

static void test_bdm_parse_recorded(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = payload(&len);
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(body, len, &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.obs.n, 40);
	check_obs(&res.obs, "dep:38", "2026-Q1", 6.6, OBS_PROVISIONAL, "001515903");
	check_obs(&res.obs, "dep:38", "2025-Q4", 6.5, OBS_FINAL, "001515903");
	check_obs(&res.obs, "dep:38", "2025-Q1", 6.0, OBS_REVISED, "001515903");
	check_obs(&res.obs, "frm", "2026-Q1", 7.9, OBS_PROVISIONAL, "001515842");
	check_obs(&res.obs, "frm", "2025-Q1", 7.2, OBS_REVISED, "001515842");
	check_obs(&res.obs, "reg:84", "2026-Q1", 7.0, OBS_PROVISIONAL, "001739986");
	check_obs(&res.obs, "reg:84", "2025-Q4", 6.9, OBS_REVISED, "001739986");
	check_obs(&res.obs, "dep:69", "2026-Q1", 7.5, OBS_PROVISIONAL, "001515934");
	check_obs(&res.obs, "dep:974", "2026-Q1", 19.0, OBS_PROVISIONAL, "010751340");
	check_obs(&res.obs, "dep:974", "2024-Q2", 16.5, OBS_FINAL, "010751340");
	/* newest first, as the BDM sends them */
	CU_ASSERT_STRING_EQUAL(res.obs.v[0].period, "2026-Q1");
	CU_ASSERT_STRING_EQUAL(res.obs.v[7].period, "2024-Q2");
	CU_ASSERT_STRING_EQUAL(res.next.buf, "");
	source_result_release(&res);
	free(body);
}

/* FR-D976 (France hors Mayotte) is "fr"; NaN and empty values are missing;
 * OBS_QUAL "SD" alone is enough for provisional. */
static void test_bdm_france_missing(void)
{
	struct source_result res;
	struct error err;
	char *a = edited("REF_AREA=\"FM\"", "REF_AREA=\"FR-D976\"");
	source_result_init(&res);
	CU_ASSERT_EQUAL_FATAL(parse(a, strlen(a), &res, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(find(&res.obs, "fr", "2026-Q1"));
	CU_ASSERT_PTR_NULL(find(&res.obs, "frm", "2026-Q1"));
	free(a);

	static const char *const missing[] = {"OBS_VALUE=\"NaN\"", "OBS_VALUE=\"\"", ""};
	for (size_t i = 0; i < 3; i++) {
		source_result_release(&res);
		struct strbuf to = STRBUF_INIT;
		strbuf_addf(&to, "TIME_PERIOD=\"2026-Q1\" %s", missing[i]);
		a = edited("TIME_PERIOD=\"2026-Q1\" OBS_VALUE=\"6.6\"", to.buf);
		strbuf_release(&to);
		CU_ASSERT_EQUAL_FATAL(parse(a, strlen(a), &res, &err), TERRAIN_OK);
		const struct observation *o = find(&res.obs, "dep:38", "2026-Q1");
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_EQUAL(o->status, OBS_MISSING);
		CU_ASSERT(isnan(o->value));
		free(a);
	}

	source_result_release(&res);
	a = edited("OBS_VALUE=\"6.6\" OBS_STATUS=\"SD\"", "OBS_VALUE=\"6.6\" OBS_STATUS=\"A\"");
	CU_ASSERT_EQUAL_FATAL(parse(a, strlen(a), &res, &err), TERRAIN_OK);
	check_obs(&res.obs, "dep:38", "2026-Q1", 6.6, OBS_PROVISIONAL, "001515903");
	source_result_release(&res);
	free(a);
}

/* The header and an empty DataSet: no observation, no error. */
static void test_bdm_empty(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *s = payload(&len);
	char *first = strstr(s, "<Series ");
	char *end = strstr(s, "</message:DataSet>");
	CU_ASSERT_FATAL(first && end && first < end);
	memmove(first, end, strlen(end) + 1);
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(s, strlen(s), &res, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(res.obs.n, 0);
	source_result_release(&res);
	free(s);
}

static void check_error(const char *body, const char *want)
{
	struct source_result res;
	struct error err;
	source_result_init(&res);
	CU_ASSERT_EQUAL(parse(body, strlen(body), &res, &err), TERRAIN_EDATA);
	if (strcmp(err.msg, want))
		fprintf(stderr, "\n got  %s\n want %s\n", err.msg, want);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	CU_ASSERT_EQUAL(res.obs.n, 0); /* nothing half-parsed is left */
	source_result_release(&res);
}

static void check_edited_error(const char *from, const char *to, const char *want)
{
	char *a = edited(from, to);
	check_error(a, want);
	free(a);
}

static void test_bdm_bad_values(void)
{
	/* a decimal comma is not a number: the SDMX payload uses '.' */
	check_edited_error("2026-Q1\" OBS_VALUE=\"6.6\"", "2026-Q1\" OBS_VALUE=\"6,6\"",
			   URL ": line 1: <Obs TIME_PERIOD=\"2026-Q1\"> OBS_VALUE \"6,6\" is not a "
			       "number (series 001515903)");
	check_edited_error("2026-Q1\" OBS_VALUE=\"6.6\"", "2026-Q1\" OBS_VALUE=\"inf\"",
			   URL ": line 1: <Obs TIME_PERIOD=\"2026-Q1\"> OBS_VALUE \"inf\" is not a "
			       "number (series 001515903)");
	check_edited_error("TIME_PERIOD=\"2026-Q1\" OBS_VALUE=\"6.6\"", "OBS_VALUE=\"6.6\"",
			   URL ": line 1: <Obs> has no TIME_PERIOD (series 001515903)");
	check_edited_error("REF_AREA=\"D38\"", "REF_AREA=\"ZE2814\"",
			   URL
			   ": line 1: <Series IDBANK=\"001515903\"> REF_AREA \"ZE2814\" is not a "
			   "known area (expected D + département, R + région, FM or FR-D976)");
	check_edited_error(" REF_AREA=\"D38\"", "",
			   URL ": line 1: <Series IDBANK=\"001515903\"> has no REF_AREA");
	check_edited_error("IDBANK=\"001515903\" ", "", URL ": line 1: <Series> has no IDBANK");
	check_edited_error("UNIT_MEASURE=\"POURCENT\"", "UNIT_MEASURE=\"INDICE\"",
			   URL ": line 1: <Series IDBANK=\"001515842\"> UNIT_MEASURE \"INDICE\" is "
			       "not POURCENT");
}

/* Line numbers follow the document: the recorded one is a single line,
 * so break it before the Isère series. */
static void test_bdm_error_line(void)
{
	char *a = edited("<Series IDBANK=\"001515903\"", "\n\n<Series IDBANK=\"001515903\"");
	char *at = strstr(a, "2026-Q1\" OBS_VALUE=\"6.6\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at[21] = ','; /* "6,6" */
	check_error(a, URL ": line 3: <Obs TIME_PERIOD=\"2026-Q1\"> OBS_VALUE \"6,6\" is not a "
			   "number (series 001515903)");
	free(a);
}

static void test_bdm_not_sdmx(void)
{
	check_error("Le serveur a rencontré une erreur inattendue.",
		    URL ": invalid XML at line 1, column 1: Start tag expected, '<' not found");
	check_error("", URL ": invalid XML at line 1, column 1: Document is empty");
	check_error("<?xml version=\"1.0\"?>\n<message:Error xmlns:message=\"urn:x\">"
		    "<message:ErrorMessage code=\"100\"/></message:Error>",
		    URL ": line 2: the root element is <Error>, expected an SDMX "
			"StructureSpecificData message");
	/* entities are never expanded: a DOCTYPE is refused outright */
	check_error("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaa\">]>"
		    "<m:StructureSpecificData xmlns:m=\"urn:x\"/>",
		    URL ": a DOCTYPE is not allowed in an SDMX message (no DTD, no entities)");
	check_error("<?xml version=\"1.0\"?><!DOCTYPE m SYSTEM \"http://127.0.0.1:9/x.dtd\">"
		    "<StructureSpecificData/>",
		    URL ": a DOCTYPE is not allowed in an SDMX message (no DTD, no entities)");
}

/* Cut in the middle of the Auvergne-Rhône-Alpes series. */
static void test_bdm_truncated(void)
{
	size_t len;
	char *s = payload(&len);
	CU_ASSERT_FATAL(len > 3000);
	s[3000] = '\0';
	check_error(s, URL ": invalid XML at line 1, column 2988: Premature end of data in tag "
			   "Series line 1");
	free(s);
}

/* Every prefix: an error naming the URL, or (only once the closing tag is
 * in) the 40 observations; never a crash (run it under make sanitize). */
static void test_bdm_every_truncation(void)
{
	struct source_result res;
	struct error err;
	size_t len;
	char *body = payload(&len);
	size_t complete = strstr(body, "</message:StructureSpecificData>") - body +
			  strlen("</message:StructureSpecificData>");
	source_result_init(&res);
	for (size_t n = 0; n < len; n++) {
		char *cut = malloc(n ? n : 1); /* exactly n bytes, so ASan sees any overread */
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		memcpy(cut, body, n);
		enum status st = parse(cut, n, &res, &err);
		free(cut);
		bool ok = n >= complete ? st == TERRAIN_OK && res.obs.n == 40
					: st == TERRAIN_EDATA && res.obs.n == 0 &&
					      !strncmp(err.msg, URL ": ", strlen(URL) + 2);
		if (!ok) {
			fprintf(stderr, "\ncut at %zu: status %d, %zu observations\n", n, (int)st,
				res.obs.n);
			CU_FAIL("a prefix must be an error naming the URL, the whole the data");
			break;
		}
		source_result_release(&res);
	}
	source_result_release(&res);
	free(body);
}

static struct bdm_idbanks table = BDM_IDBANKS_INIT;
static int table_loaded;

static int release_idbanks(void)
{
	bdm_idbanks_release(&table);
	table_loaded = 0;
	return 0;
}

static const struct bdm_idbanks *idbanks(void)
{
	if (!table_loaded) {
		struct strbuf path = STRBUF_INIT;
		struct error err;
		strbuf_addf(&path, "%s/bdm/idbanks.csv", test_datadir());
		if (bdm_idbanks_load(path.buf, &table, &err))
			fprintf(stderr, "\n%s\n", err.msg);
		else
			table_loaded = 1;
		strbuf_release(&path);
	}
	CU_ASSERT_FATAL(table_loaded);
	return &table;
}

static void test_bdm_idbanks(void)
{
	const struct bdm_idbanks *ids = idbanks();
	static const char *const want[][2] = {
	    {"D38", "001515903"}, {"D69", "001515934"},	    {"R84", "001739986"},
	    {"FM", "001515842"},  {"FR-D976", "010754822"}, {"D44", "001515909"},
	    {"D2A", "001515884"}, {"D974", "010751340"},
	};
	CU_ASSERT_EQUAL(ids->n, 115); /* France x2, 13 régions, 100 départements */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct bdm_idbank *b = bdm_idbanks_find(ids, want[i][0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_STRING_EQUAL(b->idbank, want[i][1]);
	}
	CU_ASSERT_STRING_EQUAL(bdm_idbanks_find(ids, "D38")->title,
			       "Taux de chômage localisé par département - Isère");
	CU_ASSERT_PTR_NULL(bdm_idbanks_find(ids, "D976")); /* no Mayotte */
	CU_ASSERT_PTR_NULL(bdm_idbanks_find(ids, "R01"));  /* nor régions d'outre-mer */
	CU_ASSERT_PTR_NULL(bdm_idbanks_find(ids, "d38"));
}

static void check_load_error(const char *content, enum status want_st, const char *want)
{
	struct strbuf path = STRBUF_INIT;
	struct bdm_idbanks ids = BDM_IDBANKS_INIT;
	struct error err;
	strbuf_addf(&path, "%s/idbanks.csv", test_tmpdir());
	test_write_file(path.buf, content);
	CU_ASSERT_EQUAL(bdm_idbanks_load(path.buf, &ids, &err), want_st);
	struct strbuf full = STRBUF_INIT;
	strbuf_addf(&full, "%s%s", path.buf, want);
	if (strcmp(err.msg, full.buf))
		fprintf(stderr, "\n got  %s\n want %s\n", err.msg, full.buf);
	CU_ASSERT_STRING_EQUAL(err.msg, full.buf);
	CU_ASSERT_EQUAL(ids.n, 0);
	CU_ASSERT_PTR_NULL(ids.v);
	strbuf_release(&path);
	strbuf_release(&full);
}

static void test_bdm_idbanks_errors(void)
{
	check_load_error("# a comment\nidbank;ref_area;title_fr\n001515903;D38;Isère\n"
			 "0015159x3;D69;Rhône\n",
			 TERRAIN_EDATA,
			 ":4:1: idbank \"0015159x3\" is not 1 to 15 digits (column \"idbank\")");
	check_load_error("idbank;ref_area;title_fr\n001515903;ZE2814;Isère\n", TERRAIN_EDATA,
			 ":2:2: unknown REF_AREA \"ZE2814\" (expected D + département, R + région, "
			 "FM or FR-D976) (column \"ref_area\")");
	check_load_error("idbank;ref_area;title_fr\n001515903;D38;Isère\n001515904;D38;Isère\n",
			 TERRAIN_EDATA, ":3:2: D38 is listed twice (column \"ref_area\")");
	check_load_error("idbank;ref_area;title_fr\n001515903;D38;Isère\n001515903;D69;Rhône\n",
			 TERRAIN_EDATA, ":3:1: 001515903 is listed twice (column \"idbank\")");
	check_load_error("idbank;title_fr\n001515903;Isère\n", TERRAIN_EDATA,
			 ":1: missing column \"ref_area\" in the header");
}

static void check_plan(const char *code, const char *idbank)
{
	const struct geo *g = &test_bundle()->geo;
	struct territory t;
	struct error err;
	struct source_plan p = SOURCE_PLAN_INIT;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(g, code, NULL, 0, &t, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(bdm_plan(BASE, idbanks(), g, &t, &p, &err), TERRAIN_OK);
	if (!idbank) {
		CU_ASSERT_EQUAL(p.n, 0);
	} else {
		char url[256];
		snprintf(url, sizeof(url), BASE "/series/sdmx/data/SERIES_BDM/%s", idbank);
		CU_ASSERT_EQUAL_FATAL(p.n, 1);
		CU_ASSERT_STRING_EQUAL(p.v[0].url, url);
		CU_ASSERT_PTR_NULL(p.v[0].body);
		CU_ASSERT_STRING_EQUAL(p.v[0].dataset, idbank);
		CU_ASSERT_STRING_EQUAL(p.v[0].territory, code);
		CU_ASSERT_EQUAL(p.v[0].format, SOURCE_XML);
	}
	source_plan_release(&p);
}

static void test_bdm_plan(void)
{
	check_plan("dep:38", "001515903");
	check_plan("reg:84", "001739986");
	check_plan("fr", "010754822");
	check_plan("dep:2A", "001515884");
	check_plan("com:38185", NULL); /* the caller asks for the references */
	check_plan("epci:200040715", NULL);
	check_plan("arm:69381", NULL);
	check_plan("dep:976", NULL); /* Mayotte: no series */
}

void suite_bdm(void)
{
	CU_pSuite s = CU_add_suite("bdm", NULL, release_idbanks);
	ADD_TEST(s, test_bdm_parse_recorded);
	ADD_TEST(s, test_bdm_france_missing);
	ADD_TEST(s, test_bdm_empty);
	ADD_TEST(s, test_bdm_bad_values);
	ADD_TEST(s, test_bdm_error_line);
	ADD_TEST(s, test_bdm_not_sdmx);
	ADD_TEST(s, test_bdm_truncated);
	ADD_TEST(s, test_bdm_every_truncation);
	ADD_TEST(s, test_bdm_idbanks);
	ADD_TEST(s, test_bdm_idbanks_errors);
	ADD_TEST(s, test_bdm_plan);
}
