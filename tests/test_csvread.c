/* The CSV reader, fed every input in every chunk size from 1 byte to the
 * whole, so that a bug at a chunk boundary shows. */
#include <string.h>

#include "../ingest/csvread.h"
#include "helpers.h"

/* Read all of data with the given chunk size into a dump:
 * "LINE:f1|f2|...\n" per row (field lines when they differ: "f@L"), or
 * "ERROR msg" when reading fails.  Returns the status. */
static enum status dump_opts(const char *data, size_t len, const struct csvread_opts *o,
			     struct strbuf *out);

static enum status dump(const char *data, size_t len, size_t chunk, char delim, bool header,
			struct strbuf *out)
{
	struct csvread_opts o;
	csvread_opts_init(&o);
	o.chunk = chunk;
	o.delim = delim;
	o.header = header;
	o.max_field = 64;
	o.max_row = 96; /* counting the NUL after each field */
	return dump_opts(data, len, &o, out);
}

/* The dump, then "ENC delim LINEENDS" of what the reader saw. */
static enum status dump_opts(const char *data, size_t len, const struct csvread_opts *o,
			     struct strbuf *out)
{
	struct csvread *r;
	struct error err;
	const struct csvrow *row;
	strbuf_reset(out);
	enum status st = csvread_open_mem(&r, "t.csv", data, len, o, &err);
	if (st) {
		strbuf_addf(out, "ERROR %s", err.msg);
		return st;
	}
	const struct csvrow *h = csvread_header(r);
	if (h) {
		strbuf_addf(out, "H%lu:", h->line);
		for (size_t i = 0; i < h->n; i++)
			strbuf_addf(out, "%s%s", i ? "|" : "", h->field[i]);
		strbuf_addch(out, '\n');
	}
	while (!(st = csvread_next(r, &row, &err)) && row) {
		strbuf_addf(out, "%lu:", row->line);
		for (size_t i = 0; i < row->n; i++) {
			strbuf_addf(out, "%s%s", i ? "|" : "", row->field[i]);
			if (row->fline[i] != row->line)
				strbuf_addf(out, "@%lu", row->fline[i]);
			CU_ASSERT_EQUAL(strlen(row->field[i]), row->len[i]);
		}
		strbuf_addch(out, '\n');
	}
	if (st)
		strbuf_addf(out, "ERROR %s", err.msg);
	else if (o->encoding != CSVREAD_UTF8 || !o->delim)
		strbuf_addf(out, "[%s %s %s]", csvread_encoding_name(r),
			    csvread_delim(r) == '\t' ? "tab" : (char[]){csvread_delim(r), 0},
			    csvread_line_ends(r));
	csvread_free(r);
	return st;
}

/* Every chunk size must give the same dump, equal to want. */
static void check_all_chunks(const char *data, size_t len, char delim, bool header,
			     const char *want)
{
	struct strbuf got = STRBUF_INIT;
	for (size_t chunk = 1; chunk <= len + 1; chunk++) {
		dump(data, len, chunk, delim, header, &got);
		if (strcmp(got.buf, want)) {
			fprintf(stderr, "\nchunk %zu:\n--- got\n%s\n--- want\n%s\n", chunk, got.buf,
				want);
			CU_FAIL("dump differs");
			break;
		}
	}
	CU_PASS("all chunk sizes agree");
	strbuf_release(&got);
}

#define CHECK(data, delim, header, want) \
	check_all_chunks(data, sizeof(data) - 1, delim, header, want)

static void test_csvread_simple_and_quoted(void)
{
	CHECK("code;name;pop\n38185;Grenoble;156140\n2A004;\"Ajaccio; chef-lieu\";74299\n", ';',
	      true,
	      "H1:code|name|pop\n2:38185|Grenoble|156140\n3:2A004|Ajaccio; chef-lieu|74299\n");
	/* doubled quotes, as in the real EPCI member file (RFC 4180) */
	CHECK("a;b\n200036473;\"CA \"\"Saintes - Grandes Rives - L'Agglo\"\"\"\n", ';', true,
	      "H1:a|b\n2:200036473|CA \"Saintes - Grandes Rives - L'Agglo\"\n");
}

