/* The project file: every error names file:line, the key and what was
 * expected. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/project.h"
#include "../pipeline/sizingcfg.h"
#include "helpers.h"

static struct strbuf path = STRBUF_INIT;

/* Write text to a fresh terrain.ini and load it. */
static enum status load(const char *text, struct project *p, struct error *err)
{
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	test_write_file(path.buf, text);
	return project_load(p, path.buf, err);
}

/* The message after the file's path: ":LINE: ..." */
static void check_error(const char *text, const char *want)
{
	struct project p;
	struct error err;
	if (load(text, &p, &err) == TERRAIN_OK) {
		project_release(&p);
		CU_FAIL("loaded a bad project file");
		fprintf(stderr, "\nloaded: %s\n", text);
		return;
	}
	CU_ASSERT_EQUAL(err.status, TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "terrain.ini");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	rest += strlen("terrain.ini");
	CU_ASSERT_STRING_EQUAL(rest, want);
	if (strcmp(rest, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...terrain.ini%s\n", err.msg, want);
}

static void test_project_full_file(void)
{
	struct project p;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(load("\xef\xbb\xbf; a comment\n"
				   "# another\n"
				   "[project]\n"
				   "title = Diagnostic : Grenoble ; inline comment\n"
				   "author = Étudiante CISP\n"
				   "territory = com:38185\n"
				   "references = epci:200040715, dep:38\n"
				   "   reg:84 fr\n"
				   "lang = en\n"
				   "output = results\n"
				   "\n"
				   "[custom:sud]\n"
				   "name = Sud grenoblois\n"
				   "members = 38151, 38421\n"
				   "  38185\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.title, "Diagnostic : Grenoble");
	CU_ASSERT_STRING_EQUAL(p.author, "Étudiante CISP");
	CU_ASSERT_STRING_EQUAL(p.territory, "com:38185");
	CU_ASSERT_EQUAL(p.territory_line, 6);
	CU_ASSERT_EQUAL_FATAL(p.refs.n, 4);
	CU_ASSERT_STRING_EQUAL(p.refs.item[3], "fr");
	CU_ASSERT_EQUAL(p.refs.line[3], 8);
	CU_ASSERT_STRING_EQUAL(p.lang, "en");
	CU_ASSERT_STRING_EQUAL(p.output, "results");
	CU_ASSERT_EQUAL_FATAL(p.ncustom, 1);
	CU_ASSERT_STRING_EQUAL(p.custom[0].id, "sud");
	CU_ASSERT_STRING_EQUAL(p.custom[0].label, "Sud grenoblois");
	CU_ASSERT_EQUAL(p.custom[0].members.n, 3);
	CU_ASSERT_EQUAL(p.custom[0].members.line[2], 15);
	project_release(&p);

	CU_ASSERT_EQUAL_FATAL(load("[project]\nterritory = 38185\n"
				   "[survey]\nfile = enquete.csv\ncodebook = cb.csv\n"
				   "margins = marges.csv\nmethod = rake\ntrim = 0.3, 3\n"
				   "by = sexe, quartier\ncrosstab = statut*sexe\n"
				   "  quartier*satisfaction\nencoding = cp1252\n"
				   "min_n = 20\nmax_cv = 0.25\nsuppress_below = 3\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(p.survey.line, 3);
	CU_ASSERT_STRING_EQUAL(p.survey.file.text, "enquete.csv");
	CU_ASSERT_EQUAL(p.survey.file.line, 4);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_lower, 0.3, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_upper, 3, 1e-15);
	CU_ASSERT_EQUAL(p.survey.by.n, 2);
	CU_ASSERT_EQUAL_FATAL(p.survey.crosstab.n, 2);
	CU_ASSERT_STRING_EQUAL(p.survey.crosstab.item[1], "quartier*satisfaction");
	CU_ASSERT_EQUAL(p.survey.crosstab.line[1], 11);
	CU_ASSERT_EQUAL(p.survey.min_n, 20);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.max_cv, 0.25, 1e-15);
	CU_ASSERT_EQUAL(p.survey.suppress_below, 3);
	struct strbuf rel = STRBUF_INIT;
	project_path(&p, p.survey.file.text, &rel);
	CU_ASSERT_PTR_NOT_NULL(strstr(rel.buf, "/enquete.csv"));
	strbuf_release(&rel);
	project_release(&p);

	CU_ASSERT_EQUAL_FATAL(load("[project]\nterritory = 38185\n", &p, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.lang, "fr"); /* defaults */
	CU_ASSERT_STRING_EQUAL(p.output, "out");
	CU_ASSERT_PTR_NULL(p.title);
	project_release(&p);
}

/* Numbers as a French user types them: decimal comma, thousands grouped
 * by spaces, '%' for a share (max_cv is one: a coefficient of variation). */
static void test_project_french_numbers(void)
{
	struct project p;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(load("[survey]\nfile = e.csv\ncodebook = c.csv\n"
				   "trim = 0,3, 3,5\nmin_n = 1 000\nmax_cv = 15 %\n"
				   "tolerance = 1e-8\nmax_iter = 2\u00a0000\n"
				   "[sources]\ntimeout = 1\u202f200\nmax_body_mb = 512\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_lower, 0.3, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_upper, 3.5, 1e-15);
	CU_ASSERT_EQUAL(p.survey.min_n, 1000);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.max_cv, 0.15, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.tolerance, 1e-8, 1e-20);
	CU_ASSERT_EQUAL(p.survey.max_iter, 2000);
	CU_ASSERT_EQUAL(p.sources.timeout_s, 1200);
	CU_ASSERT_EQUAL(p.sources.max_body_mb, 512);
	project_release(&p);
	/* the forms of before read the same: "0.3,3", ", 3", "0,2" */
	const char *const same[][2] = {{"0.3,3", "0.2"}, {"0.3, 3", "0,2"}, {"0,3,", "20%"}};
	const double want[][3] = {{0.3, 3, 0.2}, {0.3, 3, 0.2}, {0.3, NAN, 0.2}};
	for (size_t i = 0; i < 3; i++) {
		struct strbuf text = STRBUF_INIT;
		strbuf_addf(&text, "[survey]\ntrim = %s\nmax_cv = %s\n", same[i][0], same[i][1]);
		CU_ASSERT_EQUAL_FATAL(load(text.buf, &p, &err), TERRAIN_OK);
		CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_lower, want[i][0], 1e-15);
		if (isnan(want[i][1])) {
			CU_ASSERT_TRUE(isnan(p.survey.trim_upper));
		} else {
			CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_upper, want[i][1], 1e-15);
		}
		CU_ASSERT_DOUBLE_EQUAL(p.survey.max_cv, want[i][2], 1e-15);
		project_release(&p);
		strbuf_release(&text);
	}

	/* [target] and [offer] (ingest/sizingcfg.c) */
	struct sizingcfg sc;
	CU_ASSERT_EQUAL_FATAL(load("[target]\nbase = 1 200 [1 100, 1 300] CD38 2025\n"
				   "shares = 0,45 [0,40, 0,50] DARES 2024\n"
				   "  12,5 % enquête\n"
				   "[offer]\ngoal = 25,5 objectif du PDI\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(sizingcfg_read(&p, &sc, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(sc.term[0].v.central, 1200, 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.term[0].v.low, 1100, 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.term[0].v.high, 1300, 0);
	CU_ASSERT_STRING_EQUAL(sc.term[0].source, "CD38 2025");
	CU_ASSERT_DOUBLE_EQUAL(sc.term[1].v.low, 0.40, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(sc.term[2].v.central, 0.125, 1e-15);
	CU_ASSERT_STRING_EQUAL(sc.term[2].source, "enquête");
	CU_ASSERT_DOUBLE_EQUAL(sc.goal, 25.5, 0);
	CU_ASSERT_STRING_EQUAL(sc.goal_source, "objectif du PDI");
	project_release(&p);
	const char *const bad[][2] = {
	    {"[target]\nbase = 1,200 CD38\n",
	     ":2: bad base \"1,200 CD38\": base = 1,200 is ambiguous (1.2 or 1200?): write 1,2 or "
	     "1200"},
	    {"[offer]\ngoal = 2,500 objectif\n",
	     ":2: goal = 2,500 is ambiguous (2.5 or 2500?): write 2,5 or 2500"},
	};
	for (size_t i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(load(bad[i][0], &p, &err), TERRAIN_OK);
		CU_ASSERT_EQUAL(sizingcfg_read(&p, &sc, &err), TERRAIN_EDATA);
		const char *rest = strstr(err.msg, "terrain.ini");
		CU_ASSERT_STRING_EQUAL(rest ? rest + strlen("terrain.ini") : "", bad[i][1]);
		project_release(&p);
	}
}

static void test_project_syntax_errors(void)
{
	check_error(
	    "[project]\nterritory = 38185\n[source]\nx = 1\n",
	    ":3: unknown section [source] (expected [project], [survey], [sources], "
	    "[store], [target], [offer], [budget], [note], [plan], [action:ID], [evaluation], "
	    "[job:CODE], [training] or [custom:NAME])");
	/* [sources] */
	check_error("[sources]\nmelodi = ftp://mirror/melodi\n",
		    ":2: bad value \"ftp://mirror/melodi\" for \"melodi\" (expected a URL such as "
		    "https://host/path: http:// or https://, a host, no space, no query or "
		    "fragment)");
	check_error("[sources]\nbdm = http://\n",
		    ":2: bad value \"http://\" for \"bdm\" (expected a URL such as "
		    "https://host/path: http:// or https://, a host, no space, no query or "
		    "fragment)");
	check_error("[sources]\nbdm = http://h/x?a=b\n",
		    ":2: bad value \"http://h/x?a=b\" for \"bdm\" (expected a URL such as "
		    "https://host/path: http:// or https://, a host, no space, no query or "
		    "fragment)");
	/* credentials: refused, the password never shown, even in a bad URL */
	check_error("[sources]\nbdm = http://h/x\nmelodi = https://user:hunter2@host/\n",
		    ":3: [sources] melodi: \"https://user:***@host/\" carries credentials: terrain "
		    "reads them from the environment (FT_CLIENT_ID and FT_CLIENT_SECRET for France "
		    "Travail), never from a URL");
	check_error("[sources]\nfrancetravail_token = https://tok@n@auth/t?realm=/p\n",
		    ":2: [sources] francetravail_token: \"https://***@auth/t?realm=/p\" carries "
		    "credentials: terrain reads them from the environment (FT_CLIENT_ID and "
		    "FT_CLIENT_SECRET for France Travail), never from a URL");
	check_error("[sources]\nsiae = ftp://u:hunter2 x@h\n",
		    ":2: [sources] siae: \"ftp://u:***@h\" carries credentials: terrain reads them "
		    "from the environment (FT_CLIENT_ID and FT_CLIENT_SECRET for France Travail), "
		    "never from a URL");
	check_error("[sources]\nenabled =\n",
		    ":2: missing value for \"enabled\" (expected source names such as melodi bdm; "
		    "leave the key out for all sources)");
	check_error(
	    "[sources]\nenabled = melodi, insee\n",
	    ":2: unknown source \"insee\" in \"enabled\" (expected geo, melodi, bdm, dares, "
	    "caf, francetravail, siae or inclusion)");
	check_error(
	    "[sources]\ntimeout = 0\n",
	    ":2: bad value \"0\" for \"timeout\" (expected a whole number from 1 to 100000, "
	    "in seconds)");
	/* the registry's keys (core/sources.c), then the section's own */
	check_error("[sources]\nmirror = https://x\n",
		    ":2: unknown key \"mirror\" in [sources] (expected one of: geo, melodi, bdm, "
		    "dares, caf, francetravail, siae, inclusion, francetravail_token, dares_ze, "
		    "enabled, "
		    "cache, store, timeout, connect_timeout, max_attempts, max_body_mb)");
	check_error("[sources]\ngeo = https://a\ngeo = https://b\n",
		    ":3: duplicate key \"geo\" (first set on line 2)");
	check_error("[sources]\nmax_attempts = 50\n",
		    ":2: bad value \"50\" for \"max_attempts\" (expected a whole number from 1 to "
		    "20)");
	check_error("[sources]\ncache = a\n[sources]\n",
		    ":3: duplicate section [sources] (first on line 1)");
	/* an unknown section is an error even with no key in it */
	check_error("[project]\n[nonsense]\n",
		    ":2: unknown section [nonsense] (expected [project], "
		    "[survey], [sources], [store], [target], [offer], [budget], [note], "
		    "[plan], [action:ID], [evaluation], [job:CODE], [training] or [custom:NAME])");
	check_error("[project]\nterritory = 38185\ncolour = blue\n",
		    ":3: unknown key \"colour\" in [project] (expected one of: title, author, "
		    "territory, references, lang, output)");
	check_error("[custom:x]\nmembers = 38185\nmember = 38151\n",
		    ":3: unknown key \"member\" in [custom:x] (expected one of: name, members)");
	check_error("[project]\nlang = de\n",
		    ":2: bad value \"de\" for \"lang\" (expected fr or en)");
	check_error("[project]\nterritory = 3818\n",
		    ":2: bad value for \"territory\": malformed territory code \"3818\": no type "
		    "prefix and not a commune code (expected com:CODE, arm:CODE, epci:SIREN, "
		    "dep:CODE, reg:CODE, fr, custom:NAME, ze:CODE, bv:CODE, uu:CODE, aav:CODE or a "
		    "5-character commune code such as 38185)");
	check_error("[project]\nterritory =\n",
		    ":2: missing value for \"territory\" (expected a typed code such as "
		    "com:38185, epci:200040715 or custom:NAME)");
	check_error("[project]\nterritory = 38185\nterritory = 38151\n",
		    ":3: duplicate key \"territory\" (first set on line 2)");
	check_error("title = x\n", ":1: key \"title\" outside a section (expected it under "
				   "[project], [survey], [sources], [target], [offer], "
				   "[budget], [note] or [custom:NAME])");
	/* [survey] */
	check_error("[survey]\nmethod = calibrate\n",
		    ":2: bad value \"calibrate\" for \"method\" (expected rake, poststratify, "
		    "linear or none)");
	check_error("[survey]\nlonely_psu = drop\n",
		    ":2: bad value \"drop\" for \"lonely_psu\" (expected fail, remove, adjust or "
		    "average)");
	check_error("[survey]\nepsilon = 0\n",
		    ":2: bad value \"0\" for \"epsilon\" (expected a number above 0, such as 1 or "
		    "1e-6)");
	check_error("[survey]\ntrim = 3,0.3\n",
		    ":2: bad value \"3,0.3\" for \"trim\" (expected LOW, HIGH as multiples of the "
		    "mean weight, such as 0,3, 3; either side may be left empty)");
	check_error("[survey]\ntrim = 0,3\n", /* one value, 0.3: HIGH is missing */
		    ":2: bad value \"0,3\" for \"trim\" (expected LOW, HIGH as multiples of the "
		    "mean weight, such as 0,3, 3; either side may be left empty)");
	check_error("[survey]\nmin_n = 0\n",
		    ":2: bad value \"0\" for \"min_n\" (expected a whole number from 1)");
	check_error(
	    "[survey]\nmax_cv = -1\n",
	    ":2: bad value \"-1\" for \"max_cv\" (expected a number above 0, such as 0,2 or "
	    "20 %)");
	check_error(
	    "[survey]\nmax_cv = 0,2 €\n",
	    ":2: bad value \"0,2 €\" for \"max_cv\" (expected a number above 0, such as 0,2 "
	    "or 20 %)");
	check_error("[survey]\nmin_n = 2,5\n",
		    ":2: bad value \"2,5\" for \"min_n\" (expected a whole number from 1)");
	check_error("[survey]\nmin_n = 20\nmax_iter = 1,000\n",
		    ":3: max_iter = 1,000 is ambiguous (1 or 1000?): write 1 or 1000");
	check_error("[sources]\ntimeout = 1,500\n",
		    ":2: timeout = 1,500 is ambiguous (1.5 or 1500?): write 1,5 or 1500");
	check_error("[survey]\ntrim = 0,3, 3,000\n",
		    ":2: trim = 3,000 is ambiguous (3 or 3000?): write 3 or 3000");
	check_error("[survey]\ncrosstab = statut*\n",
		    ":2: bad value \"statut*\" in \"crosstab\" (expected pairs such as "
		    "statut*sexe)");
	check_error("[survey]\nfile =\n", ":2: missing value for \"file\"");
	check_error("[survey]\nfile = a.csv\n[survey]\n",
		    ":3: duplicate section [survey] (first on line 1)");
	check_error("[project]\nthis line has no equals sign\n",
		    ":2: expected \"[section]\", \"key = value\" or a comment");
	check_error("[project]\nterritory = 38185\n  38151\n",
		    ":3: \"territory\" takes one value (this indented line continues it)");
	check_error("[project]\n[project]\n", ":2: duplicate section [project] (first on line 1)");
	check_error("[custom:a b]\n",
		    ":1: bad section name [custom:a b] (expected "
		    "[custom:NAME], NAME made of 1 to 47 letters, digits, '_', '.' or '-')");
	check_error("[custom:x]\nname = X\n",
		    ":1: [custom:x] has no members (expected members = a list of commune codes)");
	check_error("[custom:x]\nmembers = 38185 dep:38\n",
		    ":2: bad member \"dep:38\" (expected a commune code such as 38185 or "
		    "arm:69381)");
	check_error("[project]\ntitle = Is\xe8re\n",
		    ":2: byte 0xE8 at column 11 is not UTF-8 (expected UTF-8 text)");
	char longline[300];
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[project]\ntitle = ", 18);
	strcpy(longline + 250, "\n");
	check_error("[project] junk\nterritory = 38185\n",
		    ":1: unexpected \"junk\" after the section header (expected nothing or a "
		    "comment)");
	check_error("[project\nterritory = 38185\n", ":1: missing ']' (expected [SECTION])");
	check_error("[project]\rterritory = 38185\r",
		    ":1: carriage return at column 10 (expected LF or CRLF line ends)");
	check_error("[project]\nterritory: 38185\n",
		    ":2: expected \"[section]\", \"key = value\" or a comment");
	check_error(longline, ":2: line too long (more than 197 bytes): continue a long "
			      "value on indented lines");
}

static void test_project_sources(void)
{
	struct project p;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(load("[project]\nterritory = 38185\n[sources]\n"
				   "melodi = http://127.0.0.1:8080/melodi\n"
				   "francetravail_token = https://auth.example/token\n"
				   "enabled = melodi bdm\n  caf\ncache = cache\nstore = data/t.db\n"
				   "timeout = 30\nmax_attempts = 3\nmax_body_mb = 64\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.sources.url[1].text, "http://127.0.0.1:8080/melodi");
	CU_ASSERT_STRING_EQUAL(source_table[SOURCE_MELODI].key, "melodi");
	CU_ASSERT_PTR_NULL(p.sources.url[0].text);
	CU_ASSERT_STRING_EQUAL(p.sources.ft_token.text, "https://auth.example/token");
	CU_ASSERT_EQUAL(p.sources.enabled.n, 3);
	CU_ASSERT_STRING_EQUAL(p.sources.enabled.item[2], "caf");
	CU_ASSERT_STRING_EQUAL(p.sources.cache.text, "cache");
	CU_ASSERT_STRING_EQUAL(p.sources.store.text, "data/t.db");
	CU_ASSERT_EQUAL(p.sources.timeout_s, 30);
	CU_ASSERT_EQUAL(p.sources.max_attempts, 3);
	CU_ASSERT_EQUAL(p.sources.max_body_mb, 64);
	project_release(&p);
}

/* [store] url: a PostgreSQL store, its password left to libpq */
static void test_project_store_url(void)
{
	struct project p;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(load("[project]\nterritory = 38185\n[store]\n"
				   "url = postgresql://terrain@db.example/observatoire\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.store.url.text, "postgresql://terrain@db.example/observatoire");
	CU_ASSERT_EQUAL(p.store.url.line, 4);
	project_release(&p);
	check_error("[store]\nurl = /var/lib/terrain.db\n",
		    ":2: bad value \"/var/lib/terrain.db\" for \"url\" in [store] (expected a "
		    "PostgreSQL URI such as postgresql://host/dbname or postgresql:///dbname; a "
		    "SQLite store is [sources] store)");
	/* a password never: not even in the message */
	check_error("[store]\nurl = postgresql://terrain:s3cret@db/obs\n",
		    ":2: [store] url carries a password: terrain leaves it to libpq (~/.pgpass, a "
		    "service file or PGPASSWORD), never the project file");
	check_error("[store]\nurl = postgres:///obs?host=/run/pg&password=s3cret\n",
		    ":2: [store] url carries a password: terrain leaves it to libpq (~/.pgpass, a "
		    "service file or PGPASSWORD), never the project file");
	check_error(
	    "[sources]\nstore = postgresql://terrain:s3cret@db/obs\n",
	    ":2: [sources] store carries a password: terrain leaves it to libpq (~/.pgpass, "
	    "a service file or PGPASSWORD), never the project file");
	check_error("[store]\nurl = postgresql:///a\n[store]\n",
		    ":3: duplicate section [store] (first on line 1)");
	check_error("[store]\nhost = db\n",
		    ":2: unknown key \"host\" in [store] (expected one of: url)");
}

static void test_project_line_ends_and_nul(void)
{
	struct project p;
	struct error err;
	/* CRLF is fine */
	CU_ASSERT_EQUAL_FATAL(load("[project] ; comment\r\nterritory = 38185\r\n", &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.territory, "38185");
	project_release(&p);
	/* a NUL byte would cut the value short: it is an error */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/terrain.ini", test_tmpdir());
	FILE *fp = fopen(path.buf, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fwrite("[project]\nterritory = 38185\0junk\n", 1, 34, fp);
	fclose(fp);
	CU_ASSERT_EQUAL(project_load(&p, path.buf, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "terrain.ini:2: NUL byte at column 18"));
	/* a folder is not a project file */
	CU_ASSERT_EQUAL(project_load(&p, test_tmpdir(), &err), TERRAIN_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": is a directory (expected a project file)"));
}

static void test_project_resolve(void)
{
	const struct bundle *b = test_bundle();
	struct project p;
	struct error err;
	struct territory t, refs[PROJECT_MAX_REFS];
	size_t n;

	CU_ASSERT_EQUAL_FATAL(load("[project]\nterritory = custom:sud\n"
				   "[custom:sud]\nname = Sud\nmembers = 38151 38421\n",
				   &p, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(project_resolve(&p, &b->geo, &t, refs, &n, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(t.code, "custom:sud");
	CU_ASSERT_STRING_EQUAL(t.name, "Sud");
	CU_ASSERT_EQUAL(t.custom->nmember, 2);
	CU_ASSERT_EQUAL(n, 4); /* epci, dep, reg, fr */
	project_release(&p);

	/* the project's references replace the defaults */
	CU_ASSERT_EQUAL_FATAL(
	    load("[project]\nterritory = 38185\nreferences = dep:38, fr\n", &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(project_resolve(&p, &b->geo, &t, refs, &n, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(refs[0].code, "dep:38");
	project_release(&p);
}

static void check_resolve_error(const char *text, const char *want)
{
	const struct bundle *b = test_bundle();
	struct project p;
	struct error err;
	struct territory t, refs[PROJECT_MAX_REFS];
	size_t n;
	CU_ASSERT_EQUAL_FATAL(load(text, &p, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(project_resolve(&p, &b->geo, &t, refs, &n, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "terrain.ini");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	rest += strlen("terrain.ini");
	CU_ASSERT_STRING_EQUAL(rest, want);
	if (strcmp(rest, want))
		fprintf(stderr, "\ngot:  %s\nwant: ...terrain.ini%s\n", err.msg, want);
	/* a second call fails the same way: no half-resolved state is kept */
	struct error again;
	CU_ASSERT_EQUAL(project_resolve(&p, &b->geo, &t, refs, &n, &again), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(again.msg, err.msg);
	project_release(&p);
}

static void test_project_resolve_errors(void)
{
	check_resolve_error("[project]\nterritory = 99999\n",
			    ":2: territory: unknown commune code \"99999\" (not in the COG "
			    "2021-2026 packages nor among the former codes of COG 2026)");
	check_resolve_error("[project]\ntitle = x\n",
			    ": no territory (expected \"territory = CODE\" in [project], such as "
			    "com:38185)");
	check_resolve_error("[project]\nterritory = custom:nord\n",
			    ":2: territory: unknown custom territory \"nord\" (define it in the "
			    "project file as a [custom:nord] section)");
	check_resolve_error("[project]\nterritory = 38185\nreferences = dep:38\n  dep:99\n",
			    ":4: references: unknown département \"99\" (not in COG 2026)");
	check_resolve_error("[project]\nterritory = 38185\nreferences = 38185\n",
			    ":3: references: \"38185\" is the territory itself");
	check_resolve_error("[project]\nterritory = 38185\nreferences = dep:38\n  fr dep:38\n",
			    ":4: references: \"dep:38\" is listed twice (as dep:38)");
	/* Béon 01039 is now part of Culoz-Béon 01138: listing both counts it twice */
	check_resolve_error("[project]\nterritory = custom:x\n[custom:x]\nmembers = 01138\n"
			    "  01039\n",
			    ":5: member \"01039\" of [custom:x] is listed twice (as 01138 "
			    "Culoz-Béon)");
	check_resolve_error(
	    "[project]\nterritory = custom:x\n[custom:x]\nmembers = 69123 "
	    "arm:69381\n",
	    ":4: member \"arm:69381\" of [custom:x] overlaps 69123 Lyon (expected a "
	    "commune or its arrondissements, not both)");
	check_resolve_error("[project]\nterritory = custom:x\n[custom:x]\nmembers = 38185 "
			    "88888\n",
			    ":4: member of [custom:x]: unknown commune code \"88888\" (not in the "
			    "COG 2021-2026 packages nor among the former codes of COG 2026)");
}

static void test_project_missing_file(void)
{
	struct project p;
	struct error err;
	CU_ASSERT_EQUAL(project_load(&p, "/nonexistent/terrain.ini", &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "/nonexistent/terrain.ini: cannot open: No such file or directory");
}

static int cleanup(void)
{
	strbuf_release(&path);
	return 0;
}

void suite_project(void)
{
	CU_pSuite s = CU_add_suite("project", NULL, cleanup);
	ADD_TEST(s, test_project_full_file);
	ADD_TEST(s, test_project_syntax_errors);
	ADD_TEST(s, test_project_french_numbers);
	ADD_TEST(s, test_project_sources);
	ADD_TEST(s, test_project_store_url);
	ADD_TEST(s, test_project_line_ends_and_nul);
	ADD_TEST(s, test_project_resolve);
	ADD_TEST(s, test_project_resolve_errors);
	ADD_TEST(s, test_project_missing_file);
}
