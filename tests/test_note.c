#define _GNU_SOURCE /* memmem */
/* report/note.c: the one Markdown and HTML escaping, and the note of the
 * bundled example against its golden file (tests/fixtures/note/, written by
 * terrain and read through; regenerate with the command in its README). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../analysis/budget.h"
#include "../analysis/sizing.h"
#include "../core/fileio.h"
#include "../core/xalloc.h"
#include "../report/budget_report.h"
#include "../report/note.h"
#include "../report/note_internal.h"
#include "helpers.h"

#define HOSTILE "<script>alert(1)</script> O'Brien \"x\" \\ é & [l](u) *e* | #"

static void test_note_escaping(void)
{
	struct strbuf sb = STRBUF_INIT;
	note_escape_html(HOSTILE, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien "
				       "&quot;x&quot; \\ é &amp; [l](u) *e* | #");
	strbuf_reset(&sb);
	note_escape_md(HOSTILE "\nsecond line", &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "\\<script\\>alert(1)\\</script\\> O'Brien \"x\" \\\\ é \\& "
				       "\\[l\\](u) \\*e\\* \\| \\# second line");
	/* the escaped Markdown renders as the text it was */
	struct strbuf html = STRBUF_INIT;
	CU_ASSERT_EQUAL_FATAL(note_html(sb.buf, sb.len, HOSTILE, false, NULL, 0, &html, NULL),
			      TERRAIN_OK);
	CU_ASSERT_PTR_NULL(strstr(html.buf, "<script"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html.buf, "<title>&lt;script&gt;alert(1)&lt;/script&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html.buf,
				      "&lt;script&gt;alert(1)&lt;/script&gt; O'Brien "
				      "&quot;x&quot; \\ é &amp; [l](u) *e* | # second line"));
	/* raw HTML in the Markdown itself is left out (cmark's safe mode) */
	strbuf_reset(&html);
	CU_ASSERT_EQUAL(note_html("<script>x</script>\n", 19, "t", true, NULL, 0, &html, NULL),
			TERRAIN_OK);
	CU_ASSERT_PTR_NULL(strstr(html.buf, "<script>x"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html.buf, "<html lang=\"en\">"));
	strbuf_release(&sb);
	strbuf_release(&html);
}

static char *run_report(const char *ini, const char *lang, const char *dir)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	const char *args[] = {"report", "-c", ini, "--output", dir, "--lang", lang, NULL};
	CU_ASSERT_EQUAL(test_run(args, (const char *const[]){"TERRAIN_DATE=2026-11-29", NULL}, NULL,
				 &out, &err),
			0);
	if (err.len && strstr(err.buf, "error"))
		fprintf(stderr, "\n%s\n", err.buf);
	/* the example is a French project: its English note goes beside it */
	strbuf_addf(&path, "%s/com_38185/note%s.md", dir, strcmp(lang, "en") ? "" : ".en");
	CU_ASSERT_PTR_NOT_NULL(strstr(out.buf, path.buf));
	char *md = test_read_file(path.buf);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
	return md;
}

/* The bundled example, from the repository's root as make check runs it. */
static void test_note_golden(void)
{
	const char *dir = test_tmpdir();
	char *md = run_report("datasets/examples/grenoble/terrain.ini", "fr", dir);
	char *want = test_read_file("tests/fixtures/note/grenoble_fr.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_STRING_EQUAL(md, want);
	if (strcmp(md, want))
		fprintf(stderr,
			"\nnote.md differs from tests/fixtures/note/grenoble_fr.md: diff "
			"%s/com_38185/note.md against it\n",
			dir);
	/* the sentence the issue asks for, with French typography */
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "Taux de chômage des 15-64 ans (recensement)\xc2\xa0: "
		       "13,8\xc2\xa0% à Grenoble, soit 4,0\xc2\xa0points de plus que dans "
		       "l'Isère (9,8\xc2\xa0%)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| 10\xe2\x80\xaf"
					  "527 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "](charts/unemployment.png)"));
	/* note.html holds the charts as inline SVG: one file */
	struct strbuf hp = STRBUF_INIT;
	strbuf_addf(&hp, "%s/com_38185/note.html", dir);
	char *html = test_read_file(hp.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<img src=\"charts/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<figure role=\"img\" aria-label=\"Taux de chômage des "
					    "15-64 ans (recensement)\"><svg"));
	free(html);
	/* the editable note (ODT, its charts inside) and the tables (XLSX) */
	strbuf_reset(&hp);
	strbuf_addf(&hp, "%s/com_38185/note.odt", dir);
	char *mt = test_zip_member(hp.buf, "mimetype", NULL);
	CU_ASSERT_PTR_NOT_NULL(mt);
	CU_ASSERT_STRING_EQUAL(mt ? mt : "", "application/vnd.oasis.opendocument.text");
	free(mt);
	char *content = test_zip_member(hp.buf, "content.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL(content ? strstr(content, "Taux de chômage des 15-64 ans") : NULL);
	free(content);
	char *png = test_zip_member(hp.buf, "Pictures/unemployment.png", NULL);
	CU_ASSERT_PTR_NOT_NULL(png);
	free(png);
	strbuf_reset(&hp);
	strbuf_addf(&hp, "%s/com_38185/tables.xlsx", dir);
	char *sheet = test_zip_member(hp.buf, "xl/worksheets/sheet1.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL(sheet ? strstr(sheet, "<v>10527</v>") : NULL);
	free(sheet);
	strbuf_release(&hp);
	free(md);
	/* English on request, beside the French note, never over it */
	md = run_report("datasets/examples/grenoble/terrain.ini", "en", dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 5. Findings"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "13.8% in Grenoble, 4.0 points above the level in Isère"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "](charts.en/unemployment.png)"));
	free(md);
	strbuf_addf(&hp, "%s/com_38185/note.md", dir);
	md = test_read_file(hp.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_STRING_EQUAL(md, want);
	free(md);
	free(want);
	strbuf_release(&hp);
}

/* terrain run twice with the same inputs: the same outputs, by the
 * manifest's sha256; with [sources] and --offline on an empty cache, the
 * run goes on with the bundled data and exits 3. */
static void test_run_manifest_and_offline(void)
{
	const char *a = test_tmpdir(), *b = test_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	const char *env[] = {"TERRAIN_DATE=2026-11-29", NULL};
	const char *dirs[] = {a, b};
	json_t *m[2] = {NULL, NULL};
	for (int i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(
		    test_run((const char *const[]){"run", "-c",
						   "datasets/examples/grenoble/terrain.ini",
						   "--output", dirs[i], NULL},
			     env, NULL, &out, &err),
		    0);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/com_38185/manifest.json", dirs[i]);
		m[i] = json_load_file(path.buf, 0, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m[i]);
	}
	json_t *o0 = json_object_get(m[0], "outputs"), *o1 = json_object_get(m[1], "outputs");
	CU_ASSERT(json_object_size(o0) > 20);
	CU_ASSERT(json_equal(o0, o1));
	CU_ASSERT_PTR_NOT_NULL(json_object_get(o0, "note.md"));
	CU_ASSERT_PTR_NOT_NULL(
	    json_object_get(json_object_get(m[0], "inputs"), "census/comparateur_communes.csv"));
	/* a bundled folder (the outlines by département): each of its files */
	CU_ASSERT_PTR_NOT_NULL(
	    json_object_get(json_object_get(m[0], "inputs"), "contours/communes/38.txt.gz"));
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(m[0], "inputs"), "contours/communes/"));
	/* the zone d'emploi's bar is named as its column head: a capital */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/charts/activity.svg", a);
	char *svg = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">Zone d'emploi<"));
	CU_ASSERT_PTR_NULL(strstr(svg, ">zone d'emploi<"));
	free(svg);
	json_decref(m[0]);
	json_decref(m[1]);

	const char *dir = test_tmpdir();
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/terrain.ini", dir);
	test_write_file(path.buf, "[project]\nterritory = 38185\n[sources]\ncache = cache\n"
				  "store = store.db\n");
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"run", "--offline", NULL}, env, dir, &out, &err), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "some public data could not be fetched"));
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/out/com_38185/note.md", dir);
	char *md = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(md);
	free(md);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
}

/* Without gnuplot: the note all the same, without charts, and a warning. */
static void test_note_without_gnuplot(void)
{
	const char *dir = test_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"report", "-c", "datasets/examples/grenoble/terrain.ini",
					   "--output", dir, NULL},
		     (const char *const[]){"TERRAIN_GNUPLOT=/nonexistent/gnuplot", NULL}, NULL,
		     &out, &err),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "warning: the note has its maps but no charts: "
					       "gnuplot not found: \"/nonexistent/gnuplot\" "
					       "(install the gnuplot-nox package)"));
	strbuf_addf(&path, "%s/com_38185/note.md", dir);
	char *md = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	/* the maps need no gnuplot: there, and nothing else */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "](charts/map_poverty_rate.png)"));
	CU_ASSERT_PTR_NULL(strstr(md, "](charts/unemployment.png)"));
	CU_ASSERT_PTR_NULL(strstr(md, "](charts/population_cog.png)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 5. Constats"));
	free(md);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
}

/* Each chart of the example drawn by one run of gnuplot, SVG and PNG (the
 * SVG inlined in note.html is the file's): 12 charts, 12 runs, counted by
 * a wrapper given as TERRAIN_GNUPLOT. */
static void test_note_gnuplot_runs(void)
{
	const char *dir = test_tmpdir();
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT, count = STRBUF_INIT,
		      env = STRBUF_INIT;
	strbuf_addf(&count, "%s/note_gnuplot_runs", dir);
	unlink(count.buf);
	strbuf_addf(&path, "%s/gnuplot-counted", dir);
	strbuf_addf(&out, "#!/bin/sh\necho run >>'%s'\nexec gnuplot\n", count.buf);
	test_write_file(path.buf, out.buf);
	CU_ASSERT_EQUAL(chmod(path.buf, 0755), 0);
	strbuf_reset(&out);
	strbuf_addf(&env, "TERRAIN_GNUPLOT=%s", path.buf);
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"report", "-c", "datasets/examples/grenoble/terrain.ini",
					   "--output", dir, NULL},
		     (const char *const[]){env.buf, NULL}, NULL, &out, &err),
	    0);
	char *runs = test_read_file(count.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(runs);
	size_t n = 0;
	for (const char *p = runs; (p = strstr(p, "run\n")); p += 4)
		n++;
	CU_ASSERT_EQUAL(n, 14);
	free(runs);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/com_38185/charts/budget.png", dir);
	CU_ASSERT_TRUE(fileio_exists(path.buf));
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
	strbuf_release(&count);
	strbuf_release(&env);
}

/* A title and an author holding markup show as text in the HTML. */
static void test_note_hostile_project(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	test_write_file(ini.buf, "[project]\nterritory = 38185\ntitle = " HOSTILE "\nauthor = "
				 "<img src=x onerror=alert(1)>\n");
	char *md = run_report(ini.buf, "fr", dir);
	free(md);
	strbuf_addf(&path, "%s/com_38185/note.html", dir);
	char *html = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "<img"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<h1>&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(html);
	strbuf_release(&ini);
	strbuf_release(&path);
}

/* The other language's function words: a French note holds none of the
 * English list, outside code spans and URLs.  Grow the list whenever a
 * leak is found. */
