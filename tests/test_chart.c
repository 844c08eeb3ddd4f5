/* report/chart.c: the one escaping function for gnuplot strings, French
 * numbers, the script of each chart kind, every chart kind drawn by the
 * real gnuplot (SVG and PNG) with a hostile label, and gnuplot missing,
 * failing, hanging, too talkative or gone before it read its script. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../report/chart.h"
#include "helpers.h"

/* quotes, a backslash, markup and an accent */
#define HOSTILE "O'Brien \"x\" \\ <script>alert(1)</script> \xc3\xa9"

static char *escaped(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	chart_escape_gnuplot(s, &sb);
	return strbuf_detach(&sb);
}

#define CHECK_ESCAPE(in, want)                      \
	do {                                        \
		char *got_ = escaped(in);           \
		CU_ASSERT_STRING_EQUAL(got_, want); \
		free(got_);                         \
	} while (0)

static void test_chart_escape(void)
{
	/* one quote doubled, nothing else escaped inside single quotes */
	CHECK_ESCAPE("O'Brien", "'O''Brien'");
	CHECK_ESCAPE("''", "''''''");
	CHECK_ESCAPE("say \"hi\"", "'say \"hi\"'");
	CHECK_ESCAPE("a\\b\\\\c\\", "'a\\b\\\\c\\'");
	CHECK_ESCAPE("<script>alert(1)</script>", "'<script>alert(1)</script>'");
	CHECK_ESCAPE(HOSTILE, "'O''Brien \"x\" \\ <script>alert(1)</script> \xc3\xa9'");
	/* line breaks, tabs and other controls become spaces: a label never
	 * ends the gnuplot command it is part of */
	CHECK_ESCAPE("a\nb\r\nc\td\x01"
		     "e\x7f",
		     "'a b  c d e '");
	CHECK_ESCAPE("x'\nsystem('touch /tmp/p')\n'", "'x'' system(''touch /tmp/p'') '''");
	/* enhanced-mode characters, backquotes and @ are text in a
	 * single-quoted string and on a noenhanced terminal */
	CHECK_ESCAPE("x^2 y_i @v &a {b} ~c", "'x^2 y_i @v &a {b} ~c'");
	CHECK_ESCAPE("`rm -rf /` @macro %s %d", "'`rm -rf /` @macro %s %d'");
	/* accents and other characters kept */
	CHECK_ESCAPE("\xc3\xa9\xc3\xa0\xc3\xa7 \xc5\x93 \xe2\x82\xac \xf0\x9f\x98\x80",
		     "'\xc3\xa9\xc3\xa0\xc3\xa7 \xc5\x93 \xe2\x82\xac \xf0\x9f\x98\x80'");
	/* bytes that are not UTF-8 (a stray byte, a cut sequence, an
	 * overlong '/', a surrogate) become U+FFFD; a C1 control a space;
	 * U+FFFE, no XML character, U+FFFD */
	CHECK_ESCAPE("a\xff"
		     "b",
		     "'a\xef\xbf\xbd"
		     "b'");
	CHECK_ESCAPE("a\xc3", "'a\xef\xbf\xbd'");
	CHECK_ESCAPE("\xc0\xaf", "'\xef\xbf\xbd\xef\xbf\xbd'");
	CHECK_ESCAPE("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
	CHECK_ESCAPE("a\xc2\x85"
		     "b",
		     "'a b'");
	CHECK_ESCAPE("\xef\xbf\xbe", "'\xef\xbf\xbd'");
	CHECK_ESCAPE("", "''");
	CHECK_ESCAPE(NULL, "''");
	/* appended to what the buffer holds */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "set title ");
	chart_escape_gnuplot("l'an", &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "set title 'l''an'");
	strbuf_release(&sb);
}

#define NNBSP "\xe2\x80\xaf" /* U+202F narrow no-break space */
#define NBSP  "\xc2\xa0"     /* U+00A0 no-break space */

#define CHECK_NUMBER(v, dec, unit, en, want)                         \
	do {                                                         \
		struct strbuf sb_ = STRBUF_INIT;                     \
		chart_format_number((v), (dec), (unit), (en), &sb_); \
		CU_ASSERT_STRING_EQUAL(sb_.buf, want);               \
		strbuf_release(&sb_);                                \
	} while (0)

static void test_chart_format_number(void)
{
	CHECK_NUMBER(1234567.891, 2, "\xe2\x82\xac", false,
		     "1" NNBSP "234" NNBSP "567,89" NBSP "\xe2\x82\xac");
	CHECK_NUMBER(13.8, 1, "%", false, "13,8" NBSP "%");
	CHECK_NUMBER(158198, 0, NULL, false, "158" NNBSP "198");
	CHECK_NUMBER(999, 0, "", false, "999");
	CHECK_NUMBER(1000, 0, NULL, false, "1" NNBSP "000");
	CHECK_NUMBER(999.96, 1, NULL, false, "1" NNBSP "000,0");
	CHECK_NUMBER(-1234.5, 1, NULL, false,
		     "\xe2\x88\x92"
		     "1" NNBSP "234,5"); /* U+2212 */
	CHECK_NUMBER(-0.001, 2, NULL, false, "0,00");
	CHECK_NUMBER(0.05, 3, "%", false, "0,050" NBSP "%");
	CHECK_NUMBER(NAN, 1, "%", false, "n.d.");
	CHECK_NUMBER(156140, 0, "habitants", false, "156" NNBSP "140" NBSP "habitants");
	/* English, as report/typo.h writes it: "13.8%", "€1,234,567.89" */
	CHECK_NUMBER(1234567.891, 2, "\xe2\x82\xac", true,
		     "\xe2\x82\xac"
		     "1,234,567.89");
	CHECK_NUMBER(-300, 0, "\xe2\x82\xac", true,
		     "-\xe2\x82\xac"
		     "300");
	CHECK_NUMBER(13.8, 1, "%", true, "13.8%");
	CHECK_NUMBER(153810, 0, NULL, true, "153,810");
	CHECK_NUMBER(-1234.5, 1, NULL, true, "-1,234.5");
	CHECK_NUMBER(156140, 0, "inhabitants", true, "156,140" NBSP "inhabitants");
	CHECK_NUMBER(NAN, 1, "%", true, "n/a");
	CHECK_NUMBER(2.5, 9, NULL, true, "2.500000"); /* decimals clamped to 6 */
}

