/* Reading a margins file: the population counts (or shares) that weighting
 * makes the survey match.  A ';' or ',' CSV with a header
 *
 *   variable;category;target
 *   sexe;F;5200
 *   sexe;H;4800
 *
 * one row per category of each variable used (a single or ordinal variable
 * of the codebook; the category by its code or label); "a*b;x*y" gives a
 * crossed cell of two such variables, and "n;;T" a numeric variable's total
 * T (linear calibration only).  A variable whose
 * targets sum to 1 or 100 (or end in '%') gives shares, scaled to the total
 * of the variables given as counts, or to the sum of the initial weights
 * when none is.  Count margins must agree on the total (a gap under 0.5 %
 * is rescaled away, with a note). */
#ifndef TERRAIN_MARGINS_FILE_H
#define TERRAIN_MARGINS_FILE_H

#include "../core/error.h"
#include "../core/margins.h"
#include "../core/survey.h"

/* Read path for the survey s (its codebook loaded).  m is initialised
 * here; its total is NAN when every margin is a share. */
enum status margins_load(struct margins *m, const char *path, const struct survey *s,
			 struct error *err);

#endif
