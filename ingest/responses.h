/* Loading the table of responses by theme (core/responses.h) from its CSV:
 * columns theme;public_fr;public_en;family_fr;family_en;schemes_fr;
 * schemes_en;source_fr;source_en;url, '#' lines first. */
#ifndef TERRAIN_INGEST_RESPONSES_H
#define TERRAIN_INGEST_RESPONSES_H

#include "../core/error.h"
#include "../core/responses.h"

/* Read path into *out (empty first).  Every problem is TERRAIN_EDATA naming
 * file:line:column and what was expected: an unknown theme, an empty
 * field (every row needs its texts in both languages and its source), a
 * url that is not https://, the same response twice for a theme.  On
 * error *out is released. */
enum status responses_load(const char *path, struct responses *out, struct error *err);

#endif
