/* Field surveys: reading real export shapes, the codebook, problems with
 * their exact messages, weighting and estimates against R's survey package.
 *
 * The fixtures under tests/fixtures/survey/ are INVENTED (make_invented.py);
 * the expected values come from reference.R run on them with R 4.2.2 and
 * survey 4.1.1 (expected_r.csv, committed; the tests never run R). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/estimate.h"
#include "../analysis/surveystats.h"
#include "../analysis/weighting.h"
#include "../core/fileio.h"
#include "../core/strmap.h"
#include "../ingest/codebook.h"
#include "../ingest/csvread.h"
#include "../ingest/margins.h"
#include "../ingest/surveydesc.h"
#include "../ingest/surveyfile.h"
#include "../ingest/value.h"
#include "helpers.h"

#define FIX "tests/fixtures/survey/"

static const char *const exports[] = {"limesurvey", "kobo", "excel_cp1252"};

/* ---- R's values --------------------------------------------------------------- */

static struct test_rvalues ref;

static int load_reference(void)
{
	return test_rvalues_load(&ref, FIX "expected_r.csv");
}

static int free_reference(void)
{
	test_rvalues_release(&ref);
	return 0;
}

static size_t checked; /* values compared with R */

/* got against R's value for name, to 1e-8 relative (1e-12 absolute near 0). */
static void expect_r(const char *name, double got)
{
	for (size_t i = 0; i < ref.n; i++) {
		if (strcmp(ref.name[i], name))
			continue;
		double want = ref.value[i];
		double tol = fmax(1e-8 * fabs(want), 1e-12);
		checked++;
		if (!(fabs(got - want) <= tol)) {
			fprintf(stderr, "\n%s: got %.17g, R %.17g\n", name, got, want);
			CU_FAIL("differs from R");
		}
		return;
	}
	fprintf(stderr, "\nno R value named %s\n", name);
	CU_FAIL("missing R value");
}

/* ---- loading ------------------------------------------------------------------ */