static const char *const cats[] = {"Grenoble", "M\xc3\xa9tropole", "Is\xc3\xa8re", HOSTILE};
static const double v1[] = {13.8, 10.2, 9.8, 7.3};
static const double v2[] = {12.1, 9.0, NAN, 6.0};
static const double lo[] = {12.0, 9.0, 8.5, 6.0};
static const double hi[] = {15.5, 11.3, 11.0, 8.4};

/* A chart of kind kind with the hostile label as title, source, axis
 * label, category and series name. */
static struct chart hostile_chart(enum chart_kind kind, struct chart_series s[2])
{
	s[0] = (struct chart_series){HOSTILE, v1, kind == CHART_INTERVALS ? lo : NULL,
				     kind == CHART_INTERVALS ? hi : NULL};
	s[1] = (struct chart_series){"Is\xc3\xa8re", v2, NULL, NULL};
	struct chart c = {
	    .kind = kind,
	    .title = HOSTILE,
	    .source = "Source : Insee, RP 2021 \xe2\x80\x94 " HOSTILE,
	    .xlabel = NULL,
	    .ylabel = HOSTILE,
	    .cat = cats,
	    .ncat = 4,
	    .series = s,
	    .nseries = kind == CHART_INTERVALS ? 1 : 2,
	    .decimals = 1,
	    .unit = "%",
	};
	return c;
}

static void test_chart_script(void)
{
	struct chart_series s[2];
	struct chart c = hostile_chart(CHART_BARS, s);
	struct strbuf sc = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	/* the terminal prints labels as text, to standard output */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set terminal svg size 800,500 dynamic noenhanced "
					      "font 'DejaVu Sans,10'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "\nset output\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "\nset decimalsign ','\n"));
	/* every string through the escaping function */
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    sc.buf, "set label 2 'O''Brien \"x\" \\ <script>alert(1)</script> \xc3\xa9' at"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set ylabel 'O''Brien"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "title 'O''Brien"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set label 1 'Source : Insee, RP 2021"));
	/* the data inline, numbers only, '?' where a value is missing;
	 * series 2 is the values, 3 and 4 the bounds */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf,
				      "$data << EOD\n0 13.8 ? ? 12.1 ? ?\n1 10.2 ? ? 9 ? ?\n"
				      "2 9.8 ? ? ? ? ?\n3 7.3 ? ? 6 ? ?\nEOD\n"));
	/* the category labels as tics, never cut: the hostile one has a
	 * word of 26 characters, wider than a category's room (700 pixels /
	 * 4 / 7.5 - 1 = 22 characters): rotated and wrapped at 20 */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sc.buf, "set xtics ('Grenoble' 0, 'M\xc3\xa9tropole' 1, 'Is\xc3\xa8re' 2, "
			   "'O''Brien \"x\" \\'.\"\\n\".'<script>alert(1)</script>'.\"\\n\"."
			   "'\xc3\xa9' 3) scale 0 rotate by 30 right\n"));
	CU_ASSERT_PTR_NULL(strstr(sc.buf, "\xe2\x80\xa6"));
	/* values formatted here: 13,8 % */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set label 3 '13,8" NBSP "%' at"));
	/* the value axis from 0, ticks every 2 (13.8 / 5 = 2.76 -> 2), room
	 * above the highest bar (13.8 x 1.12) */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set yrange [ 0: 15.456]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set ytics ('0' 0, '2' 2, '4' 4, '6' 6, '8' 8, "
					      "'10' 10, '12' 12, '14' 14)\n"));
	strbuf_release(&sc);

	/* a series does not start from 0: legal populations 156 140 to
	 * 158 240, span 2 100 / 5 = 420 -> steps of 500, thousands grouped */
	static const char *const cog[] = {"COG 2024", "COG 2025", "COG 2026"};
	static const double pop[] = {158240, 156389, 156140};
	struct chart_series ps = {"Grenoble", pop, NULL, NULL};
	struct chart pc = {.kind = CHART_SERIES,
			   .title = "Population",
			   .source = "Insee",
			   .cat = cog,
			   .ncat = 3,
			   .series = &ps,
			   .nseries = 1};
	CU_ASSERT_EQUAL_FATAL(chart_script(&pc, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set yrange [ 156000: 158500]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set ytics ('156" NNBSP "000' 156000, '156" NNBSP
					      "500' 156500, '157" NNBSP "000' 157000, '157" NNBSP
					      "500' 157500, '158" NNBSP "000' 158000, '158" NNBSP
					      "500' 158500)\n"));
	strbuf_release(&sc);
	/* shares 0.12 to 0.48: span 0.36 / 5 = 0.072 -> steps of 0.05, two
	 * decimals */
	static const double share[] = {0.12, 0.48, 0.3};
	ps.v = share;
	CU_ASSERT_EQUAL_FATAL(chart_script(&pc, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set ytics ('0,10' 0.1, '0,15' 0.15, '0,20' 0.2, "
					      "'0,25' 0.25, '0,30' 0.3, '0,35' 0.35, '0,40' 0.4, "
					      "'0,45' 0.45, '0,50' 0.5)\n"));
	strbuf_release(&sc);

	c.kind = CHART_PYRAMID;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_PNG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set terminal pngcairo size 800,500 noenhanced"));
	/* series 1 to the left: its tics show absolute values */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sc.buf, "set xtics ('10' -10, '5' -5, '0' 0, '5' 5, '10' 10)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "using (0):1:(-$2):(0)"));
	strbuf_release(&sc);
}

static void test_chart_script_errors(void)
{
	struct chart_series s[2];
	struct strbuf sc = STRBUF_INIT;
	struct error err;
	struct chart c = hostile_chart(CHART_BARS, s);
	c.title = "";
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart has no title");
	c.title = "Ch\xc3\xb4mage\n";
	c.source = NULL;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"Ch\xc3\xb4mage\\x0A\" has no source line");
	c = hostile_chart(CHART_PAIRED, s);
	c.title = "t";
	c.nseries = 1;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": a paired chart takes exactly 2 series");
	c.kind = CHART_PYRAMID;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": an age pyramid takes exactly 2 series");
	c.kind = CHART_INTERVALS;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": intervals without their bounds");
	c.kind = CHART_BARS;
	c.ncat = 0;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": 0 categories (1 to 500)");
	c.ncat = 4;
	c.nseries = 0;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": 0 series (1 to 7)");
	c.nseries = 2;
	c.decimals = 7;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": 7 decimals (0 to 6)");
	c.decimals = 1;
	c.width = 50;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": size 50x0 (100 to 4000 pixels)");
	c.width = 0;
	double inf[] = {1, INFINITY, 2, 3};
	s[1].v = inf;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": infinite value");
	double neg[] = {1, -2, 2, 3};
	s[1].v = neg;
	c.kind = CHART_PYRAMID;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(
	    err.msg, "chart \"t\": an age pyramid takes counts or shares (no negative value)");
	s[1].v = NULL;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "chart \"t\": series 2 has no values");
	CU_ASSERT_EQUAL(sc.len, 0); /* nothing written on error */
	strbuf_release(&sc);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Walk the tree below n: count the <script> elements and the elements
 * whose whole text is want. */
