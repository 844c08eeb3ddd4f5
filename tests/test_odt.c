/* report/odt.c: a small Markdown note with every construct the writer
 * knows, written to an .odt, then opened again with libzip: mimetype
 * first and stored at the offsets ODF fixes, every XML part well-formed
 * and namespace-well-formed for libxml2, the hostile text escaped, the
 * table, the lists, the image and its size; errors with their line and
 * column; when LibreOffice is installed, the file converted to PDF. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../report/odt.h"
#include "helpers.h"

/* A valid 1 x 1 PNG (a transparent pixel), for LibreOffice. */
static const unsigned char dot_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* A PNG signature and IHDR chunk of 1920 x 960 pixels: all odt_write
 * reads of a PNG (the CRC is not checked there). */
static const unsigned char wide_png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00,
					 0x00, 0x00, 0x0d, 'I',	 'H',  'D',  'R',  0x00, 0x00,
					 0x07, 0x80, 0x00, 0x00, 0x03, 0xc0, 0x08, 0x06, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

/* The same of 960 x 3840 pixels: a tall chart. */
static const unsigned char tall_png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00,
					 0x00, 0x00, 0x0d, 'I',	 'H',  'D',  'R',  0x00, 0x00,
					 0x03, 0xc0, 0x00, 0x00, 0x0f, 0x00, 0x08, 0x06, 0x00,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static const char note_md[] =
    "# Note de synthèse\n"
    "\n"
    "Paragraphe avec <script>alert(1)</script> & O'Brien \"x\" é, *emphase*, **fort**, "
    "~~barré~~, `a  b` et [lien](https://example.org/?a=1&b=2), [piège](javascript:alert(1)).\n"
    "\n"
    "## Portrait\n"
    "\n"
    "- un\n"
    "- deux\n"
    "  1. imbriqué\n"
    "\n"
    "3. trois\n"
    "4. quatre\n"
    "\n"
    "| Territoire | Taux |\n"
    "|:--|--:|\n"
    "| Grenoble | 13,8 % |\n"
    "| Isère |\n"
    "\n"
    "> citation\n"
    "\n"
    "```\n"
    "code  à   espaces\n"
    "\tindenté\n"
    "```\n"
    "\n"
    "![Graphique <1> & \"chômage\"](chart.png)\n"
    "\n"
    "Un point ![petit](dot.png) dans le texte, deux fois ![petit](dot.png).\n"
    "\n"
    "#### Niveau 4\n"
    "\n"
    "---\n";

static const struct odt_image images[] = {
    {"chart.png", wide_png, sizeof(wide_png)},
    {"dot.png", dot_png, sizeof(dot_png)},
    {"unused.png", dot_png, sizeof(dot_png)},
};

/* Parse an XML part: well-formed, namespaces included. */
static void check_xml(const char *odt, const char *member)
{
	size_t len;
	char *xml = test_zip_member(odt, member, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(xml);
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml, (int)len, member, NULL,
					XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	CU_ASSERT_PTR_NOT_NULL(doc);
	CU_ASSERT(ctxt->wellFormed && ctxt->nsWellFormed);
	if (!doc || !ctxt->wellFormed || !ctxt->nsWellFormed)
		fprintf(stderr, "\n  %s is not well-formed\n", member);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	free(xml);
}

/* Each of want[0..n) is in xml, the part named part. */
static void check_has(const char *xml, const char *part, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(xml, want[i]));
		if (!strstr(xml, want[i]))
			fprintf(stderr, "\n  %s lacks: %s\n", part, want[i]);
	}
}

