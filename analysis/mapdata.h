/* What a map of a territory shows (issue 15): its units and their values.
 *
 *   a commune (or an arrondissement: its city) the communes of its EPCI, or
 *              of its zone d'emploi when the EPCI has fewer than
 *              MAPDATA_MIN_EPCI communes (or none), the commune outlined
 *   an EPCI, a département, a custom territory   its communes
 *   a région   its départements, each with its own value (never an
 *              average of its communes' rates)
 *
 * Pure computation on the geography and the indicators' input, no I/O. */
#ifndef TERRAIN_MAPDATA_H
#define TERRAIN_MAPDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/catalogue.h"
#include "../core/error.h"
#include "../core/geo.h"
#include "../core/territory.h"
#include "indicators.h"

#define MAPDATA_MIN_EPCI 8

enum mapdata_frame {
	MAPDATA_EPCI, /* a commune's EPCI */
	MAPDATA_ZE,   /* a commune's zone d'emploi */
	MAPDATA_SELF, /* the territory's own communes or départements */
};

struct mapdata {
	bool deps;    /* the units are départements (a région's map) */
	size_t *unit; /* owned: indexes in geo.com, or geo.dep when deps */
	size_t n;
	size_t outlined; /* position in unit of the studied commune, or GEO_NONE */
	enum mapdata_frame frame;
	const char *frame_name; /* borrowed: the EPCI's or zone's name; NULL for SELF */
	char (*dep)[4];		/* owned: the départements the outlines come from */
	size_t ndep;
};

/* The units of t's map into out (zeroed or released).  z (the whole
 * zonages, may be NULL) gives a commune's zone d'emploi.  TERRAIN_ENOTFOUND
 * for a territory with no map (France; a commune with no EPCI nor zone). */
enum status mapdata_units(const struct geo *g, const struct geo_zonages *z,
			  const struct territory *t, struct mapdata *out, struct error *err);
void mapdata_release(struct mapdata *m);

enum mapdata_status {
	MAPDATA_VALUE,
	MAPDATA_SECRET,
	MAPDATA_MISSING
};

/* The value of the indicator def (borrowed from its catalogue) for each
 * unit of m: value[i] in the indicator's unit and status[i]; a secret or
 * missing value is NAN with MAPDATA_SECRET or MAPDATA_MISSING. */
void mapdata_values(const struct indicators_input *in, const struct indicator_def *def,
		    const struct mapdata *m, double *value, enum mapdata_status *status);

/* Is one of communes ("38185,38151", COG codes of any vintage, converted)
 * a commune unit of m?  Always false on a map of départements. */
bool mapdata_has_commune(const struct geo *g, const struct mapdata *m, const char *communes);

#endif