static void walk_svg(xmlNode *n, const char *want, int *scripts, int *shown)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcasecmp(n->name, (const xmlChar *)"script") == 0)
			(*scripts)++;
		if (xmlStrcmp(n->name, (const xmlChar *)"text") == 0) {
			xmlChar *t = xmlNodeGetContent(n);
			if (t && strcmp((const char *)t, want) == 0)
				(*shown)++;
			xmlFree(t);
		}
		walk_svg(n->children, want, scripts, shown);
	}
}

/* Parse svg with libxml2 (no network): false when it is not well-formed;
 * else the <script> elements and the elements whose whole text is the
 * hostile label, counted. */
static bool parse_svg(const struct strbuf *svg, int *scripts, int *whole)
{
	xmlDoc *doc = xmlReadMemory(svg->buf, (int)svg->len, "chart.svg", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return false;
	walk_svg(xmlDocGetRootElement(doc), HOSTILE, scripts, whole);
	xmlFreeDoc(doc);
	return true;
}

/* The SVG's own title, description and plot titles, which screen readers
 * read and browsers show as tooltips, are the chart's words: its title,
 * its source line (the hostile label escaped), no "Gnuplot", no "Produced
 * by GNUPLOT", no "gnuplot_plot_1". */
static void check_svg_texts(const char *svg)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(svg,
				      "<title>O&#39;Brien &quot;x&quot; \\ "
				      "&lt;script&gt;alert(1)&lt;/script&gt; \xc3\xa9</title>\n"
				      "<desc>Source : Insee, RP 2021 \xe2\x80\x94 O&#39;Brien "
				      "&quot;x&quot; \\ &lt;script&gt;alert(1)&lt;/script&gt; "
				      "\xc3\xa9</desc>"));
	CU_ASSERT_EQUAL(count(svg, "<title>"), 1);
	CU_ASSERT_EQUAL(count(svg, "<desc>"), 1);
	CU_ASSERT_PTR_NULL(strstr(svg, "Gnuplot"));
	CU_ASSERT_PTR_NULL(strstr(svg, "GNUPLOT"));
	CU_ASSERT_PTR_NULL(strstr(svg, ">gnuplot_plot_"));
	/* the plots are still there, only untitled */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<g id=\"gnuplot_plot_1\" >"));
}

/* Every kind drawn by the real gnuplot: well-formed enough SVG whose
 * texts show the hostile label as text (gnuplot escapes '<' and '&'; '>'
 * needs no escape in XML text), and no raw <script> element. */