static void test_odt_package(void)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/note.odt", test_tmpdir());
	struct error err;
	CU_ASSERT_EQUAL_FATAL(
	    odt_write(path.buf, note_md, strlen(note_md), "fr-FR", images, 3, &err), TERRAIN_OK);

	/* mimetype: the first local header, stored, no extra field, its
	 * bytes at offset 38 */
	size_t len;
	char *raw = test_read_file_len(path.buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT(!memcmp(raw, "PK\x03\x04", 4));
	CU_ASSERT_EQUAL(raw[8] | raw[9] << 8, 0); /* method: stored */
	CU_ASSERT_EQUAL(raw[26] | raw[27] << 8, 8);
	CU_ASSERT_EQUAL(raw[28] | raw[29] << 8, 0);
	CU_ASSERT(!memcmp(raw + 30, "mimetypeapplication/vnd.oasis.opendocument.text", 47));
	free(raw);

	int e = 0;
	zip_t *za = zip_open(path.buf, ZIP_RDONLY, &e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(za);
	CU_ASSERT_STRING_EQUAL(zip_get_name(za, 0, 0), "mimetype");
	zip_stat_t zs;
	CU_ASSERT_EQUAL(zip_stat_index(za, 0, 0, &zs), 0);
	CU_ASSERT_EQUAL(zs.comp_method, ZIP_CM_STORE);
	CU_ASSERT(zip_name_locate(za, "Pictures/chart.png", 0) > 0);
	CU_ASSERT(zip_name_locate(za, "Pictures/dot.png", 0) > 0);
	CU_ASSERT(zip_name_locate(za, "Pictures/unused.png", 0) < 0);
	CU_ASSERT_EQUAL(zip_get_num_entries(za, 0), 7);
	zip_discard(za);
	char *png = test_zip_member(path.buf, "Pictures/dot.png", &len);
	CU_ASSERT(png && len == sizeof(dot_png) && !memcmp(png, dot_png, len));
	free(png);

	check_xml(path.buf, "content.xml");
	check_xml(path.buf, "styles.xml");
	check_xml(path.buf, "meta.xml");
	check_xml(path.buf, "META-INF/manifest.xml");

	char *c = test_zip_member(path.buf, "content.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	static const char *const want[] = {
	    "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">Note de "
	    "synthèse</text:h>",
	    "<text:p text:style-name=\"Text_20_body\">Paragraphe avec "
	    "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&amp; O&apos;Brien &quot;x&quot; é, <text:span "
	    "text:style-name=\"Emphasis\">emphase</text:span>, "
	    "<text:span text:style-name=\"Strong_20_Emphasis\">fort</text:span>, "
	    "<text:span text:style-name=\"Strikethrough\">barré</text:span>, "
	    "<text:span text:style-name=\"Source_20_Text\">a  b</text:span> et "
	    "<text:a xlink:type=\"simple\" xlink:href=\"https://example.org/?a=1&amp;b=2\" "
	    "text:style-name=\"Internet_20_link\">lien</text:a>, piège.</text:p>",
	    "<text:list text:style-name=\"List_20_1\"><text:list-item><text:p "
	    "text:style-name=\"List_20_Contents\">un</text:p></text:list-item>",
	    "<text:list text:style-name=\"Numbering_20_123\"><text:list-item><text:p "
	    "text:style-name=\"List_20_Contents\">imbriqué</text:p>",
	    "<text:list text:style-name=\"Numbering_20_123\"><text:list-item "
	    "text:start-value=\"3\">",
	    /* widths 12.5 : 7 of 170 mm: "Territoire" bold in the heading row,
	     * 10 x 1.15 + 1 of padding, and "13,8 %" whole, 6 + 1 (see
	     * test_odt_layout) */
	    "<table:table table:name=\"Table1\" table:style-name=\"Tbl\">"
	    "<table:table-column table:style-name=\"Table1.C1\"/><table:table-column "
	    "table:style-name=\"Table1.C2\"/><table:table-header-rows>"
	    "<table:table-row table:style-name=\"TblRow\"><table:table-cell "
	    "table:style-name=\"TblHead\" "
	    "office:value-type=\"string\"><text:p text:style-name=\"Table_20_Heading\">Territoire",
	    "<text:p text:style-name=\"TblRight\">13,8 %</text:p>",
	    /* the short row padded to the table's width */
	    "Isère</text:p></table:table-cell><table:table-cell table:style-name=\"TblCell\"",
	    "<text:p text:style-name=\"Quotations\">citation</text:p>",
	    "<text:p text:style-name=\"Preformatted_20_Text\">code <text:s text:c=\"1\"/>à "
	    "<text:s text:c=\"2\"/>espaces</text:p><text:p "
	    "text:style-name=\"Preformatted_20_Text\"><text:tab/>indenté</text:p>",
	    /* 1920 x 960 px at 96 dpi = 508 x 254 mm, scaled to the 170 mm text width */
	    "<text:p text:style-name=\"Figure\"><draw:frame draw:style-name=\"fr1\" "
	    "draw:name=\"Image1\" text:anchor-type=\"as-char\" svg:width=\"170.000mm\" "
	    "svg:height=\"85.000mm\" draw:z-index=\"0\"><draw:image "
	    "xlink:href=\"Pictures/chart.png\" xlink:type=\"simple\" xlink:show=\"embed\" "
	    "xlink:actuate=\"onLoad\"/><svg:title>Graphique &lt;1&gt; &amp; "
	    "&quot;chômage&quot;</svg:title></draw:frame></text:p>",
	    /* 1 px = 25.4 / 96 mm = 0.264 mm */
	    "<text:p text:style-name=\"Text_20_body\">Un point <draw:frame draw:style-name=\"fr1\" "
	    "draw:name=\"Image2\" text:anchor-type=\"as-char\" svg:width=\"0.264mm\"",
	    "<text:h text:style-name=\"Heading_20_3\" text:outline-level=\"4\">Niveau 4</text:h>",
	    "<text:p text:style-name=\"Horizontal_20_Line\"/>",
	    "<style:style style:name=\"Table1.C1\" style:family=\"table-column\">"
	    "<style:table-column-properties style:column-width=\"108.974mm\" "
	    "style:rel-column-width=\"108974*\"/></style:style><style:style "
	    "style:name=\"Table1.C2\" style:family=\"table-column\"><style:table-column-properties "
	    "style:column-width=\"61.026mm\" style:rel-column-width=\"61026*\"/></style:style>",
	    "<style:style style:name=\"TblRow\" style:family=\"table-row\">"
	    "<style:table-row-properties fo:keep-together=\"always\"/></style:style>",
	};
	check_has(c, "content.xml", want, sizeof(want) / sizeof(want[0]));
	CU_ASSERT_PTR_NULL(strstr(c, "<script"));
	CU_ASSERT_PTR_NULL(strstr(c, "javascript"));
	free(c);

	char *m = test_zip_member(path.buf, "meta.xml", NULL);
	CU_ASSERT_TRUE(m && strstr(m, "<dc:title>Note de synthèse</dc:title>"
				      "<dc:language>fr-FR</dc:language>"));
	free(m);
	char *s = test_zip_member(path.buf, "styles.xml", NULL);
	CU_ASSERT_TRUE(s && strstr(s, "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\""));
	CU_ASSERT_TRUE(s && strstr(s, "style:name=\"Heading_20_3\""));
	CU_ASSERT_TRUE(s && strstr(s, "fo:language=\"fr\" fo:country=\"FR\""));
	free(s);
	char *mf = test_zip_member(path.buf, "META-INF/manifest.xml", NULL);
	CU_ASSERT_TRUE(mf && strstr(mf, "manifest:full-path=\"Pictures/chart.png\" "
					"manifest:media-type=\"image/png\""));
	free(mf);

	/* the same note gives the same bytes (fixed dates in the package) */
	size_t len1 = 0, len2 = 0;
	char *first = test_read_file_len(path.buf, &len1);
	CU_ASSERT_EQUAL(odt_write(path.buf, note_md, strlen(note_md), "fr-FR", images, 3, &err),
			TERRAIN_OK);
	char *second = test_read_file_len(path.buf, &len2);
	CU_ASSERT(first && second && len1 > 1000 && len1 == len2 && !memcmp(first, second, len1));
	free(first);
	free(second);
	strbuf_release(&path);
}

static void test_odt_errors(void)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/bad.odt", test_tmpdir());
	test_write_file(path.buf, "kept");
	struct error err;
	const char *md = "# T\n\nText ![x](nope.png)\n";
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), "fr-FR", images, 3, &err),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "line 3:6: image \"nope.png\" is not among the images given");
	struct odt_image bad[] = {{"../x.png", dot_png, sizeof(dot_png)},
				  {"text.png", (const unsigned char *)"GIF89a", 6}};
	md = "![x](../x.png)";
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), "fr-FR", bad, 2, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "line 1:1: image \"../x.png\": a name takes only letters, "
					"digits, '.', '_' and '-', and does not start with '.'");
	md = "![x](text.png)";
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), "fr-FR", bad, 2, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "line 1:1: image \"text.png\" is not a PNG file");
	char *kept = test_read_file(path.buf);
	CU_ASSERT_STRING_EQUAL(kept, "kept");
	free(kept);
	md = "ok";
	CU_ASSERT_EQUAL(odt_write("/nonexistent-dir/n.odt", md, 2, "fr-FR", NULL, 0, &err),
			TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No such file or directory"));
	/* bytes that are not UTF-8 and control characters still give XML */
	md = "caf\xe9 \x01 \xef\xbf\xbf\xef\xbf\xbe nul\n";
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md) + 1, "fr-FR", NULL, 0, &err),
			TERRAIN_OK);
	check_xml(path.buf, "content.xml");
	strbuf_release(&path);
}

