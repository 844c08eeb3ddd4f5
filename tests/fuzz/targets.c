#include "targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "../../analysis/aggregate.h"
#include "../../analysis/budget.h"
#include "../../core/number.h"
#include "../../core/project.h"
#include "../../core/survey.h"
#include "../../ingest/bdm.h"
#include "../../ingest/cache.h"
#include "../../ingest/caf.h"
#include "../../ingest/census.h"
#include "../../ingest/codebook.h"
#include "../../ingest/contours.h"
#include "../../ingest/csvread.h"
#include "../../ingest/dares.h"
#include "../../ingest/francetravail.h"
#include "../../ingest/geoapi.h"
#include "../../ingest/http.h"
#include "../../ingest/inclusion.h"
#include "../../ingest/margins.h"
#include "../../ingest/melodi.h"
#include "../../ingest/offer.h"
#include "../../ingest/params.h"
#include "../../ingest/siae.h"
#include "../../ingest/surveydesc.h"
#include "../../ingest/surveyfile.h"
#include "../../ingest/value.h"
#include "../../pipeline/budgetcfg.h"
#include "../../pipeline/bundle.h"
#include "../../pipeline/sizingcfg.h"

/* A source's parser on data as the answer to a request for url and
 * dataset: the result and the error are dropped, only a crash, a leak, a
 * sanitizer report or a hang counts. */
static void source(source_parse_fn parse, const char *url, const char *dataset,
		   enum source_format f, const uint8_t *data, size_t len)
{
	struct source_plan p = SOURCE_PLAN_INIT;
	struct source_result res;
	struct error err;
	source_plan_add(&p, url, NULL, dataset, "dep:38", f);
	source_result_init(&res);
	parse(&p.v[0], (const char *)data, len, &res, &err);
	source_result_release(&res);
	source_plan_release(&p);
}

static void melodi(const uint8_t *d, size_t n)
{
	source(
	    melodi_parse,
	    "https://api.insee.fr/melodi/data/DS_POPULATIONS_REFERENCE?GEO=DEP-38&maxResult=100000",
	    "DS_POPULATIONS_REFERENCE", SOURCE_JSON, d, n);
}

static void bdm(const uint8_t *d, size_t n)
{
	source(bdm_parse, "https://bdm.insee.fr/series/sdmx/data/SERIES_BDM/001515842", "001515842",
	       SOURCE_XML, d, n);
}

static void dares(const uint8_t *d, size_t n)
{
	source(dares_parse, DARES_BASE "/export", DARES_DATASET, SOURCE_CSV, d, n);
}

static void dares_ze(const uint8_t *d, size_t n)
{
	source(dares_parse_ze, DARES_BASE "/export", DARES_ZE_DATASET, SOURCE_CSV, d, n);
}

static void caf(const uint8_t *d, size_t n)
{
	source(caf_parse, CAF_BASE "/export", CAF_DATASET, SOURCE_CSV, d, n);
}

static void geoapi(const uint8_t *d, size_t n)
{
	source(geoapi_parse, GEOAPI_BASE "/departements/38/communes", GEOAPI_DATASET, SOURCE_JSON,
	       d, n);
}

static void francetravail(const uint8_t *d, size_t n)
{
	source(francetravail_parse, FRANCETRAVAIL_BASE "/indicateur/stat-demandeurs",
	       FRANCETRAVAIL_DATASET, SOURCE_JSON, d, n);
}

static void francetravail_token(const uint8_t *d, size_t n)
{
	struct strbuf token = STRBUF_INIT;
	struct error err;
	long expires;
	francetravail_parse_token((const char *)d, n, &token, &expires, &err);
	strbuf_release(&token);
}

static void siae(const uint8_t *d, size_t n)
{
	source(siae_parse, SIAE_BASE "/api/v1/siaes/?departement=38", SIAE_DATASET, SOURCE_JSON, d,
	       n);
}

