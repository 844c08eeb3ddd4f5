#include "estimate.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/order.h"
#include "../core/xalloc.h"

double estimate_tquantile(double df, double alpha)
{
	if (isinf(df))
		return gsl_cdf_ugaussian_Pinv(1 - alpha / 2);
	if (!(df > 0))
		return NAN;
	return gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
}

static bool calibrated(const struct design *d)
{
	return d->cal && d->cal->method != WEIGHTING_NONE;
}

/* Take out of the k columns of z (n x k, row-major) what the calibration
 * explains, as R's svyrecvar does with a design's postStrata. */
static void residualise(const struct design *d, double *z, size_t k)
{
	const struct calibration *c = d->cal;
	if (c->method == WEIGHTING_LINEAR) {
		/* R's qr.resid(qr(x sqrt(w0)), z / w) * w with w = w0 g: z less
		 * w x'beta, beta = (sum w0 x x')^-1 sum x z / g */
		size_t p = c->p;
		double *b = xmalloc(p * sizeof(double)), *beta = xmalloc(p * sizeof(double));
		for (size_t j = 0; j < k; j++) {
			memset(b, 0, p * sizeof(double));
			memset(beta, 0, p * sizeof(double));
			for (size_t i = 0; i < d->n; i++) {
				double zi = z[i * k + j];
				if (zi == 0)
					continue;
				double u = zi * c->w0[i] / c->wlin[i]; /* z / g */
				for (size_t a = 0; a < p; a++)
					b[a] += c->x[i * p + a] * u;
			}
			for (size_t a = 0; a < p; a++)
				for (size_t e = 0; e < p; e++)
					beta[a] += c->tinv[a * p + e] * b[e];
			for (size_t i = 0; i < d->n; i++) {
				double xb = 0;
				for (size_t a = 0; a < p; a++)
					xb += c->x[i * p + a] * beta[a];
				z[i * k + j] -= c->wlin[i] * xb;
			}
		}
		free(b);
		free(beta);
		return;
	}
	size_t n = d->n, nm = c->nmargin;
	size_t maxcat = 1;
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < nm; m++)
			if ((size_t)c->cat[i * nm + m] + 1 > maxcat)
				maxcat = (size_t)c->cat[i * nm + m] + 1;
	double *sum = xmallocarray(xmul(maxcat, k), sizeof(double));
	double *den = xmalloc(maxcat * sizeof(double));
	if (c->method == WEIGHTING_POSTSTRATIFY) {
		/* x - psw * (sum of x oldw / psw) / (sum of oldw), by post-stratum */
		memset(sum, 0, maxcat * k * sizeof(double));
		memset(den, 0, maxcat * sizeof(double));
		for (size_t i = 0; i < n; i++) {
			int g = c->cat[i * nm];
			double psw = c->psw[i * nm];
			for (size_t j = 0; j < k; j++)
				sum[g * k + j] += z[i * k + j] * c->oldw[i] / psw;
			den[g] += c->oldw[i];
		}
		for (size_t i = 0; i < n; i++) {
			int g = c->cat[i * nm];
			for (size_t j = 0; j < k; j++)
				z[i * k + j] -= sum[g * k + j] / den[g] * c->psw[i * nm];
		}
	} else {
		/* raking: ten rounds of x - psw * ave(x / psw, margin) over the
		 * margins in turn, as svyrecvar does */
		for (int round = 0; round < 10; round++) {
			for (size_t m = 0; m < nm; m++) {
				memset(sum, 0, maxcat * k * sizeof(double));
				memset(den, 0, maxcat * sizeof(double));
				for (size_t i = 0; i < n; i++) {
					int g = c->cat[i * nm + m];
					double psw = c->psw[i * nm + m];
					for (size_t j = 0; j < k; j++)
						sum[g * k + j] += z[i * k + j] / psw;
					den[g] += 1;
				}
				for (size_t i = 0; i < n; i++) {
					int g = c->cat[i * nm + m];
					for (size_t j = 0; j < k; j++)
						z[i * k + j] -=
						    c->psw[i * nm + m] * sum[g * k + j] / den[g];
				}
			}
		}
	}
	free(sum);
	free(den);
}

/* Covariance (k x k, into v) of the totals of the k columns of z (n x k,
 * row-major; changed), zero outside the domain.  Every unit of the design
 * counts, in the domain or not, as in R: a calibrated design keeps them
 * with a weight of 0, one with weights only pads the subset back to its
 * number of units with zeros. */
