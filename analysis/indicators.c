#include "indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	default:
		return "";
	}
}

static unsigned flags_of(const struct indicator_value *v)
{
	unsigned fl = 0;
	if (isnan(v->value))
		return 0;
	if (v->def->kind == INDICATOR_RATIO && (v->num < 20 || (v->f < 1 && v->num < 200)))
		fl |= INDICATOR_SMALL;
	if (v->units && (double)v->covered < 0.95 * (double)v->units)
		fl |= INDICATOR_LOW_COVERAGE;
	if (v->status == OBS_PROVISIONAL)
		fl |= INDICATOR_PROVISIONAL;
	return fl;
}

static size_t census_var(const struct comtable *census, const char *id)
{
	if (strncmp(id, "census.", 7) != 0)
		return (size_t)-1;
	return comtable_var(census, id + 7);
}

/* Sum num (and den, unless den_var is -1) over the units that have both. */
static void sum_pair(const struct comtable *t, size_t nv, size_t dv, const size_t *u, size_t n,
		     struct indicator_value *out)
{
	double a = 0, b = 0;
	size_t covered = 0;
	for (size_t k = 0; k < n; k++) {
		double x = comtable_get(t, u[k], nv);
		double y = dv == (size_t)-1 ? 0 : comtable_get(t, u[k], dv);
		if (isnan(x) || isnan(y))
			continue;
		a += x;
		b += y;
		covered++;
	}
	out->covered = covered;
	out->units = n;
	out->num = covered ? a : NAN;
	out->den = covered && dv != (size_t)-1 ? b : NAN;
}

/* "2026-Q1" as years (2026.0); quarters are a quarter of a year apart. */
static bool period_years(const char *p, double *out)
{
	int y, q;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4) {
		*out = y + (q - 1) / 4.0;
		return true;
	}
	if (sscanf(p, "%4d%c", &y, &tail) == 1) {
		*out = y;
		return true;
	}
	return false;
}

struct point {
	double t, y;
	const struct observation *o;
};

static int cmp_point(const void *a, const void *b)
{
	double x = ((const struct point *)a)->t, y = ((const struct point *)b)->t;
	return (x > y) - (x < y);
}

static void published(const struct obs_list *series, const struct territory *t,
		      struct indicator_value *out)
{
	const char *id = out->def->numerator;
	struct point *pts = NULL;
	size_t n = 0, alloc = 0, elsewhere = 0;
	for (size_t i = 0; i < series->n; i++) {
		const struct observation *o = &series->v[i];
		if (strcmp(o->indicator, id))
			continue;
		if (strcmp(o->territory, t->code)) {
			elsewhere++;
			continue;
		}
		double when;
		if (isnan(o->value) || !period_years(o->period, &when))
			continue;
		ALLOC_GROW(pts, n + 1, alloc);
		pts[n++] = (struct point){when, o->value, o};
	}
	if (!n) {
		out->why = elsewhere ? "not published for this type of territory"
				     : "not in the bundled data (terrain fetch)";
		free(pts);
		return;
	}
	qsort(pts, n, sizeof(*pts), cmp_point);
	const struct observation *last = pts[n - 1].o;
	out->value = last->value * out->def->scale;
	out->status = last->status;
	snprintf(out->period, sizeof(out->period), "%s", last->period);
	out->covered = out->units = 1;
	if (n >= TREND_MIN_POINTS) {
		double *tt = xcalloc(n, sizeof(double)), *yy = xcalloc(n, sizeof(double));
		for (size_t k = 0; k < n; k++) {
			tt[k] = pts[k].t;
			yy[k] = pts[k].y * out->def->scale;
		}
		out->has_trend = trend_fit(tt, yy, n, 0.95, &out->trend, NULL) == TERRAIN_OK;
		free(tt);
		free(yy);
	}
	free(pts);
}

void indicators_compute(const struct geo *g, const struct comtable *census,
			const struct obs_list *series, const struct catalogue *c,
			const struct territory *t, struct indicator_value *out)
{
	size_t *u;
	size_t n = territory_units(g, t, &u);
	size_t popv = comtable_var(census, "population_2021");
	double f = 1;
	for (size_t k = 0; k < n && popv != (size_t)-1; k++)
		if (comtable_get(census, u[k], popv) >= LARGE_COMMUNE)
			f = LARGE_FRACTION;

	for (size_t i = 0; i < c->n; i++) {
		const struct indicator_def *d = &c->v[i];
		struct indicator_value *v = &out[i];
		memset(v, 0, sizeof(*v));
		v->def = d;
		v->value = v->num = v->den = NAN;
		v->f = f;
		if (d->kind == INDICATOR_RATE) {
			published(series, t, v);
			v->flags = flags_of(v);
			continue;
		}
		size_t nv = census_var(census, d->numerator);
		size_t dv = *d->denominator ? census_var(census, d->denominator) : (size_t)-1;
		if (nv == (size_t)-1 || (*d->denominator && dv == (size_t)-1)) {
			v->why = "not in the bundled data (terrain fetch)";
			continue;
		}
		sum_pair(census, nv, dv, u, n, v);
		if (!v->covered) {
			v->why = "no data for the communes of this territory";
			continue;
		}
		switch (d->kind) {
		case INDICATOR_COUNT:
			v->value = v->num * d->scale;
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
		v->flags = flags_of(v);
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
	bool all = na > 0;
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
	if (a->def->kind != INDICATOR_RATIO)
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