static const char *const english_words[] = {
    "the",	"and",	     "of",	  "with",	 "needs",	"not",	    "each",
    "for",	"from",	     "to",	  "is",		 "are",		"this",	    "that",
    "by",	"its",	     "which",	  "per",	 "or",		"yet",	    "only",
    "data",	"package",   "retrieved", "published",	 "available",	"above",    "below",
    "level",	"rising",    "falling",	  "significant", "unavailable", "findings", "survey",
    "concerns", "strengths", "concerned", NULL};

/* The first word of md in words (letters, apostrophes excluded) outside
 * `code` and <url>, or NULL: copied into bad. */
static bool leaks(const char *md, const char *const *words, char *bad, size_t size)
{
	const char *p = md;
	while (*p) {
		if (*p == '`') { /* a code span */
			const char *e = strchr(p + 1, '`');
			p = e ? e + 1 : p + 1;
			continue;
		}
		if (*p == '<' || !strncmp(p, "](", 2)) { /* an autolink or a link target */
			const char *e = strchr(p, *p == '<' ? '>' : ')');
			p = e ? e + 1 : p + 1;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			p++;
			continue;
		}
		const char *s = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (unsigned char)*p >= 0x80)
			p++;
		size_t n = (size_t)(p - s);
		/* a word glued to an apostrophe ("d'emploi") is French */
		if (s > md &&
		    (s[-1] == '\'' || !strncmp(s - 3 > md ? s - 3 : md, "\xe2\x80\x99", 3)))
			continue;
		for (size_t i = 0; words[i]; i++)
			if (strlen(words[i]) == n && !strncasecmp(s, words[i], n) &&
			    (s[0] >= 'a' || n > 1)) {
				snprintf(bad, size, "%.*s (at \"%.40s\")", (int)n, s, s);
				return true;
			}
	}
	return false;
}

/* The note of a project made by terrain init for code (references given,
 * or the defaults), in lang, into a fresh folder; owned (free with free()).
 * html, when not NULL, receives the note's HTML page the same way. */
static char *note_for(const char *code, const char *refs, const char *lang, char **html)
{
	struct strbuf dir = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&dir, "%s/note", test_tmpdir());
	strbuf_addf(&path, "%s/terrain.ini", dir.buf);
	if (refs) {
		struct error e;
		CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(dir.buf, &e), TERRAIN_OK);
		strbuf_addf(&out, "[project]\nterritory = %s\nreferences = %s\n", code, refs);
		test_write_file(path.buf, out.buf);
	} else {
		const char *init[] = {"init", dir.buf, "--territory", code, NULL};
		CU_ASSERT_EQUAL_FATAL(test_run(init, NULL, NULL, &out, &err), 0);
	}
	strbuf_addstr(&dir, "/out");
	const char *rep[] = {"report", "-c", path.buf, "--output", dir.buf, "--lang", lang, NULL};
	CU_ASSERT_EQUAL_FATAL(
	    test_run(rep, (const char *const[]){"TERRAIN_DATE=2026-11-29", NULL}, NULL, &out, &err),
	    0);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s%s/note%s.md", dir.buf, strchr(code, ':') ? "" : "com:", code,
		    strcmp(lang, "en") ? "" : ".en");
	for (char *c = path.buf + strlen(dir.buf); *c; c++)
		if (*c == ':')
			*c = '_';
	char *md = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(md);
	if (!md)
		fprintf(stderr, "\nno note at %s\n", path.buf);
	if (html) {
		strbuf_setlen(&path, path.len - 2);
		strbuf_addstr(&path, "html");
		*html = test_read_file(path.buf);
		CU_ASSERT_PTR_NOT_NULL(*html);
	}
	strbuf_release(&dir);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
	return md;
}

/* The territories both guards read: Grenoble, Roubaix, Marseille 3e, La
 * Réunion, the Nord, Hauts-de-France, a commune of Seine-Maritime, Saint-Denis
 * de La Réunion, Corte and a rural commune of the Ain. */
static const char *const guard_codes[] = {"com:38185", "com:59512", "arm:13203", "dep:974",
					  "dep:59",    "reg:32",    "com:76351", "com:97411",
					  "com:2B096", "com:01001", NULL};

static void test_note_french_only(void)
{
	char bad[128];
	/* the guard finds a leak */
	CU_ASSERT_TRUE(leaks("Le taux, needs terrain fetch", english_words, bad, sizeof(bad)));
	CU_ASSERT_FALSE(leaks("à récupérer avec `terrain fetch` <https://www.insee.fr/the>",
			      english_words, bad, sizeof(bad)));
	for (size_t i = 0; guard_codes[i]; i++) {
		char *md = note_for(guard_codes[i], NULL, "fr", NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(md);
		bool leak = leaks(md, english_words, bad, sizeof(bad));
		CU_ASSERT_FALSE(leak);
		if (leak)
			fprintf(stderr, "\n%s: English word %s\n", guard_codes[i], bad);
		free(md);
	}
}

/* ---- the field survey's section and findings, on a hand-made digest ---- */

/* An INVENTED digest: sexe calibrated on margins, a multiple choice with a
 * suppressed answer, a whole number, and statut*sexe tested (p = 0.012)
 * with weighted counts chosen by hand: women 60 in work and 40
 * unemployed, men 80 and 20. */
#define S(x) ((char[]){x}) /* a modifiable string, as the digest owns them */
static struct note_survey_answer sexe_a[] = {
    {S("Femme"), 0.52, 0.52, 0.52, 150, false, false, S("F")},
    {S("Homme"), 0.48, 0.48, 0.48, 90, false, false, S("H")},
};
static struct note_survey_answer freins_a[] = {
    {S("Transport"), 0.434, 0.358, 0.513, 74, false, false, S("transport")},
    {S("Garde d'enfants"), 0.294, 0.227, 0.372, 48, false, false, S("garde")},
    {S("Sant\xc3\xa9"), 0.02, 0.01, 0.05, 3, true, true, S("sante")},
    {S("Logement"), 0.424, 0.348, 0.504, 69, false, false, S("logement")},
};
static struct note_survey_answer statut_a[] = {
    {S("En emploi"), 0.70, 0.62, 0.77, 70, false, false, S("emploi")},
    {S("Au ch\xc3\xb4mage"), 0.30, 0.23, 0.38, 30, false, true, S("chomage")},
};
static double cross_w[] = {60, 80, 40, 20};
static size_t cross_n[] = {30, 40, 20, 10};
static struct note_survey_question digest_q[] = {
    {.name = S("sexe"),
     .label = S("Sexe"),
     .type = SURVEY_SINGLE,
     .calibrated = true,
     .n = 240,
     .answer = sexe_a,
     .nanswer = 2},
    {.name = S("freins"),
     .label = S("Freins \xc3\xa0 l'emploi"),
     .type = SURVEY_MULTIPLE,
     .n = 168,
     .answer = freins_a,
     .nanswer = 4},
    {.name = S("enfants"),
     .label = S("Nombre d'enfants"),
     .type = SURVEY_INTEGER,
     .n = 240,
     .mean = 1.234,
     .mean_low = 1.06,
     .mean_high = 1.40,
     .median = 1,
     .median_low = 1,
     .median_high = 2},
    {.name = S("statut"),
     .label = S("Situation"),
     .type = SURVEY_SINGLE,
     .n = 100,
     .answer = statut_a,
     .nanswer = 2},
};
static struct note_survey_crosstab digest_tab[] = {{3, 0, true, 0.012, cross_w, cross_n}};

static struct note_survey digest_fixture(void)
{
	digest_tab[0].p = 0.012;
	cross_n[1] = 40;
	return (struct note_survey){240,	"rake", 5, 30, 0.2,   digest_q, 4,
				    digest_tab, 1,	0, 0,  false, false,	NULL};
}

static void test_note_survey_section(void)
{
	struct note_survey sv = digest_fixture();
	struct note_input in = {.survey = &sv};
	struct strbuf sb = STRBUF_INIT;
	int sec = 3;
	note_survey_section(&in, &sb, &sec);
	CU_ASSERT_EQUAL(sec, 4);
	static const char want[] =
	    "## 4. R\xc3\xa9sultats de l'enqu\xc3\xaate de terrain\n\n"
	    "Pour chaque question, la part pond\xc3\xa9r\xc3\xa9"
	    "e de chaque r\xc3\xa9ponse, son "
	    "intervalle de confiance \xc3\xa0 95 % et le nombre de r\xc3\xa9pondants qui l'ont "
	    "donn\xc3\xa9"
	    "e (non pond\xc3\xa9r\xc3\xa9).\n\n"
	    "**Sexe** (240 r\xc3\xa9pondants)\n\n"
	    "| R\xc3\xa9ponse | Part pond\xc3\xa9r\xc3\xa9"
	    "e | IC \xc3\xa0 95 % | R\xc3\xa9pondants |\n"
	    "|---|---:|---:|---:|\n"
	    "| Femme | 52,0" NBSP "% | cal\xc3\xa9 sur les marges | 150 |\n"
	    "| Homme | 48,0" NBSP "% | cal\xc3\xa9 sur les marges | 90 |\n\n"
	    "**Freins \xc3\xa0 l'emploi** (168 r\xc3\xa9pondants ; plusieurs r\xc3\xa9ponses "
	    "possibles)\n\n"
	    "| R\xc3\xa9ponse | Part pond\xc3\xa9r\xc3\xa9"
	    "e | IC \xc3\xa0 95 % | R\xc3\xa9pondants |\n"
	    "|---|---:|---:|---:|\n"
	    "| Transport | 43,4" NBSP "% | 35,8 \xc3\xa0 51,3" NBSP "% | 74 |\n"
	    "| Garde d'enfants | 29,4" NBSP "% | 22,7 \xc3\xa0 37,2" NBSP "% | 48 |\n"
	    "| Sant\xc3\xa9 | non publi\xc3\xa9"
	    "e | | moins de 5 |\n"
	    "| Logement | 42,4" NBSP "% | 34,8 \xc3\xa0 50,4" NBSP "% | 69 |\n\n"
	    "**Nombre d'enfants** (240 r\xc3\xa9pondants)\n\n"
	    "| Statistique | Valeur | IC \xc3\xa0 95 % |\n"
	    "|---|---:|---:|\n"
	    "| Moyenne | 1,2 | 1,1 \xc3\xa0 1,4 |\n"
	    "| M\xc3\xa9"
	    "diane | 1 | 1 \xc3\xa0 2 |\n\n"
	    "**Situation** (100 r\xc3\xa9pondants)\n\n"
	    "| R\xc3\xa9ponse | Part pond\xc3\xa9r\xc3\xa9"
	    "e | IC \xc3\xa0 95 % | R\xc3\xa9pondants |\n"
	    "|---|---:|---:|---:|\n"
	    "| En emploi | 70,0" NBSP "% | 62,0 \xc3\xa0 77,0" NBSP "% | 70 |\n"
	    "| Au ch\xc3\xb4mage | 30,0" NBSP "% (impr\xc3\xa9"
	    "cise) | 23,0 \xc3\xa0 38,0" NBSP "% | 30 |\n\n"
	    "*Une part dite impr\xc3\xa9"
	    "cise repose sur moins de 30 r\xc3\xa9ponses ou a un "
	    "coefficient de variation sup\xc3\xa9rieur \xc3\xa0 20" NBSP "%" NBSP
	    ": \xc3\xa0 lire avec "
	    "prudence.*\n\n";
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\n%s\n", sb.buf);
	/* no doubled colon anywhere */
	CU_ASSERT_PTR_NULL(strstr(sb.buf, ": :"));
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "::"));
	/* English */
	strbuf_reset(&sb);
	in.en = true;
	sec = 0;
	note_survey_section(&in, &sb, &sec);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sb.buf, "## 1. Field survey results\n\nFor each question, the weighted "
			   "share of each answer, its 95% confidence interval and the "
			   "number of respondents who gave it (unweighted).\n\n"
			   "**Sexe** (240 "
			   "respondents)\n\n| Answer | Weighted share | 95% CI | "
			   "Respondents |\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sb.buf, "| Femme | 52.0% | calibrated on the margins | 150 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "(168 respondents; several answers possible)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "| Santé | not published | | fewer than 5 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "| Median | 1 | 1 to 2 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf,
				      "*A share marked imprecise rests on fewer than 30 "
				      "answers or has a coefficient of variation above 20%: "
				      "read it with care.*\n\n"));
	strbuf_release(&sb);
}

