/* End-to-end: the terrain program run with arguments, files and an
 * environment; its stdout, stderr and exit status checked. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../core/fileio.h"
#include "../core/project.h"
#include "helpers.h"

static struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

#define RUN(...)	 test_run((const char *const[]){__VA_ARGS__, NULL}, NULL, NULL, &out, &err)
#define RUN_IN(cwd, ...) test_run((const char *const[]){__VA_ARGS__, NULL}, NULL, cwd, &out, &err)

static void expect_in(const struct strbuf *sb, const char *needle)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(sb->buf, needle));
	if (!strstr(sb->buf, needle))
		fprintf(stderr, "\nmissing: %s\nin:\n%s\n", needle, sb->buf);
}

/* make layers (tests/layers.sh): the source tree passes; a tree with an
 * include that points up (core/ including report/, report/ including
 * ingest/) fails, naming the file, the line and the edge. */
/* Run cmd with sh, its output into got; returns its exit status (-1: it
 * did not exit). */
static int run_shell(const char *cmd, struct strbuf *got)
{
	FILE *fp = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	char buf[512];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(got, buf, n);
	int w = pclose(fp);
	return WIFEXITED(w) ? WEXITSTATUS(w) : -1;
}

static char *run_layers(const char *root, int *status)
{
	struct strbuf cmd = STRBUF_INIT, got = STRBUF_INIT;
	strbuf_addf(&cmd, "sh tests/layers.sh '%s' 2>&1", root);
	*status = run_shell(cmd.buf, &got);
	strbuf_release(&cmd);
	return strbuf_detach(&got);
}

static void test_cli_layers(void)
{
	int status;
	char *got = run_layers(".", &status);
	CU_ASSERT_EQUAL(status, 0);
	if (status)
		fprintf(stderr, "\n%s", got);
	free(got);

	struct strbuf root = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&root, "%s/layers", test_tmpdir());
	const char *dirs[] = {"core", "report", "pipeline"};
	struct error e;
	for (size_t i = 0; i < 3; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", root.buf, dirs[i]);
		CU_ASSERT_EQUAL(fileio_mkdirs(path.buf, &e), TERRAIN_OK);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/core/a.h", root.buf);
	test_write_file(path.buf,
			"#include <stdio.h>\n#include \"b.h\"\n#include \"../report/x.h\"\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/report/x.c", root.buf);
	test_write_file(path.buf, "#include \"../core/a.h\"\n#include \"../analysis/y.h\"\n"
				  "#include \"../ingest/z.h\"\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/pipeline/p.c", root.buf);
	test_write_file(path.buf, "#include \"../ingest/z.h\"\n#include \"../report/x.h\"\n");
	got = run_layers(root.buf, &status);
	CU_ASSERT_EQUAL(status, 1);
	CU_ASSERT_STRING_EQUAL(
	    got, "core/a.h:3: core/ includes report/x.h (expected only core)\n"
		 "report/x.c:3: report/ includes ingest/z.h (expected only core analysis report)\n"
		 "make layers: includes point up the layers (core <- ingest <- analysis <- report "
		 "<- pipeline <- web <- cli)\n");
	free(got);
	strbuf_release(&root);
	strbuf_release(&path);
}

/* main's final error in JSON even when it quotes bytes that are not
 * UTF-8 (a file name): it was silently dropped. */
static void test_cli_log_json_not_utf8(void)
{
	CU_ASSERT_EQUAL(RUN("--log-format", "json", "run", "-c", "/nonexistent/no\xffne.ini"), 1);
	expect_in(&err, "\"level\":\"error\",\"message\":\"/nonexistent/no\\uFFFDne.ini: cannot "
			"open: No such file or directory\"}\n");
}

/* make install with an empty or relative PREFIX is refused before
 * anything runs: it would have run rm -rf /share/terrain/datasets. */
static void test_cli_install_prefix(void)
{
	static const struct {
		const char *prefix;
		int status;
	} cases[] = {{"", 2}, {"usr/local", 2}, {"/tmp/terrain-prefix-test", 0}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf cmd = STRBUF_INIT, got = STRBUF_INIT;
		strbuf_addf(&cmd,
			    "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -n install PREFIX='%s' "
			    "2>&1 >/dev/null",
			    cases[i].prefix);
		CU_ASSERT_EQUAL(run_shell(cmd.buf, &got), cases[i].status);
		if (cases[i].status) {
			struct strbuf want = STRBUF_INIT;
			strbuf_addf(&want,
				    "make install: PREFIX must be an absolute path (got '%s')",
				    cases[i].prefix);
			expect_in(&got, want.buf);
			strbuf_release(&want);
		}
		strbuf_release(&cmd);
		strbuf_release(&got);
	}
}

/* The command table: help and its --help, the exit codes, "did you mean"
 * for a mistyped command or option, the man page; each case is argv, the
 * exit code, a piece of stdout and stderr whole (NULL: not checked). */
static void test_cli_command_table(void)
{
	static const struct {
		const char *argv[4];
		int status;
		const char *out_has, *err;
	} cases[] = {
	    {{"help", "--help"}, 0, "Usage: terrain help [COMMAND]", ""},
	    {{"--help"}, 0, "75 the store is\nlocked by another run", ""},
	    {{"hlep"},
	     2,
	     "",
	     "terrain: unknown command 'hlep' (did you mean 'help'?)\n"
	     "Try 'terrain --help'.\n"},
	    {{"help", "rnu"},
	     2,
	     "",
	     "terrain: no command 'rnu' (did you mean 'run'?)\n"
	     "Try 'terrain --help'.\n"},
	    {{"run", "--otput", "x"},
	     2,
	     "",
	     "terrain: unknown option '--otput' for 'run' (did you mean '--output'?)\n"
	     "Try 'terrain --help'.\n"},
	    {{"indicators", "--teritory=38185"},
	     2,
	     "",
	     "terrain: unknown option '--teritory=38185' for 'indicators' (did you mean "
	     "'--territory'?)\nTry 'terrain --help'.\n"},
	    {{"help", "--man"}, 0, ".TH TERRAIN 1", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(test_run(cases[i].argv, NULL, NULL, &out, &err), cases[i].status);
		expect_in(&out, cases[i].out_has);
		if (cases[i].err)
			CU_ASSERT_STRING_EQUAL(err.buf, cases[i].err);
	}
	/* every command has a section in the man page and a row in the
	 * README's command table */
	char *readme = test_read_file("README.md");
	CU_ASSERT_PTR_NOT_NULL_FATAL(readme);
	CU_ASSERT_EQUAL(RUN("help", "--man"), 0);
	for (size_t i = 0; i < cli_ncommands; i++) {
		struct strbuf row = STRBUF_INIT, sec = STRBUF_INIT;
		strbuf_addf(&row, "| `terrain %s", cli_commands[i].name);
		strbuf_addf(&sec, "\n.SS %s\n", cli_commands[i].name);
		expect_in(&(struct strbuf){readme, strlen(readme), 0}, row.buf);
		expect_in(&out, sec.buf);
		strbuf_release(&row);
		strbuf_release(&sec);
	}
	free(readme);
}

/* A TERRAIN_DATE that is not a day stops terrain run before it writes
 * anything (the note took today's date silently). */
static void test_cli_bad_terrain_date(void)
{
	struct strbuf dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/bad_date", test_tmpdir());
	CU_ASSERT_EQUAL(
	    test_run((const char *const[]){"run", "-c", "datasets/examples/grenoble/terrain.ini",
					   "--output", dir.buf, NULL},
		     (const char *const[]){"TERRAIN_DATE=2026-02-30", NULL}, NULL, &out, &err),
	    2);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: TERRAIN_DATE='2026-02-30' is not a day (expected "
					"YYYY-MM-DD, such as 2026-03-31)\nTry 'terrain --help'.\n");
	CU_ASSERT_FALSE(fileio_exists(dir.buf));
	strbuf_release(&dir);
}

/* A file the project file names that cannot be read: the error cites the
 * project file's line, and nothing is written (the portrait and the
 * indicators were, before the survey stage failed without a line). */
static void test_cli_run_named_file_missing(void)
{
	static const struct {
		const char *ini, *err;
	} cases[] = {
	    {"[project]\nterritory = 38185\n\n[survey]\nfile = missing.csv\ncodebook = cb.csv\n",
	     "named.ini:5: file = missing.csv: cannot read "},
	    {"[project]\nterritory = 38185\n\n[offer]\nfile = nooffer.csv\n",
	     "named.ini:5: file = nooffer.csv: cannot read "},
	};
	struct strbuf ini = STRBUF_INIT, dir = STRBUF_INIT;
	strbuf_addf(&ini, "%s/named.ini", test_tmpdir());
	strbuf_addf(&dir, "%s/named_out", test_tmpdir());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_write_file(ini.buf, cases[i].ini);
		CU_ASSERT_EQUAL(RUN("run", "-c", ini.buf, "--output", dir.buf), 1);
		expect_in(&err, cases[i].err);
		expect_in(&err, ": No such file or directory\n");
		CU_ASSERT_FALSE(fileio_exists(dir.buf));
	}
	strbuf_release(&ini);
	strbuf_release(&dir);
}

