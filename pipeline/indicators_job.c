/* The indicators stage: the catalogue, the store's data, values, gaps,
 * peers' ranks. */
#include "indicators_job.h"

#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/store.h"
#include "../core/xalloc.h"
#include "../ingest/catalogue.h"
#include "pipeline.h"

/* The store's observations of the catalogue's ids. */
struct stored_rows {
	const char *id;
	struct obs_list obs;
	char **retrieved;
	size_t alloc;
};

static int keep_row(const struct store_row *row, void *arg)
{
	struct stored_rows *r = arg;
	if (strcmp(row->obs.indicator, r->id))
		return 0; /* a longer id with the same beginning */
	*obs_list_push(&r->obs) = row->obs;
	ALLOC_GROW(r->retrieved, r->obs.n, r->alloc);
	r->retrieved[r->obs.n - 1] = xstrdup(row->retrieved ? row->retrieved : "");
	return 0;
}

static bool table_id(const char *id)
{
	return !strncmp(id, "census.", 7) || !strncmp(id, "cog.", 4) || !strcmp(id, "none");
}

static enum status load_ids(struct store *s, const char *ids, struct stored_rows *r,
			    struct error *err)
{
	char *copy = xstrdup(ids), *save = NULL;
	enum status st = TERRAIN_OK;
	for (char *id = strtok_r(copy, "+", &save); id && !st; id = strtok_r(NULL, "+", &save)) {
		if (table_id(id))
			continue;
		bool seen = false; /* an id two indicators share is read once */
		for (size_t i = 0; i < r->obs.n && !seen; i++)
			seen = !strcmp(r->obs.v[i].indicator, id);
		if (seen)
			continue;
		r->id = id;
		st = store_each(s, NULL, id, keep_row, r, err);
	}
	free(copy);
	return st;
}

/* Read the store (when it exists: indicators never creates one) and
 * prepare its observations of the catalogue's ids.  *have tells whether
 * there was a store. */
enum status indicators_job_read_stored(struct store *s, const char *where, const struct geo *g,
				       const struct catalogue *cat, struct indicators_stored *out,
				       struct error *err)
{
	struct stored_rows r = {0};
	enum status st = TERRAIN_OK;
	for (size_t i = 0; i < cat->n && !st; i++) {
		st = load_ids(s, cat->v[i].numerator, &r, err);
		if (!st && *cat->v[i].denominator)
			st = load_ids(s, cat->v[i].denominator, &r, err);
	}
	if (st)
		goto out;
	indicators_stored_build(g, &r.obs, (const char *const *)r.retrieved, cat, out);
	log_info("store %s: %zu observations of the catalogue's indicators", where, r.obs.n);
	if (out->nmerged)
		log_note("store: %zu observations of former communes added to the commune they "
			 "merged into (COG %s)",
			 out->nmerged, GEO_COG_LAST_STR);
	if (out->nunknown)
		log_warn("store: %zu observations of commune codes the geography does not know "
			 "left out",
			 out->nunknown);
	if (out->nrate)
		log_note("store: %zu rates of former communes left out (a rate cannot be added "
			 "to another commune's)",
			 out->nrate);
	for (size_t k = 0; k < out->nconv; k++)
		log_info("store: %s%s%s -> %s%s (%zu observations)", out->conv[k].from,
			 *out->conv[k].cog ? " of COG " : "", out->conv[k].cog,
			 *out->conv[k].to ? out->conv[k].to : "left out",
			 out->conv[k].left_out ? ": rates left out" : "", out->conv[k].nobs);
out:
	for (size_t i = 0; i < r.obs.n; i++)
		free(r.retrieved[i]);
	free(r.retrieved);
	obs_list_release(&r.obs);
	return st;
}

enum status indicators_job_load_stored(const struct project *p, bool loaded, const char *store_opt,
				       const struct geo *g, const struct catalogue *cat,
				       struct indicators_stored *out, bool *have, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct store *s = NULL;
	enum status st;
	*have = false;
	if ((st = pipeline_open_store(p, loaded, store_opt, &s, &path, err)) || !s) {
		if (!st)
			log_info("no store at %s: the indicators that need terrain fetch are "
				 "unavailable",
				 path.buf);
	} else if (!(st = indicators_job_read_stored(s, path.buf, g, cat, out, err))) {
		*have = true;
	}
	store_close(s);
	strbuf_release(&path);
	return st;
}