static void covariance(const struct design *d, double *z, size_t k, const unsigned char *present,
		       double *v)
{
	size_t n = d->n;
	if (calibrated(d))
		residualise(d, z, k);
	if (d->smp) {
		sampling_covariance(d->smp, z, k, calibrated(d) ? NULL : present, v);
		return;
	}
	double *mean = xcalloc(k, sizeof(double));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < k; j++)
			mean[j] += z[i * k + j];
	for (size_t j = 0; j < k * k; j++)
		v[j] = n > 1 ? 0 : NAN;
	if (n > 1) {
		for (size_t j = 0; j < k; j++)
			mean[j] /= (double)n;
		for (size_t i = 0; i < n; i++)
			for (size_t a = 0; a < k; a++)
				for (size_t b = 0; b < k; b++)
					v[a * k + b] +=
					    (z[i * k + a] - mean[a]) * (z[i * k + b] - mean[b]);
		double scale = (double)n / (double)(n - 1);
		for (size_t j = 0; j < k * k; j++)
			v[j] *= scale;
	}
	free(mean);
}

double estimate_df(const struct design *d, const unsigned char *in)
{
	if (d->smp)
		return sampling_df(d->smp, d->w, in);
	size_t units = 0;
	for (size_t i = 0; i < d->n; i++)
		units += !in || in[i];
	return units ? (double)units - 1 : NAN;
}

/* The units of the domain with a value (keep), and the domain's size. */
static size_t domain(const struct design *d, const double *y, const unsigned char *in,
		     unsigned char *keep, size_t *units)
{
	size_t n = 0;
	*units = 0;
	for (size_t i = 0; i < d->n; i++) {
		bool dom = !in || in[i];
		*units += dom;
		keep[i] = dom && !isnan(y[i]);
		n += keep[i];
	}
	return n;
}

static void clear(struct estimate *e)
{
	e->value = e->se = e->ci_low = e->ci_high = NAN;
	e->wilson_low = e->wilson_high = e->neff = e->cv = e->df = e->deff = NAN;
	e->n = 0;
	e->wsum = 0;
}

/* Mean (total = false) or total of y over the domain; *var its variance.
 * Two passes over the units besides the variance's: the domain with its
 * sums, then the linearised values with the squares of the design effect
 * (each sum in the units' order, as before they were fused). */
static double linear(const struct design *d, const double *y, const unsigned char *in, bool total,
		     struct estimate *e)
{
	size_t n = d->n, units = 0;
	const double *w = d->w;
	unsigned char *keep = xmalloc(n ? n : 1);
	double *z = xcalloc(n ? n : 1, sizeof(double));
	clear(e);
	double sw = 0, swy = 0;
	for (size_t i = 0; i < n; i++) {
		bool dom = !in || in[i];
		units += dom;
		keep[i] = dom && !isnan(y[i]);
		if (keep[i]) {
			e->n++;
			sw += w[i], swy += w[i] * y[i];
		}
	}
	e->wsum = sw;
	double var = NAN;
	if (e->n && sw > 0) {
		double mean = swy / sw;
		e->value = total ? swy : mean;
		/* R's vsrs: svyvar(y) (psum - n) / (psum n), times psum^2 for a
		 * total, over the units kept with a weight */
		size_t nw = 0;
		double ss = 0;
		for (size_t i = 0; i < n; i++) {
			if (!keep[i])
				continue;
			z[i] = total ? w[i] * y[i] : w[i] * (y[i] - mean) / sw;
			if (w[i] != 0) {
				nw++;
				ss += w[i] * (y[i] - mean) * (y[i] - mean);
			}
		}
		covariance(d, z, 1, keep, &var);
		if (nw > 1 && sw >= (double)nw) {
			double s2 = ss / sw * (double)nw / (double)(nw - 1);
			double vsrs = s2 * (sw - (double)nw) / (sw * (double)nw);
			e->deff = var / (total ? vsrs * sw * sw : vsrs);
		}
	}
	e->se = sqrt(var);
	/* the domain's degrees of freedom, answered or not: R's degf() of the
	 * design subset to the domain, as svyciprop and confint use it */
	e->df = !units ? NAN : d->df_known ? d->df : estimate_df(d, in);
	e->cv = e->se / e->value;
	free(keep);
	free(z);
	return var;
}