static void test_cli_help_and_version(void)
{
	CU_ASSERT_EQUAL(RUN("--help"), 0);
	expect_in(&out, "Usage: terrain [OPTIONS] COMMAND [ARGS]");
	CU_ASSERT_STRING_EQUAL(err.buf, "");
	CU_ASSERT_EQUAL(RUN("--version"), 0);
	CU_ASSERT_STRING_EQUAL(out.buf, "terrain 0.1.0\n");
	CU_ASSERT_EQUAL(RUN("help", "territory"), 0);
	expect_in(&out, "terrain territory show CODE");
	CU_ASSERT_EQUAL(RUN("territory", "show", "--help"), 0);
	expect_in(&out, "terrain territory show CODE");
	CU_ASSERT_EQUAL(RUN("init", "-h"), 0);
	expect_in(&out, "Usage: terrain init DIR --territory CODE");
}

/* Usage errors, each a row: argv, the exit code, stderr whole (stdout
 * empty), in the manner of datamash's tests. */
static void test_cli_usage_errors(void)
{
	static const struct {
		const char *argv[6];
		int status;
		const char *err;
	} cases[] = {
	    {{"help", "nope"}, 2, "terrain: no command 'nope'\nTry 'terrain --help'.\n"},
	    {{NULL}, 2, "terrain: no command given\nTry 'terrain --help'.\n"},
	    {{"frobnicate"}, 2, "terrain: unknown command 'frobnicate'\nTry 'terrain --help'.\n"},
	    {{"--frobnicate", "territory"},
	     2,
	     "terrain: unknown option '--frobnicate' for 'terrain'\nTry 'terrain --help'.\n"},
	    {{"territory", "show", "38185", "--bogus"},
	     2,
	     "terrain: unknown option '--bogus' for 'show'\nTry 'terrain --help'.\n"},
	    {{"--quiet", "-xq", "territory", "show", "38185"},
	     2,
	     "terrain: unknown option '-x' for 'terrain'\nTry 'terrain --help'.\n"},
	    {{"territory", "show", "38185", "-qc"},
	     2,
	     "terrain: option '-c' needs an argument\nTry 'terrain --help'.\n"},
	    {{"--format", "xml", "territory", "show", "38185"},
	     2,
	     "terrain: bad value 'xml' for --format (expected text, csv or json)\nTry 'terrain "
	     "--help'.\n"},
	    {{"run", "--output", ""},
	     2,
	     "terrain: empty --output (expected a folder)\nTry 'terrain --help'.\n"},
	    {{"territory", "show", "38185", "-x"},
	     2,
	     "terrain: unknown option '-x' for 'show'\nTry 'terrain --help'.\n"},
	    {{"territory", "show"},
	     2,
	     "terrain: territory show needs a territory code\nTry 'terrain --help'.\n"},
	    {{"territory", "show", "38185", "38151"},
	     2,
	     "terrain: territory show takes one code (found '38151' after '38185')\nTry 'terrain "
	     "--help'.\n"},
	    {{"territory", "list"},
	     2,
	     "terrain: unknown subcommand 'territory list' (expected find or show)\nTry 'terrain "
	     "--help'.\n"},
	    {{"territory", "show", "38185", "--format", "xml"},
	     2,
	     "terrain: bad value 'xml' for --format (expected text, csv or json)\nTry 'terrain "
	     "--help'.\n"},
	    {{"territory", "show", "38185", "-c"},
	     2,
	     "terrain: option '-c' needs an argument\nTry 'terrain --help'.\n"},
	    {{"territory", "find", "x", "--limit", "ten"},
	     2,
	     "terrain: bad value 'ten' for --limit (expected a whole number from 0)\nTry 'terrain "
	     "--help'.\n"},
	    {{"territory", "find", "x", "--type", "com,ville"},
	     2,
	     "terrain: bad value 'com,ville' for --type (expected a list of com, arm, epci, dep, "
	     "reg, fr, ze, bv, uu, aav)\nTry 'terrain --help'.\n"},
	    {{"--datadir", "/nonexistent", "territory", "show", "38185"},
	     2,
	     "terrain: --datadir \"/nonexistent\" holds no datasets (expected geo/communes.csv in "
	     "it)\nTry 'terrain --help'.\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(test_run(cases[i].argv, NULL, NULL, &out, &err), cases[i].status);
		CU_ASSERT_STRING_EQUAL(err.buf, cases[i].err);
		CU_ASSERT_STRING_EQUAL(out.buf, "");
		if (strcmp(err.buf, cases[i].err))
			fprintf(stderr, "\ncase %zu: %s", i, err.buf);
	}
}

/* The facts of issue 2, from the shared data. */
static void test_cli_show_grenoble(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "38185"), 0);
	expect_in(&out, "Grenoble (com:38185)\n");
	expect_in(&out, "  EPCI:         epci:200040715 Grenoble-Alpes-Métropole\n");
	expect_in(&out, "  département:  dep:38 Isère\n");
	expect_in(&out, "  région:       reg:84 Auvergne-Rhône-Alpes\n");
	expect_in(&out, "  COG 2021        158 198\n");
	expect_in(&out, "  COG 2022        158 240\n");
	expect_in(&out, "  COG 2024        156 389\n");
	expect_in(&out, "  COG 2026        156 140\n");
	expect_in(&out, "the packages do not state its reference year");
	expect_in(&out, "  2015            160 649\n");
	expect_in(&out, "  2021            157 477\n");
	expect_in(&out, "  annual growth 2015-2021: -0.33 % per year\n");
	/* ANCT's QPV 2024 list: QN03806M to QN03809M lie in Grenoble */
	expect_in(&out, "\nQuartiers prioritaires de la politique de la ville (ANCT, QPV 2024): 4\n"
			"  QN03806M Mistral Lys Rouge Camine\n"
			"  QN03807M Villeneuve - Village Olympique\n");
	expect_in(&out, "References\n  epci:200040715 Grenoble-Alpes-Métropole\n  ze:8409 "
			"Grenoble\n  dep:38 Isère\n  reg:84 Auvergne-Rhône-Alpes\n  fr France\n");
	expect_in(&out, "Sources\n  geo/communes.csv\n    INSEE, Code officiel géographique");
	CU_ASSERT_STRING_EQUAL(err.buf, "");
	/* typed and bare codes are the same */
	struct strbuf typed = STRBUF_INIT;
	RUN("territory", "show", "com:38185");
	strbuf_addstr(&typed, out.buf);
	RUN("territory", "show", "38185");
	CU_ASSERT_STRING_EQUAL(typed.buf, out.buf);
	strbuf_release(&typed);
}

