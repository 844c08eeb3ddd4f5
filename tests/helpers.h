/* Shared test helpers: the bundled datasets loaded once, temporary
 * folders removed at exit, files, and running the terrain program. */
#ifndef TERRAIN_TEST_HELPERS_H
#define TERRAIN_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <stddef.h>

#include "../core/strbuf.h"
#include "../ingest/source.h"
#include "../pipeline/bundle.h"

#define ADD_TEST(suite, fn) CU_add_test((suite), #fn, (fn))

/* The datasets folder: $TERRAIN_DATADIR, else "datasets". */
const char *test_datadir(void);

/* The bundle of test_datadir(), loaded on first use; NULL (and a failed
 * assertion) when it cannot be loaded. */
const struct bundle *test_bundle(void);

/* A new empty folder, removed with its content at exit; borrowed. */
const char *test_tmpdir(void);

/* Write / read a whole file; read returns owned bytes (free()) or NULL. */
void test_write_file(const char *path, const char *content);
char *test_read_file(const char *path);
/* The same for binary files: the length in *len (may be NULL). */
char *test_read_file_len(const char *path, size_t *len);

/* Run $TERRAIN_BIN with args (NULL-terminated, without argv[0]) in folder
 * cwd (NULL: the current one).  env holds "NAME=VALUE" overrides and
 * "NAME" unsets (NULL-terminated, may be NULL).  stdout and stderr are
 * captured; returns the exit status, or -1 if the program did not exit
 * normally. */
int test_run(const char *const *args, const char *const *env, const char *cwd, struct strbuf *out,
	     struct strbuf *err);

/* The fixture dir/name (dir ends with '/'), read whole: returned owned
 * (free()), its length in *len; a missing file fails the test. */
char *test_fixture(const char *dir, const char *name, size_t *len);

/* The member name of the zip archive path, read whole: returned owned
 * (free()), NUL-terminated, its length in *len (may be NULL); NULL when
 * the archive or the member cannot be read. */
char *test_zip_member(const char *path, const char *name, size_t *len);

/* The program under test: $TERRAIN_BIN, else "./terrain". */
const char *test_bin(void);

/* Values computed by an R script, read from its "name;value" CSV. */
struct test_rvalues {
	char **name;
	double *value;
	unsigned char *seen; /* set by the test for each value it compared */
	size_t n, alloc;
};

/* 0 when path held at least one value. */
int test_rvalues_load(struct test_rvalues *r, const char *path);
void test_rvalues_release(struct test_rvalues *r);

/* The suites, one per module. */
/* The source modules' harness.  A request as a parser test makes it: the
 * parser, then the request's fields (body NULL for a GET). */
struct test_source_req {
	source_parse_fn parse;
	const char *url, *body, *dataset, *territory;
	enum source_format format;
};

/* Parse len bytes of payload as the answer to rq. */
enum status test_source_parse(const struct test_source_req *rq, const char *payload, size_t len,
			      struct source_result *res, struct error *err);

/* What a prefix of a payload may do besides failing with a message that
 * starts with the URL and leaving the result as it was. */
enum test_prefix_rule {
	TEST_PREFIX_MAY_PARSE,	    /* CSV: any prefix, the whole one too, may parse;
				       "URL:" starts the message */
	TEST_PREFIX_TRAILING_SPACE, /* JSON: a proper prefix parses only when what it
				       leaves out is white space; "URL: " */
	TEST_PREFIX_NEVER,	    /* every proper prefix fails; "URL: " */
};

/* Parse every prefix of the fixture called name (len bytes of payload),
 * each in a copy of exactly its bytes (for ASan), appending to res. */
void test_source_every_prefix(const struct test_source_req *rq, const char *name,
			      const char *payload, size_t len, enum test_prefix_rule rule,
			      struct source_result *res);

/* plan's requests for the territory code (looked up in the test bundle)
 * with base: none when want_url is NULL, else one with this URL, body
 * (NULL: a GET), dataset, territory and format. */
void test_source_check_plan(source_plan_fn plan, const char *base, const char *code,
			    const char *want_url, const char *want_body, const char *dataset,
			    enum source_format format);

void suite_strbuf(void);
void suite_web(void);
void suite_redact(void);
void suite_fuzz(void);
void suite_error(void);
void suite_comtable(void);
void suite_bundle(void);
void suite_report(void);
void suite_text(void);
void suite_fileio(void);
void suite_csvread(void);
void suite_value(void);
void suite_survey(void);
void suite_design(void);
void suite_territory(void);
void suite_geo(void);
void suite_project(void);
void suite_portrait(void);
void suite_search(void);
void suite_format(void);
void suite_cli(void);
void suite_http(void);
void suite_fetch(void);
void suite_trend(void);
void suite_gap(void);
void suite_catalogue(void);
void suite_params(void);
void suite_budget(void);
void suite_indicators(void);
void suite_sizing(void);
void suite_plan(void);
void suite_note(void);
void suite_map(void);
void suite_refresh(void);
void suite_cache(void);
void suite_store(void);
void suite_store_pg(void);
/* The store tests every back end passes (tests/test_store.c), registered
 * as the suite name: where(tag) returns the location of a new, empty store
 * (a SQLite path, a PostgreSQL URI), where(NULL) the last one again, to
 * reopen it; borrowed until the next call.  suite_store registers the
 * SQLite back end's ("store_sqlite"). */
typedef const char *(*store_where_fn)(const char *tag);
void suite_store_backend(const char *name, store_where_fn where);
void suite_melodi(void);
void suite_bdm(void);
void suite_dares(void);
void suite_caf(void);
void suite_siae(void);
void suite_geoapi(void);
void suite_francetravail(void);
void suite_census(void);
void suite_aggregate(void);
void suite_chart(void);
void suite_typo(void);
void suite_xlsx(void);
void suite_odt(void);
void suite_sources(void);
void suite_order(void);
void suite_inclusion(void);
void suite_webstudy(void);
void suite_webpages(void);

#endif
