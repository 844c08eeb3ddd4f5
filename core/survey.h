/* A field survey in memory: the variables of its codebook and, for each
 * respondent, the value of each variable.  Filled by ingest/ (codebook and
 * survey file), read by analysis/ (weighting, estimates).
 *
 * Every value carries a status: present, empty (the cell was blank) or a
 * missing code (e.g. "NSP"); missing values are never zero. */
#ifndef TERRAIN_SURVEY_H
#define TERRAIN_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

enum survey_type {
	SURVEY_SINGLE,	 /* one category among the labels */
	SURVEY_MULTIPLE, /* several categories: "A;B" in one cell, or one 0/1 column each */
	SURVEY_ORDINAL,	 /* one category, in the order of the labels (Likert) */
	SURVEY_INTEGER,
	SURVEY_DECIMAL,
	SURVEY_DATE, /* value: day number since 1970-01-01 */
	SURVEY_TEXT,
};

enum survey_role {
	SURVEY_ROLE_NONE,
	SURVEY_ROLE_WEIGHT,   /* initial (design) weight of each respondent */
	SURVEY_ROLE_STRATUM,  /* first-stage stratum */
	SURVEY_ROLE_CLUSTER,  /* first-stage sampling unit (PSU), within its stratum */
	SURVEY_ROLE_CLUSTER2, /* second-stage unit, within its PSU */
	SURVEY_ROLE_FPC,      /* first stage: PSUs in the stratum's population, or the
			       * sampling fraction when every value is at most 1 */
	SURVEY_ROLE_FPC2,     /* second stage: the same for the units of each PSU */
	SURVEY_ROLE_ID,	      /* the respondent's identifier: kept, never estimated */
	SURVEY_ROLE_META,     /* an export's bookkeeping (seed, dates, language): kept,
			       * never estimated */
};

enum survey_status {
	SURVEY_PRESENT,
	SURVEY_EMPTY,	     /* blank cell (or, in columns, no option cell filled) */
	SURVEY_MISSING_CODE, /* one of the variable's missing codes */
};

struct survey_category {
	char *code;   /* owned: as in the file */
	char *label;  /* owned: for people */
	char *column; /* owned: the 0/1 column of a multiple choice in columns, else NULL */
};

struct survey_var {
	char *name;	   /* owned */
	char *column;	   /* owned: source header; for a multiple choice in columns, the
			    * header pattern with "{}" standing for the category code */
	char *short_label; /* owned, may be "": the question in a few words, for
			    * the note ("Freins à l'emploi") */
	enum survey_type type;
	struct survey_category *cat; /* owned; in the codebook's order */
	size_t ncat;
	char **missing; /* owned missing codes */
	size_t nmissing;
	double min, max; /* bounds (a date's as day numbers); NAN when none */
	char separator;	 /* multiple in one cell: between codes */
	bool in_columns; /* multiple: one 0/1 column per category */
	enum survey_role role;
	char *note;	    /* owned, may be "" */
	unsigned long line; /* its line in the codebook */
	char *skill;	    /* owned, may be "": the skill (bloc 2) the question measures,
			     * on its scale: an ordinal's codes as numbers, an
			     * integer's or decimal's values */

	/* data, one entry per respondent (NULL before reading) */
	double *value;	       /* number, day, or category index; NAN when missing */
	unsigned char *status; /* enum survey_status */
	unsigned char *chosen; /* multiple: n * ncat flags, row-major by respondent */
	char **text;	       /* text: owned strings */
};

struct survey {
	char *file;	/* owned: the survey file's name */
	char *codebook; /* owned: the codebook's name */
	struct survey_var *var;
	size_t nvar, alloc_var;
	size_t n; /* respondents */
	size_t alloc_n;
	unsigned long *line; /* file line of each respondent */
	char encoding[24];   /* as read: "UTF-8", "Windows-1252", ... */
	char delim;
	char line_ends[8];
};

void survey_init(struct survey *s);
void survey_release(struct survey *s);

/* Index of a variable by name, or (size_t)-1. */
size_t survey_find(const struct survey *s, const char *name);

/* Index of a category by code, or (size_t)-1. */
size_t survey_category(const struct survey_var *v, const char *code);

/* Index of a category by code, else by label (exact), or (size_t)-1. */
size_t survey_category_or_label(const struct survey_var *v, const char *s);

/* The variable with role weight, or NULL. */
const struct survey_var *survey_weight_var(const struct survey *s);

/* The variable with role r, or NULL. */
const struct survey_var *survey_role_var(const struct survey *s, enum survey_role r);

/* "weight", "stratum", ... ("" for none); and back (false when unknown). */
const char *survey_role_name(enum survey_role r);
bool survey_role_parse(const char *s, enum survey_role *r);

/* "single", "multiple", ...; and back (false when unknown). */
const char *survey_type_name(enum survey_type t);
bool survey_type_parse(const char *s, enum survey_type *t);

/* True for the types whose values are categories. */
bool survey_is_categorical(enum survey_type t);

#endif