/* The zonages of territory show, from ../shared/data/zonage/:
 *   grep -E '^COM;(38185|76351|01002|17268|17334);' communes_zonages_2024.csv
 *     | cut -d';' -f2,11-14          (CODGEO;ZE2020;UU2020;AAV2020;BV2022)
 *   grep -E '^(ZE2020;(8409|8405|7528|7520)|BV2022;01004|UU2020;01000);'
 *     zones_supra_communales_2024.csv
 * Grenoble: 8409, 38185, 38701, 014, all "Grenoble"; L'Abergement-de-Varey
 * 01002: ZE 8405 Bourg en Bresse, BV 01004 Ambérieu-en-Bugey, UU 01000 and
 * AAV 000 (outside both); Rives-de-Boutonne 17268 took in 17334 in 2025
 * (cog/2026 anciensCodes) and their ZE 7528, 7520 differ. */
static void test_cli_show_zonages(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "38185"), 0);
	expect_in(&out, "Zonages (INSEE, table d'appartenance géographique des communes 2024)\n"
			"  zone d'emploi 2020                8409   Grenoble\n"
			"  bassin de vie 2022                38185  Grenoble\n"
			"  unité urbaine 2020                38701  Grenoble\n"
			"  aire d'attraction des villes 2020 014    Grenoble\n"
			"  category in its aire d'attraction        not in the bundle (the table "
			"d'appartenance gives only \"hors attraction\")\n");
	expect_in(&out, "  geo/zonages.csv\n    INSEE, table d'appartenance géographique des "
			"communes 2024");
	CU_ASSERT_EQUAL(RUN("territory", "show", "01002"), 0);
	expect_in(
	    &out,
	    "  zone d'emploi 2020                8405   Bourg en Bresse\n"
	    "  bassin de vie 2022                01004  Ambérieu-en-Bugey\n"
	    "  unité urbaine 2020                01000  Communes hors unité urbaine du "
	    "département 01 (outside any unité urbaine)\n"
	    "  aire d'attraction des villes 2020 000    Commune hors attraction des villes "
	    "(outside any aire d'attraction)\n"
	    "  category in its aire d'attraction        Commune hors attraction des villes\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "17268"), 0);
	expect_in(&out,
		  "  zone d'emploi 2020                -      (not in the bundle: the COG 2024 "
		  "communes it is made of, 17268, 17334, were in different zones)\n");
	/* not a commune: no zonages, nor their source */
	CU_ASSERT_EQUAL(RUN("territory", "show", "dep:38"), 0);
	CU_ASSERT_PTR_NULL(strstr(out.buf, "Zonages"));
	CU_ASSERT_PTR_NULL(strstr(out.buf, "geo/zonages.csv"));

	json_error_t jerr;
	CU_ASSERT_EQUAL(RUN("territory", "show", "38185", "--format", "json"), 0);
	json_t *j = json_loads(out.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	json_t *z = json_object_get(j, "zonages");
	static const char *const keys[] = {"ze2020", "bv2022", "uu2020", "aav2020"};
	static const char *const codes[] = {"8409", "38185", "38701", "014"};
	for (size_t i = 0; i < 4; i++) {
		json_t *o = json_object_get(z, keys[i]);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "code")), codes[i]);
		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "name")), "Grenoble");
	}
	json_t *cat = json_object_get(z, "aav_category");
	CU_ASSERT_TRUE(json_is_null(json_object_get(cat, "code")));
	json_decref(j);
	CU_ASSERT_EQUAL(RUN("territory", "show", "01002", "--format", "json"), 0);
	j = json_loads(out.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	cat = json_object_get(json_object_get(j, "zonages"), "aav_category");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(cat, "code")), 30);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(cat, "label")),
			       "Commune hors attraction des villes");
	json_decref(j);
	CU_ASSERT_EQUAL(RUN("territory", "show", "dep:38", "--format", "json"), 0);
	j = json_loads(out.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_TRUE(json_is_null(json_object_get(j, "zonages")));
	json_decref(j);

	CU_ASSERT_EQUAL(RUN("territory", "show", "38185", "--format", "csv"), 0);
	expect_in(&out, "com:38185,Grenoble,zonage_ze2020,,8409,,,Grenoble\n"
			"com:38185,Grenoble,zonage_bv2022,,38185,,,Grenoble\n"
			"com:38185,Grenoble,zonage_uu2020,,38701,,,Grenoble\n"
			"com:38185,Grenoble,zonage_aav2020,,014,,,Grenoble\n");
}

static void test_cli_show_members_and_aggregates(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "epci:200040715", "--members"), 0);
	expect_in(&out, "  members:      49 communes\n");
	expect_in(&out, "  com:38185  Grenoble");
	expect_in(&out, "  2021            449 488   49/49 communes\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "dep:2A"), 0);
	expect_in(&out, "Corse-du-Sud (dep:2A)\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "75056", "-m"), 0);
	expect_in(&out, "  members:      20 arrondissements municipaux\n");
	expect_in(&out, "arm:75101");
}

static void test_cli_show_former_code(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "com:01039"), 0);
	expect_in(&out,
		  "com:01039 Béon is a former commune, part of com:01138 Culoz-Béon since COG "
		  "2023 (last listed in COG 2022); now a commune déléguée.\n\nCuloz-Béon "
		  "(com:01138)\n");
	expect_in(&out, "  COG 2021          3 447   named Culoz in this package; includes 01039 "
			"Béon (443)\n");
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: note: com:01039 is a former commune code: "
					"showing com:01138 Culoz-Béon\n");
	/* -q keeps only errors */
	CU_ASSERT_EQUAL(RUN("-q", "territory", "show", "com:01039"), 0);
	CU_ASSERT_STRING_EQUAL(err.buf, "");
	/* a split: the commune created from another says so */
	CU_ASSERT_EQUAL(RUN("territory", "show", "85165"), 0);
	expect_in(&out, "not listed: created in COG 2024 by a split (the files do not name the "
			"commune it came from)");
}

/* INSEE's zones as territories (datasets/geo/zonages_zones.csv: ze:8409
 * Grenoble, 189 communes in COG 2024, none merged since) and the zone
 * d'emploi as a commune's reference in terrain indicators: population
 * 2021 of the zone, 614 476, summed over its 189 communes by
 *   awk -F';' 'NR==FNR{if($2=="8409")m[$1];next} ($1 in m){s+=$8} END{print s}'
 *     datasets/geo/zonages.csv datasets/census/comparateur_communes.csv */
static void test_cli_zones(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "ze:8409"), 0);
	expect_in(&out, "Grenoble (ze:8409)\n"
			"  type:         zone d'emploi 2020 (INSEE), communes of COG 2026\n"
			"  members:      189 communes\n");
	expect_in(&out, "References\n  dep:38 Isère\n  reg:84 Auvergne-Rhône-Alpes\n  fr France\n");
	expect_in(&out, "  geo/zonages.csv\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "38185"), 0);
	expect_in(&out, "References\n  epci:200040715 Grenoble-Alpes-Métropole\n  ze:8409 "
			"Grenoble\n  dep:38 Isère\n");
	CU_ASSERT_EQUAL(RUN("indicators", "-t", "38185", "--format", "csv"), 0);
	expect_in(&out,
		  "\npopulation_2021,ze:8409,Grenoble,614476,persons,,final,614476,,189,189,");
	CU_ASSERT_EQUAL(RUN("indicators", "-t", "ze:8409", "--format", "csv"), 0);
	expect_in(&out, "\npopulation_2021,ze:8409,Grenoble,614476,");
	expect_in(&out, "\npopulation_2021,dep:38,Isère,");
	/* Filosofi is published for communes and EPCI: never computed for a zone */
	expect_in(&out, "\nmedian_living_standard,ze:8409,Grenoble,,euros a year,,,,,0,0,,,,,,,,,,"
			"not in the bundled data,");
	CU_ASSERT_EQUAL(RUN("territory", "show", "uu:38000"), 1);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: \"uu:38000\" is not a territory: INSEE's code "
					"for the communes outside any unité urbaine (\"Communes "
					"hors unité urbaine du département 38\")\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "aav:999"), 1);
	expect_in(&err, "unknown aire d'attraction des villes 2020 \"999\"");
}

