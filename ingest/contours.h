/* The outlines of datasets/contours/ (built by datasets/build_contours.py):
 * communes/DEP.txt.gz (communes of COG 2026 drawn from IGN ADMIN EXPRESS
 * COG 2018) and qpv/DEP.txt.gz (ANCT's QPV 2024), one gzip text file per
 * département, read only for the départements a map needs. */
#ifndef TERRAIN_CONTOURS_H
#define TERRAIN_CONTOURS_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/shape.h"

/* Parse the text of one file (len bytes of buf, borrowed; name is the file
 * as the message names it) and append its records to out (initialised).
 * The format: "c CODE PARTS" (a commune) or "q CODE COMMUNES" (a QPV), then
 * its rings "r X Y DX DY ..." (integers, 1e-4 degrees, at least 3 points);
 * "#" lines are comments.  An error names the file and the byte offset
 * (from 0, in the uncompressed text) of what does not parse, and what was
 * expected; out keeps what came before. */
enum status contours_parse(const char *name, const char *buf, size_t len, struct shapes *out,
			   struct error *err);

/* Read DIR/contours/KIND/DEP.txt.gz for each of the ndep départements
 * (codes borrowed; KIND is "communes" or "qpv") into out (initialised),
 * then sort it.  A département without a file has no outline (the
 * collectivités d'outre-mer; a département without QPV): no error. */
enum status contours_load(const char *dir, const char *kind, const char *const *deps, size_t ndep,
			  struct shapes *out, struct error *err);

#endif
