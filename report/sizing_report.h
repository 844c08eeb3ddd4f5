/* The sizing of terrain project size in text, CSV or JSON: the target
 * public with its terms and range, the offer, coverage, deficit and posts
 * to open, each figure with its origin. */
#ifndef TERRAIN_SIZING_REPORT_H
#define TERRAIN_SIZING_REPORT_H

#include <stdio.h>

#include "../analysis/sizing.h"
#include "format.h"

void report_sizing(FILE *fp, enum report_format fmt, const struct sizing_result *r);

#endif
