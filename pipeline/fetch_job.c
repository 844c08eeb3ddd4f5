/* terrain fetch and terrain cache: the territories to fetch, the fetch
 * under the store's lock and its summary; the cache's entries listed,
 * shown, verified or cleared. */
#include "fetch_job.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lock.h"
#include "../core/log.h"
#include "../core/redact.h"
#include "../core/store.h"
#include "../core/strbuf.h"
#include "../ingest/cache.h"
#include "pipeline.h"

/* The territories to fetch: the codes given, else the project's territory
 * and references. */
static enum status fetch_targets(int argc, char **argv, const struct project *p, bool loaded,
				 const struct geo *g, struct territory *ts, size_t *nt,
				 struct error *err)
{
	enum status st;
	*nt = 0;
	if (argc > 0) {
		if (argc > PROJECT_MAX_REFS + 1)
			return error_set(err, TERRAIN_EUSAGE, "at most %d territories at a time",
					 PROJECT_MAX_REFS + 1);
		for (int i = 0; i < argc; i++) {
			if ((st = territory_lookup(g, argv[i], loaded ? p->resolved : NULL,
						   loaded ? p->ncustom : 0, &ts[*nt], err)))
				return st;
			(*nt)++;
		}
		return TERRAIN_OK;
	}
	if (!loaded)
		return error_set(err, TERRAIN_EUSAGE,
				 "fetch needs territory codes or a project file (./terrain.ini or "
				 "-c FILE)");
	size_t nref = 0;
	if ((st = project_resolve((struct project *)(uintptr_t)p, g, &ts[0], ts + 1, &nref, err)))
		return st;
	*nt = 1 + nref;
	return TERRAIN_OK;
}

static void print_summary(const struct fetch_report *r, const char *shown,
			  const struct fetch_options *opt, enum report_format fmt)
{
	if (fmt == REPORT_JSON) {
		json_t *o = json_pack(
		    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:s}", "requests",
		    (json_int_t)r->requests, "fresh", (json_int_t)r->fresh, "not_modified",
		    (json_int_t)r->not_modified, "cached", (json_int_t)r->cached, "missing",
		    (json_int_t)r->missing, "failed", (json_int_t)r->failed, "skipped_sources",
		    (json_int_t)r->skipped, "observations", "inserted",
		    (json_int_t)r->stats.inserted, "updated", (json_int_t)r->stats.updated,
		    "unchanged", (json_int_t)r->stats.unchanged, "store", shown);
		json_t *pr = json_array();
		for (size_t i = 0; i < r->nproblems; i++)
			json_array_append_new(pr, json_string(r->problems[i]));
		json_object_set_new(o, "problems", pr);
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
		json_decref(o);
		return;
	}
	if (fmt == REPORT_CSV) {
		printf("requests;fresh;not_modified;cached;missing;failed;skipped_sources;"
		       "inserted;"
		       "updated;unchanged\n%zu;%zu;%zu;%zu;%zu;%zu;%zu;%zu;%zu;%zu\n",
		       r->requests, r->fresh, r->not_modified, r->cached, r->missing, r->failed,
		       r->skipped, r->stats.inserted, r->stats.updated, r->stats.unchanged);
		return;
	}
	if (opt->offline)
		printf("%zu requests: %zu from the cache, %zu missing from it\n", r->requests,
		       r->cached, r->missing);
	else
		printf("%zu requests: %zu new or changed, %zu not modified, %zu failed\n",
		       r->requests, r->fresh, r->not_modified, r->failed);
	printf("observations: %zu new, %zu changed, %zu unchanged\n", r->stats.inserted,
	       r->stats.updated, r->stats.unchanged);
	printf("store: %s\n", shown);
}

static void print_report(const struct fetch_report *r, const struct fetch_config *cfg,
			 const struct fetch_options *opt, enum report_format fmt)
{
	/* a PostgreSQL URI may carry a password: never printed */
	struct strbuf where = STRBUF_INIT;
	strbuf_addstr(&where, cfg->store_path);
	redact(&where, NULL, 0);
	print_summary(r, where.buf, opt, fmt);
	strbuf_release(&where);
}

enum status fetch_job_run(const char *config, const char *datadir, int ncodes, char **codes,
			  const struct fetch_options *opt, const char *store,
			  enum report_format fmt, struct error *err)
{
	enum status st;
	struct project p = {0};
	struct bundle b = {0};
	struct fetch_config cfg = {0};
	struct lock lk = {-1, NULL};
	struct fetch_report rep = {0};
	struct territory ts[PROJECT_MAX_REFS + 1];
	size_t nt = 0;
	bool loaded = false;
	char *dir = NULL;
	if ((st = pipeline_load_project(config, &p, &loaded, err)) ||
	    (st = pipeline_load_bundle(datadir, &b, err)))
		goto out;
	if (loaded && (st = project_resolve_customs(&p, &b.geo, err)))
		goto out;
	if ((st = fetch_targets(ncodes, codes, &p, loaded, &b.geo, ts, &nt, err)))
		goto out;
	if ((st = bundle_find_dir(datadir, &dir, err)) ||
	    (st = fetch_config_load(&cfg, loaded ? &p : NULL, dir, store, err)))
		goto out;
	for (size_t i = 0; i < nt; i++)
		log_info("territory %s %s", ts[i].code, ts[i].name ? ts[i].name : "");
	/* one writer of the store at a time (terrain refresh, another fetch) */
	if (!opt->dry_run && !store_is_postgresql(cfg.store_path) &&
	    (st = lock_acquire(&lk, cfg.store_path, err)))
		goto out;
	st = fetch_run(&cfg, &b.geo, ts, nt, opt, &rep, err);
	if (st == TERRAIN_OK || st == TERRAIN_EPARTIAL || st == TERRAIN_ENET) {
		for (size_t i = 0; i < rep.nproblems; i++)
			log_error("%s", rep.problems[i]);
		if (!opt->dry_run)
			print_report(&rep, &cfg, opt, fmt);
	}
out:
	lock_release(&lk);
	fetch_report_release(&rep);
	fetch_config_release(&cfg);
	free(dir);
	bundle_release(&b);
	project_release(&p);
	return st;
}

