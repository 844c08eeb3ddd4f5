#include "surveystats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../ingest/value.h"

static const char *const stat_names[] = {
    [STAT_MEAN] = "mean",
    [STAT_MEDIAN] = "median",
    [STAT_TOTAL] = "total",
    [STAT_PROPORTION] = "proportion",
};

const char *survey_stat_name(enum survey_stat s)
{
	return stat_names[s];
}

void survey_stats_opts_init(struct survey_stats_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_n = 30;
	o->max_cv = 0.20;
	o->suppress_below = 5;
}

void survey_stats_release(struct survey_stats *st)
{
	for (size_t i = 0; i < st->ntab; i++) {
		free(st->tab[i].cell);
		free(st->tab[i].why_untested);
	}
	free(st->tab);
	free(st->row);
	memset(st, 0, sizeof(*st));
}

void survey_stats_level(const struct survey *s, const struct weights *w, size_t var,
			struct estimate *e)
{
	const struct survey_var *v = &s->var[var];
	struct design d = {s->n, w->w, &w->cal, &w->smp, false, NAN};
	double *level = xcalloc(v->ncat ? v->ncat : 1, sizeof(*level));
	double *y = xmalloc((s->n ? s->n : 1) * sizeof(*y));
	for (size_t k = 0; k < v->ncat; k++)
		if (!value_parse_number(v->cat[k].code, &level[k], NULL))
			level[k] = NAN; /* the codebook refuses it: never here */
	for (size_t i = 0; i < s->n; i++) {
		y[i] = NAN;
		if (v->status[i] != SURVEY_PRESENT || isnan(v->value[i]))
			continue;
		if (v->type != SURVEY_ORDINAL)
			y[i] = v->value[i];
		else if (v->value[i] >= 0 && (size_t)v->value[i] < v->ncat)
			y[i] = level[(size_t)v->value[i]];
	}
	estimate_mean(&d, y, NULL, e);
	free(y);
	free(level);
}

/* The domain of an estimate: by = group (and by2 = group2 when crossed). */
struct domain {
	size_t by, group, by2, group2;
};

static const struct domain whole = {(size_t)-1, 0, (size_t)-1, 0};

static void add(struct survey_stats *st, const struct survey_stats_opts *o, size_t var, size_t cat,
		const struct domain *dom, enum survey_stat stat, const struct estimate *e,
		size_t n_cell)
{
	ALLOC_GROW(st->row, st->n + 1, st->alloc);
	struct survey_result *r = &st->row[st->n++];
	r->var = var;
	r->cat = cat;
	r->by = dom->by;
	r->group = dom->group;
	r->by2 = dom->by2;
	r->group2 = dom->group2;
	r->stat = stat;
	r->e = *e;
	r->n_cell = n_cell;
	r->flags = 0;
	if (e->n < o->min_n)
		r->flags |= RESULT_SMALL_N;
	if (fabs(e->cv) > o->max_cv)
		r->flags |= RESULT_HIGH_CV;
	if (n_cell < o->suppress_below)
		r->flags |= RESULT_SUPPRESSED;
}

/* Is unit i answered for v, and has it category k (multiple: chose it)? */
static double indicator(const struct survey_var *v, size_t i, size_t k)
{
	if (v->status[i] != SURVEY_PRESENT)
		return NAN;
	if (v->type == SURVEY_MULTIPLE)
		return v->chosen[i * v->ncat + k];
	return v->value[i] == (double)k;
}