/* An English note, its author and date lines, and a table whose label
 * column is long: the columns by hand (see table_widths in odt.c; 85
 * characters of room for 3 columns; the heading row, in bold, counts
 * 1.15 times its length, and a cell's unbreakable run one character more
 * for its padding).  Label: cells of 11.5 (10 x 1.15), 43 and 12
 * characters, wants (43 + 66.5 / 3) / 2 = 32.583, at least min(43, 0.3 x
 * 85) = 25.5; "Grenoble": 9.2, 6, 6: wants (9.2 + 21.2 / 3) / 2 = 8.133,
 * at least 9.2 + 1 = 10.2; "France": 6.9, 6, 10: wants 8.817, at least
 * 10 + 1 = 11 ("30 510 551" whole).  No share falls under its minimum:
 * 170 mm x 32.583 / 53.783 = 102.990 mm, 170 x 10.2 / 53.783 = 32.240 mm,
 * and the rest, 170 - 102.990 - 32.240 = 34.770 mm (each width cut to
 * the micrometre). */
static void test_odt_layout(void)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/layout.odt", test_tmpdir());
	struct error err;
	static const char md[] =
	    "# Territorial diagnosis\n\nAuthor: Someone  \nDate: 29 November 2026\n\nA "
	    "paragraph.\n\n"
	    "| Indicators | Grenoble | France |\n|---|--:|--:|\n"
	    "| Taux de chômage des 15-64 ans (recensement) | 13,8 % | 12,1 % |\n"
	    "| Ménages 2021 | 83 592 | 30 510 551 |\n";
	CU_ASSERT_EQUAL_FATAL(odt_write(path.buf, md, strlen(md), "en-GB", NULL, 0, &err),
			      TERRAIN_OK);
	char *c = test_zip_member(path.buf, "content.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	static const char *const want[] = {
	    /* a justified line ending in a hard break would be stretched */
	    "<text:p text:style-name=\"Text_20_body_20_left\">Author: Someone<text:line-break/>"
	    "Date: 29 November 2026</text:p><text:p text:style-name=\"Text_20_body\">A "
	    "paragraph.</text:p>",
	    "style:name=\"Table1.C1\" style:family=\"table-column\"><style:table-column-properties "
	    "style:column-width=\"102.990mm\"",
	    "style:name=\"Table1.C2\" style:family=\"table-column\"><style:table-column-properties "
	    "style:column-width=\"32.240mm\"",
	    "style:name=\"Table1.C3\" style:family=\"table-column\"><style:table-column-properties "
	    "style:column-width=\"34.770mm\"",
	};
	check_has(c, "content.xml", want, sizeof(want) / sizeof(want[0]));
	free(c);
	char *s = test_zip_member(path.buf, "styles.xml", NULL);
	CU_ASSERT_TRUE(s && strstr(s, "fo:language=\"en\" fo:country=\"GB\""));
	CU_ASSERT_FALSE(s && strstr(s, "fo:language=\"fr\""));
	CU_ASSERT_TRUE(
	    s && strstr(s, "<style:style style:name=\"Text_20_body_20_left\" "
			   "style:display-name=\"Text body left\" style:family=\"paragraph\" "
			   "style:parent-style-name=\"Text_20_body\" style:class=\"text\">"
			   "<style:paragraph-properties fo:text-align=\"start\"/></style:style>"));
	free(s);
	char *m = test_zip_member(path.buf, "meta.xml", NULL);
	CU_ASSERT_TRUE(m && strstr(m, "<dc:language>en-GB</dc:language>"));
	free(m);
	check_xml(path.buf, "styles.xml");
	check_xml(path.buf, "content.xml");

	/* a tall picture: 960 x 3840 px at 96 dpi = 254 x 1016 mm, to the
	 * text width 170 x 680 mm, then to 24 cm of height: 60 x 240 mm */
	static const char tall[] = "![tall](tall.png)\n";
	const struct odt_image timg = {"tall.png", tall_png, sizeof(tall_png)};
	CU_ASSERT_EQUAL(odt_write(path.buf, tall, strlen(tall), "en-GB", &timg, 1, &err),
			TERRAIN_OK);
	c = test_zip_member(path.buf, "content.xml", NULL);
	CU_ASSERT_TRUE(c && strstr(c, "svg:width=\"60.000mm\" svg:height=\"240.000mm\""));
	free(c);

	/* a language alone, without a country */
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), "en", NULL, 0, &err), TERRAIN_OK);
	s = test_zip_member(path.buf, "styles.xml", NULL);
	CU_ASSERT_TRUE(s && strstr(s, "fo:language=\"en\" fo:hyphenate=\"false\""));
	free(s);
	/* what is not a tag is refused, the file kept */
	static const char *const bad[] = {"english", "EN", "en-gb", "en_GB", "e", "", "en-GBR"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), bad[i], NULL, 0, &err),
				TERRAIN_EDATA);
		struct strbuf msg = STRBUF_INIT;
		strbuf_addf(&msg, "%s: language \"%s\" is not a tag like \"fr-FR\" or \"en\"",
			    path.buf, bad[i]);
		CU_ASSERT_STRING_EQUAL(err.msg, msg.buf);
		strbuf_release(&msg);
	}
	CU_ASSERT_EQUAL(odt_write(path.buf, md, strlen(md), NULL, NULL, 0, &err), TERRAIN_EDATA);
	strbuf_release(&path);
}