static void test_note_survey_findings(void)
{
	struct note_survey sv = digest_fixture();
	struct note_input in = {.survey = &sv};
	struct strbuf sb = STRBUF_INIT;
	/* sexe is calibrated (its shares are the margins'), enfants a number:
	 * no finding; freins and statut their leading answers; statut*sexe
	 * its largest gap: every cell of a 2 x 2 table differs by 20 points
	 * from the other group, and the first where the answer is the more
	 * frequent in its group is quoted: men in work, 80 / (80 + 20)
	 * against women 60 / (60 + 40) */
	CU_ASSERT_EQUAL(note_survey_findings(&in, &sb), 3);
	static const char want[] =
	    "- *[\xc3\x80 relire]* Freins \xc3\xa0 l'emploi" NBSP ": \xc2\xab" NBSP "Transport" NBSP
	    "\xc2\xbb est la r\xc3\xa9ponse la plus cit\xc3\xa9"
	    "e, par 43" NBSP "% des r\xc3\xa9pondants "
	    "(IC \xc3\xa0 95" NBSP "%" NBSP ": 36 \xc3\xa0 51" NBSP
	    "%), \xc3\xa0 \xc3\xa9galit\xc3\xa9 "
	    "statistique avec \xc2\xab" NBSP "Logement" NBSP "\xc2\xbb (42" NBSP "%).\n"
	    "- *[\xc3\x80 relire]* Situation" NBSP ": \xc2\xab" NBSP "En emploi" NBSP
	    "\xc2\xbb est la "
	    "r\xc3\xa9ponse la plus fr\xc3\xa9quente, donn\xc3\xa9"
	    "e par 70" NBSP "% des r\xc3\xa9pondants "
	    "(IC \xc3\xa0 95" NBSP "%" NBSP ": 62 \xc3\xa0 77" NBSP "%), devant \xc2\xab" NBSP
	    "Au ch\xc3\xb4mage" NBSP "\xc2\xbb (30" NBSP "%).\n"
	    "- *[\xc3\x80 relire]* Situation et sexe" NBSP ": 80" NBSP
	    "% des r\xc3\xa9pondants \xc2\xab" NBSP "Homme" NBSP
	    "\xc2\xbb r\xc3\xa9pondent \xc2\xab" NBSP "En emploi" NBSP "\xc2\xbb, contre "
	    "60" NBSP "% des r\xc3\xa9pondants \xc2\xab" NBSP "Femme" NBSP "\xc2\xbb ; \xc3\xa9"
	    "cart "
	    "significatif (test de Rao-Scott, p = 0,012).\n";
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\n%s\n", sb.buf);
	/* English */
	strbuf_reset(&sb);
	in.en = true;
	CU_ASSERT_EQUAL(note_survey_findings(&in, &sb), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf,
				      "- *[To review]* Situation: \xe2\x80\x9c"
				      "En emploi\xe2\x80\x9d "
				      "is the most frequent answer, given by 70% of "
				      "respondents (95% CI: 62 to 77%), ahead of \xe2\x80\x9c"
				      "Au ch\xc3\xb4mage\xe2\x80\x9d (30%).\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(sb.buf, "- *[To review]* Situation and sexe: 80% of the "
			   "respondents \xe2\x80\x9cHomme\xe2\x80\x9d answer \xe2\x80\x9c"
			   "En emploi\xe2\x80\x9d, against 60% of the "
			   "respondents \xe2\x80\x9c"
			   "Femme\xe2\x80\x9d; significant "
			   "difference (Rao-Scott test, p = 0.012).\n"));
	/* not significant (p = 0.05), or a runner-up outside the interval: no
	 * association, "devant" */
	sv.tab[0].p = 0.05;
	strbuf_reset(&sb);
	in.en = false;
	CU_ASSERT_EQUAL(note_survey_findings(&in, &sb), 2);
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "Rao-Scott"));
	/* p under 0.001; a cell under 5 respondents never quoted (the men in
	 * work left out: the women unemployed, 40 % against 20 %) */
	sv.tab[0].p = 0.0004;
	strbuf_reset(&sb);
	CU_ASSERT_EQUAL(note_survey_findings(&in, &sb), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "(test de Rao-Scott, p < 0,001).\n"));
	cross_n[1] = 4; /* in work, men: too few to quote */
	strbuf_reset(&sb);
	CU_ASSERT_EQUAL(note_survey_findings(&in, &sb), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf,
				      "40" NBSP "% des r\xc3\xa9pondants \xc2\xab" NBSP "Femme" NBSP
				      "\xc2\xbb r\xc3\xa9pondent \xc2\xab" NBSP
				      "Au ch\xc3\xb4mage" NBSP "\xc2\xbb, contre 20" NBSP "%"));
	strbuf_release(&sb);
}

/* One chart per categorical question (numbers have none), drawn by the
 * real gnuplot: the answers from the largest share down (the suppressed
 * one left out), in the codebook's order for an ordinal question; each
 * chart under its question's table. */
static void test_note_survey_charts(void)
{
	struct note_survey sv = digest_fixture();
	struct note_input in = {.survey = &sv};
	struct note_chart_set set = {0};
	struct error err;
	const char *dir = test_tmpdir();
	enum status st = note_survey_charts(&in, dir, &set, &err);
	if (st)
		fprintf(stderr, "\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(st, TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(set.n, 3);
	CU_ASSERT_STRING_EQUAL(set.v[0].name, "survey_sexe");
	CU_ASSERT_STRING_EQUAL(set.v[1].name, "survey_freins");
	CU_ASSERT_STRING_EQUAL(set.v[2].name, "survey_statut");
	CU_ASSERT_STRING_EQUAL(set.v[1].title, "Freins \xc3\xa0 l'emploi");
	CU_ASSERT_STRING_EQUAL(set.v[1].anchor, "survey");
	/* the tics in their order: Transport 43.4, Logement 42.4, Garde 29.4 */
	const char *svg = set.v[1].svg;
	const char *t = strstr(svg, ">Transport<"), *l = strstr(svg, ">Logement<"),
		   *g = strstr(svg, ">Garde d");
	CU_ASSERT_TRUE(t && l && g && t < l && l < g);
	CU_ASSERT_PTR_NULL(strstr(svg, "Sant\xc3\xa9<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "168 r\xc3\xa9pondants ; parts pond\xc3\xa9r\xc3\xa9"
					   "es et "
					   "intervalles \xc3\xa0 95 %"));
	CU_ASSERT_PTR_NOT_NULL(strstr(set.v[0].svg, "parts cal\xc3\xa9"
						    "es sur les marges"));
	/* the section shows each under its table */
	in.charts = set.v;
	in.ncharts = set.n;
	struct strbuf sb = STRBUF_INIT;
	int sec = 0;
	note_survey_section(&in, &sb, &sec);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "| Logement | 42,4" NBSP "% | 34,8 \xc3\xa0 50,4" NBSP
					      "% | 69 |\n\n![Freins \xc3\xa0 l'emploi](charts/"
					      "survey_freins.png)\n\n**Nombre d'enfants**"));
	strbuf_release(&sb);
	note_charts_free(set.v, set.n);
	/* an ordinal question keeps the codebook's order */
	digest_q[1].type = SURVEY_ORDINAL;
	memset(&set, 0, sizeof(set));
	CU_ASSERT_EQUAL_FATAL(note_survey_charts(&in, dir, &set, &err), TERRAIN_OK);
	svg = set.v[1].svg;
	t = strstr(svg, ">Transport<"), l = strstr(svg, ">Logement<"), g = strstr(svg, ">Garde d");
	CU_ASSERT_TRUE(t && l && g && t < g && g < l);
	note_charts_free(set.v, set.n);
	digest_q[1].type = SURVEY_MULTIPLE;
}

/* A codebook without short labels: the note's blocks use the column's
 * header ("Freins", "Situation"), never "Question : Answer" rows. */
static void test_note_survey_without_short_labels(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT, cb = STRBUF_INIT, body = STRBUF_INIT;
	char *data = realpath("datasets/examples/grenoble/enquete_exemple_inventee.csv", NULL);
	char *marg = realpath("datasets/examples/grenoble/marges_exemple_inventees.csv", NULL);
	char *orig = test_read_file("datasets/examples/grenoble/codebook_exemple_invente.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL_FATAL(marg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
	/* the same codebook, its last two columns (short_label, skill) left out */
	for (const char *line = orig; *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *semi = line, *last = line;
		for (const char *q = line; q < line + n; q++)
			if (*q == ';')
				semi = last, last = q;
		strbuf_add(&body, line, *line == '#' || semi == line ? n : (size_t)(semi - line));
		strbuf_addch(&body, '\n');
		line += n + (end ? 1 : 0);
	}
	strbuf_addf(&cb, "%s/codebook.csv", dir);
	test_write_file(cb.buf, body.buf);
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	strbuf_reset(&body);
	strbuf_addf(&body,
		    "[project]\nterritory = 38185\n[survey]\nfile = %s\ncodebook = %s\nmargins = "
		    "%s\ncrosstab = statut*sexe\n",
		    data, cb.buf, marg);
	test_write_file(ini.buf, body.buf);
	char *md = run_report(ini.buf, "fr", dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "\n**Freins** (168 r\xc3\xa9pondants ; plusieurs "
					  "r\xc3\xa9ponses possibles)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "\n**Situation** (240 r\xc3\xa9pondants)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "- *[\xc3\x80 relire]* Freins" NBSP ": \xc2\xab" NBSP
					  "Transport" NBSP "\xc2\xbb"));
	CU_ASSERT_PTR_NULL(strstr(md, "Situation : En emploi"));
	/* statut*sexe: p = 0.17, no sentence */
	CU_ASSERT_PTR_NULL(strstr(md, "Rao-Scott"));
	free(md);
	free(orig);
	free(data);
	free(marg);
	strbuf_release(&ini);
	strbuf_release(&cb);
	strbuf_release(&body);
}

/* tables.xlsx's survey sheet, question by question, in the note's
 * language: a calibrated share without bounds, a mean with its interval. */
