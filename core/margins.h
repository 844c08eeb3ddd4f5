/* Population margins to weight a survey to: for some categorical variables
 * of the survey, the population count (or share) of each category. */
#ifndef TERRAIN_MARGINS_H
#define TERRAIN_MARGINS_H

#include <stdbool.h>
#include <stddef.h>

struct margin {
	size_t var;	/* index of the variable in the survey */
	double *target; /* owned: one per category of the variable, in its order */
	size_t ncat;
	unsigned long line;	 /* first line of the variable in the margins file */
	unsigned long *cat_line; /* owned: each category's line (0: not given) */
	bool share;		 /* given as shares (scaled to the total on load) */
	bool numeric;		 /* a numeric variable's total (empty category): ncat 1 */
};

struct margins {
	char *file; /* owned */
	struct margin *m;
	size_t n, alloc;
	double total; /* the population total every margin sums to */
};

void margins_init(struct margins *m);
void margins_release(struct margins *m);

#endif
