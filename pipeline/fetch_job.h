/* terrain fetch and terrain cache. */
#ifndef TERRAIN_FETCH_JOB_H
#define TERRAIN_FETCH_JOB_H

#include "../core/error.h"
#include "../ingest/fetch.h"
#include "../report/format.h"

/* Fetch the territories codes[0..ncodes) (none: the project's territory and
 * references) under the store's lock (not for a dry run), then print the
 * summary in fmt on stdout.  config, datadir: as pipeline_load_project and
 * _bundle; store: the store over the configured one, or NULL. */
enum status fetch_job_run(const char *config, const char *datadir, int ncodes, char **codes,
			  const struct fetch_options *opt, const char *store,
			  enum report_format fmt, struct error *err);

/* terrain cache SUB (list, show, verify, clear); key: show's prefix. */
enum status cache_job_run(const char *config, const char *sub, const char *key,
			  enum report_format fmt, struct error *err);

#endif