static void test_chart_render_svg(void)
{
	enum chart_kind kinds[] = {CHART_BARS, CHART_SERIES, CHART_PYRAMID, CHART_INTERVALS,
				   CHART_PAIRED};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct chart_series s[2];
		struct chart c = hostile_chart(kinds[k], s);
		struct strbuf svg = STRBUF_INIT;
		struct error err;
		enum status st = chart_render(&c, NULL, CHART_SVG, &svg, &err);
		if (st)
			fprintf(stderr, "\nchart kind %zu: %s\n", k, err.msg);
		CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
		CU_ASSERT(strncmp(svg.buf, "<?xml", 5) == 0 || strncmp(svg.buf, "<svg", 4) == 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "</svg>"));
		CU_ASSERT_EQUAL(strlen(svg.buf), svg.len);
		const char *shown = "O'Brien \"x\" \\ &lt;script>alert(1)&lt;/script> \xc3\xa9";
		/* title, source, y label and the legend (not in a one-series chart) */
		CU_ASSERT(count(svg.buf, shown) >= (kinds[k] == CHART_INTERVALS ? 3 : 4));
		CU_ASSERT_PTR_NULL(strstr(svg.buf, "<script"));
		CU_ASSERT_PTR_NULL(strstr(svg.buf, "</script"));
		check_svg_texts(svg.buf);
		CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "Source : Insee, RP 2021 \xe2\x80\x94"));
		CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "M\xc3\xa9tropole"));
		if (kinds[k] != CHART_SERIES && kinds[k] != CHART_PYRAMID)
			CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "13,8" NBSP "%"));
		/* well-formed XML (libxml2, no network), the label whole as the
		 * text of the title, y label and legend elements, no script */
		int scripts = 0, whole = 0;
		CU_ASSERT_TRUE(parse_svg(&svg, &scripts, &whole));
		CU_ASSERT_EQUAL(scripts, 0);
		CU_ASSERT(whole >= (kinds[k] == CHART_INTERVALS ? 2 : 3));
		strbuf_release(&svg);
	}
}

#define CHECK_WRAP(in, width, want, want_lines)                                 \
	do {                                                                    \
		struct strbuf sb_ = STRBUF_INIT;                                \
		CU_ASSERT_EQUAL(chart_wrap((in), (width), &sb_), (want_lines)); \
		CU_ASSERT_STRING_EQUAL(sb_.buf, want);                          \
		strbuf_release(&sb_);                                           \
	} while (0)

/* Category labels wrapped at spaces and after hyphens, never cut. */
static void test_chart_wrap(void)
{
	CHECK_WRAP("CC Marche et Combraille en Aquitaine", 16,
		   "CC Marche et\nCombraille en\nAquitaine", 3);
	CHECK_WRAP("La R\xc3\xa9union (d\xc3\xa9partement et r\xc3\xa9gion)", 16,
		   "La R\xc3\xa9union\n(d\xc3\xa9partement et\nr\xc3\xa9gion)", 3);
	/* accents count as one character: "(département et" is 15 wide */
	CHECK_WRAP("La R\xc3\xa9union (d\xc3\xa9partement et r\xc3\xa9gion)", 15,
		   "La R\xc3\xa9union\n(d\xc3\xa9partement et\nr\xc3\xa9gion)", 3);
	CHECK_WRAP("Marseille 3e Arrondissement", 14, "Marseille 3e\nArrondissement", 2);
	/* after a hyphen, the hyphen kept */
	CHECK_WRAP("M\xc3\xa9tropole d'Aix-Marseille-Provence", 20,
		   "M\xc3\xa9tropole d'Aix-\nMarseille-Provence", 2);
	CHECK_WRAP("Bellegarde-en-Marche", 17, "Bellegarde-en-\nMarche", 2);
	CHECK_WRAP("Grenoble-Alpes-M\xc3\xa9tropole", 24, "Grenoble-Alpes-M\xc3\xa9tropole", 1);
	/* a word wider than the line stays whole on its own line */
	CHECK_WRAP("a Anticonstitutionnellement b", 10, "a\nAnticonstitutionnellement\nb", 3);
	/* runs of spaces and controls are one break; nothing left at the ends */
	CHECK_WRAP("  Saint-Denis \t\n  (CINOR)  ", 40, "Saint-Denis (CINOR)", 1);
	CHECK_WRAP("T2 2024", 7, "T2 2024", 1);
	CHECK_WRAP("T2 2024", 6, "T2\n2024", 2);
	CHECK_WRAP("", 10, "", 1);
	CHECK_WRAP(NULL, 10, "", 1);
}

/* The x axis's labels laid out on the references of real territories:
 * wrapped under their bars when each line fits a category's room, else
 * rotated, the x range reaching left for the first label. */
