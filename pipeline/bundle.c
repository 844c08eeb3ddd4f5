#include "bundle.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "../ingest/bdm.h"
#include "../ingest/csvread.h"
#include "../ingest/geodata.h"
#include "../ingest/responses.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static enum status open_csv(struct csvread **r, const char *dir, const char *file,
			    const char *const *cols, size_t ncols, size_t *idx, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	struct csvread_opts o;
	csvread_opts_init(&o);
	strbuf_addf(&path, "%s/%s", dir, file);
	enum status st = csvread_open(r, path.buf, &o, err);
	if (!st && (st = csvread_require(*r, cols, ncols, idx, err))) {
		csvread_free(*r);
		*r = NULL;
	}
	strbuf_release(&path);
	return st;
}

static enum status load_sources(struct bundle *b, struct error *err)
{
	static const char *const cols[] = {"file",	"source", "dataset", "vintage",
					   "geography", "url",	  "licence", "retrieved"};
	size_t c[NCOLS(cols)];
	struct csvread *r;
	const struct csvrow *row;
	enum status st = open_csv(&r, b->dir, "sources.csv", cols, NCOLS(cols), c, err);
	if (st)
		return st;
	/* optional: the citation lines the note prints */
	size_t cfr = csvread_column(r, "cite_fr"), cen = csvread_column(r, "cite_en");
	while (!(st = csvread_next(r, &row, err)) && row) {
		ALLOC_GROW(b->prov, b->nprov + 1, b->alloc_prov);
		struct provenance *p = &b->prov[b->nprov++];
		p->file = xstrdup(row->field[c[0]]);
		p->source = xstrdup(row->field[c[1]]);
		p->dataset = xstrdup(row->field[c[2]]);
		p->vintage = xstrdup(row->field[c[3]]);
		p->geography = xstrdup(row->field[c[4]]);
		p->url = xstrdup(row->field[c[5]]);
		p->licence = xstrdup(row->field[c[6]]);
		p->retrieved = xstrdup(row->field[c[7]]);
		p->cite_fr = xstrdup(cfr < row->n ? row->field[cfr] : "");
		p->cite_en = xstrdup(cen < row->n ? row->field[cen] : "");
	}
	csvread_free(r);
	return st;
}

const struct provenance *bundle_provenance(const struct bundle *b, const char *file)
{
	for (size_t i = 0; i < b->nprov; i++)
		if (!strcmp(b->prov[i].file, file))
			return &b->prov[i];
	return NULL;
}

static enum status need_provenance(const struct bundle *b, const char *file,
				   const struct provenance **out, struct error *err)
{
	*out = bundle_provenance(b, file);
	if (!*out)
		return error_set(err, TERRAIN_EDATA,
				 "%s/sources.csv: no row for \"%s\" (every dataset file needs "
				 "its provenance)",
				 b->dir, file);
	return TERRAIN_OK;
}

/* The population each package carries, moved to the current geography: a
 * former commune's figure is added to its successor's for the years it was
 * listed. */
static void convert_cog_populations(struct bundle *b)
{
	const struct geo *g = &b->geo;
	char names[GEO_NCOG][24];
	const char *vars[GEO_NCOG];
	for (int y = 0; y < GEO_NCOG; y++) {
		snprintf(names[y], sizeof(names[y]), "pop_cog%d", GEO_COG_FIRST + y);
		vars[y] = names[y];
	}
	comtable_init(&b->pop_cog, g, vars, GEO_NCOG);
	b->pop_cog.cog = GEO_COG_LAST;
	for (size_t i = 0; i < g->ncom; i++) {
		const struct geo_commune *c = &g->com[i];
		size_t to = c->kind == GEO_FORMER ? c->successor : i;
		for (int y = 0; y < GEO_NCOG; y++) {
			if (c->pop[y] < 0)
				continue;
			b->pop_cog.nsource++;
			if (to == GEO_NONE) { /* vanished with no successor */
				b->pop_cog.nunknown++;
				continue;
			}
			if (to != i)
				b->pop_cog.nmerged++;
			comtable_add(&b->pop_cog, to, (size_t)y, (double)c->pop[y]);
		}
	}
	log_info("COG populations: %zu figures, %zu of former communes added to their "
		 "COG %d commune",
		 b->pop_cog.nsource, b->pop_cog.nmerged, GEO_COG_LAST);
}