static void test_note_survey_xlsx(void)
{
	const char *dir = test_tmpdir();
	char *md = run_report("datasets/examples/grenoble/terrain.ini", "fr", dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	/* the invented example's association, statut*tranche_age */
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "- *[\xc3\x80 relire]* Situation professionnelle et tranche "
				      "d'\xc3\xa2ge" NBSP ": 69" NBSP "% des r\xc3\xa9pondants"));
	free(md);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/com_38185/tables.xlsx", dir);
	char *strings = test_zip_member(path.buf, "xl/sharedStrings.xml", NULL);
	char *sheet = test_zip_member(path.buf, "xl/worksheets/sheet2.xml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strings);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sheet);
	CU_ASSERT_PTR_NOT_NULL(strstr(strings,
				      "<t>Enqu\xc3\xaate</t></si><si><t>Question</t></si><si>"
				      "<t>R\xc3\xa9ponse</t></si><si><t>Part pond\xc3\xa9r\xc3\xa9"
				      "e (%) ou valeur</t></si><si><t>Borne basse</t></si><si>"
				      "<t>Borne haute</t></si><si><t>R\xc3\xa9pondants</t>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(strings, "<t>Freins \xc3\xa0 l'emploi</t>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(strings, "<t>Moyenne</t>"));
	CU_ASSERT_PTR_NULL(strstr(strings, "Sexe : Femme"));
	/* six columns; Femme: 52 %, no bounds (calibrated), 150 respondents */
	CU_ASSERT_PTR_NOT_NULL(strstr(sheet, "<dimension ref=\"A1:F"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sheet, "<c r=\"C3\" s=\"4\"><v>52.0000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sheet, "</c><c r=\"F3\" s=\"2\"><v>150</v></c></row>"));
	CU_ASSERT_PTR_NULL(strstr(sheet, "r=\"D3\""));
	CU_ASSERT_PTR_NULL(strstr(sheet, "r=\"E3\""));
	free(strings);
	free(sheet);
	strbuf_release(&path);
}

/* Every chart of note.html: a figure with role="img" and the chart's
 * title as its aria-label, then the SVG inline whose own <title> is that
 * title and whose <desc> is a source line beginning with source ("Source"
 * matches "Sources :" and "Source: " alike); returns
 * how many, and fails on gnuplot's own words. */
static int check_figures(const char *html, const char *source)
{
	static const char fig[] = "<figure role=\"img\" aria-label=\"";
	int n = 0;
	for (const char *p = html; (p = strstr(p, fig)); n++) {
		p += strlen(fig);
		const char *q = strchr(p, '"');
		CU_ASSERT_PTR_NOT_NULL_FATAL(q);
		struct strbuf want = STRBUF_INIT;
		strbuf_addstr(&want, "\"><svg");
		CU_ASSERT_EQUAL(strncmp(q, want.buf, want.len), 0);
		strbuf_reset(&want);
		strbuf_addstr(&want, "<title>");
		strbuf_add(&want, p, (size_t)(q - p));
		strbuf_addf(&want, "</title>\n<desc>%s", source);
		const char *svg_end = strstr(q, "</figure>");
		const char *t = strstr(q, want.buf);
		CU_ASSERT(t && svg_end && t < svg_end);
		if (!t || !svg_end || t > svg_end)
			fprintf(stderr, "\n  the chart's SVG lacks %s\n", want.buf);
		strbuf_release(&want);
	}
	CU_ASSERT_PTR_NULL(strstr(html, "Gnuplot"));
	CU_ASSERT_PTR_NULL(strstr(html, "GNUPLOT"));
	CU_ASSERT_PTR_NULL(strstr(html, ">gnuplot_plot_"));
	return n;
}

/* The value of each attribute name=' or name=" in html into v (owned
 * strings), as many as fit; returns how many. */
static size_t attr_values(const char *html, const char *name, char **v, size_t max)
{
	size_t n = 0, len = strlen(name);
	for (const char *p = html; (p = strstr(p, name)) && n < max; p += len) {
		char q = p[len];
		if (q != '\'' && q != '"')
			continue;
		const char *end = strchr(p + len + 1, q);
		if (end)
			v[n++] = xstrndup(p + len + 1, (size_t)(end - p - len - 1));
	}
	return n;
}

/* The ids of the inline SVGs are unique in the page (gnuplot gives every
 * chart the same ones) and every href='#x' finds its id. */
static void check_ids(const char *html)
{
	static char *ids[4096], *refs[4096];
	size_t ni = attr_values(html, " id=", ids, 4096),
	       nr = attr_values(html, "href=", refs, 4096);
	CU_ASSERT(ni > 50 && ni < 4096);
	for (size_t i = 0; i < ni; i++)
		for (size_t j = i + 1; j < ni; j++)
			if (!strcmp(ids[i], ids[j])) {
				CU_FAIL("an id twice in note.html");
				fprintf(stderr, "\n  id \"%s\" twice in note.html\n", ids[i]);
			}
	size_t found = 0;
	for (size_t r = 0; r < nr; r++) {
		bool hit = refs[r][0] != '#';
		for (size_t i = 0; i < ni && !hit; i++)
			hit = !strcmp(refs[r] + 1, ids[i]);
		found += hit;
		if (!hit)
			fprintf(stderr, "\n  href=\"%s\" finds no id in note.html\n", refs[r]);
	}
	CU_ASSERT(nr > 0);
	CU_ASSERT_EQUAL(found, nr);
	for (size_t i = 0; i < ni; i++)
		free(ids[i]);
	for (size_t r = 0; r < nr; r++)
		free(refs[r]);
}

/* The example's charts in note.html, French and English: each has a
 * title and an alternative text in the note's language, and its numbers
 * and quarters written in that language. */
static void test_note_html_charts(void)
{
	const char *dir = test_tmpdir();
	struct strbuf path = STRBUF_INIT;
	static const char *const lang[] = {"fr", "en"};
	static const char *const pop[] = {
	    "<figure role=\"img\" aria-label=\"Population selon le COG, 2021 à 2026 : Grenoble "
	    "(\xe2\x88\x92"
	    "1,3\xc2\xa0%)\"><svg",
	    "<figure role=\"img\" aria-label=\"Population by COG vintage, 2021 to 2026: Grenoble "
	    "(-1.3%)\"><svg"};
	static const char *const pop_desc[] = {
	    "<desc>Source : Insee, code officiel géographique 2021 à 2026</desc>",
	    "<desc>Source: Insee, official geographic code 2021 to 2026</desc>"};
	for (size_t l = 0; l < 2; l++) {
		free(run_report("datasets/examples/grenoble/terrain.ini", lang[l], dir));
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/com_38185/note%s.html", dir, l ? ".en" : "");
		char *html = test_read_file(path.buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(html);
		/* seventeen charts: two census rates, the COG population, the
		 * localized rate, three maps (poverty, median living standard,
		 * census unemployment), one per survey question (seven), needs
		 * against offer, the budget, the action plan's schedule */
		CU_ASSERT_EQUAL(check_figures(html, "Source"), 17);
		check_ids(html);
		/* numbers to the right (the Markdown's "---:"), text to the left */
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(html, "td,th{text-align:left}[align=right]{text-align:right}"));
		CU_ASSERT_PTR_NULL(strstr(html, "td:not(:first-child)"));
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(html, l ? "<td>available</td>" : "<td>disponible</td>"));
		CU_ASSERT_PTR_NOT_NULL(strstr(html, pop[l]));
		CU_ASSERT_PTR_NOT_NULL(strstr(html, pop_desc[l]));
		free(html);
		/* the charts' numbers and quarters in the note's language: Grenoble's
		 * 13,8 % / 13.8% of unemployed, the localized rate's quarters
		 * 2024-Q2 to 2026-Q1 as "T2 2024" / "Q2 2024" */
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/com_38185/charts%s/unemployment.svg", dir, l ? ".en" : "");
		char *svg = test_read_file(path.buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(svg, l ? "<text>13.8%</text>" : "<text>13,8\xc2\xa0%</text>"));
		CU_ASSERT_PTR_NULL(strstr(svg, l ? "13,8" : "13.8"));
		free(svg);
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/com_38185/charts%s/unemployment_localized.svg", dir,
			    l ? ".en" : "");
		svg = test_read_file(path.buf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(svg, l ? "<text>Q2 2024</text>" : "<text>T2 2024</text>"));
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(svg, l ? "<text>Q1 2026</text>" : "<text>T1 2026</text>"));
		CU_ASSERT_PTR_NULL(strstr(svg, "-Q"));
		CU_ASSERT_PTR_NOT_NULL(strstr(svg, l ? "<text>6.5</text>" : "<text>6,5</text>"));
		free(svg);
	}
	strbuf_release(&path);
}

/* ---- the project's section (note_project.c) ---------------------------------- */

/* A sizing that proposes 14 posts against a goal of 25 places per 1 000,
 * and a budget of posts[] over 2027-2029 with the given balances. */
struct project_case {
	struct sizing_result s;
	struct budget_input bi;
	struct budget_result br;
	struct note_input in;
};

static void project_case(struct project_case *c, bool en, const double posts[3],
			 const long long balance[3])
{
	memset(c, 0, sizeof(*c));
	c->s.has_goal = true;
	c->s.goal = 25;
	c->s.deficit.posts_to_open = 14;
	for (int y = 0; y < 3; y++) {
		c->bi.p[BUDGET_POSTS].v[y] = posts[y];
		c->br.y[y].year = 2027 + y;
		c->br.y[y].balance = balance[y];
		c->br.y[y].charges = 40000000;
		c->br.y[y].products = 40000000 + balance[y];
		c->br.total.balance += balance[y];
	}
	c->in =
	    (struct note_input){.en = en, .sizing = &c->s, .budget_in = &c->bi, .budget = &c->br};
}

