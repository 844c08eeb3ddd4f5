#include "indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/xalloc.h"

/* INSEE surveys about 40 % of the dwellings of communes of 10 000
 * inhabitants or more over five years; smaller communes are counted
 * whole.  A territory with any such commune takes 0.4 (conservative for a
 * mixed aggregate). */
#define LARGE_COMMUNE  10000
#define LARGE_FRACTION 0.4

const char *indicators_flag_name(unsigned flag)
{
	switch (flag) {
	case INDICATOR_SMALL:
		return "small count";
	case INDICATOR_LOW_COVERAGE:
		return "low coverage";
	case INDICATOR_PROVISIONAL:
		return "provisional";
	case INDICATOR_ROUNDED:
		return "rounded";
	default:
		return "";
	}
}

static unsigned flags_of(const struct indicator_value *v, unsigned status_bits)
{
	unsigned fl = 0;
	if (isnan(v->value))
		return 0;
	if (v->def->kind == INDICATOR_RATIO && (v->num < 20 || (v->f < 1 && v->num < 200)))
		fl |= INDICATOR_SMALL;
	if (v->units && (double)v->covered < 0.95 * (double)v->units)
		fl |= INDICATOR_LOW_COVERAGE;
	if (v->status == OBS_PROVISIONAL || (status_bits & (1u << OBS_PROVISIONAL)))
		fl |= INDICATOR_PROVISIONAL;
	if (status_bits & (1u << OBS_ROUNDED))
		fl |= INDICATOR_ROUNDED;
	return fl;
}

/* "2026-Q1", "2024-12" or "2021" as years (2026.0); quarters are a
 * quarter of a year apart, months a twelfth. */
static bool period_years(const char *p, double *out)
{
	int y, q;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4) {
		*out = y + (q - 1) / 4.0;
		return true;
	}
	if (sscanf(p, "%4d-%2d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 12) {
		*out = y + (q - 1) / 12.0;
		return true;
	}
	if (strlen(p) == 4 && sscanf(p, "%4d%c", &y, &tail) == 1) {
		*out = y;
		return true;
	}
	return false;
}

/* ---- the store's observations ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The commune row of a "com:" or "arm:" territory, GEO_NONE for another
 * type; *unknown when it is one but the geography does not know it. */
static size_t commune_of(const struct geo *g, const char *territory, bool *merged, bool *unknown)
{
	*merged = *unknown = false;
	if (strncmp(territory, "com:", 4) && strncmp(territory, "arm:", 4))
		return GEO_NONE;
	size_t i = geo_convert(g, territory + 4, merged);
	*unknown = i == GEO_NONE;
	return i;
}

/* Is id one c defines as a published rate? */
static bool is_rate(const struct catalogue *c, const char *id)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (c->v[i].kind == INDICATOR_RATE && !strcmp(c->v[i].numerator, id))
			return true;
	return false;
}

static void note_conversion(struct indicators_stored *s, const struct geo *g,
			    const struct observation *o, size_t to, bool left_out)
{
	for (size_t k = 0; k < s->nconv; k++)
		if (!strcmp(s->conv[k].from, o->territory) && !strcmp(s->conv[k].cog, o->cog) &&
		    s->conv[k].left_out == left_out) {
			s->conv[k].nobs++;
			return;
		}
	ALLOC_GROW(s->conv, s->nconv + 1, s->alloc_conv);
	struct indicators_conversion *c = &s->conv[s->nconv++];
	memset(c, 0, sizeof(*c));
	snprintf(c->from, sizeof(c->from), "%s", o->territory);
	snprintf(c->cog, sizeof(c->cog), "%s", o->cog);
	c->left_out = left_out;
	if (to != GEO_NONE)
		snprintf(c->to, sizeof(c->to), "%s:%s", g->com[to].kind == GEO_ARM ? "arm" : "com",
			 g->com[to].code);
	c->nobs = 1;
}

static size_t find_col(const struct indicators_stored *s, const char *key)
{
	char *const *hit = bsearch(&key, s->col, s->ncol, sizeof(*s->col), cmp_str);
	return hit ? (size_t)(hit - s->col) : GEO_NONE;
}

static void keep_latest(char *dst, const char *when)
{
	if (when && strcmp(when, dst) > 0)
		snprintf(dst, INDICATORS_RETRIEVED_MAX, "%s", when);
}

/* A direct observation against an indicator id and a territory (NULL:
 * any): the order direct_range searches. */
static int cmp_key(const struct observation *o, const char *id, const char *territory)
{
	int c = strcmp(o->indicator, id);
	return c || !territory ? c : strcmp(o->territory, territory);
}

struct direct_pair {
	struct observation o;
	char retrieved[INDICATORS_RETRIEVED_MAX];
};

static int cmp_direct(const void *a, const void *b)
{
	const struct observation *x = &((const struct direct_pair *)a)->o,
				 *y = &((const struct direct_pair *)b)->o;
	int c = cmp_key(x, y->indicator, y->territory);
	return c ? c : strcmp(x->period, y->period);
}

/* Order the direct observations by indicator, territory and period (their
 * retrieval times with them), for direct_range's binary search: a refresh
 * of a région looks them up for every territory and indicator. */
static void sort_direct(struct indicators_stored *s)
{
	size_t n = s->direct.n;
	if (n < 2)
		return;
	struct direct_pair *p = xmalloc(n * sizeof(*p));
	for (size_t i = 0; i < n; i++) {
		p[i].o = s->direct.v[i];
		memcpy(p[i].retrieved, s->direct_retrieved[i], sizeof(p[i].retrieved));
	}
	qsort(p, n, sizeof(*p), cmp_direct);
	for (size_t i = 0; i < n; i++) {
		s->direct.v[i] = p[i].o;
		memcpy(s->direct_retrieved[i], p[i].retrieved, sizeof(p[i].retrieved));
	}
	free(p);
}

