/* Reports on territories: the portrait that `terrain territory show` and
 * `terrain run` print, and the hits of `terrain territory find`, in text,
 * CSV or JSON.  Columns and keys are documented in README.md ("Output
 * formats") and stay stable. */
#ifndef TERRAIN_TERRITORY_REPORT_H
#define TERRAIN_TERRITORY_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../analysis/portrait.h"
#include "../analysis/search.h"
#include "../core/geo.h"
#include "../core/provenance.h"
#include "../core/qpv.h"
#include "format.h"

struct territory_view {
	const struct geo *geo; /* borrowed, like every field */
	const struct portrait *portrait;
	const struct territory *refs;
	size_t nrefs;
	const struct provenance *pop_prov;    /* of the COG populations */
	const struct provenance *census_prov; /* of the census figures */
	int census_cog;			      /* COG year of the census source's codes */
	bool members;			      /* list the members */
	/* text only: the territory and its references side by side (see
	 * report_comparison), printed before the sources; NULL for none */
	const struct portrait *compared;
	size_t ncompared;
	/* a commune's zones (INSEE's zonages), NULL for other territories or
	 * a commune the bundle has none for; zonage_cog2024 the COG 2024
	 * communes it is made of ("17268|17334") or "" */
	const struct geo_zonage_of *zonage;
	const char *zonage_cog2024;
	const struct provenance *zonage_prov; /* of the zonages, or NULL */
	/* the QPV 2024 lying in the territory (qpv_in_territory): rows of
	 * qpv, nqpv of them; qpv NULL: not shown */
	const struct qpv_list *qpv;
	const size_t *qpv_rows;
	size_t nqpv;
	const struct provenance *qpv_prov; /* of the QPV list, or NULL */
};

void report_territory(FILE *fp, enum report_format fmt, const struct territory_view *v);

/* The territory (first) and its references side by side: population in the
 * current COG package, census populations and annual growth, coverage. */
void report_comparison(FILE *fp, enum report_format fmt, const struct portrait *p, size_t n);

void report_find(FILE *fp, enum report_format fmt, const struct geo *g,
		 const struct search_hit *hits, size_t n);

#endif
