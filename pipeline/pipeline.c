#include "pipeline.h"

#include <stdlib.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/store.h"
#include "../ingest/fetch.h"

enum status pipeline_load_project(const char *config, struct project *p, bool *loaded,
				  struct error *err)
{
	*loaded = false;
	const char *path = config;
	if (!path) {
		if (!fileio_exists("terrain.ini"))
			return TERRAIN_OK;
		path = "terrain.ini";
	}
	enum status st = project_load(p, path, err);
	if (!st) {
		*loaded = true;
		log_info("project file %s", path);
	}
	return st;
}

enum status pipeline_load_bundle(const char *datadir, struct bundle *b, struct error *err)
{
	char *dir;
	enum status st = bundle_find_dir(datadir, &dir, err);
	if (st)
		return st;
	log_info("datasets in %s", dir);
	st = bundle_load(b, dir, err);
	free(dir);
	return st;
}

enum status pipeline_open_store(const struct project *p, bool loaded, const char *store_opt,
				struct store **out, struct strbuf *path, struct error *err)
{
	struct fetch_config cfg = {0};
	enum status st;
	*out = NULL;
	if ((st = fetch_config_load(&cfg, loaded ? p : NULL, "", store_opt, err)))
		goto out;
	strbuf_reset(path);
	strbuf_addstr(path, cfg.store_path);
	if (access(cfg.store_path, F_OK) != 0) {
		if (store_opt)
			st = error_set(err, TERRAIN_EIO, "%s: no such store", store_opt);
		goto out;
	}
	st = store_open(out, cfg.store_path, err);
out:
	fetch_config_release(&cfg);
	return st;
}