static void expect_reconcile(bool en, const double posts[3], const char *want)
{
	static const long long even[3] = {0, 0, 0};
	struct project_case c;
	struct strbuf sb = STRBUF_INIT;
	project_case(&c, en, posts, even);
	note_project_reconcile(&c.in, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", sb.buf, want);
	strbuf_release(&sb);
}

/* The budget's posts against the sizing's 14: the same, fewer, more, by year. */
static void test_note_project_reconcile(void)
{
	expect_reconcile(false, (const double[]){14, 14, 14},
			 "Le budget porte sur les 14 postes que propose le dimensionnement.\n\n");
	expect_reconcile(false, (const double[]){12, 12, 12},
			 "Le budget porte sur 12 postes, alors que le dimensionnement en propose "
			 "14\xc2\xa0: l'objectif de 25,0 places pour 1\xe2\x80\xaf"
			 "000 ne serait "
			 "pas atteint, il manquerait encore 2 postes.\n\n");
	expect_reconcile(
	    false, (const double[]){15, 15, 15},
	    "Le budget porte sur 15 postes, alors que le dimensionnement en propose "
	    "14\xc2\xa0: 1 poste de plus que l'écart mesuré, à justifier par un besoin "
	    "que le dimensionnement ne mesure pas.\n\n");
	expect_reconcile(
	    false, (const double[]){12, 14, 16},
	    "Le budget porte sur 12 postes en 2027, puis 14 en 2028, puis 16 en 2029, "
	    "alors que le dimensionnement en propose 14\xc2\xa0: en 2027, l'objectif "
	    "de 25,0 places pour 1\xe2\x80\xaf"
	    "000 ne serait pas atteint, il "
	    "manquerait encore 2 postes\xc2\xa0; en 2029, 2 postes de plus que l'écart "
	    "mesuré, à justifier par un besoin que le dimensionnement ne mesure "
	    "pas.\n\n");
	expect_reconcile(true, (const double[]){12, 14, 14},
			 "The budget pays for 12 posts in 2027, then 14 in 2028 and 2029, whereas "
			 "the sizing proposes 14: in 2027, the goal of 25.0 places per 1,000 would "
			 "not be reached, 2 posts would still be missing.\n\n");
	/* the offer already reaches the goal: no post proposed */
	struct project_case z;
	struct strbuf zb = STRBUF_INIT;
	project_case(&z, false, (const double[]){1, 1, 1}, (const long long[]){0, 0, 0});
	z.s.deficit.posts_to_open = 0;
	note_project_reconcile(&z.in, &zb);
	CU_ASSERT_STRING_EQUAL(zb.buf,
			       "Le budget porte sur 1 poste, alors que le dimensionnement n'en "
			       "propose aucun, l'offre existante atteignant déjà "
			       "l'objectif\xc2\xa0: 1 poste de plus que l'écart mesuré, à "
			       "justifier par un besoin que le dimensionnement ne mesure "
			       "pas.\n\n");
	strbuf_release(&zb);
	/* no sizing goal: nothing to reconcile */
	struct project_case c;
	struct strbuf sb = STRBUF_INIT;
	project_case(&c, false, (const double[]){12, 12, 12}, (const long long[]){0, 0, 0});
	c.s.has_goal = false;
	note_project_reconcile(&c.in, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, "");
	strbuf_release(&sb);
}

static void expect_deficits(bool en, const long long balance[3], const char *want)
{
	struct project_case c;
	struct strbuf sb = STRBUF_INIT;
	project_case(&c, en, (const double[]){14, 14, 14}, balance);
	note_project_deficits(&c.in, &sb);
	CU_ASSERT_STRING_EQUAL(sb.buf, want);
	if (strcmp(sb.buf, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", sb.buf, want);
	strbuf_release(&sb);
}

/* A year in deficit is a warning naming the year and the amount, covered
 * by the later surpluses or not. */
static void test_note_project_deficits(void)
{
#define E "\xc2\xa0€" /* NO-BREAK SPACE before € */
	expect_deficits(false, (const long long[]){0, 100, 5}, "");
	expect_deficits(false, (const long long[]){-1366600, 672300, 1172300},
			"> **Attention** : l'exercice 2027 est en déficit de 13\xe2\x80\xaf"
			"666" E " (charges de 400\xe2\x80\xaf"
			"000" E ", produits de 386\xe2\x80\xaf"
			"334" E "). Les excédents de 2028 et 2029 le couvrent (résultat sur trois "
			"ans\xc2\xa0: 4\xe2\x80\xaf"
			"780" E "), à condition que la trésorerie "
			"permette d'avancer ce déficit jusque-là.\n\n");
	/* the last year, covered by the years before: no cash to advance */
	expect_deficits(false, (const long long[]){100000, 200000, -50000},
			"> **Attention** : l'exercice 2029 est en déficit de 500" E
			" (charges de 400\xe2\x80\xaf"
			"000" E ", produits de 399\xe2\x80\xaf"
			"500" E "). Les excédents de 2027 et 2028 le couvrent (résultat sur trois "
			"ans\xc2\xa0: 2\xe2\x80\xaf"
			"500" E ").\n\n");
	expect_deficits(false, (const long long[]){100000, -500000, -100000},
			"> **Attention** : l'exercice 2028 est en déficit de 5\xe2\x80\xaf"
			"000" E " (charges de 400\xe2\x80\xaf"
			"000" E ", produits de 395\xe2\x80\xaf"
			"000" E "). Il n'est pas couvert\xc2\xa0: le résultat sur trois ans est de "
			"\xe2\x88\x92"
			"5\xe2\x80\xaf"
			"000" E "\xc2\xa0; il faut trouver "
			"5\xe2\x80\xaf"
			"000" E " de ressources de plus sur les trois ans, ou "
			"réduire d'autant les charges.\n\n"
			"> **Attention** : l'exercice 2029 est en déficit de 1\xe2\x80\xaf"
			"000" E " (charges de 400\xe2\x80\xaf"
			"000" E ", produits de 399\xe2\x80\xaf"
			"000" E "). Il n'est pas couvert\xc2\xa0: le résultat sur trois ans est de "
			"\xe2\x88\x92"
			"5\xe2\x80\xaf"
			"000" E "\xc2\xa0; il faut trouver "
			"5\xe2\x80\xaf"
			"000" E " de ressources de plus sur les trois ans, ou "
			"réduire d'autant les charges.\n\n");
	expect_deficits(true, (const long long[]){-1366600, 672300, 1172300},
			"> **Warning**: the year 2027 shows a deficit of €13,666 (charges of "
			"€400,000, products of €386,334). The surpluses of 2028 and 2029 cover it "
			"(three-year result: €4,780), provided the cash flow can carry the deficit "
			"until then.\n\n");
	expect_deficits(
	    true, (const long long[]){-100000, 0, 0},
	    "> **Warning**: the year 2027 shows a deficit of €1,000 (charges of "
	    "€400,000, products of €399,000). It is not covered: the three-year result "
	    "is -€1,000; €1,000 more in resources must be found over the three years, or "
	    "as much cut from the charges.\n\n");
#undef E
}

/* The sizing's sentences: the public, the offer (one structure: singular),
 * the gap to a goal that is a reference's coverage, the posts proposed;
 * no path of the build machine, the project file's line in words. */
static void test_note_project_sizing(void)
{
	struct project_case c;
	struct strbuf sb = STRBUF_INIT;
	int sec = 5;
	project_case(&c, false, (const double[]){14, 14, 14}, (const long long[]){0, 0, 0});
	c.in.budget = NULL;
	c.in.budget_in = NULL;
	snprintf(c.s.label, sizeof(c.s.label), "Allocataires du RSA");
	c.s.target = (struct sizing_range){1000, 900, 1100};
	c.s.has_offer = true;
	c.s.offer.capacity = 12;
	c.s.offer.structures = 1;
	c.s.coverage = (struct sizing_range){12, 10.9, 13.3};
	c.s.nref = 1;
	snprintf(c.s.ref[0].name, sizeof(c.s.ref[0].name), "Isère");
	c.s.goal_ref_set = true;
	c.s.goal_ref = 0;
	c.s.goal = 25;
	c.s.goal_line = 31;
	snprintf(c.s.goal_origin, sizeof(c.s.goal_origin), "/home/x/terrain.ini:31");
	c.s.deficit.posts = (struct sizing_range){13, 10.5, 15.5};
	c.s.deficit.posts_to_open = 13;
	note_project_section(&c.in, &sb, &sec);
#define N "\xc2\xa0"
	CU_ASSERT_STRING_EQUAL(
	    sb.buf,
	    "## 6. Projet proposé\n\n"
	    "**Public cible** : Allocataires du RSA, estimé à 1\xe2\x80\xaf"
	    "000 "
	    "personnes (fourchette de 900 à 1\xe2\x80\xaf"
	    "100).\n\n"
	    "**Offre existante** : 12 places dans 1 structure, soit 12,0 places pour "
	    "1\xe2\x80\xaf"
	    "000 personnes du public cible.\n\n"
	    "**Écart** : pour atteindre 25,0 places pour 1\xe2\x80\xaf"
	    "000 (la couverture "
	    "de la référence «" N "Isère" N "»" N "; fichier de projet, ligne 31), il manque "
	    "13,0 places (fourchette de 10,5 à 15,5)" N "; le dimensionnement propose d'ouvrir "
	    "13 postes d'insertion (en ETP, une place par poste).\n\n");
#undef N
	CU_ASSERT_PTR_NULL(strstr(sb.buf, "/home/"));
	strbuf_reset(&sb);
	c.in.en = true;
	note_project_section(&c.in, &sb, &sec);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "## 7. Proposed project\n\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf,
				      "**Existing offer**: 12 places in 1 structure, that is "
				      "12.0 places per 1,000 people of the target public."));
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf,
				      "(the coverage of the reference “Isère”; project file, "
				      "line 31), 13.0 places are missing (range 10.5 to "
				      "15.5); the sizing proposes to open 13 insertion posts "
				      "(FTE, one place a post).\n\n"));
	strbuf_release(&sb);
}

/* The funding plan as a table: emplois, ressources, their totals, and the
 * balance line only where they differ. */
static void test_note_project_funding_plan(void)
{
	struct project_case c;
	struct budget_plan plan = {0};
	struct strbuf sb = STRBUF_INIT;
	char origin[] = "fichier de projet, ligne 9";
	project_case(&c, false, (const double[]){14, 14, 14}, (const long long[]){0, 0, 0});
	plan.ncharge = plan.nresource = 1;
	plan.charge[0] =
	    (struct budget_plan_line){"training", "Formation", {100, 200, 300, 600}, origin};
	plan.resource[0] = (struct budget_plan_line){"sales", "Ventes", {100, 200, 300, 600}, NULL};
	for (int k = 0; k < BUDGET_PLAN_COLS; k++)
		plan.charges[k] = plan.resources[k] = plan.charge[0].v[k];
	note_project_funding_plan(&c.in, &sb, &plan);
#define E "\xc2\xa0€"
	CU_ASSERT_STRING_EQUAL(sb.buf, "### Plan de financement\n\n"
				       "| Emplois | 2027 | 2028 | 2029 | Total |\n"
				       "|---|---:|---:|---:|---:|\n"
				       "| Formation | 1" E " | 2" E " | 3" E " | 6" E " |\n"
				       "| **Total des emplois** | **1" E "** | **2" E "** | **3" E
				       "** | **6" E "** |\n"
				       "| **Ressources** | | | | |\n"
				       "| Ventes | 1" E " | 2" E " | 3" E " | 6" E " |\n"
				       "| **Total des ressources** | **1" E "** | **2" E
				       "** | **3" E "** | **6" E "** |\n\n");
	/* 2028 one euro short: the balance line */
	plan.resource[0].v[1] = plan.resources[1] = 100;
	plan.resource[0].v[3] = plan.resources[3] = 500;
	plan.balance[1] = plan.balance[3] = -100;
	strbuf_reset(&sb);
	note_project_funding_plan(&c.in, &sb, &plan);
	CU_ASSERT_PTR_NOT_NULL(strstr(sb.buf, "| **Solde (ressources \xe2\x88\x92 emplois)** | "
					      "**0" E "** | **\xe2\x88\x92"
					      "1" E "** | **0" E "** | **\xe2\x88\x92"
					      "1" E "** |\n\n"));
	strbuf_reset(&sb);
	note_project_charges(&c.in, &sb, &plan);
	CU_ASSERT_STRING_EQUAL(sb.buf, "### Détail des charges\n\n"
				       "| Charge | 2027 | 2028 | 2029 | Total | Origine |\n"
				       "|---|---:|---:|---:|---:|---|\n"
				       "| Formation | 1" E " | 2" E " | 3" E " | 6" E
				       " | fichier de projet, ligne 9 |\n\n");
#undef E
	strbuf_release(&sb);
}

/* The mirror: an English note holds none of the French function words,
 * outside code spans, URLs and the names the note keeps in French on
 * purpose: the territories' own names and the bodies named in the
 * responses ("Mission locale", "France services"). */
static const char *const french_words[] = {
    "le",	 "la",	   "les",  "des",   "du",      "de",	     "pour",	  "avec",
    "dans",	 "sur",	   "est",  "sont",  "une",     "un",	     "aux",	  "au",
    "et",	 "ou",	   "par",  "en",    "qui",     "que",	     "ce",	  "cette",
    "ces",	 "ni",	   "pas",  "non",   "plus",    "moins",	     "soit",	  "entre",
    "sans",	 "selon",  "leur", "leurs", "données", "disponible", "consulté",  "recensement",
    "récupérer", "publié", "vers", "comme", "mais",    "sous",	     "également", "hausse",
    "baisse",	 "écart",  "taux", "faute", "série",   "municipale", NULL};