static void load(const char *shape, struct survey *s, struct survey_check *chk)
{
	struct strbuf cb = STRBUF_INIT, data = STRBUF_INIT;
	struct error err;
	strbuf_addf(&cb, FIX "codebook_%s_invented.csv", shape);
	strbuf_addf(&data, FIX "%s_invented.csv", shape);
	memset(chk, 0, sizeof(*chk));
	CU_ASSERT_EQUAL_FATAL(codebook_load(s, cb.buf, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(s, data.buf, NULL, chk, &err), TERRAIN_OK);
	strbuf_release(&cb);
	strbuf_release(&data);
}

static const struct survey_var *var(const struct survey *s, const char *name)
{
	size_t i = survey_find(s, name);
	CU_ASSERT_FATAL(i != (size_t)-1);
	return &s->var[i];
}

static void test_survey_reads_three_exports(void)
{
	static const char *const enc[] = {"UTF-8", "UTF-8 with BOM", "Windows-1252"};
	static const char delim[] = {';', ',', ';'};
	for (size_t e = 0; e < 3; e++) {
		struct survey s;
		struct survey_check chk;
		load(exports[e], &s, &chk);
		CU_ASSERT_EQUAL(chk.total, 0);
		for (size_t i = 0; i < chk.n; i++)
			fprintf(stderr, "\n%s\n", chk.msg[i]);
		CU_ASSERT_EQUAL(s.n, 240);
		CU_ASSERT_STRING_EQUAL(s.encoding, enc[e]);
		CU_ASSERT_EQUAL(s.delim, delim[e]);
		/* respondent 1, as make_invented.py drew it */
		const struct survey_var *v = var(&s, "sexe");
		CU_ASSERT_STRING_EQUAL(v->cat[(size_t)v->value[0]].code, "F");
		CU_ASSERT_DOUBLE_EQUAL(var(&s, "age")->value[0], 57, 0);
		v = var(&s, "statut");
		CU_ASSERT_STRING_EQUAL(v->cat[(size_t)v->value[0]].code, "inactif");
		CU_ASSERT_DOUBLE_EQUAL(var(&s, "satisfaction")->value[0], 2, 0); /* "3", third */
		CU_ASSERT_DOUBLE_EQUAL(var(&s, "revenu")->value[0], 823.25, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(var(&s, "poids")->value[0], 1.25, 1e-12);
		long day;
		value_parse_date("2026-03-22", &day);
		CU_ASSERT_DOUBLE_EQUAL(var(&s, "date_enquete")->value[0], (double)day, 0);
		v = var(&s, "freins");
		CU_ASSERT_EQUAL(v->chosen[0], 1); /* transport */
		CU_ASSERT_EQUAL(v->chosen[1], 0);
		CU_ASSERT_EQUAL(v->chosen[4], 1); /* numérique */
		CU_ASSERT_STRING_EQUAL(var(&s, "commentaire")->text[0],
				       "Accueil au CCAS: très bien ; merci");
		/* a comment over two lines, inside quotes */
		const struct survey_var *c = var(&s, "commentaire");
		bool multiline = false;
		for (size_t i = 0; i < s.n; i++)
			multiline |= c->text[i] && strchr(c->text[i], '\n');
		CU_ASSERT_TRUE(multiline);
		survey_check_release(&chk);
		survey_release(&s);
	}
}

/* The three exports hold the same answers, whatever their shape. */
static void test_survey_exports_agree(void)
{
	struct survey s[3];
	struct survey_check chk[3];
	for (size_t e = 0; e < 3; e++)
		load(exports[e], &s[e], &chk[e]);
	for (size_t vi = 0; vi < s[0].nvar; vi++) {
		const char *name = s[0].var[vi].name;
		for (size_t e = 1; e < 3; e++) {
			const struct survey_var *a = &s[0].var[vi], *b = var(&s[e], name);
			/* a multiple choice in one cell cannot tell "none ticked" from
			 * "no answer": compare it on the answered rows only */
			bool cell = b->type == SURVEY_MULTIPLE && !b->in_columns;
			size_t diff = 0;
			for (size_t i = 0; i < s[0].n; i++) {
				if (a->type == SURVEY_TEXT) {
					diff += strcmp(a->text[i] ? a->text[i] : "",
						       b->text[i] ? b->text[i] : "") != 0;
				} else if (a->type == SURVEY_MULTIPLE) {
					if (cell && b->status[i] != SURVEY_PRESENT)
						continue;
					diff += a->status[i] != b->status[i] ||
						memcmp(a->chosen + i * a->ncat,
						       b->chosen + i * b->ncat, a->ncat);
				} else {
					diff += a->status[i] != b->status[i] ||
						(!isnan(a->value[i]) &&
						 fabs(a->value[i] - b->value[i]) > 1e-9);
				}
			}
			CU_ASSERT_EQUAL(diff, 0);
			if (diff)
				fprintf(stderr, "\n%s: %zu respondents differ in %s\n", name, diff,
					exports[e]);
		}
	}
	for (size_t e = 0; e < 3; e++) {
		survey_check_release(&chk[e]);
		survey_release(&s[e]);
	}
}

static char *slurp(const char *path, size_t *len)
{
	char *s = test_read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	FILE *fp = fopen(path, "rb");
	fseek(fp, 0, SEEK_END);
	*len = (size_t)ftell(fp);
	fclose(fp);
	return s;
}

/* A fingerprint of every field, its line and its row's line. */
static unsigned long fingerprint(const char *data, size_t len, size_t chunk)
{
	struct csvread_opts o;
	struct csvread *r;
	struct error err;
	const struct csvrow *row;
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true;
	o.chunk = chunk;
	if (csvread_open_mem(&r, "x", data, len, &o, &err))
		return 0;
	unsigned long h = 1469598103934665603UL;
	while (!csvread_next(r, &row, &err) && row) {
		for (size_t i = 0; i < row->n; i++) {
			for (size_t k = 0; k < row->len[i]; k++)
				h = (h ^ (unsigned char)row->field[i][k]) * 1099511628211UL;
			h = (h ^ row->fline[i]) * 1099511628211UL;
		}
		h = (h ^ row->line) * 1099511628211UL;
	}
	csvread_free(r);
	return h;
}

/* The chunk sizes to read a file of len bytes in: every size to 64 (a
 * boundary at every byte, inside every multi-byte character, BOM and CRLF),
 * the powers of two and their neighbours, the last 64 sizes to the whole
 * file, and 200 sizes drawn between (a fixed LCG: the same ones each run).
 * Every size from 1 to len read the 28 kB exports 28 000 times each. */
static bool chunk_sampled(size_t chunk, size_t len)
{
	if (chunk <= 64 || chunk + 64 >= len)
		return true;
	for (size_t p = 128; p <= len * 2; p <<= 1)
		if (chunk + 1 >= p && chunk <= p + 1)
			return true;
	return false;
}

/* Each export read in a sample of chunk sizes from 1 byte to the whole file
 * (chunk_sampled, and 200 drawn at random). */
static void test_survey_files_every_chunk_size(void)
{
	for (size_t e = 0; e < 3; e++) {
		struct strbuf path = STRBUF_INIT;
		size_t len;
		strbuf_addf(&path, FIX "%s_invented.csv", exports[e]);
		char *data = slurp(path.buf, &len);
		unsigned long want = fingerprint(data, len, 1 << 16);
		CU_ASSERT_NOT_EQUAL(want, 0);
		size_t bad = 0;
		for (size_t chunk = 1; chunk <= len && !bad; chunk++)
			if (chunk_sampled(chunk, len) && fingerprint(data, len, chunk) != want)
				bad = chunk;
		unsigned long x = 12345;
		for (int k = 0; k < 200 && !bad && len > 1; k++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			size_t chunk = 1 + (size_t)((x >> 33) % len);
			if (fingerprint(data, len, chunk) != want)
				bad = chunk;
		}
		CU_ASSERT_EQUAL(bad, 0);
		if (bad)
			fprintf(stderr, "\n%s differs at chunk size %zu\n", path.buf, bad);
		free(data);
		strbuf_release(&path);
	}
}

/* ---- problems ------------------------------------------------------------- */

static const char *write_tmp(const char *name, const char *content, size_t len)
{
	static struct strbuf path = STRBUF_INIT;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", test_tmpdir(), name);
	FILE *fp = fopen(path.buf, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fwrite(content, 1, len, fp);
	fclose(fp);
	return path.buf;
}

/* An INVENTED codebook for the problem tests. */
static const char problem_codebook[] = "variable;column;type;labels;missing;min;max;separator\n"
				       "sexe;sexe;single;F=Femme|H=Homme;;;;\n"
				       "age;age;integer;;NSP;15;110;\n"
				       "revenu;revenu;decimal;;;0;;\n"
				       "date;date;date;;;2026-01-01;2026-12-31;\n"
				       "freins;freins/{};multiple;a|b;;;;\n"
				       "aides;aides;multiple;x|y|z;;;;\n";

static void check_problems(const char *data, size_t len, const char *const *want, size_t nwant,
			   bool stopped)
{
	struct survey s;
	struct survey_check chk = {0};
	struct error err;
	char *cbpath = strdup(write_tmp("cb.csv", problem_codebook, sizeof(problem_codebook) - 1));
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cbpath, &err), TERRAIN_OK);
	const char *path = write_tmp("data.csv", data, len);
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, path, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(chk.n, nwant);
	for (size_t i = 0; i < chk.n && i < nwant; i++) {
		const char *rest = strstr(chk.msg[i], "data.csv");
		CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
		CU_ASSERT_STRING_EQUAL(rest, want[i]);
		if (strcmp(rest, want[i]))
			fprintf(stderr, "\ngot:  %s\nwant: %s\n", rest, want[i]);
	}
	for (size_t i = nwant; i < chk.n; i++)
		fprintf(stderr, "\nextra: %s\n", chk.msg[i]);
	CU_ASSERT_EQUAL(chk.stopped, stopped);
	survey_check_release(&chk);
	survey_release(&s);
	free(cbpath);
}

#define PROBLEMS(data, stopped, ...)                                                          \
	do {                                                                                  \
		static const char *const want_[] = {__VA_ARGS__};                             \
		check_problems(data, sizeof(data) - 1, want_, sizeof(want_) / sizeof(*want_), \
			       stopped);                                                      \
	} while (0)

static void test_survey_problem_messages(void)
{
	PROBLEMS("sexe;age;revenu;date;freins/a;freins/b;aides\n"
		 "F;30;1200,5;01/03/2026;1;0;x;y\n" /* ragged: one field too many */
		 "X;30;1200;2026-03-01;1;0;x\n"
		 "femme;200;1 2;2026-02-30;1;oui;\"x;w\"\n"
		 "H;3,5;abc;2025-12-31;2;;\n"
		 "H;NSP;;;;;\n",
		 false, "data.csv:2: expected 7 fields as in the header, found 8 (row left out)",
		 "data.csv:3:1: unknown modality \"X\" for \"sexe\" (expected one of: F, H) "
		 "(column \"sexe\")",
		 "data.csv:4:2: 200 is above the maximum 110 of \"age\" (column \"age\")",
		 "data.csv:4:3: \"1 2\" is not a number (expected a number such as 12,5 for "
		 "\"revenu\") (column \"revenu\")",
		 "data.csv:4:4: \"2026-02-30\" is not a date (expected YYYY-MM-DD or DD/MM/YYYY "
		 "for \"date\") (column \"date\")",
		 "data.csv:4:7: unknown modality \"w\" in \"x;w\" for \"aides\" (expected codes "
		 "separated by ';' among: x, y, z) (column \"aides\")",
		 "data.csv:5:2: \"3,5\" is not a whole number (expected an integer for \"age\") "
		 "(column \"age\")",
		 "data.csv:5:3: \"abc\" is not a number (expected a number such as 12,5 for "
		 "\"revenu\") (column \"revenu\")",
		 "data.csv:5:4: 2025-12-31 is below the minimum 2026-01-01 of \"date\" (column "
		 "\"date\")",
		 "data.csv:5:5: \"2\" is not a choice mark (expected 1/0, Y/N, Oui/Non or empty "
		 "for option \"a\" of \"freins\") (column \"freins/a\")");
	/* "femme" is the label of F once case is folded: accepted */
	/* a Windows-1252 file with a byte that has no character: reading stops */
	PROBLEMS("sexe;age;revenu;date;freins/a;freins/b;aides\n"
		 "F;30;1;2026-03-01;1;0;x\n"
		 "H;31;1\x81;2026-03-01;1;0;x\n",
		 true,
		 "data.csv:3: byte 0x81 is not Windows-1252 text (undecodable; expected "
		 "Windows-1252, or give the right encoding)");
	/* broken quotes */
	PROBLEMS("sexe;age;revenu;date;freins/a;freins/b;aides\n"
		 "F;30;\"1\"2;2026-03-01;1;0;x\n",
		 true,
		 "data.csv:2:3: misplaced '\"' (expected quotes around a whole field only, and "
		 "doubled inside it) (column \"revenu\")");
}

static void check_codebook_error(const char *text, const char *want)
{
	struct survey s;
	struct error err;
	const char *path = write_tmp("codebook.csv", text, strlen(text));
	CU_ASSERT_EQUAL(codebook_load(&s, path, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "codebook.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest, want);
	if (strcmp(rest, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", rest, want);
}

static void test_survey_codebook_errors(void)
{
	check_codebook_error(
	    "variable;type\nsexe;categorical\n",
	    "codebook.csv:2:2: \"categorical\" is not a type (expected single, "
	    "multiple, ordinal, integer, decimal, date or text) (column \"type\")");
	check_codebook_error("variable;type;labels\nsexe;single;\n",
			     "codebook.csv:2:3: a single variable needs its categories (expected "
			     "labels such as \"1=Oui|2=Non\") (column \"labels\")");
	check_codebook_error("variable;type;labels\nsexe;single;F|F=Femme\n",
			     "codebook.csv:2:3: a code twice in \"F|F=Femme\" (expected "
			     "\"code=label|code=label\" with distinct, non-empty codes) (column "
			     "\"labels\")");
	check_codebook_error("variable;type\nage;integer\nage;decimal\n",
			     "codebook.csv:3:1: variable \"age\" is defined twice (first on line "
			     "2) (column \"variable\")");
	check_codebook_error("variable;type;min;max\nage;integer;99;10\n",
			     "codebook.csv:2:4: max is below min (expected min <= max) (column "
			     "\"max\")");
	check_codebook_error("variable;type;min\nsexe;text;1\n",
			     "codebook.csv:2:3: a bound for a text variable (expected bounds only "
			     "for integer, decimal or date) (column \"min\")");
	check_codebook_error("variable;type;role\np;text;weight\n",
			     "codebook.csv:2:3: a weight must be of type decimal or integer (found "
			     "text) (column \"role\")");
	check_codebook_error(
	    "variable;type\n1age;integer\n",
	    "codebook.csv:2:1: \"1age\" is not a variable name (expected a letter "
	    "or '_', then letters, digits, '_', '.' or '-') (column \"variable\")");
	check_codebook_error("name;type\nage;integer\n",
			     "codebook.csv:1: missing column \"variable\" in the header");
	check_codebook_error("variable;type\n", "codebook.csv: no variables (expected one row "
						"per variable after the header)");
}

static void test_survey_codebook_round_trip(void)
{
	struct survey a, b;
	struct error err;
	struct strbuf text = STRBUF_INIT;
	CU_ASSERT_EQUAL_FATAL(codebook_load(&a, FIX "codebook_kobo_invented.csv", &err),
			      TERRAIN_OK);
	codebook_write(&a, &text);
	const char *path = write_tmp("rt.csv", text.buf, text.len);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&b, path, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL_FATAL(a.nvar, b.nvar);
	for (size_t i = 0; i < a.nvar; i++) {
		CU_ASSERT_STRING_EQUAL(a.var[i].name, b.var[i].name);
		CU_ASSERT_STRING_EQUAL(a.var[i].column, b.var[i].column);
		CU_ASSERT_EQUAL(a.var[i].type, b.var[i].type);
		CU_ASSERT_EQUAL(a.var[i].ncat, b.var[i].ncat);
		CU_ASSERT_EQUAL(a.var[i].nmissing, b.var[i].nmissing);
		CU_ASSERT_EQUAL(a.var[i].role, b.var[i].role);
		CU_ASSERT_TRUE(a.var[i].min == b.var[i].min ||
			       (isnan(a.var[i].min) && isnan(b.var[i].min)));
	}
	strbuf_release(&text);
	survey_release(&a);
	survey_release(&b);
}

/* The draft codebook is opened in a spreadsheet: a question, a category or
 * a missing code that reads as a formula gets a "'" first (OWASP), and
 * codebook_load takes it off, so the draft still matches the export. */
static void test_survey_codebook_formula_cells(void)
{
	struct survey a, b;
	struct error err;
	struct strbuf text = STRBUF_INIT;
	const char *cb = "variable;column;type;labels;missing;min;max\n"
			 "q1;\"=HYPERLINK(\"\"http://x\"\")\";single;-1=NSP|1=Oui|+=Plus;@r;;\n"
			 "q2;'=quoted;integer;;-9;-5;+12\n";
	const char *path = write_tmp("formula_cb.csv", cb, strlen(cb));
	CU_ASSERT_EQUAL_FATAL(codebook_load(&a, path, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(a.var[0].column, "=HYPERLINK(\"http://x\")");
	CU_ASSERT_STRING_EQUAL(a.var[1].column, "=quoted"); /* a "'" before a formula is off */
	codebook_write(&a, &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, "q1;\"'=HYPERLINK(\"\"http://x\"\")\";single;"
						"\"'-1=NSP|1=Oui|+=Plus\";\"'@r\";;;"));
	/* numbers stay numbers */
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, "q2;\"'=quoted\";integer;;-9;-5;12;"));
	const char *back = write_tmp("formula_cb2.csv", text.buf, text.len);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&b, back, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(b.var[0].column, a.var[0].column);
	CU_ASSERT_STRING_EQUAL(b.var[0].cat[0].code, "-1");
	CU_ASSERT_STRING_EQUAL(b.var[0].cat[2].code, "+");
	CU_ASSERT_STRING_EQUAL(b.var[0].missing[0], "@r");
	CU_ASSERT_STRING_EQUAL(b.var[1].missing[0], "-9");
	CU_ASSERT_DOUBLE_EQUAL(b.var[1].min, -5, 0);
	CU_ASSERT_DOUBLE_EQUAL(b.var[1].max, 12, 0);
	survey_release(&a);
	survey_release(&b);
	strbuf_release(&text);
}

static void test_survey_describe_drafts_codebook(void)
{
	struct survey d;
	struct surveydesc info;
	struct error err;
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(FIX "kobo_invented.csv", NULL, &d, &info, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(info.rows, 240);
	CU_ASSERT_EQUAL(var(&d, "sexe")->type, SURVEY_SINGLE);
	CU_ASSERT_EQUAL(var(&d, "sexe")->ncat, 2);
	CU_ASSERT_EQUAL(var(&d, "age")->type, SURVEY_INTEGER);
	CU_ASSERT_EQUAL(var(&d, "revenu")->type, SURVEY_DECIMAL);
	CU_ASSERT_EQUAL(var(&d, "start")->type, SURVEY_DATE);
	CU_ASSERT_EQUAL(var(&d, "poids")->role, SURVEY_ROLE_WEIGHT);
	const struct survey_var *f = var(&d, "freins");
	CU_ASSERT_EQUAL(f->type, SURVEY_MULTIPLE);
	CU_ASSERT_TRUE(f->in_columns);
	CU_ASSERT_STRING_EQUAL(f->column, "freins/{}");
	CU_ASSERT_EQUAL(f->ncat, 5);
	CU_ASSERT_EQUAL(var(&d, "freins_2")->type, SURVEY_TEXT); /* the one-cell copy */
	/* satisfaction: codes 1-5 and "NSP" as a missing code */
	const struct survey_var *sat = var(&d, "satisfaction");
	CU_ASSERT_EQUAL(sat->type, SURVEY_SINGLE);
	CU_ASSERT_EQUAL(sat->ncat, 5);
	CU_ASSERT_EQUAL_FATAL(sat->nmissing, 1);
	CU_ASSERT_STRING_EQUAL(sat->missing[0], "NSP");
	/* the draft reads its own file without a problem */
	struct strbuf text = STRBUF_INIT;
	codebook_write(&d, &text);
	struct survey s;
	struct survey_check chk = {0};
	const char *path = write_tmp("draft.csv", text.buf, text.len);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(surveyfile_read(&s, FIX "kobo_invented.csv", NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(chk.total, 0);
	survey_check_release(&chk);
	survey_release(&s);
	survey_release(&d);
	surveydesc_release(&info);

	/* Google Forms (INVENTED answers): "YYYY/MM/DD hh:mm:ss UTC+1", options
	 * joined by ", ", a free comment with commas that is not a choice */
	static const char gf[] =
	    "Horodateur,Vous êtes,Quels freins ?,Commentaire\r\n"
	    "2026/03/01 10:00:00 UTC+1,Une femme,\"Transport, Garde\",\"Bien, merci\"\r\n"
	    "2026/03/02 11:00:00 UTC+1,Un homme,Transport,\r\n"
	    "2026/03/02 12:00:00 UTC+1,Une femme,\"Garde, Santé\",\"Trop loin, trop cher\"\r\n"
	    "2026/03/03 09:00:00 UTC+1,Un homme,Santé,\r\n"
	    "2026/03/04 09:30:00 UTC+1,Une femme,\"Transport, Santé\",RAS\r\n"
	    "2026/03/05 16:10:00 UTC+1,Un homme,,\r\n";
	const char *gfpath = write_tmp("google_forms.csv", gf, sizeof(gf) - 1);
	char *gfcopy = strdup(gfpath);
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(gfcopy, NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(var(&d, "horodateur")->type, SURVEY_DATE);
	CU_ASSERT_EQUAL(var(&d, "vous_etes")->type, SURVEY_SINGLE);
	f = var(&d, "quels_freins");
	CU_ASSERT_EQUAL(f->type, SURVEY_MULTIPLE);
	CU_ASSERT_EQUAL(f->separator, ',');
	CU_ASSERT_EQUAL(f->ncat, 3);
	CU_ASSERT_EQUAL(var(&d, "commentaire")->type, SURVEY_TEXT);
	strbuf_reset(&text);
	codebook_write(&d, &text);
	path = write_tmp("gf_codebook.csv", text.buf, text.len);
	survey_release(&d);
	surveydesc_release(&info);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path, &err), TERRAIN_OK);
	memset(&chk, 0, sizeof(chk));
	CU_ASSERT_EQUAL(surveyfile_read(&s, gfcopy, NULL, &chk, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(chk.total, 0);
	CU_ASSERT_EQUAL(s.n, 6);
	survey_check_release(&chk);
	survey_release(&s);
	strbuf_release(&text);
	free(gfcopy);

	/* Excel: names folded to ASCII, options in one cell */
	CU_ASSERT_EQUAL_FATAL(
	    surveydesc_infer(FIX "excel_cp1252_invented.csv", NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(var(&d, "age")->type, SURVEY_INTEGER);
	CU_ASSERT_STRING_EQUAL(var(&d, "age")->column, "Âge");
	CU_ASSERT_EQUAL(var(&d, "revenu_mensuel")->type, SURVEY_DECIMAL);
	CU_ASSERT_EQUAL(var(&d, "freins")->type, SURVEY_MULTIPLE);
	CU_ASSERT_EQUAL(var(&d, "freins")->ncat, 5);
	CU_ASSERT_EQUAL(var(&d, "date")->type, SURVEY_DATE);
	survey_release(&d);
	surveydesc_release(&info);
}

#define CHECK_SHORT(question, want)                            \
	do {                                                   \
		char *got_ = surveydesc_short_label(question); \
		CU_ASSERT_STRING_EQUAL(got_, want);            \
		free(got_);                                    \
	} while (0)

/* The short label: drafted from the question, read and written back by
 * the codebook, optional. */
static void test_survey_short_label(void)
{
	CHECK_SHORT("Quels freins rencontrez-vous ? (plusieurs réponses possibles)",
		    "Quels freins rencontrez-vous");
	CHECK_SHORT("Quels freins rencontrez-vous\xc2\xa0?", "Quels freins rencontrez-vous");
	CHECK_SHORT("Vous êtes\xe2\x80\xaf?  ", "Vous êtes");
	CHECK_SHORT("  Freins à l'emploi (Plusieurs réponses possibles) : cochez",
		    "Freins à l'emploi");
	CHECK_SHORT("Which barriers (several answers possible)", "Which barriers");
	CHECK_SHORT("Revenu mensuel (€)", "Revenu mensuel (€)");
	CHECK_SHORT("Sexe", "Sexe");
	CHECK_SHORT("? Commentaire", "? Commentaire"); /* nothing before: kept whole */
	CHECK_SHORT("", "");

	/* survey describe drafts it; option columns from their base */
	struct survey d;
	struct surveydesc info;
	struct error err;
	static const char gf[] = "Vous êtes ?,Quels freins ? (plusieurs réponses possibles)\n"
				 "Une femme,\"Transport, Garde\"\nUn homme,Transport\n"
				 "Une femme,\"Garde, Santé\"\nUn homme,Santé\n";
	const char *path = write_tmp("short.csv", gf, sizeof(gf) - 1);
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(path, NULL, &d, &info, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(d.var[0].short_label, "Vous êtes");
	CU_ASSERT_STRING_EQUAL(d.var[1].short_label, "Quels freins");
	survey_release(&d);
	surveydesc_release(&info);
	CU_ASSERT_EQUAL_FATAL(surveydesc_infer(FIX "kobo_invented.csv", NULL, &d, &info, &err),
			      TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(var(&d, "freins")->short_label, "freins");
	survey_release(&d);
	surveydesc_release(&info);

	/* the codebook: the column optional, trimmed, written last */
	static const char cb[] = "variable;type;labels;short_label\n"
				 "sexe;single;F|H; Sexe \n"
				 "freins;multiple;a|b;\"Freins ; à l'emploi\"\n"
				 "age;integer;;\n";
	path = write_tmp("cb_short.csv", cb, sizeof(cb) - 1);
	struct survey s;
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(s.var[0].short_label, "Sexe");
	CU_ASSERT_STRING_EQUAL(s.var[1].short_label, "Freins ; à l'emploi");
	CU_ASSERT_STRING_EQUAL(s.var[2].short_label, "");
	struct strbuf text = STRBUF_INIT;
	codebook_write(&s, &text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, ";role;note;short_label\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text.buf, "\nfreins;freins;multiple;a|b;;;;;;;\"Freins ; à "
						"l'emploi\"\n"));
	survey_release(&s);
	static const char old[] = "variable;type\nage;integer\n";
	path = write_tmp("cb_old.csv", old, sizeof(old) - 1);
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, path, &err), TERRAIN_OK);
	CU_ASSERT_STRING_EQUAL(s.var[0].short_label, "");
	survey_release(&s);
	strbuf_release(&text);
}

/* ---- margins and weighting ------------------------------------------------ */

static void check_margins_error(const struct survey *s, const char *text, const char *want)
{
	struct margins m;
	struct error err;
	const char *path = write_tmp("margins.csv", text, strlen(text));
	CU_ASSERT_EQUAL(margins_load(&m, path, s, &err), TERRAIN_EDATA);
	const char *rest = strstr(err.msg, "margins.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rest);
	CU_ASSERT_STRING_EQUAL(rest, want);
	if (strcmp(rest, want))
		fprintf(stderr, "\ngot:  %s\nwant: %s\n", rest, want);
}

static void test_survey_margins(void)
{
	struct survey s;
	struct survey_check chk;
	struct margins m;
	struct error err;
	load("limesurvey", &s, &chk);
	check_margins_error(&s, "variable;category;target\nsex;F;1\n",
			    "margins.csv:2:1: \"sex\" is not a variable of the codebook "
			    "tests/fixtures/survey/codebook_limesurvey_invented.csv (column "
			    "\"variable\")");
	/* a number's row gives its total (linear calibration), with no category */
	check_margins_error(
	    &s, "variable;category;target\nage;20;1\n",
	    "margins.csv:2:2: \"age\" is a number: its row gives its total, with an "
	    "empty category (found \"20\") (column \"category\")");
	check_margins_error(
	    &s, "variable;category;target\ndate_enquete;;1\n",
	    "margins.csv:2:1: \"date_enquete\" is a date variable (expected a single "
	    "or ordinal one, or a number's total, to weight on) (column "
	    "\"variable\")");
	check_margins_error(
	    &s, "variable;category;target\nsexe;X;1\n",
	    "margins.csv:2:2: \"X\" is not a category of \"sexe\" (its codes are in "
	    "tests/fixtures/survey/codebook_limesurvey_invented.csv) (column "
	    "\"category\")");
	check_margins_error(&s, "variable;category;target\nsexe;F;10\nsexe;F;20\n",
			    "margins.csv:3:2: category \"F\" of \"sexe\" is given twice (column "
			    "\"category\")");
	check_margins_error(&s, "variable;category;target\nsexe;F;10\n",
			    "margins.csv:2: no target for category \"H\" of \"sexe\" (expected one "
			    "row per category)");
	check_margins_error(&s, "variable;category;target\nsexe;F;10\nsexe;H;-1\n",
			    "margins.csv:3:3: \"-1\" is not a target (expected a count or a share "
			    ">= 0) (column \"target\")");
	check_margins_error(&s,
			    "variable;category;target\nsexe;F;500\nsexe;H;500\n"
			    "tranche_age;18-29;300\ntranche_age;30-44;300\n"
			    "tranche_age;45-59;300\ntranche_age;60+;300\n",
			    "margins.csv:4: the targets of \"tranche_age\" sum to 1200, those of "
			    "the first variable to 1000 (expected the same population)");
	/* shares (in %, by labels) are scaled to the counts' total */
	const char *path = write_tmp("margins.csv",
				     "variable;category;target\nsexe;Femme;52 %\nsexe;Homme;48 %\n"
				     "tranche_age;18-29;2600\ntranche_age;30-44;2700\n"
				     "tranche_age;45-59;2500\ntranche_age;60+;2200\n",
				     strlen("variable;category;target\nsexe;Femme;52 %\nsexe;Homme;"
					    "48 %\ntranche_age;18-29;2600\ntranche_age;30-44;2700\n"
					    "tranche_age;45-59;2500\ntranche_age;60+;2200\n"));
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, path, &s, &err), TERRAIN_OK);
	CU_ASSERT_DOUBLE_EQUAL(m.total, 10000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(m.m[0].target[0], 5200, 1e-9);
	CU_ASSERT_TRUE(m.m[0].share);
	margins_release(&m);
	survey_check_release(&chk);
	survey_release(&s);
}

static void test_survey_weighting_errors(void)
{
	struct survey s;
	struct survey_check chk;
	struct margins m;
	struct weights w;
	struct weighting_opts o;
	struct error err;
	load("limesurvey", &s, &chk);
	weighting_opts_init(&o);
	/* satisfaction has missing answers: it cannot be raked on */
	const char *path =
	    write_tmp("m.csv",
		      "variable;category;target\nsatisfaction;1;1\nsatisfaction;2;1\n"
		      "satisfaction;3;1\nsatisfaction;4;1\nsatisfaction;5;1\n",
		      strlen("variable;category;target\nsatisfaction;1;1\nsatisfaction;2;1\n"
			     "satisfaction;3;1\nsatisfaction;4;1\nsatisfaction;5;1\n"));
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, path, &s, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "limesurvey_invented.csv:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": no value of \"satisfaction\" for this "
					       "respondent (weighting on \"satisfaction\" needs "
					       "one for everybody)"));
	margins_release(&m);
	/* post-stratification takes one variable */
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, FIX "margins_invented.csv", &s, &err), TERRAIN_OK);
	o.method = WEIGHTING_POSTSTRATIFY;
	CU_ASSERT_EQUAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       FIX "margins_invented.csv: post-stratification takes one "
				   "variable, the file gives 2 (expected one, crossed cells "
				   "a*b, or raking)");
	margins_release(&m);
	/* a category with a target but nobody in the sample */
	const char *text = "variable;category;target\nstatut;emploi;1\nstatut;chomage;1\n"
			   "statut;formation;1\nstatut;retraite;1\nstatut;inactif;1\n";
	path = write_tmp("m.csv", text, strlen(text));
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, path, &s, &err), TERRAIN_OK);
	struct survey_var *st = &s.var[survey_find(&s, "statut")];
	for (size_t i = 0; i < s.n; i++)
		if (st->value[i] == 2) /* nobody "en formation" any more */
			st->value[i] = 0;
	o.method = WEIGHTING_RAKE;
	CU_ASSERT_EQUAL(weighting_run(&s, &m, &o, &w, &err), TERRAIN_EDATA);
	/* the category's own line, not its variable's first */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "m.csv:4: margin category \"formation\" of "
					       "\"statut\" has no respondent"));
	margins_release(&m);
	survey_check_release(&chk);
	survey_release(&s);
}

