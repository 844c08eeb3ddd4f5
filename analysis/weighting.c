#include "weighting.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/order.h"
#include "../core/xalloc.h"

void weighting_opts_init(struct weighting_opts *o)
{
	o->method = WEIGHTING_RAKE;
	o->tolerance = 1e-10;
	o->max_iter = 100;
	o->trim_lower = NAN;
	o->trim_upper = NAN;
	o->lonely = SAMPLING_LONELY_FAIL;
	o->epsilon = NAN;
}

void weights_release(struct weights *w)
{
	for (size_t k = 0; k < w->cal.nmargin; k++) {
		free(w->target[k]);
		free(w->initial[k]);
		free(w->achieved[k]);
	}
	free(w->target);
	free(w->initial);
	free(w->achieved);
	free(w->cal.var);
	free(w->cal.cat);
	free(w->cal.psw);
	free(w->cal.oldw);
	free(w->cal.x);
	free(w->cal.wlin);
	free(w->cal.tinv);
	for (size_t k = 0; w->cal.y && k < w->cal.nmargin; k++)
		free(w->cal.y[k]);
	free(w->cal.y);
	free(w->w0);
	free(w->w);
	sampling_release(&w->smp);
	memset(w, 0, sizeof(*w));
}

static enum status initial_weights(const struct survey *s, struct weights *out, struct error *err)
{
	const struct survey_var *wv = survey_weight_var(s);
	for (size_t i = 0; i < s->n; i++) {
		if (!wv) {
			out->w0[i] = out->smp.w ? out->smp.w[i] : 1;
			continue;
		}
		double x = wv->value[i];
		if (isnan(x) || !(x > 0))
			return error_set(err, TERRAIN_EDATA,
					 "%s:%lu: %s weight \"%s\" for this respondent (expected a "
					 "weight > 0 for everybody)",
					 s->file, s->line[i],
					 isnan(x) ? "no" : "a zero or negative", wv->name);
		out->w0[i] = x;
	}
	return TERRAIN_OK;
}

/* Sum of weights by category of margin k. */
static void margin_sums(const struct weights *out, size_t k, size_t ncat, double *sum)
{
	for (size_t c = 0; c < ncat; c++)
		sum[c] = 0;
	const double *y = out->cal.y ? out->cal.y[k] : NULL;
	for (size_t i = 0; i < out->n; i++)
		sum[out->cal.cat[i * out->cal.nmargin + k]] += out->w[i] * (y ? y[i] : 1);
}

/* One post-stratification step on margin k: each category's weights scaled
 * to its target; the weights after it are recorded for the variance. */
static void adjust(struct weights *out, size_t k, size_t ncat, double *sum)
{
	size_t nm = out->cal.nmargin;
	margin_sums(out, k, ncat, sum);
	for (size_t i = 0; i < out->n; i++) {
		int c = out->cal.cat[i * nm + k];
		out->w[i] *= out->target[k][c] / sum[c];
		out->cal.psw[i * nm + k] = out->w[i];
	}
}

static double largest_gap(struct weights *out, const struct margins *m, double *sum)
{
	double gap = 0;
	for (size_t k = 0; k < out->cal.nmargin; k++) {
		margin_sums(out, k, m->m[k].ncat, sum);
		for (size_t c = 0; c < m->m[k].ncat; c++) {
			double t = out->target[k][c];
			double g = t > 0 ? fabs(sum[c] - t) / t : fabs(sum[c]);
			if (g > gap)
				gap = g;
		}
	}
	return gap;
}

/* R's trimWeights(strict = TRUE): weights outside [lo, hi] go to the bound
 * and what they lose or gain is shared equally by the others, until none
 * is outside. */