void indicators_stored_build(const struct geo *g, const struct obs_list *obs,
			     const char *const *retrieved, const struct catalogue *cat,
			     struct indicators_stored *out)
{
	memset(out, 0, sizeof(*out));
	out->nobs = obs->n;
	out->slot = xmalloc((g->ncom ? g->ncom : 1) * sizeof(*out->slot));
	for (size_t i = 0; i < g->ncom; i++)
		out->slot[i] = GEO_NONE;

	/* the columns, the rows, and the other territories */
	size_t *row_of = xmalloc((obs->n ? obs->n : 1) * sizeof(*row_of));
	char **keys = xmalloc((obs->n ? obs->n : 1) * sizeof(*keys));
	size_t nkeys = 0, dalloc = 0;
	for (size_t i = 0; i < obs->n; i++) {
		const struct observation *o = &obs->v[i];
		bool merged, unknown;
		size_t r = commune_of(g, o->territory, &merged, &unknown);
		bool rate = merged && is_rate(cat, o->indicator);
		row_of[i] = rate ? GEO_NONE : r;
		if (unknown || merged)
			note_conversion(out, g, o, r, rate);
		if (unknown || rate) {
			out->nunknown += unknown;
			out->nrate += rate;
			continue;
		}
		if (r == GEO_NONE) {
			*obs_list_push(&out->direct) = *o;
			ALLOC_GROW(out->direct_retrieved, out->direct.n, dalloc);
			out->direct_retrieved[out->direct.n - 1][0] = '\0';
			keep_latest(out->direct_retrieved[out->direct.n - 1],
				    retrieved ? retrieved[i] : NULL);
			continue;
		}
		out->nmerged += merged;
		size_t len = strlen(o->indicator) + strlen(o->period) + 2;
		keys[nkeys] = xmalloc(len);
		snprintf(keys[nkeys++], len, "%s@%s", o->indicator, o->period);
		size_t city = g->com[r].kind == GEO_ARM ? g->com[r].city : GEO_NONE;
		if (out->slot[r] == GEO_NONE)
			out->slot[r] = out->nrow++;
		if (city != GEO_NONE && out->slot[city] == GEO_NONE)
			out->slot[city] = out->nrow++;
	}
	sort_direct(out);
	qsort(keys, nkeys, sizeof(*keys), cmp_str);
	for (size_t i = 0; i < nkeys; i++) { /* unique, in place */
		if (out->ncol && !strcmp(keys[i], keys[out->ncol - 1])) {
			free(keys[i]);
			continue;
		}
		keys[out->ncol++] = keys[i];
	}
	out->col = keys;

	size_t cells = out->nrow * out->ncol;
	out->v = xmalloc((cells ? cells : 1) * sizeof(*out->v));
	out->state = xcalloc(cells ? cells : 1, 1);
	out->col_status = xcalloc(out->ncol ? out->ncol : 1, sizeof(*out->col_status));
	out->col_retrieved = xcalloc(out->ncol ? out->ncol : 1, sizeof(*out->col_retrieved));
	for (size_t k = 0; k < cells; k++)
		out->v[k] = NAN;

	struct strbuf key = STRBUF_INIT;
	for (size_t i = 0; i < obs->n; i++) {
		const struct observation *o = &obs->v[i];
		if (row_of[i] == GEO_NONE)
			continue;
		strbuf_reset(&key);
		strbuf_addf(&key, "%s@%s", o->indicator, o->period);
		size_t c = find_col(out, key.buf);
		size_t cell = out->slot[row_of[i]] * out->ncol + c;
		out->col_status[c] |= 1u << o->status;
		keep_latest(out->col_retrieved[c], retrieved ? retrieved[i] : NULL);
		/* a former commune whose value is secret makes the sum unknown */
		if (isnan(o->value) || out->state[cell] == 2) {
			out->state[cell] = 2;
			out->v[cell] = NAN;
		} else {
			out->v[cell] = out->state[cell] ? out->v[cell] + o->value : o->value;
			out->state[cell] = 1;
		}
	}
	strbuf_release(&key);
	free(row_of);

	/* a city without a value of its own: the sum of its arrondissements
	 * when every one has a value (not for a rate) */
	bool *rate_col = xcalloc(out->ncol ? out->ncol : 1, sizeof(*rate_col));
	for (size_t c = 0; c < out->ncol; c++) {
		char *at = strrchr(out->col[c], '@');
		*at = '\0';
		rate_col[c] = is_rate(cat, out->col[c]);
		*at = '@';
	}
	for (size_t i = 0; i < g->ncom; i++) {
		if (g->com[i].kind != GEO_ARM || g->com[i].city == GEO_NONE)
			continue;
		size_t city = g->com[i].city, cr = out->slot[city], ar = out->slot[i];
		if (cr == GEO_NONE)
			continue;
		for (size_t c = 0; c < out->ncol; c++) {
			if (rate_col[c])
				continue;
			unsigned char *cs = &out->state[cr * out->ncol + c];
			if (*cs == 1 || *cs == 2)
				continue; /* its own value, or a missing arrondissement */
			double x = ar == GEO_NONE ? NAN : out->v[ar * out->ncol + c];
			bool ok = ar != GEO_NONE && out->state[ar * out->ncol + c] == 1;
			/* 3: summing arrondissements, 4: one is missing */
			if (!ok)
				*cs = 4;
			else if (*cs != 4) {
				out->v[cr * out->ncol + c] =
				    *cs == 3 ? out->v[cr * out->ncol + c] + x : x;
				*cs = 3;
			}
		}
	}
	free(rate_col);
	for (size_t k = 0; k < cells; k++) {
		if (out->state[k] == 3)
			out->state[k] = 1;
		else if (out->state[k] == 4) {
			out->state[k] = 0;
			out->v[k] = NAN;
		}
	}
}