static const char *const census_cols[] = {
    "code",
    "kind",
    "superficie_km2",
    "population_2015",
    "population_2021",
    "menages_2021",
    "naissances_2022",
    "deces_2022",
    "pop_15_64_totale_2021",
    "pop_15_64_chomage_2021",
    "pop_15_64_active_2021",
};
#define CENSUS_FIRST_VAR 2
#define CENSUS_FILE	 "census/comparateur_communes.csv"

/* A value of the census file: an area in km² for superficie_km2 (k == 0),
 * otherwise a count, whole and below any plausible commune. */
static enum status census_value(const struct csvread *r, const struct csvrow *row, size_t col,
				size_t k, double *v, struct error *err)
{
	const char *s = row->field[col];
	if (k == 0) {
		if (!text_parse_double(s, v) || *v < 0 || *v > 1e5)
			return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
						   "\"%s\" is not an area (expected km² from 0 to "
						   "100000, or empty)",
						   s);
		return TERRAIN_OK;
	}
	if (!text_parse_double(s, v) || *v < 0 || *v > 1e8 || *v != floor(*v))
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a count (expected a whole number from 0 "
					   "to 100000000, or empty)",
					   s);
	return TERRAIN_OK;
}

#define SERIES_FILE "bdm/taux_chomage_localise.csv"

static int cmp_series(const void *a, const void *b)
{
	const struct observation *x = a, *y = b;
	int c = strcmp(x->indicator, y->indicator);
	if (!c)
		c = strcmp(x->territory, y->territory);
	return c ? c : strcmp(x->period, y->period);
}

static enum status load_series(struct bundle *b, struct error *err)
{
	const struct provenance *prov;
	struct strbuf path = STRBUF_INIT;
	enum status st = need_provenance(b, SERIES_FILE, &prov, err);
	if (st)
		return st;
	strbuf_addf(&path, "%s/%s", b->dir, SERIES_FILE);
	st = bdm_series_load(path.buf, &b->series, err);
	/* the order indicators_compute looks a territory's series up in */
	if (!st && b->series.n > 1)
		qsort(b->series.v, b->series.n, sizeof(*b->series.v), cmp_series);
	strbuf_release(&path);
	return st;
}

#define FILOSOFI_FILE	"filosofi/filosofi_2021.csv"
#define FILOSOFI_PERIOD "2021"
/* the poverty rate is a share of the persons of fiscal households
 * (INSEE's definition), whose count the file carries beside it */
#define FILOSOFI_RATE "melodi.DS_FILOSOFI_CC.FILOSOFI_MEASURE=PR_MD60"
#define FILOSOFI_BASE "filosofi.NUM_PER"

/* the tables bundle_filosofi chains after Filosofi, in order: their file,
 * period, the territory kinds their rows may have, and the level they are
 * published for (indicators_published.level) */
static const struct social_table {
	const char *file, *period, *level;
	const char *kinds[4];
} social_tables[] = {
    {"social/age_2021.csv", "2021", "", {"dep:", "reg:", "fr"}},
    {"social/neet_2022.csv", "2022", "epci", {"epci:", "com:"}},
    {"social/bv_2022.csv", "2022", "bv", {"bv:"}},
};
#define NSOCIAL NCOLS(social_tables)
/* the age shares are shares of the estimated population */
#define AGE_BASE "estim.TOTAL"

struct bundle_lazy {
	bool filosofi_tried;
	enum status filosofi_status;
	struct error filosofi_err;
	struct indicators_published filosofi;
	struct indicators_published social[NSOCIAL];
	bool qpv_tried;
	enum status qpv_status;
	struct error qpv_err;
	struct qpv_list qpv;
};

/* A cell of a published table: a number, "s" (statistical secret), "nd"
 * (not available) or empty (not in the source file). */
