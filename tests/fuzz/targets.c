#include "targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/number.h"
#include "../../core/project.h"
#include "../../core/survey.h"
#include "../../ingest/bdm.h"
#include "../../ingest/caf.h"
#include "../../ingest/codebook.h"
#include "../../ingest/contours.h"
#include "../../ingest/csvread.h"
#include "../../ingest/dares.h"
#include "../../ingest/francetravail.h"
#include "../../ingest/geoapi.h"
#include "../../ingest/melodi.h"
#include "../../ingest/siae.h"

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

static void project(const uint8_t *d, size_t n)
{
	struct project p;
	struct error err;
	const char *path = as_file(d, n, ".ini");
	if (!project_load(&p, path, &err))
		project_release(&p);
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
    {"csv", csv, "tests/fixtures/survey"},
    {"codebook", codebook, "tests/fixtures/survey"},
    {"project", project, "tests/fuzz/seeds/project"},
    {"number", number, "tests/fuzz/seeds/number"},
    {"contours", contours, "tests/fuzz/seeds/contours"},
};
const size_t fuzz_ntargets = sizeof(fuzz_targets) / sizeof(fuzz_targets[0]);

const struct fuzz_target *fuzz_target_find(const char *name)
{
	for (size_t i = 0; name && i < fuzz_ntargets; i++)
		if (!strcmp(fuzz_targets[i].name, name))
			return &fuzz_targets[i];
	return NULL;
}