static void test_cli_show_bad_codes(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "3818"), 2);
	CU_ASSERT_STRING_EQUAL(
	    err.buf, "terrain: malformed territory code \"3818\": no type prefix and not a "
		     "commune code (expected com:CODE, arm:CODE, epci:SIREN, dep:CODE, "
		     "reg:CODE, fr, custom:NAME, ze:CODE, bv:CODE, uu:CODE, aav:CODE or a "
		     "5-character commune code such as 38185)\nTry 'terrain --help'.\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "99999"), 1);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: unknown commune code \"99999\" (not in the COG "
					"2021-2026 packages nor among the former codes of COG "
					"2026)\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "dep:20"), 1);
	expect_in(&err, "unknown département \"20\"");
	CU_ASSERT_EQUAL(RUN("territory", "show", "custom:sud"), 1);
	expect_in(&err, "unknown custom territory \"sud\" (no project file");
	CU_ASSERT_STRING_EQUAL(out.buf, "");
}

static void test_cli_show_json_and_csv(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "38185", "--format", "json"), 0);
	json_error_t jerr;
	json_t *j = json_loads(out.buf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "code")), "com:38185");
	json_t *epci = json_object_get(json_object_get(j, "parents"), "epci");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(epci, "code")), "epci:200040715");
	json_t *cog = json_object_get(j, "population_cog");
	CU_ASSERT_EQUAL(json_array_size(cog), 6);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(cog, 0), "cog")), 2021);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(cog, 0), "value")),
			158198);
	json_t *g = json_object_get(j, "growth_census");
	CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(g, "value")), -0.3318223318, 1e-9);
	/* EPCI, zone d'emploi, département, région, France */
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "references")), 5);
	/* the COG packages, the census, for a commune the zonages, and the QPV */
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "sources")), 4);
	/* Grenoble's four QPV (ANCT's list, counted by hand), no population */
	json_t *qpv = json_object_get(j, "qpv");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(qpv, "count")), 4);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
				   json_array_get(json_object_get(qpv, "list"), 0), "name")),
			       "Mistral Lys Rouge Camine");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(qpv, "note")),
			       "no population per QPV is bundled");
	CU_ASSERT_TRUE(json_is_null(json_object_get(j, "resolved_from")));
	json_decref(j);

	CU_ASSERT_EQUAL(RUN("territory", "show", "38185", "--format", "csv"), 0);
	CU_ASSERT_EQUAL(
	    strncmp(out.buf, "territory,name,item,period,value,unit,coverage,note\n", 52), 0);
	expect_in(&out,
		  "\ncom:38185,Grenoble,qpv_count,2024,4,QPV,,no population per QPV is "
		  "bundled\ncom:38185,Grenoble,qpv,2024,QN03806M,,,Mistral Lys Rouge Camine\n");
	expect_in(&out, "\ncom:38185,Grenoble,parent_epci,,epci:200040715,,,Grenoble-Alpes-"
			"Métropole\n");
	expect_in(&out, "\ncom:38185,Grenoble,pop_cog,2021,158198,persons,1/1,\n");
	expect_in(&out, "\ncom:38185,Grenoble,pop_census,2021,157477,persons,1/1,\n");
	expect_in(&out, "\ncom:38185,Grenoble,growth_census,2015-2021,-0.3318,% per year,1/1,\n");
}

static void test_cli_find(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "find", "saint", "etienne", "-n", "1"), 0);
	CU_ASSERT_EQUAL(strncmp(out.buf, "com:42218        Saint-Étienne", 31), 0);
	size_t lines = 0;
	for (const char *c = out.buf; *c; c++)
		lines += *c == '\n';
	CU_ASSERT_EQUAL(lines, 1);
	expect_in(&err, "more matches (use --limit 0 to list them all)");
	CU_ASSERT_EQUAL(RUN("territory", "find", "grenoble", "--type", "epci", "--format", "csv"),
			0);
	CU_ASSERT_STRING_EQUAL(out.buf,
			       "code,name,type,dep,population,match,note\n"
			       "epci:200040715,Grenoble-Alpes-Métropole,EPCI,,450608,prefix,"
			       "METRO\n");
	CU_ASSERT_EQUAL(RUN("territory", "find", "zzzqqq"), 1);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: no territory matches \"zzzqqq\"\n");
}

/* The note dir/out/com_59512/note{suffix}.md begins with "# " title and
 * its HTML page has it as <title>. */
static void check_title(const char *dir, const char *suffix, const char *title)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
	strbuf_addf(&path, "%s/out/com_59512/note%s.md", dir, suffix);
	char *text = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	strbuf_addf(&want, "# %s\n", title);
	CU_ASSERT_EQUAL(strncmp(text, want.buf, want.len), 0);
	if (strncmp(text, want.buf, want.len))
		fprintf(stderr, "\n%s begins with %.60s\n", path.buf, text);
	free(text);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/out/com_59512/note%s.html", dir, suffix);
	text = test_read_file(path.buf);
	strbuf_reset(&want);
	strbuf_addf(&want, "<title>%s</title>", title);
	CU_ASSERT_PTR_NOT_NULL(text ? strstr(text, want.buf) : NULL);
	free(text);
	strbuf_release(&path);
	strbuf_release(&want);
}

/* terrain init leaves the title commented: the note of its project is
 * titled in the note's language from the territory's name, in the
 * Markdown and the HTML page's <title>; a title given is kept in both. */
static void test_cli_init_default_title(void)
{
	struct strbuf proj = STRBUF_INIT;
	strbuf_addf(&proj, "%s/roubaix", test_tmpdir());
	CU_ASSERT_EQUAL_FATAL(RUN("init", proj.buf, "--territory", "59512"), 0);
	CU_ASSERT_EQUAL_FATAL(RUN_IN(proj.buf, "report", "--lang", "en"), 0);
	check_title(proj.buf, ".en", "Territorial diagnosis: Roubaix");
	CU_ASSERT_EQUAL_FATAL(RUN_IN(proj.buf, "report"), 0);
	check_title(proj.buf, "", "Diagnostic territorial : Roubaix");

	/* a project with a title keeps it, in either language */
	CU_ASSERT_EQUAL_FATAL(RUN("init", proj.buf, "--territory", "59512", "--title",
				  "Étude de territoire : Roubaix", "-f"),
			      0);
	CU_ASSERT_EQUAL_FATAL(RUN_IN(proj.buf, "report", "--lang", "en"), 0);
	check_title(proj.buf, ".en", "Étude de territoire : Roubaix");
	CU_ASSERT_EQUAL_FATAL(RUN_IN(proj.buf, "report"), 0);
	check_title(proj.buf, "", "Étude de territoire : Roubaix");
	strbuf_release(&proj);
}