static void trim(struct weights *out, double lo, double hi)
{
	bool *moved = xcalloc(out->n ? out->n : 1, 1);
	bool *outside = xcalloc(out->n ? out->n : 1, 1);
	for (int round = 0; round < 1000; round++) {
		double excess = 0;
		size_t inside = 0;
		for (size_t i = 0; i < out->n; i++) {
			double x = out->w[i];
			outside[i] = x < lo || x > hi;
			if (!outside[i]) {
				inside++;
				continue;
			}
			moved[i] = true;
			double y = x < lo ? lo : hi;
			excess += x - y;
			out->w[i] = y;
		}
		if (inside == out->n || !inside)
			break;
		for (size_t i = 0; i < out->n; i++)
			if (!outside[i])
				out->w[i] += excess / (double)inside;
	}
	for (size_t i = 0; i < out->n; i++)
		out->ntrimmed += moved[i];
	free(outside);
	free(moved);
}

/* Each unit's cell in the cross table of the margins (mixed radix), and the
 * number of cells; 0 when the table would be too large to hold. */
static size_t cross_cells(const struct weights *out, const struct margins *m, size_t *cell)
{
	size_t ncell = 1, nm = out->cal.nmargin;
	for (size_t k = 0; k < nm; k++) {
		if (ncell > ((size_t)1 << 26) / (m->m[k].ncat ? m->m[k].ncat : 1))
			return 0;
		ncell *= m->m[k].ncat;
	}
	for (size_t i = 0; i < out->n; i++) {
		size_t c = 0;
		for (size_t k = 0; k < nm; k++)
			c = c * m->m[k].ncat + (size_t)out->cal.cat[i * nm + k];
		cell[i] = c;
	}
	return ncell;
}

/* R's rake(): passes until no cell of the cross table of the margins moves
 * by epsilon or more, at most max_iter passes. */
static enum status rake_r(struct weights *out, const struct margins *m,
			  const struct weighting_opts *o, double w0sum, double *sum,
			  struct error *err)
{
	size_t n = out->n, *cell = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t ncell = cross_cells(out, m, cell);
	if (!ncell) {
		free(cell);
		return error_set(err, TERRAIN_EUSAGE,
				 "the margins' cross table is too large for epsilon (expected "
				 "fewer categories, or tolerance instead)");
	}
	double *old = xcalloc(ncell, sizeof(double)), *cur = xmalloc(ncell * sizeof(double));
	double eps = o->epsilon < 1 ? o->epsilon * w0sum : o->epsilon;
	for (size_t i = 0; i < n; i++)
		old[cell[i]] += out->w[i];
	out->converged = false;
	int iter = 0;
	while (iter < o->max_iter) {
		for (size_t k = 0; k < out->cal.nmargin; k++)
			adjust(out, k, m->m[k].ncat, sum);
		memset(cur, 0, ncell * sizeof(double));
		for (size_t i = 0; i < n; i++)
			cur[cell[i]] += out->w[i];
		double delta = 0;
		for (size_t c = 0; c < ncell; c++)
			delta = fmax(delta, fabs(old[c] - cur[c]));
		iter++;
		if (delta < eps) {
			out->converged = true;
			break;
		}
		memcpy(old, cur, ncell * sizeof(double));
	}
	out->iterations = iter;
	out->gap = largest_gap(out, m, sum);
	free(cell);
	free(old);
	free(cur);
	return TERRAIN_OK;
}

/* GREG (R's regcalibrate with sigma2 = 1): T = sum w0 x x', lambda =
 * T^-1 (targets - sum w0 x), g = 1 + x'lambda, w = w0 g. */
