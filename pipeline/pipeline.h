/* The pipeline: the stages chained on one project, below every front
 * (the command line, cron).  Loading the project, the datasets and the
 * store. */
#ifndef TERRAIN_PIPELINE_H
#define TERRAIN_PIPELINE_H

#include <stdbool.h>

#include "../core/error.h"
#include "../core/project.h"
#include "../core/strbuf.h"
#include "../ingest/bundle.h"

/* Load the project file: config (required to exist) or ./terrain.ini when
 * present.  *loaded tells whether one was read. */
enum status pipeline_load_project(const char *config, struct project *p, bool *loaded,
				  struct error *err);

/* Load the datasets: datadir, else where bundle_find_dir finds them. */
enum status pipeline_load_bundle(const char *datadir, struct bundle *b, struct error *err);

/* Open the store: store_opt (which must exist), else the configured one
 * ($TERRAIN_STORE, [sources] store, the default).  A store that does not
 * exist is not created: *out is NULL and path names where it was looked
 * for. */
struct store;
enum status pipeline_open_store(const struct project *p, bool loaded, const char *store_opt,
				struct store **out, struct strbuf *path, struct error *err);

#endif