static void test_csvread_line_ends_and_bom(void)
{
	CHECK("\xef\xbb\xbf"
	      "a,b\r\n1,2\r\n3,4",
	      ',', true, "H1:a|b\n2:1|2\n3:3|4\n");
	CHECK("a,b\r1,2\r3,4\r", ',', true, "H1:a|b\n2:1|2\n3:3|4\n");
	/* empty and blank lines are skipped but counted */
	CHECK("a,b\n\n1,2\n\n\n3,4\n", ',', true, "H1:a|b\n3:1|2\n6:3|4\n");
	CHECK("a;b\n1;2\n\t\n  \n3;4\n", ';', true, "H1:a|b\n2:1|2\n5:3|4\n");
	/* a partial byte-order mark is data (here, not UTF-8) */
	CHECK("\xef\xbb"
	      "x,b\n1,2\n",
	      ',', false,
	      "ERROR t.csv:1:1: byte 0xEF at byte 1 of the field is not UTF-8 (expected UTF-8 "
	      "text)");
}

static void test_csvread_multiline_field(void)
{
	CHECK("id;comment\n1;\"first line\nsecond line\"\n2;ok\n", ';', true,
	      "H1:id|comment\n2:1|first line\nsecond line\n4:2|ok\n");
	CHECK("id\t\"note\"\n\"a\r\nb\"\tx\n", '\t', false, "1:id|note\n2:a\r\nb|x@3\n");
}

static void test_csvread_ragged_row(void)
{
	struct strbuf got = STRBUF_INIT;
	static const char data[] = "a;b;c\n1;2;3\n4;5\n";
	for (size_t chunk = 1; chunk <= sizeof(data); chunk++) {
		CU_ASSERT_EQUAL(dump(data, sizeof(data) - 1, chunk, ';', true, &got),
				TERRAIN_EDATA);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(got.buf, "ERROR t.csv:3: expected 3 fields as in the header, found 2"));
	}
	strbuf_release(&got);
}

/* Every chunk size must fail with the same dump. */
static void check_error_all_chunks(const char *data, size_t len, const char *want)
{
	struct strbuf got = STRBUF_INIT;
	for (size_t chunk = 1; chunk <= len + 1; chunk++) {
		CU_ASSERT_EQUAL(dump(data, len, chunk, ';', true, &got), TERRAIN_EDATA);
		if (strcmp(got.buf, want)) {
			fprintf(stderr, "\nchunk %zu:\n--- got\n%s\n--- want\n%s\n", chunk, got.buf,
				want);
			CU_FAIL("dump differs");
			break;
		}
	}
	strbuf_release(&got);
}

#define CHECK_ERROR(data, want) check_error_all_chunks(data, sizeof(data) - 1, want)

static void test_csvread_errors_name_line_and_column(void)
{
	struct strbuf got = STRBUF_INIT;
	CHECK_ERROR("code;name\n01001;Abergement\n38185;Is\xe8re\n",
		    "H1:code|name\n2:01001|Abergement\nERROR t.csv:3:2: byte 0xE8 at byte 3 of "
		    "the field is not UTF-8 (expected UTF-8 text) (column \"name\")");
	CHECK_ERROR("a;b\n1;\"open\n2;3\n", "H1:a|b\nERROR t.csv:2:2: unterminated quoted field "
					    "(expected a closing '\"') (column \"b\")");
	CHECK_ERROR("a;b\n1;\"x\"y\n",
		    "H1:a|b\nERROR t.csv:2:2: misplaced '\"' (expected quotes around a whole "
		    "field only, and doubled inside it) (column \"b\")");
	/* a short row after blank lines: the row's own line */
	CHECK_ERROR("a;b;c\n1;2;3\n\t\n\n4;5\n",
		    "H1:a|b|c\n2:1|2|3\nERROR t.csv:5: expected 3 fields as in the header, "
		    "found 2");
	CHECK_ERROR("a;b\n1;x\0y\n", "H1:a|b\nERROR t.csv:2:2: NUL byte at byte 2 of the field "
				     "(expected text) (column \"b\")");
	/* the caps hold whatever the chunk size */
	CHECK_ERROR("a\n0123456789012345678901234567890123456789012345678901234567890123456789\n",
		    "H1:a\nERROR t.csv:2:1: field longer than 64 bytes (column \"a\")");
	CHECK_ERROR("a;b;c\n0123456789012345678901234567890123456789;"
		    "0123456789012345678901234567890123456789;"
		    "0123456789012345678901234567890123456789\n",
		    "H1:a|b|c\nERROR t.csv:2: row longer than 96 bytes");
	dump("", 0, 5, ';', true, &got);
	CU_ASSERT_STRING_EQUAL(got.buf, "ERROR t.csv: empty file (expected a header line)");
	strbuf_release(&got);
}