/* md with the names the note keeps in French blanked out. */
static void blank_names(char *md)
{
	static const char *const names[] = {
	    "La Réunion", "Hauts-de-France", "Provence-Alpes-Côte d'Azur", "Bouches-du-Rhône",
	    "Auvergne-Rhône-Alpes", "Métropole Européenne de Lille",
	    "Métropole d'Aix-Marseille-Provence", "CA Intercommunale du Nord de la Réunion",
	    "CC du Centre Corse", "CC de la Dombes", "Grenoble-Alpes-Métropole", "Seine-Maritime",
	    "Le Havre", "Métropole Rouen Normandie", "Marseille 3e Arrondissement",
	    "L'Abergement-Clémenciat", "L'Abergement-de-Varey", "Bellegarde-en-Marche",
	    "CC Marche et Combraille en Aquitaine", "Nouvelle-Aquitaine", "Creuse",
	    "Mission locale", "France services", "Insee", "Observatoire des territoires",
	    /* the ROME labels of the example's target jobs (France Travail's, in French) */
	    "Agent / Agente d'entretien des espaces verts", "Peintre en bâtiment",
	    /* the codes the actors table cites, by their names */
	    "Code de l'action sociale et des familles", "Code du travail",
	    "Code général des collectivités territoriales",
	    /* zones of the guard's communes */
	    "Le Nord", "Bourg en Bresse", "Châtillon-sur-Chalaronne", "Marseille - Aix-en-Provence",
	    "Marseille-Aix-en-Provence", "Lille (partie française)", NULL};
	for (size_t i = 0; names[i]; i++)
		for (char *p = md; (p = strstr(p, names[i]));)
			for (size_t j = 0; j < strlen(names[i]); j++)
				*p++ = ' ';
	/* the QPV's names, as ANCT gives them, in the context's list */
	char *p = strstr(md, "urban policy (QPV 2024)"),
	     *end = p ? strstr(p, ". No population") : NULL;
	for (; p && p < end; p++)
		*p = ' ';
}

static void test_note_english_only(void)
{
	char bad[128];
	/* the guard finds a leak, and lets names and URLs be */
	CU_ASSERT_TRUE(leaks("Rate: 13.8% dans l'Isère", french_words, bad, sizeof(bad)));
	CU_ASSERT_STRING_EQUAL(bad, "dans (at \"dans l'Isère\")");
	char names[] = "Reference territories: La Réunion and Hauts-de-France <https://x/la/du>";
	blank_names(names);
	CU_ASSERT_FALSE(leaks(names, french_words, bad, sizeof(bad)));
	for (size_t i = 0; guard_codes[i]; i++) {
		char *md = note_for(guard_codes[i], NULL, "en", NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(md);
		blank_names(md);
		bool leak = leaks(md, french_words, bad, sizeof(bad));
		CU_ASSERT_FALSE(leak);
		if (leak)
			fprintf(stderr, "\n%s: French word %s\n", guard_codes[i], bad);
		free(md);
	}
}

/* Does a letter end just before p (start is the text's start)?  Accented
 * letters are two bytes led by 0xC3 or 0xC5 (é, œ); quotes and spaces
 * such as “ « U+00A0 are not letters. */
static bool letter_before(const char *start, const char *p)
{
	if (p == start)
		return false;
	char c = p[-1];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return p - 1 > start && ((unsigned char)p[-2] == 0xC3 || (unsigned char)p[-2] == 0xC5);
}

static bool letter_at(const char *p)
{
	return (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (unsigned char)*p == 0xC3 ||
	       (unsigned char)*p == 0xC5;
}

/* Blank s wherever it stands in md as whole words (at least 3 bytes). */
static void blank(char *md, const char *s, size_t n)
{
	if (n < 3)
		return;
	for (char *p = md; (p = memmem(p, strlen(p), s, n)); p++)
		if (!letter_before(md, p) && !letter_at(p + n))
			memset(p, ' ', n);
}

static int longer_first(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return x > y ? -1 : x < y;
}

/* The example project's own words, which its English note quotes as the
 * user wrote them, in French: the codebook's questions, answers and short
 * labels, and the project file's values (title, target, budget lines,
 * funders, the goal's origin), each blanked as whole words, the longest
 * first.  What is left is terrain's. */
static void blank_user_texts(char *md)
{
	static const char *const files[] = {
	    "datasets/examples/grenoble/codebook_exemple_invente.csv",
	    "datasets/examples/grenoble/terrain.ini"};
	char **texts = NULL;
	size_t n = 0, alloc = 0;
	for (size_t f = 0; f < 2; f++) {
		char *text = test_read_file(files[f]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
			if (*line == '#' || *line == ';' || *line == '[')
				continue;
			char *v = f ? strchr(line, '=') : line;
			if (f && *line == ' ') /* a value continued */
				v = line + strspn(line, " ");
			else if (f && v) /* the whole value, and what follows a number */
				v += 2;
			if (!v)
				continue;
			if (f) {
				ALLOC_GROW(texts, n + 2, alloc);
				texts[n++] = xstrdup(v);
				const char *sp = strchr(v, ' ');
				texts[n++] = xstrdup(sp ? sp + 1 : "");
			}
			/* the parts between separators: ; | = , and ": " */
			for (char *p = v; *p;) {
				size_t k = strcspn(p, ";|=,:");
				while (k && p[k - 1] == ' ')
					k--;
				ALLOC_GROW(texts, n + 1, alloc);
				texts[n++] = xstrndup(p, k);
				p += strcspn(p, ";|=,:");
				p += strspn(p, ";|=,: ");
			}
		}
		free(text);
	}
	qsort(texts, n, sizeof(*texts), longer_first);
	for (size_t k = 0; k < n; k++) {
		blank(md, texts[k], strlen(texts[k]));
		free(texts[k]);
	}
	free(texts);
}

/* The golden notes (issue 14): a commune of a métropole with a survey and
 * a project (the example, both languages), a large city of the Nord, a
 * rural commune of 375 inhabitants, an arrondissement of Marseille and a
 * commune of La Réunion (département and région of one name), each in
 * French and English from a project `terrain init` writes; each read
 * through by hand, compared byte for byte, and checked against the other
 * language's words.  tests/fixtures/note/README.md says how to write them
 * again (regen.sh). */
static const struct {
	const char *code, *file; /* code NULL: the bundled example */
} golden[] = {
    {NULL, "grenoble"},
    {"com:59512", "roubaix_59512"},
    {"com:23020", "bellegarde_en_marche_23020"},
    {"arm:13203", "marseille_3e_13203"},
    {"com:97411", "saint_denis_97411"},
};

static void test_note_golden_territories(void)
{
	static const char *const langs[] = {"fr", "en"};
	char bad[128];
	for (size_t g = 0; g < sizeof(golden) / sizeof(golden[0]); g++)
		for (size_t l = 0; l < 2; l++) {
			struct strbuf path = STRBUF_INIT;
			strbuf_addf(&path, "tests/fixtures/note/%s_%s.md", golden[g].file,
				    langs[l]);
			char *md = golden[g].code
				       ? note_for(golden[g].code, NULL, langs[l], NULL)
				       : run_report("datasets/examples/grenoble/terrain.ini",
						    langs[l], test_tmpdir());
			char *want = test_read_file(path.buf);
			CU_ASSERT_PTR_NOT_NULL_FATAL(md);
			CU_ASSERT_PTR_NOT_NULL_FATAL(want);
			CU_ASSERT_STRING_EQUAL(md, want);
			if (strcmp(md, want))
				fprintf(stderr,
					"\nthe note differs from %s (tests/fixtures/note/"
					"regen.sh writes it again: read the diff)\n",
					path.buf);
			/* one language per note */
			if (l) {
				blank_names(md);
				if (!golden[g].code)
					blank_user_texts(md);
			}
			bool leak = leaks(md, l ? french_words : english_words, bad, sizeof(bad));
			CU_ASSERT_FALSE(leak);
			if (leak)
				fprintf(stderr, "\n%s: %s word %s\n", path.buf,
					l ? "French" : "English", bad);
			free(md);
			free(want);
			strbuf_release(&path);
		}
}

/* Each of parts in md, in this order; the last one's place, or NULL when
 * one is missing or out of order (and the test fails). */
static const char *in_order(const char *md, const char *const *parts)
{
	const char *prev = md;
	for (size_t i = 0; parts[i]; i++) {
		const char *p = strstr(prev, parts[i]);
		CU_ASSERT_PTR_NOT_NULL(p);
		if (!p) {
			fprintf(stderr, "\nnot found in order: %s\n", parts[i]);
			return NULL;
		}
		prev = p;
	}
	return prev;
}

/* The constats ranked (the golden note, compared byte for byte with a
 * fresh one by test_note_golden): unfavourable first, the largest gap
 * first, the trend said once at the département's level, demography last;
 * then the "Pistes" from the unfavourable ones. */
static void test_note_findings_ranked(void)
{
	char *md = test_read_file("tests/fixtures/note/grenoble_fr.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	const char *tracks = in_order(
	    md,
	    (const char *const[]){
		"**Points de vigilance**\n\n- *[À relire]* Taux de chômage des 15-64 ans "
		"(recensement)\xc2\xa0: 13,8\xc2\xa0% à Grenoble",
		"- *[À relire]* Taux d'activité des 15-64 ans\xc2\xa0: 69,8\xc2\xa0% à Grenoble, "
		"soit 6,1\xc2\xa0points de moins",
		"- *[À relire]* Taux de chômage localisé (BIT)\xc2\xa0: en hausse de "
		"0,39\xc2\xa0point par an à l'échelle de l'Isère, faute de série communale (8 "
		"trimestres, IC à 95\xc2\xa0%\xc2\xa0: 0,21 à 0,56).\n",
		"**Autres constats**\n\n- *[À relire]* Taux de mortalité",
		"## 6. Pistes d'amélioration\n\n", NULL});
	CU_ASSERT_PTR_NOT_NULL_FATAL(tracks);
	const char *other = strstr(md, "**Autres constats**");
	/* the trend once: not again for the région and France */
	CU_ASSERT_PTR_NULL(strstr(md, "en Auvergne-Rhône-Alpes, de 0,40"));
	CU_ASSERT_PTR_NULL(strstr(other, "Taux de chômage localisé (BIT)\xc2\xa0: en hausse"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(tracks,
		   "**Emploi**, d'après\xc2\xa0: taux de chômage des 15-64 ans (recensement) ; "
		   "taux d'activité des 15-64 ans ; taux de chômage localisé (BIT), en hausse.\n\n"
		   "- *[À relire]* Public concerné\xc2\xa0: personnes sans emploi rencontrant des "
		   "difficultés sociales et professionnelles particulières ; réponse\xc2\xa0: "
		   "insertion par l'activité économique (IAE : ateliers et chantiers d'insertion"));
	CU_ASSERT_PTR_NOT_NULL(strstr(tracks, "texte de référence\xc2\xa0: [Code du travail, art. "
					      "L5132-1](<https://www.legifrance.gouv.fr/"));
	free(md);
	/* a département that is also a région: one column; Saint-Denis less
	 * unemployed than La Réunion but far more than France: both said */
	char *html = NULL;
	md = note_for("com:97411", NULL, "fr", &html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NULL(strstr(md, "Auteur")); /* terrain init leaves the author empty */
	/* and one bar in each of the two bar charts (inline SVG), its label
	 * whole on three lines (4 categories: 700 / 4 / 7.5 - 1 = 22
	 * characters a line) */
	size_t bars = 0;
	for (const char *p = html; p && (p = strstr(p, "<text>La Réunion</text>")); p++) {
		const char *l2 = strstr(p, "<text>(département et</text>");
		const char *l3 = l2 ? strstr(l2, "<text>région)</text>") : NULL;
		bars += l3 && l3 - p < 600;
	}
	CU_ASSERT_PTR_NULL(strstr(html ? html : "", "\xe2\x80\xa6</text>"));
	if (html && strstr(html, "<svg"))
		CU_ASSERT_EQUAL(bars, 2);
	free(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "Territoires de référence : CA Intercommunale du Nord de la "
				      "Réunion (CINOR), zone d'emploi du Nord, La Réunion "
				      "(département et région) et France."));
	/* a zone's column head starts with a capital */
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "| Indicateur | Saint-Denis | CA Intercommunale du Nord de "
				      "la Réunion (CINOR) | Zone d'emploi du Nord | La Réunion "
				      "(département et région) | France |\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "15,6\xc2\xa0points de plus qu'en France (12,1\xc2\xa0%)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "2,4\xc2\xa0points de moins qu'à La Réunion"));
	free(md);
	/* no unfavourable finding: the section says so */
	md = note_for("com:01002", "com:01001", "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "## 5. Pistes d'amélioration\n\nAucun constat défavorable "
				      "ne ressort des données publiques retenues"));
	free(md);
	md = note_for("com:01002", "com:01001", "en", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 5. Areas for improvement\n\nNo unfavourable finding "
					  "stands out in the public data used"));
	free(md);
	/* a territory with its own series: its trend, not a reference's */
	md = note_for("dep:59", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "- *[À relire]* Taux de chômage localisé (BIT)\xc2\xa0: en "
				      "hausse de 0,60\xc2\xa0point par an dans le Nord (8 "
				      "trimestres, IC à 95\xc2\xa0%\xc2\xa0: 0,34 à 0,85).\n"));
	CU_ASSERT_PTR_NULL(strstr(md, "à l'échelle"));
	/* the method names the reference a département is compared with */
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "Le territoire est comparé à sa région, et à la France "
				      "quand elle conduit à une autre conclusion ; les constats"));
	CU_ASSERT_PTR_NULL(strstr(md, "comparé à son département"));
	free(md);
	/* a bound that would round to 0,00 gets a third decimal */
	md = note_for("com:2B096", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "à l'échelle de la Haute-Corse, faute de série communale "
				      "(8 trimestres, IC à 95\xc2\xa0%\xc2\xa0: 0,004 à 0,444)."));
	free(md);
}

