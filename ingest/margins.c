#include "margins.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "value.h"

static struct margin *margin_for(struct margins *m, const struct survey *s, size_t var, size_t var2,
				 unsigned long line)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->m[i].var == var && m->m[i].var2 == var2)
			return &m->m[i];
	ALLOC_GROW(m->m, m->n + 1, m->alloc);
	struct margin *g = &m->m[m->n++];
	g->var = var;
	g->var2 = var2;
	g->numeric = !survey_is_categorical(s->var[var].type);
	g->ncat = g->numeric	       ? 1
		  : var2 == (size_t)-1 ? s->var[var].ncat
				       : s->var[var].ncat * s->var[var2].ncat;
	g->target = xmalloc(g->ncat * sizeof(*g->target));
	g->cat_line = xcalloc(g->ncat, sizeof(*g->cat_line));
	for (size_t k = 0; k < g->ncat; k++)
		g->target[k] = NAN;
	g->line = line;
	g->share = false;
	return g;
}

/* A row of crossed cells: variable "a*b", category "x*y" (codes or labels),
 * two single or ordinal variables; the cell's index into *k. */
static enum status crossed_row(const struct csvread *r, const struct csvrow *row, const size_t *c,
			       const struct survey *s, size_t *va, size_t *vb, size_t *k,
			       struct error *err)
{
	const char *name = row->field[c[0]], *cat = row->field[c[1]];
	const char *star = strchr(name, '*'), *cstar = strchr(cat, '*');
	char *a = xstrndup(name, (size_t)(star - name));
	enum status st = TERRAIN_OK;
	*va = survey_find(s, a);
	*vb = survey_find(s, star + 1);
	for (int j = 0; j < 2 && !st; j++) {
		size_t vi = j ? *vb : *va;
		const char *vn = j ? star + 1 : a;
		if (vi == (size_t)-1)
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "\"%s\" is not a variable of the codebook %s", vn,
						 s->codebook);
		else if (s->var[vi].type != SURVEY_SINGLE && s->var[vi].type != SURVEY_ORDINAL)
			st = csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						 "\"%s\" is a %s variable (expected a single or "
						 "ordinal one to cross)",
						 vn, survey_type_name(s->var[vi].type));
	}
	if (!st && (!cstar || *va == *vb))
		st = csvread_field_error(r, row, cstar ? c[0] : c[1], TERRAIN_EDATA, err,
					 cstar ? "\"%s\" crosses a variable with itself"
					       : "\"%s\" is not a cell of \"%s\" (expected "
						 "CATEGORY*CATEGORY)",
					 cstar ? name : cat, name);
	if (!st) {
		char *x = xstrndup(cat, (size_t)(cstar - cat));
		size_t kx = survey_category_or_label(&s->var[*va], x);
		size_t ky = survey_category_or_label(&s->var[*vb], cstar + 1);
		if (kx == (size_t)-1 || ky == (size_t)-1)
			st = csvread_field_error(r, row, c[1], TERRAIN_EDATA, err,
						 "\"%s\" is not a category of \"%s\" (its codes "
						 "are in %s)",
						 kx == (size_t)-1 ? x : cstar + 1,
						 kx == (size_t)-1 ? a : star + 1, s->codebook);
		else
			*k = kx * s->var[*vb].ncat + ky;
		free(x);
	}
	free(a);
	return st;
}

