/* Reports rendered to memory, in each format. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/project.h"
#include "../report/noteout.h"
#include "../report/territory_report.h"
#include "helpers.h"

struct render {
	char *buf;
	size_t len;
	FILE *fp;
};

static void render_open(struct render *r)
{
	r->buf = NULL;
	r->len = 0;
	r->fp = open_memstream(&r->buf, &r->len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->fp);
}

static void render_close(struct render *r)
{
	CU_ASSERT_EQUAL(fclose(r->fp), 0);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void view_of(const char *code, struct portrait *p, struct territory refs[TERRITORY_MAX_REFS],
		    struct territory_view *v)
{
	const struct bundle *b = test_bundle();
	struct territory t;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(territory_lookup(&b->geo, code, NULL, 0, &t, &err), TERRAIN_OK);
	portrait_compute(&b->geo, &b->pop_cog, &b->census, &t, p);
	memset(v, 0, sizeof(*v));
	v->geo = &b->geo;
	v->portrait = p;
	v->refs = refs;
	v->nrefs = territory_references(&b->geo, &t, refs);
	v->pop_prov = b->pop_cog.prov;
	v->census_prov = b->census.prov;
	v->census_cog = b->census.cog;
}

static void test_report_csv_rows(void)
{
	struct portrait p;
	struct territory refs[TERRITORY_MAX_REFS];
	struct territory_view v;
	struct render r;
	view_of("epci:200040715", &p, refs, &v);
	v.members = true;
	render_open(&r);
	report_territory(r.fp, REPORT_CSV, &v);
	render_close(&r);
	/* header, type, member_count, 49 members, 6 pop_cog, 2 pop_census,
	 * growth, 3 references, 2 sources */
	CU_ASSERT_EQUAL(count_lines(r.buf), 1 + 1 + 1 + 49 + 6 + 2 + 1 + 3 + 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.buf, "\nepci:200040715,Grenoble-Alpes-Métropole,type,,EPCI,"
					     ",,METRO\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.buf, ",pop_census,2021,449488,persons,49/49,\n"));
	free(r.buf);
}

static void test_report_json_is_valid(void)
{
	struct portrait p;
	struct territory refs[TERRITORY_MAX_REFS];
	struct territory_view v;
	struct render r;
	json_error_t jerr;
	view_of("15031", &p, refs, &v); /* missing census values: null, never 0 */
	render_open(&r);
	report_territory(r.fp, REPORT_JSON, &v);
	render_close(&r);
	json_t *j = json_loads(r.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	json_t *c = json_array_get(json_object_get(j, "population_census"), 1);
	CU_ASSERT_TRUE(json_is_null(json_object_get(c, "value")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(c, "note")),
			       "created in COG 2025, after the source's geography (COG 2024)");
	CU_ASSERT_TRUE(json_is_null(json_object_get(json_object_get(j, "growth_census"), "value")));
	json_decref(j);
	free(r.buf);
}

static void test_report_text_aligns_accents(void)
{
	struct portrait p;
	struct territory refs[TERRITORY_MAX_REFS];
	struct territory_view v;
	struct render r;
	view_of("38185", &p, refs, &v);
	render_open(&r);
	report_territory(r.fp, REPORT_TEXT, &v);
	render_close(&r);
	/* "département:" has an accent: the values still line up */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.buf, "\n  EPCI:         epci:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.buf, "\n  département:  dep:38 Isère\n"));
	CU_ASSERT_PTR_NULL(strstr(r.buf, "n/a"));
	free(r.buf);
}

static void test_report_comparison_and_find(void)
{
	struct portrait p[2];
	struct territory refs[TERRITORY_MAX_REFS];
	struct territory_view v;
	struct render r;
	view_of("38185", &p[0], refs, &v);
	const struct bundle *b = test_bundle();
	/* Isère; growth by hand (bc -l): (e(l(1284948/1251060)/6)-1)*100 = 0.446443 */
	portrait_compute(&b->geo, &b->pop_cog, &b->census, &refs[2], &p[1]); /* after ze:8409 */
	render_open(&r);
	report_comparison(r.fp, REPORT_CSV, p, 2);
	render_close(&r);
	CU_ASSERT_STRING_EQUAL(r.buf, "territory,name,pop_cog2026,pop_census_2015,pop_census_2021,"
				      "growth_census_2015_2021,coverage_census_2021\n"
				      "com:38185,Grenoble,156140,160649,157477,-0.3318,1/1\n"
				      "dep:38,Isère,1298990,1251060,1284948,0.4464,512/512\n");
	free(r.buf);

	struct search_hit *hits;
	size_t n = search_territories(&b->geo, "Béon", SEARCH_TYPE(TERRITORY_COM), &hits);
	CU_ASSERT_FATAL(n >= 2);
	render_open(&r);
	report_find(r.fp, REPORT_JSON, &b->geo, hits, 2);
	render_close(&r);
	json_error_t jerr;
	json_t *j = json_loads(r.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_EQUAL(json_array_size(j), 2);
	json_t *former = json_array_get(j, 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(former, "type")),
			       "former commune");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(former, "note")),
			       "former commune, now part of com:01138 Culoz-Béon");
	json_decref(j);
	free(r.buf);
	free(hits);
}