static void test_cli_init_and_run(void)
{
	const char *dir = test_tmpdir();
	struct strbuf proj = STRBUF_INIT, ini = STRBUF_INIT, path = STRBUF_INIT;
	strbuf_addf(&proj, "%s/etude", dir);
	strbuf_addf(&ini, "%s/terrain.ini", proj.buf);

	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185"), 0);
	expect_in(&out, "for com:38185 Grenoble");
	struct project p;
	struct error e;
	CU_ASSERT_EQUAL_FATAL(project_load(&p, ini.buf, &e), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(p.territory, "com:38185");
	/* no title: the note gives its own, in its language */
	CU_ASSERT_PTR_NULL(p.title);
	project_release(&p);
	char *text = test_read_file(ini.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n;title = Diagnostic territorial : Grenoble\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(text, ";references = epci:200040715, ze:8409, dep:38, reg:84, fr\n"));
	free(text);

	/* values that would not read back as given are refused, nothing written */
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185", "--title", ";draft", "-f"),
			2);
	expect_in(&err, "--title \";draft\" would read back from terrain.ini as \"\"");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185", "--author", "A ; B", "-f"),
			2);
	expect_in(&err, "--author \"A ; B\" would read back from terrain.ini as \"A\"");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185", "--title", "caf\xe9", "-f"),
			2);
	expect_in(&err, "the values given do not fit in a project file: terrain.ini:9: byte 0xE9");
	text = test_read_file(ini.buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n;title = Diagnostic territorial : Grenoble\n"));
	/* the project's sections, commented, for bloc 2 */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n;[target]\n;label = "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n;[offer]\n;file = offre.csv\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n;[budget]\n"));
	free(text);

	/* an existing file is kept */
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38151"), 1);
	expect_in(&err, "terrain.ini already exists (use --force to overwrite it)");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38151", "--force"), 0);
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185", "-f"), 0);

	CU_ASSERT_EQUAL(RUN("run", "-c", ini.buf), 0);
	expect_in(&out, "Grenoble (com:38185)\n");
	expect_in(&out, "Compared with its references\n");
	expect_in(&out, "dep:38           Isère");
	strbuf_addf(&path, "%s/out/com_38185/portrait.json", proj.buf);
	char *json = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(json);
	CU_ASSERT_PTR_NOT_NULL(json ? strstr(json, "\"code\": \"com:38185\"") : NULL);
	free(json);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/out/com_38185/references.csv", proj.buf);
	char *csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(csv ? strstr(csv, "\ndep:38,Isère,1298990,1251060,1284948,") : NULL);
	free(csv);
	/* the indicators against the references, printed and written */
	expect_in(&out, "Taux de chômage des 15-64 ans (recensement) (%)\n");
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/out/com_38185/indicators.csv", proj.buf);
	csv = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(
	    csv ? strstr(csv, "\nunemployment_rate_census,com:38185,Grenoble,13.80463433") : NULL);
	free(csv);

	/* from the project's folder, ./terrain.ini is read without -c; options
	 * go before or after the command */
	CU_ASSERT_EQUAL(RUN_IN(proj.buf, "--format", "json", "run"), 0);
	expect_in(&out, "\"code\": \"com:38185\"");

	/* an empty folder has no project */
	CU_ASSERT_EQUAL(RUN_IN(dir, "run"), 2);
	expect_in(&err, "no project file: ./terrain.ini not found");

	/* bad arguments to init */
	CU_ASSERT_EQUAL(RUN("init", proj.buf), 2);
	expect_in(&err, "init needs --territory CODE");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "99999", "-f"), 1);
	expect_in(&err, "unknown commune code \"99999\"");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38185", "--members", "38151"), 2);
	expect_in(&err, "--members and --name go with --territory custom:NAME");
	strbuf_release(&proj);
	strbuf_release(&ini);
	strbuf_release(&path);
}

static void test_cli_custom_territory(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT;
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	CU_ASSERT_EQUAL(RUN("init", dir, "--territory", "custom:sud", "--members",
			    "38151, 38421 38185", "--name", "Sud grenoblois"),
			0);
	CU_ASSERT_EQUAL(RUN("territory", "show", "custom:sud", "-c", ini.buf, "--members"), 0);
	expect_in(&out, "Sud grenoblois (custom:sud)\n");
	expect_in(&out, "  members:      3 communes\n");
	/* 157 477 + 36 849 + 38 454, census 2021 of the three communes */
	expect_in(&out, "  2021            232 780   3/3 communes\n");
	expect_in(&out, "References\n  epci:200040715");
	/* the same from its folder, without -c */
	CU_ASSERT_EQUAL(RUN_IN(dir, "territory", "show", "custom:sud"), 0);
	CU_ASSERT_EQUAL(
	    RUN("init", dir, "--territory", "custom:sud", "--members", "38185,99999", "-f"), 1);
	expect_in(&err, "--members: unknown commune code \"99999\"");
	CU_ASSERT_EQUAL(RUN("init", dir, "--territory", "custom:sud", "-f"), 2);
	expect_in(&err, "needs --members");
	strbuf_release(&ini);
}

static void test_cli_bad_project_file(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT;
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	test_write_file(ini.buf, "[project]\nterritory = 38185\nlangue = fr\n");
	CU_ASSERT_EQUAL(RUN("run", "-c", ini.buf), 1);
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want,
		    "terrain: %s:3: unknown key \"langue\" in [project] (expected one of: "
		    "title, author, territory, references, lang, output)\n",
		    ini.buf);
	CU_ASSERT_STRING_EQUAL(err.buf, want.buf);
	/* ./terrain.ini is read by every command, and its errors stop them */
	CU_ASSERT_EQUAL(RUN_IN(dir, "territory", "show", "38185"), 1);
	expect_in(&err, "terrain.ini:3: unknown key \"langue\"");
	CU_ASSERT_EQUAL(RUN("run", "-c", "/nonexistent/terrain.ini"), 1);
	expect_in(&err, "/nonexistent/terrain.ini: cannot open: No such file or directory");
	strbuf_release(&want);
	strbuf_release(&ini);
}

/* The program finds its datasets beside itself (source tree) and in
 * ../share/terrain/datasets (installed), without TERRAIN_DATADIR. */
static void test_cli_finds_datasets(void)
{
	const char *dir = test_tmpdir();
	struct strbuf bin = STRBUF_INIT, share = STRBUF_INIT, data = STRBUF_INIT;
	struct error e;
	char *abs = realpath(test_datadir(), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
	strbuf_addf(&bin, "%s/bin", dir);
	CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(bin.buf, &e), TERRAIN_OK);
	strbuf_addstr(&bin, "/terrain");
	char *exe = test_read_file(test_bin());
	struct stat sb;
	CU_ASSERT_FATAL(exe && stat(test_bin(), &sb) == 0);
	CU_ASSERT_EQUAL_FATAL(fileio_write_atomic(bin.buf, exe, (size_t)sb.st_size, &e),
			      TERRAIN_OK);
	free(exe);
	CU_ASSERT_EQUAL_FATAL(chmod(bin.buf, 0755), 0);
	strbuf_addf(&share, "%s/share/terrain", dir);
	CU_ASSERT_EQUAL_FATAL(fileio_mkdirs(share.buf, &e), TERRAIN_OK);
	strbuf_addf(&data, "%s/datasets", share.buf);

	const char *const env[] = {"TERRAIN_BIN", "TERRAIN_DATADIR", NULL};
	const char *const args[] = {"territory", "show", "38185", NULL};
	char *saved = getenv("TERRAIN_BIN") ? strdup(getenv("TERRAIN_BIN")) : NULL;
	setenv("TERRAIN_BIN", bin.buf, 1);
	/* nothing there yet */
	CU_ASSERT_EQUAL(test_run(args, env, NULL, &out, &err), 1);
	expect_in(&err, "cannot find the datasets (looked in ");
	expect_in(&err, "share/terrain/datasets); set TERRAIN_DATADIR or use --datadir");
	/* installed layout */
	CU_ASSERT_EQUAL_FATAL(symlink(abs, data.buf), 0);
	CU_ASSERT_EQUAL(test_run(args, env, NULL, &out, &err), 0);
	expect_in(&out, "Grenoble (com:38185)");
	if (saved)
		setenv("TERRAIN_BIN", saved, 1);
	else
		unsetenv("TERRAIN_BIN");
	free(saved);
	free(abs);
	strbuf_release(&bin);
	strbuf_release(&share);
	strbuf_release(&data);
}

