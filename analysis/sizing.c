#include "sizing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

#define Z95 1.959963984540054 /* the 97.5 % normal quantile */

struct sizing_range sizing_census_count(double n, double f)
{
	double half = f >= 1 ? 0 : Z95 * sqrt(n * (1 - f) / f);
	return (struct sizing_range){n, fmax(0, n - half), n + half};
}

struct sizing_range sizing_rounded_count(double n, size_t units, double step)
{
	double half = (double)units * step / 2;
	return (struct sizing_range){n, fmax(0, n - half), n + half};
}

enum status sizing_target(const struct sizing_term *terms, size_t n, struct sizing_range *out,
			  struct error *err)
{
	*out = (struct sizing_range){NAN, NAN, NAN};
	if (!n)
		return error_set(err, TERRAIN_EDATA, "the target public has no base count");
	struct sizing_range r = {1, 1, 1};
	for (size_t i = 0; i < n; i++) {
		const struct sizing_term *t = &terms[i];
		const struct sizing_range *v = &t->v;
		if (i == 0 && t->share)
			return error_set(
			    err, TERRAIN_EDATA,
			    "the target public starts with a share (\"%s\"): expected a "
			    "count first",
			    t->label);
		if (i > 0 && !t->share)
			return error_set(
			    err, TERRAIN_EDATA,
			    "\"%s\" is a count: after the base count, the target public "
			    "takes shares",
			    t->label);
		if (isnan(v->central) || isnan(v->low) || isnan(v->high))
			return error_set(err, TERRAIN_EDATA, "\"%s\" has no value", t->label);
		if (!(v->low <= v->central && v->central <= v->high))
			return error_set(err, TERRAIN_EDATA,
					 "\"%s\": the range [%g, %g] does not hold the value %g",
					 t->label, v->low, v->high, v->central);
		if (v->low < 0 || (t->share && v->high > 1))
			return error_set(err, TERRAIN_EDATA,
					 t->share ? "\"%s\": a share must lie between 0 and 1"
						  : "\"%s\": a count cannot be negative",
					 t->label);
		r.central *= v->central;
		r.low *= v->low;
		r.high *= v->high;
	}
	*out = r;
	return TERRAIN_OK;
}

struct sizing_range sizing_coverage(double capacity, const struct sizing_range *target)
{
	struct sizing_range c;
	c.central = target->central > 0 ? capacity / target->central * 1000 : NAN;
	c.low = target->high > 0 ? capacity / target->high * 1000 : NAN;
	c.high = target->low > 0 ? capacity / target->low * 1000 : NAN;
	return c;
}

void sizing_deficit(double goal, double capacity, const struct sizing_range *target,
		    struct sizing_deficit *out)
{
	out->posts.central = fmax(0, goal * target->central / 1000 - capacity);
	out->posts.low = fmax(0, goal * target->low / 1000 - capacity);
	out->posts.high = fmax(0, goal * target->high / 1000 - capacity);
	/* 1e-9: a deficit of 12.000000001 from rounding is 12 posts */
	out->posts_to_open = ceil(out->posts.central - 1e-9);
	if (out->posts_to_open < 0)
		out->posts_to_open = 0;
}

struct sizing_range sizing_census_share(double p, double den, double f)
{
	double half = f >= 1 || !(den > 0) ? 0 : Z95 * sqrt(p * (1 - p) * (1 - f) / (den * f));
	return (struct sizing_range){p, fmax(0, p - half), fmin(1, p + half)};
}

void sizing_offer_add(struct sizing_offer *o, int type, double places, double etp)
{
	if (type < 0 || type >= SIZING_NTYPES)
		type = SIZING_NTYPES - 1;
	o->structures++;
	o->by_type[type]++;
	double cap = !isnan(places) ? places : etp;
	if (isnan(cap)) {
		o->unknown_capacity++;
		return;
	}
	if (isnan(places))
		o->from_etp++;
	o->places_by_type[type] += cap;
	o->capacity += cap;
}

enum sizing_range_kind sizing_indicator_range(const struct indicator_value *v, bool share,
					      struct sizing_range *out)
{
	const struct indicator_def *d = v->def;
	/* a census ratio: its numerator is a census count (census.*), not
	 * caf.* or cog.*, whose sampling error is not the census's */
	bool census = !strncmp(d->numerator, "census.", 7);
	if (!share && v->f < 1) {
		*out = sizing_census_count(v->value, v->f);
		return SIZING_RANGE_CENSUS;
	}
	if (!share && (v->flags & INDICATOR_ROUNDED)) {
		*out = sizing_rounded_count(v->value, v->covered, 5);
		return SIZING_RANGE_ROUNDED;
	}
	if (share && d->kind == INDICATOR_RATIO && census && v->f < 1) {
		*out = sizing_census_share(v->value / 100, v->den, v->f);
		return SIZING_RANGE_CENSUS;
	}
	double x = share ? v->value / 100 : v->value;
	*out = (struct sizing_range){x, x, x};
	return SIZING_RANGE_NONE;
}

void sizing_offer_in(const struct geo *g, const struct offer *off, const struct territory *t,
		     struct sizing_offer *o)
{
	size_t *u;
	size_t n = territory_units(g, t, &u);
	char *in = xcalloc(g->ncom ? g->ncom : 1, 1);
	for (size_t k = 0; k < n; k++)
		in[u[k]] = 1;
	free(u);
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < off->n; i++) {
		const struct offer_structure *x = &off->v[i];
		size_t c = x->commune;
		if (g->com[c].kind == GEO_ARM && !in[c] && g->com[c].city != GEO_NONE)
			c = g->com[c].city;
		if (in[c])
			sizing_offer_add(o, (int)x->type, x->places, x->etp);
	}
	free(in);
}