static enum status read_rows(struct margins *m, struct csvread *r, const struct survey *s,
			     struct error *err)
{
	size_t c[3];
	const struct csvrow *row;
	enum status st;
	if ((st = csvread_require(r, (const char *const[]){"variable", "category", "target"}, 3, c,
				  err)))
		return st;
	while (!(st = csvread_next(r, &row, err)) && row) {
		const char *name = row->field[c[0]], *cat = row->field[c[1]],
			   *tg = row->field[c[2]];
		size_t vi, v2 = (size_t)-1, k = 0;
		if (strchr(name, '*')) {
			if ((st = crossed_row(r, row, c, s, &vi, &v2, &k, err)))
				return st;
			goto target;
		}
		vi = survey_find(s, name);
		if (vi == (size_t)-1)
			return csvread_field_error(r, row, c[0], TERRAIN_EDATA, err,
						   "\"%s\" is not a variable of the codebook %s",
						   name, s->codebook);
		const struct survey_var *v = &s->var[vi];
		bool numeric = v->type == SURVEY_INTEGER || v->type == SURVEY_DECIMAL;
		if (v->type != SURVEY_SINGLE && v->type != SURVEY_ORDINAL && !numeric)
			return csvread_field_error(
			    r, row, c[0], TERRAIN_EDATA, err,
			    "\"%s\" is a %s variable (expected a single or "
			    "ordinal one, or a number's total, to weight on)",
			    name, survey_type_name(v->type));
		if (numeric && *cat)
			return csvread_field_error(r, row, c[1], TERRAIN_EDATA, err,
						   "\"%s\" is a number: its row gives its total, "
						   "with an empty category (found \"%s\")",
						   name, cat);
		k = numeric ? 0 : survey_category_or_label(v, cat);
		if (k == (size_t)-1)
			return csvread_field_error(r, row, c[1], TERRAIN_EDATA, err,
						   "\"%s\" is not a category of \"%s\" (its codes "
						   "are in %s)",
						   cat, name, s->codebook);
	target:;
		double x;
		bool pct;
		if (!value_parse_number(tg, &x, &pct) || x < 0)
			return csvread_field_error(r, row, c[2], TERRAIN_EDATA, err,
						   "\"%s\" is not a target (expected a count or a "
						   "share >= 0)",
						   tg);
		struct margin *g = margin_for(m, s, vi, v2, row->line);
		if (!isnan(g->target[k]))
			return csvread_field_error(r, row, c[1], TERRAIN_EDATA, err,
						   "category \"%s\" of \"%s\" is given twice", cat,
						   name);
		g->target[k] = x;
		g->cat_line[k] = row->line;
		g->share |= pct;
	}
	return st;
}

enum status margins_load(struct margins *m, const char *path, const struct survey *s,
			 struct error *err)
{
	struct csvread_opts o;
	struct csvread *r = NULL;
	enum status st;
	margins_init(m);
	m->file = xstrdup(path);
	m->total = NAN;
	csvread_opts_init(&o);
	o.delim = 0;
	o.encoding = CSVREAD_AUTO;
	o.comments = true;
	if ((st = csvread_open(&r, path, &o, err)) || (st = read_rows(m, r, s, err)))
		goto out;
	if (!m->n) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: no margins (expected rows "
			       "\"variable;category;target\")",
			       path);
		goto out;
	}
	/* every category has its target; shares or counts */
	for (size_t i = 0; i < m->n; i++) {
		struct margin *g = &m->m[i];
		char nm[128], cc[128];
		margin_name(g, s, nm, sizeof(nm));
		double sum = 0;
		if (g->numeric) /* a total in the variable's unit, never a share */
			continue;
		for (size_t k = 0; k < g->ncat; k++) {
			if (isnan(g->target[k])) {
				st = error_set(err, TERRAIN_EDATA,
					       "%s:%lu: no target for category \"%s\" of \"%s\" "
					       "(expected one row per category)",
					       path, g->line,
					       margin_category(g, s, k, false, cc, sizeof(cc)), nm);
				goto out;
			}
			sum += g->target[k];
		}
		/* shares rounded by hand (33,3 + 66,6, or 0,33 + 0,66) miss 1 or 100
		 * by up to a point in a hundred: still shares, never counts */
		double base = fabs(sum - 1) <= 0.011 ? 1 : fabs(sum - 100) <= 1.1 ? 100 : NAN;
		g->share |= !isnan(base);
		if (g->share) {
			if (!isnan(base) && fabs(sum - base) > 1e-9 * base)
				log_note("%s:%lu: the shares of \"%s\" sum to %.15g, not %g: "
					 "normalised (off by %.2g %%)",
					 path, g->line, nm, sum, base, 100 * (sum - base) / base);
			for (size_t k = 0; k < g->ncat; k++)
				g->target[k] /= sum;
		} else if (isnan(m->total))
			m->total = sum;
		else if (fabs(sum - m->total) > 0.005 * m->total) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: the targets of \"%s\" sum to %.15g, those of the "
				       "first variable to %.15g (expected the same population)",
				       path, g->line, nm, sum, m->total);
			goto out;
		} else if (sum != m->total) {
			log_note("%s:%lu: targets of \"%s\" rescaled from %.15g to %.15g", path,
				 g->line, nm, sum, m->total);
			for (size_t k = 0; k < g->ncat; k++)
				g->target[k] *= m->total / sum;
		}
	}
	for (size_t i = 0; i < m->n && !isnan(m->total); i++)
		if (m->m[i].share && !m->m[i].numeric)
			for (size_t k = 0; k < m->m[i].ncat; k++)
				m->m[i].target[k] *= m->total;
out:
	csvread_free(r);
	if (st)
		margins_release(m);
	return st;
}
