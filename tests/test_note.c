/* report/note.c: the one Markdown and HTML escaping, and the note of the
 * bundled example against its golden file (tests/fixtures/note/, written by
 * terrain and read through; regenerate with the command in its README). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/fileio.h"
#include "../report/note.h"
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
	CU_ASSERT_PTR_NOT_NULL(strstr(err.buf, "warning: the note has no charts: gnuplot not "
					       "found: \"/nonexistent/gnuplot\" (install the "
					       "gnuplot-nox package)"));
	strbuf_addf(&path, "%s/com_38185/note.md", dir);
	char *md = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NULL(strstr(md, "](charts/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 5. Constats"));
	free(md);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&path);
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
	static const char *const names[] = {"La Réunion",
					    "Hauts-de-France",
					    "Provence-Alpes-Côte d'Azur",
					    "Bouches-du-Rhône",
					    "Auvergne-Rhône-Alpes",
					    "Métropole Européenne de Lille",
					    "Métropole d'Aix-Marseille-Provence",
					    "CA Intercommunale du Nord de la Réunion",
					    "CC du Centre Corse",
					    "CC de la Dombes",
					    "Grenoble-Alpes-Métropole",
					    "Seine-Maritime",
					    "Le Havre",
					    "Métropole Rouen Normandie",
					    "Marseille 3e Arrondissement",
					    "L'Abergement-Clémenciat",
					    "L'Abergement-de-Varey",
					    "Diagnostic territorial",
					    "Mission locale",
					    "France services",
					    "Insee",
					    NULL};
	for (size_t i = 0; names[i]; i++)
		for (char *p = md; (p = strstr(p, names[i]));)
			for (size_t j = 0; j < strlen(names[i]); j++)
				*p++ = ' ';
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
	CU_ASSERT_PTR_NOT_NULL(strstr(tracks, "texte de référence\xc2\xa0: Code du travail, art. "
					      "L5132-1, <https://www.legifrance.gouv.fr/"));
	free(md);
	/* a département that is also a région: one column; Saint-Denis less
	 * unemployed than La Réunion but far more than France: both said */
	char *html = NULL;
	md = note_for("com:97411", NULL, "fr", &html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NULL(strstr(md, "Auteur")); /* terrain init leaves the author empty */
	/* and one bar in each of the two bar charts (inline SVG; gnuplot
	 * shortens the label) */
	size_t bars = 0;
	for (const char *p = html; p && (p = strstr(p, "<text>La Réunion (département et r")); p++)
		bars++;
	if (html && strstr(html, "<svg"))
		CU_ASSERT_EQUAL(bars, 2);
	free(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "Territoires de référence : CA Intercommunale du Nord de la "
				      "Réunion (CINOR), La Réunion (département et région) et "
				      "France."));
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
				      "| Indicateur | Saint-Denis | CA Intercommunale du Nord de "
				      "la Réunion (CINOR) | La Réunion (département et région) | "
				      "France |\n"));
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
		       "10,6 pour\xc2\xa0"
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

void suite_note(void)
{
	CU_pSuite s = CU_add_suite("note", NULL, NULL);
	ADD_TEST(s, test_note_escaping);
	ADD_TEST(s, test_note_golden);
	ADD_TEST(s, test_note_french_only);
	ADD_TEST(s, test_note_english_only);
	ADD_TEST(s, test_note_findings_ranked);
	ADD_TEST(s, test_note_columns_and_size_rule);
	ADD_TEST(s, test_note_three_per_theme);
	ADD_TEST(s, test_note_hostile_project);
	ADD_TEST(s, test_note_without_gnuplot);
	ADD_TEST(s, test_run_manifest_and_offline);
}
