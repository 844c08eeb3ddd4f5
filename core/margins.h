/* Population margins to weight a survey to: for some categorical variables
 * of the survey, the population count (or share) of each category. */
#ifndef TERRAIN_MARGINS_H
#define TERRAIN_MARGINS_H

#include <stdbool.h>
#include <stddef.h>

#include "survey.h"

struct margin {
	size_t var;	/* index of the variable in the survey */
	size_t var2;	/* crossed cells "a*b": the second variable, else (size_t)-1;
			 * cell k is category k / ncat(var2) of var and
			 * k % ncat(var2) of var2 */
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

/* The margin's name ("sexe", or "sexe*tranche_age" for crossed cells) and
 * its category k's code or label ("F*18-29"), into buf; returned. */
const char *margin_name(const struct margin *g, const struct survey *s, char *buf, size_t cap);
const char *margin_category(const struct margin *g, const struct survey *s, size_t k, bool label,
			    char *buf, size_t cap);

#endif