static enum status published_cell(const struct csvread *r, const struct csvrow *row, size_t col,
				  struct indicators_published *p, size_t at, size_t pcol,
				  struct error *err)
{
	const char *s = row->field[col];
	double v;
	if (!*s)
		return TERRAIN_OK;
	if (s[0] == 's' && !s[1])
		indicators_published_set(p, at, pcol, OBS_SECRET, NAN);
	else if (s[0] == 'n' && s[1] == 'd' && !s[2])
		indicators_published_set(p, at, pcol, OBS_MISSING, NAN);
	else if (text_parse_double(s, &v) && isfinite(v))
		indicators_published_set(p, at, pcol, OBS_FINAL, v);
	else
		return csvread_field_error(r, row, col, TERRAIN_EDATA, err,
					   "\"%s\" is not a value (expected a number, s for "
					   "statistical secret, nd for not available, or empty)",
					   s);
	return TERRAIN_OK;
}

static bool kind_allowed(const char *code, const char *const *kinds)
{
	for (size_t k = 0; k < 4 && kinds[k]; k++)
		if (!strncmp(code, kinds[k], strlen(kinds[k])))
			return true;
	return false;
}

/* A table "territory;[name;]ID;..." of values published for territories
 * whose typed codes start with one of kinds, sorted, each once. */
static enum status load_published(const struct bundle *b, const char *file, const char *period,
				  const char *const *kinds, struct indicators_published *p,
				  struct error *err)
{
	struct strbuf path = STRBUF_INIT, prev = STRBUF_INIT, expect = STRBUF_INIT;
	struct csvread_opts o;
	struct csvread *r = NULL;
	const struct csvrow *row;
	const struct provenance *prov;
	enum status st;
	csvread_opts_init(&o);
	o.comments = true;
	strbuf_addf(&path, "%s/%s", b->dir, file);
	for (size_t k = 0; k < 4 && kinds[k]; k++)
		strbuf_addf(&expect, "%s%s%s",
			    !k				? ""
			    : k + 1 < 4 && kinds[k + 1] ? ", "
							: " or ",
			    kinds[k], strchr(kinds[k], ':') ? "CODE" : "");
	if ((st = need_provenance(b, file, &prov, err)) ||
	    (st = csvread_open(&r, path.buf, &o, err)))
		goto out;
	const struct csvrow *h = csvread_header(r);
	if (h->n < 2 || strcmp(h->field[0], "territory")) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s:%lu:1: expected a header \"territory;ID;...\" (found \"%s\")",
			       path.buf, h->line, h->field[0]);
		goto out;
	}
	size_t first = strcmp(h->field[1], "name") ? 1 : 2;
	indicators_published_init(p, period, (const char *const *)h->field + first, h->n - first);
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *code = row->field[0];
		if (!kind_allowed(code, kinds)) {
			st = csvread_field_error(r, row, 0, TERRAIN_EDATA, err,
						 "\"%s\" is not a territory (expected %s)", code,
						 expect.buf);
			goto out;
		}
		if (prev.len && strcmp(prev.buf, code) >= 0) {
			st = csvread_field_error(r, row, 0, TERRAIN_EDATA, err,
						 "\"%s\" comes after \"%s\" (expected the rows "
						 "sorted by territory, each once)",
						 code, prev.buf);
			goto out;
		}
		strbuf_reset(&prev);
		strbuf_addstr(&prev, code);
		size_t at =
		    indicators_published_add_named(p, code, first == 2 ? row->field[1] : "");
		for (size_t k = first; k < row->n; k++)
			if ((st = published_cell(r, row, k, p, at, k - first, err)))
				goto out;
	}
	if (!st)
		log_info("%s: %zu territories, %zu observation ids (period %s)", file, p->nrow,
			 p->ncol, p->period);
out:
	csvread_free(r);
	strbuf_release(&path);
	strbuf_release(&prev);
	strbuf_release(&expect);
	return st;
}

static enum status load_filosofi(const struct bundle *b, struct indicators_published *p,
				 struct error *err)
{
	static const char *const kinds[4] = {"com:", "arm:", "epci:"};
	enum status st = load_published(b, FILOSOFI_FILE, FILOSOFI_PERIOD, kinds, p, err);
	size_t rate = st ? GEO_NONE : indicators_published_col(p, FILOSOFI_RATE);
	if (rate != GEO_NONE)
		p->base[rate] = indicators_published_col(p, FILOSOFI_BASE);
	return st;
}