/* A failed write of the results is an error, not a silent truncation. */
static void test_cli_write_error(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/full", O_WRONLY);
		int null = open("/dev/null", O_WRONLY);
		if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(null, 2) < 0)
			_exit(126);
		execl(test_bin(), test_bin(), "territory", "show", "38185", (char *)NULL);
		_exit(127);
	}
	int status;
	CU_ASSERT_FATAL(pid > 0);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	CU_ASSERT(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 1);
}

#define SFIX "tests/fixtures/survey/"

static void test_cli_survey_check(void)
{
	CU_ASSERT_EQUAL(RUN("survey", "check", SFIX "excel_cp1252_invented.csv", "--codebook",
			    SFIX "codebook_excel_cp1252_invented.csv"),
			0);
	expect_in(&out, "240 respondents read (Windows-1252, delimiter ';'");
	expect_in(&out, "no problem found\n");
	/* an invented file with two problems */
	const char *dir = test_tmpdir();
	struct strbuf f = STRBUF_INIT, cb = STRBUF_INIT;
	strbuf_addf(&f, "%s/bad.csv", dir);
	strbuf_addf(&cb, "%s/cb.csv", dir);
	test_write_file(cb.buf, "variable;type;labels;min;max\nsexe;single;F|H;;\n"
				"age;integer;;15;110\n");
	test_write_file(f.buf, "sexe;age\nF;30\nX;30\nH;300\n");
	CU_ASSERT_EQUAL(RUN("survey", "check", f.buf, "--codebook", cb.buf), 1);
	expect_in(&out, "bad.csv:3:1: unknown modality \"X\" for \"sexe\" (expected one of: F, "
			"H) (column \"sexe\")\n");
	expect_in(&out, "bad.csv:4:2: 300 is above the maximum 110 of \"age\" (column \"age\")\n");
	expect_in(&out, "2 problems: 1 unknown modality, 1 out of bounds\n");
	expect_in(&err, "bad.csv: 2 problems found\n");
	/* analyze refuses them, unless told to leave them out */
	CU_ASSERT_EQUAL(RUN("survey", "analyze", f.buf, "--codebook", cb.buf), 1);
	expect_in(&err, "2 problems in the survey (the first: ");
	CU_ASSERT_EQUAL(RUN("survey", "analyze", f.buf, "--codebook", cb.buf, "--lenient",
			    "--suppress-below", "0", "--format", "csv"),
			0);
	expect_in(&err, "2 values with a problem left out");
	expect_in(&out, "\nage,,,,,,mean,30,");
	/* usage */
	CU_ASSERT_EQUAL(RUN("survey", "check", f.buf), 2);
	expect_in(&err, "which codebook?");
	CU_ASSERT_EQUAL(RUN("survey", "analyze", SFIX "kobo_invented.csv", "--codebook",
			    SFIX "codebook_kobo_invented.csv", "--by", "statu"),
			2);
	expect_in(&err, "--by: no variable \"statu\" in the codebook");
	CU_ASSERT_EQUAL(RUN("survey", "analyze", SFIX "kobo_invented.csv", "--codebook",
			    SFIX "codebook_kobo_invented.csv", "--method", "rake"),
			2);
	expect_in(&err, "weighting method rake needs margins");
	CU_ASSERT_EQUAL(RUN("survey", "analyze", f.buf, "--codebook", cb.buf, "--trim", "3,1"), 2);
	expect_in(&err, "bad value '3,1' for --trim");
	CU_ASSERT_EQUAL(RUN("survey", "frobnicate"), 2);
	expect_in(&err, "unknown subcommand 'survey frobnicate'");
	CU_ASSERT_EQUAL(RUN("survey", "check", "/nonexistent.csv", "--codebook", cb.buf), 1);
	expect_in(&err, "/nonexistent.csv: cannot open: No such file or directory");
	strbuf_release(&f);
	strbuf_release(&cb);
}

static void test_cli_survey_analyze(void)
{
	const char *dir = test_tmpdir();
	CU_ASSERT_EQUAL(RUN("survey", "analyze", SFIX "kobo_invented.csv", "--codebook",
			    SFIX "codebook_kobo_invented.csv", "--margins",
			    SFIX "margins_invented.csv", "--by", "sexe", "--crosstab",
			    "statut*sexe", "-o", dir),
			0);
	expect_in(&out, "Weighting: rake, converged after ");
	expect_in(&out, "statut by sexe: Rao-Scott F = 1.6172 on 3.95 and 944.3 df, p = 0.1685");
	static const char *const files[] = {"survey_results.csv", "survey_results.json",
					    "survey_results.txt", "survey_weights.csv",
					    "survey_margins.csv", "survey_crosstabs.csv",
					    "survey_tests.csv"};
	struct strbuf p = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, files[i]);
		char *text = test_read_file(p.buf);
		CU_ASSERT_PTR_NOT_NULL(text);
		free(text);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/survey_results.json", dir);
	char *text = test_read_file(p.buf);
	json_error_t jerr;
	json_t *j = json_loads(text ? text : "", 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(json_object_get(j, "weighting"), "method")), "rake");
	CU_ASSERT(json_array_size(json_object_get(j, "results")) > 100);
	json_decref(j);
	free(text);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/survey_margins.csv", dir);
	text = test_read_file(p.buf);
	CU_ASSERT_PTR_NOT_NULL(text ? strstr(text, "variable,category,label,target,initial,"
						   "achieved,gap\nsexe,F,Femme,5200,")
				    : NULL);
	free(text);
	/* csv on stdout */
	CU_ASSERT_EQUAL(RUN("survey", "analyze", SFIX "kobo_invented.csv", "--codebook",
			    SFIX "codebook_kobo_invented.csv", "--format", "csv"),
			0);
	static const char header[] =
	    "variable,category,category_label,group_variable,group,"
	    "group_label,statistic,estimate,se,ci_low,ci_high,ci_method,"
	    "wilson_low,wilson_high,cv,deff,df,n,n_cell,weighted_n,flags\n";
	CU_ASSERT_EQUAL(strncmp(out.buf, header, strlen(header)), 0);
	strbuf_release(&p);
}

static void test_cli_survey_describe(void)
{
	const char *dir = test_tmpdir();
	struct strbuf cb = STRBUF_INIT;
	strbuf_addf(&cb, "%s/draft.csv", dir);
	CU_ASSERT_EQUAL(RUN("survey", "describe", SFIX "limesurvey_invented.csv"), 0);
	CU_ASSERT_EQUAL(strncmp(out.buf,
				"variable;column;type;labels;missing;min;max;separator;"
				"role;note;short_label\n",
				76),
			0);
	expect_in(&out, "\nq6;Q6[{}];multiple;SQ001|SQ002|SQ003|SQ004|SQ005;");
	CU_ASSERT_EQUAL(RUN("survey", "describe", SFIX "limesurvey_invented.csv", "-o", cb.buf), 0);
	expect_in(&out, "wrote the draft codebook");
	CU_ASSERT_EQUAL(RUN("survey", "describe", SFIX "limesurvey_invented.csv", "-o", cb.buf), 1);
	expect_in(&err, "draft.csv already exists (use --force to overwrite it)");
	/* the draft reads the file without a problem */
	CU_ASSERT_EQUAL(
	    RUN("survey", "check", SFIX "limesurvey_invented.csv", "--codebook", cb.buf), 0);
	strbuf_release(&cb);
}