struct walk {
	enum report_format fmt;
	const char *prefix; /* show: the key prefix */
	json_t *arr;
	size_t n, bad, matched;
	bool verify;
};

static void print_meta(const struct cache_meta *m)
{
	printf("key: %s\nurl: %s\nmethod: %s\nstatus: %ld\nsource: %s\ndataset: %s\n"
	       "fetched: %s\nvalidated: %s\nsize: %zu\nsha256: %s\netag: %s\n"
	       "last_modified: %s\ncontent_type: %s\n",
	       m->key, m->url.buf, m->post ? "POST" : "GET", m->status, m->source.buf,
	       m->dataset.buf, m->fetched, m->validated, m->size, m->sha256, m->etag.buf,
	       m->last_modified.buf, m->content_type.buf);
}

static json_t *meta_json(const struct cache_meta *m)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:I,s:s}", "key", m->key, "url", m->url.buf,
			 "method", m->post ? "POST" : "GET", "status", (json_int_t)m->status,
			 "source", m->source.buf, "dataset", m->dataset.buf, "fetched", m->fetched,
			 "size", (json_int_t)m->size, "sha256", m->sha256);
}

static int walk_entry(const struct cache_meta *m, enum status st, const struct error *e, void *arg)
{
	struct walk *w = arg;
	if (w->prefix && strncmp(m->key, w->prefix, strlen(w->prefix)) != 0)
		return 0;
	w->n++;
	if (st) {
		w->bad++;
		log_error("%s", e->msg);
		return 0;
	}
	if (w->prefix) {
		w->matched++;
		if (w->fmt == REPORT_JSON)
			json_array_append_new(w->arr, meta_json(m));
		else
			print_meta(m);
		return 0;
	}
	if (w->verify)
		return 0;
	if (w->fmt == REPORT_JSON)
		json_array_append_new(w->arr, meta_json(m));
	else if (w->fmt == REPORT_CSV)
		printf("%s;%s;%s;%zu;%s;%s\n", m->key, m->source.buf, m->dataset.buf, m->size,
		       m->fetched, m->url.buf);
	else
		printf("%.12s  %-13s %9zu  %s  %s\n", m->key, m->source.buf, m->size, m->fetched,
		       m->url.buf);
	return 0;
}

enum status cache_job_run(const char *config, const char *sub, const char *key,
			  enum report_format fmt, struct error *err)
{
	enum status st;
	bool show = !strcmp(sub, "show");
	struct project p = {0};
	bool loaded = false;
	struct cache c = {0};
	struct strbuf dir = STRBUF_INIT;
	if ((st = pipeline_load_project(config, &p, &loaded, err)))
		goto out;
	const char *cenv = getenv("TERRAIN_CACHE_DIR");
	if (cenv && *cenv)
		strbuf_addstr(&dir, cenv); /* the environment first, as for terrain fetch */
	else if (loaded && p.sources.cache.text)
		project_path(&p, p.sources.cache.text, &dir);
	if ((st = cache_open(&c, dir.len ? dir.buf : NULL, err)))
		goto out;
	if (!strcmp(sub, "clear")) {
		size_t n = 0;
		if (!(st = cache_clear(&c, &n, err)))
			printf("removed %zu entries from %s\n", n, c.dir);
		goto out;
	}
	struct walk w = {fmt, show ? key : NULL, json_array(), 0, 0, 0, !strcmp(sub, "verify")};
	if (!show && !w.verify && w.fmt == REPORT_CSV)
		printf("key;source;dataset;size;fetched;url\n");
	st = cache_walk(&c, show || w.verify, walk_entry, &w, err);
	if (!st && (w.fmt == REPORT_JSON) && !w.verify) {
		json_dumpf(w.arr, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	json_decref(w.arr);
	if (st)
		goto out;
	if (show && w.bad)
		st = error_set(err, TERRAIN_EDATA, "%zu cache entr%s starting with '%s' %s corrupt",
			       w.bad, w.bad == 1 ? "y" : "ies", key, w.bad == 1 ? "is" : "are");
	else if (show && !w.matched)
		st = error_set(err, TERRAIN_ENOTFOUND, "no cache entry starts with '%s' in %s", key,
			       c.dir);
	else if (w.verify && w.bad)
		st = error_set(err, TERRAIN_EDATA, "%zu of %zu cache entries are corrupt in %s",
			       w.bad, w.n, c.dir);
	else if (w.verify)
		printf("%zu cache entries verified in %s\n", w.n, c.dir);
	else if (!show && w.fmt == REPORT_TEXT)
		log_note("%zu cache entries in %s", w.n, c.dir);
out:
	cache_close(&c);
	strbuf_release(&dir);
	project_release(&p);
	return st;
}