static enum status calibrate_linear(struct weights *out, const struct margins *m, struct error *err)
{
	size_t n = out->n, nm = out->cal.nmargin, p = 0;
	bool intercept = false;
	for (size_t k = 0; k < nm; k++) {
		if (out->cal.y[k]) {
			p++;
		} else {
			intercept = true;
			p += m->m[k].ncat - 1;
		}
	}
	p += intercept;
	double *x = xcalloc((n ? n : 1) * p, sizeof(double));
	double *pop = xcalloc(p, sizeof(double)), *d = xcalloc(p, sizeof(double));
	gsl_matrix *t = gsl_matrix_calloc(p, p), *inv = gsl_matrix_alloc(p, p);
	gsl_permutation *perm = gsl_permutation_alloc(p);
	enum status st = TERRAIN_OK;
	size_t col = 0;
	if (intercept) {
		for (size_t i = 0; i < n; i++)
			x[i * p] = 1;
		for (size_t k = 0; k < nm; k++)
			if (!out->cal.y[k]) {
				for (size_t c = 0; c < m->m[k].ncat; c++)
					pop[0] += out->target[k][c];
				break;
			}
		col = 1;
	}
	for (size_t k = 0; k < nm; k++) {
		if (out->cal.y[k]) {
			for (size_t i = 0; i < n; i++)
				x[i * p + col] = out->cal.y[k][i];
			pop[col++] = out->target[k][0];
			continue;
		}
		for (size_t c = 1; c < m->m[k].ncat; c++, col++) {
			for (size_t i = 0; i < n; i++)
				x[i * p + col] = out->cal.cat[i * nm + k] == (int)c;
			pop[col] = out->target[k][c];
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t a = 0; a < p; a++) {
			double wa = out->w0[i] * x[i * p + a];
			d[a] += wa;
			if (wa != 0)
				for (size_t b = 0; b < p; b++)
					*gsl_matrix_ptr(t, a, b) += wa * x[i * p + b];
		}
	int sign;
	gsl_linalg_LU_decomp(t, perm, &sign);
	if (fabs(gsl_linalg_LU_det(t, sign)) < 1e-300 || gsl_linalg_LU_invert(t, perm, inv)) {
		st = error_set(err, TERRAIN_EDATA,
			       "%s: the margins of a linear calibration overlap (a total is "
			       "the sum of others; expected independent margins)",
			       m->file);
		goto out;
	}
	double *lambda = xcalloc(p, sizeof(double));
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++)
			lambda[a] += gsl_matrix_get(inv, a, b) * (pop[b] - d[b]);
	out->cal.p = p;
	out->cal.x = x;
	out->cal.w0 = out->w0;
	out->cal.wlin = xmalloc((n ? n : 1) * sizeof(double));
	out->cal.tinv = xmalloc(p * p * sizeof(double));
	for (size_t a = 0; a < p * p; a++)
		out->cal.tinv[a] = inv->data[a / p * inv->tda + a % p];
	for (size_t i = 0; i < n; i++) {
		double g = 1;
		for (size_t a = 0; a < p; a++)
			g += x[i * p + a] * lambda[a];
		out->w[i] = out->cal.wlin[i] = out->w0[i] * g;
	}
	x = NULL;
	free(lambda);
out:
	free(x);
	free(pop);
	free(d);
	gsl_matrix_free(t);
	gsl_matrix_free(inv);
	gsl_permutation_free(perm);
	return st;
}