void estimate_mean(const struct design *d, const double *y, const unsigned char *in,
		   struct estimate *e)
{
	linear(d, y, in, false, e);
	double t = estimate_tquantile(e->df, 0.05);
	e->ci_low = e->value - t * e->se;
	e->ci_high = e->value + t * e->se;
}

void estimate_total(const struct design *d, const double *y, const unsigned char *in,
		    struct estimate *e)
{
	linear(d, y, in, true, e);
	double t = estimate_tquantile(e->df, 0.05);
	e->ci_low = e->value - t * e->se;
	e->ci_high = e->value + t * e->se;
}

void estimate_proportion(const struct design *d, const double *y, const unsigned char *in,
			 struct estimate *e)
{
	double var = linear(d, y, in, false, e);
	double p = e->value, df = e->df;
	if (isnan(p))
		return;
	if (p > 0 && p < 1) {
		double t = estimate_tquantile(df, 0.05);
		double beta = log(p / (1 - p)), sb = e->se / (p * (1 - p));
		e->ci_low = 1 / (1 + exp(-(beta - t * sb)));
		e->ci_high = 1 / (1 + exp(-(beta + t * sb)));
	} else {
		e->ci_low = e->ci_high = p; /* no variance on the logit scale */
	}
	if (var > 0) {
		double z = gsl_cdf_ugaussian_Pinv(0.975), n = p * (1 - p) / var;
		double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
		double half = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
		e->neff = n;
		e->wilson_low = centre - half;
		e->wilson_high = centre + half;
	}
}

struct wpoint {
	double x, w;
};

/* R's qrule_math (its qs()) on sorted points with positive weights: the
 * value where the cumulated weight reaches p of the total, the next one when
 * it is passed.  R's cumsum() and sum() add in long double and round each
 * result to double: so here, or a share that is exactly p in R (weights 0.3,
 * 0.1, 0.2: 0.3 of 0.6) is a hair off it in double and the median moves. */
static double qrule_math(const struct wpoint *v, size_t n, double total, double p)
{
	long double cum = 0;
	double cumpos = 0;
	size_t pos = 0; /* 1-based position of the last cumw <= p total */
	for (size_t i = 0; i < n; i++) {
		cum += v[i].w;
		if ((double)cum <= p * total) {
			pos = i + 1;
			cumpos = (double)cum;
		}
	}
	if (!pos)
		return v[0].x;
	if (p - cumpos / total == 0)
		return v[pos - 1].x;
	return v[pos < n ? pos : n - 1].x;
}

size_t *estimate_order(const double *y, size_t n, size_t *norder)
{
	double *x = xmalloc((n ? n : 1) * sizeof(double));
	size_t *pos = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(y[i])) {
			x[m] = y[i];
			pos[m++] = i;
		}
	size_t *idx = xmalloc((m ? m : 1) * sizeof(size_t));
	order_doubles(x, m, idx);
	for (size_t j = 0; j < m; j++)
		idx[j] = pos[idx[j]];
	free(x);
	free(pos);
	*norder = m;
	return idx;
}

void estimate_median(const struct design *d, const double *y, const unsigned char *in,
		     struct estimate *e)
{
	size_t m;
	size_t *order = estimate_order(y, d->n, &m);
	estimate_median_ordered(d, y, order, m, in, e);
	free(order);
}

void estimate_median_ordered(const struct design *d, const double *y, const size_t *order,
			     size_t norder, const unsigned char *in, struct estimate *e)
{
	size_t n = d->n, units, m = 0;
	unsigned char *keep = xmalloc(n ? n : 1);
	clear(e);
	e->n = domain(d, y, in, keep, &units);
	struct wpoint *v = xmalloc((e->n ? e->n : 1) * sizeof(*v));
	long double sum = 0; /* as R's sum(), in the data's order */
	for (size_t i = 0; i < n; i++)
		if (keep[i] && d->w[i] > 0)
			sum += d->w[i];
	/* R's order(): by value, ties in the data's order; the domain's units
	 * taken from the whole order keep it */
	for (size_t j = 0; j < norder; j++) {
		size_t i = order[j];
		if (!keep[i] || !(d->w[i] > 0))
			continue;
		v[m].x = y[i];
		v[m].w = d->w[i];
		m++;
	}
	double total = (double)sum;
	e->wsum = total;
	e->df = e->n ? estimate_df(d, keep) : NAN;
	if (m) {
		e->value = qrule_math(v, m, total, 0.5);
		double *below = xmalloc((n ? n : 1) * sizeof(double));
		for (size_t i = 0; i < n; i++)
			below[i] = keep[i] ? (double)(y[i] <= e->value) : NAN;
		struct estimate pm;
		linear(d, below, in, false, &pm);
		double t = estimate_tquantile(e->df, 0.05);
		double lo = pm.value - t * pm.se, hi = pm.value + t * pm.se;
		e->ci_low = isnan(lo) || lo < 0 ? NAN : qrule_math(v, m, total, lo);
		e->ci_high = isnan(hi) || hi > 1 ? NAN : qrule_math(v, m, total, hi);
		e->se = (e->ci_high - e->ci_low) / (2 * t);
		e->cv = e->se / e->value;
		free(below);
	}
	free(v);
	free(keep);
}