/* ---- estimates against R ---------------------------------------------------- */

static void weigh(const struct survey *s, char design, struct weights *w)
{
	struct margins m;
	struct weighting_opts o;
	struct error err;
	weighting_opts_init(&o);
	CU_ASSERT_EQUAL_FATAL(margins_load(&m, FIX "margins_invented.csv", s, &err), TERRAIN_OK);
	struct margins one = m;
	switch (design) {
	case 'w':
		o.method = WEIGHTING_NONE;
		break;
	case 'p': /* post-stratified on tranche_age, the second margin */
		o.method = WEIGHTING_POSTSTRATIFY;
		one.m = &m.m[1];
		one.n = 1;
		break;
	case 't': /* R: trimWeights(r, 0.7 mean, 1.3 mean, strict = TRUE) */
		o.trim_lower = 0.7;
		o.trim_upper = 1.3;
		break;
	default:
		break;
	}
	CU_ASSERT_EQUAL_FATAL(weighting_run(s, &one, &o, w, &err), TERRAIN_OK);
	CU_ASSERT_TRUE(w->converged);
	margins_release(&m);
}

static void name(struct strbuf *sb, char design, const char *rest)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%c.%s", design, rest);
}

static void compare_design(const struct survey *s, char design)
{
	struct weights w;
	struct estimate e;
	struct strbuf nm = STRBUF_INIT, sub = STRBUF_INIT;
	weigh(s, design, &w);
	struct design d = {s->n, w.w, &w.cal, &w.smp, false, NAN};
	double *y = malloc(s->n * sizeof(double));
	unsigned char *in = malloc(s->n);

	if (design != 'w')
		for (size_t i = 0; i < s->n; i++) {
			strbuf_reset(&sub);
			strbuf_addf(&sub, "%c.weight.%zu", design, i + 1);
			expect_r(sub.buf, w.w[i]);
		}
	struct weight_summary ws;
	weights_summary(w.w, s->n, &ws);
	name(&nm, design, "weights.sum"), expect_r(nm.buf, ws.sum);
	name(&nm, design, "kish.deff"), expect_r(nm.buf, ws.deff);
	name(&nm, design, "kish.neff"), expect_r(nm.buf, ws.neff);

	static const char *const numeric[] = {"revenu", "age", "enfants"};
	for (size_t k = 0; k < 3; k++) {
		const struct survey_var *v = var(s, numeric[k]);
		estimate_mean(&d, v->value, NULL, &e);
		strbuf_reset(&sub), strbuf_addf(&sub, "mean.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
		strbuf_reset(&sub), strbuf_addf(&sub, "mean_se.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
		strbuf_reset(&sub), strbuf_addf(&sub, "mean_low.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.ci_low);
		strbuf_reset(&sub), strbuf_addf(&sub, "mean_high.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.ci_high);
		estimate_total(&d, v->value, NULL, &e);
		strbuf_reset(&sub), strbuf_addf(&sub, "total_low.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.ci_low);
		strbuf_reset(&sub), strbuf_addf(&sub, "total_high.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.ci_high);
		strbuf_reset(&sub), strbuf_addf(&sub, "total.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
		strbuf_reset(&sub), strbuf_addf(&sub, "total_se.%s", v->name);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
	}
	static const char *const categorical[] = {"statut", "satisfaction", "freins"};
	for (size_t k = 0; k < 3; k++) {
		const struct survey_var *v = var(s, categorical[k]);
		for (size_t c = 0; c < v->ncat; c++) {
			for (size_t i = 0; i < s->n; i++)
				y[i] = v->status[i] != SURVEY_PRESENT ? NAN
				       : v->type == SURVEY_MULTIPLE
					   ? v->chosen[i * v->ncat + c]
					   : (double)(v->value[i] == (double)c);
			/* R names the options of freins by their Kobo codes */
			static const char *const opts[] = {"transport", "garde", "sante",
							   "logement", "numerique"};
			const char *code = v->type == SURVEY_MULTIPLE ? opts[c] : v->cat[c].code;
			estimate_proportion(&d, y, NULL, &e);
			strbuf_reset(&sub), strbuf_addf(&sub, "prop.%s.%s", v->name, code);
			name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
			strbuf_reset(&sub), strbuf_addf(&sub, "prop_se.%s.%s", v->name, code);
			name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
			if (v->type == SURVEY_MULTIPLE)
				continue;
			estimate_total(&d, y, NULL, &e);
			strbuf_reset(&sub), strbuf_addf(&sub, "total.%s.%s", v->name, code);
			name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
			strbuf_reset(&sub), strbuf_addf(&sub, "total_se.%s.%s", v->name, code);
			name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
		}
	}
	/* a proportion's intervals: logit as svyciprop, Wilson on its n_eff */
	const struct survey_var *st = var(s, "statut");
	size_t chom = survey_category(st, "chomage");
	for (size_t i = 0; i < s->n; i++)
		y[i] = st->value[i] == (double)chom;
	estimate_proportion(&d, y, NULL, &e);
	name(&nm, design, "prop.statut.chomage.logit_low"), expect_r(nm.buf, e.ci_low);
	name(&nm, design, "prop.statut.chomage.logit_high"), expect_r(nm.buf, e.ci_high);
	name(&nm, design, "prop.statut.chomage.neff"), expect_r(nm.buf, e.neff);
	name(&nm, design, "prop.statut.chomage.wilson_low"), expect_r(nm.buf, e.wilson_low);
	name(&nm, design, "prop.statut.chomage.wilson_high"), expect_r(nm.buf, e.wilson_high);

	/* domains: by sexe and by quartier */
	const struct survey_var *sexe = var(s, "sexe"), *q = var(s, "quartier");
	const struct survey_var *rev = var(s, "revenu");
	for (size_t g = 0; g < sexe->ncat; g++) {
		for (size_t i = 0; i < s->n; i++)
			in[i] = sexe->value[i] == (double)g;
		estimate_mean(&d, rev->value, in, &e);
		strbuf_reset(&sub), strbuf_addf(&sub, "mean.revenu.by.sexe.%s", sexe->cat[g].code);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
		strbuf_reset(&sub),
		    strbuf_addf(&sub, "mean_se.revenu.by.sexe.%s", sexe->cat[g].code);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
		strbuf_reset(&sub),
		    strbuf_addf(&sub, "mean_low.revenu.by.sexe.%s", sexe->cat[g].code);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.ci_low);
	}
	for (size_t g = 0; g < q->ncat; g++) {
		for (size_t i = 0; i < s->n; i++)
			in[i] = q->value[i] == (double)g;
		estimate_proportion(&d, y, in, &e);
		strbuf_reset(&sub);
		strbuf_addf(&sub, "prop.statut.chomage.by.quartier.%s", q->cat[g].code);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.value);
		strbuf_reset(&sub);
		strbuf_addf(&sub, "prop_se.statut.chomage.by.quartier.%s", q->cat[g].code);
		name(&nm, design, sub.buf), expect_r(nm.buf, e.se);
	}
	/* the median and Woodruff's interval */
	estimate_median(&d, rev->value, NULL, &e);
	name(&nm, design, "median.revenu"), expect_r(nm.buf, e.value);
	name(&nm, design, "median_low.revenu"), expect_r(nm.buf, e.ci_low);
	name(&nm, design, "median_high.revenu"), expect_r(nm.buf, e.ci_high);
	name(&nm, design, "median_se.revenu"), expect_r(nm.buf, e.se);

	/* Rao-Scott */
	static const char *const pairs[][2] = {{"statut", "sexe"}, {"quartier", "satisfaction"}};
	for (size_t k = 0; k < 2; k++) {
		const struct survey_var *a = var(s, pairs[k][0]), *b = var(s, pairs[k][1]);
		int *ca = malloc(s->n * sizeof(int)), *cb = malloc(s->n * sizeof(int));
		struct chisq x;
		struct error err;
		for (size_t i = 0; i < s->n; i++) {
			ca[i] = a->status[i] == SURVEY_PRESENT ? (int)a->value[i] : -1;
			cb[i] = b->status[i] == SURVEY_PRESENT ? (int)b->value[i] : -1;
		}
		CU_ASSERT_EQUAL(estimate_chisq(&d, ca, a->ncat, cb, b->ncat, &x, &err), TERRAIN_OK);
		static const char *const what[] = {"pearson", "F", "ndf", "ddf", "p"};
		double got[] = {x.pearson, x.F, x.ndf, x.ddf, x.p};
		for (size_t j = 0; j < 5; j++) {
			strbuf_reset(&sub);
			strbuf_addf(&sub, "chisq.%s.%s.%s", a->name, b->name, what[j]);
			name(&nm, design, sub.buf), expect_r(nm.buf, got[j]);
		}
		free(ca);
		free(cb);
	}
	free(y);
	free(in);
	strbuf_release(&nm);
	strbuf_release(&sub);
	weights_release(&w);
}

static void test_survey_estimates_match_r(void)
{
	struct survey s;
	struct survey_check chk;
	load("limesurvey", &s, &chk);
	checked = 0;
	compare_design(&s, 'w'); /* the design with weights only */
	compare_design(&s, 'r'); /* raked on sexe and tranche_age */
	compare_design(&s, 'p'); /* post-stratified on tranche_age */
	compare_design(&s, 't'); /* raked, then trimmed */
	CU_ASSERT(checked > 1000);
	/* every value R computed was compared */
	CU_ASSERT_EQUAL(checked, ref.n);
	if (checked != ref.n)
		fprintf(stderr, "\ncompared %zu of R's %zu values\n", checked, ref.n);
	survey_check_release(&chk);
	survey_release(&s);
}

/* ---- results and flags -------------------------------------------------------- */

static void test_survey_stats_flags(void)
{
	struct survey s;
	struct survey_check chk;
	struct weights w;
	struct survey_stats st;
	struct survey_stats_opts o;
	struct error err;
	load("kobo", &s, &chk);
	weigh(&s, 'r', &w);
	survey_stats_opts_init(&o);
	size_t by = survey_find(&s, "quartier");
	size_t pairs[2] = {survey_find(&s, "statut"), survey_find(&s, "sexe")};
	o.by = &by;
	o.nby = 1;
	o.pairs = pairs;
	o.npairs = 1;
	o.min_n = 60;
	CU_ASSERT_EQUAL_FATAL(survey_stats_compute(&s, &w, &o, &st, &err), TERRAIN_OK);
	size_t small = 0, suppressed = 0, overall = 0;
	for (size_t i = 0; i < st.n; i++) {
		const struct survey_result *r = &st.row[i];
		small += (r->flags & RESULT_SMALL_N) != 0;
		suppressed += (r->flags & RESULT_SUPPRESSED) != 0;
		overall += r->by == (size_t)-1;
		/* flags follow the thresholds */
		CU_ASSERT_EQUAL((r->flags & RESULT_SMALL_N) != 0, r->e.n < 60);
		CU_ASSERT_EQUAL((r->flags & RESULT_SUPPRESSED) != 0, r->n_cell < 5);
		CU_ASSERT_EQUAL((r->flags & RESULT_HIGH_CV) != 0, fabs(r->e.cv) > 0.2);
	}
	CU_ASSERT(small > 0);	   /* the quartiers have fewer than 60 respondents */
	CU_ASSERT(suppressed > 0); /* e.g. "en formation" within a quartier */
	/* whole sample: 3 numeric x 3 statistics + 2 x (2 + 4 + 4 + 5 + 5 + 5) categories */
	CU_ASSERT_EQUAL(overall, 9 + 2 * 25);
	CU_ASSERT_EQUAL_FATAL(st.ntab, 1);
	CU_ASSERT_TRUE(st.tab[0].tested);
	expect_r("r.chisq.statut.sexe.F", st.tab[0].test.F);
	survey_stats_release(&st);
	/* a grouping variable must be categorical */
	by = survey_find(&s, "age");
	CU_ASSERT_EQUAL(survey_stats_compute(&s, &w, &o, &st, &err), TERRAIN_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "grouping variable \"age\" is a integer variable "
					"(expected a single or ordinal one)");
	by = survey_find(&s, "quartier");
	CU_ASSERT_EQUAL_FATAL(survey_stats_compute(&s, &w, &o, &st, &err), TERRAIN_OK);
	survey_stats_release(&st);
	weights_release(&w);
	survey_check_release(&chk);
	survey_release(&s);
}

/* Headers of thousands of empty, repeated or option names (a web upload
 * could send any): `survey describe` stays linear.  The work is counted,
 * not timed: the hash probes per column stay a small constant (before, the
 * names were made unique by searching every variable for every candidate
 * name: 4 000 empty names, 12 KB, took 25 s), and the names come out as
 * before (v_, v__2, v__3...). */
static void test_survey_describe_linear_in_header(void)
{
	enum {
		N = 4000
	};
	static const char *const heads[] = {"", "q", "q/a"};
	for (size_t h = 0; h < 3; h++) {
		struct strbuf csv = STRBUF_INIT, path = STRBUF_INIT;
		for (int row = 0; row < 3; row++) {
			for (int j = 0; j < N; j++) {
				if (j)
					strbuf_addch(&csv, ';');
				strbuf_addstr(&csv, row == 0 ? heads[h] : row == 1 ? "1" : "0");
			}
			strbuf_addch(&csv, '\n');
		}
		strbuf_addf(&path, "%s/header%zu.csv", test_tmpdir(), h);
		test_write_file(path.buf, csv.buf);
		struct survey d;
		struct surveydesc info;
		struct error err;
		size_t before = strmap_probes();
		CU_ASSERT_EQUAL_FATAL(surveydesc_infer(path.buf, NULL, &d, &info, &err),
				      TERRAIN_OK);
		size_t work = strmap_probes() - before;
		CU_ASSERT(work <= 12 * (size_t)N);
		if (work > 12 * (size_t)N)
			fprintf(stderr, "\nheader \"%s\" x %d: %zu probes\n", heads[h], N, work);
		if (h == 0) {
			/* no header: no codebook row could name the column (an Excel
			 * export's trailing columns), so none is drafted */
			CU_ASSERT_EQUAL(d.nvar, 0);
		} else if (h == 1) {
			CU_ASSERT_STRING_EQUAL(d.var[N - 1].name, "q_4000");
		} else { /* one multiple choice of 4 000 option columns */
			CU_ASSERT_EQUAL(d.nvar, 1);
			CU_ASSERT_EQUAL(d.var[0].ncat, N);
		}
		survey_release(&d);
		surveydesc_release(&info);
		strbuf_release(&csv);
		strbuf_release(&path);
	}
}

/* A codebook of thousands of variables, one of thousands of categories,
 * and the check of an export of as many columns (issue 18's linearity
 * audit): each name is looked up in a map, a few probes a name, where the
 * codebook searched every variable for every new one and every category
 * for every new code, and the reader searched the header for every column
 * (20 000 columns: 3.6 s in `survey check`, 0.27 s now; 5 000 categories
 * in one cell: 3.3 s).  The work is counted, not timed: at least one probe
 * a name (the map is used; none before) and a small constant at most. */
static void test_survey_codebook_linear(void)
{
	enum {
		N = 4000
	};
	struct strbuf cb = STRBUF_INIT, csv = STRBUF_INIT;
	strbuf_addstr(&cb, "variable;type;labels\nq;single;");
	for (int j = 0; j < N; j++)
		strbuf_addf(&cb, "%s%d=c%d", j ? "|" : "", j, j);
	strbuf_addch(&cb, '\n');
	for (int j = 0; j < N; j++) {
		strbuf_addf(&cb, "v%d;integer;\n", j);
		strbuf_addf(&csv, "%sv%d", j ? ";" : "q;", j);
	}
	strbuf_addch(&csv, '\n');
	for (int j = 0; j <= N; j++)
		strbuf_addf(&csv, "%s1", j ? ";" : "");
	strbuf_addch(&csv, '\n');
	char *cbpath = strdup(write_tmp("wide_cb.csv", cb.buf, cb.len));
	char *path = strdup(write_tmp("wide.csv", csv.buf, csv.len));
	struct survey s;
	struct survey_check chk = {0};
	struct error err;
	size_t before = strmap_probes();
	CU_ASSERT_EQUAL_FATAL(codebook_load(&s, cbpath, &err), TERRAIN_OK);
	size_t work = strmap_probes() - before;
	CU_ASSERT_EQUAL(s.nvar, N + 1);
	CU_ASSERT_EQUAL(s.var[0].ncat, N);
	CU_ASSERT(work >= 2 * (size_t)N && work <= 24 * (size_t)N);
	before = strmap_probes();
	CU_ASSERT_EQUAL_FATAL(surveyfile_read(&s, path, NULL, &chk, &err), TERRAIN_OK);
	work = strmap_probes() - before;
	CU_ASSERT_EQUAL(chk.total, 0);
	CU_ASSERT(work >= (size_t)N && work <= 12 * (size_t)N);
	if (work > 12 * (size_t)N)
		fprintf(stderr, "\nsurvey check of %d columns: %zu probes\n", N, work);
	/* the same name twice is still found, with the line of the first */
	strbuf_addstr(&cb, "v7;integer;\n");
	struct survey t;
	CU_ASSERT_EQUAL(codebook_load(&t, write_tmp("wide_cb2.csv", cb.buf, cb.len), &err),
			TERRAIN_EDATA);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg,
				      ":4003:1: variable \"v7\" is defined twice (first on "
				      "line 10)"));
	survey_check_release(&chk);
	survey_release(&s);
	strbuf_release(&cb);
	strbuf_release(&csv);
	free(cbpath);
	free(path);
}

void suite_survey(void)
{
	CU_pSuite s = CU_add_suite("survey", load_reference, free_reference);
	ADD_TEST(s, test_survey_reads_three_exports);
	ADD_TEST(s, test_survey_describe_linear_in_header);
	ADD_TEST(s, test_survey_codebook_linear);
	ADD_TEST(s, test_survey_exports_agree);
	ADD_TEST(s, test_survey_files_every_chunk_size);
	ADD_TEST(s, test_survey_problem_messages);
	ADD_TEST(s, test_survey_codebook_errors);
	ADD_TEST(s, test_survey_codebook_round_trip);
	ADD_TEST(s, test_survey_codebook_formula_cells);
	ADD_TEST(s, test_survey_describe_drafts_codebook);
	ADD_TEST(s, test_survey_short_label);
	ADD_TEST(s, test_survey_margins);
	ADD_TEST(s, test_survey_weighting_errors);
	ADD_TEST(s, test_survey_estimates_match_r);
	ADD_TEST(s, test_survey_stats_flags);
}