static void inclusion(const uint8_t *d, size_t n)
{
	source(inclusion_parse, INCLUSION_BASE "/api/v1/structures?code_departement=38",
	       INCLUSION_DATASET, SOURCE_JSON, d, n);
}

/* A survey export as `terrain survey describe` and `check` read it. */
static void csv(const uint8_t *d, size_t n)
{
	struct csvread_opts o;
	struct csvread *r = NULL;
	const struct csvrow *row;
	struct error err;
	csvread_opts_init(&o);
	o.comments = true;
	if (csvread_open_mem(&r, "fuzz.csv", (const char *)d, n, &o, &err))
		return;
	while (!csvread_next(r, &row, &err) && row)
		;
	csvread_free(r);
}

/* A file parser: data written to a file of this process's own. */
static const char *as_file(const uint8_t *d, size_t n, const char *suffix)
{
	static char path[256];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/terrain-fuzz-%ld%s", tmp && *tmp ? tmp : "/tmp",
		 (long)getpid(), suffix);
	FILE *fp = fopen(path, "wb");
	if (!fp)
		abort(); /* the harness itself is broken: say so loudly */
	if (n && fwrite(d, 1, n, fp) != n)
		abort();
	if (fclose(fp))
		abort();
	return path;
}

static void codebook(const uint8_t *d, size_t n)
{
	struct survey s;
	struct error err;
	const char *path = as_file(d, n, ".codebook.csv");
	if (!codebook_load(&s, path, &err))
		survey_release(&s);
	unlink(path);
}

/* The project file, then the sections read after it: [target] and
 * [offer] (sizing), [budget] against the bundled table, computed when it
 * checks (sums of cents from any numbers the file gives). */
static void project(const uint8_t *d, size_t n)
{
	static struct params table;
	static int state;
	struct project p;
	struct error err;
	if (!state)
		state = params_load("datasets/params/budget_parameters.csv", &table, &err) ? -1 : 1;
	if (state < 0)
		abort(); /* run from the repository's root */
	const char *path = as_file(d, n, ".ini");
	if (!project_load(&p, path, &err)) {
		struct sizingcfg cfg;
		struct budget_input in;
		sizingcfg_read(&p, &cfg, &err);
		if (!budgetcfg_build(&p, &table, &in, &err)) {
			struct budget_result *res = malloc(sizeof(*res));
			if (!res)
				abort();
			budget_compute(&in, res, &err);
			free(res);
			budget_input_release(&in);
		}
		project_release(&p);
	}
	unlink(path);
}

/* A number of the project file, in each of its modes, and a list. */
static void number(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	struct number x;
	struct strbuf why = STRBUF_INIT;
	number_parse(s, n, NUMBER_TYPED, &x);
	number_typed("key", s, n, NUMBER_ALLOW_PERCENT | NUMBER_ALLOW_EURO, &x, &why);
	size_t start[8], len[8];
	number_split(s, start, len, 8);
	strbuf_release(&why);
	free(s);
}

/* The maps' outlines (datasets/contours/), as read once uncompressed. */
static void contours(const uint8_t *d, size_t n)
{
	struct shapes s;
	struct error err;
	shapes_init(&s);
	contours_parse("fuzz.txt", (const char *)d, n, &s, &err);
	shapes_sort(&s);
	shapes_find(&s, "38185");
	shapes_release(&s);
}