/* A hand-made table (INVENTED values, for the note's rules only): Saint-Denis
 * against La Réunion as a département and a région, and France; the census
 * unemployment rate (a percentage, higher is worse) and the birth rate (per
 * 1 000, neutral). */
static char id_u[] = "unemployment_rate_census", id_b[] = "birth_rate";
static char lab_u[] = "Taux de chômage", lab_b[] = "Taux de natalité";
static char pct[] = "%", per1000[] = "per 1 000", empty[] = "";

/* A ratio of the catalogue, its texts empty but the label. */
static struct indicator_def hand_def(char *id, char *label, double scale, char *unit,
				     enum indicator_polarity pol, enum indicator_theme theme)
{
	struct indicator_def d = {.kind = INDICATOR_RATIO, .decimals = 1};
	d.id = id;
	d.label_fr = d.label_en = label;
	d.numerator = d.denominator = d.source_fr = d.source_en = d.note_fr = d.note_en = empty;
	d.scale = scale;
	d.unit = unit;
	d.polarity = pol;
	d.theme = theme;
	return d;
}

#define HAND_MAX 6

/* The note of nind indicators defs whose values are val[i][k] for
 * Saint-Denis, La Réunion (département), La Réunion (région) and France;
 * every gap significant, so that the size rule alone decides. */
static char *hand_table(const struct indicator_def *defs, size_t nind, const double (*val)[4])
{
	struct territory t[4] = {
	    {.type = TERRITORY_COM, .code = "com:97411", .name = "Saint-Denis", .tncc = 0},
	    {.type = TERRITORY_DEP, .code = "dep:974", .name = "La Réunion", .tncc = 0},
	    {.type = TERRITORY_REG, .code = "reg:04", .name = "La Réunion", .tncc = 0},
	    {.type = TERRITORY_FR, .code = "fr", .name = "France", .tncc = -1}};
	struct indicator_value v[4][HAND_MAX];
	struct indicator_value *rows[4];
	struct gap gaps[4 * HAND_MAX];
	bool has[4 * HAND_MAX];
	memset(v, 0, sizeof(v));
	memset(gaps, 0, sizeof(gaps));
	for (size_t k = 0; k < 4; k++) {
		rows[k] = v[k];
		for (size_t i = 0; i < nind; i++) {
			v[k][i] = (struct indicator_value){.def = &defs[i], .value = val[i][k]};
			gaps[k * nind + i] =
			    (struct gap){.points = val[i][0] - val[i][k], .significant = true};
			has[k * nind + i] = k > 0 && k < 3;
		}
	}
	struct indicators_table tab = {
	    .t = t, .nt = 4, .v = rows, .nind = nind, .gap = gaps, .has_gap = has};
	struct note_input in = {.date = "2026-11-29", .ind = &tab, .suffix = ""};
	struct strbuf sb = STRBUF_INIT;
	note_markdown(&in, &sb);
	return strbuf_detach(&sb);
}

/* The census unemployment rate (a percentage, higher is worse) and the birth
 * rate (per 1 000, neutral); France at the territory's values (no gap). */
static char *hand_note(double u0, double u_dep, double u_reg, double b0, double b_dep)
{
	struct indicator_def defs[2] = {
	    hand_def(id_u, lab_u, 100, pct, POLARITY_HIGHER_WORSE, THEME_EMPLOYMENT),
	    hand_def(id_b, lab_b, 1000, per1000, POLARITY_NEUTRAL, THEME_DEMOGRAPHY)};
	const double val[2][4] = {{u0, u_dep, u_reg, u0}, {b0, b_dep, b_dep, b0}};
	return hand_table(defs, 2, val);
}

/* Four unfavourable gaps of one theme: the three largest, the largest
 * first; the demography after the social themes whatever its size. */
static void test_note_three_per_theme(void)
{
	static char a[] = "a", b[] = "b", c[] = "c", d[] = "d", e[] = "e";
	static char la[] = "Écart A", lb[] = "Écart B", lc[] = "Écart C", ld[] = "Écart D",
		    le[] = "Naissances";
	struct indicator_def defs[5] = {
	    hand_def(a, la, 100, pct, POLARITY_HIGHER_WORSE, THEME_EMPLOYMENT),
	    hand_def(b, lb, 100, pct, POLARITY_HIGHER_WORSE, THEME_EMPLOYMENT),
	    hand_def(c, lc, 100, pct, POLARITY_HIGHER_BETTER, THEME_EMPLOYMENT),
	    hand_def(d, ld, 100, pct, POLARITY_HIGHER_WORSE, THEME_EMPLOYMENT),
	    hand_def(e, le, 1000, per1000, POLARITY_HIGHER_WORSE, THEME_DEMOGRAPHY)};
	/* relative gaps: A 10 %, B 40 %, C 20 % (lower is worse), D 5 %, births 50 % */
	const double val[5][4] = {{11, 10, 10, 11},
				  {14, 10, 10, 14},
				  {40, 50, 50, 40},
				  {21, 20, 20, 21},
				  {15, 10, 10, 15}};
	char *md = hand_table(defs, 5, val);
	in_order(md, (const char *const[]){"- *[À relire]* Écart B", "- *[À relire]* Écart C",
					   "- *[À relire]* Écart A", "- *[À relire]* Naissances",
					   NULL});
	CU_ASSERT_PTR_NULL(strstr(md, "- *[À relire]* Écart D")); /* the fourth of its theme */
	/* the démographie's own tracks: no response in an empty table */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "**Démographie**, d'après\xc2\xa0: naissances."));
	free(md);
}

/* The size rule (1 point for a percentage, 5 % of the reference for a rate
 * per 1 000) and the one column for two references of the same name. */
static void test_note_columns_and_size_rule(void)
{
	/* 0.9 point and 4 % of the reference: no constat, though significant */
	char *md = hand_note(10.9, 10.0, 10.0, 10.4, 10.0);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 4. Constats\n\nAucun écart ni aucune tendance "
					  "significatifs.\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Territoires de référence : La Réunion (département et "
					  "région) et France."));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| Indicateur | Saint-Denis | La Réunion (département et "
					  "région) | France |\n|---|---:|---:|---:|\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "## 5. Pistes d'amélioration\n\nAucun constat défavorable"));
	free(md);
	/* 1.0 point and 6 % of the reference: two constats, the unfavourable
	 * one first, the theme's tracks without a table of responses */
	md = hand_note(11.0, 10.0, 10.0, 10.6, 10.0);
	const char *u =
	    strstr(md, "**Points de vigilance**\n\n- *[À relire]* Taux de chômage\xc2\xa0: "
		       "11,0\xc2\xa0% à Saint-Denis, soit 1,0\xc2\xa0point de plus qu'à "
		       "La Réunion (10,0\xc2\xa0%)");
	const char *b =
	    strstr(md, "**Autres constats**\n\n- *[À relire]* Taux de natalité\xc2\xa0: "
		       "10,6\xc2\xa0pour\xc2\xa0"
		       "1\xe2\x80\xaf"
		       "000 à Saint-Denis");
	CU_ASSERT_PTR_NOT_NULL(u);
	CU_ASSERT_PTR_NOT_NULL(b);
	CU_ASSERT(u && b && u < b);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "**Emploi**, d'après\xc2\xa0: taux de chômage.\n\n- *[À "
				      "relire]* Aucune réponse type n'est proposée pour ce thème"));
	free(md);
	/* the département and the région differ: two columns, named by type */
	md = hand_note(11.0, 10.0, 10.5, 10.6, 10.0);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| Saint-Denis | La Réunion (département) | La Réunion "
					  "(région) | France |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Territoires de référence : La Réunion (département), La "
					  "Réunion (région) et France."));
	/* and the constat says which one */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "soit 1,0\xc2\xa0point de plus qu'à La Réunion "
					  "(département) (10,0\xc2\xa0%)"));
	free(md);
}

/* md holds want; says what it holds instead when not. */
static void expect_sentence(const char *md, const char *want)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(md, want));
	if (!strstr(md, want))
		fprintf(stderr, "\nmissing: %s\nin:\n%.1200s\n", want, md);
}

/* The context's sentence on the commune's zones, from ../shared/data/zonage/:
 *   grep -E '^COM;(38185|76351|01002);' communes_zonages_2024.csv | cut -d';' -f2,11-14
 *   grep -E '^(ZE2020;(8409|2813|8405)|BV2022;(38185|76351|01004)|AAV2020;(014|039)|
 *     UU2020;(38701|76701));' zones_supra_communales_2024.csv
 * Grenoble's four zones are named "Grenoble", Le Havre's "Le Havre" (TNCC 2:
 * "du Havre"); L'Abergement-de-Varey 01002 is in AAV 000 and UU 01000
 * (outside both), ZE 8405 Bourg en Bresse, BV 01004 Ambérieu-en-Bugey.  The
 * table has no category but "hors attraction" (datasets/README.md). */
