/* The sizing of terrain project size in text, CSV or JSON: the target
 * public with its terms and range, the offer, coverage, deficit and posts
 * to open, each figure with its origin. */
#ifndef TERRAIN_SIZING_REPORT_H
#define TERRAIN_SIZING_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../analysis/sizing.h"
#include "format.h"

/* Labels and units in French, or in English when en; the ids (CSV column
 * "item" / "identifiant", JSON keys) stay as they are.  The terms' labels
 * and origins come as the sizing wrote them (cli_project_size writes them
 * in the project's language). */
void report_sizing(FILE *fp, enum report_format fmt, const struct sizing_result *r, bool en);

#endif
