/* The maps stage of a run (issue 15): the territory's units and outlines,
 * the poverty rate, the median living standard, the census unemployment
 * rate and the ids of the project's [note] maps, each drawn on one prepared
 * map.  A territory with no map (France) has none: no error.  An unknown
 * id is an error naming the project file's line. */
#ifndef TERRAIN_MAPS_STAGE_H
#define TERRAIN_MAPS_STAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "../analysis/mapdata.h"
#include "../core/error.h"
#include "../core/project.h"
#include "../core/shape.h"
#include "../core/territory.h"
#include "../report/map.h"
#include "bundle.h"
#include "indicators_job.h"

struct maps_stage {
	struct mapdata md;
	struct shapes com, qpv;
	struct map map;
	bool ready; /* map prepared: the note has maps */
	struct map_layer *layers;
	size_t n;
	double *value;		     /* n x md.n */
	enum mapdata_status *status; /* n x md.n */
};

enum status maps_stage_run(struct maps_stage *s, const struct project *p, const struct bundle *b,
			   const struct indicators_job *ind, const struct territory *t,
			   struct error *err);
void maps_stage_release(struct maps_stage *s);

#endif