enum status weighting_run(const struct survey *s, const struct margins *m,
			  const struct weighting_opts *o, struct weights *out, struct error *err)
{
	enum status st;
	size_t n = s->n;
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->w0 = xmalloc((n ? n : 1) * sizeof(double));
	out->w = xmalloc((n ? n : 1) * sizeof(double));
	out->trim_lo = out->trim_hi = NAN;
	out->cal.method = o->method;
	out->cal.n = n;
	out->converged = true;
	if ((st = sampling_build(s, o->lonely, &out->smp, err)) ||
	    (st = initial_weights(s, out, err)))
		goto out;
	memcpy(out->w, out->w0, n * sizeof(double));
	if (o->method != WEIGHTING_NONE) {
		if (!m || !m->n) {
			st = error_set(err, TERRAIN_EUSAGE,
				       "weighting needs margins (expected a "
				       "margins file)");
			goto out;
		}
		if (o->method == WEIGHTING_POSTSTRATIFY && m->n != 1) {
			st = error_set(err, TERRAIN_EDATA,
				       "%s: post-stratification takes one variable, the file "
				       "gives %zu (expected one, crossed cells a*b, or raking)",
				       m->file, m->n);
			goto out;
		}
		size_t nm = m->n;
		out->cal.nmargin = nm;
		out->cal.var = xmalloc(nm * sizeof(size_t));
		out->cal.cat = xmallocarray(xmul(n ? n : 1, nm), sizeof(int));
		out->cal.psw = xmallocarray(xmul(n ? n : 1, nm), sizeof(double));
		out->target = xcalloc(nm, sizeof(double *));
		out->initial = xcalloc(nm, sizeof(double *));
		out->achieved = xcalloc(nm, sizeof(double *));
		double w0sum = 0;
		for (size_t i = 0; i < n; i++)
			w0sum += out->w0[i];
		size_t maxcat = 1;
		for (size_t k = 0; k < nm; k++) {
			const struct margin *g = &m->m[k];
			const struct survey_var *v = &s->var[g->var];
			const struct survey_var *v2 =
			    g->var2 == (size_t)-1 ? NULL : &s->var[g->var2];
			char gname[128], code[128];
			margin_name(g, s, gname, sizeof(gname));
			out->cal.var[k] = g->var;
			out->target[k] = xmalloc(g->ncat * sizeof(double));
			out->initial[k] = xcalloc(g->ncat, sizeof(double));
			out->achieved[k] = xcalloc(g->ncat, sizeof(double));
			if (g->ncat > maxcat)
				maxcat = g->ncat;
			for (size_t c = 0; c < g->ncat; c++)
				out->target[k][c] = isnan(m->total) && !g->numeric
							? g->target[c] * w0sum
							: g->target[c];
			if (g->numeric && o->method != WEIGHTING_LINEAR) {
				st =
				    error_set(err, TERRAIN_EDATA,
					      "%s:%lu: \"%s\" is a number's total (expected method "
					      "= linear to calibrate on it)",
					      m->file, g->line, gname);
				goto out;
			}
			if (g->numeric) {
				if (!out->cal.y)
					out->cal.y = xcalloc(nm, sizeof(double *));
				out->cal.y[k] = xmalloc((n ? n : 1) * sizeof(double));
			}
			size_t *count = xcalloc(g->ncat, sizeof(size_t));
			for (size_t i = 0; i < n && !st; i++) {
				const struct survey_var *blank =
				    v->status[i] != SURVEY_PRESENT	    ? v
				    : v2 && v2->status[i] != SURVEY_PRESENT ? v2
									    : NULL;
				if (blank)
					st = error_set(
					    err, TERRAIN_EDATA,
					    "%s:%lu: no value of \"%s\" for this respondent "
					    "(weighting on \"%s\" needs one for everybody)",
					    s->file, s->line[i], blank->name, gname);
				else {
					int c = g->numeric ? 0 : (int)v->value[i];
					if (v2)
						c = c * (int)v2->ncat + (int)v2->value[i];
					double y = g->numeric ? v->value[i] : 1;
					if (g->numeric)
						out->cal.y[k][i] = y;
					out->cal.cat[i * nm + k] = c;
					out->initial[k][c] += out->w0[i] * y;
					count[c]++;
				}
			}
			for (size_t c = 0; c < g->ncat && !st && !g->numeric; c++) {
				if (!count[c] && out->target[k][c] > 0)
					st = error_set(
					    err, TERRAIN_EDATA,
					    "%s:%lu: margin category \"%s\" of \"%s\" has "
					    "no respondent (expected at least one, or "
					    "categories merged in the codebook and the "
					    "margins)",
					    m->file, g->cat_line ? g->cat_line[c] : g->line,
					    margin_category(g, s, c, false, code, sizeof(code)),
					    gname);
				else if (count[c] && !(out->target[k][c] > 0))
					st = error_set(
					    err, TERRAIN_EDATA,
					    "%s:%lu: margin category \"%s\" of \"%s\" has a "
					    "target of 0 but %zu respondents",
					    m->file, g->cat_line ? g->cat_line[c] : g->line,
					    margin_category(g, s, c, false, code, sizeof(code)),
					    gname, count[c]);
			}
			free(count);
			if (st)
				goto out;
		}
		double *sum = xmalloc(maxcat * sizeof(double));
		if (o->method == WEIGHTING_POSTSTRATIFY) {
			out->cal.oldw = xmalloc((n ? n : 1) * sizeof(double));
			memcpy(out->cal.oldw, out->w, n * sizeof(double));
			adjust(out, 0, m->m[0].ncat, sum);
			out->iterations = 1;
			out->gap = largest_gap(out, m, sum);
		} else if (o->method == WEIGHTING_LINEAR) {
			if (!out->cal.y)
				out->cal.y = xcalloc(nm, sizeof(double *));
			st = calibrate_linear(out, m, err);
			out->iterations = 1;
			out->gap = st ? NAN : largest_gap(out, m, sum);
		} else if (!isnan(o->epsilon)) {
			st = rake_r(out, m, o, w0sum, sum, err);
		} else {
			out->converged = false;
			for (out->iterations = 1; out->iterations <= o->max_iter;
			     out->iterations++) {
				for (size_t k = 0; k < nm; k++)
					adjust(out, k, m->m[k].ncat, sum);
				out->gap = largest_gap(out, m, sum);
				if (out->gap < o->tolerance) {
					out->converged = true;
					break;
				}
			}
			if (!out->converged)
				out->iterations = o->max_iter;
		}
		for (size_t k = 0; k < nm; k++)
			margin_sums(out, k, m->m[k].ncat, out->achieved[k]);
		free(sum);
		if (st)
			goto out;
	}
	if (!isnan(o->trim_lower) || !isnan(o->trim_upper)) {
		double mean = 0;
		for (size_t i = 0; i < n; i++)
			mean += out->w[i];
		mean /= (double)(n ? n : 1);
		out->trim_lo = isnan(o->trim_lower) ? -INFINITY : o->trim_lower * mean;
		out->trim_hi = isnan(o->trim_upper) ? INFINITY : o->trim_upper * mean;
		if (out->trim_lo > out->trim_hi) {
			st = error_set(err, TERRAIN_EUSAGE,
				       "trimming bounds %g and %g are the wrong way round",
				       o->trim_lower, o->trim_upper);
			goto out;
		}
		trim(out, out->trim_lo, out->trim_hi);
		if (isinf(out->trim_lo))
			out->trim_lo = NAN;
		if (isinf(out->trim_hi))
			out->trim_hi = NAN;
	}
out:
	if (st)
		weights_release(out);
	return st;
}

/* R's quantile type 7 on sorted data. */
static double quantile7(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	size_t hi = lo + 1 < n ? lo + 1 : lo;
	return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

void weights_summary(const double *w, size_t n, struct weight_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (!n) {
		out->min = out->q1 = out->median = out->q3 = out->max = NAN;
		out->mean = out->cv = out->deff = out->neff = NAN;
		return;
	}
	double *v = xmalloc(n * sizeof(double)); /* never reorder the caller's data */
	memcpy(v, w, n * sizeof(double));
	order_sort_doubles(v, n);
	double s = 0, s2 = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i], s2 += v[i] * v[i];
	out->min = v[0];
	out->max = v[n - 1];
	out->q1 = quantile7(v, n, 0.25);
	out->median = quantile7(v, n, 0.5);
	out->q3 = quantile7(v, n, 0.75);
	out->sum = s;
	out->mean = s / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - out->mean) * (v[i] - out->mean);
	out->cv = n > 1 ? sqrt(ss / (double)(n - 1)) / out->mean : NAN;
	out->deff = (double)n * s2 / (s * s);
	out->neff = s * s / s2;
	free(v);
}
