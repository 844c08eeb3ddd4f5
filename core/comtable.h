/* Commune-level counts in the current geography: one row per entry of the
 * geography (struct geo's com table, same indexes), one column per
 * variable.  Missing is NAN, never zero.  Sources of an older COG vintage
 * are converted into it on load (merged communes summed), so aggregating a
 * territory is a sum over its member rows. */
#ifndef TERRAIN_COMTABLE_H
#define TERRAIN_COMTABLE_H

#include <stddef.h>

#include "geo.h"
#include "provenance.h"

struct comtable {
	size_t nrow; /* = geo.ncom */
	size_t nvar;
	char **var;		       /* owned variable names */
	double *v;		       /* owned, nrow * nvar, row-major; NAN = missing */
	int cog;		       /* COG year of the source's codes, before conversion */
	const struct provenance *prov; /* borrowed */
	size_t nsource;		       /* source rows read */
	size_t nmerged;		       /* rows of former communes added to their successor */
	size_t nunknown;	       /* rows whose code the geography does not know (dropped) */
};

/* vars (nvar names, borrowed) are copied.  Every value starts missing. */
void comtable_init(struct comtable *t, const struct geo *g, const char *const *vars, size_t nvar);
void comtable_release(struct comtable *t);

/* Index of a variable, or (size_t)-1. */
size_t comtable_var(const struct comtable *t, const char *name);

static inline double comtable_get(const struct comtable *t, size_t row, size_t var)
{
	return t->v[row * t->nvar + var];
}

/* Add x to a cell (a missing cell becomes x); for merging converted rows. */
void comtable_add(struct comtable *t, size_t row, size_t var, double x);

/* For each commune with arrondissements and no value of its own, set the
 * value to the sum of its arrondissements' when they all have one.  Sources
 * that give Paris, Lyon and Marseille only by arrondissement need it. */
void comtable_rollup_arm(struct comtable *t, const struct geo *g);

#endif