static void test_note_context_zonages(void)
{
	char *md = note_for("com:38185", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md,
			"et France. Grenoble appartient à l'aire d'attraction de Grenoble, à la "
			"zone d'emploi de Grenoble, au bassin de vie de Grenoble et à l'unité "
			"urbaine de Grenoble.\n");
	expect_sentence(md, "- Insee, table d'appartenance géographique des communes au 1er "
			    "janvier 2024");
	free(md);
	md = note_for("com:38185", NULL, "en", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "and France. Grenoble belongs to the Grenoble functional area, the "
			    "Grenoble employment zone, the Grenoble living area and the Grenoble "
			    "urban unit.\n");
	free(md);
	md = note_for("com:76351", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md,
			"Le Havre appartient à l'aire d'attraction du Havre, à la zone d'emploi "
			"du Havre, au bassin de vie du Havre et à l'unité urbaine du Havre.\n");
	free(md);
	md = note_for("com:01002", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "L'Abergement-de-Varey est une commune hors attraction des villes et "
			    "hors unité urbaine ; elle appartient à la zone d'emploi de Bourg en "
			    "Bresse et au bassin de vie d'Ambérieu-en-Bugey.\n");
	free(md);
	md = note_for("com:01002", NULL, "en", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "L'Abergement-de-Varey is outside any functional area and "
			    "any urban unit; it belongs to the Bourg en Bresse employment zone and "
			    "the Ambérieu-en-Bugey living area.\n");
	free(md);
	/* a département has no zones, and does not cite them */
	md = note_for("dep:38", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NULL(strstr(md, "attraction"));
	CU_ASSERT_PTR_NULL(strstr(md, "table d'appartenance"));
	free(md);
}

/* A zone as the territory or a reference: INSEE's name with the article of
 * the commune it is named after (Le Havre's TNCC 2, "du Havre"), in the
 * title, the context, the columns and the constats; the codes and names as
 * in test_note_context_zonages. */
static void test_note_zone_territory(void)
{
	char *md = note_for("ze:8409", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "# Diagnostic territorial : zone d'emploi de Grenoble\n");
	expect_sentence(md, "Territoire étudié : **zone d'emploi de Grenoble** (`ze:8409`). "
			    "Territoires de référence : Isère, Auvergne-Rhône-Alpes et France.\n");
	expect_sentence(md, "| Indicateur | Zone d'emploi de Grenoble | Isère |");
	expect_sentence(md, " dans la zone d'emploi de Grenoble, soit ");
	free(md);
	md = note_for("ze:8409", NULL, "en", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "# Territorial diagnosis: Grenoble employment zone\n");
	expect_sentence(md, " in the Grenoble employment zone, ");
	free(md);
	md = note_for("bv:76351", "uu:76701, aav:039, ze:2813, dep:76", "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "Territoire étudié : **bassin de vie du Havre** (`bv:76351`). "
			    "Territoires de référence : unité urbaine du Havre, aire "
			    "d'attraction du Havre, zone d'emploi du Havre et Seine-Maritime.\n");
	expect_sentence(md, "| Indicateur | Bassin de vie du Havre | Unité urbaine du Havre | "
			    "Aire d'attraction du Havre | Zone d'emploi du Havre | "
			    "Seine-Maritime |\n");
	free(md);
}

/* The note of Grenoble alone, without indicators, its zones z. */
static char *zonage_note(const struct geo_zonage_of *z, bool en, enum territory_type type)
{
	struct territory t = {.type = type, .code = "com:38185", .name = "Grenoble", .tncc = 0};
	struct indicators_table tab = {.t = &t, .nt = 1};
	struct note_input in = {
	    .en = en, .date = "2026-11-29", .ind = &tab, .suffix = "", .zonage = z};
	struct strbuf sb = STRBUF_INIT;
	note_markdown(&in, &sb);
	return strbuf_detach(&sb);
}

/* The sentence when the bundle has the commune's category: an INVENTED
 * category (the bundled table has none but "hors attraction"), with
 * Grenoble's real zones; a zone left empty is not named. */
static void test_note_context_zonage_category(void)
{
	struct geo_zonage_of z = {.code = {"8409", "38185", "38701", "014"},
				  .name = {"Grenoble", "Grenoble", "Grenoble", "Grenoble"},
				  .tncc = {0, 0, 0, 0},
				  .category = GEO_AAV_CENTRE};
	char *md = zonage_note(&z, false, TERRITORY_COM);
	expect_sentence(
	    md, "Grenoble est la commune-centre de l'aire d'attraction de Grenoble ; elle "
		"appartient à la zone d'emploi de Grenoble, au bassin de vie de Grenoble et "
		"à l'unité urbaine de Grenoble.\n");
	free(md);
	md = zonage_note(&z, true, TERRITORY_COM);
	expect_sentence(md,
			"Grenoble is the centre of the Grenoble functional area; it belongs to the "
			"Grenoble employment zone, the Grenoble living area and the Grenoble urban "
			"unit.\n");
	free(md);
	z.category = GEO_AAV_CROWN;
	z.code[GEO_BV] = z.name[GEO_BV] = NULL;
	md = zonage_note(&z, false, TERRITORY_ARM);
	expect_sentence(md, "Grenoble est une commune de la couronne de l'aire d'attraction de "
			    "Grenoble ; il appartient à la zone d'emploi de Grenoble et à l'unité "
			    "urbaine de Grenoble.\n");
	free(md);
}

/* Filosofi in the note: Roubaix's poverty rate (46 %, cc_filosofi_2021_COM.csv
 * `grep '^59512;'`) far above its EPCI's (19.7 %, filosofi_2021_epci.csv
 * `grep '^200093201;'`; the Nord has no bundled value) makes a constat and
 * the income and poverty pistes (the golden note, compared byte for byte
 * by test_note_golden_territories); a département says where its value is;
 * a commune's secret values are said so, never 0 or blank. */
static void test_note_filosofi(void)
{
	char *md = test_read_file("tests/fixtures/note/roubaix_59512_fr.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(in_order(
	    md, (const char *const[]){
		    "**Points de vigilance**",
		    "- *[À relire]* Taux de pauvreté (seuil à 60 %)\xc2\xa0: 46,0\xc2\xa0% à "
		    "Roubaix, soit 26,3\xc2\xa0points de plus que dans la Métropole Européenne de "
		    "Lille "
		    "(19,7\xc2\xa0%)",
		    "**Revenus et pauvreté**, d'après\xc2\xa0: taux de pauvreté (seuil à 60 %).",
		    "Code de l'action sociale et des familles, art. L262-1", NULL}));
	free(md);
	md = test_read_file("tests/fixtures/note/roubaix_59512_en.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Poverty rate (60% threshold): 46.0% in Roubaix, 26.3 "
					  "points above the level in Métropole Européenne de "
					  "Lille (19.7%)"));
	free(md);
	md = note_for("dep:59", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| non disponible dans les données embarquées ; "
					  "\\`terrain fetch\\` la récupère |\n"));
	CU_ASSERT_PTR_NULL(strstr(md, "Taux de pauvreté (seuil à 60 %)\xc2\xa0: "));
	free(md);
	/* the median published, the poverty rate secret: its annex row says so */
	static const char *const secret[][3] = {
	    {"fr",
	     "| Niveau de vie médian (2021) | 25\xe2\x80\xaf"
	     "820",
	     "| secret statistique |\n"},
	    {"en", "| Median standard of living (2021) | 25,820", "| statistical secrecy |\n"}};
	for (size_t k = 0; k < 2; k++) {
		md = note_for("com:01001", NULL, secret[k][0], NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(md);
		CU_ASSERT_PTR_NOT_NULL(strstr(md, secret[k][1]));
		CU_ASSERT_PTR_NOT_NULL(strstr(md, secret[k][2]));
		free(md);
	}
}

/* What the bundle publishes at another level is labelled with it in the
 * note, in its language: Grenoble's bassin de vie and EPCI (figures of
 * ../shared/data/insee_sl_bv/checks.txt and ot_neet_epci/checks.txt); its
 * QPV are named in the context (ANCT's list); a département's note has its
 * age pyramid. */
static void test_note_other_levels_and_qpv(void)
{
	char *md = note_for("com:38185", NULL, "fr", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "| Part des familles monoparentales (2022) | 17,1\xc2\xa0% (à "
			    "l'échelle du bassin de vie de Grenoble) |");
	expect_sentence(md, "| 11,3\xc2\xa0% (à l'échelle de l'EPCI Grenoble-Alpes-Métropole) "
			    "| 11,3\xc2\xa0% |");
	expect_sentence(md, "Grenoble compte 4 quartiers prioritaires de la politique de la "
			    "ville (QPV 2024) : Mistral Lys Rouge Camine (`qpv:QN03806M`), ");
	expect_sentence(md, "Aucune population par QPV n'est embarquée");
	expect_sentence(md, "- ANCT, quartiers prioritaires de la politique de la ville 2024");
	/* a value of another level is no constat of the commune */
	CU_ASSERT_PTR_NULL(strstr(md, "Part des familles monoparentales\xc2\xa0:"));
	free(md);
	md = note_for("com:38185", NULL, "en", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "| Share of single-parent families (2022) | 17.1% (for the living "
			    "area of Grenoble) |");
	expect_sentence(md, "| 11.3% (for the EPCI Grenoble-Alpes-Métropole) | 11.3% |");
	expect_sentence(md, "Grenoble has 4 priority neighbourhoods of urban policy (QPV 2024): "
			    "Mistral Lys Rouge Camine (`qpv:QN03806M`), ");
	free(md);
	char *html;
	md = note_for("dep:23", NULL, "fr", &html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	expect_sentence(md, "On compte 1 quartier prioritaire de la politique de la ville (QPV "
			    "2024) en Creuse : L'Albatros (`qpv:QN02301M`).");
	expect_sentence(md, "![Pyramide des âges au 1er janvier 2021 : Creuse (estimation)]"
			    "(charts/age_pyramid.png)");
	expect_sentence(md, "- Insee, estimations de population au 1er janvier 2021");
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "aria-label=\"Pyramide des âges au 1er janvier 2021 "
					    ": Creuse (estimation)\"><svg"));
	free(html);
	free(md);
	/* a commune has no pyramid: its ages come from terrain fetch */
	md = note_for("com:38185", NULL, "fr", NULL);
	CU_ASSERT_PTR_NULL(strstr(md, "Pyramide"));
	free(md);
}

void suite_note(void)
{
	CU_pSuite s = CU_add_suite("note", NULL, NULL);
	ADD_TEST(s, test_note_escaping);
	ADD_TEST(s, test_note_project_reconcile);
	ADD_TEST(s, test_note_project_deficits);
	ADD_TEST(s, test_note_project_funding_plan);
	ADD_TEST(s, test_note_project_sizing);
	ADD_TEST(s, test_note_golden);
	ADD_TEST(s, test_note_golden_territories);
	ADD_TEST(s, test_note_html_charts);
	ADD_TEST(s, test_note_french_only);
	ADD_TEST(s, test_note_english_only);
	ADD_TEST(s, test_note_context_zonages);
	ADD_TEST(s, test_note_zone_territory);
	ADD_TEST(s, test_note_context_zonage_category);
	ADD_TEST(s, test_note_findings_ranked);
	ADD_TEST(s, test_note_filosofi);
	ADD_TEST(s, test_note_other_levels_and_qpv);
	ADD_TEST(s, test_note_columns_and_size_rule);
	ADD_TEST(s, test_note_three_per_theme);
	ADD_TEST(s, test_note_hostile_project);
	ADD_TEST(s, test_note_without_gnuplot);
	ADD_TEST(s, test_note_gnuplot_runs);
	ADD_TEST(s, test_run_manifest_and_offline);
	ADD_TEST(s, test_note_survey_section);
	ADD_TEST(s, test_note_survey_findings);
	ADD_TEST(s, test_note_survey_charts);
	ADD_TEST(s, test_note_survey_xlsx);
	ADD_TEST(s, test_note_survey_without_short_labels);
}
