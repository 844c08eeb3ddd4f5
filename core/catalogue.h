/* The indicator catalogue (datasets/catalogue/indicators.csv): how each
 * indicator is computed from observation ids, its unit, decimals and
 * polarity.  Loaded by ingest/catalogue.c; pure data here. */
#ifndef TERRAIN_CATALOGUE_H
#define TERRAIN_CATALOGUE_H

#include <stddef.h>

/* Most observation ids a numerator or denominator sums. */
#define CATALOGUE_MAX_TERMS	8
#define CATALOGUE_MAX_TERMS_STR "8"

enum indicator_kind {
	INDICATOR_COUNT,  /* the numerator, summed */
	INDICATOR_RATIO,  /* sum(numerator) / sum(denominator) x scale: never an average of rates */
	INDICATOR_GROWTH, /* annual rate from denominator to numerator over years, x scale */
	INDICATOR_RATE,	  /* a rate as its source publishes it (not recomputable) */
};

enum indicator_polarity {
	POLARITY_NEUTRAL,
	POLARITY_HIGHER_WORSE,
	POLARITY_HIGHER_BETTER,
};

struct indicator_def {
	char *id;	/* owned: [a-z0-9_]+ */
	char *label_fr; /* owned */
	char *label_en; /* owned */
	enum indicator_kind kind;
	char *numerator;   /* owned: observation ids joined by '+' (summed) */
	char *denominator; /* owned: the same, "" for count and rate */
	int years;	   /* growth only */
	double scale;	   /* 100 for %, 1000 for per 1 000, 1 otherwise */
	char *unit;	   /* owned: "%", "per 1 000", "persons", ... */
	int decimals;	   /* 0..3 */
	enum indicator_polarity polarity;
	char *source; /* owned */
	char *note_fr; /* owned: comparability, in French, may be "" */
	char *note_en; /* owned: the same in English */
};

struct catalogue {
	struct indicator_def *v;
	size_t n, alloc;
};

/* The definition of id, or NULL; borrowed. */
const struct indicator_def *catalogue_find(const struct catalogue *c, const char *id);

void catalogue_release(struct catalogue *c);

#endif