/* C = X12's interaction columns less their projection on X1 (main
 * effects), over the nr x nc cells, rows varying fastest. */
static gsl_matrix *interaction_contrasts(size_t nr, size_t nc)
{
	size_t cells = nr * nc, p1 = nr + nc - 1, pi = (nr - 1) * (nc - 1);
	gsl_matrix *x1 = gsl_matrix_calloc(cells, p1);
	gsl_matrix *xi = gsl_matrix_calloc(cells, pi);
	for (size_t c = 0; c < nc; c++)
		for (size_t r = 0; r < nr; r++) {
			size_t cell = r + nr * c;
			gsl_matrix_set(x1, cell, 0, 1);
			if (r)
				gsl_matrix_set(x1, cell, r, 1);
			if (c)
				gsl_matrix_set(x1, cell, nr - 1 + c, 1);
			if (r && c)
				gsl_matrix_set(xi, cell, (r - 1) + (nr - 1) * (c - 1), 1);
		}
	/* residuals of xi on x1: xi - x1 (x1'x1)^-1 x1' xi */
	gsl_matrix *a = gsl_matrix_alloc(p1, p1), *b = gsl_matrix_alloc(p1, pi);
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1, x1, x1, 0, a);
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1, x1, xi, 0, b);
	gsl_permutation *perm = gsl_permutation_alloc(p1);
	int sign;
	gsl_linalg_LU_decomp(a, perm, &sign);
	gsl_vector *col = gsl_vector_alloc(p1);
	for (size_t j = 0; j < pi; j++) {
		gsl_vector_view bj = gsl_matrix_column(b, j);
		gsl_linalg_LU_solve(a, perm, &bj.vector, col);
		gsl_vector_memcpy(&bj.vector, col);
	}
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1, x1, b, 1, xi);
	gsl_vector_free(col);
	gsl_permutation_free(perm);
	gsl_matrix_free(a);
	gsl_matrix_free(b);
	gsl_matrix_free(x1);
	return xi;
}

