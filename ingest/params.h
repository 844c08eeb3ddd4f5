/* Loading the budget parameters (core/params.h) from their CSV: columns
 * id;structure;valid_from;value;unit_fr;unit_en;label;source_fr;source_en;confidence;
 * note_fr;note_en, '#' lines first. */
#ifndef TERRAIN_INGEST_PARAMS_H
#define TERRAIN_INGEST_PARAMS_H

#include "../core/error.h"
#include "../core/params.h"

/* Read path into *out.  Every problem is TERRAIN_EDATA naming
 * file:line:column and what was expected: a malformed id, an unknown
 * structure, a date that is not YYYY-MM-DD, a value that is not a number,
 * an empty unit_fr, unit_en, label, source_fr or source_en, a confidence other than C, S or U, a
 * value defined twice, an id that mixes a rule and dated values.  On error
 * *out is released. */
enum status params_load(const char *path, struct params *out, struct error *err);

#endif