/* Each commune's bassin de vie (geo/zonages.csv, whose zones
 * geodata_load_zonages checks), for the tables published by bassin de vie:
 * only two columns read, so that the indicators stay fast. */
static enum status load_parents(const struct bundle *b, struct indicators_published *p,
				struct error *err)
{
	static const char *const cols[] = {"code", "bv2022"};
	size_t c[NCOLS(cols)], alloc = 0;
	struct csvread *r;
	const struct csvrow *row;
	enum status st = open_csv(&r, b->dir, "geo/zonages.csv", cols, NCOLS(cols), c, err);
	if (st)
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *com = row->field[c[0]], *bv = row->field[c[1]];
		if (!*bv) /* its COG 2024 communes were in different bassins de vie */
			continue;
		if (strlen(com) >= sizeof(p->parent->commune) ||
		    (p->nparent && strcmp(p->parent[p->nparent - 1].commune, com) >= 0)) {
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "\"%s\" is not a commune code in order", com);
			break;
		}
		ALLOC_GROW(p->parent, p->nparent + 1, alloc);
		struct indicators_parent *q = &p->parent[p->nparent++];
		/* copies without snprintf: a row each of 35 000 */
		size_t n = strlen(bv);
		if (n > sizeof(q->up) - 4)
			n = sizeof(q->up) - 4; /* cut as snprintf would */
		memcpy(q->commune, com, strlen(com) + 1);
		memcpy(q->up, "bv:", 3);
		memcpy(q->up + 3, bv, n);
		q->up[3 + n] = '\0';
	}
	csvread_free(r);
	return st;
}

static enum status load_social(const struct bundle *b, struct indicators_published *social,
			       struct error *err)
{
	enum status st = TERRAIN_OK;
	for (size_t k = 0; k < NSOCIAL && !st; k++) {
		const struct social_table *t = &social_tables[k];
		struct indicators_published *p = &social[k];
		if ((st = load_published(b, t->file, t->period, t->kinds, p, err)))
			break;
		snprintf(p->level, sizeof(p->level), "%s", t->level);
		size_t base = indicators_published_col(p, AGE_BASE);
		for (size_t c = 0; c < p->ncol && base != GEO_NONE; c++)
			if (!strncmp(p->id[c], "estim.SHARE_", 12))
				p->base[c] = base;
		if (!strcmp(t->level, "bv"))
			st = load_parents(b, p, err);
		if (k + 1 < NSOCIAL)
			p->next = &social[k + 1];
	}
	return st;
}

enum status bundle_filosofi(const struct bundle *b, const struct indicators_published **out,
			    struct error *err)
{
	struct bundle_lazy *l = b->lazy;
	*out = NULL;
	if (!l->filosofi_tried) {
		l->filosofi_tried = true;
		l->filosofi_status = load_filosofi(b, &l->filosofi, &l->filosofi_err);
		if (!l->filosofi_status)
			l->filosofi_status = load_social(b, l->social, &l->filosofi_err);
		if (l->filosofi_status) {
			indicators_published_release(&l->filosofi);
			for (size_t k = 0; k < NSOCIAL; k++)
				indicators_published_release(&l->social[k]);
		} else
			l->filosofi.next = l->social;
	}
	if (l->filosofi_status)
		return error_set(err, l->filosofi_status, "%s", l->filosofi_err.msg);
	*out = &l->filosofi;
	return TERRAIN_OK;
}

#define QPV_FILE "social/qpv_2024.csv"

static enum status load_qpv(const struct bundle *b, struct qpv_list *q, struct error *err)
{
	static const char *const cols[] = {"qpv", "name", "commune"};
	size_t c[NCOLS(cols)];
	struct csvread *r = NULL;
	const struct csvrow *row;
	const struct provenance *prov;
	enum status st;
	if ((st = need_provenance(b, QPV_FILE, &prov, err)) ||
	    (st = open_csv(&r, b->dir, QPV_FILE, cols, NCOLS(cols), c, err)))
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *code = row->field[c[0]], *com = row->field[c[2]];
		if (strncmp(code, "QN", 2) || strlen(code) != 8) {
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "\"%s\" is not a QPV code (expected QN and 6 "
						 "characters, as QN03806M)",
						 code);
			break;
		}
		if (geo_commune_find(&b->geo, com) == GEO_NONE) {
			st = csvread_field_error(r, row, c[2], TERRAIN_EDATA, err,
						 "\"%s\" is not a commune of COG %d", com,
						 GEO_COG_LAST);
			break;
		}
		qpv_list_add(q, code, row->field[c[1]], com);
	}
	csvread_free(r);
	qpv_list_sort(q);
	return st;
}