/* data as a NUL-terminated string (owned, free()), cut at its first NUL */
static char *as_string(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

/* ---- census detail files ---------------------------------------------- */

static size_t census_row(void *state, const struct text_span *fields, const char **why)
{
	return aggregate_add(state, fields, why);
}

static void census_reset(void *state)
{
	aggregate_table_reset(state);
}

/* `census aggregate` on the file at path: --by its first column, the
 * weight its last.  The input's length picks the reading (libcsv or the
 * fast path, mmap or pread, one or two workers, a small window), so that
 * every way through the reader is fuzzed without a control byte that the
 * seeds would lack. */
static void census_file_run(const char *path, size_t n)
{
	struct census_file *f = NULL;
	struct aggregate_spec spec;
	struct aggregate_table tab[2];
	void *states[2] = {&tab[0], &tab[1]};
	size_t cols[CENSUS_MAX_COLUMNS];
	struct error err;
	if (census_open(&f, path, NULL, &err))
		return;
	size_t nh = census_ncolumns(f);
	const char **header = calloc(nh, sizeof(*header));
	if (!header)
		abort();
	for (size_t i = 0; i < nh; i++)
		header[i] = census_column_name(f, i);
	enum status st =
	    aggregate_spec_init(&spec, header[0], NULL, NULL, header[nh - 1], header, nh, &err);
	free(header);
	if (st) {
		census_free(f);
		return;
	}
	for (size_t i = 0; i < spec.ncolumn && !st && i < CENSUS_MAX_COLUMNS; i++)
		st = census_column(f, spec.column[i], spec.why[i], &cols[i], &err);
	if (!st && spec.ncolumn <= CENSUS_MAX_COLUMNS) {
		struct census_scan_opts o = {0};
		o.no_fast = n & 1;
		o.no_mmap = n & 2;
		o.workers = n & 4 ? 2 : 1;
		o.min_range = 16;
		o.buffer = n & 8 ? 64 : 65536; /* not 4 MiB a run: faster, and a long record */
		o.chunk = n & 8 ? 7 : 0;
		aggregate_table_init(&tab[0], &spec);
		aggregate_table_init(&tab[1], &spec);
		struct census_scan_stats stats;
		if (!census_scan(f, cols, spec.ncolumn, &o, census_row, census_reset, states, 2,
				 &stats, &err) &&
		    stats.workers > 1)
			aggregate_merge(&tab[0], &tab[1]);
		size_t *order = NULL;
		aggregate_order(&tab[0], &order);
		free(order);
		aggregate_table_release(&tab[0]);
		aggregate_table_release(&tab[1]);
	}
	aggregate_spec_release(&spec);
	census_free(f);
}

/* The bytes as they are: a plain CSV, or (by their first bytes) a gzip
 * stream or a zip archive. */
static void census(const uint8_t *d, size_t n)
{
	const char *path = as_file(d, n, ".csv");
	census_file_run(path, n);
	unlink(path);
}

/* The bytes as a CSV gzipped: the streaming reader and its thread. */
static void census_gzip(const uint8_t *d, size_t n)
{
	const char *path = as_file(NULL, 0, ".csv.gz");
	gzFile gz = gzopen(path, "wb1");
	if (!gz || (n && gzwrite(gz, d, (unsigned)n) != (int)n) || gzclose(gz) != Z_OK)
		abort();
	census_file_run(path, n);
	unlink(path);
}

/* The bytes as the member FD_FUZZ.csv of a zip archive beside another
 * CSV, deflated when the length is even, stored when odd. */
static void census_zip(const uint8_t *d, size_t n)
{
	const char *path = as_file(NULL, 0, ".zip");
	int code;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	if (!za)
		abort();
	static const char other[] = "COD_VAR;LIB_VAR\nX;y\n";
	zip_source_t *a = zip_source_buffer(za, other, sizeof(other) - 1, 0);
	zip_source_t *b = zip_source_buffer(za, d, n, 0);
	if (!a || zip_file_add(za, "varmod_FUZZ.csv", a, 0) < 0 || !b)
		abort();
	zip_int64_t i = zip_file_add(za, "FD_FUZZ.csv", b, 0);
	if (i < 0 ||
	    zip_set_file_compression(za, (zip_uint64_t)i, n & 1 ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     0) < 0 ||
	    zip_close(za) < 0)
		abort();
	census_file_run(path, n);
	unlink(path);
}

/* `census aggregate --by LINE1 --where REST` on a header of INSEE's
 * columns, then a few records through the filter. */
static void where(const uint8_t *d, size_t n)
{
	static const char *const header[] = {"DEPT", "AGEREV", "SEXE",	    "IPONDI", "TACT",
					     "ETUD", "DIPL",   "CANTVILLE", "ILETUD"};
	static const char *const rows[][9] = {
	    {"38", "015", "1", "4.86", "11", "2", "13", "3801", "1"},
	    {"2A", "", "2", "1,5", "22", "1", "ZZ", "3802", "Z"},
	    {"38", "120", "1", "0", "12", "2", "", "", "2"},
	};
	char *s = as_string(d, n);
	char *nl = strchr(s, '\n');
	const char *by = nl ? s : NULL, *expr = nl ? nl + 1 : s;
	if (nl)
		*nl = '\0';
	struct aggregate_spec spec;
	struct error err;
	if (!aggregate_spec_init(&spec, by, expr, NULL, NULL, header, 9, &err)) {
		struct aggregate_table t;
		aggregate_table_init(&t, &spec);
		for (size_t r = 0; r < 3; r++) {
			struct text_span f[CENSUS_MAX_COLUMNS];
			for (size_t c = 0; c < spec.ncolumn && c < CENSUS_MAX_COLUMNS; c++) {
				size_t k = 0;
				while (k < 9 && strcmp(header[k], spec.column[c]))
					k++;
				const char *v = k < 9 ? rows[r][k] : "";
				f[c] = (struct text_span){v, strlen(v)};
			}
			const char *why;
			aggregate_add(&t, f, &why);
		}
		aggregate_table_release(&t);
		aggregate_spec_release(&spec);
	}
	free(s);
}

/* ---- survey files against a codebook ------------------------------------ */

/* The LimeSurvey example's codebook, loaded once. */
static const struct survey *codebook_fixture(void)
{
	static struct survey s;
	static int state;
	struct error err;
	if (!state)
		state = codebook_load(&s, "tests/fixtures/survey/codebook_limesurvey_invented.csv",
				      &err)
			    ? -1
			    : 1;
	if (state < 0)
		abort(); /* run from the repository's root */
	return &s;
}

static void margins(const uint8_t *d, size_t n)
{
	struct margins m;
	struct error err;
	const char *path = as_file(d, n, ".margins.csv");
	if (!margins_load(&m, path, codebook_fixture(), &err))
		margins_release(&m);
	unlink(path);
}

/* `survey check` and `survey describe`'s reading of a survey export. */
static void survey_check(const uint8_t *d, size_t n)
{
	struct survey s;
	struct survey_check chk = {0};
	struct error err;
	if (codebook_load(&s, "tests/fixtures/survey/codebook_limesurvey_invented.csv", &err))
		abort();
	const char *path = as_file(d, n, ".survey.csv");
	surveyfile_read(&s, path, NULL, &chk, &err);
	survey_check_release(&chk);
	survey_release(&s);
	unlink(path);
}

/* `survey describe` without a codebook: the draft inferred from the file. */
static void survey_describe(const uint8_t *d, size_t n)
{
	struct survey draft;
	struct surveydesc info;
	struct error err;
	const char *path = as_file(d, n, ".survey.csv");
	if (!surveydesc_infer(path, NULL, &draft, &info, &err)) {
		surveydesc_release(&info);
		survey_release(&draft);
	}
	unlink(path);
}

/* ---- the offer inventory -------------------------------------------------- */

static void offer(const uint8_t *d, size_t n)
{
	static struct bundle b;
	static int state;
	struct error err;
	if (!state)
		state = bundle_load(&b, "datasets", &err) ? -1 : 1;
	if (state < 0)
		abort(); /* run from the repository's root */
	struct offer o;
	const char *path = as_file(d, n, ".offre.csv");
	if (!offer_load(&b.geo, path, &o, &err))
		offer_release(&o);
	unlink(path);
}

/* ---- the cache's entry files ---------------------------------------------- */

static int cache_seen(const struct cache_meta *meta, enum status st, const struct error *e,
		      void *arg)
{
	(void)meta;
	(void)st;
	(void)e;
	(void)arg;
	return 0;
}

/* The bytes as a cache entry: loaded (metadata and body, digest checked)
 * and walked as `cache list` and `cache verify` do. */
static void cache_entry(const uint8_t *d, size_t n)
{
	static char dir[256];
	static const char key[] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/terrain-fuzz-cache-%ld", tmp && *tmp ? tmp : "/tmp",
			 (long)getpid());
	}
	struct cache c;
	struct error err;
	if (cache_open(&c, dir, &err))
		abort();
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.entry", dir, key);
	FILE *fp = fopen(path, "wb");
	if (!fp || (n && fwrite(d, 1, n, fp) != n) || fclose(fp))
		abort();
	struct cache_meta m;
	struct strbuf body = STRBUF_INIT;
	cache_meta_init(&m);
	cache_load(&c, key, &m, &body, &err);
	cache_meta_release(&m);
	strbuf_release(&body);
	cache_walk(&c, n & 1, cache_seen, NULL, &err);
	unlink(path);
	cache_close(&c);
}