void indicators_stored_release(struct indicators_stored *s)
{
	for (size_t i = 0; i < s->ncol; i++)
		free(s->col[i]);
	free(s->col);
	free(s->slot);
	free(s->v);
	free(s->state);
	free(s->col_status);
	free(s->col_retrieved);
	obs_list_release(&s->direct);
	free(s->direct_retrieved);
	free(s->conv);
	memset(s, 0, sizeof(*s));
}

/* The block of columns "ID@..." of id: [*first, *first + return). */
static size_t stored_block(const struct indicators_stored *s, const char *id, size_t *first)
{
	size_t len = strlen(id), lo = 0, hi = s->ncol;
	while (lo < hi) { /* the first column not below "ID@" */
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(s->col[mid], id, len);
		if (c < 0 || (c == 0 && s->col[mid][len] < '@'))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t n = 0;
	while (lo + n < s->ncol && !strncmp(s->col[lo + n], id, len) && s->col[lo + n][len] == '@')
		n++;
	return n;
}

static double stored_cell(const struct indicators_stored *s, size_t row, size_t col)
{
	size_t r = s->slot[row];
	if (r == GEO_NONE || s->state[r * s->ncol + col] != 1)
		return NAN;
	return s->v[r * s->ncol + col];
}

/* ---- values published for territories, bundled ---- */

void indicators_published_init(struct indicators_published *p, const char *period,
			       const char *const *ids, size_t ncol)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->period, sizeof(p->period), "%s", period);
	p->ncol = ncol;
	p->id = xcalloc(ncol ? ncol : 1, sizeof(*p->id));
	p->base = xcalloc(ncol ? ncol : 1, sizeof(*p->base));
	for (size_t k = 0; k < ncol; k++) {
		p->id[k] = xstrdup(ids[k]);
		p->base[k] = GEO_NONE;
	}
}

/* The name of a row without one: shared, never freed (a table of 36 000
 * rows makes no 36 000 empty strings). */
static char no_name[1];

/* A row for territory (copied, cut as snprintf would cut it) named name
 * (owned, or no_name). */
static size_t add_row(struct indicators_published *p, const char *territory, char *name)
{
	if (p->nrow == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 1024;
		p->territory = xrealloc(p->territory, p->alloc * sizeof(*p->territory));
		p->name = xrealloc(p->name, p->alloc * sizeof(*p->name));
		p->v = xrealloc(p->v, p->alloc * (p->ncol ? p->ncol : 1) * sizeof(*p->v));
		p->status = xrealloc(p->status, p->alloc * (p->ncol ? p->ncol : 1));
	}
	size_t r = p->nrow++;
	size_t n = strlen(territory);
	if (n >= sizeof(p->territory[r]))
		n = sizeof(p->territory[r]) - 1;
	memcpy(p->territory[r], territory, n);
	p->territory[r][n] = '\0';
	p->name[r] = name;
	for (size_t k = 0; k < p->ncol; k++) {
		p->v[r * p->ncol + k] = NAN;
		p->status[r * p->ncol + k] = INDICATORS_ABSENT;
	}
	return r;
}

size_t indicators_published_add_row(struct indicators_published *p, const char *territory)
{
	return add_row(p, territory, no_name);
}

size_t indicators_published_add_named(struct indicators_published *p, const char *territory,
				      const char *name)
{
	return add_row(p, territory, *name ? xstrdup(name) : no_name);
}

void indicators_published_set(struct indicators_published *p, size_t row, size_t col,
			      enum obs_status status, double value)
{
	p->status[row * p->ncol + col] = (unsigned char)status;
	p->v[row * p->ncol + col] = status == OBS_FINAL ? value : NAN;
}

size_t indicators_published_col(const struct indicators_published *p, const char *id)
{
	for (size_t k = 0; k < p->ncol; k++)
		if (!strcmp(p->id[k], id))
			return k;
	return GEO_NONE;
}

static size_t published_row(const struct indicators_published *p, const char *territory)
{
	size_t lo = 0, hi = p->nrow;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->territory[mid], territory);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return GEO_NONE;
}

int indicators_published_get(const struct indicators_published *p, const char *territory,
			     size_t col, double *value)
{
	size_t r = published_row(p, territory);
	*value = NAN;
	if (r == GEO_NONE || col >= p->ncol)
		return INDICATORS_ABSENT;
	*value = p->v[r * p->ncol + col];
	return p->status[r * p->ncol + col];
}

void indicators_published_release(struct indicators_published *p)
{
	for (size_t k = 0; k < p->ncol; k++)
		free(p->id[k]);
	free(p->id);
	free(p->base);
	for (size_t r = 0; r < p->nrow; r++)
		if (p->name[r] != no_name)
			free(p->name[r]);
	free(p->name);
	free(p->parent);
	free(p->territory);
	free(p->v);
	free(p->status);
	memset(p, 0, sizeof(*p));
}

/* ---- one part (numerator or denominator) of an indicator ---- */

