/* terrain offer import. */
#ifndef TERRAIN_OFFER_IMPORT_H
#define TERRAIN_OFFER_IMPORT_H

#include "../core/error.h"

/* The SIAE of territory code (NULL: the project's) in the store (store_opt,
 * else the configured one; it must exist) as inventory rows: to output
 * (created or completed: its rows and leading comments kept), else to
 * stdout.  config, datadir: as pipeline_load_project and _bundle. */
enum status offer_import_run(const char *config, const char *datadir, const char *code,
			     const char *store_opt, const char *output, struct error *err);

#endif
