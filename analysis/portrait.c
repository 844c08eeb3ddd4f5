#include "portrait.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trend.h"

double portrait_annual_growth(double from, double to, int years)
{
	return 100.0 * trend_annual_growth(from, to, years);
}

static void sum(const struct comtable *t, size_t var, const size_t *u, size_t n,
		struct portrait_figure *f)
{
	f->value = NAN;
	f->covered = 0;
	f->units = n;
	if (var == (size_t)-1)
		return;
	double s = 0;
	for (size_t k = 0; k < n; k++) {
		double x = comtable_get(t, u[k], var);
		if (isnan(x))
			continue;
		s += x;
		f->covered++;
	}
	if (f->covered)
		f->value = s;
}

void portrait_compute(const struct geo *g, const struct comtable *pop_cog,
		      const struct comtable *census, const struct territory *t,
		      struct portrait *out)
{
	size_t *m, *u;
	memset(out, 0, sizeof(*out));
	out->t = *t;
	out->nmembers = territory_members(g, t, &m);
	free(m);
	size_t n = territory_units(g, t, &u);

	for (int y = 0; y < GEO_NCOG; y++) {
		char name[24];
		snprintf(name, sizeof(name), "pop_cog%d", GEO_COG_FIRST + y);
		sum(pop_cog, comtable_var(pop_cog, name), u, n, &out->pop_cog[y]);
	}
	size_t v0 = comtable_var(census, "population_2015");
	size_t v1 = comtable_var(census, "population_2021");
	sum(census, v0, u, n, &out->census[0]);
	sum(census, v1, u, n, &out->census[1]);

	/* growth over the units that have both years, so that a unit missing
	 * one year does not pass for a population change */
	double a = 0, b = 0;
	size_t both = 0;
	for (size_t k = 0; v0 != (size_t)-1 && v1 != (size_t)-1 && k < n; k++) {
		double x = comtable_get(census, u[k], v0), y = comtable_get(census, u[k], v1);
		if (isnan(x) || isnan(y))
			continue;
		a += x;
		b += y;
		both++;
	}
	out->growth.units = n;
	out->growth.covered = both;
	out->growth.value =
	    both ? portrait_annual_growth(a, b, PORTRAIT_CENSUS_LAST - PORTRAIT_CENSUS_FIRST) : NAN;
	free(u);
}
