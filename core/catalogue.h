/* The indicator catalogue (datasets/catalogue/indicators.csv): how each
 * indicator is computed from observation ids, its unit, decimals and
 * polarity.  Loaded by ingest/catalogue.c; pure data here. */
#ifndef TERRAIN_CATALOGUE_H
#define TERRAIN_CATALOGUE_H

#include <stdbool.h>
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

/* The themes of a social diagnosis, in the order the note ranks its
 * findings: the social themes first, demography (birth and death rates,
 * population) last. */
enum indicator_theme {
	THEME_EMPLOYMENT,
	THEME_INCOME_POVERTY,
	THEME_YOUTH,
	THEME_AGEING,
	THEME_FAMILIES,
	THEME_EDUCATION,
	THEME_HOUSING,
	THEME_DEMOGRAPHY,
	THEME_COUNT
};

/* The theme's id in the catalogue ("employment", "income_poverty"...), and
 * its name in French ("emploi", "revenus et pauvreté"...) or English; static.
 * catalogue_theme_find returns the theme of an id, or -1. */
const char *catalogue_theme_id(enum indicator_theme t);
/* The kind's id in the catalogue: "count", "ratio", "growth", "rate"
 * (static; catalogue_kind_ids[kind]). */
#define INDICATOR_KIND_COUNT 4
extern const char *const catalogue_kind_ids[INDICATOR_KIND_COUNT];
const char *catalogue_theme_name(enum indicator_theme t, bool en);
int catalogue_theme_find(const char *id);

struct indicator_def {
	char *id;	/* owned: [a-z0-9_]+ */
	char *label_fr; /* owned */
	char *label_en; /* owned */
	enum indicator_kind kind;
	char *numerator;		  /* owned: observation ids joined by '+' (summed) */
	char *denominator;		  /* owned: the same, "" for count and rate */
	int years;			  /* growth only */
	double scale;			  /* 100 for %, 1000 for per 1 000, 1 otherwise */
	char *unit;			  /* owned: "%", "per 1 000", "persons", ... */
	int decimals;			  /* 0..3 */
	enum indicator_polarity polarity; /* for a social diagnosis: is more worse? */
	enum indicator_theme theme;
	char *source_fr; /* owned: "Insee, recensement de la population 2021" */
	char *source_en; /* owned: the same in English */
	char *note_fr;	 /* owned: comparability, in French, may be "" */
	char *note_en;	 /* owned: the same in English */
};

struct catalogue {
	struct indicator_def *v;
	size_t n, alloc;
};

/* The definition of id, or NULL; borrowed. */
const struct indicator_def *catalogue_find(const struct catalogue *c, const char *id);

void catalogue_release(struct catalogue *c);

#endif
