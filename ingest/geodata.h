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

/* The zonages (datasets/geo/zonages.csv and zonages_zones.csv, built by
 * datasets/build.py from INSEE's table d'appartenance géographique des
 * communes 2024), apart from geodata_load: only the commands that print a
 * commune's zones read them. */

/* Read DIR/geo/zonages_zones.csv (level;code;name;communes_2024), then
 * DIR/geo/zonages.csv (code;ze2020;bv2022;uu2020;aav2020;cateaav2020;
 * cog2024_codes).  z must be initialised; on error it is released.  Errors
 * name file:line:column and the value found: a zone code the zones file
 * does not name, a category that is not INSEE's, codes out of order. */
enum status geodata_load_zonages(struct geo_zonages *z, const char *dir, struct error *err);

/* The same for one commune or arrondissement (code of COG 2026) and its
 * zones only: what `terrain territory show` and the note need, read without
 * parsing the whole table (a few ms instead of 12).  Not finding code is
 * no error: z has no row.  Errors are those of geodata_load_zonages for the
 * lines read, with their true line numbers. */
enum status geodata_load_zonages_of(struct geo_zonages *z, const char *dir, const char *code,
				    struct error *err);

/* The same for one zone: the rows of the communes and arrondissements
 * whose zone at level is code, and the zones those rows name (at every
 * level).  Not finding code is no error: z has no zone code at level. */
enum status geodata_load_zonages_zone(struct geo_zonages *z, const char *dir, enum geo_zonage level,
				      const char *code, struct error *err);

/* A geo_zonages_load_fn (core/geo.h) over the three above: ctx is the
 * datasets folder (const char *); key NULL reads the whole table. */
enum status geodata_zonages_loader(const void *ctx, const struct geo_zonages_key *key,
				   struct geo_zonages *z, struct error *err);

#endif