static void test_chart_long_labels(void)
{
	static const double five[] = {10.8, 9.9, 11.2, 11.2, 12.1};
	static const char *const bellegarde[] = {"Bellegarde-en-Marche",
						 "CC Marche et Combraille en Aquitaine", "Creuse",
						 "Nouvelle-Aquitaine", "France"};
	struct chart_series s = {"rate", five, NULL, NULL};
	struct chart c = {.kind = CHART_BARS,
			  .title = "Taux de ch\xc3\xb4mage",
			  .source = "Source : Insee",
			  .cat = bellegarde,
			  .ncat = 5,
			  .series = &s,
			  .nseries = 1,
			  .decimals = 1,
			  .unit = "%"};
	struct strbuf sc = STRBUF_INIT;
	struct error err;
	/* 5 categories: 700 / 5 / 7.5 - 1 = 17 characters a line, three
	 * lines, not rotated; a row under the axis for each line */
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sc.buf, "set xtics ('Bellegarde-en-'.\"\\n\".'Marche' 0, 'CC Marche et'.\"\\n\"."
			   "'Combraille en'.\"\\n\".'Aquitaine' 1, 'Creuse' 2, 'Nouvelle-'.\"\\n\"."
			   "'Aquitaine' 3, 'France' 4) scale 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set bmargin 7\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set xrange [ -0.6:4.4]\n"));
	strbuf_release(&sc);
	/* 6 categories: 700 / 6 / 7.5 - 1 = 14 characters: "Métropole
	 * d'Aix-Marseille-Provence" takes 4 lines, so rotated and wrapped at
	 * 20; the first label's 14 characters reach 14 x 7.5 x 0.87 = 91.35
	 * pixels left of its tick, 0.78 of a category (700 / 6 = 116.7
	 * pixels), 0.18 past the 0.6 of the range's start */
	static const double six[] = {20.3, 14.7, 12.6, 12.6, 12.6, 12.1};
	static const char *const marseille[] = {"Marseille 3e Arrondissement",
						"Marseille",
						"M\xc3\xa9tropole d'Aix-Marseille-Provence",
						"Bouches-du-Rh\xc3\xb4ne",
						"Provence-Alpes-C\xc3\xb4te d'Azur",
						"France"};
	s.v = six;
	c.cat = marseille;
	c.ncat = 6;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    sc.buf,
	    "set xtics ('Marseille 3e'.\"\\n\".'Arrondissement' 0, 'Marseille' 1, "
	    "'M\xc3\xa9tropole "
	    "d''Aix-'.\"\\n\".'Marseille-Provence' 2, 'Bouches-du-Rh\xc3\xb4ne' 3, "
	    "'Provence-Alpes-C\xc3\xb4te'.\"\\n\".'d''Azur' 4, 'France' 5) scale 0 rotate by 30 "
	    "right\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set xrange [ -0.783:5.4]\n"));
	/* 3 rows, 2 lines and (20 + 3) / 4 = 5 rows of slant */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set bmargin 10\n"));
	CU_ASSERT_PTR_NULL(strstr(sc.buf, "\xe2\x80\xa6"));
	strbuf_release(&sc);
}

/* The chart's language: an English chart prints its values and ticks as
 * report/typo.h does in English ("13.8%", "153,810", gnuplot's decimal
 * sign '.'), a French one "13,8 %", "153 810" and ','; drawn by the real
 * gnuplot, neither holds the other's decimal sign. */
static void test_chart_language(void)
{
	static const char *const places[] = {"Grenoble", "Is\xc3\xa8re"};
	static const double rate[] = {13.8, 9.75};
	static const double pop[] = {153810, 1284948};
	struct chart_series s = {"rate", rate, NULL, NULL};
	struct chart c = {.kind = CHART_BARS,
			  .title = "Unemployment",
			  .source = "Source: Insee",
			  .cat = places,
			  .ncat = 2,
			  .series = &s,
			  .nseries = 1,
			  .decimals = 1,
			  .unit = "%"};
	struct strbuf sc = STRBUF_INIT, svg = STRBUF_INIT;
	struct error err;
	for (int en = 0; en < 2; en++) {
		c.en = en;
		c.unit = "%";
		s.v = rate;
		strbuf_reset(&sc);
		CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(sc.buf, en ? "\nset decimalsign '.'\n" : "\nset decimalsign ','\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, en ? "set label 3 '13.8%' at"
							 : "set label 3 '13,8" NBSP "%' at"));
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(sc.buf, en ? "set label 4 '9.8%' at" : "set label 4 '9,8" NBSP "%' at"));
		strbuf_reset(&svg);
		CU_ASSERT_EQUAL_FATAL(chart_render(&c, NULL, CHART_SVG, &svg, &err), TERRAIN_OK);
		CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, en ? ">13.8%<" : ">13,8" NBSP "%<"));
		CU_ASSERT_PTR_NULL(strstr(svg.buf, en ? "13,8" : "13.8"));
		/* thousands on the value axis and above the bars */
		c.unit = NULL;
		s.v = pop;
		strbuf_reset(&sc);
		CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
		CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, en ? "set label 3 '153,810.0' at"
							 : "set label 3 '153" NNBSP "810,0' at"));
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(sc.buf, en ? "set ytics ('0' 0, '200,000' 200000, '400,000' 400000,"
				      : "set ytics ('0' 0, '200" NNBSP "000' 200000, '400" NNBSP
					"000' 400000,"));
	}
	strbuf_release(&sc);
	strbuf_release(&svg);
}

/* The horizontal bars of a survey question: its labels in full, the first
 * category at the top, error bars only where the bounds are given, the
 * unit under the value axis. */
