/* The territory portrait: who the territory is and how many live there.
 * Populations carried by each COG package and the census populations 2015
 * and 2021 with the annual growth between them, every figure summed over
 * the territory's communes (never an average of rates), with its coverage.
 * Pure computation: reads the geography and comtables, no I/O. */
#ifndef TERRAIN_PORTRAIT_H
#define TERRAIN_PORTRAIT_H

#include <stddef.h>

#include "../core/comtable.h"
#include "../core/geo.h"
#include "../core/territory.h"

struct portrait_figure {
	double value;	/* NAN when no unit has a value */
	size_t covered; /* units with a value */
	size_t units;	/* units of the territory */
};

#define PORTRAIT_CENSUS_FIRST 2015
#define PORTRAIT_CENSUS_LAST  2021

struct portrait {
	struct territory t;
	size_t nmembers;			  /* territory_members() */
	struct portrait_figure pop_cog[GEO_NCOG]; /* population in COG 2021..2026 */
	struct portrait_figure census[2];	  /* population 2015, 2021 */
	/* annual growth rate 2015-2021 in %, over the units with both
	 * populations: 100 * ((P2021 / P2015)^(1/6) - 1) */
	struct portrait_figure growth;
};

/* pop_cog and census are the bundle's tables (variables pop_cogYEAR and
 * population_YEAR). */
void portrait_compute(const struct geo *g, const struct comtable *pop_cog,
		      const struct comtable *census, const struct territory *t,
		      struct portrait *out);

/* Annual growth rate in % between two populations n years apart; NAN when
 * either is not positive or n is 0. */
double portrait_annual_growth(double from, double to, int years);

#endif
