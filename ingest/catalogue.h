/* Loading the indicator catalogue (core/catalogue.h) from its CSV:
 * columns id;label_fr;label_en;kind;numerator;denominator;years;scale;unit;
 * decimals;polarity;theme;source_fr;source_en;note_fr;note_en, '#' lines
 * first. */
#ifndef TERRAIN_INGEST_CATALOGUE_H
#define TERRAIN_INGEST_CATALOGUE_H

#include "../core/catalogue.h"
#include "../core/error.h"

/* Read path into *out (empty first).  Every problem is TERRAIN_EDATA naming
 * file:line:column and what was expected: an unknown kind or polarity, a
 * malformed or duplicate id, a ratio or growth without a denominator, a
 * count or rate with one, a growth without years, a scale that is not a
 * positive number, decimals outside 0..3, an unknown theme, a source
 * missing in either language.  On error *out is released. */
enum status catalogue_load(const char *path, struct catalogue *out, struct error *err);

#endif
