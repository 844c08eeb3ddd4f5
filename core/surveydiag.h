/* What reading a survey found: the problems of a survey file against its
 * codebook (surveyfile_read) and what describe saw in each column
 * (surveydesc_infer).  Here, below ingest/ and report/, because the one
 * fills them and the other prints them. */
#ifndef TERRAIN_SURVEYDIAG_H
#define TERRAIN_SURVEYDIAG_H

#include <stdbool.h>
#include <stddef.h>

enum survey_problem_kind {
	SURVEY_PB_MODALITY,   /* unknown category */
	SURVEY_PB_BOUNDS,     /* below min or above max */
	SURVEY_PB_NUMBER,     /* not a number, or not a whole one */
	SURVEY_PB_DATE,	      /* not a date */
	SURVEY_PB_MARK,	      /* a 0/1 option cell with something else */
	SURVEY_PB_RAGGED,     /* a row with too few or too many fields */
	SURVEY_PB_UNREADABLE, /* undecodable byte, broken quotes: reading stops */
	SURVEY_PB_DESIGN,     /* a weight, stratum, cluster or fpc blank, or a weight <= 0 */
	SURVEY_PB_NKINDS,
};

struct survey_check {
	char **msg; /* owned messages, "file:line:col: ..." */
	enum survey_problem_kind *kind;
	size_t n, alloc;
	size_t max;			/* messages kept (0: 1000); the rest are counted */
	size_t total;			/* problems found */
	size_t count[SURVEY_PB_NKINDS]; /* by kind */
	size_t rows;			/* data rows read */
	bool stopped;			/* reading stopped at an unreadable place */
	char **unused;			/* owned: header columns no variable reads */
	size_t nunused;
};

void survey_check_release(struct survey_check *c);
const char *survey_problem_kind_name(enum survey_problem_kind k);

/* What was seen in one column. */
struct surveydesc_column {
	char *header;	     /* owned */
	size_t nonempty;     /* cells with something in them */
	size_t distinct;     /* distinct values (capped at SURVEYDESC_MAX_DISTINCT + 1) */
	char *examples;	     /* owned: a few values, joined by " | " */
	const char *verdict; /* borrowed: what the draft made of it */
};

#define SURVEYDESC_MAX_DISTINCT 40

struct surveydesc {
	struct surveydesc_column *col; /* owned, in header order */
	size_t ncol;
	size_t rows;
};

void surveydesc_release(struct surveydesc *d);

#endif
