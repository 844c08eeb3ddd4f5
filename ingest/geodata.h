/* Load the bundled geography (the CSV files of datasets/geo/,
 * built by datasets/build.py) into a struct geo. */
#ifndef TERRAIN_GEODATA_H
#define TERRAIN_GEODATA_H

#include "../core/error.h"
#include "../core/geo.h"

/* Read DIR/geo/regions.csv, departements.csv, epci.csv and communes.csv.
 * g must be initialised; on error it is released.  Errors name
 * file:line:column and the value found. */
enum status geodata_load(struct geo *g, const char *dir, struct error *err);

#endif
