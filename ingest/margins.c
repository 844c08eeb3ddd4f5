#include "margins.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "csvread.h"
#include "value.h"

static struct margin *margin_for(struct margins *m, const struct survey *s, size_t var,
				 unsigned long line)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->m[i].var == var)
			return &m->m[i];
	ALLOC_GROW(m->m, m->n + 1, m->alloc);
	struct margin *g = &m->m[m->n++];
	g->var = var;
	g->numeric = !survey_is_categorical(s->var[var].type);
	g->ncat = g->numeric ? 1 : s->var[var].ncat;
	g->target = xmalloc(g->ncat * sizeof(*g->target));
	g->cat_line = xcalloc(g->ncat, sizeof(*g->cat_line));
	for (size_t k = 0; k < g->ncat; k++)
		g->target[k] = NAN;
	g->line = line;
	g->share = false;
	return g;
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
		size_t vi = survey_find(s, name);
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
		size_t k = numeric ? 0 : survey_category_or_label(v, cat);
		if (k == (size_t)-1)
			return csvread_field_error(r, row, c[1], TERRAIN_EDATA, err,
						   "\"%s\" is not a category of \"%s\" (its codes "
						   "are in %s)",
						   cat, name, s->codebook);
		double x;
		bool pct;
		if (!value_parse_number(tg, &x, &pct) || x < 0)
			return csvread_field_error(r, row, c[2], TERRAIN_EDATA, err,
						   "\"%s\" is not a target (expected a count or a "
						   "share >= 0)",
						   tg);
		struct margin *g = margin_for(m, s, vi, row->line);
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
		const struct survey_var *v = &s->var[g->var];
		double sum = 0;
		if (g->numeric) /* a total in the variable's unit, never a share */
			continue;
		for (size_t k = 0; k < g->ncat; k++) {
			if (isnan(g->target[k])) {
				st = error_set(err, TERRAIN_EDATA,
					       "%s:%lu: no target for category \"%s\" of \"%s\" "
					       "(expected one row per category)",
					       path, g->line, v->cat[k].code, v->name);
				goto out;
			}
			sum += g->target[k];
		}
		g->share |= fabs(sum - 1) < 1e-3 || fabs(sum - 100) < 1e-1;
		if (g->share)
			for (size_t k = 0; k < g->ncat; k++)
				g->target[k] /= sum;
		else if (isnan(m->total))
			m->total = sum;
		else if (fabs(sum - m->total) > 0.005 * m->total) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s:%lu: the targets of \"%s\" sum to %.15g, those of the "
				       "first variable to %.15g (expected the same population)",
				       path, g->line, v->name, sum, m->total);
			goto out;
		} else if (sum != m->total) {
			log_note("%s:%lu: targets of \"%s\" rescaled from %.15g to %.15g", path,
				 g->line, v->name, sum, m->total);
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
