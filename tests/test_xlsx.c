/* report/xlsx.c: a workbook written, then opened again with libzip and
 * its XML read with libxml2: sheet names, numbers stored as numbers,
 * strings that round-trip, the frozen header; the sheet-name rules; the
 * errors and the atomic write. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../report/xlsx.h"
#include "helpers.h"

#define TRICKY "<script>alert(1)</script> & O'Brien \"x\" é"

/* The texts of xl/sharedStrings.xml, in order, joined by '\n'. */
static void shared_strings(const char *path, struct strbuf *out)
{
	size_t len;
	char *xml = test_zip_member(path, "xl/sharedStrings.xml", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "sharedStrings.xml", NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (xmlNode *si = xmlDocGetRootElement(doc)->children; si; si = si->next) {
		if (si->type != XML_ELEMENT_NODE)
			continue;
		xmlChar *t = xmlNodeGetContent(si);
		strbuf_addf(out, "%s\n", (const char *)t);
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	free(xml);
}

static void test_xlsx_roundtrip(void)
{
	const char *header[] = {"Territoire", "Chômeurs", "Taux (%)"};
	struct xlsx_cell cells[] = {
	    {XLSX_STRING, "Grenoble", 0, 0}, {XLSX_NUMBER, NULL, 10527, 0},
	    {XLSX_NUMBER, NULL, 13.8, 1},    {XLSX_STRING, TRICKY, 0, 0},
	    {XLSX_NUMBER, NULL, NAN, 0},     {XLSX_EMPTY, NULL, 0, 0},
	};
	const char *h2[] = {"a"};
	struct xlsx_cell c2[] = {{XLSX_NUMBER, NULL, -0.25, -1}};
	struct xlsx_sheet sheets[] = {
	    {"Chômage: Grenoble / Isère", header, 3, cells, 2},
	    {"chômage: grenoble / isère", h2, 1, c2, 1},
	};
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/tables.xlsx", test_tmpdir());
	test_write_file(path.buf, "old content"); /* replaced whole */
	struct error err;
	CU_ASSERT_EQUAL_FATAL(xlsx_write(path.buf, sheets, 2, "2026-11-29", &err), TERRAIN_OK);

	/* created at noon of the day given (the note's), not now */
	char *core = test_zip_member(path.buf, "docProps/core.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(core);
	CU_ASSERT_PTR_NOT_NULL(strstr(core, ">2026-11-29T12:00:00Z</dcterms:created>"));
	free(core);

	char *wb = test_zip_member(path.buf, "xl/workbook.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wb);
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "name=\"Chômage_ Grenoble _ Isère\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(wb, "name=\"chômage_ grenoble _ isère (2)\""));
	free(wb);

	char *s1 = test_zip_member(path.buf, "xl/worksheets/sheet1.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	/* numbers as numbers: a <v> without t="s" */
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"B3\" s=\"2\"><v>10527</v></c>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"C3\" s=\"3\"><v>13.8</v></c>"));
	/* strings as shared strings; NAN and the empty cell are not written */
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"A4\" t=\"s\">"));
	CU_ASSERT_PTR_NULL(strstr(s1, "r=\"B4\""));
	CU_ASSERT_PTR_NULL(strstr(s1, "r=\"C4\""));
	/* title and header bold (style 1), two rows frozen */
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"A1\" s=\"1\" t=\"s\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"C2\" s=\"1\" t=\"s\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<pane ySplit=\"2\" topLeftCell=\"A3\""));
	/* widths: "Territoire" 10 + 1 (bold) + 2; TRICKY is 41 characters + 2 */
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<col min=\"1\" max=\"1\" width=\"43.7109375\""));
	free(s1);

	char *styles = test_zip_member(path.buf, "xl/styles.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(styles);
	CU_ASSERT_PTR_NOT_NULL(strstr(styles, "formatCode=\"#,##0.0\""));
	free(styles);

	char *s2 = test_zip_member(path.buf, "xl/worksheets/sheet2.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
	CU_ASSERT_PTR_NOT_NULL(strstr(s2, "<c r=\"A3\"><v>-0.25</v></c>")); /* General */
	free(s2);

	struct strbuf ss = STRBUF_INIT;
	shared_strings(path.buf, &ss);
	CU_ASSERT_STRING_EQUAL(ss.buf,
			       "Chômage: Grenoble / Isère\nTerritoire\nChômeurs\n"
			       "Taux (%)\nGrenoble\n" TRICKY "\nchômage: grenoble / isère\na\n");
	strbuf_release(&ss);
	strbuf_release(&path);
}

/* Text that a spreadsheet would take for a formula is a shared string with
 * a leading "'", as in the CSV files; a number stays a number. */
static void test_xlsx_formula_text(void)
{
	const char *header[] = {"=cmd", "n"};
	struct xlsx_cell cells[] = {
	    {XLSX_STRING, "=HYPERLINK(\"x\")", 0, 0},
	    {XLSX_NUMBER, NULL, -3.5, 1},
	    {XLSX_STRING, "@SUM(A1)", 0, 0},
	    {XLSX_STRING, "-12", 0, 0},
	    {XLSX_STRING, "\tx", 0, 0},
	    {XLSX_STRING, "+1+1", 0, 0},
	};
	struct xlsx_sheet sheet = {"f", header, 2, cells, 3};
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/formula.xlsx", test_tmpdir());
	struct error err;
	CU_ASSERT_EQUAL_FATAL(xlsx_write(path.buf, &sheet, 1, NULL, &err), TERRAIN_OK);
	char *s1 = test_zip_member(path.buf, "xl/worksheets/sheet1.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NULL(strstr(s1, "<f>")); /* no formula anywhere */
	CU_ASSERT_PTR_NOT_NULL(strstr(s1, "<c r=\"B3\" s=\"2\"><v>-3.5</v></c>"));
	free(s1);
	struct strbuf ss = STRBUF_INIT;
	shared_strings(path.buf, &ss);
	CU_ASSERT_STRING_EQUAL(ss.buf,
			       "f\n'=cmd\nn\n'=HYPERLINK(\"x\")\n'@SUM(A1)\n-12\n'\tx\n'+1+1\n");
	strbuf_release(&ss);
	strbuf_release(&path);
}

static void test_xlsx_sheet_name(void)
{
	char out[XLSX_NAME_MAX];
	xlsx_sheet_name("a[b]c:d*e?f/g\\h", NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "a_b_c_d_e_f_g_h");
	xlsx_sheet_name("'  quoted '", NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "quoted");
	xlsx_sheet_name("", NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "Table");
	xlsx_sheet_name(NULL, NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "Table");
	xlsx_sheet_name("'''", NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "Table");
	/* 31 characters, é counted once */
	xlsx_sheet_name("Évolution de la population légale par millésime", NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "Évolution de la population léga");
	/* a byte that is not UTF-8 becomes '_' */
	xlsx_sheet_name("a\xff"
			"b\tc",
			NULL, 0, out);
	CU_ASSERT_STRING_EQUAL(out, "a_b_c");
	const char *used[] = {"TABLE", "Table (2)", "Évolution de la population léga"};
	xlsx_sheet_name("", used, 2, out);
	CU_ASSERT_STRING_EQUAL(out, "Table (3)");
	xlsx_sheet_name("Évolution de la population légale", used, 3, out);
	CU_ASSERT_STRING_EQUAL(out, "Évolution de la population (2)");
	CU_ASSERT_EQUAL(strlen(out), 31);
}

static void test_xlsx_errors(void)
{
	struct error err;
	const char *h[] = {"a"};
	struct xlsx_cell bad[] = {{XLSX_STRING, "caf\xe9", 0, 0}};
	struct xlsx_sheet sh = {"t", h, 1, bad, 1};
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/errors.xlsx", test_tmpdir());
	CU_ASSERT_EQUAL(xlsx_write(path.buf, &sh, 0, NULL, &err), TERRAIN_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "errors.xlsx: a workbook needs at least one table"));
	test_write_file(path.buf, "kept");
	CU_ASSERT_EQUAL(xlsx_write(path.buf, &sh, 1, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "sheet \"t\": cell A3: not UTF-8 at byte 4");
	/* the old file is kept and no temporary file is left */
	char *kept = test_read_file(path.buf);
	CU_ASSERT_STRING_EQUAL(kept, "kept");
	free(kept);
	struct strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "ls %s | grep -c tmp >/dev/null", test_tmpdir());
	CU_ASSERT_NOT_EQUAL(system(cmd.buf), 0);
	strbuf_release(&cmd);

	struct xlsx_cell big = {XLSX_STRING, NULL, 0, 0};
	char *s = malloc(40000);
	memset(s, 'x', 39999);
	s[39999] = '\0';
	big.s = s;
	sh.cells = &big;
	CU_ASSERT_EQUAL(xlsx_write(path.buf, &sh, 1, NULL, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sheet \"t\": cell A3: "));
	free(s);

	struct xlsx_sheet wide = {"t", NULL, 16385, NULL, 0};
	CU_ASSERT_EQUAL(xlsx_write(path.buf, &wide, 1, NULL, &err), TERRAIN_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "table \"t\" has 0 rows and 16385 columns"));

	struct xlsx_cell ok = {XLSX_NUMBER, NULL, 1, 0};
	sh.cells = &ok;
	CU_ASSERT_EQUAL(xlsx_write("/nonexistent-dir/x.xlsx", &sh, 1, NULL, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "/nonexistent-dir/x.xlsx: cannot create a temporary file beside it: "
			       "No such file or directory");
	strbuf_release(&path);
}

#define NBSP  "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"

/* terrain report on the bundled example in lang ("fr", "en"): the shared
 * strings of file (joined by '\n', one before the first) hold every want
 * and no absent. */
static void check_units(const char *lang, const char *file, const char *const *want, size_t nw,
			const char *const *absent, size_t na)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, dir = STRBUF_INIT, path = STRBUF_INIT,
		      ss = STRBUF_INIT;
	strbuf_addf(&dir, "%s/xlsx_units", test_tmpdir());
	const char *const args[] = {"report",	"-c",	 "datasets/examples/grenoble/terrain.ini",
				    "--output", dir.buf, "--lang",
				    lang,	NULL};
	CU_ASSERT_EQUAL_FATAL(test_run(args, NULL, NULL, &out, &err), 0);
	strbuf_addf(&path, "%s/com_38185/%s", dir.buf, file);
	strbuf_addch(&ss, '\n');
	shared_strings(path.buf, &ss);
	for (size_t k = 0; k < nw; k++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(ss.buf, want[k]));
		if (!strstr(ss.buf, want[k]))
			fprintf(stderr, "\nmissing in %s: %s", file, want[k]);
	}
	for (size_t k = 0; k < na; k++)
		CU_ASSERT_PTR_NULL(strstr(ss.buf, absent[k]));
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&ss);
}