/* ---- small fields --------------------------------------------------------- */

/* $TERRAIN_DATE, and a date of a survey cell. */
static void date(const uint8_t *d, size_t n)
{
	char *s = as_string(d, n);
	long days;
	char back[32];
	if (value_parse_iso_day(s, &days)) {
		value_format_date(days, back);
		if (strcmp(back, s))
			abort(); /* a day read back must be written the same */
	}
	if (value_parse_date(s, &days))
		value_format_date(days, back);
	free(s);
}

/* A Retry-After header: seconds or an HTTP date. */
static void retry_after(const uint8_t *d, size_t n)
{
	char *s = as_string(d, n);
	http_parse_retry_after(s, 1764979200L);
	free(s);
}

const struct fuzz_target fuzz_targets[] = {
    {"melodi", melodi, "tests/fixtures/http/melodi"},
    {"bdm", bdm, "tests/fixtures/http/bdm"},
    {"dares", dares, "tests/fixtures/http/dares"},
    {"dares_ze", dares_ze, "tests/fixtures/http/dares"},
    {"caf", caf, "tests/fixtures/http/caf"},
    {"geoapi", geoapi, "tests/fixtures/http/geoapi"},
    {"francetravail", francetravail, "tests/fixtures/http/francetravail"},
    {"francetravail_token", francetravail_token, "tests/fixtures/http/francetravail"},
    {"siae", siae, "tests/fixtures/http/siae"},
    {"inclusion", inclusion, "tests/fixtures/http/inclusion"},
    {"csv", csv, "tests/fixtures/survey"},
    {"codebook", codebook, "tests/fixtures/survey"},
    {"project", project, "tests/fuzz/seeds/project"},
    {"number", number, "tests/fuzz/seeds/number"},
    {"contours", contours, "tests/fuzz/seeds/contours"},
    {"census", census, "tests/fuzz/seeds/census"},
    {"census_gzip", census_gzip, "tests/fuzz/seeds/census_csv"},
    {"census_zip", census_zip, "tests/fuzz/seeds/census_csv"},
    {"where", where, "tests/fuzz/seeds/where"},
    {"margins", margins, "tests/fuzz/seeds/margins"},
    {"survey_check", survey_check, "tests/fixtures/survey"},
    {"survey_describe", survey_describe, "tests/fixtures/survey"},
    {"offer", offer, "tests/fuzz/seeds/offer"},
    {"cache_entry", cache_entry, "tests/fuzz/seeds/cache_entry"},
    {"date", date, "tests/fuzz/seeds/date"},
    {"retry_after", retry_after, "tests/fuzz/seeds/retry_after"},
};
const size_t fuzz_ntargets = sizeof(fuzz_targets) / sizeof(fuzz_targets[0]);

const struct fuzz_target *fuzz_target_find(const char *name)
{
	for (size_t i = 0; name && i < fuzz_ntargets; i++)
		if (!strcmp(fuzz_targets[i].name, name))
			return &fuzz_targets[i];
	return NULL;
}