enum status estimate_chisq(const struct design *d, const int *a, size_t na, const int *b, size_t nb,
			   struct chisq *out, struct error *err)
{
	size_t n = d->n;
	enum status st = TERRAIN_OK;
	memset(out, 0, sizeof(*out));
	out->pearson = out->F = out->ndf = out->ddf = out->p = NAN;
	/* the categories that occur, as R's unique() of each variable */
	int *ra = xmalloc((na ? na : 1) * sizeof(int)), *rb = xmalloc((nb ? nb : 1) * sizeof(int));
	for (size_t k = 0; k < na; k++)
		ra[k] = -1;
	for (size_t k = 0; k < nb; k++)
		rb[k] = -1;
	for (size_t i = 0; i < n; i++) {
		if (a[i] >= 0)
			ra[a[i]] = 0;
		if (b[i] >= 0)
			rb[b[i]] = 0;
	}
	size_t nr = 0, nc = 0;
	for (size_t k = 0; k < na; k++)
		if (!ra[k])
			ra[k] = (int)nr++;
	for (size_t k = 0; k < nb; k++)
		if (!rb[k])
			rb[k] = (int)nc++;
	out->nr = nr;
	out->nc = nc;
	if (nr < 2 || nc < 2) {
		st = error_set(err, TERRAIN_EDATA,
			       "a test of independence needs two categories or more on each side "
			       "(found %zu and %zu)",
			       nr, nc);
		free(ra);
		free(rb);
		return st;
	}
	size_t cells = nr * nc;
	unsigned char *keep = xmalloc(n ? n : 1);
	double *z = xcalloc((n ? n : 1) * cells, sizeof(double));
	double *p = xcalloc(cells, sizeof(double));
	double *v = xmallocarray(xmul(cells, cells), sizeof(double));
	double sw = 0;
	for (size_t i = 0; i < n; i++) {
		keep[i] = a[i] >= 0 && b[i] >= 0;
		if (!keep[i])
			continue;
		sw += d->w[i];
		p[ra[a[i]] + nr * rb[b[i]]] += d->w[i];
	}
	for (size_t j = 0; j < cells; j++)
		p[j] /= sw;
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		size_t cell = ra[a[i]] + nr * rb[b[i]];
		for (size_t j = 0; j < cells; j++)
			z[i * cells + j] = d->w[i] * ((j == cell) - p[j]) / sw;
	}
	covariance(d, z, cells, keep, v);

	/* Pearson's X² on the table scaled to n units */
	double N = (double)n, x2 = 0;
	double *rs = xcalloc(nr, sizeof(double)), *cs = xcalloc(nc, sizeof(double));
	for (size_t c = 0; c < nc; c++)
		for (size_t r = 0; r < nr; r++)
			rs[r] += N * p[r + nr * c], cs[c] += N * p[r + nr * c];
	for (size_t c = 0; c < nc; c++)
		for (size_t r = 0; r < nr; r++) {
			double e = rs[r] * cs[c] / N, o = N * p[r + nr * c];
			x2 += (o - e) * (o - e) / e;
		}
	out->pearson = x2;

	/* Delta = (C' D^-1 C / N)^-1 C' D^-1 V D^-1 C */
	gsl_matrix *cm = interaction_contrasts(nr, nc);
	size_t q = cm->size2;
	gsl_matrix *dc = gsl_matrix_alloc(cells, q); /* D^-1 C */
	for (size_t j = 0; j < cells; j++)
		for (size_t k = 0; k < q; k++)
			gsl_matrix_set(dc, j, k, p[j] > 0 ? gsl_matrix_get(cm, j, k) / p[j] : 0);
	gsl_matrix_view vm = gsl_matrix_view_array(v, cells, cells);
	gsl_matrix *den = gsl_matrix_alloc(q, q), *num = gsl_matrix_alloc(q, q);
	gsl_matrix *tmp = gsl_matrix_alloc(cells, q), *delta = gsl_matrix_alloc(q, q);
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1 / N, cm, dc, 0, den);
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1, &vm.matrix, dc, 0, tmp);
	gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1, dc, tmp, 0, num);
	gsl_permutation *perm = gsl_permutation_alloc(q);
	int sign;
	gsl_vector *col = gsl_vector_alloc(q);
	if (gsl_linalg_LU_decomp(den, perm, &sign) || fabs(gsl_linalg_LU_det(den, sign)) < 1e-300) {
		st = error_set(err, TERRAIN_EDATA,
			       "the test of independence cannot be computed "
			       "(a singular table)");
	} else {
		for (size_t j = 0; j < q; j++) {
			gsl_vector_view nj = gsl_matrix_column(num, j);
			gsl_linalg_LU_solve(den, perm, &nj.vector, col);
			gsl_matrix_set_col(delta, j, col);
		}
		double tr = 0, tr2 = 0;
		for (size_t j = 0; j < q; j++) {
			tr += gsl_matrix_get(delta, j, j);
			for (size_t k = 0; k < q; k++)
				tr2 += gsl_matrix_get(delta, j, k) * gsl_matrix_get(delta, k, j);
		}
		/* svychisq's nu: PSUs - strata of the whole design */
		double d0 = tr * tr / tr2, nu = d->smp ? estimate_df(d, NULL) : N - 1;
		out->F = x2 / tr;
		out->ndf = d0;
		out->ddf = d0 * nu;
		out->p = gsl_cdf_fdist_Q(out->F, out->ndf, out->ddf);
	}
	gsl_vector_free(col);
	gsl_permutation_free(perm);
	gsl_matrix_free(cm);
	gsl_matrix_free(dc);
	gsl_matrix_free(den);
	gsl_matrix_free(num);
	gsl_matrix_free(tmp);
	gsl_matrix_free(delta);
	free(rs);
	free(cs);
	free(keep);
	free(z);
	free(p);
	free(v);
	free(ra);
	free(rb);
	return st;
}
