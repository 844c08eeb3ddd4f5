/* The offer inventory: the insertion structures the project lead lists in
 * a CSV file (one row per structure), read and checked.
 *
 * Columns, by header name, in any order (extra columns are ignored):
 *   name     the structure's name (required)
 *   siret    14 digits with a valid check digit, or empty
 *   type     ACI, EI, AI, ETTI, EITI or other
 *   commune  the commune code where it works (a former code is taken to
 *            the commune it merged into)
 *   places   insertion places (a number, decimal comma accepted), or empty
 *   etp      insertion posts in full-time equivalents, or empty
 *   public   the public it serves (free text), may be empty
 * Lines starting with '#' before the header are comments; the delimiter
 * and the encoding are detected as for survey files. */
#ifndef TERRAIN_OFFER_H
#define TERRAIN_OFFER_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../core/geo.h"

enum offer_type {
	OFFER_ACI,
	OFFER_EI,
	OFFER_AI,
	OFFER_ETTI,
	OFFER_EITI,
	OFFER_OTHER
};
#define OFFER_NTYPES 6

/* "ACI", "EI", ... "other". */
const char *offer_type_name(enum offer_type t);

struct offer_structure {
	char *name; /* owned */
	char siret[15];
	enum offer_type type;
	size_t commune; /* index in geo.com (current commune or arrondissement) */
	bool converted; /* the file gave a former code */
	double places;	/* NAN when empty */
	double etp;	/* NAN when empty */
	char *public_;	/* owned, may be "" */
	unsigned long line;
};

struct offer {
	struct offer_structure *v;
	size_t n, alloc;
	char *file; /* owned */
};

/* Read path.  Errors (TERRAIN_EDATA) name file:line:column and what was
 * expected: a missing column, an empty name, a SIRET that is not 14 digits
 * or whose check digit is wrong, an unknown type, an unknown commune, a
 * negative or non-numeric capacity.  On error *out is released. */
enum status offer_load(const struct geo *g, const char *path, struct offer *out, struct error *err);
void offer_release(struct offer *o);

/* Is s a SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's
 * establishments, SIREN 356000000, use the sum of the digits instead)? */
bool offer_siret_valid(const char *s);

#endif