enum status bundle_qpv(const struct bundle *b, const struct qpv_list **out, struct error *err)
{
	struct bundle_lazy *l = b->lazy;
	*out = NULL;
	if (!l->qpv_tried) {
		l->qpv_tried = true;
		l->qpv_status = load_qpv(b, &l->qpv, &l->qpv_err);
		if (l->qpv_status)
			qpv_list_release(&l->qpv);
	}
	if (l->qpv_status)
		return error_set(err, l->qpv_status, "%s", l->qpv_err.msg);
	*out = &l->qpv;
	return TERRAIN_OK;
}

#define RESPONSES_FILE "responses/responses.csv"

static enum status load_responses(struct bundle *b, struct error *err)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", b->dir, RESPONSES_FILE);
	enum status st = responses_load(path.buf, &b->responses, err);
	strbuf_release(&path);
	return st;
}

static enum status load_census(struct bundle *b, struct error *err)
{
	size_t c[NCOLS(census_cols)];
	struct csvread *r = NULL;
	const struct csvrow *row;
	const struct provenance *prov;
	struct comtable *t = &b->census;
	unsigned long *seen = NULL; /* line of each code's row, by geography index */
	size_t hint = (size_t)-1;   /* the last row's geography index */
	enum status st;
	long cog;
	if ((st = need_provenance(b, CENSUS_FILE, &prov, err)))
		goto out;
	if (!text_parse_long(prov->geography, 1943, 2100, &cog)) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s/sources.csv: geography \"%s\" of %s is not a COG year", b->dir,
			       prov->geography, CENSUS_FILE);
		goto out;
	}
	if ((st = open_csv(&r, b->dir, CENSUS_FILE, census_cols, NCOLS(census_cols), c, err)))
		goto out;
	comtable_init(t, &b->geo, census_cols + CENSUS_FIRST_VAR,
		      NCOLS(census_cols) - CENSUS_FIRST_VAR);
	t->prov = prov;
	t->cog = (int)cog;
	seen = xcalloc(b->geo.ncom ? b->geo.ncom : 1, sizeof(*seen));
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *code = row->field[c[0]];
		/* the rows come in the geography's order, mostly: the row
		 * after the last one found is tried before a search */
		size_t self = hint + 1 < b->geo.ncom && !strcmp(b->geo.com[hint + 1].code, code)
				  ? hint + 1
				  : geo_commune_find(&b->geo, code);
		bool merged = self != GEO_NONE && b->geo.com[self].kind == GEO_FORMER;
		size_t to = !merged ? self : b->geo.com[self].successor; /* geo_convert */
		if (self != GEO_NONE)
			hint = self;
		t->nsource++;
		if (to == GEO_NONE) {
			t->nunknown++;
			log_debug("%s:%lu: code \"%s\" unknown to the geography: row dropped",
				  csvread_name(r), row->line, code);
			continue;
		}
		/* a former code and its successor add up; one code twice is an error */
		if (seen[self]) {
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "code \"%s\" appears twice (first on line %lu; "
						 "expected one row per code)",
						 code, seen[self]);
			goto out;
		}
		seen[self] = row->line;
		if (merged) {
			t->nmerged++;
			log_debug("%s:%lu: %s (COG %d) counted in %s %s (COG %d)", csvread_name(r),
				  row->line, code, t->cog, b->geo.com[to].code, b->geo.com[to].name,
				  GEO_COG_LAST);
		}
		for (size_t k = 0; k < t->nvar; k++) {
			size_t col = c[CENSUS_FIRST_VAR + k];
			double v;
			if (!row->len[col])
				continue; /* missing stays missing */
			if ((st = census_value(r, row, col, k, &v, err)))
				goto out;
			comtable_add(t, to, k, v);
		}
	}
	if (st)
		goto out;
	comtable_rollup_arm(t, &b->geo);
	log_info("census (COG %d): %zu rows, %zu of former communes summed into their "
		 "COG %d commune, %zu with an unknown code dropped",
		 t->cog, t->nsource, t->nmerged, GEO_COG_LAST, t->nunknown);
	if (t->nunknown)
		log_warn("%s: %zu rows have a code the geography does not know (run with "
			 "-vv to list them)",
			 CENSUS_FILE, t->nunknown);