#define NBSP  "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"
#define N(a)  (sizeof(a) / sizeof(a[0]))

/* The indicators sheet's "Unité" column holds the units' French words
 * (report/typo.c), "Unit" of tables.en.xlsx the English ones, never the
 * catalogue's keys nor the other language's words. */
static void test_xlsx_indicator_units(void)
{
	static const char *const fr[] = {"\nUnité\n",		"\npersonnes\n",
					 "\nménages\n",		"\n%\n",
					 "\npour" NBSP "100\n", "\npour" NBSP "1" NNBSP "000\n",
					 "\n€" NBSP "par an\n"};
	static const char *const not_fr[] = {"\npersons\n", "\nhouseholds\n", "\nper 100\n",
					     "\nper 1 000\n", "\neuros a year\n"};
	check_units("fr", "tables.xlsx", fr, N(fr), not_fr, N(not_fr));
	static const char *const en[] = {"\nUnit\n",	"\npersons\n",	 "\nhouseholds\n", "\n%\n",
					 "\nper 100\n", "\nper 1,000\n", "\n€ a year\n"};
	static const char *const not_en[] = {"\npersonnes\n", "\nménages\n", "\nper 1 000\n",
					     "\neuros a year\n", "\nUnité\n"};
	check_units("en", "tables.en.xlsx", en, N(en), not_en, N(not_en));
}

void suite_xlsx(void)
{
	CU_pSuite s = CU_add_suite("xlsx", NULL, NULL);
	ADD_TEST(s, test_xlsx_roundtrip);
	ADD_TEST(s, test_xlsx_formula_text);
	ADD_TEST(s, test_xlsx_sheet_name);
	ADD_TEST(s, test_xlsx_errors);
	ADD_TEST(s, test_xlsx_indicator_units);
}