/* The example project: [survey] in the project file, and run's survey stage. */
static void test_cli_survey_in_project(void)
{
	const char *dir = test_tmpdir();
	struct strbuf ini = STRBUF_INIT, path = STRBUF_INIT;
	char *abs = realpath("datasets/examples/grenoble/terrain.ini", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
	CU_ASSERT_EQUAL(RUN("run", "-c", abs, "-o", dir), 0);
	expect_in(&out, "Survey ");
	expect_in(&out, "enquete_exemple_inventee.csv (Windows-1252), 240 respondents");
	strbuf_addf(&path, "%s/com_38185/survey/survey_results.csv", dir);
	char *text = test_read_file(path.buf);
	CU_ASSERT_PTR_NOT_NULL(text);
	free(text);
	free(abs);
	/* a bad name in [survey] is reported at its line */
	strbuf_addf(&ini, "%s/terrain.ini", dir);
	test_write_file(ini.buf, "[project]\nterritory = 38185\n[survey]\n"
				 "file = " SFIX "../../../" SFIX "kobo_invented.csv\n"
				 "codebook = /nonexistent/cb.csv\n");
	CU_ASSERT_EQUAL(RUN("survey", "check", "-c", ini.buf), 1);
	expect_in(&err, "/nonexistent/cb.csv: cannot open");
	strbuf_release(&ini);
	strbuf_release(&path);
}

static int cleanup(void)
{
	strbuf_release(&out);
	strbuf_release(&err);
	return 0;
}

/* A postcode typed where a commune code is expected: INSEE code 59100 is
 * Bousignies, postcode 59100 is Roubaix (59512); 38000 is only a postcode. */
/* A territory typed by its name: the one so named (an administrative
 * territory before the study zones named after it), said in a note; a
 * name several territories bear, or none, is a usage error listing the
 * closest with their codes.  Populations: COG 2026 (datasets/geo). */
static void test_cli_territory_by_name(void)
{
	struct strbuf proj = STRBUF_INIT;
	strbuf_addf(&proj, "%s/byname", test_tmpdir());
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "Roubaix", "-f"), 0);
	expect_in(&out, "for com:59512 Roubaix");
	CU_ASSERT_STRING_EQUAL(err.buf,
			       "terrain: note: --territory: \"Roubaix\" is com:59512 Roubaix\n");
	/* the commune, not the four zones called Grenoble */
	CU_ASSERT_EQUAL(RUN("territory", "show", "grenoble"), 0);
	expect_in(&out, "Grenoble (com:38185)\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "roubaix tourcoing"), 0);
	expect_in(&out, "Roubaix-Tourcoing (ze:3218)\n");
	CU_ASSERT_EQUAL(RUN("indicators", "--territory", "Saint-Denis"), 2);
	expect_in(&err, "terrain: --territory \"Saint-Denis\" names several territories: "
			"com:97411 Saint-Denis (commune of 974, 155634 inhabitants), com:93066 "
			"Saint-Denis (commune of 93, 149077 inhabitants), ");
	expect_in(&err, "; give the code of the one you mean\n");
	CU_ASSERT_STRING_EQUAL(out.buf, "");
	CU_ASSERT_EQUAL(RUN("territory", "show", "Grenobl"), 2);
	expect_in(&err, "terrain: territory show: no territory is named \"Grenobl\"; the closest: "
			"epci:200040715 Grenoble-Alpes-Métropole (EPCI, 450608 inhabitants), "
			"com:38185 Grenoble (commune of 38, 156140 inhabitants)");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "zzzz", "-f"), 2);
	expect_in(&err, "no territory is named \"zzzz\" (expected a name, such as Grenoble, or "
			"a code, such as com:38185: terrain territory find NAME)");
	/* a malformed code stays territory_parse's error */
	CU_ASSERT_EQUAL(RUN("territory", "show", "com:"), 2);
	expect_in(&err, "com:");
	strbuf_release(&proj);
}

/* The catalogue listed: every row of datasets/catalogue/indicators.csv
 * (51: grep -c '^[a-z]' minus the header), in text, CSV and JSON; the map
 * error's pointer to it is an option that exists. */
static void test_cli_indicators_list(void)
{
	CU_ASSERT_EQUAL(RUN("indicators", "--list"), 0);
	size_t lines = 0;
	for (const char *c = out.buf; *c; c++)
		lines += *c == '\n';
	CU_ASSERT_EQUAL(lines, 51);
	expect_in(&out,
		  "population_2015                    count   persons    Population municipale "
		  "2015\n");
	CU_ASSERT_EQUAL(RUN("indicators", "--list", "--format", "csv"), 0);
	expect_in(&out,
		  "id,kind,unit,theme,label,source\npopulation_2015,count,persons,demography,"
		  "Population municipale 2015,\"Insee, recensement de la population 2015\"\n");
	expect_in(&out, "\npoverty_rate,rate,%,income_poverty,");
	CU_ASSERT_EQUAL(RUN("indicators", "--list", "--format", "json"), 0);
	expect_in(&out, "\"id\": \"unemployment_rate_census\"");
	CU_ASSERT_EQUAL(RUN("indicators", "--list", "-t", "38185"), 2);
	expect_in(&err, "--list lists the catalogue: it takes no --territory, --refs or --store");
}

static void test_cli_postcodes(void)
{
	static const char warning[] =
	    "59100 is Bousignies (INSEE code); 59100 is also the postcode of Roubaix "
	    "(59512): if you meant Roubaix, write 59512\n";
	struct strbuf want = STRBUF_INIT, proj = STRBUF_INIT, ini = STRBUF_INIT;
	CU_ASSERT_EQUAL(RUN("territory", "show", "59100"), 0);
	expect_in(&out, "Bousignies (com:59100)\n");
	strbuf_addf(&want, "terrain: warning: territory show: %s", warning);
	CU_ASSERT_STRING_EQUAL(err.buf, want.buf);
	CU_ASSERT_EQUAL(RUN("territory", "show", "59512"), 0);
	CU_ASSERT_STRING_EQUAL(err.buf, "");
	CU_ASSERT_EQUAL(RUN("territory", "show", "38000"), 1);
	CU_ASSERT_STRING_EQUAL(err.buf, "terrain: \"38000\" is a postcode, not an INSEE commune "
					"code: the postcode of Grenoble (38185); write its INSEE "
					"code, 38185\n");
	CU_ASSERT_STRING_EQUAL(out.buf, "");

	strbuf_addf(&proj, "%s/postcode", test_tmpdir());
	strbuf_addf(&ini, "%s/terrain.ini", proj.buf);
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "59100", "-f"), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "terrain: warning: --territory: %s", warning);
	CU_ASSERT_STRING_EQUAL(err.buf, want.buf);
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "75001", "-f"), 0);
	expect_in(&err, "terrain: warning: --territory: 75001 is the INSEE code of a former "
			"commune, now part of Alfortville (94002); 75001 is also the postcode of "
			"Paris (75056) and Paris 1er Arrondissement (75101): if you meant one of "
			"them, write its INSEE code\n");
	CU_ASSERT_EQUAL(RUN("init", proj.buf, "--territory", "38000", "-f"), 1);
	expect_in(&err, "\"38000\" is a postcode, not an INSEE commune code");

	/* the project file's territory and references, with FILE:LINE */
	test_write_file(ini.buf, "[project]\nterritory = 59100\nreferences = 13001, fr\n");
	CU_ASSERT_EQUAL(RUN("indicators", "-c", ini.buf), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "terrain: warning: %s:2: %s", ini.buf, warning);
	expect_in(&err, want.buf);
	strbuf_reset(&want);
	strbuf_addf(&want,
		    "terrain: warning: %s:3: 13001 is Aix-en-Provence (INSEE code); 13001 is also "
		    "the postcode of Marseille (13055) and Marseille 1er Arrondissement (13201): "
		    "if you meant one of them, write its INSEE code\n",
		    ini.buf);
	expect_in(&err, want.buf);
	test_write_file(ini.buf, "[project]\nterritory = 38000\n");
	CU_ASSERT_EQUAL(RUN("indicators", "-c", ini.buf), 1);
	strbuf_reset(&want);
	strbuf_addf(&want,
		    "terrain: %s:2: territory: \"38000\" is a postcode, not an INSEE commune "
		    "code: the postcode of Grenoble (38185); write its INSEE code, 38185\n",
		    ini.buf);
	CU_ASSERT_STRING_EQUAL(err.buf, want.buf);
	/* -t */
	CU_ASSERT_EQUAL(RUN("indicators", "-t", "59100", "--refs", "fr"), 0);
	strbuf_reset(&want);
	strbuf_addf(&want, "terrain: warning: --territory: %s", warning);
	CU_ASSERT_STRING_EQUAL(err.buf, want.buf);
	strbuf_release(&want);
	strbuf_release(&proj);
	strbuf_release(&ini);
}