static void test_chart_hbars(void)
{
	struct chart_series s = {HOSTILE, v1, lo, hi};
	struct chart c = {.kind = CHART_HBARS,
			  .title = HOSTILE,
			  .source = "Source : enqu\xc3\xaate de terrain",
			  .cat = cats,
			  .ncat = 4,
			  .series = &s,
			  .nseries = 1,
			  .decimals = 1,
			  .unit = "%"};
	struct strbuf sc = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "unset ylabel\nset xlabel '%'\n"));
	/* from 0 to the highest bound 15.5 and a fifth more for the values
	 * (18.6); ticks every 2 (15.5 / 5 = 3.1 -> 2) */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set xrange [ 0: 18.6]\nset yrange [3.5:-0.5]\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set xtics ('0' 0, '2' 2, '4' 4, '6' 6, '8' 8, "
					      "'10' 10, '12' 12, '14' 14, '16' 16, '18' 18)\n"));
	/* the labels whole (the hostile one is 41 characters wide), no x
	 * category tics */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set lmargin 44\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sc.buf, "set ytics ('Grenoble' 0, 'M\xc3\xa9tropole' 1, 'Is\xc3\xa8re' 2, "
			   "'O''Brien \"x\" \\ <script>alert(1)</script> \xc3\xa9' 3) scale 0\n"));
	CU_ASSERT_PTR_NULL(strstr(sc.buf, "\xe2\x80\xa6"));
	CU_ASSERT_PTR_NULL(strstr(sc.buf, "set xtics ('Grenoble'"));
	/* each value right of its interval */
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set label 3 '13,8" NBSP "%' at 15.5, 0 left offset "
					      "0.6,0 font ',9' front\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set label 6 '7,3" NBSP "%' at 8.4, 3 left"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sc.buf, "plot $data using (0):1:(0):2:($1-0.32):($1+0.32) with boxxyerror lc "
			   "rgb '#0072B2' title 'O''Brien"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, ", \\\n     $data using 2:1:3:4 with xerrorbars"));
	strbuf_release(&sc);
	/* without bounds (a question the weights were calibrated on): no
	 * error bars, each value right of its bar */
	s.low = s.high = NULL;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NULL(strstr(sc.buf, "xerrorbars"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set label 3 '13,8" NBSP "%' at 13.8, 0 left"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set xrange [ 0: 16.56]\n"));
	strbuf_release(&sc);
	/* a label wider than 48 characters wrapped at 48, the margin as wide
	 * as its longest line (46 + 3) */
	static const char *const answers[] = {
	    "Transport",
	    ("Difficult\xc3\xa9s de mobilit\xc3\xa9 (pas de permis, pas de v\xc3\xa9hicule, "
	     "transports en commun \xc3\xa9loign\xc3\xa9s)"),
	    "Logement", "Sant\xc3\xa9"};
	c.cat = answers;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sc.buf, "set lmargin 49\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    sc.buf, "set ytics ('Transport' 0, 'Difficult\xc3\xa9s de mobilit\xc3\xa9 (pas de "
		    "permis, pas de'.\"\\n\".'v\xc3\xa9hicule, transports en commun "
		    "\xc3\xa9loign\xc3\xa9s)' 1, 'Logement' 2, 'Sant\xc3\xa9' 3) scale 0\n"));
	strbuf_release(&sc);
	c.cat = cats;
	/* one series only */
	struct chart_series two[2] = {s, s};
	c.series = two;
	c.nseries = 2;
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sc, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "chart \"O'Brien \"x\" \\ <script>alert(1)</script> "
			       "\xc3\xa9\": a horizontal bar chart takes exactly 1 series");
	CU_ASSERT_EQUAL(sc.len, 0);
	strbuf_release(&sc);

	/* drawn by the real gnuplot: well-formed SVG, the hostile label whole
	 * as text (title, legend-less, category), the values; a PNG */
	c.series = &s;
	c.nseries = 1;
	s.low = lo;
	s.high = hi;
	struct strbuf svg = STRBUF_INIT;
	enum status st = chart_render(&c, NULL, CHART_SVG, &svg, &err);
	if (st)
		fprintf(stderr, "\nhbars: %s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "</svg>"));
	CU_ASSERT_PTR_NULL(strstr(svg.buf, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "13,8" NBSP "%"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "Source : enqu\xc3\xaate de terrain"));
	int scripts = 0, whole = 0;
	CU_ASSERT_TRUE(parse_svg(&svg, &scripts, &whole));
	CU_ASSERT_EQUAL(scripts, 0);
	CU_ASSERT(whole >= 2); /* the title and the category, uncut */
	strbuf_reset(&svg);
	CU_ASSERT_EQUAL_FATAL(chart_render(&c, NULL, CHART_PNG, &svg, &err), TERRAIN_OK);
	CU_ASSERT(memcmp(svg.buf, "\x89PNG\r\n\x1a\n", 8) == 0);
	strbuf_release(&svg);
}

/* A label that tries to end its string and run a command, by a quote and
 * a line break, by backquotes, or by a macro, stays text. */
static void test_chart_render_injection(void)
{
	struct strbuf flag = STRBUF_INIT, label = STRBUF_INIT, svg = STRBUF_INIT;
	strbuf_addf(&flag, "%s/pwned", test_tmpdir());
	strbuf_addf(&label, "x'\nsystem('touch %s')\n' `touch %s` @x \"`touch %s`\"", flag.buf,
		    flag.buf, flag.buf);
	struct chart_series s = {label.buf, v1, NULL, NULL};
	struct chart c = {.kind = CHART_BARS,
			  .title = label.buf,
			  .source = label.buf,
			  .cat = cats,
			  .ncat = 4,
			  .series = &s,
			  .nseries = 1};
	struct error err;
	CU_ASSERT_EQUAL(chart_render(&c, NULL, CHART_SVG, &svg, &err), TERRAIN_OK);
	CU_ASSERT_FALSE(fileio_exists(flag.buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg.buf, "x' system('touch "));
	strbuf_release(&flag);
	strbuf_release(&label);
	strbuf_release(&svg);
}

static void test_chart_render_png(void)
{
	struct chart_series s[2];
	struct chart c = hostile_chart(CHART_PAIRED, s);
	struct strbuf png = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(chart_render(&c, NULL, CHART_PNG, &png, &err), TERRAIN_OK);
	CU_ASSERT(png.len > 1000);
	CU_ASSERT(memcmp(png.buf, "\x89PNG\r\n\x1a\n", 8) == 0);
	strbuf_release(&png);
}

static char *fake_gnuplot(const char *name, const char *body);

