/* The budget parameters (datasets/params/budget_parameters.csv): dated
 * values such as the SMIC or the aide au poste by SIAE type, and rules such
 * as the CDDI's minimum weekly hours, each with its source.  Loaded by
 * ingest/params.c; pure data and lookups here.
 *
 * A row with a valid_from date belongs to a dated series: it is in force
 * from that day until the next row of the same id and structure.  A row
 * without one is a rule, in force for any year.  Past the year of a
 * series' latest row, its value is carried forward and said to be. */
#ifndef TERRAIN_PARAMS_H
#define TERRAIN_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct param_row {
	char *id;	    /* owned: [a-z0-9_]+ */
	char *structure;    /* owned: "ACI", "EI", "AI", "ETTI", "EITI", or "" for every type */
	long valid_from;    /* YYYYMMDD; 0 for a rule */
	double value;	    /* in unit */
	char *unit_fr;	    /* owned: "€/h", "part du socle", ... */
	char *unit_en;	    /* owned: "EUR/h", "share of the socle", ... */
	char *label;	    /* owned */
	char *source_fr;    /* owned: the act or publication, and where it was read, as a
			       French study cites it */
	char *source_en;    /* owned: the same, as an English study cites it */
	char confidence;    /* 'C' confirmed, 'S' secondary source, 'U' unconfirmed */
	char *note_fr;	    /* owned, may be "": a note on the value, in French */
	char *note_en;	    /* owned, may be "": the same note in English */
	unsigned long line; /* in the file */
};

struct params {
	char *path; /* owned: the file, for messages */
	struct param_row *v;
	size_t n, alloc;
};

/* A value over a calendar year: the mean of the values in force on the
 * first day of each of its twelve months (every change of the table falls
 * on a first of the month), with the rows it came from. */
#define PARAMS_MONTHS 12
struct params_use {
	const struct param_row *row; /* borrowed from the table */
	unsigned months;	     /* of the year it was in force */
};

struct params_value {
	double value;
	struct params_use use[PARAMS_MONTHS]; /* in date order */
	size_t nuse;
	bool carried; /* the year is past the series' latest row */
};

/* The row of id in force on date (YYYYMMDD) for structure (NULL or "" for
 * none): the structure's own rows when the table has any for id, else the
 * rows for every type; a rule whatever the date.  NULL when none is in
 * force.  Borrowed. */
const struct param_row *params_in_force(const struct params *t, const char *id,
					const char *structure, long date);

/* The value of id for structure over year, as above.  TERRAIN_ENOTFOUND
 * when the table has no row of id (for that structure or every type), or
 * none in force on the first day of a month of year; the message names the
 * id, the structure, the date and the file. */
enum status params_year(const struct params *t, const char *id, const char *structure, int year,
			struct params_value *out, struct error *err);

/* The unit, the citation and the note of r in one language (English when
 * en): a language's outputs print only their own.  Borrowed from r. */
const char *params_unit(const struct param_row *r, bool en);
const char *params_source(const struct param_row *r, bool en);
const char *params_note(const struct param_row *r, bool en);

void params_release(struct params *t);

#endif