/* The manifest names every input with its sha256: an input that cannot be
 * read is an error naming it (it was left out silently), and a complete
 * one lists the project file, the survey file and the outputs. */
static void test_report_manifest_inputs(void)
{
	struct strbuf dir = STRBUF_INIT, ini = STRBUF_INIT, path = STRBUF_INIT;
	struct project p = {0};
	struct error err;
	strbuf_addf(&dir, "%s/manifest", test_tmpdir());
	CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(dir.buf, &err), TERRAIN_OK);
	strbuf_addf(&ini, "%s/terrain.ini", dir.buf);
	test_write_file(ini.buf, "[project]\nterritory = 38185\n[survey]\nfile = enquete.csv\n"
				 "codebook = codebook.csv\n");
	CU_ASSERT_EQUAL_FATAL(project_load(&p, ini.buf, &err), TERRAIN_OK);
	strbuf_addf(&path, "%s/codebook.csv", dir.buf);
	test_write_file(path.buf, "name\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/out", dir.buf);
	CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(path.buf, &err), TERRAIN_OK);
	strbuf_addstr(&path, "/note.md");
	test_write_file(path.buf, "abc");
	strbuf_setlen(&path, path.len - strlen("/note.md"));
	char file[] = "none.csv", none[] = "";
	struct provenance prov = {.file = file, .vintage = none, .retrieved = none};
	/* enquete.csv is missing */
	CU_ASSERT_EQUAL(noteout_manifest(path.buf, &p, dir.buf, NULL, 0, "2026-01-02", &err),
			TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "enquete.csv\": No such file or directory"));
	struct strbuf survey = STRBUF_INIT;
	strbuf_addf(&survey, "%s/enquete.csv", dir.buf);
	test_write_file(survey.buf, "id\n");
	/* a bundled file that is missing */
	CU_ASSERT_EQUAL(noteout_manifest(path.buf, &p, dir.buf, &prov, 1, "2026-01-02", &err),
			TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "none.csv\": No such file or directory"));
	CU_ASSERT_EQUAL(noteout_manifest(path.buf, &p, dir.buf, NULL, 0, "2026-01-02", &err),
			TERRAIN_OK);
	strbuf_addstr(&path, "/manifest.json");
	char *text = test_read_file(path.buf);
	/* sha256 of "abc" (FIPS 180-2, appendix B.1) */
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
				      "\"note.md\": \"ba7816bf8f01cfea414140de5dae2223b00361a3"
				      "96177a9cb410ff61f20015ad\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "enquete.csv\": "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"note_date\": \"2026-01-02\""));
	free(text);
	project_release(&p);
	strbuf_release(&survey);
	strbuf_release(&dir);
	strbuf_release(&ini);
	strbuf_release(&path);
}

void suite_report(void)
{
	CU_pSuite s = CU_add_suite("report", NULL, NULL);
	ADD_TEST(s, test_report_csv_rows);
	ADD_TEST(s, test_report_json_is_valid);
	ADD_TEST(s, test_report_text_aligns_accents);
	ADD_TEST(s, test_report_comparison_and_find);
	ADD_TEST(s, test_report_manifest_inputs);
}