void indicators_job_release(struct indicators_job *j)
{
	for (size_t k = 0; k <= PROJECT_MAX_REFS; k++)
		free(j->vals[k]);
	free(j->gaps);
	free(j->has);
	free(j->peers);
	free(j->ranks);
	indicators_stored_release(&j->stored);
	catalogue_release(&j->cat);
	memset(j, 0, sizeof(*j));
}

enum status indicators_job_catalogue(const char *datadir, struct catalogue *out, struct error *err)
{
	char *dir = NULL;
	enum status st = bundle_find_dir(datadir, &dir, err);
	if (st)
		return st;
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/catalogue/indicators.csv", dir);
	st = catalogue_load(path.buf, out, err);
	strbuf_release(&path);
	free(dir);
	return st;
}

enum status indicators_job_run(struct indicators_job *j, const struct project *p, bool loaded,
			       const char *store, const struct bundle *b,
			       const struct territory *ts, size_t nt, struct error *err)
{
	memset(j, 0, sizeof(*j));
	enum status st = indicators_job_catalogue(b->dir, &j->cat, err);
	const struct indicators_published *filosofi;
	if (st ||
	    (st = indicators_job_load_stored(p, loaded, store, &b->geo, &j->cat, &j->stored,
					     &j->have_store, err)) ||
	    (st = bundle_filosofi(b, &filosofi, err)))
		return st;
	struct indicators_input in = {
	    &b->geo, &b->census, &b->pop_cog, &b->series, j->have_store ? &j->stored : NULL,
	    filosofi};
	size_t ni = j->cat.n ? j->cat.n : 1;
	j->nt = nt;
	for (size_t k = 0; k < nt; k++) {
		j->ts[k] = ts[k];
		j->vals[k] = xcalloc(ni, sizeof(*j->vals[k]));
		indicators_compute(&in, &j->cat, &ts[k], j->vals[k]);
	}
	j->gaps = xcalloc(nt * ni, sizeof(*j->gaps));
	j->has = xcalloc(nt * ni, sizeof(*j->has));
	for (size_t k = 1; k < nt; k++) {
		bool nested = indicators_nested(&b->geo, &ts[0], &ts[k]);
		for (size_t i = 0; i < j->cat.n; i++)
			j->has[k * j->cat.n + i] =
			    (j->cat.v[i].kind == INDICATOR_RATIO ||
			     j->cat.v[i].kind == INDICATOR_RATE) &&
			    indicators_gap(&j->vals[0][i], &j->vals[k][i], nested, 0.05,
					   &j->gaps[k * j->cat.n + i], NULL) == TERRAIN_OK;
	}
	/* the territory among its peers */
	size_t npeer = indicators_peers(&b->geo, &b->census, &ts[0], &j->peers, &j->scope);
	j->ranks = xcalloc(ni, sizeof(*j->ranks));
	if (npeer > 1) {
		struct indicator_value *pv = xcalloc(ni, sizeof(*pv));
		double *col = xcalloc(npeer * ni, sizeof(*col));
		for (size_t q = 0; q < npeer; q++) {
			indicators_compute(&in, &j->cat, &j->peers[q], pv);
			for (size_t i = 0; i < j->cat.n; i++)
				col[i * npeer + q] = pv[i].value;
		}
		for (size_t i = 0; i < j->cat.n; i++)
			indicators_rank(j->vals[0][i].value, col + i * npeer, npeer, &j->ranks[i]);
		free(pv);
		free(col);
	}
	return TERRAIN_OK;
}

void indicators_job_table(const struct indicators_job *j, bool en, struct indicators_table *out)
{
	*out = (struct indicators_table){
	    j->ts,  j->nt, j->vals,  j->cat.n, j->gaps,
	    j->has, en,	   j->ranks, j->scope, j->have_store ? &j->stored : NULL};
}