static void estimate_variable(const struct survey *s, const struct design *d,
			      const struct survey_stats_opts *o, size_t vi,
			      const struct domain *dom, const unsigned char *in, double *y,
			      size_t *const *order, const size_t *norder, struct survey_stats *st)
{
	const struct survey_var *v = &s->var[vi];
	struct estimate e;
	switch (v->type) {
	case SURVEY_INTEGER:
	case SURVEY_DECIMAL:
		estimate_mean(d, v->value, in, &e);
		add(st, o, vi, (size_t)-1, dom, STAT_MEAN, &e, e.n);
		estimate_median_ordered(d, v->value, order[vi], norder[vi], in, &e);
		add(st, o, vi, (size_t)-1, dom, STAT_MEDIAN, &e, e.n);
		estimate_total(d, v->value, in, &e);
		add(st, o, vi, (size_t)-1, dom, STAT_TOTAL, &e, e.n);
		break;
	case SURVEY_SINGLE:
	case SURVEY_ORDINAL:
	case SURVEY_MULTIPLE:
		for (size_t k = 0; k < v->ncat; k++) {
			size_t n_cell = 0;
			for (size_t i = 0; i < s->n; i++) {
				y[i] = indicator(v, i, k);
				n_cell += (!in || in[i]) && y[i] == 1;
			}
			estimate_proportion(d, y, in, &e);
			add(st, o, vi, k, dom, STAT_PROPORTION, &e, n_cell);
			estimate_total(d, y, in, &e);
			add(st, o, vi, k, dom, STAT_TOTAL, &e, n_cell);
		}
		break;
	case SURVEY_DATE:
	case SURVEY_TEXT:
		break;
	}
}

static bool estimated(const struct survey_var *v)
{
	/* a stratum is also a question (a quarter, an age band); clusters and
	 * fpc are design codes */
	bool design = v->role != SURVEY_ROLE_NONE && v->role != SURVEY_ROLE_STRATUM;
	return !design && v->type != SURVEY_DATE && v->type != SURVEY_TEXT;
}

static enum status check_grouping(const struct survey *s, size_t vi, const char *what,
				  struct error *err)
{
	const struct survey_var *v = &s->var[vi];
	if (v->type != SURVEY_SINGLE && v->type != SURVEY_ORDINAL)
		return error_set(err, TERRAIN_EUSAGE,
				 "%s \"%s\" is a %s variable (expected a single or ordinal one)",
				 what, v->name, survey_type_name(v->type));
	return TERRAIN_OK;
}

/* The weighted cells of a by b, and the Rao-Scott test when it can be
 * computed (else why not, in t->why_untested). */
static void crosstab(const struct survey *s, const struct design *d,
		     const struct survey_stats_opts *o, size_t a, size_t b, struct crosstab *t)
{
	const struct survey_var *va = &s->var[a], *vb = &s->var[b];
	size_t nr = va->ncat, nc = vb->ncat;
	int *ca = xmalloc((s->n ? s->n : 1) * sizeof(int));
	int *cb = xmalloc((s->n ? s->n : 1) * sizeof(int));
	memset(t, 0, sizeof(*t));
	t->a = a;
	t->b = b;
	t->cell = xcalloc(nr * nc, sizeof(*t->cell));
	double total = 0;
	for (size_t i = 0; i < s->n; i++) {
		ca[i] = va->status[i] == SURVEY_PRESENT ? (int)va->value[i] : -1;
		cb[i] = vb->status[i] == SURVEY_PRESENT ? (int)vb->value[i] : -1;
		if (ca[i] < 0 || cb[i] < 0)
			continue;
		struct crosstab_cell *c = &t->cell[(size_t)ca[i] * nc + (size_t)cb[i]];
		c->n++;
		c->weighted += d->w[i];
		total += d->w[i];
	}
	for (size_t r = 0; r < nr; r++) {
		double row = 0;
		for (size_t c = 0; c < nc; c++)
			row += t->cell[r * nc + c].weighted;
		for (size_t c = 0; c < nc; c++) {
			struct crosstab_cell *x = &t->cell[r * nc + c];
			x->share = total > 0 ? x->weighted / total : NAN;
			x->row_share = row > 0 ? x->weighted / row : NAN;
			if (x->n < o->suppress_below)
				x->flags |= RESULT_SUPPRESSED;
		}
	}
	for (size_t c = 0; c < nc; c++) {
		double col = 0;
		for (size_t r = 0; r < nr; r++)
			col += t->cell[r * nc + c].weighted;
		for (size_t r = 0; r < nr; r++)
			t->cell[r * nc + c].col_share =
			    col > 0 ? t->cell[r * nc + c].weighted / col : NAN;
	}
	struct error e;
	t->tested = !estimate_chisq(d, ca, nr, cb, nc, &t->test, &e);
	if (!t->tested)
		t->why_untested = xstrdup(e.msg);
	free(ca);
	free(cb);
}

