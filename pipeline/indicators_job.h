/* The indicators stage, as terrain indicators, terrain run, terrain
 * project size and terrain refresh run it. */
#ifndef TERRAIN_INDICATORS_JOB_H
#define TERRAIN_INDICATORS_JOB_H

#include <stdbool.h>

#include "../analysis/indicators.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../report/indicators_report.h"
#include "bundle.h"

/* The indicators of ts[0] against ts[1..nt) (terrain indicators, terrain
 * run): the catalogue, the store's data, values, gaps, peers' ranks. */
struct indicators_job {
	struct catalogue cat;
	struct indicators_stored stored;
	bool have_store;
	struct territory ts[PROJECT_MAX_REFS + 1];
	size_t nt;
	struct indicator_value *vals[PROJECT_MAX_REFS + 1];
	struct gap *gaps;
	bool *has;
	struct territory *peers;
	struct indicator_rank *ranks;
	const char *scope;
};
enum status indicators_job_run(struct indicators_job *j, const struct project *p, bool loaded,
			       const char *store, const struct bundle *b,
			       const struct territory *ts, size_t nt, struct error *err);
void indicators_job_table(const struct indicators_job *j, bool en, struct indicators_table *out);
void indicators_job_release(struct indicators_job *j);

/* The indicator catalogue (catalogue/indicators.csv) of the datasets at
 * datadir, or where bundle_find_dir finds them (NULL), into *out (release
 * with catalogue_release); the rest of the bundle is not read. */
enum status indicators_job_catalogue(const char *datadir, struct catalogue *out, struct error *err);

/* Read the store (-S FILE, else the configured one; when it does not exist
 * *have is false and nothing is an error, unless store was given) and
 * prepare its observations of the catalogue's ids into out (release with
 * indicators_stored_release); the COG conversions are logged. */
enum status indicators_job_load_stored(const struct project *p, bool loaded, const char *store,
				       const struct geo *g, const struct catalogue *cat,
				       struct indicators_stored *out, bool *have,
				       struct error *err);

/* The same from a store already open (where names it in the log). */
struct store;
enum status indicators_job_read_stored(struct store *s, const char *where, const struct geo *g,
				       const struct catalogue *cat, struct indicators_stored *out,
				       struct error *err);

#endif