static void test_chart_write(void)
{
	struct chart_series s[2];
	struct chart c = hostile_chart(CHART_INTERVALS, s);
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT;
	struct error err;
	/* gnuplot run once for both images, through a wrapper that counts */
	struct strbuf count_file = STRBUF_INIT, body = STRBUF_INIT, inline_svg = STRBUF_INIT;
	strbuf_addf(&count_file, "%s/gnuplot_runs", dir);
	strbuf_addf(&body, "#!/bin/sh\necho run >>'%s'\nexec gnuplot\n", count_file.buf);
	unlink(count_file.buf);
	char *prog = fake_gnuplot("gnuplot-counted", body.buf);
	struct chart_gnuplot counted = {.program = prog};
	strbuf_addstr(&inline_svg, "kept:");
	CU_ASSERT_EQUAL_FATAL(chart_write(&c, &counted, dir, "survey", &inline_svg, &err),
			      TERRAIN_OK);
	char *runs = test_read_file(count_file.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(runs);
	CU_ASSERT_STRING_EQUAL(runs, "run\n");
	free(runs);
	free(prog);
	strbuf_addf(&path, "%s/survey.svg", dir);
	char *svg = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT(strncmp(svg, "<?xml", 5) == 0);
	/* the SVG given back is the file's, appended to what the buffer held */
	CU_ASSERT(strncmp(inline_svg.buf, "kept:", 5) == 0);
	CU_ASSERT_STRING_EQUAL(inline_svg.buf + 5, svg);
	free(svg);
	strbuf_release(&count_file);
	strbuf_release(&body);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/survey.png", dir);
	char *png = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(png);
	CU_ASSERT(memcmp(png, "\x89PNG", 4) == 0);
	free(png);
	/* gnuplot missing: nothing written */
	struct chart_gnuplot gp = {.program = "/nonexistent/gnuplot"};
	/* a gnuplot that writes the SVG and no PNG, or no SVG: nothing written */
	char *svg_only = fake_gnuplot("gnuplot-svg-only",
				      "#!/bin/sh\ncat >/dev/null\nprintf '<svg>\\n</svg>\\n'\n");
	char *no_svg = fake_gnuplot(
	    "gnuplot-no-svg", "#!/bin/sh\ncat >/dev/null\nprintf '\\211PNG\\r\\n\\032\\nxx'\n");
	gp.program = svg_only;
	CU_ASSERT_EQUAL(chart_write(&c, &gp, dir, "other", NULL, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot wrote no PNG image");
	gp.program = no_svg;
	CU_ASSERT_EQUAL(chart_write(&c, &gp, dir, "other", NULL, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot wrote no SVG image");
	free(svg_only);
	free(no_svg);
	gp.program = "/nonexistent/gnuplot";
	strbuf_reset(&inline_svg);
	CU_ASSERT_EQUAL(chart_write(&c, &gp, dir, "other", &inline_svg, &err), TERRAIN_EIO);
	CU_ASSERT_EQUAL(inline_svg.len, 0);
	strbuf_release(&inline_svg);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/other.svg", dir);
	CU_ASSERT_FALSE(fileio_exists(path.buf));
	strbuf_release(&path);
}

static void test_chart_gnuplot_missing(void)
{
	struct chart_series s[2];
	struct chart c = hostile_chart(CHART_BARS, s);
	struct strbuf out = STRBUF_INIT;
	struct error err;
	setenv("TERRAIN_GNUPLOT", "/nonexistent/gnuplot", 1);
	CU_ASSERT_EQUAL(chart_render(&c, NULL, CHART_SVG, &out, &err), TERRAIN_EIO);
	unsetenv("TERRAIN_GNUPLOT");
	CU_ASSERT_STRING_EQUAL(
	    err.msg,
	    "gnuplot not found: \"/nonexistent/gnuplot\" (install the gnuplot-nox package)");
	CU_ASSERT_EQUAL(out.len, 0);
	/* a name looked up in PATH */
	struct chart_gnuplot gp = {.program = "terrain-no-such-gnuplot"};
	CU_ASSERT_EQUAL(chart_render(&c, &gp, CHART_SVG, &out, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(
	    err.msg,
	    "gnuplot not found: \"terrain-no-such-gnuplot\" (install the gnuplot-nox package)");
	strbuf_release(&out);
}

/* An executable shell script standing in for gnuplot, in a test folder;
 * returned owned (free()). */
static char *fake_gnuplot(const char *name, const char *body)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", test_tmpdir(), name);
	test_write_file(path.buf, body);
	CU_ASSERT(chmod(path.buf, 0755) == 0);
	return strbuf_detach(&path);
}

static enum status run_fake(const char *body, unsigned timeout_ms, size_t max_bytes,
			    const char *script, struct strbuf *out, struct error *err)
{
	char *prog = fake_gnuplot("gnuplot", body);
	struct chart_gnuplot gp = {prog, timeout_ms, max_bytes};
	enum status st = chart_run_gnuplot(&gp, script, out, err);
	free(prog);
	return st;
}

static void test_chart_gnuplot_fails(void)
{
	struct strbuf out = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\ncat >/dev/null\necho 'partial' \n"
				 "printf '\\n  bad thing happened\\nsecond line\\n' >&2\nexit 3\n",
				 0, 0, "plot x\n", &out, &err),
			TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot exited with status 3: bad thing happened");
	CU_ASSERT_EQUAL(out.len, 0); /* nothing of a failed run */
	/* through TERRAIN_GNUPLOT, nothing on stderr */
	char *prog = fake_gnuplot("gnuplot-quiet", "#!/bin/sh\nexit 4\n");
	setenv("TERRAIN_GNUPLOT", prog, 1);
	CU_ASSERT_EQUAL(chart_run_gnuplot(NULL, "plot x\n", &out, &err), TERRAIN_EIO);
	unsetenv("TERRAIN_GNUPLOT");
	free(prog);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot exited with status 4");
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\nkill -9 $$\n", 0, 0, "", &out, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot killed by signal 9");
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\ncat >/dev/null\n", 0, 0, "plot x\n", &out, &err),
			TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot wrote no image");
	/* the real gnuplot's own error: the line that says what is wrong */
	CU_ASSERT_EQUAL(chart_run_gnuplot(NULL, "set output\nset foo\n", &out, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(
	    err.msg, "gnuplot exited with status 1: line 0: unrecognized option - see 'help set'.");
	strbuf_release(&out);
}

/* gnuplot gone before it read a script larger than a pipe holds: the
 * write fails with EPIPE, SIGPIPE does not kill the process, and the exit
 * status is reported. */
static void test_chart_gnuplot_exits_early(void)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;
	struct error err;
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&script, "print 1234567890\n");
	CU_ASSERT_EQUAL(
	    run_fake("#!/bin/sh\necho 'cannot read' >&2\nexit 3\n", 0, 0, script.buf, &out, &err),
	    TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot exited with status 3: cannot read");
	/* a program that reads it all and echoes it back: no deadlock when
	 * both pipes are full */
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\nexec cat\n", 0, 0, script.buf, &out, &err),
			TERRAIN_OK);
	CU_ASSERT_EQUAL(out.len, script.len);
	CU_ASSERT(out.len == script.len && memcmp(out.buf, script.buf, out.len) == 0);
	strbuf_release(&script);
	strbuf_release(&out);
}

static double elapsed_s(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_chart_gnuplot_timeout(void)
{
	struct strbuf out = STRBUF_INIT;
	struct error err;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\nexec sleep 30\n", 1000, 0, "plot x\n", &out, &err),
			TERRAIN_EIO);
	double s = elapsed_s(&t0);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot timed out after 1000 ms (killed)");
	CU_ASSERT(s >= 0.9 && s < 5);
	/* outputs closed, the process still running */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\nexec sleep 30 >&- 2>&-\n", 500, 0, "", &out, &err),
			TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot timed out after 500 ms (killed)");
	CU_ASSERT(elapsed_s(&t0) < 5);
	CU_ASSERT_EQUAL(out.len, 0);
	strbuf_release(&out);
}

static void test_chart_gnuplot_too_big(void)
{
	struct strbuf out = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL(run_fake("#!/bin/sh\nexec cat /dev/zero\n", 0, 100000, "", &out, &err),
			TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "gnuplot output exceeds 100000 bytes (killed)");
	CU_ASSERT_EQUAL(out.len, 0);
	strbuf_release(&out);
}

/* The action plan's schedule: one bar per task from its low to its high
 * bound, a line at each year (12 units), the bounds required, the task
 * labels escaped like every other text. */
static void test_chart_gantt(void)
{
	const char *const tasks[] = {"A1 Rep\xc3\xa9rage", HOSTILE};
	double v[] = {6, 33}, low[] = {0, 3}, high[] = {6, 36};
	struct chart_series s = {NULL, v, low, high};
	struct chart c = {.kind = CHART_GANTT,
			  .title = "Calendrier",
			  .source = "Source : plan d'action",
			  .xlabel = "mois",
			  .cat = tasks,
			  .ncat = 2,
			  .series = &s,
			  .nseries = 1};
	struct strbuf sb = STRBUF_INIT;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(chart_script(&c, CHART_SVG, &sb, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "set xrange [0:36]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "set arrow from 12, graph 0 to 12, graph 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "set arrow from 24, graph 0 to 24, graph 1"));
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "set arrow from 36"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "using (($3+$4)/2):1:3:4:($1-0.32):($1+0.32) with "
					      "boxxyerror"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "\n0 6 0 6\n1 33 3 36\n"));
	strbuf_reset(&sb);
	CU_ASSERT_EQUAL(chart_render(&c, NULL, CHART_SVG, &sb, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "<script"));
	s.high = NULL;
	strbuf_reset(&sb);
	CU_ASSERT_EQUAL(chart_script(&c, CHART_SVG, &sb, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(
	    err.msg, "chart \"Calendrier\": a Gantt chart takes 1 series with its bounds");
	strbuf_release(&sb);
}

void suite_chart(void)
{
	CU_pSuite s = CU_add_suite("chart", NULL, NULL);
	ADD_TEST(s, test_chart_escape);
	ADD_TEST(s, test_chart_format_number);
	ADD_TEST(s, test_chart_script);
	ADD_TEST(s, test_chart_script_errors);
	ADD_TEST(s, test_chart_render_svg);
	ADD_TEST(s, test_chart_render_injection);
	ADD_TEST(s, test_chart_render_png);
	ADD_TEST(s, test_chart_hbars);
	ADD_TEST(s, test_chart_language);
	ADD_TEST(s, test_chart_wrap);
	ADD_TEST(s, test_chart_long_labels);
	ADD_TEST(s, test_chart_write);
	ADD_TEST(s, test_chart_gnuplot_missing);
	ADD_TEST(s, test_chart_gnuplot_fails);
	ADD_TEST(s, test_chart_gnuplot_exits_early);
	ADD_TEST(s, test_chart_gnuplot_timeout);
	ADD_TEST(s, test_chart_gnuplot_too_big);
	ADD_TEST(s, test_chart_gantt);
}
