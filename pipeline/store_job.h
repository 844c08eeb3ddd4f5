/* terrain store: the store's administration (migrate, grant). */
#ifndef TERRAIN_STORE_JOB_H
#define TERRAIN_STORE_JOB_H

#include <stdbool.h>

#include "../core/error.h"

/* Bring the configured store (store: over the configured one, or NULL;
 * config: as pipeline_load_project) to this terrain's schema, and print
 * "WHERE: schema version N (migrated from M)" or "(up to date)" on stdout.
 * A store newer than this terrain is refused (TERRAIN_EDATA). */
enum status store_job_migrate(const char *config, const char *store, struct error *err);

/* Let role read the views (writer false) or write the store (writer
 * true), creating the role when it does not exist; prints what it did.
 * A SQLite store has no roles: TERRAIN_EUSAGE. */
enum status store_job_grant(const char *config, const char *store, const char *role, bool writer,
			    struct error *err);

#endif