enum status survey_stats_compute(const struct survey *s, const struct weights *w,
				 const struct survey_stats_opts *o, struct survey_stats *out,
				 struct error *err)
{
	enum status st = TERRAIN_OK;
	struct design d = {s->n, w->w, &w->cal, &w->smp, false, NAN};
	memset(out, 0, sizeof(*out));
	out->min_n = o->min_n;
	out->max_cv = o->max_cv;
	out->suppress_below = o->suppress_below;
	weights_summary(w->w, s->n, &out->wsum);
	for (size_t j = 0; j < o->nby && !st; j++) {
		st = check_grouping(s, o->by[j], "grouping variable", err);
		if (!st && o->by2 && o->by2[j] != (size_t)-1)
			st = check_grouping(s, o->by2[j], "grouping variable", err);
	}
	for (size_t j = 0; j < 2 * o->npairs && !st; j++)
		st = check_grouping(s, o->pairs[j], "crosstab variable", err);
	if (st)
		return st;

	double *y = xmalloc((s->n ? s->n : 1) * sizeof(double));
	unsigned char *in = xmalloc(s->n ? s->n : 1);
	struct design dw = d; /* the whole sample's df, once */
	dw.df = estimate_df(&d, NULL);
	dw.df_known = true;
	/* each number's order, once for all its domains' medians */
	size_t **order = xcalloc(s->nvar ? s->nvar : 1, sizeof(*order));
	size_t *norder = xcalloc(s->nvar ? s->nvar : 1, sizeof(*norder));
	for (size_t vi = 0; vi < s->nvar; vi++)
		if (estimated(&s->var[vi]) &&
		    (s->var[vi].type == SURVEY_INTEGER || s->var[vi].type == SURVEY_DECIMAL))
			order[vi] = estimate_order(s->var[vi].value, s->n, &norder[vi]);
	for (size_t vi = 0; vi < s->nvar; vi++)
		if (estimated(&s->var[vi]))
			estimate_variable(s, &dw, o, vi, &whole, NULL, y, order, norder, out);
	for (size_t j = 0; j < o->nby; j++) {
		size_t b = o->by2 ? o->by2[j] : (size_t)-1;
		const struct survey_var *g = &s->var[o->by[j]];
		const struct survey_var *g2 = b == (size_t)-1 ? NULL : &s->var[b];
		for (size_t k = 0; k < g->ncat; k++)
			for (size_t l = 0; l < (g2 ? g2->ncat : 1); l++) {
				struct domain dom = {o->by[j], k, b, g2 ? l : 0};
				size_t units = 0;
				for (size_t i = 0; i < s->n; i++) {
					in[i] = g->status[i] == SURVEY_PRESENT &&
						g->value[i] == (double)k;
					if (g2)
						in[i] = in[i] && g2->status[i] == SURVEY_PRESENT &&
							g2->value[i] == (double)l;
					units += in[i];
				}
				if (g2 && !units)
					continue;     /* svyby has no row for an empty cell */
				struct design dd = d; /* the domain's df, once */
				dd.df = estimate_df(&d, in);
				dd.df_known = true;
				for (size_t vi = 0; vi < s->nvar; vi++)
					if (vi != o->by[j] && vi != b && estimated(&s->var[vi]))
						estimate_variable(s, &dd, o, vi, &dom, in, y, order,
								  norder, out);
			}
	}
	out->tab = xcalloc(o->npairs ? o->npairs : 1, sizeof(*out->tab));
	for (size_t j = 0; j < o->npairs; j++, out->ntab++)
		crosstab(s, &d, o, o->pairs[2 * j], o->pairs[2 * j + 1], &out->tab[j]);
	for (size_t vi = 0; vi < s->nvar; vi++)
		free(order[vi]);
	free(order);
	free(norder);
	free(y);
	free(in);
	return TERRAIN_OK;
}