out:
	free(seen);
	csvread_free(r);
	return st;
}

enum status bundle_load(struct bundle *b, const char *dir, struct error *err)
{
	enum status st;
	memset(b, 0, sizeof(*b));
	b->dir = xstrdup(dir);
	b->lazy = xcalloc(1, sizeof(*b->lazy));
	geo_init(&b->geo);
	if ((st = load_sources(b, err)) || (st = geodata_load(&b->geo, dir, err))) {
		bundle_release(b);
		return st;
	}
	/* read on first need: zone territories and a commune's zone d'emploi */
	geo_zonages_attach(&b->geo, geodata_zonages_loader, b->dir);
	const struct provenance *p;
	if ((st = need_provenance(b, "geo/communes.csv", &p, err)) || (st = load_census(b, err)) ||
	    (st = load_series(b, err)) || (st = load_responses(b, err))) {
		bundle_release(b);
		return st;
	}
	convert_cog_populations(b);
	b->pop_cog.prov = p;
	return TERRAIN_OK;
}

void bundle_release(struct bundle *b)
{
	for (size_t i = 0; i < b->nprov; i++)
		provenance_release(&b->prov[i]);
	free(b->prov);
	geo_release(&b->geo);
	comtable_release(&b->pop_cog);
	comtable_release(&b->census);
	obs_list_release(&b->series);
	responses_release(&b->responses);
	if (b->lazy)
		indicators_published_release(&b->lazy->filosofi);
	for (size_t k = 0; b->lazy && k < NSOCIAL; k++)
		indicators_published_release(&b->lazy->social[k]);
	if (b->lazy)
		qpv_list_release(&b->lazy->qpv);
	free(b->lazy);
	free(b->dir);
	memset(b, 0, sizeof(*b));
}

static bool has_datasets(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/geo/communes.csv", dir);
	bool ok = fileio_exists(p.buf);
	strbuf_release(&p);
	return ok;
}

enum status bundle_find_dir(const char *explicit_dir, char **out, struct error *err)
{
	struct strbuf tried = STRBUF_INIT;
	enum status st = TERRAIN_OK;
	*out = NULL;
	if (explicit_dir) {
		if (has_datasets(explicit_dir)) {
			*out = xstrdup(explicit_dir);
			goto out;
		}
		st = error_set(err, TERRAIN_EUSAGE,
			       "--datadir \"%s\" holds no datasets (expected geo/communes.csv "
			       "in it)",
			       explicit_dir);
		goto out;
	}
	const char *env = getenv("TERRAIN_DATADIR");
	if (env && *env) {
		if (has_datasets(env)) {
			*out = xstrdup(env);
			goto out;
		}
		st = error_set(err, TERRAIN_EUSAGE,
			       "TERRAIN_DATADIR \"%s\" holds no datasets (expected "
			       "geo/communes.csv in it)",
			       env);
		goto out;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const rel[] = {"datasets", "../datasets",
						  "../share/terrain/datasets"};
		for (size_t i = 0; i < NCOLS(rel); i++) {
			struct strbuf cand = STRBUF_INIT;
			strbuf_addf(&cand, "%s/%s", exe, rel[i]);
			if (has_datasets(cand.buf)) {
				*out = strbuf_detach(&cand);
				goto out;
			}
			strbuf_addf(&tried, "%s%s", tried.len ? ", " : "", cand.buf);
			strbuf_release(&cand);
		}
	}
	st = error_set(err, TERRAIN_EDATA,
		       "cannot find the datasets (looked in %s); set TERRAIN_DATADIR or "
		       "use --datadir",
		       tried.len ? tried.buf : "no folder: the executable's path is unknown");
out:
	strbuf_release(&tried);
	return st;
}