/* The table files' opening (offer, params, catalogue, responses): '#'
 * lines before the header skipped; a user file's ',' detected, terrain's
 * own file read with ';' only; a missing column an error naming it, with
 * no reader left. */
static void test_csvread_open_table(void)
{
	static const char *const cols[] = {"id", "value"};
	char path[4096];
	size_t idx[2];
	struct csvread *r;
	struct error err;
	const struct csvrow *row;
	snprintf(path, sizeof(path), "%s/table.csv", test_tmpdir());
	test_write_file(path, "# a comment\nvalue,id\n3,a\n");
	CU_ASSERT_EQUAL_FATAL(csvread_open_table(&r, path, true, cols, 2, idx, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(idx[0], 1);
	CU_ASSERT_EQUAL(idx[1], 0);
	CU_ASSERT_EQUAL(csvread_next(r, &row, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	CU_ASSERT_STRING_EQUAL(row->field[idx[0]], "a");
	csvread_free(r);
	r = (struct csvread *)&err; /* set to NULL on error */
	CU_ASSERT_EQUAL(csvread_open_table(&r, path, false, cols, 2, idx, &err), TERRAIN_EDATA);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT(!strncmp(err.msg, path, strlen(path)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": missing column \"id\" in the header"));
}

static void test_csvread_require_and_field_error(void)
{
	static const char data[] = "code;pop\n38185;x\n";
	struct csvread *r;
	struct error err;
	const struct csvrow *row;
	size_t idx[2];
	static const char *const want[] = {"code", "population"};
	CU_ASSERT_EQUAL_FATAL(csvread_open_mem(&r, "p.csv", data, sizeof(data) - 1, NULL, &err),
			      TERRAIN_OK);
	CU_ASSERT_EQUAL(csvread_column(r, "pop"), 1);
	CU_ASSERT_EQUAL(csvread_column(r, "nope"), CSVREAD_NONE);
	CU_ASSERT_EQUAL(csvread_require(r, want, 2, idx, &err), TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "p.csv:1: missing column \"population\" in the header");
	CU_ASSERT_EQUAL(csvread_next(r, &row, &err), TERRAIN_OK);
	CU_ASSERT_EQUAL(csvread_field_error(r, row, 1, TERRAIN_EDATA, &err,
					    "\"%s\" is not a number", row->field[1]),
			TERRAIN_EDATA);
	CU_ASSERT_STRING_EQUAL(err.msg, "p.csv:2:2: \"x\" is not a number (column \"pop\")");
	CU_ASSERT_EQUAL(csvread_next(r, &row, &err), TERRAIN_OK);
	CU_ASSERT_PTR_NULL(row);
	csvread_free(r);
	CU_ASSERT_EQUAL(csvread_open(&r, "/nonexistent/x.csv", NULL, &err), TERRAIN_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "/nonexistent/x.csv: cannot open: No such file or directory");
}

/* The whole bundled geography file reads without error, row for row. */
static void test_csvread_real_file_rows(void)
{
	struct csvread *r;
	struct error err;
	const struct csvrow *row;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/geo/communes.csv", test_datadir());
	CU_ASSERT_EQUAL_FATAL(csvread_open(&r, path.buf, NULL, &err), TERRAIN_OK);
	size_t n = 0;
	enum status st;
	while (!(st = csvread_next(r, &row, &err)) && row)
		n++;
	CU_ASSERT_EQUAL(st, TERRAIN_OK);
	/* 35 014 communes and arrondissements of COG 2026 plus 4 240 former
	 * codes: the row count datasets/build.py prints */
	CU_ASSERT_EQUAL(n, 39254);
	csvread_free(r);
	strbuf_release(&path);
}

/* A user file: encoding and delimiter detected, '#' preamble skipped; the
 * same result at every chunk size. */
static void check_detect(const char *data, size_t len, enum csvread_encoding enc, const char *want)
{
	struct strbuf got = STRBUF_INIT;
	struct csvread_opts o;
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = enc;
	o.comments = true;
	for (size_t chunk = 1; chunk <= len + 1; chunk++) {
		o.chunk = chunk;
		dump_opts(data, len, &o, &got);
		if (strcmp(got.buf, want)) {
			fprintf(stderr, "\nchunk %zu:\n--- got\n%s\n--- want\n%s\n", chunk, got.buf,
				want);
			CU_FAIL("dump differs");
			break;
		}
	}
	strbuf_release(&got);
}

#define DETECT(data, enc, want) check_detect(data, sizeof(data) - 1, enc, want)

static void test_csvread_detects_delimiter(void)
{
	DETECT("a;b;c\n1;2,5;3\n", CSVREAD_AUTO, "H1:a|b|c\n2:1|2,5|3\n[UTF-8 ; LF]");
	DETECT("a,b,\"c;d\"\n1,2,3\n", CSVREAD_AUTO, "H1:a|b|c;d\n2:1|2|3\n[UTF-8 , LF]");
	DETECT("a\tb\t c \n1\t\t3\n", CSVREAD_AUTO, "H1:a|b|c\n2:1||3\n[UTF-8 tab LF]");
	/* a single column: ';' */
	DETECT("a\n1\n", CSVREAD_AUTO, "H1:a\n2:1\n[UTF-8 ; LF]");
}

static void test_csvread_detects_encoding(void)
{
	/* Excel's Windows-1252, CRLF: é is 0xE9, the euro sign 0x80, a no-break
	 * space 0xA0 */
	DETECT("nom;montant\r\nCl\xe9mence;1\xa0"
	       "234,5 \x80\r\n",
	       CSVREAD_AUTO,
	       "H1:nom|montant\n2:Clémence|1\xc2\xa0"
	       "234,5 €\n[Windows-1252 ; CRLF]");
	/* the same bytes read as ISO-8859-1 on request: 0x80 is a control */
	DETECT("nom\nCl\xe9mence\n", CSVREAD_LATIN1, "H1:nom\n2:Clémence\n[ISO-8859-1 ; LF]");
	/* a UTF-8 byte-order mark is skipped and says UTF-8 */
	DETECT("\xef\xbb\xbfnom;x\nIs\xc3\xa8re;1\n", CSVREAD_AUTO,
	       "H1:nom|x\n2:Isère|1\n[UTF-8 with BOM ; LF]");
	/* mixed line ends are reported */
	DETECT("a;b\r\n1;2\n3;4\r", CSVREAD_AUTO, "H1:a|b\n2:1|2\n3:3|4\n[UTF-8 ; mixed]");
	/* 0x81 has no character in Windows-1252 */
	DETECT("a;b\n1;2\nx\x81;3\n", CSVREAD_CP1252,
	       "H1:a|b\n2:1|2\nERROR t.csv:3: byte 0x81 is not Windows-1252 text (undecodable; "
	       "expected Windows-1252, or give the right encoding)");
}

static void test_csvread_comment_preamble(void)
{
	DETECT("# EXEMPLE INVENTÉ: données fictives\n#\n\nid;x\n1;# not a comment\n", CSVREAD_AUTO,
	       "H4:id|x\n5:1|# not a comment\n[UTF-8 ; LF]");
	/* only before the header */
	DETECT("id\n#2\n", CSVREAD_AUTO, "H1:id\n2:#2\n[UTF-8 ; LF]");
}

/* A file whose first 64 KiB are UTF-8 (ASCII here) but not its end: the
 * error says where, and what to do. */
static void test_csvread_late_latin1_byte(void)
{
	struct strbuf data = STRBUF_INIT, got = STRBUF_INIT;
	struct csvread_opts o;
	strbuf_addstr(&data, "nom;n\n");
	for (int i = 0; i < 7000; i++)
		strbuf_addstr(&data, "Grenoble;1\n"); /* 77 000 bytes */
	strbuf_addstr(&data, "Is\xe8re;2\n");
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	dump_opts(data.buf, data.len, &o, &got);
	const char *e = strstr(got.buf, "ERROR ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e, "ERROR t.csv:7002:1: byte 0xE8 at byte 3 of the field is not "
				  "UTF-8 (expected UTF-8 text; the start of the file was; if the "
				  "file is Windows-1252, say so) (column \"nom\")");
	o.encoding = CSVREAD_CP1252;
	CU_ASSERT_EQUAL(dump_opts(data.buf, data.len, &o, &got), TERRAIN_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(got.buf, "\n7002:Isère|2\n"));
	strbuf_release(&data);
	strbuf_release(&got);
}

/* The fast path for lines without quotes reads what libcsv reads: the same
 * rows, field lines, trimmed blanks, skipped blank lines, line-end census
 * and errors (with their line and column), over random lines of blanks,
 * delimiters, line ends, quotes, UTF-8, a stray byte and a NUL, with both
 * delimiters, with and without a header and comments, and several chunk
 * sizes (a chunk that ends mid-line hands the rest to libcsv). */
static void test_csvread_fast_path_matches_libcsv(void)
{
	static const char *const atoms[] = {"a",    "42", " ",	"\t", ";", ";",	   "\n", "\n",
					    "\r\n", "\r", "\"", "é",  "#", "\xe9", "x y"};
	struct strbuf data = STRBUF_INIT, fast = STRBUF_INIT, slow = STRBUF_INIT;
	unsigned long seed = 20261207;
	size_t differ = 0, nul = 0;
	for (int t = 0; t < 3000; t++) {
		strbuf_reset(&data);
		size_t natoms = 1 + t % 40;
		for (size_t i = 0; i < natoms; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			size_t k = (seed >> 33) % (sizeof(atoms) / sizeof(atoms[0]) + 1);
			if (k == sizeof(atoms) / sizeof(atoms[0])) {
				if (t % 7 == 0) /* a NUL now and then */
					strbuf_addch(&data, '\0'), nul++;
				continue;
			}
			/* quotes and the stray byte rarely, so most lines take
			 * the fast path */
			if ((!strcmp(atoms[k], "\"") || !strcmp(atoms[k], "\xe9")) && t % 3)
				continue;
			strbuf_addstr(&data, atoms[k]);
		}
		struct csvread_opts o;
		csvread_opts_init(&o);
		o.delim = t % 4 == 1 ? '\t' : ';';
		o.header = t % 5 != 0;
		o.strict_width = t % 2 == 0;
		o.comments = t % 6 == 0;
		o.max_field = 8 + t % 32;
		o.max_row = 48;
		o.max_fields = 3 + t % 9;
		static const size_t chunks[] = {0, 1, 5, 13};
		for (size_t c = 0; c < 4; c++) {
			o.chunk = chunks[c];
			o.no_fast = false;
			dump_opts(data.buf, data.len, &o, &fast);
			o.no_fast = true;
			dump_opts(data.buf, data.len, &o, &slow);
			if (strcmp(fast.buf, slow.buf) && differ++ < 3)
				fprintf(stderr,
					"\ninput %d, chunk %zu:\n--- fast\n%s\n--- libcsv\n%s\n", t,
					o.chunk, fast.buf, slow.buf);
		}
	}
	CU_ASSERT_EQUAL(differ, 0);
	CU_ASSERT(nul > 0);
	strbuf_release(&data);
	strbuf_release(&fast);
	strbuf_release(&slow);
}

void suite_csvread(void)
{
	CU_pSuite s = CU_add_suite("csvread", NULL, NULL);
	ADD_TEST(s, test_csvread_simple_and_quoted);
	ADD_TEST(s, test_csvread_line_ends_and_bom);
	ADD_TEST(s, test_csvread_multiline_field);
	ADD_TEST(s, test_csvread_ragged_row);
	ADD_TEST(s, test_csvread_errors_name_line_and_column);
	ADD_TEST(s, test_csvread_require_and_field_error);
	ADD_TEST(s, test_csvread_open_table);
	ADD_TEST(s, test_csvread_real_file_rows);
	ADD_TEST(s, test_csvread_detects_delimiter);
	ADD_TEST(s, test_csvread_detects_encoding);
	ADD_TEST(s, test_csvread_comment_preamble);
	ADD_TEST(s, test_csvread_late_latin1_byte);
	ADD_TEST(s, test_csvread_fast_path_matches_libcsv);
}