#define PART_MAX CATALOGUE_MAX_TERMS /* ids summed with '+' */

enum comp_kind {
	COMP_TABLE,  /* a bundled commune table's column */
	COMP_STORED, /* a column of the store's commune values */
	COMP_DIRECT, /* the store's value for the territory itself */
};

struct part {
	size_t n;
	struct comp {
		enum comp_kind kind;
		const struct comtable *tab;
		size_t col;		       /* COMP_TABLE: variable; COMP_STORED: first column */
		size_t ncol;		       /* COMP_STORED: the id's columns, by period */
		const struct observation *obs; /* COMP_DIRECT: latest */
		const char *retrieved;
	} c[PART_MAX];
	bool direct;   /* every component is COMP_DIRECT */
	bool census;   /* a component comes from the census (sampled) */
	bool series;   /* a single stored component: it has periods */
	unsigned bits; /* statuses seen */
};

/* The direct observations of id (and of territory, unless NULL): the
 * list is sorted by indicator, territory and period, so they are the
 * range [*first, *first + return). */
static size_t list_range(const struct obs_list *l, const char *id, const char *territory,
			 size_t *first)
{
	size_t lo = 0, hi = l ? l->n : 0;
	while (lo < hi) { /* the first not below the key */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key(&l->v[mid], id, territory) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t n = 0;
	while (l && lo + n < l->n && cmp_key(&l->v[lo + n], id, territory) == 0)
		n++;
	return n;
}

static size_t direct_range(const struct indicators_stored *s, const char *id, const char *territory,
			   size_t *first)
{
	return list_range(&s->direct, id, territory, first);
}

/* The latest value the store has for territory and id among its direct
 * observations; NULL when none. */
static const struct observation *direct_latest(const struct indicators_stored *s,
					       const char *territory, const char *id,
					       const char **retrieved)
{
	size_t first, n = direct_range(s, id, territory, &first);
	if (!n)
		return NULL;
	*retrieved = s->direct_retrieved[first + n - 1];
	return &s->direct.v[first + n - 1]; /* the periods sort as text: the latest last */
}

static bool stored_anywhere(const struct indicators_stored *s, const char *id)
{
	size_t first;
	return stored_block(s, id, &first) || direct_range(s, id, NULL, &first);
}

static bool part_resolve(const struct indicators_input *in, const char *ids,
			 const struct territory *t, struct part *p, const char **why)
{
	memset(p, 0, sizeof(*p));
	bool all_direct = true;
	const char *s = ids;
	while (*s) {
		const char *end = strchr(s, '+');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char id[OBS_INDICATOR_MAX];
		if (len >= sizeof(id) || p->n == PART_MAX) {
			*why = "the catalogue's definition is too long";
			return false;
		}
		memcpy(id, s, len);
		id[len] = '\0';
		s += len + (end ? 1 : 0);
		struct comp *c = &p->c[p->n++];
		const struct comtable *tab = NULL;
		if (!strcmp(id, "none")) {
			*why = "no source terrain reads publishes it yet: see the note";
			return false;
		}
		if (!strncmp(id, "census.", 7))
			tab = in->census, p->census = true;
		else if (!strncmp(id, "cog.", 4))
			tab = in->pop_cog;
		if (tab || !strncmp(id, "census.", 7) || !strncmp(id, "cog.", 4)) {
			size_t v = tab ? comtable_var(tab, strchr(id, '.') + 1) : (size_t)-1;
			if (v == (size_t)-1) {
				*why = "not in the bundled data";
				return false;
			}
			*c = (struct comp){.kind = COMP_TABLE, .tab = tab, .col = v};
			all_direct = false;
			continue;
		}
		const struct indicators_stored *st = in->stored;
		if (!st) {
			*why = "needs terrain fetch: no store yet";
			return false;
		}
		const char *when = NULL;
		const struct observation *o = direct_latest(st, t->code, id, &when);
		size_t first, n = stored_block(st, id, &first);
		if (o) {
			*c = (struct comp){.kind = COMP_DIRECT, .obs = o, .retrieved = when};
			p->bits |= 1u << o->status;
		} else if (n) {
			*c = (struct comp){.kind = COMP_STORED,
					   .col = first,
					   .ncol = n,
					   .retrieved = st->col_retrieved[first + n - 1]};
			p->bits |= st->col_status[first + n - 1];
			all_direct = false;
		} else {
			*why = stored_anywhere(st, id) ? "the store has no value for this territory"
						       : "not in the store: run terrain fetch";
			return false;
		}
	}
	if (!p->n) {
		*why = "the catalogue gives no observation id";
		return false;
	}
	p->direct = all_direct;
	if (!all_direct)
		for (size_t k = 0; k < p->n; k++)
			if (p->c[k].kind == COMP_DIRECT) {
				/* a sum of a published total and commune values would mix
				 * levels: take every component from the communes */
				size_t first,
				    n = stored_block(in->stored, p->c[k].obs->indicator, &first);
				if (!n) {
					*why = "the store has no value for this territory";
					return false;
				}
				p->c[k] = (struct comp){
				    .kind = COMP_STORED,
				    .col = first,
				    .ncol = n,
				    .retrieved = in->stored->col_retrieved[first + n - 1]};
			}
	p->series = p->n == 1 && p->c[0].kind != COMP_TABLE;
	return true;
}

/* The part's value for commune row u at period offset back (0: latest); NAN
 * when a component is missing. */
static double part_unit(const struct indicators_input *in, const struct part *p, size_t u,
			size_t back)
{
	double x = 0;
	for (size_t k = 0; k < p->n; k++) {
		const struct comp *c = &p->c[k];
		double y;
		if (c->kind == COMP_TABLE)
			y = comtable_get(c->tab, u, c->col);
		else if (back < c->ncol)
			y = stored_cell(in->stored, u, c->col + c->ncol - 1 - back);
		else
			y = NAN;
		if (isnan(y))
			return NAN;
		x += y;
	}
	return x;
}

static double part_direct(const struct part *p)
{
	double x = 0;
	for (size_t k = 0; k < p->n; k++)
		x += p->c[k].obs->value;
	return x;
}

static void part_period(const struct indicators_input *in, const struct part *p, char *dst,
			size_t cap)
{
	const struct comp *c = &p->c[0];
	if (c->kind == COMP_DIRECT)
		snprintf(dst, cap, "%s", c->obs->period);
	else if (c->kind == COMP_STORED)
		snprintf(dst, cap, "%s", strchr(in->stored->col[c->col + c->ncol - 1], '@') + 1);
}

static const char *const age_bands[INDICATORS_AGE_BANDS][2] = {
    {"a00_04", "0-4"},	 {"a05_09", "5-9"},   {"a10_14", "10-14"}, {"a15_19", "15-19"},
    {"a20_24", "20-24"}, {"a25_29", "25-29"}, {"a30_34", "30-34"}, {"a35_39", "35-39"},
    {"a40_44", "40-44"}, {"a45_49", "45-49"}, {"a50_54", "50-54"}, {"a55_59", "55-59"},
    {"a60_64", "60-64"}, {"a65_69", "65-69"}, {"a70_74", "70-74"}, {"a75_79", "75-79"},
    {"a80_84", "80-84"}, {"a85_89", "85-89"}, {"a90_94", "90-94"}, {"a95p", "95+"}};

const char *indicators_age_band(size_t k)
{
	return k < INDICATORS_AGE_BANDS ? age_bands[k][1] : "";
}

bool indicators_pyramid(const struct indicators_published *p, const char *territory,
			struct indicators_pyramid *out)
{
	memset(out, 0, sizeof(*out));
	for (; p; p = p->next) {
		if (indicators_published_col(p, "estim.M.a00_04") == GEO_NONE)
			continue;
		for (size_t k = 0; k < INDICATORS_AGE_BANDS; k++) {
			char id[32];
			snprintf(id, sizeof(id), "estim.M.%s", age_bands[k][0]);
			size_t m = indicators_published_col(p, id);
			id[6] = 'F';
			size_t f = indicators_published_col(p, id);
			if (indicators_published_get(p, territory, m, &out->men[k]) != OBS_FINAL ||
			    indicators_published_get(p, territory, f, &out->women[k]) != OBS_FINAL)
				return false;
		}
		snprintf(out->period, sizeof(out->period), "%s", p->period);
		return true;
	}
	return false;
}

/* ---- published series ---- */

struct point {
	double t, y;
	const struct observation *o; /* NULL: a column of the commune table, or bundled */
	bool stored;
	bool bundled; /* in->published's cell of the territory, column col */
	size_t col;
};

static int cmp_point(const void *a, const void *b)
{
	const struct point *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (int)x->stored - (int)y->stored; /* the store's value last: it wins */
}

static void add_points(const struct obs_list *l, const char *id, const struct territory *t,
		       bool stored, struct point **pts, size_t *n, size_t *alloc, size_t *elsewhere)
{
	for (size_t i = 0; l && i < l->n; i++) {
		const struct observation *o = &l->v[i];
		if (strcmp(o->indicator, id))
			continue;
		if (strcmp(o->territory, t->code)) {
			(*elsewhere)++;
			continue;
		}
		double when;
		if (isnan(o->value) || !period_years(o->period, &when))
			continue;
		ALLOC_GROW(*pts, *n + 1, *alloc);
		(*pts)[(*n)++] = (struct point){when, o->value, o, stored, false, 0};
	}
}

/* Fit the trend of n points sorted by time, one per period (the last of
 * equal times wins). */
static void fit(struct point *pts, size_t n, double scale, struct indicator_value *out)
{
	size_t m = 0;
	for (size_t k = 0; k < n; k++) {
		if (m && pts[m - 1].t == pts[k].t)
			m--;
		pts[m++] = pts[k];
	}
	if (m < TREND_MIN_POINTS)
		return;
	double *tt = xcalloc(m, sizeof(double)), *yy = xcalloc(m, sizeof(double));
	for (size_t k = 0; k < m; k++) {
		tt[k] = pts[k].t;
		yy[k] = pts[k].y * scale;
	}
	out->has_trend = trend_fit(tt, yy, m, 0.95, &out->trend, NULL) == TERRAIN_OK;
	free(tt);
	free(yy);
}

/* Why a territory has no bundled value of an id the bundle carries for
 * others: a median or a rate is never computed from communes.  Melodi
 * serves terrain fetch's ids for départements, régions and France. */
static const char *not_bundled(const struct territory *t, const char *id)
{
	switch (t->type) {
	case TERRITORY_CUSTOM:
		return "not published for this territory";
	case TERRITORY_DEP:
	case TERRITORY_REG:
	case TERRITORY_FR:
		if (!strncmp(id, "melodi.", 7))
			return "not in the bundled data: terrain fetch gets it";
		return "not in the bundled data";
	default:
		return "not in the bundled data";
	}
}

/* A bundled rate in % with the count it is a share of (the persons of
 * fiscal households for a poverty rate): num and den, so that its gap to a
 * reference is tested as a census rate's is (gap.h). */
static void published_base(const struct indicators_published *pub, const struct territory *t,
			   size_t col, struct indicator_value *out)
{
	double den;
	if (pub->base[col] == GEO_NONE || strcmp(out->def->unit, "%") ||
	    indicators_published_get(pub, t->code, pub->base[col], &den) != OBS_FINAL || !(den > 0))
		return;
	out->den = den;
	out->num = out->value / 100 * den;
}

/* The typed code of the territory of pub's level that commune or
 * arrondissement t belongs to ("epci:200040715", "bv:38185"), or NULL. */
static const char *level_above(const struct geo *g, const struct indicators_published *pub,
			       const struct territory *t)
{
	static _Thread_local char code[OBS_TERRITORY_MAX];
	if (!*pub->level || (t->type != TERRITORY_COM && t->type != TERRITORY_ARM) ||
	    t->index >= g->ncom)
		return NULL;
	const struct geo_commune *c = &g->com[t->index];
	if (c->kind == GEO_ARM && c->city != GEO_NONE)
		c = &g->com[c->city]; /* a city's arrondissement: the city's zones */
	if (!strcmp(pub->level, "epci")) {
		if (c->epci == GEO_NONE)
			return NULL;
		snprintf(code, sizeof(code), "epci:%s", g->epci[c->epci].code);
		return code;
	}
	size_t lo = 0, hi = pub->nparent;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(pub->parent[mid].commune, c->code);
		if (!d)
			return pub->parent[mid].up;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void published(const struct indicators_input *in, const struct territory *t,
		      struct indicator_value *out)
{
	const char *id = out->def->numerator;
	struct point *pts = NULL;
	size_t n = 0, alloc = 0, elsewhere = 0;
	/* the bundled series, ordered as the store's direct observations: a
	 * range, not a scan of every series for every territory */
	size_t sat, sm = list_range(in->series, id, t->code, &sat), sall;
	struct obs_list sview = {in->series ? in->series->v + sat : NULL, sm, sm};
	add_points(&sview, id, t, false, &pts, &n, &alloc, &elsewhere);
	if (list_range(in->series, id, NULL, &sall) > sm)
		elsewhere++;
	if (in->stored) {
		size_t at, m = direct_range(in->stored, id, t->code, &at), all;
		struct obs_list view = {in->stored->direct.v + at, m, m};
		add_points(&view, id, t, true, &pts, &n, &alloc, &elsewhere);
		if (direct_range(in->stored, id, NULL, &all) > m)
			elsewhere++;
	}
	/* the bundled value the source publishes for the territory itself,
	 * or for the level above it that the source publishes for */
	const struct indicators_published *pub = in->published;
	size_t pcol = GEO_NONE;
	for (; pub && (pcol = indicators_published_col(pub, id)) == GEO_NONE; pub = pub->next)
		;
	int pstatus = INDICATORS_ABSENT;
	if (pcol != GEO_NONE) {
		double y, when;
		const char *code = t->code;
		pstatus = indicators_published_get(pub, code, pcol, &y);
		if (pstatus == INDICATORS_ABSENT && (code = level_above(in->geo, pub, t))) {
			pstatus = indicators_published_get(pub, code, pcol, &y);
			if (pstatus != INDICATORS_ABSENT) {
				snprintf(out->at, sizeof(out->at), "%s", code);
				out->at_name = pub->name[published_row(pub, code)];
				/* a bassin de vie bears its chef-lieu's code and name */
				size_t cl = strncmp(code, "bv:", 3)
						? GEO_NONE
						: geo_commune_find(in->geo, code + 3);
				out->at_tncc = cl != GEO_NONE ? in->geo->com[cl].tncc : -1;
			}
		}
		if (pstatus == OBS_FINAL && period_years(pub->period, &when)) {
			ALLOC_GROW(pts, n + 1, alloc);
			pts[n++] = (struct point){when, y, NULL, false, true, pcol};
		}
	}
	size_t first, ncol = in->stored ? stored_block(in->stored, id, &first) : 0;
	bool own_row = t->type == TERRITORY_COM || t->type == TERRITORY_ARM;
	for (size_t k = 0; k < ncol; k++) {
		/* a commune's own published value, one column per period */
		double y = own_row ? stored_cell(in->stored, t->index, first + k) : NAN, when;
		const char *period = strchr(in->stored->col[first + k], '@') + 1;
		elsewhere++;
		if (isnan(y) || !period_years(period, &when))
			continue;
		ALLOC_GROW(pts, n + 1, alloc);
		pts[n++] = (struct point){when, y, NULL, true, false, first + k};
	}
	if (!n) {
		if (pstatus == OBS_SECRET)
			out->why = "statistical secrecy";
		else if (pstatus == OBS_MISSING)
			out->why = "not available in the source";
		else if (pcol != GEO_NONE && *pub->level)
			out->why = !strcmp(pub->level, "bv") ? "published for living areas only"
							     : "published for EPCI only";
		else if (pcol != GEO_NONE)
			out->why = not_bundled(t, id);
		else
			out->why = elsewhere	? "not published for this territory"
				   : in->stored ? "not in the store: run terrain fetch"
						: "needs terrain fetch: no store yet";
		free(pts);
		return;
	}
	qsort(pts, n, sizeof(*pts), cmp_point);
	const struct point *p = &pts[n - 1];
	out->value = p->y * out->def->scale;
	out->direct = !*out->at; /* another level's value is not the territory's */
	if (p->bundled) {
		out->status = OBS_FINAL;
		snprintf(out->period, sizeof(out->period), "%s", pub->period);
		published_base(pub, t, p->col, out);
	} else if (p->o) {
		out->status = p->o->status;
		snprintf(out->period, sizeof(out->period), "%s", p->o->period);
		if (p->stored)
			out->retrieved =
			    in->stored->direct_retrieved[(size_t)(p->o - in->stored->direct.v)];
	} else {
		unsigned bits = in->stored->col_status[p->col];
		out->status = bits & (1u << OBS_PROVISIONAL) ? OBS_PROVISIONAL : OBS_FINAL;
		snprintf(out->period, sizeof(out->period), "%s",
			 strchr(in->stored->col[p->col], '@') + 1);
		out->retrieved = in->stored->col_retrieved[p->col];
	}
	/* a value fetched for the bundle's period takes the bundle's base all
	 * the same, so that its gap is tested whichever copy won */
	if (!p->bundled && pstatus == OBS_FINAL && !strcmp(out->period, pub->period))
		published_base(pub, t, pcol, out);
	out->covered = out->units = 1;
	fit(pts, n, out->def->scale, out);
	free(pts);
}

/* ---- sums over communes ---- */

/* Sum the parts over the units u[0..n) at period offset back; both parts
 * must have a value in a unit for it to count, unless one of them is the
 * territory's own published value (then the other is summed alone). */
static void sum_parts(const struct indicators_input *in, const struct part *num,
		      const struct part *den, const size_t *u, size_t n, size_t back,
		      struct indicator_value *out)
{
	double a = 0, b = 0;
	size_t covered = 0;
	bool sum_num = !num->direct, sum_den = den && !den->direct;
	for (size_t k = 0; k < n && (sum_num || sum_den); k++) {
		double x = sum_num ? part_unit(in, num, u[k], back) : 0;
		double y = sum_den ? part_unit(in, den, u[k], back) : 0;
		if (isnan(x) || isnan(y))
			continue;
		a += x;
		b += y;
		covered++;
	}
	out->units = sum_num || sum_den ? n : 1;
	out->covered = sum_num || sum_den ? covered : 1;
	out->num = num->direct ? part_direct(num) : covered ? a : NAN;
	out->den = !den ? NAN : den->direct ? part_direct(den) : covered ? b : NAN;
}

/* Count of communes summed over periods of a stored series: the periods
 * with the latest period's coverage make the trend. */
static void count_trend(const struct indicators_input *in, const struct part *num, const size_t *u,
			size_t n, struct indicator_value *out)
{
	const struct comp *c = &num->c[0];
	struct point *pts = xcalloc(c->ncol, sizeof(*pts));
	size_t m = 0;
	for (size_t back = c->ncol; back-- > 0;) {
		struct indicator_value tmp = *out;
		double when;
		sum_parts(in, num, NULL, u, n, back, &tmp);
		if (tmp.covered != out->covered ||
		    !period_years(strchr(in->stored->col[c->col + c->ncol - 1 - back], '@') + 1,
				  &when))
			continue;
		pts[m++] = (struct point){when, tmp.num, NULL, true, false, 0};
	}
	fit(pts, m, out->def->scale, out);
	free(pts);
}

/* A count the source publishes for the territory, over its periods. */
static void direct_trend(const struct indicators_input *in, const char *id,
			 const struct territory *t, struct indicator_value *out)
{
	struct point *pts = NULL;
	size_t n = 0, alloc = 0, elsewhere = 0, at, m = direct_range(in->stored, id, t->code, &at);
	struct obs_list view = {in->stored->direct.v + at, m, m};
	add_points(&view, id, t, true, &pts, &n, &alloc, &elsewhere);
	if (n) /* qsort with NULL is undefined, even for 0 items */
		qsort(pts, n, sizeof(*pts), cmp_point);
	fit(pts, n, out->def->scale, out);
	free(pts);
}

void indicators_compute(const struct indicators_input *in, const struct catalogue *c,
			const struct territory *t, struct indicator_value *out)
{
	const struct geo *g = in->geo;
	size_t *u;
	size_t n = territory_units(g, t, &u);
	size_t popv = comtable_var(in->census, "population_2021");
	double f = 1;
	for (size_t k = 0; k < n && popv != (size_t)-1; k++)
		if (comtable_get(in->census, u[k], popv) >= LARGE_COMMUNE)
			f = LARGE_FRACTION;

	for (size_t i = 0; i < c->n; i++) {
		const struct indicator_def *d = &c->v[i];
		struct indicator_value *v = &out[i];
		struct part num, den;
		memset(v, 0, sizeof(*v));
		v->def = d;
		v->value = v->num = v->den = NAN;
		v->f = 1;
		if (d->kind == INDICATOR_RATE) {
			published(in, t, v);
			v->flags = flags_of(v, 0);
			continue;
		}
		if (!part_resolve(in, d->numerator, t, &num, &v->why) ||
		    (*d->denominator && !part_resolve(in, d->denominator, t, &den, &v->why)))
			continue;
		const struct part *dp = *d->denominator ? &den : NULL;
		/* the census samples large communes: its counts carry f */
		v->f = num.census ? f : 1;
		v->direct = num.direct && (!dp || dp->direct);
		sum_parts(in, &num, dp, u, n, 0, v);
		if (isnan(v->num) || (dp && isnan(v->den))) {
			v->why = !v->covered ? "no data for the communes of this territory"
					     : "the value is secret or missing";
			continue;
		}
		part_period(in, &num, v->period, sizeof(v->period));
		v->retrieved = num.n && num.c[0].kind != COMP_TABLE ? num.c[0].retrieved
			       : dp && dp->c[0].kind != COMP_TABLE  ? dp->c[0].retrieved
								    : NULL;
		switch (d->kind) {
		case INDICATOR_COUNT:
			v->value = v->num * d->scale;
			if (num.series && !num.direct && num.c[0].ncol >= TREND_MIN_POINTS)
				count_trend(in, &num, u, n, v);
			else if (num.series && num.direct)
				direct_trend(in, num.c[0].obs->indicator, t, v);
			break;
		case INDICATOR_RATIO:
			v->value = v->den > 0 ? v->num / v->den * d->scale : NAN;
			break;
		case INDICATOR_GROWTH:
			v->value = trend_annual_growth(v->den, v->num, d->years) * d->scale;
			break;
		case INDICATOR_RATE:
			break;
		}
		if (isnan(v->value))
			v->why = "the base is zero";
		v->flags = flags_of(v, num.bits | (dp ? dp->bits : 0));
	}
	free(u);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

bool indicators_nested(const struct geo *g, const struct territory *t, const struct territory *ref)
{
	size_t *a, *b;
	size_t na = territory_units(g, t, &a), nb = territory_units(g, ref, &b);
	bool all = na > 0 && nb > 0;
	if (nb)
		qsort(b, nb, sizeof(*b), cmp_size);
	for (size_t i = 0; i < na && all; i++)
		all = bsearch(&a[i], b, nb, sizeof(*b), cmp_size) != NULL;
	free(a);
	free(b);
	return all;
}

enum status indicators_gap(const struct indicator_value *a, const struct indicator_value *ref,
			   bool nested, double alpha, struct gap *out, struct error *err)
{
	/* a published rate with its base (published_base) is compared as a
	 * ratio of counts is */
	bool based = a->def->kind == INDICATOR_RATE && !isnan(a->den) && !isnan(ref->den);
	if (*a->at || *ref->at)
		return error_set(err, TERRAIN_EDATA, "%s of %s is published at another level",
				 a->def->id, *a->at ? a->at : ref->at);
	if (a->def->kind != INDICATOR_RATIO && !based)
		return error_set(err, TERRAIN_EDATA, "%s is not a ratio of counts", a->def->id);
	if (isnan(a->value) || isnan(ref->value))
		return error_set(err, TERRAIN_EDATA, "%s is unavailable", a->def->id);
	struct gap_rate x = {a->num, a->den, a->f}, y = {ref->num, ref->den, ref->f};
	enum status st = gap_compare(&x, &y, nested, alpha, out, err);
	if (!st) /* in the indicator's unit: points of %, or per 1 000 */
		out->points = a->value - ref->value;
	return st;
}

static int band_of(double pop)
{
	return pop < 2000 ? 0 : pop < 10000 ? 1 : pop < 50000 ? 2 : 3;
}

size_t indicators_peers(const struct geo *g, const struct comtable *census,
			const struct territory *t, struct territory **out, const char **scope)
{
	static const char *const dep_scope[] = {
	    "communes of under 2 000 inhabitants of the département",
	    "communes of 2 000 to 9 999 inhabitants of the département",
	    "communes of 10 000 to 49 999 inhabitants of the département",
	    "communes of 50 000 inhabitants or more of the département"};
	static const char *const reg_scope[] = {
	    "communes of under 2 000 inhabitants of the région",
	    "communes of 2 000 to 9 999 inhabitants of the région",
	    "communes of 10 000 to 49 999 inhabitants of the région",
	    "communes of 50 000 inhabitants or more of the région"};
	size_t n = 0, alloc = 0;
	*out = NULL;
	*scope = "";
	if (t->type == TERRITORY_DEP) {
		for (size_t i = 0; i < g->ndep; i++) {
			ALLOC_GROW(*out, n + 1, alloc);
			territory_of_dep(g, i, &(*out)[n++]);
		}
		*scope = "départements of France";
		return n;
	}
	size_t pv = comtable_var(census, "population_2021");
	if (t->type != TERRITORY_COM || pv == (size_t)-1)
		return 0;
	double own = comtable_get(census, t->index, pv);
	if (isnan(own))
		return 0;
	int band = band_of(own);
	const struct geo_commune *c = &g->com[t->index];
	for (int wide = 0; wide < 2; wide++) {
		n = 0;
		for (size_t i = 0; i < g->ncom; i++) {
			const struct geo_commune *x = &g->com[i];
			double pop = comtable_get(census, i, pv);
			if (x->kind != GEO_COM || isnan(pop) || band_of(pop) != band ||
			    strcmp(wide ? x->reg : x->dep, wide ? c->reg : c->dep))
				continue;
			ALLOC_GROW(*out, n + 1, alloc);
			territory_of_commune(g, i, &(*out)[n++]);
		}
		*scope = wide ? reg_scope[band] : dep_scope[band];
		if (n >= INDICATORS_MIN_PEERS)
			break;
	}
	return n;
}

void indicators_rank(double value, const double *peers, size_t n, struct indicator_rank *out)
{
	size_t above = 0, not_above = 0, valid = 0;
	memset(out, 0, sizeof(*out));
	out->percentile = NAN;
	if (isnan(value))
		return;
	for (size_t i = 0; i < n; i++) {
		if (isnan(peers[i]))
			continue;
		valid++;
		if (peers[i] > value)
			above++;
		else
			not_above++;
	}
	if (!valid)
		return;
	out->rank = above + 1;
	out->npeers = valid;
	out->percentile = 100.0 * (double)not_above / (double)valid;
}