/* Replace every from in sb by to. */
static void replace_all(struct strbuf *sb, const char *from, const char *to)
{
	struct strbuf r = STRBUF_INIT;
	const char *s = sb->buf, *hit;
	while ((hit = strstr(s, from))) {
		strbuf_add(&r, s, (size_t)(hit - s));
		strbuf_addstr(&r, to);
		s = hit + strlen(from);
	}
	strbuf_addstr(&r, s);
	strbuf_swap(sb, &r);
	strbuf_release(&r);
}

/* The template of terrain init, every commented key uncommented and its
 * placeholders filled, with the bundled example's files under the
 * template's names: it reads cleanly, [survey] included. */
static void test_cli_init_template_reloads(void)
{
	struct strbuf proj = STRBUF_INIT, ini = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf src = STRBUF_INIT, dst = STRBUF_INIT;
	strbuf_addf(&proj, "%s/template", test_tmpdir());
	strbuf_addf(&ini, "%s/terrain.ini", proj.buf);
	CU_ASSERT_EQUAL_FATAL(RUN("init", proj.buf, "--territory", "38185", "-f"), 0);
	char *t = test_read_file(ini.buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n;[survey]\n;file = enquete.csv\n;codebook = "
					 "codebook.csv\n;margins = marges.csv\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n;trim = 0,3, 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n;crosstab = statut*sexe\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n;max_cv = 20 %\n"));
	/* uncomment: ";key" and ";[section]", never "; a comment" */
	for (const char *line = t; *line;) {
		size_t n = strcspn(line, "\n");
		size_t skip = line[0] == ';' && n > 1 && line[1] != ' ';
		strbuf_add(&text, line + skip, n - skip);
		strbuf_addch(&text, '\n');
		line += n + (line[n] == '\n');
	}
	free(t);
	replace_all(&text, "YEARLY COST OF ONE ETP", "40 000 €");
	replace_all(&text, "Locaux: AMOUNT", "Locaux: 18 000");
	replace_all(&text, "sales = 0\n", "sales = 70 000\n");
	test_write_file(ini.buf, text.buf);
	static const char *const files[][2] = {
	    {"enquete_exemple_inventee.csv", "enquete.csv"},
	    {"codebook_exemple_invente.csv", "codebook.csv"},
	    {"marges_exemple_inventees.csv", "marges.csv"},
	    {"offre_exemple_inventee.csv", "offre.csv"},
	};
	for (size_t i = 0; i < 4; i++) {
		size_t len;
		strbuf_reset(&src);
		strbuf_reset(&dst);
		strbuf_addf(&src, "%s/examples/grenoble/%s", test_datadir(), files[i][0]);
		strbuf_addf(&dst, "%s/%s", proj.buf, files[i][1]);
		char *data = test_read_file_len(src.buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		test_write_file(dst.buf, data);
		free(data);
	}
	struct project p;
	struct error e;
	CU_ASSERT_EQUAL_FATAL(project_load(&p, ini.buf, &e), TERRAIN_OK);
	CU_ASSERT_EQUAL(p.survey.method.line != 0, true);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.trim_lower, 0.3, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(p.survey.max_cv, 0.2, 1e-15);
	CU_ASSERT_EQUAL(p.survey.crosstab.n, 1);
	CU_ASSERT_EQUAL(p.sources.timeout_s, 120);
	project_release(&p);
	/* no command that fetches: [sources] is uncommented too */
	CU_ASSERT_EQUAL(RUN("survey", "check", "-c", ini.buf), 0);
	CU_ASSERT_EQUAL(RUN("survey", "analyze", "-c", ini.buf), 0);
	expect_in(&out, "240 respondents");
	CU_ASSERT_EQUAL(RUN("project", "size", "-c", ini.buf), 0);
	CU_ASSERT_EQUAL(RUN("project", "budget", "-c", ini.buf), 0);
	/* the project's language, French by default (budget_report.c) */
	expect_in(&out, "Budget prévisionnel 2027-2029 : NAME OF THE ACTION\n");
	strbuf_release(&proj);
	strbuf_release(&ini);
	strbuf_release(&text);
	strbuf_release(&src);
	strbuf_release(&dst);
}

/* QPV counts beyond a commune (ANCT's list, counted by hand): Isère 24,
 * and an arrondissement, which the list never names: it says so. */
static void test_cli_show_qpv_levels(void)
{
	CU_ASSERT_EQUAL(RUN("territory", "show", "dep:38"), 0);
	expect_in(&out,
		  "\nQuartiers prioritaires de la politique de la ville (ANCT, QPV 2024): 24\n"
		  "  no population per QPV is bundled");
	CU_ASSERT_EQUAL(RUN("territory", "show", "13203", "--format", "csv"), 0);
	expect_in(&out,
		  ",qpv_count,2024,0,QPV,,\"ANCT's list places the QPV in the city, not in its "
		  "arrondissements\"\n");
	CU_ASSERT_EQUAL(RUN("territory", "show", "13055", "--format", "csv"), 0);
	expect_in(&out, ",qpv_count,2024,41,QPV,,");
}

void suite_cli(void)
{
	CU_pSuite s = CU_add_suite("cli", NULL, cleanup);
	ADD_TEST(s, test_cli_help_and_version);
	ADD_TEST(s, test_cli_layers);
	ADD_TEST(s, test_cli_log_json_not_utf8);
	ADD_TEST(s, test_cli_install_prefix);
	ADD_TEST(s, test_cli_command_table);
	ADD_TEST(s, test_cli_bad_terrain_date);
	ADD_TEST(s, test_cli_run_named_file_missing);
	ADD_TEST(s, test_cli_usage_errors);
	ADD_TEST(s, test_cli_show_grenoble);
	ADD_TEST(s, test_cli_show_qpv_levels);
	ADD_TEST(s, test_cli_show_zonages);
	ADD_TEST(s, test_cli_zones);
	ADD_TEST(s, test_cli_show_members_and_aggregates);
	ADD_TEST(s, test_cli_show_former_code);
	ADD_TEST(s, test_cli_show_bad_codes);
	ADD_TEST(s, test_cli_show_json_and_csv);
	ADD_TEST(s, test_cli_find);
	ADD_TEST(s, test_cli_init_and_run);
	ADD_TEST(s, test_cli_init_default_title);
	ADD_TEST(s, test_cli_custom_territory);
	ADD_TEST(s, test_cli_bad_project_file);
	ADD_TEST(s, test_cli_finds_datasets);
	ADD_TEST(s, test_cli_write_error);
	ADD_TEST(s, test_cli_survey_check);
	ADD_TEST(s, test_cli_survey_analyze);
	ADD_TEST(s, test_cli_survey_describe);
	ADD_TEST(s, test_cli_survey_in_project);
	ADD_TEST(s, test_cli_postcodes);
	ADD_TEST(s, test_cli_territory_by_name);
	ADD_TEST(s, test_cli_indicators_list);
	ADD_TEST(s, test_cli_init_template_reloads);
}
