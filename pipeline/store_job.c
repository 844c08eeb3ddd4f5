/* terrain store migrate / grant. */
#include "store_job.h"

#include <stdio.h>

#include "../core/project.h"
#include "../core/store.h"
#include "../ingest/fetch.h"
#include "pipeline.h"

/* Open the configured store: *s returned owned (store_close). */
static enum status open_configured(const char *config, const char *store, struct store **s,
				   struct error *err)
{
	struct project p = {0};
	struct fetch_config cfg = {0};
	bool loaded = false;
	enum status st;
	if (!(st = pipeline_load_project(config, &p, &loaded, err)) &&
	    !(st = fetch_config_load(&cfg, loaded ? &p : NULL, "", store, err)))
		st = store_open(s, cfg.store_path, err);
	fetch_config_release(&cfg);
	project_release(&p);
	return st;
}

enum status store_job_migrate(const char *config, const char *store, struct error *err)
{
	struct store *s = NULL;
	int from = 0, to = 0;
	enum status st = open_configured(config, store, &s, err);
	if (!st)
		st = store_migrate(s, &from, &to, err);
	if (!st && from == to)
		printf("%s: schema version %d (up to date)\n", store_where(s), to);
	else if (!st)
		printf("%s: schema version %d (migrated from %d)\n", store_where(s), to, from);
	store_close(s);
	return st;
}

enum status store_job_grant(const char *config, const char *store, const char *role, bool writer,
			    struct error *err)
{
	struct store *s = NULL;
	enum status st = open_configured(config, store, &s, err);
	if (!st)
		st = store_grant(s, role, writer, err);
	if (!st)
		printf("%s: %s: %s\n", store_where(s), role,
		       writer ? "writer (reads and writes the tables, as terrain refresh and fetch "
				"need)"
			      : "reader (reads the views indicator_latest and indicator_history)");
	store_close(s);
	return st;
}