/* LibreOffice is not a dependency of terrain: the conversion runs only
 * where it happens to be installed. */
static void test_odt_libreoffice(void)
{
	const char *office = NULL;
	if (system("command -v soffice >/dev/null 2>&1") == 0)
		office = "soffice";
	else if (system("command -v libreoffice >/dev/null 2>&1") == 0)
		office = "libreoffice";
	if (!office) {
		fprintf(stderr, "\n  odt: skipped: neither soffice nor libreoffice is installed\n");
		return;
	}
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, cmd = STRBUF_INIT, pdf = STRBUF_INIT;
	strbuf_addf(&dir, "%s/lo", test_tmpdir());
	strbuf_addf(&cmd, "mkdir -p '%s'", dir.buf);
	CU_ASSERT_EQUAL(system(cmd.buf), 0);
	strbuf_addf(&path, "%s/note.odt", dir.buf);
	struct error err;
	CU_ASSERT_EQUAL_FATAL(
	    odt_write(path.buf, note_md, strlen(note_md), "fr-FR", images + 1, 1, &err),
	    TERRAIN_EDATA); /* chart.png is not given */
	static const char md2[] = "# Note\n\nTexte é & <b>.\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
				  "![point](dot.png)\n";
	CU_ASSERT_EQUAL_FATAL(odt_write(path.buf, md2, strlen(md2), "fr-FR", images + 1, 1, &err),
			      TERRAIN_OK);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd,
		    "cd '%s' && HOME='%s' %s --headless --convert-to pdf --outdir '%s' note.odt "
		    ">/dev/null 2>&1",
		    dir.buf, dir.buf, office, dir.buf);
	CU_ASSERT_EQUAL(system(cmd.buf), 0);
	strbuf_addf(&pdf, "%s/note.pdf", dir.buf);
	char *p = test_read_file(pdf.buf);
	CU_ASSERT(p && !strncmp(p, "%PDF-", 5));
	free(p);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&cmd);
	strbuf_release(&pdf);
}

void suite_odt(void)
{
	CU_pSuite s = CU_add_suite("odt", NULL, NULL);
	ADD_TEST(s, test_odt_package);
	ADD_TEST(s, test_odt_errors);
	ADD_TEST(s, test_odt_layout);
	ADD_TEST(s, test_odt_libreoffice);
}
